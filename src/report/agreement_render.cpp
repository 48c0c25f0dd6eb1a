// Agreement renderers (agreement_render.h).
#include "report/agreement_render.h"

#include <cstdio>

#include "analysis/stats.h"
#include "base/csv.h"
#include "base/escape.h"
#include "report/html.h"

namespace ngosurvey::report {
namespace {

using analysis::CodeAgreement;

std::string Real(const std::optional<double>& value) {
  return value ? analysis::FormatRoundTrip(*value) : std::string();
}

// Three decimals for people; "–" when not computable.
std::string Short(const std::optional<double>& value) {
  if (!value) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", *value);
  return buffer;
}

std::string Interval(const CodeAgreement& row) {
  if (!row.alpha_lo || !row.alpha_hi) return "–";
  return Short(row.alpha_lo) + " to " + Short(row.alpha_hi);
}

std::string Label(const AgreementReport& report, size_t i) {
  return i < report.labels.size() ? report.labels[i] : std::string();
}

std::string Caption(const AgreementReport& report) {
  char level[16];
  std::snprintf(level, sizeof level, "%g", report.level * 100.0);
  return "Each answer is a unit and each code a present/absent judgement; units coded by fewer "
         "than two coders are left out. (overall) pools every answer x code judgement. The "
         "interval is a " +
         std::string(level) + "% percentile bootstrap of alpha (" +
         std::to_string(report.replicates) + " resamples, fixed seed). – = cannot be computed.";
}

std::string RenderCsv(const AgreementReport& report) {
  std::string out = "code,statistic,value\n";
  for (const CodeAgreement& row : report.rows) {
    const std::string values[] = {std::to_string(row.n_units), std::to_string(row.n_coders),
                                  Real(row.percent_agreement), Real(row.cohen_kappa),
                                  Real(row.fleiss_kappa),      Real(row.krippendorff_alpha),
                                  Real(row.alpha_lo),          Real(row.alpha_hi)};
    const auto& names = AgreementStatistics();
    for (size_t i = 0; i < names.size(); ++i) {
      csv::AppendRow({row.code, std::string(names[i]), values[i]}, &out);
    }
  }
  return out;
}

std::string RenderMarkdown(const AgreementReport& report) {
  std::string out;
  if (!report.banner.empty()) out += "**" + report.banner + "**\n\n";
  out += "# Agreement among coders: " + text::EscapeMarkdownCell(report.question) + "\n\n";
  if (!report.codebook_version.empty())
    out += "Codebook version " + text::EscapeMarkdownCell(report.codebook_version) + ".\n\n";
  out +=
      "| code | label | answers | coders | agreement | Cohen's kappa | Fleiss' kappa | "
      "Krippendorff's alpha | alpha interval |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const CodeAgreement& row = report.rows[i];
    out += "| " + text::EscapeMarkdownCell(row.code) + " | " +
           text::EscapeMarkdownCell(Label(report, i)) + " | " + std::to_string(row.n_units) +
           " | " + std::to_string(row.n_coders) + " | " + Short(row.percent_agreement) + " | " +
           Short(row.cohen_kappa) + " | " + Short(row.fleiss_kappa) + " | " +
           Short(row.krippendorff_alpha) + " | " + Interval(row) + " |\n";
  }
  out += "\n" + Caption(report) + "\n";
  return out;
}

std::string RenderHtml(const AgreementReport& report) {
  HtmlPageOptions page;
  page.title = "Agreement among coders: " + report.question;
  std::string out = HtmlPageStart(page);
  if (!report.banner.empty())
    out += "<p class=\"banner\">" + text::EscapeHtml(report.banner) + "</p>\n";
  out += "<h1>" + text::EscapeHtml(page.title) + "</h1>\n";
  if (!report.codebook_version.empty()) {
    out += "<p>Codebook version " + text::EscapeHtml(report.codebook_version) + ".</p>\n";
  }
  out +=
      "<table class=\"agreement\">\n<caption>" + text::EscapeHtml(Caption(report)) + "</caption>\n";
  out +=
      "<thead><tr><th scope=\"col\">code</th><th scope=\"col\">label</th>"
      "<th scope=\"col\">answers</th><th scope=\"col\">coders</th><th scope=\"col\">agreement</th>"
      "<th scope=\"col\">Cohen's kappa</th><th scope=\"col\">Fleiss' kappa</th>"
      "<th scope=\"col\">Krippendorff's alpha</th><th scope=\"col\">alpha "
      "interval</th></tr></thead>\n"
      "<tbody>\n";
  for (size_t i = 0; i < report.rows.size(); ++i) {
    const CodeAgreement& row = report.rows[i];
    out += "<tr><th scope=\"row\">" + text::EscapeHtml(row.code) + "</th><td>" +
           text::EscapeHtml(Label(report, i)) + "</td><td>" + std::to_string(row.n_units) +
           "</td><td>" + std::to_string(row.n_coders) + "</td><td>" + Short(row.percent_agreement) +
           "</td><td>" + Short(row.cohen_kappa) + "</td><td>" + Short(row.fleiss_kappa) +
           "</td><td>" + Short(row.krippendorff_alpha) + "</td><td>" +
           text::EscapeHtml(Interval(row)) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n" + HtmlPageEnd();
  return out;
}

}  // namespace

std::optional<AgreementFormat> ParseAgreementFormat(std::string_view name) {
  if (name == "md") return AgreementFormat::kMarkdown;
  if (name == "csv") return AgreementFormat::kCsv;
  if (name == "html") return AgreementFormat::kHtml;
  return std::nullopt;
}

const std::vector<std::string_view>& AgreementStatistics() {
  static const std::vector<std::string_view> names = {
      "n_units",      "n_coders",           "percent_agreement", "cohen_kappa",
      "fleiss_kappa", "krippendorff_alpha", "alpha_lo",          "alpha_hi"};
  return names;
}

std::string RenderAgreement(const AgreementReport& report, AgreementFormat format) {
  switch (format) {
    case AgreementFormat::kMarkdown:
      return RenderMarkdown(report);
    case AgreementFormat::kCsv:
      return RenderCsv(report);
    case AgreementFormat::kHtml:
      return RenderHtml(report);
  }
  return {};
}

}  // namespace ngosurvey::report
