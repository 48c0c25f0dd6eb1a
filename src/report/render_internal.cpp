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
using words::Word;

std::string_view Language(const RenderOptions& options) {
  return words::CatalogueLanguage(options.language);
}

std::string Say(Word word, std::string_view language,
                std::initializer_list<std::string_view> args) {
  return words::Text(word, language, args);
}

std::string TestNote(const analysis::GroupTest& test, std::string_view language,
                     std::string_view fallback) {
  if (test.note_word) return words::Text(*test.note_word, language, {test.note_arg});
  return test.note.empty() ? std::string(fallback) : test.note;
}

std::string StatisticName(std::string_view name, std::string_view language) {
  static constexpr std::pair<std::string_view, Word> kNames[] = {
      {"mean", Word::kStatMean}, {"sd", Word::kStatSd},
      {"se", Word::kStatSe},     {"median", Word::kStatMedian},
      {"min", Word::kStatMin},   {"max", Word::kStatMax},
      {"n", Word::kStatN}};
  for (const auto& [stat, word] : kNames) {
    if (stat == name) return words::Text(word, language);
  }
  return std::string(name);
}

std::string RuleName(analysis::DenominatorRule rule, std::string_view language) {
  switch (rule) {
    case analysis::DenominatorRule::kAnswered:
      return words::Text(Word::kRuleAnswered, language);
    case analysis::DenominatorRule::kAll:
      return words::Text(Word::kRuleAll, language);
    case analysis::DenominatorRule::kEligible:
      return words::Text(Word::kRuleEligible, language);
  }
  return std::string(analysis::DenominatorRuleName(rule));
}

std::string UnitOne(const RenderOptions& options) {
  return options.unit.empty() ? Say(Word::kUnitOrganisation, Language(options)) : options.unit;
}

std::string UnitOther(const RenderOptions& options) {
  return options.units.empty() ? Say(Word::kUnitOrganisations, Language(options)) : options.units;
}

std::string UnitWithArticle(const RenderOptions& options) {
  const std::string unit = UnitOne(options);
  if (Language(options) != "en") return unit;
  return std::string(Article(unit)) + " " + unit;
}

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

std::string NonresponseText(const analysis::Nonresponse& nr, std::string_view separator,
                            std::string_view language) {
  std::string text = Say(Word::kTableAnsweredOf, language,
                         {std::to_string(nr.answered), std::to_string(nr.total)});
  auto add = [&](uint64_t count, Word what) {
    if (count > 0) text += fmt::format("{}{} {}", separator, Say(what, language), count);
  };
  add(nr.refused, Word::kWordRefused);
  add(nr.dont_know, Word::kWordDontKnow);
  add(nr.not_asked, Word::kWordNotAsked);
  add(nr.missing, Word::kTableMissing);
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

std::string TestColumnsText(const TableResult& table, const analysis::GroupTest& test,
                            std::string_view language) {
  std::string text;
  for (const std::string& key : test.groups) {
    std::string label = key;
    for (const auto& column : table.columns) {
      if (column.key == key) label = column.label;
    }
    text = text.empty() ? label : Say(Word::kTableVersus, language, {text, label});
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

std::vector<std::string> TestMethodNotes(const TableResult& table, std::string_view language) {
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
    notes.push_back(Say(Word::kFootMonteCarlo, language,
                        {monte_carlo, std::to_string(replicates),
                         fmt::format("{:.3f}", 0.5 / std::sqrt(static_cast<double>(
                                                         std::max<int64_t>(replicates, 1))))}));
  }
  if (!asymptotic.empty()) {
    notes.push_back(Say(Word::kFootAsymptotic, language, {asymptotic}));
  }
  return notes;
}

std::string DesignText(const analysis::DesignSpec& design, std::string_view language) {
  std::string text;
  auto add = [&](Word what, const std::string& column) {
    if (!column.empty()) {
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", Say(what, language), column);
    }
  };
  add(Word::kDesignWeight, design.weight);
  add(Word::kDesignStrata, design.strata);
  add(Word::kDesignClusters, design.cluster);
  add(Word::kDesignFpc, design.fpc);
  if (design.weight.empty()) {
    text += (text.empty() ? "" : ", ") + Say(Word::kDesignEqualWeights, language);
  }
  if (!design.strata.empty()) {
    text +=
        ", " + Say(Word::kDesignLonelyPsu, language, {analysis::LonelyPsuName(design.lonely_psu)});
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
  const std::string_view lang = Language(options);
  int level = static_cast<int>(100 * table.level + 0.5);
  if (table.design.used()) {
    notes.push_back({FootnoteKind::kCells, "",
                     Say(Word::kFootCellsDesign, lang,
                         {DesignText(table.design, lang), std::to_string(level),
                          analysis::ProportionIntervalName(table.design.interval),
                          analysis::LonelyPsuName(table.design.lonely_psu)})});
  } else {
    notes.push_back({FootnoteKind::kCells, "",
                     Say(Word::kFootCells, lang,
                         {std::to_string(level), UnitOther(options), UnitOther(options)})});
  }
  if (table.min_count > 1) {
    notes.push_back({FootnoteKind::kSmallCount, std::string(kSmallCountMark),
                     Say(Word::kFootSmallCount, lang,
                         {std::to_string(table.min_count - 1), UnitWithArticle(options)})});
  }
  bool small_base = AnyCell(table, [](const analysis::Cell& c) { return c.small_base; }) ||
                    AnyNumeric(table, [](const analysis::NumericCell& c) { return c.small_base; });
  if (table.min_base > 0 || small_base) {
    notes.push_back({FootnoteKind::kSmallBase, std::string(kSmallBaseMark),
                     Say(Word::kFootSmallBase, lang, {std::to_string(table.min_base)})});
  }
  bool suppressed = AnyCell(table, [](const analysis::Cell& c) { return c.suppressed; }) ||
                    AnyNumeric(table, [](const analysis::NumericCell& c) { return c.suppressed; });
  if (table.suppress || suppressed) {
    notes.push_back({FootnoteKind::kSuppressed, std::string(kSuppressedMark),
                     Say(Word::kFootSuppressed, lang)});
  }
  size_t groups = GroupColumnCount(table);
  if (groups >= 2 && table.design.used()) {
    notes.push_back({FootnoteKind::kTests, "", Say(Word::kFootTestsDesign, lang)});
  } else if (groups >= 2) {
    notes.push_back({FootnoteKind::kTests, "",
                     Say(groups == 2 ? Word::kFootTestsTwo : Word::kFootTestsPairs, lang)});
  }
  for (std::string& text : TestMethodNotes(table, lang)) {
    notes.push_back({FootnoteKind::kTestMethod, "", std::move(text)});
  }
  notes.push_back({FootnoteKind::kNonresponse, "", Say(Word::kFootNonresponse, lang)});
  bool numeric = std::any_of(table.items.begin(), table.items.end(), [](const auto& item) {
    return item.kind == ItemKind::kNumeric && item.options.empty();
  });
  if (numeric) {
    notes.push_back({FootnoteKind::kNumeric, "", Say(Word::kFootNumeric, lang)});
  }
  for (const analysis::ItemResult& item : table.items) {
    if (item.denominator != analysis::DenominatorRule::kAnswered) {
      notes.push_back(
          {FootnoteKind::kDenominator, "",
           Say(item.denominator == analysis::DenominatorRule::kAll ? Word::kFootBaseAll
                                                                   : Word::kFootBaseEligible,
               lang, {item.label})});
    }
    if (!item.filter.empty()) {
      notes.push_back(
          {FootnoteKind::kFilter, "", Say(Word::kFootFilter, lang, {item.label, item.filter})});
    }
  }
  for (const std::string& note : table.notes) notes.push_back({FootnoteKind::kNote, "", note});
  return notes;
}

}  // namespace internal
}  // namespace ngosurvey::report
