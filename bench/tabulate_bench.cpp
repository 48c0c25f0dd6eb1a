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
#include <random>
#include <thread>

#include "analysis/group_counts.h"

namespace ngosurvey::analysis {
namespace {

Column ByteColumn(std::string name, ColumnKind kind, std::vector<std::string> options, size_t rows) {
  Column column;
  column.name = std::move(name);
  column.kind = kind;
  column.options = std::move(options);
  column.planes.assign(1, std::vector<uint8_t>(rows));
  return column;
}

// The generated workload; built once per row count and kept for all benchmarks.
const Dataset& Workload(size_t rows) {
  static std::map<size_t, std::unique_ptr<Dataset>> cache;
  auto& slot = cache[rows];
  if (slot) return *slot;
  slot = std::make_unique<Dataset>(rows);
  std::mt19937_64 rng(20261125);
  Column group = ByteColumn("group", ColumnKind::kSingle, {"g1", "g2", "g3", "g4", "g5"}, rows);
  for (auto& b : group.planes[0]) b = static_cast<uint8_t>(rng() % 5);
  (void)slot->AddColumn(std::move(group));
  for (int item = 0; item < 100; ++item) {
    Column c = ByteColumn("s" + std::to_string(item), ColumnKind::kSingle,
                          {"1", "2", "3", "4", "5", "6"}, rows);
    for (auto& b : c.planes[0]) {
      uint64_t r = rng();
      uint32_t pick = static_cast<uint32_t>(r % 100);
      b = pick < 3 ? kCodeMissing : pick < 5 ? kCodeRefused : static_cast<uint8_t>((r >> 8) % 6);
    }
    (void)slot->AddColumn(std::move(c));
  }
  for (int item = 0; item < 30; ++item) {
    Column c = ByteColumn("m" + std::to_string(item), ColumnKind::kMulti,
                          {"a", "b", "c", "d", "e"}, rows);
    for (auto& b : c.planes[0]) {
      uint64_t r = rng();
      b = r % 100 < 4 ? kCodeMissing : static_cast<uint8_t>((r >> 8) & 0x1F);
    }
    (void)slot->AddColumn(std::move(c));
  }
  std::uniform_real_distribution<double> value(0, 1000);
  for (int item = 0; item < 10; ++item) {
    Column c;
    c.name = "x" + std::to_string(item);
    c.kind = ColumnKind::kNumber;
    c.numbers.resize(rows);
    c.states.resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      bool missing = rng() % 100 < 5;
      c.states[i] = missing ? kCodeMissing : kCodeAnswered;
      c.numbers[i] = missing ? 0 : value(rng);
    }
    (void)slot->AddColumn(std::move(c));
  }
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
    uint64_t totals[2] = {0, 0};
    auto work = [&](int part) {
      uint64_t sum = 0;
      for (const Column& column : data.columns()) {
        auto add = [&](const uint8_t* p, size_t n) {
          size_t begin = n * part / 2, end = n * (part + 1) / 2;
          const uint64_t* words = reinterpret_cast<const uint64_t*>(p + begin);
          size_t count = (end - begin) / 8;
          for (size_t i = 0; i < count; ++i) sum += words[i];
        };
        for (const auto& plane : column.planes) add(plane.data(), plane.size());
        if (!column.numbers.empty()) {
          add(reinterpret_cast<const uint8_t*>(column.numbers.data()), column.numbers.size() * 8);
          add(column.states.data(), column.states.size());
        }
      }
      totals[part] = sum;
    };
    std::thread other(work, 1);
    work(0);
    other.join();
    benchmark::DoNotOptimize(totals);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.ByteSize());
}

BENCHMARK(BM_CountByGroup)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MemoryPass)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ngosurvey::analysis

BENCHMARK_MAIN();
