// Interview engine benchmarks on a generated form of 5,000 questions: 4,000 integer
// inputs (2,000 of them with a relevance expression) and 1,000 calculations, the
// calculations chained in places so the topological order matters.
//   BM_ReevaluateAfterAnswer  Set() of one answer: checks + re-evaluation of what
//                             depends on it + the new screen (median and p99, us)
//   BM_AnswerAndDurableSave   Set() + TakeChanges() + Store::SaveDraft on SQLite
//                             (WAL, synchronous=FULL): what the CLI does per answer
//   BM_OpenForm               form model from the sheets + CompileForm + Start
//   BM_ResumeDraft            Resume() from 2,500 stored answers
// Per-iteration times are recorded, so the counters give the median and the 99th
// percentile rather than only the mean.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "interview/interview.h"
#include "interview/test_forms.h"
#include "store/store.h"

namespace {

using namespace ngosurvey;
using interview::testing::Rows;

constexpr int kInputs = 4000;
constexpr int kCalculations = 1000;

// The survey sheet: q0..q3999 (every other one from q2 has a relevance), c0..c999
// after q(4i+3), each reading two earlier inputs and, for half of them, the
// previous calculation.
Rows SurveyRows() {
  Rows rows = {{"type", "name", "label", "relevant", "calculation", "constraint"}};
  int calc = 0;
  int relevances = 0;
  for (int i = 0; i < kInputs; ++i) {
    std::string q = "q" + std::to_string(i);
    std::string relevant;
    if (i >= 2 && i % 2 == 0 && relevances < 2000) {
      ++relevances;
      relevant = (i % 4 == 0 && calc > 0) ? "${c" + std::to_string(calc - 1) + "} != 17"
                                          : "${q" + std::to_string(i - 1) + "} != 99";
    }
    rows.push_back({"integer", q, "Question " + std::to_string(i), relevant, "", ". >= 0"});
    if (i % 4 == 3 && calc < kCalculations) {
      std::string expr = "${q" + std::to_string(i) + "} + ${q" + std::to_string(i - 2) + "}";
      if (calc % 2 == 1) expr += " + ${c" + std::to_string(calc - 1) + "}";
      rows.push_back({"calculate", "c" + std::to_string(calc), "", "", expr, ""});
      ++calc;
    }
  }
  return rows;
}

struct Fixture {
  form::Form form;
  std::shared_ptr<const interview::CompiledForm> compiled;
  static Fixture& Get() {
    static Fixture* f = [] {
      auto* fx = new Fixture;
      auto form =
          interview::testing::MakeForm(SurveyRows(), {}, {{"form_id", "version"}, {"bench", "1"}});
      if (!form) std::abort();
      fx->form = std::move(*form);
      auto compiled = interview::CompileForm(fx->form);
      if (!compiled) std::abort();
      fx->compiled = *compiled;
      return fx;
    }();
    return *f;
  }
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

// An interview advanced to the middle of the form, at a question that others read:
// q(i) with i % 4 == 1 feeds the relevance of q(i+1) and a calculation, which feeds
// the next calculation and a relevance further on.
std::unique_ptr<interview::Interview> Midway() {
  auto iv = interview::Interview::Start(Fixture::Get().compiled, {.seed = 1});
  if (!iv) std::abort();
  for (int i = 0; i < kInputs / 2; ++i) {
    if (!(*iv)->Set(0, std::to_string(i % 7))) std::abort();
    if (!(*iv)->Next()) std::abort();
  }
  while (true) {
    const std::string& name = (*iv)->screen().prompts.at(0).name;
    if (std::stoi(name.substr(1)) % 4 == 1) break;
    if (!(*iv)->Set(0, "5") || !(*iv)->Next()) std::abort();
  }
  return std::move(*iv);
}

// The same, then back (JumpTo) to an answered question 400 earlier, so that the
// calculations reading it have values that change with it.
std::unique_ptr<interview::Interview> MidwayBack() {
  auto iv = Midway();
  int at = std::stoi(iv->screen().prompts.at(0).name.substr(1));
  if (!iv->JumpTo("q" + std::to_string(at - 400))) std::abort();
  return iv;
}

void BM_ReevaluateAfterAnswer(benchmark::State& state) {
  auto iv = MidwayBack();
  std::vector<double> us;
  long evaluations = 0;
  int i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto st = iv->Set(0, (i++ % 2) ? "3" : "4");
    auto t1 = std::chrono::steady_clock::now();
    if (!st) state.SkipWithError("Set failed");
    evaluations += iv->last_evaluations();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    iv->TakeChanges();
  }
  state.counters["median_us"] = Percentile(us, 0.5);
  state.counters["p99_us"] = Percentile(us, 0.99);
  state.counters["evals_per_answer"] =
      static_cast<double>(evaluations) / static_cast<double>(us.size());
}
BENCHMARK(BM_ReevaluateAfterAnswer)->Iterations(20000);

const std::string& BenchDir() {
  static const std::string& dir = *new std::string([] {
    const char* base = std::getenv("NGOSURVEY_BENCH_DIR");
    std::string pattern =
        (std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
         "ngointerview-bench-XXXXXX")
            .string();
    return std::string(::mkdtemp(pattern.data()));
  }());
  static const int registered = std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(BenchDir(), ignored);
  });
  (void)registered;
  return dir;
}

void BM_AnswerAndDurableSave(benchmark::State& state) {
  auto db = store::OpenStore(BenchDir() + "/answers.db");
  if (!db) return state.SkipWithError(db.error().message.c_str());
  (void)(*db)->PutForm({"bench", "1", "Benchmark", "xlsx", "", 0});
  store::Submission sub;
  sub.instance_id = store::NewInstanceId();
  sub.form_id = "bench";
  sub.form_version = "1";
  if (!(*db)->CreateSubmission(sub)) return state.SkipWithError("CreateSubmission failed");
  auto iv = MidwayBack();
  auto save = [&] {
    std::vector<store::AnswerChange> changes;
    for (auto& c : iv->TakeChanges()) changes.push_back({std::move(c.path), std::move(c.answer)});
    return (*db)->SaveDraft(sub.instance_id, changes);
  };
  if (!save()) return state.SkipWithError("first save failed");
  std::vector<double> ms;
  int i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto st = iv->Set(0, (i++ % 2) ? "3" : "4");
    auto saved = save();
    auto t1 = std::chrono::steady_clock::now();
    if (!st || !saved) state.SkipWithError("answer or save failed");
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  state.counters["median_ms"] = Percentile(ms, 0.5);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
}
BENCHMARK(BM_AnswerAndDurableSave)->Iterations(500)->Unit(benchmark::kMillisecond);

void BM_OpenForm(benchmark::State& state) {
  Rows survey = SurveyRows();
  for (auto _ : state) {
    auto form = interview::testing::MakeForm(survey, {}, {{"form_id", "version"}, {"bench", "1"}});
    auto compiled = interview::CompileForm(*form);
    auto iv = interview::Interview::Start(*compiled, {.seed = 1});
    if (!iv) state.SkipWithError("Start failed");
    benchmark::DoNotOptimize(iv);
  }
}
BENCHMARK(BM_OpenForm)->Unit(benchmark::kMillisecond);

void BM_ResumeDraft(benchmark::State& state) {
  auto answers = Midway()->Answers();
  for (auto _ : state) {
    auto iv = interview::Interview::Resume(Fixture::Get().compiled, answers, {.seed = 1});
    if (!iv) state.SkipWithError(iv.error().message.c_str());
    benchmark::DoNotOptimize(iv);
  }
  state.counters["stored_answers"] = static_cast<double>(answers.size());
}
BENCHMARK(BM_ResumeDraft)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
