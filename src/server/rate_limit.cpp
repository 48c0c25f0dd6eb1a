#include "server/rate_limit.h"

namespace ngosurvey::server {

void FailureLimiter::Forget(std::deque<int64_t>* times, int64_t now_ms) const {
  while (!times->empty() && times->front() + window_ms_ <= now_ms) times->pop_front();
}

int64_t FailureLimiter::RetryAfterSeconds(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  Forget(&it->second, now_ms);
  if (static_cast<int>(it->second.size()) < max_failures_) return 0;
  // Blocked until the failure that makes the count reach the limit leaves the window.
  int64_t until = it->second[it->second.size() - static_cast<size_t>(max_failures_)] + window_ms_;
  return std::max<int64_t>(1, (until - now_ms + 999) / 1000);
}

void FailureLimiter::Fail(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  std::deque<int64_t>& times = failures_[key];
  Forget(&times, now_ms);
  times.push_back(now_ms);
  // Keys of addresses that stopped trying are dropped once a window, so the map
  // does not grow with every address that ever failed.
  if (now_ms - last_sweep_ms_ > window_ms_) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      Forget(&it->second, now_ms);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    last_sweep_ms_ = now_ms;
  }
}

}  // namespace ngosurvey::server
