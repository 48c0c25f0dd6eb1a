// Schema 3: completed submissions keep their answers packed in one BLOB
// (store/packed_answers.h), drafts keep one row per answer. Migration from schema 2,
// amendments of packed answers, damaged blobs, and listings that mix both forms.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "base/file.h"
#include "store/packed_answers.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::ExpectMigratedOnlyWhenWritable;
using testing::MakeVersion2Store;
using testing::QueryText;
using testing::RawSql;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

TEST(SqlitePackedAnswersTest, Version2StoreIsPackedOnceOpenedReadWrite) {
  ASSERT_NE(sqlite::MigrationSql(3), nullptr);
  EXPECT_EQ(sqlite::MigrationSql(sqlite::kSchemaVersion + 1), nullptr);
  TempDir dir;
  std::string path = MakeVersion2Store(dir);

  ASSERT_NO_FATAL_FAILURE(ExpectMigratedOnlyWhenWritable(path));
  OpenOptions ro;
  ro.read_only = true;
  // Migrated to the current version, through migration 3 and every later one.
  EXPECT_EQ(QueryText(path, "SELECT max(version) FROM schema_migrations"),
            std::to_string(sqlite::kSchemaVersion));
  EXPECT_EQ(QueryText(path, "SELECT description FROM schema_migrations WHERE version = 3"),
            "packed answers of completed submissions");
  // Only the draft keeps answer rows; both complete submissions are packed.
  EXPECT_EQ(QueryText(path, "SELECT group_concat(submission_id || ':' || path) FROM answers"),
            "2:age");
  EXPECT_EQ(QueryText(path, "SELECT group_concat(submission_id) FROM packed_answers"), "1,3");

  auto store = OpenStore(path, ro);
  ASSERT_TRUE(store) << store.error().ToString();
  auto one = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(one) << one.error().ToString();
  Answers want;
  want["age"] = Answer::Answered("34");
  want["grp/q1"] = Answer::Refused();
  want["grp/q2"] = Answer::DontKnow();
  want["name"] = Answer::Answered("សុខា");
  EXPECT_EQ(one->answers, want);
  auto all = (*store)->ListSubmissions();
  ASSERT_TRUE(all) << all.error().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].instance_id, Uuid(2));
  EXPECT_EQ((*all)[0].answers.at("age"), Answer::Answered("51"));
  EXPECT_EQ((*all)[1].answers, want);
  EXPECT_TRUE((*all)[2].answers.empty());
}

TEST(SqlitePackedAnswersTest, FailedMigrationLeavesVersion2Untouched) {
  TempDir dir;
  // An answer row with a state no ngosurvey writes (forced past the CHECK): packing
  // it fails, and so the whole migration.
  std::string path = MakeVersion2Store(dir,
                                       "PRAGMA ignore_check_constraints = ON;"
                                       "INSERT INTO answers VALUES(3, 'age', 'maybe', '1');"
                                       "PRAGMA ignore_check_constraints = OFF;");
  auto store = OpenStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, "IO105") << store.error().ToString();
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), "2");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'packed_answers'"),
            "0");
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM answers"), "6");
}

class SqlitePackedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("store.db");
    auto store = OpenStore(path_);
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->PutForm(TestForm()));
  }

  Submission Complete(int n, int64_t started) {
    Submission s = TestDraft(Uuid(n), started);
    s.status = SubmissionStatus::kComplete;
    s.ended_at_ms = started + 10;
    s.answers["age"] = Answer::Answered(std::to_string(20 + n));
    s.answers["grp/q1"] = Answer::Refused();
    return s;
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqlitePackedStoreTest, CompletionMovesTheDraftRowsIntoTheBlob) {
  ASSERT_TRUE(store_->CreateSubmission(TestDraft(Uuid(1))));
  ASSERT_TRUE(store_->SaveDraft(
      Uuid(1), {{"age", Answer::Answered("40")}, {"name", Answer::Answered("Lan")}}));
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM answers"), "2");
  ASSERT_TRUE(store_->CompleteSubmission(Uuid(1), 5000));
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM answers"), "0");
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM packed_answers"), "1");
  auto s = store_->GetSubmission(Uuid(1));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->answers.size(), 2u);
  EXPECT_EQ(s->answers.at("name"), Answer::Answered("Lan"));
  // A complete submission created directly (a device upload) is packed at once.
  ASSERT_TRUE(store_->CreateSubmission(Complete(2, 2000)));
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM answers"), "0");
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM packed_answers"), "2");
}

TEST_F(SqlitePackedStoreTest, AmendmentRewritesTheBlobAndAudits) {
  ASSERT_TRUE(store_->CreateSubmission(Complete(1, 1000)));
  Amendment change;
  change.instance_id = Uuid(1);
  change.who = "supervisor";
  change.reason = "call-back";
  change.changes = {
      {"age", Answer::Answered("44")}, {"grp/q1", std::nullopt}, {"grp/q0", Answer::DontKnow()}};
  ASSERT_TRUE(store_->Amend(change));
  auto s = store_->GetSubmission(Uuid(1));
  ASSERT_TRUE(s) << s.error().ToString();
  Answers want;
  want["age"] = Answer::Answered("44");
  want["grp/q0"] = Answer::DontKnow();
  EXPECT_EQ(s->answers, want);
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM answers"), "0");
  auto audit = store_->ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 4u);  // completion + three changes
  EXPECT_EQ((*audit)[1].field, "age");
  EXPECT_EQ((*audit)[1].old_answer, Answer::Answered("21"));
  EXPECT_EQ((*audit)[2].field, "grp/q1");
  EXPECT_EQ((*audit)[2].old_answer, Answer::Refused());
  EXPECT_EQ((*audit)[2].new_answer, std::nullopt);
  EXPECT_EQ((*audit)[3].old_answer, std::nullopt);
  auto verified = store_->VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
  // Setting what is already there changes nothing (ST007), the blob included.
  std::string blob = QueryText(path_, "SELECT hex(data) FROM packed_answers");
  change.changes = {{"age", Answer::Answered("44")}};
  auto same = store_->Amend(change);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, "ST007");
  EXPECT_EQ(QueryText(path_, "SELECT hex(data) FROM packed_answers"), blob);
}

TEST_F(SqlitePackedStoreTest, DamagedBlobIsNamedNeverRead) {
  ASSERT_TRUE(store_->CreateSubmission(Complete(1, 1000)));
  ASSERT_TRUE(store_->CreateSubmission(Complete(2, 2000)));
  store_.reset();
  // A length that runs past the end of the blob.
  RawSql(path_, "UPDATE packed_answers SET data = x'010100ff0161' WHERE submission_id = 2");
  auto store = OpenStore(path_);
  ASSERT_TRUE(store) << store.error().ToString();
  auto expect_damaged = [&](const Error& error) {
    EXPECT_EQ(error.code, "IO105");
    EXPECT_NE(error.message.find(Uuid(2)), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("at byte"), std::string::npos) << error.message;
    EXPECT_EQ(error.where.file, path_);
  };
  auto one = (*store)->GetSubmission(Uuid(2));
  ASSERT_FALSE(one);
  expect_damaged(one.error());
  auto all = (*store)->ListSubmissions();
  ASSERT_FALSE(all);
  expect_damaged(all.error());
  int visited = 0;
  Status walk =
      (*store)->ForEachSubmission({}, [&](const Submission&, const std::vector<AnswerView>&) {
        ++visited;
        return Ok();
      });
  ASSERT_FALSE(walk);
  expect_damaged(walk.error());
  EXPECT_EQ(visited, 1);
  Amendment change{Uuid(2), "supervisor", "fix", {{"age", Answer::Answered("1")}}};
  auto amended = (*store)->Amend(change);
  ASSERT_FALSE(amended);
  expect_damaged(amended.error());
  // The healthy submission still reads; a missing blob is damage too.
  EXPECT_TRUE((*store)->GetSubmission(Uuid(1)));
  store->reset();
  RawSql(path_, "DELETE FROM packed_answers WHERE submission_id = 1");
  store = OpenStore(path_);
  ASSERT_TRUE(store);
  auto gone = (*store)->GetSubmission(Uuid(1));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "IO105");
  EXPECT_NE(gone.error().message.find("missing"), std::string::npos) << gone.error().message;
}

TEST_F(SqlitePackedStoreTest, ListingsMixDraftsAndCompleteInStartOrder) {
  // Started at 4000, 1000, 3000, 2000, 5000; 1 and 3 are drafts, 4 completed from a draft.
  ASSERT_TRUE(store_->CreateSubmission(TestDraft(Uuid(1), 4000)));
  ASSERT_TRUE(store_->SaveDraft(Uuid(1), {{"age", Answer::Answered("61")}}));
  ASSERT_TRUE(store_->CreateSubmission(Complete(2, 1000)));
  ASSERT_TRUE(store_->CreateSubmission(TestDraft(Uuid(3), 3000)));
  ASSERT_TRUE(store_->CreateSubmission(TestDraft(Uuid(4), 2000)));
  ASSERT_TRUE(store_->SaveDraft(
      Uuid(4), {{"age", Answer::Answered("64")}, {"zz", Answer::Answered("last")}}));
  ASSERT_TRUE(store_->CompleteSubmission(Uuid(4), 2500));
  SubmissionBatch batch;
  batch.submissions = {Complete(5, 5000)};
  ASSERT_TRUE(store_->CreateSubmissions(batch));

  auto all = store_->ListSubmissions();
  ASSERT_TRUE(all) << all.error().ToString();
  std::vector<std::string> order, ages;
  for (const Submission& s : *all) {
    order.push_back(s.instance_id);
    auto it = s.answers.find("age");
    ages.push_back(it == s.answers.end() ? "-" : it->second.value);
  }
  std::vector<std::string> want_order = {Uuid(2), Uuid(4), Uuid(3), Uuid(1), Uuid(5)};
  EXPECT_EQ(order, want_order);
  EXPECT_EQ(ages, (std::vector<std::string>{"22", "64", "-", "61", "25"}));

  std::vector<std::string> walked;
  std::vector<std::string> paths;
  ASSERT_TRUE(store_->ForEachSubmission(
      {}, [&](const Submission& s, const std::vector<AnswerView>& answers) {
        walked.push_back(s.instance_id);
        std::string joined;
        for (const AnswerView& a : answers)
          joined += std::string(a.path) + "=" + std::string(a.value) + ";";
        paths.push_back(joined);
        return Ok();
      }));
  EXPECT_EQ(walked, want_order);
  EXPECT_EQ(paths, (std::vector<std::string>{"age=22;grp/q1=;", "age=64;zz=last;", "", "age=61;",
                                             "age=25;grp/q1=;"}));

  SubmissionFilter complete;
  complete.status = SubmissionStatus::kComplete;
  auto done = store_->ListSubmissions(complete);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->size(), 3u);
  EXPECT_EQ((*done)[1].answers.at("zz"), Answer::Answered("last"));
}

TEST_F(SqlitePackedStoreTest, ImportWriterPacksCompleteAndFindsThem) {
  auto writer = store_->BeginImport(std::nullopt);
  ASSERT_TRUE(writer) << writer.error().ToString();
  ASSERT_TRUE((*writer)->Add(Complete(1, 1000)));
  Submission draft = TestDraft(Uuid(2), 2000);
  draft.answers["age"] = Answer::Answered("9");
  ASSERT_TRUE((*writer)->Add(draft));
  auto found = (*writer)->Find(Uuid(1));
  ASSERT_TRUE(found) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->answers, Complete(1, 1000).answers);
  ASSERT_TRUE((*writer)->Commit());
  writer->reset();
  EXPECT_EQ(QueryText(path_, "SELECT count(*) FROM packed_answers"), "1");
  EXPECT_EQ(QueryText(path_, "SELECT group_concat(path) FROM answers"), "age");
  auto s = store_->GetSubmission(Uuid(1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->answers, Complete(1, 1000).answers);
}

}  // namespace
}  // namespace ngosurvey::store
