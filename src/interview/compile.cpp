// CompileForm: the form's questions become nodes (plus a synthetic "NAME_other"
// text after each or_other select), every expression is bound once against the
// nodes (slot = node index), and the dependency graph and topological order of
// evaluation are built once, so that an answer re-evaluates only what reads it.
#include <algorithm>
#include <deque>

#include "base/text.h"
#include "form/appearance.h"
#include "interview/interview_internal.h"

namespace ngosurvey::interview {
namespace {

using form::QuestionType;
namespace ex = form::expr;

ex::TypeHint HintOf(QuestionType type) {
  switch (type) {
    case QuestionType::kInteger:
    case QuestionType::kDecimal:
    case QuestionType::kRange:
      return ex::TypeHint::kNumber;
    case QuestionType::kDate:
    case QuestionType::kToday:
      return ex::TypeHint::kDate;
    case QuestionType::kDateTime:
    case QuestionType::kStart:
    case QuestionType::kEnd:
      return ex::TypeHint::kDateTime;
    case QuestionType::kTime:
      return ex::TypeHint::kTime;
    case QuestionType::kSelectOne:
    case QuestionType::kSelectOneFromFile:
      return ex::TypeHint::kSelectOne;
    case QuestionType::kSelectMultiple:
    case QuestionType::kSelectMultipleFromFile:
    case QuestionType::kRank:
      return ex::TypeHint::kSelectMultiple;
    case QuestionType::kBeginRepeat:
      return ex::TypeHint::kRepeat;
    case QuestionType::kBeginGroup:
      return ex::TypeHint::kGroup;
    case QuestionType::kCalculate:
    case QuestionType::kHidden:
      return ex::TypeHint::kUnknown;
    default:
      return ex::TypeHint::kString;
  }
}

bool IsNo(std::string_view text) {
  std::string lower = text::AsciiLower(text::Trim(text));
  return lower == "no" || lower == "false" || lower == "false()" || lower == "0";
}

class NodeResolver final : public ex::NameResolver {
 public:
  explicit NodeResolver(const CompiledFormData& data) : data_(data) {}
  std::optional<ex::Symbol> Resolve(std::string_view name) const override {
    auto it = data_.by_name.find(std::string(name));
    if (it == data_.by_name.end()) return std::nullopt;
    return ex::Symbol{it->second, data_.nodes[it->second].hint};
  }
  std::optional<int> ResolveInstance(std::string_view id) const override {
    const auto& lists = data_.form->choice_lists;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (lists[i].name == id) return static_cast<int>(i);
    }
    return std::nullopt;
  }

 private:
  const CompiledFormData& data_;
};

// The engines that the interview can capture beyond Traits().interview_ready.
bool Captured(QuestionType type) {
  return form::Traits(type).interview_ready || type == QuestionType::kRank ||
         type == QuestionType::kBarcode;
}

// ---- CompileForm's steps -----------------------------------------------------------

// The form-wide answers allowed (settings allow_refused / allow_dont_know, "yes" when
// absent) and the codes that stand for them (missing_refused / missing_dont_know).
struct NonAnswerSettings {
  bool allow_refused = true, allow_dont_know = true;
};

NonAnswerSettings ReadNonAnswerSettings(const form::Form& form, CompiledFormData* data) {
  const auto& settings = form.settings.values;
  auto setting = [&](const char* key) -> std::string {
    auto it = settings.find(key);
    return it == settings.end() ? "" : std::string(text::Trim(it->second));
  };
  if (!setting("missing_refused").empty()) data->refused_code = setting("missing_refused");
  if (!setting("missing_dont_know").empty()) data->dont_know_code = setting("missing_dont_know");
  NonAnswerSettings out;
  out.allow_refused = !IsNo(setting("allow_refused").empty() ? "yes" : setting("allow_refused"));
  out.allow_dont_know =
      !IsNo(setting("allow_dont_know").empty() ? "yes" : setting("allow_dont_know"));
  return out;
}

// The node of one question: what it displays and accepts, its choice list.
Node MakeNode(const form::Form& form, const form::Question& q, int parent,
              const NonAnswerSettings& allowed, const CompiledFormData& data) {
  Node n;
  n.question = q.index;
  n.type = q.type;
  n.name = q.name;
  n.parent = parent;
  n.hint = HintOf(q.type);
  form::TypeTraits traits = form::Traits(q.type);
  bool container = q.is_container();
  n.displayed = !container && !traits.metadata && q.type != QuestionType::kCalculate &&
                q.type != QuestionType::kHidden;
  n.input = n.displayed && q.type != QuestionType::kNote;
  n.supported = (container && !q.is_loop()) || Captured(q.type);
  n.field_list = form::IsOneScreenGroup(q);
  const std::string* own_refused = q.ExtraColumn("allow_refused");
  const std::string* own_dk = q.ExtraColumn("allow_dont_know");
  n.can_refuse =
      n.input && n.supported && (own_refused ? !IsNo(*own_refused) : allowed.allow_refused);
  n.can_dont_know = n.input && n.supported && (own_dk ? !IsNo(*own_dk) : allowed.allow_dont_know);
  if (traits.has_list) {
    const auto& lists = form.choice_lists;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (lists[i].name == q.list_name) n.list = static_cast<int>(i);
    }
    if (n.list >= 0) {
      n.list_has_refused = lists[n.list].Find(data.refused_code) != nullptr;
      n.list_has_dont_know = lists[n.list].Find(data.dont_know_code) != nullptr;
    }
  }
  return n;
}

// Nodes, in sheet order (which is pre-order: children follow their parent), with a
// "NAME_other" text node after each or_other select.
void MakeNodes(const form::Form& form, const NonAnswerSettings& allowed, CompiledFormData* data) {
  std::vector<int> node_of(form.questions.size(), -1);
  std::vector<Node>& nodes = data->nodes;
  for (const form::Question& q : form.questions) {
    int parent = q.parent >= 0 ? node_of[q.parent] : -1;
    node_of[q.index] = static_cast<int>(nodes.size());
    nodes.push_back(MakeNode(form, q, parent, allowed, *data));
    bool select = q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple;
    if (q.or_other && select) {
      Node other;
      other.type = QuestionType::kText;
      other.name = q.name + "_other";
      other.parent = nodes.back().parent;
      other.displayed = other.input = true;
      other.can_refuse = nodes.back().can_refuse;
      other.can_dont_know = nodes.back().can_dont_know;
      other.required_constant = true;
      nodes.push_back(std::move(other));
    }
  }
}

// Each node's place in the tree: children, path steps and repeats, its level (the
// innermost enclosing repeat), its ordinal among the places of its level, and the end
// of its subtree; the name and path indexes.
void PlaceNodes(CompiledFormData* data) {
  std::vector<Node>& nodes = data->nodes;
  int top_level_seen = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (n.parent >= 0) nodes[n.parent].children.push_back(static_cast<int>(i));
    if (n.parent >= 0) {
      n.steps = nodes[n.parent].steps;
      n.step_is_repeat = nodes[n.parent].step_is_repeat;
      n.repeats = nodes[n.parent].repeats;
    }
    n.steps.push_back(n.name);
    n.step_is_repeat.push_back(n.type == QuestionType::kBeginRepeat);
    if (n.type == QuestionType::kBeginRepeat) n.repeats.push_back(static_cast<int>(i));
    n.key_len = static_cast<int>(n.repeats.size());
    for (size_t s = 0; s < n.steps.size(); ++s) {
      n.plain_path += (s ? "/" : "") + n.steps[s];
    }
    data->by_name.emplace(n.name, static_cast<int>(i));
    data->by_plain_path.emplace(n.plain_path, static_cast<int>(i));
    // The level: the innermost enclosing repeat, not counting the node itself.
    size_t enclosing = n.repeats.size() - (n.type == QuestionType::kBeginRepeat ? 1 : 0);
    n.level = enclosing > 0 ? n.repeats[enclosing - 1] : -1;
    // A repeat takes one place at its level, whatever its instances hold; a group
    // takes its first question's.
    bool counted = n.displayed || n.type == QuestionType::kBeginRepeat;
    int& seen = n.level < 0 ? top_level_seen : data->repeat_question_count[n.level];
    if (counted) ++seen;
    n.ordinal = counted ? seen : seen + 1;
  }
  data->top_level_places = top_level_seen;
  for (size_t i = nodes.size(); i-- > 0;) {
    Node& n = nodes[i];
    n.subtree_end = std::max<int>(n.subtree_end, static_cast<int>(i) + 1);
    if (n.parent >= 0) {
      nodes[n.parent].subtree_end = std::max(nodes[n.parent].subtree_end, n.subtree_end);
    }
  }
}

// Choice lists as secondary instances for choice_filter and instance('list').
void MakeChoiceInstances(const form::Form& form, CompiledFormData* data) {
  for (const form::ChoiceList& list : form.choice_lists) {
    ex::SecondaryInstance inst;
    inst.fields = {"name", "label"};
    for (const form::Language& lang : form.languages) inst.fields.push_back("label::" + lang.code);
    std::vector<std::string> extra;
    for (const form::Choice& c : list.choices) {
      for (const auto& [header, value] : c.extra_columns) {
        if (std::find(extra.begin(), extra.end(), header) == extra.end()) extra.push_back(header);
      }
    }
    inst.fields.insert(inst.fields.end(), extra.begin(), extra.end());
    for (const form::Choice& c : list.choices) {
      std::vector<std::string> row = {c.name, form.Text(c.label)};
      for (const form::Language& lang : form.languages) {
        auto it = c.label.find(lang.code);
        row.push_back(it == c.label.end() ? "" : it->second);
      }
      for (const std::string& header : extra) {
        const std::string* v = c.ExtraColumn(header);
        row.push_back(v ? *v : "");
      }
      inst.items.push_back(std::move(row));
    }
    data->instances.push_back(std::move(inst));
  }
}

// Every expression of every node, bound once against the nodes (IV011 at the cell).
Status BindExpressions(const form::Form& form, CompiledFormData* data) {
  std::vector<Node>& nodes = data->nodes;
  NodeResolver resolver(*data);
  auto bind = [&](const form::Question* q, std::string_view column,
                  const std::string& text) -> Result<ex::BoundExpr> {
    auto bound = ex::Compile(text, resolver);
    if (bound) return *bound;
    Error e = bound.error();
    e.message = std::string(column) + ": " + e.code + ": " + e.message;
    e.code = "IV011";
    Location where = q ? form.SurveyCell(q->row, column) : Location{form.file};
    where.expression = e.where.expression;
    where.expr_offset = e.where.expr_offset;
    e.where = std::move(where);
    return tl::unexpected(std::move(e));
  };
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (n.question < 0) {  // "_other": relevant when "other" is chosen
      const Node& select = nodes[i - 1];
      n.relevant = NGO_TRY(bind(nullptr, "relevant", "selected(${" + select.name + "}, 'other')"));
      continue;
    }
    const form::Question& q = form.questions[n.question];
    if (!q.relevant.empty()) n.relevant = NGO_TRY(bind(&q, "relevant", q.relevant));
    if (!q.constraint.empty()) n.constraint = NGO_TRY(bind(&q, "constraint", q.constraint));
    if (!q.calculation.empty()) n.calculation = NGO_TRY(bind(&q, "calculation", q.calculation));
    if (!q.repeat_count.empty() && q.is_repeat()) {
      n.repeat_count = NGO_TRY(bind(&q, "repeat_count", q.repeat_count));
    }
    if (!q.choice_filter.empty() && n.list >= 0) {
      std::string text = "join(' ', instance('" + form.choice_lists[n.list].name + "')/root/item[" +
                         q.choice_filter + "]/name)";
      n.choice_filter = NGO_TRY(bind(&q, "choice_filter", text));
    }
    if (q.IsRequiredConstant()) {
      n.required_constant = true;
    } else if (!q.required.empty() && !IsNo(q.required)) {
      n.required = NGO_TRY(bind(&q, "required", q.required));
      n.has_required_expr = true;
    }
    if (!q.default_value.empty()) {
      bool expression = q.default_value.find("${") != std::string::npos ||
                        q.default_value.find('(') != std::string::npos;
      if (expression) {
        n.default_expr = NGO_TRY(bind(&q, "default", q.default_value));
      } else {
        n.default_literal = q.default_value;
      }
    }
  }
  return Ok();
}

// The dependency graph: an expression's reads, plus parent -> child (relevance is
// inherited). Then Kahn's topological order; nodes on a cycle (which validation
// reports) follow in sheet order. Sets each node's dependents and rank, and order.
void OrderByDependencies(CompiledFormData* data) {
  std::vector<Node>& nodes = data->nodes;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    for (const ex::BoundExpr* e :
         {&n.relevant, &n.calculation, &n.repeat_count, &n.choice_filter}) {
      if (!e->valid()) continue;
      for (int slot : e->dependencies()) nodes[slot].dependents.push_back(static_cast<int>(i));
    }
    if (n.parent >= 0) nodes[n.parent].dependents.push_back(static_cast<int>(i));
  }
  std::vector<int> indegree(nodes.size(), 0);
  for (Node& n : nodes) {
    std::sort(n.dependents.begin(), n.dependents.end());
    n.dependents.erase(std::unique(n.dependents.begin(), n.dependents.end()), n.dependents.end());
    for (int d : n.dependents) ++indegree[d];
  }
  std::deque<int> ready;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (indegree[i] == 0) ready.push_back(static_cast<int>(i));
  }
  std::vector<bool> placed(nodes.size(), false);
  while (!ready.empty()) {
    int n = ready.front();
    ready.pop_front();
    placed[n] = true;
    data->order.push_back(n);
    for (int d : nodes[n].dependents) {
      if (--indegree[d] == 0) ready.push_back(d);
    }
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!placed[i]) data->order.push_back(static_cast<int>(i));
  }
  for (size_t r = 0; r < data->order.size(); ++r) nodes[data->order[r]].rank = static_cast<int>(r);
}

}  // namespace

const form::Form& CompiledForm::form() const { return *data_->form; }
int CompiledForm::node_count() const { return static_cast<int>(data_->nodes.size()); }

Result<std::shared_ptr<const CompiledForm>> CompileForm(const form::Form& form) {
  auto data = std::make_shared<CompiledFormData>();
  data->form = &form;
  NonAnswerSettings allowed = ReadNonAnswerSettings(form, data.get());
  MakeNodes(form, allowed, data.get());
  PlaceNodes(data.get());
  MakeChoiceInstances(form, data.get());
  NGO_TRY(BindExpressions(form, data.get()));
  OrderByDependencies(data.get());
  return std::make_shared<const CompiledForm>(std::move(data));
}

}  // namespace ngosurvey::interview
