#include "base/rounding.h"

namespace ngosurvey {

int64_t RoundHalfUpScaled(__int128 num, __int128 den, int decimals) {
  __int128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  // round(num * scale / den) half-up = floor((2 num scale + den) / (2 den)).
  return static_cast<int64_t>((2 * num * scale + den) / (2 * den));
}

std::string FormatScaled(int64_t scaled, int decimals) {
  // The magnitude as unsigned, so that INT64_MIN has one too.
  uint64_t magnitude =
      scaled < 0 ? 0 - static_cast<uint64_t>(scaled) : static_cast<uint64_t>(scaled);
  std::string digits = std::to_string(magnitude);
  if (decimals > 0) {
    if (digits.size() <= static_cast<size_t>(decimals)) {
      digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(decimals), ".");
  }
  return scaled < 0 ? "-" + digits : digits;
}

}  // namespace ngosurvey
