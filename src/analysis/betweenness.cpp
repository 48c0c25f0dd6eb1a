#include "analysis/betweenness.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace ngosurvey::analysis {
namespace {

// The sources are cut into this many blocks (fewer for tiny graphs) whatever the
// number of threads, so that the summation order, and so the result, is fixed.
constexpr int32_t kBlocks = 16;

// One thread's buffers, sized once for the graph and reused for every source.
struct Workspace {
  explicit Workspace(const DirectedCsr& g)
      : dist(g.n, -1),
        sigma(g.n),
        acc(g.n),
        order(g.n),
        level_start(static_cast<size_t>(g.n) + 2),
        pair_start(static_cast<size_t>(g.n) + 2),
        pair_u(g.out_to.size()),
        pair_w(g.out_to.size()),
        unreached(g.n) {}
  std::vector<int32_t> dist;            // level from the source; -1 while unreached
  std::vector<double> sigma;            // number of shortest paths from the source
  std::vector<double> acc;              // forward: 0; backward: sum over DAG successors, then c(v)
  std::vector<int32_t> order;           // reached nodes, level by level
  std::vector<int32_t> level_start;     // level d is order[level_start[d] .. level_start[d + 1])
  std::vector<int32_t> pair_start;      // DAG ties from level d: pairs [pair_start[d] .. [d + 1])
  std::vector<int32_t> pair_u, pair_w;  // the shortest-path DAG's ties u -> w
  std::vector<int32_t> unreached;       // for bottom-up levels: candidates not yet reached
};

// Adds source s's dependencies (Brandes' delta_s(v) for every v != s) to `sum`.
void AddSourceDependencies(const DirectedCsr& g, int32_t s, Workspace& ws, double* sum) {
  const int32_t* out_start = g.out_start.data();
  const int32_t* out_to = g.out_to.data();
  const int32_t* in_start = g.in_start.data();
  const int32_t* in_from = g.in_from.data();
  int32_t* dist = ws.dist.data();
  double* sigma = ws.sigma.data();
  double* acc = ws.acc.data();
  int32_t* order = ws.order.data();
  int32_t* level_start = ws.level_start.data();
  int32_t* pair_start = ws.pair_start.data();
  int32_t* pair_u = ws.pair_u.data();
  int32_t* pair_w = ws.pair_w.data();
  int32_t* unreached = ws.unreached.data();

  int32_t reached = 0, pairs = 0, unreached_count = -1;  // -1: list not built yet
  dist[s] = 0;
  sigma[s] = 1;
  acc[s] = 0;
  order[reached++] = s;
  level_start[0] = 0;
  level_start[1] = 1;
  pair_start[0] = 0;
  // Ties a top-down step would scan (the frontier's out-ties) against ties a bottom-up
  // step would scan (the unreached nodes' in-ties).
  int64_t frontier_out = out_start[s + 1] - out_start[s];
  int64_t unreached_in = static_cast<int64_t>(g.in_from.size()) - (in_start[s + 1] - in_start[s]);
  int32_t d = 0;
  for (; frontier_out > 0; ++d) {
    const int32_t begin = level_start[d], end = level_start[d + 1];
    const int32_t next = d + 1;
    int64_t next_out = 0;
    if (unreached_in < frontier_out) {
      // Bottom-up: each unreached node sums the paths of all its in-neighbours on level d.
      if (unreached_count < 0) {
        unreached_count = 0;
        for (int32_t v = 0; v < g.n; ++v) {
          if (dist[v] < 0) unreached[unreached_count++] = v;
        }
      }
      int32_t kept = 0;
      for (int32_t k = 0; k < unreached_count; ++k) {
        const int32_t w = unreached[k];
        if (dist[w] >= 0) continue;  // reached by an earlier top-down step
        const int32_t first_pair = pairs;
        double paths = 0;
        for (int32_t e = in_start[w], stop = in_start[w + 1]; e < stop; ++e) {
          const int32_t u = in_from[e];
          if (dist[u] == d) {
            paths += sigma[u];
            pair_u[pairs] = u;
            pair_w[pairs] = w;
            ++pairs;
          }
        }
        if (pairs == first_pair) {
          unreached[kept++] = w;
          continue;
        }
        dist[w] = next;
        sigma[w] = paths;
        acc[w] = 0;
        order[reached++] = w;
        unreached_in -= in_start[w + 1] - in_start[w];
        next_out += out_start[w + 1] - out_start[w];
      }
      unreached_count = kept;
    } else {
      // Top-down: the frontier's out-ties reach new nodes or add paths to level d + 1.
      for (int32_t i = begin; i < end; ++i) {
        const int32_t v = order[i];
        const double paths = sigma[v];
        for (int32_t e = out_start[v], stop = out_start[v + 1]; e < stop; ++e) {
          const int32_t w = out_to[e];
          const int32_t dw = dist[w];
          if (dw < 0) {
            dist[w] = next;
            sigma[w] = paths;
            acc[w] = 0;
            order[reached++] = w;
            unreached_in -= in_start[w + 1] - in_start[w];
            next_out += out_start[w + 1] - out_start[w];
          } else if (dw == next) {
            sigma[w] += paths;
          } else {
            continue;
          }
          pair_u[pairs] = v;
          pair_w[pairs] = w;
          ++pairs;
        }
      }
    }
    level_start[next + 1] = reached;
    pair_start[next] = pairs;
    frontier_out = next_out;
    if (reached == level_start[next]) break;  // level d + 1 is empty
  }
  // Levels 0 .. d hold nodes (the loop stops at the last one that does); pairs
  // [pair_start[L - 1], pair_start[L]) lead into level L.
  const int32_t last = d;
  // Backward: acc(w) sums c(x) = (1 + delta(x)) / sigma(x) over w's DAG successors x, so
  // delta(w) = sigma(w) acc(w) and c(w) = 1 / sigma(w) + acc(w).
  for (int32_t level = last; level >= 1; --level) {
    for (int32_t i = level_start[level], stop = level_start[level + 1]; i < stop; ++i) {
      const int32_t w = order[i];
      const double a = acc[w];
      sum[w] += sigma[w] * a;
      acc[w] = 1.0 / sigma[w] + a;
    }
    for (int32_t p = pair_start[level - 1], stop = pair_start[level]; p < stop; ++p) {
      acc[pair_u[p]] += acc[pair_w[p]];
    }
  }
  for (int32_t i = 0; i < reached; ++i) dist[order[i]] = -1;
}

}  // namespace

DirectedCsr MakeDirectedCsr(int32_t n, const std::vector<std::pair<int, int>>& edges) {
  DirectedCsr g;
  g.n = n;
  g.out_start.assign(static_cast<size_t>(n) + 1, 0);
  g.in_start.assign(static_cast<size_t>(n) + 1, 0);
  for (const auto& [from, to] : edges) {
    ++g.out_start[from + 1];
    ++g.in_start[to + 1];
  }
  for (int32_t v = 0; v < n; ++v) {
    g.out_start[v + 1] += g.out_start[v];
    g.in_start[v + 1] += g.in_start[v];
  }
  g.out_to.resize(edges.size());
  g.in_from.resize(edges.size());
  std::vector<int32_t> out_next(g.out_start.begin(), g.out_start.end() - 1);
  std::vector<int32_t> in_next(g.in_start.begin(), g.in_start.end() - 1);
  for (const auto& [from, to] : edges) {
    g.out_to[out_next[from]++] = to;
    g.in_from[in_next[to]++] = from;
  }
  return g;
}

std::vector<double> DirectedBetweenness(const DirectedCsr& graph, int threads) {
  const int32_t n = graph.n;
  std::vector<double> total(n, 0.0);
  if (n < 3) return total;  // no node lies between two others
  const int32_t blocks = std::min(kBlocks, n);
  std::vector<std::vector<double>> partial(blocks);
  std::atomic<int32_t> next_block{0};
  auto work = [&] {
    Workspace ws(graph);
    for (int32_t b = next_block++; b < blocks; b = next_block++) {
      std::vector<double>& sum = partial[b];
      sum.assign(n, 0.0);
      const int32_t first = static_cast<int32_t>(static_cast<int64_t>(n) * b / blocks);
      const int32_t stop = static_cast<int32_t>(static_cast<int64_t>(n) * (b + 1) / blocks);
      for (int32_t s = first; s < stop; ++s) {
        // A source without out-ties reaches nobody: it adds nothing.
        if (graph.out_start[s + 1] == graph.out_start[s]) continue;
        AddSourceDependencies(graph, s, ws, sum.data());
      }
    }
  };
  int workers = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  workers = std::clamp(workers, 1, static_cast<int>(blocks));
  // Small graphs are not worth a thread.
  if (graph.out_to.size() * static_cast<size_t>(n) < (size_t{1} << 16)) workers = 1;
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (int32_t b = 0; b < blocks; ++b) {
    for (int32_t v = 0; v < n; ++v) total[v] += partial[b][v];
  }
  return total;
}

}  // namespace ngosurvey::analysis
