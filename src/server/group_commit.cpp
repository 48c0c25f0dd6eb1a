#include "server/group_commit.h"

#include <utility>

namespace ngosurvey::server {

GroupCommit::GroupCommit(store::Store& store, size_t max_group)
    : store_(store), max_group_(max_group == 0 ? 1 : max_group), thread_([this] { Run(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

Status GroupCommit::Commit(store::SubmissionBatch batch) {
  Waiter waiter;
  waiter.batch = std::move(batch);
  std::unique_lock lock(mu_);
  queue_.push_back(&waiter);
  wake_.notify_one();
  finished_.wait(lock, [&] { return waiter.done; });
  return std::move(waiter.result);
}

GroupCommit::Counts GroupCommit::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

size_t GroupCommit::waiting() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void GroupCommit::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing waits
    std::deque<Waiter*> group;
    while (!queue_.empty() && group.size() < max_group_) {
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    counts_.taken += group.size();
    lock.unlock();
    CommitGroup(group);
    lock.lock();
    for (Waiter* w : group) w->done = true;
    finished_.notify_all();
  }
}

// Outside the lock: new batches queue up meanwhile and form the next group.
void GroupCommit::CommitGroup(std::deque<Waiter*>& group) {
  if (group.size() > 1) {
    store::SubmissionBatch merged;
    for (Waiter* w : group) {
      for (store::Submission& s : w->batch.submissions) merged.submissions.push_back(s);
      for (store::Attachment& a : w->batch.attachments) merged.attachments.push_back(a);
    }
    Status status = store_.CreateSubmissions(merged);
    std::lock_guard lock(mu_);
    if (status) {
      ++counts_.groups;
      counts_.grouped += group.size();
      for (Waiter* w : group) w->result = Ok();
      return;
    }
    ++counts_.failed_groups;
  }
  // Alone: a group of one, or the members of a group that failed (the transaction
  // was rolled back, so nothing of it is stored), each in its own transaction.
  for (Waiter* w : group) {
    w->result = store_.CreateSubmissions(w->batch);
    std::lock_guard lock(mu_);
    ++counts_.alone;
  }
}

}  // namespace ngosurvey::server
