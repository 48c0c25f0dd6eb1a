// The schema of the SQLite store, version by version, and what opens it safely:
// the migrations that bring an older store to kSchemaVersion (SqliteStore::Migrate)
// and the read-only inspection of an existing file (Inspect). The tables are
// documented in docs/formats/sqlite-schema.md.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "store/sqlite/schema_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

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

// Codings of open answers (store/codings.h): one row per code and segment of an
// answer by a coder; start_cp/end_cp are code-point offsets, both NULL for the
// whole answer; code '' means read, no code. Coder '(reconciled)' holds the agreed
// codes, whose changes are audit entries.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE codings(
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  question TEXT NOT NULL CHECK(question <> ''),
  coder TEXT NOT NULL CHECK(coder <> ''),
  code TEXT NOT NULL,
  start_cp INTEGER CHECK(start_cp >= 0),
  end_cp INTEGER CHECK(end_cp > start_cp),
  coded_at_ms INTEGER NOT NULL,
  CHECK((start_cp IS NULL) = (end_cp IS NULL)));
CREATE INDEX codings_by_question ON codings(question, submission_id, coder);
)sql";

// Attachments (Store::PutAttachments): the files that came with submissions,
// content-addressed: the bytes once per SHA-256 in `blobs`, named per submission in
// `attachments` (docs/formats/attachments.md).
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE blobs(
  sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64),
  size INTEGER NOT NULL CHECK(size >= 0),
  data BLOB NOT NULL);
CREATE TABLE attachments(
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  name TEXT NOT NULL CHECK(name <> ''),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  content_type TEXT NOT NULL,
  added_at_ms INTEGER NOT NULL,
  PRIMARY KEY(submission_id, name)) WITHOUT ROWID;
CREATE INDEX attachments_by_blob ON attachments(sha256);
)sql";

// The collection server (store/server_data.h): accounts with their Argon2id hash
// and Digest HA1, the forms each may use (none listed: every form), published
// XForms with their media files, the append-only access log of reads of
// submissions, and the account that sent each submission.
constexpr const char* kSchemaV7 = R"sql(
ALTER TABLE submissions ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_by_submitter ON submissions(submitted_by, started_at_ms, instance_id);
CREATE TABLE users(
  name TEXT PRIMARY KEY CHECK(name <> ''),
  role TEXT NOT NULL CHECK(role IN ('interviewer', 'analyst', 'supervisor', 'admin')),
  all_forms INTEGER NOT NULL CHECK(all_forms IN (0, 1)),
  disabled INTEGER NOT NULL CHECK(disabled IN (0, 1)),
  password_hash TEXT NOT NULL CHECK(password_hash <> ''),
  digest_realm TEXT NOT NULL,
  digest_ha1 TEXT NOT NULL CHECK(length(digest_ha1) = 32),
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE user_forms(
  user_name TEXT NOT NULL REFERENCES users(name),
  form_id TEXT NOT NULL CHECK(form_id <> ''),
  PRIMARY KEY(user_name, form_id)) WITHOUT ROWID;
CREATE TABLE published_forms(
  id INTEGER PRIMARY KEY,
  form_id TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  xform TEXT NOT NULL,
  xform_md5 TEXT NOT NULL CHECK(length(xform_md5) = 32),
  published_at_ms INTEGER NOT NULL,
  UNIQUE(form_id, version),
  FOREIGN KEY(form_id, version) REFERENCES forms(form_id, version));
CREATE TABLE published_media(
  published_id INTEGER NOT NULL REFERENCES published_forms(id),
  name TEXT NOT NULL CHECK(name <> ''),
  data BLOB NOT NULL,
  md5 TEXT NOT NULL CHECK(length(md5) = 32),
  PRIMARY KEY(published_id, name)) WITHOUT ROWID;
CREATE TABLE access_log(
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  who TEXT NOT NULL CHECK(who <> ''),
  action TEXT NOT NULL CHECK(action <> ''),
  form_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX access_log_by_who ON access_log(who, seq);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
)sql";

// Browser sessions of the collection server (store/server_data.h): the SHA-256 of
// each session's cookie token, its account and its expiry.
constexpr const char* kSchemaV8 = R"sql(
CREATE TABLE sessions(
  token_sha256 TEXT PRIMARY KEY CHECK(length(token_sha256) = 64),
  user_name TEXT NOT NULL REFERENCES users(name),
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);
)sql";

// Reviews of submissions (store/review.h): the current review of each reviewed
// submission (its history is in the audit trail), its status copied into
// submissions.review_status ('' when none) so that the submissions table filters
// and sorts by it through an index; and the indexes of that table, which always
// shows one form: each starts with form_id (so that a filter or sort inside one form
// never scans the others), then the sort column and instance_id (the keyset
// tie-breaker), and for the columns it filters by, a second one with started_at_ms
// (the default order) before instance_id: every page is read in index order.
constexpr const char* kSchemaV9 = R"sql(
ALTER TABLE submissions ADD COLUMN review_status TEXT NOT NULL DEFAULT ''
  CHECK(review_status IN ('', 'approved', 'needs_checking', 'rejected'));
CREATE TABLE reviews(
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
  status TEXT NOT NULL CHECK(status IN ('approved', 'needs_checking', 'rejected')),
  comment TEXT NOT NULL,
  who TEXT NOT NULL CHECK(who <> ''),
  at_ms INTEGER NOT NULL);
CREATE INDEX submissions_by_form_start ON submissions(form_id, started_at_ms, instance_id);
CREATE INDEX submissions_by_form_id ON submissions(form_id, instance_id);
CREATE INDEX submissions_by_form_submitter ON submissions(form_id, submitted_by, instance_id);
CREATE INDEX submissions_by_form_submitter_start
  ON submissions(form_id, submitted_by, started_at_ms, instance_id);
CREATE INDEX submissions_by_form_org ON submissions(form_id, org_id, instance_id);
CREATE INDEX submissions_by_form_status ON submissions(form_id, status, instance_id);
CREATE INDEX submissions_by_form_status_start
  ON submissions(form_id, status, started_at_ms, instance_id);
CREATE INDEX submissions_by_form_review ON submissions(form_id, review_status, instance_id);
CREATE INDEX submissions_by_form_review_start
  ON submissions(form_id, review_status, started_at_ms, instance_id);
)sql";

// The platforms' metadata columns of imported submissions (Submission::metadata):
// one row per column, in the export's order.
constexpr const char* kSchemaV10 = R"sql(
CREATE TABLE submission_metadata(
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  position INTEGER NOT NULL CHECK(position >= 0),
  name TEXT NOT NULL CHECK(name <> ''),
  value TEXT NOT NULL,
  PRIMARY KEY(submission_id, position),
  UNIQUE(submission_id, name)) WITHOUT ROWID;
)sql";

// The UTC offsets (minutes east) that the start and end times were written with, so
// that they are shown in the local time of the interview (Submission); NULL when
// unknown.
constexpr const char* kSchemaV11 = R"sql(
ALTER TABLE submissions ADD COLUMN started_offset_min INTEGER
  CHECK(started_offset_min BETWEEN -1080 AND 1080);
ALTER TABLE submissions ADD COLUMN ended_offset_min INTEGER
  CHECK(ended_offset_min BETWEEN -1080 AND 1080);
)sql";

// Earlier instanceIDs of submissions (InstanceAlias, Amendment::alias): an ODK edit's
// own instanceID, so that an edit of that edit (its meta/deprecatedID) finds the
// submission in a later import.
constexpr const char* kSchemaV12 = R"sql(
CREATE TABLE instance_aliases(
  alias TEXT PRIMARY KEY CHECK(alias <> ''),
  submission_id INTEGER NOT NULL REFERENCES submissions(id)) WITHOUT ROWID;
CREATE INDEX instance_aliases_by_submission ON instance_aliases(submission_id);
)sql";

// The platforms' metadata columns packed: one row per submission instead of one per column
// (a wide Kobo export writes over a hundred: 80 geopoint parts for 20 geopoints, its `_id`,
// `_uuid`...; one insert each was a third of the import's time). `data` is a JSON array of
// [name, value] pairs in the export's order, so that SQL still reads them (json_each; the
// pair's index is its position). After this script Migrate() packs the rows of
// submission_metadata and drops that table (kPackMetadataMigration), in the same
// transaction.
constexpr const char* kSchemaV13 = R"sql(
CREATE TABLE packed_metadata(
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
  data TEXT NOT NULL);
)sql";
constexpr int kPackMetadataMigration = 13;

constexpr Migration kMigrations[] = {
    {1, "forms, submissions, answers, audit trail", kSchemaV1},
    {2, "fieldwork log: sample frame and contacts", kSchemaV2},
    {3, "packed answers of completed submissions", kSchemaV3},
    {4, "the language of each submission's interview", kSchemaV4},
    {5, "codings of open answers", kSchemaV5},
    {6, "attachments of submissions, content-addressed", kSchemaV6},
    {7, "collection server: accounts, published forms, access log, submitted_by", kSchemaV7},
    {8, "browser sessions of the collection server", kSchemaV8},
    {9, "reviews of submissions; indexes of the submissions table per form", kSchemaV9},
    {10, "the platforms' metadata columns of imported submissions", kSchemaV10},
    {11, "the UTC offsets of the start and end times as written", kSchemaV11},
    {12, "earlier instance ids of submissions (ODK edits of edits)", kSchemaV12},
    {13, "the platforms' metadata columns packed, one row per submission", kSchemaV13},
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion,
              "one migration per schema version");

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

}  // namespace

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

const char* MigrationSql(int version) {
  for (const Migration& m : kMigrations) {
    if (m.version == version) return m.sql;
  }
  return nullptr;
}

Status SqliteStore::Migrate() {
  int64_t version =
      NGO_TRY(conn_->QueryInt("PRAGMA user_version", "cannot read the schema version"));
  if (version == kSchemaVersion) return Ok();
  bool created = false;
  NGO_TRY(Write("cannot upgrade the store", [&]() -> Status {
    int64_t app_id = NGO_TRY(conn_->QueryInt("PRAGMA application_id", "cannot read the header"));
    int64_t current =
        NGO_TRY(conn_->QueryInt("PRAGMA user_version", "cannot read the schema version"));
    int64_t objects =
        NGO_TRY(conn_->QueryInt("SELECT count(*) FROM sqlite_schema", "cannot read the schema"));
    if (app_id == 0 && current == 0 && objects == 0) {
      created = true;
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
      if (m.version == kPackMetadataMigration) NGO_TRY(PackStoredMetadata());
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO schema_migrations(version, description, applied_at_ms) VALUES(?, ?, ?)"));
      insert.Bind(1, int64_t{m.version}).Bind(2, m.description);
      insert.Bind(3, options_.clock->NowMillis());
      NGO_TRY(conn_->Done(insert.Step(), "cannot record schema migration"));
    }
    return conn_->Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion),
                       "cannot set the schema version");
  }));
  // A new store went through every migration, and the tables later ones replace (schema
  // 13's submission_metadata) left free pages: a new file holds only live pages, so that
  // every page of it is checked when opened (VACUUM runs outside a transaction; the file
  // is empty, so it is instant).
  if (created) NGO_TRY(conn_->Exec("VACUUM", "cannot initialise the store"));
  return Ok();
}

}  // namespace ngosurvey::store::sqlite
