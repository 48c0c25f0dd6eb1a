// Agreement among coders at the size: 10 coders x 100,000 answers x 50
// codes (SYNTHETIC codings: each coder codes an answer, and gives each code with a
// probability that follows the answer's drawn "true" codes, so that the unit
// patterns are as varied as real data's). Measures ComputeCodingAgreement whole:
// the pass over the codings, every coefficient for 50 codes and (overall), and the
// 1,000-resample bootstrap of each. Goal (issue 18): under 1 s.
#include <benchmark/benchmark.h>

#include <random>

#include "analysis/agreement.h"

namespace {

using ngosurvey::analysis::Coding;

struct Workload {
  std::vector<Coding> codings;
  std::vector<std::string> codes;
  uint32_t units = 0;
  uint32_t coders = 0;
};

const Workload& MakeWorkload(uint32_t units, uint32_t coders, int codes) {
  static Workload w;
  if (w.units == units && w.coders == coders) return w;
  w = Workload{};
  w.units = units;
  w.coders = coders;
  for (int c = 0; c < codes; ++c) w.codes.push_back("theme" + std::to_string(c));
  std::mt19937_64 rng(18);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  std::vector<char> truth(static_cast<size_t>(codes));
  for (uint32_t unit = 0; unit < units; ++unit) {
    // About 3 true themes an answer, commoner themes first.
    for (int c = 0; c < codes; ++c)
      truth[static_cast<size_t>(c)] = u01(rng) < 0.12 / (1.0 + c * 0.05);
    for (uint32_t coder = 0; coder < coders; ++coder) {
      if (u01(rng) > 0.9) continue;  // some coders skip some answers
      bool any = false;
      for (int c = 0; c < codes; ++c) {
        double p = truth[static_cast<size_t>(c)] ? 0.85 : 0.01;
        if (u01(rng) < p) {
          w.codings.push_back({unit, coder, c});
          any = true;
        }
      }
      if (!any) w.codings.push_back({unit, coder, ngosurvey::analysis::kNoCode});
    }
  }
  std::shuffle(w.codings.begin(), w.codings.end(), rng);
  return w;
}

void BM_Agreement(benchmark::State& state) {
  const Workload& w =
      MakeWorkload(static_cast<uint32_t>(state.range(0)), static_cast<uint32_t>(state.range(1)),
                   static_cast<int>(state.range(2)));
  ngosurvey::analysis::AgreementOptions options;
  options.replicates = static_cast<int>(state.range(3));
  for (auto _ : state) {
    auto result =
        ngosurvey::analysis::ComputeCodingAgreement(w.codings, w.units, w.coders, w.codes, options);
    if (!result) state.SkipWithError(result.error().message.c_str());
    benchmark::DoNotOptimize(result);
  }
  state.counters["codings"] = static_cast<double>(w.codings.size());
}

// units, coders, codes, bootstrap replicates
BENCHMARK(BM_Agreement)
    ->Args({100000, 10, 50, 1000})
    ->Args({100000, 10, 50, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
