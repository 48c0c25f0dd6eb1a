// Schema 11: the UTC offsets that the start and end times were written with
// (Submission::started_offset_minutes, ended_offset_minutes). A store that an
// ngosurvey with schema 10 left keeps its submissions, with no offset known (their
// times stay shown in UTC), and takes offsets from then on; a read-only open refuses
// it untouched.
#include <gtest/gtest.h>

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
using testing::TestDraft;
using testing::Uuid;

TEST(SqliteOffsetsMigrationTest, Version10StoreGetsOffsetsAndKeepsItsSubmissions) {
  ASSERT_NE(sqlite::MigrationSql(11), nullptr);
  TempDir dir;
  std::string path = MakeStoreAtVersion(
      dir, 10,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by) "
          "VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, 900, 'km', '');"
          "INSERT INTO submission_metadata(submission_id, position, name, value) "
          "VALUES(1, 0, '_id', '12');"
          "INSERT INTO answers(submission_id, path, state, value) "
          "VALUES(1, 'age', 'answered', '71');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 11"),
            "the UTC offsets of the start and end times as written");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto old = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(old) << old.error().ToString();
  EXPECT_EQ(old->started_offset_minutes, std::nullopt) << "no offset known: shown in UTC";
  EXPECT_EQ(old->started_at_ms, 500);
  EXPECT_EQ(old->answers.at("age").value, "71");
  EXPECT_EQ(old->metadata.size(), 1u);
  Submission imported = TestDraft(Uuid(2));
  imported.started_offset_minutes = 420;
  ASSERT_TRUE((*store)->CreateSubmission(imported));
  store->reset();
  EXPECT_EQ(QueryText(path,
                      "SELECT group_concat(coalesce(started_offset_min, 'NULL'), ';') FROM "
                      "(SELECT started_offset_min FROM submissions ORDER BY id)"),
            "NULL;420");
}

}  // namespace
}  // namespace ngosurvey::store
