// Time as an interface, so interviews and tests can run at a fixed date.
#pragma once

#include <cstdint>

namespace ngosurvey {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since 1970-01-01T00:00:00Z.
  virtual int64_t NowMillis() const = 0;
  // Offset of local time from UTC in minutes, for today() and format-date.
  virtual int UtcOffsetMinutes() const = 0;
};

// The system clock and the machine's time zone.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
  int UtcOffsetMinutes() const override;
  static const SystemClock& Instance();
};

// A clock that says what it is told; for tests.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t millis, int utc_offset_minutes = 0)
      : millis_(millis), offset_(utc_offset_minutes) {}
  int64_t NowMillis() const override { return millis_; }
  int UtcOffsetMinutes() const override { return offset_; }
  void Set(int64_t millis) { millis_ = millis; }

 private:
  int64_t millis_;
  int offset_;
};

}  // namespace ngosurvey
