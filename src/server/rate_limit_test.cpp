#include "server/rate_limit.h"

#include <gtest/gtest.h>

namespace ngosurvey::server {
namespace {

TEST(FailureLimiter, FiveFailuresInAMinuteBlockUntilTheMinuteHasPassed) {
  FailureLimiter limiter;
  int64_t t0 = 1'000'000;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(limiter.RetryAfterSeconds("user:sokha", t0 + i * 1000), 0) << i;
    limiter.Fail("user:sokha", t0 + i * 1000);
  }
  // The sixth attempt, 4.5 s after the first failure: blocked for the 55.5 s left.
  EXPECT_EQ(limiter.RetryAfterSeconds("user:sokha", t0 + 4500), 56);
  EXPECT_EQ(limiter.RetryAfterSeconds("user:lan", t0 + 4500), 0);  // other keys unaffected
  EXPECT_EQ(limiter.RetryAfterSeconds("user:sokha", t0 + 59999), 1);
  // A minute after the first failure only four remain in the window.
  EXPECT_EQ(limiter.RetryAfterSeconds("user:sokha", t0 + 60000), 0);
}

TEST(FailureLimiter, FailuresSpreadOverMoreThanAMinuteNeverBlock) {
  FailureLimiter limiter;
  for (int i = 0; i < 20; ++i) {
    int64_t now = int64_t{i} * 15000;  // one failure every 15 s: 4 per minute
    EXPECT_EQ(limiter.RetryAfterSeconds("addr:10.0.0.1", now), 0) << i;
    limiter.Fail("addr:10.0.0.1", now);
  }
}

}  // namespace
}  // namespace ngosurvey::server
