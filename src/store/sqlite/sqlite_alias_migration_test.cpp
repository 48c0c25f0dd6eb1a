// Schema 12: earlier instanceIDs of submissions (instance_aliases: ODK's edit of an
// edit). A store that an ngosurvey with schema 11 left keeps its submissions, with no
// alias, and gains the table; a read-only open refuses it untouched.
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
using testing::Uuid;

TEST(SqliteAliasMigrationTest, Version11StoreGetsAliasesAndKeepsItsSubmissions) {
  ASSERT_NE(sqlite::MigrationSql(12), nullptr);
  TempDir dir;
  std::string path = MakeStoreAtVersion(
      dir, 11,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, "
          "org_id, interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, "
          "submitted_by) VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, 900, 'km', '');"
          "INSERT INTO answers(submission_id, path, state, value) "
          "VALUES(1, 'age', 'answered', '71');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 12"),
            "earlier instance ids of submissions (ODK edits of edits)");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM instance_aliases"), "0");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto old = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(old) << old.error().ToString();
  EXPECT_EQ(old->answers.at("age").value, "71");
  ASSERT_TRUE((*store)->CompleteSubmission(Uuid(1), 1000));
  ASSERT_TRUE((*store)->Amend({Uuid(1), "odk import", "ODK edit", {}, Uuid(2)}));
  auto by_alias = (*store)->GetSubmission(Uuid(2));
  ASSERT_TRUE(by_alias) << by_alias.error().ToString();
  EXPECT_EQ(by_alias->instance_id, Uuid(1));
  store->reset();
  EXPECT_EQ(QueryText(path, "SELECT alias || '=' || submission_id FROM instance_aliases"),
            Uuid(2) + "=1");
}

}  // namespace
}  // namespace ngosurvey::store
