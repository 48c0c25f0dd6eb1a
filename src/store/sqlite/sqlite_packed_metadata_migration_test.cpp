// Schema 13: the platforms' metadata columns packed, one row per submission (a JSON array
// of [name, value] pairs in the export's order) instead of one row per column. A store that
// an ngosurvey with schema 12 left keeps every column of every submission, in order, texts
// that JSON must escape included; the old table is gone; the columns an export lists are
// the same; a read-only open refuses it untouched.
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

std::string SubmissionRowSql(int id) {
  return "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
         "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by) "
         "VALUES(" +
         std::to_string(id) + ", '" + Uuid(id) + "', 'ngo_staff', '1', 'draft', 'main', 'KH02', " +
         "'dara', " + std::to_string(500 + id) + ", NULL, 900, 'km', '');";
}

TEST(SqlitePackedMetadataMigrationTest, Version12StoreKeepsEveryColumnInOrder) {
  ASSERT_NE(sqlite::MigrationSql(13), nullptr);
  TempDir dir;
  // Submission 1's columns written out of position order; submission 2 has none;
  // submission 3 shares a column with 1 at another position.
  std::string path = MakeStoreAtVersion(
      dir, 12,
      std::string(testing::kNgoStaffFormRowSql) + SubmissionRowSql(1) + SubmissionRowSql(2) +
          SubmissionRowSql(3) +
          "INSERT INTO submission_metadata(submission_id, position, name, value) VALUES"
          "(1, 2, 'note', 'said \"no\" \\ then' || char(10) || 'left' || char(9) || '.'),"
          "(1, 0, '_id', '12'),"
          "(1, 1, 'grp/_loc_latitude', '11.55'),"
          "(1, 3, 'Tên', 'Phòng khám ' || char(1)),"
          "(3, 0, '_uuid', 'abc'),"
          "(3, 1, '_id', ''),"
          "(3, 2, 'extra', 'x');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 13"),
            "the platforms' metadata columns packed, one row per submission");
  EXPECT_EQ(
      QueryText(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'submission_metadata'"),
      "0");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM packed_metadata"), "2") << "none for 2";
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto first = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(first) << first.error().ToString();
  std::vector<MetadataField> want = {{"_id", "12"},
                                     {"grp/_loc_latitude", "11.55"},
                                     {"note", "said \"no\" \\ then\nleft\t."},
                                     {"Tên", "Phòng khám \x01"}};
  ASSERT_EQ(first->metadata.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(first->metadata[i].column, want[i].column) << i;
    EXPECT_EQ(first->metadata[i].value, want[i].value) << i;
  }
  auto second = (*store)->GetSubmission(Uuid(2));
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(second->metadata.empty());
  auto third = (*store)->GetSubmission(Uuid(3));
  ASSERT_TRUE(third) << third.error().ToString();
  ASSERT_EQ(third->metadata.size(), 3u);
  EXPECT_EQ(third->metadata[1].column, "_id");
  EXPECT_EQ(third->metadata[1].value, "");

  // The export's columns: each once, by smallest position, then name.
  auto columns = (*store)->MetadataColumns({});
  ASSERT_TRUE(columns) << columns.error().ToString();
  EXPECT_EQ(*columns, (std::vector<std::string>{"_id", "_uuid", "grp/_loc_latitude", "extra",
                                                "note", "Tên"}));

  // New submissions are packed as they are written, and listed with the others.
  Submission imported = TestDraft(Uuid(4));
  imported.metadata = {{"_submission_time", "2024-05-01T09:00:00"}, {"_id", "13"}};
  ASSERT_TRUE((*store)->CreateSubmission(imported));
  auto all = (*store)->ListSubmissions();
  ASSERT_TRUE(all) << all.error().ToString();
  ASSERT_EQ(all->size(), 4u);
  for (const Submission& s : *all) {
    if (s.instance_id == Uuid(4)) {
      ASSERT_EQ(s.metadata.size(), 2u);
      EXPECT_EQ(s.metadata[0].column, "_submission_time");
    }
  }
  store->reset();
  EXPECT_EQ(QueryText(path, "SELECT data FROM packed_metadata WHERE submission_id = " +
                                std::string("(SELECT id FROM submissions WHERE instance_id = '") +
                                Uuid(4) + "')"),
            R"([["_submission_time","2024-05-01T09:00:00"],["_id","13"]])");
}

}  // namespace
}  // namespace ngosurvey::store
