// Themes as items (themes.h).
#include "analysis/themes.h"

#include <algorithm>
#include <set>

#include "analysis/units.h"
#include "base/text.h"

namespace ngosurvey::analysis {
namespace {

constexpr std::string_view kPrefix = "themes(";

// The distinct themes of one coder's segments (empty for "read, no code").
std::vector<std::string> ThemesOf(const store::AnswerCoding& coding) {
  std::set<std::string> themes;
  for (const store::CodedSegment& s : coding.segments) {
    if (!s.code.empty()) themes.insert(s.code);
  }
  return {themes.begin(), themes.end()};
}

std::string ThemeList(const std::vector<std::string>& themes) {
  if (themes.empty()) return "no theme";
  std::string out;
  for (const std::string& t : themes) out += (out.empty() ? "" : " ") + t;
  return out;
}

}  // namespace

std::string ThemeItemName(std::string_view question) {
  return std::string(kPrefix) + std::string(question) + ")";
}

std::optional<std::string> ThemeItemQuestion(std::string_view item) {
  if (!item.starts_with(kPrefix) || !item.ends_with(")") || item.size() <= kPrefix.size() + 1)
    return std::nullopt;
  std::string_view inner = item.substr(kPrefix.size(), item.size() - kPrefix.size() - 1);
  if (inner.find_first_of("() ") != std::string_view::npos) return std::nullopt;
  return std::string(inner);
}

Result<std::map<std::string, std::vector<std::string>>> CountedThemes(
    const std::vector<store::AnswerCoding>& codings, const std::string& coder) {
  // Per answer: the reconciled codes, the named coder's, and every coder's.
  struct PerAnswer {
    const store::AnswerCoding* reconciled = nullptr;
    const store::AnswerCoding* named = nullptr;
    std::vector<const store::AnswerCoding*> coders;
  };
  std::map<std::string, PerAnswer> answers;
  for (const store::AnswerCoding& c : codings) {
    PerAnswer& a = answers[c.instance_id];
    if (c.coder == store::kReconciledCoder) {
      a.reconciled = &c;
    } else {
      a.coders.push_back(&c);
      if (c.coder == coder) a.named = &c;
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [instance, a] : answers) {
    if (a.reconciled) {
      out[instance] = ThemesOf(*a.reconciled);
    } else if (!coder.empty()) {
      if (a.named) out[instance] = ThemesOf(*a.named);
    } else if (!a.coders.empty()) {
      std::vector<std::string> first = ThemesOf(*a.coders.front());
      for (const store::AnswerCoding* other : a.coders) {
        std::vector<std::string> themes = ThemesOf(*other);
        if (themes == first) continue;
        return MakeError(
            "THM001",
            "coders disagree on the answer of " + instance + " to '" + a.coders.front()->question +
                "' (" + a.coders.front()->coder + ": " + ThemeList(first) + "; " + other->coder +
                ": " + ThemeList(themes) +
                ") and nobody reconciled it: reconcile it (ngosurvey code reconcile), or name the "
                "coder whose codes count (--coder, or a row's coder key)");
      }
      out[instance] = std::move(first);
    }
  }
  return out;
}

Result<Column> BuildThemeColumn(const form::Codebook& codebook, const OpenAnswers& answers,
                                const std::vector<store::AnswerCoding>& codings,
                                const ThemeItemOptions& options) {
  std::map<std::string, std::vector<std::string>> counted =
      NGO_TRY(CountedThemes(codings, options.coder));
  const std::string language =
      options.language.empty() ? codebook.DefaultLanguage() : options.language;
  std::map<std::string, size_t> index;  // theme id -> option
  Column column;
  column.name = ThemeItemName(answers.question);
  column.label = answers.label.empty() ? answers.question : answers.label;
  column.kind = ColumnKind::kMulti;
  for (const form::Theme& theme : codebook.themes) {
    index[theme.id] = column.options.size();
    column.options.push_back(theme.id);
    std::string label = theme.label.Get(language, codebook.DefaultLanguage());
    if (!theme.parent.empty()) {
      const form::Theme* parent = codebook.Find(theme.parent);
      label = parent->label.Get(language, codebook.DefaultLanguage()) + ": " + label;
    }
    column.option_labels.push_back(std::move(label));
  }
  const size_t no_theme = column.options.size();
  column.options.emplace_back(kNoThemeOption);
  column.option_labels.emplace_back("No theme");
  const size_t planes = (column.options.size() + kOptionsPerPlane - 1) / kOptionsPerPlane;
  const size_t rows = answers.answers.size();
  column.planes.assign(planes, Buffer<uint8_t>(std::vector<uint8_t>(rows, 0)));
  auto set = [&](size_t row, size_t option) {
    column.planes[option / kOptionsPerPlane][row] |=
        static_cast<uint8_t>(1u << (option % kOptionsPerPlane));
  };
  for (size_t row = 0; row < rows; ++row) {
    const form::Answer& answer = answers.answers[row];
    if (answer.state != form::AnswerState::kAnswered) {
      column.planes[0][row] = StateCode(answer.state);
      continue;
    }
    auto it = counted.find(answers.instance_ids[row]);
    if (it == counted.end()) {
      column.planes[0][row] = kCodeMissing;  // not coded
      continue;
    }
    if (it->second.empty()) set(row, no_theme);
    for (const std::string& code : it->second) {
      if (!codebook.Find(code)) {
        return MakeError("THM002", "the answer of " + it->first + " to '" + answers.question +
                                       "' is coded '" + code +
                                       "', which is not a theme of the codebook (version " +
                                       codebook.version + ")");
      }
      set(row, index.at(code));
      for (const std::string& ancestor : codebook.Ancestors(code)) set(row, index.at(ancestor));
    }
  }
  return column;
}

Result<std::vector<ThemeItemUse>> ThemeItemsOf(const form::Form& form,
                                               const std::vector<TableSpec>& specs,
                                               const std::string& coder) {
  std::vector<ThemeItemUse> uses;
  for (const TableSpec& spec : specs) {
    for (const RowSpec& row : spec.rows) {
      std::optional<std::string> question = ThemeItemQuestion(row.item);
      if (!question || !row.derived.empty()) continue;
      Location where{.file = spec.file, .row = row.line};
      const form::Question* q = form.FindQuestion(*question);
      if (!q || q->type != form::QuestionType::kText || LevelOf(form, *q) != kTopLevel) {
        return MakeError("T002",
                         "'" + row.item + "': '" + *question +
                             "' is not an open (text) question of the form outside repeats",
                         where);
      }
      std::string whose = coder.empty() ? row.coder : coder;
      auto same = std::find_if(uses.begin(), uses.end(),
                               [&](const ThemeItemUse& u) { return u.item == row.item; });
      if (same == uses.end()) {
        uses.push_back({row.item, *question, whose});
      } else if (same->coder != whose) {
        return MakeError("TS003",
                         "'" + row.item + "' is counted with two coders' codes ('" + same->coder +
                             "' and '" + whose + "'): tabulate each coder in its own run",
                         where);
      }
    }
  }
  return uses;
}

Result<OpenAnswers> OpenAnswersFromTable(const form::Form& form, const std::string& question,
                                         const csv::Table& table, const LoadDataOptions& options,
                                         Diagnostics* diags) {
  const form::Question* q = form.FindQuestion(question);
  if (!q) {
    return MakeError("D004", "'" + question + "' is not a question of the form",
                     Location{.file = form.file});
  }
  OpenAnswers out;
  out.question = question;
  out.label = form.Text(q->label, options.language);
  out.answers = NGO_TRY(AnswersFromTable(form, *q, table, options, diags));
  std::optional<size_t> id;
  for (const char* name :
       {"KEY", "meta/instanceID", "instanceID", "instance_id", "data/meta/instanceID", "_uuid"}) {
    if ((id = table.ColumnIndex(name))) break;
  }
  if (!id) {
    return MakeError("D004",
                     "the data have no instance id column (KEY, meta/instanceID, instance_id or "
                     "_uuid) to match the codings of '" +
                         question + "' with",
                     Location{.file = table.file, .row = 1});
  }
  out.instance_ids.reserve(table.rows.size());
  for (const auto& row : table.rows) out.instance_ids.emplace_back(text::Trim(row[*id]));
  return out;
}

Result<ThemeInputs> ThemeInputsFromTable(const form::Form& form, const csv::Table& data,
                                         const std::vector<ThemeItemUse>& uses,
                                         const form::Codebook& codebook,
                                         std::string_view codings_csv,
                                         const std::string& codings_file,
                                         const LoadDataOptions& options, Diagnostics* diags) {
  ThemeInputs inputs;
  inputs.codebook = &codebook;
  inputs.language = options.language;
  // Per question: its answers, and each instance's row.
  std::map<std::string, std::map<std::string, size_t>> rows;
  auto answers_of = [&](const std::string& question,
                        const Location& where) -> Result<const OpenAnswers*> {
    auto it = inputs.answers.find(question);
    if (it != inputs.answers.end()) return &it->second;
    const form::Question* q = form.FindQuestion(question);
    if (!q || q->type != form::QuestionType::kText || LevelOf(form, *q) != kTopLevel) {
      return MakeError("COD002",
                       "question '" + question + "' is not an open (text) question of " +
                           form.file + " outside repeats",
                       where);
    }
    OpenAnswers open = NGO_TRY(OpenAnswersFromTable(form, question, data, options, diags));
    std::map<std::string, size_t>& by_id = rows[question];
    for (size_t r = 0; r < open.instance_ids.size(); ++r) by_id.emplace(open.instance_ids[r], r);
    return &inputs.answers.emplace(question, std::move(open)).first->second;
  };
  for (const ThemeItemUse& use : uses) {
    NGO_TRY(answers_of(use.question, Location{.file = form.file}));
    inputs.codings[use.question];
  }
  auto answer_text = [&](const std::string& instance_id, const std::string& question,
                         const Location& instance_cell,
                         const Location& question_cell) -> Result<std::string> {
    const OpenAnswers* open = NGO_TRY(answers_of(question, question_cell));
    auto row = rows[question].find(instance_id);
    if (row == rows[question].end()) {
      return MakeError("COD003", "no submission '" + instance_id + "' in " + data.file,
                       instance_cell);
    }
    const form::Answer& answer = open->answers[row->second];
    if (answer.state != form::AnswerState::kAnswered) {
      return MakeError("COD003",
                       "submission '" + instance_id + "' has no answer to '" + question + "'",
                       instance_cell);
    }
    return answer.value;
  };
  store::CodingsCsvOptions parse;
  parse.codebook = &codebook;
  parse.allow_reconciled = true;
  store::CodingsCsv parsed =
      NGO_TRY(store::ParseCodingsCsv(codings_csv, codings_file, parse, answer_text));
  for (store::AnswerCoding& coding : parsed.codings)
    inputs.codings[coding.question].push_back(std::move(coding));
  return inputs;
}

Status AddThemeColumns(const std::vector<ThemeItemUse>& uses, const ThemeInputs& inputs,
                       Dataset* data) {
  for (const ThemeItemUse& use : uses) {
    if (data->Find(use.item) >= 0) continue;
    auto answers = inputs.answers.find(use.question);
    auto codings = inputs.codings.find(use.question);
    if (answers == inputs.answers.end() || codings == inputs.codings.end() ||
        inputs.codebook == nullptr) {
      return MakeError("THM003", "no codebook, answers or codings were given for '" + use.item +
                                     "': give the codebook and the codings of '" + use.question +
                                     "'");
    }
    if (answers->second.answers.size() != data->rows()) {
      return MakeError("D001", "the answers of '" + use.question + "' are " +
                                   std::to_string(answers->second.answers.size()) +
                                   " rows, the data " + std::to_string(data->rows()));
    }
    ThemeItemOptions options;
    options.coder = use.coder;
    options.language = inputs.language;
    Column column =
        NGO_TRY(BuildThemeColumn(*inputs.codebook, answers->second, codings->second, options));
    NGO_TRY(data->AddColumn(std::move(column)));
  }
  return Ok();
}

}  // namespace ngosurvey::analysis
