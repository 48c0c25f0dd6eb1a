#include "server/group_commit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace ngosurvey::server {
namespace {

using store::testing::TempDir;
using store::testing::TestForm;
using store::testing::Uuid;

store::SubmissionBatch NewSubmission(int n) {
  store::Submission s;
  s.instance_id = Uuid(n);
  s.form_id = "ngo_staff";
  s.form_version = "1";
  s.status = store::SubmissionStatus::kComplete;
  s.started_at_ms = 1000 + n;
  s.ended_at_ms = 2000 + n;
  s.submitted_by = "sokha";
  s.answers["org_name"] = form::Answer::Answered("Org " + std::to_string(n));
  store::SubmissionBatch batch;
  batch.submissions.push_back(s);
  store::Attachment xml;
  xml.instance_id = s.instance_id;
  xml.name = "submission.xml";
  xml.content_type = "text/xml";
  xml.data = "<data>" + std::to_string(n) + "</data>";
  batch.attachments.push_back(xml);
  return batch;
}

template <typename Predicate>
bool WaitFor(Predicate done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Batches that arrive while a commit runs wait for it, then share one transaction;
// each waiter gets its own outcome, and a duplicate instanceID in the group fails
// only itself (the group is rolled back and its members stored one by one). The
// first commit is held back by another connection holding the SQLite file's write
// lock (an open import), so that the others queue up behind it, as they do behind a
// slow fsync.
TEST(GroupCommit, QueuedBatchesShareATransactionAndFailAlone) {
  TempDir dir;
  auto db = store::OpenStore(dir.File("survey.db"));
  ASSERT_TRUE(db) << db.error().ToString();
  ASSERT_TRUE((*db)->PutForm(TestForm()));
  ASSERT_TRUE((*db)->CreateSubmissions(NewSubmission(0)));  // stored before: a duplicate below

  auto other = store::OpenStore(dir.File("survey.db"));
  ASSERT_TRUE(other);
  auto import = (*other)->BeginImport(std::nullopt);  // holds the write lock
  ASSERT_TRUE(import) << import.error().ToString();

  GroupCommit committer(**db);
  std::vector<std::optional<Status>> results(22);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[1] = committer.Commit(NewSubmission(1)); });
  // Taken by the committer, which now waits for the lock.
  ASSERT_TRUE(WaitFor([&] { return committer.counts().taken == 1; }));
  for (int n = 2; n <= 20; ++n) {
    threads.emplace_back([&, n] { results[n] = committer.Commit(NewSubmission(n)); });
  }
  threads.emplace_back([&] { results[21] = committer.Commit(NewSubmission(0)); });  // duplicate
  ASSERT_TRUE(WaitFor([&] { return committer.waiting() == 20; }))
      << committer.waiting() << " waiting, " << committer.counts().taken << " taken, "
      << committer.counts().alone << " alone";
  import->reset();  // rolls back the import: the lock is free
  for (std::thread& t : threads) t.join();

  for (int n = 1; n <= 20; ++n) {
    ASSERT_TRUE(results[n].has_value());
    EXPECT_TRUE(*results[n]) << n << ": " << results[n]->error().ToString();
  }
  ASSERT_TRUE(results[21].has_value());
  ASSERT_FALSE(*results[21]);
  EXPECT_EQ(results[21]->error().code, "ST003");
  GroupCommit::Counts counts = committer.counts();
  EXPECT_EQ(counts.failed_groups, 1u);  // the group of 20 with the duplicate
  EXPECT_EQ(counts.alone, 21u);         // the first alone, then the 20 one by one
  for (int n = 0; n <= 20; ++n) {
    auto s = (*db)->GetSubmission(Uuid(n));
    ASSERT_TRUE(s) << n;
    EXPECT_EQ(s->answers.at("org_name").value, "Org " + std::to_string(n));
    auto files = (*db)->ListAttachments(Uuid(n));
    ASSERT_TRUE(files);
    EXPECT_EQ(files->size(), 1u);
  }
}

TEST(GroupCommit, AGroupWithoutFaultIsOneTransaction) {
  TempDir dir;
  auto db = store::OpenStore(dir.File("survey.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->PutForm(TestForm()));
  auto other = store::OpenStore(dir.File("survey.db"));
  ASSERT_TRUE(other);
  auto import = (*other)->BeginImport(std::nullopt);
  ASSERT_TRUE(import);

  GroupCommit committer(**db);
  std::vector<std::optional<Status>> results(31);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = committer.Commit(NewSubmission(100)); });
  ASSERT_TRUE(WaitFor([&] { return committer.counts().taken == 1; }));
  for (int n = 1; n <= 30; ++n) {
    threads.emplace_back([&, n] { results[n] = committer.Commit(NewSubmission(100 + n)); });
  }
  ASSERT_TRUE(WaitFor([&] { return committer.waiting() == 30; }));
  import->reset();
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(*r);
  }
  GroupCommit::Counts counts = committer.counts();
  EXPECT_EQ(counts.groups, 1u);
  EXPECT_EQ(counts.grouped, 30u);
  EXPECT_EQ(counts.alone, 1u);
  EXPECT_EQ(counts.failed_groups, 0u);
  auto all = (*db)->ListSubmissions({});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 31u);
}

}  // namespace
}  // namespace ngosurvey::server
