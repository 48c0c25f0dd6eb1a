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

// Exit statuses of the ngosurvey binary (documented in docs/cli.md).
enum ExitStatus : int {
  kExitSuccess = 0,  // done; for checks: no error found
  kExitFailure = 1,  // the input has errors (invalid form, rejected data, failed check)
  kExitUsage = 2,    // the command line is wrong
  kExitIo = 3,       // a file or database could not be read or written
};

struct CommandContext {
  std::ostream* out;
  std::ostream* err;
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  int exit_status = kExitSuccess;
};

// A command group's registration function.
using RegisterFn = void (*)(CLI::App& root, CommandContext& ctx);

// Prints an error to ctx.err and returns the exit status that fits its code.
int ReportError(CommandContext& ctx, const Error& error);

// Prints every diagnostic, errors first in their order, then a summary line.
void PrintDiagnostics(CommandContext& ctx, const Diagnostics& diags);

}  // namespace ngosurvey::cli
