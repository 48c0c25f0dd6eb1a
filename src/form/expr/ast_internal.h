// The syntax tree of a parsed expression (internal to form/expr): a flat vector
// of nodes that refer to each other by index, built by the parser and read by the
// binder. Offsets are byte offsets into the source text.
#pragma once

#include <string>
#include <vector>

namespace ngosurvey::form::expr {

enum class BinaryOp : uint8_t {
  kOr,
  kAnd,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kUnion,
};

// The operator as written ("and", "<=", "div"...).
const char* BinaryOpText(BinaryOp op);

enum class AstKind : uint8_t {
  kNumber,     // number
  kString,     // text
  kDollarRef,  // ${text}
  kBinary,     // op, children = {left, right}
  kNegate,     // children = {operand}
  kCall,       // text = function name, children = arguments
  kPath,       // head (-1 or a filter expression), absolute, steps
  kFilter,     // children[0] = primary, predicates
};

struct AstStep {
  enum class Axis : uint8_t { kChild, kParent, kSelf, kAttribute, kDescendant };
  Axis axis = Axis::kChild;
  std::string name;             // "" for . and ..; "*" for any name
  std::vector<int> predicates;  // node indices
  int offset = 0;
};

struct AstNode {
  AstKind kind = AstKind::kNumber;
  BinaryOp op = BinaryOp::kOr;
  int offset = 0;
  int length = 0;
  double number = 0;
  std::string text;
  std::vector<int> children;
  // kDollarRef: ${last-saved#name}, the name's value in the last saved submission
  bool last_saved = false;
  // kPath
  int head = -1;
  bool absolute = false;
  std::vector<AstStep> steps;
  // kFilter
  std::vector<int> predicates;
};

struct ParsedExprData {
  std::string text;
  std::vector<AstNode> nodes;
  int root = -1;
};

}  // namespace ngosurvey::form::expr
