// Schema 4: each submission keeps the language its interview was last shown in
// (Submission::language). Migration from a store that an ngosurvey with schema 3
// left: its drafts and packed submissions survive with an unknown ('') language, a
// read-only open refuses it untouched, and a failure in migration 4 undoes the
// earlier migrations of the same open too.
#include <gtest/gtest.h>

#include "store/packed_answers.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::ExpectMigratedOnlyWhenWritable;
using testing::MakeStoreAtVersion;
using testing::MakeVersion2Store;
using testing::QueryText;
using testing::TempDir;
using testing::Uuid;

// The packed answers of the complete submission below, as schema 3 stored them.
Answers CompleteAnswers() {
  Answers answers;
  answers["age"] = Answer::Answered("34");
  answers["name"] = Answer::Answered("សុខា");
  answers["grp/q1"] = Answer::Refused();
  return answers;
}

std::string HexOf(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) hex += {kDigits[c >> 4], kDigits[c & 15]};
  return hex;
}

// A schema-3 store as ngosurvey with schema 3 left it, written by hand: a complete
// submission (packed answers) and a draft (answer rows).
std::string MakeVersion3Store(const TempDir& dir) {
  std::string blob;
  packed::Encode(CompleteAnswers(), &blob);
  std::string path = MakeStoreAtVersion(
      dir, 3,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms) VALUES"
          "(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'complete', 'main', 'KH01', 'sokha', 1000, "
          "2000, 2000),"
          "(2, '" +
          Uuid(2) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH02', 'dara', 500, NULL, "
          "600);"
          "INSERT INTO packed_answers VALUES(1, x'" +
          HexOf(blob) +
          "');"
          "INSERT INTO answers VALUES(2, 'age', 'answered', '51');");
  return path;
}

TEST(SqliteLanguageMigrationTest, Version3StoreGetsAnUnknownLanguage) {
  ASSERT_NE(sqlite::MigrationSql(4), nullptr);
  TempDir dir;
  std::string path = MakeVersion3Store(dir);

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  OpenOptions ro;
  ro.read_only = true;
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 4"),
            "the language of each submission's interview");
  EXPECT_EQ(QueryText(path, "SELECT group_concat(quote(language)) FROM submissions"), "'',''");
  EXPECT_EQ(QueryText(path, "PRAGMA foreign_key_check"), "");

  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto all = (*store)->ListSubmissions();
  ASSERT_TRUE(all) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].instance_id, Uuid(2));
  EXPECT_EQ((*all)[0].language, "");
  EXPECT_EQ((*all)[0].answers, (Answers{{"age", Answer::Answered("51")}}));
  EXPECT_EQ((*all)[1].language, "");
  EXPECT_EQ((*all)[1].answers, CompleteAnswers());

  // The migrated draft takes a language with its next save and keeps it when complete.
  ASSERT_TRUE((*store)->SaveDraft(Uuid(2), {{"name", Answer::Answered("Dara")}}, "km"));
  ASSERT_TRUE((*store)->CompleteSubmission(Uuid(2), 900));
  store->reset();
  auto reopened = OpenStore(path, ro);
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  auto draft = (*reopened)->GetSubmission(Uuid(2));
  ASSERT_TRUE(draft) << draft.error().ToString();
  EXPECT_EQ(draft->language, "km");
  EXPECT_EQ(draft->status, SubmissionStatus::kComplete);
  EXPECT_EQ(draft->answers.size(), 2u);
  EXPECT_EQ((*reopened)->GetSubmission(Uuid(1))->language, "");
}

TEST(SqliteLanguageMigrationTest, FailedMigration4UndoesTheWholeUpgrade) {
  TempDir dir;
  // A schema-2 store whose submissions table already has a `language` column (a
  // tool added it by hand): migration 3 succeeds, 4 cannot add the column, and the
  // store must stay exactly at schema 2, its complete submissions unpacked.
  std::string path = MakeVersion2Store(dir, "ALTER TABLE submissions ADD COLUMN language TEXT;");
  auto store = OpenStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().where.file, path) << store.error().ToString();
  EXPECT_NE(store.error().message.find("migration 4"), std::string::npos)
      << store.error().ToString();
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), "2");
  EXPECT_EQ(QueryText(path, "SELECT group_concat(version) FROM schema_migrations"), "1,2");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'packed_answers'"),
            "0");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM answers"), "5");  // every row, none packed
}

}  // namespace
}  // namespace ngosurvey::store
