// TOML files (table specs, study.toml, bases files, codebooks, follow-up schedules)
// report errors at their line: the one way to parse TOML and to locate a node, for
// every reader. A syntax error becomes an Error, never an exception (toml++ throws).
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

// The file, line and column where a node, key or error begins.
inline Location TomlLineColumn(const std::string& file, const toml::source_region& source) {
  Location where;
  where.file = file;
  where.row = static_cast<int>(source.begin.line);
  where.column = static_cast<int>(source.begin.column);
  return where;
}

// Parses TOML text; a syntax error becomes Error `code` at its file, line and column,
// with toml++'s description after `message_prefix`.
inline Result<toml::table> ParseToml(std::string_view text, const std::string& file,
                                     std::string code, std::string_view message_prefix = {}) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    return MakeError(std::move(code),
                     std::string(message_prefix) + std::string(error.description()),
                     TomlLineColumn(file, error.source()));
  }
}

}  // namespace ngosurvey
