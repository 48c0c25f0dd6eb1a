// Diagnostics: the problems a parser or validator found, all of them, in one pass.
// A validator appends to a Diagnostics list and keeps going; the caller decides
// what to print and how to exit (the library never prints).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace ngosurvey {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Error error;  // code, message, location (with expression and caret when known)

  // "form.xlsx:survey!F14: E012: message" (warnings: "W101: ..."), with the caret
  // display of Error::ToString().
  std::string ToString() const { return error.ToString(); }
};

class Diagnostics {
 public:
  void Add(Severity severity, Error error) { items_.push_back({severity, std::move(error)}); }
  void AddError(std::string code, std::string message, Location where) {
    Add(Severity::kError, Error{std::move(code), std::move(message), std::move(where)});
  }
  void AddWarning(std::string code, std::string message, Location where) {
    Add(Severity::kWarning, Error{std::move(code), std::move(message), std::move(where)});
  }
  void Append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }

  const std::vector<Diagnostic>& items() const { return items_; }
  size_t error_count() const;
  size_t warning_count() const;
  bool has_errors() const { return error_count() > 0; }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace ngosurvey
