// `ngosurvey synth STUDY_DIR` (synthetic microdata from published tables) and
// `ngosurvey report STUDY_DIR -o OUT` (the study report). The study folder is
// described by its study.toml (docs/formats/study.md; study/study.h).
#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "base/file.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "study/study.h"
#include "study/study_report.h"
#include "study/synth.h"

namespace ngosurvey::cli {
namespace {

struct SynthOptions {
  std::string dir;
  std::string output;  // folder; default: the folder of the study's `data`
  std::optional<uint64_t> seed;
};

void RunSynth(CommandContext& ctx, const SynthOptions& opts) {
  auto inputs = study::LoadStudyInputs(opts.dir);
  if (!inputs) {
    ctx.exit_status = ReportError(ctx, inputs.error());
    return;
  }
  if (opts.seed) inputs->config.seed = *opts.seed;
  auto result = study::SynthesizeStudy(*inputs);
  if (!result) {
    ctx.exit_status = ReportError(ctx, result.error());
    return;
  }
  std::filesystem::path data = inputs->config.data;
  std::filesystem::path folder =
      opts.output.empty() ? data.parent_path() : std::filesystem::path(opts.output);
  if (auto made = MakeDirectories(folder.string()); !made) {
    ctx.exit_status = ReportError(ctx, made.error());
    return;
  }
  std::string data_path = (folder / data.filename()).string();
  std::string targets_path = (folder / "targets_SYNTHETIC.csv").string();
  std::vector<std::pair<std::string, std::string>> files = {{data_path, study::SynthCsv(*result)}};
  // Each repeat's instances beside the data, under the name the study gives them
  // (study.toml's repeats, else DATA-REPEAT.csv).
  std::map<std::string, std::string> repeat_files = study::RepeatFiles(*inputs);
  for (const study::SynthRepeat& repeat : result->repeats) {
    std::filesystem::path name = std::filesystem::path(repeat_files.at(repeat.name)).filename();
    files.push_back({(folder / name).string(), study::SynthRepeatCsv(repeat)});
  }
  // A synthetic study's codings of its open answers, where study.toml names them.
  if (!result->codings_csv.empty()) {
    std::filesystem::path codings = inputs->config.codings;
    files.push_back(
        {opts.output.empty() ? codings.string() : (folder / codings.filename()).string(),
         result->codings_csv});
  }
  // The targets are the published cells aimed at: none without published tables.
  if (inputs->audit) files.push_back({targets_path, study::SynthTargetsCsv(*result)});
  for (const auto& [path, text] : files) {
    if (auto written = WriteFileAtomic(path, text); !written) {
      ctx.exit_status = ReportError(ctx, written.error());
      return;
    }
  }
  size_t unreachable = 0, unmet = 0;
  for (const auto& t : result->targets) {
    unreachable += !t.reachable;
    unmet += !t.met;
  }
  *ctx.err << "SYNTHETIC data: " << result->rows.size() << " respondents, seed " << result->seed
           << "\n";
  for (size_t r = 0; r < result->repeats.size(); ++r) {
    *ctx.err << "  " << result->repeats[r].rows.size() << " instances of repeat '"
             << result->repeats[r].name << "' in " << files[1 + r].first << "\n";
  }
  if (inputs->audit) {
    *ctx.err << result->targets.size() << " published cells: " << unreachable
             << " that no count of their base gives, " << unmet << " not met (see " << targets_path
             << ")\n";
  }
  *ctx.err << "written to " << data_path << "\n";
}

struct ReportOptions {
  std::string dir;
  std::string output = "out";
  std::string lang;
};

void RunReport(CommandContext& ctx, const ReportOptions& opts) {
  TerminalProgress progress(ctx);
  study::StudyReportOptions options;
  options.language = opts.lang;
  auto written = study::WriteStudyReport(opts.dir, opts.output, progress, options);
  if (!written) {
    ctx.exit_status = ReportError(ctx, written.error());
    return;
  }
  *ctx.err << "report written: " << written->html_path << " and " << written->markdown_path << "\n";
  for (const std::string& line : written->summary) *ctx.err << "  " << line << "\n";
}

}  // namespace

void RegisterStudyCommands(CLI::App& root, CommandContext& ctx) {
  AddCommand(
      root, "synth",
      "Generate SYNTHETIC microdata that reproduce a study's published tables (deterministic; "
      "respects the instrument's skip logic and choices)",
      [&ctx](CLI::App& synth) {
        auto opts = std::make_shared<SynthOptions>();
        synth.add_option("STUDY_DIR", opts->dir, "Study folder with a study.toml")->required();
        synth.add_option("-o,--output", opts->output,
                         "Folder to write to (default: the folder of the study's `data` file)");
        synth.add_option("--seed", opts->seed, "Seed (default: [synth] seed of study.toml)");
        synth.callback([&ctx, opts] { RunSynth(ctx, *opts); });
      });

  AddCommand(
      root, "report",
      "Write a study's report: design and fieldwork with response rates, every table with the "
      "published value beside the reproduced one, the audit, item nonresponse, charts",
      [&ctx](CLI::App& report) {
        auto opts = std::make_shared<ReportOptions>();
        report.add_option("STUDY_DIR", opts->dir, "Study folder with a study.toml")->required();
        report.add_option("-o,--output", opts->output, "Output folder (default: out)");
        report.add_option("--lang", opts->lang,
                          "A language of the form (code or name): the tables' labels in it");
        report.callback([&ctx, opts] { RunReport(ctx, *opts); });
      });
}

}  // namespace ngosurvey::cli
