// The Form model as JSON, lossless: what the native library writes (`ngosurvey form
// model`) and the WebAssembly build of the interview engine reads in a browser, where
// no xlsx reader runs. FormFromJson(FormToJson(f)) equals f field for field (the
// name index is rebuilt). Layout and version: docs/formats/form-json.md.
//
// A JSON form is trusted no more than a workbook: FormFromJson checks the layout and
// the model's invariants (types by name, parents before children and containers,
// children listing exactly the questions that name them as parent, sizes and
// nesting depth limited) and answers with an error that names the element at fault:
//   FJ001 not JSON (the byte offset), or nested deeper than the limit, or too large
//   FJ002 not a form model of a version this library reads
//   FJ003 a field has the wrong type or an impossible value ("questions[4].parent")
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "form/form.h"

namespace ngosurvey::form {

// The version written in the "ngosurvey_form" field; a reader refuses any other.
inline constexpr int kFormJsonVersion = 1;

// Compact JSON (no indentation); empty texts, empty maps and false flags are left out.
std::string FormToJson(const Form& form);

// The form described by `json`; `file_name` names it in errors (Location::file).
// Inputs over `max_bytes` are refused before parsing.
Result<Form> FormFromJson(std::string_view json, const std::string& file_name,
                          size_t max_bytes = size_t{64} << 20);

}  // namespace ngosurvey::form
