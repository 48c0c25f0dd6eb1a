// The CLI's vocabulary: every command group registers its subcommands on the root
// CLI11 app from one function listed in commands.cpp (the subcommand table).
// Handlers are thin: parse, call the library, print, set the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
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

// Adds the command `name` to `parent`, listed in the parent's --help with `description`,
// and leaves its options and callback to `build`: the one place that decides when a
// command's options are built. CLI11 runs `build` as the command's pre-parse callback,
// once, when the command line names the command and before its own arguments (--help
// too) are parsed; a run builds the options of the commands it names and no other (the
// set-up of all of them was a tenth of `form xform`'s instructions on the reference
// instrument, bench/README.md). Returns the command, for subcommands of its own.
// The command's -h,--help is added there too: the commands are registered while the
// root has none (main.cpp), since CLI11 gives every command added a copy of its
// parent's help flag, and those copies were most of what the registration still cost.
CLI::App* AddCommand(CLI::App& parent, std::string name, std::string description,
                     std::function<void(CLI::App& command)> build);

// Adds the command group `name` (form, fieldwork, ...): a command without options of
// its own whose subcommands do the work, one of which the command line must name.
CLI::App* AddGroup(CLI::App& parent, std::string name, std::string description);

// Gives `command` CLI11's help flag, as CLI11 itself would have.
void AddHelpFlag(CLI::App& command);

// Prints an error to ctx.err and returns the exit status that fits its code.
ExitStatus ReportError(CommandContext& ctx, const Error& error);

// Prints every diagnostic, errors first in their order, then a summary line.
void PrintDiagnostics(CommandContext& ctx, const Diagnostics& diags);

}  // namespace ngosurvey::cli
