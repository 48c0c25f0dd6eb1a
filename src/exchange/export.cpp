#include "exchange/export.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/csv.h"
#include "base/file.h"
#include "base/text.h"
#include "exchange/import.h"
#include "exchange/pseudonymise.h"
#include "exchange/table_internal.h"
#include "exchange/values_internal.h"
#include "form/columns.h"
#include "form/describe.h"

namespace ngosurvey::exchange {
namespace {

using form::AnswerState;
using form::Question;
using form::QuestionType;

int EnclosingRepeat(const form::Form& form, const Question& q) {
  for (int p = q.parent; p >= 0; p = form.questions[p].parent) {
    if (form.questions[p].is_repeat()) return p;
  }
  return -1;
}

bool IsCode(const Tables& t, std::string_view name) {
  return std::find(t.refused_codes.begin(), t.refused_codes.end(), name) != t.refused_codes.end() ||
         std::find(t.dont_know_codes.begin(), t.dont_know_codes.end(), name) !=
             t.dont_know_codes.end();
}

std::string Lower(std::string_view s) { return text::AsciiLower(s); }

std::string MakeName(std::string_view wanted, size_t limit, bool spss,
                     std::vector<std::string>* taken) {
  static const std::set<std::string> stata_reserved = {
      "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
      "_n", "_N", "_pi", "_pred", "_rc", "_skip", "str", "strL", "using", "with"};
  static const std::set<std::string> spss_reserved = {"all", "and", "by", "eq", "ge", "gt", "le",
                                                      "lt", "ne", "not", "or", "to", "with"};
  std::string name;
  for (char c : wanted) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || (spss && (c == '.' || c == '@' || c == '#' || c == '$'));
    char out = ok ? c : '_';
    if (out == '_' && !name.empty() && name.back() == '_') continue;  // no runs of '_'
    name.push_back(out);
  }
  if (spss) {
    while (!name.empty() && (name.back() == '.' || name.back() == '_')) name.pop_back();
  }
  // Both formats allow more first characters (Stata '_', SPSS '@#$'), but those names
  // are reserved for system variables or mean something special: a letter first.
  bool letter_first = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') ||
                                        (name[0] >= 'A' && name[0] <= 'Z'));
  if (!letter_first) name = "v" + name;
  if (name.size() > limit) name.resize(limit);
  bool reserved = spss ? spss_reserved.count(Lower(name)) > 0 : stata_reserved.count(name) > 0;
  if (reserved) name = (name.size() + 1 > limit ? name.substr(0, limit - 1) : name) + "_";
  auto is_taken = [&](const std::string& candidate) {
    std::string lower = Lower(candidate);
    return std::any_of(taken->begin(), taken->end(),
                       [&](const std::string& t) { return Lower(t) == lower; });
  };
  std::string unique = name;
  for (int n = 2; is_taken(unique); ++n) {
    std::string suffix = "_" + std::to_string(n);
    unique = name.substr(0, std::min(name.size(), limit - suffix.size())) + suffix;
  }
  taken->push_back(unique);
  return unique;
}

}  // namespace

std::string StataName(std::string_view wanted, std::vector<std::string>* taken) {
  return MakeName(wanted, 32, false, taken);
}

std::string SpssName(std::string_view wanted, std::vector<std::string>* taken) {
  return MakeName(wanted, 64, true, taken);
}

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "xlsx") return ExportFormat::kXlsx;
  if (name == "dta") return ExportFormat::kDta;
  if (name == "sav") return ExportFormat::kSav;
  return MakeError("EXP001", "unknown export format '" + std::string(name) +
                                 "' (csv, xlsx, dta or sav)");
}

std::string SiblingPath(const std::string& path, const std::string& suffix,
                        const std::string& extension) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  std::string stem = has_ext ? path.substr(0, dot) : path;
  std::string ext = extension.empty() ? (has_ext ? path.substr(dot) : "") : extension;
  return stem + "-" + suffix + ext;
}

std::string_view CellText(const Tables& tables, const Cell& cell) {
  switch (cell.state) {
    case AnswerState::kAnswered: return cell.text;
    case AnswerState::kRefused: return tables.refused_codes.front();
    case AnswerState::kDontKnow: return tables.dont_know_codes.front();
    default: return {};
  }
}

void BuildTables(const form::Form& form, const std::vector<store::Submission>& submissions,
                 const std::vector<bool>& dropped, const std::string& language, Tables* t) {
  t->refused_codes = RefusedCodes(form);
  t->dont_know_codes = DontKnowCodes(form);
  t->language = language;
  // Levels: the top, then every repeat in form order.
  std::map<int, size_t> level_of;  // repeat index (-1 top) -> position in t->levels
  t->levels.push_back(Level{"main", -1, {}, {}});
  level_of[-1] = 0;
  for (const Question& q : form.questions) {
    if (!q.is_repeat() || dropped[q.index]) continue;
    level_of[q.index] = t->levels.size();
    t->levels.push_back(Level{q.name, q.index, {}, {}});
  }
  auto meta = [](std::string name, std::string label) {
    Variable v;
    v.csv_name = std::move(name);
    v.label = std::move(label);
    v.type = "metadata";
    return v;
  };
  for (Level& level : t->levels) {
    level.variables.push_back(meta("KEY", level.repeat < 0 ? "Instance id" : "Key of this repeat row"));
    if (level.repeat >= 0) {
      level.variables.push_back(meta("PARENT_KEY", "Key of the parent row"));
    } else {
      level.variables.push_back(meta("FormVersion", "Form version"));
      level.variables.push_back(meta("wave", "Wave (pretest or main)"));
      level.variables.push_back(meta("org", "Organisation id"));
      level.variables.push_back(meta("interviewer", "Interviewer"));
    }
  }
  for (const Question& q : form.questions) {
    if (q.is_container() || q.type == QuestionType::kNote || dropped[q.index]) continue;
    int repeat = EnclosingRepeat(form, q);
    auto it = level_of.find(repeat);
    if (it == level_of.end()) continue;  // inside a dropped repeat
    Level& level = t->levels[it->second];
    Variable v;
    v.csv_name = form::RelativePath(q);
    v.label = form.Text(q.label, language);
    if (v.label.empty()) v.label = q.name;
    v.type = std::string(form::TypeName(q.type));
    v.question = q.index;
    v.relevant = form::DescribeRelevance(form, q, language);
    switch (q.type) {
      case QuestionType::kInteger: v.integer = true; [[fallthrough]];
      case QuestionType::kDecimal:
      case QuestionType::kRange: v.kind = VarKind::kNumber; break;
      case QuestionType::kDate:
      case QuestionType::kToday: v.kind = VarKind::kDate; break;
      case QuestionType::kDateTime:
      case QuestionType::kStart:
      case QuestionType::kEnd: v.kind = VarKind::kDateTime; break;
      case QuestionType::kSelectOne: v.kind = VarKind::kSelectOne; break;
      default: v.kind = VarKind::kText; break;
    }
    std::vector<const form::Choice*> choices;
    if (const form::ChoiceList* list = form.FindChoiceList(q.list_name);
        list && (q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple)) {
      for (const form::Choice& c : list->choices) {
        if (!IsCode(*t, c.name)) choices.push_back(&c);
      }
    }
    if (q.type == QuestionType::kSelectOne) {
      // Numeric choice names keep their value; otherwise 1, 2, 3... in list order.
      bool numeric = !choices.empty() && std::all_of(choices.begin(), choices.end(), [](auto* c) {
        return IsInteger(c->name) && c->name.size() < 10;
      });
      double next = 1;
      for (const form::Choice* c : choices) {
        double value = numeric ? std::stod(c->name) : next++;
        std::string label = form.Text(c->label, language);
        v.codes.push_back(Code{value, c->name, label.empty() ? c->name : label});
      }
      if (q.or_other) v.codes.push_back(Code{numeric ? 9999 : next, "other", "Other"});
    }
    level.variables.push_back(v);
    if (q.type == QuestionType::kSelectMultiple) {
      std::vector<std::pair<std::string, std::string>> options;
      for (const form::Choice* c : choices) options.emplace_back(c->name, form.Text(c->label, language));
      if (q.or_other) options.emplace_back("other", "Other");
      for (const auto& [name, label] : options) {
        Variable o;
        o.kind = VarKind::kOption;
        o.csv_name = v.csv_name + "/" + name;
        o.label = v.label + ": " + (label.empty() ? name : label);
        o.type = "select_multiple option";
        o.question = q.index;
        o.option = name;
        o.relevant = v.relevant;
        level.variables.push_back(std::move(o));
      }
    }
  }
  // Names per format, unique within each file.
  for (Level& level : t->levels) {
    std::vector<std::string> stata_taken, spss_taken;
    for (Variable& v : level.variables) {
      std::string wanted = v.question >= 0 ? form.questions[v.question].name : Lower(v.csv_name);
      if (v.kind == VarKind::kOption) wanted += "_" + v.option;
      v.stata_name = StataName(wanted, &stata_taken);
      v.spss_name = SpssName(wanted, &spss_taken);
    }
  }

  // Rows.
  auto answer_cell = [](const store::Answers& answers, const std::string& path) {
    auto it = answers.find(path);
    if (it == answers.end()) return Cell{};
    // A not_asked answer's kept-aside text never leaves the store.
    if (it->second.state != AnswerState::kAnswered) return Cell{it->second.state, {}};
    return Cell{AnswerState::kAnswered, it->second.value};
  };
  auto fill = [&](Level& level, const store::Submission& s, const std::string& prefix,
                  std::string_view key, std::string_view parent_key) {
    std::vector<Cell> row;
    row.reserve(level.variables.size());
    const std::string& repeat_path = level.repeat >= 0 ? form.questions[level.repeat].path : "";
    for (const Variable& v : level.variables) {
      if (v.question < 0) {
        std::string_view value;
        if (v.csv_name == "KEY") value = key;
        else if (v.csv_name == "PARENT_KEY") value = parent_key;
        else if (v.csv_name == "FormVersion") value = s.form_version;
        else if (v.csv_name == "wave") value = store::WaveName(s.wave);
        else if (v.csv_name == "org") value = s.org_id;
        else if (v.csv_name == "interviewer") value = s.interviewer;
        row.push_back(value.empty() ? Cell{} : Cell{AnswerState::kAnswered, value});
        continue;
      }
      const Question& q = form.questions[v.question];
      std::string path = level.repeat >= 0
                             ? prefix + q.path.substr(std::min(q.path.size(), repeat_path.size() + 1))
                             : form::RelativePath(q);
      Cell cell = answer_cell(s.answers, path);
      if (v.kind == VarKind::kOption && cell.state == AnswerState::kAnswered) {
        std::vector<std::string> chosen = form::SplitSelected(cell.text);
        bool on = std::find(chosen.begin(), chosen.end(), v.option) != chosen.end();
        cell.text = on ? "1" : "0";
      }
      row.push_back(cell);
    }
    level.rows.push_back(std::move(row));
  };
  for (const store::Submission& s : submissions) {
    fill(t->levels[0], s, "", s.instance_id, "");
    if (t->levels.size() == 1) continue;
    // Repeat instances, found from the answer paths: "programs[2]/staff[1]/role".
    std::map<int, std::map<std::vector<int>, std::pair<std::string, std::string>>> instances;
    for (const auto& [path, answer] : s.answers) {
      auto steps = form::ParseAnswerPath(path);
      if (!steps) continue;
      std::string plain = "/data", with_index, parent_key = s.instance_id;
      std::vector<int> indexes;
      for (const form::PathStep& step : *steps) {
        plain += "/" + step.name;
        with_index += step.name;
        if (step.index > 0) {
          with_index += "[" + std::to_string(step.index) + "]";
          indexes.push_back(step.index);
          for (const Level& level : t->levels) {
            if (level.repeat >= 0 && form.questions[level.repeat].path == plain) {
              instances[level.repeat].emplace(indexes, std::pair{with_index + "/", parent_key});
            }
          }
          parent_key = s.instance_id + "/" + with_index;
        }
        with_index += "/";
      }
    }
    for (Level& level : t->levels) {
      if (level.repeat < 0) continue;
      for (const auto& [indexes, prefix_parent] : instances[level.repeat]) {
        const auto& [prefix, parent_key] = prefix_parent;
        t->strings.push_back(s.instance_id + "/" + prefix.substr(0, prefix.size() - 1));
        const std::string& key = t->strings.back();
        t->strings.push_back(parent_key);
        fill(level, s, prefix, key, t->strings.back());
      }
    }
  }
}

Status WriteCsv(const Tables& tables, const std::string& path, std::vector<std::string>* files) {
  for (const Level& level : tables.levels) {
    std::string out;
    std::vector<std::string> fields;
    for (const Variable& v : level.variables) fields.push_back(v.csv_name);
    csv::AppendRow(fields, &out);
    for (const auto& row : level.rows) {
      fields.clear();
      for (const Cell& cell : row) fields.emplace_back(CellText(tables, cell));
      csv::AppendRow(fields, &out);
    }
    std::string file = level.repeat < 0 ? path : SiblingPath(path, level.name);
    NGO_TRY(WriteFileAtomic(file, out));
    files->push_back(file);
  }
  return Ok();
}

Result<ExportResult> ExportSubmissions(const form::Form& form,
                                       const std::vector<store::Submission>& submissions,
                                       const ExportOptions& options, const std::string& path) {
  std::string language = form.default_language;
  if (!options.language.empty()) {
    language = form.LanguageCode(options.language);
    if (language.empty()) {
      std::string known;
      for (const form::Language& l : form.languages) known += (known.empty() ? "" : ", ") + l.code;
      return MakeError("EXP002", "form '" + form.settings.form_id + "' has no language '" +
                                     options.language + "' (it has: " + known + ")");
    }
  }
  std::vector<bool> dropped(form.questions.size(), false);
  const std::vector<store::Submission>* rows = &submissions;
  std::vector<store::Submission> pseudonymised;
  if (options.pseudonym_key) {
    pseudonymised = submissions;
    PseudonymiseSubmissions(form, *options.pseudonym_key, &pseudonymised, &dropped);
    rows = &pseudonymised;
  }
  Tables tables;
  BuildTables(form, *rows, dropped, language, &tables);
  ExportResult result;
  result.submissions = rows->size();
  for (const Level& level : tables.levels) result.variables += level.variables.size();
  switch (options.format) {
    case ExportFormat::kCsv: NGO_TRY(WriteCsv(tables, path, &result.files)); break;
    case ExportFormat::kXlsx: NGO_TRY(WriteXlsx(tables, path, &result.files)); break;
    case ExportFormat::kDta: NGO_TRY(WriteReadStat(tables, true, path, &result.files)); break;
    case ExportFormat::kSav: NGO_TRY(WriteReadStat(tables, false, path, &result.files)); break;
  }
  NGO_TRY(WriteCodebook(form, tables, path, &result.files));
  return result;
}

}  // namespace ngosurvey::exchange
