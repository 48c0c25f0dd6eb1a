// Progress on a terminal: a one-line bar on stderr, redrawn at most ten times a
// second; nothing at all when stderr is not a terminal (scripts, CI, logs).
#pragma once

#include <chrono>
#include <string>

#include "base/progress.h"
#include "cli/command.h"

namespace ngosurvey::cli {

class TerminalProgress final : public Progress {
 public:
  explicit TerminalProgress(CommandContext& ctx) : ctx_(ctx), enabled_(ctx.stderr_is_terminal) {}
  ~TerminalProgress() override { Finish(); }

  void Start(std::string_view what, uint64_t total) override;
  void Update(uint64_t done) override;
  void Finish() override;

 private:
  void Draw(uint64_t done);

  CommandContext& ctx_;
  bool enabled_;
  bool drawn_ = false;
  std::string what_;
  uint64_t total_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ngosurvey::cli
