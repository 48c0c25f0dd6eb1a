// The qualitative codebook: the themes that coders assign to open answers
// (docs/formats/codebook.md). Not to be confused with the data dictionary that
// exports write beside a dataset (exchange's WriteCodebook).
//
// A codebook is a TOML file, versioned with the study: a `version`, optional
// `languages` (the first is the default) and `questions` (the open questions it
// codes), and one `[[theme]]` table per theme with an `id`, an optional `parent`
// (the hierarchy), a `label` and optional `definition`, `inclusion`, `exclusion`
// and `example`; each text is a string (the default language) or a table of
// language -> text; optional `questions` (which of the codebook's questions the theme
// codes) and `source` (where the theme comes from).
//
// ParseCodebook refuses, with the file and line of the theme at fault: duplicate
// ids, a parent that is no theme, cycles in the hierarchy, a theme without a
// label (in the default language when `languages` is given), ids that are not
// names, unknown keys and wrong types. It keeps no state; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ngosurvey::form {

// A text in one or more languages: (language, text) pairs in file order. A plain
// TOML string is one pair with an empty language (the default language).
struct LangText {
  std::vector<std::pair<std::string, std::string>> texts;

  // The text in `language`, else in the default language (the empty key, then
  // `default_language`), else the first text; "" when there is none.
  std::string Get(std::string_view language, std::string_view default_language = {}) const;
  bool empty() const { return texts.empty(); }
};

struct Theme {
  std::string id;
  std::string parent;  // the parent theme's id; empty for a top-level theme
  LangText label;
  LangText definition;
  LangText inclusion;  // when to apply the theme
  LangText exclusion;  // when not to (and which theme to use instead)
  LangText example;
  // The open questions the theme (and its sub-themes) codes; empty: its parent's, else
  // every question (a codebook that codes several questions gives each its themes).
  std::vector<std::string> questions;
  std::string source;  // where the theme comes from (a reference, a page of a report)
  int line = 0;        // where the [[theme]] table starts in the file
};

// Limits against hostile files.
inline constexpr size_t kMaxThemes = 10000;
inline constexpr size_t kMaxThemeIdBytes = 64;

struct Codebook {
  std::string file;
  std::string version;  // required: which version of the codebook coded the data
  std::string title;
  std::vector<std::string> languages;  // first = default; empty when not declared
  std::vector<std::string> questions;  // the questions it codes; empty = not said
  std::vector<Theme> themes;           // in file order; every parent is a theme, no cycles

  // The theme with this id, or nullptr.
  const Theme* Find(std::string_view id) const;
  // Indices of the themes whose parent is `id` ("" = the top-level themes), in file order.
  std::vector<size_t> Children(std::string_view id) const;
  // Ancestors of a theme, nearest first (empty for a top-level theme).
  std::vector<std::string> Ancestors(std::string_view id) const;
  // 0 for a top-level theme, 1 for its children, ...
  int Depth(std::string_view id) const;
  // Whether the theme codes `question`: the nearest `questions` of the theme and its
  // ancestors names it, or none of them has one.
  bool AppliesTo(std::string_view id, std::string_view question) const;
  std::string DefaultLanguage() const { return languages.empty() ? "" : languages.front(); }
};

// Parses a codebook. Errors: CB001 (TOML syntax, with line and column), CB002
// (structure: unknown key, wrong type, missing `version` or `id`, too many themes),
// CB003 (duplicate id), CB004 (unknown parent), CB005 (cycle, naming its themes),
// CB006 (theme without a label), CB007 (an id that is not a name); each at the file
// and line of the node at fault.
Result<Codebook> ParseCodebook(std::string_view toml_text, const std::string& file_name);

// Reads and parses a codebook file (IO errors from base/file.h).
Result<Codebook> LoadCodebook(const std::string& path);

// Whether `id` is a valid theme id: 1 to kMaxThemeIdBytes bytes of ASCII letters,
// digits, '_', '-' and '.', starting with a letter or '_'.
bool IsThemeId(std::string_view id);

}  // namespace ngosurvey::form
