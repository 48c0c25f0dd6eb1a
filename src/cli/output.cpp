#include <ostream>

#include "cli/command.h"

namespace ngosurvey::cli {

int ReportError(CommandContext& ctx, const Error& error) {
  *ctx.err << "error: " << error.ToString() << "\n";
  if (error.code.rfind("IO", 0) == 0) return kExitIo;
  return kExitFailure;
}

void PrintDiagnostics(CommandContext& ctx, const Diagnostics& diags) {
  for (const Diagnostic& d : diags.items()) {
    *ctx.err << (d.severity == Severity::kError ? "error: " : "warning: ") << d.ToString() << "\n";
  }
}

}  // namespace ngosurvey::cli
