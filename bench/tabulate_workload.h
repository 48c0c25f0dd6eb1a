// The generated workload of the analysis issue, shared by tabulate_bench (in memory)
// and peers_bench (written as a CSV export with its XLSForm for bench/peers/run.sh):
// a grouping column of 5 groups, 100 select_one items (6 options, ~3% missing, ~2%
// refused), 30 select_multiple items with 5 options (~4% missing), 10 decimal items
// with ~5% missing. Deterministic: the same rows for the same row count.
#pragma once

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "analysis/dataset.h"

namespace ngosurvey::analysis::bench {

inline Column ByteColumn(std::string name, ColumnKind kind, std::vector<std::string> options,
                         size_t rows) {
  Column column;
  column.name = std::move(name);
  column.kind = kind;
  column.options = std::move(options);
  column.planes.assign(1, std::vector<uint8_t>(rows));
  return column;
}

// Column 0 is the grouping column "grp"; then s0..s99, m0..m29, x0..x9.
inline Dataset MakeWorkload(size_t rows) {
  Dataset data(rows);
  std::mt19937_64 rng(20261125);
  Column group = ByteColumn("grp", ColumnKind::kSingle, {"g1", "g2", "g3", "g4", "g5"}, rows);
  for (auto& b : group.planes[0]) b = static_cast<uint8_t>(rng() % 5);
  (void)data.AddColumn(std::move(group));
  for (int item = 0; item < 100; ++item) {
    Column c = ByteColumn("s" + std::to_string(item), ColumnKind::kSingle,
                          {"1", "2", "3", "4", "5", "6"}, rows);
    for (auto& b : c.planes[0]) {
      uint64_t r = rng();
      uint32_t pick = static_cast<uint32_t>(r % 100);
      b = pick < 3 ? kCodeMissing : pick < 5 ? kCodeRefused : static_cast<uint8_t>((r >> 8) % 6);
    }
    (void)data.AddColumn(std::move(c));
  }
  for (int item = 0; item < 30; ++item) {
    Column c =
        ByteColumn("m" + std::to_string(item), ColumnKind::kMulti, {"a", "b", "c", "d", "e"}, rows);
    for (auto& b : c.planes[0]) {
      uint64_t r = rng();
      b = r % 100 < 4 ? kCodeMissing : static_cast<uint8_t>((r >> 8) & 0x1F);
    }
    (void)data.AddColumn(std::move(c));
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
    (void)data.AddColumn(std::move(c));
  }
  return data;
}

// Reads every byte a count over all columns reads, with two threads, doing the least
// possible work per byte: the memory-bandwidth floor the kernel is compared with.
inline uint64_t MemoryPass(const Dataset& data) {
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
  return totals[0] + totals[1];
}

}  // namespace ngosurvey::analysis::bench
