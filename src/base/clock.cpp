#include "base/clock.h"

#include <chrono>
#include <ctime>

namespace ngosurvey {

int64_t SystemClock::NowMillis() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int SystemClock::UtcOffsetMinutes() const {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

const SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace ngosurvey
