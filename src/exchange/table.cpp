// The export's flat tables: the layout built from the form (levels, variables and
// their names in each format), the text of a cell, and the files of one export
// written all together (table_internal.h).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "base/text.h"
#include "base/words.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/table_internal.h"
#include "exchange/values_internal.h"
#include "form/columns.h"
#include "form/describe.h"
#include "form/instance_xml.h"

namespace ngosurvey::exchange {
namespace {

using form::AnswerState;
using form::Question;
using form::QuestionType;

bool IsCode(const Tables& t, std::string_view name) {
  return std::find(t.refused_codes.begin(), t.refused_codes.end(), name) != t.refused_codes.end() ||
         std::find(t.dont_know_codes.begin(), t.dont_know_codes.end(), name) !=
             t.dont_know_codes.end();
}

std::string Lower(std::string_view s) { return text::AsciiLower(s); }

std::string MakeName(std::string_view wanted, size_t limit, bool spss,
                     std::vector<std::string>* taken) {
  static const std::set<std::string> stata_reserved = {
      "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if",   "in",    "int", "long",
      "_n",   "_N", "_pi",  "_pred", "_rc",   "_skip",  "str",   "strL", "using", "with"};
  static const std::set<std::string> spss_reserved = {"all", "and", "by",  "eq", "ge", "gt",  "le",
                                                      "lt",  "ne",  "not", "or", "to", "with"};
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
  bool letter_first =
      !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
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
    case AnswerState::kAnswered:
      return cell.text;
    case AnswerState::kRefused:
      return tables.refused_codes.front();
    case AnswerState::kDontKnow:
      return tables.dont_know_codes.front();
    default:
      return {};
  }
}

std::pair<std::string_view, std::string_view> SplitMetadataColumn(std::string_view column) {
  size_t split = column.rfind("]/");
  if (split == std::string_view::npos) return {std::string_view(), column};
  return {column.substr(0, split + 1), column.substr(split + 2)};
}

namespace {

// "hh/members[2]/visits[1]" -> "/data/hh/members/visits".
std::string RepeatPathOf(std::string_view prefix) {
  std::string path = "/data/";
  bool in_index = false;
  for (char c : prefix) {
    if (c == '[') in_index = true;
    if (!in_index) path += c;
    if (c == ']') in_index = false;
  }
  return path;
}

// The question a metadata column sits beside in the platform's export: a media
// URL "NAME_URL" (also "grp/NAME_URL") after question NAME, Kobo's geopoint parts
// "_NAME_latitude"... after geopoint NAME, the parameters of Kobo's literacy widget
// "NAME/Word at flash"... before select_multiple NAME (`*before`); -1 for the others.
int MetadataAnchor(const form::Form& form, const Level& level, std::string_view column,
                   bool* before) {
  auto last_step = [](std::string_view s) {
    size_t slash = s.rfind('/');
    return slash == std::string_view::npos ? s : s.substr(slash + 1);
  };
  auto ends_with = [](std::string_view s, std::string_view end) {
    return s.size() > end.size() && s.substr(s.size() - end.size()) == end;
  };
  std::string_view name;
  bool geo = false;
  *before = false;
  for (std::string_view parameter :
       {"/Word at flash", "/Duration of exercise", "/Total words attempted"}) {
    if (!ends_with(column, parameter)) continue;
    std::string_view stem = last_step(column.substr(0, column.size() - parameter.size()));
    for (const Variable& v : level.variables) {
      if (v.question < 0 || v.kind == VarKind::kOption || v.specify) continue;
      const Question& q = form.questions[v.question];
      if (q.name == stem && q.type == QuestionType::kSelectMultiple) {
        *before = true;
        return v.question;
      }
    }
  }
  if (ends_with(column, "_URL")) {
    name = last_step(column.substr(0, column.size() - 4));
  } else if (std::string_view last = last_step(column); last.size() > 1 && last[0] == '_') {
    for (std::string_view part : {"_latitude", "_longitude", "_altitude", "_precision"}) {
      if (ends_with(last, part)) {
        name = last.substr(1, last.size() - 1 - part.size());
        geo = true;
      }
    }
  }
  if (name.empty()) return -1;
  for (const Variable& v : level.variables) {
    if (v.question < 0 || v.kind == VarKind::kOption || v.specify) continue;
    const Question& q = form.questions[v.question];
    if (q.name == name && (!geo || q.type == QuestionType::kGeopoint)) return v.question;
  }
  return -1;
}

// Adds the metadata variables of BuildLayout (before the variables are named).
void AddMetadataVariables(const form::Form& form, const std::vector<std::string>& metadata,
                          Tables* t) {
  std::vector<std::vector<std::string>> names(t->levels.size());
  for (const std::string& column : metadata) {
    // Named, not a structured binding: clang 14 (tools/tidy) cannot capture a binding in
    // the lambda below.
    auto split = SplitMetadataColumn(column);
    const auto& prefix = split.first;
    const auto& header = split.second;
    size_t level = 0;
    if (!prefix.empty()) {
      std::string path = RepeatPathOf(prefix);
      for (size_t l = 1; l < t->levels.size(); ++l) {
        if (form.questions[t->levels[l].repeat].path == path) level = l;
      }
      if (level == 0) continue;  // a repeat the layout leaves out
    }
    if (header.empty()) continue;
    auto& list = names[level];
    bool taken = std::find(list.begin(), list.end(), header) != list.end() ||
                 std::any_of(t->levels[level].variables.begin(), t->levels[level].variables.end(),
                             [&](const Variable& v) { return v.csv_name == header; });
    if (!taken) list.emplace_back(header);
  }
  for (size_t l = 0; l < t->levels.size(); ++l) {
    Level& level = t->levels[l];
    std::map<int, std::vector<Variable>> beside, ahead;  // anchor question -> its columns
    std::vector<Variable> last;
    for (const std::string& header : names[l]) {
      Variable v;
      v.csv_name = header;
      v.label = words::Text(words::Word::kExportPlatformMetadata,
                            words::CatalogueLanguage(t->language), {header});
      v.type = "metadata";
      v.kept = true;
      bool before = false;
      int anchor = MetadataAnchor(form, level, header, &before);
      (anchor < 0 ? last : before ? ahead[anchor] : beside[anchor]).push_back(std::move(v));
    }
    if (beside.empty() && ahead.empty() && last.empty()) continue;
    std::vector<Variable> out;
    for (size_t i = 0; i < level.variables.size(); ++i) {
      int q = level.variables[i].question;
      bool start_of_question = q >= 0 && (i == 0 || level.variables[i - 1].question != q);
      if (auto it = ahead.find(q); start_of_question && it != ahead.end()) {
        for (Variable& v : it->second) out.push_back(std::move(v));
      }
      out.push_back(std::move(level.variables[i]));
      bool end_of_question =
          q >= 0 && (i + 1 == level.variables.size() || level.variables[i + 1].question != q);
      if (auto it = beside.find(q); end_of_question && it != beside.end()) {
        for (Variable& v : it->second) out.push_back(std::move(v));
      }
    }
    for (Variable& v : last) out.push_back(std::move(v));
    level.variables = std::move(out);
  }
  // With Kobo's columns, the review goes where Kobo's export has _validation_status:
  // right after _submission_time (kpi's copy_fields order).
  std::vector<Variable>& top = t->levels[0].variables;
  auto named = [&](std::string_view name, bool kept) {
    return std::find_if(top.begin(), top.end(), [&](const Variable& v) {
      return v.csv_name == name && v.kept == kept && v.question < 0;
    });
  };
  if (auto time = named("_submission_time", true); time != top.end()) {
    if (auto review = named("_validation_status", false); review != top.end()) {
      Variable moved = std::move(*review);
      top.erase(review);
      top.insert(named("_submission_time", true) + 1, std::move(moved));
    }
  }
}

}  // namespace

// Long on purpose: every format's names chosen together, so that they are unique within each
// file.
// NOLINTNEXTLINE(readability-function-size)
void BuildLayout(const form::Form& form, const std::vector<bool>& dropped,
                 const std::string& language, Tables* t, const std::vector<std::string>& metadata) {
  t->refused_codes = form::RefusedCodes(form);
  t->dont_know_codes = form::DontKnowCodes(form);
  t->language = language;
  // Levels: the top, then every repeat in form order.
  std::map<int, size_t> level_of;  // repeat index (-1 top) -> position in t->levels
  t->levels.push_back(Level{"main", -1, {}, 0});
  level_of[-1] = 0;
  for (const Question& q : form.questions) {
    if (!q.is_repeat() || dropped[q.index]) continue;
    level_of[q.index] = t->levels.size();
    t->levels.push_back(Level{q.name, q.index, {}, 0});
  }
  using words::Word;
  const std::string_view lang = words::CatalogueLanguage(language);
  auto say = [&](Word word) { return words::Text(word, lang); };
  auto meta = [](std::string name, std::string label) {
    Variable v;
    v.csv_name = std::move(name);
    v.label = std::move(label);
    v.type = "metadata";
    return v;
  };
  for (Level& level : t->levels) {
    level.variables.push_back(
        meta("KEY", say(level.repeat < 0 ? Word::kExportInstanceId : Word::kExportRepeatKey)));
    if (level.repeat >= 0) {
      level.variables.push_back(meta("PARENT_KEY", say(Word::kExportParentKey)));
    } else {
      level.variables.push_back(meta("FormVersion", say(Word::kExportFormVersion)));
      level.variables.push_back(meta("wave", say(Word::kExportWave)));
      level.variables.push_back(meta("org", say(Word::kExportOrganisationId)));
      level.variables.push_back(meta("interviewer", say(Word::kColumnInterviewer)));
      level.variables.push_back(meta("_validation_status", say(Word::kExportReviewStatus)));
    }
  }
  for (const Question& q : form.questions) {
    if (q.is_container() || q.type == QuestionType::kNote || dropped[q.index]) continue;
    int repeat = form.EnclosingRepeat(q);
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
      case QuestionType::kInteger:
        v.integer = true;
        [[fallthrough]];
      case QuestionType::kDecimal:
      case QuestionType::kRange:
        v.kind = VarKind::kNumber;
        break;
      case QuestionType::kDate:
      case QuestionType::kToday:
        v.kind = VarKind::kDate;
        break;
      case QuestionType::kDateTime:
      case QuestionType::kStart:
      case QuestionType::kEnd:
        v.kind = VarKind::kDateTime;
        break;
      case QuestionType::kSelectOne:
        v.kind = VarKind::kSelectOne;
        break;
      default:
        v.kind = VarKind::kText;
        break;
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
      for (const form::Choice* c : choices)
        options.emplace_back(c->name, form.Text(c->label, language));
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
    if (q.or_other &&
        (q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple)) {
      Variable o;
      o.kind = VarKind::kText;
      o.csv_name = v.csv_name + "_other";
      o.label = words::Text(words::Word::kExportOtherSpecify, words::CatalogueLanguage(language),
                            {v.label});
      o.type = "text (or_other)";
      o.question = q.index;
      o.specify = true;
      std::string chosen =
          q.name + (q.type == QuestionType::kSelectOne ? " is" : " includes") + " 'other'";
      o.relevant = v.relevant.empty() ? "Asked if " + chosen : v.relevant + " and " + chosen;
      level.variables.push_back(std::move(o));
    }
  }
  AddMetadataVariables(form, metadata, t);
  // Names per format, unique within each file. The "specify" texts are named first:
  // "q_other" is the name ODK and Kobo give them, so the 0/1 column of option
  // "other" (also "q_other" by the option rule) gets "q_other_2".
  for (Level& level : t->levels) {
    std::vector<std::string> stata_taken, spss_taken;
    for (bool specify_pass : {true, false}) {
      for (Variable& v : level.variables) {
        if (v.specify != specify_pass) continue;
        std::string wanted = v.question >= 0 ? form.questions[v.question].name : Lower(v.csv_name);
        if (v.kind == VarKind::kOption) wanted += "_" + v.option;
        if (v.specify) wanted += "_other";
        v.stata_name = StataName(wanted, &stata_taken);
        v.spss_name = SpssName(wanted, &spss_taken);
      }
    }
  }
}

void UseBareHeaders(const form::Form& form, Tables* t) {
  for (Level& level : t->levels) {
    std::set<std::string> taken;
    for (const Variable& v : level.variables) {
      if (v.question < 0) taken.insert(v.csv_name);  // KEY, PARENT_KEY, wave...
    }
    for (Variable& v : level.variables) {
      if (v.question < 0) continue;
      std::string name = form.questions[v.question].name;
      if (v.kind == VarKind::kOption) name += "/" + v.option;
      if (v.specify) name += "_other";
      std::string unique = name;
      for (int n = 2; taken.count(unique); ++n) unique = name + "_" + std::to_string(n);
      taken.insert(unique);
      v.csv_name = std::move(unique);
    }
  }
}

OutputFiles::~OutputFiles() {
  if (committed_) return;
  for (const std::string& temp : temps_) ::unlink(temp.c_str());
}

Result<std::string> OutputFiles::Add(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return MakeError("IO004", "cannot write the file: a folder has this name",
                     Location{.file = path});
  }
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string temp =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
  paths_.push_back(path);
  temps_.push_back(temp);
  return temp;
}

Status OutputFiles::Commit() {
  for (size_t i = 0; i < temps_.size(); ++i) {
    int fd = ::open(temps_[i].c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      std::string why = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return MakeError("IO003", "cannot sync to disk: " + why, Location{.file = paths_[i]});
    }
    ::close(fd);
  }
  // Every file is complete: rename them all. A rename fails only when the folder
  // became unwritable since the files were created there.
  for (size_t i = 0; i < temps_.size(); ++i) {
    if (::rename(temps_[i].c_str(), paths_[i].c_str()) != 0) {
      std::string why = std::strerror(errno);
      for (size_t j = 0; j < i; ++j) ::unlink(paths_[j].c_str());
      return MakeError("IO004", "cannot replace file: " + why, Location{.file = paths_[i]});
    }
  }
  committed_ = true;
  std::set<std::string> folders;
  for (const std::string& path : paths_) {
    std::string parent = std::filesystem::path(path).parent_path().string();
    folders.insert(parent.empty() ? "." : parent);
  }
  for (const std::string& folder : folders) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    (void)::fsync(fd);
    ::close(fd);
  }
  return Ok();
}

}  // namespace ngosurvey::exchange
