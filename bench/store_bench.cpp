// Store benchmarks (SQLite back end, WAL, synchronous=FULL): durable draft saves
// per second with one writer and with 4 writers on one file (each thread its own
// connection, as separate interviewer processes would be), and the 99th percentile
// of one save's latency. Each save is one transaction with one answer, which is
// what the interview engine does after every accepted answer.
//
// The peer in the same run, RawWriteFdatasync, is the floor any durable save on
// this disk pays: pwrite of 8 KiB (two pages, what a one-answer commit appends to
// the WAL) into a preallocated file, then fdatasync, with the same percentiles.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"

namespace {

using ngosurvey::store::AnswerChange;
using ngosurvey::store::OpenStore;
using ngosurvey::store::Store;
using ngosurvey::store::Submission;

// One folder for the run, removed at exit. NGOSURVEY_BENCH_DIR chooses the disk.
const std::string& BenchDir() {
  // Never destroyed, so that the exit handler below can still read it.
  static const std::string& dir = *new std::string([] {
    const char* base = std::getenv("NGOSURVEY_BENCH_DIR");
    std::string pattern =
        (std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
         "ngostore-bench-XXXXXX")
            .string();
    std::string made = ::mkdtemp(pattern.data());
    return made;
  }());
  static const int registered = std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(BenchDir(), ignored);
  });
  (void)registered;
  return dir;
}

std::unique_ptr<Store> OpenBenchStore(const std::string& name) {
  auto store = OpenStore(BenchDir() + "/" + name);
  if (!store) return nullptr;
  (void)(*store)->PutForm({"bench", "1", "Benchmark form", "xlsx", "", 0});
  return std::move(*store);
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

void BM_DraftSave(benchmark::State& state) {
  std::unique_ptr<Store> store =
      OpenBenchStore("writers-" + std::to_string(state.threads()) + ".db");
  if (!store) {
    state.SkipWithError("cannot open the store");
    return;
  }
  Submission draft;
  draft.instance_id = ngosurvey::store::NewInstanceId();
  draft.form_id = "bench";
  draft.form_version = "1";
  draft.interviewer = "bench";
  if (!store->CreateSubmission(draft)) {
    state.SkipWithError("cannot create the draft");
    return;
  }
  std::vector<double> latencies_ms;
  latencies_ms.reserve(100000);
  int64_t saves = 0;
  for (auto _ : state) {
    std::vector<AnswerChange> change = {
        {"q" + std::to_string(saves % 150),
         ngosurvey::form::Answer::Answered("answer " + std::to_string(saves))}};
    auto start = std::chrono::steady_clock::now();
    auto saved = store->SaveDraft(draft.instance_id, change);
    auto stop = std::chrono::steady_clock::now();
    if (!saved) {
      state.SkipWithError(saved.error().ToString().c_str());
      break;
    }
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    ++saves;
  }
  // Rates add up over threads: commits_per_s is the total for all writers.
  state.counters["commits_per_s"] =
      benchmark::Counter(static_cast<double>(saves), benchmark::Counter::kIsRate);
  state.counters["p50_ms"] =
      benchmark::Counter(Percentile(latencies_ms, 0.50), benchmark::Counter::kAvgThreads);
  state.counters["p99_ms"] =
      benchmark::Counter(Percentile(latencies_ms, 0.99), benchmark::Counter::kAvgThreads);
}
void BM_RawWriteFdatasync(benchmark::State& state) {
  std::string path = BenchDir() + "/raw-fdatasync";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    state.SkipWithError("cannot create the file");
    return;
  }
  constexpr size_t kBlock = 8192;
  constexpr off_t kFileSize = 4 << 20;  // the WAL is reused in place after a checkpoint
  std::string block(kBlock, 'x');
  for (off_t off = 0; off < kFileSize; off += kBlock) {
    if (::pwrite(fd, block.data(), kBlock, off) != static_cast<ssize_t>(kBlock)) break;
  }
  ::fsync(fd);
  std::vector<double> latencies_ms;
  off_t off = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    bool ok = ::pwrite(fd, block.data(), kBlock, off) == static_cast<ssize_t>(kBlock) &&
              ::fdatasync(fd) == 0;
    auto stop = std::chrono::steady_clock::now();
    if (!ok) {
      state.SkipWithError("write or fdatasync failed");
      break;
    }
    off = (off + static_cast<off_t>(kBlock)) % kFileSize;
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  state.counters["syncs_per_s"] =
      benchmark::Counter(static_cast<double>(latencies_ms.size()), benchmark::Counter::kIsRate);
  state.counters["p50_ms"] = Percentile(latencies_ms, 0.50);
  state.counters["p99_ms"] = Percentile(latencies_ms, 0.99);
}
BENCHMARK(BM_RawWriteFdatasync)
    ->Name("RawWriteFdatasync")
    ->UseRealTime()
    ->MinTime(3.0)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_DraftSave)
    ->Name("DraftSave/writers:1")
    ->Threads(1)
    ->UseRealTime()
    ->MinTime(3.0)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DraftSave)
    ->Name("DraftSave/writers:4")
    ->Threads(4)
    ->UseRealTime()
    ->MinTime(3.0)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
