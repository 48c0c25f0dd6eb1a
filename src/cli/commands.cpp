// The subcommand table: one registration function per command group, in the order
// `ngosurvey --help` lists them.
#include "cli/commands.h"

#include <utility>

namespace ngosurvey::cli {

void RegisterFormCommands(CLI::App& root, CommandContext& ctx);
void RegisterFieldworkCommands(CLI::App& root, CommandContext& ctx);
void RegisterAuditCommands(CLI::App& root, CommandContext& ctx);
void RegisterExprCommands(CLI::App& root, CommandContext& ctx);
void RegisterStoreCommands(CLI::App& root, CommandContext& ctx);
void RegisterTabulateCommands(CLI::App& root, CommandContext& ctx);
void RegisterInterviewCommands(CLI::App& root, CommandContext& ctx);
void RegisterExchangeCommands(CLI::App& root, CommandContext& ctx);
void RegisterStudyCommands(CLI::App& root, CommandContext& ctx);
void RegisterQualCommands(CLI::App& root, CommandContext& ctx);
void RegisterKeysCommands(CLI::App& root, CommandContext& ctx);
void RegisterServerCommands(CLI::App& root, CommandContext& ctx);  // after the form group

CLI::App* AddCommand(CLI::App& parent, std::string name, std::string description,
                     std::function<void(CLI::App& command)> build) {
  CLI::App* command = parent.add_subcommand(std::move(name), std::move(description));
  // Once: CLI11 calls it again if the same App were parsed twice.
  command->preparse_callback(
      [command, built = false, build = std::move(build)](size_t /*remaining_args*/) mutable {
        if (built) return;
        built = true;
        AddHelpFlag(*command);
        build(*command);
      });
  return command;
}

CLI::App* AddGroup(CLI::App& parent, std::string name, std::string description) {
  CLI::App* group =
      AddCommand(parent, std::move(name), std::move(description), [](CLI::App& /*group*/) {});
  group->require_subcommand(1);
  return group;
}

void AddHelpFlag(CLI::App& command) {
  command.set_help_flag("-h,--help", "Print this help message and exit");
}

const std::vector<RegisterFn>& CommandGroups() {
  static const std::vector<RegisterFn> groups = {
      RegisterFormCommands,      RegisterFieldworkCommands, RegisterAuditCommands,
      RegisterExprCommands,      RegisterStoreCommands,     RegisterTabulateCommands,
      RegisterInterviewCommands, RegisterExchangeCommands,  RegisterStudyCommands,
      RegisterQualCommands,      RegisterKeysCommands,      RegisterServerCommands,

  };
  return groups;
}

}  // namespace ngosurvey::cli
