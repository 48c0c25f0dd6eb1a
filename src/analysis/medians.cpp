#include "analysis/medians.h"

#include <algorithm>
#include <array>
#include <bit>

namespace ngosurvey::analysis {
namespace {

// A key whose unsigned order is the order of the doubles (-0.0 just below 0.0):
// negative numbers have every bit flipped, others only the sign bit.
uint64_t OrderKey(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}

// Bits of the key that make the bucket: enough buckets that a bucket holds few of the
// rows, and a histogram of at most 1 MiB over every slot (it stays in the L2 cache).
int BucketBits(size_t rows, int slots) {
  int bits = std::clamp(static_cast<int>(std::bit_width(rows)) - 4, 4, 16);
  while (bits > 4 && (static_cast<size_t>(slots) << bits) * sizeof(uint64_t) > (size_t{1} << 20))
    --bits;
  return bits;
}

// One median to find: the values of rank `low` and `high` (equal for an odd count)
// among a target's values (a group's, or the Total's), and where they are.
struct Wanted {
  uint64_t count = 0;
  uint32_t bucket[2] = {0, 0};    // of rank low, rank high
  uint64_t rank[2] = {0, 0};      // inside its bucket
  std::vector<double> values[2];  // gathered from the bucket (one vector when the same)
};

}  // namespace

std::vector<std::optional<double>> MediansBySlot(const Column& column,
                                                 const std::vector<uint8_t>& slots, int groups) {
  const size_t rows = std::min(slots.size(), column.numbers.size());
  const int slot_count = groups + 1;  // groups, then "no group" (Total only)
  const int bits = BucketBits(rows, slot_count);
  const int shift = 64 - bits;
  const size_t buckets = size_t{1} << bits;
  const uint8_t* states = column.states.data();
  const double* numbers = column.numbers.data();

  // Pass 1: counts by slot and bucket.
  std::vector<uint64_t> counts(static_cast<size_t>(slot_count) * buckets, 0);
  for (size_t r = 0; r < rows; ++r) {
    if (states[r] != kCodeAnswered || slots[r] > groups) continue;
    ++counts[slots[r] * buckets + (OrderKey(numbers[r]) >> shift)];
  }

  // The buckets of the middle ranks, for each group and the Total (targets 0..groups).
  std::vector<Wanted> wanted(static_cast<size_t>(groups) + 1);
  std::vector<uint64_t> by_bucket(buckets);
  for (int t = 0; t <= groups; ++t) {
    if (t < groups) {
      std::copy_n(counts.begin() + static_cast<ptrdiff_t>(t * buckets), buckets, by_bucket.begin());
    } else {
      std::fill(by_bucket.begin(), by_bucket.end(), 0);
      for (int s = 0; s < slot_count; ++s) {
        for (size_t b = 0; b < buckets; ++b) by_bucket[b] += counts[s * buckets + b];
      }
    }
    Wanted& w = wanted[t];
    for (uint64_t c : by_bucket) w.count += c;
    if (w.count == 0) continue;
    const uint64_t ranks[2] = {(w.count - 1) / 2, w.count / 2};
    for (int k = 0; k < 2; ++k) {
      uint64_t below = 0;
      size_t b = 0;
      while (below + by_bucket[b] <= ranks[k]) below += by_bucket[b++];
      w.bucket[k] = static_cast<uint32_t>(b);
      w.rank[k] = ranks[k] - below;
    }
  }

  // Pass 2: the values of those buckets.
  auto gather = [&](Wanted& w, uint32_t bucket, double value) {
    if (w.count == 0) return;
    if (bucket == w.bucket[0]) w.values[0].push_back(value);
    if (bucket == w.bucket[1] && w.bucket[1] != w.bucket[0]) w.values[1].push_back(value);
  };
  Wanted& total = wanted[groups];
  for (size_t r = 0; r < rows; ++r) {
    if (states[r] != kCodeAnswered || slots[r] > groups) continue;
    const double value = numbers[r];
    const uint32_t bucket = static_cast<uint32_t>(OrderKey(value) >> shift);
    if (slots[r] < groups) gather(wanted[slots[r]], bucket, value);
    gather(total, bucket, value);
  }

  std::vector<std::optional<double>> medians;
  for (Wanted& w : wanted) {
    if (w.count == 0) {
      medians.push_back(std::nullopt);
      continue;
    }
    double middle[2];
    for (int k = 0; k < 2; ++k) {
      std::vector<double>& values = w.values[w.bucket[k] == w.bucket[0] ? 0 : 1];
      // Selection by key order (a total order; -0.0 before 0.0), not by operator<.
      auto by_key = [](double a, double b) { return OrderKey(a) < OrderKey(b); };
      std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(w.rank[k]),
                       values.end(), by_key);
      middle[k] = values[w.rank[k]];
    }
    medians.push_back(middle[0] == middle[1] ? middle[1] : (middle[0] + middle[1]) / 2);
  }
  return medians;
}

}  // namespace ngosurvey::analysis
