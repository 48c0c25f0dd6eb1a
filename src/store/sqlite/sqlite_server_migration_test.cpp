// Schema 7: the collection server's tables (accounts, published forms, the access
// log) and submissions.submitted_by. A store that an ngosurvey with schema 6 left
// keeps its submissions, with no sender (''), and gains empty tables; a read-only
// open refuses it untouched.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using testing::ExpectMigratedOnlyWhenWritable;
using testing::MakeStoreAtVersion;
using testing::QueryText;
using testing::TempDir;
using testing::Uuid;

// The error message of `sql` run on the file directly ("" when it succeeds).
std::string RawSqlError(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string out = message == nullptr ? "" : message;
  sqlite3_free(message);
  sqlite3_close(db);
  return out;
}

TEST(SqliteServerMigrationTest, Version6StoreGetsServerTablesAndNoSenders) {
  ASSERT_NE(sqlite::MigrationSql(7), nullptr);
  TempDir dir;
  std::string path = MakeStoreAtVersion(
      dir, 6,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language) VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, 600, 'km');"
          "INSERT INTO answers VALUES(1, 'age', 'answered', '51');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 7"),
            "collection server: accounts, published forms, access log, submitted_by");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto draft = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(draft) << draft.error().ToString();
  EXPECT_EQ(draft->submitted_by, "");
  EXPECT_EQ(draft->language, "km");
  EXPECT_TRUE((*store)->ListUsers()->empty());
  EXPECT_TRUE((*store)->ListPublishedForms()->empty());
  EXPECT_TRUE((*store)->ReadAccessLog()->empty());
  // The access log is append-only, as the audit trail is.
  ASSERT_TRUE((*store)->RecordAccess({0, 0, "lan", "list_submissions", "ngo_staff", "", ""}));
  store->reset();
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM access_log"), "1");
  EXPECT_NE(RawSqlError(path, "DELETE FROM access_log").find("append-only"), std::string::npos);
}

}  // namespace
}  // namespace ngosurvey::store
