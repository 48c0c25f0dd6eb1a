// What only the PostgreSQL back end has: locations with passwords, databases it must
// refuse without writing to them, the mapping of the server's errors (lock
// timeouts, lost connections) to the store's codes, and the audit trail's
// protection in the database. The shared contract is in the conformance suites.
// These tests need the server tests/store/with_postgres.sh starts (CTest test
// store_postgres).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "store/back_ends_test_util.h"
#include "store/postgres/connection_internal.h"
#include "store/postgres/postgres_store_internal.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::PostgresSchemaLocation;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

// A raw connection to a store's database, bypassing the store.
class RawConnection {
 public:
  explicit RawConnection(const std::string& location) : conn_(PQconnectdb(location.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  ~RawConnection() { PQfinish(conn_); }
  // Runs `sql`; returns the first value of the first row ("" if none), or the
  // error's SQLSTATE prefixed with "error:".
  std::string Run(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::string out;
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) {
      out = PQgetvalue(result, 0, 0);
    } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      out = std::string("error:") + (state ? state : "?");
    }
    PQclear(result);
    return out;
  }

 private:
  PGconn* conn_;
};

TEST(PostgresLocationTest, PasswordsAreRedacted) {
  using postgres::RedactedLocation;
  EXPECT_EQ(RedactedLocation("postgresql://ana:s3cret@db.example.org:5432/survey"),
            "postgresql://ana:***@db.example.org:5432/survey");
  EXPECT_EQ(RedactedLocation("postgresql://ana@db/survey?password=s3cret&sslmode=require"),
            "postgresql://ana@db/survey?password=***&sslmode=require");
  EXPECT_EQ(RedactedLocation("postgresql://db/survey"), "postgresql://db/survey");
  EXPECT_EQ(RedactedLocation("postgres://a:p%40ss@h/d"), "postgres://a:***@h/d");
}

TEST(PostgresStoreTest, UnreachableServerIsIO101WithoutThePassword) {
  auto store = OpenStore("postgresql://ana:s3cret@127.0.0.1:1/survey?connect_timeout=2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, "IO101") << store.error().ToString();
  EXPECT_EQ(store.error().ToString().find("s3cret"), std::string::npos) << store.error().ToString();
  EXPECT_NE(store.error().ToString().find("postgresql://ana:***@127.0.0.1:1/survey"),
            std::string::npos)
      << store.error().ToString();
}

TEST(PostgresStoreTest, AnotherProgramsDatabaseIsRefusedUntouched) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  RawConnection raw(location);
  raw.Run("CREATE TABLE customers(id integer)");
  for (bool read_only : {false, true}) {
    OpenOptions options;
    options.read_only = read_only;
    auto store = OpenStore(location, options);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "IO102") << store.error().ToString();
  }
  EXPECT_EQ(raw.Run("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), "1")
      << "nothing was created beside the other program's table";
}

TEST(PostgresStoreTest, EmptyDatabaseIsCreatedOnlyWhenAllowed) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  OpenOptions options;
  options.read_only = true;
  auto reader = OpenStore(location, options);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, "IO102");
  options = {};
  options.create_if_missing = false;
  auto strict = OpenStore(location, options);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, "IO101");
  RawConnection raw(location);
  EXPECT_EQ(raw.Run("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), "0");
  auto created = OpenStore(location);
  ASSERT_TRUE(created) << created.error().ToString();
  EXPECT_EQ(raw.Run("SELECT schema_version FROM ngosurvey_store"),
            std::to_string(postgres::kSchemaVersion));
  // The PostgreSQL back end began at version 5: its migrations are 5 to the current one.
  std::string versions = "5";
  for (int v = 6; v <= postgres::kSchemaVersion; ++v) versions += "," + std::to_string(v);
  EXPECT_EQ(
      raw.Run("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"),
      versions);
}

TEST(PostgresStoreTest, NewerOrOlderSchemasAreRefusedAsOnSqlite) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  ASSERT_TRUE(OpenStore(location));
  RawConnection raw(location);
  raw.Run("UPDATE ngosurvey_store SET schema_version = 99");
  auto newer = OpenStore(location);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, "IO103") << newer.error().ToString();
  raw.Run("UPDATE ngosurvey_store SET schema_version = 4");
  OpenOptions options;
  options.read_only = true;
  auto older = OpenStore(location, options);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, "IO108") << older.error().ToString();
}

TEST(PostgresStoreTest, AuditTrailIsAppendOnlyAndTamperingIsFound) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  {
    auto store = OpenStore(location);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->PutForm(TestForm()));
    ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(1))));
    ASSERT_TRUE((*store)->CompleteSubmission(Uuid(1), 2000));
  }
  RawConnection raw(location);
  EXPECT_EQ(raw.Run("UPDATE audit SET who = 'mallory'"), "error:P0001");
  EXPECT_EQ(raw.Run("DELETE FROM audit"), "error:P0001");
  EXPECT_EQ(raw.Run("TRUNCATE audit"), "error:P0001");
  // An entry inserted behind the store's back, even with a well-formed link, is found.
  raw.Run(
      "INSERT INTO audit SELECT 2, instance_id, at_ms, who, field, old_state, old_value, "
      "new_state, new_value, reason, hash, hash FROM audit WHERE seq = 1");
  auto store = OpenStore(location);
  ASSERT_TRUE(store);
  auto verified = (*store)->VerifyAudit();
  ASSERT_TRUE(verified) << verified.error().ToString();
  ASSERT_FALSE(verified->ok());
  EXPECT_EQ(verified->first_broken->seq, 2);
}

// Schema 13 packs the metadata columns, one row per submission, as SQLite's: a database an
// ngosurvey with schema 12 left (one row per column) keeps every column in order, texts
// JSON must escape included; the old table is gone.
TEST(PostgresStoreTest, Version12MetadataRowsArePackedInOrder) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  {
    auto store = OpenStore(location);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->PutForm(TestForm()));
    ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(1))));
    ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(2))));
  }
  RawConnection raw(location);
  // Back to schema 12, rows written out of position order.
  EXPECT_EQ(raw.Run("DROP TABLE packed_metadata;"
                    "CREATE TABLE submission_metadata(submission_id bigint NOT NULL "
                    "REFERENCES submissions(id), position integer NOT NULL, name text NOT NULL, "
                    "value text NOT NULL, PRIMARY KEY(submission_id, position));"
                    "INSERT INTO submission_metadata SELECT id, 1, 'note', "
                    "'said \"no\" \\ then' || chr(10) || 'left' FROM submissions "
                    "WHERE instance_id = '" +
                    Uuid(1) +
                    "';"
                    "INSERT INTO submission_metadata SELECT id, 0, '_id', '12' FROM submissions "
                    "WHERE instance_id = '" +
                    Uuid(1) +
                    "';"
                    "INSERT INTO submission_metadata SELECT id, 0, 'Tên', '' FROM submissions "
                    "WHERE instance_id = '" +
                    Uuid(2) +
                    "';"
                    "DELETE FROM schema_migrations WHERE version = 13;"
                    "UPDATE ngosurvey_store SET schema_version = 12"),
            "");
  auto store = OpenStore(location);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ(raw.Run("SELECT to_regclass('submission_metadata') IS NULL"), "t");
  EXPECT_EQ(raw.Run("SELECT description FROM schema_migrations WHERE version = 13"),
            "the platforms' metadata columns packed, one row per submission");
  auto first = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_EQ(first->metadata.size(), 2u);
  EXPECT_EQ(first->metadata[0].column, "_id");
  EXPECT_EQ(first->metadata[0].value, "12");
  EXPECT_EQ(first->metadata[1].column, "note");
  EXPECT_EQ(first->metadata[1].value, "said \"no\" \\ then\nleft");
  auto columns = (*store)->MetadataColumns({});
  ASSERT_TRUE(columns) << columns.error().ToString();
  EXPECT_EQ(*columns, (std::vector<std::string>{"Tên", "_id", "note"}))
      << "by smallest position, then name in bytes";
}

TEST(PostgresStoreTest, AccessLogIsAppendOnlyInTheDatabase) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  auto store = OpenStore(location);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->RecordAccess({0, 0, "lan", "list_submissions", "ngo_staff", "", ""}));
  RawConnection raw(location);
  EXPECT_EQ(raw.Run("UPDATE access_log SET who = 'mallory'"), "error:P0001");
  EXPECT_EQ(raw.Run("DELETE FROM access_log"), "error:P0001");
  EXPECT_EQ(raw.Run("TRUNCATE access_log"), "error:P0001");
  EXPECT_EQ(raw.Run("SELECT who FROM access_log"), "lan");
}

// Two servers on one database: the same account added, and the same form version
// published, by many connections at once give one row each; the others get the
// SQLite store's answers (ST003 for the account, kUnchanged for the publication).
TEST(PostgresStoreTest, RacingServersAddOneUserAndPublishOnce) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  ASSERT_TRUE(OpenStore(location));
  constexpr int kWriters = 6;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kWriters; ++i) {
    auto opened = OpenStore(location);
    ASSERT_TRUE(opened) << opened.error().ToString();
    stores.push_back(std::move(*opened));
  }
  User user;
  user.name = "sokha";
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.digest_realm = "ngosurvey";
  user.digest_ha1 = "0123456789abcdef0123456789abcdef";
  PublishedForm published{"ngo_staff", "1", "", "<h:html/>", "", {{"a.png", "A", ""}}, 0};
  std::vector<std::string> added(kWriters), outcomes(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      Status a = stores[i]->AddUser(user);
      added[i] = a ? "ok" : a.error().code;
      auto p = stores[i]->PublishForm(TestForm(), published);
      outcomes[i] = !p ? p.error().code : *p == PublishOutcome::kPublished ? "published" : "same";
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::count(added.begin(), added.end(), "ok"), 1);
  EXPECT_EQ(std::count(added.begin(), added.end(), "ST003"), kWriters - 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "published"), 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "same"), kWriters - 1);
  RawConnection raw(location);
  EXPECT_EQ(raw.Run("SELECT count(*) FROM users"), "1");
  EXPECT_EQ(raw.Run("SELECT count(*) FROM published_forms"), "1");
  EXPECT_EQ(raw.Run("SELECT count(*) FROM published_media"), "1");
}

TEST(PostgresStoreTest, LockHeldTooLongIsIO106AndChangesNothing) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  OpenOptions options;
  options.busy_timeout_ms = 300;
  auto store = OpenStore(location, options);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->PutForm(TestForm()));
  ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(1))));
  RawConnection other(location);
  other.Run("BEGIN");
  other.Run("SELECT seq FROM audit_head FOR UPDATE");  // another writer's chain append
  auto completed = (*store)->CompleteSubmission(Uuid(1), 2000);
  ASSERT_FALSE(completed);
  EXPECT_EQ(completed.error().code, "IO106") << completed.error().ToString();
  other.Run("ROLLBACK");
  auto s = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, SubmissionStatus::kDraft) << "the failed completion left nothing";
  EXPECT_TRUE((*store)->CompleteSubmission(Uuid(1), 2000)) << "and works once the lock is free";
}

TEST(PostgresStoreTest, LostConnectionIsIO107ThenReconnects) {
  TempDir dir;
  std::string location = PostgresSchemaLocation(dir);
  auto store = OpenStore(location);
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE((*store)->PutForm(TestForm()));
  RawConnection admin(location);
  // Ends every other session of this store (the server restarting, a network cut).
  admin.Run(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND application_name = 'ngosurvey'");
  auto lost = (*store)->CreateSubmission(TestDraft(Uuid(1)));
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, "IO107") << lost.error().ToString();
  ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(1)))) << "reconnected";
  EXPECT_TRUE((*store)->GetSubmission(Uuid(1)));
}

}  // namespace
}  // namespace ngosurvey::store
