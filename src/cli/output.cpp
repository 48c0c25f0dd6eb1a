#include <ostream>

#include "cli/command.h"

namespace ngosurvey::cli {

ExitStatus ReportError(CommandContext& ctx, const Error& error) {
  *ctx.err << "error: " << error.ToString() << "\n";
  if (error.code.rfind("IO", 0) == 0) return ExitStatus::kIo;
  return ExitStatus::kFailure;
}

void PrintDiagnostics(CommandContext& ctx, const Diagnostics& diags) {
  for (const Diagnostic& d : diags.items()) {
    *ctx.err << (d.severity == Severity::kError ? "error: " : "warning: ") << d.ToString() << "\n";
  }
}

}  // namespace ngosurvey::cli
