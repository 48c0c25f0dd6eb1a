// The catalogue of expression error codes (E040-E059) and their message templates.
// Every error the expression engine returns is made here, so codes are stable and
// each has one wording (tests pin both). Internal to form/expr.
#pragma once

#include <span>
#include <string_view>

#include "base/error.h"

namespace ngosurvey::form::expr {

enum class ErrorCode : int {
  // Syntax (Parse).
  kUnexpectedCharacter = 40,  // E040 unexpected character '{0}'
  kUnterminatedString = 41,   // E041 string literal is not closed
  kUnexpectedToken = 42,      // E042 expected {1} but found '{0}'
  kUnexpectedEnd = 43,        // E043 expression ends too early: expected {1}
  kTooDeep = 44,              // E044 nested more than {0} levels deep
  kTooLong = 45,              // E045 longer than {0} bytes
  kTooManyTokens = 46,        // E046 more than {0} tokens
  kEmpty = 47,                // E047 empty expression
  kBadReference = 48,         // E048 malformed ${...} reference: {0}
  kBadNumber = 49,            // E049 malformed number '{0}'
  // Functions and binding (CheckFunctions, Bind).
  kUnknownFunction = 50,  // E050 unknown function '{0}'{1}
  kWrongArity = 51,       // E051 {0}() takes {1} but is given {2}
  kUnknownName = 52,      // E052 unknown name '{0}'
  kUnknownInstance = 53,  // E053 unknown secondary instance '{0}'
  kUnsupportedPath = 54,  // E054 cannot evaluate this path: {0}
  kBadArgument = 55,      // E055 {0}(): {1}
  // Evaluation (Evaluator::Evaluate).
  kBadRegex = 56,           // E056 invalid regular expression '{0}': {1}
  kRegexInputTooLong = 57,  // E057 regex() input longer than {0} characters
  kNotNodeSet = 58,         // E058 {0}() needs a node-set (a reference or a path)
  kEvalLimit = 59,          // E059 evaluation limit: {0}
};

struct ErrorSpec {
  ErrorCode code;
  std::string_view id;       // "E040"
  std::string_view message;  // fmt template; {0}, {1}, {2} are the arguments
};

// Every code with its template, in code order (for docs and tests).
std::span<const ErrorSpec> ErrorCatalogue();

// An Error with the code's id and its message formatted with up to three
// arguments, located at byte `offset` of `expression`.
Error MakeExprError(ErrorCode code, std::string_view expression, int offset,
                    std::string_view arg0 = {}, std::string_view arg1 = {},
                    std::string_view arg2 = {});

}  // namespace ngosurvey::form::expr
