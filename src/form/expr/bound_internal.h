// The bound form of an expression (internal to form/expr): a flat vector of nodes
// with names resolved to slots, functions to ids and constants pre-converted, ready
// for the evaluator. Built by the binder, immutable afterwards.
#pragma once

#include <memory>
// GCC 12 warns about std::function internals of <regex> at -O1 with sanitizers (a
// false positive in templates instantiated in the files that include this one, so
// the warning stays off for them).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <string>
#include <vector>

#include "form/expr/ast_internal.h"
#include "form/expr/expr.h"
#include "form/expr/functions_internal.h"

namespace ngosurvey::form::expr {

// The syntax of regex() patterns: ECMAScript, with libstdc++'s polynomial-time
// matcher (its extension against catastrophic backtracking). libc++ (the
// WebAssembly build's library, docs/web.md) has no such flag; there the input
// length limit (kMaxRegexInputChars) is the only bound.
#if defined(__GLIBCXX__)
inline constexpr std::regex_constants::syntax_option_type kRegexSyntax =
    std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
inline constexpr std::regex_constants::syntax_option_type kRegexSyntax = std::regex::ECMAScript;
#endif

enum class BoundOp : uint8_t {
  kConst,        // constant
  kSlot,         // slot (all its values seen from the current node: a node-set)
  kCurrent,      // the current node's value (., current(), outside predicates)
  kContextNode,  // . inside a predicate: the node being filtered
  kBinary,       // op, args = {left, right}
  kNegate,       // args = {operand}
  kCall,         // fn, args
  kPath,         // head (arg 0 when has_head), steps over node-sets
};

struct BoundStep {
  AstStep::Axis axis = AstStep::Axis::kChild;
  std::string name;             // "*" for any
  std::vector<int> predicates;  // node indices
  bool whole_set = false;       // a filter expression: predicates see the whole set
};

struct BoundNode {
  BoundOp op = BoundOp::kConst;
  BinaryOp binary = BinaryOp::kOr;
  FuncId fn = FuncId::kTrue;
  FuncFamily family = FuncFamily::kLogic;  // fn's, from the function table
  int offset = 0;
  std::vector<int> args;
  Value constant;  // kConst; text views into `constant_text`
  std::string constant_text;
  int slot = -1;  // kSlot; jr:choice-name's question
  TypeHint hint = TypeHint::kUnknown;
  int instance = -1;  // instance('id'): the resolved index
  // kPath: when has_head, args[0] is the head expression; otherwise the path starts
  // at the context node (inside a predicate).
  bool has_head = false;
  std::vector<BoundStep> steps;
  std::shared_ptr<const std::regex> regex;  // regex() with a constant pattern
};

struct BoundExprData {
  std::string text;
  std::vector<BoundNode> nodes;
  int root = -1;
  std::vector<int> dependencies;
  bool is_volatile = false;
};

}  // namespace ngosurvey::form::expr
