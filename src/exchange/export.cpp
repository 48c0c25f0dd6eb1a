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
#include "store/review.h"

namespace ngosurvey::exchange {
namespace {

using form::AnswerState;
using form::Question;

// ODK Central's ReviewState for a review given as KoboToolbox's uid (ExportOptions::
// validation_status).
std::string_view CentralStateOfKoboStatus(std::string_view uid) {
  for (store::ReviewStatus status :
       {store::ReviewStatus::kApproved, store::ReviewStatus::kNeedsChecking,
        store::ReviewStatus::kRejected}) {
    if (store::KoboValidationStatus(status) == uid) return store::CentralReviewState(status);
  }
  return uid;
}

// Turns one submission into its rows: one on the main level, one per repeat
// instance. Answer paths are looked up in tables built once from the layout.
class RowBuilder {
 public:
  RowBuilder(const form::Form& form, const Tables& tables, const PseudonymPlan* pseudonyms,
             std::string_view key, const std::map<std::string, std::string>& validation_status)
      : tables_(tables), pseudonyms_(pseudonyms), key_(key), validation_status_(validation_status) {
    targets_.resize(tables.levels.size());
    kept_.resize(tables.levels.size());
    rows_.resize(tables.levels.size());
    for (size_t l = 0; l < tables.levels.size(); ++l) {
      const Level& level = tables.levels[l];
      if (level.repeat >= 0) level_of_repeat_[form.questions[level.repeat].path] = l;
      const std::string& repeat_path = level.repeat >= 0 ? form.questions[level.repeat].path : "";
      for (size_t c = 0; c < level.variables.size(); ++c) {
        const Variable& v = level.variables[c];
        if (v.kept) {
          kept_[l].emplace(v.csv_name, c);
          continue;
        }
        if (v.question < 0) {
          metadata_.push_back({l, c});
          continue;
        }
        const Question& q = form.questions[v.question];
        std::string relative = level.repeat >= 0
                                   ? q.path.substr(std::min(q.path.size(), repeat_path.size() + 1))
                                   : form::RelativePath(q);
        if (v.specify) {
          targets_[l][relative + "_other"].column = static_cast<int>(c);
          continue;
        }
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
    for (const store::MetadataField& field : s.metadata) {
      auto [prefix, header] = SplitMetadataColumn(field.column);
      size_t level = 0;
      std::vector<Cell>* row = &main;
      if (!prefix.empty()) {
        auto steps = form::ParseAnswerPath(prefix);
        if (!steps) continue;
        size_t after = 0;
        Instance* instance = FindInstance(s, *steps, steps->size(), &level, &after);
        if (!instance || after != prefix.size() + 1) continue;  // a repeat left out
        row = &instance->row;
      }
      auto it = kept_[level].find(header);
      if (it == kept_[level].end()) continue;  // not in the layout (a dropped repeat)
      std::string_view value = field.value;
      // ODK Central's review state, kept as it came (received, edited...), says the
      // store's review when there is one, as Kobo's _validation_status does.
      if (level == 0 && header == "ReviewState") {
        if (auto review = validation_status_.find(s.instance_id);
            review != validation_status_.end()) {
          value = CentralStateOfKoboStatus(review->second);
        }
      }
      (*row)[it->second] = Cell{AnswerState::kAnswered, value};
    }
    for (auto [l, c] : metadata_) {
      if (l != 0) continue;
      const std::string& name = tables_.levels[l].variables[c].csv_name;
      std::string_view value;
      if (name == "KEY")
        value = s.instance_id;
      else if (name == "FormVersion")
        value = s.form_version;
      else if (name == "wave")
        value = store::WaveName(s.wave);
      else if (name == "org")
        value = org;
      else if (name == "interviewer")
        value = interviewer;
      else if (name == "_validation_status") {
        auto it = validation_status_.find(s.instance_id);
        if (it != validation_status_.end()) value = it->second;
      }
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
    int column = -1;  // the question's own column
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
        pseudonyms_->replaced[t.question] != PseudonymPlan::Replace::kKept) {
      bool org = pseudonyms_->replaced[t.question] == PseudonymPlan::Replace::kOrg;
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
    size_t innermost_level = 0, relative_start = 0;
    Instance* innermost = FindInstance(s, *steps, steps->size(), &innermost_level, &relative_start);
    if (!innermost || relative_start >= a.path.size()) return;
    Put(innermost_level, a.path.substr(relative_start), a, &innermost->row);
  }

  // The innermost repeat instance named by the first `count` steps of a path
  // (created on first sight, with the instances around it), its level, and where
  // the rest of the path starts after it; nullptr when no step is a repeat's.
  Instance* FindInstance(const store::Submission& s, const std::vector<form::PathStep>& steps,
                         size_t count, size_t* innermost_level, size_t* relative_start = nullptr) {
    std::string plain = "/data", with_index;
    std::vector<int> indexes;
    const std::string* parent_key = &s.instance_id;
    Instance* innermost = nullptr;
    size_t consumed = 0;
    for (size_t k = 0; k < count; ++k) {
      const form::PathStep& step = steps[k];
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
          *innermost_level = level->second;
          if (relative_start) *relative_start = consumed + 1;
        }
      }
      with_index += "/";
      consumed += 1;
    }
    return innermost;
  }

  const Tables& tables_;
  const PseudonymPlan* pseudonyms_;
  std::string_view key_;
  const std::map<std::string, std::string>& validation_status_;
  // Looked up by string_view (no copy of the path per answer).
  struct PathHash {
    using is_transparent = void;
    size_t operator()(std::string_view path) const { return std::hash<std::string_view>()(path); }
  };
  using Targets = std::unordered_map<std::string, Target, PathHash, std::equal_to<>>;
  std::vector<Targets> targets_;                     // per level: relative path
  std::map<std::string, size_t> level_of_repeat_;    // repeat path -> level
  std::vector<std::pair<size_t, size_t>> metadata_;  // (level, column)
  // Per level: a platform's metadata column (its header) -> column.
  std::vector<std::unordered_map<std::string, size_t, PathHash, std::equal_to<>>> kept_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<std::map<std::vector<int>, Instance>> instances_;  // per level
  std::deque<std::string> scratch_;  // texts cells point at (keys, pseudonyms)
};

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "xlsx") return ExportFormat::kXlsx;
  if (name == "dta") return ExportFormat::kDta;
  if (name == "sav") return ExportFormat::kSav;
  return MakeError("EXP001",
                   "unknown export format '" + std::string(name) + "' (csv, xlsx, dta or sav)");
}

Result<HeaderStyle> ParseHeaderStyle(std::string_view name) {
  if (name == "path") return HeaderStyle::kPath;
  if (name == "bare") return HeaderStyle::kBare;
  return MakeError("EXP005", "unknown header style '" + std::string(name) + "' (path or bare)");
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
  std::vector<std::string> metadata;
  if (!options.pseudonym_key) {
    if (options.metadata_columns) {
      metadata = *options.metadata_columns;
    } else {
      std::vector<store::Submission> heads;
      NGO_TRY(source([&](const store::Submission& s, const std::vector<store::AnswerView>&) {
        if (!s.metadata.empty()) heads.emplace_back().metadata = s.metadata;
        return Ok();
      }));
      metadata = store::MetadataColumnsOf(heads);
    }
  }
  Tables tables;
  BuildLayout(form, dropped, language, &tables, metadata);
  if (options.headers == HeaderStyle::kBare) UseBareHeaders(form, &tables);
  ExportResult result;
  for (const Level& level : tables.levels) result.variables += level.variables.size();
  OutputFiles files;
  std::unique_ptr<RowWriter> writer;
  switch (options.format) {
    case ExportFormat::kCsv:
      writer = NGO_TRY(OpenCsv(tables, path, &files));
      break;
    case ExportFormat::kXlsx:
      writer = NGO_TRY(OpenXlsx(tables, path, &files));
      break;
    case ExportFormat::kDta:
      writer = NGO_TRY(OpenReadStat(tables, true, path, &files));
      break;
    case ExportFormat::kSav:
      writer = NGO_TRY(OpenReadStat(tables, false, path, &files));
      break;
  }
  RowBuilder builder(form, tables, pseudonyms ? &*pseudonyms : nullptr,
                     options.pseudonym_key ? std::string_view(*options.pseudonym_key) : "",
                     options.validation_status);
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
  ExportOptions with_metadata = options;
  if (!with_metadata.metadata_columns) {
    with_metadata.metadata_columns = store::MetadataColumnsOf(submissions);
  }
  auto source = [&](const store::SubmissionVisitor& visit) -> Status {
    std::vector<store::AnswerView> views;
    for (const store::Submission& s : submissions) {
      views.clear();
      for (const auto& [p, a] : s.answers) views.push_back({p, a.state, a.value});
      NGO_TRY(visit(s, views));
    }
    return Ok();
  };
  return ExportStream(form, source, with_metadata, path);
}

}  // namespace ngosurvey::exchange
