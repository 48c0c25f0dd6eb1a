// Binder: ParsedExpr -> BoundExpr. Resolves ${name} and main-instance paths to the
// caller's slots, instance('id') to instance indexes, functions to ids, compiles
// constant regular expressions, and checks the arguments that must be references
// (indexed-repeat, jr:choice-name). Paths on the main instance are resolved by their
// last step's name (XLSForm names are unique in a form): `../x`, `/data/g/x` and
// `current()/../x` all mean ${x}.
#include <algorithm>

#include "base/text.h"
#include "form/expr/bound_internal.h"
#include "form/expr/errors.h"

namespace ngosurvey::form::expr {

namespace {

// "; did you mean 'x'?" for the closest function name, or "".
std::string SuggestFunction(std::string_view name) {
  std::string best;
  // Short names need a close match: "foo" is not a typo of "cos".
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (const FunctionInfo& info : Functions()) {
    size_t d = text::EditDistance(name, info.name);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(info.name);
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

std::optional<Error> CheckCall(const std::string& text, const FunctionCall& call) {
  const FunctionDef* def = FindFunctionDef(call.name);
  if (def == nullptr) {
    return MakeExprError(ErrorCode::kUnknownFunction, text, call.offset, call.name,
                         SuggestFunction(call.name));
  }
  const FunctionInfo& info = def->info;
  bool ok = call.arity >= info.min_args && (info.max_args < 0 || call.arity <= info.max_args);
  // indexed-repeat takes (value, repeat, n) plus pairs.
  if (ok && def->id == FuncId::kIndexedRepeat && call.arity % 2 == 0) ok = false;
  if (!ok) {
    std::string given = std::to_string(call.arity);
    return MakeExprError(
        ErrorCode::kWrongArity, text, call.offset, call.name,
        def->id == FuncId::kIndexedRepeat ? "3, 5 or 7 arguments" : ArityText(info), given);
  }
  return std::nullopt;
}

class Binder {
 public:
  Binder(const ParsedExprData& parsed, const NameResolver& resolver, BoundExprData* out)
      : parsed_(parsed), resolver_(resolver), out_(out) {}

  Result<int> Bind(int index, bool in_predicate) {
    const AstNode& ast = parsed_.nodes[index];
    BoundNode node;
    node.offset = ast.offset;
    switch (ast.kind) {
      case AstKind::kNumber:
        node.op = BoundOp::kConst;
        node.constant = Value::Number(ast.number);
        return Add(std::move(node));
      case AstKind::kString:
        node.op = BoundOp::kConst;
        node.constant_text = ast.text;
        return Add(std::move(node));
      case AstKind::kDollarRef:
        if (ast.last_saved) {
          // ngosurvey keeps no last saved submission: the value is '', as in ODK Collect
          // before the first one is saved. No dependency on the question.
          if (!resolver_.Resolve(ast.text)) {
            return tl::unexpected(
                MakeExprError(ErrorCode::kUnknownName, parsed_.text, ast.offset, ast.text));
          }
          node.op = BoundOp::kConst;
          return Add(std::move(node));
        }
        return BindName(ast.text, ast.offset);
      case AstKind::kBinary: {
        node.op = BoundOp::kBinary;
        node.binary = ast.op;
        node.args.push_back(NGO_TRY(Bind(ast.children[0], in_predicate)));
        node.args.push_back(NGO_TRY(Bind(ast.children[1], in_predicate)));
        return Add(std::move(node));
      }
      case AstKind::kNegate:
        node.op = BoundOp::kNegate;
        node.args.push_back(NGO_TRY(Bind(ast.children[0], in_predicate)));
        return Add(std::move(node));
      case AstKind::kCall:
        return BindCall(ast, in_predicate);
      case AstKind::kFilter: {
        node.op = BoundOp::kPath;
        node.has_head = true;
        node.args.push_back(NGO_TRY(Bind(ast.children[0], in_predicate)));
        BoundStep step;
        step.axis = AstStep::Axis::kSelf;
        step.whole_set = true;
        for (int p : ast.predicates) step.predicates.push_back(NGO_TRY(Bind(p, true)));
        node.steps.push_back(std::move(step));
        return Add(std::move(node));
      }
      case AstKind::kPath:
        return BindPath(ast, in_predicate);
    }
    return tl::unexpected(
        MakeExprError(ErrorCode::kUnsupportedPath, parsed_.text, ast.offset, "?"));
  }

 private:
  Result<int> Add(BoundNode node) {
    out_->nodes.push_back(std::move(node));
    return static_cast<int>(out_->nodes.size()) - 1;
  }

  Result<int> BindName(const std::string& name, int offset) {
    std::optional<Symbol> symbol = resolver_.Resolve(name);
    if (!symbol) {
      return tl::unexpected(MakeExprError(ErrorCode::kUnknownName, parsed_.text, offset, name));
    }
    BoundNode node;
    node.op = BoundOp::kSlot;
    node.offset = offset;
    node.slot = symbol->slot;
    node.hint = symbol->hint;
    out_->dependencies.push_back(symbol->slot);
    return Add(std::move(node));
  }

  tl::unexpected<Error> Unsupported(int offset, std::string_view why) const {
    return tl::unexpected(MakeExprError(ErrorCode::kUnsupportedPath, parsed_.text, offset, why));
  }

  static bool OnlyUpOrSelf(const std::vector<AstStep>& steps, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      if (steps[i].axis != AstStep::Axis::kParent && steps[i].axis != AstStep::Axis::kSelf)
        return false;
    }
    return true;
  }

  // A path on the main instance: resolved to a slot by its last step.
  Result<int> BindMainPath(const AstNode& ast) {
    const std::vector<AstStep>& steps = ast.steps;
    if (steps.empty()) return Unsupported(ast.offset, "the root '/' is not a value");
    const AstStep& last = steps.back();
    if (last.axis == AstStep::Axis::kSelf && OnlyUpOrSelf(steps, steps.size()) &&
        std::all_of(steps.begin(), steps.end(),
                    [](const AstStep& s) { return s.axis == AstStep::Axis::kSelf; })) {
      BoundNode node;
      node.op = BoundOp::kCurrent;
      node.offset = ast.offset;
      return Add(std::move(node));
    }
    if (last.axis != AstStep::Axis::kChild || last.name == "*") {
      return Unsupported(last.offset, "a path on the form's data must end with a question name");
    }
    for (const AstStep& s : steps) {
      if (!s.predicates.empty()) {
        return Unsupported(s.offset, "predicates on the form's data; use indexed-repeat()");
      }
      if (s.axis == AstStep::Axis::kDescendant || s.axis == AstStep::Axis::kAttribute) {
        return Unsupported(s.offset, "'//' and '@' on the form's data");
      }
    }
    // XPath: a path to a node that does not exist is an empty node-set, not an
    // error (`${x} = yes` compares with nothing and is false, as in ODK clients).
    if (!resolver_.Resolve(last.name)) {
      BoundNode node;
      node.op = BoundOp::kConst;
      node.offset = ast.offset;
      node.constant.kind = ValueKind::kNodeSet;
      return Add(std::move(node));
    }
    return BindName(last.name, ast.offset);
  }

  Result<int> BindPath(const AstNode& ast, bool in_predicate) {
    if (ast.head >= 0) {
      const AstNode& head = parsed_.nodes[ast.head];
      if (head.kind == AstKind::kCall && head.text == "current" && head.children.empty()) {
        return BindMainPath(ast);
      }
    } else if (ast.absolute || !in_predicate) {
      return BindMainPath(ast);
    }
    // A path over node-sets: from a head expression (instance('x')/...) or, inside a
    // predicate, from the node being filtered.
    BoundNode node;
    node.op = BoundOp::kPath;
    node.offset = ast.offset;
    if (ast.head >= 0) {
      node.has_head = true;
      node.args.push_back(NGO_TRY(Bind(ast.head, in_predicate)));
    } else if (ast.steps.size() == 1 && ast.steps[0].axis == AstStep::Axis::kSelf) {
      node.op = BoundOp::kContextNode;
      return Add(std::move(node));
    }
    for (const AstStep& s : ast.steps) {
      if (s.axis == AstStep::Axis::kDescendant || s.axis == AstStep::Axis::kAttribute) {
        return Unsupported(s.offset, "'//' and '@' in secondary instances");
      }
      BoundStep step;
      step.axis = s.axis;
      step.name = s.name;
      for (int p : s.predicates) step.predicates.push_back(NGO_TRY(Bind(p, true)));
      node.steps.push_back(std::move(step));
    }
    return Add(std::move(node));
  }

  // The question named by jr:choice-name's second argument: '${name}', a path, or a name.
  Result<int> BindQuestionLiteral(const AstNode& arg) {
    std::string_view s = text::Trim(arg.text);
    std::string name;
    if (s.size() > 3 && s.substr(0, 2) == "${" && s.back() == '}') {
      name = std::string(s.substr(2, s.size() - 3));
    } else {
      size_t slash = s.rfind('/');
      name = std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
    }
    if (name.empty()) {
      return tl::unexpected(MakeExprError(ErrorCode::kBadArgument, parsed_.text, arg.offset,
                                          "jr:choice-name",
                                          "the second argument names no question"));
    }
    std::optional<Symbol> symbol = resolver_.Resolve(name);
    if (!symbol) {
      return tl::unexpected(MakeExprError(ErrorCode::kUnknownName, parsed_.text, arg.offset, name));
    }
    out_->dependencies.push_back(symbol->slot);
    return symbol->slot;
  }

  Result<int> BindCall(const AstNode& ast, bool in_predicate) {
    FunctionCall call{ast.text, static_cast<int>(ast.children.size()), ast.offset};
    if (std::optional<Error> error = CheckCall(parsed_.text, call)) return tl::unexpected(*error);
    const FunctionDef* def = FindFunctionDef(ast.text);
    if (def->is_volatile) out_->is_volatile = true;
    BoundNode node;
    node.offset = ast.offset;
    node.op = BoundOp::kCall;
    node.fn = def->id;
    node.family = def->family;
    switch (def->id) {
      case FuncId::kCurrent:
        node.op = BoundOp::kCurrent;
        return Add(std::move(node));
      case FuncId::kInstance: {
        const AstNode& arg = parsed_.nodes[ast.children[0]];
        if (arg.kind != AstKind::kString) {
          return tl::unexpected(MakeExprError(ErrorCode::kBadArgument, parsed_.text, arg.offset,
                                              "instance", "the id must be a quoted name"));
        }
        std::optional<int> instance = resolver_.ResolveInstance(arg.text);
        if (!instance) {
          return tl::unexpected(
              MakeExprError(ErrorCode::kUnknownInstance, parsed_.text, arg.offset, arg.text));
        }
        node.instance = *instance;
        return Add(std::move(node));
      }
      case FuncId::kChoiceName: {
        node.args.push_back(NGO_TRY(Bind(ast.children[0], in_predicate)));
        const AstNode& arg = parsed_.nodes[ast.children[1]];
        if (arg.kind != AstKind::kString) {
          return tl::unexpected(
              MakeExprError(ErrorCode::kBadArgument, parsed_.text, arg.offset, "jr:choice-name",
                            "the second argument must be a quoted question, e.g. '${q}'"));
        }
        node.slot = NGO_TRY(BindQuestionLiteral(arg));
        return Add(std::move(node));
      }
      case FuncId::kIndexedRepeat: {
        for (size_t i = 0; i < ast.children.size(); ++i) {
          int bound = NGO_TRY(Bind(ast.children[i], in_predicate));
          bool must_be_ref = i == 0 || i % 2 == 1;
          if (must_be_ref && out_->nodes[bound].op != BoundOp::kSlot) {
            return tl::unexpected(
                MakeExprError(ErrorCode::kBadArgument, parsed_.text,
                              parsed_.nodes[ast.children[i]].offset, "indexed-repeat",
                              i == 0 ? "the first argument must be a question reference"
                                     : "repeat arguments must be references to repeats"));
          }
          node.args.push_back(bound);
        }
        return Add(std::move(node));
      }
      case FuncId::kPosition: {
        if (ast.children.empty()) return Add(std::move(node));
        const AstNode& arg = parsed_.nodes[ast.children[0]];
        // position(..) and position(.): the current repeat instance.
        if (arg.kind == AstKind::kPath && arg.head < 0 && !arg.absolute &&
            OnlyUpOrSelf(arg.steps, arg.steps.size())) {
          return Add(std::move(node));
        }
        int bound = NGO_TRY(Bind(ast.children[0], in_predicate));
        if (out_->nodes[bound].op != BoundOp::kSlot) {
          return tl::unexpected(MakeExprError(ErrorCode::kBadArgument, parsed_.text, arg.offset,
                                              "position",
                                              "the argument must be .. or a reference"));
        }
        node.args.push_back(bound);
        return Add(std::move(node));
      }
      case FuncId::kRegex: {
        node.args.push_back(NGO_TRY(Bind(ast.children[0], in_predicate)));
        const AstNode& pattern = parsed_.nodes[ast.children[1]];
        node.args.push_back(NGO_TRY(Bind(ast.children[1], in_predicate)));
        if (pattern.kind == AstKind::kString) {
          try {
            node.regex = std::make_shared<const std::regex>(pattern.text, kRegexSyntax);
          } catch (const std::regex_error& e) {
            return tl::unexpected(MakeExprError(ErrorCode::kBadRegex, parsed_.text, pattern.offset,
                                                pattern.text, e.what()));
          }
        }
        return Add(std::move(node));
      }
      default:
        for (int child : ast.children) node.args.push_back(NGO_TRY(Bind(child, in_predicate)));
        return Add(std::move(node));
    }
  }

  const ParsedExprData& parsed_;
  const NameResolver& resolver_;
  BoundExprData* out_;
};

}  // namespace

std::vector<Error> CheckFunctions(const ParsedExpr& parsed) {
  std::vector<Error> errors;
  for (const FunctionCall& call : parsed.function_calls()) {
    if (std::optional<Error> error = CheckCall(parsed.text(), call))
      errors.push_back(std::move(*error));
  }
  return errors;
}

const std::string& BoundExpr::text() const {
  static const std::string kEmpty;
  return data_ ? data_->text : kEmpty;
}

const std::vector<int>& BoundExpr::dependencies() const {
  static const std::vector<int> kNone;
  return data_ ? data_->dependencies : kNone;
}

bool BoundExpr::is_volatile() const { return data_ && data_->is_volatile; }

Result<BoundExpr> Bind(const ParsedExpr& parsed, const NameResolver& resolver) {
  auto data = std::make_shared<BoundExprData>();
  if (parsed.text().empty() && parsed.references().empty() && parsed.function_calls().empty()) {
    // A default-constructed ParsedExpr has no tree.
    return tl::unexpected(MakeExprError(ErrorCode::kEmpty, "", 0));
  }
  const ParsedExprData& tree = parsed.data();
  data->text = tree.text;
  Binder binder(tree, resolver, data.get());
  data->root = NGO_TRY(binder.Bind(tree.root, false));
  // String constants view their own storage, which is final only now.
  for (BoundNode& node : data->nodes) {
    if (node.op == BoundOp::kConst && node.constant.kind == ValueKind::kString) {
      node.constant.text = node.constant_text;
    }
  }
  std::sort(data->dependencies.begin(), data->dependencies.end());
  data->dependencies.erase(std::unique(data->dependencies.begin(), data->dependencies.end()),
                           data->dependencies.end());
  BoundExpr bound;
  bound.data_ = std::move(data);
  return bound;
}

Result<BoundExpr> Compile(std::string_view text, const NameResolver& resolver) {
  ParsedExpr parsed = NGO_TRY(Parse(text));
  return Bind(parsed, resolver);
}

}  // namespace ngosurvey::form::expr
