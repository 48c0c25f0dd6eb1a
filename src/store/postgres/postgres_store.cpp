// The PostgreSQL store's forms, submissions, answers and audit trail, its write and
// read transactions, and OpenPostgresStore. The class is declared in
// postgres_store_impl_internal.h (with the locking rules every write follows); its
// schema and migrations are in schema.cpp, the libpq wrappers in connection.cpp.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "store/packed_answers.h"
#include "store/postgres/postgres_store_impl_internal.h"
#include "store/review_internal.h"

namespace ngosurvey::store::postgres {
namespace {

// Keyset pages of the submissions query: ForEachSubmission holds one page (and one
// submission's answers) at a time. Unset filters bind NULL, which the "$n IS NULL
// OR" arms turn into "match all"; $7/$8 are the last row of the previous page.
constexpr const char* kListSubmissionsSql =
    "SELECT s.id, s.instance_id, s.form_id, s.form_version, s.status, s.wave, s.org_id, "
    "s.interviewer, s.started_at_ms, s.ended_at_ms, s.updated_at_ms, s.language, "
    "s.submitted_by, p.data, s.started_offset_min, s.ended_offset_min "
    "FROM submissions s LEFT JOIN packed_answers p ON p.submission_id = s.id "
    "WHERE ($1::text IS NULL OR s.form_id = $1::text) "
    "AND ($2::text IS NULL OR s.form_version = $2::text) "
    "AND ($3::text IS NULL OR s.status = $3::text) AND ($4::text IS NULL OR s.org_id = $4::text) "
    "AND (CASE WHEN $5::text IS NOT NULL THEN s.wave = $5::text "
    "ELSE ($6::bigint <> 0 OR s.wave <> 'pretest') END) "
    "AND ($7::bigint IS NULL OR (s.started_at_ms, s.instance_id) > ($7::bigint, $8::text)) "
    "AND ($9::text IS NULL OR s.submitted_by = $9::text) "
    "ORDER BY s.started_at_ms, s.instance_id LIMIT $10::bigint";
// The metadata columns of the submissions the same filter ($1-$6, $9) selects.
constexpr const char* kMetadataColumnsSql =
    "SELECT m.pair->>0 FROM submissions s "
    "JOIN packed_metadata p ON p.submission_id = s.id "
    "CROSS JOIN LATERAL jsonb_array_elements(p.data) WITH ORDINALITY AS m(pair, ord) "
    "WHERE ($1::text IS NULL OR s.form_id = $1::text) "
    "AND ($2::text IS NULL OR s.form_version = $2::text) "
    "AND ($3::text IS NULL OR s.status = $3::text) AND ($4::text IS NULL OR s.org_id = $4::text) "
    "AND (CASE WHEN $5::text IS NOT NULL THEN s.wave = $5::text "
    "ELSE ($6::bigint <> 0 OR s.wave <> 'pretest') END) "
    "AND ($7::text IS NULL OR s.submitted_by = $7::text) "
    "GROUP BY m.pair->>0 ORDER BY min(m.ord), (m.pair->>0) COLLATE \"C\"";
constexpr int kPageSize = 500;

constexpr const char* kSubmissionColumns =
    "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
    "started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, NULL::bytea, "
    "started_offset_min, ended_offset_min FROM submissions WHERE instance_id = $1::text";

std::optional<form::Answer> AnswerFromColumns(const Rows& rows, int row, int state_column,
                                              int value_column, bool* bad) {
  if (rows.IsNull(row, state_column)) return std::nullopt;
  auto state = form::ParseAnswerState(rows.View(row, state_column));
  if (!state) {
    *bad = true;
    return std::nullopt;
  }
  return form::Answer{rows.Text(row, value_column), *state};
}

// A PostgreSQL array literal of texts ('{"a","b\\"c"}'), for a parameter cast
// to text[]: every element quoted, '"' and '\\' escaped.
template <typename Range, typename Text>
std::string ArrayLiteral(const Range& items, Text text) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : text(item)) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

bool IsPostgresLocation(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Status PostgresStore::Write(const std::string& doing, const std::function<Status()>& body) {
  if (options_.read_only) {
    return MakeError("IO104", doing + ": the store was opened read-only",
                     DbLocation(pool_.location()));
  }
  ConnectionPool::Lease lease = NGO_TRY(pool_.Acquire());
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
  static thread_local std::minstd_rand jitter{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    NGO_TRY(conn_->EnsureConnected());
    NGO_TRY(conn_->Exec("BEGIN ISOLATION LEVEL READ COMMITTED", doing));
    Status result = body();
    if (result) result = conn_->Exec("COMMIT", doing);
    bool retry = !result && conn_->LastFailureRetryable();
    if (!result && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK", doing);
    if (retry && std::chrono::steady_clock::now() < deadline) {
      // A deadlock or serialization failure: nothing was kept; run it again after a
      // short random pause so that the same writers do not collide again.
      int cap = std::min(100, 1 << std::min(attempt, 7));
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter() % cap));
      continue;
    }
    return result;
  }
}

Status PostgresStore::PutForm(const FormVersion& form) {
  NGO_TRY(internal::CheckFormForPut(form));
  return Write("cannot store form \"" + form.form_id + "\"",
               [&]() -> Status { return InsertForm(form); });
}

Result<FormVersion> PostgresStore::GetForm(const std::string& form_id,
                                           const std::string& version) const {
  return Read("cannot read form \"" + form_id + "\"", [&]() -> Result<FormVersion> {
    auto rows =
        NGO_TRY(conn_->Query("SELECT title, xlsx, xlsx_sha256, uploaded_at_ms FROM forms "
                             "WHERE form_id = $1::text AND version = $2::text",
                             Params().Text(form_id).Text(version), "cannot read the form"));
    if (rows.empty()) return internal::NotFound("form \"" + form_id + "\" version " + version);
    return FormVersion{form_id,         version,         rows.Text(0, 0),
                       rows.Text(0, 1), rows.Text(0, 2), rows.Int(0, 3)};
  });
}

Result<std::vector<FormVersion>> PostgresStore::ListForms(const std::string& form_id) const {
  return Read("cannot list forms", [&]() -> Result<std::vector<FormVersion>> {
    auto rows = NGO_TRY(
        conn_->Query("SELECT form_id, version, title, xlsx_sha256, uploaded_at_ms FROM forms "
                     "WHERE $1::text = '' OR form_id = $1::text ORDER BY id",
                     Params().Text(form_id), "cannot list forms"));
    std::vector<FormVersion> out;
    for (int i = 0; i < rows.size(); ++i) {
      out.push_back(
          {rows.Text(i, 0), rows.Text(i, 1), rows.Text(i, 2), "", rows.Text(i, 3), rows.Int(i, 4)});
    }
    return out;
  });
}

Status PostgresStore::CreateSubmission(const Submission& s) {
  NGO_TRY(internal::CheckNewSubmission(s));
  return Write("cannot create submission " + s.instance_id,
               [&]() -> Status { return InsertSubmission(s); });
}

Status PostgresStore::CreateSubmissions(const SubmissionBatch& batch) {
  if (batch.form) NGO_TRY(internal::CheckFormForPut(*batch.form));
  for (const Submission& s : batch.submissions) NGO_TRY(internal::CheckNewSubmission(s));
  std::vector<Attachment> attachments =
      NGO_TRY(internal::PrepareAttachments(batch.attachments, options_.clock->NowMillis()));
  for (const Amendment& a : batch.amendments) NGO_TRY(internal::CheckAmendment(a));
  for (const Review& r : batch.reviews) NGO_TRY(internal::CheckReview(r));
  return Write("cannot import submissions", [&]() -> Status {
    if (batch.form) NGO_TRY(InsertForm(*batch.form));
    for (const Submission& s : batch.submissions) NGO_TRY(InsertSubmission(s));
    NGO_TRY(InsertAttachments(attachments));
    for (const Amendment& a : batch.amendments) NGO_TRY(AmendInTransaction(a));
    for (const Review& r : batch.reviews) NGO_TRY(ReviewInTransaction(r));
    return Ok();
  });
}

Status PostgresStore::SaveDraft(const std::string& instance_id,
                                const std::vector<AnswerChange>& changes,
                                const std::optional<std::string>& language) {
  NGO_TRY(internal::CheckChanges(changes));
  return Write("cannot save draft " + instance_id, [&]() -> Status {
    Row row = NGO_TRY(LockSubmission(instance_id));
    if (row.complete) {
      return MakeError("ST004", "submission " + instance_id +
                                    " is complete; its answers change only through an amendment");
    }
    for (const AnswerChange& change : changes) {
      if (change.answer) {
        NGO_TRY(
            conn_->Query("INSERT INTO answers(submission_id, path, state, value) "
                         "VALUES($1::bigint, $2::text, $3::text, $4::text) "
                         "ON CONFLICT(submission_id, path) DO UPDATE SET state = excluded.state, "
                         "value = excluded.value",
                         Params()
                             .Int(row.id)
                             .Text(change.path)
                             .Text(form::AnswerStateName(change.answer->state))
                             .Text(change.answer->value),
                         "cannot save answer \"" + change.path + "\""));
      } else {
        NGO_TRY(
            conn_->Query("DELETE FROM answers WHERE submission_id = $1::bigint AND path = $2::text",
                         Params().Int(row.id).Text(change.path),
                         "cannot remove answer \"" + change.path + "\""));
      }
    }
    NGO_TRY(
        conn_->Query("UPDATE submissions SET updated_at_ms = $1::bigint, "
                     "language = coalesce($3::text, language) WHERE id = $2::bigint",
                     Params().Int(options_.clock->NowMillis()).Int(row.id).OptionalText(language),
                     "cannot update the submission"));
    return Ok();
  });
}

Status PostgresStore::CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms,
                                         std::optional<int> ended_offset_minutes) {
  NGO_TRY(internal::CheckUtcOffset(instance_id, ended_offset_minutes));
  return Write("cannot complete submission " + instance_id, [&]() -> Status {
    Row row = NGO_TRY(LockSubmission(instance_id));
    if (row.complete) {
      return MakeError("ST004", "submission " + instance_id + " is already complete");
    }
    int64_t now = options_.clock->NowMillis();
    NGO_TRY(conn_->Query(
        "UPDATE submissions SET status = 'complete', ended_at_ms = $1::bigint, "
        "updated_at_ms = $2::bigint, ended_offset_min = $4::bigint WHERE id = $3::bigint",
        Params().Int(ended_at_ms).Int(now).Int(row.id).OptionalInt(ended_offset_minutes),
        "cannot complete the submission"));
    Answers answers = NGO_TRY(ReadDraftAnswers(row.id));
    NGO_TRY(WritePackedAnswers(row.id, answers, /*replace=*/false));
    NGO_TRY(conn_->Query("DELETE FROM answers WHERE submission_id = $1::bigint",
                         Params().Int(row.id), "cannot pack the answers"));
    return AppendAudit({internal::CompletionEntry(instance_id, row.interviewer, true, now)});
  });
}

Status PostgresStore::Amend(const Amendment& amendment) {
  NGO_TRY(internal::CheckAmendment(amendment));
  return Write("cannot change submission " + amendment.instance_id,
               [&]() -> Status { return AmendInTransaction(amendment); });
}

// The body of Amend, inside the caller's transaction (the amendment is checked).
Status PostgresStore::AmendInTransaction(const Amendment& amendment) {
  {
    Row row = NGO_TRY(LockSubmission(amendment.instance_id));
    if (!row.complete) {
      return MakeError("ST006", "submission " + amendment.instance_id +
                                    " is a draft; save drafts with SaveDraft");
    }
    Answers answers = NGO_TRY(ReadPackedAnswers(row.id, amendment.instance_id));
    int64_t now = options_.clock->NowMillis();
    auto entries = NGO_TRY(internal::AmendmentEntries(answers, amendment, now));
    internal::ApplyChanges(amendment.changes, &answers);
    NGO_TRY(WritePackedAnswers(row.id, answers, /*replace=*/true));
    NGO_TRY(conn_->Query("UPDATE submissions SET updated_at_ms = $1::bigint WHERE id = $2::bigint",
                         Params().Int(now).Int(row.id), "cannot update the submission"));
    NGO_TRY(KeepAlias(row.id, amendment));
    return AppendAudit(std::move(entries));
  }
}

// The amendment's alias (an earlier instanceID of the submission, ODK's edit) kept:
// nothing when the submission already has it, ST003 when it names another submission.
Status PostgresStore::KeepAlias(int64_t id, const Amendment& amendment) {
  if (amendment.alias.empty()) return Ok();
  auto owner = NGO_TRY(
      conn_->Query("SELECT submission_id FROM instance_aliases WHERE alias = $1::text UNION ALL "
                   "SELECT id FROM submissions WHERE instance_id = $1::text",
                   Params().Text(amendment.alias), "cannot look up the instance id"));
  if (!owner.empty()) {
    if (owner.Int(0, 0) == id) return Ok();
    return MakeError("ST003", "instance id " + amendment.alias +
                                  " is already another submission's: it cannot also name " +
                                  amendment.instance_id);
  }
  NGO_TRY(conn_->Query(
      "INSERT INTO instance_aliases(alias, submission_id) VALUES($1::text, $2::bigint)",
      Params().Text(amendment.alias).Int(id), "cannot keep instance id " + amendment.alias));
  return Ok();
}

Result<Submission> PostgresStore::GetSubmission(const std::string& instance_id) const {
  return Read("cannot read submission " + instance_id, [&]() -> Result<Submission> {
    auto found = NGO_TRY(LookUpSubmission(instance_id));
    if (!found) return internal::NotFound("submission " + instance_id);
    return std::move(*found);
  });
}

Result<std::optional<Submission>> PostgresStore::LookUpSubmission(
    const std::string& instance_id) const {
  auto rows = NGO_TRY(
      conn_->Query(kSubmissionColumns, Params().Text(instance_id), "cannot read the submission"));
  if (rows.empty()) {
    // An earlier instanceID of a submission finds it, under its own.
    auto own = NGO_TRY(conn_->Query(
        "SELECT s.instance_id FROM instance_aliases a JOIN submissions s ON s.id = a.submission_id "
        "WHERE a.alias = $1::text",
        Params().Text(instance_id), "cannot look up the instance id"));
    if (own.empty()) return std::optional<Submission>();
    rows = NGO_TRY(conn_->Query(kSubmissionColumns, Params().Text(own.Text(0, 0)),
                                "cannot read the submission"));
    if (rows.empty()) return std::optional<Submission>();
  }
  int64_t id = 0;
  Submission s = NGO_TRY(SubmissionFromRow(rows, 0, &id));
  if (s.status == SubmissionStatus::kComplete) {
    s.answers = NGO_TRY(ReadPackedAnswers(id, s.instance_id));
  } else {
    s.answers = NGO_TRY(ReadDraftAnswers(id));
  }
  s.metadata = NGO_TRY(ReadMetadata(id));
  return std::optional<Submission>(std::move(s));
}

Result<std::vector<Submission>> PostgresStore::ListSubmissions(
    const SubmissionFilter& filter) const {
  std::vector<Submission> out;
  NGO_TRY(ForEachSubmission(
      filter, [&](const Submission& s, const std::vector<AnswerView>& answers) -> Status {
        Submission& copy = out.emplace_back(s);
        for (const AnswerView& a : answers) {
          copy.answers.emplace_hint(copy.answers.end(), std::string(a.path),
                                    form::Answer{std::string(a.value), a.state});
        }
        return Ok();
      }));
  return out;
}

Status PostgresStore::ForEachSubmission(const SubmissionFilter& filter,
                                        const SubmissionVisitor& visit) const {
  return Read("cannot list submissions", [&]() -> Status {
    std::string arena;
    std::vector<AnswerView> views;
    std::optional<int64_t> after_started;
    std::string after_id;
    if (filter.after) {
      after_started = filter.after->started_at_ms;
      after_id = filter.after->instance_id;
    }
    // What the caller's limit leaves (no limit: every page).
    int64_t left = filter.limit > 0 ? filter.limit : -1;
    while (left != 0) {
      int64_t page_size = left < 0 ? kPageSize : std::min<int64_t>(left, kPageSize);
      Params params;
      params.OptionalText(filter.form_id).OptionalText(filter.form_version);
      if (filter.status) {
        params.Text(StatusName(*filter.status));
      } else {
        params.Null();
      }
      params.OptionalText(filter.org_id);
      if (filter.wave) {
        params.Text(WaveName(*filter.wave));
      } else {
        params.Null();
      }
      params.Int(filter.include_pretest ? 1 : 0).OptionalInt(after_started).Text(after_id);
      params.OptionalText(filter.submitted_by).Int(page_size);
      auto page = NGO_TRY(conn_->Query(kListSubmissionsSql, params, "cannot list submissions"));
      std::vector<int64_t> ids;
      for (int i = 0; i < page.size(); ++i) ids.push_back(page.Int(i, 0));
      auto metadata = NGO_TRY(ReadMetadata(ids));
      for (int i = 0; i < page.size(); ++i) {
        int64_t id = 0;
        Submission s = NGO_TRY(SubmissionFromRow(page, i, &id));
        if (auto it = metadata.find(id); it != metadata.end()) s.metadata = std::move(it->second);
        Answers draft;
        if (s.status == SubmissionStatus::kComplete) {
          if (page.IsNull(i, 13)) return Damaged("the answers of submission " + s.instance_id);
          Status decoded = packed::Decode(page.View(i, 13), &arena, &views);
          if (!decoded) {
            return Damaged("the answers of submission " + s.instance_id + " (" +
                           decoded.error().message + ")");
          }
        } else {
          draft = NGO_TRY(ReadDraftAnswers(id));
          views.clear();
          for (const auto& [path, answer] : draft) {
            views.push_back({path, answer.state, answer.value});
          }
        }
        NGO_TRY(visit(s, views));
      }
      if (page.size() < page_size) return Ok();
      if (left > 0) left -= page.size();
      after_started = page.Int(page.size() - 1, 8);
      after_id = page.Text(page.size() - 1, 1);
    }
    return Ok();
  });
}

Result<std::vector<AuditEntry>> PostgresStore::ReadAudit(const std::string& instance_id) const {
  return Read("cannot read the audit trail",
              [&]() -> Result<std::vector<AuditEntry>> { return ReadEntries(instance_id); });
}

Result<AuditVerification> PostgresStore::VerifyAudit() const {
  return Read("cannot verify the audit trail", [&]() -> Result<AuditVerification> {
    std::vector<AuditEntry> entries = NGO_TRY(ReadEntries(""));
    internal::ChainHead head = NGO_TRY(ReadHead(/*for_update=*/false));
    return internal::VerifyChain(entries, head);
  });
}

// The body of PutForm, inside the caller's transaction. A concurrent upload of the
// same id and version waits on the unique index and then compares bytes.
Status PostgresStore::InsertForm(const FormVersion& form) {
  std::string sha = internal::Sha256Hex(form.xlsx);
  auto inserted = NGO_TRY(
      conn_->Query("INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
                   "VALUES($1::text, $2::text, $3::text, $4::bytea, $5::text, $6::bigint) "
                   "ON CONFLICT(form_id, version) DO NOTHING RETURNING id",
                   Params()
                       .Text(form.form_id)
                       .Text(form.version)
                       .Text(form.title)
                       .Bytes(form.xlsx)
                       .Text(sha)
                       .Int(options_.clock->NowMillis()),
                   "cannot store the form"));
  if (!inserted.empty()) return Ok();
  auto stored = NGO_TRY(
      conn_->Query("SELECT xlsx_sha256 FROM forms WHERE form_id = $1::text AND version = $2::text",
                   Params().Text(form.form_id).Text(form.version), "cannot look up the form"));
  if (!stored.empty() && stored.View(0, 0) == sha) return Ok();
  return MakeError("ST003", "form \"" + form.form_id + "\" version " + form.version +
                                " is already stored with different contents");
}

Status PostgresStore::CheckFormStored(const std::string& form_id, const std::string& version) {
  auto rows =
      NGO_TRY(conn_->Query("SELECT 1 FROM forms WHERE form_id = $1::text AND version = $2::text",
                           Params().Text(form_id).Text(version), "cannot look up the form"));
  if (rows.empty()) return internal::NotFound("form \"" + form_id + "\" version " + version);
  return Ok();
}

// The body of CreateSubmission, inside the caller's transaction. ON CONFLICT DO
// NOTHING waits for a concurrent insert of the same instance id to commit or roll
// back, so exactly one of two racing writers stores it and the other gets ST003.
Status PostgresStore::InsertSubmission(const Submission& s) {
  NGO_TRY(CheckFormStored(s.form_id, s.form_version));
  int64_t now = options_.clock->NowMillis();
  auto inserted = NGO_TRY(conn_->Query(
      "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
      "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, "
      "started_offset_min, ended_offset_min) "
      "VALUES($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, "
      "$9::bigint, $10::bigint, $11::text, $12::text, $13::bigint, $14::bigint) "
      "ON CONFLICT(instance_id) DO NOTHING "
      "RETURNING id",
      Params()
          .Text(s.instance_id)
          .Text(s.form_id)
          .Text(s.form_version)
          .Text(StatusName(s.status))
          .Text(WaveName(s.wave))
          .Text(s.org_id)
          .Text(s.interviewer)
          .Int(s.started_at_ms)
          .OptionalInt(s.ended_at_ms)
          .Int(now)
          .Text(s.language)
          .Text(s.submitted_by)
          .OptionalInt(s.started_offset_minutes)
          .OptionalInt(s.ended_offset_minutes),
      "cannot store the submission"));
  if (inserted.empty())
    return MakeError("ST003", "submission " + s.instance_id + " already exists");
  int64_t id = inserted.Int(0, 0);
  NGO_TRY(WriteMetadata(id, s.metadata));
  if (s.status == SubmissionStatus::kComplete) {
    NGO_TRY(WritePackedAnswers(id, s.answers, /*replace=*/false));
    return AppendAudit({internal::CompletionEntry(s.instance_id, s.interviewer, false, now)});
  }
  for (const auto& [path, answer] : s.answers) {
    NGO_TRY(conn_->Query(
        "INSERT INTO answers(submission_id, path, state, value) "
        "VALUES($1::bigint, $2::text, $3::text, $4::text)",
        Params().Int(id).Text(path).Text(form::AnswerStateName(answer.state)).Text(answer.value),
        "cannot save answer \"" + path + "\""));
  }
  return Ok();
}

Result<PostgresStore::Row> PostgresStore::LockSubmission(const std::string& instance_id) {
  auto rows = NGO_TRY(conn_->Query(
      "SELECT id, status, interviewer FROM submissions WHERE instance_id = $1::text FOR UPDATE",
      Params().Text(instance_id), "cannot look up the submission"));
  if (rows.empty()) return internal::NotFound("submission " + instance_id);
  return Row{rows.Int(0, 0), rows.View(0, 1) == "complete", rows.Text(0, 2)};
}

tl::unexpected<Error> PostgresStore::Damaged(const std::string& what) const {
  return MakeError("IO105", "the store is damaged: " + what, DbLocation(pool_.location()));
}

Result<Answers> PostgresStore::ReadDraftAnswers(int64_t id) const {
  auto rows = NGO_TRY(conn_->Query(
      "SELECT path, state, value FROM answers WHERE submission_id = $1::bigint ORDER BY path",
      Params().Int(id), "cannot read answers"));
  Answers answers;
  for (int i = 0; i < rows.size(); ++i) {
    bool bad = false;
    auto answer = AnswerFromColumns(rows, i, 1, 2, &bad);
    if (bad) return Damaged("answer state '" + rows.Text(i, 1) + "'");
    answers.emplace_hint(answers.end(), rows.Text(i, 0), std::move(*answer));
  }
  return answers;
}

Result<std::vector<std::string>> PostgresStore::MetadataColumns(
    const SubmissionFilter& filter) const {
  return Read("cannot list the metadata columns", [&]() -> Result<std::vector<std::string>> {
    Params params;
    params.OptionalText(filter.form_id).OptionalText(filter.form_version);
    if (filter.status) {
      params.Text(StatusName(*filter.status));
    } else {
      params.Null();
    }
    params.OptionalText(filter.org_id);
    if (filter.wave) {
      params.Text(WaveName(*filter.wave));
    } else {
      params.Null();
    }
    params.Int(filter.include_pretest ? 1 : 0).OptionalText(filter.submitted_by);
    auto rows =
        NGO_TRY(conn_->Query(kMetadataColumnsSql, params, "cannot list the metadata columns"));
    std::vector<std::string> out;
    for (int i = 0; i < rows.size(); ++i) out.push_back(rows.Text(i, 0));
    return out;
  });
}

Status PostgresStore::WriteMetadata(int64_t id, const std::vector<MetadataField>& metadata) {
  if (metadata.empty()) return Ok();
  auto inserted = NGO_TRY(conn_->Query(
      "INSERT INTO packed_metadata(submission_id, data) VALUES($1::bigint, ($2::text)::jsonb)",
      Params().Int(id).Text(internal::PackMetadata(metadata)), "cannot store the metadata"));
  (void)inserted;
  return Ok();
}

Result<std::vector<MetadataField>> PostgresStore::ReadMetadata(int64_t id) const {
  auto found = NGO_TRY(ReadMetadata(std::vector<int64_t>{id}));
  auto it = found.find(id);
  return it == found.end() ? std::vector<MetadataField>() : std::move(it->second);
}

Result<std::map<int64_t, std::vector<MetadataField>>> PostgresStore::ReadMetadata(
    const std::vector<int64_t>& ids) const {
  std::map<int64_t, std::vector<MetadataField>> out;
  if (ids.empty()) return out;
  auto text = [](int64_t id) { return std::to_string(id); };
  auto rows = NGO_TRY(conn_->Query(
      "SELECT p.submission_id, m.pair->>0, m.pair->>1 FROM packed_metadata p "
      "CROSS JOIN LATERAL jsonb_array_elements(p.data) WITH ORDINALITY AS m(pair, ord) "
      "WHERE p.submission_id = ANY(($1::text)::bigint[]) ORDER BY p.submission_id, m.ord",
      Params().Text(ArrayLiteral(ids, text)), "cannot read the metadata"));
  for (int i = 0; i < rows.size(); ++i) {
    out[rows.Int(i, 0)].push_back({rows.Text(i, 1), rows.Text(i, 2)});
  }
  return out;
}

Result<Answers> PostgresStore::ReadPackedAnswers(int64_t id, const std::string& instance_id) const {
  auto rows = NGO_TRY(
      conn_->Query("SELECT data FROM packed_answers WHERE submission_id = $1::bigint",
                   Params().Int(id), "cannot read the answers of submission " + instance_id));
  if (rows.empty()) return Damaged("the answers of submission " + instance_id + " are missing");
  auto answers = packed::DecodeToMap(rows.View(0, 0));
  if (!answers) {
    return Damaged("the answers of submission " + instance_id + " (" + answers.error().message +
                   ")");
  }
  return answers;
}

Status PostgresStore::WritePackedAnswers(int64_t id, const Answers& answers, bool replace) {
  std::string blob;
  packed::Encode(answers, &blob);
  NGO_TRY(conn_->Query(
      replace ? "UPDATE packed_answers SET data = $2::bytea WHERE submission_id = $1::bigint"
              : "INSERT INTO packed_answers(submission_id, data) VALUES($1::bigint, $2::bytea)",
      Params().Int(id).Bytes(blob), "cannot store the answers"));
  return Ok();
}

Result<Submission> PostgresStore::SubmissionFromRow(const Rows& rows, int row, int64_t* id) const {
  auto damaged = [&](const Error& e) { return Damaged(e.message); };
  *id = rows.Int(row, 0);
  Submission s;
  s.instance_id = rows.Text(row, 1);
  s.form_id = rows.Text(row, 2);
  s.form_version = rows.Text(row, 3);
  auto status = ParseStatus(rows.View(row, 4));
  if (!status) return damaged(status.error());
  s.status = *status;
  auto wave = ParseWave(rows.View(row, 5));
  if (!wave) return damaged(wave.error());
  s.wave = *wave;
  s.org_id = rows.Text(row, 6);
  s.interviewer = rows.Text(row, 7);
  s.started_at_ms = rows.Int(row, 8);
  if (!rows.IsNull(row, 9)) s.ended_at_ms = rows.Int(row, 9);
  s.updated_at_ms = rows.Int(row, 10);
  s.language = rows.Text(row, 11);
  s.submitted_by = rows.Text(row, 12);
  // column 13 is the list query's packed answers
  if (!rows.IsNull(row, 14)) s.started_offset_minutes = static_cast<int>(rows.Int(row, 14));
  if (!rows.IsNull(row, 15)) s.ended_offset_minutes = static_cast<int>(rows.Int(row, 15));
  return s;
}

Result<std::vector<AuditEntry>> PostgresStore::ReadEntries(const std::string& instance_id) const {
  auto rows = NGO_TRY(conn_->Query(
      "SELECT seq, instance_id, at_ms, who, field, old_state, old_value, new_state, new_value, "
      "reason, prev_hash, hash FROM audit WHERE $1::text = '' OR instance_id = $1::text "
      "ORDER BY seq",
      Params().Text(instance_id), "cannot read the audit trail"));
  std::vector<AuditEntry> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    AuditEntry e;
    e.seq = rows.Int(i, 0);
    e.instance_id = rows.Text(i, 1);
    e.at_ms = rows.Int(i, 2);
    e.who = rows.Text(i, 3);
    e.field = rows.Text(i, 4);
    bool bad = false;
    e.old_answer = AnswerFromColumns(rows, i, 5, 6, &bad);
    e.new_answer = AnswerFromColumns(rows, i, 7, 8, &bad);
    if (bad) {
      // A state that no ngosurvey writes: keep the entry (its hash will not match)
      // rather than hide it, so VerifyAudit names it.
      e.new_answer = form::Answer{rows.Text(i, 8), form::AnswerState::kAnswered};
      e.field += " (unreadable state)";
    }
    e.reason = rows.Text(i, 9);
    e.prev_hash = rows.Text(i, 10);
    e.hash = rows.Text(i, 11);
    out.push_back(std::move(e));
  }
  return out;
}

Result<internal::ChainHead> PostgresStore::ReadHead(bool for_update) const {
  auto rows =
      NGO_TRY(for_update ? conn_->Query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                                        "cannot lock the audit head")
                         : conn_->Query("SELECT seq, hash FROM audit_head WHERE id = 1",
                                        "cannot read the audit head"));
  if (rows.empty()) return Damaged("the audit head row is missing");
  return internal::ChainHead{rows.Int(0, 0), rows.Text(0, 1)};
}

// Appends entries after the current head and moves the head, inside Write(). The
// head row is locked (FOR UPDATE) first: a concurrent appender waits here until this
// transaction ends, then reads the head this one wrote.
Status PostgresStore::AppendAudit(std::vector<AuditEntry> entries) {
  internal::ChainHead head = NGO_TRY(ReadHead(/*for_update=*/true));
  internal::ChainHead next = internal::LinkEntries(head, &entries);
  for (const AuditEntry& e : entries) {
    Params params;
    params.Int(e.seq).Text(e.instance_id).Int(e.at_ms).Text(e.who).Text(e.field);
    if (e.old_answer) {
      params.Text(form::AnswerStateName(e.old_answer->state)).Text(e.old_answer->value);
    } else {
      params.Null().Null();
    }
    if (e.new_answer) {
      params.Text(form::AnswerStateName(e.new_answer->state)).Text(e.new_answer->value);
    } else {
      params.Null().Null();
    }
    params.Text(e.reason).Text(e.prev_hash).Text(e.hash);
    NGO_TRY(conn_->Query(
        "INSERT INTO audit(seq, instance_id, at_ms, who, field, old_state, old_value, "
        "new_state, new_value, reason, prev_hash, hash) VALUES($1::bigint, $2::text, $3::bigint, "
        "$4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::text, "
        "$12::text)",
        params, "cannot append to the audit trail"));
  }
  NGO_TRY(conn_->Query("UPDATE audit_head SET seq = $1::bigint, hash = $2::text WHERE id = 1",
                       Params().Int(next.seq).Text(next.hash), "cannot move the audit head"));
  return Ok();
}

namespace {

// One connection of the store, with the session settings every one of them has.
Result<std::unique_ptr<Connection>> OpenSession(const std::string& location,
                                                const OpenOptions& options) {
  auto conn = NGO_TRY(Connection::Open(location, options.busy_timeout_ms));
  const std::string doing = "cannot open the store";
  // Every commit waits for the WAL flush (the store's durability promise, whatever
  // the server's default); lock waits end after busy_timeout_ms with IO106.
  // They are set again after a reconnection (Connection::SetForSession).
  NGO_TRY(conn->SetForSession("SET synchronous_commit = on", doing));
  NGO_TRY(conn->SetForSession(
      "SET lock_timeout = " + std::to_string(std::max(1, options.busy_timeout_ms)), doing));
  if (options.read_only) {
    NGO_TRY(conn->SetForSession("SET default_transaction_read_only = on", doing));
  }
  return conn;
}

// The connections leased by this thread, latest last (one per store in practice).
thread_local std::vector<std::pair<const ConnectionPool*, Connection*>> t_leases;

}  // namespace

ConnectionPool::ConnectionPool(std::unique_ptr<Connection> first, int size, Opener open)
    : size_(std::max(1, size)), open_(std::move(open)), location_(first->location()) {
  free_.push_back(first.get());
  all_.push_back(std::move(first));
}

ConnectionPool::Lease::Lease(const ConnectionPool* pool, Connection* conn)
    : pool_(pool), conn_(conn) {
  t_leases.emplace_back(pool, conn);
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), conn_(std::exchange(other.conn_, nullptr)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ == nullptr) return;
  for (auto it = t_leases.rbegin(); it != t_leases.rend(); ++it) {
    if (it->second == conn_) {
      t_leases.erase(std::next(it).base());
      break;
    }
  }
  pool_->GiveBack(conn_);
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() const {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!free_.empty()) {
      Connection* conn = free_.back();
      free_.pop_back();
      return Lease(this, conn);
    }
    if (static_cast<int>(all_.size()) + opening_ < size_) break;
    freed_.wait(lock);
  }
  // Opened outside the lock: the others keep taking and giving back meanwhile.
  ++opening_;
  lock.unlock();
  auto opened = open_();
  lock.lock();
  --opening_;
  if (!opened) {
    freed_.notify_one();  // a waiter may open it instead
    return tl::unexpected(std::move(opened).error());
  }
  Connection* conn = opened->get();
  all_.push_back(std::move(*opened));
  return Lease(this, conn);
}

void ConnectionPool::GiveBack(Connection* conn) const {
  {
    std::lock_guard lock(mu_);
    free_.push_back(conn);
  }
  freed_.notify_one();
}

Connection* ConnectionPool::Current() const {
  for (auto it = t_leases.rbegin(); it != t_leases.rend(); ++it) {
    if (it->first == this) return it->second;
  }
  std::abort();  // a statement outside Read or Write: a programming error
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& location,
                                                 const OpenOptions& options) {
  auto conn = NGO_TRY(OpenSession(location, options));
  Inspection found = NGO_TRY(Inspect(*conn));
  if (found.empty) {
    if (options.read_only) {
      return MakeError("IO102", "not an ngosurvey store: the database is empty",
                       DbLocation(conn->location()));
    }
    if (!options.create_if_missing) {
      return MakeError("IO101", "cannot open the store: the database holds no store",
                       DbLocation(conn->location()));
    }
  } else if (found.schema_version < kSchemaVersion && options.read_only) {
    return MakeError("IO108",
                     "the store has schema version " + std::to_string(found.schema_version) +
                         " and needs an upgrade; open it once read-write",
                     DbLocation(conn->location()));
  }
  auto store = std::make_unique<PostgresStore>(
      std::move(conn), options, [location, options] { return OpenSession(location, options); });
  if (!options.read_only && (found.empty || found.schema_version < kSchemaVersion)) {
    NGO_TRY(store->Migrate());
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ngosurvey::store::postgres
