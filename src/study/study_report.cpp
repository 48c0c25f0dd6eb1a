#include "study/study_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "analysis/csv_load.h"
#include "analysis/load_data.h"
#include "analysis/themes.h"
#include "analysis/units.h"
#include "base/csv.h"
#include "base/escape.h"
#include "base/file.h"
#include "base/pseudonym.h"
#include "form/instance_xml.h"
#include "report/html.h"
#include "report/network_render.h"
#include "report/table_render.h"

namespace ngosurvey::study {

using report::HtmlId;
using report::HtmlPageEnd;
using report::HtmlPageOptions;
using report::HtmlPageStart;
using report::SvgBarChart;
using report::SvgChartOptions;

namespace {

using analysis::ItemKind;
using analysis::ItemResult;
using analysis::TableResult;

std::string SyntheticBanner(const StudyConfig& config) {
  return "SYNTHETIC DATA: the answers in this report are generated, not given by real " +
         config.unit.Other();
}

// --- Reproduction -------------------------------------------------------------

std::string PrintedPercent(uint64_t count, uint64_t base, int decimals) {
  return FormatScaled(
      RoundHalfUpScaled(static_cast<int64_t>(count) * 100, static_cast<int64_t>(base), decimals),
      decimals);
}

std::string PrintedMean(double mean, uint64_t n, int decimals) {
  // The data are whole numbers or one-decimal shares: mean * n * 10^6 is the exact
  // total in millionths, so the half-up rounding is exact as in the audit.
  int64_t total = std::llround(mean * static_cast<double>(n) * 1e6);
  return FormatScaled(RoundHalfUpScaled(total, static_cast<int64_t>(n) * 1'000'000, decimals),
                      decimals);
}

int ColumnOf(const TableResult& table, std::string_view key) {
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c].key == key) return static_cast<int>(c);
  }
  return -1;
}

CellComparison Compare(const CellAudit& published, const std::vector<TableResult>& tables) {
  CellComparison out;
  out.published = &published;
  for (const TableResult& table : tables) {
    if (table.id != published.table) continue;
    for (const ItemResult& item : table.items) {
      if (item.item != published.item_id) continue;
      out.item = &item;
      int column = ColumnOf(table, published.country);
      if (column < 0) return out;
      if (published.verdict == Verdict::kNoResponse) {
        const auto& nr = item.nonresponse[static_cast<size_t>(column)];
        out.reproduced =
            nr.answered == 0 ? "no response" : std::to_string(nr.answered) + " answered";
        out.match = nr.answered == 0;
        return out;
      }
      int decimals = published.value ? published.value->decimals : 1;
      if (item.kind == ItemKind::kNumeric) {
        const auto& numeric = item.numeric[static_cast<size_t>(column)];
        out.numeric = &numeric;
        if (numeric.mean) out.reproduced = PrintedMean(*numeric.mean, numeric.n, decimals);
      } else {
        std::string option = published.option_id == "value" ? "yes" : published.option_id;
        for (const auto& row : item.options) {
          if (row.option != option) continue;
          out.cell = &row.cells[static_cast<size_t>(column)];
          if (out.cell->base > 0)
            out.reproduced = PrintedPercent(out.cell->count, out.cell->base, decimals);
        }
      }
      out.match =
          published.value && out.reproduced == FormatScaled(published.value->scaled, decimals);
      return out;
    }
  }
  return out;
}

// --- Fieldwork -----------------------------------------------------------------

// Cases the frame lets be read two ways (a `disposition_alt` code), grouped by the
// pair (recorded code, alternative code): each group is one question a reader may
// answer either way, such as "are organisations that declined because they are
// not NGOs out of scope (4.10) or refusals (2.11)?".
struct AlternativeGroup {
  std::string recorded, alternative;  // codes
  std::vector<std::string> org_ids;
  std::string names;  // "Name (ID), ..."
};

std::vector<AlternativeGroup> AlternativeGroups(const fieldwork::Frame& frame) {
  std::vector<AlternativeGroup> groups;
  for (const auto& c : frame.cases) {
    auto value = frame.Value(c, "disposition_alt");
    if (!value || value->empty() || !c.disposition) continue;
    std::string recorded(c.disposition->code);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const AlternativeGroup& g) {
      return g.recorded == recorded && g.alternative == *value;
    });
    if (it == groups.end()) {
      groups.push_back({recorded, *value, {}, {}});
      it = groups.end() - 1;
    }
    it->org_ids.push_back(c.org_id);
    it->names += (it->names.empty() ? "" : ", ") + c.name + " (" + c.org_id + ")";
  }
  return groups;
}

std::string CodeText(std::string_view code) {
  const auto* d = fieldwork::FindDisposition(code);
  return std::string(code) + (d ? " " + std::string(d->label) : std::string());
}

constexpr fieldwork::Measure kShownMeasures[] = {
    fieldwork::Measure::kRR1,   fieldwork::Measure::kRR3,  fieldwork::Measure::kRR5,
    fieldwork::Measure::kCOOP1, fieldwork::Measure::kREF1, fieldwork::Measure::kCON1,
};
constexpr fieldwork::RateCategory kCategories[] = {
    fieldwork::RateCategory::kComplete,     fieldwork::RateCategory::kPartial,
    fieldwork::RateCategory::kRefusal,      fieldwork::RateCategory::kNonContact,
    fieldwork::RateCategory::kOther,        fieldwork::RateCategory::kUnknownHousehold,
    fieldwork::RateCategory::kUnknownOther, fieldwork::RateCategory::kNotEligible,
};

std::string RateText(const fieldwork::RateValue& rate) {
  if (!rate.value) return "n/a";
  return fmt::format("{:.1f}%", *rate.value * 100);
}

// --- Small helpers ----------------------------------------------------------------

std::string GroupLabel(const TableResult& table, std::string_view key) {
  int c = ColumnOf(table, key);
  return c < 0 ? std::string(key) : table.columns[static_cast<size_t>(c)].label;
}

std::string CountText(const CellComparison& cmp) {
  if (cmp.cell) return fmt::format("{}/{}", cmp.cell->count, cmp.cell->base);
  if (cmp.numeric) return fmt::format("n={}", cmp.numeric->n);
  return "";
}

std::string IntervalText(const CellComparison& cmp, int decimals) {
  if (!cmp.cell || !cmp.cell->wilson) return "";
  return fmt::format("{:.{}f}–{:.{}f}", cmp.cell->wilson->lower * 100, decimals,
                     cmp.cell->wilson->upper * 100, decimals);
}

const analysis::GroupTest* TestOf(const CellComparison& cmp) {
  if (!cmp.item) return nullptr;
  if (cmp.item->kind == ItemKind::kSingle && cmp.cell == nullptr) return nullptr;
  std::string option = cmp.published->option_id == "value" ? "yes" : cmp.published->option_id;
  for (const auto& row : cmp.item->options) {
    if (row.option == option && !row.tests.empty()) return &row.tests.front();
  }
  return nullptr;
}

std::string PText(const analysis::GroupTest* test) {
  if (!test) return "";
  if (!test->p) return test->note.empty() ? "–" : test->note;
  std::string text = report::PValueText(*test->p);
  if (test->p_holm) text += " (Holm " + report::PValueText(*test->p_holm) + ")";
  return text;
}

std::vector<std::string> GroupsOf(const StudyReport& report) {
  std::vector<std::string> groups;
  for (const auto& cmp : report.comparisons) {
    if (std::find(groups.begin(), groups.end(), cmp.published->country) == groups.end()) {
      groups.push_back(cmp.published->country);
    }
  }
  return groups;
}

// Comparisons of one table, grouped by (item, option) in CSV order.
struct ComparisonRow {
  std::string item_label, option_label;
  std::map<std::string, const CellComparison*> by_group;
  const CellComparison* first = nullptr;
};

std::vector<ComparisonRow> RowsOf(const StudyReport& report, std::string_view table) {
  std::vector<ComparisonRow> rows;
  for (const auto& cmp : report.comparisons) {
    if (cmp.published->table != table) continue;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const ComparisonRow& r) {
      return r.first->published->item_id == cmp.published->item_id &&
             r.first->published->option_id == cmp.published->option_id;
    });
    if (it == rows.end()) {
      rows.push_back({cmp.published->item_label, cmp.published->option_label, {}, &cmp});
      it = rows.end() - 1;
    }
    it->by_group[cmp.published->country] = &cmp;
  }
  return rows;
}

std::string Flags(const CellComparison& cmp) {
  std::string flags;
  if (cmp.cell && cmp.cell->small_count) flags += "†";
  if (cmp.published->verdict == Verdict::kInconsistent) flags += "‡";
  if (!cmp.match) flags += "✗";
  return flags;
}

// Why a published cell is not reproduced, for people.
std::string UnreproducedReason(const CellComparison& cmp) {
  const CellAudit& p = *cmp.published;
  if (p.verdict == Verdict::kInconsistent) {
    return "no count of the base " + std::to_string(p.base) + " gives it (nearest " +
           p.nearest_value + ")";
  }
  return "the data give another value";
}

std::string FlagLegend(const StudyConfig& config, const TableResult& table) {
  return fmt::format("† fewer than {} {}: a cell this small could identify one of them. ",
                     table.min_count, config.unit.Other()) +
         "‡ no count of the base gives the published value (see the audit). "
         "✗ the data do not reproduce the published value.";
}

// How the study's own tables are rendered (a study without published tables): its
// banner and its unit in the footnotes, the same in HTML and Markdown.
report::RenderOptions OwnTableOptions(const StudyConfig& config) {
  report::RenderOptions options;
  if (config.synthetic) options.banner = "SYNTHETIC DATA";
  options.unit = config.unit.One();
  options.units = config.unit.Other();
  return options;
}

// A study's own sentence for a section (study.toml [notes]), as a paragraph.
std::string HtmlNote(const StudyConfig& config, std::string_view section) {
  auto it = config.notes.find(std::string(section));
  return it == config.notes.end() ? std::string() : "<p>" + text::EscapeHtml(it->second) + "</p>\n";
}

std::string MarkdownNote(const StudyConfig& config, std::string_view section) {
  auto it = config.notes.find(std::string(section));
  return it == config.notes.end() ? std::string() : it->second + "\n\n";
}

// The fieldwork section's rates: as recorded, then under each alternative reading.
Status AddFieldwork(const fieldwork::Frame& frame, const std::string& group_column,
                    StudyReport* report) {
  auto e = NGO_TRY(fieldwork::ParseESpec("proportional"));
  RatesScenario as_recorded{"Final dispositions as recorded", "", {}};
  as_recorded.groups = NGO_TRY(fieldwork::RatesByGroup(frame, group_column, e));
  std::vector<AlternativeGroup> alternatives = AlternativeGroups(frame);
  if (!alternatives.empty()) {
    as_recorded.explanation =
        "The frame's final disposition codes, as the study team recorded them.";
  }
  report->fieldwork.push_back(std::move(as_recorded));
  for (const AlternativeGroup& g : alternatives) {
    RatesScenario s;
    s.title = "Read as " + CodeText(g.alternative) + " instead of " + CodeText(g.recorded);
    s.explanation = g.names + ": recorded as " + CodeText(g.recorded) +
                    "; the frame notes that they may be read as " + CodeText(g.alternative) +
                    " (the disposition_alt column). These rates count them that way, "
                    "everything else as recorded.";
    s.groups = NGO_TRY(
        fieldwork::AlternativeRatesByGroup(frame, group_column, e, "disposition_alt", g.org_ids));
    report->fieldwork.push_back(std::move(s));
  }
  return Ok();
}

}  // namespace

// --- Building -----------------------------------------------------------------------

namespace {

// The study's data by level: the data file (the streaming loader) for the top level,
// the repeats' files joined with it for a repeat's instances (analysis/units.h).
class StudyLevels final : public analysis::LevelSource {
 public:
  StudyLevels(const StudyInputs& in, const std::string& language, Progress& progress)
      : in_(in), progress_(progress) {
    load_.language = language;
    load_.refused_codes = form::RefusedCodes(in.form);
    load_.dont_know_codes = form::DontKnowCodes(in.form);
  }

  Result<analysis::LevelData> Load(int level, const std::vector<analysis::TableSpec>& specs,
                                   const std::vector<std::string>& questions) override {
    analysis::LevelData out;
    analysis::LoadDataOptions load = load_;
    Diagnostics diags;
    if (level == analysis::kTopLevel) {
      // The header (for the grouping columns), then the rows by the streaming loader.
      auto table = NGO_TRY(analysis::ReadCsvHeader(in_.config.data));
      load.items =
          analysis::LoadedItems(in_.form, specs, analysis::kTopLevel);  // only what the tables need
      analysis::AddGroupingColumns(in_.form, table, specs, &load);
      analysis::CsvLoadSettings settings;
      settings.progress = &progress_;
      out.data = NGO_TRY(analysis::LoadCsvFile(in_.form, in_.config.data, load, &diags, settings));
      top_rows_ = out.data.rows();
      return out;
    }
    load.items = questions;
    for (const std::string& name : analysis::LoadedItems(in_.form, specs, level)) {
      if (std::find(load.items.begin(), load.items.end(), name) == load.items.end())
        load.items.push_back(name);
    }
    return analysis::LoadRepeatCsv(in_.form, level, in_.config.data, RepeatFiles(in_), specs, load,
                                   &diags);
  }

  // The study's respondents (rows of the data file), loaded if no table counted them.
  Result<size_t> TopRows() {
    if (!top_rows_) NGO_TRY(Load(analysis::kTopLevel, {}, {}));
    return *top_rows_;
  }

 private:
  const StudyInputs& in_;
  Progress& progress_;
  analysis::LoadDataOptions load_;
  std::optional<size_t> top_rows_;
};

// The answers and codings of the theme items `uses` from the study's data and codings
// file. THM003 when the study names no codebook.
Result<analysis::ThemeInputs> StudyThemeInputs(const StudyInputs& in,
                                               const std::vector<analysis::ThemeItemUse>& uses,
                                               const std::string& language) {
  if (!in.codebook) {
    return MakeError("THM003",
                     "table item '" + uses.front().item +
                         "' counts themes: name the codebook and the codings in study.toml",
                     Location{.file = in.config.config_file});
  }
  csv::Table raw = NGO_TRY(csv::ReadTable(in.config.data));
  std::string codings = NGO_TRY(ReadFile(in.config.codings));
  analysis::LoadDataOptions load;
  load.language = language;
  load.refused_codes = form::RefusedCodes(in.form);
  load.dont_know_codes = form::DontKnowCodes(in.form);
  Diagnostics diags;
  return analysis::ThemeInputsFromTable(in.form, raw, uses, *in.codebook, codings,
                                        in.config.codings, load, &diags);
}

// The theme items the specs name (analysis/themes.h), from the study's codebook and
// codings, added to the top level's dataset.
Status AddThemeItems(const StudyInputs& in, const std::string& language,
                     std::map<int, analysis::Dataset>* datasets) {
  std::vector<analysis::ThemeItemUse> uses =
      NGO_TRY(analysis::ThemeItemsOf(in.form, in.specs, in.config.coder));
  if (uses.empty()) return Ok();
  analysis::ThemeInputs inputs = NGO_TRY(StudyThemeInputs(in, uses, language));
  return analysis::AddThemeColumns(uses, inputs, &(*datasets)[analysis::kTopLevel]);
}

// The qualitative section: its tables, and per theme item the coders' agreement and
// the quotes its row asks for.
Status AddQualitative(const StudyInputs& in, analysis::LevelSource& levels,
                      const std::string& language, Progress& progress, StudyReport* report) {
  const std::vector<analysis::TableSpec>& specs = in.qualitative_specs;
  std::vector<int> table_levels;
  std::map<int, analysis::Dataset> datasets =
      NGO_TRY(analysis::LoadLevels(in.form, specs, levels, &table_levels));
  std::vector<analysis::ThemeItemUse> uses =
      NGO_TRY(analysis::ThemeItemsOf(in.form, specs, in.config.coder));
  analysis::ThemeInputs inputs = NGO_TRY(StudyThemeInputs(in, uses, language));
  NGO_TRY(analysis::AddThemeColumns(uses, inputs, &datasets[analysis::kTopLevel]));
  for (size_t i = 0; i < specs.size(); ++i) {
    report->qualitative_tables.push_back(
        NGO_TRY(analysis::Tabulate(datasets.at(table_levels[i]), specs[i], progress)));
  }
  std::string key;
  if (!in.config.pseudonym_key.empty()) key = NGO_TRY(ReadPseudonymKey(in.config.pseudonym_key));
  for (const analysis::TableSpec& spec : specs) {
    for (const analysis::RowSpec& row : spec.rows) {
      auto use = std::find_if(uses.begin(), uses.end(),
                              [&](const analysis::ThemeItemUse& u) { return u.item == row.item; });
      if (use == uses.end()) continue;
      const std::vector<store::AnswerCoding>& codings = inputs.codings.at(use->question);
      const analysis::OpenAnswers& answers = inputs.answers.at(use->question);
      QualitativeItem item;
      item.table_id = spec.id;
      item.item = row.item;
      item.question = use->question;
      std::set<std::string> coders;
      for (const store::AnswerCoding& c : codings) {
        if (c.coder == store::kReconciledCoder) {
          ++item.reconciled;
        } else {
          coders.insert(c.coder);
        }
      }
      item.coders.assign(coders.begin(), coders.end());
      item.agreement =
          NGO_TRY(analysis::ComputeAnswerCodingsAgreement(codings, use->question, &*in.codebook));
      if (row.quotes > 0) {
        analysis::QuoteOptions quote_options;
        quote_options.per_theme = row.quotes;
        quote_options.seed = row.quote_seed;
        quote_options.coder = use->coder;
        quote_options.language = language;
        for (analysis::ThemeQuotes& theme :
             NGO_TRY(analysis::SelectQuotes(*in.codebook, answers, codings, quote_options))) {
          ThemeQuoteBlock block{theme.theme, theme.label, theme.mentioned, {}};
          for (const analysis::ThemeQuote& quote : theme.quotes) {
            // Pseudonyms only: never the organisation's name or id.
            std::string org = quote.row < answers.org_ids.size() ? answers.org_ids[quote.row] : "";
            block.quotes.push_back({quote.text, org.empty()
                                                    ? Pseudonym(key, "resp", quote.instance_id)
                                                    : Pseudonym(key, "org", org)});
          }
          item.quotes.push_back(std::move(block));
        }
      }
      report->qualitative.push_back(std::move(item));
    }
  }
  return Ok();
}

}  // namespace

Result<StudyReport> BuildStudyReport(StudyInputs inputs, Progress& progress,
                                     const StudyReportOptions& options) {
  StudyReport report;
  report.inputs = std::move(inputs);
  report.language = options.language;
  const StudyInputs& in = report.inputs;
  StudyLevels levels(in, options.language, progress);
  std::vector<int> table_levels;
  std::map<int, analysis::Dataset> datasets =
      NGO_TRY(analysis::LoadLevels(in.form, in.specs, levels, &table_levels));
  report.respondents = NGO_TRY(levels.TopRows());
  NGO_TRY(AddThemeItems(in, options.language, &datasets));
  for (size_t i = 0; i < in.specs.size(); ++i) {
    report.tables.push_back(
        NGO_TRY(analysis::Tabulate(datasets.at(table_levels[i]), in.specs[i], progress)));
  }

  if (in.audit) {
    for (const CellAudit& cell : in.audit->cells)
      report.comparisons.push_back(Compare(cell, report.tables));
  }
  if (!in.qualitative_specs.empty())
    NGO_TRY(AddQualitative(in, levels, options.language, progress, &report));

  if (in.network) {
    // The network reads the answers as written (space-separated choice names).
    auto raw = NGO_TRY(csv::ReadTable(in.config.data));
    auto responses = NGO_TRY(analysis::NetworkResponsesFromTable(in.form, *in.network, raw));
    std::vector<analysis::FrameOrganisation> frame;
    if (in.frame) {
      for (const auto& c : in.frame->cases) frame.push_back({c.org_id, c.name, c.stratum});
    }
    report.network =
        NGO_TRY(analysis::BuildNetworkFromResponses(in.form, *in.network, frame, responses));
    report.network_scopes = NGO_TRY(analysis::ComputeNetworkMeasures(*report.network));
    report.network_layout = NGO_TRY(analysis::LayoutNetwork(*report.network));
  }

  if (in.frame) {
    // The frame groups its cases by its own stratum column ("country" or "stratum")
    // when it has no column named as the data's grouping column.
    const std::string& group =
        in.frame->HasColumn(in.config.group) ? in.config.group : in.frame->stratum_column;
    NGO_TRY(AddFieldwork(*in.frame, group, &report));
  }
  report.summary.push_back(fmt::format("{}{}; {} tables", in.config.unit.Count(report.respondents),
                                       in.config.synthetic ? " (SYNTHETIC)" : "",
                                       report.tables.size()));
  size_t matched = 0, reachable = 0, reachable_matched = 0;
  for (const auto& cmp : report.comparisons) {
    matched += cmp.match;
    bool ok = cmp.published->verdict != Verdict::kInconsistent;
    reachable += ok;
    reachable_matched += ok && cmp.match;
  }
  if (!report.comparisons.empty()) {
    report.summary.push_back(fmt::format(
        "{} of {} published cells reproduced; {} of the {} that some count of their base can give",
        matched, report.comparisons.size(), reachable_matched, reachable));
  }
  return report;
}

// --- HTML ----------------------------------------------------------------------

namespace {

std::string Coefficient(const std::optional<double>& value) {
  return value ? fmt::format("{:.2f}", *value) : "–";
}

std::string AlphaText(const analysis::CodeAgreement& a) {
  std::string text = Coefficient(a.krippendorff_alpha);
  if (a.alpha_lo && a.alpha_hi)
    text += fmt::format(" ({:.2f} to {:.2f})", *a.alpha_lo, *a.alpha_hi);
  return text;
}

// The label of a theme in the item's table (its option label), or its id.
std::string ThemeLabel(const StudyReport& report, const QualitativeItem& item,
                       const std::string& code) {
  if (code == analysis::kOverallCode) return "All themes (pooled)";
  for (const TableResult& table : report.qualitative_tables) {
    if (table.id != item.table_id) continue;
    for (const ItemResult& result : table.items) {
      if (result.item != item.item) continue;
      for (const auto& option : result.options) {
        if (option.option == code) return option.label;
      }
    }
  }
  return code;
}

std::string CodersSentence(const StudyReport& report, const QualitativeItem& item) {
  std::string coders;
  for (size_t i = 0; i < item.coders.size(); ++i) {
    coders += (i == 0 ? "" : i + 1 == item.coders.size() ? " and " : ", ") + item.coders[i];
  }
  int64_t units = item.agreement.empty() ? 0 : item.agreement.back().n_units;
  return fmt::format(
      "Coded by {} ({} coder{}); {} coded by two coders or more; {} reconciled after review "
      "(code reconcile). Agreement per theme: each answer judged theme present or absent by "
      "each coder; Krippendorff's alpha (nominal) with its 95% bootstrap interval.",
      coders.empty() ? "nobody" : coders, item.coders.size(), item.coders.size() == 1 ? "" : "s",
      report.inputs.config.unit.Count(static_cast<size_t>(units)),
      report.inputs.config.unit.Count(item.reconciled));
}

void HtmlQualitative(const StudyReport& report, std::string* out) {
  const StudyInputs& in = report.inputs;
  const form::Codebook& book = *in.codebook;
  *out +=
      "<section id=\"qualitative\"><h2>Qualitative findings</h2>\n<p>Open answers coded "
      "with the codebook " +
      text::EscapeHtml(book.title.empty() ? in.config.codebook : "“" + book.title + "”") +
      " (version " + text::EscapeHtml(book.version) +
      "). Each theme is counted as an item: the share of " +
      text::EscapeHtml(in.config.unit.Other()) +
      " whose answer mentions it, with 95% intervals and Fisher tests between the groups; a "
      "theme counts the answers coded with its sub-themes too. The codes counted are the "
      "reconciled ones, else those the coders agree on. Quotes are attributed by pseudonym "
      "only.</p>\n";
  if (in.config.synthetic) {
    *out +=
        "<p class=\"flag\">The open answers, their codings and the quotes below are "
        "<strong>SYNTHETIC</strong>: generated from the codebook's themes, not said by any "
        "organisation.</p>\n";
  }
  report::RenderOptions own = OwnTableOptions(in.config);
  for (size_t t = 0; t < report.qualitative_tables.size(); ++t) {
    const TableResult& table = report.qualitative_tables[t];
    *out += report::HtmlTableSection(table, own, 1000 + t);
    for (const QualitativeItem& item : report.qualitative) {
      if (item.table_id != table.id) continue;
      *out += "<h3>Agreement of the coders</h3>\n<p>" +
              text::EscapeHtml(CodersSentence(report, item)) + "</p>\n";
      std::vector<std::string> labels = {"Theme", "Answers", "Percent agreement", "Cohen's kappa",
                                         "Krippendorff's alpha (95% CI)"};
      *out +=
          "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">Theme</th>"
          "<th>Answers</th><th>Percent agreement</th><th>Cohen's kappa</th><th>Krippendorff's "
          "alpha (95% CI)</th></tr></thead><tbody>\n";
      std::string rows;
      for (const analysis::CodeAgreement& a : item.agreement) {
        rows += "<tr><td class=\"label\">" + text::EscapeHtml(ThemeLabel(report, item, a.code)) +
                "</td><td>" + std::to_string(a.n_units) + "</td><td>" +
                (a.percent_agreement ? fmt::format("{:.1f}%", *a.percent_agreement * 100) : "–") +
                "</td><td>" + Coefficient(a.cohen_kappa) + "</td><td>" +
                text::EscapeHtml(AlphaText(a)) + "</td></tr>\n";
      }
      *out += report::LabelCells(rows, labels) + "</tbody></table></div>\n";
      if (item.quotes.empty()) continue;
      *out += "<h3>Quotes by theme</h3>\n";
      for (const ThemeQuoteBlock& block : item.quotes) {
        if (block.quotes.empty()) continue;
        *out += fmt::format("<h4>{} <small>({} of {} {} mentioning it)</small></h4>\n",
                            text::EscapeHtml(block.label), block.quotes.size(), block.mentioned,
                            text::EscapeHtml(in.config.unit.Other()));
        for (const QuotedAnswer& quote : block.quotes) {
          *out += "<blockquote class=\"quote\"><p>" + text::EscapeHtml(quote.text) +
                  "</p><footer>— " + text::EscapeHtml(quote.pseudonym) + "</footer></blockquote>\n";
        }
      }
    }
  }
  *out += "</section>\n";
}

void MarkdownQualitative(const StudyReport& report, std::string* out) {
  const StudyInputs& in = report.inputs;
  const form::Codebook& book = *in.codebook;
  *out += "\n## Qualitative findings\n\nOpen answers coded with the codebook " +
          (book.title.empty() ? in.config.codebook : "“" + book.title + "”") + " (version " +
          book.version + "); each theme counted as an item (the share of " +
          in.config.unit.Other() +
          " whose answer mentions it), the reconciled codes, else those the coders agree on. "
          "Quotes are attributed by pseudonym only.\n\n";
  if (in.config.synthetic) {
    *out += "*The open answers, their codings and the quotes are SYNTHETIC.*\n\n";
  }
  report::RenderOptions own = OwnTableOptions(in.config);
  for (const TableResult& table : report.qualitative_tables) {
    *out += report::RenderMarkdown({table}, own);
    for (const QualitativeItem& item : report.qualitative) {
      if (item.table_id != table.id) continue;
      *out += "\n#### Agreement of the coders\n\n" + CodersSentence(report, item) +
              "\n\n| Theme | Answers | Percent agreement | Cohen's kappa | Krippendorff's alpha "
              "(95% CI) |\n|---|---:|---:|---:|---:|\n";
      for (const analysis::CodeAgreement& a : item.agreement) {
        *out += "| " + text::EscapeMarkdownCell(ThemeLabel(report, item, a.code)) + " | " +
                std::to_string(a.n_units) + " | " +
                (a.percent_agreement ? fmt::format("{:.1f}%", *a.percent_agreement * 100) : "–") +
                " | " + Coefficient(a.cohen_kappa) + " | " + AlphaText(a) + " |\n";
      }
      if (item.quotes.empty()) continue;
      *out += "\n#### Quotes by theme\n";
      for (const ThemeQuoteBlock& block : item.quotes) {
        if (block.quotes.empty()) continue;
        *out += fmt::format("\n**{}** ({} of {} {} mentioning it)\n\n",
                            text::EscapeMarkdownText(block.label), block.quotes.size(),
                            block.mentioned, in.config.unit.Other());
        for (const QuotedAnswer& quote : block.quotes) {
          *out += "> " + text::EscapeMarkdownText(quote.text) + " — " + quote.pseudonym + "\n\n";
        }
      }
    }
  }
}

constexpr std::string_view kReportCss = R"css(
.synthetic-banner{position:fixed;top:0;left:0;right:0;z-index:10;background:#8a1c1c;color:#fff;
  font-weight:600;text-align:center;padding:.35rem .5rem;font-size:.9rem}
body{padding-top:2.4rem}
nav.toc ol{columns:2}
table.cmp{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
table.cmp th,table.cmp td{border-bottom:1px solid #ddd;padding:.2rem .45rem;text-align:right;vertical-align:top}
table.cmp th[scope=row],table.cmp td.label{text-align:left}
table.cmp td.label{white-space:normal;min-width:8em;max-width:20em}
table.cmp th{white-space:normal}
table.cmp td:last-child{white-space:normal;min-width:6.5em}
table.cmp td.miss{background:#fde8e8}
table.cmp .pub{color:#555}
.flag{color:#8a1c1c;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
@media print{.synthetic-banner{position:fixed}}
@media screen and (max-width:640px){
  body{padding-top:12px}
  .synthetic-banner{position:sticky;margin:-12px -12px 12px}
  nav.toc ol{columns:1}
  .stack table.cmp td{text-align:left;border-bottom:none}
}
)css";

void HtmlComparisonTable(const StudyReport& report, const TableResult& table, std::string* out) {
  std::vector<std::string> groups = GroupsOf(report);
  std::vector<ComparisonRow> rows = RowsOf(report, table.id);
  if (rows.empty()) return;
  std::vector<std::string> labels = {"Item", "Option"};
  for (const std::string& g : groups) {
    std::string name = GroupLabel(table, g);
    for (std::string_view column : {"published", "reproduced", "n/N", "95% CI"})
      labels.push_back(name + " " + std::string(column));
  }
  labels.push_back("Fisher p");
  *out +=
      "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">Item</th><th "
      "scope=\"col\">Option</th>";
  for (const std::string& g : groups) {
    *out += fmt::format("<th scope=\"col\" colspan=\"4\">{}</th>",
                        text::EscapeHtml(GroupLabel(table, g)));
  }
  *out += "<th scope=\"col\">Fisher p</th></tr><tr><th></th><th></th>";
  for (size_t i = 0; i < groups.size(); ++i) {
    *out += "<th>Published</th><th>Reproduced</th><th>n/N</th><th>95% CI</th>";
  }
  *out += "<th></th></tr></thead><tbody>\n";
  std::string last_item;
  std::string body;
  std::string* table_out = out;
  out = &body;
  for (const ComparisonRow& row : rows) {
    bool new_item = row.item_label != last_item;
    last_item = row.item_label;
    *out += "<tr><td class=\"label\">" +
            (new_item ? text::EscapeHtml(row.item_label) : std::string()) +
            "</td><td class=\"label\">" + text::EscapeHtml(row.option_label) + "</td>";
    const analysis::GroupTest* test = nullptr;
    for (const std::string& g : groups) {
      auto it = row.by_group.find(g);
      if (it == row.by_group.end()) {
        *out += "<td></td><td></td><td></td><td></td>";
        continue;
      }
      const CellComparison& cmp = *it->second;
      if (!test) test = TestOf(cmp);
      int decimals = cmp.published->value ? cmp.published->value->decimals : 1;
      std::string published =
          cmp.published->published_value.empty() ? "no response" : cmp.published->published_value;
      *out += fmt::format(
          "<td class=\"pub\">{}</td><td class=\"{}\">{} <span class=\"flag\">{}</span></td>"
          "<td>{}</td><td>{}</td>",
          text::EscapeHtml(published), cmp.match ? "" : "miss", text::EscapeHtml(cmp.reproduced),
          Flags(cmp), CountText(cmp), IntervalText(cmp, std::max(decimals, 1)));
    }
    *out += "<td>" + text::EscapeHtml(PText(test)) + "</td></tr>\n";
  }
  *table_out += report::LabelCells(body, labels) + "</tbody></table></div>\n";
}

void HtmlNonresponse(const StudyReport& report, std::string* table_out) {
  std::string body;
  std::string* out = &body;
  *table_out +=
      "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">Table</th><th "
      "scope=\"col\">Item</th>"
      "<th scope=\"col\">Group</th><th>In base</th><th>Answered</th><th>Refused</th><th>Don't "
      "know</th>"
      "<th>Missing</th><th>Not asked</th></tr></thead><tbody>\n";
  size_t shown = 0;
  for (const TableResult& table : report.tables) {
    for (const ItemResult& item : table.items) {
      for (size_t c = 0; c < item.nonresponse.size() && c < table.columns.size(); ++c) {
        const auto& nr = item.nonresponse[c];
        if (nr.refused + nr.dont_know + nr.missing == 0) continue;
        ++shown;
        *out += fmt::format(
            "<tr><td class=\"label\">{}</td><td class=\"label\">{}</td><td "
            "class=\"label\">{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            text::EscapeHtml(table.id), text::EscapeHtml(item.label),
            text::EscapeHtml(table.columns[c].label), nr.total, nr.answered, nr.refused,
            nr.dont_know, nr.missing, nr.not_asked);
      }
    }
  }
  *table_out += report::LabelCells(body, {"Table", "Item", "Group", "In base", "Answered",
                                          "Refused", "Don't know", "Missing", "Not asked"}) +
                "</tbody></table></div>\n";
  if (shown == 0)
    *table_out += "<p>No item has a refusal, don't know or missing answer in any group.</p>\n";
}

}  // namespace

// The questions the network's ties come from, as "label (name)", for the prose.
std::string NetworkQuestions(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  std::string out;
  for (size_t i = 0; i < in.network->ties.size(); ++i) {
    const auto& tie = in.network->ties[i];
    const form::Question* q = in.form.FindQuestion(tie.question);
    if (i > 0) out += i + 1 == in.network->ties.size() ? " and " : ", ";
    out += "\u201c" + (q ? in.form.Text(q->label) : tie.question) + "\u201d (" + tie.question +
           ", " + tie.kind + (tie.national ? ", one per country" : "") + ")";
  }
  return out;
}

std::string MeasureText(double value) {
  return std::isnan(value) ? "–" : fmt::format("{:.3f}", value);
}

int NgoTies(const analysis::ScopeMeasures& scope, const std::string& kind) {
  auto it = scope.ngo_ties_by_kind.find(kind);
  return it == scope.ngo_ties_by_kind.end() ? 0 : it->second;
}

// Organisations named most often (in-degree, overall), at most `limit`.
std::vector<const analysis::NodeMeasures*> MostNamed(const StudyReport& report, size_t limit) {
  std::vector<const analysis::NodeMeasures*> out;
  for (const auto& m : report.network_scopes.back().nodes) {
    if (m.in_degree > 0) out.push_back(&m);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->in_degree > b->in_degree; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

void HtmlNetwork(const StudyReport& report, std::string* out) {
  const analysis::Network& net = *report.network;
  const UnitWords& unit = report.inputs.config.unit;
  size_t responded = 0, silent = 0;
  for (const auto& node : net.nodes) {
    responded += node.responded;
    silent += node.in_frame && !node.responded;
  }
  *out +=
      "<section id=\"network\"><h2>Coordination network</h2>\n<p>Each arrow is a tie from "
      "a responding " +
      text::EscapeHtml(unit.One()) + " to an organisation it named in " +
      text::EscapeHtml(NetworkQuestions(report)) + ". " + text::EscapeHtml(unit.Count(responded)) +
      " responded; " + text::EscapeHtml(unit.Count(silent)) +
      " of the frame did not and are drawn hollow, with the ties others sent them. "
      "Measures are defined in <code>docs/cli.md</code> (<code>ngosurvey network</code>)." +
      (report.inputs.config.synthetic ? " <strong>SYNTHETIC DATA.</strong>" : "") + "</p>\n";
  report::NetworkReport drawing;
  drawing.network = &net;
  drawing.layout = report.network_layout;
  drawing.title = "Coordination network";
  drawing.embedded_svg = true;
  if (report.inputs.config.synthetic) drawing.banner = "SYNTHETIC DATA";
  *out += "<figure class=\"network\">" +
          report::RenderNetwork(drawing, report::NetworkFormat::kSvg) + "</figure>\n";
  *out +=
      "<div class=\"table-wrap stack\"><table><caption>Whole-network measures</caption><thead><tr>"
      "<th scope=\"col\">Scope</th><th scope=\"col\">Organisations</th><th "
      "scope=\"col\">Ties</th><th scope=\"col\">Density</th><th scope=\"col\">Reciprocity</th>"
      "<th scope=\"col\">Weak components</th><th scope=\"col\">NGO–NGO ties</th><th "
      "scope=\"col\">NGO–government ties</th></tr></thead><tbody>\n";
  std::string rows;
  for (const auto& scope : report.network_scopes) {
    rows += "<tr><th scope=\"row\">" +
            text::EscapeHtml(scope.scope == "overall" ? "Overall" : scope.scope) + "</th><td>" +
            std::to_string(scope.node_count) + "</td><td>" + std::to_string(scope.tie_count) +
            "</td><td>" + MeasureText(scope.density) + "</td><td>" +
            MeasureText(scope.reciprocity) + "</td><td>" + std::to_string(scope.weak_components) +
            "</td><td>" + std::to_string(NgoTies(scope, "ngo")) + "</td><td>" +
            std::to_string(NgoTies(scope, "government")) + "</td></tr>\n";
  }
  *out += report::LabelCells(rows, {"Organisations", "Ties", "Density", "Reciprocity",
                                    "Weak components", "NGO–NGO ties", "NGO–government ties"}) +
          "</tbody></table></div>\n";
  auto named = MostNamed(report, 8);
  if (!named.empty()) {
    *out +=
        "<div class=\"table-wrap stack\"><table><caption>Organisations named most often</caption>"
        "<thead><tr><th scope=\"col\">Organisation</th><th scope=\"col\">Kind</th><th "
        "scope=\"col\">Named by</th><th scope=\"col\">Betweenness</th></tr></thead><tbody>\n";
    std::string named_rows;
    for (const auto* m : named) {
      const auto& node = net.nodes[m->node];
      named_rows += "<tr><th scope=\"row\">" + text::EscapeHtml(node.label) + "</th><td>" +
                    text::EscapeHtml(node.kind) + "</td><td>" + std::to_string(m->in_degree) +
                    "</td><td>" + MeasureText(m->betweenness) + "</td></tr>\n";
    }
    *out += report::LabelCells(named_rows, {"Kind", "Named by", "Betweenness"}) +
            "</tbody></table></div>\n";
  }
  *out += HtmlNote(report.inputs.config, "network") + "</section>\n";
}

// Long on purpose: the report's sections in page order.
// NOLINTNEXTLINE(readability-function-size)
std::string RenderStudyReportHtml(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  const UnitWords& unit = in.config.unit;
  const bool published = in.audit.has_value();
  HtmlPageOptions page;
  page.title = in.config.title + (in.config.synthetic ? " (SYNTHETIC DATA)" : "");
  if (!report.language.empty()) page.lang = report.language;
  page.extra_css = std::string(kReportCss);
  std::string out = HtmlPageStart(page);
  if (in.config.synthetic) {
    out += "<div class=\"synthetic-banner\" role=\"note\">" +
           text::EscapeHtml(SyntheticBanner(in.config)) + "</div>\n";
  }
  out += "<h1>" + text::EscapeHtml(in.config.title) + "</h1>\n";
  if (in.config.synthetic && published) {
    out +=
        "<p class=\"flag\">The paper published percentages but no microdata. Every table below is "
        "computed from "
        "<strong>synthetic</strong> respondents generated by <code>ngosurvey synth</code> to "
        "reproduce the "
        "published tables where whole counts can; they show what the study's tables should have "
        "printed "
        "(counts, bases, intervals, tests, nonresponse), not new findings.</p>\n";
  } else if (in.config.synthetic) {
    out +=
        "<p class=\"flag\">Every table below is computed from <strong>synthetic</strong> "
        "answers: they show how the study's tables will look, not findings.</p>\n";
  }
  if (!in.config.source.empty()) out += "<p>" + text::EscapeHtml(in.config.source) + "</p>\n";
  out += "<nav class=\"toc\"><ol><li><a href=\"#design\">Study design</a></li>";
  if (in.frame) out += "<li><a href=\"#fieldwork\">Fieldwork and response rates</a></li>";
  for (const TableResult& t : report.tables) {
    out += "<li><a href=\"#" + HtmlId("table-" + t.id) + "\">" + text::EscapeHtml(t.title) +
           "</a></li>";
  }
  if (published) {
    out +=
        "<li><a href=\"#audit\">Audit of the published tables</a></li>"
        "<li><a href=\"#unreproduced\">Cells not reproduced</a></li>";
  }
  out += "<li><a href=\"#nonresponse\">Item nonresponse</a></li>";
  if (!report.qualitative_tables.empty())
    out += "<li><a href=\"#qualitative\">Qualitative findings</a></li>";
  if (report.network) out += "<li><a href=\"#network\">Coordination network</a></li>";
  out += "</ol></nav>\n";

  // Design.
  size_t questions = 0;
  for (const auto& q : in.form.questions)
    questions += !q.is_container() && q.type != form::QuestionType::kNote;
  std::string languages;
  for (const auto& l : in.form.languages) languages += (languages.empty() ? "" : ", ") + l.name;
  auto status = in.form.settings.values.find("translation_status");
  out += "<section id=\"design\"><h2>Study design</h2>\n<ul>";
  out += "<li>Instrument: <em>" + text::EscapeHtml(in.form.title) + "</em>, version " +
         text::EscapeHtml(in.form.settings.version) + ", " + std::to_string(questions) +
         " questions and calculations, an XLSForm" +
         (in.config.mode.empty() ? "" : " administered " + text::EscapeHtml(in.config.mode)) +
         ".</li>";
  out += "<li>Languages: " + text::EscapeHtml(languages) +
         (status != in.form.settings.values.end()
              ? " (translations: " + text::EscapeHtml(status->second) + ")"
              : "") +
         ".</li>";
  if (in.frame) {
    std::map<std::string, std::pair<size_t, int>> per_group;  // cases, completed
    for (const auto& c : in.frame->cases) {
      auto& [cases, done] = per_group[c.stratum];
      ++cases;
      done += IsCompletedInterview(c);
    }
    out += "<li>Sample frame: ";
    bool first = true;
    for (const auto& [group, counts] : per_group) {
      out += fmt::format("{}{}: {}, {} interviewed", first ? "" : "; ", text::EscapeHtml(group),
                         text::EscapeHtml(unit.Count(counts.first)), counts.second);
      first = false;
    }
    out += ".</li>";
  }
  out += "<li>Data: " + text::EscapeHtml(unit.Count(report.respondents)) +
         (in.config.synthetic ? " (<strong>SYNTHETIC</strong>)" : "") + ".</li>";
  if (in.config.design.used()) {
    const analysis::DesignSpec& d = in.config.design;
    std::string design;
    auto add = [&](std::string_view what, const std::string& column) {
      if (column.empty()) return;
      design += (design.empty() ? "" : ", ") + std::string(what) + " <code>" +
                text::EscapeHtml(column) + "</code>";
    };
    add("weights", d.weight);
    add("strata", d.strata);
    add("clusters", d.cluster);
    add("finite population correction", d.fpc);
    out += "<li>Sampling design: " + design +
           "; percentages are weighted, with design-based intervals and Rao-Scott tests.</li>";
  }
  out += "</ul>\n" + HtmlNote(in.config, "design") + "</section>\n";

  // Fieldwork.
  if (in.frame) {
    out +=
        "<section id=\"fieldwork\"><h2>Fieldwork and response rates</h2>\n"
        "<p>AAPOR Standard Definitions outcome rates from the frame's final dispositions; e (the "
        "share of cases of "
        "unknown eligibility that are eligible) estimated proportionally. Counts: I complete, P "
        "partial, R refusal "
        "and break-off, NC non-contact, O other, UH/UO unknown eligibility, NE not eligible.</p>\n";
    for (const RatesScenario& s : report.fieldwork) {
      out += "<h3>" + text::EscapeHtml(s.title) + "</h3>\n";
      if (!s.explanation.empty()) out += "<p>" + text::EscapeHtml(s.explanation) + "</p>\n";
      out += "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">Group</th>";
      for (auto cat : kCategories)
        out += "<th>" + text::EscapeHtml(fieldwork::CategoryAbbreviation(cat)) + "</th>";
      for (auto m : kShownMeasures)
        out += "<th>" + text::EscapeHtml(fieldwork::Describe(m).name) + "</th>";
      out += "</tr></thead><tbody>\n";
      std::vector<std::string> labels = {"Group"};
      for (auto cat : kCategories) labels.emplace_back(fieldwork::CategoryAbbreviation(cat));
      for (auto m : kShownMeasures) labels.emplace_back(fieldwork::Describe(m).name);
      std::string rows;
      for (const auto& g : s.groups) {
        rows += "<tr><td class=\"label\">" + text::EscapeHtml(g.group) + "</td>";
        for (auto cat : kCategories) rows += "<td>" + std::to_string(g.rates.counts[cat]) + "</td>";
        for (auto m : kShownMeasures)
          rows += "<td>" + text::EscapeHtml(RateText(g.rates[m])) + "</td>";
        rows += "</tr>\n";
      }
      out += report::LabelCells(rows, labels) + "</tbody></table></div>\n";
    }
    out += HtmlNote(in.config, "fieldwork") + "</section>\n";
  }

  // Tables: beside the published cells when the study has them, else the study's own.
  report::RenderOptions own = OwnTableOptions(in.config);
  if (!published) {
    for (size_t t = 0; t < report.tables.size(); ++t)
      out += report::HtmlTableSection(report.tables[t], own, t);
  }
  for (size_t t = 0; published && t < report.tables.size(); ++t) {
    const TableResult& table = report.tables[t];
    out += "<section id=\"" + HtmlId("table-" + table.id) + "\"><h2>" +
           text::EscapeHtml(table.title) + "</h2>\n";
    for (const std::string& note : table.notes)
      out += "<p class=\"note\">" + text::EscapeHtml(note) + "</p>\n";
    HtmlComparisonTable(report, table, &out);
    out += "<p class=\"note\">" + text::EscapeHtml(FlagLegend(in.config, table)) +
           " Fisher p: exact test between the groups for the option, adjusted across the item's "
           "options by Holm.</p>\n";
    out += "<div class=\"charts\">";
    for (const ItemResult& item : table.items) {
      SvgChartOptions chart;
      chart.id = "chart-" + table.id + "-" + item.item;
      chart.banner = in.config.synthetic ? "SYNTHETIC DATA" : "";
      chart.level = table.level;
      chart.percent_decimals = table.percent_decimals;
      chart.include_total = false;
      std::string svg = SvgBarChart(table.columns, item, chart);
      if (!svg.empty())
        out += "<figure>" + svg + "<figcaption>" + text::EscapeHtml(item.label) +
               "</figcaption></figure>";
    }
    out += "</div></section>\n";
  }

  // Audit.
  if (published) {
    out += "<section id=\"audit\"><h2>Audit of the published tables</h2>\n";
    {
      const auto& a = *in.audit;
      out += fmt::format(
          "<p>{} published cells checked against their bases (study/bases.toml) with exact "
          "arithmetic: "
          "{} consistent, {} that no count of their base gives, {} printed as no response.</p>\n",
          a.cells.size(), a.CountVerdict(Verdict::kConsistent),
          a.CountVerdict(Verdict::kInconsistent), a.CountVerdict(Verdict::kNoResponse));
      out += "<ul>";
      for (const auto& f : a.findings) {
        out += "<li><strong>" + text::EscapeHtml(FindingKindName(f.kind)) + "</strong> (Table " +
               text::EscapeHtml(f.table) + "): " + text::EscapeHtml(f.message) + "</li>";
      }
      out += "</ul>";
    }
    out += "</section>\n";

    // Unreproduced.
    out += "<section id=\"unreproduced\"><h2>Cells not reproduced</h2>\n<ul>";
    size_t unreproduced = 0;
    for (const auto& cmp : report.comparisons) {
      if (cmp.match) continue;
      ++unreproduced;
      const auto& p = *cmp.published;
      out += fmt::format("<li>Table {}, {} – {}, {}: published {}, reproduced {} ({}).</li>",
                         text::EscapeHtml(p.table), text::EscapeHtml(p.item_label),
                         text::EscapeHtml(p.option_label), text::EscapeHtml(p.country),
                         text::EscapeHtml(p.published_value),
                         text::EscapeHtml(cmp.reproduced.empty() ? "–" : cmp.reproduced),
                         text::EscapeHtml(UnreproducedReason(cmp)));
    }
    out += "</ul>";
    if (unreproduced == 0) out += "<p>Every published cell is reproduced.</p>";
    out += "</section>\n";
  }

  out +=
      "<section id=\"nonresponse\"><h2>Item nonresponse</h2>\n"
      "<p>Respondents in each item's base who did not answer it, by kind. Refusals are answers "
      "too.</p>\n" +
      HtmlNote(in.config, "nonresponse");
  HtmlNonresponse(report, &out);
  out += "</section>\n";
  if (!report.qualitative_tables.empty()) HtmlQualitative(report, &out);
  if (report.network) HtmlNetwork(report, &out);
  out += "<footer><p>Generated by ngosurvey from " + text::EscapeHtml(in.config.config_file) +
         (in.config.synthetic ? ". SYNTHETIC DATA." : ".") + "</p></footer>\n";
  out += HtmlPageEnd();
  return out;
}

// --- Markdown ----------------------------------------------------------------------

std::string RenderStudyReportMarkdown(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  std::string out;
  const bool published = in.audit.has_value();
  if (in.config.synthetic) out += "> **" + SyntheticBanner(in.config) + "**\n\n";
  out += "# " + in.config.title + "\n\n";
  for (const std::string& line : report.summary) out += "- " + line + "\n";
  out += "\n" + MarkdownNote(in.config, "design");
  if (in.frame) out += "## Fieldwork and response rates\n\n" + MarkdownNote(in.config, "fieldwork");
  for (const RatesScenario& s : report.fieldwork) {
    out += "### " + s.title + "\n\n";
    if (!s.explanation.empty()) out += s.explanation + "\n\n";
    out += "| Group |";
    for (auto cat : kCategories)
      out += " " + std::string(fieldwork::CategoryAbbreviation(cat)) + " |";
    for (auto m : kShownMeasures) out += " " + std::string(fieldwork::Describe(m).name) + " |";
    out += "\n|---|";
    for (size_t i = 0; i < std::size(kCategories) + std::size(kShownMeasures); ++i) out += "---:|";
    out += "\n";
    for (const auto& g : s.groups) {
      out += "| " + g.group + " |";
      for (auto cat : kCategories) out += " " + std::to_string(g.rates.counts[cat]) + " |";
      for (auto m : kShownMeasures) out += " " + RateText(g.rates[m]) + " |";
      out += "\n";
    }
    out += "\n";
  }
  std::vector<std::string> groups = GroupsOf(report);
  if (!published) {
    report::RenderOptions own = OwnTableOptions(in.config);
    out += report::RenderMarkdown(report.tables, own);
  }
  for (const TableResult& table : report.tables) {
    if (!published) break;
    out += "## " + table.title + "\n\n";
    if (in.config.synthetic) out += "*SYNTHETIC DATA*\n\n";
    std::vector<ComparisonRow> rows = RowsOf(report, table.id);
    out += "| Item | Option |";
    for (const std::string& g : groups)
      out += " " + GroupLabel(table, g) + " published | reproduced | n/N |";
    out += " Fisher p |\n|---|---|";
    for (size_t i = 0; i < groups.size(); ++i) out += "---:|---:|---:|";
    out += "---:|\n";
    for (const ComparisonRow& row : rows) {
      out += "| " + text::EscapeMarkdownCell(row.item_label) + " | " +
             text::EscapeMarkdownCell(row.option_label) + " |";
      const analysis::GroupTest* test = nullptr;
      for (const std::string& g : groups) {
        auto it = row.by_group.find(g);
        if (it == row.by_group.end()) {
          out += " | | |";
          continue;
        }
        const CellComparison& cmp = *it->second;
        if (!test) test = TestOf(cmp);
        out += " " +
               (cmp.published->published_value.empty() ? "no response"
                                                       : cmp.published->published_value) +
               " | " + cmp.reproduced + (Flags(cmp).empty() ? "" : " " + Flags(cmp)) + " | " +
               CountText(cmp) + " |";
      }
      out += " " + PText(test) + " |\n";
    }
    out += "\n" + FlagLegend(in.config, table) + "\n\n";
  }
  if (published) out += "## Cells not reproduced\n\n";
  size_t unreproduced = 0;
  for (const auto& cmp : report.comparisons) {
    if (cmp.match) continue;
    ++unreproduced;
    const auto& p = *cmp.published;
    out += "- Table " + p.table + ", " + p.item_label + " – " + p.option_label + ", " + p.country +
           ": published " + p.published_value + ", reproduced " +
           (cmp.reproduced.empty() ? "–" : cmp.reproduced) + " (" + UnreproducedReason(cmp) + ")\n";
  }
  if (published && unreproduced == 0) out += "Every published cell is reproduced.\n";
  if (report.network) {
    out += "\n## Coordination network\n\nTies from responding " + in.config.unit.Other() +
           " to the organisations they named in " + NetworkQuestions(report) +
           (in.config.synthetic ? " (SYNTHETIC DATA)" : "") +
           "; the drawing is in report.html.\n\n";
    out +=
        "| Scope | Organisations | Ties | Density | Reciprocity | Weak components | NGO–NGO "
        "ties | NGO–government ties |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& scope : report.network_scopes) {
      out += "| " + std::string(scope.scope == "overall" ? "Overall" : scope.scope) + " | " +
             std::to_string(scope.node_count) + " | " + std::to_string(scope.tie_count) + " | " +
             MeasureText(scope.density) + " | " + MeasureText(scope.reciprocity) + " | " +
             std::to_string(scope.weak_components) + " | " + std::to_string(NgoTies(scope, "ngo")) +
             " | " + std::to_string(NgoTies(scope, "government")) + " |\n";
    }
    auto named = MostNamed(report, 8);
    if (!named.empty()) {
      out += "\nNamed most often: ";
      for (size_t i = 0; i < named.size(); ++i) {
        const auto& node = report.network->nodes[named[i]->node];
        out += (i ? ", " : "") + node.label + " (" + std::to_string(named[i]->in_degree) + ")";
      }
      out += ".\n";
    }
  }
  if (in.audit) {
    out += "\n## Audit of the published tables\n\n";
    for (const auto& f : in.audit->findings) {
      out += "- **" + std::string(FindingKindName(f.kind)) + "** (Table " + f.table +
             "): " + f.message + "\n";
    }
  }
  if (!report.qualitative_tables.empty()) MarkdownQualitative(report, &out);
  return out;
}

Result<StudyReportFiles> WriteStudyReport(const std::string& study_dir, const std::string& out_dir,
                                          Progress& progress, const StudyReportOptions& options) {
  StudyInputs inputs = NGO_TRY(LoadStudyInputs(study_dir));
  StudyReport report = NGO_TRY(BuildStudyReport(std::move(inputs), progress, options));
  std::string html = RenderStudyReportHtml(report);
  std::string markdown = RenderStudyReportMarkdown(report);
  NGO_TRY(MakeDirectories(out_dir));
  StudyReportFiles files;
  files.html_path = (std::filesystem::path(out_dir) / "report.html").string();
  files.markdown_path = (std::filesystem::path(out_dir) / "report.md").string();
  NGO_TRY(WriteFileAtomic(files.html_path, html));
  NGO_TRY(WriteFileAtomic(files.markdown_path, markdown));
  files.summary = report.summary;
  return files;
}

}  // namespace ngosurvey::study
