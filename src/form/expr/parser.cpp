// Parser: tokens -> syntax tree, by recursive descent over XPath 1.0's grammar
// (the subset ODK uses):
//
//   Expr     := Or
//   Or       := And ('or' And)*
//   And      := Eq ('and' Eq)*
//   Eq       := Rel (('=' | '!=') Rel)*
//   Rel      := Add (('<' | '<=' | '>' | '>=') Add)*
//   Add      := Mul (('+' | '-') Mul)*
//   Mul      := Unary (('*' | 'div' | 'mod') Unary)*
//   Unary    := '-' Unary | Union
//   Union    := Path ('|' Path)*
//   Path     := LocationPath | Filter (('/' | '//') RelPath)?
//   Filter   := Primary Predicate*
//   Primary  := ${name} | '(' Expr ')' | Literal | Number | FunctionCall
//   LocationPath := '/' RelPath? | '//' RelPath | RelPath
//   RelPath  := Step (('/' | '//') Step)*
//   Step     := '.' | '..' | '@'? (Name | '*') Predicate*
//
// Nesting (parentheses, calls, predicates, unary minus) is limited to kMaxDepth,
// and the height of the tree (long operator chains) to kMaxTreeHeight, so neither
// the parser nor the binder and evaluator can overflow the stack.
#include <charconv>

#include "form/expr/ast_internal.h"
#include "form/expr/errors.h"
#include "form/expr/expr.h"
#include "form/expr/lexer.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {

namespace {

constexpr int kMaxTreeHeight = 1000;

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens, ParsedExprData* out)
      : text_(text), tokens_(std::move(tokens)), out_(out) {
    // Room for a node per token, about what an expression makes: the vectors then
    // rarely grow, which moved every node each time (a form's thousands of short
    // expressions spent a tenth of their parse in it).
    out_->nodes.reserve(tokens_.size());
    heights_.reserve(tokens_.size());
  }

  Result<int> ParseAll() {
    int root = NGO_TRY(ParseOr());
    if (Peek().kind != TokenKind::kEnd) return Unexpected("an operator or the end");
    return root;
  }

  std::vector<Reference> references;
  std::vector<FunctionCall> calls;

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Advance() { return tokens_[pos_++]; }
  bool Accept(TokenKind kind) {
    if (Peek().kind != kind) return false;
    ++pos_;
    return true;
  }

  tl::unexpected<Error> Unexpected(std::string_view expected) const {
    const Token& t = Peek();
    if (t.kind == TokenKind::kEnd) {
      return tl::unexpected(
          MakeExprError(ErrorCode::kUnexpectedEnd, text_, t.offset, "", expected));
    }
    return tl::unexpected(
        MakeExprError(ErrorCode::kUnexpectedToken, text_, t.offset, DescribeToken(t), expected));
  }

  int Height(int node) const { return node < 0 ? 0 : heights_[node]; }

  Result<int> AddNode(AstNode node) {
    int height = 1;
    for (int child : node.children) height = std::max(height, Height(child) + 1);
    for (int p : node.predicates) height = std::max(height, Height(p) + 1);
    if (node.head >= 0) height = std::max(height, Height(node.head) + 1);
    for (const AstStep& s : node.steps) {
      for (int p : s.predicates) height = std::max(height, Height(p) + 1);
    }
    if (height > kMaxTreeHeight) {
      return tl::unexpected(
          MakeExprError(ErrorCode::kTooDeep, text_, node.offset, std::to_string(kMaxTreeHeight)));
    }
    out_->nodes.push_back(std::move(node));
    heights_.push_back(height);
    return static_cast<int>(out_->nodes.size()) - 1;
  }

  Result<int> Binary(BinaryOp op, int left, int right, int offset) {
    AstNode node;
    node.kind = AstKind::kBinary;
    node.op = op;
    node.offset = offset;
    node.children = {left, right};
    return AddNode(std::move(node));
  }

  // RAII nesting counter.
  struct DepthGuard {
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    int* depth_;
  };
  Status CheckDepth() const {
    if (depth_ > kMaxDepth) {
      return tl::unexpected(
          MakeExprError(ErrorCode::kTooDeep, text_, Peek().offset, std::to_string(kMaxDepth)));
    }
    return Ok();
  }

  Result<int> ParseOr() {
    int left = NGO_TRY(ParseAnd());
    while (Peek().kind == TokenKind::kOperatorName && Peek().text == "or") {
      int offset = Advance().offset;
      int right = NGO_TRY(ParseAnd());
      left = NGO_TRY(Binary(BinaryOp::kOr, left, right, offset));
    }
    return left;
  }

  Result<int> ParseAnd() {
    int left = NGO_TRY(ParseEquality());
    while (Peek().kind == TokenKind::kOperatorName && Peek().text == "and") {
      int offset = Advance().offset;
      int right = NGO_TRY(ParseEquality());
      left = NGO_TRY(Binary(BinaryOp::kAnd, left, right, offset));
    }
    return left;
  }

  Result<int> ParseEquality() {
    int left = NGO_TRY(ParseRelational());
    while (Peek().kind == TokenKind::kEq || Peek().kind == TokenKind::kNe) {
      const Token& t = Advance();
      BinaryOp op = t.kind == TokenKind::kEq ? BinaryOp::kEq : BinaryOp::kNe;
      int right = NGO_TRY(ParseRelational());
      left = NGO_TRY(Binary(op, left, right, t.offset));
    }
    return left;
  }

  Result<int> ParseRelational() {
    int left = NGO_TRY(ParseAdditive());
    while (true) {
      BinaryOp op;
      switch (Peek().kind) {
        case TokenKind::kLt:
          op = BinaryOp::kLt;
          break;
        case TokenKind::kLe:
          op = BinaryOp::kLe;
          break;
        case TokenKind::kGt:
          op = BinaryOp::kGt;
          break;
        case TokenKind::kGe:
          op = BinaryOp::kGe;
          break;
        default:
          return left;
      }
      int offset = Advance().offset;
      int right = NGO_TRY(ParseAdditive());
      left = NGO_TRY(Binary(op, left, right, offset));
    }
  }

  Result<int> ParseAdditive() {
    int left = NGO_TRY(ParseMultiplicative());
    while (Peek().kind == TokenKind::kPlus || Peek().kind == TokenKind::kMinus) {
      const Token& t = Advance();
      BinaryOp op = t.kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
      int right = NGO_TRY(ParseMultiplicative());
      left = NGO_TRY(Binary(op, left, right, t.offset));
    }
    return left;
  }

  Result<int> ParseMultiplicative() {
    int left = NGO_TRY(ParseUnary());
    while (true) {
      BinaryOp op;
      const Token& t = Peek();
      if (t.kind == TokenKind::kMultiply) {
        op = BinaryOp::kMul;
      } else if (t.kind == TokenKind::kOperatorName && t.text == "div") {
        op = BinaryOp::kDiv;
      } else if (t.kind == TokenKind::kOperatorName && t.text == "mod") {
        op = BinaryOp::kMod;
      } else {
        return left;
      }
      int offset = Advance().offset;
      int right = NGO_TRY(ParseUnary());
      left = NGO_TRY(Binary(op, left, right, offset));
    }
  }

  Result<int> ParseUnary() {
    if (Peek().kind == TokenKind::kMinus) {
      DepthGuard guard(&depth_);
      NGO_TRY(CheckDepth());
      int offset = Advance().offset;
      int operand = NGO_TRY(ParseUnary());
      AstNode node;
      node.kind = AstKind::kNegate;
      node.offset = offset;
      node.children = {operand};
      return AddNode(std::move(node));
    }
    return ParseUnion();
  }

  Result<int> ParseUnion() {
    int left = NGO_TRY(ParsePath());
    while (Peek().kind == TokenKind::kPipe) {
      int offset = Advance().offset;
      int right = NGO_TRY(ParsePath());
      left = NGO_TRY(Binary(BinaryOp::kUnion, left, right, offset));
    }
    return left;
  }

  bool StartsStep(TokenKind kind) const {
    return kind == TokenKind::kName || kind == TokenKind::kStar || kind == TokenKind::kDot ||
           kind == TokenKind::kDotDot || kind == TokenKind::kAt;
  }

  // A name followed by '(' is a function call, except node tests we treat as names.
  bool AtFunctionCall() const {
    return Peek().kind == TokenKind::kName && tokens_[pos_ + 1].kind == TokenKind::kLParen;
  }

  Result<int> ParsePath() {
    const Token& t = Peek();
    int start = t.offset;
    bool primary = t.kind == TokenKind::kDollarRef || t.kind == TokenKind::kLParen ||
                   t.kind == TokenKind::kString || t.kind == TokenKind::kNumber || AtFunctionCall();
    AstNode path;
    path.kind = AstKind::kPath;
    path.offset = start;
    if (primary) {
      int filter = NGO_TRY(ParseFilter());
      if (Peek().kind != TokenKind::kSlash && Peek().kind != TokenKind::kDoubleSlash) return filter;
      path.head = filter;
      NGO_TRY(ParseRelativePath(&path, /*need_step=*/true));
    } else if (t.kind == TokenKind::kSlash || t.kind == TokenKind::kDoubleSlash) {
      path.absolute = true;
      if (t.kind == TokenKind::kDoubleSlash) {
        NGO_TRY(ParseRelativePath(&path, true));
      } else {
        Advance();
        if (StartsStep(Peek().kind)) {
          NGO_TRY(ParseSteps(&path));
        }
      }
    } else if (StartsStep(t.kind)) {
      NGO_TRY(ParseSteps(&path));
    } else {
      return Unexpected("a value");
    }
    int end = Peek().offset;
    path.length = end - start;
    // Trim trailing spaces from the length.
    while (path.length > 0 && text_[start + path.length - 1] == ' ') --path.length;
    int index = NGO_TRY(AddNode(std::move(path)));
    const AstNode& added = out_->nodes[index];
    // A path on the main instance names a question by its last step.
    bool main_instance =
        added.head >= 0 ? IsCurrentCall(added.head) : added.absolute || !IsInsidePredicate();
    if (main_instance) {
      if (!added.steps.empty() && added.steps.back().axis == AstStep::Axis::kChild &&
          added.steps.back().name != "*") {
        Reference ref;
        ref.name = added.steps.back().name;
        ref.offset = added.offset;
        ref.length = added.length;
        ref.syntax = Reference::Syntax::kPath;
        references.push_back(std::move(ref));
      }
    }
    return index;
  }

  bool IsCurrentCall(int node) const {
    const AstNode& n = out_->nodes[node];
    return n.kind == AstKind::kCall && n.text == "current" && n.children.empty();
  }
  bool IsInsidePredicate() const { return predicate_depth_ > 0; }

  // After a head: ('/' | '//') Step ...
  Status ParseRelativePath(AstNode* path, bool need_step) {
    if (Peek().kind == TokenKind::kDoubleSlash) {
      AstStep step;
      step.axis = AstStep::Axis::kDescendant;
      step.offset = Advance().offset;
      path->steps.push_back(step);
    } else {
      Advance();  // '/'
    }
    return ParseSteps(path);
  }

  Status ParseSteps(AstNode* path) {
    while (true) {
      NGO_TRY(ParseStep(path));
      if (Peek().kind == TokenKind::kSlash) {
        Advance();
      } else if (Peek().kind == TokenKind::kDoubleSlash) {
        AstStep step;
        step.axis = AstStep::Axis::kDescendant;
        step.offset = Advance().offset;
        path->steps.push_back(step);
      } else {
        return Ok();
      }
    }
  }

  Status ParseStep(AstNode* path) {
    AstStep step;
    const Token& t = Peek();
    step.offset = t.offset;
    if (t.kind == TokenKind::kDot) {
      Advance();
      step.axis = AstStep::Axis::kSelf;
    } else if (t.kind == TokenKind::kDotDot) {
      Advance();
      step.axis = AstStep::Axis::kParent;
    } else {
      if (t.kind == TokenKind::kAt) {
        Advance();
        step.axis = AstStep::Axis::kAttribute;
      }
      const Token& name = Peek();
      if (name.kind == TokenKind::kName) {
        if (tokens_[pos_ + 1].kind == TokenKind::kLParen) {
          // node(), text() and other node tests are not supported.
          return tl::unexpected(MakeExprError(ErrorCode::kUnsupportedPath, text_, name.offset,
                                              std::string(name.text) + "() in a path"));
        }
        step.name = std::string(name.text);
      } else if (name.kind == TokenKind::kStar) {
        step.name = "*";
      } else {
        return Unexpected("a name");
      }
      Advance();
      while (Peek().kind == TokenKind::kLBracket) {
        step.predicates.push_back(NGO_TRY(ParsePredicate()));
      }
    }
    path->steps.push_back(std::move(step));
    return Ok();
  }

  Result<int> ParsePredicate() {
    DepthGuard guard(&depth_);
    NGO_TRY(CheckDepth());
    Advance();  // '['
    ++predicate_depth_;
    auto inner = ParseOr();
    --predicate_depth_;
    if (!inner) return inner;
    if (!Accept(TokenKind::kRBracket)) return Unexpected("']'");
    return *inner;
  }

  Result<int> ParseFilter() {
    int start = Peek().offset;
    int primary = NGO_TRY(ParsePrimary());
    if (Peek().kind != TokenKind::kLBracket) return primary;
    AstNode filter;
    filter.kind = AstKind::kFilter;
    filter.offset = start;
    filter.children = {primary};
    while (Peek().kind == TokenKind::kLBracket) {
      filter.predicates.push_back(NGO_TRY(ParsePredicate()));
    }
    return AddNode(std::move(filter));
  }

  Result<int> ParsePrimary() {
    const Token& t = Peek();
    AstNode node;
    node.offset = t.offset;
    node.length = t.length;
    switch (t.kind) {
      case TokenKind::kDollarRef: {
        Advance();
        node.kind = AstKind::kDollarRef;
        node.text = std::string(t.value);
        node.last_saved = t.last_saved;
        Reference ref;
        ref.name = node.text;
        ref.offset = t.offset;
        ref.length = t.length;
        ref.last_saved = t.last_saved;
        references.push_back(std::move(ref));
        return AddNode(std::move(node));
      }
      case TokenKind::kString:
        Advance();
        node.kind = AstKind::kString;
        node.text = std::string(t.value);
        return AddNode(std::move(node));
      case TokenKind::kNumber: {
        Advance();
        node.kind = AstKind::kNumber;
        auto [ptr, ec] =
            DecimalFromChars(t.text.data(), t.text.data() + t.text.size(), node.number);
        if (ec != std::errc()) {
          // Too many digits for a double: XPath reads it as the nearest value.
          if (ec == std::errc::result_out_of_range) {
            node.number = std::strtod(std::string(t.text).c_str(), nullptr);
          } else {
            return tl::unexpected(MakeExprError(ErrorCode::kBadNumber, text_, t.offset, t.text));
          }
        }
        return AddNode(std::move(node));
      }
      case TokenKind::kLParen: {
        DepthGuard guard(&depth_);
        NGO_TRY(CheckDepth());
        Advance();
        int inner = NGO_TRY(ParseOr());
        if (!Accept(TokenKind::kRParen)) return Unexpected("')'");
        return inner;
      }
      case TokenKind::kName: {
        DepthGuard guard(&depth_);
        NGO_TRY(CheckDepth());
        Advance();
        Advance();  // '('
        node.kind = AstKind::kCall;
        node.text = std::string(t.text);
        size_t call_index = calls.size();
        calls.push_back({node.text, 0, t.offset});
        if (Peek().kind != TokenKind::kRParen) {
          while (true) {
            node.children.push_back(NGO_TRY(ParseOr()));
            if (Accept(TokenKind::kComma)) continue;
            break;
          }
        }
        if (!Accept(TokenKind::kRParen)) return Unexpected("',' or ')'");
        calls[call_index].arity = static_cast<int>(node.children.size());
        return AddNode(std::move(node));
      }
      default:
        return Unexpected("a value");
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  ParsedExprData* out_;
  std::vector<int> heights_;
  size_t pos_ = 0;
  int depth_ = 0;
  int predicate_depth_ = 0;
};

}  // namespace

const char* BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "div";
    case BinaryOp::kMod:
      return "mod";
    case BinaryOp::kUnion:
      return "|";
  }
  return "?";
}

const std::string& ParsedExpr::text() const {
  static const std::string kEmpty;
  return data_ ? data_->text : kEmpty;
}

Result<ParsedExpr> Parse(std::string_view text) {
  if (text.size() > kMaxExpressionBytes) {
    Error error = MakeExprError(ErrorCode::kTooLong, "", 0, std::to_string(kMaxExpressionBytes));
    return tl::unexpected(std::move(error));
  }
  auto data = std::make_shared<ParsedExprData>();
  data->text = std::string(text);
  std::string_view stored = data->text;
  auto tokens = Tokenize(stored);
  if (!tokens) return tl::unexpected(tokens.error());
  if (tokens->size() == 1) {
    return tl::unexpected(MakeExprError(ErrorCode::kEmpty, stored, 0));
  }
  Parser parser(stored, std::move(*tokens), data.get());
  data->root = NGO_TRY(parser.ParseAll());
  ParsedExpr parsed;
  parsed.references_ = std::move(parser.references);
  parsed.calls_ = std::move(parser.calls);
  parsed.data_ = std::move(data);
  return parsed;
}

}  // namespace ngosurvey::form::expr
