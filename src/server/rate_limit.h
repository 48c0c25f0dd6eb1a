// server: the limit on failed logins (issue 15): after 5 failures within a minute
// for one account or one client address, further attempts are refused (429 with
// Retry-After) until the minute since the oldest of those failures has passed.
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace ngosurvey::server {

class FailureLimiter {
 public:
  explicit FailureLimiter(int max_failures = 5, int64_t window_ms = 60000)
      : max_failures_(max_failures), window_ms_(window_ms) {}

  // 0 when `key` may try at `now_ms`; otherwise the seconds to wait (at least 1).
  int64_t RetryAfterSeconds(const std::string& key, int64_t now_ms);
  // Records a failed attempt for `key`.
  void Fail(const std::string& key, int64_t now_ms);

 private:
  void Forget(std::deque<int64_t>* times, int64_t now_ms) const;

  const int max_failures_;
  const int64_t window_ms_;
  std::mutex mu_;
  std::map<std::string, std::deque<int64_t>> failures_;
  int64_t last_sweep_ms_ = 0;
};

}  // namespace ngosurvey::server
