#include "study/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "base/text.h"
#include "form/expr/expr.h"

namespace ngosurvey::study {

using analysis::RowSpec;
using analysis::TableSpec;
namespace {

using form::Question;
using form::QuestionType;

// splitmix64: tiny, fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-32 for small n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  uint64_t state_;
};

// The generated values: one map per respondent, question name -> CSV text.
using Row = std::map<std::string, std::string, std::less<>>;

form::expr::TypeHint HintOf(QuestionType type) {
  using form::expr::TypeHint;
  switch (type) {
    case QuestionType::kSelectMultiple:
      return TypeHint::kSelectMultiple;
    case QuestionType::kSelectOne:
      return TypeHint::kSelectOne;
    case QuestionType::kInteger:
    case QuestionType::kDecimal:
    case QuestionType::kRange:
      return TypeHint::kNumber;
    default:
      return TypeHint::kString;
  }
}

// Expressions over one generated row: names are the form's questions; "." is the
// value under test (constraints).
class RowContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  explicit RowContext(const form::Form& form) : form_(form) {}
  void Set(const Row* row, std::string_view current = {}) { row_ = row, current_ = current; }

  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override {
    const Question* q = form_.FindQuestion(name);
    if (!q) return std::nullopt;
    return form::expr::Symbol{q->index, HintOf(q->type)};
  }
  size_t ValueCount(int) const override { return 1; }
  std::string_view ValueAt(int slot, size_t) const override {
    auto it = row_->find(form_.questions[slot].name);
    return it == row_->end() ? std::string_view{} : std::string_view(it->second);
  }
  std::string_view CurrentValue() const override { return current_; }
  void RandomBytes(uint8_t* out, size_t n) const override { std::fill(out, out + n, 0x5A); }

 private:
  const form::Form& form_;
  const Row* row_ = nullptr;
  std::string_view current_;
};

// A choice filter over the choice's own columns, with each ${name} of the row
// substituted as a literal first (bare names are the choice's columns).
class ChoiceContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  explicit ChoiceContext(const form::Choice& choice) : choice_(choice) {}
  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override {
    if (name == "name") return form::expr::Symbol{0, form::expr::TypeHint::kString};
    for (size_t i = 0; i < choice_.extra_columns.size(); ++i) {
      if (choice_.extra_columns[i].first == name) {
        return form::expr::Symbol{static_cast<int>(i + 1), form::expr::TypeHint::kString};
      }
    }
    return std::nullopt;
  }
  size_t ValueCount(int) const override { return 1; }
  std::string_view ValueAt(int slot, size_t) const override {
    return slot == 0 ? std::string_view(choice_.name)
                     : std::string_view(choice_.extra_columns[slot - 1].second);
  }
  void RandomBytes(uint8_t* out, size_t n) const override { std::fill(out, out + n, 0x5A); }

 private:
  const form::Choice& choice_;
};

std::string Quoted(std::string_view value) {
  return value.find('\'') == std::string_view::npos ? "'" + std::string(value) + "'"
                                                    : "\"" + std::string(value) + "\"";
}

std::string SubstituteReferences(std::string_view text, const Row& row) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find("${", pos);
    size_t end = start == std::string_view::npos ? start : text.find('}', start);
    if (end == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, start - pos));
    std::string_view name = text.substr(start + 2, end - start - 2);
    auto it = row.find(name);
    out += Quoted(it == row.end() ? std::string_view{} : std::string_view(it->second));
    pos = end + 1;
  }
  return out;
}

struct CompiledRow {
  const TableSpec* table = nullptr;
  const RowSpec* row = nullptr;
  std::vector<form::expr::BoundExpr> filters;  // table's and row's
};

class Synthesizer {
 public:
  Synthesizer(const form::Form& form, const std::vector<TableSpec>& specs,
              const AuditReport& published, const std::vector<SynthRespondent>& respondents,
              const SynthOptions& options)
      : form_(form),
        specs_(specs),
        published_(published),
        respondents_(respondents),
        options_(options),
        rng_(options.seed),
        context_(form) {}

  Result<SynthResult> Run() {
    if (respondents_.empty()) return MakeError("SY003", "no respondents to synthesise");
    rows_.resize(respondents_.size());
    for (size_t i = 0; i < respondents_.size(); ++i) {
      rows_[i]["org_id"] = respondents_[i].org_id;
      rows_[i][options_.group_column] = respondents_[i].group;
    }
    result_.seed = options_.seed;
    NGO_TRY(IndexTargets());
    for (const Question& q : form_.questions) NGO_TRY(Generate(q));
    NGO_TRY(RecomputeCalculates());
    Finish();
    NGO_TRY(GenerateRepeats());
    return std::move(result_);
  }

 private:
  // --- Published cells and the spec rows that show them -----------------------

  Status IndexTargets() {
    for (const CellAudit& cell : published_.cells) {
      const CompiledRow* shown = nullptr;
      for (const TableSpec& table : specs_) {
        if (table.id != cell.table) continue;
        for (const RowSpec& row : table.rows) {
          if (row.item == cell.item_id) {
            shown = NGO_TRY(CompileRow(table, row));
            break;
          }
        }
      }
      if (!shown) {
        return MakeError("SY001",
                         "published cell of table " + cell.table + ", item '" + cell.item_id +
                             "' is shown by no row of the table specs",
                         Location{.file = published_.tables_file, .row = cell.line});
      }
      targets_by_item_[cell.item_id].push_back({&cell, shown});
      result_.targets.push_back({.cell = &cell});
      target_index_[&cell] = result_.targets.size() - 1;
    }
    FindGates();
    return Ok();
  }

  // Options that open a question with published targets: the relevance of such a
  // question (or of a group around it) tests `selected(${q}, 'o')` or `${q} = 'o'`.
  // A question without targets of its own gives its gate options to every
  // respondent it is asked of, so that the targeted questions reach their bases
  // (the paper's tables describe NGOs that were asked them).
  void FindGates() {
    for (const Question& later : form_.questions) {
      if (!targets_by_item_.count(later.name)) continue;
      for (const Question* q : form_.RelevanceChain(later)) {
        std::string_view text = q->relevant;
        for (size_t pos = text.find("${"); pos != std::string_view::npos;
             pos = text.find("${", pos + 2)) {
          size_t end = text.find('}', pos);
          if (end == std::string_view::npos) break;
          std::string name(text.substr(pos + 2, end - pos - 2));
          // The option: the first quoted literal after the reference, when the
          // reference is compared with it or tested by selected().
          size_t quote = text.find_first_of("'\"", end);
          if (quote == std::string_view::npos) continue;
          std::string_view between = text.substr(end + 1, quote - end - 1);
          bool compared = between.find('=') != std::string_view::npos ||
                          between.find(',') != std::string_view::npos;
          if (!compared || between.find("${") != std::string_view::npos || between.size() > 8)
            continue;
          size_t close = text.find(text[quote], quote + 1);
          if (close == std::string_view::npos) continue;
          gates_[name].insert(std::string(text.substr(quote + 1, close - quote - 1)));
        }
      }
    }
  }

  Result<const CompiledRow*> CompileRow(const TableSpec& table, const RowSpec& row) {
    auto key = std::make_pair(&table, &row);
    if (auto it = compiled_.find(key); it != compiled_.end()) return &it->second;
    CompiledRow compiled{&table, &row, {}};
    for (const std::string* filter : {&table.filter, &row.filter}) {
      if (filter->empty()) continue;
      auto bound = form::expr::Compile(*filter, context_);
      if (!bound) {
        Error error = bound.error();
        error.code = "SY002";
        error.message = "table " + table.id + " filter: " + error.message;
        error.where.file = table.file, error.where.row = row.line ? row.line : table.line;
        return tl::unexpected(error);
      }
      compiled.filters.push_back(*bound);
    }
    return &compiled_.emplace(key, std::move(compiled)).first->second;
  }

  // Respondents of `group` in the base of a spec row (denominator "all": every
  // respondent the filters keep).
  std::vector<size_t> Base(const CompiledRow& row, std::string_view group) {
    std::vector<size_t> base;
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (Value(i, options_.group_column) != group) continue;
      bool in = true;
      context_.Set(&rows_[i]);
      for (const auto& filter : row.filters) {
        auto value = evaluator_.EvaluateBoolean(filter, context_);
        if (!value || !*value) in = false;
      }
      if (in) base.push_back(i);
    }
    return base;
  }

  // --- Relevance, constraints, choice lists ----------------------------------

  Result<form::expr::BoundExpr> CompileForm(const Question& q, const std::string& text,
                                            std::string_view column) {
    auto bound = form::expr::Compile(text, context_);
    if (!bound) {
      Error error = bound.error();
      error.code = "SY002";
      Location cell = form_.SurveyCell(q.row, column);
      error.where.file = cell.file, error.where.sheet = cell.sheet;
      error.where.row = cell.row, error.where.column = cell.column;
      return tl::unexpected(error);
    }
    return *bound;
  }

  Result<bool> Relevant(const Question& question, size_t i) {
    for (const Question* q : form_.RelevanceChain(question)) {
      auto& bound = relevance_[q->index];
      if (!bound.valid()) bound = NGO_TRY(CompileForm(*q, q->relevant, "relevant"));
      context_.Set(&rows_[i]);
      auto value = evaluator_.EvaluateBoolean(bound, context_);
      if (!value || !*value) return false;
    }
    return true;
  }

  Result<bool> Valid(const Question& q, size_t i, std::string_view value) {
    if (q.constraint.empty()) return true;
    auto& bound = constraint_[q.index];
    if (!bound.valid()) bound = NGO_TRY(CompileForm(q, q.constraint, "constraint"));
    context_.Set(&rows_[i], value);
    auto ok = evaluator_.EvaluateBoolean(bound, context_);
    return ok && *ok;
  }

  bool IsNonAnswer(std::string_view name) const {
    return name == options_.refused_code || name == "refused" || name == "dont_know";
  }

  // The options respondent i may be given: the list after its choice filter,
  // without non-answer codes.
  Result<std::vector<std::string>> Options(const Question& q, size_t i) {
    std::vector<std::string> names;
    const form::ChoiceList* list = form_.FindChoiceList(q.list_name);
    if (!list) return names;
    std::string filter =
        q.choice_filter.empty() ? "" : SubstituteReferences(q.choice_filter, rows_[i]);
    for (const form::Choice& choice : list->choices) {
      if (IsNonAnswer(choice.name)) continue;
      if (!filter.empty()) {
        ChoiceContext choice_context(choice);
        auto bound = form::expr::Compile(filter, choice_context);
        if (!bound) {
          Error error = bound.error();
          error.code = "SY002";
          error.where = form_.SurveyCell(q.row, "choice_filter");
          return tl::unexpected(error);
        }
        auto keep = evaluator_.EvaluateBoolean(*bound, choice_context);
        if (!keep || !*keep) continue;
      }
      names.push_back(choice.name);
    }
    if (q.or_other) names.push_back("other");
    return names;
  }

  // --- Generation --------------------------------------------------------------

  // The value of `name` in row i ("" when none).
  std::string_view Value(size_t i, std::string_view name) const {
    auto it = rows_[i].find(name);
    return it == rows_[i].end() ? std::string_view{} : std::string_view(it->second);
  }

  Status Generate(const Question& q) {
    // One level at a time: the respondents' questions, then each repeat's instances.
    if (form_.EnclosingRepeat(q) != level_) return Ok();
    switch (q.type) {
      case QuestionType::kBeginGroup:
      case QuestionType::kBeginRepeat:
      case QuestionType::kNote:
        return Ok();
      default:
        break;
    }
    if (q.name == "org_id" || q.name == options_.group_column) {
      header_.push_back(q.name);
      return Ok();
    }
    header_.push_back(q.name);
    std::vector<bool> relevant(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) relevant[i] = NGO_TRY(Relevant(q, i));
    if (auto fixed = options_.fixed.find(q.name); fixed != options_.fixed.end()) {
      return Fill(q, relevant, [&](size_t) { return fixed->second; });
    }

    switch (q.type) {
      case QuestionType::kStart:
      case QuestionType::kEnd:
        return Fill(q, relevant, [&](size_t) {
          return options_.date +
                 (q.type == QuestionType::kStart ? "T09:00:00.000+07:00" : "T10:30:00.000+07:00");
        });
      case QuestionType::kToday:
      case QuestionType::kDate:
        return Fill(q, relevant, [&](size_t) { return options_.date; });
      case QuestionType::kDeviceId:
      case QuestionType::kUsername:
        return Fill(q, relevant, [&](size_t) { return std::string("synthetic"); });
      case QuestionType::kCalculate:
        return Ok();  // computed at the end, over the final values
      case QuestionType::kSelectOne:
        return SelectOne(q, relevant);
      case QuestionType::kSelectMultiple:
        return SelectMultiple(q, relevant);
      case QuestionType::kInteger:
      case QuestionType::kDecimal:
        return Number(q, relevant);
      case QuestionType::kText:
        return Text(q, relevant);
      default:
        return Fill(q, relevant, [&](size_t) { return std::string(); });
    }
  }

  template <typename F>
  Status Fill(const Question& q, const std::vector<bool>& relevant, F value) {
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (relevant[i]) rows_[i][q.name] = value(i);
    }
    return Ok();
  }

  Status Text(const Question& q, const std::vector<bool>& relevant) {
    // "Other: please specify" fields follow their select; every text is marked.
    return Fill(q, relevant, [&](size_t i) {
      return "SYNTHETIC text for " + std::string(Value(i, "org_id")) + " (no real answer)";
    });
  }

  // The spec rows of `q` with published cells, per group: option -> target.
  struct GroupTargets {
    const CompiledRow* row = nullptr;
    std::string group;
    std::vector<size_t> base;
    std::vector<std::pair<std::string, const CellAudit*>> options;  // in CSV order
    const CellAudit* no_response = nullptr;
    const CellAudit* mean = nullptr;
  };

  std::vector<GroupTargets> TargetsOf(const Question& q) {
    std::vector<GroupTargets> out;
    auto it = targets_by_item_.find(q.name);
    if (it == targets_by_item_.end()) return out;
    for (const auto& target : it->second) {
      // Named copies: clang 14 (the fuzz preset) cannot capture structured bindings.
      const auto* cell = target.first;
      const auto* row = target.second;
      auto found = std::find_if(out.begin(), out.end(), [&](const GroupTargets& g) {
        return g.row == row && g.group == cell->country;
      });
      if (found == out.end()) {
        out.push_back({row, cell->country, Base(*row, cell->country), {}, nullptr, nullptr});
        found = out.end() - 1;
      }
      bool numeric = q.type == QuestionType::kInteger || q.type == QuestionType::kDecimal ||
                     q.type == QuestionType::kCalculate;
      if (cell->verdict == Verdict::kNoResponse) {
        found->no_response = cell;
      } else if (cell->unit == "mean" || numeric) {
        found->mean = cell;
      } else {
        found->options.push_back({cell->option_id == "value" ? "yes" : cell->option_id, cell});
      }
    }
    return out;
  }

  SynthTarget& TargetOf(const CellAudit* cell) { return result_.targets[target_index_.at(cell)]; }

  // Sets a percentage target: the count of `base` nearest the printed value.
  int64_t AimPercent(const CellAudit* cell, int64_t base) {
    SynthTarget& t = TargetOf(cell);
    t.base = base;
    if (base == 0 || !cell->value) {
      t.note = "no NGO in the base";
      return 0;
    }
    Fit fit = FitPercent(*cell->value, base);
    t.target = fit.nearest_count, t.reachable = fit.consistent;
    if (!fit.consistent) {
      t.note = "no count of " + std::to_string(base) + " gives " + cell->published_value +
               "; nearest " + std::to_string(fit.nearest_count) + " (" + fit.nearest_value + ")";
    }
    return fit.nearest_count;
  }

  void Met(const CellAudit* cell, int64_t achieved, const std::string& why) {
    SynthTarget& t = TargetOf(cell);
    t.met = achieved == t.target;
    if (!t.met) {
      if (!t.note.empty()) t.note += "; ";
      t.note += "only " + std::to_string(achieved) + " of the " + std::to_string(t.target) +
                " aimed at: " + why;
    }
  }

  Status SelectOne(const Question& q, const std::vector<bool>& relevant) {
    std::vector<bool> done(rows_.size(), false);
    for (GroupTargets& g : TargetsOf(q)) {
      std::vector<size_t> pool;
      for (size_t i : g.base) {
        if (relevant[i] && !done[i]) pool.push_back(i);
      }
      rng_.Shuffle(pool);
      if (g.no_response) {
        for (size_t i : pool) rows_[i][q.name] = options_.refused_code, done[i] = true;
        TargetOf(g.no_response).base = static_cast<int64_t>(g.base.size());
        TargetOf(g.no_response).met = TargetOf(g.no_response).reachable = true;
        continue;
      }
      size_t next = 0;
      for (const auto& [option, cell] : g.options) {
        int64_t want = AimPercent(cell, static_cast<int64_t>(g.base.size()));
        int64_t got = 0;
        while (got < want && next < pool.size()) {
          size_t i = pool[next++];
          auto allowed = NGO_TRY(Options(q, i));
          if (std::find(allowed.begin(), allowed.end(), option) == allowed.end()) continue;
          rows_[i][q.name] = option, done[i] = true;
          ++got;
        }
        Met(cell, got,
            pool.size() < g.base.size() ? "only " + std::to_string(pool.size()) +
                                              " of the base are asked this question (skip logic)"
                                        : "the item's published shares add to more than 100%: "
                                          "every NGO of the base already has an "
                                          "option printed before this one");
      }
      // The rest of the base takes options the table does not print; when the table
      // prints every option, the published shares add to less than 100 and the rest
      // are recorded as refusals.
      std::set<std::string> printed;
      for (const auto& option : g.options) printed.insert(option.first);
      for (; next < pool.size(); ++next) {
        size_t i = pool[next];
        auto allowed = NGO_TRY(Options(q, i));
        std::erase_if(allowed,
                      [&](const std::string& o) { return printed.count(o) || o == "other"; });
        rows_[i][q.name] =
            allowed.empty() ? options_.refused_code : allowed[rng_.Below(allowed.size())];
        done[i] = true;
      }
    }
    auto gates = gates_.find(q.name);
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (!relevant[i] || done[i]) continue;
      auto allowed = NGO_TRY(Options(q, i));
      std::erase_if(allowed, [](const std::string& o) { return o == "other"; });
      if (gates != gates_.end() && gates->second.size() == 1 &&
          std::find(allowed.begin(), allowed.end(), *gates->second.begin()) != allowed.end()) {
        rows_[i][q.name] = *gates->second.begin();
      } else if (!allowed.empty()) {
        rows_[i][q.name] = allowed[rng_.Below(allowed.size())];
      }
    }
    return Ok();
  }

  Status SelectMultiple(const Question& q, const std::vector<bool>& relevant) {
    std::vector<std::set<std::string>> chosen(rows_.size());
    std::vector<bool> targeted(rows_.size(), false), refused(rows_.size(), false);
    std::set<std::string> printed_anywhere;
    for (GroupTargets& g : TargetsOf(q)) {
      std::vector<size_t> pool;
      for (size_t i : g.base) {
        if (relevant[i]) pool.push_back(i), targeted[i] = true;
      }
      if (g.no_response) {
        for (size_t i : pool) refused[i] = true;
        TargetOf(g.no_response).base = static_cast<int64_t>(g.base.size());
        TargetOf(g.no_response).met = TargetOf(g.no_response).reachable = true;
        continue;
      }
      for (const auto& [option, cell] : g.options) {
        printed_anywhere.insert(option);
        int64_t want = AimPercent(cell, static_cast<int64_t>(g.base.size()));
        std::vector<size_t> order = pool;
        rng_.Shuffle(order);
        int64_t got = 0;
        for (size_t i : order) {
          if (got == want) break;
          auto allowed = NGO_TRY(Options(q, i));
          if (std::find(allowed.begin(), allowed.end(), option) == allowed.end()) continue;
          chosen[i].insert(option);
          ++got;
        }
        Met(cell, got, "too few NGOs are asked this question (skip logic)");
      }
    }
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (!relevant[i]) continue;
      if (refused[i]) {
        rows_[i][q.name] = options_.refused_code;
        continue;
      }
      auto allowed = NGO_TRY(Options(q, i));
      std::vector<std::string> extra;
      for (const std::string& o : allowed) {
        // Options the published table prints are exactly as many as it says for the
        // targeted NGOs; the others, and every option for NGOs outside the tables'
        // bases, are drawn at random.
        if (o == "other" || o == "none") continue;
        if (targeted[i] && printed_anywhere.count(o)) continue;
        extra.push_back(o);
      }
      auto gates = gates_.find(q.name);
      for (const std::string& o : extra) {
        bool gate = !targeted[i] && gates != gates_.end() && gates->second.count(o);
        if (gate || rng_.Chance(targeted[i] ? 0.15 : 0.3)) chosen[i].insert(o);
      }
      if (chosen[i].empty() && !extra.empty()) chosen[i].insert(extra[rng_.Below(extra.size())]);
      std::string value;
      for (const std::string& o : allowed) {  // list order, as ODK writes them
        if (!chosen[i].count(o)) continue;
        if (!value.empty()) value += ' ';
        value += o;
      }
      if (value.empty()) {
        // Every option this NGO could choose is one whose published count is already
        // met without it: it answers "don't know" (a non-answer; the base of "% of
        // NGOs surveyed" is unchanged).
        rows_[i][q.name] = options_.dont_know_code;
        continue;
      }
      if (!NGO_TRY(Valid(q, i, value))) {
        return MakeError("SY004",
                         "synthetic answer '" + value + "' of " + std::string(Value(i, "org_id")) +
                             " fails the constraint of '" + q.name + "'",
                         form_.SurveyCell(q.row, "constraint"));
      }
      rows_[i][q.name] = value;
    }
    return Ok();
  }

  // A value that passes the constraint: small numbers first, then wider ranges.
  Result<std::optional<int64_t>> DrawInteger(const Question& q, size_t i, int64_t typical) {
    for (int64_t range : {typical, typical / 2 + 1, int64_t{10}, int64_t{2}}) {
      for (int attempt = 0; attempt < 20; ++attempt) {
        int64_t v = static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(range) + 1));
        if (NGO_TRY(Valid(q, i, std::to_string(v)))) return std::optional<int64_t>(v);
      }
    }
    if (NGO_TRY(Valid(q, i, "0"))) return std::optional<int64_t>(0);
    return std::optional<int64_t>();
  }

  Status Number(const Question& q, const std::vector<bool>& relevant) {
    std::vector<GroupTargets> groups = TargetsOf(q);
    std::vector<bool> done(rows_.size(), false);
    for (GroupTargets& g : groups) {
      if (!g.mean) continue;
      std::vector<size_t> pool;
      for (size_t i : g.base) {
        if (relevant[i]) pool.push_back(i);
      }
      SynthTarget& t = TargetOf(g.mean);
      t.base = static_cast<int64_t>(pool.size());
      if (pool.empty()) {
        t.note = "no NGO in the base is asked this question";
        continue;
      }
      Fit fit = FitMean(*g.mean->value, t.base);
      t.target = fit.nearest_count, t.reachable = fit.consistent;
      // Spread the total: equal shares, then random transfers that keep it.
      int64_t total = fit.nearest_count;
      std::vector<int64_t> values(pool.size(), total / t.base);
      for (int64_t k = 0; k < total % t.base; ++k) ++values[static_cast<size_t>(k)];
      for (size_t step = 0; step < pool.size() * 4; ++step) {
        size_t from = rng_.Below(pool.size()), to = rng_.Below(pool.size());
        int64_t amount =
            static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(values[from] / 2 + 1)));
        values[from] -= amount, values[to] += amount;
      }
      int64_t achieved = 0;
      for (size_t k = 0; k < pool.size(); ++k) {
        size_t i = pool[k];
        if (!NGO_TRY(Valid(q, i, std::to_string(values[k])))) {
          return MakeError("SY004",
                           "synthetic value " + std::to_string(values[k]) + " of '" + q.name +
                               "' fails its constraint; the published mean cannot be met",
                           form_.SurveyCell(q.row, "constraint"));
        }
        rows_[i][q.name] = std::to_string(values[k]);
        achieved += values[k];
        done[i] = true;
      }
      t.met = achieved == total;
    }
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (!relevant[i] || done[i]) continue;
      auto v = NGO_TRY(DrawInteger(q, i, 60));
      if (v) rows_[i][q.name] = std::to_string(*v);
    }
    return Ok();
  }

  // --- Calculations --------------------------------------------------------------

  Result<std::string> Calculate(const Question& q, size_t i) {
    auto& bound = calculation_[q.index];
    if (!bound.valid()) bound = NGO_TRY(CompileForm(q, q.calculation, "calculation"));
    context_.Set(&rows_[i]);
    auto value = evaluator_.EvaluateString(bound, context_);
    if (!value) return std::string();
    return *value;
  }

  Status RecomputeCalculates() {
    for (const Question& q : form_.questions) {
      if (q.type != QuestionType::kCalculate || q.calculation.empty()) continue;
      if (form_.EnclosingRepeat(q) != level_) continue;
      for (size_t i = 0; i < rows_.size(); ++i) {
        rows_[i].erase(q.name);
        if (NGO_TRY(Relevant(q, i))) rows_[i][q.name] = NGO_TRY(Calculate(q, i));
      }
      NGO_TRY(AimCalculatedMean(q));
    }
    return Ok();
  }

  // A published mean of a numeric calculate (a share computed per NGO): met by
  // searching, NGO by NGO, the last integer question the calculation reads, within
  // that question's constraint, for the value that brings the total nearest the
  // target, until the printed mean is reached.
  Status AimCalculatedMean(const Question& q) {
    for (GroupTargets& g : TargetsOf(q)) {
      if (!g.mean) continue;
      const Question* input = nullptr;
      const auto& deps = calculation_[q.index].dependencies();
      for (int slot : deps) {
        const Question& d = form_.questions[slot];
        if (d.type == QuestionType::kInteger && (!input || d.index > input->index)) input = &d;
      }
      SynthTarget& t = TargetOf(g.mean);
      if (!input) {
        t.note = "the calculation reads no integer question to adjust";
        continue;
      }
      auto scaled_total = [&](const std::vector<size_t>& pool, int64_t* n) {
        // Sum of the calculate over the pool in units of 10^-6 (values are decimals).
        int64_t sum = 0;
        *n = 0;
        for (size_t i : pool) {
          auto it = rows_[i].find(q.name);
          if (it == rows_[i].end() || it->second.empty()) continue;
          sum += std::llround(std::strtod(it->second.c_str(), nullptr) * 1e6);
          ++*n;
        }
        return sum;
      };
      std::vector<size_t> pool;
      for (size_t i : g.base) {
        if (NGO_TRY(Relevant(q, i))) pool.push_back(i);
      }
      int64_t n = 0;
      const PrintedNumber& value = *g.mean->value;
      auto printed = [&](int64_t sum, int64_t count) {
        // mean = sum / (count * 10^6), rounded half-up at the printed precision.
        return count > 0 &&
               RoundHalfUpScaled(sum, count * 1'000'000, value.decimals) == value.scaled;
      };
      int64_t sum = scaled_total(pool, &n);
      int64_t goal_scaled = value.scaled;  // target mean * 10^decimals
      for (int pass = 0; pass < 8 && !printed(sum, n); ++pass) {
        for (size_t i : pool) {
          if (printed(sum, n)) break;
          std::string original = rows_[i][input->name];
          std::string best = original;
          double best_distance = 0;
          bool first = true;
          int64_t upper = 1000;
          for (int64_t v = 0; v <= upper; ++v) {
            std::string text = std::to_string(v);
            if (!NGO_TRY(Valid(*input, i, text))) {
              if (v > 0) break;  // past the constraint's upper bound
              continue;
            }
            rows_[i][input->name] = text;
            std::string calc = NGO_TRY(Calculate(q, i));
            rows_[i][q.name] = calc;
            int64_t n_try = 0;
            int64_t s = scaled_total(pool, &n_try);
            double mean = n_try ? static_cast<double>(s) / 1e6 / static_cast<double>(n_try) : 0;
            double distance =
                std::fabs(mean * std::pow(10.0, value.decimals) - static_cast<double>(goal_scaled));
            if (first || distance < best_distance)
              best = text, best_distance = distance, first = false;
          }
          rows_[i][input->name] = best;
          rows_[i][q.name] = NGO_TRY(Calculate(q, i));
          sum = scaled_total(pool, &n);
        }
      }
      t.base = n;
      t.reachable = true;
      t.met = printed(sum, n);
      t.target = sum;
      if (!t.met)
        t.note = "no values of '" + input->name + "' within its constraint give the printed mean";
    }
    return Ok();
  }

  void Finish() {
    result_.header = {"data_status", "instance_id"};
    for (const std::string& name : header_) result_.header.push_back(name);
    for (size_t i = 0; i < rows_.size(); ++i) {
      std::vector<std::string> line = {"SYNTHETIC", Uuid()};
      for (const std::string& name : header_) {
        auto it = rows_[i].find(name);
        line.push_back(it == rows_[i].end() ? "" : it->second);
      }
      result_.rows.push_back(std::move(line));
    }
  }

  // The instances of each repeat, per parent (a respondent, or an instance of the enclosing
  // repeat for a repeat inside a repeat): as many as its repeat_count gives over the
  // parent's values (at most kMaxInstances), else 1 to 4; each instance's questions
  // generated as a respondent's are (relevance, choice filters and constraints over the
  // instance's values and those of its parents, as an instance carries them).
  static constexpr int64_t kMaxInstances = 30;

  Result<size_t> InstanceCount(const Question& repeat, const Row& parent) {
    if (repeat.repeat_count.empty()) return 1 + rng_.Below(4);
    auto bound = NGO_TRY(CompileForm(repeat, repeat.repeat_count, "repeat_count"));
    context_.Set(&parent);
    auto count = evaluator_.EvaluateNumber(bound, context_);
    if (!count || !std::isfinite(*count) || *count < 0) return 0;
    return static_cast<size_t>(std::min<double>(std::floor(*count), kMaxInstances));
  }

  // A generated repeat's instances: their values (with their parents') and their KEYs.
  struct Generated {
    std::vector<Row> rows;
    std::vector<std::string> keys;
  };

  Status GenerateRepeats() {
    Generated respondents_level;
    for (const auto& line : result_.rows) respondents_level.keys.push_back(line[1]);
    // By repeat index; a repeat comes after the repeat that encloses it in the form.
    std::map<int, Generated> generated;
    for (const Question& repeat : form_.questions) {
      if (!repeat.is_repeat()) continue;
      const int enclosing = form_.EnclosingRepeat(repeat);
      const std::vector<Row>& parent_rows = enclosing < 0 ? rows_ : generated[enclosing].rows;
      const std::vector<std::string>& parent_keys =
          enclosing < 0 ? respondents_level.keys : generated[enclosing].keys;
      std::vector<Row> instance_rows;
      std::vector<std::string> parent_of, keys;
      for (size_t i = 0; i < parent_rows.size(); ++i) {
        size_t count = NGO_TRY(InstanceCount(repeat, parent_rows[i]));
        for (size_t k = 1; k <= count; ++k) {
          instance_rows.push_back(parent_rows[i]);  // the parents' values, for expressions
          parent_of.push_back(parent_keys[i]);
          keys.push_back(parent_keys[i] + "/" + repeat.name + "[" + std::to_string(k) + "]");
        }
      }
      std::vector<Row> respondents = std::exchange(rows_, std::move(instance_rows));
      std::vector<std::string> header = std::exchange(header_, {});
      level_ = repeat.index;
      Status done = Ok();
      for (const Question& q : form_.questions) {
        if (done) done = Generate(q);
      }
      if (done) done = RecomputeCalculates();
      SynthRepeat out;
      out.name = repeat.name;
      out.header = {"data_status"};
      for (const std::string& name : header_) out.header.push_back(name);
      out.header.push_back("PARENT_KEY");
      out.header.push_back("KEY");
      for (size_t r = 0; r < rows_.size(); ++r) {
        std::vector<std::string> line = {"SYNTHETIC"};
        for (const std::string& name : header_) line.emplace_back(Value(r, name));
        line.push_back(parent_of[r]);
        line.push_back(keys[r]);
        out.rows.push_back(std::move(line));
      }
      generated[repeat.index] =
          Generated{std::exchange(rows_, std::move(respondents)), std::move(keys)};
      header_ = std::move(header);
      level_ = -1;
      NGO_TRY(done);
      result_.repeats.push_back(std::move(out));
    }
    return Ok();
  }

  std::string Uuid() {
    uint64_t a = rng_.Next(), b = rng_.Next();
    a = (a & ~0xF000ull) | 0x4000ull;                         // version 4
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
    char text[48];
    std::snprintf(text, sizeof text, "uuid:%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xFFFF),
                  static_cast<unsigned>(a & 0xFFFF), static_cast<unsigned>(b >> 48),
                  static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
    return text;
  }

  const form::Form& form_;
  const std::vector<TableSpec>& specs_;
  const AuditReport& published_;
  const std::vector<SynthRespondent>& respondents_;
  SynthOptions options_;
  Rng rng_;
  RowContext context_;
  form::expr::Evaluator evaluator_;
  std::vector<Row> rows_;  // respondents, or a repeat's instances while it is generated
  std::vector<std::string> header_;
  int level_ = -1;  // the level generated: -1 the respondents, else a repeat's index
  SynthResult result_;
  std::map<std::pair<const TableSpec*, const RowSpec*>, CompiledRow> compiled_;
  std::map<std::string, std::vector<std::pair<const CellAudit*, const CompiledRow*>>, std::less<>>
      targets_by_item_;
  std::map<const CellAudit*, size_t> target_index_;
  std::map<int, form::expr::BoundExpr> relevance_, constraint_, calculation_;
  std::map<std::string, std::set<std::string>, std::less<>> gates_;
};

}  // namespace

Result<SynthResult> Synthesize(const form::Form& form, const std::vector<TableSpec>& specs,
                               const AuditReport& published,
                               const std::vector<SynthRespondent>& respondents,
                               const SynthOptions& options) {
  Synthesizer synthesizer(form, specs, published, respondents, options);
  return synthesizer.Run();
}

std::string SynthCsv(const SynthResult& result) {
  std::string out;
  csv::AppendRow(result.header, &out);
  for (const auto& row : result.rows) csv::AppendRow(row, &out);
  return out;
}

std::string SynthRepeatCsv(const SynthRepeat& repeat) {
  std::string out;
  csv::AppendRow(repeat.header, &out);
  for (const auto& row : repeat.rows) csv::AppendRow(row, &out);
  return out;
}

std::string SynthTargetsCsv(const SynthResult& result) {
  std::string out;
  csv::AppendRow({"table", "item_id", "option_id", "country", "published_value", "base", "target",
                  "reachable", "met", "note"},
                 &out);
  for (const SynthTarget& t : result.targets) {
    const CellAudit& c = *t.cell;
    csv::AppendRow(
        {c.table, c.item_id, c.option_id, c.country, c.published_value, std::to_string(t.base),
         std::to_string(t.target), t.reachable ? "yes" : "no", t.met ? "yes" : "no", t.note},
        &out);
  }
  return out;
}

}  // namespace ngosurvey::study
