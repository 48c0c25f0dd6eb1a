// Codebook reader (docs/formats/codebook.md). The grammar, in TOML terms:
//
//   version   = string                       required
//   title     = string                       optional
//   languages = [string, ...]                optional; the first is the default
//   questions = [string, ...]                optional
//   [[theme]]                                one per theme, in order
//   id = name, parent = name, label = TEXT, definition = TEXT, inclusion = TEXT,
//   exclusion = TEXT, example = TEXT         where TEXT = string | { lang = string, ... }
//
// Unknown keys are errors, so a misspelt key never silently does nothing.
#include "form/codebook.h"

#include <algorithm>
#include <unordered_map>

#include "base/file.h"
#include "base/toml_location.h"

namespace ngosurvey::form {

std::string LangText::Get(std::string_view language, std::string_view default_language) const {
  for (const auto& [lang, text] : texts) {
    if (!language.empty() && lang == language) return text;
  }
  for (const auto& [lang, text] : texts) {
    if (lang.empty()) return text;
  }
  for (const auto& [lang, text] : texts) {
    if (!default_language.empty() && lang == default_language) return text;
  }
  return texts.empty() ? std::string() : texts.front().second;
}

bool IsThemeId(std::string_view id) {
  if (id.empty() || id.size() > kMaxThemeIdBytes) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(id.front())) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

const Theme* Codebook::Find(std::string_view id) const {
  for (const Theme& theme : themes) {
    if (theme.id == id) return &theme;
  }
  return nullptr;
}

std::vector<size_t> Codebook::Children(std::string_view id) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < themes.size(); ++i) {
    if (themes[i].parent == id) out.push_back(i);
  }
  return out;
}

std::vector<std::string> Codebook::Ancestors(std::string_view id) const {
  std::vector<std::string> out;
  const Theme* theme = Find(id);
  // The parser refused cycles; the bound keeps a hand-built codebook from looping.
  while (theme != nullptr && !theme->parent.empty() && out.size() <= themes.size()) {
    out.push_back(theme->parent);
    theme = Find(theme->parent);
  }
  return out;
}

int Codebook::Depth(std::string_view id) const { return static_cast<int>(Ancestors(id).size()); }

bool Codebook::AppliesTo(std::string_view id, std::string_view question) const {
  for (const Theme* theme = Find(id); theme != nullptr; theme = Find(theme->parent)) {
    if (theme->questions.empty()) {
      if (theme->parent.empty()) break;
      continue;
    }
    return std::find(theme->questions.begin(), theme->questions.end(), question) !=
           theme->questions.end();
  }
  return true;
}

namespace {

class CodebookReader {
 public:
  explicit CodebookReader(std::string file) : file_(std::move(file)) {}

  Result<Codebook> Read(const toml::table& root) {
    Codebook book;
    book.file = file_;
    NGO_TRY(
        CheckKeys(root, {"version", "title", "languages", "questions", "theme"}, "the codebook"));
    const toml::node* version = root.get("version");
    if (version == nullptr) {
      return MakeError("CB002", "missing key 'version' (the codebook's version, a string)",
                       Line(1));
    }
    if (!version->is_string() || version->value<std::string>()->empty()) {
      return MakeError("CB002", "'version' must be a non-empty string",
                       TomlLocation(file_, *version));
    }
    book.version = *version->value<std::string>();
    book.title = NGO_TRY(String(root, "title"));
    book.languages = NGO_TRY(Names(root, "languages"));
    book.questions = NGO_TRY(Names(root, "questions"));

    const toml::node* themes = root.get("theme");
    if (themes == nullptr) return MakeError("CB002", "no [[theme]] in the codebook", Line(1));
    if (!themes->is_array_of_tables()) {
      return MakeError("CB002", "'theme' must be [[theme]] tables", TomlLocation(file_, *themes));
    }
    const toml::array& array = *themes->as_array();
    if (array.size() > kMaxThemes) {
      return MakeError("CB002", "more than " + std::to_string(kMaxThemes) + " themes",
                       TomlLocation(file_, *themes));
    }
    std::unordered_map<std::string, size_t> index;
    for (const toml::node& node : array) {
      Theme theme = NGO_TRY(ReadTheme(*node.as_table(), book.languages, book.questions));
      auto [it, inserted] = index.emplace(theme.id, book.themes.size());
      if (!inserted) {
        return MakeError("CB003",
                         "theme id '" + theme.id + "' is used twice (first at line " +
                             std::to_string(book.themes[it->second].line) + ")",
                         Line(theme.line));
      }
      book.themes.push_back(std::move(theme));
    }
    for (const Theme& theme : book.themes) {
      if (!theme.parent.empty() && index.count(theme.parent) == 0) {
        return MakeError(
            "CB004",
            "theme '" + theme.id + "' has parent '" + theme.parent + "', which is no theme",
            Line(theme.line));
      }
    }
    NGO_TRY(CheckCycles(book, index));
    return book;
  }

 private:
  Location Line(int line) const {
    Location where;
    where.file = file_;
    where.row = line;
    return where;
  }

  Status CheckKeys(const toml::table& table, std::initializer_list<std::string_view> known,
                   std::string_view what) const {
    for (const auto& [key, value] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return MakeError("CB002",
                       "unknown key '" + std::string(key.str()) + "' in " + std::string(what) +
                           " (known: " + list + ")",
                       TomlLocation(file_, value));
    }
    return Ok();
  }

  Result<std::string> String(const toml::table& t, std::string_view key) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return std::string();
    if (!node->is_string()) {
      return MakeError("CB002", "'" + std::string(key) + "' must be a string",
                       TomlLocation(file_, *node));
    }
    return std::string(*node->value<std::string>());
  }

  // An array of distinct non-empty strings.
  Result<std::vector<std::string>> Names(const toml::table& t, std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) return out;
    if (!node->is_array()) {
      return MakeError("CB002", "'" + std::string(key) + "' must be an array of strings",
                       TomlLocation(file_, *node));
    }
    for (const toml::node& item : *node->as_array()) {
      if (!item.is_string() || item.value<std::string>()->empty()) {
        return MakeError("CB002", "'" + std::string(key) + "' must hold non-empty strings",
                         TomlLocation(file_, item));
      }
      std::string value = *item.value<std::string>();
      if (std::find(out.begin(), out.end(), value) != out.end()) {
        return MakeError("CB002", "'" + value + "' is listed twice in '" + std::string(key) + "'",
                         TomlLocation(file_, item));
      }
      out.push_back(std::move(value));
    }
    return out;
  }

  // A string (default language) or a table of language -> string.
  Result<LangText> Text(const toml::table& t, std::string_view key,
                        const std::vector<std::string>& languages) const {
    LangText text;
    const toml::node* node = t.get(key);
    if (node == nullptr) return text;
    if (node->is_string()) {
      text.texts.emplace_back("", *node->value<std::string>());
      return text;
    }
    if (!node->is_table()) {
      return MakeError("CB002",
                       "'" + std::string(key) + "' must be a string or a table of language = text",
                       TomlLocation(file_, *node));
    }
    for (const auto& [lang, value] : *node->as_table()) {
      if (!value.is_string()) {
        return MakeError(
            "CB002", "'" + std::string(key) + "." + std::string(lang.str()) + "' must be a string",
            TomlLocation(file_, value));
      }
      if (!languages.empty() &&
          std::find(languages.begin(), languages.end(), lang.str()) == languages.end()) {
        return MakeError("CB002",
                         "language '" + std::string(lang.str()) + "' of '" + std::string(key) +
                             "' is not in 'languages'",
                         TomlLocation(file_, value));
      }
      text.texts.emplace_back(std::string(lang.str()), *value.value<std::string>());
    }
    return text;
  }

  Result<Theme> ReadTheme(const toml::table& t, const std::vector<std::string>& languages,
                          const std::vector<std::string>& questions) const {
    Theme theme;
    theme.line = static_cast<int>(t.source().begin.line);
    NGO_TRY(CheckKeys(t,
                      {"id", "parent", "label", "definition", "inclusion", "exclusion", "example",
                       "questions", "source"},
                      "a [[theme]]"));
    const toml::node* id = t.get("id");
    if (id == nullptr) return MakeError("CB002", "a [[theme]] without 'id'", Line(theme.line));
    if (!id->is_string())
      return MakeError("CB002", "'id' must be a string", TomlLocation(file_, *id));
    theme.id = *id->value<std::string>();
    if (!IsThemeId(theme.id)) {
      return MakeError("CB007",
                       "theme id '" + theme.id +
                           "' is not a name (1 to 64 ASCII letters, digits, '_', '-' or '.', "
                           "starting with a letter or '_')",
                       TomlLocation(file_, *id));
    }
    theme.parent = NGO_TRY(String(t, "parent"));
    if (theme.parent == theme.id) {
      return MakeError("CB005", "theme '" + theme.id + "' is its own parent", Line(theme.line));
    }
    theme.label = NGO_TRY(Text(t, "label", languages));
    theme.definition = NGO_TRY(Text(t, "definition", languages));
    theme.inclusion = NGO_TRY(Text(t, "inclusion", languages));
    theme.exclusion = NGO_TRY(Text(t, "exclusion", languages));
    theme.example = NGO_TRY(Text(t, "example", languages));
    theme.questions = NGO_TRY(Names(t, "questions"));
    for (const std::string& q : theme.questions) {
      if (!questions.empty() &&
          std::find(questions.begin(), questions.end(), q) == questions.end()) {
        return MakeError("CB002",
                         "theme '" + theme.id + "' codes question '" + q +
                             "', which is not in the codebook's 'questions'",
                         TomlLocation(file_, *t.get("questions")));
      }
    }
    theme.source = NGO_TRY(String(t, "source"));

    bool has_label = false;
    for (const auto& [lang, text] : theme.label.texts) {
      bool is_default = lang.empty() || languages.empty() || lang == languages.front();
      if (is_default && !Trim(text).empty()) has_label = true;
    }
    if (!has_label) {
      std::string where =
          languages.empty() ? "" : " in the default language '" + languages.front() + "'";
      return MakeError("CB006", "theme '" + theme.id + "' has no label" + where, Line(theme.line));
    }
    return theme;
  }

  static std::string_view Trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
      s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
    }
    return s;
  }

  // Walks each theme's parents; a walk that meets a theme of its own walk is a
  // cycle, reported at the first theme of the cycle in file order. Each theme is
  // walked through once (colours), so this is linear.
  Status CheckCycles(const Codebook& book,
                     const std::unordered_map<std::string, size_t>& index) const {
    enum : char { kNew, kOnPath, kDone };
    std::vector<char> colour(book.themes.size(), kNew);
    std::vector<size_t> path;
    for (size_t start = 0; start < book.themes.size(); ++start) {
      path.clear();
      size_t at = start;
      while (colour[at] == kNew) {
        colour[at] = kOnPath;
        path.push_back(at);
        const std::string& parent = book.themes[at].parent;
        if (parent.empty()) break;
        at = index.at(parent);
      }
      // Stopped at a theme of this walk that has a parent: the walk came back to it.
      if (colour[at] == kOnPath && !book.themes[at].parent.empty()) {
        auto first = std::find(path.begin(), path.end(), at);
        std::vector<size_t> cycle(first, path.end());
        size_t earliest = *std::min_element(cycle.begin(), cycle.end());
        auto rotate_at = std::find(cycle.begin(), cycle.end(), earliest);
        std::rotate(cycle.begin(), rotate_at, cycle.end());
        std::string chain;
        for (size_t i : cycle) chain += book.themes[i].id + " -> ";
        chain += book.themes[earliest].id;
        return MakeError("CB005", "the themes' parents make a cycle: " + chain,
                         Line(book.themes[earliest].line));
      }
      for (size_t i : path) colour[i] = kDone;
    }
    return Ok();
  }

  std::string file_;
};

}  // namespace

Result<Codebook> ParseCodebook(std::string_view toml_text, const std::string& file_name) {
  toml::table root = NGO_TRY(ParseToml(toml_text, file_name, "CB001"));
  return CodebookReader(file_name).Read(root);
}

Result<Codebook> LoadCodebook(const std::string& path) {
  std::string text = NGO_TRY(ReadFile(path));
  return ParseCodebook(text, path);
}

}  // namespace ngosurvey::form
