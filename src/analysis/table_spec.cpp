// Table specs in TOML (docs/formats/table-spec.md):
//
//   [[table]]                 one per table, in order
//   id, title, notes, by, unit, total, percent_decimals, level, denominator, filter,
//   min_count, min_base, suppress,
//   weight, strata, cluster, fpc, lonely_psu, design_interval (the sampling design)
//   [[table.row]]             one per row block, in order
//   item, label, options, derived, number, filter, denominator, eligible,
//   statistics, bins, mentions, coder (a theme item's: analysis/themes.h)
//
// Unknown keys are errors, so a misspelt key never silently does nothing.
#include <map>
#include <set>

#include "analysis/table.h"
#include "analysis/themes.h"
#include "base/file.h"
#include "base/toml_location.h"

namespace ngosurvey::analysis {
namespace {

class SpecReader {
 public:
  explicit SpecReader(std::string file) : file_(std::move(file)) {}

  Result<std::vector<TableSpec>> Read(const toml::table& root) {
    NGO_TRY(CheckKeys(root, {"table", "title", "description"}, "the spec"));
    const toml::node* tables = root.get("table");
    if (!tables || !tables->is_array_of_tables()) {
      Location where;
      where.file = file_;
      where.row = 1;
      return MakeError("TS002", "no [[table]] in the spec", where);
    }
    std::vector<TableSpec> specs;
    std::set<std::string> ids;
    for (const toml::node& node : *tables->as_array()) {
      TableSpec spec = NGO_TRY(ReadTable(*node.as_table()));
      if (!ids.insert(spec.id).second) {
        return MakeError("TS003", "table id '" + spec.id + "' is used twice",
                         TomlLocation(file_, node));
      }
      specs.push_back(std::move(spec));
    }
    return specs;
  }

 private:
  Status CheckKeys(const toml::table& table, std::initializer_list<std::string_view> known,
                   std::string_view what) {
    for (const auto& [key, value] : table) {
      bool ok = false;
      for (std::string_view k : known) ok |= key.str() == k;
      if (!ok) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return MakeError("TS002",
                         "unknown key '" + std::string(key.str()) + "' in " + std::string(what) +
                             " (known: " + list + ")",
                         TomlLocation(file_, value));
      }
    }
    return Ok();
  }

  Result<std::string> String(const toml::table& t, std::string_view key, bool required = false) {
    const toml::node* node = t.get(key);
    if (!node) {
      if (required) {
        return MakeError("TS002", "missing key '" + std::string(key) + "'", TomlLocation(file_, t));
      }
      return std::string();
    }
    if (!node->is_string()) {
      return MakeError("TS002", "'" + std::string(key) + "' must be a string",
                       TomlLocation(file_, *node));
    }
    return std::string(*node->value<std::string>());
  }

  // A text people read that may differ by language: a string, or a table of language
  // codes (the form's) to strings with English required, as study.toml writes its own
  // texts (`title = { en = "...", vi = "..." }`). Returns the English (or only) text;
  // every language's goes into `by_language`.
  Result<std::string> LocalString(const toml::table& t, std::string_view key,
                                  std::map<std::string, std::string>* by_language) {
    const toml::node* node = t.get(key);
    if (!node || !node->is_table()) return String(t, key);
    NGO_TRY(LanguageTable(
        *node, key, [&](const std::string& language, const toml::node& value) -> Status {
          if (!value.is_string()) {
            return MakeError("TS002",
                             "'" + std::string(key) + "." + language + "' must be a string",
                             TomlLocation(file_, value));
          }
          (*by_language)[language] = *value.value<std::string>();
          return Ok();
        }));
    return by_language->at("en");
  }

  // As LocalString for a string or an array of strings (`notes`).
  Result<std::vector<std::string>> LocalStrings(
      const toml::table& t, std::string_view key,
      std::map<std::string, std::vector<std::string>>* by_language) {
    const toml::node* node = t.get(key);
    if (!node || !node->is_table()) return Strings(t, key);
    const toml::table& texts = *node->as_table();
    NGO_TRY(
        LanguageTable(*node, key, [&](const std::string& language, const toml::node&) -> Status {
          (*by_language)[language] = NGO_TRY(Strings(texts, language));
          return Ok();
        }));
    return by_language->at("en");
  }

  template <typename Each>
  Status LanguageTable(const toml::node& node, std::string_view key, Each each) {
    const toml::table& texts = *node.as_table();
    for (const auto& [language, value] : texts) NGO_TRY(each(std::string(language.str()), value));
    if (!texts.contains("en")) {
      return MakeError("TS002",
                       "'" + std::string(key) + "' by language needs its English text (en = ...)",
                       TomlLocation(file_, node));
    }
    return Ok();
  }

  // A string or an array of strings.
  Result<std::vector<std::string>> Strings(const toml::table& t, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (!node) return out;
    if (node->is_string()) {
      out.push_back(*node->value<std::string>());
      return out;
    }
    if (node->is_array()) {
      for (const toml::node& item : *node->as_array()) {
        if (!item.is_string()) {
          return MakeError("TS002", "'" + std::string(key) + "' must hold strings",
                           TomlLocation(file_, item));
        }
        out.push_back(*item.value<std::string>());
      }
      return out;
    }
    return MakeError("TS002", "'" + std::string(key) + "' must be a string or an array of strings",
                     TomlLocation(file_, *node));
  }

  Result<int64_t> Integer(const toml::table& t, std::string_view key, int64_t fallback, int64_t lo,
                          int64_t hi) {
    const toml::node* node = t.get(key);
    if (!node) return fallback;
    if (!node->is_integer()) {
      return MakeError("TS002", "'" + std::string(key) + "' must be a whole number",
                       TomlLocation(file_, *node));
    }
    int64_t value = *node->value<int64_t>();
    if (value < lo || value > hi) {
      return MakeError("TS003",
                       "'" + std::string(key) + "' must be between " + std::to_string(lo) +
                           " and " + std::to_string(hi),
                       TomlLocation(file_, *node));
    }
    return value;
  }

  Result<bool> Boolean(const toml::table& t, std::string_view key, bool fallback) {
    const toml::node* node = t.get(key);
    if (!node) return fallback;
    if (!node->is_boolean()) {
      return MakeError("TS002", "'" + std::string(key) + "' must be true or false",
                       TomlLocation(file_, *node));
    }
    return *node->value<bool>();
  }

  Result<DenominatorRule> Denominator(const toml::table& t, DenominatorRule fallback) {
    const toml::node* node = t.get("denominator");
    if (!node) return fallback;
    std::string text = NGO_TRY(String(t, "denominator"));
    if (text == "answered") return DenominatorRule::kAnswered;
    if (text == "all") return DenominatorRule::kAll;
    if (text == "eligible") return DenominatorRule::kEligible;
    return MakeError(
        "TS003", "denominator must be \"answered\", \"all\" or \"eligible\", not \"" + text + "\"",
        TomlLocation(file_, *node));
  }

  Result<TableSpec> ReadTable(const toml::table& t) {
    NGO_TRY(CheckKeys(t,
                      {"id",
                       "title",
                       "notes",
                       "by",
                       "unit",
                       "total",
                       "percent_decimals",
                       "level",
                       "denominator",
                       "filter",
                       "min_count",
                       "min_base",
                       "suppress",
                       "weight",
                       "strata",
                       "cluster",
                       "fpc",
                       "lonely_psu",
                       "design_interval",
                       "row"},
                      "[[table]]"));
    TableSpec spec;
    spec.file = file_;
    spec.line = TomlLocation(file_, t).row;
    spec.id = NGO_TRY(String(t, "id", true));
    spec.title = NGO_TRY(LocalString(t, "title", &spec.title_by_language));
    spec.notes = NGO_TRY(LocalStrings(t, "notes", &spec.notes_by_language));
    spec.unit = NGO_TRY(String(t, "unit"));
    spec.by = NGO_TRY(Strings(t, "by"));
    spec.total = NGO_TRY(Boolean(t, "total", false));
    spec.percent_decimals = static_cast<int>(NGO_TRY(Integer(t, "percent_decimals", 1, 0, 6)));
    spec.min_count = static_cast<int>(NGO_TRY(Integer(t, "min_count", 3, 0, 1000000)));
    spec.min_base = static_cast<int>(NGO_TRY(Integer(t, "min_base", 0, 0, 1000000)));
    spec.suppress = NGO_TRY(Boolean(t, "suppress", false));
    spec.filter = NGO_TRY(String(t, "filter"));
    spec.denominator = NGO_TRY(Denominator(t, DenominatorRule::kAnswered));
    spec.design.weight = NGO_TRY(String(t, "weight"));
    spec.design.strata = NGO_TRY(String(t, "strata"));
    spec.design.cluster = NGO_TRY(String(t, "cluster"));
    spec.design.fpc = NGO_TRY(String(t, "fpc"));
    if (const toml::node* node = t.get("lonely_psu")) {
      auto lonely = ParseLonelyPsu(NGO_TRY(String(t, "lonely_psu")));
      if (!lonely) {
        return MakeError("TS003", lonely.error().message, TomlLocation(file_, *node));
      }
      spec.design.lonely_psu = *lonely;
    }
    if (const toml::node* node = t.get("design_interval")) {
      auto method = ParseProportionInterval(NGO_TRY(String(t, "design_interval")));
      if (!method) {
        return MakeError("TS003", method.error().message, TomlLocation(file_, *node));
      }
      spec.design.interval = *method;
    }
    if (const toml::node* level = t.get("level")) {
      std::optional<double> value = level->value<double>();
      if (!value || *value <= 0 || *value >= 1) {
        return MakeError("TS003", "'level' must be a number strictly between 0 and 1 (0.95)",
                         TomlLocation(file_, *level));
      }
      spec.level = *value;
    }
    const toml::node* rows = t.get("row");
    if (!rows || !rows->is_array_of_tables()) {
      return MakeError("TS002", "table '" + spec.id + "' has no [[table.row]]",
                       TomlLocation(file_, t));
    }
    for (const toml::node& node : *rows->as_array()) {
      spec.rows.push_back(NGO_TRY(ReadRow(*node.as_table(), spec)));
    }
    return spec;
  }

  Result<RowSpec> ReadRow(const toml::table& t, const TableSpec& table) {
    NGO_TRY(
        CheckKeys(t,
                  {"item", "label", "options", "derived", "number", "filter", "denominator",
                   "eligible", "statistics", "bins", "mentions", "coder", "quotes", "quote_seed"},
                  "[[table.row]]"));
    RowSpec row;
    row.line = TomlLocation(file_, t).row;
    row.item = NGO_TRY(String(t, "item", true));
    row.label = NGO_TRY(LocalString(t, "label", &row.label_by_language));
    row.options = NGO_TRY(Strings(t, "options"));
    row.derived = NGO_TRY(String(t, "derived"));
    if (std::string number = NGO_TRY(String(t, "number")); !number.empty()) {
      if (!row.derived.empty()) {
        return MakeError("TS002", "a row is 'derived' (yes/no) or 'number', not both",
                         TomlLocation(file_, t));
      }
      row.derived = std::move(number);
      row.derived_number = true;
    }
    row.filter = NGO_TRY(String(t, "filter"));
    row.denominator = NGO_TRY(Denominator(t, table.denominator));
    row.eligible = NGO_TRY(String(t, "eligible"));
    if (row.denominator == DenominatorRule::kEligible && row.eligible.empty()) {
      return MakeError("TS002", "denominator = \"eligible\" needs an 'eligible' expression",
                       TomlLocation(file_, t));
    }
    row.statistics = NGO_TRY(Strings(t, "statistics"));
    for (const std::string& stat : row.statistics) {
      static const std::set<std::string> kKnown = {"n", "mean", "se", "sd", "median", "min", "max"};
      if (!kKnown.count(stat)) {
        return MakeError("TS003",
                         "unknown statistic '" + stat + "' (n, mean, se, sd, median, min, max)",
                         TomlLocation(file_, *t.get("statistics")));
      }
    }
    if (const toml::node* bins = t.get("bins")) {
      if (!bins->is_array()) {
        return MakeError("TS002", "'bins' must be an array of numbers", TomlLocation(file_, *bins));
      }
      for (const toml::node& edge : *bins->as_array()) {
        std::optional<double> value = edge.value<double>();
        if (!value)
          return MakeError("TS002", "'bins' must hold numbers", TomlLocation(file_, edge));
        if (!row.bins.empty() && *value <= row.bins.back()) {
          return MakeError("TS003", "bin edges must increase", TomlLocation(file_, edge));
        }
        row.bins.push_back(*value);
      }
      if (row.bins.size() < 2) {
        return MakeError("TS003", "'bins' needs at least two edges", TomlLocation(file_, *bins));
      }
    }
    row.mentions = NGO_TRY(Boolean(t, "mentions", false));
    row.coder = NGO_TRY(String(t, "coder"));
    if (const toml::node* coder = t.get("coder")) {
      if (!ThemeItemQuestion(row.item)) {
        return MakeError(
            "TS002",
            "'coder' is for a theme item (item = \"themes(QUESTION)\"), not '" + row.item + "'",
            TomlLocation(file_, *coder));
      }
      if (row.coder.empty()) {
        return MakeError("TS003", "'coder' names a coder; leave it out for the agreed codes",
                         TomlLocation(file_, *coder));
      }
    }
    for (const char* key : {"quotes", "quote_seed"}) {
      const toml::node* node = t.get(key);
      if (!node) continue;
      if (!ThemeItemQuestion(row.item)) {
        return MakeError("TS002",
                         "'" + std::string(key) +
                             "' is for a theme item (item = \"themes(QUESTION)\"), not '" +
                             row.item + "'",
                         TomlLocation(file_, *node));
      }
      std::optional<int64_t> value = node->value<int64_t>();
      if (!node->is_integer() || !value) {
        return MakeError("TS002", "'" + std::string(key) + "' must be a whole number",
                         TomlLocation(file_, *node));
      }
      bool quotes = std::string_view(key) == "quotes";
      if (*value < 0 || (quotes && *value > kMaxQuotesPerTheme)) {
        return MakeError(
            "TS003",
            quotes ? "'quotes' is 0 to " + std::to_string(kMaxQuotesPerTheme) + " quotes per theme"
                   : std::string("'quote_seed' must not be negative"),
            TomlLocation(file_, *node));
      }
      if (quotes) {
        row.quotes = static_cast<int>(*value);
      } else {
        row.quote_seed = static_cast<uint64_t>(*value);
      }
    }
    return row;
  }

  std::string file_;
};

}  // namespace

Result<std::vector<TableSpec>> ParseTableSpecs(std::string_view toml_text,
                                               const std::string& file) {
  toml::table root = NGO_TRY(ParseToml(toml_text, file, "TS001"));
  return SpecReader(file).Read(root);
}

void UseLanguage(std::string_view language, TableSpec* spec) {
  auto pick = [&](const auto& by_language, auto* text) {
    auto it = by_language.find(std::string(language));
    if (it != by_language.end()) *text = it->second;
  };
  pick(spec->title_by_language, &spec->title);
  pick(spec->notes_by_language, &spec->notes);
  for (RowSpec& row : spec->rows) pick(row.label_by_language, &row.label);
}

Result<std::vector<TableSpec>> ReadTableSpecs(const std::string& path) {
  std::string text = NGO_TRY(ReadFile(path));
  return ParseTableSpecs(text, path);
}

}  // namespace ngosurvey::analysis
