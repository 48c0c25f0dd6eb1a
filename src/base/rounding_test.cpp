#include "base/rounding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace ngosurvey {
namespace {

TEST(RoundingTest, HalfUpOnTheExactRatio) {
  EXPECT_EQ(RoundHalfUpScaled(1, 8, 0), 0);       // 0.125
  EXPECT_EQ(RoundHalfUpScaled(100, 8, 0), 13);    // 12.5: a tie goes up
  EXPECT_EQ(RoundHalfUpScaled(100, 16, 1), 63);   // 6.25 (printf "%.1f" says 6.2)
  EXPECT_EQ(RoundHalfUpScaled(100, 3, 1), 333);   // 33.33...
  EXPECT_EQ(RoundHalfUpScaled(200, 3, 2), 6667);  // 66.666...
  EXPECT_EQ(RoundHalfUpScaled(0, 13, 1), 0);
  EXPECT_EQ(RoundHalfUpScaled(100, 201, 0), 0);  // 0.4975...
  const int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(RoundHalfUpScaled(__int128{100} * big, big, 9), 100'000'000'000);
  EXPECT_EQ(RoundHalfUpScaled(100, big, 9), 0);
}

TEST(RoundingTest, SatisfiesTheDefinitionEverywhere) {
  // q = the result; half-up means q - 1/2 <= num 10^d / den < q + 1/2.
  for (int64_t den = 1; den <= 60; ++den) {
    for (int64_t num = 0; num <= 3 * den; ++num) {
      for (int decimals = 0; decimals <= 3; ++decimals) {
        int64_t scale = 1;
        for (int i = 0; i < decimals; ++i) scale *= 10;
        const int64_t q = RoundHalfUpScaled(num, den, decimals);
        ASSERT_LE(2 * den * q - den, 2 * num * scale) << num << "/" << den;
        ASSERT_LT(2 * num * scale, 2 * den * q + den) << num << "/" << den;
      }
    }
  }
}

TEST(RoundingTest, FormatsScaledIntegers) {
  EXPECT_EQ(FormatScaled(429, 1), "42.9");
  EXPECT_EQ(FormatScaled(50, 0), "50");
  EXPECT_EQ(FormatScaled(0, 1), "0.0");
  EXPECT_EQ(FormatScaled(5, 2), "0.05");
  EXPECT_EQ(FormatScaled(-5, 1), "-0.5");
  EXPECT_EQ(FormatScaled(100'000'000'000, 9), "100.000000000");
  EXPECT_EQ(FormatScaled(std::numeric_limits<int64_t>::min(), 0), "-9223372036854775808");
}

}  // namespace
}  // namespace ngosurvey
