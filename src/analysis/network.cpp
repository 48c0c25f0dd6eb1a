#include "analysis/network.h"

#include <igraph/igraph.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "analysis/betweenness.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/toml_location.h"
#include "form/form.h"

namespace ngosurvey::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- The spec -------------------------------------------------------------------

Location SpecLine(const std::string& file, const toml::node& node) {
  return TomlLocation(file, node);
}

Result<std::string> RequiredString(const toml::table& table, std::string_view key,
                                   const std::string& file, const toml::node& where) {
  const toml::node* node = table.get(key);
  if (!node) {
    return MakeError("NET001", "'" + std::string(key) + "' is missing", SpecLine(file, where));
  }
  auto value = node->value<std::string>();
  if (!value || value->empty()) {
    return MakeError("NET001", "'" + std::string(key) + "' must be a non-empty string",
                     SpecLine(file, *node));
  }
  return *value;
}

Result<std::string> OptionalString(const toml::table& table, std::string_view key,
                                   const std::string& file) {
  const toml::node* node = table.get(key);
  if (!node) return std::string();
  auto value = node->value<std::string>();
  if (!value) {
    return MakeError("NET001", "'" + std::string(key) + "' must be a string",
                     SpecLine(file, *node));
  }
  return *value;
}

Status RefuseUnknownKeys(const toml::table& table, std::initializer_list<std::string_view> known,
                         const std::string& file, std::string_view where) {
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      return MakeError("NET001",
                       "unknown key '" + std::string(key.str()) + "' " + std::string(where),
                       SpecLine(file, node));
    }
  }
  return {};
}

// --- igraph ---------------------------------------------------------------------

// igraph's default error handler aborts the process; the library must return
// errors instead, so every call is checked and the handler only records.
void InstallIgraphHandlers() {
  static const bool installed = [] {
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    return true;
  }();
  (void)installed;
}

Status IgraphStatus(igraph_error_t code, std::string_view what) {
  if (code == IGRAPH_SUCCESS) return {};
  return MakeError("NET006", std::string(what) + ": " + igraph_strerror(code));
}

// An igraph_t built from node count and ties, destroyed with its owner.
class Graph {
 public:
  static Result<std::unique_ptr<Graph>> Make(int node_count,
                                             const std::vector<std::pair<int, int>>& ties) {
    InstallIgraphHandlers();
    auto graph = std::unique_ptr<Graph>(new Graph());
    igraph_vector_int_t edges;
    if (auto st = IgraphStatus(igraph_vector_int_init(&edges, 2 * ties.size()), "edges"); !st) {
      return tl::unexpected(st.error());
    }
    for (size_t i = 0; i < ties.size(); ++i) {
      VECTOR(edges)[2 * i] = ties[i].first;
      VECTOR(edges)[2 * i + 1] = ties[i].second;
    }
    igraph_error_t made = igraph_create(&graph->graph_, &edges, node_count, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    NGO_TRY(IgraphStatus(made, "building the graph"));
    graph->made_ = true;
    return graph;
  }
  ~Graph() {
    if (made_) igraph_destroy(&graph_);
  }
  const igraph_t* get() const { return &graph_; }

 private:
  Graph() = default;
  igraph_t graph_;
  bool made_ = false;
};

struct IntVector {
  igraph_vector_int_t v;
  bool ok = false;
  IntVector() { ok = igraph_vector_int_init(&v, 0) == IGRAPH_SUCCESS; }
  ~IntVector() {
    if (ok) igraph_vector_int_destroy(&v);
  }
};

// The measures of one subgraph: `members` are node indexes of the whole network
// (sorted), `ties` pairs of whole-network indexes among them.
Result<ScopeMeasures> MeasureScope(const Network& network, std::string scope,
                                   const std::vector<int>& members,
                                   const std::vector<int>& tie_indexes) {
  std::vector<int> local(network.nodes.size(), -1);
  for (size_t i = 0; i < members.size(); ++i) local[members[i]] = static_cast<int>(i);
  std::vector<std::pair<int, int>> edges;
  edges.reserve(tie_indexes.size());
  ScopeMeasures out;
  out.scope = std::move(scope);
  out.ngo_ties_by_kind["ngo"] = 0;
  out.ngo_ties_by_kind["government"] = 0;
  for (int t : tie_indexes) {
    const NetworkTie& tie = network.ties[t];
    edges.emplace_back(local[tie.from], local[tie.to]);
    if (network.nodes[tie.from].kind == "ngo") ++out.ngo_ties_by_kind[network.nodes[tie.to].kind];
  }
  const int n = static_cast<int>(members.size());
  out.node_count = n;
  out.tie_count = static_cast<int>(edges.size());
  auto graph = NGO_TRY(Graph::Make(n, edges));

  IntVector in, outdeg;
  if (!in.ok || !outdeg.ok) return MakeError("NET006", "out of memory");
  NGO_TRY(IgraphStatus(igraph_degree(graph->get(), &in.v, igraph_vss_all(), IGRAPH_IN, true),
                       "in-degree"));
  NGO_TRY(IgraphStatus(igraph_degree(graph->get(), &outdeg.v, igraph_vss_all(), IGRAPH_OUT, true),
                       "out-degree"));
  // Our own Brandes kernel (betweenness.h), checked against igraph_betweenness in the
  // tests: igraph's took nearly all of the time at 10,000 organisations.
  const std::vector<double> between = DirectedBetweenness(MakeDirectedCsr(n, edges));
  const double scale = n >= 3 ? 1.0 / (static_cast<double>(n - 1) * (n - 2)) : 0.0;
  out.nodes.reserve(n);
  for (int i = 0; i < n; ++i) {
    NodeMeasures m;
    m.node = members[i];
    m.in_degree = static_cast<int>(VECTOR(in.v)[i]);
    m.out_degree = static_cast<int>(VECTOR(outdeg.v)[i]);
    m.betweenness = between[i] * scale;
    out.nodes.push_back(m);
  }
  if (n >= 2) {
    igraph_real_t density = 0;
    NGO_TRY(IgraphStatus(igraph_density(graph->get(), &density, false), "density"));
    out.density = density;
  } else {
    out.density = kNaN;
  }
  if (!edges.empty()) {
    igraph_real_t reciprocity = 0;
    NGO_TRY(IgraphStatus(
        igraph_reciprocity(graph->get(), &reciprocity, true, IGRAPH_RECIPROCITY_DEFAULT),
        "reciprocity"));
    out.reciprocity = reciprocity;
  } else {
    out.reciprocity = kNaN;
  }
  igraph_integer_t components = 0;
  NGO_TRY(IgraphStatus(
      igraph_connected_components(graph->get(), nullptr, nullptr, &components, IGRAPH_WEAK),
      "components"));
  out.weak_components = static_cast<int>(components);
  return out;
}

// The answer path of a question outside repeats ("grp/q" for /data/grp/q).
std::string AnswerPathOf(const form::Question& q) {
  constexpr std::string_view kRoot = "/data/";
  std::string_view path = q.path;
  if (path.substr(0, kRoot.size()) == kRoot) path.remove_prefix(kRoot.size());
  return std::string(path);
}

Location SpecAt(const NetworkSpec& spec, int line) {
  Location where;
  where.file = spec.file;
  where.row = line;
  return where;
}

Result<const form::Question*> SpecQuestion(const form::Form& form, const NetworkSpec& spec,
                                           const std::string& name, int line) {
  const form::Question* q = form.FindQuestion(name);
  if (!q || q->is_container()) {
    return MakeError("NET002",
                     "'" + name + "' is not a question of form '" + form.settings.form_id + "'",
                     SpecAt(spec, line));
  }
  if (form.EnclosingRepeatOrLoop(*q) >= 0) {
    return MakeError("NET002",
                     "'" + name + "' sits in a repeat: one answer per organisation is needed",
                     SpecAt(spec, line));
  }
  return q;
}

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

}  // namespace

// --- Spec -----------------------------------------------------------------------

Result<NetworkSpec> ParseNetworkSpec(std::string_view text, const std::string& file) {
  toml::table root = NGO_TRY(ParseToml(text, file, "NET001"));
  NGO_TRY(RefuseUnknownKeys(root, {"form", "source", "frame", "country", "include_pretest", "ties"},
                            file, "in the network spec"));
  NetworkSpec spec;
  spec.file = file;
  spec.form_id = NGO_TRY(OptionalString(root, "form", file));
  spec.source = NGO_TRY(RequiredString(root, "source", file, root));
  spec.frame = NGO_TRY(OptionalString(root, "frame", file));
  spec.country = NGO_TRY(OptionalString(root, "country", file));
  if (const toml::node* node = root.get("include_pretest")) {
    auto value = node->value<bool>();
    if (!value)
      return MakeError("NET001", "'include_pretest' must be true or false", SpecLine(file, *node));
    spec.include_pretest = *value;
  }
  const toml::array* ties = root["ties"].as_array();
  if (!ties || ties->empty()) {
    Location where;
    where.file = file;
    return MakeError(
        "NET001", "the spec needs at least one [[ties]] table (question = ..., kind = ...)", where);
  }
  for (const toml::node& element : *ties) {
    const toml::table* table = element.as_table();
    if (!table) {
      return MakeError("NET001", "'ties' must be [[ties]] tables", SpecLine(file, element));
    }
    NGO_TRY(
        RefuseUnknownKeys(*table, {"question", "kind", "national"}, file, "in a [[ties]] table"));
    NetworkTieSpec tie;
    tie.line = static_cast<int>(element.source().begin.line);
    tie.question = NGO_TRY(RequiredString(*table, "question", file, element));
    tie.kind = NGO_TRY(RequiredString(*table, "kind", file, element));
    if (const toml::node* national = table->get("national")) {
      auto value = national->value<bool>();
      if (!value) {
        return MakeError("NET001", "'national' must be true or false", SpecLine(file, *national));
      }
      tie.national = *value;
    }
    spec.ties.push_back(std::move(tie));
  }
  return spec;
}

Result<NetworkSpec> LoadNetworkSpec(const std::string& path) {
  std::string text = NGO_TRY(ReadFile(path));
  return ParseNetworkSpec(text, path);
}

// --- Building -------------------------------------------------------------------

int Network::Find(std::string_view id) const {
  auto it = std::lower_bound(nodes.begin(), nodes.end(), id,
                             [](const NetworkNode& n, std::string_view v) { return n.id < v; });
  return it != nodes.end() && it->id == id ? static_cast<int>(it - nodes.begin()) : -1;
}

namespace {

// A spec checked against a form: where each field sits in a submission's answers.
struct ResolvedSpec {
  std::string source_path;   // empty: the submission's org_id
  std::string country_path;  // empty: none
  struct Ties {
    const NetworkTieSpec* spec;
    const form::ChoiceList* list;  // may be null (a list the form lacks)
    std::string path;
  };
  std::vector<Ties> ties;
};

Result<ResolvedSpec> ResolveSpec(const form::Form& form, const NetworkSpec& spec,
                                 const std::vector<FrameOrganisation>& frame) {
  ResolvedSpec out;
  if (spec.source != "org_id") {
    out.source_path = AnswerPathOf(*NGO_TRY(SpecQuestion(form, spec, spec.source, 1)));
  }
  if (!spec.country.empty()) {
    out.country_path = AnswerPathOf(*NGO_TRY(SpecQuestion(form, spec, spec.country, 1)));
  }
  std::set<std::string_view> frame_ids;
  for (const auto& org : frame) frame_ids.insert(org.id);
  for (const auto& tie : spec.ties) {
    const form::Question* q = NGO_TRY(SpecQuestion(form, spec, tie.question, tie.line));
    if (q->type != form::QuestionType::kSelectOne &&
        q->type != form::QuestionType::kSelectMultiple) {
      return MakeError("NET003",
                       "'" + tie.question + "' is a " + q->type_text +
                           ": ties come from a select_one or select_multiple whose choices "
                           "name organisations",
                       SpecAt(spec, tie.line));
    }
    const form::ChoiceList* list = form.FindChoiceList(q->list_name);
    if (tie.kind == "ngo" && !frame.empty() && list) {
      for (const auto& choice : list->choices) {
        if (choice.name == "other") continue;  // its "specify" text names no frame node
        if (!frame_ids.count(choice.name)) {
          return MakeError("NET004",
                           "choice '" + choice.name + "' of list '" + list->name +
                               "' (choices row " + std::to_string(choice.row) + "), used by '" +
                               tie.question +
                               "' with kind = \"ngo\", is not an organisation of the frame",
                           SpecAt(spec, tie.line));
        }
      }
    }
    out.ties.push_back({&tie, list, AnswerPathOf(*q)});
  }
  return out;
}

// The node a choice names: national organisations are one per country.
std::string NamedNode(const NetworkTieSpec& tie, std::string_view choice,
                      const std::string& country) {
  if (!tie.national || country.empty()) return std::string(choice);
  return country + ":" + std::string(choice);
}

Result<Network> Assemble(const form::Form& form, const NetworkSpec& spec,
                         const ResolvedSpec& resolved, const std::vector<FrameOrganisation>& frame,
                         const std::vector<NetworkResponse>& responses) {
  // Every organisation the network may name: the frame's first.
  std::map<std::string, NetworkNode> nodes;
  for (const auto& org : frame) {
    NetworkNode& node = nodes[org.id];
    node.id = org.id;
    node.label = org.name.empty() ? org.id : org.name;
    node.kind = "ngo";
    node.country = org.country;
    node.in_frame = true;
  }
  struct PendingTie {
    std::string from, to;
    size_t table;  // index into resolved.ties
    std::string choice, country;
  };
  std::vector<PendingTie> pending;
  Network network;
  for (const auto& response : responses) {
    ++network.submissions;
    if (response.source.empty()) {
      return MakeError("NET005", "submission " + response.instance_id + " has no '" + spec.source +
                                     "': the responding organisation cannot be named");
    }
    NetworkNode& node = nodes[response.source];
    if (node.id.empty()) {
      node.id = response.source;
      node.label = response.source;
      node.kind = "ngo";
    }
    node.responded = true;
    if (node.country.empty()) node.country = response.country;
    for (size_t t = 0; t < resolved.ties.size() && t < response.ties.size(); ++t) {
      for (std::string_view name : SplitSpaces(response.ties[t])) {
        if (name == "other") continue;
        pending.push_back({response.source, NamedNode(*resolved.ties[t].spec, name, node.country),
                           t, std::string(name), node.country});
      }
    }
  }
  // Organisations named only by a choice take the kind of the ties that name them
  // and the choice's label.
  for (const auto& tie : pending) {
    NetworkNode& node = nodes[tie.to];
    if (!node.id.empty()) continue;
    const auto& table = resolved.ties[tie.table];
    node.id = tie.to;
    node.kind = table.spec->kind;
    node.label = tie.choice;
    if (table.list) {
      if (const form::Choice* choice = table.list->Find(tie.choice)) {
        node.label = form.Text(choice->label);
      }
    }
    if (table.spec->national) {
      node.country = tie.country;
      node.label += " (" + tie.country + ")";
    }
  }
  for (auto& [id, node] : nodes) network.nodes.push_back(std::move(node));
  std::set<std::pair<int, int>> seen;
  for (const auto& tie : pending) {
    int from = network.Find(tie.from), to = network.Find(tie.to);
    if (from == to || !seen.insert({from, to}).second) continue;
    network.ties.push_back({from, to, resolved.ties[tie.table].spec->kind});
  }
  std::sort(network.ties.begin(), network.ties.end(), [](const NetworkTie& a, const NetworkTie& b) {
    return std::pair(a.from, a.to) < std::pair(b.from, b.to);
  });
  return network;
}

}  // namespace

Result<Network> BuildNetworkFromResponses(const form::Form& form, const NetworkSpec& spec,
                                          const std::vector<FrameOrganisation>& frame,
                                          const std::vector<NetworkResponse>& responses) {
  ResolvedSpec resolved = NGO_TRY(ResolveSpec(form, spec, frame));
  return Assemble(form, spec, resolved, frame, responses);
}

Result<std::vector<NetworkResponse>> NetworkResponsesFromTable(const form::Form& form,
                                                               const NetworkSpec& spec,
                                                               const csv::Table& table) {
  ResolvedSpec resolved = NGO_TRY(ResolveSpec(form, spec, {}));
  // A column is found by its answer path ("grp/q") or the question's bare name.
  auto column_of = [&](const std::string& path, const std::string& name,
                       bool required) -> Result<int> {
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (table.header[c] == path) return static_cast<int>(c);
    }
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (table.header[c] == name) return static_cast<int>(c);
    }
    if (!required) return -1;
    Location where;
    where.file = table.file;
    where.row = 1;
    return MakeError("NET002",
                     "the data have no column '" + path + "' (" + spec.source +
                         " or a ties question of " + spec.file + ")",
                     where);
  };
  const std::string source_path = resolved.source_path.empty() ? "org_id" : resolved.source_path;
  int source = NGO_TRY(column_of(source_path, spec.source, true));
  int country = -1;
  if (!resolved.country_path.empty()) {
    country = NGO_TRY(column_of(resolved.country_path, spec.country, true));
  }
  int instance = NGO_TRY(column_of("meta/instanceID", "instance_id", false));
  std::vector<int> ties;
  for (const auto& t : resolved.ties) {
    ties.push_back(NGO_TRY(column_of(t.path, t.spec->question, true)));
  }
  std::vector<NetworkResponse> out;
  out.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    auto cell = [&](int c) { return c >= 0 && c < static_cast<int>(row.size()) ? row[c] : ""; };
    NetworkResponse response;
    response.instance_id =
        instance >= 0 ? cell(instance)
                      : table.file + " line " +
                            std::to_string(r < table.row_lines.size() ? table.row_lines[r] : r + 2);
    response.source = cell(source);
    response.country = cell(country);
    for (int c : ties) response.ties.push_back(cell(c));
    out.push_back(std::move(response));
  }
  return out;
}

Result<Network> BuildNetwork(const store::Store& store, const NetworkSpec& spec,
                             const std::vector<FrameOrganisation>& frame) {
  // The form: the one named, else the store's only one; its newest version.
  std::string form_id = spec.form_id;
  if (form_id.empty()) {
    std::set<std::string> ids;
    for (const auto& f : NGO_TRY(store.ListForms())) ids.insert(f.form_id);
    if (ids.size() != 1) {
      return MakeError("NET001",
                       ids.empty() ? "the store holds no form"
                                   : "the store holds several forms: name one with form = ...",
                       SpecAt(spec, 1));
    }
    form_id = *ids.begin();
  }
  auto versions = NGO_TRY(store.ListForms(form_id));
  if (versions.empty()) return MakeError("ST002", "the store has no form '" + form_id + "'");
  auto workbook = NGO_TRY(store.GetForm(form_id, versions.back().version));
  Diagnostics ignored;
  form::Form form = NGO_TRY(form::LoadForm(
      workbook.xlsx, form_id + " version " + workbook.version + " (from the store)", &ignored));
  ResolvedSpec resolved = NGO_TRY(ResolveSpec(form, spec, frame));

  std::vector<NetworkResponse> responses;
  store::SubmissionFilter filter;
  filter.form_id = form_id;
  filter.status = store::SubmissionStatus::kComplete;
  filter.include_pretest = spec.include_pretest;
  auto answer_of = [](const std::vector<store::AnswerView>& answers,
                      const std::string& path) -> std::string_view {
    auto it = std::lower_bound(
        answers.begin(), answers.end(), path,
        [](const store::AnswerView& a, const std::string& p) { return a.path < p; });
    if (it == answers.end() || it->path != path) return {};
    return it->state == form::AnswerState::kAnswered ? it->value : std::string_view();
  };
  NGO_TRY(store.ForEachSubmission(
      filter,
      [&](const store::Submission& s, const std::vector<store::AnswerView>& answers) -> Status {
        NetworkResponse response;
        response.instance_id = s.instance_id;
        response.source = resolved.source_path.empty()
                              ? s.org_id
                              : std::string(answer_of(answers, resolved.source_path));
        if (!resolved.country_path.empty()) {
          response.country = std::string(answer_of(answers, resolved.country_path));
        }
        for (const auto& t : resolved.ties) {
          response.ties.emplace_back(answer_of(answers, t.path));
        }
        responses.push_back(std::move(response));
        return {};
      }));
  return Assemble(form, spec, resolved, frame, responses);
}

// --- Measures -------------------------------------------------------------------

Result<std::vector<ScopeMeasures>> ComputeNetworkMeasures(const Network& network) {
  std::set<std::string> countries;
  for (const auto& node : network.nodes) {
    if (node.kind == "ngo" && !node.country.empty()) countries.insert(node.country);
  }
  std::vector<ScopeMeasures> out;
  for (const auto& country : countries) {
    std::set<int> members;
    std::vector<int> ties;
    for (size_t i = 0; i < network.nodes.size(); ++i) {
      const NetworkNode& node = network.nodes[i];
      if (node.kind == "ngo" && node.country == country) members.insert(static_cast<int>(i));
    }
    for (size_t t = 0; t < network.ties.size(); ++t) {
      const NetworkTie& tie = network.ties[t];
      if (!members.count(tie.from)) continue;
      ties.push_back(static_cast<int>(t));
    }
    for (int t : ties) members.insert(network.ties[t].to);
    out.push_back(NGO_TRY(
        MeasureScope(network, country, std::vector<int>(members.begin(), members.end()), ties)));
  }
  std::vector<int> all(network.nodes.size()), every_tie(network.ties.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  for (size_t t = 0; t < every_tie.size(); ++t) every_tie[t] = static_cast<int>(t);
  out.push_back(NGO_TRY(MeasureScope(network, "overall", all, every_tie)));
  return out;
}

Result<std::vector<std::pair<double, double>>> LayoutNetwork(const Network& network) {
  std::vector<std::pair<int, int>> edges;
  for (const auto& tie : network.ties) edges.emplace_back(tie.from, tie.to);
  const int n = static_cast<int>(network.nodes.size());
  auto graph = NGO_TRY(Graph::Make(n, edges));
  igraph_matrix_t coords;
  NGO_TRY(IgraphStatus(igraph_matrix_init(&coords, 0, 0), "layout"));
  // A fixed seed: the same network always gives the same picture.
  igraph_rng_seed(igraph_rng_default(), 20261205);
  igraph_error_t laid = igraph_layout_fruchterman_reingold(
      graph->get(), &coords, false, 500, std::sqrt(static_cast<double>(std::max(n, 1))),
      IGRAPH_LAYOUT_AUTOGRID, nullptr, nullptr, nullptr, nullptr, nullptr);
  if (laid != IGRAPH_SUCCESS) {
    igraph_matrix_destroy(&coords);
    return tl::unexpected(IgraphStatus(laid, "layout").error());
  }
  std::vector<std::pair<double, double>> points(n);
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
  for (int i = 0; i < n; ++i) {
    double x = MATRIX(coords, i, 0), y = MATRIX(coords, i, 1);
    points[i] = {x, y};
    if (i == 0 || x < min_x) min_x = x;
    if (i == 0 || x > max_x) max_x = x;
    if (i == 0 || y < min_y) min_y = y;
    if (i == 0 || y > max_y) max_y = y;
  }
  igraph_matrix_destroy(&coords);
  const double span_x = max_x > min_x ? max_x - min_x : 1,
               span_y = max_y > min_y ? max_y - min_y : 1;
  for (auto& [x, y] : points) {
    x = n == 1 ? 0.5 : (x - min_x) / span_x;
    y = n == 1 ? 0.5 : (y - min_y) / span_y;
  }
  return points;
}

}  // namespace ngosurvey::analysis
