#include "analysis/load_store.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "analysis/units.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;
using form::AnswerState;
using form::Question;
using form::QuestionType;

// "/data/grp/q" -> "grp/q": the store's answer path of a question outside repeats.
std::string AnswerPath(const Question& q) {
  std::string_view path = q.path;
  if (path.starts_with("/")) path.remove_prefix(1);
  size_t slash = path.find('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// "/data/grp/members/m_sex" relative to "/data/grp/members": "m_sex".
std::string PathBelow(const Question& q, const Question& node) {
  return q.path.substr(std::min(q.path.size(), node.path.size() + 1));
}

// One row of the dataset: a submission, and at each level of the chain from the top to
// the unit (outermost first), the answer path prefix of the instance ("" at the top,
// "grp/members[2]/" for a member, "grp/members[2]/trips[1]/" for one of its trips).
struct UnitRow {
  const store::Submission* submission = nullptr;
  std::vector<std::string> prefixes;
  std::vector<uint32_t> from;  // its row at each level of the chain (Lineage)
};

// The instance numbers of repeat `repeat` stored under `parent_prefix` in `answers`,
// in order: answer paths "PREFIX" + the repeat's path from its parent + "[N]/...".
std::vector<int> InstanceNumbers(const store::Answers& answers, const std::string& start) {
  std::set<int> numbers;
  for (auto it = answers.lower_bound(start); it != answers.end(); ++it) {
    std::string_view key = it->first;
    if (!key.starts_with(start)) break;
    key.remove_prefix(start.size());
    int n = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
    if (ec == std::errc() && n > 0 && end < key.data() + key.size() && *end == ']') {
      numbers.insert(n);
    }
  }
  return {numbers.begin(), numbers.end()};
}

Result<std::string> PickForm(const store::Store& store, const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  auto forms = NGO_TRY(store.ListForms());
  std::set<std::string> ids;
  for (const auto& f : forms) ids.insert(f.form_id);
  if (ids.size() == 1) return *ids.begin();
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
  return MakeError("D010", ids.empty() ? "the store holds no form"
                                       : "the store holds several forms (" + list +
                                             "): name one with --form-id");
}

}  // namespace

// Long on purpose: one walk down the form's levels over the store's rows; the steps share the level
// chain.
// NOLINTNEXTLINE(readability-function-size)
Result<StoreData> LoadFromStore(const store::Store& store, const StoreDataOptions& options,
                                Diagnostics* diags) {
  std::string form_id = NGO_TRY(PickForm(store, options.form_id));
  auto versions = NGO_TRY(store.ListForms(form_id));
  if (versions.empty()) return MakeError("ST002", "the store has no form '" + form_id + "'");
  const store::FormVersion& newest = versions.back();
  auto workbook = NGO_TRY(store.GetForm(form_id, newest.version));
  StoreData out;
  out.form = NGO_TRY(form::LoadForm(
      workbook.xlsx, form_id + " version " + newest.version + " (from the store)", diags));

  store::SubmissionFilter filter;
  filter.form_id = form_id;
  filter.include_pretest = true;  // counted below, to report what was left out
  auto all = NGO_TRY(store.ListSubmissions(filter));
  std::vector<const store::Submission*> counted;
  for (const auto& s : all) {
    if (s.wave == store::Wave::kPretest && !options.include_pretest) {
      ++out.pretest_left_out;
    } else if (s.status == store::SubmissionStatus::kDraft && !options.include_drafts) {
      ++out.drafts_left_out;
    } else {
      counted.push_back(&s);
    }
  }

  // The levels from the top to the unit: kTopLevel, then each repeat inward.
  std::vector<int> chain = {kTopLevel};
  if (!options.repeat.empty()) {
    const Question* unit = out.form.FindQuestion(options.repeat);
    if (!unit || !unit->is_repeat()) {
      return MakeError("D004",
                       "'" + options.repeat + "' is not a repeat of form '" + form_id + "'");
    }
    for (int l = unit->index; l != kTopLevel; l = out.form.EnclosingRepeat(out.form.questions[l])) {
      chain.insert(chain.begin() + 1, l);
    }
  }
  std::vector<UnitRow> rows;
  for (const auto* s : counted) {
    rows.push_back(UnitRow{s, {""}, {static_cast<uint32_t>(rows.size())}});
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    const Question& r = out.form.questions[chain[i]];
    std::string relative =
        chain[i - 1] == kTopLevel ? AnswerPath(r) : PathBelow(r, out.form.questions[chain[i - 1]]);
    std::vector<UnitRow> inner;
    for (const UnitRow& row : rows) {
      std::string start = row.prefixes.back() + relative + "[";
      for (int n : InstanceNumbers(row.submission->answers, start)) {
        UnitRow instance = row;
        instance.prefixes.push_back(start + std::to_string(n) + "]/");
        instance.from.push_back(static_cast<uint32_t>(inner.size()));
        inner.push_back(std::move(instance));
      }
    }
    rows = std::move(inner);
  }
  // Where a question's answer is for a row, or nullptr (not on the chain).
  auto answer_of = [&](const Question& q, const UnitRow& row) -> const Answer* {
    int level = LevelOf(out.form, q);
    for (size_t i = 0; i < chain.size(); ++i) {
      if (chain[i] != level) continue;
      std::string path = level == kTopLevel
                             ? AnswerPath(q)
                             : row.prefixes[i] + PathBelow(q, out.form.questions[level]);
      auto it = row.submission->answers.find(path);
      return it == row.submission->answers.end() ? nullptr : &it->second;
    }
    return nullptr;
  };
  auto on_chain = [&](const Question& q) {
    return std::find(chain.begin(), chain.end(), LevelOf(out.form, q)) != chain.end();
  };

  Dataset data(rows.size());
  for (const Question& q : out.form.questions) {
    if (!IsTabulable(q.type) || !on_chain(q)) continue;
    if (!options.items.empty() &&
        std::find(options.items.begin(), options.items.end(), q.name) == options.items.end()) {
      continue;
    }
    if (q.type == QuestionType::kCalculate) {
      // A calculate is an item only when every value it took is a number.
      bool numeric = true;
      for (const UnitRow& row : rows) {
        const Answer* a = answer_of(q, row);
        if (!a || a->state != AnswerState::kAnswered) continue;
        char* end = nullptr;
        std::strtod(a->value.c_str(), &end);
        numeric &= end == a->value.c_str() + a->value.size() && !a->value.empty();
      }
      if (!numeric) continue;
    }
    ColumnKind kind = ColumnKindOf(q.type);
    std::vector<std::string> names, labels;
    // The store keeps non-answers as states: a form's "refused" / "dont_know"
    // choices are never options (LoadDataOptions' default codes).
    LoadDataOptions choice_options;
    choice_options.language = options.language;
    ChoiceOptions(out.form, q, choice_options, &names, &labels);
    ColumnBuilder builder(q.name, kind, names);
    for (const UnitRow& row : rows) {
      const store::Submission* s = row.submission;
      const Answer* stored = answer_of(q, row);
      Answer answer = stored ? *stored : Answer::Missing();
      if (answer.state == AnswerState::kNotAsked)
        answer = Answer::NotAsked();  // a kept-aside value is not data
      Status appended = builder.Append(answer);
      if (!appended) {
        Error error = appended.error();
        error.message = "submission " + s->instance_id + ", question '" + q.name + "': '" +
                        answer.value + "' is not " +
                        (kind == ColumnKind::kNumber ? "a number" : "an option of " + q.list_name) +
                        " in version " + newest.version;
        return tl::unexpected(error);
      }
    }
    Column column = std::move(builder).Finish();
    column.label = out.form.Text(q.label, options.language);
    column.option_labels = std::move(labels);
    column.relevant = q.relevant;
    NGO_TRY(data.AddColumn(std::move(column)));
  }

  for (const std::string& name : options.extra_single) {
    // A question of another level (a table's own level loads it) is not metadata.
    if (data.Find(name) >= 0 || out.form.FindQuestion(name)) continue;
    auto value_of = [&](const store::Submission& s) -> std::string {
      if (name == "org") return s.org_id;
      if (name == "interviewer") return s.interviewer;
      if (name == "wave") return std::string(store::WaveName(s.wave));
      if (name == "status") return std::string(store::StatusName(s.status));
      return {};
    };
    if (name != "org" && name != "interviewer" && name != "wave" && name != "status") {
      return MakeError(
          "D004",
          "'" + name + "' is neither a question of the form nor org, interviewer, wave or status");
    }
    std::set<std::string> values;
    for (const UnitRow& row : rows) {
      if (std::string v = value_of(*row.submission); !v.empty()) values.insert(v);
    }
    ColumnBuilder builder(name, ColumnKind::kSingle, {values.begin(), values.end()});
    for (const UnitRow& row : rows) {
      std::string v = value_of(*row.submission);
      NGO_TRY(builder.Append(v.empty() ? Answer::Missing() : Answer::Answered(v)));
    }
    Column column = std::move(builder).Finish();
    column.label = name;
    NGO_TRY(data.AddColumn(std::move(column)));
  }
  out.data = std::move(data);
  for (const UnitRow& row : rows) out.instance_ids.push_back(row.submission->instance_id);
  for (const std::string& name : options.answers) {
    const Question* q = out.form.FindQuestion(name);
    if (!q) {
      return MakeError("D004", "'" + name + "' is not a question of form '" + form_id + "'");
    }
    std::vector<Answer>& answers = out.answers[name];
    for (const UnitRow& row : rows) {
      const Answer* stored = on_chain(*q) ? answer_of(*q, row) : nullptr;
      Answer answer = stored ? *stored : Answer::Missing();
      if (answer.state == AnswerState::kNotAsked) answer = Answer::NotAsked();
      answers.push_back(std::move(answer));
    }
  }
  if (!options.repeat.empty()) {
    out.lineage.assign(chain.size(), std::vector<uint32_t>(rows.size()));
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t k = 0; k < chain.size(); ++k) out.lineage[k][r] = rows[r].from[k];
    }
  }
  return out;
}

}  // namespace ngosurvey::analysis
