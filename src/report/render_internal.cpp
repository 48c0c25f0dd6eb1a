#include "report/render_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "base/escape.h"

namespace ngosurvey::report {

std::string PValueText(const std::optional<double>& p) {
  if (!p) return "";
  if (*p < 0.001) return "<0.001";
  return fmt::format("{:.3f}", *p);
}

namespace internal {

using analysis::ItemKind;
using analysis::TableResult;

std::string IdentifierText(std::string_view input, std::string_view also_kept) {
  std::string out;
  for (char c : input) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                also_kept.find(c) != std::string_view::npos;
    out += keep ? c : '-';
  }
  return out;
}

size_t GroupColumnCount(const TableResult& table) {
  return static_cast<size_t>(std::count_if(table.columns.begin(), table.columns.end(),
                                           [](const auto& column) { return !column.is_total; }));
}

uint64_t ColumnN(const TableResult& table, size_t column) {
  uint64_t n = 0;
  for (const analysis::ItemResult& item : table.items) {
    if (column < item.nonresponse.size()) n = std::max(n, item.nonresponse[column].total);
  }
  return n;
}

std::string PercentText(double prop, int decimals) {
  return fmt::format("{:.{}f}", 100 * prop, std::clamp(decimals, 0, 9));
}

std::string NumberText(const std::optional<double>& value) {
  if (!value) return "";
  std::string text = fmt::format("{:.2f}", *value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

std::vector<std::string> NumericStatistics(const analysis::ItemResult& item) {
  if (!item.statistics.empty()) return item.statistics;
  return {"mean", "sd", "median", "min", "max", "n"};
}

std::optional<double> NumericValue(const analysis::NumericCell& cell, std::string_view name) {
  if (name == "n") return static_cast<double>(cell.n);
  if (name == "mean") return cell.mean;
  if (name == "se") return cell.mean_se;
  if (name == "sd") return cell.sd;
  if (name == "median") return cell.median;
  if (name == "min") return cell.min;
  if (name == "max") return cell.max;
  return std::nullopt;
}

std::string NonresponseText(const analysis::Nonresponse& nr, std::string_view separator) {
  std::string text = fmt::format("{} of {} answered", nr.answered, nr.total);
  auto add = [&](uint64_t count, std::string_view what) {
    if (count > 0) text += fmt::format("{}{} {}", separator, what, count);
  };
  add(nr.refused, "refused");
  add(nr.dont_know, "don't know");
  add(nr.not_asked, "not asked");
  add(nr.missing, "missing");
  return text;
}

std::vector<std::string_view> CellMarks(const analysis::Cell& cell) {
  std::vector<std::string_view> marks;
  if (cell.suppressed) return marks;
  if (cell.small_count) marks.push_back(kSmallCountMark);
  if (cell.small_base) marks.push_back(kSmallBaseMark);
  return marks;
}

bool HidesTests(const analysis::OptionRow& option) {
  return std::any_of(option.cells.begin(), option.cells.end(),
                     [](const analysis::Cell& cell) { return cell.suppressed; });
}

bool HidesTests(const analysis::ItemResult& item) {
  return std::any_of(item.options.begin(), item.options.end(),
                     [](const analysis::OptionRow& option) { return HidesTests(option); });
}

std::string TestColumnsText(const TableResult& table, const analysis::GroupTest& test) {
  std::string text;
  for (const std::string& key : test.groups) {
    std::string label = key;
    for (const auto& column : table.columns) {
      if (column.key == key) label = column.label;
    }
    text += (text.empty() ? "" : " vs ") + label;
  }
  return text;
}

namespace {

bool AnyCell(const TableResult& table, bool (*pred)(const analysis::Cell&)) {
  for (const auto& item : table.items) {
    for (const auto& option : item.options) {
      if (std::any_of(option.cells.begin(), option.cells.end(), pred)) return true;
    }
  }
  return false;
}

bool AnyNumeric(const TableResult& table, bool (*pred)(const analysis::NumericCell&)) {
  for (const auto& item : table.items) {
    if (std::any_of(item.numeric.begin(), item.numeric.end(), pred)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> TestMethodNotes(const TableResult& table) {
  std::string monte_carlo;
  std::string asymptotic;
  int64_t replicates = 0;
  for (const analysis::ItemResult& item : table.items) {
    if (!item.item_test || !item.item_test->p) continue;
    const analysis::GroupTest& test = *item.item_test;
    if (test.method == analysis::FisherMethod::kMonteCarlo) {
      monte_carlo += (monte_carlo.empty() ? "" : ", ") + item.label;
      replicates = std::max(replicates, test.replicates);
    } else if (test.method == analysis::FisherMethod::kAsymptotic) {
      asymptotic += (asymptotic.empty() ? "" : ", ") + item.label;
    }
  }
  std::vector<std::string> notes;
  if (!monte_carlo.empty()) {
    notes.push_back(fmt::format(
        "The p of all options of {} is a Monte Carlo estimate of Fisher's exact test from {} "
        "random tables with the observed margins (fixed seed, so it is reproducible; standard "
        "error at most {:.3f}): the exact test needs too much work at these counts.",
        monte_carlo, replicates,
        0.5 / std::sqrt(static_cast<double>(std::max<int64_t>(replicates, 1)))));
  }
  if (!asymptotic.empty()) {
    notes.push_back(fmt::format(
        "The p of all options of {} is from Pearson's chi-square test (asymptotic) instead of "
        "Fisher's exact test: at these counts neither the exact test nor its simulation is "
        "feasible, and the two agree closely when every expected count is large.",
        asymptotic));
  }
  return notes;
}

std::string DesignText(const analysis::DesignSpec& design) {
  std::string text;
  auto add = [&](std::string_view what, const std::string& column) {
    if (!column.empty()) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", what, column);
  };
  add("weight", design.weight);
  add("strata", design.strata);
  add("clusters", design.cluster);
  add("fpc", design.fpc);
  if (design.weight.empty()) text += text.empty() ? "equal weights" : ", equal weights";
  if (!design.strata.empty()) {
    text += fmt::format(", lonely PSU: {}", analysis::LonelyPsuName(design.lonely_psu));
  }
  return text;
}

std::string_view Article(std::string_view noun) {
  if (noun.empty()) return "a";
  auto upper = [](char ch) { return ch >= 'A' && ch <= 'Z'; };
  if (noun.size() > 1 && upper(noun[0]) && upper(noun[1])) {
    // An acronym is read letter by letter: "an NGO", "an SME", "a UN agency".
    return std::string_view("AEFHILMNORSX").find(noun[0]) != std::string_view::npos ? "an" : "a";
  }
  char c = static_cast<char>(std::tolower(static_cast<unsigned char>(noun.front())));
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ? "an" : "a";
}

std::vector<Footnote> TableFootnotes(const TableResult& table, const RenderOptions& options) {
  std::vector<Footnote> notes;
  int level = static_cast<int>(100 * table.level + 0.5);
  if (table.design.used()) {
    notes.push_back(
        {FootnoteKind::kCells, "",
         fmt::format("Weighted estimates ({}), with Taylor-linearised standard errors as R's "
                     "survey package computes them. Each cell: the weighted percentage, the "
                     "unweighted count and base (count/base), and below it the {}% design-based "
                     "interval ({} method, with the design's degrees of freedom). A stratum with "
                     "one PSU is handled by the '{}' rule.",
                     DesignText(table.design), level,
                     analysis::ProportionIntervalName(table.design.interval),
                     analysis::LonelyPsuName(table.design.lonely_psu))});
  } else {
    notes.push_back({FootnoteKind::kCells, "",
                     fmt::format("Each cell: the percentage, its count and base (count/base), and "
                                 "below it the {}% Wilson score interval of the percentage. With "
                                 "bases of a dozen {} these intervals are wide: a "
                                 "difference of a few {} is within chance.",
                                 level, options.units, options.units)});
  }
  if (table.min_count > 1) {
    notes.push_back({FootnoteKind::kSmallCount, std::string(kSmallCountMark),
                     fmt::format("Count of 1 to {}: few enough to identify {} {}; "
                                 "read it as a case, not a share.",
                                 table.min_count - 1, Article(options.unit), options.unit)});
  }
  bool small_base = AnyCell(table, [](const analysis::Cell& c) { return c.small_base; }) ||
                    AnyNumeric(table, [](const analysis::NumericCell& c) { return c.small_base; });
  if (table.min_base > 0 || small_base) {
    notes.push_back({FootnoteKind::kSmallBase, std::string(kSmallBaseMark),
                     fmt::format("Base below {} respondents: the percentage rests on too few "
                                 "answers to compare.",
                                 table.min_base)});
  }
  bool suppressed = AnyCell(table, [](const analysis::Cell& c) { return c.suppressed; }) ||
                    AnyNumeric(table, [](const analysis::NumericCell& c) { return c.suppressed; });
  if (table.suppress || suppressed) {
    notes.push_back({FootnoteKind::kSuppressed, std::string(kSuppressedMark),
                     "Suppressed: the cell is hidden to protect respondents, together with the "
                     "complementary cells that would let a reader work it out, and the tests "
                     "of its row and item (a p-value with known margins can reveal a count)."});
  }
  size_t groups = GroupColumnCount(table);
  if (groups >= 2 && table.design.used()) {
    notes.push_back(
        {FootnoteKind::kTests, "",
         "p: the Rao-Scott second-order corrected F test (R's svychisq) of each option between "
         "group columns, with the Holm adjustment across the options of the item in brackets; "
         "on the item's own row, the test of all its options over the group columns. A dash "
         "means no test was possible."});
  } else if (groups >= 2) {
    notes.push_back(
        {FootnoteKind::kTests, "",
         groups == 2
             ? "p: two-sided Fisher exact test of each option between the two group columns, "
               "with the Holm adjustment across the options of the item in brackets; on the "
               "item's own row, the r x c test of all its options (exact unless a note below says "
               "otherwise). A dash means no test "
               "was possible (for example when only one group answered)."
             : "p: two-sided Fisher exact tests between pairs of group columns, with the Holm "
               "adjustment across the options of the item in brackets; on the item's own row, "
               "the r x c test of all its options over the group columns (exact unless a note "
               "below "
               "says otherwise)."});
  }
  for (std::string& text : TestMethodNotes(table)) {
    notes.push_back({FootnoteKind::kTestMethod, "", std::move(text)});
  }
  notes.push_back({FootnoteKind::kNonresponse, "",
                   "Nonresponse: of the respondents in the column, how many answered, and how "
                   "many refused, did not know, were not asked (skipped by the questionnaire's "
                   "logic) or are missing. Only kinds that occur are listed."});
  bool numeric = std::any_of(table.items.begin(), table.items.end(), [](const auto& item) {
    return item.kind == ItemKind::kNumeric && item.options.empty();
  });
  if (numeric) {
    notes.push_back({FootnoteKind::kNumeric, "",
                     "Numeric items: mean, standard deviation (sd), median, minimum, maximum and "
                     "the number of respondents who gave a number (n)."});
  }
  for (const analysis::ItemResult& item : table.items) {
    if (item.denominator != analysis::DenominatorRule::kAnswered) {
      notes.push_back({FootnoteKind::kDenominator, "",
                       fmt::format("{}: base = {} respondents{}.", item.label,
                                   analysis::DenominatorRuleName(item.denominator),
                                   item.denominator == analysis::DenominatorRule::kAll
                                       ? ", nonresponse included"
                                       : "")});
    }
    if (!item.filter.empty()) {
      notes.push_back(
          {FootnoteKind::kFilter, "",
           fmt::format("{}: only respondents for whom {} holds.", item.label, item.filter)});
    }
  }
  for (const std::string& note : table.notes) notes.push_back({FootnoteKind::kNote, "", note});
  return notes;
}

}  // namespace internal
}  // namespace ngosurvey::report
