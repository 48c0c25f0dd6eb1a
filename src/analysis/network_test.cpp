// The network spec's errors, and the measures of ComputeNetworkMeasures checked
// against networkx (Debian python3-networkx, an independent implementation) on
// random directed graphs: degrees, normalised betweenness, density, reciprocity and
// weak components. BuildNetwork (reading a store, the frame's non-respondents) is
// tested end to end by tests/cli/network_test.sh.
#include "analysis/network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "analysis/testing/run_r.h"

namespace ngosurvey::analysis {
namespace {

TEST(NetworkSpec, ReadsSourceFrameAndTies) {
  auto spec = ParseNetworkSpec(
      "form = \"f\"\nsource = \"org_id\"\nframe = \"frame.csv\"\n"
      "[[ties]]\nquestion = \"partners\"\nkind = \"ngo\"\n"
      "[[ties]]\nquestion = \"agencies\"\nkind = \"government\"\n",
      "net.toml");
  ASSERT_TRUE(spec) << spec.error().ToString();
  EXPECT_EQ(spec->form_id, "f");
  EXPECT_EQ(spec->frame, "frame.csv");
  ASSERT_EQ(spec->ties.size(), 2u);
  EXPECT_EQ(spec->ties[1].question, "agencies");
  EXPECT_EQ(spec->ties[1].kind, "government");
  EXPECT_EQ(spec->ties[1].line, 7);
}

TEST(NetworkSpec, RefusesWhatItCannotUseAtItsLine) {
  struct Case {
    const char* text;
    const char* message;
    int line;
  } cases[] = {
      {"[[ties]]\nquestion = \"q\"\nkind = \"ngo\"\n", "'source' is missing", 0},
      {"source = \"org_id\"\n", "at least one [[ties]]", 0},
      {"source = \"org_id\"\n[[ties]]\nquestion = \"q\"\n", "'kind' is missing", 2},
      {"source = \"org_id\"\n[[ties]]\nquestion = \"q\"\nkind = \"ngo\"\nweight = 2\n",
       "unknown key 'weight'", 5},
      {"source = 3\n[[ties]]\nquestion = \"q\"\nkind = \"ngo\"\n", "non-empty string", 1},
      {"source = \"org_id\"\ninclude_pretest = \"yes\"\n[[ties]]\nquestion = \"q\"\nkind = \"x\"\n",
       "true or false", 2},
      {"source = \n", "", 1},
  };
  for (const auto& c : cases) {
    auto spec = ParseNetworkSpec(c.text, "net.toml");
    ASSERT_FALSE(spec) << c.text;
    EXPECT_EQ(spec.error().code, "NET001") << c.text;
    EXPECT_NE(spec.error().message.find(c.message), std::string::npos)
        << spec.error().message << " for " << c.text;
    if (c.line) {
      EXPECT_EQ(spec.error().where.row, c.line) << c.text;
    }
  }
}

// A random directed graph: n nodes, each ordered pair tied with probability p.
Network RandomNetwork(int n, double p, std::mt19937& rng) {
  Network net;
  for (int i = 0; i < n; ++i) {
    NetworkNode node;
    char id[16];
    std::snprintf(id, sizeof id, "N%03d", i);
    node.id = id;
    node.kind = i % 4 == 3 ? "government" : "ngo";
    node.country = i % 2 ? "KH" : "VN";
    net.nodes.push_back(node);
  }
  std::bernoulli_distribution tie(p);
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      if (a != b && net.nodes[a].kind == "ngo" && tie(rng)) net.ties.push_back({a, b, "x"});
    }
  }
  return net;
}

TEST(NetworkMeasures, AgreeWithNetworkxOnRandomGraphs) {
  std::mt19937 rng(2026);
  std::filesystem::path dir = testing::MakeRDir("network");
  struct Shape {
    int n;
    double p;
  } shapes[] = {{1, 0.5}, {2, 1.0}, {3, 0.5}, {8, 0.3}, {25, 0.1}, {60, 0.05}, {40, 0.0}};
  int graph = 0;
  for (const auto& shape : shapes) {
    for (int repeat = 0; repeat < 3; ++repeat, ++graph) {
      Network net = RandomNetwork(shape.n, shape.p, rng);
      auto scopes = ComputeNetworkMeasures(net);
      ASSERT_TRUE(scopes) << scopes.error().ToString();
      const ScopeMeasures& overall = scopes->back();
      ASSERT_EQ(overall.scope, "overall");
      std::filesystem::path edges = dir / ("g" + std::to_string(graph) + ".txt");
      {
        std::ofstream file(edges);
        file << shape.n << "\n";
        for (const auto& t : net.ties) file << t.from << " " << t.to << "\n";
      }
      std::string script =
          "import sys, networkx as nx\n"
          "lines = open(sys.argv[1]).read().split('\\n')\n"
          "g = nx.DiGraph(); g.add_nodes_from(range(int(lines[0])))\n"
          "g.add_edges_from(tuple(map(int, l.split())) for l in lines[1:] if l)\n"
          "b = nx.betweenness_centrality(g, normalized=True)\n"
          "for v in g.nodes: print('node', v, g.in_degree(v), g.out_degree(v), repr(b[v]))\n"
          "print('density', repr(nx.density(g)) if g.number_of_nodes() > 1 else 'nan')\n"
          "print('reciprocity', repr(nx.overall_reciprocity(g)) if g.number_of_edges() else "
          "'nan')\n"
          "print('weak', nx.number_weakly_connected_components(g))\n";
      std::filesystem::path script_path = dir / "measures.py";
      std::ofstream(script_path) << script;
      std::filesystem::path out_path = dir / "out.txt";
      std::string command = "/usr/bin/python3 '" + script_path.string() + "' '" + edges.string() +
                            "' > '" + out_path.string() + "' 2>&1";
      ASSERT_EQ(std::system(command.c_str()), 0)
          << "networkx failed (tools/install-deps installs python3-networkx): "
          << std::ifstream(out_path).rdbuf();
      std::ifstream out(out_path);
      std::string line;
      int nodes_seen = 0;
      while (std::getline(out, line)) {
        std::istringstream fields(line);
        std::string what;
        fields >> what;
        if (what == "node") {
          int v, in, outd;
          double between;
          fields >> v >> in >> outd >> between;
          const NodeMeasures& m = overall.nodes.at(v);
          EXPECT_EQ(m.in_degree, in) << "graph " << graph << " node " << v;
          EXPECT_EQ(m.out_degree, outd) << "graph " << graph << " node " << v;
          EXPECT_NEAR(m.betweenness, between, 1e-12 * std::max(1.0, between))
              << "graph " << graph << " node " << v;
          ++nodes_seen;
        } else if (what == "density" || what == "reciprocity") {
          std::string text;
          fields >> text;
          double got = what == "density" ? overall.density : overall.reciprocity;
          if (text == "nan") {
            EXPECT_TRUE(std::isnan(got)) << what << " graph " << graph;
          } else {
            EXPECT_NEAR(got, std::stod(text), 1e-15) << what << " graph " << graph;
          }
        } else if (what == "weak") {
          int weak;
          fields >> weak;
          EXPECT_EQ(overall.weak_components, weak) << "graph " << graph;
        }
      }
      EXPECT_EQ(nodes_seen, shape.n) << "graph " << graph;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(NetworkMeasures, CountriesHoldTheirNgosAndWhomTheyName) {
  Network net;
  auto add = [&](const char* id, const char* kind, const char* country, bool frame) {
    NetworkNode node;
    node.id = id;
    node.kind = kind;
    node.country = country;
    node.in_frame = frame;
    net.nodes.push_back(node);
  };
  add("A", "ngo", "KH", true);
  add("B", "ngo", "KH", true);
  add("C", "ngo", "VN", true);
  add("D", "ngo", "VN", true);  // in the frame, never named, never responded
  add("P", "government", "", false);
  net.ties = {{0, 1, "ngo"}, {0, 4, "government"}, {1, 2, "ngo"}, {2, 4, "government"}};
  auto scopes = ComputeNetworkMeasures(net);
  ASSERT_TRUE(scopes) << scopes.error().ToString();
  ASSERT_EQ(scopes->size(), 3u);
  const ScopeMeasures& kh = (*scopes)[0];
  EXPECT_EQ(kh.scope, "KH");
  EXPECT_EQ(kh.node_count, 4);  // A, B, and whom they name: C and P
  EXPECT_EQ(kh.tie_count, 3);
  EXPECT_EQ(kh.ngo_ties_by_kind.at("ngo"), 2);
  EXPECT_EQ(kh.ngo_ties_by_kind.at("government"), 1);
  const ScopeMeasures& vn = (*scopes)[1];
  EXPECT_EQ(vn.scope, "VN");
  EXPECT_EQ(vn.node_count, 3);  // C, D (isolated, kept) and P
  EXPECT_EQ(vn.weak_components, 2);
  const ScopeMeasures& all = (*scopes)[2];
  EXPECT_EQ(all.node_count, 5);
  EXPECT_EQ(all.weak_components, 2);  // D alone
  EXPECT_DOUBLE_EQ(all.density, 4.0 / 20.0);
  EXPECT_DOUBLE_EQ(all.reciprocity, 0.0);
}

TEST(NetworkLayout, IsReproducibleAndInTheUnitSquare) {
  std::mt19937 rng(7);
  Network net = RandomNetwork(30, 0.1, rng);
  auto first = LayoutNetwork(net);
  auto second = LayoutNetwork(net);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  for (auto [x, y] : *first) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
    EXPECT_GE(y, 0.0);
    EXPECT_LE(y, 1.0);
  }
}

}  // namespace
}  // namespace ngosurvey::analysis
