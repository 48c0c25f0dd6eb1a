#include "analysis/units.h"

#include <algorithm>
#include <unordered_map>

#include "base/text.h"
#include "form/expr/expr.h"

namespace ngosurvey::analysis {
namespace {

// The level around repeat `repeat` (its parent level).
int ParentLevel(const form::Form& form, int repeat) {
  return form.EnclosingRepeat(form.questions[repeat]);
}

Location SpecLineOf(const TableSpec& spec, int line) {
  Location where;
  where.file = spec.file;
  where.row = line > 0 ? line : spec.line;
  return where;
}

// A name the spec uses, with what it is for (in messages) and its spec line.
struct Use {
  std::string name;
  std::string role;  // "item", "grouping column", "weight"...
  int line = 0;
};

void AddExpressionUses(const std::string& text, const std::string& role, int line,
                       std::vector<Use>* uses) {
  if (text.empty()) return;
  auto parsed = form::expr::Parse(text);
  if (!parsed) return;  // Tabulate reports the syntax error with its caret
  for (const form::expr::Reference& ref : parsed->references()) {
    uses->push_back(Use{ref.name, role, line});
  }
}

std::string Describe(const form::Form& form, const Use& use, int level) {
  return "'" + use.name + "' (" + LevelName(form, level) + ")";
}

}  // namespace

int LevelOf(const form::Form& form, const form::Question& q) {
  return q.is_repeat() ? q.index : form.EnclosingRepeat(q);
}

bool LevelEncloses(const form::Form& form, int outer, int inner) {
  for (int level = inner;; level = ParentLevel(form, level)) {
    if (level == outer) return true;
    if (level == kTopLevel) return false;
  }
}

std::string LevelName(const form::Form& form, int level) {
  return level == kTopLevel ? "the top level" : "repeat '" + form.questions[level].name + "'";
}

Result<int> TableLevel(const form::Form& form, const TableSpec& spec) {
  // What the table counts: its plain items and the names of its expressions.
  std::vector<Use> counted, expressions, around;
  for (const RowSpec& row : spec.rows) {
    if (row.derived.empty()) counted.push_back(Use{row.item, "item", row.line});
    AddExpressionUses(row.derived, "derived item '" + row.item + "'", row.line, &expressions);
    AddExpressionUses(row.filter, "filter of '" + row.item + "'", row.line, &expressions);
    AddExpressionUses(row.eligible, "eligible of '" + row.item + "'", row.line, &expressions);
  }
  AddExpressionUses(spec.filter, "table filter", spec.line, &expressions);
  for (const std::string& by : spec.by) around.push_back(Use{by, "grouping column", spec.line});
  const DesignSpec& d = spec.design;
  for (const auto& [name, role] : {std::pair{&d.weight, "weight"}, std::pair{&d.strata, "strata"},
                                   std::pair{&d.cluster, "cluster"}, std::pair{&d.fpc, "fpc"}}) {
    if (!name->empty()) around.push_back(Use{*name, role, spec.line});
  }

  auto level_of = [&](const Use& use) -> std::optional<int> {
    const form::Question* q = form.FindQuestion(use.name);
    if (!q) return std::nullopt;
    return LevelOf(form, *q);
  };

  // The innermost level of what is counted; all of it on one chain of nested repeats.
  int level = kTopLevel;
  const Use* deepest = nullptr;
  for (const std::vector<Use>* list : {&counted, &expressions}) {
    for (const Use& use : *list) {
      std::optional<int> l = level_of(use);
      if (!l) continue;
      if (LevelEncloses(form, level, *l)) {
        if (*l != level || !deepest) deepest = &use;
        level = *l;
      } else if (!LevelEncloses(form, *l, level)) {
        return MakeError("T006",
                         "the " + use.role + " " + Describe(form, use, *l) + " and the " +
                             deepest->role + " " + Describe(form, *deepest, level) +
                             " are in different repeats: a table counts the instances of one",
                         SpecLineOf(spec, use.line));
      }
    }
  }
  // Every plain item is of the level counted (households and members are not added up
  // in one table).
  for (const Use& use : counted) {
    std::optional<int> l = level_of(use);
    if (l && *l != level) {
      return MakeError("T006",
                       "the item " + Describe(form, use, *l) + " and the " + deepest->role + " " +
                           Describe(form, *deepest, level) +
                           " count different units: put them in separate tables",
                       SpecLineOf(spec, use.line));
    }
  }
  // Groups and the design come from the instance or a level around it.
  for (const Use& use : around) {
    std::optional<int> l = level_of(use);
    if (!l || LevelEncloses(form, *l, level)) continue;
    std::string what = deepest ? "the " + deepest->role + " " + Describe(form, *deepest, level)
                               : "the table (" + LevelName(form, level) + ")";
    return MakeError("T006",
                     "the " + use.role + " " + Describe(form, use, *l) + " is not a field of " +
                         what +
                         " nor of a level around it: a table is never grouped or weighted by a "
                         "field of another repeat",
                     SpecLineOf(spec, use.line));
  }
  return level;
}

std::vector<std::string> SpecQuestions(const form::Form& form, const TableSpec& spec) {
  std::vector<std::string> names;
  auto add = [&](const std::string& name) {
    if (name.empty() || !form.FindQuestion(name)) return;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  std::vector<Use> uses;
  for (const RowSpec& row : spec.rows) {
    if (row.derived.empty()) add(row.item);
  }
  for (const std::string& by : spec.by) add(by);
  for (const std::string* name :
       {&spec.design.weight, &spec.design.strata, &spec.design.cluster, &spec.design.fpc}) {
    add(*name);
  }
  for (const RowSpec& row : spec.rows) {
    AddExpressionUses(row.derived, "", 0, &uses);
    AddExpressionUses(row.filter, "", 0, &uses);
    AddExpressionUses(row.eligible, "", 0, &uses);
  }
  AddExpressionUses(spec.filter, "", 0, &uses);
  for (const Use& use : uses) add(use.name);
  return names;
}

Result<csv::Table> JoinRepeatTable(const form::Form& form, int level, const csv::Table& main,
                                   const std::map<std::string, csv::Table>& repeats) {
  std::vector<int> chain;
  for (int l = level; l != kTopLevel; l = ParentLevel(form, l)) chain.push_back(l);
  std::reverse(chain.begin(), chain.end());

  csv::Table joined = main;
  for (int repeat : chain) {
    const std::string& name = form.questions[repeat].name;
    auto file = repeats.find(name);
    if (file == repeats.end()) {
      return MakeError("D007",
                       "no data file for repeat '" + name + "' (give --repeat " + name +
                           "=FILE.csv, or " + name + " = \"FILE.csv\" in the study's repeats)",
                       Location{.file = form.file});
    }
    const csv::Table& child = file->second;
    // The link to the parent row and the parent's columns it names.
    std::optional<size_t> link = child.ColumnIndex("PARENT_KEY");
    std::vector<std::string> parent_keys = {"KEY", "meta/instanceID", "instanceID",
                                            "data/meta/instanceID", "_uuid"};
    if (!link) {
      link = child.ColumnIndex("_parent_index");
      parent_keys = {"_index"};
    }
    if (!link) {
      return MakeError("D008",
                       "the file of repeat '" + name +
                           "' has no PARENT_KEY (ODK Central, ngosurvey) or _parent_index "
                           "(Kobo) column linking its rows to their parent",
                       Location{.file = child.file, .row = 1});
    }
    std::unordered_map<std::string, size_t> parent_row;
    for (const std::string& key : parent_keys) {
      std::optional<size_t> column = joined.ColumnIndex(key);
      if (!column) continue;
      for (size_t r = 0; r < joined.rows.size(); ++r) {
        std::string_view value = text::Trim(joined.rows[r][*column]);
        if (!value.empty()) parent_row.emplace(std::string(value), r);
      }
    }
    std::vector<size_t> appended;  // the parent's columns not already in the child's file
    for (size_t c = 0; c < joined.header.size(); ++c) {
      if (!child.ColumnIndex(joined.header[c])) appended.push_back(c);
    }
    csv::Table next;
    next.file = child.file;
    next.header = child.header;
    for (size_t c : appended) next.header.push_back(joined.header[c]);
    next.rows.reserve(child.rows.size());
    next.row_lines = child.row_lines;
    for (size_t r = 0; r < child.rows.size(); ++r) {
      std::string key(text::Trim(child.rows[r][*link]));
      auto parent = parent_row.find(key);
      if (parent == parent_row.end()) {
        return MakeError("D009",
                         "row of repeat '" + name + "' whose parent '" + key +
                             "' is not in the parent's file (" + joined.file + ")",
                         child.Where(r, *link));
      }
      std::vector<std::string> row = child.rows[r];
      const std::vector<std::string>& parent_cells = joined.rows[parent->second];
      for (size_t c : appended) row.push_back(parent_cells[c]);
      next.rows.push_back(std::move(row));
    }
    joined = std::move(next);
  }
  return joined;
}

}  // namespace ngosurvey::analysis
