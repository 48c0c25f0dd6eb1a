// store: the supervisor's side of the submissions (issue 16): the review status
// of each complete submission (approved, needs checking, rejected, with a comment:
// KoboToolbox's "validation status"), and the submissions table a supervisor pages
// through (filtered and sorted by the store, one page at a time, never every row).
// Every Store implements it (Store derives from ReviewLog). Who may review is
// store::Authorize's business (server_data.h, Action::kReview); this interface
// keeps the data.
//
// Every change of a review is appended to the audit trail (store.h) in the same
// transaction: an entry whose field is "_validation_status", whose old and new
// answers are the statuses' names (nullopt: none before) and whose reason is the
// comment (kNoComment when it is empty), by the reviewer at the review's time.
//
// Error codes, besides the IO1xx of store.h:
//   ST001 invalid request (an unknown status name, an empty reviewer, a comment
//         over 10,000 bytes or not UTF-8, a query's limit outside 1..1000)
//   ST002 the submission does not exist
//   ST006 the submission is a draft: only complete submissions are reviewed
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::store {

enum class SubmissionStatus;

// A supervisor's verdict on a submission.
enum class ReviewStatus { kApproved, kNeedsChecking, kRejected };
// "approved", "needs_checking", "rejected": the names the store, the API and the
// audit trail use.
std::string_view ReviewStatusName(ReviewStatus status);
// Those names (and "needs checking"); ST001 otherwise.
Result<ReviewStatus> ParseReviewStatus(std::string_view name);
// KoboToolbox's uid for the status, as its exports' `_validation_status` column and
// its API carry it: validation_status_approved, validation_status_on_hold (needs
// checking), validation_status_not_approved (rejected).
std::string_view KoboValidationStatus(ReviewStatus status);
// ODK Central's review state of a status, as its API and CSV export name it:
// approved, hasIssues (needs checking), rejected.
std::string_view CentralReviewState(ReviewStatus status);

// The field of the audit entries that record reviews.
inline constexpr std::string_view kReviewAuditField = "_validation_status";
// Their reason when the review has no comment.
inline constexpr std::string_view kNoComment = "(review without comment)";

// The current review of one submission.
struct Review {
  std::string instance_id;
  ReviewStatus status = ReviewStatus::kNeedsChecking;
  std::string comment;  // may be empty; at most 10,000 bytes of UTF-8
  std::string who;      // the reviewer's account; non-empty
  int64_t at_ms = 0;    // set by the store

  friend bool operator==(const Review&, const Review&) = default;
};

// The columns the submissions table sorts by.
enum class SubmissionSort {
  kStarted,      // started_at_ms (the default)
  kSubmittedBy,  // the account that sent it (the interviewer's user name)
  kForm,         // form_id
  kOrg,          // org_id
  kStatus,       // draft / complete
  kReview,       // review status name ("" when not reviewed)
};
// "started", "submitted_by", "form", "org", "status", "review"; ST001 otherwise.
Result<SubmissionSort> ParseSubmissionSort(std::string_view name);
std::string_view SubmissionSortName(SubmissionSort sort);

// One row of the submissions table: a submission without its answers.
struct SubmissionRow {
  std::string instance_id;
  std::string form_id;
  std::string form_version;
  SubmissionStatus status{};
  std::string org_id;
  std::string interviewer;
  std::string submitted_by;
  int64_t started_at_ms = 0;
  std::optional<int64_t> ended_at_ms;
  std::optional<int> started_offset_minutes;  // Submission's
  std::optional<int> ended_offset_minutes;
  std::optional<Review> review;

  friend bool operator==(const SubmissionRow&, const SubmissionRow&) = default;
};

// What QuerySubmissions returns. Unset filters match everything.
struct SubmissionQuery {
  std::optional<std::string> form_id;
  std::optional<std::string> submitted_by;
  std::optional<SubmissionStatus> status;
  // A review status name, or "none" for submissions without a review.
  std::optional<std::string> review;
  // started_at_ms in [started_from_ms, started_before_ms).
  std::optional<int64_t> started_from_ms;
  std::optional<int64_t> started_before_ms;
  SubmissionSort sort = SubmissionSort::kStarted;
  bool descending = false;
  // Keyset pagination: the rows after this one in the query's order (a page's last
  // row: its sort key and instance id). `key` is the sort column's value as text
  // (started_at_ms in decimal for kStarted).
  struct After {
    std::string key;
    std::string instance_id;
  };
  std::optional<After> after;
  int64_t limit = 50;  // 1..1000
};

// The sort key of `row` under `sort`, as SubmissionQuery::After::key takes it.
std::string SortKey(const SubmissionRow& row, SubmissionSort sort);

class ReviewLog {
 public:
  virtual ~ReviewLog() = default;

  // Sets the review of a complete submission (replacing the current one) and
  // appends its audit entry, in one transaction; returns it with at_ms set. ST001
  // for a malformed review, ST002 for an unknown submission, ST006 for a draft.
  virtual Result<Review> SetReview(const Review& review) = 0;
  // The current review of a submission; nullopt when it has none (or does not exist).
  virtual Result<std::optional<Review>> GetReview(const std::string& instance_id) const = 0;
  // The current reviews of every submission of `form_id` (all forms when empty), by
  // instance_id.
  virtual Result<std::vector<Review>> ListReviews(const std::string& form_id = "") const = 0;

  // One page of the submissions table: the rows that match, in the query's order
  // (then by instance_id, the same direction), after `after`, at most `limit`.
  // Cost grows with the page, not with the store (indexes on each sort column).
  virtual Result<std::vector<SubmissionRow>> QuerySubmissions(
      const SubmissionQuery& query) const = 0;

 protected:
  ReviewLog() = default;
};

}  // namespace ngosurvey::store
