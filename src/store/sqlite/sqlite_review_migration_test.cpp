// Schema 9: reviews of submissions (store/review.h). A store that an ngosurvey with
// schema 8 left keeps its submissions, none of them reviewed, gains the reviews
// table and the submissions table's indexes; a read-only open refuses it untouched.
#include <gtest/gtest.h>

#include "store/packed_answers.h"
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

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

TEST(SqliteReviewMigrationTest, Version8StoreGetsReviewsAndKeepsItsSubmissions) {
  ASSERT_NE(sqlite::MigrationSql(9), nullptr);
  TempDir dir;
  std::string packed;
  packed::Encode({{"age", form::Answer::Answered("71")}}, &packed);
  std::string path = MakeStoreAtVersion(
      dir, 8,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by) "
          "VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'complete', 'main', 'KH02', 'dara', 500, 900, 900, 'km', "
          "'dara');"
          "INSERT INTO packed_answers(submission_id, data) VALUES(1, x'" +
          Hex(packed) + "');");

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 9"),
            "reviews of submissions; indexes of the submissions table per form");
  EXPECT_EQ(QueryText(path, "SELECT review_status FROM submissions"), "");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_FALSE((*store)->GetReview(Uuid(1))->has_value());
  SubmissionQuery query;
  query.review = "none";
  auto rows = (*store)->QuerySubmissions(query);
  ASSERT_TRUE(rows) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].submitted_by, "dara");
  auto set = (*store)->SetReview({Uuid(1), ReviewStatus::kApproved, "", "lan"});
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ((*store)->GetSubmission(Uuid(1))->answers.at("age").value, "71");
  store->reset();
  EXPECT_EQ(QueryText(path, "SELECT review_status FROM submissions"), "approved");
  EXPECT_EQ(QueryText(path, "SELECT field || ' ' || reason FROM audit"),
            "_validation_status (review without comment)");
  // The table's queries go through an index, never a scan of every submission.
  EXPECT_EQ(QueryText(path,
                      "SELECT count(*) FROM pragma_index_list('submissions') WHERE name LIKE "
                      "'submissions_by_%'"),
            "12")
      << "schema 1's two, schema 7's one and schema 9's nine";
}

}  // namespace
}  // namespace ngosurvey::store
