// The coordination network's measures at the size: 10,000 organisations and
// 200,000 ties (a SYNTHETIC random directed graph: 8,000 NGOs in two countries, each
// naming about 25 others, a fifth of them among 2,000 government agencies).
// Measures ComputeNetworkMeasures whole (degrees, betweenness, density, reciprocity,
// weak components, per country and overall: three igraph graphs), and the layout
// used for the SVG. Goal (issue 18): under 1 s for the measures.
#include <benchmark/benchmark.h>

#include <random>
#include <set>

#include "analysis/network.h"

namespace {

using ngosurvey::analysis::Network;

const Network& MakeNetwork(int nodes, int ties) {
  static Network net;
  if (static_cast<int>(net.nodes.size()) == nodes) return net;
  net = Network{};
  const int ngos = nodes * 4 / 5;
  for (int i = 0; i < nodes; ++i) {
    ngosurvey::analysis::NetworkNode node;
    node.id = "N" + std::to_string(100000 + i);
    node.kind = i < ngos ? "ngo" : "government";
    node.country = i < ngos ? (i % 2 ? "KH" : "VN") : "";
    node.in_frame = i < ngos;
    node.responded = i < ngos;
    net.nodes.push_back(node);
  }
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> from(0, ngos - 1), to_ngo(0, ngos - 1),
      to_gov(ngos, nodes - 1);
  std::bernoulli_distribution government(0.2);
  std::set<std::pair<int, int>> seen;
  while (static_cast<int>(net.ties.size()) < ties) {
    int a = from(rng);
    bool gov = government(rng);
    int b = gov ? to_gov(rng) : to_ngo(rng);
    if (a == b || !seen.insert({a, b}).second) continue;
    net.ties.push_back({a, b, gov ? "government" : "ngo"});
  }
  std::sort(net.ties.begin(), net.ties.end(), [](const auto& x, const auto& y) {
    return std::pair(x.from, x.to) < std::pair(y.from, y.to);
  });
  return net;
}

void BM_NetworkMeasures(benchmark::State& state) {
  const Network& net =
      MakeNetwork(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    auto scopes = ngosurvey::analysis::ComputeNetworkMeasures(net);
    if (!scopes) state.SkipWithError(scopes.error().message.c_str());
    benchmark::DoNotOptimize(scopes);
  }
}
BENCHMARK(BM_NetworkMeasures)
    ->Args({10000, 200000})
    ->Args({1000, 20000})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()  // the betweenness runs on every core: CPU of all threads
    ->UseRealTime();

void BM_NetworkLayout(benchmark::State& state) {
  const Network& net =
      MakeNetwork(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    auto layout = ngosurvey::analysis::LayoutNetwork(net);
    benchmark::DoNotOptimize(layout);
  }
}
BENCHMARK(BM_NetworkLayout)->Args({1000, 20000})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
