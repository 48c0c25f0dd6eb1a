#include "analysis/group_counts.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#if defined(__x86_64__)
// GCC 12's AVX-512 cast intrinsics (_mm512_castsi512_si256 and friends) start from
// _mm256_undefined_*(), which its -Wmaybe-uninitialized reports once they are
// inlined (GCC bug 105593); the debug build's -Werror would stop on it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace ngosurvey::analysis {
namespace {

std::atomic<bool> wide_vectors_allowed{true};

// Whether the AVX-512 variants (key making, numeric sums) may run: the CPU has them
// and tests have not turned them off (they compare both paths).
bool UseWideVectors() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool supported =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return supported && wide_vectors_allowed.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

// ---------------------------------------------------------------------------
// Byte planes: counted in packs.
//
// Counting one (group, code) histogram per byte plane costs one increment per row and
// plane (1.3 G increments for 130 planes at 10M rows), and that, not memory, bounds
// the kernel. A plane's codes take few values (a select_one with k options: k option
// indexes and 4 non-answer codes), so several planes are combined into one key per
// row, a mixed-radix number key = group * space + sum(digit_q * stride_q), and one
// increment counts them all: their joint histogram, from which each plane's own
// counts are summed once at the end. A digit is the code plus 4 (mod 256): option
// indexes 0..k-1 become 4..k+3 and the non-answer codes 0xFC..0xFF become 0..3, so a
// select_one's radix is k + 4 and a select_multiple plane's 2^j + 4 (j options in the
// plane). The key space per pack (groups x product of radices) is at most 65,536 (keys
// are 16-bit; the u32 bins, 256 KiB, stay in L2) and shrinks for small row ranges so
// that summing the joint histogram stays cheap. A chunk whose bytes do not fit their
// radix (a damaged dataset, or planes of raw bytes) is counted plane by plane instead.
// With 130 planes of the benchmark's shape (100 select_one with 6 options, 30
// select_multiple with 5) and 10 numeric columns' state bytes, 42 increments per row
// replace 140; the loop that makes keys is then bound by memory, so the increment loop
// prefetches the next chunk's bytes.

constexpr size_t kMaxKeySpace = size_t{1} << 16;
constexpr size_t kChunkRows = 4096;   // keys of a chunk (8 KiB) stay in L1
constexpr size_t kMaxPackPlanes = 8;  // every radix is >= 4: 4^8 = 65,536

// Where a row's group slot comes from.
struct GroupSource {
  const uint8_t* codes = nullptr;  // null: every row is in slot 0
  uint8_t clamp = 0xFF;            // codes above it go to slot `clamp` (the "no group" slot)
  uint8_t at(size_t i) const { return codes ? std::min(codes[i], clamp) : 0; }
};

// One byte plane to count and where its (slot, code) counts go.
struct PlaneTask {
  const uint8_t* data;
  uint32_t radix;                 // digits (code + 4) are < radix
  std::vector<uint64_t>* counts;  // slots * 256
};

struct Pack {
  std::vector<const PlaneTask*> planes;
  std::vector<uint32_t> strides;
  uint32_t space = 1;  // product of the radices: keys of one slot
};

// Groups planes into packs, widest radix first, each pack as many planes as fit the
// key budget.
std::vector<Pack> MakePacks(const std::vector<PlaneTask>& planes, int slots, size_t budget) {
  std::vector<const PlaneTask*> order;
  for (const PlaneTask& plane : planes) order.push_back(&plane);
  std::stable_sort(order.begin(), order.end(),
                   [](const PlaneTask* a, const PlaneTask* b) { return a->radix > b->radix; });
  std::vector<Pack> packs;
  for (const PlaneTask* plane : order) {
    bool fits = !packs.empty() && packs.back().planes.size() < kMaxPackPlanes &&
                size_t{packs.back().space} * plane->radix * static_cast<size_t>(slots) <= budget;
    if (!fits) packs.emplace_back();
    Pack& pack = packs.back();
    pack.planes.push_back(plane);
    pack.strides.push_back(pack.space);
    pack.space *= plane->radix;
  }
  return packs;
}

// Writes the keys of rows [begin, begin + n) of a pack of `kPlanes` planes (a
// compile-time count, so that the planes' pointers and strides live in registers);
// false when a byte does not fit its plane's radix (the keys are then meaningless).
template <size_t kPlanes>
bool MakeKeys(const Pack& pack, const GroupSource& groups, size_t begin, size_t n, uint16_t* keys) {
  const uint8_t* data[kPlanes];
  for (size_t q = 0; q < kPlanes; ++q) data[q] = pack.planes[q]->data + begin;
  size_t i = 0;
  bool fits = true;
#if defined(__SSE2__)
  const __m128i four = _mm_set1_epi8(4), zero = _mm_setzero_si128();
  const __m128i space = _mm_set1_epi16(static_cast<int16_t>(static_cast<uint16_t>(pack.space)));
  const __m128i clamp = _mm_set1_epi8(static_cast<char>(groups.clamp));
  const uint8_t* group_codes = groups.codes ? groups.codes + begin : nullptr;
  __m128i strides[kPlanes], highest[kPlanes];
#pragma GCC unroll 8
  for (size_t q = 0; q < kPlanes; ++q) {
    strides[q] = _mm_set1_epi16(static_cast<int16_t>(static_cast<uint16_t>(pack.strides[q])));
    highest[q] = zero;
  }
  for (; i + 16 <= n; i += 16) {
    __m128i g = zero;
    if (group_codes) {
      g = _mm_min_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group_codes + i)), clamp);
    }
    __m128i lo = _mm_mullo_epi16(_mm_unpacklo_epi8(g, zero), space);
    __m128i hi = _mm_mullo_epi16(_mm_unpackhi_epi8(g, zero), space);
#pragma GCC unroll 8
    for (size_t q = 0; q < kPlanes; ++q) {
      __m128i digits =
          _mm_add_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data[q] + i)), four);
      highest[q] = _mm_max_epu8(highest[q], digits);
      lo = _mm_add_epi16(lo, _mm_mullo_epi16(_mm_unpacklo_epi8(digits, zero), strides[q]));
      hi = _mm_add_epi16(hi, _mm_mullo_epi16(_mm_unpackhi_epi8(digits, zero), strides[q]));
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(keys + i), lo);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(keys + i + 8), hi);
  }
  for (size_t q = 0; q < kPlanes && i > 0; ++q) {
    alignas(16) uint8_t bytes[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(bytes), highest[q]);
    fits = fits && *std::max_element(bytes, bytes + 16) < pack.planes[q]->radix;
  }
#endif
  for (; i < n; ++i) {
    uint32_t key = groups.at(begin + i) * pack.space;
    for (size_t q = 0; q < kPlanes; ++q) {
      uint8_t digit = static_cast<uint8_t>(data[q][i] + 4);
      fits = fits && digit < pack.planes[q]->radix;
      key += digit * pack.strides[q];
    }
    keys[i] = static_cast<uint16_t>(key);
  }
  return fits;
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same 64 rows at a time with AVX-512 (BW): a quarter of the instructions.
template <size_t kPlanes>
__attribute__((target("avx512f,avx512bw"))) bool MakeKeysWide(const Pack& pack,
                                                              const GroupSource& groups,
                                                              size_t begin, size_t n,
                                                              uint16_t* keys) {
  const uint8_t* data[kPlanes];
  for (size_t q = 0; q < kPlanes; ++q) data[q] = pack.planes[q]->data + begin;
  const __m512i four = _mm512_set1_epi8(4);
  const __m512i space = _mm512_set1_epi16(static_cast<int16_t>(static_cast<uint16_t>(pack.space)));
  const __m512i clamp = _mm512_set1_epi8(static_cast<char>(groups.clamp));
  const uint8_t* group_codes = groups.codes ? groups.codes + begin : nullptr;
  __m512i strides[kPlanes], highest[kPlanes];
#pragma GCC unroll 8
  for (size_t q = 0; q < kPlanes; ++q) {
    strides[q] = _mm512_set1_epi16(static_cast<int16_t>(static_cast<uint16_t>(pack.strides[q])));
    highest[q] = _mm512_setzero_si512();
  }
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512i g = group_codes ? _mm512_min_epu8(_mm512_loadu_si512(group_codes + i), clamp)
                            : _mm512_setzero_si512();
    __m512i lo = _mm512_mullo_epi16(_mm512_cvtepu8_epi16(_mm512_castsi512_si256(g)), space);
    __m512i hi = _mm512_mullo_epi16(_mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(g, 1)), space);
#pragma GCC unroll 8
    for (size_t q = 0; q < kPlanes; ++q) {
      __m512i digits = _mm512_add_epi8(_mm512_loadu_si512(data[q] + i), four);
      highest[q] = _mm512_max_epu8(highest[q], digits);
      lo = _mm512_add_epi16(
          lo, _mm512_mullo_epi16(_mm512_cvtepu8_epi16(_mm512_castsi512_si256(digits)), strides[q]));
      hi = _mm512_add_epi16(
          hi, _mm512_mullo_epi16(_mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(digits, 1)),
                                 strides[q]));
    }
    _mm512_storeu_si512(keys + i, lo);
    _mm512_storeu_si512(keys + i + 32, hi);
  }
  bool fits = true;
  for (size_t q = 0; q < kPlanes && i > 0; ++q) {
    const uint32_t radix = pack.planes[q]->radix;  // 256: every byte fits
    if (radix < 256 &&
        _mm512_cmpge_epu8_mask(highest[q], _mm512_set1_epi8(static_cast<char>(radix))) != 0) {
      fits = false;
    }
  }
  return MakeKeys<kPlanes>(pack, groups, begin + i, n - i, keys + i) && fits;
}
#endif

using MakeKeysFunction = bool (*)(const Pack&, const GroupSource&, size_t, size_t, uint16_t*);

template <size_t... kCounts>
constexpr std::array<MakeKeysFunction, sizeof...(kCounts)> MakeKeysTable(
    std::index_sequence<kCounts...>) {
  return {&MakeKeys<kCounts + 1>...};
}
// MakeKeys for 1..kMaxPackPlanes planes.
constexpr auto kMakeKeys = MakeKeysTable(std::make_index_sequence<kMaxPackPlanes>());

#if defined(__x86_64__) && defined(__GNUC__)
template <size_t... kCounts>
constexpr std::array<MakeKeysFunction, sizeof...(kCounts)> MakeKeysWideTable(
    std::index_sequence<kCounts...>) {
  return {&MakeKeysWide<kCounts + 1>...};
}
constexpr auto kMakeKeysWide = MakeKeysWideTable(std::make_index_sequence<kMaxPackPlanes>());
#endif

MakeKeysFunction KeyMaker(size_t planes) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (UseWideVectors()) return kMakeKeysWide[planes - 1];
#endif
  return kMakeKeys[planes - 1];
}

// Counts rows [begin, end) of the planes of `pack` into their counts.
void CountPack(const Pack& pack, const GroupSource& groups, int slots, size_t begin, size_t end,
               std::vector<uint32_t>& bins) {
  const size_t space = pack.space;
  bins.assign(space * static_cast<size_t>(slots), 0);
  uint16_t keys[kChunkRows];
  const MakeKeysFunction make_keys = KeyMaker(pack.planes.size());
  auto add_bins = [&]() {
    // Sums the joint histogram into each plane's counts (an odometer over the
    // digits, no division per bin) and clears it.
    uint32_t digits[kMaxPackPlanes] = {};
    const size_t planes = pack.planes.size();
    for (int slot = 0; slot < slots; ++slot) {
      uint64_t* out[kMaxPackPlanes];
      for (size_t q = 0; q < planes; ++q) out[q] = pack.planes[q]->counts->data() + slot * 256;
      const uint32_t* row = bins.data() + slot * space;
      for (size_t key = 0; key < space; ++key) {
        if (uint32_t count = row[key]) {
          for (size_t q = 0; q < planes; ++q) out[q][static_cast<uint8_t>(digits[q] - 4)] += count;
        }
        for (size_t q = 0; q < planes && ++digits[q] == pack.planes[q]->radix; ++q) digits[q] = 0;
      }
    }
    std::fill(bins.begin(), bins.end(), 0u);
  };
  // u32 bins: flushed before any could overflow.
  constexpr size_t kRowsPerFlush =
      size_t{std::numeric_limits<uint32_t>::max()} / kChunkRows * kChunkRows;
  size_t since_flush = 0;
  for (size_t chunk = begin; chunk < end; chunk += kChunkRows) {
    const size_t n = std::min(kChunkRows, end - chunk);
    if (make_keys(pack, groups, chunk, n, keys)) {
      uint32_t* b = bins.data();
      size_t i = 0;
      // While counting, fetch the next chunk's bytes (one cache line per plane per 64
      // rows), so that reading memory overlaps the increments.
      const size_t next = chunk + kChunkRows;
      const size_t prefetch_rows = next < end ? std::min(kChunkRows, end - next) : 0;
      for (; i + 64 <= prefetch_rows && i + 64 <= n; i += 64) {
        for (const PlaneTask* plane : pack.planes) __builtin_prefetch(plane->data + next + i);
        if (groups.codes) __builtin_prefetch(groups.codes + next + i);
        for (size_t j = i; j < i + 64; j += 4) {
          ++b[keys[j]];
          ++b[keys[j + 1]];
          ++b[keys[j + 2]];
          ++b[keys[j + 3]];
        }
      }
      for (; i + 4 <= n; i += 4) {
        ++b[keys[i]];
        ++b[keys[i + 1]];
        ++b[keys[i + 2]];
        ++b[keys[i + 3]];
      }
      for (; i < n; ++i) ++b[keys[i]];
    } else {
      for (const PlaneTask* plane : pack.planes) {
        uint64_t* out = plane->counts->data();
        for (size_t i = chunk; i < chunk + n; ++i)
          ++out[size_t{groups.at(i)} * 256 + plane->data[i]];
      }
    }
    since_flush += n;
    if (since_flush >= kRowsPerFlush) {
      add_bins();
      since_flush = 0;
    }
  }
  add_bins();
}

// ---------------------------------------------------------------------------
// Numeric columns: sum, sum of squares, minimum and maximum of the answered values
// per slot. (The answered count and the non-answer counts come from the column's
// state bytes, counted as a plane.)

struct NumberSums {
  double sum = 0, sum_squares = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
};

void SumNumbersScalar(const double* values, const uint8_t* states, const GroupSource& groups,
                      size_t begin, size_t end, NumberSums* sums) {
  for (size_t i = begin; i < end; ++i) {
    if (states[i] != kCodeAnswered) continue;
    NumberSums& s = sums[groups.at(i)];
    double v = values[i];
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    s.sum += v;
    s.sum_squares += v * v;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
constexpr int kWideMaxSlots = 8;

// AVX-512: 64 rows at a time; per slot one masked add and one masked fused
// multiply-add per 8 values. The minimum and maximum are kept per slot in one
// register each and looked up per lane by the lane's slot: only a value below its
// slot's minimum or above its maximum (rare after the first rows) is applied, one by
// one. Requires slots <= 8 and finite answered values (as every loader makes them).
__attribute__((target("avx512f,avx512bw"))) void SumNumbersWide(const double* values,
                                                                const uint8_t* states,
                                                                const GroupSource& groups,
                                                                size_t begin, size_t end, int slots,
                                                                NumberSums* sums) {
  __m512d sum[kWideMaxSlots], squares[kWideMaxSlots];
  for (int k = 0; k < slots; ++k) sum[k] = squares[k] = _mm512_setzero_pd();
  alignas(64) double mins[8], maxs[8];
  for (int k = 0; k < 8; ++k) {
    mins[k] = k < slots ? sums[k].min : 0;
    maxs[k] = k < slots ? sums[k].max : 0;
  }
  __m512d min_by_slot = _mm512_load_pd(mins), max_by_slot = _mm512_load_pd(maxs);
  const __m512i clamp = _mm512_set1_epi8(static_cast<char>(groups.clamp));
  size_t i = begin;
  for (; i + 64 <= end; i += 64) {
    __m512i g = groups.codes ? _mm512_min_epu8(_mm512_loadu_si512(groups.codes + i), clamp)
                             : _mm512_setzero_si512();
    __mmask64 answered =
        _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(states + i), _mm512_setzero_si512());
    if (answered == 0) continue;
    __m512d x[8];
    for (int j = 0; j < 8; ++j) x[j] = _mm512_loadu_pd(values + i + 8 * j);
    for (int k = 0; k < slots; ++k) {
      __mmask64 in_slot =
          _mm512_mask_cmpeq_epi8_mask(answered, g, _mm512_set1_epi8(static_cast<char>(k)));
      if (in_slot == 0) continue;
      for (int j = 0; j < 8; ++j) {
        __mmask8 lanes = static_cast<__mmask8>(in_slot >> (8 * j));
        sum[k] = _mm512_mask_add_pd(sum[k], lanes, sum[k], x[j]);
        squares[k] = _mm512_mask3_fmadd_pd(x[j], x[j], squares[k], lanes);
      }
    }
    alignas(64) uint8_t slot_bytes[64];
    _mm512_store_si512(slot_bytes, g);
    uint64_t extremes = 0;
    for (int j = 0; j < 8; ++j) {
      __mmask8 lanes = static_cast<__mmask8>(answered >> (8 * j));
      __m512i slot = _mm512_cvtepu8_epi64(
          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(slot_bytes + 8 * j)));
      __mmask8 below = _mm512_mask_cmp_pd_mask(
          lanes, x[j], _mm512_permutexvar_pd(slot, min_by_slot), _CMP_LT_OQ);
      __mmask8 above = _mm512_mask_cmp_pd_mask(
          lanes, x[j], _mm512_permutexvar_pd(slot, max_by_slot), _CMP_GT_OQ);
      extremes |= uint64_t{static_cast<uint8_t>(below | above)} << (8 * j);
    }
    if (extremes != 0) {
      _mm512_store_pd(mins, min_by_slot);
      _mm512_store_pd(maxs, max_by_slot);
      for (; extremes != 0; extremes &= extremes - 1) {
        size_t row = i + static_cast<size_t>(std::countr_zero(extremes));
        uint8_t k = groups.at(row);
        mins[k] = std::min(mins[k], values[row]);
        maxs[k] = std::max(maxs[k], values[row]);
      }
      min_by_slot = _mm512_load_pd(mins);
      max_by_slot = _mm512_load_pd(maxs);
    }
  }
  _mm512_store_pd(mins, min_by_slot);
  _mm512_store_pd(maxs, max_by_slot);
  for (int k = 0; k < slots; ++k) {
    sums[k].sum += _mm512_reduce_add_pd(sum[k]);
    sums[k].sum_squares += _mm512_reduce_add_pd(squares[k]);
    sums[k].min = mins[k];
    sums[k].max = maxs[k];
  }
  SumNumbersScalar(values, states, groups, i, end, sums);
}
#endif

void SumNumbers(const Column& column, const GroupSource& groups, int slots, size_t begin,
                size_t end, NumberSums* sums) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (slots <= kWideMaxSlots && UseWideVectors()) {
    SumNumbersWide(column.numbers.data(), column.states.data(), groups, begin, end, slots, sums);
    return;
  }
#endif
  SumNumbersScalar(column.numbers.data(), column.states.data(), groups, begin, end, sums);
}

// A kSingle column of 16- or 32-bit codes, rows [begin, end): one increment per row
// into (slot, digit) counts; the digit is the code + 4 in the code's width (option i
// is i + 4, the non-answer codes wrap to 0..3), below the stride by Dataset::AddColumn's
// check of the codes.
template <typename Code>
void CountWideCodes(const Code* codes, const GroupSource& groups, size_t stride, size_t begin,
                    size_t end, uint64_t* counts) {
  for (size_t i = begin; i < end; ++i) {
    const size_t digit = static_cast<Code>(codes[i] + 4);
    ++counts[groups.at(i) * stride + digit];
  }
}

// Counts rows [begin, end) into `result` (this thread's own copy).
void CountRange(const Dataset& data, const GroupSource& groups, const std::vector<int>& columns,
                int slots, size_t begin, size_t end, GroupedCounts* result, Progress* progress) {
  // Every byte plane of the requested columns, and the state bytes of numeric
  // columns (counted into `state_counts`, turned into NumberSummary below).
  std::vector<PlaneTask> planes;
  std::vector<std::vector<uint64_t>> state_counts(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    const Column& column = data.column(columns[c]);
    if (column.kind == ColumnKind::kNumber) {
      state_counts[c].assign(static_cast<size_t>(slots) * 256, 0);
      planes.push_back({column.states.data(), 5, &state_counts[c]});  // answered + 4 states
      continue;
    }
    if (column.kind == ColumnKind::kSingle && column.planes.empty()) {
      ColumnCounts& out = result->columns[c];
      if (!column.codes16.empty()) {
        CountWideCodes(column.codes16.data(), groups, out.wide_stride, begin, end, out.wide.data());
      } else if (!column.codes32.empty()) {
        CountWideCodes(column.codes32.data(), groups, out.wide_stride, begin, end, out.wide.data());
      }
      continue;
    }
    for (size_t p = 0; p < column.planes.size(); ++p) {
      uint32_t radix;
      if (column.kind == ColumnKind::kSingle) {
        radix = static_cast<uint32_t>(std::min<size_t>(column.options.size() + 4, 256));
      } else {
        size_t options =
            std::min<size_t>(kOptionsPerPlane, column.options.size() - kOptionsPerPlane * p);
        radix = (uint32_t{1} << options) + 4;
      }
      planes.push_back({column.planes[p].data(), radix, &result->columns[c].planes[p].counts});
    }
  }
  // Smaller ranges get smaller packs: summing a pack's bins should cost no more than
  // a quarter of counting its rows.
  const size_t rows = end - begin;
  const size_t budget = std::clamp<size_t>(rows / 4, 256, kMaxKeySpace);
  std::vector<Pack> packs = MakePacks(planes, slots, budget);
  size_t units = packs.size() + columns.size(), done = 0;
  auto report = [&]() {
    if (progress) progress->Update(rows * ++done / units);
  };

  std::vector<uint32_t> bins;
  for (const Pack& pack : packs) {
    CountPack(pack, groups, slots, begin, end, bins);
    report();
  }
  std::vector<NumberSums> sums(slots);
  for (size_t c = 0; c < columns.size(); ++c) {
    const Column& column = data.column(columns[c]);
    if (column.kind == ColumnKind::kNumber) {
      std::fill(sums.begin(), sums.end(), NumberSums{});
      SumNumbers(column, groups, slots, begin, end, sums.data());
      for (int slot = 0; slot < slots; ++slot) {
        NumberSummary& s = result->columns[c].numbers[slot];
        const uint64_t* counts = state_counts[c].data() + slot * 256;
        s.n = counts[kCodeAnswered];
        s.state_counts[0] = counts[kCodeNotAsked];
        s.state_counts[1] = counts[kCodeDontKnow];
        s.state_counts[2] = counts[kCodeRefused];
        s.state_counts[3] = counts[kCodeMissing];
        if (s.n > 0) {
          s.sum = sums[slot].sum;
          s.sum_squares = sums[slot].sum_squares;
          s.min = sums[slot].min;
          s.max = sums[slot].max;
        }
      }
    }
    report();
  }
}

void MergeInto(GroupedCounts* total, const GroupedCounts& part) {
  for (size_t c = 0; c < total->columns.size(); ++c) {
    ColumnCounts& to = total->columns[c];
    const ColumnCounts& from = part.columns[c];
    for (size_t p = 0; p < to.planes.size(); ++p) {
      for (size_t bin = 0; bin < to.planes[p].counts.size(); ++bin) {
        to.planes[p].counts[bin] += from.planes[p].counts[bin];
      }
    }
    for (size_t bin = 0; bin < to.wide.size(); ++bin) to.wide[bin] += from.wide[bin];
    for (size_t g = 0; g < to.numbers.size(); ++g) {
      NumberSummary& a = to.numbers[g];
      const NumberSummary& b = from.numbers[g];
      if (b.n > 0) {
        a.min = a.n == 0 ? b.min : std::min(a.min, b.min);
        a.max = a.n == 0 ? b.max : std::max(a.max, b.max);
      }
      a.n += b.n;
      a.sum += b.sum;
      a.sum_squares += b.sum_squares;
      for (int k = 0; k < 4; ++k) a.state_counts[k] += b.state_counts[k];
    }
  }
}

GroupedCounts EmptyCounts(const Dataset& data, const std::vector<int>& columns, int slots,
                          int group_count) {
  GroupedCounts counts;
  counts.group_count = group_count;
  for (int index : columns) {
    const Column& column = data.column(index);
    ColumnCounts cc;
    cc.column = index;
    cc.planes.resize(column.planes.size());
    for (auto& plane : cc.planes) plane.counts.assign(static_cast<size_t>(slots) * 256, 0);
    if (column.kind == ColumnKind::kNumber) cc.numbers.resize(slots);
    if (column.kind == ColumnKind::kSingle && column.planes.empty()) {
      cc.wide_stride = column.options.size() + 4;
      cc.wide.assign(static_cast<size_t>(slots) * cc.wide_stride, 0);
    }
    counts.columns.push_back(std::move(cc));
  }
  return counts;
}

}  // namespace

namespace {

// The largest of `n` bytes, 16 at a time (std::max_element compiled to a byte-by-byte
// loop: a sixth of `tabulate`'s time at 10M rows, which checks its codes per item).
uint8_t HighestByte(const uint8_t* bytes, size_t n) {
  uint8_t highest = 0;
  size_t i = 0;
#if defined(__SSE2__)
  __m128i wide = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    wide = _mm_max_epu8(wide, _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i)));
  }
  alignas(16) uint8_t lanes[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), wide);
  highest = *std::max_element(lanes, lanes + 16);
#endif
  for (; i < n; ++i) highest = std::max(highest, bytes[i]);
  return highest;
}

Status CheckColumns(const Dataset& data, const std::vector<int>& columns) {
  int column_count = static_cast<int>(data.columns().size());
  for (int index : columns) {
    if (index < 0 || index >= column_count) {
      return MakeError("T001", "column index " + std::to_string(index) + " is out of range");
    }
  }
  return Ok();
}

// Runs CountRange over all rows on up to `threads` threads and merges the parts.
GroupedCounts CountParallel(const Dataset& data, const GroupSource& groups,
                            const std::vector<int>& columns, int group_count, int slots,
                            unsigned threads, Progress& progress) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Threads only pay off for large inputs.
  constexpr size_t kRowsPerThread = size_t{1} << 16;
  size_t rows = data.rows();
  threads =
      static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, rows / kRowsPerThread)));

  progress.Start("counting", rows);
  std::vector<GroupedCounts> parts;
  for (unsigned t = 0; t < threads; ++t) {
    parts.push_back(EmptyCounts(data, columns, slots, group_count));
  }
  // Split on 64-row boundaries (whole vectors for every thread but the last).
  auto range_of = [&](unsigned t) {
    size_t first = rows * t / threads / 64 * 64;
    size_t last = t + 1 == threads ? rows : rows * (t + 1) / threads / 64 * 64;
    return std::make_pair(first, last);
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) {
    auto [first, last] = range_of(t);
    workers.emplace_back(CountRange, std::cref(data), std::cref(groups), std::cref(columns), slots,
                         first, last, &parts[t], nullptr);
  }
  auto [first, last] = range_of(0);
  CountRange(data, groups, columns, slots, first, last, &parts[0], &progress);
  for (auto& worker : workers) worker.join();
  for (unsigned t = 1; t < threads; ++t) MergeInto(&parts[0], parts[t]);
  progress.Finish();
  return std::move(parts[0]);
}

}  // namespace

void DisableWideVectorsForTesting(bool disable) {
  wide_vectors_allowed.store(!disable, std::memory_order_relaxed);
}

Result<GroupedCounts> CountByGroup(const Dataset& data, int group_column,
                                   const std::vector<int>& columns, unsigned threads,
                                   Progress& progress) {
  NGO_TRY(CheckColumns(data, columns));
  int column_count = static_cast<int>(data.columns().size());
  if (group_column < 0) {
    return CountParallel(data, GroupSource{}, columns, 1, 1, threads, progress);
  }
  if (group_column >= column_count || data.column(group_column).kind != ColumnKind::kSingle) {
    return MakeError("T001", "the grouping column must be a single-choice column");
  }
  if (data.column(group_column).planes.empty()) {  // wide codes: more groups than slots
    return MakeError("T001", "the grouping column has more options than 255 groups");
  }
  int group_count = static_cast<int>(data.column(group_column).options.size());
  // Codes past the options (the non-answers) go to the "no group" slot.
  GroupSource groups{data.column(group_column).planes[0].data(), static_cast<uint8_t>(group_count)};
  return CountParallel(data, groups, columns, group_count, group_count + 1, threads, progress);
}

Result<GroupedCounts> CountBySlots(const Dataset& data, const std::vector<uint8_t>& group_codes,
                                   int slots, const std::vector<int>& columns, unsigned threads,
                                   Progress& progress) {
  NGO_TRY(CheckColumns(data, columns));
  if (group_codes.size() != data.rows() || slots < 1 || slots > 256) {
    return MakeError("T001", "group codes must have one byte per row and 1..256 slots");
  }
  uint8_t highest = HighestByte(group_codes.data(), group_codes.size());
  if (highest >= slots) {
    return MakeError("T001", "group code " + std::to_string(highest) + " is not below the " +
                                 std::to_string(slots) + " slots");
  }
  return CountParallel(data, GroupSource{group_codes.data(), 0xFF}, columns, slots, slots, threads,
                       progress);
}

uint64_t SingleOptionCount(const ColumnCounts& counts, int group, int option) {
  if (!counts.wide.empty()) {
    return counts
        .wide[static_cast<size_t>(group) * counts.wide_stride + 4 + static_cast<size_t>(option)];
  }
  return counts.planes[0].at(group, option);
}

uint64_t MultiOptionCount(const ColumnCounts& counts, int group, int option) {
  const PlaneCounts& plane = counts.planes[option / kOptionsPerPlane];
  int bit = 1 << (option % kOptionsPerPlane);
  uint64_t total = 0;
  for (int code = 0; code < 0x80; ++code) {
    if (code & bit) total += plane.at(group, code);
  }
  return total;
}

uint64_t MultiMentions(const ColumnCounts& counts, int group) {
  uint64_t total = 0;
  for (const PlaneCounts& plane : counts.planes) {
    for (int code = 1; code < 0x80; ++code) {
      total +=
          static_cast<uint64_t>(std::popcount(static_cast<unsigned>(code))) * plane.at(group, code);
    }
  }
  return total;
}

uint64_t StateCount(const ColumnCounts& counts, ColumnKind kind, int group,
                    form::AnswerState state) {
  if (kind == ColumnKind::kNumber) {
    const NumberSummary& s = counts.numbers[group];
    switch (state) {
      case form::AnswerState::kAnswered:
        return s.n;
      case form::AnswerState::kNotAsked:
        return s.state_counts[0];
      case form::AnswerState::kDontKnow:
        return s.state_counts[1];
      case form::AnswerState::kRefused:
        return s.state_counts[2];
      case form::AnswerState::kMissing:
        return s.state_counts[3];
    }
    return 0;
  }
  if (!counts.wide.empty()) {
    const uint64_t* row = counts.wide.data() + static_cast<size_t>(group) * counts.wide_stride;
    if (state == form::AnswerState::kAnswered) {
      uint64_t total = 0;
      for (size_t digit = 4; digit < counts.wide_stride; ++digit) total += row[digit];
      return total;
    }
    return row[StateCode(state) - kCodeNotAsked];
  }
  const PlaneCounts& plane = counts.planes[0];
  if (state == form::AnswerState::kAnswered) {
    uint64_t total = 0;
    for (int code = 0; code < kCodeNotAsked; ++code) total += plane.at(group, code);
    return total;
  }
  return plane.at(group, StateCode(state));
}

}  // namespace ngosurvey::analysis
