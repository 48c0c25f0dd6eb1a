// The Brandes kernel (betweenness.h) against igraph_betweenness (Debian libigraph, an
// independent implementation) on many random directed graphs: sparse and dense, with
// sinks, sources, isolated nodes, parallel ties and self-loops, deep chains (so that
// both the top-down and the bottom-up steps run), to 1e-9 relative; and the same
// result bit for bit on 1, 2, 3 and 8 threads.
#include "analysis/betweenness.h"

#include <gtest/gtest.h>
#include <igraph/igraph.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ngosurvey::analysis {
namespace {

using Edges = std::vector<std::pair<int, int>>;

// igraph's betweenness (directed, unweighted, not normalised) of the same graph.
std::vector<double> IgraphBetweenness(int n, const Edges& edges) {
  igraph_vector_int_t list;
  EXPECT_EQ(igraph_vector_int_init(&list, 2 * static_cast<igraph_integer_t>(edges.size())),
            IGRAPH_SUCCESS);
  for (size_t i = 0; i < edges.size(); ++i) {
    VECTOR(list)[2 * i] = edges[i].first;
    VECTOR(list)[2 * i + 1] = edges[i].second;
  }
  igraph_t graph;
  EXPECT_EQ(igraph_create(&graph, &list, n, IGRAPH_DIRECTED), IGRAPH_SUCCESS);
  igraph_vector_int_destroy(&list);
  igraph_vector_t result;
  EXPECT_EQ(igraph_vector_init(&result, 0), IGRAPH_SUCCESS);
  EXPECT_EQ(igraph_betweenness(&graph, &result, igraph_vss_all(), true, nullptr), IGRAPH_SUCCESS);
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) out[i] = VECTOR(result)[i];
  igraph_vector_destroy(&result);
  igraph_destroy(&graph);
  return out;
}

// A random directed graph: each ordered pair a tie with probability p; `sinks` of the
// nodes send no ties, `parallel` adds repeated ties and self-loops.
Edges RandomEdges(int n, double p, double sinks, bool parallel, std::mt19937& rng) {
  std::bernoulli_distribution tie(p), sink(sinks), twice(0.1);
  std::vector<bool> is_sink(n);
  for (int i = 0; i < n; ++i) is_sink[i] = sink(rng);
  Edges edges;
  for (int a = 0; a < n; ++a) {
    if (is_sink[a]) continue;
    for (int b = 0; b < n; ++b) {
      if (a == b && !parallel) continue;
      if (!tie(rng)) continue;
      edges.emplace_back(a, b);
      if (parallel && twice(rng)) edges.emplace_back(a, b);
    }
  }
  std::shuffle(edges.begin(), edges.end(), rng);
  return edges;
}

void ExpectSameAsIgraph(int n, const Edges& edges, const std::string& what) {
  std::vector<double> want = IgraphBetweenness(n, edges);
  std::vector<double> got = DirectedBetweenness(MakeDirectedCsr(n, edges), 1);
  ASSERT_EQ(got.size(), want.size()) << what;
  for (int v = 0; v < n; ++v) {
    EXPECT_NEAR(got[v], want[v], 1e-9 * std::max(1.0, std::abs(want[v]))) << what << " node " << v;
  }
}

TEST(DirectedBetweenness, AgreesWithIgraphOnRandomGraphs) {
  std::mt19937 rng(20261206);
  struct Shape {
    int n;
    double p;
    double sinks;
    bool parallel;
  } shapes[] = {{0, 0, 0, false},         {1, 1, 0, false},        {2, 1, 0, false},
                {3, 0.5, 0, false},       {5, 0.4, 0.2, true},     {12, 0.2, 0, false},
                {30, 0.05, 0.3, false},   {30, 0.15, 0.1, true},   {80, 0.02, 0.2, false},
                {80, 0.3, 0.5, false},    {150, 0.01, 0, false},   {150, 0.08, 0.2, true},
                {300, 0.005, 0.1, false}, {300, 0.03, 0.2, false}, {400, 0.2, 0.3, false}};
  int graph = 0;
  for (const Shape& shape : shapes) {
    for (int repeat = 0; repeat < 4; ++repeat, ++graph) {
      Edges edges = RandomEdges(shape.n, shape.p, shape.sinks, shape.parallel, rng);
      ExpectSameAsIgraph(shape.n, edges,
                         "graph " + std::to_string(graph) + " n " + std::to_string(shape.n));
    }
  }
}

TEST(DirectedBetweenness, AgreesWithIgraphOnChainsStarsAndCycles) {
  // Long chains and cycles keep every level top-down; a dense core with a long tail
  // switches to bottom-up and back.
  const int n = 200;
  Edges chain, cycle, star, core_and_tail;
  for (int i = 0; i + 1 < n; ++i) chain.emplace_back(i, i + 1);
  for (int i = 0; i < n; ++i) cycle.emplace_back(i, (i + 1) % n);
  for (int i = 1; i < n; ++i) {
    star.emplace_back(0, i);
    star.emplace_back(i, 0);
  }
  for (int a = 0; a < 40; ++a) {
    for (int b = 0; b < 40; ++b) {
      if (a != b) core_and_tail.emplace_back(a, b);
    }
  }
  for (int i = 39; i + 1 < n; ++i) core_and_tail.emplace_back(i, i + 1);
  core_and_tail.emplace_back(n - 1, 0);
  ExpectSameAsIgraph(n, chain, "chain");
  ExpectSameAsIgraph(n, cycle, "cycle");
  ExpectSameAsIgraph(n, star, "star");
  ExpectSameAsIgraph(n, core_and_tail, "core and tail");
  // A chain's inner node i lies on the paths from each of the i nodes before it to
  // each of the n - 1 - i after it.
  std::vector<double> got = DirectedBetweenness(MakeDirectedCsr(n, chain));
  for (int i = 0; i < n; ++i) EXPECT_EQ(got[i], static_cast<double>(i) * (n - 1 - i)) << i;
}

TEST(DirectedBetweenness, DoesNotDependOnTheNumberOfThreads) {
  std::mt19937 rng(7);
  for (int repeat = 0; repeat < 3; ++repeat) {
    Edges edges = RandomEdges(600, 0.02, 0.2, false, rng);
    DirectedCsr graph = MakeDirectedCsr(600, edges);
    std::vector<double> one = DirectedBetweenness(graph, 1);
    for (int threads : {2, 3, 8, 0}) {
      std::vector<double> many = DirectedBetweenness(graph, threads);
      ASSERT_EQ(many.size(), one.size());
      for (size_t v = 0; v < one.size(); ++v) {
        // Bit for bit: the summation order is fixed by the blocks, not the threads.
        EXPECT_EQ(std::memcmp(&many[v], &one[v], sizeof(double)), 0)
            << threads << " threads, node " << v << ": " << many[v] << " vs " << one[v];
      }
    }
  }
}

TEST(MakeDirectedCsr, KeepsBothDirectionsInEdgeOrder) {
  DirectedCsr g = MakeDirectedCsr(4, {{2, 1}, {0, 1}, {2, 3}, {2, 1}});
  EXPECT_EQ(g.out_start, (std::vector<int32_t>{0, 1, 1, 4, 4}));
  EXPECT_EQ(g.out_to, (std::vector<int32_t>{1, 1, 3, 1}));
  EXPECT_EQ(g.in_start, (std::vector<int32_t>{0, 0, 3, 3, 4}));
  EXPECT_EQ(g.in_from, (std::vector<int32_t>{2, 0, 2, 2}));
}

}  // namespace
}  // namespace ngosurvey::analysis
