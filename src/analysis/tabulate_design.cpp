#include "analysis/tabulate_design.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <thread>

namespace ngosurvey::analysis {
namespace {

Location SpecLocation(const TableSpec& spec) {
  Location where;
  where.file = spec.file;
  where.row = spec.line;
  return where;
}

// The percentage text of a weighted share, rounded half-up at `decimals`.
std::string WeightedPercentText(double prop, int decimals) {
  double scale = std::pow(10.0, decimals);
  double rounded = std::floor(prop * 100 * scale + 0.5) / scale;
  return fmt::format("{:.{}f}", rounded, decimals);
}

// The column named `name`, or T002.
Result<const Column*> DesignColumn(const Dataset& data, const std::string& name,
                                   std::string_view role, const TableSpec& spec) {
  int index = data.Find(name);
  if (index < 0) {
    return MakeError("T002", fmt::format("unknown {} column '{}'", role, name), SpecLocation(spec));
  }
  return &data.column(index);
}

// The first row of a single-choice or numeric column without an answer, or `rows`: a scan
// of the codes or states in the column's own width (Column::StateAt dispatches per row).
size_t FirstUnanswered(const Column& column, size_t rows) {
  auto first = [rows](const auto* values, auto unanswered) {
    return static_cast<size_t>(std::find_if(values, values + rows, unanswered) - values);
  };
  if (column.kind == ColumnKind::kNumber) {
    return first(column.states.data(), [](uint8_t state) { return state != kCodeAnswered; });
  }
  if (!column.planes.empty()) {
    return first(column.planes[0].data(), [](uint8_t code) { return code >= kCodeNotAsked; });
  }
  if (!column.codes16.empty()) {
    return first(column.codes16.data(), [](uint16_t code) { return code >= 0xFFFCu; });
  }
  return first(column.codes32.data(), [](uint32_t code) { return code >= kWideNotAsked; });
}

// A single-choice or numeric column's identifiers as the column holds them (the design reads
// them there: no copy per row); T005 for another kind or a row without an answer.
Result<DesignIds> IdentifierColumn(const Dataset& data, const std::string& name,
                                   std::string_view role, const TableSpec& spec) {
  const Column& column = *NGO_TRY(DesignColumn(data, name, role, spec));
  if (column.kind != ColumnKind::kSingle && column.kind != ColumnKind::kNumber) {
    return MakeError("T005",
                     fmt::format("the {} column '{}' must be a single-choice or a "
                                 "numeric item",
                                 role, name),
                     SpecLocation(spec));
  }
  if (size_t r = FirstUnanswered(column, data.rows()); r < data.rows()) {
    return MakeError(
        "T005",
        fmt::format("row {} of the data has no {} ('{}' is not answered)", r + 1, role, name),
        SpecLocation(spec));
  }
  if (column.kind == ColumnKind::kNumber) {
    return DesignIds::Numbers({column.numbers.data(), column.numbers.size()});
  }
  if (!column.planes.empty()) {
    return DesignIds::Codes(std::span<const uint8_t>(column.planes[0].data(), data.rows()),
                            column.options);
  }
  if (!column.codes16.empty()) {
    return DesignIds::Codes(std::span<const uint16_t>(column.codes16.data(), data.rows()),
                            column.options);
  }
  return DesignIds::Codes(std::span<const uint32_t>(column.codes32.data(), data.rows()),
                          column.options);
}

// A numeric design column's values: where the column holds them when every row is answered,
// else a copy with NaN where not answered (the design reports the row), which `owner` holds.
// `keep`: `owner` keeps the values alive too when they are the column's (a loaded column's
// memory is shared, not copied; a column the Dataset owns is copied, as a Design may outlive
// the Dataset).
struct DesignNumbers {
  std::span<const double> values;
  std::shared_ptr<const void> owner;
};

Result<DesignNumbers> NumberColumn(const Dataset& data, const std::string& name,
                                   std::string_view role, const TableSpec& spec, bool keep) {
  const Column& column = *NGO_TRY(DesignColumn(data, name, role, spec));
  if (column.kind != ColumnKind::kNumber) {
    return MakeError("T005", fmt::format("the {} column '{}' must be numeric", role, name),
                     SpecLocation(spec));
  }
  if (FirstUnanswered(column, data.rows()) == data.rows()) {
    if (!keep) return DesignNumbers{{column.numbers.data(), data.rows()}, nullptr};
    // A copy of a view is a view of the same memory that keeps it alive.
    auto kept = std::make_shared<const Buffer<double>>(column.numbers);
    return DesignNumbers{{kept->data(), data.rows()}, kept};
  }
  auto values = std::make_shared<std::vector<double>>(data.rows());
  for (size_t r = 0; r < data.rows(); ++r) {
    (*values)[r] = column.states[r] == kCodeAnswered ? column.numbers[r]
                                                     : std::numeric_limits<double>::quiet_NaN();
  }
  return DesignNumbers{*values, values};
}

// Is row r answered, and is option o chosen, in a single- or multiple-choice column.
bool Answered(const Column& column, size_t r) { return column.StateAt(r) == kCodeAnswered; }
bool Chosen(const Column& column, size_t r, int option) {
  if (column.kind == ColumnKind::kSingle)
    return column.SingleCode(r) == static_cast<uint32_t>(option);
  if (!Answered(column, r)) return false;
  return (column.planes[option / kOptionsPerPlane][r] >> (option % kOptionsPerPlane)) & 1;
}

// Index helpers over DesignOptionSums' arrays.
size_t At(const DesignOptionSums& t, int slot, int psu) {
  return static_cast<size_t>(slot) * t.psus + psu;
}
size_t At(const DesignOptionSums& t, int slot, int psu, int k) {
  return At(t, slot, psu) * t.kept + k;
}

DesignOptionSums EmptySums(const Design& design, int groups, int kept) {
  DesignOptionSums t;
  t.slots = groups + 1;
  t.psus = design.psus();
  t.kept = kept;
  t.option_weight.assign(static_cast<size_t>(t.slots) * t.psus * t.kept, 0.0);
  t.option_rows.assign(static_cast<size_t>(t.slots) * t.kept, 0);
  return t;
}

std::shared_ptr<SlotBase> EmptyBase(const DesignOptionSums& t) {
  auto base = std::make_shared<SlotBase>();
  base->weight.assign(static_cast<size_t>(t.slots) * t.psus, 0.0);
  base->rows.assign(base->weight.size(), 0);
  return base;
}

// One item's sums, in one pass over the rows, with the base its denominator asks for (both
// of DesignOptionSums' bases point at it).
DesignOptionSums SumOptions(const Design& design, const Column& counted,
                            const std::vector<uint8_t>& slots, int groups,
                            const std::vector<int>& kept_options,
                            const std::vector<int>& kept_position, bool answered_base) {
  const int options = static_cast<int>(counted.options.size());
  DesignOptionSums t = EmptySums(design, groups, static_cast<int>(kept_options.size()));
  std::shared_ptr<SlotBase> base = EmptyBase(t);
  const PsuOfRow& psu_of_row = design.psu_of_row();
  const bool narrow_single = counted.kind == ColumnKind::kSingle && !counted.planes.empty();
  if (narrow_single) {
    // One-byte codes (the common case): the same sums with the code read straight from the
    // plane, without the per-row width and kind dispatch of Answered() and SingleCode()
    // (bench/README.md, "Weighted tables": this pass was a fifth of a weighted run).
    const uint8_t* codes = counted.planes[0].data();
    for (size_t r = 0; r < slots.size(); ++r) {
      const int slot = slots[r];
      if (slot > groups) continue;
      const uint8_t code = codes[r];
      const bool answered = code < kCodeNotAsked;
      if (answered_base && !answered) continue;
      const size_t at = At(t, slot, psu_of_row[r]);
      const double w = design.weight(static_cast<int64_t>(r));
      base->weight[at] += w;
      ++base->rows[at];
      if (!answered || code >= options) continue;
      const int k = kept_position[code];
      if (k < 0) continue;
      t.option_weight[at * t.kept + k] += w;
      ++t.option_rows[static_cast<size_t>(slot) * t.kept + k];
    }
  }
  // Wider codes and select_multiples.
  for (size_t r = 0; !narrow_single && r < slots.size(); ++r) {
    int slot = slots[r];
    if (slot > groups) continue;
    bool answered = Answered(counted, r);
    if (answered_base && !answered) continue;
    int psu = psu_of_row[r];
    double w = design.weight(static_cast<int64_t>(r));
    base->weight[At(t, slot, psu)] += w;
    ++base->rows[At(t, slot, psu)];
    if (!answered) continue;
    if (counted.kind == ColumnKind::kSingle) {
      uint32_t code = counted.SingleCode(r);
      if (code < static_cast<uint32_t>(options) && kept_position[code] >= 0) {
        t.option_weight[At(t, slot, psu, kept_position[code])] += w;
        ++t.option_rows[static_cast<size_t>(slot) * t.kept + kept_position[code]];
      }
    } else {
      for (int k = 0; k < t.kept; ++k) {
        if (Chosen(counted, r, kept_options[k])) {
          t.option_weight[At(t, slot, psu, k)] += w;
          ++t.option_rows[static_cast<size_t>(slot) * t.kept + k];
        }
      }
    }
  }
  t.all_rows = base;
  t.answered = base;
  return t;
}

// The columns SumOptionsTogether sums: one-byte single-choice codes, every option kept.
bool SummedTogether(const Column& column) {
  return column.kind == ColumnKind::kSingle && !column.planes.empty() &&
         static_cast<int>(column.options.size()) <= kMaxDesignOptions;
}

// The memory SumOptionsTogether may keep for options' sums (a table of many items over a
// design of many PSUs sums the rest item by item).
constexpr size_t kTogetherBudgetBytes = size_t{64} << 20;

// The slots a column sums: its own, or 0..groups for the Total.
std::pair<int, int> SlotRange(const std::vector<ColumnHeader>& columns, int c, int groups) {
  return columns[c].is_total ? std::pair<int, int>{0, groups} : std::pair<int, int>{c, c};
}

void FillCell(const ProportionEstimate& estimate, double weighted_count, int decimals, Cell* cell) {
  DesignCell design;
  design.n_weighted = estimate.estimate.weight_sum;
  design.weighted_count = weighted_count;
  design.se = estimate.estimate.se;
  design.deff = estimate.estimate.deff;
  if (estimate.lower && estimate.upper)
    design.interval = Interval{*estimate.lower, *estimate.upper};
  cell->prop = estimate.estimate.value;
  cell->percent = WeightedPercentText(estimate.estimate.value, decimals);
  cell->wilson.reset();
  cell->clopper_pearson.reset();
  cell->jeffreys.reset();
  cell->agresti_coull.reset();
  cell->design = design;
}

}  // namespace

std::optional<double> WeightedMedian(std::vector<std::pair<double, double>> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  double total = 0;
  for (const auto& [value, weight] : values) total += weight;
  // Ties are one value (rowsum over the distinct values, as R's qrule "math").
  double cumulative = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    cumulative += values[i].second;
    if (i + 1 < values.size() && values[i + 1].first == values[i].first) continue;
    if (cumulative / total >= 0.5) return values[i].first;
  }
  return values.back().first;
}

Result<std::optional<Design>> MakeTableDesign(const Dataset& data, const TableSpec& spec) {
  const DesignSpec& d = spec.design;
  if (!d.used()) return std::optional<Design>();
  DesignNumbers weights;
  if (!d.weight.empty()) {
    weights = NGO_TRY(NumberColumn(data, d.weight, "weight", spec, /*keep=*/true));
  } else {
    auto ones = std::make_shared<const std::vector<double>>(data.rows(), 1.0);
    weights = {*ones, ones};
  }
  DesignIds strata, clusters;
  DesignNumbers fpc;
  if (!d.strata.empty()) strata = NGO_TRY(IdentifierColumn(data, d.strata, "strata", spec));
  if (!d.cluster.empty()) clusters = NGO_TRY(IdentifierColumn(data, d.cluster, "cluster", spec));
  if (!d.fpc.empty()) fpc = NGO_TRY(NumberColumn(data, d.fpc, "fpc", spec, /*keep=*/false));
  // The design keeps the weights where they are (a loaded column's memory, or a copy), held
  // by their owner: no copy of a loaded column.
  auto design = Design::Make({.weights = weights.values,
                              .weights_owner = weights.owner,
                              .strata = strata,
                              .clusters = clusters,
                              .fpc = fpc.values,
                              .lonely_psu = d.lonely_psu});
  if (!design) {
    Error error = design.error();
    if (error.where.row > 0) error.message = "in the data, " + error.message;
    error.where.file = spec.file;
    error.where.row = spec.line;
    return tl::unexpected(std::move(error));
  }
  return std::optional<Design>(std::move(*design));
}

namespace {

// An item SumOptionsTogether sums.
struct SummedItem {
  DesignOptionSums* sums;
  const uint8_t* codes;
  int options;
  SlotBase* answered;  // its own answered base, or nullptr when every row is answered
};

// Sums `items` (and `all_rows` unless nullptr) over every row, in blocks: each row's slot,
// PSU and weight read once per block, then each item's codes in a tight loop over them.
// Every sum adds its rows in row order, as SumOptions does (the same floating-point results).
void SumItemsByBlocks(const Design& design, const std::vector<uint8_t>& slots, int groups,
                      std::span<const SummedItem> items, SlotBase* all_rows) {
  constexpr size_t kBlock = 4096;
  std::vector<uint32_t> row_of(kBlock);
  std::vector<uint8_t> slot_of(kBlock);
  std::vector<size_t> at_of(kBlock);
  std::vector<double> weight_of(kBlock);
  const PsuOfRow& psu_of_row = design.psu_of_row();
  const size_t psus = static_cast<size_t>(design.psus());
  for (size_t begin = 0; begin < slots.size(); begin += kBlock) {
    const size_t end = std::min(slots.size(), begin + kBlock);
    size_t m = 0;
    for (size_t r = begin; r < end; ++r) {
      const uint8_t slot = slots[r];
      if (slot > groups) continue;
      row_of[m] = static_cast<uint32_t>(r - begin);
      slot_of[m] = slot;
      at_of[m] = slot * psus + psu_of_row[r];
      weight_of[m] = design.weight(static_cast<int64_t>(r));
      ++m;
    }
    if (all_rows) {
      for (size_t i = 0; i < m; ++i) {
        all_rows->weight[at_of[i]] += weight_of[i];
        ++all_rows->rows[at_of[i]];
      }
    }
    for (const SummedItem& item : items) {
      DesignOptionSums& t = *item.sums;
      const uint8_t* codes = item.codes + begin;
      const size_t kept = static_cast<size_t>(t.kept);
      for (size_t i = 0; i < m; ++i) {
        const uint8_t code = codes[row_of[i]];
        if (item.answered && code < kCodeNotAsked) {
          item.answered->weight[at_of[i]] += weight_of[i];
          ++item.answered->rows[at_of[i]];
        }
        if (code >= item.options) continue;
        t.option_weight[at_of[i] * kept + code] += weight_of[i];
        ++t.option_rows[slot_of[i] * kept + code];
      }
    }
  }
}

}  // namespace

std::vector<std::optional<DesignOptionSums>> SumOptionsTogether(const Design& design,
                                                                const Dataset& data,
                                                                const std::vector<int>& columns,
                                                                const std::vector<uint8_t>& slots,
                                                                int groups, unsigned threads) {
  std::vector<std::optional<DesignOptionSums>> sums(columns.size());
  std::vector<SummedItem> together;
  size_t budget = kTogetherBudgetBytes;
  const size_t slot_psus = static_cast<size_t>(groups + 1) * design.psus();
  std::shared_ptr<SlotBase> all_rows;
  for (size_t i = 0; i < columns.size(); ++i) {
    const Column& column = data.column(columns[i]);
    if (!SummedTogether(column)) continue;
    const int options = static_cast<int>(column.options.size());
    const uint8_t* codes = column.planes[0].data();
    const bool unanswered =
        std::any_of(codes, codes + data.rows(), [](uint8_t code) { return code >= kCodeNotAsked; });
    const size_t bytes = slot_psus * (options + (unanswered ? 2 : 0)) * sizeof(double);
    if (bytes > budget) continue;
    budget -= bytes;
    sums[i] = EmptySums(design, groups, options);
    if (!all_rows) all_rows = EmptyBase(*sums[i]);
    sums[i]->all_rows = all_rows;
    std::shared_ptr<SlotBase> answered = unanswered ? EmptyBase(*sums[i]) : all_rows;
    sums[i]->answered = answered;
    together.push_back({&*sums[i], codes, options, unanswered ? answered.get() : nullptr});
  }
  if (together.empty()) return sums;

  // The items shared out between threads, each summing its own over every row (a split of
  // the rows would change the order of the additions); the first also sums the shared base.
  if (threads == 0) {
    constexpr size_t kRowsForThreads = size_t{1} << 16;
    threads =
        slots.size() < kRowsForThreads ? 1 : std::max(1u, std::thread::hardware_concurrency());
  }
  threads = static_cast<unsigned>(std::min<size_t>(threads, together.size()));
  const std::span<const SummedItem> items(together);
  auto part = [&](unsigned t) {
    const size_t first = items.size() * t / threads, last = items.size() * (t + 1) / threads;
    return items.subspan(first, last - first);
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) {
    workers.emplace_back(SumItemsByBlocks, std::cref(design), std::cref(slots), groups, part(t),
                         nullptr);
  }
  SumItemsByBlocks(design, slots, groups, part(0), all_rows.get());
  for (std::thread& worker : workers) worker.join();
  return sums;
}

// Long on purpose: cells, mentions and tests over the same PSU totals (one function: they share
// the sums and the kept options).
// NOLINTNEXTLINE(readability-function-size)
Status ApplyDesignToOptions(const Design& design, const Column& counted,
                            const std::vector<uint8_t>& slots, int groups,
                            const std::vector<ColumnHeader>& columns, const std::vector<int>& shown,
                            const TableSpec& spec, const DesignOptionSums* summed,
                            ItemResult* item) {
  const int options = static_cast<int>(counted.options.size());
  const bool keep_all = options <= kMaxDesignOptions;
  std::vector<int> kept_options;
  if (keep_all) {
    for (int o = 0; o < options; ++o) kept_options.push_back(o);
  } else {
    kept_options = shown;
  }
  std::vector<int> kept_position(options, -1);
  for (size_t k = 0; k < kept_options.size(); ++k)
    kept_position[kept_options[k]] = static_cast<int>(k);

  const bool answered_base = item->denominator == DenominatorRule::kAnswered;
  DesignOptionSums own;
  if (!summed) {
    own = SumOptions(design, counted, slots, groups, kept_options, kept_position, answered_base);
  }
  const DesignOptionSums& t = summed ? *summed : own;
  const SlotBase& base = answered_base ? *t.answered : *t.all_rows;

  // The cells.
  const int column_count = static_cast<int>(columns.size());
  for (size_t i = 0; i < item->options.size(); ++i) {
    const int k = kept_position[shown[i]];
    for (int c = 0; c < column_count; ++c) {
      auto [first, last] = SlotRange(columns, c, groups);
      DomainSums sums;
      sums.weight.assign(t.psus, 0.0);
      sums.weighted_y.assign(t.psus, 0.0);
      sums.rows.assign(t.psus, 0);
      int64_t rows = 0;
      double weighted_count = 0;
      for (int s = first; s <= last; ++s) {
        for (int p = 0; p < t.psus; ++p) {
          sums.weight[p] += base.weight[At(t, s, p)];
          sums.rows[p] += base.rows[At(t, s, p)];
          sums.weighted_y[p] += t.option_weight[At(t, s, p, k)];
          rows += base.rows[At(t, s, p)];
          weighted_count += t.option_weight[At(t, s, p, k)];
        }
      }
      sums.weighted_yy = sums.weighted_y;  // a 0/1 variable
      Cell& cell = item->options[i].cells[c];
      if (rows == 0) {
        cell.design = DesignCell{};
        continue;
      }
      ProportionEstimate estimate =
          NGO_TRY(design.Proportion(sums, spec.design.interval, spec.level));
      FillCell(estimate, weighted_count, spec.percent_decimals, &cell);
    }
  }
  // The weighted share of mentions (every option's totals are needed).
  if (!item->options.empty() && !item->options[0].mention_cells.empty()) {
    for (int c = 0; c < column_count; ++c) {
      auto [first, last] = SlotRange(columns, c, groups);
      double all_mentions = 0;
      if (keep_all) {
        for (int s = first; s <= last; ++s) {
          for (int p = 0; p < t.psus; ++p) {
            for (int k = 0; k < t.kept; ++k) all_mentions += t.option_weight[At(t, s, p, k)];
          }
        }
      }
      for (size_t i = 0; i < item->options.size(); ++i) {
        Cell& mention = item->options[i].mention_cells[c];
        mention.wilson.reset(), mention.clopper_pearson.reset(), mention.jeffreys.reset(),
            mention.agresti_coull.reset();
        mention.design = DesignCell{};
        if (!keep_all || all_mentions <= 0) {
          mention.prop.reset();
          mention.percent.clear();
          continue;
        }
        double share = item->options[i].cells[c].design->weighted_count / all_mentions;
        mention.design->n_weighted = all_mentions;
        mention.design->weighted_count = item->options[i].cells[c].design->weighted_count;
        mention.prop = share;
        mention.percent = WeightedPercentText(share, spec.percent_decimals);
      }
    }
  }

  // Rao-Scott tests for every pair of group columns, adjusted across the options.
  for (OptionRow& option : item->options) option.tests.clear();
  for (int a = 0; a < groups; ++a) {
    for (int b = a + 1; b < groups; ++b) {
      std::vector<std::optional<double>> raw;
      for (size_t i = 0; i < item->options.size(); ++i) {
        const int k = kept_position[shown[i]];
        GroupTest test;
        test.rao_scott = true;
        test.groups = {columns[a].key, columns[b].key};
        std::vector<double> cell_weights(static_cast<size_t>(t.psus) * 4, 0.0);
        std::vector<int64_t> cell_rows(4, 0);
        std::vector<int64_t> psu_rows(t.psus, 0);
        int64_t base_a = 0, base_b = 0;
        for (int side = 0; side < 2; ++side) {
          int slot = side == 0 ? a : b;
          for (int p = 0; p < t.psus; ++p) {
            double yes = t.option_weight[At(t, slot, p, k)];
            cell_weights[static_cast<size_t>(p) * 4 + 0 + 2 * side] = yes;
            cell_weights[static_cast<size_t>(p) * 4 + 1 + 2 * side] =
                base.weight[At(t, slot, p)] - yes;
            psu_rows[p] += base.rows[At(t, slot, p)];
            (side == 0 ? base_a : base_b) += base.rows[At(t, slot, p)];
          }
          const int64_t yes_rows = t.option_rows[static_cast<size_t>(slot) * t.kept + k];
          cell_rows[0 + 2 * side] += yes_rows;
          cell_rows[1 + 2 * side] += (side == 0 ? base_a : base_b) - yes_rows;
        }
        if (base_a == 0 || base_b == 0) {
          test.SetNote(words::Word::kNoteEmptyColumn);
        } else {
          RaoScottResult rs =
              NGO_TRY(design.RaoScottFromTotals(cell_weights, cell_rows, 2, 2, psu_rows));
          if (!rs.informative) {
            test.SetNote(rs.rows_present < 2 ? words::Word::kNoteSameAnswer
                                             : words::Word::kNoteNoDf);
          } else {
            test.p = rs.p_value;
          }
        }
        raw.push_back(test.p);
        item->options[i].tests.push_back(test);
      }
      auto holm = NGO_TRY(AdjustPValuesWithMissing(raw, PAdjustMethod::kHolm));
      auto bh = NGO_TRY(AdjustPValuesWithMissing(raw, PAdjustMethod::kBenjaminiHochberg));
      for (size_t i = 0; i < item->options.size(); ++i) {
        item->options[i].tests.back().p_holm = holm[i];
        item->options[i].tests.back().p_bh = bh[i];
      }
    }
  }

  // The item's test: its options by the group columns, over the answered rows in a group.
  if (item->item_test) {
    GroupTest test;
    test.rao_scott = true;
    test.groups = item->item_test->groups;
    if (!keep_all) {
      test.SetNote(words::Word::kNoteTooManyOptions, std::to_string(kMaxDesignOptions));
    } else {
      const int cells = options * groups;
      std::vector<double> cell_weights(static_cast<size_t>(t.psus) * cells, 0.0);
      std::vector<int64_t> cell_rows(cells, 0);
      std::vector<int64_t> psu_rows(t.psus, 0);
      for (int g = 0; g < groups; ++g) {
        for (int p = 0; p < t.psus; ++p) {
          for (int o = 0; o < options; ++o) {
            const double weight = t.option_weight[At(t, g, p, o)];
            cell_weights[static_cast<size_t>(p) * cells + o + options * g] = weight;
            // Only whether a PSU has a row of the domain matters to the test, and weights
            // are positive: a PSU's sum is above zero exactly when it has a row.
            psu_rows[p] += weight > 0 ? 1 : 0;
          }
        }
        for (int o = 0; o < options; ++o)
          cell_rows[o + options * g] = t.option_rows[static_cast<size_t>(g) * t.kept + o];
      }
      RaoScottResult rs =
          NGO_TRY(design.RaoScottFromTotals(cell_weights, cell_rows, options, groups, psu_rows));
      if (!rs.informative) {
        test.SetNote((rs.rows_present < 2 || rs.columns_present < 2) ? words::Word::kNoteTooFew
                                                                     : words::Word::kNoteNoDf);
      } else {
        test.p = rs.p_value;
      }
    }
    item->item_test = test;
  }
  return Ok();
}

Status ApplyDesignToNumbers(const Design& design, const Column& counted,
                            const std::vector<uint8_t>& slots, int groups,
                            const std::vector<ColumnHeader>& columns, ItemResult* item) {
  for (size_t c = 0; c < columns.size(); ++c) {
    auto [first, last] = SlotRange(columns, static_cast<int>(c), groups);
    std::vector<uint8_t> domain(slots.size(), 0);
    std::vector<std::pair<double, double>> values;
    for (size_t r = 0; r < slots.size(); ++r) {
      if (slots[r] < first || slots[r] > last || counted.states[r] != kCodeAnswered) continue;
      domain[r] = 1;
      values.emplace_back(counted.numbers[r], design.weight(static_cast<int64_t>(r)));
    }
    NumericCell& cell = item->numeric[c];
    if (values.empty()) continue;
    std::vector<double> y(counted.numbers.begin(), counted.numbers.end());
    for (size_t r = 0; r < y.size(); ++r) {
      if (!domain[r]) y[r] = 0;  // not answered: no value (and outside the domain anyway)
    }
    DomainSums sums = NGO_TRY(design.Sum(y, domain));
    DesignEstimate mean = NGO_TRY(design.Mean(sums));
    cell.mean = mean.value;
    cell.mean_se = mean.se;
    cell.n_weighted = mean.weight_sum;
    cell.median = WeightedMedian(std::move(values));
    if (mean.rows > 1) {
      // sqrt(svyvar): sum w (y - mean)^2 / sum w * n / (n - 1).
      double weighted_yy = 0;
      for (double v : sums.weighted_yy) weighted_yy += v;
      double n = static_cast<double>(mean.rows);
      double variance =
          std::max(0.0, weighted_yy / mean.weight_sum - mean.value * mean.value) * n / (n - 1);
      cell.sd = std::sqrt(variance);
    } else {
      cell.sd.reset();
    }
  }
  return Ok();
}

}  // namespace ngosurvey::analysis
