#include "cli/progress.h"

#include <fmt/format.h>

#include <ostream>

namespace ngosurvey::cli {

void TerminalProgress::Start(std::string_view what, uint64_t total) {
  what_ = what;
  total_ = total;
  last_draw_ = {};
}

void TerminalProgress::Update(uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done);
}

void TerminalProgress::Draw(uint64_t done) {
  constexpr int kWidth = 30;
  std::string line;
  if (total_ > 0) {
    int filled = static_cast<int>(kWidth * std::min(done, total_) / total_);
    line = fmt::format("\r{} [{}{}] {}%", what_, std::string(filled, '#'),
                       std::string(kWidth - filled, ' '), 100 * std::min(done, total_) / total_);
  } else {
    line = fmt::format("\r{} {}", what_, done);
  }
  *ctx_.err << line << std::flush;
  drawn_ = true;
}

void TerminalProgress::Finish() {
  if (!enabled_ || !drawn_) return;
  *ctx_.err << "\r\033[K" << std::flush;  // clear the bar's line
  drawn_ = false;
}

}  // namespace ngosurvey::cli
