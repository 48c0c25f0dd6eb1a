// The coordination network of a study (issue 18, step 6): who works with whom, read
// from questions whose choices name organisations, and the measures a network
// analyst reads first (degrees, betweenness, density, reciprocity, components).
//
// A network spec (TOML, docs/formats/network-spec.md) names the `source` field
// that identifies the responding organisation (the metadata field `org_id`, or a
// question), optionally the sample frame (so that organisations that did not
// respond appear as nodes with in-ties only, never silently dropped) and one or
// more `[[ties]]` tables: a select_one or select_multiple `question` whose choice
// names are organisation ids, and the `kind` of the organisations it names (`ngo`,
// `government`, `un`, ...). Each chosen option is a directed tie from the
// respondent to the organisation named.
//
// Measures are computed with igraph (Debian libigraph-dev), betweenness with our
// own Brandes kernel (betweenness.h, checked against igraph's), per country (the
// frame's `country` or `stratum` column, else the spec's `country` question) and
// overall, and checked against networkx in the tests.
//
// Error codes:
//   NET001 the spec is not valid TOML, or a key is missing, unknown or mistyped
//   NET002 a ties question or the source is not a question of the form (or sits in
//          a repeat)
//   NET003 a ties question is not a select_one or select_multiple
//   NET004 a choice of an `ngo` ties question is not an organisation of the frame
//   NET005 a submission has no source value (the respondent cannot be named)
//   NET006 igraph failed (out of memory)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv.h"
#include "base/error.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::analysis {

struct NetworkTieSpec {
  std::string question;  // a select_one or select_multiple of the form
  std::string kind;      // the kind of the organisations its choices name
  // The choices name a kind of national organisation ("police"): one node per
  // country, "KH:police", so that two countries' police are not one node.
  bool national = false;
  int line = 0;  // the spec line of the [[ties]] table
};

struct NetworkSpec {
  std::string file;     // for error locations
  std::string form_id;  // empty: the store's only form
  std::string source;   // "org_id" (submission metadata) or a question name
  std::string frame;    // the frame CSV as written in the spec (may be empty)
  std::string country;  // a question giving the respondent's country (may be empty)
  bool include_pretest = false;
  std::vector<NetworkTieSpec> ties;
};

// Parses a network spec. NET001 with the line for a syntax error, a missing
// `source` or `[[ties]]`, an unknown key, or a ties table without question/kind.
Result<NetworkSpec> ParseNetworkSpec(std::string_view text, const std::string& file);
Result<NetworkSpec> LoadNetworkSpec(const std::string& path);

// One organisation of the sample frame.
struct FrameOrganisation {
  std::string id;
  std::string name;
  std::string country;
};

struct NetworkNode {
  std::string id;
  std::string label;    // the frame's name, else the choice label, else the id
  std::string kind;     // "ngo" for frame organisations and respondents, else the ties' kind
  std::string country;  // empty when unknown (an agency named only by a choice)
  bool in_frame = false;
  bool responded = false;  // a completed submission names it as its source
};

struct NetworkTie {
  int from = 0;  // node indexes
  int to = 0;
  std::string kind;  // the kind of the [[ties]] table that gave it
};

// Nodes sorted by id; ties sorted by (from, to), one per ordered pair (a tie named
// by two questions or two submissions of one organisation counts once, with the
// kind of the first ties table that names it). Self-ties are dropped.
struct Network {
  std::vector<NetworkNode> nodes;
  std::vector<NetworkTie> ties;
  size_t submissions = 0;  // completed submissions read

  int Find(std::string_view id) const;  // node index or -1
};

// One responding organisation's answers, as BuildNetworkFromResponses reads them.
struct NetworkResponse {
  std::string instance_id;        // for errors
  std::string source;             // the organisation's id; empty is refused (NET005)
  std::string country;            // empty when unknown (the frame may know it)
  std::vector<std::string> ties;  // per [[ties]] table: the answer (space-separated names)
};

// Checks the spec against the form (NET002-NET004) and builds the network from
// the responses. `frame` may be empty.
Result<Network> BuildNetworkFromResponses(const form::Form& form, const NetworkSpec& spec,
                                          const std::vector<FrameOrganisation>& frame,
                                          const std::vector<NetworkResponse>& responses);

// Reads the completed submissions (main wave unless the spec says otherwise) of
// the spec's form from the store and builds the network. `frame` may be empty.
Result<Network> BuildNetwork(const store::Store& store, const NetworkSpec& spec,
                             const std::vector<FrameOrganisation>& frame);

// The responses in a data file (a CSV export or a study's data, one row per
// submission): columns found by answer path or bare question name; the source
// `org_id` is the column of that name. NET002 for a missing column.
Result<std::vector<NetworkResponse>> NetworkResponsesFromTable(const form::Form& form,
                                                               const NetworkSpec& spec,
                                                               const csv::Table& table);

struct NodeMeasures {
  int node = 0;  // index into Network::nodes
  int in_degree = 0;
  int out_degree = 0;
  // Directed shortest-path betweenness, normalised as igraph's R interface and
  // networkx do for directed graphs: divided by (n-1)(n-2); 0 when n < 3.
  double betweenness = 0;
};

struct ScopeMeasures {
  std::string scope;                // a country, or "overall"
  std::vector<NodeMeasures> nodes;  // in node order
  int node_count = 0;
  int tie_count = 0;
  // NaN when it cannot be computed (renderers print it empty): density needs two
  // nodes, reciprocity one tie.
  double density = 0;      // ties / (n (n-1)), no loops
  double reciprocity = 0;  // share of ties whose reverse tie exists
  int weak_components = 0;
  // Ties from an NGO, by the kind of the organisation named ("ngo",
  // "government", ...); "ngo" and "government" are always present.
  std::map<std::string, int> ngo_ties_by_kind;
};

// Per country (sorted) and then "overall". A country's network holds the NGOs of
// that country, the ties they sent and the organisations those ties name.
Result<std::vector<ScopeMeasures>> ComputeNetworkMeasures(const Network& network);

// Node positions for a drawing in the unit square, by the Fruchterman-Reingold
// layout with a fixed seed (the same network gives the same picture).
Result<std::vector<std::pair<double, double>>> LayoutNetwork(const Network& network);

}  // namespace ngosurvey::analysis
