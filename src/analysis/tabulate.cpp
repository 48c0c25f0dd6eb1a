// Tabulate(): from a TableSpec and a Dataset to a TableResult.
//
// For each row block the respondents are sorted into slots in one byte per row:
// slot g (0..G-1) is group combination g, slot G holds respondents with no group
// (they count in the Total only) and slot G+1 those the row's filter excludes.
// The kernel (group_counts.h) counts the item by slot in one pass; every cell,
// base, nonresponse count and test is derived from those counts.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <optional>
#include <thread>

#include "analysis/group_counts.h"
#include "analysis/medians.h"
#include "analysis/row_context.h"
#include "analysis/table.h"
#include "analysis/tabulate_design.h"

namespace ngosurvey::analysis {
namespace {

using form::AnswerState;

Location SpecLine(const TableSpec& spec, int line) {
  Location where;
  where.file = spec.file;
  where.row = line > 0 ? line : spec.line;
  return where;
}

// The grouping of a table: the combined slot of every row, and the headers.
struct Grouping {
  int groups = 1;                     // G
  std::vector<uint8_t> slots;         // per row: 0..G-1, or G when a group is unanswered
  std::vector<ColumnHeader> headers;  // G group headers (+ Total added by the caller)
};

Result<Grouping> MakeGrouping(const Dataset& data, const TableSpec& spec) {
  Grouping grouping;
  grouping.slots.assign(data.rows(), 0);
  std::vector<int> columns;
  for (const std::string& name : spec.by) {
    int index = data.Find(name);
    if (index < 0) {
      return MakeError("T002", "unknown grouping column '" + name + "'", SpecLine(spec, 0));
    }
    if (data.column(index).kind != ColumnKind::kSingle) {
      return MakeError("T002", "grouping column '" + name + "' is not a single-choice item",
                       SpecLine(spec, 0));
    }
    columns.push_back(index);
  }
  int groups = 1;
  for (int index : columns) {
    groups *= std::max<int>(1, static_cast<int>(data.column(index).options.size()));
    if (groups > 250) {
      return MakeError("T004", "the grouping has more than 250 combined groups", SpecLine(spec, 0));
    }
  }
  grouping.groups = groups;
  // Headers: every combination, outermost column varying slowest.
  for (int combo = 0; combo < groups; ++combo) {
    ColumnHeader header;
    int rest = combo;
    std::vector<std::pair<std::string, std::string>> parts;
    for (auto it = columns.rbegin(); it != columns.rend(); ++it) {
      const Column& column = data.column(*it);
      int size = static_cast<int>(column.options.size());
      int option = rest % size;
      rest /= size;
      parts.insert(parts.begin(), {column.options[option], column.OptionLabel(option)});
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      header.key += (i ? "/" : "") + parts[i].first;
      header.label += (i ? " / " : "") + parts[i].second;
    }
    if (columns.empty()) header.key = "all", header.label = "All";
    grouping.headers.push_back(header);
  }
  for (size_t row = 0; row < data.rows(); ++row) {
    int combo = 0;
    bool known = true;
    for (int index : columns) {
      const Column& column = data.column(index);
      uint32_t code = column.SingleCode(row);
      if (code >= column.options.size()) {
        known = false;
        break;
      }
      combo = combo * static_cast<int>(column.options.size()) + static_cast<int>(code);
    }
    grouping.slots[row] = static_cast<uint8_t>(known ? combo : groups);
  }
  return grouping;
}

// A derived variable: the expression per row, yes/no (or a number with `number`); a
// row where a referenced column is not answered takes that column's state (the first
// such in column order). Names of a nested repeat's fields are node-sets of the row's
// instances (count(${members})): their non-answers are values of the set, not the row's.
// A number that is not finite (NaN from an empty set) is missing.
Result<Column> MakeDerivedColumn(const Dataset& data, const RowSpec& row, const TableSpec& spec) {
  auto bound = NGO_TRY(CompileForDataset(data, row.derived, SpecLine(spec, row.line)));
  RowContext context(data);
  form::expr::Evaluator evaluator;
  Column column;
  column.name = row.item;
  column.label = row.label.empty() ? row.derived : row.label;
  if (row.derived_number) {
    column.kind = ColumnKind::kNumber;
    column.numbers = std::vector<double>(data.rows());
    column.states = std::vector<uint8_t>(data.rows());
  } else {
    column.kind = ColumnKind::kSingle;
    column.options = {"yes", "no"};
    column.planes.assign(1, std::vector<uint8_t>(data.rows()));
  }
  const std::vector<int>& deps = bound.dependencies();
  for (size_t r = 0; r < data.rows(); ++r) {
    uint8_t state = kCodeAnswered;
    for (int dep : deps) {
      if (!context.IsColumn(dep)) continue;
      uint8_t code = data.column(dep).StateAt(r);
      if (code >= kCodeNotAsked) {
        state = code;
        break;
      }
    }
    context.SetRow(r);
    if (row.derived_number) {
      double value =
          state == kCodeAnswered ? NGO_TRY(evaluator.EvaluateNumber(bound, context)) : std::nan("");
      if (state == kCodeAnswered && !std::isfinite(value)) state = kCodeMissing;
      column.numbers[r] = value;
      column.states[r] = state;
      continue;
    }
    if (state != kCodeAnswered) {
      column.planes[0][r] = state;
      continue;
    }
    bool value = NGO_TRY(evaluator.EvaluateBoolean(bound, context));
    column.planes[0][r] = value ? 0 : 1;
  }
  return column;
}

// Per-column state counts from the kernel's slot counts; `slot` = -1 sums groups
// and the no-group slot (the Total column).
Nonresponse NonresponseOf(const ColumnCounts& counts, ColumnKind kind, int slot, int groups) {
  Nonresponse nr;
  auto add = [&](int s) {
    nr.answered += StateCount(counts, kind, s, AnswerState::kAnswered);
    nr.refused += StateCount(counts, kind, s, AnswerState::kRefused);
    nr.dont_know += StateCount(counts, kind, s, AnswerState::kDontKnow);
    nr.not_asked += StateCount(counts, kind, s, AnswerState::kNotAsked);
    nr.missing += StateCount(counts, kind, s, AnswerState::kMissing);
  };
  if (slot >= 0) {
    add(slot);
  } else {
    for (int s = 0; s <= groups; ++s) add(s);
  }
  nr.total = nr.answered + nr.refused + nr.dont_know + nr.not_asked + nr.missing;
  return nr;
}

Result<Cell> MakeCell(uint64_t count, uint64_t base, const TableSpec& spec) {
  Cell cell;
  cell.count = count;
  cell.base = base;
  if (base > 0) {
    auto k = static_cast<int64_t>(count);
    auto n = static_cast<int64_t>(base);
    cell.prop = static_cast<double>(count) / static_cast<double>(base);
    cell.percent = NGO_TRY(RoundPercentHalfUp(k, n, spec.percent_decimals));
    cell.wilson = NGO_TRY(WilsonInterval(k, n, spec.level));
    cell.clopper_pearson = NGO_TRY(ClopperPearsonInterval(k, n, spec.level));
    cell.jeffreys = NGO_TRY(JeffreysInterval(k, n, spec.level));
    cell.agresti_coull = NGO_TRY(AgrestiCoullInterval(k, n, spec.level));
  }
  cell.small_count = count > 0 && count < static_cast<uint64_t>(std::max(spec.min_count, 0));
  cell.small_base = base < static_cast<uint64_t>(std::max(spec.min_base, 0));
  return cell;
}

uint64_t BaseOf(const Nonresponse& nr, DenominatorRule rule) {
  return rule == DenominatorRule::kAnswered ? nr.answered : nr.total;
}

// 2x2 Fisher tests for every pair of group columns, adjusted across the options of
// the item (per pair) by Holm and Benjamini-Hochberg.
Status AddPairTests(ItemResult* item, const std::vector<ColumnHeader>& headers, int groups) {
  for (int a = 0; a < groups; ++a) {
    for (int b = a + 1; b < groups; ++b) {
      std::vector<std::optional<double>> raw;
      for (OptionRow& option : item->options) {
        const Cell& x = option.cells[a];
        const Cell& y = option.cells[b];
        GroupTest test;
        test.groups = {headers[a].key, headers[b].key};
        if (x.base == 0 || y.base == 0) {
          test.SetNote(words::Word::kNoteEmptyColumn);
        } else {
          auto fisher =
              FisherExact2x2(static_cast<int64_t>(x.count), static_cast<int64_t>(x.base - x.count),
                             static_cast<int64_t>(y.count), static_cast<int64_t>(y.base - y.count));
          if (!fisher) {
            test.SetNote(words::Word::kNoteNotComputed, fisher.error().message);
          } else if (!fisher->informative) {
            test.SetNote(words::Word::kNoteSameAnswer);
          } else {
            test.p = fisher->p_value;
          }
        }
        raw.push_back(test.p);
        option.tests.push_back(test);
      }
      auto holm = NGO_TRY(AdjustPValuesWithMissing(raw, PAdjustMethod::kHolm));
      auto bh = NGO_TRY(AdjustPValuesWithMissing(raw, PAdjustMethod::kBenjaminiHochberg));
      for (size_t i = 0; i < item->options.size(); ++i) {
        item->options[i].tests.back().p_holm = holm[i];
        item->options[i].tests.back().p_bh = bh[i];
      }
    }
  }
  return Ok();
}

// The r x c test of a single-choice item over its options x the group columns.
GroupTest ItemTest(const ColumnCounts& counts, const Column& column,
                   const std::vector<ColumnHeader>& headers, int groups) {
  GroupTest test;
  for (int g = 0; g < groups; ++g) test.groups.push_back(headers[g].key);
  std::vector<std::vector<int64_t>> table;
  for (size_t option = 0; option < column.options.size(); ++option) {
    std::vector<int64_t> row;
    for (int g = 0; g < groups; ++g) {
      row.push_back(static_cast<int64_t>(SingleOptionCount(counts, g, static_cast<int>(option))));
    }
    table.push_back(row);
  }
  auto fisher = FisherExact(table);
  if (!fisher) {
    test.SetNote(words::Word::kNoteNotComputed, fisher.error().message);
  } else if (!fisher->informative) {
    test.SetNote(words::Word::kNoteTooFew);
  } else {
    test.p = fisher->p_value;
    test.method = fisher->method;
    test.replicates = fisher->replicates;
  }
  return test;
}

// Suppresses flagged cells and then, until nothing changes, one more cell in any
// row (across group columns, when a Total is shown) or column (across the options
// of a single-choice item) where exactly one cell is suppressed, so a hidden count
// cannot be recovered by subtraction. The complement is the smallest visible count.
void Suppress(ItemResult* item, bool has_total, int groups) {
  for (OptionRow& option : item->options) {
    for (Cell& cell : option.cells) cell.suppressed = cell.small_count || cell.small_base;
  }
  auto suppress_one_more = [](std::vector<Cell*> cells) {
    int hidden = 0;
    Cell* smallest = nullptr;
    for (Cell* cell : cells) {
      if (cell->suppressed) {
        ++hidden;
      } else if (!smallest || cell->count < smallest->count) {
        smallest = cell;
      }
    }
    if (hidden == 1 && smallest) {
      smallest->suppressed = true;
      return true;
    }
    return false;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    if (has_total) {
      for (OptionRow& option : item->options) {
        std::vector<Cell*> row;
        for (int g = 0; g < groups; ++g) row.push_back(&option.cells[g]);
        changed |= suppress_one_more(row);
      }
    }
    if (item->kind == ItemKind::kSingle && item->denominator == DenominatorRule::kAnswered) {
      for (size_t c = 0; c < item->nonresponse.size(); ++c) {
        std::vector<Cell*> column;
        for (OptionRow& option : item->options) column.push_back(&option.cells[c]);
        changed |= suppress_one_more(column);
      }
    }
  }
  // A test computed from a hidden count could give it away (the p-value of a 2x2
  // table with known margins pins the count): withhold the tests that use one.
  bool any_hidden = false;
  for (OptionRow& option : item->options) {
    bool hidden = std::any_of(option.cells.begin(), option.cells.end(),
                              [](const Cell& cell) { return cell.suppressed; });
    any_hidden |= hidden;
    if (!hidden) continue;
    for (GroupTest& test : option.tests) {
      test.p.reset(), test.p_holm.reset(), test.p_bh.reset();
      test.SetNote(words::Word::kNoteWithheld);
    }
  }
  if (any_hidden && item->item_test) {
    item->item_test->p.reset();
    item->item_test->SetNote(words::Word::kNoteWithheld);
  }
}

NumericCell MakeNumericCell(const NumberSummary& s, std::optional<double> median,
                            const TableSpec& spec) {
  NumericCell cell;
  cell.n = s.n;
  if (s.n > 0) {
    double n = static_cast<double>(s.n);
    cell.mean = s.sum / n;
    cell.min = s.min;
    cell.max = s.max;
    cell.median = median;
    if (s.n > 1) {
      double variance = (s.sum_squares - s.sum * s.sum / n) / (n - 1);
      cell.sd = std::sqrt(std::max(variance, 0.0));
    }
  }
  cell.small_base = s.n < static_cast<uint64_t>(std::max(spec.min_base, 0));
  cell.suppressed = spec.suppress && cell.small_base;
  return cell;
}

NumberSummary SumSummaries(const std::vector<NumberSummary>& parts, int upto) {
  NumberSummary total;
  for (int s = 0; s <= upto; ++s) {
    const NumberSummary& p = parts[s];
    if (p.n > 0) {
      total.min = total.n == 0 ? p.min : std::min(total.min, p.min);
      total.max = total.n == 0 ? p.max : std::max(total.max, p.max);
    }
    total.n += p.n;
    total.sum += p.sum;
    total.sum_squares += p.sum_squares;
    for (int k = 0; k < 4; ++k) total.state_counts[k] += p.state_counts[k];
  }
  return total;
}

// ---- Tabulate's steps -------------------------------------------------------------

// The result's fields that the spec gives as they are.
TableResult ResultHeader(const TableSpec& spec) {
  TableResult result;
  result.id = spec.id;
  result.title = spec.title;
  result.notes = spec.notes;
  result.by = spec.by;
  result.percent_decimals = spec.percent_decimals;
  result.level = spec.level;
  result.min_count = spec.min_count;
  result.min_base = spec.min_base;
  result.suppress = spec.suppress;
  result.design = spec.design;
  return result;
}

// What the rows of one table share: its columns, the slots of a row with no filter
// of its own, the survey design, and the counts of the dataset columns that use
// those slots.
struct TableFrame {
  int groups = 1;                     // G
  std::vector<ColumnHeader> columns;  // the G groups, then the Total when shown
  // Per dataset row: groups 0..G-1, G = no group, G+1 = excluded by the table's filter.
  std::vector<uint8_t> table_slots;
  // Weights, strata and clusters: design-based figures replace the proportions and
  // tests computed from the counts (tabulate_design.h).
  std::optional<Design> design;
  GroupedCounts shared_counts;
  std::vector<int> shared_position;  // by dataset column: its index in shared_counts, or -1
  // By shared position: the design's sums of the choice items summed together (one pass).
  std::vector<std::optional<DesignOptionSums>> shared_design_sums;

  // Column c's slot, or -1 for the Total (all included slots 0..G).
  int SlotOf(int c) const { return columns[c].is_total ? -1 : c; }
  int column_count() const { return static_cast<int>(columns.size()); }
};

// Rows of dataset columns with no filter, eligibility or bins of their own share the
// table's slots, so the kernel counts all their columns in one pass (its packs span
// items); a pass per row cost a pass over the group codes and the pack set-up each.
bool UsesTableSlots(const RowSpec& row) {
  return row.derived.empty() && row.bins.empty() && row.filter.empty() &&
         (row.eligible.empty() || row.denominator != DenominatorRule::kEligible);
}

Result<TableFrame> MakeFrame(const Dataset& data, const TableSpec& spec) {
  TableFrame frame;
  Grouping grouping = NGO_TRY(MakeGrouping(data, spec));
  frame.design = NGO_TRY(MakeTableDesign(data, spec));
  frame.groups = grouping.groups;
  frame.columns = grouping.headers;
  if (spec.total) frame.columns.push_back({"total", "Total", true});

  std::optional<std::vector<uint8_t>> table_filter;
  if (!spec.filter.empty()) {
    auto bound = NGO_TRY(CompileForDataset(data, spec.filter, SpecLine(spec, 0)));
    table_filter = NGO_TRY(EvaluateForRows(data, bound));
  }
  frame.table_slots = std::move(grouping.slots);
  if (table_filter) {
    for (size_t r = 0; r < frame.table_slots.size(); ++r) {
      if (!(*table_filter)[r]) frame.table_slots[r] = static_cast<uint8_t>(frame.groups + 1);
    }
  }

  std::vector<int> shared_columns;
  frame.shared_position.assign(data.columns().size(), -1);
  for (const RowSpec& row : spec.rows) {
    int index = UsesTableSlots(row) ? data.Find(row.item) : -1;
    if (index >= 0 && frame.shared_position[index] < 0) {
      frame.shared_position[index] = static_cast<int>(shared_columns.size());
      shared_columns.push_back(index);
    }
  }
  if (!shared_columns.empty()) {
    frame.shared_counts =
        NGO_TRY(CountBySlots(data, frame.table_slots, frame.groups + 2, shared_columns));
    if (frame.design) {
      frame.shared_design_sums =
          SumOptionsTogether(*frame.design, data, shared_columns, frame.table_slots, frame.groups);
    }
  }
  return frame;
}

Status CheckItemKind(const RowSpec& row, const Column& column, const TableSpec& spec) {
  if (!row.bins.empty() && column.kind != ColumnKind::kNumber) {
    return MakeError("T005", "bins are for numeric items; '" + row.item + "' is not numeric",
                     SpecLine(spec, row.line));
  }
  if (row.mentions && column.kind != ColumnKind::kMulti) {
    return MakeError("T005",
                     "mentions are for select_multiple items; '" + row.item + "' is not one",
                     SpecLine(spec, row.line));
  }
  return Ok();
}

// The slots of a row with a filter or eligibility of its own: the table's, and G+1
// also for rows that the row's filter excludes or that are not eligible.
Result<std::vector<uint8_t>> RowSlots(const Dataset& data, const TableSpec& spec,
                                      const RowSpec& row, const TableFrame& frame) {
  std::vector<uint8_t> slots = frame.table_slots;
  for (const std::string* expression : {&row.filter, &row.eligible}) {
    if (expression->empty()) continue;
    if (expression == &row.eligible && row.denominator != DenominatorRule::kEligible) continue;
    auto bound = NGO_TRY(CompileForDataset(data, *expression, SpecLine(spec, row.line)));
    std::vector<uint8_t> keep = NGO_TRY(EvaluateForRows(data, bound));
    for (size_t r = 0; r < slots.size(); ++r) {
      if (!keep[r]) slots[r] = static_cast<uint8_t>(frame.groups + 1);
    }
  }
  return slots;
}

// A numeric column as a single-choice column of its bins [edge, next edge); values
// outside the edges count as answered but in no bin.
Column BinnedColumn(const Column& column, const std::vector<double>& edges, size_t rows) {
  Column bins;
  bins.name = column.name;
  bins.kind = ColumnKind::kSingle;
  for (size_t e = 0; e + 1 < edges.size(); ++e) {
    bins.options.push_back(fmt::format("[{}, {})", edges[e], edges[e + 1]));
  }
  bins.planes.assign(1, std::vector<uint8_t>(rows));
  for (size_t r = 0; r < rows; ++r) {
    uint8_t code = column.states[r];
    if (code == kCodeAnswered) {
      auto it = std::upper_bound(edges.begin(), edges.end(), column.numbers[r]);
      size_t bin = static_cast<size_t>(it - edges.begin());
      code = (bin == 0 || bin >= edges.size()) ? static_cast<uint8_t>(bins.options.size())
                                               : static_cast<uint8_t>(bin - 1);
    }
    bins.planes[0][r] = code;
  }
  return bins;
}

// A numeric item's cells: the statistics of each column, from the kernel's sums.
Status AddNumericCells(const TableFrame& frame, const TableSpec& spec, const RowSpec& row,
                       const Column& counted, const ColumnCounts& counts,
                       const std::vector<uint8_t>& slots, ItemResult* item) {
  const int groups = frame.groups;
  // By default a weighted table's means carry their linearised standard errors.
  if (!row.statistics.empty()) {
    item->statistics = row.statistics;
  } else if (spec.design.used()) {
    item->statistics = {"n", "mean", "se", "sd", "median", "min", "max"};
  } else {
    item->statistics = {"n", "mean", "sd", "median", "min", "max"};
  }
  bool want_median = std::find(item->statistics.begin(), item->statistics.end(), "median") !=
                     item->statistics.end();
  std::vector<std::optional<double>> medians(groups + 1);
  if (want_median) medians = MediansBySlot(counted, slots, groups);
  for (int c = 0; c < frame.column_count(); ++c) {
    int slot = frame.SlotOf(c);
    NumberSummary summary = slot >= 0 ? counts.numbers[slot] : SumSummaries(counts.numbers, groups);
    item->numeric.push_back(MakeNumericCell(summary, medians[slot >= 0 ? slot : groups], spec));
  }
  if (frame.design) {
    NGO_TRY(ApplyDesignToNumbers(*frame.design, counted, slots, groups, frame.columns, item));
  }
  return Ok();
}

// The options a row shows: the spec's list (checked) or all; derived rows show "yes".
Result<std::vector<int>> ShownOptions(const TableSpec& spec, const RowSpec& row,
                                      const Column& counted, const ItemResult& item) {
  std::vector<int> shown;
  if (item.kind == ItemKind::kDerived) {
    shown = {0};
  } else if (row.options.empty()) {
    shown.resize(counted.options.size());
    std::iota(shown.begin(), shown.end(), 0);
  } else {
    for (const std::string& name : row.options) {
      auto it = std::find(counted.options.begin(), counted.options.end(), name);
      if (it == counted.options.end()) {
        return MakeError("T002", "'" + name + "' is not an option of '" + row.item + "'",
                         SpecLine(spec, row.line));
      }
      shown.push_back(static_cast<int>(it - counted.options.begin()));
    }
  }
  return shown;
}

// A choice item's cells (single, multiple, derived or binned): a row per shown
// option, then the tests, the design-based figures and the suppression.
Status AddOptionCells(const TableFrame& frame, const TableSpec& spec, const RowSpec& row,
                      const Column& counted, const ColumnCounts& counts,
                      const std::vector<uint8_t>& slots, const DesignOptionSums* design_sums,
                      ItemResult* item) {
  const int groups = frame.groups;
  std::vector<int> shown = NGO_TRY(ShownOptions(spec, row, counted, *item));
  // The slots a column sums: its own, or 0..G for the Total.
  auto first_slot = [&](int slot) { return slot >= 0 ? slot : 0; };
  auto last_slot = [&](int slot) { return slot >= 0 ? slot : groups; };
  if (counted.kind == ColumnKind::kMulti) {
    for (int c = 0; c < frame.column_count(); ++c) {
      int slot = frame.SlotOf(c);
      uint64_t mentions = 0;
      for (int s = first_slot(slot); s <= last_slot(slot); ++s) {
        mentions += MultiMentions(counts, s);
      }
      item->mentions_total.push_back(mentions);
    }
  }
  for (int option : shown) {
    OptionRow out;
    out.option = item->kind == ItemKind::kDerived ? "yes" : counted.options[option];
    out.label = item->kind == ItemKind::kDerived ? item->label : counted.OptionLabel(option);
    for (int c = 0; c < frame.column_count(); ++c) {
      int slot = frame.SlotOf(c);
      uint64_t count = 0;
      for (int s = first_slot(slot); s <= last_slot(slot); ++s) {
        count += counted.kind == ColumnKind::kMulti ? MultiOptionCount(counts, s, option)
                                                    : SingleOptionCount(counts, s, option);
      }
      out.cells.push_back(
          NGO_TRY(MakeCell(count, BaseOf(item->nonresponse[c], row.denominator), spec)));
      if (row.mentions) {
        out.mention_cells.push_back(NGO_TRY(MakeCell(count, item->mentions_total[c], spec)));
      }
    }
    item->options.push_back(std::move(out));
  }
  NGO_TRY(AddPairTests(item, frame.columns, groups));
  if (counted.kind == ColumnKind::kSingle && groups >= 2) {
    item->item_test = ItemTest(counts, counted, frame.columns, groups);
  }
  if (frame.design) {
    NGO_TRY(ApplyDesignToOptions(*frame.design, counted, slots, groups, frame.columns, shown, spec,
                                 design_sums, item));
  }
  if (spec.suppress) Suppress(item, spec.total, groups);
  return Ok();
}

// One row of the spec: its item's column (a dataset column, or a derived one built
// here; numerics with bins counted as a single-choice column of bins), counted by
// slot, then its cells.
Result<ItemResult> TabulateRow(const Dataset& data, const TableSpec& spec, const RowSpec& row,
                               const TableFrame& frame) {
  Dataset scratch(data.rows());
  if (!row.derived.empty()) {
    NGO_TRY(scratch.AddColumn(NGO_TRY(MakeDerivedColumn(data, row, spec))));
  }
  const Dataset& source = row.derived.empty() ? data : scratch;
  const int column_index = row.derived.empty() ? data.Find(row.item) : 0;
  if (column_index < 0) {
    return MakeError("T002", "unknown item '" + row.item + "'", SpecLine(spec, row.line));
  }
  const Column& column = source.column(column_index);
  NGO_TRY(CheckItemKind(row, column, spec));

  const bool shared = UsesTableSlots(row);
  std::vector<uint8_t> own_slots;
  if (!shared) own_slots = NGO_TRY(RowSlots(data, spec, row, frame));
  const std::vector<uint8_t>& slots = shared ? frame.table_slots : own_slots;

  Dataset binned(data.rows());
  if (!row.bins.empty()) NGO_TRY(binned.AddColumn(BinnedColumn(column, row.bins, data.rows())));
  const Dataset& counted_data = row.bins.empty() ? source : binned;
  const int counted_index = row.bins.empty() ? column_index : 0;
  const Column& counted = counted_data.column(counted_index);
  GroupedCounts own_counts;
  if (!shared) {
    own_counts = NGO_TRY(CountBySlots(counted_data, slots, frame.groups + 2, {counted_index}));
  }
  const ColumnCounts& counts =
      shared ? frame.shared_counts.columns[frame.shared_position[column_index]]
             : own_counts.columns[0];

  ItemResult item;
  item.item = row.item;
  item.label = row.label.empty() ? (column.label.empty() ? column.name : column.label) : row.label;
  item.kind = !row.derived.empty() && !row.derived_number ? ItemKind::kDerived
              : counted.kind == ColumnKind::kSingle       ? ItemKind::kSingle
              : counted.kind == ColumnKind::kMulti        ? ItemKind::kMulti
                                                          : ItemKind::kNumeric;
  item.denominator = row.denominator;
  item.filter = row.filter;
  for (int c = 0; c < frame.column_count(); ++c) {
    item.nonresponse.push_back(NonresponseOf(counts, counted.kind, frame.SlotOf(c), frame.groups));
  }
  if (counted.kind == ColumnKind::kNumber) {
    NGO_TRY(AddNumericCells(frame, spec, row, counted, counts, slots, &item));
  } else {
    const DesignOptionSums* design_sums = nullptr;
    if (shared && !frame.shared_design_sums.empty()) {
      const auto& summed = frame.shared_design_sums[frame.shared_position[column_index]];
      if (summed) design_sums = &*summed;
    }
    NGO_TRY(AddOptionCells(frame, spec, row, counted, counts, slots, design_sums, &item));
  }
  return item;
}

}  // namespace

std::string_view DenominatorRuleName(DenominatorRule rule) {
  switch (rule) {
    case DenominatorRule::kAnswered:
      return "answered";
    case DenominatorRule::kAll:
      return "all";
    case DenominatorRule::kEligible:
      return "eligible";
  }
  return "answered";
}

namespace {

// The rows of a table by TabulateRow, in the spec's order. A large weighted table's rows are
// shared out between `threads` threads (0: one per core): their design-based estimates, a
// variance over every PSU for each cell and test, were most of what is left once the rows
// are summed (bench/README.md, "Weighted tables"). Rows that read only the table's frame
// (UsesTableSlots) go to any thread; the others compile and evaluate expressions of their
// own, and stay on the calling thread, as does `progress`. The items do not depend on the
// threads; the error is the first in the spec's order.
Result<std::vector<ItemResult>> TabulateRows(const Dataset& data, const TableSpec& spec,
                                             const TableFrame& frame, unsigned threads,
                                             Progress& progress) {
  const size_t rows = spec.rows.size();
  if (threads == 0) {
    constexpr size_t kRowsForThreads = size_t{1} << 16;
    threads = frame.design && data.rows() >= kRowsForThreads
                  ? std::max(1u, std::thread::hardware_concurrency())
                  : 1;
  }
  std::vector<size_t> anywhere, here;
  for (size_t i = 0; i < rows; ++i) (UsesTableSlots(spec.rows[i]) ? anywhere : here).push_back(i);
  threads = static_cast<unsigned>(std::min<size_t>(threads, anywhere.size()));
  std::vector<std::optional<Result<ItemResult>>> results(rows);
  std::atomic<size_t> next{0}, done{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < anywhere.size();) {
      results[anywhere[k]] = TabulateRow(data, spec, spec.rows[anywhere[k]], frame);
      done.fetch_add(1);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  for (size_t i : here) {
    results[i] = TabulateRow(data, spec, spec.rows[i], frame);
    progress.Update(done.fetch_add(1) + 1);
  }
  if (threads <= 1) {
    for (size_t i : anywhere) {
      results[i] = TabulateRow(data, spec, spec.rows[i], frame);
      progress.Update(done.fetch_add(1) + 1);
    }
  } else {
    work();
    for (std::thread& worker : workers) worker.join();
    progress.Update(rows);  // the workers' rows (reported once they are all done)
  }
  std::vector<ItemResult> items;
  items.reserve(rows);
  for (std::optional<Result<ItemResult>>& result : results) {
    items.push_back(NGO_TRY(std::move(*result)));
  }
  return items;
}

}  // namespace

Result<TableResult> Tabulate(const Dataset& data, const TableSpec& spec, Progress& progress,
                             unsigned threads) {
  TableResult result = ResultHeader(spec);
  TableFrame frame = NGO_TRY(MakeFrame(data, spec));
  result.columns = frame.columns;
  progress.Start("tabulating " + spec.id, spec.rows.size());
  result.items = NGO_TRY(TabulateRows(data, spec, frame, threads, progress));
  progress.Finish();
  return result;
}

}  // namespace ngosurvey::analysis
