// A survey row's `parameters` cell ("start=1 end=10 step=1", "randomize=true, seed=${s}"),
// read and checked as pyxform reads and checks it, for every module that uses one: the
// form check (CheckParameters), the XForm writer and the interview (range bounds).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/form.h"

namespace ngosurvey::form {

// Key -> value. Keys are lowercase; values too, except `label` and `value`, which name
// columns of a file and keep their case (pyxform's rule).
using Parameters = std::map<std::string, std::string, std::less<>>;

// Reads a cell of key=value pairs separated by whitespace, commas or semicolons
// ("a=1 b=2", "a = 1, b = 2", "a=1;b=2"). An empty cell gives no parameters. Anything
// else ("${x}", "a=", "a=1=2") is an error whose message says what is wrong; the caller
// gives the place.
Result<Parameters> ParseParameters(std::string_view cell);

// What pyxform refuses in the parameters of a question of `type` (whose cell parsed):
// a key the type does not take, or a value it cannot have (a range's bounds that are not
// numbers or a step that does not fit, a select's randomize that is not true or false, a
// seed without randomize, an image's max-pixels that is not an integer, an audio quality
// it does not know...). One message per problem, empty when none. `choice_lists` names
// the form's lists, for a range's tick_labelset.
std::vector<std::string> CheckParameters(QuestionType type, std::string_view appearance,
                                         const Parameters& parameters,
                                         const std::vector<ChoiceList>& choice_lists);

// A parameter's value as a number; `fallback` when absent or not a number.
double NumberParameter(const Parameters& parameters, std::string_view key, double fallback);

}  // namespace ngosurvey::form
