#include "analysis/medians.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ngosurvey::analysis {
namespace {

// A numeric column from values (NaN = refused: not answered).
Column NumberColumn(const std::vector<double>& values) {
  Column column;
  column.name = "x";
  column.kind = ColumnKind::kNumber;
  for (double v : values) {
    column.numbers.push_back(std::isnan(v) ? 0 : v);
    column.states.push_back(std::isnan(v) ? kCodeRefused : kCodeAnswered);
  }
  return column;
}

// The plain way: every answered value of a slot gathered and sorted.
std::vector<std::optional<double>> SortedMedians(const Column& column,
                                                 const std::vector<uint8_t>& slots, int groups) {
  std::vector<std::vector<double>> values(groups + 1);
  for (size_t r = 0; r < slots.size(); ++r) {
    if (column.states[r] != kCodeAnswered || slots[r] > groups) continue;
    if (slots[r] < groups) values[slots[r]].push_back(column.numbers[r]);
    values[groups].push_back(column.numbers[r]);
  }
  std::vector<std::optional<double>> out;
  for (auto& v : values) {
    if (v.empty()) {
      out.push_back(std::nullopt);
      continue;
    }
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    out.push_back(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
  }
  return out;
}

void ExpectSameMedians(const std::vector<double>& values, const std::vector<uint8_t>& slots,
                       int groups) {
  Column column = NumberColumn(values);
  auto mine = MediansBySlot(column, slots, groups);
  auto reference = SortedMedians(column, slots, groups);
  ASSERT_EQ(mine.size(), static_cast<size_t>(groups) + 1);
  for (int g = 0; g <= groups; ++g) {
    SCOPED_TRACE("slot " + std::to_string(g));
    ASSERT_EQ(mine[g].has_value(), reference[g].has_value());
    if (mine[g]) {
      EXPECT_EQ(*mine[g], *reference[g]);  // exactly: the same two values
    }
  }
}

TEST(MediansBySlot, SmallCases) {
  // Odd and even counts, one value, an empty group, a group of refusals only, rows in
  // no group (Total only) and excluded rows.
  const double refused = std::nan("");
  ExpectSameMedians({3, 1, 2, 10, 20, refused, 7, 8}, {0, 0, 0, 1, 1, 2, 3, 4}, 3);
  ExpectSameMedians({5}, {0}, 2);
  ExpectSameMedians({refused, refused, 4}, {0, 0, 1}, 2);
  ExpectSameMedians({-1.5, -0.0, 0.0, 2.5}, {0, 0, 0, 0}, 1);
  ExpectSameMedians({}, {}, 2);
  const double big = std::numeric_limits<double>::max();
  ExpectSameMedians({-big, big, 1e-300, -1e-300, 42}, {0, 0, 0, 0, 1}, 2);
}

TEST(MediansBySlot, RandomColumnsMatchSorting) {
  std::mt19937 rng(20261204);
  for (int trial = 0; trial < 60; ++trial) {
    SCOPED_TRACE(trial);
    const int groups = std::uniform_int_distribution<int>(1, trial % 10 == 0 ? 250 : 6)(rng);
    // Sizes around the steps of the bucket count, up to 300,000 rows.
    const size_t rows =
        std::uniform_int_distribution<size_t>(0, trial % 3 == 0 ? 300000 : 2000)(rng);
    std::vector<double> values(rows);
    std::vector<uint8_t> slots(rows);
    const int shape = trial % 5;
    for (size_t r = 0; r < rows; ++r) {
      switch (shape) {
        case 0:
          values[r] = std::uniform_int_distribution<int>(0, 9)(rng);
          break;  // many ties
        case 1:
          values[r] = std::normal_distribution<double>(0, 1e6)(rng);
          break;
        case 2:
          values[r] =
              std::round(std::uniform_real_distribution<double>(0, 1000)(rng) * 1000) / 1000;
          break;
        case 3:
          values[r] = 7.25;
          break;  // every value in one bucket
        default:
          values[r] = std::ldexp(1.0, std::uniform_int_distribution<int>(-1000, 1000)(rng)) *
                      (rng() % 2 ? 1 : -1);
      }
      if (rng() % 20 == 0) values[r] = std::nan("");  // refused
      // Mostly groups; some rows in no group, some excluded.
      uint32_t pick = rng() % 100;
      slots[r] = static_cast<uint8_t>(pick < 90 ? rng() % groups : pick < 95 ? groups : groups + 1);
    }
    ExpectSameMedians(values, slots, groups);
  }
}

}  // namespace
}  // namespace ngosurvey::analysis
