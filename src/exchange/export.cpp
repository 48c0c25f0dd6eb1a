#include "exchange/export.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

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

void BuildLayout(const form::Form& form, const std::vector<bool>& dropped,
                 const std::string& language, Tables* t) {
  t->refused_codes = RefusedCodes(form);
  t->dont_know_codes = DontKnowCodes(form);
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

}

namespace {

// Turns one submission into its rows: one on the main level, one per repeat
// instance. Answer paths are looked up in tables built once from the layout.
class RowBuilder {
 public:
  RowBuilder(const form::Form& form, const Tables& tables, const PseudonymPlan* pseudonyms,
             std::string_view key)
      : form_(form), tables_(tables), pseudonyms_(pseudonyms), key_(key) {
    targets_.resize(tables.levels.size());
    rows_.resize(tables.levels.size());
    for (size_t l = 0; l < tables.levels.size(); ++l) {
      const Level& level = tables.levels[l];
      if (level.repeat >= 0) level_of_repeat_[form.questions[level.repeat].path] = l;
      const std::string& repeat_path = level.repeat >= 0 ? form.questions[level.repeat].path : "";
      for (size_t c = 0; c < level.variables.size(); ++c) {
        const Variable& v = level.variables[c];
        if (v.question < 0) {
          metadata_.push_back({l, c});
          continue;
        }
        const Question& q = form.questions[v.question];
        std::string relative = level.repeat >= 0
                                   ? q.path.substr(std::min(q.path.size(), repeat_path.size() + 1))
                                   : form::RelativePath(q);
        Target& t = targets_[l][relative];
        if (v.kind == VarKind::kOption) {
          t.options.emplace_back(v.option, c);
        } else {
          t.column = static_cast<int>(c);
          t.question = v.question;
        }
      }
    }
  }

  Status Add(const store::Submission& s, const std::vector<store::AnswerView>& answers,
             RowWriter* writer) {
    scratch_.clear();
    for (auto& instances : instances_) instances.clear();
    instances_.resize(tables_.levels.size());
    Reset(0, &rows_[0]);
    std::string_view org = s.org_id, interviewer = s.interviewer;
    if (pseudonyms_) {
      org = Keep(Pseudonym(key_, "org", s.org_id));
      interviewer = Keep(Pseudonym(key_, "int", s.interviewer));
    }
    std::vector<Cell>& main = rows_[0];
    for (const store::AnswerView& a : answers) {
      if (a.path.find('[') == std::string_view::npos) {
        Put(0, a.path, a, &main);
        continue;
      }
      RepeatAnswer(s, a);
    }
    for (auto [l, c] : metadata_) {
      if (l != 0) continue;
      const std::string& name = tables_.levels[l].variables[c].csv_name;
      std::string_view value;
      if (name == "KEY") value = s.instance_id;
      else if (name == "FormVersion") value = s.form_version;
      else if (name == "wave") value = store::WaveName(s.wave);
      else if (name == "org") value = org;
      else if (name == "interviewer") value = interviewer;
      main[c] = value.empty() ? Cell{} : Cell{AnswerState::kAnswered, value};
    }
    NGO_TRY(writer->Row(0, main));
    for (size_t l = 1; l < instances_.size(); ++l) {
      for (auto& [indexes, instance] : instances_[l]) {
        for (auto [ml, c] : metadata_) {
          if (ml != l) continue;
          const std::string& name = tables_.levels[l].variables[c].csv_name;
          std::string_view value = name == "KEY" ? std::string_view(*instance.key)
                                                 : std::string_view(*instance.parent_key);
          instance.row[c] = Cell{AnswerState::kAnswered, value};
        }
        NGO_TRY(writer->Row(l, instance.row));
      }
    }
    return Ok();
  }

 private:
  struct Target {
    int column = -1;    // the question's own column
    int question = -1;
    std::vector<std::pair<std::string, size_t>> options;  // select_multiple 0/1 columns
  };
  struct Instance {
    const std::string* key = nullptr;
    const std::string* parent_key = nullptr;
    std::vector<Cell> row;
  };

  std::string_view Keep(std::string text) {
    scratch_.push_back(std::move(text));
    return scratch_.back();
  }

  void Reset(size_t level, std::vector<Cell>* row) {
    row->assign(tables_.levels[level].variables.size(), Cell{});
    // 0/1 columns of unanswered questions stay empty; answered ones are set in Put.
  }

  // Puts one answer into `row` of level `level` at relative path `relative`.
  void Put(size_t level, std::string_view relative, const store::AnswerView& a,
           std::vector<Cell>* row) {
    auto& targets = targets_[level];
    auto it = targets.find(relative);
    if (it == targets.end()) return;
    const Target& t = it->second;
    // A not_asked answer's kept-aside text never leaves the store.
    Cell cell = a.state == AnswerState::kAnswered ? Cell{AnswerState::kAnswered, a.value}
                                                  : Cell{a.state, {}};
    if (cell.state == AnswerState::kAnswered && pseudonyms_ && t.question >= 0 &&
        pseudonyms_->replaced[t.question] != PseudonymPlan::kKept) {
      bool org = pseudonyms_->replaced[t.question] == PseudonymPlan::kOrg;
      cell.text = Keep(Pseudonym(key_, org ? "org" : "int", a.value));
    }
    if (t.column >= 0) (*row)[t.column] = cell;
    if (t.options.empty()) return;
    if (cell.state != AnswerState::kAnswered) {
      for (const auto& [name, c] : t.options) (*row)[c] = cell;
      return;
    }
    for (const auto& [name, c] : t.options) (*row)[c] = Cell{AnswerState::kAnswered, "0"};
    // The value is a space-separated list of choice names.
    std::string_view rest = a.value;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      std::string_view chosen = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      if (chosen.empty()) continue;
      for (const auto& [name, c] : t.options) {
        if (name == chosen) (*row)[c] = Cell{AnswerState::kAnswered, "1"};
      }
    }
  }

  // An answer inside repeats: "programs[2]/staff[1]/role". Every indexed step
  // names an instance of a repeat level (created on first sight); the value goes
  // to the innermost one.
  void RepeatAnswer(const store::Submission& s, const store::AnswerView& a) {
    auto steps = form::ParseAnswerPath(a.path);
    if (!steps) return;
    std::string plain = "/data", with_index;
    std::vector<int> indexes;
    const std::string* parent_key = &s.instance_id;
    Instance* innermost = nullptr;
    size_t innermost_level = 0, relative_start = 0, consumed = 0;
    for (const form::PathStep& step : *steps) {
      plain += "/" + step.name;
      with_index += step.name;
      consumed += step.name.size();
      if (step.index > 0) {
        std::string index_text = "[" + std::to_string(step.index) + "]";
        with_index += index_text;
        consumed += index_text.size();
        indexes.push_back(step.index);
        auto level = level_of_repeat_.find(plain);
        if (level != level_of_repeat_.end()) {
          auto& instances = instances_[level->second];
          auto [it, inserted] = instances.try_emplace(indexes);
          if (inserted) {
            scratch_.push_back(s.instance_id + "/" + with_index);
            it->second.key = &scratch_.back();
            it->second.parent_key = parent_key;
            Reset(level->second, &it->second.row);
          }
          parent_key = it->second.key;
          innermost = &it->second;
          innermost_level = level->second;
          relative_start = consumed + 1;
        }
      }
      with_index += "/";
      consumed += 1;
    }
    if (!innermost || relative_start >= a.path.size()) return;
    Put(innermost_level, a.path.substr(relative_start), a, &innermost->row);
  }

  const form::Form& form_;
  const Tables& tables_;
  const PseudonymPlan* pseudonyms_;
  std::string_view key_;
  // Looked up by string_view (no copy of the path per answer).
  struct PathHash {
    using is_transparent = void;
    size_t operator()(std::string_view path) const { return std::hash<std::string_view>()(path); }
  };
  using Targets = std::unordered_map<std::string, Target, PathHash, std::equal_to<>>;
  std::vector<Targets> targets_;  // per level: relative path
  std::map<std::string, size_t> level_of_repeat_;                  // repeat path -> level
  std::vector<std::pair<size_t, size_t>> metadata_;                // (level, column)
  std::vector<std::vector<Cell>> rows_;
  std::vector<std::map<std::vector<int>, Instance>> instances_;   // per level
  std::deque<std::string> scratch_;  // texts cells point at (keys, pseudonyms)
};

class CsvWriter final : public RowWriter {
 public:
  static Result<std::unique_ptr<RowWriter>> Open(const Tables& tables, const std::string& path,
                                                 OutputFiles* files) {
    auto writer = std::unique_ptr<CsvWriter>(new CsvWriter(tables));
    for (const Level& level : tables.levels) {
      std::string file = level.repeat < 0 ? path : SiblingPath(path, level.name);
      std::string temp = NGO_TRY(files->Add(file));
      std::FILE* out = std::fopen(temp.c_str(), "wbx");
      if (!out) {
        return MakeError("IO004", "cannot create the file: " + std::string(std::strerror(errno)),
                         Location{.file = file});
      }
      writer->files_.push_back({out, file});
      std::string header;
      std::vector<std::string> names;
      for (const Variable& v : level.variables) names.push_back(v.csv_name);
      csv::AppendRow(names, &header);
      NGO_TRY(writer->Put(writer->files_.back(), header));
    }
    return std::unique_ptr<RowWriter>(std::move(writer));
  }
  ~CsvWriter() override {
    for (auto& f : files_) {
      if (f.file) std::fclose(f.file);
    }
  }
  Status Row(size_t level, const std::vector<Cell>& row) override {
    line_.clear();
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line_ += ',';
      std::string_view text = CellText(tables_, row[c]);
      if (NeedsQuotes(text)) {
        line_ += csv::Quote(text);
      } else {
        line_ += text;
      }
    }
    line_ += '\n';
    return Put(files_[level], line_);
  }
  Status Finish() override {
    for (auto& f : files_) {
      int rc = std::fclose(f.file);
      f.file = nullptr;
      if (rc != 0) return MakeError("IO004", "cannot write the file", Location{.file = f.path});
    }
    return Ok();
  }

 private:
  struct File {
    std::FILE* file = nullptr;
    std::string path;
  };
  explicit CsvWriter(const Tables& tables) : tables_(tables) {}
  static bool NeedsQuotes(std::string_view text) {
    if (text.empty()) return false;
    if (text.front() == ' ' || text.back() == ' ') return true;
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") return true;
    return text.find_first_of(",\"\r\n") != std::string_view::npos;
  }
  static Status Put(File& f, std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), f.file) != bytes.size()) {
      return MakeError("IO004", "cannot write the file", Location{.file = f.path});
    }
    return Ok();
  }
  const Tables& tables_;
  std::vector<File> files_;
  std::string line_;
};

}  // namespace

OutputFiles::~OutputFiles() {
  if (committed_) return;
  for (const std::string& temp : temps_) ::unlink(temp.c_str());
}

Result<std::string> OutputFiles::Add(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return MakeError("IO004", "cannot write the file: a folder has this name", Location{.file = path});
  }
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string temp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(rng() % 1000000000);
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

Result<std::unique_ptr<RowWriter>> OpenCsv(const Tables& tables, const std::string& path,
                                           OutputFiles* files) {
  return CsvWriter::Open(tables, path, files);
}

Result<ExportResult> ExportStream(const form::Form& form, const SubmissionSource& source,
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
  std::optional<PseudonymPlan> pseudonyms;
  if (options.pseudonym_key) {
    pseudonyms = PlanPseudonyms(form);
    dropped = pseudonyms->dropped;
  }
  Tables tables;
  BuildLayout(form, dropped, language, &tables);
  ExportResult result;
  for (const Level& level : tables.levels) result.variables += level.variables.size();
  OutputFiles files;
  std::unique_ptr<RowWriter> writer;
  switch (options.format) {
    case ExportFormat::kCsv: writer = NGO_TRY(OpenCsv(tables, path, &files)); break;
    case ExportFormat::kXlsx: writer = NGO_TRY(OpenXlsx(tables, path, &files)); break;
    case ExportFormat::kDta: writer = NGO_TRY(OpenReadStat(tables, true, path, &files)); break;
    case ExportFormat::kSav: writer = NGO_TRY(OpenReadStat(tables, false, path, &files)); break;
  }
  RowBuilder builder(form, tables, pseudonyms ? &*pseudonyms : nullptr,
                     options.pseudonym_key ? std::string_view(*options.pseudonym_key) : "");
  struct Counting final : RowWriter {
    RowWriter* inner;
    Tables* tables;
    Status Row(size_t level, const std::vector<Cell>& row) override {
      ++tables->levels[level].rows;
      return inner->Row(level, row);
    }
    Status Finish() override { return inner->Finish(); }
  } counting;
  counting.inner = writer.get();
  counting.tables = &tables;
  NGO_TRY(source([&](const store::Submission& s, const std::vector<store::AnswerView>& answers) {
    ++result.submissions;
    return builder.Add(s, answers, &counting);
  }));
  NGO_TRY(writer->Finish());
  NGO_TRY(WriteCodebook(form, tables, path, &files));
  NGO_TRY(files.Commit());
  result.files = files.paths();
  return result;
}

Result<ExportResult> ExportSubmissions(const form::Form& form,
                                       const std::vector<store::Submission>& submissions,
                                       const ExportOptions& options, const std::string& path) {
  auto source = [&](const store::SubmissionVisitor& visit) -> Status {
    std::vector<store::AnswerView> views;
    for (const store::Submission& s : submissions) {
      views.clear();
      for (const auto& [p, a] : s.answers) views.push_back({p, a.state, a.value});
      NGO_TRY(visit(s, views));
    }
    return Ok();
  };
  return ExportStream(form, source, options, path);
}

}  // namespace ngosurvey::exchange
