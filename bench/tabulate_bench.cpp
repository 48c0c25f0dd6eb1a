// Tabulation kernel at survey-census scale (issue "Analysis"): a grouping column of
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

#include "analysis/group_counts.h"
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

BENCHMARK(BM_CountByGroup)
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
