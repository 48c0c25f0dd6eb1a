#include "exchange/import.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/date.h"
#include "base/text.h"
#include "exchange/import_context_internal.h"
#include "exchange/values_internal.h"
#include "form/columns.h"
#include "form/expr/expr.h"
#include "form/instance_xml.h"

namespace ngosurvey::exchange {
namespace {

using form::Answer;
using form::AnswerState;
using form::Form;
using form::Question;
using form::QuestionType;

// The instance ids of one import and the line of each one's first row, to refuse a
// repeated id (IMP011). An id is "uuid:" and 32 hex digits with dashes (checked before
// it comes here); it is kept as those digits' 128 bits and which of them are capitals
// (ids that differ in case are different ids, as strings are), 24 bytes in one flat
// table. A string and a hash node per row cost about 135 bytes per row and one
// allocation each, scattered through the heap for the whole import.
class SeenInstanceIds {
 public:
  // The line of the first row with `id` when it was seen before; otherwise notes it
  // on `line` and returns nullopt.
  std::optional<int> FirstLineOrAdd(std::string_view id, int line) {
    Slot key = Pack(id);
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    for (size_t i = Hash(key) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (!slot.used()) {
        key.line = std::max(line, 0);
        slot = key;
        ++count_;
        return std::nullopt;
      }
      if (slot.high == key.high && slot.low == key.low && slot.capitals == key.capitals)
        return slot.line;
    }
  }

 private:
  struct Slot {
    uint64_t high = 0, low = 0;
    uint32_t capitals = 0;  // bit k: hex digit k is A-F rather than a-f
    int32_t line = -1;      // -1: an empty slot (lines are >= 0)
    bool used() const { return line >= 0; }
  };

  static Slot Pack(std::string_view id) {
    Slot key;
    int digit = 0;
    for (char c : id.substr(5)) {  // after "uuid:"
      if (c == '-') continue;
      unsigned value = c <= '9'   ? static_cast<unsigned>(c - '0')
                       : c <= 'F' ? static_cast<unsigned>(c - 'A' + 10)
                                  : static_cast<unsigned>(c - 'a' + 10);
      if (c >= 'A' && c <= 'F') key.capitals |= uint32_t{1} << digit;
      uint64_t& half = digit < 16 ? key.high : key.low;
      half = half << 4 | value;
      ++digit;
    }
    return key;
  }

  static size_t Hash(const Slot& key) {
    uint64_t h =
        key.high * 0x9E3779B97F4A7C15ULL ^ (key.low + key.capitals) * 0xC2B2AE3D27D4EB4FULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    for (const Slot& slot : old) {
      if (!slot.used()) continue;
      size_t i = Hash(slot) & (slots_.size() - 1);
      while (slots_[i].used()) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// Metadata columns of the three layouts, and what they hold.
enum class Meta {
  kNone,
  kInstanceId,      // meta/instanceID, meta-instanceID, instanceID, _uuid
  kKey,             // KEY (ODK: the instance id on main rows, the row's key on repeats)
  kParentKey,       // PARENT_KEY
  kIndex,           // _index (Kobo)
  kParentIndex,     // _parent_index (Kobo)
  kSubmissionTime,  // SubmissionDate, _submission_time
  kInterviewer,     // interviewer (ngosurvey's own export, from the store)
  kUsername,        // username: the interviewer, when the form has no such question
  kWave,            // wave (ngosurvey)
  kOrg,             // org (ngosurvey)
  kReview,          // _validation_status (Kobo, ngosurvey): the store's review
  kCentralReview,   // ReviewState (ODK Central): the store's review, kept as written
  kIgnored,         // other known metadata, among them the account that sent the
                    // submission (SubmitterName, _submitted_by: often an account that
                    // several interviewers share, never taken as the interviewer)
};

Meta MetaColumn(std::string_view header) {
  static const std::map<std::string_view, Meta> known = {
      {"meta/instanceID", Meta::kInstanceId},
      {"meta-instanceID", Meta::kInstanceId},
      {"instanceID", Meta::kInstanceId},
      {"_uuid", Meta::kInstanceId},
      {"KEY", Meta::kKey},
      {"PARENT_KEY", Meta::kParentKey},
      {"_index", Meta::kIndex},
      {"_parent_index", Meta::kParentIndex},
      {"SubmissionDate", Meta::kSubmissionTime},
      {"_submission_time", Meta::kSubmissionTime},
      {"interviewer", Meta::kInterviewer},
      {"username", Meta::kUsername},
      {"wave", Meta::kWave},
      {"org", Meta::kOrg},
      {"_validation_status", Meta::kReview},
      {"ReviewState", Meta::kCentralReview},
  };
  static const std::set<std::string_view> ignored = {"SubmitterID",
                                                     "SubmitterName",
                                                     "AttachmentsPresent",
                                                     "AttachmentsExpected",
                                                     "Status",
                                                     "DeviceID",
                                                     "Edits",
                                                     "FormVersion",
                                                     "started_at",
                                                     "ended_at",
                                                     "__version__",
                                                     "formhub/uuid",
                                                     "meta/deprecatedID",
                                                     "meta/instanceName",
                                                     "meta-instanceName"};
  if (auto it = known.find(header); it != known.end()) return it->second;
  if (ignored.count(header)) return Meta::kIgnored;
  // Kobo adds many "_..." columns (_id, _status, _tags, _notes, _geolocation...).
  if (!header.empty() && header.front() == '_') return Meta::kIgnored;
  return Meta::kNone;
}

// The columns ngosurvey's own export writes from the store (export.h): never kept as
// metadata, so that its export re-imported and exported again has each once.
bool IsOwnExportColumn(std::string_view header) {
  for (std::string_view own :
       {"KEY", "PARENT_KEY", "FormVersion", "wave", "org", "interviewer", "_validation_status"}) {
    if (header == own) return true;
  }
  return false;
}

// A `_validation_status` cell as the store's review status: KoboToolbox's uid (as
// ngosurvey's export writes it) or its label, or ngosurvey's status name; nullopt
// for anything else.
std::optional<store::ReviewStatus> ReviewStatusOf(std::string_view cell) {
  using store::ReviewStatus;
  static const std::map<std::string_view, ReviewStatus> known = {
      {"validation_status_approved", ReviewStatus::kApproved},
      {"Approved", ReviewStatus::kApproved},
      {"approved", ReviewStatus::kApproved},
      {"validation_status_on_hold", ReviewStatus::kNeedsChecking},
      {"On Hold", ReviewStatus::kNeedsChecking},
      {"needs_checking", ReviewStatus::kNeedsChecking},
      {"validation_status_not_approved", ReviewStatus::kRejected},
      {"Not Approved", ReviewStatus::kRejected},
      {"rejected", ReviewStatus::kRejected},
  };
  auto it = known.find(cell);
  if (it == known.end()) return std::nullopt;
  return it->second;
}

// ODK Central's `ReviewState` cell: nullopt when it is not one of Central's states;
// else the store's review status it stands for, none for "received" (Central's
// state before any review, also written empty) and "edited" (changed since, not
// reviewed). The cell itself is kept as metadata, so that an export gives these
// back as they came.
std::optional<std::optional<store::ReviewStatus>> CentralReviewOf(std::string_view cell) {
  using store::ReviewStatus;
  if (cell == "approved") return ReviewStatus::kApproved;
  if (cell == "hasIssues") return ReviewStatus::kNeedsChecking;
  if (cell == "rejected") return ReviewStatus::kRejected;
  if (cell.empty() || cell == "received" || cell == "edited") return std::optional<ReviewStatus>();
  return std::nullopt;
}

// Ona's CSV export: columns only Ona writes (onadata's export builder: media counts,
// the duration, the form's id string).
bool IsOnaExport(const csv::Table& table) {
  for (std::string_view column : {"_xform_id_string", "_media_count", "_total_media",
                                  "_media_all_received", "_duration", "_date_modified"}) {
    if (table.ColumnIndex(column)) return true;
  }
  return false;
}

// How the columns of one file map to the form.
struct ColumnPlan {
  int level = -1;                              // -1 main, else the repeat's question index
  std::vector<std::pair<int, size_t>> values;  // (question, column)
  // select_multiple option columns: question -> (choice name, column)
  std::map<int, std::vector<std::pair<std::string, size_t>>> options;
  // The "specify" text of an or_other select ("q_other", "grp/q_other"): (select, column).
  std::vector<std::pair<int, size_t>> specify;
  // A geopoint given only in parts (Central's "loc-Latitude"..., Kobo's
  // "grp/_loc_latitude"...): question -> columns of latitude, longitude, altitude,
  // accuracy (SIZE_MAX where absent). Parts beside the geopoint's own column are
  // Kobo's copies of it and are not read.
  std::map<int, std::array<size_t, 4>> geo_parts;
  std::map<Meta, size_t> meta;
  // The platform's metadata columns kept with the submission (Submission::metadata),
  // in file order: every metadata column except ngosurvey's own export's (KEY,
  // PARENT_KEY, FormVersion, wave, org, interviewer, _validation_status), which its
  // export writes from the store itself.
  std::vector<size_t> kept;
  // Repeat instances flattened into this file's columns, as Ona writes them
  // ("children[1]/name", "children[2]/name", "children[1]/toys[1]/name"): one plan
  // per instance prefix ("children[1]/"), outer instances first.
  struct Flattened {
    std::string prefix;
    int repeat = -1;
    std::shared_ptr<const struct ColumnPlan> plan;
  };
  std::vector<Flattened> flattened;
  std::optional<size_t> Column(Meta m) const {
    auto it = meta.find(m);
    return it == meta.end() ? std::nullopt : std::optional<size_t>(it->second);
  }
};

// Ona's older exports (formhub's) carry none of Ona's metadata columns but still write
// "n/a" for a value not asked. A column that cannot hold that text (a number, a date, a
// geopoint, a choice of a list without an "n/a" choice, a select_multiple option's 0/1)
// holding it in the first chunk of rows says the file uses the marker.
bool UsesOnaNotAskedMarker(const Form& form, const csv::Table& table, const ColumnPlan& plan) {
  auto holds_marker = [&](size_t col) {
    for (const auto& row : table.rows) {
      if (col < row.size() && row[col] == "n/a") return true;
    }
    return false;
  };
  for (const auto& [q, col] : plan.values) {
    const Question& question = form.questions[static_cast<size_t>(q)];
    switch (question.type) {
      case QuestionType::kInteger:
      case QuestionType::kDecimal:
      case QuestionType::kRange:
      case QuestionType::kDate:
      case QuestionType::kTime:
      case QuestionType::kDateTime:
      case QuestionType::kGeopoint:
        break;
      case QuestionType::kSelectOne:
      case QuestionType::kSelectMultiple: {
        const form::ChoiceList* list = form.FindChoiceList(question.list_name);
        if (list == nullptr || list->Find("n/a") != nullptr) continue;
        break;
      }
      default:
        continue;
    }
    if (holds_marker(col)) return true;
  }
  for (const auto& [q, columns] : plan.options) {
    for (const auto& [choice, col] : columns) {
      if (holds_marker(col)) return true;
    }
  }
  return false;
}

// The header names of the questions of one level (-1: the top), most specific first:
// a group path never loses to a bare name, and a bare name counts only when one
// question of the level has it (a repeat may reuse a name of the top level).
struct LevelNames {
  std::unordered_map<std::string, int> names;
  std::unordered_map<std::string, std::pair<int, std::string>> option_names;
  std::unordered_map<std::string, int> specify_names;
  std::unordered_map<std::string, std::pair<int, int>> geo_part_names;  // (question, part)
  // Kobo's literacy widget (a select_multiple with appearance "literacy"): the
  // parameters formpack writes before the question's column, "q/Word at flash"...
  std::unordered_set<std::string> literacy_names;
};

// The parameters of Kobo's literacy widget as formpack's export names them after the
// question's header (FormLiteracyTestField: the first three numbers of the answer;
// the answer's column holds the words read incorrectly).
constexpr std::array<std::string_view, 3> kLiteracyParameters = {
    "Word at flash", "Duration of exercise", "Total words attempted"};

bool IsLiteracy(const Question& q) {
  return q.type == QuestionType::kSelectMultiple &&
         q.appearance.find("literacy") != std::string::npos;
}

LevelNames NamesOfLevel(const Form& form, int level) {
  LevelNames out;
  std::unordered_map<std::string, int> bare_count;
  for (const Question& q : form.questions) {
    if (!q.is_container() && form.EnclosingRepeat(q) == level) ++bare_count[q.name];
  }
  static constexpr std::array<std::string_view, 4> kCentralParts = {"Latitude", "Longitude",
                                                                    "Altitude", "Accuracy"};
  static constexpr std::array<std::string_view, 4> kKoboParts = {"latitude", "longitude",
                                                                 "altitude", "precision"};
  for (int pass = 0; pass < 2; ++pass) {
    for (const Question& q : form.questions) {
      if (q.is_container() || form.EnclosingRepeat(q) != level) continue;
      const bool select =
          q.type == QuestionType::kSelectOne || q.type == QuestionType::kSelectMultiple;
      const form::ChoiceList* list = form.FindChoiceList(q.list_name);
      for (const std::string& name : form::ColumnNames(q)) {
        bool bare = name == q.name;
        if ((pass == 0) == bare) continue;
        if (bare && bare_count[q.name] != 1) continue;
        out.names.emplace(name, q.index);
        if (q.or_other && select) out.specify_names.emplace(name + "_other", q.index);
        if (IsLiteracy(q)) {
          for (std::string_view parameter : kLiteracyParameters) {
            out.literacy_names.insert(name + "/" + std::string(parameter));
          }
        }
        if (q.type == QuestionType::kSelectMultiple) {
          std::vector<std::string> options;
          if (list)
            for (const form::Choice& choice : list->choices) options.push_back(choice.name);
          if (q.or_other) options.push_back("other");
          for (const std::string& option : options) {
            out.option_names.emplace(name + "/" + option, std::pair{q.index, option});
            out.option_names.emplace(name + "-" + option, std::pair{q.index, option});
          }
        }
        if (q.type == QuestionType::kGeopoint) {
          // Central: "loc-Latitude" (groups joined by '-' or '/'); Kobo: the group
          // path, then "_loc_latitude".
          size_t slash = name.rfind('/');
          std::string kobo_prefix =
              (slash == std::string::npos ? std::string() : name.substr(0, slash + 1)) + "_" +
              q.name + "_";
          for (int part = 0; part < 4; ++part) {
            out.geo_part_names.emplace(name + "-" + std::string(kCentralParts[part]),
                                       std::pair{q.index, part});
            if (!kobo_prefix.empty()) {
              out.geo_part_names.emplace(kobo_prefix + std::string(kKoboParts[part]),
                                         std::pair{q.index, part});
            }
          }
        }
      }
    }
  }
  return out;
}

// Columns the platforms add beside a question, which hold no answer: Kobo's media
// URL ("photo_URL", "grp/audit_URL", beside the file name), and Kobo's "_..."
// columns inside groups ("geo/_geolocation", attachments' metadata).
bool IsPlatformExtra(const LevelNames& names, std::string_view header) {
  size_t slash = header.rfind('/');
  std::string_view last = slash == std::string_view::npos ? header : header.substr(slash + 1);
  if (!last.empty() && last.front() == '_') return true;
  constexpr std::string_view kUrl = "_URL";
  if (header.size() > kUrl.size() && header.substr(header.size() - kUrl.size()) == kUrl) {
    std::string stem(header.substr(0, header.size() - kUrl.size()));
    if (names.names.count(stem)) return true;
    size_t stem_slash = stem.rfind('/');
    std::string_view stem_last = stem_slash == std::string::npos
                                     ? std::string_view(stem)
                                     : std::string_view(stem).substr(stem_slash + 1);
    if (stem_last == "audit") return true;  // Kobo writes audit_URL even for meta/audit
  }
  return false;
}

// A header with repeat indexes, "grp/children[2]/toys[1]/name": the innermost
// repeat's instance prefix ("grp/children[2]/toys[1]/"), its path without indexes
// ("/data/grp/children/toys") and the header without indexes
// ("grp/children/toys/name"). Nullopt for a header without "[n]" steps.
struct IndexedHeader {
  std::string prefix, repeat_path, plain;
  std::vector<std::string> outer_paths;  // the other indexed steps' paths, outer first
};
std::optional<IndexedHeader> ParseIndexedHeader(std::string_view header) {
  if (header.find('[') == std::string_view::npos) return std::nullopt;
  IndexedHeader out;
  std::string path = "/data";
  size_t start = 0;
  bool any = false;
  while (start <= header.size()) {
    size_t slash = header.find('/', start);
    std::string_view step = header.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string_view name = step;
    if (size_t open = step.find('['); open != std::string_view::npos) {
      std::string_view index = step.substr(open + 1);
      if (index.size() < 2 || index.back() != ']') return std::nullopt;
      index.remove_suffix(1);
      int n = 0;
      auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), n);
      if (ec != std::errc() || ptr != index.data() + index.size() || n < 1) return std::nullopt;
      name = step.substr(0, open);
      if (any) out.outer_paths.push_back(out.repeat_path);
      any = true;
      out.repeat_path = path + "/" + std::string(name);
      out.prefix = std::string(header.substr(0, start + step.size())) + "/";
    }
    if (name.empty()) return std::nullopt;
    path += "/" + std::string(name);
    out.plain += (out.plain.empty() ? "" : "/") + std::string(name);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (!any || out.prefix.size() > header.size()) return std::nullopt;
  return out;
}

// `only`, when given, marks the columns to read (a flattened instance's own).
// Long on purpose: every layout's columns classified in one pass; the cases share the plan being
// built.
// NOLINTNEXTLINE(readability-function-size)
Result<ColumnPlan> PlanColumns(const Form& form, const csv::Table& table, int level,
                               const std::vector<bool>* only = nullptr) {
  const LevelNames names = NamesOfLevel(form, level);
  ColumnPlan plan;
  plan.level = level;
  std::vector<size_t> unknown;
  std::map<int, std::array<size_t, 4>> geo_parts;
  // Flattened repeat instances: prefix -> (repeat, columns renamed without indexes).
  struct FlatColumns {
    int repeat = -1;
    csv::Table table;  // the file's columns renamed without indexes
    std::vector<bool> own;
  };
  std::map<std::string, FlatColumns> flat;
  std::vector<std::string> flat_order;
  std::unordered_map<std::string, int> repeat_by_path;
  for (const Question& q : form.questions) {
    if (q.is_repeat()) repeat_by_path.emplace(q.path, q.index);
  }
  for (size_t col = 0; col < table.header.size(); ++col) {
    if (only && !(*only)[col]) continue;
    const std::string& header = table.header[col];
    if (auto indexed = ParseIndexedHeader(header); indexed && !only) {
      // Ona's flattened repeats: every indexed step a repeat of the form, the
      // outermost inside this file's level.
      auto repeat = repeat_by_path.find(indexed->repeat_path);
      bool nested_ok = repeat != repeat_by_path.end();
      for (const std::string& outer : indexed->outer_paths) {
        nested_ok = nested_ok && repeat_by_path.count(outer);
      }
      int outermost =
          nested_ok ? repeat_by_path.at(indexed->outer_paths.empty() ? indexed->repeat_path
                                                                     : indexed->outer_paths.front())
                    : -1;
      if (nested_ok && form.EnclosingRepeat(form.questions[outermost]) == level) {
        auto [it, inserted] = flat.try_emplace(indexed->prefix);
        FlatColumns& f = it->second;
        if (inserted) {
          f.repeat = repeat->second;
          f.table.file = table.file;
          f.table.header.resize(table.header.size());
          f.own.assign(table.header.size(), false);
          flat_order.push_back(indexed->prefix);
        }
        // At the file's own column position: rows are the file's rows.
        f.table.header[col] = indexed->plain;
        f.own[col] = true;
        continue;
      }
    }
    if (auto it = names.names.find(header); it != names.names.end()) {
      plan.values.emplace_back(it->second, col);
    } else if (auto opt = names.option_names.find(header); opt != names.option_names.end()) {
      plan.options[opt->second.first].emplace_back(opt->second.second, col);
    } else if (auto other = names.specify_names.find(header); other != names.specify_names.end()) {
      plan.specify.emplace_back(other->second, col);
    } else if (names.literacy_names.count(header)) {
      plan.kept.push_back(col);  // the literacy widget's parameters: kept as metadata
    } else if (auto geo = names.geo_part_names.find(header); geo != names.geo_part_names.end()) {
      auto [slot, inserted] = geo_parts.try_emplace(geo->second.first);
      if (inserted) slot->second.fill(SIZE_MAX);
      slot->second[geo->second.second] = col;
    } else if (Meta m = MetaColumn(header); m != Meta::kNone) {
      if (m != Meta::kIgnored) plan.meta.emplace(m, col);
      if (!IsOwnExportColumn(header)) plan.kept.push_back(col);
    } else if (header.rfind("meta/", 0) == 0 || header.rfind("meta-", 0) == 0) {
      // other metadata of the instance (audit, deprecatedID...)
      plan.kept.push_back(col);
    } else if (IsPlatformExtra(names, header)) {
      // media URLs and Kobo's "_..." columns inside groups: not answers
      plan.kept.push_back(col);
    } else {
      unknown.push_back(col);
    }
  }
  for (const std::string& prefix : flat_order) {
    const FlatColumns& f = flat.at(prefix);
    const int repeat = f.repeat;
    auto sub_plan = PlanColumns(form, f.table, repeat, &f.own);
    if (!sub_plan) {
      Error e = sub_plan.error();
      // Name the column as the file writes it.
      if (e.where.column > 0) {
        e.message = "column '" + table.header[e.where.column - 1] +
                    "' is not a question of form '" + form.settings.form_id + "' in repeat '" +
                    form.questions[repeat].name + "'";
      }
      return tl::unexpected(e);
    }
    plan.flattened.push_back(
        {prefix, repeat, std::make_shared<const ColumnPlan>(std::move(*sub_plan))});
  }
  // Outer instances before the ones inside them, each repeat's instances in order.
  std::stable_sort(plan.flattened.begin(), plan.flattened.end(), [](const auto& x, const auto& y) {
    return std::count(x.prefix.begin(), x.prefix.end(), '[') <
           std::count(y.prefix.begin(), y.prefix.end(), '[');
  });
  // Geopoint parts count only for a geopoint without its own column; beside it they
  // are Kobo's copies of its parts, kept as metadata. (A named pair, not a structured
  // binding: clang 14, which tools/tidy runs, cannot capture a binding in a lambda.)
  for (const auto& part : geo_parts) {
    bool own = std::any_of(plan.values.begin(), plan.values.end(),
                           [&](const auto& v) { return v.first == part.first; });
    if (!own) {
      plan.geo_parts.emplace(part.first, part.second);
      continue;
    }
    for (size_t col : part.second) {
      if (col != SIZE_MAX) plan.kept.push_back(col);
    }
  }
  std::sort(plan.kept.begin(), plan.kept.end());
  if (!unknown.empty()) {
    std::string message = "column '" + table.header[unknown[0]] + "' is not a question of form '" +
                          form.settings.form_id + "'";
    if (level >= 0) message += " in repeat '" + form.questions[level].name + "'";
    if (unknown.size() > 1) {
      message += " (nor are " + std::to_string(unknown.size() - 1) + " other columns:";
      for (size_t i = 1; i < unknown.size() && i < 6; ++i)
        message += " '" + table.header[unknown[i]] + "'";
      message += unknown.size() > 6 ? " ...)" : ")";
    }
    if (plan.values.empty() && plan.options.empty()) {
      message += "; no column matches the form: is this an export of another form?";
    }
    return MakeError(
        "IMP001", message,
        Location{.file = table.file, .row = 1, .column = static_cast<int>(unknown[0] + 1)});
  }
  return plan;
}

// One repeat instance: the row it came from and its path prefix.
struct Instance {
  const csv::Table* table = nullptr;
  const ColumnPlan* plan = nullptr;
  size_t row = 0;
  std::string prefix;     // "programs[2]/" (the repeat's path from its parent level)
  int repeat = -1;        // question index of the repeat
  size_t file_order = 0;  // position of its file among the repeat files
};

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool IsOne(std::string_view v) { return v == "1" || v == "True" || v == "true" || v == "TRUE"; }
bool IsZero(std::string_view v) { return v == "0" || v == "False" || v == "false" || v == "FALSE"; }

// Where a raw value came from; its Location is made only when a message needs it.
struct CellRef {
  const csv::Table* table = nullptr;
  size_t row = 0, column = 0;
  Location where() const { return table->Where(row, column); }
};
using RawValue = std::pair<std::string, CellRef>;
using RawValues = std::map<int, RawValue>;
// One row's cells: the questions' and the or_other selects' "specify" texts.
struct RowValues {
  RawValues answers;
  RawValues specify;  // select question -> its "_other" text
};

// Rows of one submission being built.
struct Draft {
  size_t main_row = 0;
  store::Submission submission;
  std::vector<Error> errors;
  std::vector<Instance> instances;            // repeat rows, in file order
  std::optional<store::ReviewStatus> review;  // from _validation_status
};

class Importer {
 public:
  Importer(const Form& form, const store::FormVersion& version, const ImportOptions& options)
      : form_(form),
        version_(version),
        options_(options),
        context_(form),
        refused_(form::RefusedCodes(form)),
        dont_know_(form::DontKnowCodes(form)) {
    for (const Question& q : form.questions) relative_paths_.push_back(form::RelativePath(q));
  }

  // Reads the main file's rows from `source` a chunk at a time (`chunk` holds the
  // header already), checks each row with its repeat rows, and adds the valid new
  // submissions to `writer`. Rejected rows and warnings go to `report`.
  // Long on purpose: the all-or-nothing read of the main and repeat files, chunk by chunk, in one
  // place.
  // NOLINTNEXTLINE(readability-function-size)
  Status Run(const std::function<Result<bool>(size_t, csv::Table*)>& source, csv::Table* chunk,
             const std::vector<RepeatTable>& repeats, store::ImportWriter* writer,
             ImportReport* report) {
    writer_ = writer;
    const csv::Table& main = *chunk;
    ColumnPlan main_plan = NGO_TRY(PlanColumns(form_, main, -1));
    // Ona's by its columns here, or by the first rows' "n/a" below (formhub's exports have
    // no Ona column); the layout is said once the rows are read.
    ona_ = IsOnaExport(main) || !main_plan.flattened.empty();
    std::optional<size_t> id_column = main_plan.Column(Meta::kInstanceId);
    if (!id_column) id_column = main_plan.Column(Meta::kKey);
    if (!id_column) {
      return MakeError("IMP002",
                       "no instance id column (meta/instanceID, KEY or _uuid): rows cannot be "
                       "told apart, so a re-import would duplicate them",
                       Location{.file = main.file, .row = 1});
    }

    // Repeat files, outer repeats first so that nested ones find their parents.
    std::set<int> seen_repeats;
    for (const RepeatTable& r : repeats) {
      const Question* q = form_.FindQuestion(r.repeat);
      if (!q || !q->is_repeat() || !seen_repeats.insert(q->index).second) {
        return MakeError(
            "IMP003",
            "'" + r.repeat + "' " +
                (!q || !q->is_repeat() ? "is not a repeat of form '" + form_.settings.form_id + "'"
                                       : "is given twice"),
            Location{.file = r.table.file});
      }
      repeat_files_.push_back(RepeatFile{q->index, &r, {}, {}, {}, {}, {}, {}});
    }
    auto depth = [&](int index) {
      int n = 0;
      for (int p = index; p >= 0; p = form_.EnclosingRepeat(form_.questions[p])) ++n;
      return n;
    };
    std::stable_sort(repeat_files_.begin(), repeat_files_.end(), [&](const auto& x, const auto& y) {
      return depth(x.repeat) < depth(y.repeat);
    });
    for (RepeatFile& f : repeat_files_) {
      f.plan = NGO_TRY(PlanColumns(form_, f.file->table, f.repeat));
      const csv::Table& table = f.file->table;
      const Question& rq = form_.questions[f.repeat];
      int parent_level = form_.EnclosingRepeat(rq);
      std::optional<size_t> link = f.plan.Column(Meta::kParentKey);
      f.key = f.plan.Column(Meta::kKey);
      if (!link) {
        link = f.plan.Column(Meta::kParentIndex);
        f.key = f.plan.Column(Meta::kIndex);
      }
      if (!link) {
        return MakeError("IMP004",
                         "repeat '" + rq.name + "' has no PARENT_KEY (or _parent_index) column",
                         Location{.file = table.file, .row = 1});
      }
      if (parent_level >= 0 && !seen_repeats.count(parent_level)) {
        return MakeError("IMP004",
                         "repeat '" + rq.name + "' is inside repeat '" +
                             form_.questions[parent_level].name + "', which has no file",
                         Location{.file = table.file});
      }
      f.link = *link;
      f.parent_level = parent_level;
      // The repeat's path relative to its parent node: "programs" or "grp/programs".
      std::string parent_path = parent_level >= 0 ? form_.questions[parent_level].path : "/data";
      f.relative = rq.path.substr(std::min(rq.path.size(), parent_path.size() + 1));
      f.matched.assign(table.rows.size(), false);
      for (size_t row = 0; row < table.rows.size(); ++row) {
        f.by_parent[std::string(text::Trim(table.rows[row][f.link]))].push_back(row);
      }
    }
    expressions_ = CompileExpressions(form_, context_, &report->warnings);

    bool any_row = false;
    const size_t chunk_rows =
        std::clamp<size_t>(kChunkCells / std::max<size_t>(1, main.header.size()), 16, kChunkRows);
    std::vector<Draft> drafts;
    while (true) {
      bool more = NGO_TRY(source(chunk_rows, chunk));
      if (!more) break;
      if (!any_row && !ona_) ona_ = UsesOnaNotAskedMarker(form_, main, main_plan);
      any_row = true;
      report->rows += main.rows.size();
      drafts.resize(main.rows.size());
      for (size_t row = 0; row < main.rows.size(); ++row) {
        Draft& d = drafts[row];
        d = Draft{};
        d.main_row = row;
        std::string id(text::Trim(main.rows[row][*id_column]));
        if (!id.empty() && id.rfind("uuid:", 0) != 0 && main.header[*id_column] == "_uuid") {
          id = "uuid:" + id;
        }
        d.submission.instance_id = id;
        if (!store::IsValidInstanceId(id)) {
          d.errors.push_back(Error{
              "IMP010",
              id.empty() ? "no instance id" : "instance id '" + id + "' is not \"uuid:\" + a UUID",
              main.Where(row, *id_column)});
        } else if (auto first = seen_ids_.FirstLineOrAdd(id, main.row_lines[row])) {
          d.errors.push_back(
              Error{"IMP011", "instance id " + id + " is also on line " + std::to_string(*first),
                    main.Where(row, *id_column)});
        }
        // The main row's keys (instance id, KEY, _index) name it in repeat files.
        std::vector<std::string> keys = {id};
        for (Meta m : {Meta::kKey, Meta::kIndex}) {
          if (auto col = main_plan.Column(m)) keys.emplace_back(text::Trim(main.rows[row][*col]));
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (const std::string& key : keys) AttachChildren(-1, key, row, "", &d);
        // Ona's flattened instances: the columns of an instance the row does not
        // have are empty (the file has as many as the row with the most).
        for (size_t k = 0; k < main_plan.flattened.size(); ++k) {
          const ColumnPlan::Flattened& flat = main_plan.flattened[k];
          if (NoValue(main, row, *flat.plan)) continue;
          d.instances.push_back(Instance{&main, flat.plan.get(), row, flat.prefix, flat.repeat,
                                         repeat_files_.size() + k});
        }
        // Instances in file order (outer files first), as the checks count them.
        std::stable_sort(
            d.instances.begin(), d.instances.end(), [](const Instance& x, const Instance& y) {
              return x.file_order != y.file_order ? x.file_order < y.file_order : x.row < y.row;
            });
      }
      for (Draft& d : drafts) {
        BuildSubmission(main, main_plan, &d, &report->warnings);
        if (d.errors.empty()) CheckAgainstStore(&d);
        if (store_error_) return tl::unexpected(*store_error_);
        if (d.errors.empty()) {
          if (d.submission.instance_id.empty()) continue;  // unchanged: already stored
          Status added = writer_->Add(d.submission);
          if (added && d.review) {
            added = writer_->SetReview(
                store::Review{d.submission.instance_id, *d.review, "", options_.reviewer, 0});
          }
          if (!added) {
            Error e = added.error();
            if (e.where.file.empty())
              e.where = Location{.file = main.file, .row = main.row_lines[d.main_row]};
            return tl::unexpected(e);
          }
          ++report->stored;
        } else {
          report->rejected.push_back(RejectedRow{main.file, main.row_lines[d.main_row],
                                                 d.submission.instance_id, std::move(d.errors)});
        }
      }
    }
    if (!any_row) {
      return MakeError("IMP005", "no data rows: nothing to import",
                       Location{.file = main.file, .row = 1});
    }
    report->layout = main_plan.Column(Meta::kWave) || main_plan.Column(Meta::kOrg) ? "ngosurvey"
                     : ona_                                                        ? "ona"
                     : main.ColumnIndex("_uuid") || main.ColumnIndex("_submission_time") ? "kobo"
                                                                                         : "odk";
    // Repeat rows whose parent never came.
    for (const RepeatFile& f : repeat_files_) {
      const csv::Table& table = f.file->table;
      for (size_t row = 0; row < table.rows.size(); ++row) {
        if (f.matched[row]) continue;
        RejectedRow rejected{table.file, table.row_lines[row], "", {}};
        rejected.reasons.push_back(Error{
            "IMP018",
            "no row of the " + std::string(f.parent_level >= 0 ? "parent repeat" : "main file") +
                " has key '" + std::string(text::Trim(table.rows[row][f.link])) + "'",
            table.Where(row, f.link)});
        report->rejected.push_back(std::move(rejected));
      }
    }
    report->unchanged = unchanged_;
    return Ok();
  }

 private:
  // Rows are read a chunk at a time: at most kChunkRows, and at most kChunkCells cells
  // (a chunk's cells cost about 60 bytes each: 2,048 rows of an 800-column tool held
  // about 100 MB, of a 2,000-column one 250 MB).
  static constexpr size_t kChunkRows = 2048;
  static constexpr size_t kChunkCells = size_t{1} << 18;

  // A repeat's file, indexed by its link column.
  struct RepeatFile {
    int repeat = -1;
    const RepeatTable* file = nullptr;
    ColumnPlan plan;
    std::optional<size_t> key;                                       // own key column (KEY, _index)
    std::string relative;                                            // path from the parent node
    std::unordered_map<std::string, std::vector<size_t>> by_parent;  // link -> rows
    std::vector<bool> matched;
    size_t link = 0;
    int parent_level = -1;
  };

  // Adds to `d` the rows of every repeat file whose parent (at `level`: -1 main,
  // else a repeat) has key `key`, with path prefix `prefix`, and their own
  // children. A row belongs to the first parent that claims it.
  void AttachChildren(int level, const std::string& key, size_t, const std::string& prefix,
                      Draft* d) {
    if (key.empty() && level >= 0) return;
    for (size_t fi = 0; fi < repeat_files_.size(); ++fi) {
      RepeatFile& f = repeat_files_[fi];
      if (f.parent_level != level) continue;
      auto it = f.by_parent.find(key);
      if (it == f.by_parent.end()) continue;
      int count = 0;
      for (size_t row : it->second) {
        if (f.matched[row]) continue;
        f.matched[row] = true;
        const csv::Table& table = f.file->table;
        int index = ++count;
        std::string own_key = f.key ? std::string(text::Trim(table.rows[row][*f.key])) : "";
        // ODK keys end with the instance number: "uuid:...x/programs[2]".
        if (own_key.size() > 2 && own_key.back() == ']') {
          size_t open = own_key.rfind('[');
          int n = 0;
          if (open != std::string::npos) {
            auto [ptr, ec] =
                std::from_chars(own_key.data() + open + 1, own_key.data() + own_key.size() - 1, n);
            if (ec == std::errc() && n > 0) index = n;
          }
        }
        Instance instance{&table,   &f.plan,
                          row,      prefix + f.relative + "[" + std::to_string(index) + "]/",
                          f.repeat, fi};
        std::string child_prefix = instance.prefix;
        d->instances.push_back(std::move(instance));
        if (!own_key.empty()) AttachChildren(f.repeat, own_key, 0, child_prefix, d);
      }
    }
  }

  // The answer for one cell: validates the raw text against the question.
  void CheckCell(const Question& q, std::string_view raw, const CellRef& where, Answer* answer,
                 std::vector<Error>* errors) {
    if (Contains(refused_, raw)) {
      *answer = Answer::Refused();
      return;
    }
    if (Contains(dont_know_, raw)) {
      *answer = Answer::DontKnow();
      return;
    }
    if (auto problem = CheckValue(form_, q, raw, refused_, dont_know_)) {
      errors->push_back(Error{problem->code, problem->message, where.where()});
      return;
    }
    *answer = Answer::Answered(std::string(raw));
  }

  bool Relevant(const Question& q) {
    return IsRelevant(form_, expressions_, context_, evaluator_, q);
  }

  // True when every cell of `plan` in `row` is empty.
  bool NoValue(const csv::Table& table, size_t row, const ColumnPlan& plan) const {
    auto empty = [&](size_t col) { return col == SIZE_MAX || Cell(table, row, col).empty(); };
    for (const auto& [q, col] : plan.values)
      if (!empty(col)) return false;
    for (const auto& [q, col] : plan.specify)
      if (!empty(col)) return false;
    for (const auto& [q, columns] : plan.options)
      for (const auto& [choice, col] : columns)
        if (!empty(col)) return false;
    for (const auto& [q, columns] : plan.geo_parts)
      for (size_t col : columns)
        if (!empty(col)) return false;
    return true;
  }

  // A cell as the answer's text: exactly as written (no trimming: a trailing space
  // or line break typed by the respondent is data), except Ona's "n/a", which
  // stands for no value in its exports.
  std::string_view Cell(const csv::Table& table, size_t row, size_t col) const {
    std::string_view cell = table.rows[row][col];
    if (ona_ && cell == "n/a") return {};
    return cell;
  }

  // Reads the raw text of each question column of one row into `raws` (the
  // select_multiple list rebuilt from option columns when needed, a geopoint from its
  // parts when it has no column of its own).
  void ReadRow(const csv::Table& table, const ColumnPlan& plan, size_t row, RowValues* values,
               std::vector<Error>* errors) {
    RawValues* raws = &values->answers;
    for (const auto& [question, col] : plan.values) {
      (*raws)[question] = {std::string(Cell(table, row, col)), CellRef{&table, row, col}};
    }
    for (const auto& [question, col] : plan.specify) {
      std::string_view cell = Cell(table, row, col);
      if (!cell.empty()) values->specify[question] = {std::string(cell), CellRef{&table, row, col}};
    }
    for (const auto& [question, columns] : plan.geo_parts) {
      // "lat lon alt acc" as ODK writes a geopoint; trailing empty parts left out.
      std::vector<std::string_view> parts;
      size_t first = SIZE_MAX;
      for (size_t col : columns) {
        if (col == SIZE_MAX) {
          parts.emplace_back();
          continue;
        }
        first = std::min(first, col);
        parts.push_back(Cell(table, row, col));
      }
      while (!parts.empty() && parts.back().empty()) parts.pop_back();
      std::string joined;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i) joined += ' ';
        joined += parts[i];  // an empty part in the middle fails the geopoint check
      }
      (*raws)[question] = {std::move(joined), CellRef{&table, row, first}};
    }
    for (const auto& [question, columns] : plan.options) {
      std::vector<std::string> chosen;
      bool any_cell = false;
      for (const auto& [choice, col] : columns) {
        // A 0/1 cell is a flag, not typed text: surrounding spaces mean nothing.
        std::string_view cell = text::Trim(Cell(table, row, col));
        // ngosurvey's own export repeats a refused / don't know code in every option
        // column; the list column says the same.
        if (cell.empty() || Contains(refused_, cell) || Contains(dont_know_, cell)) continue;
        any_cell = true;
        if (IsOne(cell)) {
          chosen.push_back(choice);
        } else if (!IsZero(cell)) {
          errors->push_back(Error{"IMP017",
                                  "option column cell '" + std::string(cell) + "' is not 0 or 1",
                                  table.Where(row, col)});
        }
      }
      auto it = raws->find(question);
      if (it == raws->end()) {
        if (any_cell) {
          (*raws)[question] = {form::JoinSelected(chosen),
                               CellRef{&table, row, columns.front().second}};
        }
        continue;
      }
      std::string_view listed = it->second.first;
      if (!any_cell || Contains(refused_, listed) || Contains(dont_know_, listed)) continue;
      std::vector<std::string> in_list = form::SplitSelected(listed);
      std::sort(in_list.begin(), in_list.end());
      std::sort(chosen.begin(), chosen.end());
      if (in_list != chosen) {
        errors->push_back(Error{"IMP016",
                                "'" + std::string(listed) + "' but the option columns say '" +
                                    form::JoinSelected(chosen) + "'",
                                it->second.second.where()});
      }
    }
  }

  // Long on purpose: one row's answers, specify texts and metadata, in the order the checks need
  // them.
  // NOLINTNEXTLINE(readability-function-size)
  void BuildSubmission(const csv::Table& main, const ColumnPlan& plan, Draft* d,
                       Diagnostics* warnings) {
    store::Submission& s = d->submission;
    s.form_id = version_.form_id;
    s.form_version = version_.version;
    s.status = store::SubmissionStatus::kComplete;
    s.wave = options_.wave.value_or(store::Wave::kMain);
    const auto& cells = main.rows[d->main_row];
    auto meta = [&](Meta m) -> std::string {
      auto col = plan.Column(m);
      return col ? std::string(text::Trim(cells[*col])) : std::string();
    };
    if (!options_.wave && plan.Column(Meta::kWave) && !meta(Meta::kWave).empty()) {
      auto wave = store::ParseWave(meta(Meta::kWave));
      if (wave) {
        s.wave = *wave;
      } else {
        d->errors.push_back(Error{"IMP013",
                                  "wave '" + meta(Meta::kWave) + "' is not pretest or main",
                                  main.Where(d->main_row, *plan.Column(Meta::kWave))});
      }
    }
    s.org_id = meta(Meta::kOrg);
    // The interviewer: ngosurvey's own `interviewer` column (what the store said),
    // else the form's username question (below), else a `username` column, else the
    // form's interviewer field (a top-level question named `interviewer`). Never the
    // account that sent the submission (SubmitterName, _submitted_by: kept as
    // metadata), which a team often shares.
    s.interviewer = meta(Meta::kInterviewer);
    std::string interviewer_field;
    if (std::string review = meta(Meta::kReview); !review.empty()) {
      d->review = ReviewStatusOf(review);
      if (!d->review) {
        d->errors.push_back(Error{"IMP013",
                                  "_validation_status '" + review +
                                      "' is not a review status (validation_status_approved, "
                                      "validation_status_on_hold, validation_status_not_approved "
                                      "or their labels Approved, On Hold, Not Approved)",
                                  main.Where(d->main_row, *plan.Column(Meta::kReview))});
      }
    }
    if (auto col = plan.Column(Meta::kCentralReview)) {
      std::string state = meta(Meta::kCentralReview);
      auto central = CentralReviewOf(state);
      if (!central) {
        d->errors.push_back(Error{"IMP013",
                                  "ReviewState '" + state +
                                      "' is not a review state of ODK Central (received, "
                                      "hasIssues, edited, approved, rejected or empty)",
                                  main.Where(d->main_row, *col)});
      } else if (*central && d->review && *d->review != **central) {
        d->errors.push_back(Error{"IMP013",
                                  "ReviewState '" + state + "' and _validation_status '" +
                                      meta(Meta::kReview) + "' give two different reviews",
                                  main.Where(d->main_row, *col)});
      } else if (*central) {
        d->review = *central;
      }
    }
    std::optional<date::ZonedTime> submitted = date::ParseIsoDateTime(meta(Meta::kSubmissionTime));

    // Raw values of the main row and of every repeat row.
    RowValues main_raw;
    ReadRow(main, plan, d->main_row, &main_raw, &d->errors);
    std::vector<RowValues> instance_raw(d->instances.size());
    for (size_t i = 0; i < d->instances.size(); ++i) {
      const Instance& in = d->instances[i];
      ReadRow(*in.table, *in.plan, in.row, &instance_raw[i], &d->errors);
    }
    context_.Clear();
    for (const auto& [q, raw] : main_raw.answers) context_.Add(q, raw.first);
    std::map<int, size_t> instances_of;  // repeat -> count, and per-instance ordinal
    std::vector<size_t> ordinal(d->instances.size());
    for (size_t i = 0; i < d->instances.size(); ++i) {
      int repeat = d->instances[i].repeat;
      ordinal[i] = instances_of[repeat]++;
      context_.Add(repeat, "");
      for (const auto& [q, raw] : instance_raw[i].answers) context_.Add(q, raw.first);
    }

    // A question's path from its level: "grp/q" at the top, "q" in a repeat's row.
    auto relative = [&](const Question& q, int repeat) -> std::string {
      if (repeat < 0) return relative_paths_[q.index];
      const std::string& rpath = form_.questions[repeat].path;
      return q.path.substr(std::min(q.path.size(), rpath.size() + 1));
    };
    auto answer_all = [&](const RowValues& values, const std::string& prefix, int repeat,
                          size_t ordinal_in_repeat) {
      for (const auto& [qi, raw] : values.answers) {
        const Question& q = form_.questions[qi];
        const auto& [text_value, where] = raw;
        context_.SetCurrentNode(repeat, ordinal_in_repeat, text_value);
        Answer answer;
        bool relevant = Relevant(q);
        if (text_value.empty()) {
          answer = relevant ? Answer::Missing() : Answer::NotAsked();
        } else {
          CheckCell(q, text_value, where, &answer, &d->errors);
          if (!relevant) {
            warnings->AddWarning("IMP030",
                                 "'" + q.name + "' has a value but is not relevant for this row (" +
                                     q.relevant + ")",
                                 where.where());
          }
          const auto& constraint = expressions_.constraint[qi];
          if (constraint && answer.state == AnswerState::kAnswered) {
            auto ok = evaluator_.EvaluateBoolean(*constraint, context_);
            if (ok && !*ok) {
              std::string message = form_.Text(q.constraint_message);
              d->errors.push_back(Error{"IMP015",
                                        "'" + text_value + "' breaks the constraint of '" + q.name +
                                            "' (" + q.constraint + ")" +
                                            (message.empty() ? "" : ": " + message),
                                        where.where()});
            }
          }
        }
        s.answers[prefix + relative(q, repeat)] = answer;
        if (answer.state == AnswerState::kAnswered) {
          // The start and end times with the offset they were written with
          // (the answers keep the text as written).
          if (q.type == QuestionType::kStart) {
            if (auto time = date::ParseIsoDateTime(answer.value)) {
              s.started_at_ms = time->millis;
              s.started_offset_minutes = time->offset_minutes;
            }
          } else if (q.type == QuestionType::kEnd) {
            if (auto time = date::ParseIsoDateTime(answer.value)) {
              s.ended_at_ms = time->millis;
              s.ended_offset_minutes = time->offset_minutes;
            }
          } else if (q.type == QuestionType::kUsername && s.interviewer.empty()) {
            s.interviewer = answer.value;
          } else if (q.name == "org_id" && repeat < 0 && s.org_id.empty()) {
            s.org_id = answer.value;
          } else if (q.name == "interviewer" && repeat < 0) {
            interviewer_field = answer.value;
          }
        }
      }
      // "Other, specify" texts, kept beside their select as the interview keeps them
      // ("grp/q_other"), as written.
      for (const auto& [qi, raw] : values.specify) {
        const Question& q = form_.questions[qi];
        const auto& [text_value, where] = raw;
        Answer answer = Contains(refused_, text_value)     ? Answer::Refused()
                        : Contains(dont_know_, text_value) ? Answer::DontKnow()
                                                           : Answer::Answered(text_value);
        auto chosen = values.answers.find(qi);
        bool other = chosen != values.answers.end() &&
                     Contains(form::SplitSelected(chosen->second.first), "other");
        if (!other && answer.state == AnswerState::kAnswered) {
          warnings->AddWarning("IMP030",
                               "'" + q.name + "_other' has a text but 'other' is not chosen in '" +
                                   q.name + "' (the text is kept)",
                               where.where());
        }
        s.answers[prefix + relative(q, repeat) + "_other"] = std::move(answer);
      }
    };
    answer_all(main_raw, "", -1, 0);
    for (size_t i = 0; i < d->instances.size(); ++i) {
      answer_all(instance_raw[i], d->instances[i].prefix, d->instances[i].repeat, ordinal[i]);
    }
    // The platform's metadata columns, as written: the main row's, then each repeat
    // instance's under its path ("members[2]/_index"; Ona's flattened headers
    // already start with it). A name seen before (two rows claiming one instance
    // number) keeps its first value, as the answers do.
    for (size_t col : plan.kept) s.metadata.push_back({main.header[col], cells[col]});
    std::set<std::string> instance_columns;
    for (const Instance& in : d->instances) {
      for (size_t col : in.plan->kept) {
        const std::string& header = in.table->header[col];
        std::string name = header.rfind(in.prefix, 0) == 0 ? header : in.prefix + header;
        if (!instance_columns.insert(name).second) continue;
        s.metadata.push_back({std::move(name), in.table->rows[in.row][col]});
      }
    }
    if (s.interviewer.empty()) s.interviewer = meta(Meta::kUsername);
    if (s.interviewer.empty()) s.interviewer = interviewer_field;
    if (s.started_at_ms == 0 && submitted) {
      s.started_at_ms = submitted->millis;
      s.started_offset_minutes = submitted->offset_minutes;
    }
    if (!s.ended_at_ms) {
      if (submitted) {
        s.ended_at_ms = submitted->millis;
        s.ended_offset_minutes = submitted->offset_minutes;
      } else {
        s.ended_at_ms = s.started_at_ms;
        s.ended_offset_minutes = s.started_offset_minutes;
      }
    }
  }

  // Only what leaves the store counts when comparing: answered values, refused and
  // don't know. Missing and not asked are the same absence.
  static std::map<std::string, Answer> Reportable(const store::Answers& answers) {
    std::map<std::string, Answer> out;
    for (const auto& [path, a] : answers) {
      if (a.state == AnswerState::kAnswered || a.state == AnswerState::kRefused ||
          a.state == AnswerState::kDontKnow) {
        out.emplace(path, a);
      }
    }
    return out;
  }

  void CheckAgainstStore(Draft* d) {
    auto found = writer_->Find(d->submission.instance_id);
    if (!found) {
      if (!store_error_) store_error_ = found.error();
      return;
    }
    if (!*found) return;
    const store::Submission* stored = &**found;
    auto mine = Reportable(d->submission.answers), theirs = Reportable(stored->answers);
    if (stored->form_id == d->submission.form_id && mine == theirs) {
      ++unchanged_;
      d->submission.instance_id.clear();
      return;
    }
    std::string difference;
    if (stored->form_id != d->submission.form_id) {
      difference = "it belongs to form '" + stored->form_id + "'";
    } else {
      for (auto a = mine.begin(), b = theirs.begin(); a != mine.end() || b != theirs.end();) {
        auto describe = [](const Answer* x) {
          if (!x) return std::string("no answer");
          if (x->state == AnswerState::kAnswered) return "'" + x->value + "'";
          return std::string(form::AnswerStateName(x->state));
        };
        if (b == theirs.end() || (a != mine.end() && a->first < b->first)) {
          difference =
              a->first + ": stored " + describe(nullptr) + ", file " + describe(&a->second);
          break;
        }
        if (a == mine.end() || b->first < a->first) {
          difference =
              b->first + ": stored " + describe(&b->second) + ", file " + describe(nullptr);
          break;
        }
        if (!(a->second == b->second)) {
          difference =
              a->first + ": stored " + describe(&b->second) + ", file " + describe(&a->second);
          break;
        }
        ++a, ++b;
      }
    }
    d->errors.push_back(Error{"IMP019",
                              "instance id " + d->submission.instance_id +
                                  " is already stored with other answers (" + difference +
                                  "); it is not overwritten",
                              Location{}});
  }

  const Form& form_;
  const store::FormVersion& version_;
  const ImportOptions& options_;
  store::ImportWriter* writer_ = nullptr;
  ImportContext context_;
  Expressions expressions_;
  form::expr::Evaluator evaluator_;
  std::vector<std::string> refused_, dont_know_;
  std::vector<RepeatFile> repeat_files_;
  std::vector<std::string> relative_paths_;  // per question
  bool ona_ = false;                         // an Ona export: "n/a" is no value
  SeenInstanceIds seen_ids_;
  size_t unchanged_ = 0;
  std::optional<Error> store_error_;
};

}  // namespace

csv::Options ImportCsvOptions() {
  csv::Options options;
  options.max_field_bytes = size_t{1} << 20;
  return options;
}

Result<ImportReport> ImportRows(const Form& form, const store::FormVersion& version,
                                const RowSource& main, csv::Table* chunk,
                                const std::vector<RepeatTable>& repeats,
                                const ImportOptions& options, store::ImportWriter* writer) {
  Importer importer(form, version, options);
  ImportReport report;
  NGO_TRY(importer.Run(main, chunk, repeats, writer, &report));
  return report;
}

namespace {

// PlanImport's writer: collects the batch; finds stored submissions in the store.
class PlanWriter final : public store::ImportWriter {
 public:
  PlanWriter(const store::Store& store, store::SubmissionBatch* batch)
      : store_(store), batch_(batch) {}
  Result<std::optional<store::Submission>> Find(const std::string& instance_id) override {
    auto stored = store_.GetSubmission(instance_id);
    if (!stored) {
      if (stored.error().code == "ST002") return std::optional<store::Submission>();
      return tl::unexpected(stored.error());
    }
    return std::optional<store::Submission>(std::move(*stored));
  }
  Status Add(const store::Submission& s) override {
    batch_->submissions.push_back(s);
    return Ok();
  }
  Status AddAttachment(const store::Attachment& attachment) override {
    batch_->attachments.push_back(attachment);
    return Ok();
  }
  Status Amend(const store::Amendment& amendment) override {
    batch_->amendments.push_back(amendment);
    return Ok();
  }
  Status SetReview(const store::Review& review) override {
    batch_->reviews.push_back(review);
    return Ok();
  }
  Status Commit() override { return Ok(); }

 private:
  const store::Store& store_;
  store::SubmissionBatch* batch_;
};

}  // namespace

RowSource TableRowSource(const csv::Table& table, size_t max_chunk) {
  return
      [&table, max_chunk, next = size_t{0}](size_t max, csv::Table* out) mutable -> Result<bool> {
        out->rows.clear();
        out->row_lines.clear();
        const size_t limit = std::min(max, max_chunk);
        for (; next < table.rows.size() && out->rows.size() < limit; ++next) {
          out->rows.push_back(table.rows[next]);
          out->row_lines.push_back(next < table.row_lines.size() ? table.row_lines[next] : 0);
        }
        return !out->rows.empty();
      };
}

Result<ImportPlan> PlanImport(const Form& form, const store::FormVersion& version,
                              const csv::Table& main, const std::vector<RepeatTable>& repeats,
                              const ImportOptions& options, const store::Store& store) {
  ImportPlan plan;
  plan.batch.form = version;
  PlanWriter writer(store, &plan.batch);
  csv::Table chunk;
  chunk.file = main.file;
  chunk.header = main.header;
  ImportReport report =
      NGO_TRY(ImportRows(form, version, TableRowSource(main), &chunk, repeats, options, &writer));
  plan.layout = report.layout;
  plan.unchanged = report.unchanged;
  plan.rejected = std::move(report.rejected);
  plan.warnings = std::move(report.warnings);
  return plan;
}

std::string RejectsCsv(const std::vector<RejectedRow>& rejected) {
  std::string out;
  csv::AppendRow({"file", "line", "column", "instance_id", "code", "reason"}, &out);
  for (const RejectedRow& row : rejected) {
    for (const Error& reason : row.reasons) {
      int line = reason.where.row ? reason.where.row : row.line;
      std::string file = reason.where.file.empty() ? row.file : reason.where.file;
      csv::AppendRow({file, std::to_string(line),
                      reason.where.column ? std::to_string(reason.where.column) : "",
                      row.instance_id, reason.code, reason.message},
                     &out);
    }
  }
  return out;
}

}  // namespace ngosurvey::exchange
