#include "study/study.h"

#include <filesystem>

#include "base/file.h"
#include "base/toml_location.h"

namespace ngosurvey::study {
namespace {

class ConfigReader {
 public:
  explicit ConfigReader(const StudyConfig& config) : config_(config) {}

  Status CheckKeys(const toml::table& table, std::initializer_list<std::string_view> known,
                   std::string_view where) {
    for (const auto& [key, value] : table) {
      bool ok = false;
      for (std::string_view k : known) ok |= key.str() == k;
      if (!ok) {
        return MakeError("SD002",
                         "unknown key '" + std::string(key.str()) + "' in " + std::string(where),
                         TomlLocation(config_.config_file, value));
      }
    }
    return Ok();
  }

  Result<std::string> String(const toml::table& t, std::string_view key, bool required) {
    const toml::node* node = t.get(key);
    if (!node) {
      if (!required) return std::string();
      return MakeError("SD002", "missing key '" + std::string(key) + "'",
                       Location{.file = config_.config_file, .row = 1});
    }
    if (!node->is_string()) {
      return MakeError("SD002", "'" + std::string(key) + "' must be a string",
                       TomlLocation(config_.config_file, *node));
    }
    return std::string(node->as_string()->get());
  }

  // A file of the study, relative to its folder; it must exist.
  Result<std::string> Path(const toml::table& t, std::string_view key, bool required) {
    std::string relative = NGO_TRY(String(t, key, required));
    if (relative.empty()) return relative;
    std::string path = (std::filesystem::path(config_.dir) / relative).string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return MakeError("SD002",
                       "'" + std::string(key) + "' names " + path + ", which does not exist",
                       TomlLocation(config_.config_file, *t.get(key)));
    }
    return path;
  }

 private:
  const StudyConfig& config_;
};

}  // namespace

Result<StudyConfig> ReadStudyConfig(const std::string& dir) {
  StudyConfig config;
  config.dir = dir;
  config.config_file = (std::filesystem::path(dir) / "study.toml").string();
  std::string text = NGO_TRY(ReadFile(config.config_file, 1 << 20));
  toml::table root = NGO_TRY(ParseToml(text, config.config_file, "SD001"));
  ConfigReader reader(config);
  NGO_TRY(reader.CheckKeys(root,
                           {"format", "title", "source", "instrument", "tables", "frame", "data",
                            "synthetic", "published", "bases", "group", "synth", "network"},
                           "study.toml"));
  std::string format = NGO_TRY(reader.String(root, "format", true));
  if (format != "ngosurvey-study/1") {
    return MakeError("SD002", "format must be \"ngosurvey-study/1\", not \"" + format + "\"",
                     TomlLocation(config.config_file, *root.get("format")));
  }
  config.title = NGO_TRY(reader.String(root, "title", true));
  config.source = NGO_TRY(reader.String(root, "source", false));
  config.instrument = NGO_TRY(reader.Path(root, "instrument", true));
  config.tables = NGO_TRY(reader.Path(root, "tables", true));
  config.frame = NGO_TRY(reader.Path(root, "frame", true));
  // The data may not exist yet: `ngosurvey synth` writes them.
  std::string data = NGO_TRY(reader.String(root, "data", true));
  config.data = (std::filesystem::path(dir) / data).string();
  config.published = NGO_TRY(reader.Path(root, "published", false));
  config.bases = NGO_TRY(reader.Path(root, "bases", false));
  config.network = NGO_TRY(reader.Path(root, "network", false));
  if (config.published.empty() != config.bases.empty()) {
    return MakeError("SD002", "'published' and 'bases' go together: the audit needs both",
                     Location{.file = config.config_file, .row = 1});
  }
  if (const toml::node* node = root.get("synthetic")) {
    if (!node->is_boolean()) {
      return MakeError("SD002", "'synthetic' must be true or false",
                       TomlLocation(config.config_file, *node));
    }
    config.synthetic = node->as_boolean()->get();
  }
  if (std::string group = NGO_TRY(reader.String(root, "group", false)); !group.empty())
    config.group = group;
  if (const toml::node* node = root.get("synth")) {
    if (!node->is_table()) {
      return MakeError("SD002", "[synth] must be a table", TomlLocation(config.config_file, *node));
    }
    const toml::table& synth = *node->as_table();
    NGO_TRY(reader.CheckKeys(synth, {"seed", "fixed"}, "[synth]"));
    if (const toml::node* seed = synth.get("seed")) {
      if (!seed->is_integer() || seed->as_integer()->get() < 0) {
        return MakeError("SD002", "[synth] seed must be a non-negative integer",
                         TomlLocation(config.config_file, *seed));
      }
      config.seed = static_cast<uint64_t>(seed->as_integer()->get());
    }
    if (const toml::node* fixed = synth.get("fixed")) {
      if (!fixed->is_table()) {
        return MakeError("SD002", "[synth] fixed must be a table of answers",
                         TomlLocation(config.config_file, *fixed));
      }
      for (const auto& [key, value] : *fixed->as_table()) {
        if (!value.is_string()) {
          return MakeError("SD002", "[synth] fixed." + std::string(key.str()) + " must be a string",
                           TomlLocation(config.config_file, value));
        }
        config.fixed[std::string(key.str())] = std::string(value.as_string()->get());
      }
    }
  }
  return config;
}

Result<StudyInputs> LoadStudyInputs(const std::string& dir) {
  StudyInputs in;
  in.config = NGO_TRY(ReadStudyConfig(dir));
  in.form = NGO_TRY(form::LoadFormFile(in.config.instrument, &in.form_diagnostics));
  if (in.form_diagnostics.error_count() > 0) {
    return MakeError(
        "SD003",
        "the instrument has errors; run `ngosurvey form check " + in.config.instrument + "`",
        Location{.file = in.config.instrument});
  }
  in.specs = NGO_TRY(analysis::ReadTableSpecs(in.config.tables));
  in.frame = NGO_TRY(fieldwork::ReadFrame(in.config.frame, &in.frame_diagnostics));
  if (!in.config.published.empty()) {
    in.audit = NGO_TRY(AuditPublishedFiles(in.config.published, in.config.bases));
  }
  if (!in.config.network.empty())
    in.network = NGO_TRY(analysis::LoadNetworkSpec(in.config.network));
  return in;
}

bool IsCompletedInterview(const fieldwork::FrameCase& c) {
  return c.disposition && c.disposition->category == fieldwork::RateCategory::kComplete;
}

std::vector<SynthRespondent> CompletedInterviews(const StudyInputs& inputs) {
  std::vector<SynthRespondent> out;
  for (const fieldwork::FrameCase& c : inputs.frame.cases) {
    if (IsCompletedInterview(c)) out.push_back({c.org_id, c.stratum});
  }
  return out;
}

Result<SynthResult> SynthesizeStudy(const StudyInputs& inputs) {
  if (!inputs.audit) {
    return MakeError("SD002", "synthesis needs the published tables: set 'published' and 'bases'",
                     Location{.file = inputs.config.config_file, .row = 1});
  }
  SynthOptions options;
  options.seed = inputs.config.seed;
  options.group_column = inputs.config.group;
  options.fixed = inputs.config.fixed;
  auto refused = inputs.form.settings.values.find("missing_refused");
  if (refused != inputs.form.settings.values.end() && !refused->second.empty()) {
    options.refused_code = refused->second;
  }
  auto dont_know = inputs.form.settings.values.find("missing_dont_know");
  if (dont_know != inputs.form.settings.values.end() && !dont_know->second.empty()) {
    options.dont_know_code = dont_know->second;
  }
  return Synthesize(inputs.form, inputs.specs, *inputs.audit, CompletedInterviews(inputs), options);
}

}  // namespace ngosurvey::study
