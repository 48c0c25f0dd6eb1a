// Schema migration 2 (the fieldwork log) applied to a store that an ngosurvey with
// schema version 1 wrote: its data survives, the new tables work, and a read-only
// open refuses it untouched until it is migrated.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "base/file.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::QueryText;
using testing::TempDir;

void Sql(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
}

// A schema-1 store exactly as ngosurvey 1 created it (migration 1's script), with a
// form and a completed submission written by hand.
std::string MakeVersion1Store(const TempDir& dir) {
  return testing::MakeStoreAtVersion(
      dir, 1,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms) VALUES("
          "'uuid:00000000-0000-4000-8000-000000000001', 'ngo_staff', '1', 'complete', 'main', "
          "'KH01', 'sokha', 1000, 2000, 2000);"
          "INSERT INTO answers VALUES(1, 'age', 'answered', '34');");
}

TEST(SqliteFieldworkMigrationTest, Version1StoreIsMigratedToTheCurrentVersion) {
  ASSERT_NE(sqlite::MigrationSql(2), nullptr);
  std::string every_version;  // "1,2,...,kSchemaVersion"
  for (int v = 1; v <= sqlite::kSchemaVersion; ++v) {
    every_version += (v == 1 ? "" : ",") + std::to_string(v);
  }
  TempDir dir;
  std::string path = MakeVersion1Store(dir);

  // Read-only: refused, untouched (IO108), as for any older schema.
  std::string before = internal::Sha256Hex(*ReadFile(path));
  OpenOptions ro;
  ro.read_only = true;
  auto reader = OpenStore(path, ro);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, "IO108");
  EXPECT_EQ(internal::Sha256Hex(*ReadFile(path)), before);

  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
    auto s = (*store)->GetSubmission("uuid:00000000-0000-4000-8000-000000000001");
    ASSERT_TRUE(s) << s.error().ToString();
    EXPECT_EQ(s->org_id, "KH01");
    EXPECT_EQ(s->answers.at("age"), Answer::Answered("34"));
    FrameImport import;
    import.stratum_column = "country";
    import.entries = {{ "KH01", "Center A", "KH", "", "", "", {}, 0, 0 }};
    ASSERT_TRUE((*store)->ImportFrame(import));
    ContactRecord contact;
    contact.org_id = "KH01";
    contact.date = "2026-03-02";
    contact.mode = "letter";
    contact.outcome = "no-reply";
    contact.disposition = "3.11";
    ASSERT_TRUE((*store)->AddContact(contact));
  }
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), std::to_string(sqlite::kSchemaVersion));
  EXPECT_EQ(QueryText(path, "SELECT group_concat(version) FROM schema_migrations"), every_version);
  // Migration 3 packed the completed submission's answer row.
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM answers"), "0");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM packed_answers"), "1");
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 2"),
            "fieldwork log: sample frame and contacts");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM submissions"), "1");
  EXPECT_EQ(QueryText(path, "SELECT org_id || ' ' || contact_date FROM contacts"),
            "KH01 2026-03-02");

  // Opened again: nothing to migrate, the log is there, read-only now works.
  auto again = OpenStore(path, ro);
  ASSERT_TRUE(again) << again.error().ToString();
  auto frame = (*again)->ReadFrame();
  ASSERT_TRUE(frame);
  ASSERT_EQ(frame->entries.size(), 1u);
  EXPECT_EQ(frame->entries[0].name, "Center A");
}

TEST(SqliteFieldworkMigrationTest, ContactsMustPointAtTheFrameEvenThroughSql) {
  TempDir dir;
  std::string path = dir.File("store.db");
  ASSERT_TRUE(OpenStore(path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  Sql(db, "PRAGMA foreign_keys = ON");
  int rc = sqlite3_exec(db,
                        "INSERT INTO contacts(org_id, contact_date, mode, outcome, disposition, "
                        "note, made_by, recorded_at_ms) VALUES('XX', '2026-03-02', 'visit', "
                        "'refusal', '2.11', '', '', 1)",
                        nullptr, nullptr, nullptr);
  EXPECT_NE(rc, SQLITE_OK) << "a contact for an organisation outside the frame";
  rc = sqlite3_exec(db,
                    "INSERT INTO frame_entries VALUES(1, 'KH01', 'A', 'KH', '', '', '', 1);"
                    "INSERT INTO contacts(org_id, contact_date, mode, outcome, disposition, "
                    "note, made_by, recorded_at_ms) VALUES('KH01', '2026-03-02', 'fax', "
                    "'refusal', '2.11', '', '', 1)",
                    nullptr, nullptr, nullptr);
  EXPECT_NE(rc, SQLITE_OK) << "an unknown mode";
  sqlite3_close(db);
}

}  // namespace
}  // namespace ngosurvey::store
