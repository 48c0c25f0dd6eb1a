// Store benchmarks (SQLite back end, WAL, synchronous=FULL): durable draft saves
// per second with one writer and with 4 writers on one file (each thread its own
// connection, as separate interviewer processes would be), and the 99th percentile
// of one save's latency. Each save is one transaction with one answer, which is
// what the interview engine does after every accepted answer.
#include <benchmark/benchmark.h>
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
  state.counters["commits_per_s"] = benchmark::Counter(static_cast<double>(saves),
                                                       benchmark::Counter::kIsRate);
  state.counters["p50_ms"] =
      benchmark::Counter(Percentile(latencies_ms, 0.50), benchmark::Counter::kAvgThreads);
  state.counters["p99_ms"] =
      benchmark::Counter(Percentile(latencies_ms, 0.99), benchmark::Counter::kAvgThreads);
}
BENCHMARK(BM_DraftSave)->Name("DraftSave/writers:1")->Threads(1)->UseRealTime()
    ->MinTime(3.0)->Repetitions(5)->ReportAggregatesOnly(true)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DraftSave)->Name("DraftSave/writers:4")->Threads(4)->UseRealTime()
    ->MinTime(3.0)->Repetitions(5)->ReportAggregatesOnly(true)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
