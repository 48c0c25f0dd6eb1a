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
#include "base/words.h"
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
using words::Word;

// The report's own word in its language (StudyReport::words_language).
std::string Say(const StudyReport& report, Word word,
                std::initializer_list<std::string_view> args = {}) {
  return words::Text(word, report.words_language, args);
}

const UnitWords& Unit(const StudyReport& report) { return report.inputs.config.unit; }
std::string UnitOne(const StudyReport& report) { return Unit(report).One(report.unit_language); }
std::string UnitOther(const StudyReport& report) {
  return Unit(report).Other(report.unit_language);
}
std::string UnitCount(const StudyReport& report, size_t n) {
  return Unit(report).Count(n, report.unit_language);
}

std::string SyntheticBanner(const StudyReport& report) {
  return Say(report, Word::kSyntheticBanner, {UnitOther(report)});
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

CellComparison Compare(const CellAudit& published, const std::vector<TableResult>& tables,
                       std::string_view lang) {
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
        out.reproduced = nr.answered == 0
                             ? words::Text(Word::kCmpNoResponse, lang)
                             : words::Text(Word::kCmpAnswered, lang, {std::to_string(nr.answered)});
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

std::string CodeText(std::string_view code, std::string_view lang) {
  const auto* d = fieldwork::FindDisposition(code);
  return std::string(code) +
         (d ? " " + std::string(fieldwork::DispositionLabel(*d, lang)) : std::string());
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

std::string RateText(const fieldwork::RateValue& rate, std::string_view lang) {
  if (!rate.value) return words::Text(Word::kReportNotApplicable, lang);
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

std::string PText(const StudyReport& report, const analysis::GroupTest* test) {
  if (!test) return "";
  if (!test->p) {
    if (test->note_word) return Say(report, *test->note_word, {test->note_arg});
    return test->note.empty() ? "–" : test->note;
  }
  std::string text = report::PValueText(*test->p);
  if (test->p_holm) {
    text += " " + Say(report, Word::kTableHolmP, {report::PValueText(*test->p_holm)});
  }
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
std::string UnreproducedReason(const StudyReport& report, const CellComparison& cmp) {
  const CellAudit& p = *cmp.published;
  if (p.verdict == Verdict::kInconsistent) {
    return Say(report, Word::kCmpNoCount, {std::to_string(p.base), p.nearest_value});
  }
  return Say(report, Word::kCmpOtherValue);
}

std::string FlagLegend(const StudyReport& report, const TableResult& table) {
  return Say(report, Word::kCmpFlagLegend, {std::to_string(table.min_count), UnitOther(report)});
}

// "a, b and c" in the report's language.
std::string Enumeration(const StudyReport& report, const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i + 1 < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
  if (parts.size() < 2) return parts.empty() ? "" : parts.front();
  return Say(report, Word::kWordAnd, {out, parts.back()});
}

// How the study's own tables are rendered (a study without published tables): its
// banner and its unit in the footnotes, the same in HTML and Markdown.
report::RenderOptions OwnTableOptions(const StudyReport& report) {
  report::RenderOptions options;
  if (report.inputs.config.synthetic) options.banner = Say(report, Word::kSyntheticData);
  options.unit = UnitOne(report);
  options.units = UnitOther(report);
  options.language = report.words_language;
  return options;
}

// A text of the study's own (study.toml) in the report's language: the form's code
// for it, else the catalogue's, else `fallback` (the English).
std::string ConfigText(const StudyReport& report, const std::string& fallback,
                       const std::map<std::string, std::string>& by_language) {
  std::string code = report.inputs.form.LanguageCode(report.language);
  if (code.empty()) code = report.language;
  for (const std::string& key : {code, report.words_language}) {
    auto it = by_language.find(key);
    if (it != by_language.end()) return it->second;
  }
  return fallback;
}

std::string ReportTitle(const StudyReport& report) {
  const StudyConfig& config = report.inputs.config;
  return ConfigText(report, config.title, config.title_by_language);
}

// A study's own sentence for a section (study.toml [notes]) in the report's language.
std::string Note(const StudyReport& report, std::string_view section) {
  const StudyConfig& config = report.inputs.config;
  auto it = config.notes.find(std::string(section));
  if (it == config.notes.end()) return "";
  auto texts = config.notes_by_language.find(it->first);
  return texts == config.notes_by_language.end() ? it->second
                                                 : ConfigText(report, it->second, texts->second);
}

// The note as a paragraph.
std::string HtmlNote(const StudyReport& report, std::string_view section) {
  std::string note = Note(report, section);
  return note.empty() ? std::string() : "<p>" + text::EscapeHtml(note) + "</p>\n";
}

std::string MarkdownNote(const StudyReport& report, std::string_view section) {
  std::string note = Note(report, section);
  return note.empty() ? std::string() : note + "\n\n";
}

// The fieldwork section's rates: as recorded, then under each alternative reading.
Status AddFieldwork(const fieldwork::Frame& frame, const std::string& group_column,
                    StudyReport* report) {
  auto e = NGO_TRY(fieldwork::ParseESpec("proportional"));
  RatesScenario as_recorded{Say(*report, Word::kReportAsRecorded), "", {}};
  as_recorded.groups = NGO_TRY(fieldwork::RatesByGroup(frame, group_column, e));
  std::vector<AlternativeGroup> alternatives = AlternativeGroups(frame);
  if (!alternatives.empty()) as_recorded.explanation = Say(*report, Word::kReportAsRecordedNote);
  report->fieldwork.push_back(std::move(as_recorded));
  for (const AlternativeGroup& g : alternatives) {
    RatesScenario s;
    const std::string_view lang = report->words_language;
    s.title = Say(*report, Word::kReportReadAs,
                  {CodeText(g.alternative, lang), CodeText(g.recorded, lang)});
    s.explanation = Say(*report, Word::kReportReadAsNote,
                        {g.names, CodeText(g.recorded, lang), CodeText(g.alternative, lang)});
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
  if (!options.language.empty()) {
    // The form's code for the language ("Vietnamese" -> "vi"), else as given.
    std::string code = in.form.LanguageCode(options.language);
    if (code.empty()) code = options.language;
    report.words_language = std::string(words::CatalogueLanguage(code));
    report.unit_language =
        in.config.unit.by_language.count(code) > 0 ? code : report.words_language;
    // The specs' own titles, notes and labels in the language where they give them.
    for (auto* specs : {&report.inputs.specs, &report.inputs.qualitative_specs}) {
      for (analysis::TableSpec& spec : *specs) analysis::UseLanguage(code, &spec);
    }
  }
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

  report::UseLanguage(report.words_language, &report.tables);
  if (in.audit) {
    for (const CellAudit& cell : in.audit->cells)
      report.comparisons.push_back(Compare(cell, report.tables, report.words_language));
  }
  if (!in.qualitative_specs.empty()) {
    NGO_TRY(AddQualitative(in, levels, options.language, progress, &report));
    report::UseLanguage(report.words_language, &report.qualitative_tables);
  }

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
  report.summary.push_back(
      Say(report, Word::kReportSummary,
          {UnitCount(report, report.respondents), in.config.synthetic ? " (SYNTHETIC)" : "",
           std::to_string(report.tables.size())}));
  size_t matched = 0, reachable = 0, reachable_matched = 0;
  for (const auto& cmp : report.comparisons) {
    matched += cmp.match;
    bool ok = cmp.published->verdict != Verdict::kInconsistent;
    reachable += ok;
    reachable_matched += ok && cmp.match;
  }
  if (!report.comparisons.empty()) {
    report.summary.push_back(
        Say(report, Word::kReportReproducedSummary,
            {std::to_string(matched), std::to_string(report.comparisons.size()),
             std::to_string(reachable_matched), std::to_string(reachable)}));
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
  if (code == analysis::kOverallCode) return Say(report, Word::kQualAllThemes);
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
  std::string coders = Enumeration(report, item.coders);
  int64_t units = item.agreement.empty() ? 0 : item.agreement.back().n_units;
  return Say(report, Word::kQualCodedBy,
             {coders.empty() ? Say(report, Word::kQualNobody) : coders,
              Say(report, item.coders.size() == 1 ? Word::kQualOneCoder : Word::kQualCoders,
                  {std::to_string(item.coders.size())}),
              UnitCount(report, static_cast<size_t>(units)), UnitCount(report, item.reconciled)});
}

// The agreement table's columns.
std::vector<std::string> AgreementColumns(const StudyReport& report) {
  std::vector<std::string> columns;
  for (Word w : {Word::kQualTheme, Word::kQualAnswers, Word::kQualPercentAgreement,
                 Word::kQualCohen, Word::kQualAlpha}) {
    columns.push_back(Say(report, w));
  }
  return columns;
}

void HtmlQualitative(const StudyReport& report, std::string* out) {
  const StudyInputs& in = report.inputs;
  const form::Codebook& book = *in.codebook;
  *out += "<section id=\"qualitative\"><h2>" +
          text::EscapeHtml(Say(report, Word::kReportQualitative)) + "</h2>\n<p>" +
          Say(report, Word::kQualIntro,
              {text::EscapeHtml(book.title.empty() ? in.config.codebook : "“" + book.title + "”"),
               text::EscapeHtml(book.version), text::EscapeHtml(UnitOther(report))}) +
          "</p>\n";
  if (in.config.synthetic) {
    *out += "<p class=\"flag\">" +
            Say(report, Word::kQualSynthetic, {"<strong>SYNTHETIC</strong>"}) + "</p>\n";
  }
  report::RenderOptions own = OwnTableOptions(report);
  for (size_t t = 0; t < report.qualitative_tables.size(); ++t) {
    const TableResult& table = report.qualitative_tables[t];
    *out += report::HtmlTableSection(table, own, 1000 + t);
    for (const QualitativeItem& item : report.qualitative) {
      if (item.table_id != table.id) continue;
      *out += "<h3>" + text::EscapeHtml(Say(report, Word::kQualAgreement)) + "</h3>\n<p>" +
              text::EscapeHtml(CodersSentence(report, item)) + "</p>\n";
      std::vector<std::string> labels = AgreementColumns(report);
      // The headers as written before the catalogue (apostrophes unescaped).
      *out += "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">" +
              labels[0] + "</th><th>" + labels[1] + "</th><th>" + labels[2] + "</th><th>" +
              labels[3] + "</th><th>" + labels[4] + "</th></tr></thead><tbody>\n";
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
      *out += "<h3>" + text::EscapeHtml(Say(report, Word::kQualQuotes)) + "</h3>\n";
      for (const ThemeQuoteBlock& block : item.quotes) {
        if (block.quotes.empty()) continue;
        *out += "<h4>" + text::EscapeHtml(block.label) + " <small>" +
                Say(report, Word::kQualMentioning,
                    {std::to_string(block.quotes.size()), std::to_string(block.mentioned),
                     text::EscapeHtml(UnitOther(report))}) +
                "</small></h4>\n";
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
  *out += "\n## " + Say(report, Word::kReportQualitative) + "\n\n" +
          Say(report, Word::kQualIntroShort,
              {book.title.empty() ? in.config.codebook : "“" + book.title + "”", book.version,
               UnitOther(report)}) +
          "\n\n";
  if (in.config.synthetic) {
    *out += "*" + Say(report, Word::kQualSyntheticShort, {"SYNTHETIC"}) + "*\n\n";
  }
  report::RenderOptions own = OwnTableOptions(report);
  for (const TableResult& table : report.qualitative_tables) {
    *out += report::RenderMarkdown({table}, own);
    for (const QualitativeItem& item : report.qualitative) {
      if (item.table_id != table.id) continue;
      *out += "\n#### " + Say(report, Word::kQualAgreement) + "\n\n" +
              CodersSentence(report, item) + "\n\n|";
      for (const std::string& c : AgreementColumns(report)) *out += " " + c + " |";
      *out += "\n|---|---:|---:|---:|---:|\n";
      for (const analysis::CodeAgreement& a : item.agreement) {
        *out += "| " + text::EscapeMarkdownCell(ThemeLabel(report, item, a.code)) + " | " +
                std::to_string(a.n_units) + " | " +
                (a.percent_agreement ? fmt::format("{:.1f}%", *a.percent_agreement * 100) : "–") +
                " | " + Coefficient(a.cohen_kappa) + " | " + AlphaText(a) + " |\n";
      }
      if (item.quotes.empty()) continue;
      *out += "\n#### " + Say(report, Word::kQualQuotes) + "\n";
      for (const ThemeQuoteBlock& block : item.quotes) {
        if (block.quotes.empty()) continue;
        *out += "\n**" + text::EscapeMarkdownText(block.label) + "** " +
                Say(report, Word::kQualMentioning,
                    {std::to_string(block.quotes.size()), std::to_string(block.mentioned),
                     UnitOther(report)}) +
                "\n\n";
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
figure.network{margin:1rem 0}
ul.net-legend{list-style:none;margin:.4rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.4rem;
  font-size:.9rem}
ul.net-legend svg{vertical-align:-2px}
@media print{.synthetic-banner{position:fixed}}
@media screen and (max-width:640px){
  body{padding-top:12px}
  .synthetic-banner{position:sticky;margin:-12px -12px 12px}
  nav.toc ol{columns:1}
  /* The picture keeps a legible size (its labels at 8 px or more) and scrolls inside its
     own box; the legend below it is text. */
  figure.network .net-drawing{overflow-x:auto}
  figure.network .net-drawing>svg{min-width:560px}
  .stack table.cmp td{text-align:left;border-bottom:none}
}
)css";

void HtmlComparisonTable(const StudyReport& report, const TableResult& table, std::string* out) {
  std::vector<std::string> groups = GroupsOf(report);
  std::vector<ComparisonRow> rows = RowsOf(report, table.id);
  if (rows.empty()) return;
  const std::string item_word = Say(report, Word::kTableItem);
  const std::string option_word = Say(report, Word::kColumnOption);
  const std::string fisher_p = Say(report, Word::kTableFisherP);
  const std::string interval = Say(report, Word::kCmpInterval);
  std::vector<std::string> labels = {item_word, option_word};
  for (const std::string& g : groups) {
    std::string name = GroupLabel(table, g);
    for (const std::string& column :
         {Say(report, Word::kCmpPublished), Say(report, Word::kCmpReproduced), std::string("n/N"),
          interval})
      labels.push_back(name + " " + column);
  }
  labels.push_back(fisher_p);
  *out += "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">" +
          text::EscapeHtml(item_word) + "</th><th scope=\"col\">" + text::EscapeHtml(option_word) +
          "</th>";
  for (const std::string& g : groups) {
    *out += fmt::format("<th scope=\"col\" colspan=\"4\">{}</th>",
                        text::EscapeHtml(GroupLabel(table, g)));
  }
  *out += "<th scope=\"col\">" + text::EscapeHtml(fisher_p) + "</th></tr><tr><th></th><th></th>";
  for (size_t i = 0; i < groups.size(); ++i) {
    *out += "<th>" + text::EscapeHtml(Say(report, Word::kCmpPublishedHeading)) + "</th><th>" +
            text::EscapeHtml(Say(report, Word::kCmpReproducedHeading)) + "</th><th>n/N</th><th>" +
            text::EscapeHtml(interval) + "</th>";
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
      std::string published = cmp.published->published_value.empty()
                                  ? Say(report, Word::kCmpNoResponse)
                                  : cmp.published->published_value;
      *out += fmt::format(
          "<td class=\"pub\">{}</td><td class=\"{}\">{} <span class=\"flag\">{}</span></td>"
          "<td>{}</td><td>{}</td>",
          text::EscapeHtml(published), cmp.match ? "" : "miss", text::EscapeHtml(cmp.reproduced),
          Flags(cmp), CountText(cmp), IntervalText(cmp, std::max(decimals, 1)));
    }
    *out += "<td>" + text::EscapeHtml(PText(report, test)) + "</td></tr>\n";
  }
  *table_out += report::LabelCells(body, labels) + "</tbody></table></div>\n";
}

void HtmlNonresponse(const StudyReport& report, std::string* table_out) {
  std::string body;
  std::string* out = &body;
  std::vector<std::string> labels;
  for (Word w : {Word::kColumnTable, Word::kTableItem, Word::kColumnGroup, Word::kColumnInBase,
                 Word::kColumnAnswered, Word::kValueRefused, Word::kValueDontKnow,
                 Word::kColumnMissing, Word::kColumnNotAsked}) {
    labels.push_back(Say(report, w));
  }
  *table_out += fmt::format(
      "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">{}</th><th "
      "scope=\"col\">{}</th><th scope=\"col\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}"
      "</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
      labels[0], labels[1], labels[2], labels[3], labels[4], labels[5], labels[6], labels[7],
      labels[8]);
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
  *table_out += report::LabelCells(body, labels) + "</tbody></table></div>\n";
  if (shown == 0) *table_out += "<p>" + Say(report, Word::kReportNoNonresponse) + "</p>\n";
}

}  // namespace

// The questions the network's ties come from, as "label (name)", for the prose.
std::string NetworkQuestions(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  std::vector<std::string> parts;
  for (const auto& tie : in.network->ties) {
    const form::Question* q = in.form.FindQuestion(tie.question);
    parts.push_back("\u201c" + (q ? in.form.Text(q->label, report.language) : tie.question) +
                    "\u201d (" + tie.question + ", " + tie.kind +
                    (tie.national ? Say(report, Word::kNetOnePerCountry) : "") + ")");
  }
  return Enumeration(report, parts);
}

// The columns of the whole-network measures, the scope first.
std::vector<Word> NetworkColumns() {
  return {Word::kNetScope,   Word::kNetOrganisations, Word::kNetTies,
          Word::kNetDensity, Word::kNetReciprocity,   Word::kNetWeakComponents,
          Word::kNetNgoNgo,  Word::kNetNgoGovernment};
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
  size_t responded = 0, silent = 0;
  for (const auto& node : net.nodes) {
    responded += node.responded;
    silent += node.in_frame && !node.responded;
  }
  *out += "<section id=\"network\"><h2>" + text::EscapeHtml(Say(report, Word::kReportNetwork)) +
          "</h2>\n<p>" +
          Say(report, Word::kNetIntro,
              {text::EscapeHtml(UnitOne(report)), text::EscapeHtml(NetworkQuestions(report)),
               text::EscapeHtml(UnitCount(report, responded)),
               text::EscapeHtml(UnitCount(report, silent)), "<code>docs/cli.md</code>",
               "<code>ngosurvey network</code>"}) +
          (report.inputs.config.synthetic
               ? " <strong>" + text::EscapeHtml(Say(report, Word::kSyntheticData)) + ".</strong>"
               : "") +
          "</p>\n";
  report::NetworkReport drawing;
  drawing.network = &net;
  drawing.layout = report.network_layout;
  drawing.title = Say(report, Word::kReportNetwork);
  drawing.embedded_svg = true;
  drawing.language = report.words_language;
  drawing.svg_legend = false;  // the legend is the figure's caption: text at any width
  if (report.inputs.config.synthetic) drawing.banner = Say(report, Word::kSyntheticData);
  *out += "<figure class=\"network\"><div class=\"net-drawing\">" +
          report::RenderNetwork(drawing, report::NetworkFormat::kSvg) +
          "</div><figcaption><ul class=\"net-legend\">";
  for (const report::NetworkLegendEntry& entry : report::NetworkLegend(net, drawing.language)) {
    *out +=
        "<li>" + report::NetworkLegendMarkSvg(entry) + " " + text::EscapeHtml(entry.text) + "</li>";
  }
  *out += "</ul></figcaption></figure>\n";
  std::vector<std::string> columns;
  for (Word w : NetworkColumns()) columns.push_back(Say(report, w));
  *out += "<div class=\"table-wrap stack\"><table><caption>" +
          text::EscapeHtml(Say(report, Word::kNetMeasures)) + "</caption><thead><tr>";
  for (const std::string& c : columns) *out += "<th scope=\"col\">" + text::EscapeHtml(c) + "</th>";
  *out += "</tr></thead><tbody>\n";
  std::string rows;
  for (const auto& scope : report.network_scopes) {
    rows += "<tr><th scope=\"row\">" +
            text::EscapeHtml(scope.scope == "overall" ? Say(report, Word::kGroupOverall)
                                                      : scope.scope) +
            "</th><td>" + std::to_string(scope.node_count) + "</td><td>" +
            std::to_string(scope.tie_count) + "</td><td>" + MeasureText(scope.density) +
            "</td><td>" + MeasureText(scope.reciprocity) + "</td><td>" +
            std::to_string(scope.weak_components) + "</td><td>" +
            std::to_string(NgoTies(scope, "ngo")) + "</td><td>" +
            std::to_string(NgoTies(scope, "government")) + "</td></tr>\n";
  }
  *out += report::LabelCells(rows, std::vector<std::string>(columns.begin() + 1, columns.end())) +
          "</tbody></table></div>\n";
  auto named = MostNamed(report, 8);
  if (!named.empty()) {
    std::vector<std::string> heads = {Say(report, Word::kColumnOrganisation),
                                      Say(report, Word::kNetKind), Say(report, Word::kNetNamedBy),
                                      Say(report, Word::kNetBetweenness)};
    *out += "<div class=\"table-wrap stack\"><table><caption>" +
            text::EscapeHtml(Say(report, Word::kNetNamedMost)) + "</caption><thead><tr>";
    for (const std::string& h : heads) *out += "<th scope=\"col\">" + text::EscapeHtml(h) + "</th>";
    *out += "</tr></thead><tbody>\n";
    std::string named_rows;
    for (const auto* m : named) {
      const auto& node = net.nodes[m->node];
      named_rows += "<tr><th scope=\"row\">" + text::EscapeHtml(node.label) + "</th><td>" +
                    text::EscapeHtml(node.kind) + "</td><td>" + std::to_string(m->in_degree) +
                    "</td><td>" + MeasureText(m->betweenness) + "</td></tr>\n";
    }
    *out +=
        report::LabelCells(named_rows, std::vector<std::string>(heads.begin() + 1, heads.end())) +
        "</tbody></table></div>\n";
  }
  *out += HtmlNote(report, "network") + "</section>\n";
}

// Long on purpose: the report's sections in page order.
// NOLINTNEXTLINE(readability-function-size)
std::string RenderStudyReportHtml(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  const bool published = in.audit.has_value();
  HtmlPageOptions page;
  page.title = ReportTitle(report) +
               (in.config.synthetic ? " (" + Say(report, Word::kSyntheticData) + ")" : "");
  if (!report.language.empty()) page.lang = report.language;
  page.extra_css = std::string(kReportCss);
  std::string out = HtmlPageStart(page);
  if (in.config.synthetic) {
    out += "<div class=\"synthetic-banner\" role=\"note\">" +
           text::EscapeHtml(SyntheticBanner(report)) + "</div>\n";
  }
  out += "<h1>" + text::EscapeHtml(ReportTitle(report)) + "</h1>\n";
  if (in.config.synthetic && published) {
    out += "<p class=\"flag\">" +
           Say(report, Word::kReportPublishedSynthetic,
               {"<strong>" + Say(report, Word::kWordSynthetic) + "</strong>",
                "<code>ngosurvey synth</code>"}) +
           "</p>\n";
  } else if (in.config.synthetic) {
    out += "<p class=\"flag\">" +
           Say(report, Word::kReportSyntheticTables,
               {"<strong>" + Say(report, Word::kWordSynthetic) + "</strong>"}) +
           "</p>\n";
  }
  if (!in.config.source.empty()) out += "<p>" + text::EscapeHtml(in.config.source) + "</p>\n";
  auto heading = [&](Word word) { return text::EscapeHtml(Say(report, word)); };
  out += "<nav class=\"toc\"><ol><li><a href=\"#design\">" + heading(Word::kReportStudyDesign) +
         "</a></li>";
  if (in.frame) {
    out += "<li><a href=\"#fieldwork\">" + heading(Word::kReportFieldwork) + "</a></li>";
  }
  for (const TableResult& t : report.tables) {
    out += "<li><a href=\"#" + HtmlId("table-" + t.id) + "\">" + text::EscapeHtml(t.title) +
           "</a></li>";
  }
  if (published) {
    out += "<li><a href=\"#audit\">" + heading(Word::kReportAudit) +
           "</a></li><li><a href=\"#unreproduced\">" + heading(Word::kReportUnreproduced) +
           "</a></li>";
  }
  out += "<li><a href=\"#nonresponse\">" + heading(Word::kReportItemNonresponse) + "</a></li>";
  if (!report.qualitative_tables.empty())
    out += "<li><a href=\"#qualitative\">" + heading(Word::kReportQualitative) + "</a></li>";
  if (report.network)
    out += "<li><a href=\"#network\">" + heading(Word::kReportNetwork) + "</a></li>";
  out += "</ol></nav>\n";

  // Design.
  size_t questions = 0;
  for (const auto& q : in.form.questions)
    questions += !q.is_container() && q.type != form::QuestionType::kNote;
  std::string languages;
  for (const auto& l : in.form.languages) languages += (languages.empty() ? "" : ", ") + l.name;
  auto status = in.form.settings.values.find("translation_status");
  out += "<section id=\"design\"><h2>" + heading(Word::kReportStudyDesign) + "</h2>\n<ul>";
  std::string mode = ConfigText(report, in.config.mode, in.config.mode_by_language);
  out +=
      "<li>" +
      Say(report, Word::kReportInstrument,
          {"<em>" + text::EscapeHtml(in.form.title) + "</em>",
           text::EscapeHtml(in.form.settings.version), std::to_string(questions),
           mode.empty() ? "" : Say(report, Word::kReportAdministered, {text::EscapeHtml(mode)})}) +
      "</li>";
  out += "<li>" +
         Say(report, Word::kReportLanguages,
             {text::EscapeHtml(languages),
              status != in.form.settings.values.end()
                  ? Say(report, Word::kReportTranslations, {text::EscapeHtml(status->second)})
                  : ""}) +
         "</li>";
  if (in.frame) {
    std::map<std::string, std::pair<size_t, int>> per_group;  // cases, completed
    for (const auto& c : in.frame->cases) {
      auto& [cases, done] = per_group[c.stratum];
      ++cases;
      done += IsCompletedInterview(c);
    }
    std::string groups;
    for (const auto& [group, counts] : per_group) {
      groups += (groups.empty() ? "" : "; ") +
                Say(report, Word::kReportFrameGroup,
                    {text::EscapeHtml(group), text::EscapeHtml(UnitCount(report, counts.first)),
                     std::to_string(counts.second)});
    }
    out += "<li>" + Say(report, Word::kReportSampleFrame, {groups}) + "</li>";
  }
  out += "<li>" +
         Say(report, Word::kReportData,
             {text::EscapeHtml(UnitCount(report, report.respondents)),
              in.config.synthetic ? " (<strong>SYNTHETIC</strong>)" : ""}) +
         "</li>";
  if (in.config.design.used()) {
    const analysis::DesignSpec& d = in.config.design;
    std::string design;
    auto add = [&](Word what, const std::string& column) {
      if (column.empty()) return;
      design += (design.empty() ? "" : ", ") + text::EscapeHtml(Say(report, what)) + " <code>" +
                text::EscapeHtml(column) + "</code>";
    };
    add(Word::kDesignWeights, d.weight);
    add(Word::kDesignStrata, d.strata);
    add(Word::kDesignClusters, d.cluster);
    add(Word::kDesignFpcLong, d.fpc);
    out += "<li>" + Say(report, Word::kReportSamplingDesign, {design}) + "</li>";
  }
  out += "</ul>\n" + HtmlNote(report, "design") + "</section>\n";

  // Fieldwork.
  if (in.frame) {
    out += "<section id=\"fieldwork\"><h2>" + heading(Word::kReportFieldwork) + "</h2>\n<p>" +
           Say(report, Word::kReportFieldworkIntro) + "</p>\n";
    for (const RatesScenario& s : report.fieldwork) {
      out += "<h3>" + text::EscapeHtml(s.title) + "</h3>\n";
      if (!s.explanation.empty()) out += "<p>" + text::EscapeHtml(s.explanation) + "</p>\n";
      out += "<div class=\"stack\"><table class=\"cmp\"><thead><tr><th scope=\"col\">" +
             heading(Word::kColumnGroup) + "</th>";
      for (auto cat : kCategories)
        out += "<th>" + text::EscapeHtml(fieldwork::CategoryAbbreviation(cat)) + "</th>";
      for (auto m : kShownMeasures)
        out += "<th>" + text::EscapeHtml(fieldwork::Describe(m).name) + "</th>";
      out += "</tr></thead><tbody>\n";
      std::vector<std::string> labels = {Say(report, Word::kColumnGroup)};
      for (auto cat : kCategories) labels.emplace_back(fieldwork::CategoryAbbreviation(cat));
      for (auto m : kShownMeasures) labels.emplace_back(fieldwork::Describe(m).name);
      std::string rows;
      for (const auto& g : s.groups) {
        rows += "<tr><td class=\"label\">" + text::EscapeHtml(g.group) + "</td>";
        for (auto cat : kCategories) rows += "<td>" + std::to_string(g.rates.counts[cat]) + "</td>";
        for (auto m : kShownMeasures)
          rows += "<td>" + text::EscapeHtml(RateText(g.rates[m], report.words_language)) + "</td>";
        rows += "</tr>\n";
      }
      out += report::LabelCells(rows, labels) + "</tbody></table></div>\n";
    }
    out += HtmlNote(report, "fieldwork") + "</section>\n";
  }

  // Tables: beside the published cells when the study has them, else the study's own.
  report::RenderOptions own = OwnTableOptions(report);
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
    out += "<p class=\"note\">" + text::EscapeHtml(FlagLegend(report, table)) + " " +
           Say(report, Word::kCmpFisherNote) + "</p>\n";
    out += "<div class=\"charts\">";
    for (const ItemResult& item : table.items) {
      SvgChartOptions chart;
      chart.id = "chart-" + table.id + "-" + item.item;
      chart.banner = in.config.synthetic ? Say(report, Word::kSyntheticData) : "";
      chart.language = report.words_language;
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
    out += "<section id=\"audit\"><h2>" + heading(Word::kReportAudit) + "</h2>\n";
    {
      const auto& a = *in.audit;
      out +=
          "<p>" +
          Say(report, Word::kAuditSummary,
              {std::to_string(a.cells.size()), std::to_string(a.CountVerdict(Verdict::kConsistent)),
               std::to_string(a.CountVerdict(Verdict::kInconsistent)),
               std::to_string(a.CountVerdict(Verdict::kNoResponse))}) +
          "</p>\n";
      out += "<ul>";
      for (const auto& f : a.findings) {
        out += "<li><strong>" + text::EscapeHtml(FindingKindName(f.kind, report.words_language)) +
               "</strong> " + text::EscapeHtml(Say(report, Word::kAuditTable, {f.table})) + ": " +
               text::EscapeHtml(f.Message(report.words_language)) + "</li>";
      }
      out += "</ul>";
    }
    out += "</section>\n";

    // Unreproduced.
    out += "<section id=\"unreproduced\"><h2>" + heading(Word::kReportUnreproduced) + "</h2>\n<ul>";
    size_t unreproduced = 0;
    for (const auto& cmp : report.comparisons) {
      if (cmp.match) continue;
      ++unreproduced;
      const auto& p = *cmp.published;
      out += "<li>" +
             Say(report, Word::kUnreproducedCell,
                 {text::EscapeHtml(p.table), text::EscapeHtml(p.item_label),
                  text::EscapeHtml(p.option_label), text::EscapeHtml(p.country),
                  text::EscapeHtml(p.published_value),
                  text::EscapeHtml(cmp.reproduced.empty() ? "–" : cmp.reproduced),
                  text::EscapeHtml(UnreproducedReason(report, cmp))}) +
             ".</li>";
    }
    out += "</ul>";
    if (unreproduced == 0) out += "<p>" + Say(report, Word::kEveryCellReproduced) + "</p>";
    out += "</section>\n";
  }

  out += "<section id=\"nonresponse\"><h2>" + heading(Word::kReportItemNonresponse) + "</h2>\n<p>" +
         Say(report, Word::kReportNonresponseIntro) + "</p>\n" + HtmlNote(report, "nonresponse");
  HtmlNonresponse(report, &out);
  out += "</section>\n";
  if (!report.qualitative_tables.empty()) HtmlQualitative(report, &out);
  if (report.network) HtmlNetwork(report, &out);
  out += "<footer><p>" +
         Say(report, Word::kReportGenerated, {text::EscapeHtml(in.config.config_file)}) +
         (in.config.synthetic ? ". " + text::EscapeHtml(Say(report, Word::kSyntheticData)) + "."
                              : ".") +
         "</p></footer>\n";
  out += HtmlPageEnd();
  return out;
}

// --- Markdown ----------------------------------------------------------------------

std::string RenderStudyReportMarkdown(const StudyReport& report) {
  const StudyInputs& in = report.inputs;
  std::string out;
  const bool published = in.audit.has_value();
  if (in.config.synthetic) out += "> **" + SyntheticBanner(report) + "**\n\n";
  out += "# " + ReportTitle(report) + "\n\n";
  for (const std::string& line : report.summary) out += "- " + line + "\n";
  out += "\n" + MarkdownNote(report, "design");
  if (in.frame) {
    out += "## " + Say(report, Word::kReportFieldwork) + "\n\n" + MarkdownNote(report, "fieldwork");
  }
  for (const RatesScenario& s : report.fieldwork) {
    out += "### " + s.title + "\n\n";
    if (!s.explanation.empty()) out += s.explanation + "\n\n";
    out += "| " + Say(report, Word::kColumnGroup) + " |";
    for (auto cat : kCategories)
      out += " " + std::string(fieldwork::CategoryAbbreviation(cat)) + " |";
    for (auto m : kShownMeasures) out += " " + std::string(fieldwork::Describe(m).name) + " |";
    out += "\n|---|";
    for (size_t i = 0; i < std::size(kCategories) + std::size(kShownMeasures); ++i) out += "---:|";
    out += "\n";
    for (const auto& g : s.groups) {
      out += "| " + g.group + " |";
      for (auto cat : kCategories) out += " " + std::to_string(g.rates.counts[cat]) + " |";
      for (auto m : kShownMeasures) out += " " + RateText(g.rates[m], report.words_language) + " |";
      out += "\n";
    }
    out += "\n";
  }
  std::vector<std::string> groups = GroupsOf(report);
  if (!published) {
    report::RenderOptions own = OwnTableOptions(report);
    out += report::RenderMarkdown(report.tables, own);
  }
  for (const TableResult& table : report.tables) {
    if (!published) break;
    out += "## " + table.title + "\n\n";
    if (in.config.synthetic) out += "*" + Say(report, Word::kSyntheticData) + "*\n\n";
    std::vector<ComparisonRow> rows = RowsOf(report, table.id);
    out += "| " + Say(report, Word::kTableItem) + " | " + Say(report, Word::kColumnOption) + " |";
    for (const std::string& g : groups) {
      out += " " + GroupLabel(table, g) + " " + Say(report, Word::kCmpPublished) + " | " +
             Say(report, Word::kCmpReproduced) + " | n/N |";
    }
    out += " " + Say(report, Word::kTableFisherP) + " |\n|---|---|";
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
               (cmp.published->published_value.empty() ? Say(report, Word::kCmpNoResponse)
                                                       : cmp.published->published_value) +
               " | " + cmp.reproduced + (Flags(cmp).empty() ? "" : " " + Flags(cmp)) + " | " +
               CountText(cmp) + " |";
      }
      out += " " + PText(report, test) + " |\n";
    }
    out += "\n" + FlagLegend(report, table) + "\n\n";
  }
  if (published) out += "## " + Say(report, Word::kReportUnreproduced) + "\n\n";
  size_t unreproduced = 0;
  for (const auto& cmp : report.comparisons) {
    if (cmp.match) continue;
    ++unreproduced;
    const auto& p = *cmp.published;
    out += "- " +
           Say(report, Word::kUnreproducedCell,
               {p.table, p.item_label, p.option_label, p.country, p.published_value,
                cmp.reproduced.empty() ? "–" : cmp.reproduced, UnreproducedReason(report, cmp)}) +
           "\n";
  }
  if (published && unreproduced == 0) out += Say(report, Word::kEveryCellReproduced) + "\n";
  if (report.network) {
    out += "\n## " + Say(report, Word::kReportNetwork) + "\n\n" +
           Say(report, Word::kNetIntroShort,
               {UnitOther(report), NetworkQuestions(report),
                in.config.synthetic ? " (" + Say(report, Word::kSyntheticData) + ")" : ""}) +
           "\n\n|";
    for (Word w : NetworkColumns()) out += " " + Say(report, w) + " |";
    out += "\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& scope : report.network_scopes) {
      out += "| " + (scope.scope == "overall" ? Say(report, Word::kGroupOverall) : scope.scope) +
             " | " + std::to_string(scope.node_count) + " | " + std::to_string(scope.tie_count) +
             " | " + MeasureText(scope.density) + " | " + MeasureText(scope.reciprocity) + " | " +
             std::to_string(scope.weak_components) + " | " + std::to_string(NgoTies(scope, "ngo")) +
             " | " + std::to_string(NgoTies(scope, "government")) + " |\n";
    }
    auto named = MostNamed(report, 8);
    if (!named.empty()) {
      std::string list;
      for (size_t i = 0; i < named.size(); ++i) {
        const auto& node = report.network->nodes[named[i]->node];
        list += (i ? ", " : "") + node.label + " (" + std::to_string(named[i]->in_degree) + ")";
      }
      out += "\n" + Say(report, Word::kNetNamedMostShort, {list}) + "\n";
    }
  }
  if (in.audit) {
    out += "\n## " + Say(report, Word::kReportAudit) + "\n\n";
    for (const auto& f : in.audit->findings) {
      out += "- **" + std::string(FindingKindName(f.kind, report.words_language)) + "** " +
             Say(report, Word::kAuditTable, {f.table}) + ": " + f.Message(report.words_language) +
             "\n";
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
