#include "analysis/units.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <unordered_map>

#include "base/file.h"
#include "base/text.h"
#include "form/columns.h"
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

namespace {

// The uses of names in a spec: plain items, grouping and design columns, expressions.
struct SpecUses {
  std::vector<Use> counted, around, expressions;
};

SpecUses UsesOf(const TableSpec& spec) {
  SpecUses uses;
  for (const RowSpec& row : spec.rows) {
    if (row.derived.empty()) uses.counted.push_back(Use{row.item, "item", row.line});
    AddExpressionUses(row.derived, "derived item '" + row.item + "'", row.line, &uses.expressions);
    AddExpressionUses(row.filter, "filter of '" + row.item + "'", row.line, &uses.expressions);
    AddExpressionUses(row.eligible, "eligible of '" + row.item + "'", row.line, &uses.expressions);
  }
  AddExpressionUses(spec.filter, "table filter", spec.line, &uses.expressions);
  for (const std::string& by : spec.by) {
    uses.around.push_back(Use{by, "grouping column", spec.line});
  }
  const DesignSpec& d = spec.design;
  for (const auto& [name, role] : {std::pair{&d.weight, "weight"}, std::pair{&d.strata, "strata"},
                                   std::pair{&d.cluster, "cluster"}, std::pair{&d.fpc, "fpc"}}) {
    if (!name->empty()) uses.around.push_back(Use{*name, role, spec.line});
  }
  return uses;
}

std::optional<int> UseLevel(const form::Form& form, const Use& use) {
  const form::Question* q = form.FindQuestion(use.name);
  if (!q) return std::nullopt;
  return LevelOf(form, *q);
}

}  // namespace

Result<int> TableLevel(const form::Form& form, const TableSpec& spec) {
  SpecUses uses = UsesOf(spec);
  int level = kTopLevel;
  Use unit{spec.unit, "unit", spec.line};
  const Use* deepest = nullptr;
  if (!spec.unit.empty()) {
    const form::Question* q = form.FindQuestion(spec.unit);
    if (!q || !q->is_repeat()) {
      return MakeError("T002", "unit '" + spec.unit + "' is not a repeat of the form",
                       SpecLineOf(spec, spec.line));
    }
    level = q->index;
    deepest = &unit;
  }
  // The plain items: on one chain of nested repeats, the innermost their level.
  for (const Use& use : uses.counted) {
    std::optional<int> l = UseLevel(form, use);
    if (!l || !spec.unit.empty()) continue;
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
  // Every plain item is of the level counted (households and members are not added up
  // in one table).
  for (const Use& use : uses.counted) {
    std::optional<int> l = UseLevel(form, use);
    if (l && *l != level) {
      return MakeError("T006",
                       "the item " + Describe(form, use, *l) + " and the " + deepest->role + " " +
                           Describe(form, *deepest, level) +
                           " count different units: put them in separate tables",
                       SpecLineOf(spec, use.line));
    }
  }
  // Groups and the design come from the instance or a level around it; a table of
  // derived items only counts the innermost level of its groups.
  const bool fixed = deepest != nullptr;
  for (const Use& use : uses.around) {
    std::optional<int> l = UseLevel(form, use);
    if (!l || LevelEncloses(form, *l, level)) continue;
    if (!fixed && LevelEncloses(form, level, *l)) {
      level = *l;
      deepest = &use;
      continue;
    }
    std::string what = deepest ? "the " + deepest->role + " " + Describe(form, *deepest, level)
                               : "the table (" + LevelName(form, level) + ")";
    return MakeError("T006",
                     "the " + use.role + " " + Describe(form, use, *l) + " is not a field of " +
                         what +
                         " nor of a level around it: a table is never grouped or weighted by a "
                         "field of another repeat",
                     SpecLineOf(spec, use.line));
  }
  // Expressions read the row's fields, those around it, and those of repeats inside it
  // (node-sets of the row's instances).
  for (const Use& use : uses.expressions) {
    std::optional<int> l = UseLevel(form, use);
    if (!l || LevelEncloses(form, *l, level) || LevelEncloses(form, level, *l)) continue;
    return MakeError("T006",
                     "the " + use.role + " names " + Describe(form, use, *l) +
                         ", which is neither around nor inside " + LevelName(form, level) +
                         ", the level the table counts",
                     SpecLineOf(spec, use.line));
  }
  return level;
}

std::map<int, std::vector<std::string>> NestedRepeats(const form::Form& form, const TableSpec& spec,
                                                      int level) {
  std::map<int, std::vector<std::string>> nested;
  for (const Use& use : UsesOf(spec).expressions) {
    std::optional<int> l = UseLevel(form, use);
    if (!l || *l == level || !LevelEncloses(form, level, *l)) continue;
    std::vector<std::string>& names = nested[*l];
    const form::Question* q = form.FindQuestion(use.name);
    if (!q->is_repeat() && std::find(names.begin(), names.end(), use.name) == names.end()) {
      names.push_back(use.name);
    }
  }
  return nested;
}

std::vector<std::string> LoadedItems(const form::Form& form, const std::vector<TableSpec>& specs,
                                     int level) {
  std::vector<std::string> items;
  for (const TableSpec& spec : specs) {
    for (const std::string& name : SpecQuestions(form, spec)) {
      const form::Question* q = form.FindQuestion(name);
      if (!IsTabulable(q->type) || !LevelEncloses(form, LevelOf(form, *q), level)) continue;
      if (std::find(items.begin(), items.end(), name) == items.end()) items.push_back(name);
    }
  }
  return items;
}

int LevelDepth(const form::Form& form, int level) {
  int depth = 0;
  for (int l = level; l != kTopLevel; l = ParentLevel(form, l)) ++depth;
  return depth;
}

Result<std::map<int, Dataset>> LoadLevels(const form::Form& form,
                                          const std::vector<TableSpec>& specs, LevelSource& source,
                                          std::vector<int>* levels) {
  levels->clear();
  std::map<int, std::vector<TableSpec>> by_level;
  for (const TableSpec& spec : specs) {
    levels->push_back(NGO_TRY(TableLevel(form, spec)));
    by_level[levels->back()].push_back(spec);
  }
  std::map<int, Dataset> datasets;
  for (const auto& [level, these] : by_level) {
    LevelData loaded = NGO_TRY(source.Load(level, these, {}));
    Dataset data = std::move(loaded.data);
    // The instances the expressions read, each repeat once, with the questions named.
    std::map<int, std::vector<std::string>> nested;
    for (const TableSpec& spec : these) {
      for (auto& [repeat, names] : NestedRepeats(form, spec, level)) {
        std::vector<std::string>& all = nested[repeat];
        for (const std::string& name : names) {
          if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
        }
      }
    }
    for (auto& [repeat, names] : nested) {
      std::erase_if(names, [&](const std::string& name) {
        return !IsTabulable(form.FindQuestion(name)->type);
      });
      LevelData instances = NGO_TRY(source.Load(repeat, {}, names));
      const std::vector<uint32_t>& parent_of = instances.lineage[LevelDepth(form, level)];
      NGO_TRY(data.AddNested(MakeNestedInstances(
          form.questions[repeat].name, std::make_shared<const Dataset>(std::move(instances.data)),
          parent_of, data.rows())));
    }
    datasets.emplace(level, std::move(data));
  }
  return datasets;
}

std::vector<std::string> SpecQuestions(const form::Form& form, const TableSpec& spec) {
  std::vector<std::string> names;
  for (std::string& name : SpecNames(spec)) {
    if (form.FindQuestion(name)) names.push_back(std::move(name));
  }
  return names;
}

std::vector<std::string> DesignIdentifiers(const form::Form& form,
                                           const std::vector<TableSpec>& specs) {
  std::vector<std::string> identifiers, other_uses;
  auto has = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const TableSpec& spec : specs) {
    TableSpec rest = spec;
    rest.design.strata.clear();
    rest.design.cluster.clear();
    for (std::string& name : SpecNames(rest)) other_uses.push_back(std::move(name));
  }
  for (const TableSpec& spec : specs) {
    for (const std::string* name : {&spec.design.strata, &spec.design.cluster}) {
      const form::Question* q = name->empty() ? nullptr : form.FindQuestion(*name);
      if (!q || has(other_uses, *name) || has(identifiers, *name)) continue;
      LoadDataOptions as_identifier;
      as_identifier.identifiers = {*name};
      if (LoadedAsIdentifier(as_identifier, *q)) identifiers.push_back(*name);
    }
  }
  return identifiers;
}

std::vector<std::string> SpecNames(const TableSpec& spec) {
  std::vector<std::string> names;
  auto add = [&](const std::string& name) {
    if (name.empty()) return;
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
                                   const std::map<std::string, csv::Table>& repeats,
                                   Lineage* lineage) {
  std::vector<int> chain;
  for (int l = level; l != kTopLevel; l = ParentLevel(form, l)) chain.push_back(l);
  std::reverse(chain.begin(), chain.end());

  csv::Table joined = main;
  Lineage rows_from(1);
  for (size_t r = 0; r < main.rows.size(); ++r) rows_from[0].push_back(static_cast<uint32_t>(r));
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
    std::vector<std::string> parent_keys = {"KEY",         "meta/instanceID",      "instanceID",
                                            "instance_id", "data/meta/instanceID", "_uuid"};
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
    next.file_columns = child.file_columns;
    next.row_lines = child.row_lines;
    // The appended columns keep their places in the parent's file (or further up).
    for (const csv::Table::Origin& origin : joined.origins) {
      next.origins.push_back({.file = origin.file, .row_lines = {}});
    }
    next.origins.push_back({.file = joined.file, .row_lines = {}});
    size_t parent_origin = next.origins.size() - 1;
    next.first_borrowed = next.header.size();
    for (size_t c : appended) {
      next.header.push_back(joined.header[c]);
      bool upper = c >= joined.first_borrowed && c - joined.first_borrowed < joined.borrowed.size();
      if (upper) {
        next.borrowed.push_back(joined.borrowed[c - joined.first_borrowed]);
      } else {
        int column = c < joined.file_columns.size() ? joined.file_columns[c] : static_cast<int>(c);
        next.borrowed.push_back({.origin = parent_origin, .file_column = column});
      }
    }
    for (auto& origin : next.origins) origin.row_lines.reserve(child.rows.size());
    next.rows.reserve(child.rows.size());
    Lineage next_from(rows_from.size() + 1);
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
      for (size_t o = 0; o < parent_origin; ++o) {
        const std::vector<int>& lines = joined.origins[o].row_lines;
        next.origins[o].row_lines.push_back(parent->second < lines.size() ? lines[parent->second]
                                                                          : 0);
      }
      next.origins[parent_origin].row_lines.push_back(
          parent->second < joined.row_lines.size() ? joined.row_lines[parent->second] : 0);
      for (size_t k = 0; k < rows_from.size(); ++k) {
        next_from[k].push_back(rows_from[k][parent->second]);
      }
      next_from.back().push_back(static_cast<uint32_t>(r));
    }
    joined = std::move(next);
    rows_from = std::move(next_from);
  }
  if (lineage) *lineage = std::move(rows_from);
  return joined;
}

namespace {

// The columns LoadCsvWithForm reads of a level's joined table when `options.items` names
// what to load: the links between the files, the grouping and design columns, and the
// columns of the loaded questions and of the questions their relevance reads (with a
// select_multiple's 0/1 option columns). Null when every column is needed.
std::function<bool(std::string_view)> NeededColumns(const form::Form& form,
                                                    const std::vector<TableSpec>& specs,
                                                    const LoadDataOptions& options) {
  if (options.items.empty()) return {};
  auto names = std::make_shared<std::set<std::string, std::less<>>>();
  auto add_question = [&](const form::Question& q) {
    for (std::string& name : form::ColumnNames(q)) names->insert(std::move(name));
  };
  auto add = [&](const std::string& name) {
    if (name.empty()) return;
    names->insert(name);
    if (const form::Question* q = form.FindQuestion(name)) add_question(*q);
  };
  for (const std::string& item : options.items) {
    const form::Question* q = form.FindQuestion(item);
    if (!q) continue;  // LoadCsvWithForm names it (D004)
    add_question(*q);
    // Its relevance decides whether an empty cell was asked: the questions it reads.
    for (const form::Question* around : form.RelevanceChain(*q)) {
      std::vector<Use> uses;
      AddExpressionUses(around->relevant, "", 0, &uses);
      for (const Use& use : uses) add(use.name);
    }
  }
  for (const std::string& name : options.extra_single) add(name);
  for (const TableSpec& spec : specs) {
    for (const std::string& by : spec.by) add(by);
    for (const std::string* name :
         {&spec.design.weight, &spec.design.strata, &spec.design.cluster, &spec.design.fpc}) {
      add(*name);
    }
  }
  // The links between the files (JoinRepeatTable).
  for (const char* link : {"PARENT_KEY", "KEY", "meta/instanceID", "instanceID", "instance_id",
                           "data/meta/instanceID", "_uuid", "_index", "_parent_index"}) {
    names->insert(link);
  }
  return [names](std::string_view header) {
    if (names->count(header)) return true;
    // A select_multiple's 0/1 option columns: "grp/q/option", "grp-q-option".
    size_t cut = header.find_last_of("/-");
    return cut != std::string_view::npos && names->count(header.substr(0, cut)) > 0;
  };
}

// A CSV read as csv::ReadTable reads it (the same errors), keeping only the columns
// `needed` accepts, with their places in the file (csv::Table::file_columns).
Result<csv::Table> ReadNeededColumns(const std::string& path, const csv::Options& options,
                                     const std::function<bool(std::string_view)>& needed) {
  if (!needed) return csv::ReadTable(path, options);
  std::string bytes = NGO_TRY(ReadFile(path));
  csv::TableReader reader(bytes, path, options);
  NGO_TRY(reader.Start());
  csv::Table table;
  table.file = path;
  for (size_t c = 0; c < reader.header().size(); ++c) {
    if (!needed(reader.header()[c])) continue;
    table.header.push_back(reader.header()[c]);
    table.file_columns.push_back(static_cast<int>(c));
  }
  csv::Table chunk;
  while (NGO_TRY(reader.Next(4096, &chunk))) {
    for (size_t r = 0; r < chunk.rows.size(); ++r) {
      std::vector<std::string> row;
      row.reserve(table.file_columns.size());
      for (int c : table.file_columns) row.push_back(std::move(chunk.rows[r][c]));
      table.rows.push_back(std::move(row));
      table.row_lines.push_back(chunk.row_lines[r]);
    }
  }
  return table;
}

// The columns of `table` that `needed` accepts (all when it is empty), with their
// places in the table's file kept for errors.
csv::Table KeepNeededColumns(const csv::Table& table,
                             const std::function<bool(std::string_view)>& needed) {
  if (!needed) return table;
  csv::Table kept;
  kept.file = table.file;
  kept.row_lines = table.row_lines;
  std::vector<size_t> columns;
  for (size_t c = 0; c < table.header.size(); ++c) {
    if (!needed(table.header[c])) continue;
    columns.push_back(c);
    kept.header.push_back(table.header[c]);
    kept.file_columns.push_back(c < table.file_columns.size() ? table.file_columns[c]
                                                              : static_cast<int>(c));
  }
  kept.rows.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    std::vector<std::string> values;
    values.reserve(columns.size());
    for (size_t c : columns) values.push_back(c < row.size() ? row[c] : std::string());
    kept.rows.push_back(std::move(values));
  }
  return kept;
}

// The join and the load shared by files and tables already read: `main` and `repeats`
// hold only the needed columns.
Result<LevelData> JoinAndLoad(const form::Form& form, int level, const csv::Table& main,
                              const std::map<std::string, csv::Table>& repeats,
                              const std::vector<TableSpec>& specs, LoadDataOptions options,
                              Diagnostics* diags) {
  LevelData out;
  csv::Table joined = NGO_TRY(JoinRepeatTable(form, level, main, repeats, &out.lineage));
  AddGroupingColumns(form, joined, specs, &options);
  for (const TableSpec& spec : specs) {
    for (const std::string& name : {spec.design.strata, spec.design.cluster}) {
      if (!name.empty() && !form.FindQuestion(name) &&
          std::find(options.extra_single.begin(), options.extra_single.end(), name) ==
              options.extra_single.end()) {
        options.extra_single.push_back(name);
      }
    }
  }
  out.data = NGO_TRY(LoadCsvWithForm(form, joined, options, diags));
  return out;
}

}  // namespace

Result<LevelData> LoadRepeatCsv(const form::Form& form, int level, const std::string& main_path,
                                const std::map<std::string, std::string>& repeat_paths,
                                const std::vector<TableSpec>& specs, LoadDataOptions options,
                                Diagnostics* diags) {
  csv::Options read;
  read.max_field_bytes = size_t{1} << 20;  // as import reads them
  // Only the columns the load needs are kept (with their places in the files, for
  // errors): a wide export's other hundreds of columns are parsed and dropped.
  const auto needed = NeededColumns(form, specs, options);
  csv::Table main = NGO_TRY(ReadNeededColumns(main_path, read, needed));
  std::map<std::string, csv::Table> repeats;
  for (int l = level; l != kTopLevel; l = ParentLevel(form, l)) {
    const std::string& name = form.questions[l].name;
    auto path = repeat_paths.find(name);
    if (path == repeat_paths.end()) continue;  // JoinRepeatTable says which is missing
    repeats.emplace(name, NGO_TRY(ReadNeededColumns(path->second, read, needed)));
  }
  return JoinAndLoad(form, level, main, repeats, specs, std::move(options), diags);
}

Result<LevelData> LoadRepeatTables(const form::Form& form, int level, const csv::Table& main,
                                   const std::map<std::string, csv::Table>& repeats,
                                   const std::vector<TableSpec>& specs, LoadDataOptions options,
                                   Diagnostics* diags) {
  const auto needed = NeededColumns(form, specs, options);
  std::map<std::string, csv::Table> kept;
  for (int l = level; l != kTopLevel; l = ParentLevel(form, l)) {
    auto table = repeats.find(form.questions[l].name);
    if (table != repeats.end())
      kept.emplace(table->first, KeepNeededColumns(table->second, needed));
  }
  return JoinAndLoad(form, level, KeepNeededColumns(main, needed), kept, specs, std::move(options),
                     diags);
}

std::string DefaultRepeatPath(const std::string& data_path, const std::string& repeat) {
  std::string stem = data_path;
  if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".csv") == 0)
    stem.resize(stem.size() - 4);
  return stem + "-" + repeat + ".csv";
}

}  // namespace ngosurvey::analysis
