// `ngosurvey audit-published`: checks a transcription of published percentage
// tables against the bases they were computed on (study/published_audit.h;
// the bases file format is docs/formats/bases.md).
#include <memory>
#include <ostream>
#include <string>

#include "base/file.h"
#include "cli/command.h"
#include "study/published_audit.h"

namespace ngosurvey::cli {
namespace {

struct AuditOptions {
  std::string tables;
  std::string bases;
  std::string format = "md";
  std::string output;
  bool fail_on_findings = false;
};

void RunAudit(CommandContext& ctx, const AuditOptions& opts) {
  auto format = study::ParseAuditFormat(opts.format);
  if (!format) {
    *ctx.err << "error: --format must be md, csv or html, not '" << opts.format << "'\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto report = study::AuditPublishedFiles(opts.tables, opts.bases);
  if (!report) {
    ctx.exit_status = ReportError(ctx, report.error());
    return;
  }
  std::string document = study::RenderAudit(*report, *format);
  if (opts.output.empty() || opts.output == "-") {
    *ctx.out << document;
  } else if (auto written = WriteFileAtomic(opts.output, document); !written) {
    ctx.exit_status = ReportError(ctx, written.error());
    return;
  }
  size_t inconsistent = report->CountVerdict(study::Verdict::kInconsistent);
  if (!opts.output.empty() && opts.output != "-") {
    *ctx.err << report->cells.size() << " cells audited: " << inconsistent
             << " inconsistent with their base, " << report->findings.size()
             << " findings; written to " << opts.output << "\n";
  }
  if (opts.fail_on_findings && !report->findings.empty()) ctx.exit_status = ExitStatus::kFailure;
}

}  // namespace

void RegisterAuditCommands(CLI::App& root, CommandContext& ctx) {
  AddCommand(
      root, "audit-published",
      "Check published percentages against their bases: which counts give each printed value, "
      "transposed cells, single-choice shares over 100, impossible means",
      [&ctx](CLI::App& audit) {
        auto opts = std::make_shared<AuditOptions>();
        audit
            .add_option("--tables", opts->tables,
                        "Published cells CSV (table,item_id,option_id,country,published_value,"
                        "unit,base_note,...)")
            ->required();
        audit.add_option("--bases", opts->bases, "Bases file (TOML, docs/formats/bases.md)")
            ->required();
        audit.add_option("--format", opts->format, "Output format: md, csv or html")
            ->check(CLI::IsMember({"md", "csv", "html"}));
        audit.add_option("-o,--output", opts->output,
                         "Write the report to this file (atomically) instead of standard output");
        audit.add_flag("--fail-on-findings", opts->fail_on_findings,
                       "Exit with status 1 when the audit finds anything");
        audit.callback([&ctx, opts] { RunAudit(ctx, *opts); });
      });
}

}  // namespace ngosurvey::cli
