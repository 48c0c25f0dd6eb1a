// Direct access to a store's file for the SQLite back end's tests: what someone with
// the sqlite3 shell (or a damaged disk) could do to it, and what it holds.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "base/file.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store::testing {

// Runs SQL on the file directly, outside the store.
inline void RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

// The first column of the first row of a query on a read-only connection ("" when
// there is none).
inline std::string QueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// SHA-256 of the file's bytes: equal before and after means untouched.
inline std::string FileHash(const std::string& path) {
  auto bytes = ReadFile(path);
  EXPECT_TRUE(bytes) << path;
  return bytes ? internal::Sha256Hex(*bytes) : "";
}

// A store with an older schema: opened read-only it is refused (IO108) and left
// untouched; opened read-write (then closed) it is at the current schema version.
inline void ExpectMigratedOnlyWhenWritable(const std::string& path) {
  std::string before = FileHash(path);
  OpenOptions read_only;
  read_only.read_only = true;
  auto reader = OpenStore(path, read_only);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, "IO108");
  EXPECT_EQ(FileHash(path), before);
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), std::to_string(sqlite::kSchemaVersion));
}

// The one form row of every old-schema fixture: the `forms` table's columns have not
// changed since schema 1 (each fixture's submissions row has its own schema's columns).
inline constexpr const char* kNgoStaffFormRowSql =
    "INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
    "VALUES('ngo_staff', '1', 'NGO staff survey', x'504b0304', 'sha', 5);";

// The beginning of a store as an ngosurvey with schema `version` left it, written by
// hand in dir/v<version>.db: the application id, migrations 1 to `version` with their
// schema_migrations rows, then `data_sql` (its rows), then the user_version. Returns
// the path.
inline std::string MakeStoreAtVersion(const TempDir& dir, int version,
                                      const std::string& data_sql) {
  std::string path = dir.File("v" + std::to_string(version) + ".db");
  RawSql(path, "PRAGMA application_id = " + std::to_string(sqlite::kApplicationId));
  std::string migrations;
  for (int v = 1; v <= version; ++v) {
    const char* sql = sqlite::MigrationSql(v);
    EXPECT_NE(sql, nullptr) << "no migration " << v;
    if (sql == nullptr) return path;
    RawSql(path, sql);
    migrations += "INSERT INTO schema_migrations(version, description, applied_at_ms) VALUES(" +
                  std::to_string(v) + ", 'migration " + std::to_string(v) + "', 1);";
  }
  RawSql(path, migrations + data_sql + "PRAGMA user_version = " + std::to_string(version) + ";");
  return path;
}

// A schema-2 store as ngosurvey with schema 2 left it: two complete submissions
// (one without answers) and a draft, written by hand; `extra_sql` runs before the
// version is set.
inline std::string MakeVersion2Store(const TempDir& dir, const std::string& extra_sql = "") {
  return MakeStoreAtVersion(
      dir, 2,
      std::string(kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms) VALUES"
          "(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'complete', 'main', 'KH01', 'sokha', 1000, 2000, 2000),"
          "(2, '" +
          Uuid(2) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, 600),"
          "(3, '" +
          Uuid(3) +
          "', 'ngo_staff', '1', 'complete', 'pretest', 'VN01', 'lan', 3000, 3100, 3100);"
          "INSERT INTO answers VALUES(1, 'age', 'answered', '34'), (1, 'grp/q1', 'refused', ''),"
          "(1, 'grp/q2', 'dont_know', ''), (1, 'name', 'answered', 'សុខា');"
          "INSERT INTO answers VALUES(2, 'age', 'answered', '51');" +
          extra_sql);
}

}  // namespace ngosurvey::store::testing
