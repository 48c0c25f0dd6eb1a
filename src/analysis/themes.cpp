// Themes as items (themes.h).
#include "analysis/themes.h"

#include <algorithm>
#include <set>

#include "analysis/units.h"
#include "base/text.h"
#include "base/words.h"

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

Result<std::map<std::string, const store::AnswerCoding*>> CountedCodings(
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
  std::map<std::string, const store::AnswerCoding*> out;
  for (auto& [instance, a] : answers) {
    if (a.reconciled) {
      out[instance] = a.reconciled;
    } else if (!coder.empty()) {
      if (a.named) out[instance] = a.named;
    } else if (!a.coders.empty()) {
      std::sort(a.coders.begin(), a.coders.end(),
                [](const auto* x, const auto* y) { return x->coder < y->coder; });
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
      out[instance] = a.coders.front();
    }
  }
  return out;
}

Result<std::map<std::string, std::vector<std::string>>> CountedThemes(
    const std::vector<store::AnswerCoding>& codings, const std::string& coder) {
  std::map<std::string, const store::AnswerCoding*> chosen =
      NGO_TRY(CountedCodings(codings, coder));
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [instance, coding] : chosen) out[instance] = ThemesOf(*coding);
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
    if (!codebook.AppliesTo(theme.id, answers.question)) continue;
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
  column.option_labels.push_back(
      words::Text(words::Word::kThemeNone, words::CatalogueLanguage(language)));
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
      if (!index.count(code)) {
        return MakeError("THM002", "the answer of " + it->first + " to '" + answers.question +
                                       "' is coded '" + code +
                                       "', a theme the codebook gives other questions");
      }
      set(row, index.at(code));
      for (const std::string& ancestor : codebook.Ancestors(code)) set(row, index.at(ancestor));
    }
  }
  return column;
}

namespace {

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Code points [start, end) of `s`.
std::string CodePoints(std::string_view s, int64_t start, int64_t end) {
  size_t pos = 0;
  int64_t index = 0;
  size_t from = s.size(), to = s.size();
  while (pos < s.size()) {
    if (index == start) from = pos;
    if (index == end) {
      to = pos;
      break;
    }
    text::DecodeOne(s, &pos);
    ++index;
  }
  return from >= to ? std::string() : std::string(s.substr(from, to - from));
}

// The quote of `theme` in an answer: its segments (and its sub-themes'), or the whole.
std::string QuoteText(const form::Codebook& codebook, const std::string& theme,
                      const store::AnswerCoding& coding, const std::string& answer) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (const store::CodedSegment& s : coding.segments) {
    if (s.code.empty()) continue;
    std::vector<std::string> up = codebook.Ancestors(s.code);
    if (s.code != theme && std::find(up.begin(), up.end(), theme) == up.end()) continue;
    if (!s.start) return answer;
    ranges.emplace_back(*s.start, *s.end);
  }
  // Overlapping or touching segments are one stretch of the answer, quoted once.
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& range : ranges) {
    if (!merged.empty() && range.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  std::string out;
  for (const auto& [start, end] : merged) {
    if (!out.empty()) out += " … ";
    out += CodePoints(answer, start, end);
  }
  return out;
}

}  // namespace

Result<std::vector<ThemeQuotes>> SelectQuotes(const form::Codebook& codebook,
                                              const OpenAnswers& answers,
                                              const std::vector<store::AnswerCoding>& codings,
                                              const QuoteOptions& options) {
  ThemeItemOptions item;
  item.coder = options.coder;
  item.language = options.language;
  Column column = NGO_TRY(BuildThemeColumn(codebook, answers, codings, item));
  std::map<std::string, const store::AnswerCoding*> chosen =
      NGO_TRY(CountedCodings(codings, options.coder));
  std::vector<ThemeQuotes> out;
  for (size_t option = 0; option + 1 < column.options.size(); ++option) {  // not (no theme)
    ThemeQuotes theme;
    theme.theme = column.options[option];
    theme.label = column.option_labels[option];
    const Buffer<uint8_t>& plane = column.planes[option / kOptionsPerPlane];
    const uint8_t bit = static_cast<uint8_t>(1u << (option % kOptionsPerPlane));
    std::vector<std::pair<uint64_t, size_t>> pool;  // (score, row)
    for (size_t row = 0; row < answers.answers.size(); ++row) {
      if (column.planes[0][row] >= kCodeNotAsked || !(plane[row] & bit)) continue;
      uint64_t score =
          SplitMix64(options.seed ^ Fnv1a(theme.theme + "\x1f" + answers.instance_ids[row]));
      pool.emplace_back(score, row);
    }
    theme.mentioned = pool.size();
    std::sort(pool.begin(), pool.end());
    for (size_t k = 0; k < pool.size() && k < static_cast<size_t>(options.per_theme); ++k) {
      size_t row = pool[k].second;
      const std::string& id = answers.instance_ids[row];
      ThemeQuote quote{
          row, id, QuoteText(codebook, theme.theme, *chosen.at(id), answers.answers[row].value)};
      theme.quotes.push_back(std::move(quote));
    }
    out.push_back(std::move(theme));
  }
  return out;
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
  if (std::optional<size_t> org = table.ColumnIndex("org_id")) {
    for (const auto& row : table.rows) out.org_ids.emplace_back(text::Trim(row[*org]));
  }
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
