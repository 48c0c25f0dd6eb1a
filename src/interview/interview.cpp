// The interview engine. Answers live in cells, one per (node, repeat key): the key
// holds the 1-based instance of every enclosing repeat, outermost first, so a
// top-level question has the empty key and "programme[2]/name" has key {2}. A
// repeat node's own cells are its instances (key = parent key + instance).
//
// A cell's `record` is what is to be stored (nullopt: nothing yet); `aside` keeps an
// answer while the question is irrelevant (the record is then not_asked with the
// kept text); `saved` is what TakeChanges last handed out, so only differences are
// emitted. After a change, only the dependents of the changed node are evaluated,
// in topological order (CompiledFormData::order), and their dependents only if
// their value or relevance changed.
//
// Navigation walks the form in sheet order: FindScreen(node, level key) returns the
// first screen at or after a node, skipping irrelevant subtrees and silent nodes;
// NextSibling moves past a subtree, into the next repeat instance, or to the repeat
// prompt after the last one.
#include "interview/interview.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "base/date.h"
#include "base/text.h"
#include "base/words.h"
#include "interview/interview_internal.h"
#include "interview/messages_internal.h"

namespace ngosurvey::interview {

using form::Answer;
using form::AnswerState;
using form::QuestionType;
namespace ex = form::expr;
using Key = std::vector<int>;

namespace {

struct Cell {
  std::optional<Answer> record;
  std::optional<Answer> aside;
  std::optional<Answer> saved;
  bool relevant = true;
};

// A screen position: a question or field-list group at `key` (its level key), or a
// repeat prompt for node `node` at its parent's key.
struct Pos {
  ScreenKind kind = ScreenKind::kEnd;
  int node = -1;
  Key key;
};

// A place in the walk: node at a level key; `after` on a repeat means "past its
// instances" (the prompt, or the next sibling when a repeat_count decides).
struct Cursor {
  int node = -1;
  Key key;
  bool after = false;
};

Key Prefix(const Key& key, size_t n) {
  return Key(key.begin(), key.begin() + std::min(n, key.size()));
}

bool StartsWith(const Key& key, const Key& prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

}  // namespace

struct Interview::State final : ex::EvalContext {
  std::shared_ptr<const CompiledForm> compiled;
  const CompiledFormData* d = nullptr;
  const form::Form* form = nullptr;
  Options options;
  std::string lang;
  std::vector<std::map<Key, Cell>> cells;
  std::vector<std::map<Key, int>> counts;  // repeat node -> parent key -> instances
  ex::Evaluator evaluator;
  std::vector<Error> errors;
  int evaluations = 0;
  std::vector<std::pair<int, Key>> dirty;
  std::vector<std::string> removed;
  std::vector<char> queued;
  Pos cur;
  std::vector<Pos> history;
  uint64_t rng = 0;

  // Evaluation context: the node being evaluated and, for constraints, the
  // candidate value.
  int ctx_node = -1;
  Key ctx_key;
  bool use_candidate = false;
  std::string candidate;
  mutable int cache_slot = -1;
  mutable std::vector<const Cell*> cache_cells;
  mutable std::string scratch;

  // ---- cells ----------------------------------------------------------------
  const Cell* CellAt(int node, const Key& key) const {
    const auto& m = cells[node];
    auto it = m.find(key);
    return it == m.end() ? nullptr : &it->second;
  }
  Cell* CellAt(int node, const Key& key) {
    auto& m = cells[node];
    auto it = m.find(key);
    return it == m.end() ? nullptr : &it->second;
  }
  int Count(int repeat, const Key& parent_key) const {
    auto it = counts[repeat].find(parent_key);
    return it == counts[repeat].end() ? 0 : it->second;
  }
  // The text expressions see: the answer, or the form's own code for a refusal or
  // "don't know" recorded on a select whose list names that code.
  std::string_view TextOf(int node, const Cell& cell) const {
    if (!cell.record) return {};
    const Answer& a = *cell.record;
    if (a.state == AnswerState::kAnswered) return a.value;
    const Node& n = d->nodes[node];
    if (a.state == AnswerState::kRefused && n.list_has_refused) return d->refused_code;
    if (a.state == AnswerState::kDontKnow && n.list_has_dont_know) return d->dont_know_code;
    return {};
  }
  std::string Path(int node, const Key& key) const {
    const Node& n = d->nodes[node];
    std::string out;
    size_t k = 0;
    for (size_t s = 0; s < n.steps.size(); ++s) {
      if (s) out += '/';
      out += n.steps[s];
      if (n.step_is_repeat[s] && k < key.size()) out += "[" + std::to_string(key[k++]) + "]";
    }
    return out;
  }
  void MarkDirty(int node, const Key& key) { dirty.emplace_back(node, key); }
  void SetRecord(int node, const Key& key, Cell& cell, std::optional<Answer> answer) {
    if (cell.record == answer) return;
    cell.record = std::move(answer);
    MarkDirty(node, key);
  }

  // ---- EvalContext ----------------------------------------------------------
  size_t Common(const Node& s) const {
    const Node& c = d->nodes[ctx_node];
    size_t i = 0;
    while (i < s.repeats.size() && i < c.repeats.size() && i < ctx_key.size() &&
           s.repeats[i] == c.repeats[i]) {
      ++i;
    }
    return i;
  }
  void Fill(int slot) const {
    cache_slot = slot;
    cache_cells.clear();
    const Node& s = d->nodes[slot];
    size_t c = Common(s);
    Key prefix = Prefix(ctx_key, c);
    if (c == static_cast<size_t>(s.key_len)) {
      if (const Cell* cell = CellAt(slot, prefix)) cache_cells.push_back(cell);
      return;
    }
    const auto& m = cells[slot];
    for (auto it = m.lower_bound(prefix); it != m.end() && StartsWith(it->first, prefix); ++it) {
      cache_cells.push_back(&it->second);
    }
  }
  size_t ValueCount(int slot) const override {
    const Node& s = d->nodes[slot];
    if (s.type == QuestionType::kBeginRepeat) {
      Key parent_repeats_key;
      const Node& c = d->nodes[ctx_node];
      size_t i = 0;
      while (i + 1 < s.repeats.size() && i < c.repeats.size() && i < ctx_key.size() &&
             s.repeats[i] == c.repeats[i]) {
        ++i;
      }
      Key prefix = Prefix(ctx_key, i);
      if (i + 1 == s.repeats.size()) return static_cast<size_t>(Count(slot, prefix));
      size_t total = 0;
      for (const auto& [k, n] : counts[slot]) {
        if (StartsWith(k, prefix)) total += static_cast<size_t>(n);
      }
      return total;
    }
    Fill(slot);
    return cache_cells.size();
  }
  std::string_view ValueAt(int slot, size_t index) const override {
    if (cache_slot != slot) Fill(slot);
    if (index >= cache_cells.size()) return {};
    return TextOf(slot, *cache_cells[index]);
  }
  int Position(int repeat_slot) const override {
    if (ctx_key.empty()) return 0;
    if (repeat_slot < 0) return ctx_key.back();
    const Node& c = d->nodes[ctx_node];
    for (size_t i = 0; i < c.repeats.size() && i < ctx_key.size(); ++i) {
      if (c.repeats[i] == repeat_slot) return ctx_key[i];
    }
    return 0;
  }
  std::optional<std::string_view> IndexedValue(
      int slot, std::span<const ex::RepeatIndex> path) const override {
    const Node& s = d->nodes[slot];
    size_t common = Common(s);
    Key key;
    for (size_t i = 0; i < s.repeats.size(); ++i) {
      int pos = 0;
      for (const ex::RepeatIndex& p : path) {
        if (p.repeat_slot == s.repeats[i]) pos = p.position;
      }
      if (pos == 0 && i < common) pos = ctx_key[i];
      if (pos <= 0) return std::nullopt;
      key.push_back(pos);
    }
    const Cell* cell = CellAt(slot, key);
    if (!cell) return std::nullopt;
    return TextOf(slot, *cell);
  }
  std::string_view CurrentValue() const override {
    if (use_candidate) return candidate;
    if (ctx_node < 0) return {};
    const Cell* cell = CellAt(ctx_node, Prefix(ctx_key, d->nodes[ctx_node].key_len));
    return cell ? TextOf(ctx_node, *cell) : std::string_view{};
  }
  const ex::SecondaryInstance* Instance(int instance) const override {
    if (instance < 0 || instance >= static_cast<int>(d->instances.size())) return nullptr;
    return &d->instances[instance];
  }
  std::optional<std::string_view> ChoiceLabel(int slot, std::string_view name) const override {
    const Node& n = d->nodes[slot];
    if (n.list < 0) return std::nullopt;
    const form::Choice* c = form->choice_lists[n.list].Find(name);
    if (!c) return std::nullopt;
    scratch = form->Text(c->label, lang);
    return std::string_view(scratch);
  }
  const Clock& clock() const override { return *options.clock; }
  void RandomBytes(uint8_t* out, size_t n) const override {
    auto* self = const_cast<State*>(this);
    for (size_t i = 0; i < n; ++i) {
      uint64_t z = (self->rng += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      out[i] = static_cast<uint8_t>(z ^ (z >> 31));
    }
  }

  // ---- evaluation -----------------------------------------------------------
  void At(int node, const Key& key) {
    ctx_node = node;
    ctx_key = key;
    cache_slot = -1;
  }
  void Record(const Error& error, int node) {
    if (errors.size() >= 100) return;
    Error e = error;
    const Node& n = d->nodes[node];
    if (n.question >= 0) {
      Location where = form->SurveyCell(form->questions[n.question].row, "");
      where.expression = e.where.expression;
      where.expr_offset = e.where.expr_offset;
      e.where = std::move(where);
    }
    errors.push_back(std::move(e));
  }
  bool EvalBool(const ex::BoundExpr& e, int node, const Key& key, bool fallback) {
    At(node, key);
    auto r = evaluator.EvaluateBoolean(e, *this);
    if (!r) {
      Record(r.error(), node);
      return fallback;
    }
    return *r;
  }
  std::string EvalString(const ex::BoundExpr& e, int node, const Key& key) {
    At(node, key);
    auto r = evaluator.EvaluateString(e, *this);
    if (!r) {
      Record(r.error(), node);
      return "";
    }
    return std::move(*r);
  }
  // A calculation's text: string() of its value, except that a number that is not
  // a number (arithmetic on an empty answer) is empty, as ODK Collect (JavaRosa)
  // stores it, never the text "NaN".
  std::string EvalCalculation(const ex::BoundExpr& e, int node, const Key& key) {
    At(node, key);
    auto r = evaluator.Evaluate(e, *this);
    if (!r) {
      Record(r.error(), node);
      return "";
    }
    if (r->kind == ex::ValueKind::kNumber && std::isnan(r->number)) return "";
    return evaluator.ToString(*r, *this);
  }
  bool ParentRelevant(int node, const Key& key) const {
    int p = d->nodes[node].parent;
    if (p < 0) return true;
    const Cell* cell = CellAt(p, Prefix(key, d->nodes[p].key_len));
    return cell ? cell->relevant : true;
  }
  // A repeat as a whole at its parent's key (before or between its instances).
  bool RepeatRelevantAt(int repeat, const Key& parent_key) {
    const Node& n = d->nodes[repeat];
    if (!ParentRelevant(repeat, parent_key)) return false;
    return !n.relevant.valid() || EvalBool(n.relevant, repeat, parent_key, true);
  }
  bool Required(int node, const Key& key) {
    const Node& n = d->nodes[node];
    if (n.required_constant) return true;
    return n.has_required_expr && EvalBool(n.required, node, key, false);
  }

  void SetRelevant(int node, const Key& key, Cell& cell, bool relevant) {
    cell.relevant = relevant;
    if (!relevant) {
      if (cell.record && cell.record->state != AnswerState::kNotAsked) {
        cell.aside = cell.record;
        std::string kept = cell.aside->state == AnswerState::kAnswered ? cell.aside->value : "";
        SetRecord(node, key, cell, Answer::NotAsked(std::move(kept)));
      }
      return;
    }
    if (cell.aside) {
      std::optional<Answer> back = std::move(cell.aside);
      cell.aside.reset();
      SetRecord(node, key, cell, std::move(back));
    } else if (cell.record && cell.record->state == AnswerState::kNotAsked) {
      // A stored not_asked whose question applies again (resume, newer form).
      std::optional<Answer> back;
      if (!cell.record->value.empty()) back = Answer::Answered(cell.record->value);
      SetRecord(node, key, cell, std::move(back));
    }
  }

  // Re-evaluates every cell of `node`; true when a value or relevance changed.
  bool EvaluateNode(int node, std::vector<int>* created) {
    const Node& n = d->nodes[node];
    bool changed = false;
    if (n.type == QuestionType::kBeginRepeat && n.repeat_count.valid()) {
      changed |= SyncRepeatCount(node, created);
    }
    for (auto& [key, cell] : cells[node]) {
      ++evaluations;
      bool relevant = ParentRelevant(node, key) &&
                      (!n.relevant.valid() || EvalBool(n.relevant, node, key, true));
      if (relevant != cell.relevant) {
        SetRelevant(node, key, cell, relevant);
        changed = true;
      }
      // A selection its choice_filter no longer offers is dropped, as ODK Collect
      // (JavaRosa) does: a select_one is cleared, a select_multiple or rank keeps
      // the choices still offered.
      if (relevant && n.choice_filter.valid() && cell.record &&
          cell.record->state == AnswerState::kAnswered) {
        std::optional<Answer> kept = OfferedOnly(node, key, *cell.record);
        if (kept != cell.record) {
          SetRecord(node, key, cell, std::move(kept));
          changed = true;
        }
      }
      if (relevant && n.calculation.valid()) {
        std::string v = EvalCalculation(n.calculation, node, key);
        std::optional<Answer> want;
        if (!v.empty()) want = Answer::Answered(std::move(v));
        if (want != cell.record) {
          SetRecord(node, key, cell, std::move(want));
          changed = true;
        }
      }
    }
    return changed;
  }

  // Evaluates `seeds` and, transitively, whatever reads a node that changed, in
  // topological order.
  void Run(const std::vector<int>& seeds) {
    using Item = std::pair<int, int>;  // rank, node
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
    auto push = [&](int n) {
      if (queued[n]) return;
      queued[n] = 1;
      queue.emplace(d->nodes[n].rank, n);
    };
    for (int n : seeds) push(n);
    std::vector<int> created;
    size_t budget = d->nodes.size() * 8 + 64;  // cycles (reported by validation) end here
    while (!queue.empty() && budget-- > 0) {
      int n = queue.top().second;
      queue.pop();
      queued[n] = 0;
      created.clear();
      if (EvaluateNode(n, &created)) {
        for (int dep : d->nodes[n].dependents) push(dep);
      }
      for (int c : created) push(c);
    }
    while (!queue.empty()) {
      queued[queue.top().second] = 0;
      queue.pop();
    }
  }

  // ---- repeats --------------------------------------------------------------
  // Creates instance `index` of `repeat` under `parent_key`: cells for every node of
  // the subtree at this level; nested repeats start empty. Nodes to evaluate go to
  // `created`.
  void CreateInstance(int repeat, const Key& parent_key, int index, std::vector<int>* created) {
    const Node& r = d->nodes[repeat];
    Key key = parent_key;
    key.push_back(index);
    for (int m = repeat; m < r.subtree_end; ++m) {
      const Node& n = d->nodes[m];
      if (m != repeat && n.key_len != r.key_len) continue;
      Cell cell;
      if (!n.displayed && !n.default_literal.empty())
        cell.record = Answer::Answered(n.default_literal);
      auto [it, inserted] = cells[m].emplace(key, std::move(cell));
      if (it->second.record) MarkDirty(m, key);
      if (created) created->push_back(m);
    }
    counts[repeat][parent_key] = std::max(Count(repeat, parent_key), index);
  }

  // Removes instance `index`; later instances move down by one (their paths change,
  // so the old paths are removed and the new ones written).
  void RemoveInstance(int repeat, const Key& parent_key, int index) {
    const Node& r = d->nodes[repeat];
    size_t level = parent_key.size();
    for (int m = repeat; m < r.subtree_end; ++m) {
      auto& map = cells[m];
      std::vector<std::pair<Key, Cell>> moved;
      for (auto it = map.lower_bound(parent_key);
           it != map.end() && StartsWith(it->first, parent_key);) {
        if (it->first.size() <= level || it->first[level] < index) {
          ++it;
          continue;
        }
        if (it->second.saved) removed.push_back(Path(m, it->first));
        if (it->first[level] > index) {
          Key k = it->first;
          --k[level];
          Cell c = std::move(it->second);
          c.saved.reset();
          moved.emplace_back(std::move(k), std::move(c));
        }
        it = map.erase(it);
      }
      for (auto& [k, c] : moved) {
        bool has = c.record.has_value();
        Key copy = k;
        map.emplace(std::move(k), std::move(c));
        if (has) MarkDirty(m, copy);
      }
      if (d->nodes[m].type == QuestionType::kBeginRepeat && m != repeat) {
        std::map<Key, int> shifted;
        for (auto& [k, n] : counts[m]) {
          if (!StartsWith(k, parent_key) || k.size() <= level || k[level] < index) {
            shifted.emplace(k, n);
          } else if (k[level] > index) {
            Key nk = k;
            --nk[level];
            shifted.emplace(std::move(nk), n);
          }
        }
        counts[m] = std::move(shifted);
      }
    }
    counts[repeat][parent_key] = Count(repeat, parent_key) - 1;
  }

  bool SyncRepeatCount(int repeat, std::vector<int>* created) {
    const Node& r = d->nodes[repeat];
    std::vector<Key> parents;
    if (r.key_len == 1) {
      parents.push_back({});
    } else {
      for (const auto& [k, c] : cells[r.repeats[r.key_len - 2]]) parents.push_back(k);
    }
    bool changed = false;
    for (const Key& pk : parents) {
      int want = 0;
      if (RepeatRelevantAt(repeat, pk)) {
        At(repeat, pk);
        auto v = evaluator.EvaluateNumber(r.repeat_count, *this);
        if (!v) Record(v.error(), repeat);
        if (v && *v > 0) want = static_cast<int>(std::min(*v, 10000.0));
      }
      int have = Count(repeat, pk);
      for (int i = have + 1; i <= want; ++i) CreateInstance(repeat, pk, i, created);
      for (int i = have; i > want; --i) RemoveInstance(repeat, pk, i);
      if (want != have) {
        changed = true;
        // Whatever reads a question of the repeat (sum(), count()) sees other values.
        for (int m = repeat; m < r.subtree_end; ++m) {
          created->push_back(m);
          const auto& deps = d->nodes[m].dependents;
          created->insert(created->end(), deps.begin(), deps.end());
        }
      }
    }
    return changed;
  }

  // ---- navigation -----------------------------------------------------------
  Cursor NextSibling(int node, Key key) {
    while (true) {
      const Node& n = d->nodes[node];
      int p = n.parent;
      if (p < 0) {
        if (n.subtree_end < static_cast<int>(d->nodes.size())) return {n.subtree_end, {}, false};
        return {-1, {}, false};
      }
      const Node& parent = d->nodes[p];
      // key is the level key of `node`; a repeat node's level key is its parent's.
      if (n.subtree_end < parent.subtree_end) return {n.subtree_end, key, false};
      if (parent.type == QuestionType::kBeginRepeat) {
        int instance = key.empty() ? 0 : key.back();
        Key parent_key = Prefix(key, key.empty() ? 0 : key.size() - 1);
        if (instance < Count(p, parent_key) && !parent.children.empty()) {
          parent_key.push_back(instance + 1);
          return {parent.children[0], parent_key, false};
        }
        return {p, parent_key, true};
      }
      node = p;
    }
  }

  Pos FindScreen(Cursor c) {
    while (true) {
      if (c.node < 0) return Pos{ScreenKind::kEnd, -1, {}};
      const Node& n = d->nodes[c.node];
      if (n.type == QuestionType::kBeginRepeat) {
        if (!RepeatRelevantAt(c.node, c.key)) {
          c = NextSibling(c.node, c.key);
          continue;
        }
        if (!c.after && Count(c.node, c.key) >= 1 && !n.children.empty()) {
          c.key.push_back(1);
          c.node = n.children[0];
          continue;
        }
        if (n.repeat_count.valid() || n.children.empty()) {
          c = NextSibling(c.node, c.key);
          continue;
        }
        return Pos{ScreenKind::kRepeatPrompt, c.node, c.key};
      }
      const Cell* cell = CellAt(c.node, c.key);
      if (!cell || !cell->relevant) {
        c = NextSibling(c.node, c.key);
        continue;
      }
      if (n.type == QuestionType::kBeginGroup) {
        if (n.field_list) {
          if (!FieldListPrompts(c.node, c.key).empty()) {
            return Pos{ScreenKind::kQuestions, c.node, c.key};
          }
          c = NextSibling(c.node, c.key);
        } else if (!n.children.empty()) {
          c.node = n.children[0];
        } else {
          c = NextSibling(c.node, c.key);
        }
        continue;
      }
      if (n.displayed) return Pos{ScreenKind::kQuestions, c.node, c.key};
      c = NextSibling(c.node, c.key);
    }
  }

  // The displayed, relevant nodes of a field-list group (nested repeats excluded).
  std::vector<int> FieldListPrompts(int group, const Key& key) const {
    std::vector<int> out;
    const Node& g = d->nodes[group];
    for (int m = group + 1; m < g.subtree_end; ++m) {
      const Node& n = d->nodes[m];
      if (!n.displayed || n.key_len != g.key_len) continue;
      const Cell* cell = CellAt(m, key);
      if (cell && cell->relevant) out.push_back(m);
    }
    return out;
  }
  std::vector<int> PromptNodes(const Pos& p) const {
    if (p.kind != ScreenKind::kQuestions) return {};
    if (d->nodes[p.node].type == QuestionType::kBeginGroup) return FieldListPrompts(p.node, p.key);
    return {p.node};
  }
  bool StillValid(const Pos& p) {
    if (p.kind == ScreenKind::kRepeatPrompt) return RepeatRelevantAt(p.node, p.key);
    if (p.kind != ScreenKind::kQuestions) return false;
    const Cell* cell = CellAt(p.node, p.key);
    return cell && cell->relevant && !PromptNodes(p).empty();
  }
  Pos Successor(const Pos& p) {
    if (p.kind == ScreenKind::kEnd) return p;
    return FindScreen(NextSibling(p.node, p.key));
  }

  // ---- choices and texts ----------------------------------------------------
  // The names a select's choice_filter keeps at `key`.
  std::vector<std::string> FilteredNames(int node, const Key& key) {
    std::vector<std::string> allowed;
    std::string names = EvalString(d->nodes[node].choice_filter, node, key);
    for (std::string_view s : text::Split(names, ' ')) {
      if (!s.empty()) allowed.emplace_back(s);
    }
    return allowed;
  }
  // or_other adds "other" (always offered) unless the list has its own "other".
  bool AddsOther(const Node& n) const {
    return n.question >= 0 && form->questions[n.question].or_other &&
           form->choice_lists[n.list].Find("other") == nullptr;
  }
  std::vector<ChoiceView> Choices(int node, const Key& key) {
    const Node& n = d->nodes[node];
    std::vector<ChoiceView> out;
    if (n.list < 0) return out;
    const form::ChoiceList& list = form->choice_lists[n.list];
    bool filtered = n.choice_filter.valid();
    std::vector<std::string> allowed;
    if (filtered) allowed = FilteredNames(node, key);
    for (const form::Choice& c : list.choices) {
      if (filtered && std::find(allowed.begin(), allowed.end(), c.name) == allowed.end()) continue;
      out.push_back({c.name, form->Text(c.label, lang)});
    }
    if (AddsOther(n)) out.push_back({"other", Message(Msg::kOther, lang)});
    return out;
  }
  // `answer` (an answered select with a choice_filter) without the choices the
  // filter no longer offers; nullopt when none is left.
  std::optional<Answer> OfferedOnly(int node, const Key& key, const Answer& answer) {
    const Node& n = d->nodes[node];
    std::vector<std::string> allowed = FilteredNames(node, key);
    bool other = AddsOther(n);
    std::vector<std::string> kept;
    auto offered = [&](std::string_view name) {
      return (other && name == "other") ||
             std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    };
    if (n.type == QuestionType::kSelectOne) {
      if (offered(answer.value)) return answer;
      return std::nullopt;
    }
    for (std::string_view part : text::Split(answer.value, ' ')) {
      if (!part.empty() && offered(part)) kept.emplace_back(part);
    }
    if (kept.empty()) return std::nullopt;
    return Answer::Answered(form::JoinSelected(kept));
  }
  // Replaces each ${name} in a label with the value the name has from this node.
  std::string FillOutputs(const std::string& label, int node, const Key& key) {
    std::string out;
    size_t i = 0;
    while (i < label.size()) {
      size_t open = label.find("${", i);
      size_t close = open == std::string::npos ? open : label.find('}', open);
      if (close == std::string::npos) {
        out.append(label, i, std::string::npos);
        break;
      }
      out.append(label, i, open - i);
      std::string name = label.substr(open + 2, close - open - 2);
      auto it = d->by_name.find(name);
      if (name.starts_with("last-saved#")) {
        // The last saved submission's value: ngosurvey keeps none, so it is ''.
      } else if (it == d->by_name.end()) {
        out.append(label, open, close - open + 1);
      } else {
        At(node, key);
        size_t count = ValueCount(it->second);
        for (size_t v = 0; v < count; ++v) {
          if (v) out += ' ';
          out += ValueAt(it->second, v);
        }
      }
      i = close + 1;
    }
    return out;
  }
  std::string LabelOf(int node) const {
    const Node& n = d->nodes[node];
    if (n.question < 0) return Message(Msg::kSpecifyOther, lang);
    const form::Question& q = form->questions[n.question];
    std::string label = form->Text(q.label, lang);
    return label.empty() ? q.name : label;
  }
  Location Where(int node, std::string_view column) const {
    const Node& n = d->nodes[node];
    if (n.question < 0) return Location{form->file};
    return form->SurveyCell(form->questions[n.question].row, column);
  }
  tl::unexpected<Error> Fail(std::string code, std::string message, int node,
                             std::string_view column = "") const {
    return MakeError(std::move(code), std::move(message),
                     node >= 0 ? Where(node, column) : Location{form->file});
  }

  // ---- setting answers -------------------------------------------------------
  void Apply(int node, const Key& key, std::optional<Answer> answer) {
    Cell* cell = CellAt(node, key);
    cell->aside.reset();
    SetRecord(node, key, *cell, std::move(answer));
    evaluations = 0;
    Run(d->nodes[node].dependents);
  }
  void SetMetadata(QuestionType type, const std::string& value) {
    if (value.empty()) return;
    for (size_t i = 0; i < d->nodes.size(); ++i) {
      if (d->nodes[i].type != type) continue;
      for (auto& [key, cell] : cells[i])
        SetRecord(static_cast<int>(i), key, cell, Answer::Answered(value));
    }
  }
};

Interview::Interview(std::unique_ptr<State> state) : state_(std::move(state)) {}
Interview::~Interview() = default;

namespace {

Result<std::unique_ptr<Interview::State>> NewState(std::shared_ptr<const CompiledForm> compiled,
                                                   const Options& options) {
  auto s = std::make_unique<Interview::State>();
  s->compiled = std::move(compiled);
  s->d = &s->compiled->data();
  s->form = s->d->form;
  s->options = options;
  if (s->options.clock == nullptr) s->options.clock = &SystemClock::Instance();
  s->rng = options.seed != 0 ? options.seed
                             : static_cast<uint64_t>(s->options.clock->NowMillis()) * 2654435761ULL;
  if (options.language.empty()) {
    s->lang = s->form->default_language;
  } else {
    s->lang = s->form->LanguageCode(options.language);
    if (s->lang.empty()) {
      std::string known;
      for (const form::Language& l : s->form->languages)
        known += (known.empty() ? "" : ", ") + l.code;
      return MakeError("IV008",
                       "unknown language \"" + options.language + "\"; the form has: " + known,
                       Location{s->form->file});
    }
  }
  size_t n = s->d->nodes.size();
  s->cells.resize(n);
  s->counts.resize(n);
  s->queued.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = s->d->nodes[i];
    if (node.key_len != 0) continue;
    Cell cell;
    if (!node.displayed && !node.default_literal.empty())
      cell.record = Answer::Answered(node.default_literal);
    s->cells[i].emplace(Key{}, std::move(cell));
    if (s->cells[i].begin()->second.record) s->MarkDirty(static_cast<int>(i), {});
  }
  return s;
}

std::vector<int> AllNodes(const CompiledFormData& d) { return d.order; }

}  // namespace

Result<std::unique_ptr<Interview>> Interview::Start(std::shared_ptr<const CompiledForm> form,
                                                    const Options& options) {
  auto s = NGO_TRY(NewState(std::move(form), options));
  int64_t now = s->options.clock->NowMillis();
  int offset = s->options.clock->UtcOffsetMinutes();
  s->SetMetadata(QuestionType::kStart, date::FormatIsoDateTime(now, offset));
  s->SetMetadata(QuestionType::kToday, date::FormatIsoDateTime(now, offset).substr(0, 10));
  s->SetMetadata(QuestionType::kDeviceId, options.device_id);
  s->SetMetadata(QuestionType::kUsername, options.username);
  // Expression defaults of silent nodes, once, at the start.
  for (size_t i = 0; i < s->d->nodes.size(); ++i) {
    const Node& n = s->d->nodes[i];
    if (n.displayed || !n.default_expr.valid() || n.key_len != 0) continue;
    std::string v = s->EvalString(n.default_expr, static_cast<int>(i), {});
    if (!v.empty())
      s->SetRecord(static_cast<int>(i), {}, s->cells[i].begin()->second, Answer::Answered(v));
  }
  s->Run(AllNodes(*s->d));
  s->cur = s->d->nodes.empty() ? Pos{} : s->FindScreen({0, {}, false});
  std::unique_ptr<Interview> iv(new Interview(std::move(s)));
  iv->Refresh();
  return iv;
}

Result<std::unique_ptr<Interview>> Interview::Resume(
    std::shared_ptr<const CompiledForm> form, const std::map<std::string, form::Answer>& answers,
    const Options& options) {
  auto s = NGO_TRY(NewState(std::move(form), options));
  const CompiledFormData& d = *s->d;
  for (const auto& entry : answers) {
    // Named, not a structured binding: clang before 16 cannot capture those.
    const std::string& path = entry.first;
    const form::Answer& answer = entry.second;
    auto bad = [&](std::string why) {
      return MakeError("IV009", "stored answer \"" + path + "\" " + why, Location{s->form->file});
    };
    auto steps = form::ParseAnswerPath(path);
    if (!steps) return bad("has a malformed path: " + steps.error().message);
    std::string plain;
    Key key;
    for (size_t i = 0; i < steps->size(); ++i) {
      plain += (i ? "/" : "") + (*steps)[i].name;
      if ((*steps)[i].index > 0) key.push_back((*steps)[i].index);
    }
    auto it = d.by_plain_path.find(plain);
    if (it == d.by_plain_path.end()) return bad("is not a question of this form");
    int node = it->second;
    const Node& n = d.nodes[node];
    if (static_cast<int>(key.size()) != n.key_len || n.type == QuestionType::kBeginRepeat ||
        n.type == QuestionType::kBeginGroup) {
      return bad("does not match the form's repeats");
    }
    for (int level = 0; level < n.key_len; ++level) {
      int repeat = n.repeats[level];
      Key parent_key = Prefix(key, level);
      for (int i = s->Count(repeat, parent_key) + 1; i <= key[level]; ++i) {
        s->CreateInstance(repeat, parent_key, i, nullptr);
      }
    }
    Cell* cell = s->CellAt(node, key);
    if (!cell) return bad("does not match the form's repeats");
    cell->record = answer;
    cell->saved = answer;
  }
  s->Run(AllNodes(d));
  // Walk from the start: stop just after the last screen with a stored answer.
  std::vector<Pos> walk;
  int last = -1;
  Pos p = d.nodes.empty() ? Pos{} : s->FindScreen({0, {}, false});
  while (p.kind != ScreenKind::kEnd && walk.size() < d.nodes.size() * 4 + 16) {
    walk.push_back(p);
    for (int node : s->PromptNodes(p)) {
      const Cell* cell = s->CellAt(node, p.key);
      if (cell && cell->saved) last = static_cast<int>(walk.size()) - 1;
    }
    if (p.kind == ScreenKind::kRepeatPrompt) {
      p = s->FindScreen(s->NextSibling(p.node, p.key));
    } else {
      p = s->Successor(p);
    }
  }
  if (last < 0) {
    s->cur = d.nodes.empty() ? Pos{} : s->FindScreen({0, {}, false});
  } else {
    s->history.assign(walk.begin(), walk.begin() + last + 1);
    s->cur = last + 1 < static_cast<int>(walk.size()) ? walk[last + 1] : Pos{};
  }
  std::unique_ptr<Interview> iv(new Interview(std::move(s)));
  iv->Refresh();
  return iv;
}

void Interview::Refresh() {
  State& s = *state_;
  language_ = s.lang;
  Screen screen;
  screen.kind = s.cur.kind;
  // The stable counter: places in form order, not screens passed, so that adding a
  // repeat instance or skipping questions never changes the total.
  screen.question_count = s.d->top_level_places;
  screen.position = screen.question_count;
  if (s.cur.kind != ScreenKind::kEnd) {
    const Node& here = s.d->nodes[s.cur.node];
    int top = here.level < 0 ? s.cur.node : here.repeats[0];
    screen.position = std::min(s.d->nodes[top].ordinal, screen.question_count);
    if (here.level >= 0) {
      auto it = s.d->repeat_question_count.find(here.level);
      screen.repeat_question_count = it == s.d->repeat_question_count.end() ? 0 : it->second;
      screen.repeat_position = std::min(here.ordinal, screen.repeat_question_count);
    }
  }
  if (s.cur.kind != ScreenKind::kEnd) {
    const Node& at = s.d->nodes[s.cur.node];
    // Enclosing groups and repeats (the current field-list group itself is shown too).
    std::vector<int> chain;
    for (int p = s.cur.kind == ScreenKind::kRepeatPrompt ? at.parent
                 : at.type == QuestionType::kBeginGroup  ? s.cur.node
                                                         : at.parent;
         p >= 0; p = s.d->nodes[p].parent) {
      chain.push_back(p);
    }
    std::reverse(chain.begin(), chain.end());
    for (int p : chain) {
      const Node& g = s.d->nodes[p];
      std::string label = s.LabelOf(p);
      if (g.type == QuestionType::kBeginRepeat) {
        size_t level = static_cast<size_t>(g.key_len) - 1;
        if (level < s.cur.key.size()) label += " " + std::to_string(s.cur.key[level]);
      }
      screen.group_path.push_back(std::move(label));
    }
  }
  if (s.cur.kind == ScreenKind::kRepeatPrompt) {
    screen.repeat_node = s.cur.node;
    screen.repeat_label = s.LabelOf(s.cur.node);
    screen.repeat_instance = s.Count(s.cur.node, s.cur.key) + 1;
  }
  for (int node : s.PromptNodes(s.cur)) {
    const Node& n = s.d->nodes[node];
    Prompt p;
    p.node = node;
    p.path = s.Path(node, s.cur.key);
    p.name = n.name;
    p.type = n.type;
    p.type_name = std::string(form::TypeName(n.type));
    if (n.question >= 0) {
      const form::Question& q = s.form->questions[n.question];
      p.label = s.FillOutputs(s.LabelOf(node), node, s.cur.key);
      p.hint = s.FillOutputs(s.form->Text(q.hint, s.lang), node, s.cur.key);
    } else {
      p.label = s.LabelOf(node);
    }
    p.choices = s.Choices(node, s.cur.key);
    p.required = n.input && s.Required(node, s.cur.key);
    p.multiple = n.type == QuestionType::kSelectMultiple || n.type == QuestionType::kRank;
    p.can_refuse = n.can_refuse;
    p.can_dont_know = n.can_dont_know;
    p.supported = n.supported;
    if (!n.supported) p.unsupported = Message(Msg::kUnsupported, s.lang, p.type_name);
    const Cell* cell = s.CellAt(node, s.cur.key);
    if (cell && cell->record) {
      p.answer = cell->record;
    } else if (!n.default_literal.empty()) {
      p.answer = Answer::Answered(n.default_literal);  // proposed; recorded by Next()
    }
    screen.prompts.push_back(std::move(p));
  }
  screen_ = std::move(screen);
}

Status Interview::Set(int prompt, std::string_view raw) {
  State& s = *state_;
  if (screen_.kind != ScreenKind::kQuestions || prompt < 0 ||
      prompt >= static_cast<int>(screen_.prompts.size())) {
    return MakeError("IV006", "no question " + std::to_string(prompt + 1) + " on this screen",
                     Location{s.form->file});
  }
  NGO_TRY(SetNode(screen_.prompts[prompt].node, s.cur.key, raw));
  Refresh();
  return Ok();
}

Status Interview::SetAt(std::string_view name_or_path, std::string_view value) {
  State& s = *state_;
  auto missing = [&](std::string why) {
    return MakeError("IV012", "\"" + std::string(name_or_path) + "\" " + why,
                     Location{s.form->file});
  };
  int node = -1;
  Key key;
  if (name_or_path.find('/') == std::string_view::npos &&
      name_or_path.find('[') == std::string_view::npos) {
    auto it = s.d->by_name.find(std::string(name_or_path));
    if (it == s.d->by_name.end()) return missing("is not a question of this form");
    node = it->second;
    if (s.d->nodes[node].key_len != 0)
      return missing("is inside a repeat: give its path, e.g. " + s.d->nodes[node].steps[0] +
                     "[1]/...");
  } else {
    auto steps = form::ParseAnswerPath(name_or_path);
    if (!steps) return missing("is not a valid path");
    std::string plain;
    for (size_t i = 0; i < steps->size(); ++i) {
      plain += (i ? "/" : "") + (*steps)[i].name;
      if ((*steps)[i].index > 0) key.push_back((*steps)[i].index);
    }
    auto it = s.d->by_plain_path.find(plain);
    if (it == s.d->by_plain_path.end()) return missing("is not a question of this form");
    node = it->second;
  }
  const Cell* cell = s.CellAt(node, key);
  if (!cell || !s.d->nodes[node].input)
    return missing("is not a question that takes an answer here");
  if (!cell->relevant) return missing("does not apply to this interview (its relevance is false)");
  if (value == ":refused" || value == ":dont_know") {
    bool refused = value == ":refused";
    const Node& n = s.d->nodes[node];
    if (refused ? !n.can_refuse : !n.can_dont_know) {
      return s.Fail("IV005", Message(refused ? Msg::kNoRefuse : Msg::kNoDontKnow, s.lang), node);
    }
    s.Apply(node, key, refused ? Answer::Refused() : Answer::DontKnow());
  } else {
    NGO_TRY(SetNode(node, key, value));
  }
  Refresh();
  return Ok();
}

Status Interview::SetNode(int node, const std::vector<int>& key_in, std::string_view raw) {
  State& s = *state_;
  const Node& n = s.d->nodes[node];
  const Key& key = key_in;
  if (!n.supported)
    return s.Fail("IV007", Message(Msg::kUnsupported, s.lang, form::TypeName(n.type)), node,
                  "type");
  if (!n.input) return s.Fail("IV001", Message(Msg::kNoteNoAnswer, s.lang), node, "type");
  // Typed text reaches the store only as UTF-8 (a stray byte from a terminal in
  // another encoding would make every later JSON listing of the store fail).
  if (!text::IsValidUtf8(raw)) return s.Fail("IV013", Message(Msg::kNotUtf8, s.lang), node, "type");
  std::string_view value = text::Trim(raw);
  if (value.empty()) {
    s.Apply(node, key, std::nullopt);
    return Ok();
  }
  std::string canonical;
  bool select = n.type == QuestionType::kSelectOne || n.type == QuestionType::kSelectMultiple ||
                n.type == QuestionType::kRank;
  if (select) {
    std::vector<ChoiceView> choices = s.Choices(node, key);
    auto known = [&](std::string_view name) {
      return std::any_of(choices.begin(), choices.end(),
                         [&](const ChoiceView& c) { return c.name == name; });
    };
    std::vector<std::string> names;
    for (std::string_view part :
         text::Split(value, n.type == QuestionType::kSelectOne ? '\n' : ' ')) {
      part = text::Trim(part);
      if (part.empty()) continue;
      if (!known(part))
        return s.Fail("IV002", Message(Msg::kNotChoice, s.lang, part), node, "type");
      if (std::find(names.begin(), names.end(), part) != names.end()) {
        return s.Fail("IV002", Message(Msg::kChosenTwice, s.lang, part), node, "type");
      }
      names.emplace_back(part);
    }
    canonical = form::JoinSelected(names);
  } else {
    const std::string& parameters = n.question >= 0 ? s.form->questions[n.question].parameters : "";
    Canonical c = CanonicalValue(n.type, raw, parameters);
    if (!c.ok) return s.Fail("IV001", Message(c.msg, s.lang, c.arg1, c.arg2), node, "type");
    canonical = std::move(c.value);
  }
  if (n.constraint.valid()) {
    s.use_candidate = true;
    s.candidate = canonical;
    bool ok = s.EvalBool(n.constraint, node, key, true);
    s.use_candidate = false;
    if (!ok) {
      std::string message = s.form->Text(s.form->questions[n.question].constraint_message, s.lang);
      if (message.empty()) message = Message(Msg::kConstraint, s.lang);
      return s.Fail("IV003", message, node, "constraint");
    }
  }
  // The form's own codes for the non-answers become their states.
  Answer answer = Answer::Answered(canonical);
  if (select && n.list_has_refused && canonical == s.d->refused_code) answer = Answer::Refused();
  if (select && n.list_has_dont_know && canonical == s.d->dont_know_code)
    answer = Answer::DontKnow();
  s.Apply(node, key, std::move(answer));
  return Ok();
}

Status Interview::Refuse(int prompt) {
  State& s = *state_;
  if (screen_.kind != ScreenKind::kQuestions || prompt < 0 ||
      prompt >= static_cast<int>(screen_.prompts.size())) {
    return MakeError("IV006", "no question to refuse on this screen", Location{s.form->file});
  }
  int node = screen_.prompts[prompt].node;
  if (!s.d->nodes[node].can_refuse) return s.Fail("IV005", Message(Msg::kNoRefuse, s.lang), node);
  s.Apply(node, s.cur.key, Answer::Refused());
  Refresh();
  return Ok();
}

Status Interview::DontKnow(int prompt) {
  State& s = *state_;
  if (screen_.kind != ScreenKind::kQuestions || prompt < 0 ||
      prompt >= static_cast<int>(screen_.prompts.size())) {
    return MakeError("IV006", "no question on this screen", Location{s.form->file});
  }
  int node = screen_.prompts[prompt].node;
  if (!s.d->nodes[node].can_dont_know) {
    return s.Fail("IV005", Message(Msg::kNoDontKnow, s.lang), node);
  }
  s.Apply(node, s.cur.key, Answer::DontKnow());
  Refresh();
  return Ok();
}

Status Interview::Next() {
  State& s = *state_;
  if (s.cur.kind == ScreenKind::kEnd) return Ok();
  if (s.cur.kind == ScreenKind::kRepeatPrompt) {
    s.history.push_back(s.cur);
    s.cur = s.FindScreen(s.NextSibling(s.cur.node, s.cur.key));
    Refresh();
    return Ok();
  }
  std::vector<int> prompts = s.PromptNodes(s.cur);
  // Check every prompt first, so that a refused Next changes nothing.
  for (int node : prompts) {
    const Node& n = s.d->nodes[node];
    if (!n.input || !n.supported) continue;
    const Cell* cell = s.CellAt(node, s.cur.key);
    bool answered = cell && cell->record && cell->record->state != AnswerState::kMissing &&
                    cell->record->state != AnswerState::kNotAsked;
    if (!answered && n.default_literal.empty() && s.Required(node, s.cur.key)) {
      std::string message;
      if (n.question >= 0)
        message = s.form->Text(s.form->questions[n.question].required_message, s.lang);
      if (message.empty()) message = Message(Msg::kRequired, s.lang);
      // Several questions on the screen: the message says which, by its label (the
      // name is for developers; `where` keeps the cell).
      if (prompts.size() > 1) message = s.LabelOf(node) + ": " + message;
      return s.Fail("IV004", message, node, "required");
    }
  }
  for (int node : prompts) {
    const Node& n = s.d->nodes[node];
    if (!n.input) continue;
    Cell* cell = s.CellAt(node, s.cur.key);
    if (!cell || cell->record) continue;
    if (n.supported && !n.default_literal.empty()) {
      s.Apply(node, s.cur.key, Answer::Answered(n.default_literal));
    } else {
      s.SetRecord(node, s.cur.key, *cell, Answer::Missing());
    }
  }
  s.history.push_back(s.cur);
  s.cur = s.Successor(s.cur);
  Refresh();
  return Ok();
}

Status Interview::AddRepeat() {
  State& s = *state_;
  if (s.cur.kind != ScreenKind::kRepeatPrompt) {
    return MakeError("IV006", "not at a repeat prompt", Location{s.form->file});
  }
  int repeat = s.cur.node;
  int index = s.Count(repeat, s.cur.key) + 1;
  std::vector<int> created;
  s.CreateInstance(repeat, s.cur.key, index, &created);
  std::vector<int> seeds = created;
  seeds.insert(seeds.end(), s.d->nodes[repeat].dependents.begin(),
               s.d->nodes[repeat].dependents.end());
  s.evaluations = 0;
  s.Run(seeds);
  s.history.push_back(s.cur);
  Key key = s.cur.key;
  key.push_back(index);
  s.cur = s.FindScreen({s.d->nodes[repeat].children[0], key, false});
  Refresh();
  return Ok();
}

Status Interview::RemoveRepeat(std::string_view repeat_name, int instance) {
  State& s = *state_;
  auto it = s.d->by_name.find(std::string(repeat_name));
  if (it == s.d->by_name.end() || s.d->nodes[it->second].type != QuestionType::kBeginRepeat) {
    return MakeError("IV006", Message(Msg::kNotInRepeat, s.lang, repeat_name),
                     Location{s.form->file});
  }
  int repeat = it->second;
  const Node& r = s.d->nodes[repeat];
  size_t level = static_cast<size_t>(r.key_len) - 1;
  if (r.repeat_count.valid() || s.cur.key.size() < level) {
    return s.Fail("IV006", Message(Msg::kNotInRepeat, s.lang, repeat_name), repeat, "repeat_count");
  }
  Key parent_key = Prefix(s.cur.key, level);
  if (instance < 1 || instance > s.Count(repeat, parent_key)) {
    return s.Fail("IV006", Message(Msg::kNoInstance, s.lang, std::to_string(instance), repeat_name),
                  repeat);
  }
  s.RemoveInstance(repeat, parent_key, instance);
  std::vector<int> seeds;
  for (int m = repeat; m < r.subtree_end; ++m) {
    seeds.insert(seeds.end(), s.d->nodes[m].dependents.begin(), s.d->nodes[m].dependents.end());
  }
  s.evaluations = 0;
  s.Run(seeds);
  // Positions inside the removed instance are gone; later instances moved down.
  auto fix = [&](Pos& p) -> bool {
    if (p.key.size() <= level || !StartsWith(p.key, parent_key)) return true;
    bool inside = p.node > repeat && p.node < r.subtree_end;
    if (!inside) return true;
    if (p.key[level] == instance) return false;
    if (p.key[level] > instance) --p.key[level];
    return true;
  };
  std::vector<Pos> kept;
  for (Pos& p : s.history) {
    if (fix(p)) kept.push_back(p);
  }
  s.history = std::move(kept);
  if (!fix(s.cur)) s.cur = s.FindScreen({repeat, parent_key, true});
  Refresh();
  return Ok();
}

Status Interview::Back() {
  State& s = *state_;
  while (!s.history.empty()) {
    Pos p = s.history.back();
    s.history.pop_back();
    if (s.StillValid(p)) {
      s.cur = p;
      Refresh();
      return Ok();
    }
  }
  Refresh();
  return MakeError("IV006", Message(Msg::kFirstScreen, s.lang), Location{s.form->file});
}

Status Interview::JumpTo(std::string_view name) {
  State& s = *state_;
  for (size_t i = s.history.size(); i-- > 0;) {
    const Pos& p = s.history[i];
    std::vector<int> nodes = s.PromptNodes(p);
    bool match = std::any_of(nodes.begin(), nodes.end(),
                             [&](int n) { return s.d->nodes[n].name == name; }) ||
                 (p.node >= 0 && s.d->nodes[p.node].name == name);
    if (match && s.StillValid(p)) {
      s.cur = p;
      s.history.resize(i);
      Refresh();
      return Ok();
    }
  }
  return MakeError("IV006", Message(Msg::kNotEarlier, s.lang, name), Location{s.form->file});
}

Status Interview::SetLanguage(std::string_view language) {
  State& s = *state_;
  std::string code = s.form->LanguageCode(language);
  if (code.empty()) {
    std::string known;
    for (const form::Language& l : s.form->languages) known += (known.empty() ? "" : ", ") + l.code;
    return MakeError("IV008",
                     "unknown language \"" + std::string(language) + "\"; the form has: " + known,
                     Location{s.form->file});
  }
  s.lang = code;
  Refresh();
  return Ok();
}

Status Interview::Complete() {
  State& s = *state_;
  if (complete_)
    return MakeError("IV010", "the interview is already complete", Location{s.form->file});
  if (s.cur.kind != ScreenKind::kEnd) {
    return MakeError("IV010", "the interview is not at its end", Location{s.form->file});
  }
  int64_t now = s.options.clock->NowMillis();
  s.SetMetadata(QuestionType::kEnd,
                date::FormatIsoDateTime(now, s.options.clock->UtcOffsetMinutes()));
  for (size_t i = 0; i < s.d->nodes.size(); ++i) {
    const Node& n = s.d->nodes[i];
    if (n.type == QuestionType::kBeginGroup || n.type == QuestionType::kBeginRepeat ||
        n.type == QuestionType::kNote) {
      continue;
    }
    for (auto& [key, cell] : s.cells[i]) {
      if (cell.record) continue;
      s.SetRecord(static_cast<int>(i), key, cell,
                  cell.relevant ? Answer::Missing() : Answer::NotAsked());
    }
  }
  complete_ = true;
  Refresh();
  return Ok();
}

std::vector<ReviewItem> Interview::Review() const {
  const State& s = *state_;
  struct Sorted {
    std::vector<int> order;  // (repeat node, instance) per enclosing repeat, then the node
    ReviewItem item;
  };
  std::vector<Sorted> all;
  for (size_t i = 0; i < s.d->nodes.size(); ++i) {
    const Node& n = s.d->nodes[i];
    if (n.type == QuestionType::kBeginGroup || n.type == QuestionType::kBeginRepeat ||
        n.type == QuestionType::kNote) {
      continue;
    }
    for (const auto& [key, cell] : s.cells[i]) {
      Sorted sorted;
      ReviewItem& item = sorted.item;
      item.path = s.Path(static_cast<int>(i), key);
      item.name = n.name;
      item.label = s.LabelOf(static_cast<int>(i));
      item.relevant = cell.relevant;
      item.displayed = n.displayed;
      if (cell.record) {
        item.state = cell.record->state;
        if (item.state == AnswerState::kAnswered) item.value = cell.record->value;
      } else {
        item.state = cell.relevant ? AnswerState::kMissing : AnswerState::kNotAsked;
      }
      item.shown = item.value;
      if (n.type == QuestionType::kDate && !item.value.empty()) {
        item.shown = words::DateInWords(item.value, s.lang);
      }
      if (n.list >= 0 && !item.value.empty()) {
        const form::ChoiceList& list = s.form->choice_lists[n.list];
        item.shown.clear();
        for (const std::string& name : form::SplitSelected(item.value)) {
          const form::Choice* c = list.Find(name);
          std::string label = c                 ? s.form->Text(c->label, s.lang)
                              : name == "other" ? Message(Msg::kOther, s.lang)
                                                : name;
          item.shown += (item.shown.empty() ? "" : ", ") + (label.empty() ? name : label);
        }
      }
      // Enclosing groups and repeats as labels, repeats with their instance number.
      std::vector<int> chain;
      for (int p = n.parent; p >= 0; p = s.d->nodes[p].parent) chain.push_back(p);
      std::reverse(chain.begin(), chain.end());
      for (int p : chain) {
        const Node& g = s.d->nodes[p];
        std::string label = s.LabelOf(p);
        if (g.type == QuestionType::kBeginRepeat) {
          int instance = key[static_cast<size_t>(g.key_len) - 1];
          label += " " + std::to_string(instance);
          sorted.order.push_back(p);
          sorted.order.push_back(instance);
        }
        item.group_path.push_back(std::move(label));
      }
      sorted.order.push_back(static_cast<int>(i));
      all.push_back(std::move(sorted));
    }
  }
  // Form order, each repeat instance's questions together: (repeat, instance) pairs
  // sort before the node, so prog[1]/a, prog[1]/b come before prog[2]/a.
  std::stable_sort(all.begin(), all.end(),
                   [](const Sorted& a, const Sorted& b) { return a.order < b.order; });
  std::vector<ReviewItem> out;
  out.reserve(all.size());
  for (Sorted& sorted : all) out.push_back(std::move(sorted.item));
  return out;
}

std::vector<Change> Interview::TakeChanges() {
  State& s = *state_;
  std::map<std::string, Change> by_path;
  for (std::string& path : s.removed) by_path[path] = Change{path, std::nullopt};
  for (const auto& [node, key] : s.dirty) {
    Cell* cell = s.CellAt(node, key);
    if (!cell || cell->record == cell->saved) continue;
    std::string path = s.Path(node, key);
    by_path[path] = Change{path, cell->record};
    cell->saved = cell->record;
  }
  s.removed.clear();
  s.dirty.clear();
  std::vector<Change> out;
  out.reserve(by_path.size());
  for (auto& [path, change] : by_path) {
    // A removal of a path that never reached the caller is no change.
    out.push_back(std::move(change));
  }
  return out;
}

std::map<std::string, form::Answer> Interview::Answers() const {
  const State& s = *state_;
  std::map<std::string, form::Answer> out;
  for (size_t i = 0; i < s.d->nodes.size(); ++i) {
    for (const auto& [key, cell] : s.cells[i]) {
      if (cell.record) out[s.Path(static_cast<int>(i), key)] = *cell.record;
    }
  }
  return out;
}

std::string Interview::ValueOf(std::string_view name) const {
  State& s = *state_;
  auto it = s.d->by_name.find(std::string(name));
  if (it == s.d->by_name.end()) return "";
  s.At(s.cur.node >= 0 ? s.cur.node : 0, s.cur.key);
  if (s.d->nodes.empty()) return "";
  size_t count = s.ValueCount(it->second);
  std::string out;
  for (size_t v = 0; v < count; ++v) {
    if (v) out += ' ';
    out += s.ValueAt(it->second, v);
  }
  return out;
}

const std::vector<Error>& Interview::evaluation_errors() const { return state_->errors; }
int Interview::last_evaluations() const { return state_->evaluations; }

}  // namespace ngosurvey::interview
