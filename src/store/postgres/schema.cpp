// The schema of the PostgreSQL store and what opens it safely: the migrations that
// bring a database to kSchemaVersion (PostgresStore::Migrate) and the read-only
// inspection of an existing database (Inspect). The tables are documented in
// docs/store.md; they mirror the SQLite store's (docs/formats/sqlite-schema.md).
#include "store/postgres/postgres_store_impl_internal.h"

namespace ngosurvey::store::postgres {
namespace {

// Each migration takes the schema to `version` from the one before. Append only: a
// released migration never changes. The PostgreSQL back end began at the SQLite
// store's version 5, so its first migration creates that schema whole; later
// versions are one migration each, under the same numbers as SQLite's.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// Text columns that are compared or ordered use the "C" collation, so that rows come
// back in byte order as SQLite's BINARY collation returns them, whatever the
// database's locale.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE ngosurvey_store(
  id integer PRIMARY KEY CHECK(id = 1),
  application_id integer NOT NULL,
  schema_version integer NOT NULL);
CREATE TABLE schema_migrations(
  version integer PRIMARY KEY,
  description text NOT NULL,
  applied_at_ms bigint NOT NULL);
CREATE TABLE forms(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  title text NOT NULL,
  xlsx bytea NOT NULL,
  xlsx_sha256 text NOT NULL,
  uploaded_at_ms bigint NOT NULL,
  UNIQUE(form_id, version));
CREATE TABLE submissions(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  instance_id text COLLATE "C" NOT NULL UNIQUE,
  form_id text COLLATE "C" NOT NULL,
  form_version text COLLATE "C" NOT NULL,
  status text NOT NULL CHECK(status IN ('draft', 'complete')),
  wave text NOT NULL CHECK(wave IN ('pretest', 'main')),
  org_id text COLLATE "C" NOT NULL,
  interviewer text NOT NULL,
  started_at_ms bigint NOT NULL,
  ended_at_ms bigint,
  updated_at_ms bigint NOT NULL,
  language text NOT NULL DEFAULT '',
  FOREIGN KEY(form_id, form_version) REFERENCES forms(form_id, version));
CREATE INDEX submissions_by_form ON submissions(form_id, form_version, status);
CREATE INDEX submissions_by_start ON submissions(started_at_ms, instance_id);
CREATE TABLE answers(
  submission_id bigint NOT NULL REFERENCES submissions(id),
  path text COLLATE "C" NOT NULL,
  state text NOT NULL
    CHECK(state IN ('answered', 'refused', 'dont_know', 'not_asked', 'missing')),
  value text NOT NULL,
  PRIMARY KEY(submission_id, path));
CREATE TABLE packed_answers(
  submission_id bigint PRIMARY KEY REFERENCES submissions(id),
  data bytea NOT NULL);
CREATE TABLE audit(
  seq bigint PRIMARY KEY,
  instance_id text COLLATE "C" NOT NULL REFERENCES submissions(instance_id),
  at_ms bigint NOT NULL,
  who text NOT NULL CHECK(who <> ''),
  field text NOT NULL,
  old_state text,
  old_value text,
  new_state text,
  new_value text,
  reason text NOT NULL CHECK(btrim(reason) <> ''),
  prev_hash text NOT NULL,
  hash text NOT NULL);
CREATE INDEX audit_by_instance ON audit(instance_id, seq);
CREATE TABLE audit_head(
  id integer PRIMARY KEY CHECK(id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL);
INSERT INTO audit_head(id, seq, hash) VALUES(1, 0,
  '0000000000000000000000000000000000000000000000000000000000000000');
CREATE FUNCTION ngosurvey_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION ngosurvey_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION ngosurvey_audit_append_only();
CREATE TABLE frame_settings(
  id integer PRIMARY KEY CHECK(id = 1),
  stratum_column text NOT NULL CHECK(stratum_column IN ('country', 'stratum')),
  has_address bigint NOT NULL,
  has_contact_person bigint NOT NULL,
  has_disposition bigint NOT NULL);
CREATE TABLE frame_columns(
  position bigint PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE);
CREATE TABLE frame_entries(
  position bigint PRIMARY KEY,
  org_id text COLLATE "C" NOT NULL UNIQUE CHECK(org_id <> ''),
  name text NOT NULL,
  stratum text NOT NULL,
  address text NOT NULL,
  contact_person text NOT NULL,
  disposition text NOT NULL,
  updated_at_ms bigint NOT NULL);
CREATE TABLE frame_values(
  org_id text COLLATE "C" NOT NULL REFERENCES frame_entries(org_id),
  column_name text COLLATE "C" NOT NULL REFERENCES frame_columns(name),
  value text NOT NULL,
  PRIMARY KEY(org_id, column_name));
CREATE TABLE contacts(
  seq bigint PRIMARY KEY,
  org_id text COLLATE "C" NOT NULL REFERENCES frame_entries(org_id),
  contact_date text COLLATE "C" NOT NULL CHECK(length(contact_date) = 10),
  mode text NOT NULL CHECK(mode IN ('visit', 'phone', 'email', 'letter')),
  outcome text NOT NULL CHECK(outcome <> ''),
  disposition text NOT NULL CHECK(disposition <> ''),
  appointment text,
  note text NOT NULL,
  made_by text NOT NULL,
  recorded_at_ms bigint NOT NULL);
CREATE INDEX contacts_by_org ON contacts(org_id, contact_date);
CREATE TABLE codings(
  submission_id bigint NOT NULL REFERENCES submissions(id),
  question text COLLATE "C" NOT NULL CHECK(question <> ''),
  coder text COLLATE "C" NOT NULL CHECK(coder <> ''),
  code text COLLATE "C" NOT NULL,
  start_cp bigint CHECK(start_cp >= 0),
  end_cp bigint CHECK(end_cp > start_cp),
  coded_at_ms bigint NOT NULL,
  CHECK((start_cp IS NULL) = (end_cp IS NULL)));
CREATE INDEX codings_by_question ON codings(question, submission_id, coder);
)sql";

// Attachments of submissions (docs/formats/attachments.md): the bytes once per
// SHA-256 in `blobs`, named per submission in `attachments`.
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE blobs(
  sha256 text COLLATE "C" NOT NULL UNIQUE CHECK(length(sha256) = 64),
  size bigint NOT NULL CHECK(size >= 0),
  data bytea NOT NULL);
CREATE TABLE attachments(
  submission_id bigint NOT NULL REFERENCES submissions(id),
  name text COLLATE "C" NOT NULL CHECK(name <> ''),
  sha256 text COLLATE "C" NOT NULL REFERENCES blobs(sha256),
  content_type text NOT NULL,
  added_at_ms bigint NOT NULL,
  PRIMARY KEY(submission_id, name));
CREATE INDEX attachments_by_blob ON attachments(sha256);
)sql";

// The collection server (store/server_data.h), as the SQLite store's schema 7:
// accounts with their Argon2id hash and Digest HA1, the forms each may use (none
// listed: every form), published XForms with their media files, the append-only
// access log of reads of submissions, and the account that sent each submission.
// The access log's seq is an identity (several servers append at once; a rolled
// back append may leave a gap); LoadContents sets it past the copied entries.
constexpr const char* kSchemaV7 = R"sql(
ALTER TABLE submissions ADD COLUMN submitted_by text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX submissions_by_submitter ON submissions(submitted_by, started_at_ms, instance_id);
CREATE TABLE users(
  name text COLLATE "C" PRIMARY KEY CHECK(name <> ''),
  role text NOT NULL CHECK(role IN ('interviewer', 'analyst', 'supervisor', 'admin')),
  all_forms bigint NOT NULL CHECK(all_forms IN (0, 1)),
  disabled bigint NOT NULL CHECK(disabled IN (0, 1)),
  password_hash text NOT NULL CHECK(password_hash <> ''),
  digest_realm text NOT NULL,
  digest_ha1 text NOT NULL CHECK(length(digest_ha1) = 32),
  created_at_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL);
CREATE TABLE user_forms(
  user_name text COLLATE "C" NOT NULL REFERENCES users(name),
  form_id text COLLATE "C" NOT NULL CHECK(form_id <> ''),
  PRIMARY KEY(user_name, form_id));
CREATE TABLE published_forms(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  form_id text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  title text NOT NULL,
  xform text NOT NULL,
  xform_md5 text NOT NULL CHECK(length(xform_md5) = 32),
  published_at_ms bigint NOT NULL,
  UNIQUE(form_id, version),
  FOREIGN KEY(form_id, version) REFERENCES forms(form_id, version));
CREATE TABLE published_media(
  published_id bigint NOT NULL REFERENCES published_forms(id),
  name text COLLATE "C" NOT NULL CHECK(name <> ''),
  data bytea NOT NULL,
  md5 text NOT NULL CHECK(length(md5) = 32),
  PRIMARY KEY(published_id, name));
CREATE TABLE access_log(
  seq bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at_ms bigint NOT NULL,
  who text COLLATE "C" NOT NULL CHECK(who <> ''),
  action text NOT NULL CHECK(action <> ''),
  form_id text COLLATE "C" NOT NULL,
  instance_id text COLLATE "C" NOT NULL,
  detail text NOT NULL);
CREATE INDEX access_log_by_who ON access_log(who, seq);
CREATE FUNCTION ngosurvey_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only';
END $$;
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION ngosurvey_access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION ngosurvey_access_log_append_only();
)sql";

// Browser sessions (store/server_data.h), as the SQLite store's schema 8.
constexpr const char* kSchemaV8 = R"sql(
CREATE TABLE sessions(
  token_sha256 text COLLATE "C" PRIMARY KEY CHECK(length(token_sha256) = 64),
  user_name text COLLATE "C" NOT NULL REFERENCES users(name),
  created_at_ms bigint NOT NULL,
  expires_at_ms bigint NOT NULL);
CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);
)sql";

// Reviews of submissions (store/review.h), as the SQLite store's schema 9: the
// current review of each reviewed submission, its status copied into
// submissions.review_status for the submissions table's filter and sort, and the
// same indexes of that table, per form.
constexpr const char* kSchemaV9 = R"sql(
ALTER TABLE submissions ADD COLUMN review_status text COLLATE "C" NOT NULL DEFAULT ''
  CHECK(review_status IN ('', 'approved', 'needs_checking', 'rejected'));
CREATE TABLE reviews(
  submission_id bigint PRIMARY KEY REFERENCES submissions(id),
  status text NOT NULL CHECK(status IN ('approved', 'needs_checking', 'rejected')),
  comment text NOT NULL,
  who text NOT NULL CHECK(who <> ''),
  at_ms bigint NOT NULL);
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
  submission_id bigint NOT NULL REFERENCES submissions(id),
  position integer NOT NULL CHECK(position >= 0),
  name text NOT NULL CHECK(name <> ''),
  value text NOT NULL,
  PRIMARY KEY(submission_id, position),
  UNIQUE(submission_id, name));
)sql";

// The UTC offsets (minutes east) that the start and end times were written with, so
// that they are shown in the local time of the interview (Submission); NULL when
// unknown.
constexpr const char* kSchemaV11 = R"sql(
ALTER TABLE submissions ADD COLUMN started_offset_min bigint
  CHECK(started_offset_min BETWEEN -1080 AND 1080);
ALTER TABLE submissions ADD COLUMN ended_offset_min bigint
  CHECK(ended_offset_min BETWEEN -1080 AND 1080);
)sql";

// Earlier instanceIDs of submissions (InstanceAlias, Amendment::alias): an ODK edit's
// own instanceID, so that an edit of that edit (its meta/deprecatedID) finds the
// submission in a later import.
constexpr const char* kSchemaV12 = R"sql(
CREATE TABLE instance_aliases(
  alias text COLLATE "C" PRIMARY KEY CHECK(alias <> ''),
  submission_id bigint NOT NULL REFERENCES submissions(id));
CREATE INDEX instance_aliases_by_submission ON instance_aliases(submission_id);
)sql";

// The platforms' metadata columns packed, one row per submission, as SQLite's schema 13:
// a JSON array of [name, value] pairs in the export's order (jsonb keeps an array's order
// and its strings' texts). The rows of submission_metadata are packed, in position order,
// and that table dropped, in the migration's transaction.
constexpr const char* kSchemaV13 = R"sql(
CREATE TABLE packed_metadata(
  submission_id bigint PRIMARY KEY REFERENCES submissions(id),
  data jsonb NOT NULL CHECK(jsonb_typeof(data) = 'array'));
INSERT INTO packed_metadata(submission_id, data)
  SELECT submission_id, jsonb_agg(jsonb_build_array(name, value) ORDER BY position)
  FROM submission_metadata GROUP BY submission_id;
DROP TABLE submission_metadata;
)sql";

constexpr Migration kMigrations[] = {
    {5,
     "forms, submissions, answers (packed when complete), audit trail, languages, fieldwork "
     "log, codings (the SQLite store's schema 5)",
     kSchemaV5},
    {6, "attachments of submissions, content-addressed", kSchemaV6},
    {7, "collection server: accounts, published forms, access log, submitted_by", kSchemaV7},
    {8, "browser sessions of the collection server", kSchemaV8},
    {9, "reviews of submissions; indexes of the submissions table per form", kSchemaV9},
    {10, "the platforms' metadata columns of imported submissions", kSchemaV10},
    {11, "the UTC offsets of the start and end times as written", kSchemaV11},
    {12, "earlier instance ids of submissions (ODK edits of edits)", kSchemaV12},
    {13, "the platforms' metadata columns packed, one row per submission", kSchemaV13},
};

}  // namespace

Result<Inspection> Inspect(Connection& conn) {
  const std::string doing = "cannot read the database's schema";
  NGO_TRY(conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", doing));
  auto inspect = [&]() -> Result<Inspection> {
    auto found = NGO_TRY(
        conn.Query("SELECT current_schema() IS NOT NULL, "
                   "(SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                   "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                   "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')), "
                   "to_regclass('ngosurvey_store') IS NOT NULL",
                   doing));
    if (found.Int(0, 0) == 0) {
      return MakeError("IO101",
                       "the database has no schema to hold the store (search_path names no "
                       "existing schema)",
                       DbLocation(conn.location()));
    }
    Inspection inspection;
    if (found.Int(0, 2) == 0) {
      if (found.Int(0, 1) == 0) {
        inspection.empty = true;
        return inspection;
      }
      return MakeError("IO102",
                       "not an ngosurvey store: the database holds " +
                           std::to_string(found.Int(0, 1)) +
                           " other tables and no ngosurvey_store table",
                       DbLocation(conn.location()));
    }
    auto meta = NGO_TRY(conn.Query(
        "SELECT application_id::bigint, schema_version::bigint FROM ngosurvey_store WHERE id = 1",
        doing));
    if (meta.empty() || meta.Int(0, 0) != kApplicationId) {
      return MakeError("IO102", "not an ngosurvey store: its ngosurvey_store table is not ours",
                       DbLocation(conn.location()));
    }
    inspection.schema_version = meta.Int(0, 1);
    if (inspection.schema_version > kSchemaVersion) {
      return MakeError("IO103",
                       "the store has schema version " + std::to_string(inspection.schema_version) +
                           ", newer than this ngosurvey reads (" + std::to_string(kSchemaVersion) +
                           "); use a newer ngosurvey",
                       DbLocation(conn.location()));
    }
    return inspection;
  };
  auto result = inspect();
  (void)conn.Exec("ROLLBACK", doing);
  return result;
}

Status PostgresStore::Migrate() {
  return Write("cannot upgrade the store", [&]() -> Status {
    // Another process may be creating or upgrading the same store: wait for it, then
    // look again.
    auto lock = NGO_TRY(conn_->Query("SELECT pg_advisory_xact_lock($1::bigint)",
                                     Params().Int(kMigrationLock), "cannot lock the schema"));
    (void)lock;
    auto found = NGO_TRY(conn_->Query("SELECT to_regclass('ngosurvey_store') IS NOT NULL",
                                      "cannot read the schema"));
    int64_t current = 0;
    if (found.Int(0, 0) != 0) {
      auto meta =
          NGO_TRY(conn_->Query("SELECT schema_version::bigint FROM ngosurvey_store WHERE id = 1",
                               "cannot read the schema version"));
      current = meta.empty() ? 0 : meta.Int(0, 0);
    }
    if (current > kSchemaVersion) {
      return MakeError("IO103", "the store has a newer schema version",
                       DbLocation(conn_->location()));
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      NGO_TRY(conn_->Exec(m.sql, "cannot apply schema migration " + std::to_string(m.version)));
      if (current == 0) {
        auto init =
            NGO_TRY(conn_->Query("INSERT INTO ngosurvey_store(id, application_id, schema_version) "
                                 "VALUES(1, $1::bigint, 0)",
                                 Params().Int(kApplicationId), "cannot initialise the store"));
        (void)init;
      }
      auto record = NGO_TRY(
          conn_->Query("INSERT INTO schema_migrations(version, description, applied_at_ms) "
                       "VALUES($1::bigint, $2::text, $3::bigint)",
                       Params().Int(m.version).Text(m.description).Int(options_.clock->NowMillis()),
                       "cannot record schema migration"));
      (void)record;
      current = m.version;
    }
    auto set =
        NGO_TRY(conn_->Query("UPDATE ngosurvey_store SET schema_version = $1::bigint WHERE id = 1",
                             Params().Int(kSchemaVersion), "cannot set the schema version"));
    (void)set;
    return Ok();
  });
}

}  // namespace ngosurvey::store::postgres
