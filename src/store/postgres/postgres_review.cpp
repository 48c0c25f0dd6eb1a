// The PostgreSQL store's reviews of submissions (store/review.h): the `reviews`
// table, the submissions' review_status column, and the submissions table a
// supervisor pages through. Part of PostgresStore (postgres_store_impl_internal.h);
// schema 9. SetReview locks the submission's row before the audit head, as every
// write of a submission does.
#include "store/postgres/postgres_store_impl_internal.h"
#include "store/review_internal.h"

namespace ngosurvey::store::postgres {
namespace {

// The review in columns `first`.. (status, comment, who, at_ms) of `row`, or
// nullopt when the status is NULL (no review).
Result<std::optional<Review>> ReviewFrom(const Rows& rows, int row, int first,
                                         const std::string& instance_id) {
  if (rows.IsNull(row, first)) return std::optional<Review>();
  Review review;
  review.instance_id = instance_id;
  review.status = NGO_TRY(ParseReviewStatus(rows.View(row, first)));
  review.comment = rows.Text(row, first + 1);
  review.who = rows.Text(row, first + 2);
  review.at_ms = rows.Int(row, first + 3);
  return std::optional<Review>(std::move(review));
}

}  // namespace

Status PostgresStore::WriteReview(const Review& review) {
  auto found =
      NGO_TRY(conn_->Query("SELECT id FROM submissions WHERE instance_id = $1::text",
                           Params().Text(review.instance_id), "cannot look up the submission"));
  if (found.empty()) return internal::NotFound("submission " + review.instance_id);
  int64_t id = found.Int(0, 0);
  NGO_TRY(
      conn_->Query("INSERT INTO reviews(submission_id, status, comment, who, at_ms) "
                   "VALUES($1::bigint, $2::text, $3::text, $4::text, $5::bigint) "
                   "ON CONFLICT(submission_id) DO UPDATE SET status = excluded.status, "
                   "comment = excluded.comment, who = excluded.who, at_ms = excluded.at_ms",
                   Params()
                       .Int(id)
                       .Text(ReviewStatusName(review.status))
                       .Text(review.comment)
                       .Text(review.who)
                       .Int(review.at_ms),
                   "cannot store the review"));
  NGO_TRY(conn_->Query("UPDATE submissions SET review_status = $2::text WHERE id = $1::bigint",
                       Params().Int(id).Text(ReviewStatusName(review.status)),
                       "cannot store the review"));
  return Ok();
}

Result<Review> PostgresStore::SetReview(const Review& review) {
  NGO_TRY(internal::CheckReview(review));
  Review stored = review;
  NGO_TRY(Write("cannot review submission " + review.instance_id, [&]() -> Status {
    stored = NGO_TRY(ReviewInTransaction(review));
    return Ok();
  }));
  return stored;
}

Result<Review> PostgresStore::ReviewInTransaction(const Review& review) {
  Review stored = review;
  {
    Row row = NGO_TRY(LockSubmission(review.instance_id));
    if (!row.complete) {
      return MakeError("ST006", "submission " + review.instance_id +
                                    " is a draft: only complete submissions are reviewed");
    }
    auto current = NGO_TRY(conn_->Query(
        "SELECT status, comment, who, at_ms FROM reviews WHERE submission_id = $1::bigint",
        Params().Int(row.id), "cannot read the review"));
    std::optional<Review> previous;
    if (!current.empty()) {
      auto read = ReviewFrom(current, 0, 0, review.instance_id);
      if (!read) return Damaged(read.error().message);
      previous = *read;
    }
    stored.at_ms = options_.clock->NowMillis();
    NGO_TRY(WriteReview(stored));
    NGO_TRY(AppendAudit({internal::ReviewEntry(previous, stored)}));
  }
  return stored;
}

Result<std::optional<Review>> PostgresStore::GetReview(const std::string& instance_id) const {
  return Read("cannot read the review of " + instance_id, [&]() -> Result<std::optional<Review>> {
    auto rows = NGO_TRY(
        conn_->Query("SELECT r.status, r.comment, r.who, r.at_ms FROM reviews r "
                     "JOIN submissions s ON s.id = r.submission_id WHERE s.instance_id = $1::text",
                     Params().Text(instance_id), "cannot read the review"));
    if (rows.empty()) return std::optional<Review>();
    auto read = ReviewFrom(rows, 0, 0, instance_id);
    if (!read) return Damaged(read.error().message);
    return read;
  });
}

Result<std::vector<Review>> PostgresStore::ReadReviewRows(const std::string& form_id) const {
  auto rows = NGO_TRY(
      conn_->Query("SELECT s.instance_id, r.status, r.comment, r.who, r.at_ms FROM reviews r "
                   "JOIN submissions s ON s.id = r.submission_id "
                   "WHERE $1::text = '' OR s.form_id = $1::text ORDER BY s.instance_id",
                   Params().Text(form_id), "cannot read the reviews"));
  std::vector<Review> out;
  for (int i = 0; i < rows.size(); ++i) {
    auto read = ReviewFrom(rows, i, 1, rows.Text(i, 0));
    if (!read) return Damaged(read.error().message);
    out.push_back(std::move(**read));
  }
  return out;
}

Result<std::vector<Review>> PostgresStore::ListReviews(const std::string& form_id) const {
  return Read("cannot read the reviews",
              [&]() -> Result<std::vector<Review>> { return ReadReviewRows(form_id); });
}

Result<std::vector<SubmissionRow>> PostgresStore::QuerySubmissions(
    const SubmissionQuery& query) const {
  NGO_TRY(internal::CheckQuery(query));
  internal::SqlText text = internal::SubmissionQuerySql(query, /*postgres=*/true);
  Params params;
  for (const auto& value : text.params) {
    if (const int64_t* number = std::get_if<int64_t>(&value)) {
      params.Int(*number);
    } else {
      params.Text(std::get<std::string>(value));
    }
  }
  return Read("cannot list submissions", [&]() -> Result<std::vector<SubmissionRow>> {
    auto rows = NGO_TRY(conn_->Query(text.sql, params, "cannot list submissions"));
    std::vector<SubmissionRow> out;
    for (int i = 0; i < rows.size(); ++i) {
      SubmissionRow row;
      row.instance_id = rows.Text(i, 0);
      row.form_id = rows.Text(i, 1);
      row.form_version = rows.Text(i, 2);
      auto status = ParseStatus(rows.View(i, 3));
      if (!status) return Damaged(status.error().message);
      row.status = *status;
      row.org_id = rows.Text(i, 4);
      row.interviewer = rows.Text(i, 5);
      row.submitted_by = rows.Text(i, 6);
      row.started_at_ms = rows.Int(i, 7);
      if (!rows.IsNull(i, 8)) row.ended_at_ms = rows.Int(i, 8);
      if (!rows.IsNull(i, 13)) row.started_offset_minutes = static_cast<int>(rows.Int(i, 13));
      if (!rows.IsNull(i, 14)) row.ended_offset_minutes = static_cast<int>(rows.Int(i, 14));
      auto review = ReviewFrom(rows, i, 9, row.instance_id);
      if (!review) return Damaged(review.error().message);
      row.review = std::move(*review);
      out.push_back(std::move(row));
    }
    return out;
  });
}

}  // namespace ngosurvey::store::postgres
