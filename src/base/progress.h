// Progress reporting for long work. The library reports through this interface;
// the CLI draws a bar on a terminal, the server reports over HTTP, tests ignore it.
#pragma once

#include <cstdint>
#include <string_view>

namespace ngosurvey {

class Progress {
 public:
  virtual ~Progress() = default;
  // Starts a phase of `total` units (0 when the total is unknown).
  virtual void Start(std::string_view what, uint64_t total) = 0;
  // Reports that `done` units of the current phase are finished. Implementations
  // must be cheap to call often: they rate-limit their own output.
  virtual void Update(uint64_t done) = 0;
  virtual void Finish() = 0;
};

// Reports nothing. Use it where the caller does not care.
class NullProgress final : public Progress {
 public:
  void Start(std::string_view, uint64_t) override {}
  void Update(uint64_t) override {}
  void Finish() override {}
  static NullProgress& Instance() {
    static NullProgress instance;
    return instance;
  }
};

}  // namespace ngosurvey
