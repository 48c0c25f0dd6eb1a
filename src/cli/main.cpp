#include <unistd.h>

#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace ngosurvey::cli;
  std::ios::sync_with_stdio(false);
  CLI::App app{
      "ngosurvey: survey-based assessment studies end to end (questionnaires as XLSForms,\n"
      "interviews, confidential storage, analysis tables with small-sample statistics, reports).",
      "ngosurvey"};
  app.set_help_flag();  // added back below, after the commands (AddCommand)
  app.require_subcommand(1);
  app.fallthrough(false);

  CommandContext ctx;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
  ctx.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
  for (RegisterFn fn : CommandGroups()) fn(app, ctx);
  AddHelpFlag(app);
  app.set_version_flag("--version", "ngosurvey 0.1.0");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return ExitCode(code == 0 ? ExitStatus::kSuccess : ExitStatus::kUsage);
  }
  std::cout.flush();
  return ExitCode(ctx.exit_status);
}
