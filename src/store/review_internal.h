// What every back end shares for reviews (review.h): request checks, the audit
// entry a review appends, and the submissions table's order and filters for the
// back ends that compute them in memory. Private to store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/review.h"
#include "store/store.h"

namespace ngosurvey::store::internal {

// The longest comment a review keeps, in bytes.
inline constexpr size_t kMaxReviewComment = 10000;

// ST001 for a review without instance id or reviewer, or with a comment that is
// too long or not UTF-8.
Status CheckReview(const Review& review);

// ST001 for a limit outside 1..1000, an unknown review filter, or an `after` key
// that the sort column cannot hold (not a number for kStarted).
Status CheckQuery(const SubmissionQuery& query);

// The audit entry of `review` replacing `previous` (nullopt: none), without seq
// and hashes: field kReviewAuditField, the statuses' names as answers, the
// comment as reason.
AuditEntry ReviewEntry(const std::optional<Review>& previous, const Review& review);

// The row of the submissions table for `submission`.
SubmissionRow RowOf(const Submission& submission, const std::optional<Review>& review);

// Whether `row` passes the query's filters (not `after` nor `limit`).
bool MatchesQuery(const SubmissionRow& row, const SubmissionQuery& query);

// Whether `a` comes before `b` in the query's order (sort key, then instance id,
// both in the query's direction).
bool Before(const SubmissionRow& a, const SubmissionRow& b, const SubmissionQuery& query);

// The page of `rows` (any order) that `query` asks for: filtered, sorted, after
// `after`, at most `limit`.
std::vector<SubmissionRow> QueryPage(std::vector<SubmissionRow> rows, const SubmissionQuery& query);

// QuerySubmissions in SQL, for both SQL back ends (the same tables and columns:
// submissions with review_status, reviews by submission_id). The text names only
// the query's own columns and directions; every value is a parameter, in `params`
// order. `postgres` writes $N::type placeholders, otherwise SQLite's "?". Columns
// out: instance_id, form_id, form_version, status, org_id, interviewer,
// submitted_by, started_at_ms, ended_at_ms (NULL), and the review's status,
// comment, who, at_ms (NULL without a review).
struct SqlText {
  const char* sql = nullptr;  // interned: the same text always has the same address
  std::vector<std::variant<int64_t, std::string>> params;
};
SqlText SubmissionQuerySql(const SubmissionQuery& query, bool postgres);

}  // namespace ngosurvey::store::internal
