// Tabulation kernel and statistics at survey-census scale (issue "Analysis"): a grouping column of
// 5 groups, 100 select_one items (6 options, a few % missing and refused), 30
// select_multiple items with 5 options, 10 decimal items with about 5% missing.
// Measures CountByGroup over every item (what the count, base and percent of every
// option in every group and the mean of every decimal are derived from), against
// one two-thread pass that just reads the same bytes (the memory-bandwidth floor).
//
//   build/release/bench/tabulate_bench --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>

#include "analysis/group_counts.h"
#include "analysis/stats.h"
#include "analysis/table.h"
#include "tabulate_workload.h"

namespace ngosurvey::analysis {
namespace {

// The generated workload (tabulate_workload.h); built once per row count and kept
// for all benchmarks.
const Dataset& Workload(size_t rows) {
  static std::map<size_t, std::unique_ptr<Dataset>> cache;
  auto& slot = cache[rows];
  if (!slot) slot = std::make_unique<Dataset>(bench::MakeWorkload(rows));
  return *slot;
}

std::vector<int> AllItems(const Dataset& data) {
  std::vector<int> items;
  for (int i = 1; i < static_cast<int>(data.columns().size()); ++i) items.push_back(i);
  return items;
}

void BM_CountByGroup(benchmark::State& state) {
  const Dataset& data = Workload(static_cast<size_t>(state.range(0)));
  std::vector<int> items = AllItems(data);
  for (auto _ : state) {
    auto counts = CountByGroup(data, 0, items, 2);
    benchmark::DoNotOptimize(counts);
  }
  state.counters["bytes"] = static_cast<double>(data.ByteSize());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.ByteSize());
}

// Lists of any length (issue 17): the grouping column of the workload and two
// select_ones of wide codes, 1,491 options (16 bits) and 70,000 (32 bits), options drawn
// uniformly with ~3% missing; counted by group on both cores (one increment per row and
// column into its (group, code) counts).
const Dataset& WideWorkload(size_t rows) {
  static std::map<size_t, std::unique_ptr<Dataset>> cache;
  auto& slot = cache[rows];
  if (slot) return *slot;
  slot = std::make_unique<Dataset>(rows);
  (void)slot->AddColumn(Workload(rows).column(0));
  std::mt19937_64 rng(20261206);
  for (int size : {1491, 70000}) {
    Column c;
    c.name = "wide" + std::to_string(size);
    c.kind = ColumnKind::kSingle;
    for (int i = 0; i < size; ++i) c.options.push_back("o" + std::to_string(i));
    std::vector<uint32_t> codes(rows);
    for (uint32_t& code : codes) {
      uint64_t r = rng();
      code = r % 100 < 3 ? kWideNotAsked + 3 : static_cast<uint32_t>((r >> 8) % size);
    }
    if (c.code_width() == 2) {
      c.codes16 = std::vector<uint16_t>(codes.begin(), codes.end());
    } else {
      c.codes32 = std::move(codes);
    }
    (void)slot->AddColumn(std::move(c));
  }
  return *slot;
}

void BM_CountByGroupWide(benchmark::State& state) {
  const Dataset& data = WideWorkload(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto counts = CountByGroup(data, 0, {1, 2}, 2);
    benchmark::DoNotOptimize(counts);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.ByteSize());
}

// Reads every byte the kernel reads, with both cores, doing the least possible
// work per byte: the floor that the kernel is compared with.
void BM_MemoryPass(benchmark::State& state) {
  const Dataset& data = Workload(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    uint64_t total = bench::MemoryPass(data);
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.ByteSize());
}

// Tabulate() with every statistic, as `ngosurvey tabulate --by grp` computes it
// (the quick form's spec: every item by grp): counts, bases, percents, four
// intervals per cell, 2x2 Fisher tests between every pair of the 5 groups for every
// option with Holm and BH, the r x c test of every select_one, nonresponse, and the
// numeric summaries with medians. One thread.
void BM_TabulateAllStatistics(benchmark::State& state) {
  const Dataset& data = Workload(static_cast<size_t>(state.range(0)));
  TableSpec spec;
  spec.id = "tabulate";
  spec.by = {data.column(0).name};
  for (size_t i = 1; i < data.columns().size(); ++i) {
    RowSpec row;
    row.item = data.column(static_cast<int>(i)).name;
    row.mentions = data.column(static_cast<int>(i)).kind == ColumnKind::kMulti;
    spec.rows.push_back(row);
  }
  for (auto _ : state) {
    auto result = Tabulate(data, spec);
    if (!result) state.SkipWithError(result.error().message.c_str());
    benchmark::DoNotOptimize(result);
  }
}

// One 2x2 test between two groups of 200,000 (an option chosen by ~14%).
void BM_Fisher2x2(benchmark::State& state) {
  int64_t n = state.range(0) / 2;
  int64_t a = n * 14 / 100;
  for (auto _ : state) {
    auto result = FisherExact2x2(a, n - a, a + 150, n - a - 150);
    benchmark::DoNotOptimize(result);
  }
}

// The r x c test of a 6-answer item over 5 groups of N/5 (the method it falls to
// is in the label: exact at 100, Monte Carlo at 20,000, asymptotic at 1M).
void BM_FisherRxc(benchmark::State& state) {
  int64_t total = state.range(0);
  std::vector<std::vector<int64_t>> table(6, std::vector<int64_t>(5));
  for (size_t r = 0; r < 6; ++r) {
    for (size_t c = 0; c < 5; ++c) {
      table[r][c] = total / 30 + static_cast<int64_t>((r * 5 + c * 3) % 7) * (total / 3000 + 1) - 3;
      if (table[r][c] < 0) table[r][c] = 0;
    }
  }
  FisherMethod method = FisherMethod::kExact;
  for (auto _ : state) {
    auto result = FisherExact(table);
    if (!result) state.SkipWithError(result.error().message.c_str());
    method = result->method;
    benchmark::DoNotOptimize(result);
  }
  state.SetLabel(std::string(FisherMethodName(method)));
}

BENCHMARK(BM_TabulateAllStatistics)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Fisher2x2)->Arg(400'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FisherRxc)->Arg(100)->Arg(20'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountByGroup)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CountByGroupWide)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_MemoryPass)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace ngosurvey::analysis

BENCHMARK_MAIN();
