#include "form/expr/lexer.h"

#include "form/expr/errors.h"
#include "form/expr/expr.h"

namespace ngosurvey::form::expr {

namespace {

bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsNameChar(unsigned char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// XPath 1.0 section 3.7: whether the previous token leaves us expecting an operand.
bool ExpectsOperand(const std::vector<Token>& tokens) {
  if (tokens.empty()) return true;
  switch (tokens.back().kind) {
    case TokenKind::kAt:
    case TokenKind::kLParen:
    case TokenKind::kLBracket:
    case TokenKind::kComma:
    case TokenKind::kOperatorName:
    case TokenKind::kMultiply:
    case TokenKind::kSlash:
    case TokenKind::kDoubleSlash:
    case TokenKind::kPipe:
    case TokenKind::kPlus:
    case TokenKind::kMinus:
    case TokenKind::kEq:
    case TokenKind::kNe:
    case TokenKind::kLt:
    case TokenKind::kLe:
    case TokenKind::kGt:
    case TokenKind::kGe:
      return true;
    default:
      return false;
  }
}

// The character at `pos` as text for a message (a whole UTF-8 sequence).
std::string CharAt(std::string_view text, size_t pos) {
  size_t len = 1;
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c >= 0xF0)
    len = 4;
  else if (c >= 0xE0)
    len = 3;
  else if (c >= 0xC0)
    len = 2;
  return std::string(text.substr(pos, len));
}

}  // namespace

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of expression";
    case TokenKind::kString:
      return "'" + std::string(token.text) + "'";
    default:
      return std::string(token.text);
  }
}

// Long on purpose: one switch over XPath's lexical grammar, a case per token kind.
// NOLINTNEXTLINE(readability-function-size)
Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t pos = 0;
  auto add = [&](TokenKind kind, size_t start, size_t len) {
    Token t;
    t.kind = kind;
    t.offset = static_cast<int>(start);
    t.length = static_cast<int>(len);
    t.text = text.substr(start, len);
    tokens.push_back(t);
    return &tokens.back();
  };
  while (true) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    if (tokens.size() >= kMaxTokens) {
      return tl::unexpected(MakeExprError(ErrorCode::kTooManyTokens, text, static_cast<int>(pos),
                                          std::to_string(kMaxTokens)));
    }
    if (pos >= text.size()) {
      add(TokenKind::kEnd, text.size(), 0);
      return tokens;
    }
    size_t start = pos;
    char c = text[pos];
    char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
    if (IsDigit(c) || (c == '.' && IsDigit(next))) {
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && IsDigit(text[pos])) ++pos;
      }
      // "1.2.3" or "12abc" are not numbers (and not names either).
      if (pos < text.size() &&
          (text[pos] == '.' || IsNameStart(static_cast<unsigned char>(text[pos])))) {
        size_t end = pos;
        while (end < text.size() && IsNameChar(static_cast<unsigned char>(text[end]))) ++end;
        return tl::unexpected(MakeExprError(ErrorCode::kBadNumber, text, static_cast<int>(start),
                                            text.substr(start, end - start)));
      }
      add(TokenKind::kNumber, start, pos - start);
      continue;
    }
    if (c == '\'' || c == '"') {
      size_t close = text.find(c, pos + 1);
      if (close == std::string_view::npos) {
        return tl::unexpected(
            MakeExprError(ErrorCode::kUnterminatedString, text, static_cast<int>(start)));
      }
      Token* t = add(TokenKind::kString, start, close + 1 - start);
      t->value = text.substr(start + 1, close - start - 1);
      pos = close + 1;
      continue;
    }
    if (c == '$') {
      if (next != '{') {
        return tl::unexpected(
            MakeExprError(ErrorCode::kBadReference, text, static_cast<int>(start),
                          "XPath variables ($x) are not supported; write ${name}"));
      }
      size_t close = text.find('}', pos + 2);
      if (close == std::string_view::npos) {
        return tl::unexpected(MakeExprError(ErrorCode::kBadReference, text, static_cast<int>(start),
                                            "no closing '}'"));
      }
      std::string_view name = text.substr(pos + 2, close - pos - 2);
      // ${last-saved#name}: the value in the last saved submission (pyxform, ODK).
      constexpr std::string_view kLastSaved = "last-saved#";
      size_t prefix = name.starts_with(kLastSaved) ? kLastSaved.size() : 0;
      name.remove_prefix(prefix);
      if (name.empty()) {
        return tl::unexpected(MakeExprError(ErrorCode::kBadReference, text, static_cast<int>(start),
                                            "the name is empty"));
      }
      if (!IsNameStart(static_cast<unsigned char>(name[0]))) {
        return tl::unexpected(MakeExprError(ErrorCode::kBadReference, text, static_cast<int>(start),
                                            "a name starts with a letter or '_'"));
      }
      for (size_t i = 0; i < name.size(); ++i) {
        if (!IsNameChar(static_cast<unsigned char>(name[i]))) {
          return tl::unexpected(MakeExprError(ErrorCode::kBadReference, text,
                                              static_cast<int>(pos + 2 + prefix + i),
                                              "'" + CharAt(name, i) + "' cannot appear in a name"));
        }
      }
      Token* t = add(TokenKind::kDollarRef, start, close + 1 - start);
      t->value = name;
      t->last_saved = prefix != 0;
      pos = close + 1;
      continue;
    }
    if (IsNameStart(static_cast<unsigned char>(c))) {
      while (pos < text.size() && IsNameChar(static_cast<unsigned char>(text[pos]))) ++pos;
      // QName: prefix:local (jr:choice-name). "::" (axes) is not supported.
      if (pos + 1 < text.size() && text[pos] == ':' &&
          IsNameStart(static_cast<unsigned char>(text[pos + 1]))) {
        ++pos;
        while (pos < text.size() && IsNameChar(static_cast<unsigned char>(text[pos]))) ++pos;
      }
      // A name may end with '.' or '-' only when that is really part of it; XPath
      // allows both, so "a-b" is one name.
      std::string_view word = text.substr(start, pos - start);
      bool operand_expected = ExpectsOperand(tokens);
      if (!operand_expected) {
        if (word == "and" || word == "or" || word == "div" || word == "mod") {
          add(TokenKind::kOperatorName, start, pos - start);
          continue;
        }
        return tl::unexpected(MakeExprError(ErrorCode::kUnexpectedToken, text,
                                            static_cast<int>(start), word, "an operator"));
      }
      add(TokenKind::kName, start, pos - start);
      continue;
    }
    TokenKind kind;
    size_t len = 1;
    switch (c) {
      case '*':
        kind = ExpectsOperand(tokens) ? TokenKind::kStar : TokenKind::kMultiply;
        break;
      case '/':
        if (next == '/') {
          kind = TokenKind::kDoubleSlash;
          len = 2;
        } else {
          kind = TokenKind::kSlash;
        }
        break;
      case '.':
        if (next == '.') {
          kind = TokenKind::kDotDot;
          len = 2;
        } else {
          kind = TokenKind::kDot;
        }
        break;
      case '@':
        kind = TokenKind::kAt;
        break;
      case ',':
        kind = TokenKind::kComma;
        break;
      case '(':
        kind = TokenKind::kLParen;
        break;
      case ')':
        kind = TokenKind::kRParen;
        break;
      case '[':
        kind = TokenKind::kLBracket;
        break;
      case ']':
        kind = TokenKind::kRBracket;
        break;
      case '|':
        kind = TokenKind::kPipe;
        break;
      case '+':
        kind = TokenKind::kPlus;
        break;
      case '-':
        kind = TokenKind::kMinus;
        break;
      case '=':
        kind = TokenKind::kEq;
        break;
      case '!':
        if (next != '=') {
          return tl::unexpected(
              MakeExprError(ErrorCode::kUnexpectedCharacter, text, static_cast<int>(start), "!"));
        }
        kind = TokenKind::kNe;
        len = 2;
        break;
      case '<':
        if (next == '=') {
          kind = TokenKind::kLe;
          len = 2;
        } else {
          kind = TokenKind::kLt;
        }
        break;
      case '>':
        if (next == '=') {
          kind = TokenKind::kGe;
          len = 2;
        } else {
          kind = TokenKind::kGt;
        }
        break;
      default:
        return tl::unexpected(MakeExprError(ErrorCode::kUnexpectedCharacter, text,
                                            static_cast<int>(start), CharAt(text, start)));
    }
    add(kind, start, len);
    pos += len;
  }
}

}  // namespace ngosurvey::form::expr
