// The attachments contract of store.h (PutAttachments, GetAttachment,
// ListAttachments, SubmissionBatch::attachments, ImportWriter::AddAttachment) and the
// amendments an import carries (SubmissionBatch::amendments, ImportWriter::Amend: ODK
// edits), run against every back end (back_ends_test_util.h).
#include <gtest/gtest.h>

#include <memory>

#include "store/back_ends_test_util.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using testing::BackEndNames;
using testing::BackEnds;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

Attachment File(const std::string& id, const std::string& name, const std::string& data,
                const std::string& type = "image/jpeg") {
  Attachment a;
  a.instance_id = id;
  a.name = name;
  a.data = data;
  a.content_type = type;
  return a;
}

Submission Complete(const std::string& id) {
  Submission s = TestDraft(id);
  s.status = SubmissionStatus::kComplete;
  s.ended_at_ms = 2000;
  s.answers["photo"] = form::Answer::Answered("1.jpg");
  return s;
}

template <typename BackEnd>
class AttachmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->PutForm(TestForm()));
  }
  Store& store() { return *store_; }

  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(AttachmentsTest, BackEnds, BackEndNames);

TYPED_TEST(AttachmentsTest, StoredWithTheBatchAndReadBack) {
  Store& store = this->store();
  SubmissionBatch batch;
  batch.submissions = {Complete(Uuid(1)), Complete(Uuid(2))};
  std::string jpeg("\xff\xd8\xff\xe0\0JFIF", 9);
  batch.attachments = {File(Uuid(1), "1.jpg", jpeg), File(Uuid(1), "audit.csv", "event\n", ""),
                       File(Uuid(2), "1.jpg", jpeg)};
  ASSERT_TRUE(store.CreateSubmissions(batch));

  auto got = store.GetAttachment(Uuid(1), "1.jpg");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->data, jpeg) << "bytes with NUL kept";
  EXPECT_EQ(got->sha256, internal::Sha256Hex(jpeg));
  EXPECT_EQ(got->size, 9);
  EXPECT_EQ(got->content_type, "image/jpeg");
  EXPECT_EQ(got->added_at_ms, 1700000000000);

  auto list = store.ListAttachments(Uuid(1));
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "1.jpg");
  EXPECT_EQ((*list)[1].name, "audit.csv");
  EXPECT_TRUE((*list)[0].data.empty()) << "lists carry no bytes";
  EXPECT_EQ((*list)[1].size, 6);
  EXPECT_EQ(store.ListAttachments(Uuid(2))->size(), 1u);
  EXPECT_TRUE(store.ListAttachments(Uuid(9))->empty());
  EXPECT_EQ(store.GetAttachment(Uuid(1), "2.jpg").error().code, "ST002");
}

TYPED_TEST(AttachmentsTest, AddedLaterResentAndConflicts) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(Complete(Uuid(1))));
  // OpenRosa sends large media in later requests, and resends after a timeout.
  ASSERT_TRUE(store.PutAttachments({File(Uuid(1), "1.jpg", "first")}));
  this->clock_.Set(1700000009000);
  ASSERT_TRUE(store.PutAttachments({File(Uuid(1), "1.jpg", "first")}));
  EXPECT_EQ(store.GetAttachment(Uuid(1), "1.jpg")->added_at_ms, 1700000000000);

  auto conflict =
      store.PutAttachments({File(Uuid(1), "2.m4a", "audio"), File(Uuid(1), "1.jpg", "second")});
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, "ST009");
  EXPECT_NE(conflict.error().message.find("1.jpg"), std::string::npos);
  EXPECT_EQ(store.GetAttachment(Uuid(1), "2.m4a").error().code, "ST002") << "all or nothing";

  auto unknown = store.PutAttachments({File(Uuid(1), "3.jpg", "x"), File(Uuid(5), "4.jpg", "y")});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "ST002");
  EXPECT_EQ(store.ListAttachments(Uuid(1))->size(), 1u);

  auto twice = store.PutAttachments({File(Uuid(1), "5.jpg", "a"), File(Uuid(1), "5.jpg", "b")});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "ST001");
  ASSERT_TRUE(store.PutAttachments({File(Uuid(1), "6.jpg", "a"), File(Uuid(1), "6.jpg", "a")}));
  ASSERT_TRUE(store.PutAttachments({File(Uuid(1), "empty.txt", "")}));
  EXPECT_EQ(store.GetAttachment(Uuid(1), "empty.txt")->data, "");
}

TYPED_TEST(AttachmentsTest, NamesMustBePlainFileNames) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(Complete(Uuid(1))));
  for (const std::string& name :
       std::vector<std::string>{"", "..", ".", "a/b.jpg", "..\\x", std::string("a\0b", 3),
                                "\xff.jpg", std::string(256, 'n')}) {
    auto put = store.PutAttachments({File(Uuid(1), name, "x")});
    ASSERT_FALSE(put) << name;
    EXPECT_EQ(put.error().code, "ST001") << name;
  }
  auto bad_id = store.PutAttachments({File("uuid:nope", "a.jpg", "x")});
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().code, "ST001");
  EXPECT_TRUE(store.ListAttachments(Uuid(1))->empty());
}

TYPED_TEST(AttachmentsTest, BatchWithABadAttachmentStoresNothing) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(Complete(Uuid(1))));
  ASSERT_TRUE(store.PutAttachments({File(Uuid(1), "1.jpg", "first")}));
  SubmissionBatch batch;
  batch.submissions = {Complete(Uuid(2))};
  batch.attachments = {File(Uuid(2), "1.jpg", "ok"), File(Uuid(1), "1.jpg", "changed")};
  auto stored = store.CreateSubmissions(batch);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, "ST009");
  EXPECT_EQ(store.GetSubmission(Uuid(2)).error().code, "ST002");
  EXPECT_TRUE(store.ListAttachments(Uuid(2))->empty());
}

TYPED_TEST(AttachmentsTest, ImportWriterKeepsAttachmentsOnlyOnCommit) {
  Store& store = this->store();
  {
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer) << writer.error().ToString();
    ASSERT_TRUE((*writer)->Add(Complete(Uuid(1))));
    ASSERT_TRUE((*writer)->AddAttachment(File(Uuid(1), "1.jpg", "bytes")));
  }  // destroyed without Commit
  EXPECT_EQ(store.GetSubmission(Uuid(1)).error().code, "ST002");
  {
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Add(Complete(Uuid(1))));
    ASSERT_TRUE((*writer)->AddAttachment(File(Uuid(1), "1.jpg", "bytes")));
    ASSERT_TRUE((*writer)->Commit());
  }
  EXPECT_EQ(store.GetAttachment(Uuid(1), "1.jpg")->data, "bytes");
}

Amendment Edit(const std::string& id, const std::string& photo) {
  Amendment a;
  a.instance_id = id;
  a.who = "odk";
  a.reason = "ODK edit";
  a.changes = {{"photo", form::Answer::Answered(photo)}, {"age", form::Answer::Answered("40")}};
  return a;
}

TYPED_TEST(AttachmentsTest, BatchAmendmentsAreAuditedInTheSameTransaction) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(Complete(Uuid(1))));
  SubmissionBatch batch;
  batch.submissions = {Complete(Uuid(2))};
  batch.amendments = {Edit(Uuid(1), "2.jpg"), Edit(Uuid(2), "3.jpg")};
  batch.attachments = {File(Uuid(1), "2.jpg", "new photo")};
  ASSERT_TRUE(store.CreateSubmissions(batch));
  auto one = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->answers.at("photo"), form::Answer::Answered("2.jpg"));
  EXPECT_EQ(one->answers.at("age"), form::Answer::Answered("40"));
  EXPECT_EQ(store.GetSubmission(Uuid(2))->answers.at("photo"), form::Answer::Answered("3.jpg"));
  auto audit = store.ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 3u);  // completion, then photo and age
  EXPECT_EQ((*audit)[1].who, "odk");
  EXPECT_EQ((*audit)[1].reason, "ODK edit");
  EXPECT_TRUE(store.VerifyAudit()->ok());

  // An amendment that fails (unknown submission) stores nothing of the batch.
  SubmissionBatch bad;
  bad.submissions = {Complete(Uuid(3))};
  bad.amendments = {Edit(Uuid(1), "4.jpg"), Edit(Uuid(9), "5.jpg")};
  auto refused = store.CreateSubmissions(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "ST002");
  EXPECT_EQ(store.GetSubmission(Uuid(3)).error().code, "ST002");
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.at("photo"), form::Answer::Answered("2.jpg"));
  EXPECT_EQ(store.ReadAudit(Uuid(1))->size(), 3u);

  // Through a writer: kept only on Commit.
  {
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Amend(Edit(Uuid(1), "6.jpg")));
  }
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.at("photo"), form::Answer::Answered("2.jpg"));
  {
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Amend(Edit(Uuid(1), "6.jpg")));
    ASSERT_TRUE((*writer)->Commit());
  }
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.at("photo"), form::Answer::Answered("6.jpg"));
  EXPECT_TRUE(store.VerifyAudit()->ok());
}

}  // namespace
}  // namespace ngosurvey::store
