// The expression-level checks of a built Form (references, syntax, functions,
// choice filters, circular calculations). Internal to form/: BuildForm calls it.
#pragma once

#include "base/diagnostic.h"
#include "form/form.h"

namespace ngosurvey::form {

// Appends E012/E013 (references), E019 (cycles), E020 (choice_filter columns) and
// the expression engine's E040-E059 to `diags`, each at its cell with a caret.
void ValidateExpressions(const Form& form, Diagnostics* diags);

// The closest name to `name` among `candidates` for a "did you mean" hint, or ""
// when none is close enough.
std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace ngosurvey::form
