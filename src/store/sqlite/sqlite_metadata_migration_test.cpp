// Schema 10: the platforms' metadata columns of imported submissions
// (Submission::metadata). A store that an ngosurvey with schema 9 left keeps its
// submissions, none with metadata, and gains the metadata columns (packed since schema
// 13, sqlite_packed_metadata_migration_test); a read-only open refuses it untouched.
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

TEST(SqliteMetadataMigrationTest, Version9StoreGetsMetadataAndKeepsItsSubmissions) {
  ASSERT_NE(sqlite::MigrationSql(10), nullptr);
  TempDir dir;
  std::string path = MakeStoreAtVersion(
      dir, 9,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by) "
          "VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, 900, 'km', '');"
          "INSERT INTO answers(submission_id, path, state, value) "
          "VALUES(1, 'age', 'answered', '71');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 10"),
            "the platforms' metadata columns of imported submissions");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto old = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(old) << old.error().ToString();
  EXPECT_TRUE(old->metadata.empty());
  EXPECT_EQ(old->answers.at("age").value, "71");
  Submission imported = TestDraft(Uuid(2));
  imported.metadata = {{"_submission_time", "2024-05-01T09:00:00"}, {"_id", "12"}};
  ASSERT_TRUE((*store)->CreateSubmission(imported));
  store->reset();
  EXPECT_EQ(QueryText(path, "SELECT data FROM packed_metadata"),
            R"([["_submission_time","2024-05-01T09:00:00"],["_id","12"]])")
      << "the columns in the given order (packed since schema 13)";
}

}  // namespace
}  // namespace ngosurvey::store
