// Schema 5: the codings of open answers (store/codings.h). Migration from a store that
// an ngosurvey with schema 4 left: its submissions survive, the codings table starts
// empty and takes codings, a read-only open refuses the old store untouched, and a
// failure in migration 5 leaves the store at schema 4.
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::ExpectMigratedOnlyWhenWritable;
using testing::MakeStoreAtVersion;
using testing::QueryText;
using testing::TempDir;
using testing::Uuid;

// A schema-4 store as ngosurvey with schema 4 left it, written by hand: a draft with an
// open answer. `extra_sql` runs last (to break migration 5).
std::string MakeVersion4Store(const TempDir& dir, const std::string& extra_sql = "") {
  std::string path = MakeStoreAtVersion(
      dir, 4,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language) VALUES"
          "(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH01', 'sokha', 1000, NULL, "
          "2000, 'km');"
          "INSERT INTO answers VALUES(1, 'remarks', 'answered', 'Needs funding');" +
          extra_sql);
  return path;
}

TEST(SqliteCodingsMigrationTest, Version4StoreGetsAnEmptyCodingsTable) {
  ASSERT_NE(sqlite::MigrationSql(5), nullptr);
  TempDir dir;
  std::string path = MakeVersion4Store(dir);
  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 5"),
            "codings of open answers");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM codings"), "0");
  EXPECT_EQ(QueryText(path, "PRAGMA foreign_key_check"), "");

  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto draft = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(draft) << draft.error().ToString();
  EXPECT_EQ(draft->language, "km");
  EXPECT_EQ(draft->answers.at("remarks"), Answer::Answered("Needs funding"));
  AnswerCoding coding;
  coding.instance_id = Uuid(1);
  coding.question = "remarks";
  coding.coder = "lan";
  coding.segments = {CodedSegment{"funding", 6, 13}};
  ASSERT_TRUE((*store)->PutCodings({coding}));
  auto listed = (*store)->ListCodings("remarks");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().segments, coding.segments);
  EXPECT_EQ(QueryText(path, "SELECT code || ' ' || start_cp || ' ' || end_cp FROM codings"),
            "funding 6 13");
}

TEST(SqliteCodingsMigrationTest, FailedMigration5LeavesSchema4) {
  TempDir dir;
  // A tool made its own `codings` table: migration 5 cannot create it.
  std::string path =
      MakeVersion4Store(dir, "CREATE TABLE codings(x TEXT); INSERT INTO codings VALUES('mine');");
  auto store = OpenStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().where.file, path) << store.error().ToString();
  EXPECT_NE(store.error().message.find("migration 5"), std::string::npos)
      << store.error().ToString();
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), "4");
  EXPECT_EQ(QueryText(path, "SELECT group_concat(version) FROM schema_migrations"), "1,2,3,4");
  EXPECT_EQ(QueryText(path, "SELECT x FROM codings"), "mine");
}

}  // namespace
}  // namespace ngosurvey::store
