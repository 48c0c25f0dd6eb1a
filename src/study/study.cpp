#include "study/study.h"

#include <filesystem>

#include "analysis/units.h"
#include "base/file.h"
#include "base/toml_location.h"

namespace ngosurvey::study {

// --- Units ---------------------------------------------------------------------------

const std::pair<std::string, std::string>& UnitWords::In(std::string_view language) const {
  auto it = by_language.find(std::string(language));
  // English is always there: ReadUnit and KnownUnitWords require it.
  return it != by_language.end() ? it->second : by_language.at("en");
}

const std::string& UnitWords::One(std::string_view language) const { return In(language).first; }

const std::string& UnitWords::Other(std::string_view language) const { return In(language).second; }

std::string UnitWords::Count(size_t n, std::string_view language) const {
  return std::to_string(n) + " " + (n == 1 ? One(language) : Other(language));
}

std::optional<UnitWords> KnownUnitWords(std::string_view english) {
  // Khmer and Vietnamese have no plural inflection; the drafts await native-speaker
  // review, like the interview's words (interview/messages.cpp).
  struct Known {
    std::string_view en_one, en_other, km, vi;
  };
  static constexpr Known kKnown[] = {
      {"organisation", "organisations", "អង្គការ", "tổ chức"},
      {"organization", "organizations", "អង្គការ", "tổ chức"},
      {"household", "households", "គ្រួសារ", "hộ gia đình"},
      {"person", "people", "មនុស្ស", "người"},
      {"respondent", "respondents", "អ្នកឆ្លើយ", "người trả lời"},
      {"school", "schools", "សាលារៀន", "trường học"},
      {"health facility", "health facilities", "មណ្ឌលសុខភាព", "cơ sở y tế"},
      {"village", "villages", "ភូមិ", "thôn"},
      {"business", "businesses", "អាជីវកម្ម", "doanh nghiệp"},
  };
  for (const Known& k : kKnown) {
    if (k.en_one != english) continue;
    UnitWords words;
    words.by_language["en"] = {std::string(k.en_one), std::string(k.en_other)};
    words.by_language["km"] = {std::string(k.km), std::string(k.km)};
    words.by_language["vi"] = {std::string(k.vi), std::string(k.vi)};
    return words;
  }
  return std::nullopt;
}

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

  // A text of the study's own that may differ by language: a string, or a table of
  // language codes to strings with English required (`title = { en = "...", vi = "..." }`,
  // as `[unit]` gives its words). Returns the English (or only) text; every language's
  // text goes into `by_language` when given.
  Result<std::string> LocalText(const toml::table& t, std::string_view key, bool required,
                                std::map<std::string, std::string>* by_language) {
    const toml::node* node = t.get(key);
    if (!node || node->is_string()) return String(t, key, required);
    const toml::table* texts = node->as_table();
    if (!texts) {
      return MakeError("SD002",
                       "'" + std::string(key) +
                           "' must be a string or a table of languages (en = \"...\", vi = "
                           "\"...\")",
                       TomlLocation(config_.config_file, *node));
    }
    for (const auto& [language, value] : *texts) {
      if (!value.is_string()) {
        return MakeError("SD002",
                         std::string(key) + "." + std::string(language.str()) + " must be a string",
                         TomlLocation(config_.config_file, value));
      }
      (*by_language)[std::string(language.str())] = std::string(value.as_string()->get());
    }
    auto en = by_language->find("en");
    if (en == by_language->end()) {
      return MakeError("SD002", "'" + std::string(key) + "' needs its English text (en = \"...\")",
                       TomlLocation(config_.config_file, *node));
    }
    return en->second;
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

// `unit = "household"` (a known unit: KnownUnitWords) or a table of the study's own
// words, `[unit]` with `en = ["household", "households"]` and any other language.
Result<UnitWords> ReadUnit(const StudyConfig& config, const toml::node& node) {
  if (const auto* name = node.as_string()) {
    auto known = KnownUnitWords(name->get());
    if (!known) {
      return MakeError("SD002",
                       "unit \"" + std::string(name->get()) +
                           "\" is not one ngosurvey knows the words of (organisation, household, "
                           "person, respondent, school, health facility, village, business); give "
                           "them as [unit] en = [\"one\", \"many\"]",
                       TomlLocation(config.config_file, node));
    }
    return *known;
  }
  const auto* table = node.as_table();
  if (!table) {
    return MakeError("SD002", "'unit' must be a name or a table of words per language",
                     TomlLocation(config.config_file, node));
  }
  UnitWords words;
  for (const auto& [language, value] : *table) {
    const auto* pair = value.as_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return MakeError(
          "SD002", "unit." + std::string(language.str()) + " must be [\"singular\", \"plural\"]",
          TomlLocation(config.config_file, value));
    }
    words.by_language[std::string(language.str())] = {std::string((*pair)[0].as_string()->get()),
                                                      std::string((*pair)[1].as_string()->get())};
  }
  if (!words.by_language.count("en")) {
    return MakeError("SD002", "[unit] needs the English words: en = [\"one\", \"many\"]",
                     TomlLocation(config.config_file, node));
  }
  return words;
}

}  // namespace

// Long on purpose: study.toml's keys in the order docs/formats/study.md gives them.
// NOLINTNEXTLINE(readability-function-size)
Result<StudyConfig> ReadStudyConfig(const std::string& dir) {
  StudyConfig config;
  config.dir = dir;
  config.config_file = (std::filesystem::path(dir) / "study.toml").string();
  std::string text = NGO_TRY(ReadFile(config.config_file, 1 << 20));
  toml::table root = NGO_TRY(ParseToml(text, config.config_file, "SD001"));
  ConfigReader reader(config);
  NGO_TRY(reader.CheckKeys(
      root, {"format",   "title",     "source",    "instrument",  "tables",       "frame",
             "data",     "synthetic", "published", "bases",       "group",        "synth",
             "network",  "unit",      "mode",      "design",      "notes",        "repeats",
             "codebook", "codings",   "coder",     "qualitative", "pseudonym_key"},
      "study.toml"));
  std::string format = NGO_TRY(reader.String(root, "format", true));
  if (format != "ngosurvey-study/1") {
    return MakeError("SD002", "format must be \"ngosurvey-study/1\", not \"" + format + "\"",
                     TomlLocation(config.config_file, *root.get("format")));
  }
  config.title = NGO_TRY(reader.LocalText(root, "title", true, &config.title_by_language));
  config.source = NGO_TRY(reader.String(root, "source", false));
  config.instrument = NGO_TRY(reader.Path(root, "instrument", true));
  config.tables = NGO_TRY(reader.Path(root, "tables", true));
  config.frame = NGO_TRY(reader.Path(root, "frame", false));
  // The data may not exist yet: `ngosurvey synth` writes them.
  std::string data = NGO_TRY(reader.String(root, "data", true));
  config.data = (std::filesystem::path(dir) / data).string();
  if (const toml::node* node = root.get("repeats")) {
    if (!node->is_table()) {
      return MakeError("SD002", "'repeats' must be a table: { NAME = \"FILE.csv\" }",
                       TomlLocation(config.config_file, *node));
    }
    for (const auto& [name, value] : *node->as_table()) {
      if (!value.is_string()) {
        return MakeError("SD002", "repeats." + std::string(name.str()) + " must be a file name",
                         TomlLocation(config.config_file, value));
      }
      config.repeats[std::string(name.str())] =
          (std::filesystem::path(dir) / std::string(value.as_string()->get())).string();
    }
  }
  config.published = NGO_TRY(reader.Path(root, "published", false));
  config.bases = NGO_TRY(reader.Path(root, "bases", false));
  config.network = NGO_TRY(reader.Path(root, "network", false));
  config.codebook = NGO_TRY(reader.Path(root, "codebook", false));
  // The codings may not exist yet: `ngosurvey synth` writes a synthetic study's.
  if (std::string codings = NGO_TRY(reader.String(root, "codings", false)); !codings.empty())
    config.codings = (std::filesystem::path(dir) / codings).string();
  config.coder = NGO_TRY(reader.String(root, "coder", false));
  config.qualitative = NGO_TRY(reader.Path(root, "qualitative", false));
  config.pseudonym_key = NGO_TRY(reader.Path(root, "pseudonym_key", false));
  if (!config.qualitative.empty() && config.codebook.empty()) {
    return MakeError("SD002",
                     "'qualitative' counts themes: name the 'codebook' and the 'codings' too",
                     TomlLocation(config.config_file, *root.get("qualitative")));
  }
  if (config.codebook.empty() != config.codings.empty()) {
    return MakeError("SD002", "'codebook' and 'codings' go together: the themes and who coded what",
                     Location{.file = config.config_file, .row = 1});
  }
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
  config.unit = *KnownUnitWords("organisation");
  if (const toml::node* node = root.get("unit")) config.unit = NGO_TRY(ReadUnit(config, *node));
  config.mode = NGO_TRY(reader.LocalText(root, "mode", false, &config.mode_by_language));
  if (const toml::node* node = root.get("notes")) {
    if (!node->is_table()) {
      return MakeError("SD002", "[notes] must be a table", TomlLocation(config.config_file, *node));
    }
    const toml::table& notes = *node->as_table();
    NGO_TRY(reader.CheckKeys(notes, {"design", "fieldwork", "nonresponse", "network"}, "[notes]"));
    for (const auto& [section, value] : notes) {
      std::string name(section.str());
      config.notes[name] =
          NGO_TRY(reader.LocalText(notes, section.str(), true, &config.notes_by_language[name]));
    }
  }
  if (const toml::node* node = root.get("design")) {
    if (!node->is_table()) {
      return MakeError("SD002", "[design] must be a table",
                       TomlLocation(config.config_file, *node));
    }
    const toml::table& design = *node->as_table();
    NGO_TRY(reader.CheckKeys(
        design, {"weight", "strata", "cluster", "fpc", "lonely_psu", "design_interval"},
        "[design]"));
    config.design.weight = NGO_TRY(reader.String(design, "weight", false));
    config.design.strata = NGO_TRY(reader.String(design, "strata", false));
    config.design.cluster = NGO_TRY(reader.String(design, "cluster", false));
    config.design.fpc = NGO_TRY(reader.String(design, "fpc", false));
    if (const toml::node* lonely = design.get("lonely_psu")) {
      auto parsed = analysis::ParseLonelyPsu(NGO_TRY(reader.String(design, "lonely_psu", false)));
      if (!parsed) {
        return MakeError("SD002", "[design] " + parsed.error().message,
                         TomlLocation(config.config_file, *lonely));
      }
      config.design.lonely_psu = *parsed;
    }
    if (const toml::node* interval = design.get("design_interval")) {
      auto parsed = analysis::ParseProportionInterval(
          NGO_TRY(reader.String(design, "design_interval", false)));
      if (!parsed) {
        return MakeError("SD002", "[design] " + parsed.error().message,
                         TomlLocation(config.config_file, *interval));
      }
      config.design.interval = *parsed;
    }
  }
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
  for (auto& spec : in.specs) {
    if (!spec.design.used() && in.config.design.used()) spec.design = in.config.design;
  }
  if (!in.config.frame.empty())
    in.frame = NGO_TRY(fieldwork::ReadFrame(in.config.frame, &in.frame_diagnostics));
  if (!in.config.published.empty()) {
    in.audit = NGO_TRY(AuditPublishedFiles(in.config.published, in.config.bases));
  }
  if (!in.config.network.empty())
    in.network = NGO_TRY(analysis::LoadNetworkSpec(in.config.network));
  if (!in.config.codebook.empty()) in.codebook = NGO_TRY(form::LoadCodebook(in.config.codebook));
  if (!in.config.qualitative.empty()) {
    in.qualitative_specs = NGO_TRY(analysis::ReadTableSpecs(in.config.qualitative));
    bool quotes = false;
    for (const auto& spec : in.qualitative_specs) {
      for (const auto& row : spec.rows) quotes |= row.quotes > 0;
    }
    if (quotes && in.config.pseudonym_key.empty()) {
      return MakeError("SD002",
                       "quotes are attributed by pseudonym only: name the key file of the "
                       "pseudonyms (pseudonym_key = \"FILE\", at least 16 random bytes)",
                       Location{.file = in.config.config_file});
    }
  }
  for (const auto& [name, file] : in.config.repeats) {
    const form::Question* q = in.form.FindQuestion(name);
    if (!q || !q->is_repeat()) {
      return MakeError("SD002", "repeats." + name + ": the instrument has no repeat '" + name + "'",
                       Location{.file = in.config.config_file});
    }
  }
  return in;
}

std::map<std::string, std::string> RepeatFiles(const StudyInputs& inputs) {
  std::map<std::string, std::string> files = inputs.config.repeats;
  for (const form::Question& q : inputs.form.questions) {
    if (q.is_repeat() && !files.count(q.name)) {
      files[q.name] = analysis::DefaultRepeatPath(inputs.config.data, q.name);
    }
  }
  return files;
}

bool IsCompletedInterview(const fieldwork::FrameCase& c) {
  return c.disposition && c.disposition->category == fieldwork::RateCategory::kComplete;
}

std::vector<SynthRespondent> CompletedInterviews(const StudyInputs& inputs) {
  std::vector<SynthRespondent> out;
  if (!inputs.frame) return out;
  for (const fieldwork::FrameCase& c : inputs.frame->cases) {
    if (IsCompletedInterview(c)) out.push_back({c.org_id, c.stratum});
  }
  return out;
}

Result<SynthResult> SynthesizeStudy(const StudyInputs& inputs) {
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
  // Without published tables there is nothing to aim at: answers follow the form's
  // rules alone (skip logic, choice lists, constraints).
  static const AuditReport kNothingPublished;
  SynthResult result = NGO_TRY(Synthesize(inputs.form, inputs.specs,
                                          inputs.audit ? *inputs.audit : kNothingPublished,
                                          CompletedInterviews(inputs), options));
  // A synthetic study's open answers and their codings, from its codebook.
  if (inputs.codebook && inputs.config.synthetic) {
    result.codings_csv =
        NGO_TRY(SynthesizeOpenAnswers(*inputs.codebook, &result, inputs.config.seed));
  }
  return result;
}

}  // namespace ngosurvey::study
