// Reviews of submissions (review.h): names, checks and the audit entry every back
// end appends, and the in-memory order of the submissions table.
#include "store/review.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <set>

#include "base/text.h"
#include "store/review_internal.h"
#include "store/store.h"

namespace ngosurvey::store {

std::string_view ReviewStatusName(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kApproved:
      return "approved";
    case ReviewStatus::kNeedsChecking:
      return "needs_checking";
    case ReviewStatus::kRejected:
      return "rejected";
  }
  return "needs_checking";
}

Result<ReviewStatus> ParseReviewStatus(std::string_view name) {
  if (name == "approved") return ReviewStatus::kApproved;
  if (name == "needs_checking" || name == "needs checking") return ReviewStatus::kNeedsChecking;
  if (name == "rejected") return ReviewStatus::kRejected;
  return MakeError("ST001", "unknown review status \"" + std::string(name) +
                                "\" (approved, needs_checking or rejected)");
}

std::string_view KoboValidationStatus(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kApproved:
      return "validation_status_approved";
    case ReviewStatus::kNeedsChecking:
      return "validation_status_on_hold";
    case ReviewStatus::kRejected:
      return "validation_status_not_approved";
  }
  return "validation_status_on_hold";
}

std::string_view CentralReviewState(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kApproved:
      return "approved";
    case ReviewStatus::kNeedsChecking:
      return "hasIssues";
    case ReviewStatus::kRejected:
      return "rejected";
  }
  return "hasIssues";
}

namespace {

constexpr std::pair<SubmissionSort, std::string_view> kSortNames[] = {
    {SubmissionSort::kStarted, "started"}, {SubmissionSort::kSubmittedBy, "submitted_by"},
    {SubmissionSort::kForm, "form"},       {SubmissionSort::kOrg, "org"},
    {SubmissionSort::kStatus, "status"},   {SubmissionSort::kReview, "review"},
};

bool ParseInt(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<SubmissionSort> ParseSubmissionSort(std::string_view name) {
  for (auto [sort, n] : kSortNames) {
    if (n == name) return sort;
  }
  return MakeError("ST001", "unknown sort column \"" + std::string(name) +
                                "\" (started, submitted_by, form, org, status or review)");
}

std::string_view SubmissionSortName(SubmissionSort sort) {
  for (auto [s, n] : kSortNames) {
    if (s == sort) return n;
  }
  return "started";
}

std::string SortKey(const SubmissionRow& row, SubmissionSort sort) {
  switch (sort) {
    case SubmissionSort::kStarted:
      return std::to_string(row.started_at_ms);
    case SubmissionSort::kSubmittedBy:
      return row.submitted_by;
    case SubmissionSort::kForm:
      return row.form_id;
    case SubmissionSort::kOrg:
      return row.org_id;
    case SubmissionSort::kStatus:
      return std::string(StatusName(row.status));
    case SubmissionSort::kReview:
      return row.review ? std::string(ReviewStatusName(row.review->status)) : "";
  }
  return "";
}

namespace internal {

Status CheckReview(const Review& review) {
  if (review.instance_id.empty()) return MakeError("ST001", "a review needs a submission");
  if (review.who.empty()) return MakeError("ST001", "a review needs its reviewer");
  if (review.comment.size() > kMaxReviewComment) {
    return MakeError("ST001", "the review's comment is longer than 10,000 bytes");
  }
  for (const std::string* text : {&review.instance_id, &review.who, &review.comment}) {
    if (!text::IsValidUtf8(*text)) return MakeError("ST001", "a review must be UTF-8");
  }
  return Ok();
}

Status CheckQuery(const SubmissionQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return MakeError("ST001",
                     "a page holds 1 to 1000 submissions, not " + std::to_string(query.limit));
  }
  if (query.review && *query.review != "none") NGO_TRY(ParseReviewStatus(*query.review));
  if (query.after && query.sort == SubmissionSort::kStarted) {
    int64_t ignored = 0;
    if (!ParseInt(query.after->key, &ignored)) {
      return MakeError("ST001", "the page's position \"" + query.after->key +
                                    "\" is not a start time in milliseconds");
    }
  }
  return Ok();
}

AuditEntry ReviewEntry(const std::optional<Review>& previous, const Review& review) {
  AuditEntry entry;
  entry.instance_id = review.instance_id;
  entry.at_ms = review.at_ms;
  entry.who = review.who;
  entry.field = std::string(kReviewAuditField);
  if (previous) {
    entry.old_answer = form::Answer::Answered(std::string(ReviewStatusName(previous->status)));
  }
  entry.new_answer = form::Answer::Answered(std::string(ReviewStatusName(review.status)));
  // The trail needs a reason (the column refuses an empty one): the comment, or
  // words saying there was none.
  entry.reason = review.comment.empty() ? std::string(kNoComment) : review.comment;
  return entry;
}

SubmissionRow RowOf(const Submission& s, const std::optional<Review>& review) {
  SubmissionRow row;
  row.instance_id = s.instance_id;
  row.form_id = s.form_id;
  row.form_version = s.form_version;
  row.status = s.status;
  row.org_id = s.org_id;
  row.interviewer = s.interviewer;
  row.submitted_by = s.submitted_by;
  row.started_at_ms = s.started_at_ms;
  row.ended_at_ms = s.ended_at_ms;
  row.started_offset_minutes = s.started_offset_minutes;
  row.ended_offset_minutes = s.ended_offset_minutes;
  row.review = review;
  return row;
}

bool MatchesQuery(const SubmissionRow& row, const SubmissionQuery& query) {
  if (query.form_id && row.form_id != *query.form_id) return false;
  if (query.submitted_by && row.submitted_by != *query.submitted_by) return false;
  if (query.status && row.status != *query.status) return false;
  if (query.review) {
    std::string have = row.review ? std::string(ReviewStatusName(row.review->status)) : "none";
    auto wanted = ParseReviewStatus(*query.review);
    if (have != (wanted ? std::string(ReviewStatusName(*wanted)) : *query.review)) return false;
  }
  if (query.started_from_ms && row.started_at_ms < *query.started_from_ms) return false;
  if (query.started_before_ms && row.started_at_ms >= *query.started_before_ms) return false;
  return true;
}

namespace {

// -1, 0, 1 as (key of a, id of a) compares with (key, id), ascending.
int Compare(const SubmissionRow& a, const std::string& key, const std::string& id,
            SubmissionSort sort) {
  if (sort == SubmissionSort::kStarted) {
    int64_t k = 0;
    ParseInt(key, &k);
    if (a.started_at_ms != k) return a.started_at_ms < k ? -1 : 1;
  } else {
    int c = SortKey(a, sort).compare(key);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  int c = a.instance_id.compare(id);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

bool Before(const SubmissionRow& a, const SubmissionRow& b, const SubmissionQuery& query) {
  int c = Compare(a, SortKey(b, query.sort), b.instance_id, query.sort);
  return query.descending ? c > 0 : c < 0;
}

std::vector<SubmissionRow> QueryPage(std::vector<SubmissionRow> rows,
                                     const SubmissionQuery& query) {
  std::erase_if(rows, [&](const SubmissionRow& row) {
    if (!MatchesQuery(row, query)) return true;
    if (!query.after) return false;
    int c = Compare(row, query.after->key, query.after->instance_id, query.sort);
    return query.descending ? c >= 0 : c <= 0;
  });
  std::sort(rows.begin(), rows.end(),
            [&](const SubmissionRow& a, const SubmissionRow& b) { return Before(a, b, query); });
  if (rows.size() > static_cast<size_t>(query.limit)) rows.resize(query.limit);
  return rows;
}

namespace {

// The one copy of each query text, so that back ends may cache prepared statements
// by address. The texts vary only by the query's shape (which filters, which sort
// and direction, whether after is set): a few hundred at most.
const char* Intern(std::string sql) {
  static std::mutex mu;
  static std::set<std::string> texts;
  std::lock_guard lock(mu);
  return texts.insert(std::move(sql)).first->c_str();
}

}  // namespace

SqlText SubmissionQuerySql(const SubmissionQuery& query, bool postgres) {
  SqlText out;
  auto param = [&](std::variant<int64_t, std::string> value) {
    bool number = std::holds_alternative<int64_t>(value);
    out.params.push_back(std::move(value));
    if (!postgres) return std::string("?");
    return "$" + std::to_string(out.params.size()) + (number ? "::bigint" : "::text");
  };
  std::string column;
  switch (query.sort) {
    case SubmissionSort::kStarted:
      column = "s.started_at_ms";
      break;
    case SubmissionSort::kSubmittedBy:
      column = "s.submitted_by";
      break;
    case SubmissionSort::kForm:
      column = "s.form_id";
      break;
    case SubmissionSort::kOrg:
      column = "s.org_id";
      break;
    case SubmissionSort::kStatus:
      column = "s.status";
      break;
    case SubmissionSort::kReview:
      column = "s.review_status";
      break;
  }
  std::string where;
  auto add = [&](const std::string& condition) {
    where += (where.empty() ? " WHERE " : " AND ") + condition;
  };
  if (query.form_id) add("s.form_id = " + param(*query.form_id));
  if (query.submitted_by) add("s.submitted_by = " + param(*query.submitted_by));
  if (query.status) add("s.status = " + param(std::string(StatusName(*query.status))));
  if (query.review) {
    auto status = ParseReviewStatus(*query.review);
    add("s.review_status = " + param(status ? std::string(ReviewStatusName(*status)) : ""));
  }
  if (query.started_from_ms) add("s.started_at_ms >= " + param(*query.started_from_ms));
  if (query.started_before_ms) add("s.started_at_ms < " + param(*query.started_before_ms));
  const char* dir = query.descending ? " DESC" : "";
  if (query.after) {
    std::variant<int64_t, std::string> key = query.after->key;
    if (query.sort == SubmissionSort::kStarted) {
      int64_t number = 0;
      ParseInt(query.after->key, &number);
      key = number;
    }
    std::string k = param(std::move(key));
    std::string id = param(query.after->instance_id);
    add("(" + column + ", s.instance_id) " + (query.descending ? "<" : ">") + " (" + k + ", " + id +
        ")");
  }
  std::string sql =
      "SELECT s.instance_id, s.form_id, s.form_version, s.status, s.org_id, s.interviewer, "
      "s.submitted_by, s.started_at_ms, s.ended_at_ms, r.status, r.comment, r.who, r.at_ms, "
      "s.started_offset_min, s.ended_offset_min "
      "FROM submissions s LEFT JOIN reviews r ON r.submission_id = s.id" +
      where + " ORDER BY " + column + dir + ", s.instance_id" + dir + " LIMIT " +
      param(query.limit);
  out.sql = Intern(std::move(sql));
  return out;
}

}  // namespace internal
}  // namespace ngosurvey::store
