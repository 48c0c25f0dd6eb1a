#include "analysis/load_store.h"

#include <algorithm>
#include <set>

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

  Dataset data(counted.size());
  for (const Question& q : out.form.questions) {
    if (!IsTabulable(q.type) || out.form.EnclosingRepeat(q) >= 0) continue;
    std::string path = AnswerPath(q);
    if (q.type == QuestionType::kCalculate) {
      // A calculate is an item only when every value it took is a number.
      bool numeric = true;
      for (const auto* s : counted) {
        auto it = s->answers.find(path);
        if (it == s->answers.end() || it->second.state != AnswerState::kAnswered) continue;
        char* end = nullptr;
        std::strtod(it->second.value.c_str(), &end);
        numeric &=
            end == it->second.value.c_str() + it->second.value.size() && !it->second.value.empty();
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
    for (const auto* s : counted) {
      auto it = s->answers.find(path);
      Answer answer = it == s->answers.end() ? Answer::Missing() : it->second;
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
    if (data.Find(name) >= 0) continue;
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
    for (const auto* s : counted) {
      if (std::string v = value_of(*s); !v.empty()) values.insert(v);
    }
    ColumnBuilder builder(name, ColumnKind::kSingle, {values.begin(), values.end()});
    for (const auto* s : counted) {
      std::string v = value_of(*s);
      NGO_TRY(builder.Append(v.empty() ? Answer::Missing() : Answer::Answered(v)));
    }
    Column column = std::move(builder).Finish();
    column.label = name;
    NGO_TRY(data.AddColumn(std::move(column)));
  }
  out.data = std::move(data);
  return out;
}

}  // namespace ngosurvey::analysis
