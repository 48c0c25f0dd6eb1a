// Schema 6: attachments in the SQLite file. The bytes are kept once per SHA-256,
// bytes that no longer match their hash are reported as damage (IO105), and a
// schema-5 store migrates with its submissions intact.
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
using testing::RawSql;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

Attachment File(const std::string& id, const std::string& name, const std::string& data) {
  Attachment a;
  a.instance_id = id;
  a.name = name;
  a.data = data;
  return a;
}

TEST(SqliteAttachmentsTest, SameBytesStoredOnceAndDamageDetected) {
  TempDir dir;
  std::string path = dir.File("store.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->PutForm(TestForm()));
    ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(1))));
    ASSERT_TRUE((*store)->CreateSubmission(TestDraft(Uuid(2))));
    ASSERT_TRUE((*store)->PutAttachments(
        {File(Uuid(1), "a.jpg", "photo"), File(Uuid(2), "b.jpg", "photo")}));
  }
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM blobs"), "1");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM attachments"), "2");
  EXPECT_EQ(QueryText(path, "PRAGMA foreign_key_check"), "");

  RawSql(path, "UPDATE blobs SET data = x'70686f746f21'");  // "photo!"
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  auto got = (*store)->GetAttachment(Uuid(1), "a.jpg");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, "IO105");
  EXPECT_NE(got.error().message.find("a.jpg"), std::string::npos);
  EXPECT_EQ(got.error().where.file, path);
}

TEST(SqliteAttachmentsTest, Version5StoreMigrates) {
  ASSERT_NE(sqlite::MigrationSql(6), nullptr);
  TempDir dir;
  std::string path = MakeStoreAtVersion(
      dir, 5,
      std::string(testing::kNgoStaffFormRowSql) +
          "INSERT INTO submissions(id, instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language) VALUES(1, '" +
          Uuid(1) +
          "', 'ngo_staff', '1', 'draft', 'main', 'KH01', 'sokha', 1000, NULL, 2000, 'km');");
  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 6"),
            "attachments of submissions, content-addressed");
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_TRUE((*store)->GetSubmission(Uuid(1)));
  ASSERT_TRUE((*store)->PutAttachments({File(Uuid(1), "1.jpg", "x")}));
  EXPECT_EQ((*store)->GetAttachment(Uuid(1), "1.jpg")->data, "x");
}

}  // namespace
}  // namespace ngosurvey::store
