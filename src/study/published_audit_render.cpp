// Renderings of an AuditReport: CSV (one row per cell), Markdown and HTML (a
// findings summary, the findings, then every cell table by table).
#include <fmt/format.h>

#include <algorithm>

#include "base/csv.h"
#include "base/escape.h"
#include "study/published_audit.h"

namespace ngosurvey::study {

namespace {

constexpr FindingKind kAllKinds[] = {
    FindingKind::kInconsistentCell, FindingKind::kTransposed, FindingKind::kOtherBase,
    FindingKind::kColumnBase,       FindingKind::kSumOver100, FindingKind::kImpossibleMean,
};

std::string JoinBases(const std::vector<int64_t>& bases, std::string_view sep) {
  std::string out;
  for (int64_t n : bases) {
    if (!out.empty()) out += sep;
    out += std::to_string(n);
  }
  return out;
}

std::string ConsistentField(const CellAudit& c) {
  switch (c.verdict) {
    case Verdict::kConsistent:
      return "yes";
    case Verdict::kInconsistent:
      return "no";
    case Verdict::kNoResponse:
      return "no_response";
  }
  return "";
}

// "6 → 42.9" for a percentage, "total 1288 → 92" for a mean, "" for no response.
std::string NearestText(const CellAudit& c) {
  if (c.verdict == Verdict::kNoResponse) return "";
  if (c.unit == "mean") return fmt::format("total {} → {}", c.nearest_count, c.nearest_value);
  return fmt::format("{} → {}", c.nearest_count, c.nearest_value);
}

std::string Label(const std::string& label, const std::string& id) {
  return label.empty() ? id : label;
}

// Tables in order of first appearance, with their titles.
std::vector<std::pair<std::string, std::string>> TablesInOrder(const AuditReport& report) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const CellAudit& c : report.cells) {
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const auto& t) { return t.first == c.table; });
    if (!seen) out.emplace_back(c.table, c.table_title);
  }
  return out;
}

}  // namespace

std::optional<AuditFormat> ParseAuditFormat(std::string_view name) {
  if (name == "md" || name == "markdown") return AuditFormat::kMarkdown;
  if (name == "csv") return AuditFormat::kCsv;
  if (name == "html") return AuditFormat::kHtml;
  return std::nullopt;
}

std::string RenderAuditCsv(const AuditReport& report) {
  std::string out;
  csv::AppendRow({"table", "item_id", "option_id", "country", "published_value", "base",
                  "consistent", "nearest_count", "nearest_percent", "consistent_bases"},
                 &out);
  for (const CellAudit& c : report.cells) {
    bool has_value = c.verdict != Verdict::kNoResponse;
    csv::AppendRow(
        {c.table, c.item_id, c.option_id, c.country, c.published_value, std::to_string(c.base),
         ConsistentField(c), has_value ? std::to_string(c.nearest_count) : "",
         has_value ? c.nearest_value : "", JoinBases(c.other_bases, ";")},
        &out);
  }
  return out;
}

std::string RenderAuditMarkdown(const AuditReport& report) {
  std::string out = "# Audit of published tables\n\n";
  out += fmt::format(
      "Tables: `{}`; bases: `{}`. Each printed percentage is checked against every count k of "
      "its base N (k/N × 100 rounded half-up, exactly, at the printed number of decimals); other "
      "bases searched: {} to {}.\n\n",
      report.tables_file, report.bases_file, report.candidate_min, report.candidate_max);

  out += "## Summary\n\n| cells | count |\n|---|---:|\n";
  out += fmt::format("| printed cells | {} |\n", report.cells.size());
  out += fmt::format("| consistent with their base | {} |\n",
                     report.CountVerdict(Verdict::kConsistent));
  out += fmt::format("| **inconsistent with their base** | {} |\n",
                     report.CountVerdict(Verdict::kInconsistent));
  out += fmt::format("| no response (not a number) | {} |\n\n",
                     report.CountVerdict(Verdict::kNoResponse));
  out += "| finding | count |\n|---|---:|\n";
  for (FindingKind kind : kAllKinds) {
    out += fmt::format("| {} | {} |\n", FindingKindName(kind), report.CountFindings(kind));
  }
  out += "\n## Findings\n\n";
  if (report.findings.empty()) out += "None: every printed cell fits its base.\n\n";
  for (FindingKind kind : kAllKinds) {
    size_t n = report.CountFindings(kind);
    if (n == 0) continue;
    std::string name(FindingKindName(kind));
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    out += fmt::format("### {} ({})\n\n", name, n);
    for (const Finding& f : report.findings) {
      if (f.kind == kind) out += "- " + text::EscapeMarkdownText(f.message) + "\n";
    }
    out += "\n";
  }
  for (const CellAudit& c : report.cells) {
    if (c.verdict != Verdict::kNoResponse) continue;
    out += fmt::format("No-response cell (not audited): Table {} {} {}.\n\n", c.table,
                       text::EscapeMarkdownText(c.item_id), c.country);
  }

  out += "## Cells\n\n";
  for (const auto& [table, title] : TablesInOrder(report)) {
    out += fmt::format("### Table {}: {}\n\n", table, text::EscapeMarkdownText(title));
    out += "| item | option | country | printed | N | verdict | nearest | other bases |\n";
    out += "|---|---|---|---:|---:|---|---|---|\n";
    for (const CellAudit& c : report.cells) {
      if (c.table != table) continue;
      std::string verdict(VerdictName(c.verdict));
      if (c.verdict == Verdict::kInconsistent) verdict = "**" + verdict + "**";
      out += fmt::format("| {} | {} | {} | {}{} | {} | {} | {} | {} |\n",
                         text::EscapeMarkdownText(Label(c.item_label, c.item_id)),
                         text::EscapeMarkdownText(Label(c.option_label, c.option_id)), c.country,
                         text::EscapeMarkdownText(c.published_value),
                         c.unit == "mean" ? " (mean)" : "", c.base, verdict, NearestText(c),
                         JoinBases(c.other_bases, ", "));
    }
    out += "\n";
  }
  return out;
}

std::string RenderAuditHtml(const AuditReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>Audit of published tables</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}\n"
      "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
      "th,td{border:1px solid #bbb;padding:0.2em 0.5em;text-align:left;vertical-align:top}\n"
      "th{background:#eee}td.num{text-align:right}\n"
      "tr.inconsistent td{background:#fde2e1}tr.noresponse td{color:#777;font-style:italic}\n"
      "li{margin:0.2em 0}\n"
      "</style>\n</head>\n<body>\n<h1>Audit of published tables</h1>\n";
  out += fmt::format(
      "<p>Tables: <code>{}</code>; bases: <code>{}</code>. Each printed percentage is checked "
      "against every count k of its base N (k/N &times; 100 rounded half-up, exactly, at the "
      "printed number of decimals); other bases searched: {} to {}.</p>\n",
      text::EscapeHtml(report.tables_file), text::EscapeHtml(report.bases_file),
      report.candidate_min, report.candidate_max);
  out += "<h2>Summary</h2>\n<table>\n<tr><th>cells</th><th>count</th></tr>\n";
  out += fmt::format("<tr><td>printed cells</td><td class=\"num\">{}</td></tr>\n",
                     report.cells.size());
  out += fmt::format("<tr><td>consistent with their base</td><td class=\"num\">{}</td></tr>\n",
                     report.CountVerdict(Verdict::kConsistent));
  out += fmt::format(
      "<tr><td><strong>inconsistent with their base</strong></td><td class=\"num\">{}</td></tr>\n",
      report.CountVerdict(Verdict::kInconsistent));
  out += fmt::format("<tr><td>no response (not a number)</td><td class=\"num\">{}</td></tr>\n",
                     report.CountVerdict(Verdict::kNoResponse));
  out += "</table>\n<table>\n<tr><th>finding</th><th>count</th></tr>\n";
  for (FindingKind kind : kAllKinds) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", FindingKindName(kind),
                       report.CountFindings(kind));
  }
  out += "</table>\n<h2>Findings</h2>\n";
  if (report.findings.empty()) out += "<p>None: every printed cell fits its base.</p>\n";
  for (FindingKind kind : kAllKinds) {
    size_t n = report.CountFindings(kind);
    if (n == 0) continue;
    out += fmt::format("<h3>{} ({})</h3>\n<ul>\n", FindingKindName(kind), n);
    for (const Finding& f : report.findings) {
      if (f.kind == kind) out += "<li>" + text::EscapeHtml(f.message) + "</li>\n";
    }
    out += "</ul>\n";
  }
  for (const CellAudit& c : report.cells) {
    if (c.verdict != Verdict::kNoResponse) continue;
    out += fmt::format("<p>No-response cell (not audited): Table {} {} {}.</p>\n",
                       text::EscapeHtml(c.table), text::EscapeHtml(c.item_id),
                       text::EscapeHtml(c.country));
  }
  out += "<h2>Cells</h2>\n";
  for (const auto& [table, title] : TablesInOrder(report)) {
    out += fmt::format("<h3>Table {}: {}</h3>\n<table>\n", text::EscapeHtml(table),
                       text::EscapeHtml(title));
    out +=
        "<tr><th>item</th><th>option</th><th>country</th><th>printed</th><th>N</th>"
        "<th>verdict</th><th>nearest</th><th>other bases</th></tr>\n";
    for (const CellAudit& c : report.cells) {
      if (c.table != table) continue;
      const char* row_class = c.verdict == Verdict::kInconsistent ? " class=\"inconsistent\""
                              : c.verdict == Verdict::kNoResponse ? " class=\"noresponse\""
                                                                  : "";
      out += fmt::format(
          "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}{}</td>"
          "<td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          row_class, text::EscapeHtml(Label(c.item_label, c.item_id)),
          text::EscapeHtml(Label(c.option_label, c.option_id)), text::EscapeHtml(c.country),
          text::EscapeHtml(c.published_value), c.unit == "mean" ? " (mean)" : "", c.base,
          VerdictName(c.verdict), text::EscapeHtml(NearestText(c)), JoinBases(c.other_bases, ", "));
    }
    out += "</table>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string RenderAudit(const AuditReport& report, AuditFormat format) {
  switch (format) {
    case AuditFormat::kMarkdown:
      return RenderAuditMarkdown(report);
    case AuditFormat::kCsv:
      return RenderAuditCsv(report);
    case AuditFormat::kHtml:
      return RenderAuditHtml(report);
  }
  return "";
}

}  // namespace ngosurvey::study
