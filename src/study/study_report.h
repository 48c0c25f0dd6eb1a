// The study report: one self-contained HTML page (and the same content in
// Markdown) that a newcomer opens after `ngosurvey report study/ -o out/`:
//   - the study design (instrument, languages, translation status, the frame);
//   - fieldwork: final dispositions and AAPOR outcome rates by group, under each
//     reading of cases the study could classify two ways (the frame's
//     `disposition_alt` column: e.g. organisations that declined because they do
//     not see themselves as NGOs, as not eligible or as refusals);
//   - every table of the specs with, per published cell, the published value beside
//     the reproduced one (at the published precision), its count and base, the 95%
//     Wilson interval, the between-group Fisher test and disclosure flags; a chart
//     per item;
//   - the audit of the published tables (findings with their numbers);
//   - the published cells the data do not reproduce, and why;
//   - item nonresponse by kind.
// When the study's data are synthetic, every page says so (a fixed banner that
// Chromium repeats on every printed page, and in the Markdown's first line).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/agreement.h"
#include "analysis/network.h"
#include "analysis/table.h"
#include "base/error.h"
#include "base/progress.h"
#include "fieldwork/rates.h"
#include "study/published_audit.h"
#include "study/study.h"

namespace ngosurvey::study {

// One published cell and its reproduction.
struct CellComparison {
  const CellAudit* published = nullptr;
  const analysis::ItemResult* item = nullptr;  // the table row showing it
  const analysis::Cell* cell = nullptr;        // percentage cells
  const analysis::NumericCell* numeric = nullptr;
  std::string reproduced;  // at the published precision; "no response"; "" when none
  bool match = false;      // reproduced text == published text
};

// Outcome rates under one reading of the frame's dispositions.
struct RatesScenario {
  std::string title;
  std::string explanation;
  std::vector<fieldwork::GroupRates> groups;  // per group, then "overall"
};

// The qualitative section (study.toml's `qualitative` specs): per theme item, who
// coded, how well the coders agree, and quotes by theme attributed by pseudonym.
struct QuotedAnswer {
  std::string text;       // the coded segments, or the whole answer (analysis/themes.h)
  std::string pseudonym;  // base/pseudonym.h: of the organisation (org_id), else the answer
};

struct ThemeQuoteBlock {
  std::string theme, label;
  size_t mentioned = 0;  // answers that count the theme
  std::vector<QuotedAnswer> quotes;
};

struct QualitativeItem {
  std::string table_id, item, question;
  std::vector<std::string> coders;  // who coded the question (not the reconciled codes)
  size_t reconciled = 0;            // answers whose codes were reconciled
  std::vector<analysis::CodeAgreement> agreement;  // per theme, then "(overall)"
  std::vector<ThemeQuoteBlock> quotes;             // empty when the row asks for none
};

struct StudyReportOptions {
  // A language of the form (code or name, as `tabulate --lang`): the labels of the
  // tables; empty: the form's default.
  std::string language;
};

struct StudyReport {
  StudyInputs inputs;
  std::string language;  // StudyReportOptions::language
  // The language of the report's own words (base/words.h: "en", "km" or "vi") and of
  // the study's unit words (study.toml `unit`), from `language`.
  std::string words_language = "en";
  std::string unit_language = "en";
  size_t respondents = 0;
  std::vector<analysis::TableResult> tables;
  std::vector<CellComparison> comparisons;  // in the published CSV's order
  std::vector<RatesScenario> fieldwork;
  std::vector<std::string> summary;  // a few lines for the terminal
  // The coordination network, when the study names a network spec: the graph, its
  // measures per country and overall, and the drawing's layout.
  std::optional<analysis::Network> network;
  std::vector<analysis::ScopeMeasures> network_scopes;
  std::vector<std::pair<double, double>> network_layout;
  // The qualitative section, when study.toml names `qualitative` specs.
  std::vector<analysis::TableResult> qualitative_tables;
  std::vector<QualitativeItem> qualitative;
};

// Reads the study's data (the `data` CSV with the instrument), computes the tables,
// the comparisons and the rates. Errors name the file, row and column at fault
// (data that do not fit the form, a spec that names an unknown item, a frame
// without final dispositions).
Result<StudyReport> BuildStudyReport(StudyInputs inputs, Progress& progress,
                                     const StudyReportOptions& options = {});

std::string RenderStudyReportHtml(const StudyReport& report);
std::string RenderStudyReportMarkdown(const StudyReport& report);

struct StudyReportFiles {
  std::string html_path, markdown_path;
  std::vector<std::string> summary;
};

// LoadStudyInputs + BuildStudyReport, then writes OUT/report.html and
// OUT/report.md, each all-or-nothing; nothing is written when anything fails.
Result<StudyReportFiles> WriteStudyReport(const std::string& study_dir, const std::string& out_dir,
                                          Progress& progress,
                                          const StudyReportOptions& options = {});

}  // namespace ngosurvey::study
