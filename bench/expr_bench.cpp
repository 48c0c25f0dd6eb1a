// Expression engine throughput (form/expr): evaluation of a typical relevance
// condition against bound answers, and parse+bind of typical expressions. A
// counting operator new reports heap allocations per evaluation (must be 0).
#include <benchmark/benchmark.h>

#include "base/testing/counting_operator_new.h"
#include "form/expr/expr.h"

namespace {

using namespace ngosurvey::form::expr;

struct Answers {
  ngosurvey::FixedClock clock{1710473400000, 420};
  MapContext ctx{&clock};
  Answers() {
    ctx.Set("a", "w x y", TypeHint::kSelectMultiple);
    ctx.Set("b", "5", TypeHint::kNumber);
    ctx.Set("dob", "1990-05-17", TypeHint::kDate);
    ctx.SetRepeated("age", "members", {"34", "8", "61", "12", "40"}, TypeHint::kNumber);
  }
};

void EvaluateExpression(benchmark::State& state, const char* text) {
  Answers answers;
  auto bound = Compile(text, answers.ctx);
  if (!bound) {
    state.SkipWithError(bound.error().ToString().c_str());
    return;
  }
  Evaluator evaluator;
  for (int i = 0; i < 10; ++i) (void)evaluator.Evaluate(*bound, answers.ctx);  // warm up
  long before = ngosurvey::alloc_count::g_allocations.load();
  for (auto _ : state) {
    auto value = evaluator.EvaluateBoolean(*bound, answers.ctx);
    benchmark::DoNotOptimize(value);
  }
  state.counters["allocs_per_eval"] =
      static_cast<double>(ngosurvey::alloc_count::g_allocations.load() - before) /
      static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}

void BM_EvalSelectedAndCompare(benchmark::State& state) {
  EvaluateExpression(state, "selected(${a}, 'x') and ${b} > 3");
}
BENCHMARK(BM_EvalSelectedAndCompare);

void BM_EvalAgeFromDate(benchmark::State& state) {
  EvaluateExpression(state, "int((today() - ${dob}) div 365.25) >= 18");
}
BENCHMARK(BM_EvalAgeFromDate);

void BM_EvalRepeatSum(benchmark::State& state) {
  EvaluateExpression(state, "sum(${age}) > 100 and count(${age}[. < 18]) = 2");
}
BENCHMARK(BM_EvalRepeatSum);

void BM_ParseAndBind(benchmark::State& state) {
  Answers answers;
  const char* texts[] = {
      "selected(${a}, 'x') and ${b} > 3",
      "if(${b} >= 18, 'adult', concat('child ', ${b}))",
      "int((today() - ${dob}) div 365.25) >= 18 and count-selected(${a}) <= 2",
      "regex(., '^[0-9]{9,10}$')",
  };
  size_t bytes = 0;
  for (auto _ : state) {
    for (const char* text : texts) {
      auto bound = Compile(text, answers.ctx);
      benchmark::DoNotOptimize(bound);
      bytes += std::char_traits<char>::length(text);
    }
  }
  state.SetItemsProcessed(state.iterations() * 4);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ParseAndBind);

}  // namespace

BENCHMARK_MAIN();
