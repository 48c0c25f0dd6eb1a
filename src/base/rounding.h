// Exact decimal rounding of a ratio, as published tables print it: the one home of
// "k/n as a percentage, rounded half-up at d decimals" for tabulation, the study
// report and the published-tables audit, computed on integers so that a tie
// (12.5 at 0 decimals) is never lost to binary floating point.
#pragma once

#include <cstdint>
#include <string>

namespace ngosurvey {

// num/den rounded half-up (a tie goes up) to `decimals` places, as an integer
// scaled by 10^decimals: RoundHalfUpScaled(1, 8, 0) == 0, RoundHalfUpScaled(100, 8,
// 0) == 13, RoundHalfUpScaled(100 * 1, 3, 1) == 333. Exact: 128-bit arithmetic.
// Requires num >= 0, den > 0, 0 <= decimals <= 18, a result below 2^63 and
// 2 * num * 10^decimals + den below 2^127 (programmer errors, not checked).
int64_t RoundHalfUpScaled(__int128 num, __int128 den, int decimals);

// scaled / 10^decimals written with exactly `decimals` decimals: (429, 1) "42.9",
// (50, 0) "50", (5, 2) "0.05", (-5, 1) "-0.5".
std::string FormatScaled(int64_t scaled, int decimals);

}  // namespace ngosurvey
