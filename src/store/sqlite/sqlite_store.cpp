#include "store/sqlite/sqlite_store_internal.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "store/fieldwork_log_internal.h"
#include "store/packed_answers.h"
#include "store/store_internal.h"

namespace ngosurvey::store::sqlite {
namespace {

// Each migration takes the schema from version - 1 to version. Append only: a
// released migration never changes, since stores in the field already ran it.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE schema_migrations(
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at_ms INTEGER NOT NULL);
CREATE TABLE forms(
  id INTEGER PRIMARY KEY,
  form_id TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  xlsx BLOB NOT NULL,
  xlsx_sha256 TEXT NOT NULL,
  uploaded_at_ms INTEGER NOT NULL,
  UNIQUE(form_id, version));
CREATE TABLE submissions(
  id INTEGER PRIMARY KEY,
  instance_id TEXT NOT NULL UNIQUE,
  form_id TEXT NOT NULL,
  form_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('draft', 'complete')),
  wave TEXT NOT NULL CHECK(wave IN ('pretest', 'main')),
  org_id TEXT NOT NULL,
  interviewer TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  ended_at_ms INTEGER,
  updated_at_ms INTEGER NOT NULL,
  FOREIGN KEY(form_id, form_version) REFERENCES forms(form_id, version));
CREATE INDEX submissions_by_form ON submissions(form_id, form_version, status);
CREATE INDEX submissions_by_start ON submissions(started_at_ms, instance_id);
CREATE TABLE answers(
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  path TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK(state IN ('answered', 'refused', 'dont_know', 'not_asked', 'missing')),
  value TEXT NOT NULL,
  PRIMARY KEY(submission_id, path)) WITHOUT ROWID;
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY,
  instance_id TEXT NOT NULL REFERENCES submissions(instance_id),
  at_ms INTEGER NOT NULL,
  who TEXT NOT NULL CHECK(who <> ''),
  field TEXT NOT NULL,
  old_state TEXT,
  old_value TEXT,
  new_state TEXT,
  new_value TEXT,
  reason TEXT NOT NULL CHECK(trim(reason) <> ''),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX audit_by_instance ON audit(instance_id, seq);
CREATE TABLE audit_head(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head(id, seq, hash) VALUES(1, 0,
  '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

// The fieldwork log (store/fieldwork_log.h): the sample frame (one row per
// organisation, extra columns as key/value rows) and the contacts made with each.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE frame_settings(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  stratum_column TEXT NOT NULL CHECK(stratum_column IN ('country', 'stratum')),
  has_address INTEGER NOT NULL,
  has_contact_person INTEGER NOT NULL,
  has_disposition INTEGER NOT NULL);
CREATE TABLE frame_columns(
  position INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE);
CREATE TABLE frame_entries(
  position INTEGER PRIMARY KEY,
  org_id TEXT NOT NULL UNIQUE CHECK(org_id <> ''),
  name TEXT NOT NULL,
  stratum TEXT NOT NULL,
  address TEXT NOT NULL,
  contact_person TEXT NOT NULL,
  disposition TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL);
CREATE TABLE frame_values(
  org_id TEXT NOT NULL REFERENCES frame_entries(org_id),
  column_name TEXT NOT NULL REFERENCES frame_columns(name),
  value TEXT NOT NULL,
  PRIMARY KEY(org_id, column_name)) WITHOUT ROWID;
CREATE TABLE contacts(
  seq INTEGER PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES frame_entries(org_id),
  contact_date TEXT NOT NULL CHECK(length(contact_date) = 10),
  mode TEXT NOT NULL CHECK(mode IN ('visit', 'phone', 'email', 'letter')),
  outcome TEXT NOT NULL CHECK(outcome <> ''),
  disposition TEXT NOT NULL CHECK(disposition <> ''),
  appointment TEXT,
  note TEXT NOT NULL,
  made_by TEXT NOT NULL,
  recorded_at_ms INTEGER NOT NULL);
CREATE INDEX contacts_by_org ON contacts(org_id, contact_date);
)sql";

// Compact answers: a completed submission's answers are one packed BLOB
// (store/packed_answers.h) instead of one `answers` row each; drafts keep their
// rows. After this script, Migrate() packs the complete submissions already stored
// (kPackMigration), in the same transaction.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE packed_answers(
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
  data BLOB NOT NULL);
)sql";
constexpr int kPackMigration = 3;

// The language an interview was last shown in (Submission::language), so that a
// resumed interview continues in it. Stores written before have '' (unknown).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT '';
)sql";

constexpr Migration kMigrations[] = {
    {1, "forms, submissions, answers, audit trail", kSchemaV1},
    {2, "fieldwork log: sample frame and contacts", kSchemaV2},
    {3, "packed answers of completed submissions", kSchemaV3},
    {4, "the language of each submission's interview", kSchemaV4},
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion,
              "one migration per schema version");

Location FileLocation(const std::string& path) {
  Location where;
  where.file = path;
  return where;
}

// Maps a SQLite result code to the store's IO1xx codes.
std::string CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "IO106";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return "IO104";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return "IO105";
    case SQLITE_CANTOPEN: return "IO101";
    default: return "IO107";
  }
}

tl::unexpected<Error> SqliteError(sqlite3* db, int rc, const std::string& path,
                                  const std::string& doing) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = doing + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: message += " (another process kept the store locked too long)"; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: message = "the store is damaged (" + doing + ": " + detail + ")"; break;
    default: break;
  }
  return MakeError(CodeFor(rc), message, FileLocation(path));
}

// A prepared statement owned by the connection's cache. A Statement resets it
// (and clears its bindings) when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int index, int64_t number) {
    sqlite3_bind_int64(stmt_, index, number);
    return *this;
  }
  Statement& BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }

  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
  }
  std::string Blob(int column) const {
    const void* blob = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return blob == nullptr ? std::string() : std::string(static_cast<const char*>(blob), size);
  }
  // The column's text without a copy: valid until the next Step() or reset.
  std::string_view View(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text), size);
  }
  // Binds text that stays valid until the statement is stepped and reset.
  Statement& BindStatic(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // The column's bytes without a copy: valid until the next Step() or reset.
  std::string_view BlobView(int column) const {
    const void* blob = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return blob == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(blob), size);
  }
  sqlite3_stmt* raw() const { return stmt_; }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

// One connection. Not thread-safe by itself: SqliteStore serialises calls.
class Connection {
 public:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens `path` with `flags`; sets the busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  int busy_timeout_ms) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      auto error = SqliteError(db, rc, path, "cannot open the store");
      sqlite3_close_v2(db);
      return error;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return std::make_unique<Connection>(db, path);
  }

  // A cached statement for `sql`, which must be a string literal (the cache is
  // keyed by its address).
  Result<Statement> Prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return Fail(rc, "cannot prepare a query");
      it = cache_.emplace(sql, stmt).first;
    }
    return Result<Statement>(tl::in_place, it->second);
  }

  // Runs SQL text that returns no rows (may hold several statements).
  Status Exec(const std::string& sql, const std::string& doing) {
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return Fail(rc, doing);
    return Ok();
  }

  // The first column of the first row of `sql`, as text ("" when no row).
  Result<std::string> QueryText(const std::string& sql, const std::string& doing) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(rc, doing);
    std::string text;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      if (t != nullptr) text = reinterpret_cast<const char*>(t);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Fail(rc, doing);
    return text;
  }

  Result<int64_t> QueryInt(const std::string& sql, const std::string& doing) {
    std::string text = NGO_TRY(QueryText(sql, doing));
    return text.empty() ? int64_t{0} : static_cast<int64_t>(std::stoll(text));
  }

  tl::unexpected<Error> Fail(int rc, const std::string& doing) {
    return SqliteError(db_, rc, path_, doing);
  }

  // Checks a Step() result that must be SQLITE_DONE (or SQLITE_ROW when allowed).
  Status Done(int rc, const std::string& doing) {
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Ok();
    return Fail(rc, doing);
  }

  // Finalizes every cached statement (they are prepared again when next used,
  // under the connection's settings of that time).
  void ClearCache() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_;
  std::string path_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// What the read-only inspection found.
struct Inspection {
  bool empty = false;  // a SQLite file with nothing in it: safe to initialise
  int64_t user_version = 0;
};

Status CheckHeader(const std::string& path) {
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with the NUL
  char header[16] = {};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError("IO101", std::string("cannot open the store: ") + std::strerror(errno),
                     FileLocation(path));
  }
  ssize_t got = ::read(fd, header, sizeof header);
  ::close(fd);
  if (got != static_cast<ssize_t>(sizeof header) || std::memcmp(header, kMagic, 16) != 0) {
    return MakeError("IO102",
                     "not an ngosurvey store: the file is not a SQLite database (if it was a "
                     "store, its header is damaged)",
                     FileLocation(path));
  }
  return Ok();
}

// Looks at an existing, non-empty file through a read-only connection, so that a
// file we must refuse is never written to.
Result<Inspection> Inspect(const std::string& path, const OpenOptions& options) {
  NGO_TRY(CheckHeader(path));
  auto conn = NGO_TRY(Connection::Open(path, SQLITE_OPEN_READONLY, options.busy_timeout_ms));
  // One read transaction, so the header fields and the schema below are one snapshot:
  // read one by one, another process's creation of the store could commit between
  // them and the file would look like another program's database.
  NGO_TRY(conn->Exec("BEGIN", "cannot read the header"));
  int64_t app_id = NGO_TRY(conn->QueryInt("PRAGMA application_id", "cannot read the header"));
  int64_t version = NGO_TRY(conn->QueryInt("PRAGMA user_version", "cannot read the header"));
  int64_t objects =
      NGO_TRY(conn->QueryInt("SELECT count(*) FROM sqlite_schema", "cannot read the schema"));
  Inspection found;
  found.user_version = version;
  if (app_id == 0 && version == 0 && objects == 0) {
    found.empty = true;
    return found;
  }
  if (app_id != kApplicationId) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(app_id));
    return MakeError("IO102",
                     std::string("not an ngosurvey store: a SQLite database with application_id ") +
                         hex + " (a store has 0x4E474F53)",
                     FileLocation(path));
  }
  if (version > kSchemaVersion) {
    return MakeError("IO103",
                     "the store has schema version " + std::to_string(version) +
                         ", newer than this ngosurvey reads (" + std::to_string(kSchemaVersion) +
                         "); use a newer ngosurvey",
                     FileLocation(path));
  }
  if (options.check_integrity_on_open) {
    std::string check =
        NGO_TRY(conn->QueryText("PRAGMA quick_check(1)", "cannot check the store's integrity"));
    if (check != "ok") {
      return MakeError("IO105", "the store is damaged (integrity check: " + check + ")",
                       FileLocation(path));
    }
  }
  return found;
}

// Unset filters bind NULL, which the "?n IS NULL OR" arms turn into "match all".
constexpr const char* kListSubmissionsSql =
    "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
    "started_at_ms, ended_at_ms, updated_at_ms, language, packed_answers.data FROM submissions "
    "LEFT JOIN packed_answers ON packed_answers.submission_id = submissions.id "
    "WHERE (?1 IS NULL OR form_id = ?1) AND (?2 IS NULL OR form_version = ?2) "
    "AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR org_id = ?4) "
    "AND (CASE WHEN ?5 IS NOT NULL THEN wave = ?5 ELSE (?6 OR wave <> 'pretest') END) "
    "ORDER BY started_at_ms, instance_id";

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

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> conn, const OpenOptions& options)
      : conn_(std::move(conn)), options_(options) {}

  // Brings the schema to kSchemaVersion in one transaction. Another process may
  // be doing the same, so the version is read again under the write lock.
  Status Migrate() {
    int64_t version =
        NGO_TRY(conn_->QueryInt("PRAGMA user_version", "cannot read the schema version"));
    if (version == kSchemaVersion) return Ok();
    return Write("cannot upgrade the store", [&]() -> Status {
      int64_t app_id =
          NGO_TRY(conn_->QueryInt("PRAGMA application_id", "cannot read the header"));
      int64_t current =
          NGO_TRY(conn_->QueryInt("PRAGMA user_version", "cannot read the schema version"));
      int64_t objects =
          NGO_TRY(conn_->QueryInt("SELECT count(*) FROM sqlite_schema", "cannot read the schema"));
      if (app_id == 0 && current == 0 && objects == 0) {
        NGO_TRY(conn_->Exec("PRAGMA application_id = " + std::to_string(kApplicationId),
                            "cannot initialise the store"));
      } else if (app_id != kApplicationId) {
        return MakeError("IO102", "not an ngosurvey store", FileLocation(conn_->path()));
      }
      if (current > kSchemaVersion) {
        return MakeError("IO103", "the store has a newer schema version",
                         FileLocation(conn_->path()));
      }
      for (const Migration& m : kMigrations) {
        if (m.version <= current) continue;
        NGO_TRY(conn_->Exec(m.sql, "cannot apply schema migration " + std::to_string(m.version)));
        if (m.version == kPackMigration) NGO_TRY(PackCompletedSubmissions());
        auto insert = NGO_TRY(conn_->Prepare(
            "INSERT INTO schema_migrations(version, description, applied_at_ms) VALUES(?, ?, ?)"));
        insert.Bind(1, int64_t{m.version}).Bind(2, m.description);
        insert.Bind(3, options_.clock->NowMillis());
        NGO_TRY(conn_->Done(insert.Step(), "cannot record schema migration"));
      }
      return conn_->Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion),
                         "cannot set the schema version");
    });
  }

  Status PutForm(const FormVersion& form) override {
    NGO_TRY(internal::CheckFormForPut(form));
    return Write("cannot store form \"" + form.form_id + "\"",
                 [&]() -> Status { return InsertForm(form); });
  }

  Result<FormVersion> GetForm(const std::string& form_id,
                              const std::string& version) const override {
    return Read("cannot read form \"" + form_id + "\"", [&]() -> Result<FormVersion> {
      auto find = NGO_TRY(conn_->Prepare(
          "SELECT title, xlsx, xlsx_sha256, uploaded_at_ms FROM forms "
          "WHERE form_id = ? AND version = ?"));
      find.Bind(1, form_id).Bind(2, version);
      int rc = find.Step();
      if (rc != SQLITE_ROW) {
        NGO_TRY(conn_->Done(rc, "cannot read the form"));
        return internal::NotFound("form \"" + form_id + "\" version " + version);
      }
      return FormVersion{form_id, version, find.Text(0), find.Blob(1), find.Text(2), find.Int(3)};
    });
  }

  Result<std::vector<FormVersion>> ListForms(const std::string& form_id) const override {
    return Read("cannot list forms", [&]() -> Result<std::vector<FormVersion>> {
      auto list = NGO_TRY(conn_->Prepare(
          "SELECT form_id, version, title, xlsx_sha256, uploaded_at_ms FROM forms "
          "WHERE ?1 = '' OR form_id = ?1 ORDER BY id"));
      list.Bind(1, form_id);
      std::vector<FormVersion> out;
      int rc;
      while ((rc = list.Step()) == SQLITE_ROW) {
        out.push_back({list.Text(0), list.Text(1), list.Text(2), "", list.Text(3), list.Int(4)});
      }
      NGO_TRY(conn_->Done(rc, "cannot list forms"));
      return out;
    });
  }

  Status CreateSubmission(const Submission& s) override {
    NGO_TRY(internal::CheckNewSubmission(s));
    return Write("cannot create submission " + s.instance_id,
                 [&]() -> Status { return InsertSubmission(s); });
  }

  Status CreateSubmissions(const SubmissionBatch& batch) override {
    if (batch.form) NGO_TRY(internal::CheckFormForPut(*batch.form));
    for (const Submission& s : batch.submissions) NGO_TRY(internal::CheckNewSubmission(s));
    return Write("cannot import submissions", [&]() -> Status {
      if (batch.form) NGO_TRY(InsertForm(*batch.form));
      for (const Submission& s : batch.submissions) NGO_TRY(InsertSubmission(s));
      return Ok();
    });
  }

  Status SaveDraft(const std::string& instance_id, const std::vector<AnswerChange>& changes,
                   const std::optional<std::string>& language) override {
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

  Status CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms) override {
    return Write("cannot complete submission " + instance_id, [&]() -> Status {
      Row row = NGO_TRY(FindSubmission(instance_id));
      if (row.complete) {
        return MakeError("ST004", "submission " + instance_id + " is already complete");
      }
      int64_t now = options_.clock->NowMillis();
      auto update = NGO_TRY(conn_->Prepare(
          "UPDATE submissions SET status = 'complete', ended_at_ms = ?, updated_at_ms = ? "
          "WHERE id = ?"));
      update.Bind(1, ended_at_ms).Bind(2, now).Bind(3, row.id);
      NGO_TRY(conn_->Done(update.Step(), "cannot complete the submission"));
      NGO_TRY(PackDraftAnswers(row.id));
      return AppendAudit({internal::CompletionEntry(instance_id, row.interviewer, true, now)});
    });
  }

  Status Amend(const Amendment& amendment) override {
    NGO_TRY(internal::CheckAmendment(amendment));
    return Write("cannot change submission " + amendment.instance_id, [&]() -> Status {
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
      return AppendAudit(std::move(entries));
    });
  }

  Result<Submission> GetSubmission(const std::string& instance_id) const override {
    return Read("cannot read submission " + instance_id, [&]() -> Result<Submission> {
      auto find = NGO_TRY(conn_->Prepare(
          "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
          "started_at_ms, ended_at_ms, updated_at_ms, language "
          "FROM submissions WHERE instance_id = ?"));
      find.Bind(1, instance_id);
      int rc = find.Step();
      if (rc != SQLITE_ROW) {
        NGO_TRY(conn_->Done(rc, "cannot read the submission"));
        return internal::NotFound("submission " + instance_id);
      }
      int64_t id = 0;
      Submission s = NGO_TRY(SubmissionFromRow(find, &id));
      s.answers = NGO_TRY(ReadAnswersOf(id, s));
      return s;
    });
  }

  // The submissions query with `filter` bound (unset filters bind NULL, which the
  // "?n IS NULL OR" arms turn into "match all").
  Result<Statement> PrepareListSubmissions(const SubmissionFilter& filter) const {
    auto list = NGO_TRY(conn_->Prepare(kListSubmissionsSql));
    if (filter.form_id) list.Bind(1, *filter.form_id);
    if (filter.form_version) list.Bind(2, *filter.form_version);
    if (filter.status) list.Bind(3, StatusName(*filter.status));
    if (filter.org_id) list.Bind(4, *filter.org_id);
    if (filter.wave) list.Bind(5, WaveName(*filter.wave));
    list.Bind(6, int64_t{filter.include_pretest ? 1 : 0});
    return list;
  }

  Result<std::vector<Submission>> ListSubmissions(const SubmissionFilter& filter) const override {
    // The same cursor as ForEachSubmission, each submission copied out with its answers.
    std::vector<Submission> out;
    NGO_TRY(ForEachSubmission(filter, [&](const Submission& s,
                                          const std::vector<AnswerView>& answers) -> Status {
      Submission& copy = out.emplace_back(s);
      for (const AnswerView& a : answers) {
        copy.answers.emplace_hint(copy.answers.end(), std::string(a.path),
                                  form::Answer{std::string(a.value), a.state});
      }
      return Ok();
    }));
    return out;
  }

  Status ForEachSubmission(const SubmissionFilter& filter,
                           const SubmissionVisitor& visit) const override {
    return Read("cannot list submissions", [&]() -> Status {
      auto list = NGO_TRY(PrepareListSubmissions(filter));
      auto answers = NGO_TRY(
          conn_->Prepare("SELECT path, state, value FROM answers WHERE submission_id = ?"));
      // The answers' bytes, copied out of SQLite's row buffers, and their views.
      std::string arena;
      std::vector<std::pair<size_t, size_t>> spans;  // path end, value end in arena
      std::vector<form::AnswerState> states;
      std::vector<AnswerView> views;
      int rc;
      while ((rc = list.Step()) == SQLITE_ROW) {
        int64_t id = 0;
        Submission s = NGO_TRY(SubmissionFromRow(list, &id));
        if (s.status == SubmissionStatus::kComplete) {
          // Values point into SQLite's copy of the blob, valid until the next Step().
          NGO_TRY(CheckPacked(list, s.instance_id));
          Status decoded = packed::Decode(list.BlobView(12), &arena, &views);
          if (!decoded) return DamagedAnswers(s.instance_id, decoded.error());
          NGO_TRY(visit(s, views));
          continue;
        }
        arena.clear(), spans.clear(), states.clear(), views.clear();
        answers.Bind(1, id);
        int arc;
        while ((arc = answers.Step()) == SQLITE_ROW) {
          arena += answers.View(0);
          size_t path_end = arena.size();
          arena += answers.View(2);
          spans.emplace_back(path_end, arena.size());
          auto state = StateFromText(answers.View(1));
          if (!state) {
            return MakeError("IO105", "the store is damaged: answer state '" +
                                          std::string(answers.View(1)) + "'",
                             FileLocation(conn_->path()));
          }
          states.push_back(*state);
        }
        answers.Reset();
        NGO_TRY(conn_->Done(arc, "cannot read answers"));
        size_t start = 0;
        for (size_t i = 0; i < spans.size(); ++i) {
          auto [path_end, value_end] = spans[i];
          std::string_view all(arena);
          views.push_back({all.substr(start, path_end - start), states[i],
                           all.substr(path_end, value_end - path_end)});
          start = value_end;
        }
        NGO_TRY(visit(s, views));
      }
      return conn_->Done(rc, "cannot list submissions");
    });
  }

  Result<std::unique_ptr<ImportWriter>> BeginImport(const std::optional<FormVersion>& form) override {
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

  Result<std::vector<AuditEntry>> ReadAudit(const std::string& instance_id) const override {
    return Read("cannot read the audit trail",
                [&]() -> Result<std::vector<AuditEntry>> { return ReadEntries(instance_id); });
  }

  Result<AuditVerification> VerifyAudit() const override {
    return Read("cannot verify the audit trail", [&]() -> Result<AuditVerification> {
      std::vector<AuditEntry> entries = NGO_TRY(ReadEntries(""));
      internal::ChainHead head = NGO_TRY(ReadHead());
      return internal::VerifyChain(entries, head);
    });
  }

  // --- Fieldwork log (fieldwork_log.h) ---

  Result<FrameImportResult> ImportFrame(const FrameImport& import) override {
    NGO_TRY(internal::CheckFrameImport(import));
    FrameImportResult result;
    NGO_TRY(Write("cannot import the sample frame", [&]() -> Status {
      result = {};
      StoredFrame stored = NGO_TRY(ReadFrameRows());
      if (!stored.stratum_column.empty() && stored.stratum_column != import.stratum_column) {
        return MakeError("ST003", "the stored frame groups by '" + stored.stratum_column +
                                      "', the import by '" + import.stratum_column + "'");
      }
      auto settings = NGO_TRY(conn_->Prepare(
          "INSERT INTO frame_settings(id, stratum_column, has_address, has_contact_person, "
          "has_disposition) VALUES(1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
          "has_address = max(has_address, ?2), has_contact_person = max(has_contact_person, ?3), "
          "has_disposition = max(has_disposition, ?4)"));
      settings.Bind(1, import.stratum_column);
      settings.Bind(2, int64_t{import.has_address_column});
      settings.Bind(3, int64_t{import.has_contact_person_column});
      settings.Bind(4, int64_t{import.has_disposition_column});
      NGO_TRY(conn_->Done(settings.Step(), "cannot store the frame's columns"));
      for (const std::string& column : import.extra_columns) {
        auto add = NGO_TRY(conn_->Prepare(
            "INSERT OR IGNORE INTO frame_columns(position, name) "
            "SELECT coalesce(max(position), 0) + 1, ?1 FROM frame_columns"));
        add.Bind(1, column);
        NGO_TRY(conn_->Done(add.Step(), "cannot store the frame's columns"));
      }
      int64_t now = options_.clock->NowMillis();
      std::map<std::string, const FrameEntry*> by_id;
      for (const FrameEntry& e : stored.entries) by_id[e.org_id] = &e;
      std::set<std::string> in_import;
      for (const FrameEntry& entry : import.entries) {
        in_import.insert(entry.org_id);
        auto it = by_id.find(entry.org_id);
        FrameEntry row;
        if (it == by_id.end()) {
          row = internal::WithColumns(entry, import.extra_columns);
          ++result.added;
        } else {
          std::vector<std::string> changed;
          row = internal::MergeEntry(*it->second, entry, import, &changed);
          if (changed.empty()) {
            ++result.unchanged;
            continue;
          }
          result.updated.emplace_back(entry.org_id, std::move(changed));
        }
        auto put = NGO_TRY(conn_->Prepare(
            "INSERT INTO frame_entries(position, org_id, name, stratum, address, contact_person, "
            "disposition, updated_at_ms) SELECT coalesce(max(position), 0) + 1, ?1, ?2, ?3, ?4, "
            "?5, ?6, ?7 FROM frame_entries WHERE true ON CONFLICT(org_id) DO UPDATE SET "
            "name = ?2, stratum = ?3, address = ?4, contact_person = ?5, disposition = ?6, "
            "updated_at_ms = ?7"));
        put.Bind(1, row.org_id).Bind(2, row.name).Bind(3, row.stratum).Bind(4, row.address);
        put.Bind(5, row.contact_person).Bind(6, row.disposition).Bind(7, now);
        NGO_TRY(conn_->Done(put.Step(), "cannot store frame entry '" + row.org_id + "'"));
        for (const auto& [column, value] : row.extra) {
          auto value_row = NGO_TRY(conn_->Prepare(
              "INSERT INTO frame_values(org_id, column_name, value) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(org_id, column_name) DO UPDATE SET value = ?3"));
          value_row.Bind(1, row.org_id).Bind(2, column).Bind(3, value);
          NGO_TRY(conn_->Done(value_row.Step(), "cannot store frame entry '" + row.org_id + "'"));
        }
      }
      for (const FrameEntry& e : stored.entries) {
        if (!in_import.count(e.org_id)) result.kept.push_back(e.org_id);
      }
      return Ok();
    }));
    return result;
  }

  Result<StoredFrame> ReadFrame() const override {
    return Read("cannot read the sample frame",
                [&]() -> Result<StoredFrame> { return ReadFrameRows(); });
  }

  Result<ContactRecord> AddContact(const ContactRecord& contact) override {
    NGO_TRY(internal::CheckContact(contact));
    ContactRecord stored = contact;
    NGO_TRY(Write("cannot log the contact with '" + contact.org_id + "'", [&]() -> Status {
      auto known = NGO_TRY(conn_->Prepare("SELECT 1 FROM frame_entries WHERE org_id = ?"));
      known.Bind(1, contact.org_id);
      int rc = known.Step();
      NGO_TRY(conn_->Done(rc, "cannot look up the organisation"));
      if (rc != SQLITE_ROW) {
        return internal::NotFound("organisation '" + contact.org_id + "' in the frame");
      }
      auto latest = NGO_TRY(
          conn_->Prepare("SELECT max(contact_date) FROM contacts WHERE org_id = ?"));
      latest.Bind(1, contact.org_id);
      rc = latest.Step();
      NGO_TRY(conn_->Done(rc, "cannot read the organisation's contacts"));
      if (rc == SQLITE_ROW && !latest.IsNull(0) && contact.date < latest.Text(0)) {
        return MakeError("ST008", "contact date " + contact.date +
                                      " is before the latest contact with '" + contact.org_id +
                                      "' (" + latest.Text(0) + ")");
      }
      stored.recorded_at_ms = options_.clock->NowMillis();
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO contacts(org_id, contact_date, mode, outcome, disposition, appointment, "
          "note, made_by, recorded_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert.Bind(1, contact.org_id).Bind(2, contact.date).Bind(3, contact.mode);
      insert.Bind(4, contact.outcome).Bind(5, contact.disposition);
      if (contact.appointment) {
        insert.Bind(6, *contact.appointment);
      } else {
        insert.BindNull(6);
      }
      insert.Bind(7, contact.note).Bind(8, contact.by).Bind(9, stored.recorded_at_ms);
      NGO_TRY(conn_->Done(insert.Step(), "cannot store the contact"));
      stored.seq = conn_->LastInsertRowid();
      return Ok();
    }));
    return stored;
  }

  Result<std::vector<ContactRecord>> ListContacts(const std::string& org_id) const override {
    return Read("cannot read the contact log", [&]() -> Result<std::vector<ContactRecord>> {
      auto list = NGO_TRY(conn_->Prepare(
          "SELECT seq, org_id, contact_date, mode, outcome, disposition, appointment, note, "
          "made_by, recorded_at_ms FROM contacts WHERE ?1 = '' OR org_id = ?1 ORDER BY seq"));
      list.Bind(1, org_id);
      std::vector<ContactRecord> out;
      int rc;
      while ((rc = list.Step()) == SQLITE_ROW) {
        ContactRecord c;
        c.seq = list.Int(0);
        c.org_id = list.Text(1);
        c.date = list.Text(2);
        c.mode = list.Text(3);
        c.outcome = list.Text(4);
        c.disposition = list.Text(5);
        if (!list.IsNull(6)) c.appointment = list.Text(6);
        c.note = list.Text(7);
        c.by = list.Text(8);
        c.recorded_at_ms = list.Int(9);
        out.push_back(std::move(c));
      }
      NGO_TRY(conn_->Done(rc, "cannot read the contact log"));
      return out;
    });
  }

 private:
  // BeginImport's writer: holds the store's lock and its open write transaction.
  class SqliteImportWriter final : public ImportWriter {
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
      auto find = NGO_TRY(store_->conn_->Prepare(
          "SELECT id, instance_id, form_id, form_version, status, wave, org_id, interviewer, "
          "started_at_ms, ended_at_ms, updated_at_ms, language "
          "FROM submissions WHERE instance_id = ?"));
      find.Bind(1, instance_id);
      int rc = find.Step();
      if (rc != SQLITE_ROW) {
        NGO_TRY(store_->conn_->Done(rc, "cannot look up the submission"));
        return std::optional<Submission>();
      }
      int64_t id = 0;
      Submission s = NGO_TRY(store_->SubmissionFromRow(find, &id));
      s.answers = NGO_TRY(store_->ReadAnswersOf(id, s));
      return std::optional<Submission>(std::move(s));
    }

    Status Add(const Submission& s) override {
      NGO_TRY(Usable());
      Status added = Insert(s);
      if (!added) failed_ = true;
      return added;
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
        auto form = NGO_TRY(conn.Prepare("SELECT 1 FROM forms WHERE form_id = ? AND version = ?"));
        form.Bind(1, s.form_id).Bind(2, s.form_version);
        int rc = form.Step();
        NGO_TRY(conn.Done(rc, "cannot look up the form"));
        if (rc != SQLITE_ROW) {
          return internal::NotFound("form \"" + s.form_id + "\" version " + s.form_version);
        }
        known_form_id_ = s.form_id, known_version_ = s.form_version;
      }
      int64_t now = store_->options_.clock->NowMillis();
      auto insert = NGO_TRY(conn.Prepare(
          "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert.BindStatic(1, s.instance_id).BindStatic(2, s.form_id).BindStatic(3, s.form_version);
      insert.BindStatic(4, StatusName(s.status)).BindStatic(5, WaveName(s.wave));
      insert.BindStatic(6, s.org_id).BindStatic(7, s.interviewer).Bind(8, s.started_at_ms);
      if (s.ended_at_ms) {
        insert.Bind(9, *s.ended_at_ms);
      } else {
        insert.BindNull(9);
      }
      insert.Bind(10, now).BindStatic(11, s.language);
      int rc = insert.Step();
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return MakeError("ST003", "submission " + s.instance_id + " already exists");
      }
      NGO_TRY(conn.Done(rc, "cannot store the submission"));
      int64_t id = conn.LastInsertRowid();
      if (s.status == SubmissionStatus::kComplete) {
        packed_.clear();
        packed::Encode(s.answers, &packed_);
        auto pack = NGO_TRY(
            conn.Prepare("INSERT INTO packed_answers(submission_id, data) VALUES(?, ?)"));
        pack.Bind(1, id);
        sqlite3_bind_blob(pack.raw(), 2, packed_.data(), static_cast<int>(packed_.size()),
                          SQLITE_STATIC);
        NGO_TRY(conn.Done(pack.Step(), "cannot store the answers"));
        NGO_TRY(store_->AppendAudit(
            {internal::CompletionEntry(s.instance_id, s.interviewer, false, now)}));
        return Ok();
      }
      auto put = NGO_TRY(conn.Prepare(
          "INSERT INTO answers(submission_id, path, state, value) VALUES(?, ?, ?, ?)"));
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

  // The body of PutForm, inside the caller's transaction.
  Status InsertForm(const FormVersion& form) {
    std::string sha = internal::Sha256Hex(form.xlsx);
    auto find = NGO_TRY(
        conn_->Prepare("SELECT xlsx_sha256 FROM forms WHERE form_id = ? AND version = ?"));
    find.Bind(1, form.form_id).Bind(2, form.version);
    int rc = find.Step();
    if (rc == SQLITE_ROW) {
      if (find.Text(0) == sha) return Ok();
      return MakeError("ST003", "form \"" + form.form_id + "\" version " + form.version +
                                    " is already stored with different contents");
    }
    NGO_TRY(conn_->Done(rc, "cannot look up the form"));
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
        "VALUES(?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, form.form_id).Bind(2, form.version).Bind(3, form.title);
    insert.BindBlob(4, form.xlsx).Bind(5, sha).Bind(6, options_.clock->NowMillis());
    return conn_->Done(insert.Step(), "cannot store the form");
  }

  // The body of CreateSubmission, inside the caller's transaction.
  Status InsertSubmission(const Submission& s) {
    auto form = NGO_TRY(conn_->Prepare("SELECT 1 FROM forms WHERE form_id = ? AND version = ?"));
    form.Bind(1, s.form_id).Bind(2, s.form_version);
    int rc = form.Step();
    NGO_TRY(conn_->Done(rc, "cannot look up the form"));
    if (rc != SQLITE_ROW) {
      return internal::NotFound("form \"" + s.form_id + "\" version " + s.form_version);
    }
    auto existing = NGO_TRY(conn_->Prepare("SELECT 1 FROM submissions WHERE instance_id = ?"));
    existing.Bind(1, s.instance_id);
    rc = existing.Step();
    NGO_TRY(conn_->Done(rc, "cannot look up the submission"));
    if (rc == SQLITE_ROW) {
      return MakeError("ST003", "submission " + s.instance_id + " already exists");
    }
    int64_t now = options_.clock->NowMillis();
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
        "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, s.instance_id).Bind(2, s.form_id).Bind(3, s.form_version);
    insert.Bind(4, StatusName(s.status)).Bind(5, WaveName(s.wave)).Bind(6, s.org_id);
    insert.Bind(7, s.interviewer).Bind(8, s.started_at_ms);
    if (s.ended_at_ms) {
      insert.Bind(9, *s.ended_at_ms);
    } else {
      insert.BindNull(9);
    }
    insert.Bind(10, now).Bind(11, s.language);
    NGO_TRY(conn_->Done(insert.Step(), "cannot store the submission"));
    int64_t id = conn_->LastInsertRowid();
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

  struct Row {
    int64_t id = 0;
    bool complete = false;
    std::string interviewer;
  };

  // The stored frame, inside the caller's transaction.
  Result<StoredFrame> ReadFrameRows() const {
    StoredFrame frame;
    auto settings = NGO_TRY(conn_->Prepare(
        "SELECT stratum_column, has_address, has_contact_person, has_disposition "
        "FROM frame_settings WHERE id = 1"));
    int rc = settings.Step();
    NGO_TRY(conn_->Done(rc, "cannot read the frame's columns"));
    if (rc == SQLITE_ROW) {
      frame.stratum_column = settings.Text(0);
      frame.has_address_column = settings.Int(1) != 0;
      frame.has_contact_person_column = settings.Int(2) != 0;
      frame.has_disposition_column = settings.Int(3) != 0;
    }
    auto columns = NGO_TRY(conn_->Prepare("SELECT name FROM frame_columns ORDER BY position"));
    while ((rc = columns.Step()) == SQLITE_ROW) frame.extra_columns.push_back(columns.Text(0));
    NGO_TRY(conn_->Done(rc, "cannot read the frame's columns"));
    auto entries = NGO_TRY(conn_->Prepare(
        "SELECT position, org_id, name, stratum, address, contact_person, disposition, "
        "updated_at_ms FROM frame_entries ORDER BY position"));
    std::map<std::string, size_t> index;
    while ((rc = entries.Step()) == SQLITE_ROW) {
      FrameEntry e;
      e.position = entries.Int(0);
      e.org_id = entries.Text(1);
      e.name = entries.Text(2);
      e.stratum = entries.Text(3);
      e.address = entries.Text(4);
      e.contact_person = entries.Text(5);
      e.disposition = entries.Text(6);
      e.updated_at_ms = entries.Int(7);
      index[e.org_id] = frame.entries.size();
      frame.entries.push_back(std::move(e));
    }
    NGO_TRY(conn_->Done(rc, "cannot read the frame"));
    auto values = NGO_TRY(conn_->Prepare("SELECT org_id, column_name, value FROM frame_values"));
    while ((rc = values.Step()) == SQLITE_ROW) {
      auto it = index.find(values.Text(0));
      if (it != index.end()) {
        frame.entries[it->second].extra.emplace_back(values.Text(1), values.Text(2));
      }
    }
    NGO_TRY(conn_->Done(rc, "cannot read the frame"));
    for (FrameEntry& e : frame.entries) {
      e = internal::WithColumns(std::move(e), frame.extra_columns);
    }
    return frame;
  }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front,
  // so a writer waits for others (busy_timeout) instead of failing half-way. On
  // any error the transaction is rolled back and the error returned.
  template <typename Body>
  Status Write(const std::string& doing, Body&& body) {
    std::lock_guard lock(mu_);
    if (options_.read_only) {
      return MakeError("IO104", doing + ": the store was opened read-only",
                       FileLocation(conn_->path()));
    }
    NGO_TRY(conn_->Exec("BEGIN IMMEDIATE", doing));
    Status result = body();
    if (result) result = conn_->Exec("COMMIT", doing);
    if (!result && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK", doing);
    return result;
  }

  // Runs `body` in a read transaction, so that it sees one consistent state.
  template <typename Body>
  auto Read(const std::string& doing, Body&& body) const -> decltype(body()) {
    std::lock_guard lock(mu_);
    NGO_TRY(conn_->Exec("BEGIN", doing));
    auto result = body();
    (void)conn_->Exec(result ? "COMMIT" : "ROLLBACK", doing);
    return result;
  }

  Result<Row> FindSubmission(const std::string& instance_id) {
    auto find = NGO_TRY(
        conn_->Prepare("SELECT id, status, interviewer FROM submissions WHERE instance_id = ?"));
    find.Bind(1, instance_id);
    int rc = find.Step();
    if (rc != SQLITE_ROW) {
      NGO_TRY(conn_->Done(rc, "cannot look up the submission"));
      return internal::NotFound("submission " + instance_id);
    }
    return Row{find.Int(0), find.Text(1) == "complete", find.Text(2)};
  }

  Status PutAnswer(int64_t id, const std::string& path, const form::Answer& answer) {
    auto put = NGO_TRY(conn_->Prepare(
        "INSERT INTO answers(submission_id, path, state, value) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(submission_id, path) DO UPDATE SET state = excluded.state, "
        "value = excluded.value"));
    put.Bind(1, id).Bind(2, path).Bind(3, form::AnswerStateName(answer.state)).Bind(4, answer.value);
    return conn_->Done(put.Step(), "cannot save answer \"" + path + "\"");
  }

  Status DeleteAnswer(int64_t id, const std::string& path) {
    auto del = NGO_TRY(conn_->Prepare("DELETE FROM answers WHERE submission_id = ? AND path = ?"));
    del.Bind(1, id).Bind(2, path);
    return conn_->Done(del.Step(), "cannot remove answer \"" + path + "\"");
  }

  Status Touch(int64_t id, int64_t now) {
    auto touch = NGO_TRY(conn_->Prepare("UPDATE submissions SET updated_at_ms = ? WHERE id = ?"));
    touch.Bind(1, now).Bind(2, id);
    return conn_->Done(touch.Step(), "cannot update the submission");
  }

  // The error for a packed blob that does not decode: IO105 naming the submission.
  tl::unexpected<Error> DamagedAnswers(const std::string& instance_id, const Error& cause) const {
    return MakeError("IO105",
                     "the store is damaged: the answers of submission " + instance_id + " (" +
                         cause.message + ")",
                     FileLocation(conn_->path()));
  }

  // A complete submission must have its packed answers (column 12 of the list query).
  Status CheckPacked(const Statement& row, const std::string& instance_id) const {
    if (!row.IsNull(12)) return Ok();
    return DamagedAnswers(instance_id, Error{"IO105", "they are missing", {}});
  }

  Result<Answers> DecodePacked(std::string_view blob, const std::string& instance_id) const {
    auto answers = packed::DecodeToMap(blob);
    if (!answers) return DamagedAnswers(instance_id, answers.error());
    return answers;
  }

  // The packed answers of complete submission `id`, decoded.
  Result<Answers> ReadPackedAnswers(int64_t id, const std::string& instance_id) const {
    auto find = NGO_TRY(conn_->Prepare("SELECT data FROM packed_answers WHERE submission_id = ?"));
    find.Bind(1, id);
    int rc = find.Step();
    if (rc != SQLITE_ROW) {
      NGO_TRY(conn_->Done(rc, "cannot read the answers of submission " + instance_id));
      return DamagedAnswers(instance_id, Error{"IO105", "they are missing", {}});
    }
    return DecodePacked(find.BlobView(0), instance_id);
  }

  // The answers of `s` (row `id`): packed when complete, rows when a draft.
  Result<Answers> ReadAnswersOf(int64_t id, const Submission& s) const {
    if (s.status == SubmissionStatus::kComplete) return ReadPackedAnswers(id, s.instance_id);
    return ReadAnswers(id);
  }

  // Stores `answers` as the packed answers of submission `id` (replacing the
  // stored ones when `replace`), inside the caller's transaction.
  Status WritePackedAnswers(int64_t id, const Answers& answers, bool replace) {
    std::string blob;
    packed::Encode(answers, &blob);
    auto put = NGO_TRY(conn_->Prepare(
        replace ? "UPDATE packed_answers SET data = ?2 WHERE submission_id = ?1"
                : "INSERT INTO packed_answers(submission_id, data) VALUES(?1, ?2)"));
    put.Bind(1, id).BindBlob(2, blob);
    return conn_->Done(put.Step(), "cannot store the answers");
  }

  // Moves the answer rows of draft `id` into its packed answers (completion).
  Status PackDraftAnswers(int64_t id) {
    Answers answers = NGO_TRY(ReadAnswers(id));
    NGO_TRY(WritePackedAnswers(id, answers, /*replace=*/false));
    auto del = NGO_TRY(conn_->Prepare("DELETE FROM answers WHERE submission_id = ?"));
    del.Bind(1, id);
    return conn_->Done(del.Step(), "cannot pack the answers");
  }

  // Migration 3: packs every complete submission stored by schema 2.
  Status PackCompletedSubmissions() {
    std::vector<int64_t> ids;
    auto list = NGO_TRY(conn_->Prepare("SELECT id FROM submissions WHERE status = 'complete'"));
    int rc;
    while ((rc = list.Step()) == SQLITE_ROW) ids.push_back(list.Int(0));
    NGO_TRY(conn_->Done(rc, "cannot list the complete submissions"));
    list.Reset();
    for (int64_t id : ids) NGO_TRY(PackDraftAnswers(id));
    return Ok();
  }

  Result<Answers> ReadAnswers(int64_t id) const {
    auto list =
        NGO_TRY(conn_->Prepare("SELECT path, state, value FROM answers WHERE submission_id = ?"));
    list.Bind(1, id);
    Answers answers;
    int rc;
    while ((rc = list.Step()) == SQLITE_ROW) {
      Status bad = Ok();
      auto answer = AnswerFromColumns(list, 1, 2, &bad);
      NGO_TRY(WithPath(bad));
      answers.emplace(list.Text(0), *answer);
    }
    NGO_TRY(conn_->Done(rc, "cannot read answers"));
    return answers;
  }

  Result<Submission> SubmissionFromRow(const Statement& row, int64_t* id) const {
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
    return s;
  }

  Result<std::vector<AuditEntry>> ReadEntries(const std::string& instance_id) const {
    auto list = NGO_TRY(conn_->Prepare(
        "SELECT seq, instance_id, at_ms, who, field, old_state, old_value, new_state, new_value, "
        "reason, prev_hash, hash FROM audit WHERE ?1 = '' OR instance_id = ?1 ORDER BY seq"));
    list.Bind(1, instance_id);
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = list.Step()) == SQLITE_ROW) {
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
    }
    NGO_TRY(conn_->Done(rc, "cannot read the audit trail"));
    return out;
  }

  Result<internal::ChainHead> ReadHead() const {
    auto head = NGO_TRY(conn_->Prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
    int rc = head.Step();
    if (rc != SQLITE_ROW) {
      NGO_TRY(conn_->Done(rc, "cannot read the audit head"));
      return MakeError("IO105", "the store is damaged: the audit head row is missing",
                       FileLocation(conn_->path()));
    }
    return internal::ChainHead{head.Int(0), head.Text(1)};
  }

  // Appends entries after the current head and moves the head; inside Write().
  Status AppendAudit(std::vector<AuditEntry> entries) {
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

  // Adds the file name to errors raised while decoding rows.
  template <typename T>
  Result<T> WithPath(Result<T> result) const {
    if (!result) {
      Error error = result.error();
      if (error.code.rfind("ST", 0) == 0) {
        error.code = "IO105";
        error.message = "the store is damaged: " + error.message;
      }
      error.where = FileLocation(conn_->path());
      return tl::unexpected(std::move(error));
    }
    return result;
  }
  Status WithPath(Status status) const {
    if (status) return status;
    Error error = status.error();
    error.where = FileLocation(conn_->path());
    return tl::unexpected(std::move(error));
  }

  std::unique_ptr<Connection> conn_;
  OpenOptions options_;
  mutable std::mutex mu_;
};

// Sets journal_mode = WAL and returns the mode now in force. The switch upgrades the
// connection's read lock to the write lock, and SQLite answers SQLITE_BUSY at once
// to such an upgrade instead of calling the busy handler (waiting could deadlock):
// when several processes create the same new store together, all but one failed
// here with IO106 (SqliteStoreTest.ProcessesOpeningANewStoreTogetherAllSucceed
// failed 6 runs in 40). The statement holds no lock once it fails, so it is tried
// again until busy_timeout_ms, as the busy handler would have waited.
Result<std::string> SwitchToWal(Connection& conn, int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  while (true) {
    auto mode = conn.QueryText("PRAGMA journal_mode = WAL", "cannot switch the store to WAL");
    if (mode || mode.error().code != "IO106" || std::chrono::steady_clock::now() >= deadline) {
      return mode;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

const char* MigrationSql(int version) {
  for (const Migration& m : kMigrations) {
    if (m.version == version) return m.sql;
  }
  return nullptr;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options) {
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
    bool writable = (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0 &&
                    ::access(path.c_str(), W_OK) == 0;
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
