// group_commit: new submissions from concurrent requests stored in shared
// transactions (group commit), so that 50 clients cost a handful of durable commits
// (one fsync each) instead of 50, while each request still learns its own outcome
// only after its submission is durably committed (docs/server.md, "POST
// /submission").
//
// One committer thread takes every batch waiting when it is free (up to
// max_group) and stores them with one Store::CreateSubmissions. A group that fails
// is not the failure of its members: each of them is then stored alone, in its own
// transaction, and gets its own outcome (a duplicate instanceID, ST003, fails that
// one only). While a group commits, the next one gathers: no timer, no added delay
// for a lone request.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "store/store.h"

namespace ngosurvey::server {

class GroupCommit {
 public:
  // `store` must outlive this object. Starts the committer thread.
  explicit GroupCommit(store::Store& store, size_t max_group = 256);
  // Stores what is still waiting, then stops the thread.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Stores `batch` (new submissions and their attachments; no form, no amendment)
  // as CreateSubmissions would, in a transaction shared with other waiting batches.
  // Blocks until that transaction has committed (Ok) or this batch failed (its own
  // error, as CreateSubmissions alone would return it). Thread-safe.
  Status Commit(store::SubmissionBatch batch);

  // How many transactions committed groups of more than one batch, and how many
  // batches they held (for tests and the benchmark's notes).
  struct Counts {
    uint64_t groups = 0;         // transactions of two batches or more
    uint64_t grouped = 0;        // batches in those
    uint64_t alone = 0;          // batches stored alone (a group of one, or a retry)
    uint64_t failed_groups = 0;  // groups rolled back, then retried one by one
    uint64_t taken = 0;          // batches the committer has taken from the queue
  };
  Counts counts() const;
  // How many batches wait for the committer to take them (for tests).
  size_t waiting() const;

 private:
  struct Waiter {
    store::SubmissionBatch batch;
    bool done = false;
    Status result;
  };
  void Run();
  void CommitGroup(std::deque<Waiter*>& group);

  store::Store& store_;
  const size_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable wake_;      // the committer: work or stop
  std::condition_variable finished_;  // the waiters: a group is done
  std::deque<Waiter*> queue_;
  bool stop_ = false;
  Counts counts_;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace ngosurvey::server
