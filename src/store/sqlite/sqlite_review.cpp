// The SQLite store's reviews of submissions (store/review.h): the `reviews` table,
// the submissions' review_status column, and the submissions table a supervisor
// pages through. Part of SqliteStore (sqlite_store_impl_internal.h); schema 9.
#include "store/review_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {
namespace {

// The review in columns `first`.. (status, comment, who, at_ms), or nullopt when
// the status is NULL (no review).
Result<std::optional<Review>> ReviewFrom(const Statement& row, int first,
                                         const std::string& instance_id) {
  if (row.IsNull(first)) return std::optional<Review>();
  Review review;
  review.instance_id = instance_id;
  review.status = NGO_TRY(ParseReviewStatus(row.View(first)));
  review.comment = row.Text(first + 1);
  review.who = row.Text(first + 2);
  review.at_ms = row.Int(first + 3);
  return std::optional<Review>(std::move(review));
}

}  // namespace

Status SqliteStore::WriteReview(const Review& review) {
  auto find = NGO_TRY(conn_->Prepare("SELECT id FROM submissions WHERE instance_id = ?"));
  find.Bind(1, review.instance_id);
  if (!NGO_TRY(conn_->StepRow(find, "cannot look up the submission"))) {
    return internal::NotFound("submission " + review.instance_id);
  }
  int64_t id = find.Int(0);
  find.Reset();
  auto put = NGO_TRY(conn_->Prepare(
      "INSERT INTO reviews(submission_id, status, comment, who, at_ms) VALUES(?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(submission_id) DO UPDATE SET status = excluded.status, "
      "comment = excluded.comment, who = excluded.who, at_ms = excluded.at_ms"));
  put.Bind(1, id).Bind(2, ReviewStatusName(review.status)).Bind(3, review.comment);
  put.Bind(4, review.who).Bind(5, review.at_ms);
  NGO_TRY(conn_->Done(put.Step(), "cannot store the review"));
  auto mark = NGO_TRY(conn_->Prepare("UPDATE submissions SET review_status = ? WHERE id = ?"));
  mark.Bind(1, ReviewStatusName(review.status)).Bind(2, id);
  return conn_->Done(mark.Step(), "cannot store the review");
}

Result<Review> SqliteStore::SetReview(const Review& review) {
  NGO_TRY(internal::CheckReview(review));
  Review stored = review;
  NGO_TRY(Write("cannot review submission " + review.instance_id, [&]() -> Status {
    stored = NGO_TRY(ReviewInTransaction(review));
    return Ok();
  }));
  return stored;
}

Result<Review> SqliteStore::ReviewInTransaction(const Review& review) {
  Review stored = review;
  {
    Row row = NGO_TRY(FindSubmission(review.instance_id));
    if (!row.complete) {
      return MakeError("ST006", "submission " + review.instance_id +
                                    " is a draft: only complete submissions are reviewed");
    }
    auto current = NGO_TRY(
        conn_->Prepare("SELECT status, comment, who, at_ms FROM reviews WHERE submission_id = ?"));
    current.Bind(1, row.id);
    std::optional<Review> previous;
    if (NGO_TRY(conn_->StepRow(current, "cannot read the review"))) {
      previous = NGO_TRY(WithPath(ReviewFrom(current, 0, review.instance_id)));
    }
    current.Reset();
    stored.at_ms = options_.clock->NowMillis();
    NGO_TRY(WriteReview(stored));
    NGO_TRY(AppendAudit({internal::ReviewEntry(previous, stored)}));
  }
  return stored;
}

Result<std::optional<Review>> SqliteStore::GetReview(const std::string& instance_id) const {
  return Read("cannot read the review of " + instance_id, [&]() -> Result<std::optional<Review>> {
    auto find = NGO_TRY(
        conn_->Prepare("SELECT r.status, r.comment, r.who, r.at_ms FROM reviews r "
                       "JOIN submissions s ON s.id = r.submission_id WHERE s.instance_id = ?"));
    find.Bind(1, instance_id);
    if (!NGO_TRY(conn_->StepRow(find, "cannot read the review"))) {
      return std::optional<Review>();
    }
    return WithPath(ReviewFrom(find, 0, instance_id));
  });
}

Result<std::vector<Review>> SqliteStore::ReadReviewRows(const std::string& form_id) const {
  auto list = NGO_TRY(
      conn_->Prepare("SELECT s.instance_id, r.status, r.comment, r.who, r.at_ms FROM reviews r "
                     "JOIN submissions s ON s.id = r.submission_id WHERE ?1 = '' OR s.form_id = ?1 "
                     "ORDER BY s.instance_id"));
  list.Bind(1, form_id);
  std::vector<Review> out;
  NGO_TRY(conn_->EachRow(list, "cannot read the reviews", [&]() -> Status {
    auto review = NGO_TRY(WithPath(ReviewFrom(list, 1, list.Text(0))));
    out.push_back(std::move(*review));
    return Ok();
  }));
  return out;
}

Result<std::vector<Review>> SqliteStore::ListReviews(const std::string& form_id) const {
  return Read("cannot read the reviews",
              [&]() -> Result<std::vector<Review>> { return ReadReviewRows(form_id); });
}

Result<std::vector<SubmissionRow>> SqliteStore::QuerySubmissions(
    const SubmissionQuery& query) const {
  NGO_TRY(internal::CheckQuery(query));
  internal::SqlText text = internal::SubmissionQuerySql(query, /*postgres=*/false);
  return Read("cannot list submissions", [&]() -> Result<std::vector<SubmissionRow>> {
    auto list = NGO_TRY(conn_->Prepare(text.sql));
    int index = 1;
    for (const auto& value : text.params) {
      if (const int64_t* number = std::get_if<int64_t>(&value)) {
        list.Bind(index++, *number);
      } else {
        list.Bind(index++, std::get<std::string>(value));
      }
    }
    std::vector<SubmissionRow> out;
    NGO_TRY(conn_->EachRow(list, "cannot list submissions", [&]() -> Status {
      SubmissionRow row;
      row.instance_id = list.Text(0);
      row.form_id = list.Text(1);
      row.form_version = list.Text(2);
      row.status = NGO_TRY(WithPath(ParseStatus(list.View(3))));
      row.org_id = list.Text(4);
      row.interviewer = list.Text(5);
      row.submitted_by = list.Text(6);
      row.started_at_ms = list.Int(7);
      if (!list.IsNull(8)) row.ended_at_ms = list.Int(8);
      if (!list.IsNull(13)) row.started_offset_minutes = static_cast<int>(list.Int(13));
      if (!list.IsNull(14)) row.ended_offset_minutes = static_cast<int>(list.Int(14));
      row.review = NGO_TRY(WithPath(ReviewFrom(list, 9, row.instance_id)));
      out.push_back(std::move(row));
      return Ok();
    }));
    return out;
  });
}

}  // namespace ngosurvey::store::sqlite
