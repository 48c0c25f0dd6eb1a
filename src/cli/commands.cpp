// The subcommand table: one registration function per command group, in the order
// `ngosurvey --help` lists them.
#include "cli/commands.h"

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
