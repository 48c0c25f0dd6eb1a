// The CLI's vocabulary: every command group registers its subcommands on the root
// CLI11 app from one function listed in commands.cpp (the subcommand table).
// Handlers are thin: parse, call the library, print, set the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "base/diagnostic.h"
#include "base/error.h"

namespace ngosurvey::cli {

// Exit statuses of the ngosurvey binary (documented in docs/cli.md). A scoped enum so
// that no other int (a count, an index) passes for one; ordered by severity, so that
// std::max of two is the one to report. ExitCode gives the process's exit code.
enum class ExitStatus : int {
  kSuccess = 0,  // done; for checks: no error found
  kFailure = 1,  // the input has errors (invalid form, rejected data, failed check)
  kUsage = 2,    // the command line is wrong
  kIo = 3,       // a file or database could not be read or written
};
constexpr int ExitCode(ExitStatus status) { return static_cast<int>(status); }

struct CommandContext {
  std::ostream* out;
  std::ostream* err;
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  ExitStatus exit_status = ExitStatus::kSuccess;
};

// A command group's registration function.
using RegisterFn = void (*)(CLI::App& root, CommandContext& ctx);

// Prints an error to ctx.err and returns the exit status that fits its code.
ExitStatus ReportError(CommandContext& ctx, const Error& error);

// Prints every diagnostic, errors first in their order, then a summary line.
void PrintDiagnostics(CommandContext& ctx, const Diagnostics& diags);

}  // namespace ngosurvey::cli
