// TOML files (table specs, study.toml, bases files) report errors at their line:
// one way to parse and to locate a node, for every reader.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "base/error.h"

namespace ngosurvey {

// The file and line of a TOML node.
inline Location TomlLocation(const std::string& file, const toml::node& node) {
  Location where;
  where.file = file;
  where.row = static_cast<int>(node.source().begin.line);
  return where;
}

// Parses TOML text; a syntax error becomes Error `code` at its file, line and column.
inline Result<toml::table> ParseToml(std::string_view text, const std::string& file,
                                     std::string code) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    Location where;
    where.file = file;
    where.row = static_cast<int>(error.source().begin.line);
    where.column = static_cast<int>(error.source().begin.column);
    return MakeError(std::move(code), std::string(error.description()), where);
  }
}

}  // namespace ngosurvey
