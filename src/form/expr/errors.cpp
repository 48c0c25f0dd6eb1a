#include "form/expr/errors.h"

#include <fmt/format.h>

#include <array>

namespace ngosurvey::form::expr {

namespace {

constexpr std::array<ErrorSpec, 20> kCatalogue = {{
    {ErrorCode::kUnexpectedCharacter, "E040", "unexpected character '{0}'"},
    {ErrorCode::kUnterminatedString, "E041", "string literal is not closed"},
    {ErrorCode::kUnexpectedToken, "E042", "expected {1} but found '{0}'"},
    {ErrorCode::kUnexpectedEnd, "E043", "expression ends too early: expected {1}"},
    {ErrorCode::kTooDeep, "E044", "expression is nested more than {0} levels deep"},
    {ErrorCode::kTooLong, "E045", "expression is longer than {0} bytes"},
    {ErrorCode::kTooManyTokens, "E046", "expression has more than {0} tokens"},
    {ErrorCode::kEmpty, "E047", "empty expression"},
    {ErrorCode::kBadReference, "E048", "malformed ${{...}} reference: {0}"},
    {ErrorCode::kBadNumber, "E049", "malformed number '{0}'"},
    {ErrorCode::kUnknownFunction, "E050", "unknown function '{0}'{1}"},
    {ErrorCode::kWrongArity, "E051", "{0}() takes {1} but is given {2}"},
    {ErrorCode::kUnknownName, "E052", "unknown name '{0}'"},
    {ErrorCode::kUnknownInstance, "E053", "unknown secondary instance '{0}'"},
    {ErrorCode::kUnsupportedPath, "E054", "cannot evaluate this path: {0}"},
    {ErrorCode::kBadArgument, "E055", "{0}(): {1}"},
    {ErrorCode::kBadRegex, "E056", "invalid regular expression '{0}': {1}"},
    {ErrorCode::kRegexInputTooLong, "E057", "regex() input is longer than {0} characters"},
    {ErrorCode::kNotNodeSet, "E058", "{0}() needs a node-set (a reference or a path)"},
    {ErrorCode::kEvalLimit, "E059", "evaluation limit reached: {0}"},
}};

}  // namespace

std::span<const ErrorSpec> ErrorCatalogue() { return kCatalogue; }

Error MakeExprError(ErrorCode code, std::string_view expression, int offset, std::string_view arg0,
                    std::string_view arg1, std::string_view arg2) {
  const ErrorSpec& spec = kCatalogue[static_cast<int>(code) - 40];
  Error error;
  error.code = std::string(spec.id);
  error.message = fmt::format(fmt::runtime(spec.message), arg0, arg1, arg2);
  error.where.expression = std::string(expression);
  error.where.expr_offset = offset;
  return error;
}

}  // namespace ngosurvey::form::expr
