// The CSV files that `pulldata('file', ...)` calls in an expression read: each becomes a
// secondary instance of the XForm (`jr://file-csv/file.csv`), as pyxform writes it. One
// reader for the XForm writer and the entities check (an update's list may be such an
// instance). Header-only, as appearance.h, so that the WebAssembly engine needs no new
// source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "form/form.h"

namespace ngosurvey::form {

// The first argument of each `pulldata(` call in `expr`, quotes removed and trimmed, in
// order, empty ones left out (duplicates kept: the caller keeps the first). A word
// "pulldata" not followed by "(" is not a call.
inline std::vector<std::string> PulldataFiles(std::string_view expr) {
  std::vector<std::string> files;
  size_t pos = 0;
  while ((pos = expr.find("pulldata", pos)) != std::string_view::npos) {
    pos += 8;
    size_t open = expr.find_first_not_of(" \t", pos);
    if (open == std::string_view::npos || expr[open] != '(') continue;
    size_t comma = expr.find(',', open);
    if (comma == std::string_view::npos) break;
    std::string file;
    for (char c : expr.substr(open + 1, comma - open - 1)) {
      if (c != '\'' && c != '"') file += c;
    }
    file = std::string(text::Trim(file));
    if (!file.empty()) files.push_back(std::move(file));
  }
  return files;
}

// The files of every pulldata() call in a question's expression columns (calculation,
// constraint, relevant, required, read_only, choice_filter, default), in that order.
inline std::vector<std::string> PulldataFiles(const Question& q) {
  std::vector<std::string> files;
  for (const std::string* expr : {&q.calculation, &q.constraint, &q.relevant, &q.required,
                                  &q.read_only, &q.choice_filter, &q.default_value}) {
    for (std::string& file : PulldataFiles(*expr)) files.push_back(std::move(file));
  }
  return files;
}

}  // namespace ngosurvey::form
