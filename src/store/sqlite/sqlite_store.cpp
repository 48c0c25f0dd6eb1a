// The SQLite store's forms, submissions, answers and audit trail, BeginImport's
// writer, and OpenSqliteStore. The class is declared in sqlite_store_impl_internal.h;
// its schema and migrations are in schema.cpp, its fieldwork log in sqlite_fieldwork_log.cpp,
// the connection wrappers in connection.cpp.
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "store/packed_answers.h"
#include "store/review_internal.h"
#include "store/sqlite/schema_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {
namespace {

// Unset filters bind NULL, which the "?n IS NULL OR" arms turn into "match all".
constexpr const char* kSubmissionFilterSql =
    "WHERE (?1 IS NULL OR form_id = ?1) AND (?2 IS NULL OR form_version = ?2) "
    "AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR org_id = ?4) "
    "AND (CASE WHEN ?5 IS NOT NULL THEN wave = ?5 ELSE (?6 OR wave <> 'pretest') END) "
    "AND (?7 IS NULL OR submitted_by = ?7) "
    "AND (?8 IS NULL OR (started_at_ms, instance_id) > (?8, ?9)) ";
const std::string& ListSubmissionsSql() {
  static const std::string sql =
      std::string(
          "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
          "started_at_ms, ended_at_ms, updated_at_ms, language, packed_answers.data, submitted_by, "
          "started_offset_min, ended_offset_min "
          "FROM submissions "
          "LEFT JOIN packed_answers ON packed_answers.submission_id = submissions.id ") +
      kSubmissionFilterSql + "ORDER BY started_at_ms, instance_id LIMIT ?10";
  return sql;
}
// The metadata columns of the same submissions: each pair of packed_metadata's array is a
// column, its index the column's position.
const std::string& MetadataColumnsSql() {
  static const std::string sql =
      std::string(
          "SELECT json_extract(m.value, '$[0]') AS name FROM submissions "
          "JOIN packed_metadata p ON p.submission_id = submissions.id, json_each(p.data) m ") +
      kSubmissionFilterSql + "GROUP BY name ORDER BY min(m.key), name LIMIT ?10";
  return sql;
}

std::optional<form::AnswerState> StateFromText(std::string_view text) {
  using form::AnswerState;
  if (text == "answered") return AnswerState::kAnswered;
  if (text == "not_asked") return AnswerState::kNotAsked;
  if (text == "missing") return AnswerState::kMissing;
  if (text == "refused") return AnswerState::kRefused;
  if (text == "dont_know") return AnswerState::kDontKnow;
  return std::nullopt;
}

std::optional<form::Answer> AnswerFromColumns(const Statement& row, int state_column,
                                              int value_column, Status* bad) {
  if (row.IsNull(state_column)) return std::nullopt;
  auto state = form::ParseAnswerState(row.Text(state_column));
  if (!state) {
    *bad = MakeError("IO105", "the store is damaged: " + state.error().message);
    return std::nullopt;
  }
  return form::Answer{row.Text(value_column), *state};
}
}  // namespace

// BeginImport's writer: holds the store's lock and its open write transaction.
class SqliteStore::SqliteImportWriter final : public ImportWriter {
 public:
  SqliteImportWriter(SqliteStore* store, std::unique_lock<std::mutex> lock)
      : store_(store), lock_(std::move(lock)) {}
  ~SqliteImportWriter() override {
    if (store_->conn_->InTransaction()) (void)store_->conn_->Exec("ROLLBACK", "rollback");
    (void)store_->conn_->Exec("PRAGMA ignore_check_constraints = OFF", "restore checks");
    // Statements prepared during the import were compiled without CHECKs.
    store_->conn_->ClearCache();
  }

  Result<std::optional<Submission>> Find(const std::string& instance_id) override {
    NGO_TRY(Usable());
    return store_->LookUpSubmission(instance_id, "cannot look up the submission");
  }

  Status Add(const Submission& s) override {
    NGO_TRY(Usable());
    Status added = Insert(s);
    if (!added) failed_ = true;
    return added;
  }

  Status AddAttachment(const Attachment& attachment) override {
    NGO_TRY(Usable());
    Status added = [&]() -> Status {
      std::vector<Attachment> prepared =
          NGO_TRY(internal::PrepareAttachments({attachment}, store_->options_.clock->NowMillis()));
      return store_->InsertAttachments(prepared);
    }();
    if (!added) failed_ = true;
    return added;
  }

  Status Amend(const Amendment& amendment) override {
    NGO_TRY(Usable());
    Status amended = [&]() -> Status {
      NGO_TRY(internal::CheckAmendment(amendment));
      return store_->AmendInTransaction(amendment);
    }();
    if (!amended) failed_ = true;
    return amended;
  }

  Status SetReview(const Review& review) override {
    NGO_TRY(Usable());
    Status set = [&]() -> Status {
      NGO_TRY(internal::CheckReview(review));
      NGO_TRY(store_->ReviewInTransaction(review));
      return Ok();
    }();
    if (!set) failed_ = true;
    return set;
  }

  Status Commit() override {
    NGO_TRY(Usable());
    Status done = store_->conn_->Exec("COMMIT", "cannot import submissions");
    if (!done) failed_ = true;
    return done;
  }

 private:
  Status Usable() const {
    if (failed_ || !store_->conn_->InTransaction()) {
      return MakeError("ST001", "the import failed or was committed; start another");
    }
    return Ok();
  }

  // CreateSubmission's body with prepared statements and no per-answer upsert:
  // the submission is new (the instance id's UNIQUE constraint says ST003).
  Status Insert(const Submission& s) {
    NGO_TRY(internal::CheckNewSubmission(s));
    Connection& conn = *store_->conn_;
    if (s.form_id != known_form_id_ || s.form_version != known_version_) {
      NGO_TRY(store_->CheckFormStored(s.form_id, s.form_version));
      known_form_id_ = s.form_id, known_version_ = s.form_version;
    }
    int64_t now = store_->options_.clock->NowMillis();
    auto insert = NGO_TRY(conn.Prepare(
        "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
        "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, "
        "started_offset_min, ended_offset_min) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.BindStatic(1, s.instance_id).BindStatic(2, s.form_id).BindStatic(3, s.form_version);
    insert.BindStatic(4, StatusName(s.status)).BindStatic(5, WaveName(s.wave));
    insert.BindStatic(6, s.org_id).BindStatic(7, s.interviewer).Bind(8, s.started_at_ms);
    if (s.ended_at_ms) {
      insert.Bind(9, *s.ended_at_ms);
    } else {
      insert.BindNull(9);
    }
    insert.Bind(10, now).BindStatic(11, s.language).BindStatic(12, s.submitted_by);
    insert.BindOptional(13, s.started_offset_minutes).BindOptional(14, s.ended_offset_minutes);
    int rc = insert.Step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      return MakeError("ST003", "submission " + s.instance_id + " already exists");
    }
    NGO_TRY(conn.Done(rc, "cannot store the submission"));
    int64_t id = conn.LastInsertRowid();
    NGO_TRY(store_->WriteMetadata(id, s.metadata));
    if (s.status == SubmissionStatus::kComplete) {
      packed_.clear();
      packed::Encode(s.answers, &packed_);
      auto pack =
          NGO_TRY(conn.Prepare("INSERT INTO packed_answers(submission_id, data) VALUES(?, ?)"));
      pack.Bind(1, id).BindStaticBlob(2, packed_);
      NGO_TRY(conn.Done(pack.Step(), "cannot store the answers"));
      NGO_TRY(store_->AppendAudit(
          {internal::CompletionEntry(s.instance_id, s.interviewer, false, now)}));
      return Ok();
    }
    auto put = NGO_TRY(
        conn.Prepare("INSERT INTO answers(submission_id, path, state, value) VALUES(?, ?, ?, ?)"));
    for (const auto& [path, answer] : s.answers) {
      put.Bind(1, id).BindStatic(2, path).BindStatic(3, form::AnswerStateName(answer.state));
      put.BindStatic(4, answer.value);
      rc = put.Step();
      put.Reset();
      NGO_TRY(conn.Done(rc, "cannot save answer \"" + path + "\""));
    }
    if (s.status == SubmissionStatus::kComplete) {
      NGO_TRY(store_->AppendAudit(
          {internal::CompletionEntry(s.instance_id, s.interviewer, false, now)}));
    }
    return Ok();
  }

  SqliteStore* store_;
  std::unique_lock<std::mutex> lock_;
  bool failed_ = false;
  std::string known_form_id_, known_version_;
  std::string packed_;  // the current submission's packed answers
};

Status SqliteStore::PutForm(const FormVersion& form) {
  NGO_TRY(internal::CheckFormForPut(form));
  return Write("cannot store form \"" + form.form_id + "\"",
               [&]() -> Status { return InsertForm(form); });
}

Result<FormVersion> SqliteStore::GetForm(const std::string& form_id,
                                         const std::string& version) const {
  return Read("cannot read form \"" + form_id + "\"", [&]() -> Result<FormVersion> {
    auto find =
        NGO_TRY(conn_->Prepare("SELECT title, xlsx, xlsx_sha256, uploaded_at_ms FROM forms "
                               "WHERE form_id = ? AND version = ?"));
    find.Bind(1, form_id).Bind(2, version);
    if (!NGO_TRY(conn_->StepRow(find, "cannot read the form"))) {
      return internal::NotFound("form \"" + form_id + "\" version " + version);
    }
    return FormVersion{form_id, version, find.Text(0), find.Blob(1), find.Text(2), find.Int(3)};
  });
}

Result<std::vector<FormVersion>> SqliteStore::ListForms(const std::string& form_id) const {
  return Read("cannot list forms", [&]() -> Result<std::vector<FormVersion>> {
    auto list = NGO_TRY(
        conn_->Prepare("SELECT form_id, version, title, xlsx_sha256, uploaded_at_ms FROM forms "
                       "WHERE ?1 = '' OR form_id = ?1 ORDER BY id"));
    list.Bind(1, form_id);
    std::vector<FormVersion> out;
    NGO_TRY(conn_->EachRow(list, "cannot list forms", [&] {
      out.push_back({list.Text(0), list.Text(1), list.Text(2), "", list.Text(3), list.Int(4)});
    }));
    return out;
  });
}

Status SqliteStore::CreateSubmission(const Submission& s) {
  NGO_TRY(internal::CheckNewSubmission(s));
  return Write("cannot create submission " + s.instance_id,
               [&]() -> Status { return InsertSubmission(s); });
}

Status SqliteStore::CreateSubmissions(const SubmissionBatch& batch) {
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

Status SqliteStore::SaveDraft(const std::string& instance_id,
                              const std::vector<AnswerChange>& changes,
                              const std::optional<std::string>& language) {
  NGO_TRY(internal::CheckChanges(changes));
  return Write("cannot save draft " + instance_id, [&]() -> Status {
    Row row = NGO_TRY(FindSubmission(instance_id));
    if (row.complete) {
      return MakeError("ST004", "submission " + instance_id +
                                    " is complete; its answers change only through an amendment");
    }
    for (const AnswerChange& change : changes) {
      if (change.answer) {
        NGO_TRY(PutAnswer(row.id, change.path, *change.answer));
      } else {
        NGO_TRY(DeleteAnswer(row.id, change.path));
      }
    }
    // The language rides on the row update every save makes anyway (NULL keeps it).
    auto touch = NGO_TRY(conn_->Prepare(
        "UPDATE submissions SET updated_at_ms = ?1, language = coalesce(?3, language) "
        "WHERE id = ?2"));
    touch.Bind(1, options_.clock->NowMillis()).Bind(2, row.id);
    if (language) touch.Bind(3, *language);
    return conn_->Done(touch.Step(), "cannot update the submission");
  });
}

Status SqliteStore::CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms,
                                       std::optional<int> ended_offset_minutes) {
  NGO_TRY(internal::CheckUtcOffset(instance_id, ended_offset_minutes));
  return Write("cannot complete submission " + instance_id, [&]() -> Status {
    Row row = NGO_TRY(FindSubmission(instance_id));
    if (row.complete) {
      return MakeError("ST004", "submission " + instance_id + " is already complete");
    }
    int64_t now = options_.clock->NowMillis();
    auto update = NGO_TRY(conn_->Prepare(
        "UPDATE submissions SET status = 'complete', ended_at_ms = ?, updated_at_ms = ?, "
        "ended_offset_min = ? WHERE id = ?"));
    update.Bind(1, ended_at_ms).Bind(2, now).BindOptional(3, ended_offset_minutes);
    update.Bind(4, row.id);
    NGO_TRY(conn_->Done(update.Step(), "cannot complete the submission"));
    NGO_TRY(PackDraftAnswers(row.id));
    return AppendAudit({internal::CompletionEntry(instance_id, row.interviewer, true, now)});
  });
}

Status SqliteStore::Amend(const Amendment& amendment) {
  NGO_TRY(internal::CheckAmendment(amendment));
  return Write("cannot change submission " + amendment.instance_id,
               [&]() -> Status { return AmendInTransaction(amendment); });
}

// The body of Amend, inside the caller's transaction (the amendment is checked).
Status SqliteStore::AmendInTransaction(const Amendment& amendment) {
  {
    Row row = NGO_TRY(FindSubmission(amendment.instance_id));
    if (!row.complete) {
      return MakeError("ST006", "submission " + amendment.instance_id +
                                    " is a draft; save drafts with SaveDraft");
    }
    Answers answers = NGO_TRY(ReadPackedAnswers(row.id, amendment.instance_id));
    int64_t now = options_.clock->NowMillis();
    auto entries = NGO_TRY(internal::AmendmentEntries(answers, amendment, now));
    for (const AnswerChange& change : amendment.changes) {
      if (change.answer) {
        answers.insert_or_assign(change.path, *change.answer);
      } else {
        answers.erase(change.path);
      }
    }
    NGO_TRY(WritePackedAnswers(row.id, answers, /*replace=*/true));
    NGO_TRY(Touch(row.id, now));
    NGO_TRY(KeepAlias(row.id, amendment));
    return AppendAudit(std::move(entries));
  }
}

// The amendment's alias (an earlier instanceID of the submission, ODK's edit) kept:
// nothing when the submission already has it, ST003 when it names another submission.
Status SqliteStore::KeepAlias(int64_t id, const Amendment& amendment) {
  if (amendment.alias.empty()) return Ok();
  auto owner =
      NGO_TRY(conn_->Prepare("SELECT submission_id FROM instance_aliases WHERE alias = ? UNION ALL "
                             "SELECT id FROM submissions WHERE instance_id = ?"));
  owner.Bind(1, amendment.alias).Bind(2, amendment.alias);
  if (NGO_TRY(conn_->StepRow(owner, "cannot look up the instance id"))) {
    if (owner.Int(0) == id) return Ok();
    return MakeError("ST003", "instance id " + amendment.alias +
                                  " is already another submission's: it cannot also name " +
                                  amendment.instance_id);
  }
  owner.Reset();
  auto put =
      NGO_TRY(conn_->Prepare("INSERT INTO instance_aliases(alias, submission_id) VALUES(?, ?)"));
  put.Bind(1, amendment.alias).Bind(2, id);
  return conn_->Done(put.Step(), "cannot keep instance id " + amendment.alias);
}

// The instanceID of the submission that once had `alias` (InstanceAlias), or nullopt.
Result<std::optional<std::string>> SqliteStore::ResolveAlias(const std::string& alias) const {
  auto find = NGO_TRY(
      conn_->Prepare("SELECT submissions.instance_id FROM instance_aliases JOIN submissions "
                     "ON submissions.id = instance_aliases.submission_id WHERE alias = ?"));
  find.Bind(1, alias);
  if (!NGO_TRY(conn_->StepRow(find, "cannot look up the instance id"))) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(find.Text(0));
}

Result<Submission> SqliteStore::GetSubmission(const std::string& instance_id) const {
  return Read("cannot read submission " + instance_id, [&]() -> Result<Submission> {
    auto found = NGO_TRY(LookUpSubmission(instance_id, "cannot read the submission"));
    if (!found) return internal::NotFound("submission " + instance_id);
    return std::move(*found);
  });
}

Result<std::optional<Submission>> SqliteStore::LookUpSubmission(const std::string& instance_id,
                                                                std::string_view doing) const {
  auto find = NGO_TRY(conn_->Prepare(
      "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
      "started_at_ms, ended_at_ms, updated_at_ms, language, NULL, submitted_by, "
      "started_offset_min, ended_offset_min "
      "FROM submissions WHERE instance_id = ?"));
  find.Bind(1, instance_id);
  if (!NGO_TRY(conn_->StepRow(find, doing))) {
    // An earlier instanceID of a submission finds it, under its own.
    find.Reset();
    auto own = NGO_TRY(ResolveAlias(instance_id));
    if (!own) return std::optional<Submission>();
    find.Bind(1, *own);
    if (!NGO_TRY(conn_->StepRow(find, doing))) return std::optional<Submission>();
  }
  int64_t id = 0;
  Submission s = NGO_TRY(SubmissionFromRow(find, &id));
  s.answers = NGO_TRY(ReadAnswersOf(id, s));
  s.metadata = NGO_TRY(ReadMetadata(id));
  return std::optional<Submission>(std::move(s));
}

// The submissions query with `filter` bound (unset filters bind NULL, which the
// "?n IS NULL OR" arms turn into "match all").
Result<Statement> SqliteStore::PrepareListSubmissions(const SubmissionFilter& filter,
                                                      const std::string& sql) const {
  auto list = NGO_TRY(conn_->Prepare((sql.empty() ? ListSubmissionsSql() : sql).c_str()));
  if (filter.form_id) list.Bind(1, *filter.form_id);
  if (filter.form_version) list.Bind(2, *filter.form_version);
  if (filter.status) list.Bind(3, StatusName(*filter.status));
  if (filter.org_id) list.Bind(4, *filter.org_id);
  if (filter.wave) list.Bind(5, WaveName(*filter.wave));
  list.Bind(6, int64_t{filter.include_pretest ? 1 : 0});
  if (filter.submitted_by) list.Bind(7, *filter.submitted_by);
  if (filter.after) list.Bind(8, filter.after->started_at_ms).Bind(9, filter.after->instance_id);
  list.Bind(10, filter.limit > 0 ? filter.limit : int64_t{-1});  // -1: no limit
  return list;
}

Result<std::vector<Submission>> SqliteStore::ListSubmissions(const SubmissionFilter& filter) const {
  // The same cursor as ForEachSubmission, each submission copied out with its answers.
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

Status SqliteStore::ForEachSubmission(const SubmissionFilter& filter,
                                      const SubmissionVisitor& visit) const {
  return Read("cannot list submissions", [&]() -> Status {
    auto list = NGO_TRY(PrepareListSubmissions(filter));
    auto answers =
        NGO_TRY(conn_->Prepare("SELECT path, state, value FROM answers WHERE submission_id = ?"));
    // The answers' bytes, copied out of SQLite's row buffers, and their views.
    std::string arena;
    std::vector<std::pair<size_t, size_t>> spans;  // path end, value end in arena
    std::vector<form::AnswerState> states;
    std::vector<AnswerView> views;
    return conn_->EachRow(list, "cannot list submissions", [&]() -> Status {
      int64_t id = 0;
      Submission s = NGO_TRY(SubmissionFromRow(list, &id));
      s.metadata = NGO_TRY(ReadMetadata(id));
      if (s.status == SubmissionStatus::kComplete) {
        // Values point into SQLite's copy of the blob, valid until the next Step().
        NGO_TRY(CheckPacked(list, s.instance_id));
        Status decoded = packed::Decode(list.BlobView(12), &arena, &views);
        if (!decoded) return DamagedAnswers(s.instance_id, decoded.error());
        return visit(s, views);
      }
      arena.clear(), spans.clear(), states.clear(), views.clear();
      answers.Bind(1, id);
      Status read = conn_->EachRow(answers, "cannot read answers", [&]() -> Status {
        arena += answers.View(0);
        size_t path_end = arena.size();
        arena += answers.View(2);
        spans.emplace_back(path_end, arena.size());
        auto state = StateFromText(answers.View(1));
        if (!state) {
          return MakeError(
              "IO105", "the store is damaged: answer state '" + std::string(answers.View(1)) + "'",
              FileLocation(conn_->path()));
        }
        states.push_back(*state);
        return Ok();
      });
      answers.Reset();
      NGO_TRY(read);
      size_t start = 0;
      for (size_t i = 0; i < spans.size(); ++i) {
        auto [path_end, value_end] = spans[i];
        std::string_view all(arena);
        views.push_back({all.substr(start, path_end - start), states[i],
                         all.substr(path_end, value_end - path_end)});
        start = value_end;
      }
      return visit(s, views);
    });
  });
}

Result<std::vector<std::string>> SqliteStore::MetadataColumns(
    const SubmissionFilter& filter) const {
  return Read("cannot list the metadata columns", [&]() -> Result<std::vector<std::string>> {
    SubmissionFilter all = filter;
    all.after.reset();
    all.limit = 0;
    auto list = NGO_TRY(PrepareListSubmissions(all, MetadataColumnsSql()));
    std::vector<std::string> out;
    NGO_TRY(conn_->EachRow(list, "cannot list the metadata columns", [&]() -> Status {
      out.push_back(list.Text(0));
      return Ok();
    }));
    return out;
  });
}

Result<std::unique_ptr<ImportWriter>> SqliteStore::BeginImport(
    const std::optional<FormVersion>& form) {
  if (form) NGO_TRY(internal::CheckFormForPut(*form));
  std::unique_lock lock(mu_);
  const std::string doing = "cannot import submissions";
  if (options_.read_only) {
    return MakeError("IO104", doing + ": the store was opened read-only",
                     FileLocation(conn_->path()));
  }
  // A large import touches many pages: a bigger page cache for this connection.
  NGO_TRY(conn_->Exec("PRAGMA cache_size = -65536", doing));
  // The writer's answer states come from form::AnswerStateName and statuses and
  // waves from their enums, so the schema's CHECK(... IN (...)) lists hold by
  // construction; SQLite evaluates each IN list by building a temporary b-tree per
  // inserted row, which dominated the import's time (261 answers per row). The
  // checks stay on for every other write (the writer turns them back on).
  NGO_TRY(conn_->Exec("PRAGMA ignore_check_constraints = ON", doing));
  auto writer = std::make_unique<SqliteImportWriter>(this, std::move(lock));
  NGO_TRY(conn_->Exec("BEGIN IMMEDIATE", doing));
  if (form) NGO_TRY(InsertForm(*form));
  return std::unique_ptr<ImportWriter>(std::move(writer));
}

Result<std::vector<AuditEntry>> SqliteStore::ReadAudit(const std::string& instance_id) const {
  return Read("cannot read the audit trail",
              [&]() -> Result<std::vector<AuditEntry>> { return ReadEntries(instance_id); });
}

Result<AuditVerification> SqliteStore::VerifyAudit() const {
  return Read("cannot verify the audit trail", [&]() -> Result<AuditVerification> {
    std::vector<AuditEntry> entries = NGO_TRY(ReadEntries(""));
    internal::ChainHead head = NGO_TRY(ReadHead());
    return internal::VerifyChain(entries, head);
  });
}

// The body of PutForm, inside the caller's transaction.
Status SqliteStore::InsertForm(const FormVersion& form) {
  std::string sha = internal::Sha256Hex(form.xlsx);
  auto find =
      NGO_TRY(conn_->Prepare("SELECT xlsx_sha256 FROM forms WHERE form_id = ? AND version = ?"));
  find.Bind(1, form.form_id).Bind(2, form.version);
  if (NGO_TRY(conn_->StepRow(find, "cannot look up the form"))) {
    if (find.Text(0) == sha) return Ok();
    return MakeError("ST003", "form \"" + form.form_id + "\" version " + form.version +
                                  " is already stored with different contents");
  }
  auto insert = NGO_TRY(conn_->Prepare(
      "INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
      "VALUES(?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, form.form_id).Bind(2, form.version).Bind(3, form.title);
  insert.BindBlob(4, form.xlsx).Bind(5, sha).Bind(6, options_.clock->NowMillis());
  return conn_->Done(insert.Step(), "cannot store the form");
}

Status SqliteStore::CheckFormStored(const std::string& form_id, const std::string& version) {
  auto form = NGO_TRY(conn_->Prepare("SELECT 1 FROM forms WHERE form_id = ? AND version = ?"));
  form.Bind(1, form_id).Bind(2, version);
  if (!NGO_TRY(conn_->StepRow(form, "cannot look up the form"))) {
    return internal::NotFound("form \"" + form_id + "\" version " + version);
  }
  return Ok();
}

// The body of CreateSubmission, inside the caller's transaction.
Status SqliteStore::InsertSubmission(const Submission& s) {
  NGO_TRY(CheckFormStored(s.form_id, s.form_version));
  auto existing = NGO_TRY(conn_->Prepare("SELECT 1 FROM submissions WHERE instance_id = ?"));
  existing.Bind(1, s.instance_id);
  if (NGO_TRY(conn_->StepRow(existing, "cannot look up the submission"))) {
    return MakeError("ST003", "submission " + s.instance_id + " already exists");
  }
  int64_t now = options_.clock->NowMillis();
  auto insert = NGO_TRY(conn_->Prepare(
      "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
      "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, "
      "started_offset_min, ended_offset_min) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, s.instance_id).Bind(2, s.form_id).Bind(3, s.form_version);
  insert.Bind(4, StatusName(s.status)).Bind(5, WaveName(s.wave)).Bind(6, s.org_id);
  insert.Bind(7, s.interviewer).Bind(8, s.started_at_ms);
  if (s.ended_at_ms) {
    insert.Bind(9, *s.ended_at_ms);
  } else {
    insert.BindNull(9);
  }
  insert.Bind(10, now).Bind(11, s.language).Bind(12, s.submitted_by);
  insert.BindOptional(13, s.started_offset_minutes).BindOptional(14, s.ended_offset_minutes);
  NGO_TRY(conn_->Done(insert.Step(), "cannot store the submission"));
  int64_t id = conn_->LastInsertRowid();
  NGO_TRY(WriteMetadata(id, s.metadata));
  if (s.status == SubmissionStatus::kComplete) {
    NGO_TRY(WritePackedAnswers(id, s.answers, /*replace=*/false));
  } else {
    for (const auto& [path, answer] : s.answers) NGO_TRY(PutAnswer(id, path, answer));
  }
  if (s.status == SubmissionStatus::kComplete) {
    NGO_TRY(AppendAudit({internal::CompletionEntry(s.instance_id, s.interviewer, false, now)}));
  }
  return Ok();
}

Status SqliteStore::WriteMetadata(int64_t id, const std::vector<MetadataField>& metadata) {
  if (metadata.empty()) return Ok();
  std::string packed = internal::PackMetadata(metadata);
  auto put =
      NGO_TRY(conn_->Prepare("INSERT INTO packed_metadata(submission_id, data) VALUES(?, ?)"));
  put.Bind(1, id).BindStatic(2, packed);
  return conn_->Done(put.Step(), "cannot store the metadata columns");
}

Result<std::vector<MetadataField>> SqliteStore::ReadMetadata(int64_t id) const {
  auto list = NGO_TRY(conn_->Prepare(
      "SELECT json_extract(m.value, '$[0]'), json_extract(m.value, '$[1]') "
      "FROM packed_metadata p, json_each(p.data) m WHERE p.submission_id = ? ORDER BY m.key"));
  list.Bind(1, id);
  std::vector<MetadataField> out;
  NGO_TRY(conn_->EachRow(list, "cannot read the metadata", [&]() -> Status {
    out.push_back({list.Text(0), list.Text(1)});
    return Ok();
  }));
  return out;
}

Result<SqliteStore::Row> SqliteStore::FindSubmission(const std::string& instance_id) {
  auto find = NGO_TRY(
      conn_->Prepare("SELECT id, status, interviewer FROM submissions WHERE instance_id = ?"));
  find.Bind(1, instance_id);
  if (!NGO_TRY(conn_->StepRow(find, "cannot look up the submission"))) {
    return internal::NotFound("submission " + instance_id);
  }
  return Row{find.Int(0), find.Text(1) == "complete", find.Text(2)};
}

Status SqliteStore::PutAnswer(int64_t id, const std::string& path, const form::Answer& answer) {
  auto put = NGO_TRY(
      conn_->Prepare("INSERT INTO answers(submission_id, path, state, value) VALUES(?, ?, ?, ?) "
                     "ON CONFLICT(submission_id, path) DO UPDATE SET state = excluded.state, "
                     "value = excluded.value"));
  put.Bind(1, id).Bind(2, path).Bind(3, form::AnswerStateName(answer.state)).Bind(4, answer.value);
  return conn_->Done(put.Step(), "cannot save answer \"" + path + "\"");
}

Status SqliteStore::DeleteAnswer(int64_t id, const std::string& path) {
  auto del = NGO_TRY(conn_->Prepare("DELETE FROM answers WHERE submission_id = ? AND path = ?"));
  del.Bind(1, id).Bind(2, path);
  return conn_->Done(del.Step(), "cannot remove answer \"" + path + "\"");
}

Status SqliteStore::Touch(int64_t id, int64_t now) {
  auto touch = NGO_TRY(conn_->Prepare("UPDATE submissions SET updated_at_ms = ? WHERE id = ?"));
  touch.Bind(1, now).Bind(2, id);
  return conn_->Done(touch.Step(), "cannot update the submission");
}

// The error for a packed blob that does not decode: IO105 naming the submission.
tl::unexpected<Error> SqliteStore::DamagedAnswers(const std::string& instance_id,
                                                  const Error& cause) const {
  return MakeError(
      "IO105",
      "the store is damaged: the answers of submission " + instance_id + " (" + cause.message + ")",
      FileLocation(conn_->path()));
}

// A complete submission must have its packed answers (column 12 of the list query).
Status SqliteStore::CheckPacked(const Statement& row, const std::string& instance_id) const {
  if (!row.IsNull(12)) return Ok();
  return DamagedAnswers(instance_id, Error{"IO105", "they are missing", {}});
}

Result<Answers> SqliteStore::DecodePacked(std::string_view blob,
                                          const std::string& instance_id) const {
  auto answers = packed::DecodeToMap(blob);
  if (!answers) return DamagedAnswers(instance_id, answers.error());
  return answers;
}

// The packed answers of complete submission `id`, decoded.
Result<Answers> SqliteStore::ReadPackedAnswers(int64_t id, const std::string& instance_id) const {
  auto find = NGO_TRY(conn_->Prepare("SELECT data FROM packed_answers WHERE submission_id = ?"));
  find.Bind(1, id);
  if (!NGO_TRY(conn_->StepRow(find, "cannot read the answers of submission " + instance_id))) {
    return DamagedAnswers(instance_id, Error{"IO105", "they are missing", {}});
  }
  return DecodePacked(find.BlobView(0), instance_id);
}

// The answers of `s` (row `id`): packed when complete, rows when a draft.
Result<Answers> SqliteStore::ReadAnswersOf(int64_t id, const Submission& s) const {
  if (s.status == SubmissionStatus::kComplete) return ReadPackedAnswers(id, s.instance_id);
  return ReadAnswers(id);
}

// Stores `answers` as the packed answers of submission `id` (replacing the
// stored ones when `replace`), inside the caller's transaction.
Status SqliteStore::WritePackedAnswers(int64_t id, const Answers& answers, bool replace) {
  std::string blob;
  packed::Encode(answers, &blob);
  auto put = NGO_TRY(
      conn_->Prepare(replace ? "UPDATE packed_answers SET data = ?2 WHERE submission_id = ?1"
                             : "INSERT INTO packed_answers(submission_id, data) VALUES(?1, ?2)"));
  put.Bind(1, id).BindBlob(2, blob);
  return conn_->Done(put.Step(), "cannot store the answers");
}

// Moves the answer rows of draft `id` into its packed answers (completion).
Status SqliteStore::PackDraftAnswers(int64_t id) {
  Answers answers = NGO_TRY(ReadAnswers(id));
  NGO_TRY(WritePackedAnswers(id, answers, /*replace=*/false));
  auto del = NGO_TRY(conn_->Prepare("DELETE FROM answers WHERE submission_id = ?"));
  del.Bind(1, id);
  return conn_->Done(del.Step(), "cannot pack the answers");
}

// Migration 13: the rows of submission_metadata (schemas 10 to 12) packed into
// packed_metadata, one row per submission; the old table dropped.
Status SqliteStore::PackStoredMetadata() {
  auto rows =
      NGO_TRY(conn_->Prepare("SELECT submission_id, name, value FROM submission_metadata "
                             "ORDER BY submission_id, position"));
  auto put =
      NGO_TRY(conn_->Prepare("INSERT INTO packed_metadata(submission_id, data) VALUES(?, ?)"));
  int64_t current = -1;
  std::vector<MetadataField> fields;
  auto flush = [&]() -> Status {
    if (fields.empty()) return Ok();
    std::string packed = internal::PackMetadata(fields);
    put.Bind(1, current).BindStatic(2, packed);
    int rc = put.Step();
    put.Reset();
    fields.clear();
    return conn_->Done(rc, "cannot pack the metadata columns");
  };
  NGO_TRY(conn_->EachRow(rows, "cannot read the metadata columns", [&]() -> Status {
    if (rows.Int(0) != current) {
      NGO_TRY(flush());
      current = rows.Int(0);
    }
    fields.push_back({rows.Text(1), rows.Text(2)});
    return Ok();
  }));
  NGO_TRY(flush());
  return conn_->Exec("DROP TABLE submission_metadata", "cannot drop the unpacked metadata");
}

// Migration 3: packs every complete submission stored by schema 2.
Status SqliteStore::PackCompletedSubmissions() {
  std::vector<int64_t> ids;
  auto list = NGO_TRY(conn_->Prepare("SELECT id FROM submissions WHERE status = 'complete'"));
  NGO_TRY(conn_->EachRow(list, "cannot list the complete submissions",
                         [&] { ids.push_back(list.Int(0)); }));
  list.Reset();
  for (int64_t id : ids) NGO_TRY(PackDraftAnswers(id));
  return Ok();
}

Result<Answers> SqliteStore::ReadAnswers(int64_t id) const {
  auto list =
      NGO_TRY(conn_->Prepare("SELECT path, state, value FROM answers WHERE submission_id = ?"));
  list.Bind(1, id);
  Answers answers;
  NGO_TRY(conn_->EachRow(list, "cannot read answers", [&]() -> Status {
    Status bad = Ok();
    auto answer = AnswerFromColumns(list, 1, 2, &bad);
    NGO_TRY(WithPath(bad));
    answers.emplace(list.Text(0), *answer);
    return Ok();
  }));
  return answers;
}

Result<Submission> SqliteStore::SubmissionFromRow(const Statement& row, int64_t* id) const {
  *id = row.Int(0);
  Submission s;
  s.instance_id = row.Text(1);
  s.form_id = row.Text(2);
  s.form_version = row.Text(3);
  s.status = NGO_TRY(WithPath(ParseStatus(row.Text(4))));
  s.wave = NGO_TRY(WithPath(ParseWave(row.Text(5))));
  s.org_id = row.Text(6);
  s.interviewer = row.Text(7);
  s.started_at_ms = row.Int(8);
  if (!row.IsNull(9)) s.ended_at_ms = row.Int(9);
  s.updated_at_ms = row.Int(10);
  s.language = row.Text(11);
  s.submitted_by = row.Text(13);  // column 12 is the list query's packed answers
  if (!row.IsNull(14)) s.started_offset_minutes = static_cast<int>(row.Int(14));
  if (!row.IsNull(15)) s.ended_offset_minutes = static_cast<int>(row.Int(15));
  return s;
}

Result<std::vector<AuditEntry>> SqliteStore::ReadEntries(const std::string& instance_id) const {
  auto list = NGO_TRY(conn_->Prepare(
      "SELECT seq, instance_id, at_ms, who, field, old_state, old_value, new_state, new_value, "
      "reason, prev_hash, hash FROM audit WHERE ?1 = '' OR instance_id = ?1 ORDER BY seq"));
  list.Bind(1, instance_id);
  std::vector<AuditEntry> out;
  NGO_TRY(conn_->EachRow(list, "cannot read the audit trail", [&] {
    AuditEntry e;
    e.seq = list.Int(0);
    e.instance_id = list.Text(1);
    e.at_ms = list.Int(2);
    e.who = list.Text(3);
    e.field = list.Text(4);
    Status bad = Ok();
    e.old_answer = AnswerFromColumns(list, 5, 6, &bad);
    e.new_answer = AnswerFromColumns(list, 7, 8, &bad);
    if (!bad) {
      // A state that no ngosurvey writes: keep the entry (its hash will not match)
      // rather than hide it, so VerifyAudit names it.
      e.new_answer = form::Answer{list.Text(8), form::AnswerState::kAnswered};
      e.field += " (unreadable state)";
    }
    e.reason = list.Text(9);
    e.prev_hash = list.Text(10);
    e.hash = list.Text(11);
    out.push_back(std::move(e));
  }));
  return out;
}

Result<internal::ChainHead> SqliteStore::ReadHead() const {
  auto head = NGO_TRY(conn_->Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (!NGO_TRY(conn_->StepRow(head, "cannot read the audit head"))) {
    return MakeError("IO105", "the store is damaged: the audit head row is missing",
                     FileLocation(conn_->path()));
  }
  return internal::ChainHead{head.Int(0), head.Text(1)};
}

// Appends entries after the current head and moves the head; inside Write().
Status SqliteStore::AppendAudit(std::vector<AuditEntry> entries) {
  internal::ChainHead head = NGO_TRY(ReadHead());
  internal::ChainHead next = internal::LinkEntries(head, &entries);
  for (const AuditEntry& e : entries) {
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO audit(seq, instance_id, at_ms, who, field, old_state, old_value, "
        "new_state, new_value, reason, prev_hash, hash) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, e.seq).Bind(2, e.instance_id).Bind(3, e.at_ms).Bind(4, e.who);
    insert.Bind(5, e.field);
    if (e.old_answer) {
      insert.Bind(6, form::AnswerStateName(e.old_answer->state)).Bind(7, e.old_answer->value);
    }
    if (e.new_answer) {
      insert.Bind(8, form::AnswerStateName(e.new_answer->state)).Bind(9, e.new_answer->value);
    }
    insert.Bind(10, e.reason).Bind(11, e.prev_hash).Bind(12, e.hash);
    NGO_TRY(conn_->Done(insert.Step(), "cannot append to the audit trail"));
  }
  auto update = NGO_TRY(conn_->Prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"));
  update.Bind(1, next.seq).Bind(2, next.hash);
  return conn_->Done(update.Step(), "cannot move the audit head");
}
Result<Connection*> ReaderPool::Take() const {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!free_.empty()) {
      Connection* conn = free_.back();
      free_.pop_back();
      return conn;
    }
    if (static_cast<int>(all_.size()) + opening_ < size_) break;
    freed_.wait(lock);
  }
  ++opening_;
  lock.unlock();
  auto opened = [&]() -> Result<std::unique_ptr<Connection>> {
    auto conn = NGO_TRY(Connection::Open(path_, SQLITE_OPEN_READONLY, busy_timeout_ms_));
    NGO_TRY(conn->Exec("PRAGMA query_only = ON", "cannot open a reader of the store"));
    return conn;
  }();
  lock.lock();
  --opening_;
  if (!opened) {
    freed_.notify_one();  // another waiter may open one instead
    return tl::unexpected(opened.error());
  }
  all_.push_back(std::move(*opened));
  return all_.back().get();
}

void ReaderPool::GiveBack(Connection* conn) const {
  {
    std::lock_guard lock(mu_);
    free_.push_back(conn);
  }
  freed_.notify_one();
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const OpenOptions& options) {
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    return MakeError("IO101", "cannot open the store: not a regular file", FileLocation(path));
  }
  bool fresh = !exists || st.st_size == 0;
  if (!exists && (options.read_only || !options.create_if_missing)) {
    return MakeError("IO101", "cannot open the store: no such file", FileLocation(path));
  }
  if (exists && st.st_size == 0 && options.read_only) {
    return MakeError("IO102", "not an ngosurvey store: the file is empty", FileLocation(path));
  }
  if (!fresh) {
    Inspection found = NGO_TRY(Inspect(path, options));
    if (found.empty) {
      if (options.read_only) {
        return MakeError("IO102", "not an ngosurvey store: an empty SQLite database",
                         FileLocation(path));
      }
      fresh = true;
    } else if (found.user_version < kSchemaVersion && options.read_only) {
      return MakeError("IO108",
                       "the store has schema version " + std::to_string(found.user_version) +
                           " and needs an upgrade; open it once read-write",
                       FileLocation(path));
    }
  }
  if (exists && !options.read_only) {
    // The mode bits count even for root (for whom access(2) ignores them): a file
    // someone made read-only is not one we write to.
    bool writable =
        (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0 && ::access(path.c_str(), W_OK) == 0;
    if (!writable) {
      return MakeError("IO104",
                       "the store is read-only (file permissions); open it read-only to read it",
                       FileLocation(path));
    }
  }
  if (fresh && !options.create_if_missing) {
    return MakeError("IO101", "cannot open the store: the file is empty", FileLocation(path));
  }

  int flags = options.read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (fresh ? SQLITE_OPEN_CREATE : 0);
  auto conn = NGO_TRY(Connection::Open(path, flags, options.busy_timeout_ms));
  if (options.read_only) {
    NGO_TRY(conn->Exec("PRAGMA query_only = ON", "cannot open the store"));
  } else {
    std::string mode = NGO_TRY(SwitchToWal(*conn, options.busy_timeout_ms));
    if (mode != "wal") {
      return MakeError("IO107", "cannot switch the store to WAL (journal mode is " + mode + ")",
                       FileLocation(path));
    }
    NGO_TRY(conn->Exec("PRAGMA synchronous = FULL", "cannot configure the store"));
  }
  NGO_TRY(conn->Exec("PRAGMA foreign_keys = ON", "cannot configure the store"));
  auto store = std::make_unique<SqliteStore>(std::move(conn), options);
  if (!options.read_only) NGO_TRY(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace ngosurvey::store::sqlite
