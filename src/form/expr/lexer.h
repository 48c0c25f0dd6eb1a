// Lexer: expression text -> tokens (internal to form/expr). Applies XPath 1.0's
// disambiguation rule: after an operand, `*` is multiplication and a name is an
// operator name (and, or, div, mod).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::form::expr {

enum class TokenKind : uint8_t {
  kEnd,
  kNumber,
  kString,
  kDollarRef,
  kName,
  kOperatorName,
  kStar,
  kMultiply,
  kSlash,
  kDoubleSlash,
  kDot,
  kDotDot,
  kAt,
  kComma,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kPipe,
  kPlus,
  kMinus,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  int offset = 0;
  int length = 0;
  std::string_view text;    // the token's source text (names, numbers, operators)
  std::string_view value;   // string literal contents; ${name} name
  bool last_saved = false;  // ${last-saved#name}
};

// A short description for messages: "end of expression", "'('", "name 'abc'".
std::string DescribeToken(const Token& token);

// Splits `text` into tokens, the last of kind kEnd. Errors: E040, E041, E046,
// E048, E049. Token views point into `text`.
Result<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace ngosurvey::form::expr
