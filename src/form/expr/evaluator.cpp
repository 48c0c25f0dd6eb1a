// Evaluator: BoundExpr + EvalContext -> Value, with XPath 1.0 type rules and the
// ODK functions. All memory an evaluation needs (strings it builds, node-sets)
// comes from the Evaluator's arena and vector pool, which are reset, not freed,
// between evaluations: a warm Evaluator does not touch the heap.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>

#include "base/date.h"
#include "base/text.h"
#include "form/expr/bound_internal.h"
#include "form/expr/errors.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {

namespace {

constexpr size_t kArenaBlock = 64 * 1024;
constexpr size_t kMaxBuiltString = size_t{16} << 20;  // larger results are E059

// Bump allocator whose blocks survive Reset().
class Arena {
 public:
  void Reset() {
    current_ = 0;
    used_ = 0;
  }
  char* Alloc(size_t n, size_t align = alignof(std::max_align_t)) {
    while (current_ < blocks_.size()) {
      size_t start = (used_ + align - 1) & ~(align - 1);
      if (start + n <= blocks_[current_].size) {
        used_ = start + n;
        return blocks_[current_].data.get() + start;
      }
      ++current_;
      used_ = 0;
    }
    size_t size = std::max(n, kArenaBlock);
    blocks_.push_back({std::unique_ptr<char[]>(new char[size]), size});
    current_ = blocks_.size() - 1;
    used_ = n;
    return blocks_.back().data.get();
  }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// memcpy of a view that may be empty (and then have a null data pointer).
void Put(char* dst, std::string_view s) {
  if (!s.empty()) std::memcpy(dst, s.data(), s.size());
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Clamps a double to an int64 range before conversion (NaN -> 0).
int64_t ClampToInt(double d, int64_t lo, int64_t hi) {
  if (std::isnan(d)) return 0;
  if (d <= static_cast<double>(lo)) return lo;
  if (d >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(d);
}

bool IsDateKind(ValueKind k) { return k == ValueKind::kDate || k == ValueKind::kDateTime; }

const char* const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Rounds the decimal text of |x| half away from zero at `digits` decimals.
double RoundDecimal(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return x;
  bool negative = x < 0;
  char buf[kNumberBufferSize];
  size_t len = FormatNumber(std::fabs(x), buf);
  std::string_view s(buf, len);
  size_t dot = s.find('.');
  std::string all;
  all.reserve(len + 2);
  size_t int_len = dot == std::string_view::npos ? s.size() : dot;
  all.append(s.substr(0, int_len));
  if (dot != std::string_view::npos) all.append(s.substr(dot + 1));
  int64_t keep = static_cast<int64_t>(int_len) + digits;
  if (keep >= static_cast<int64_t>(all.size())) return x;
  if (keep < 0) return negative ? -0.0 : 0.0;
  bool up = all[keep] >= '5';
  std::string prefix = all.substr(0, keep);
  if (up) {
    int64_t i = static_cast<int64_t>(prefix.size()) - 1;
    while (i >= 0 && prefix[i] == '9') prefix[i--] = '0';
    if (i >= 0) {
      ++prefix[i];
    } else {
      prefix.insert(prefix.begin(), '1');
      ++int_len;
    }
  }
  // Digits kept are the first `keep` (+1 on carry) of a number with int_len integer digits.
  std::string out;
  if (static_cast<int64_t>(prefix.size()) <= static_cast<int64_t>(int_len)) {
    out = prefix + std::string(int_len - prefix.size(), '0');
  } else {
    out = prefix.substr(0, int_len) + "." + prefix.substr(int_len);
  }
  if (out.empty()) out = "0";
  double result = ParseXPathNumber(out);
  return negative ? -result : result;
}

}  // namespace

struct Evaluator::State {
  Arena arena;
  std::deque<std::vector<NodeRef>> pool;  // node vectors, reused (deque: stable addresses)
  size_t pool_used = 0;
  std::vector<std::pair<std::string, std::shared_ptr<const std::regex>>> regex_cache;

  const BoundExprData* expr = nullptr;
  const EvalContext* ctx = nullptr;
  bool failed = false;
  Error error;

  // The node being filtered by a predicate (in_predicate), its position and the set size.
  bool in_predicate = false;
  NodeRef context;
  int context_position = 0;
  int context_size = 0;

  void Fail(ErrorCode code, int offset, std::string_view a0 = {}, std::string_view a1 = {}) {
    if (failed) return;
    failed = true;
    error = MakeExprError(code, expr->text, offset, a0, a1);
  }

  std::vector<NodeRef>* AcquireVector() {
    if (pool_used == pool.size()) pool.emplace_back();
    std::vector<NodeRef>* v = &pool[pool_used++];
    v->clear();
    return v;
  }
  void ReleaseVector() { --pool_used; }

  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = arena.Alloc(s.size(), 1);
    std::memcpy(p, s.data(), s.size());
    return std::string_view(p, s.size());
  }

  Value NodeSet(const std::vector<NodeRef>& nodes) {
    Value v;
    v.kind = ValueKind::kNodeSet;
    v.node_count = static_cast<uint32_t>(nodes.size());
    if (!nodes.empty()) {
      NodeRef* p =
          reinterpret_cast<NodeRef*>(arena.Alloc(sizeof(NodeRef) * nodes.size(), alignof(NodeRef)));
      std::copy(nodes.begin(), nodes.end(), p);
      v.nodes = p;
    } else {
      v.nodes = reinterpret_cast<const NodeRef*>(arena.Alloc(0, alignof(NodeRef)));
    }
    return v;
  }

  // A node set of exactly one node (the context node, an instance root).
  Value OneNode(const NodeRef& ref) {
    NodeRef* p = reinterpret_cast<NodeRef*>(arena.Alloc(sizeof(NodeRef), alignof(NodeRef)));
    *p = ref;
    Value v;
    v.kind = ValueKind::kNodeSet;
    v.nodes = p;
    v.node_count = 1;
    return v;
  }

  // ---- nodes -------------------------------------------------------------
  static NodeRef NodeAt(const Value& v, uint32_t i) {
    if (v.nodes) return v.nodes[i];
    NodeRef r;
    r.kind = NodeRef::Kind::kSlot;
    r.a = v.slot;
    r.b = static_cast<int32_t>(i);
    return r;
  }

  const SecondaryInstance* InstanceOf(const NodeRef& n) const { return ctx->Instance(n.a); }

  std::string_view NodeText(const NodeRef& n) {
    switch (n.kind) {
      case NodeRef::Kind::kSlot:
        return ctx->ValueAt(n.a, static_cast<size_t>(n.b));
      case NodeRef::Kind::kField: {
        const SecondaryInstance* inst = InstanceOf(n);
        if (!inst || n.b < 0 || static_cast<size_t>(n.b) >= inst->items.size()) return {};
        const auto& row = inst->items[n.b];
        return n.c >= 0 && static_cast<size_t>(n.c) < row.size() ? std::string_view(row[n.c])
                                                                 : std::string_view();
      }
      case NodeRef::Kind::kItem: {
        const SecondaryInstance* inst = InstanceOf(n);
        if (!inst || n.b < 0 || static_cast<size_t>(n.b) >= inst->items.size()) return {};
        size_t total = 0;
        for (const std::string& f : inst->items[n.b]) total += f.size();
        char* p = arena.Alloc(total, 1);
        size_t at = 0;
        for (const std::string& f : inst->items[n.b]) {
          Put(p + at, f);
          at += f.size();
        }
        return std::string_view(p, total);
      }
      case NodeRef::Kind::kInstanceRoot:
      case NodeRef::Kind::kInstanceElement: {
        const SecondaryInstance* inst = InstanceOf(n);
        if (!inst) return {};
        size_t total = 0;
        for (const auto& row : inst->items) {
          for (const std::string& f : row) total += f.size();
        }
        if (total > kMaxBuiltString) return {};
        char* p = arena.Alloc(total, 1);
        size_t at = 0;
        for (const auto& row : inst->items) {
          for (const std::string& f : row) {
            Put(p + at, f);
            at += f.size();
          }
        }
        return std::string_view(p, total);
      }
    }
    return {};
  }

  // A node's value as an atom, typed by the slot's hint (dates compare as dates).
  Value NodeAtom(const NodeRef& n, TypeHint hint) {
    std::string_view text = NodeText(n);
    if (n.kind == NodeRef::Kind::kSlot && !text.empty()) {
      if (hint == TypeHint::kDate || hint == TypeHint::kDateTime) {
        if (auto dt = ParseIsoDateTime(text)) {
          if (dt->has_time) return Value::DateTime(dt->millis, dt->tz_minutes);
          return Value::Date(dt->millis / kMillisPerDay);
        }
      } else if (hint == TypeHint::kTime) {
        if (auto f = ParseIsoTimeFraction(text)) return Value::Number(*f);
      }
    }
    return Value::String(text);
  }

  // ---- conversions ---------------------------------------------------------
  std::string_view StringOf(const Value& v) {
    switch (v.kind) {
      case ValueKind::kString:
        return v.text;
      case ValueKind::kBoolean:
        return v.number != 0 ? "true" : "false";
      case ValueKind::kNumber: {
        char* p = arena.Alloc(kNumberBufferSize, 1);
        return std::string_view(p, FormatNumber(v.number, p));
      }
      case ValueKind::kDate: {
        char* p = arena.Alloc(48, 1);
        return std::string_view(p, FormatDate(v.number, p));
      }
      case ValueKind::kDateTime: {
        char* p = arena.Alloc(64, 1);
        return std::string_view(p, FormatDateTime(v.number, v.tz_minutes, p));
      }
      case ValueKind::kNodeSet:
        if (v.node_count == 0) return {};
        if (v.hint == TypeHint::kRepeat && !v.nodes) return {};
        return NodeText(NodeAt(v, 0));
    }
    return {};
  }

  double NumberOf(const Value& v) {
    switch (v.kind) {
      case ValueKind::kString:
        return ParseXPathNumber(v.text);
      case ValueKind::kBoolean:
      case ValueKind::kNumber:
      case ValueKind::kDate:
        return v.number;
      case ValueKind::kDateTime:
        return v.number / kMillisPerDay;
      case ValueKind::kNodeSet: {
        if (v.node_count == 0) return NAN;
        return NumberOf(NodeAtom(NodeAt(v, 0), v.hint));
      }
    }
    return NAN;
  }

  bool BoolOf(const Value& v) {
    switch (v.kind) {
      case ValueKind::kString:
        return !v.text.empty();
      case ValueKind::kBoolean:
        return v.number != 0;
      case ValueKind::kNumber:
        return v.number != 0 && !std::isnan(v.number);
      case ValueKind::kDate:
      case ValueKind::kDateTime:
        return !std::isnan(v.number);
      case ValueKind::kNodeSet:
        // As JavaRosa does: one node counts by its value, so an unanswered ${q} is false.
        if (v.node_count != 1 || (v.hint == TypeHint::kRepeat && !v.nodes)) return v.node_count > 0;
        return !NodeText(NodeAt(v, 0)).empty();
    }
    return false;
  }

  // For <, <=, >, >=: a string in ISO date form counts as its day number.
  double CompareNumber(const Value& v) {
    if (v.kind == ValueKind::kString) {
      if (v.text.size() >= 10 && v.text[4] == '-') {
        if (auto dt = ParseIsoDateTime(v.text)) return dt->millis / kMillisPerDay;
      }
      return ParseXPathNumber(v.text);
    }
    return NumberOf(v);
  }

  bool CompareAtoms(BinaryOp op, const Value& a, const Value& b) {
    if (op == BinaryOp::kEq || op == BinaryOp::kNe) {
      bool equal;
      if (a.kind == ValueKind::kBoolean || b.kind == ValueKind::kBoolean) {
        equal = BoolOf(a) == BoolOf(b);
      } else if (a.kind == ValueKind::kNumber || b.kind == ValueKind::kNumber) {
        equal = NumberOf(a) == NumberOf(b);
      } else if (IsDateKind(a.kind) || IsDateKind(b.kind)) {
        double x = CompareNumber(a), y = CompareNumber(b);
        if (std::isnan(x) || std::isnan(y)) {
          equal = StringOf(a) == StringOf(b);
        } else {
          equal = x == y;
        }
      } else {
        equal = StringOf(a) == StringOf(b);
      }
      return op == BinaryOp::kEq ? equal : !equal;
    }
    double x = CompareNumber(a), y = CompareNumber(b);
    switch (op) {
      case BinaryOp::kLt:
        return x < y;
      case BinaryOp::kLe:
        return x <= y;
      case BinaryOp::kGt:
        return x > y;
      case BinaryOp::kGe:
        return x >= y;
      default:
        return false;
    }
  }

  // XPath 1.0 section 3.4, node-sets compare existentially.
  bool Compare(BinaryOp op, const Value& a, const Value& b) {
    bool a_set = a.kind == ValueKind::kNodeSet, b_set = b.kind == ValueKind::kNodeSet;
    if (!a_set && !b_set) return CompareAtoms(op, a, b);
    if (a.kind == ValueKind::kBoolean || b.kind == ValueKind::kBoolean) {
      return CompareAtoms(op, Value::Boolean(BoolOf(a)), Value::Boolean(BoolOf(b)));
    }
    uint32_t a_count = a_set ? a.node_count : 1, b_count = b_set ? b.node_count : 1;
    for (uint32_t i = 0; i < a_count; ++i) {
      Value x = a_set ? NodeAtom(NodeAt(a, i), a.hint) : a;
      for (uint32_t j = 0; j < b_count; ++j) {
        Value y = b_set ? NodeAtom(NodeAt(b, j), b.hint) : b;
        if (CompareAtoms(op, x, y)) return true;
      }
    }
    return false;
  }

  // ---- evaluation ----------------------------------------------------------
  const BoundNode& Node(int index) const { return expr->nodes[index]; }

  Value Eval(int index) {
    const BoundNode& node = Node(index);
    switch (node.op) {
      case BoundOp::kConst:
        return node.constant;
      case BoundOp::kSlot: {
        Value v;
        v.kind = ValueKind::kNodeSet;
        v.hint = node.hint;
        v.slot = node.slot;
        v.node_count = static_cast<uint32_t>(ctx->ValueCount(node.slot));
        return v;
      }
      case BoundOp::kCurrent:
        return Value::String(ctx->CurrentValue());
      case BoundOp::kContextNode: {
        if (!in_predicate) return Value::String(ctx->CurrentValue());
        return OneNode(context);
      }
      case BoundOp::kNegate:
        return Value::Number(-NumberOf(Eval(node.args[0])));
      case BoundOp::kBinary:
        return EvalBinary(node);
      case BoundOp::kCall:
        return EvalCall(node);
      case BoundOp::kPath:
        return EvalPath(node);
    }
    return {};
  }

  Value EvalBinary(const BoundNode& node) {
    switch (node.binary) {
      case BinaryOp::kOr: {
        if (BoolOf(Eval(node.args[0]))) return Value::Boolean(true);
        return Value::Boolean(BoolOf(Eval(node.args[1])));
      }
      case BinaryOp::kAnd: {
        if (!BoolOf(Eval(node.args[0]))) return Value::Boolean(false);
        return Value::Boolean(BoolOf(Eval(node.args[1])));
      }
      case BinaryOp::kEq:
      case BinaryOp::kNe:
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe: {
        Value a = Eval(node.args[0]);
        Value b = Eval(node.args[1]);
        return Value::Boolean(Compare(node.binary, a, b));
      }
      case BinaryOp::kUnion: {
        Value a = Eval(node.args[0]);
        Value b = Eval(node.args[1]);
        if (a.kind != ValueKind::kNodeSet || b.kind != ValueKind::kNodeSet) {
          Fail(ErrorCode::kNotNodeSet, node.offset, "|");
          return {};
        }
        std::vector<NodeRef>* out = AcquireVector();
        for (const Value* v : {&a, &b}) {
          for (uint32_t i = 0; i < v->node_count; ++i) {
            NodeRef n = NodeAt(*v, i);
            bool seen = std::any_of(out->begin(), out->end(), [&](const NodeRef& m) {
              return m.kind == n.kind && m.a == n.a && m.b == n.b && m.c == n.c;
            });
            if (!seen) out->push_back(n);
          }
        }
        Value result = NodeSet(*out);
        result.hint = a.hint == b.hint ? a.hint : TypeHint::kUnknown;
        ReleaseVector();
        return result;
      }
      default: {
        double x = NumberOf(Eval(node.args[0]));
        double y = NumberOf(Eval(node.args[1]));
        switch (node.binary) {
          case BinaryOp::kAdd:
            return Value::Number(x + y);
          case BinaryOp::kSub:
            return Value::Number(x - y);
          case BinaryOp::kMul:
            return Value::Number(x * y);
          case BinaryOp::kDiv:
            return Value::Number(x / y);
          case BinaryOp::kMod:
            return Value::Number(std::fmod(x, y));
          default:
            return {};
        }
      }
    }
  }

  // ---- paths ---------------------------------------------------------------
  void AddChildren(const NodeRef& n, const std::string& name, std::vector<NodeRef>* out) {
    const SecondaryInstance* inst = n.kind == NodeRef::Kind::kSlot ? nullptr : InstanceOf(n);
    switch (n.kind) {
      case NodeRef::Kind::kInstanceRoot:
        out->push_back({NodeRef::Kind::kInstanceElement, n.a, 0, 0});
        return;
      case NodeRef::Kind::kInstanceElement:
        if (!inst) return;
        for (size_t i = 0; i < inst->items.size(); ++i) {
          out->push_back({NodeRef::Kind::kItem, n.a, static_cast<int32_t>(i), 0});
        }
        return;
      case NodeRef::Kind::kItem: {
        if (!inst) return;
        if (name == "*") {
          for (size_t f = 0; f < inst->fields.size(); ++f) {
            out->push_back({NodeRef::Kind::kField, n.a, n.b, static_cast<int32_t>(f)});
          }
          return;
        }
        int f = inst->FieldIndex(name);
        if (f >= 0) out->push_back({NodeRef::Kind::kField, n.a, n.b, f});
        return;
      }
      default:
        return;
    }
  }

  bool AddParent(const NodeRef& n, std::vector<NodeRef>* out) {
    switch (n.kind) {
      case NodeRef::Kind::kField:
        out->push_back({NodeRef::Kind::kItem, n.a, n.b, 0});
        return true;
      case NodeRef::Kind::kItem:
        out->push_back({NodeRef::Kind::kInstanceElement, n.a, 0, 0});
        return true;
      case NodeRef::Kind::kInstanceElement:
        out->push_back({NodeRef::Kind::kInstanceRoot, n.a, 0, 0});
        return true;
      default:
        return false;
    }
  }

  // Keeps the candidates[begin..] that pass `predicate`, in place.
  void Filter(int predicate, std::vector<NodeRef>* nodes, size_t begin, TypeHint hint) {
    bool saved_in = in_predicate;
    NodeRef saved_node = context;
    int saved_pos = context_position, saved_size = context_size;
    size_t size = nodes->size() - begin;
    size_t kept = begin;
    for (size_t i = begin; i < nodes->size() && !failed; ++i) {
      in_predicate = true;
      context = (*nodes)[i];
      context_position = static_cast<int>(i - begin + 1);
      context_size = static_cast<int>(size);
      Value v = Eval(predicate);
      bool keep = v.kind == ValueKind::kNumber ? v.number == context_position : BoolOf(v);
      if (keep) (*nodes)[kept++] = (*nodes)[i];
    }
    nodes->resize(kept);
    in_predicate = saved_in;
    context = saved_node;
    context_position = saved_pos;
    context_size = saved_size;
    (void)hint;
  }

  Value EvalPath(const BoundNode& node) {
    Value start;
    if (node.has_head) {
      start = Eval(node.args[0]);
      if (failed) return {};
      if (start.kind != ValueKind::kNodeSet) {
        Fail(ErrorCode::kNotNodeSet, node.offset, "a path step after a value");
        return {};
      }
    } else {
      if (!in_predicate) return Value::String(ctx->CurrentValue());
      start = OneNode(context);
    }
    std::vector<NodeRef>* current = AcquireVector();
    for (uint32_t i = 0; i < start.node_count; ++i) current->push_back(NodeAt(start, i));
    TypeHint hint = start.hint;
    for (const BoundStep& step : node.steps) {
      std::vector<NodeRef>* next = AcquireVector();
      if (step.whole_set) {
        // A filter expression's predicates see the whole node-set (${x}[2]).
        next->assign(current->begin(), current->end());
        for (int predicate : step.predicates) {
          Filter(predicate, next, 0, hint);
          if (failed) break;
        }
        current->swap(*next);
        ReleaseVector();
        if (failed) break;
        continue;
      }
      for (const NodeRef& n : *current) {
        size_t begin = next->size();
        switch (step.axis) {
          case AstStep::Axis::kChild:
            AddChildren(n, step.name, next);
            break;
          case AstStep::Axis::kParent:
            AddParent(n, next);
            break;
          case AstStep::Axis::kSelf:
            next->push_back(n);
            break;
          default:
            break;
        }
        for (int predicate : step.predicates) {
          Filter(predicate, next, begin, hint);
          if (failed) break;
        }
        if (failed) break;
      }
      // Parents of siblings are one node: node-sets are sets (siblings are adjacent).
      if (step.axis == AstStep::Axis::kParent) {
        next->erase(std::unique(next->begin(), next->end(),
                                [](const NodeRef& x, const NodeRef& y) {
                                  return x.kind == y.kind && x.a == y.a && x.b == y.b && x.c == y.c;
                                }),
                    next->end());
      }
      // Only a self step keeps the slot's values (and their type).
      if (step.axis != AstStep::Axis::kSelf) hint = TypeHint::kUnknown;
      // Swap the contents into `current` (both vectors stay in the pool).
      current->swap(*next);
      ReleaseVector();
      if (failed) break;
    }
    Value result = NodeSet(*current);
    result.hint = hint;
    ReleaseVector();
    return result;
  }

  // ---- functions -----------------------------------------------------------
  std::string_view ArgString(const BoundNode& node, size_t i) {
    return StringOf(Eval(node.args[i]));
  }
  double ArgNumber(const BoundNode& node, size_t i) { return NumberOf(Eval(node.args[i])); }
  bool ArgBool(const BoundNode& node, size_t i) { return BoolOf(Eval(node.args[i])); }

  // The context string for string(), string-length() etc. without arguments.
  std::string_view ContextString() {
    if (in_predicate) return NodeText(context);
    return ctx->CurrentValue();
  }

  Value Build(std::string_view a) { return Value::String(Copy(a)); }

  std::string_view Substring(std::string_view s, int64_t begin_cp, int64_t end_cp) {
    size_t pos = 0;
    int64_t cp = 0;
    size_t begin_byte = s.size(), end_byte = s.size();
    while (pos < s.size()) {
      if (cp == begin_cp) begin_byte = pos;
      if (cp == end_cp) {
        end_byte = pos;
        break;
      }
      text::DecodeOne(s, &pos);
      ++cp;
    }
    if (begin_cp >= cp && begin_byte == s.size()) return {};
    if (end_byte < begin_byte) return {};
    return s.substr(begin_byte, end_byte - begin_byte);
  }

  Value EvalCall(const BoundNode& node);
  Value EvalLogic(const BoundNode& node);
  Value EvalSelect(const BoundNode& node);
  Value EvalString(const BoundNode& node);
  Value EvalText(const BoundNode& node);
  Value EvalNumber(const BoundNode& node);
  Value EvalNodeSet(const BoundNode& node);
  Value EvalDate(const BoundNode& node);
  Value FormatDateValue(const Value& v, std::string_view format, int offset);
  Value Regex(const BoundNode& node);
  Value Uuid(const BoundNode& node);
  Value Aggregate(const BoundNode& node);
};

Value Evaluator::State::FormatDateValue(const Value& v, std::string_view format, int offset) {
  double local_millis;
  if (v.kind == ValueKind::kDate) {
    local_millis = v.number * kMillisPerDay;
  } else if (v.kind == ValueKind::kDateTime) {
    local_millis = v.number + v.tz_minutes * 60000.0;
  } else if (v.kind == ValueKind::kNumber || v.kind == ValueKind::kBoolean) {
    local_millis = v.number * kMillisPerDay;
  } else {
    std::string_view s = StringOf(v);
    auto dt = ParseIsoDateTime(s);
    if (!dt) return Value::String("");
    local_millis = dt->millis + dt->tz_minutes * 60000.0;
  }
  if (!std::isfinite(local_millis) || std::fabs(local_millis) > 1e9 * kMillisPerDay) {
    return Value::String("");
  }
  double days = std::floor(local_millis / kMillisPerDay);
  int64_t ms = static_cast<int64_t>(local_millis - days * kMillisPerDay);
  const date::Civil civil = date::CivilFromDays(static_cast<int64_t>(days));
  const int64_t y = civil.year;
  const unsigned m = civil.month, d = civil.day;
  int64_t weekday = (static_cast<int64_t>(days) % 7 + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  char* out = arena.Alloc(format.size() * 8 + 32, 1);
  size_t n = 0;
  auto put = [&](const char* s) {
    size_t len = std::strlen(s);
    std::memcpy(out + n, s, len);
    n += len;
  };
  char num[32];
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out[n++] = format[i];
      continue;
    }
    char c = format[++i];
    switch (c) {
      case 'Y':
        std::snprintf(num, sizeof num, "%04lld", static_cast<long long>(y));
        put(num);
        break;
      case 'y':
        std::snprintf(num, sizeof num, "%02lld", static_cast<long long>(((y % 100) + 100) % 100));
        put(num);
        break;
      case 'm':
        std::snprintf(num, sizeof num, "%02u", m);
        put(num);
        break;
      case 'n':
        std::snprintf(num, sizeof num, "%u", m);
        put(num);
        break;
      case 'b':
        put(kMonthNames[m - 1]);
        break;
      case 'd':
        std::snprintf(num, sizeof num, "%02u", d);
        put(num);
        break;
      case 'e':
        std::snprintf(num, sizeof num, "%u", d);
        put(num);
        break;
      case 'a':
        put(kDayNames[weekday]);
        break;
      case 'H':
        std::snprintf(num, sizeof num, "%02d", static_cast<int>(ms / 3600000));
        put(num);
        break;
      case 'h':
        std::snprintf(num, sizeof num, "%d", static_cast<int>(ms / 3600000));
        put(num);
        break;
      case 'M':
        std::snprintf(num, sizeof num, "%02d", static_cast<int>(ms / 60000 % 60));
        put(num);
        break;
      case 'S':
        std::snprintf(num, sizeof num, "%02d", static_cast<int>(ms / 1000 % 60));
        put(num);
        break;
      case '3':
        std::snprintf(num, sizeof num, "%03d", static_cast<int>(ms % 1000));
        put(num);
        break;
      case '%':
        out[n++] = '%';
        break;
      default:
        out[n++] = '%';
        out[n++] = c;
        break;
    }
  }
  (void)offset;
  return Value::String(std::string_view(out, n));
}

Value Evaluator::State::Regex(const BoundNode& node) {
  std::string_view subject = ArgString(node, 0);
  if (failed) return {};
  if (text::CodePointCount(subject) > kMaxRegexInputChars) {
    Fail(ErrorCode::kRegexInputTooLong, node.offset, std::to_string(kMaxRegexInputChars));
    return {};
  }
  const std::regex* re = node.regex.get();
  if (!re) {
    std::string_view pattern = ArgString(node, 1);
    if (failed) return {};
    for (const auto& [text, compiled] : regex_cache) {
      if (text == pattern) re = compiled.get();
    }
    if (!re) {
      try {
        auto compiled = std::make_shared<const std::regex>(std::string(pattern), kRegexSyntax);
        if (regex_cache.size() >= 16) regex_cache.erase(regex_cache.begin());
        regex_cache.emplace_back(std::string(pattern), compiled);
        re = compiled.get();
      } catch (const std::regex_error& e) {
        Fail(ErrorCode::kBadRegex, node.offset, pattern, e.what());
        return {};
      }
    }
  }
  try {
    return Value::Boolean(std::regex_search(subject.begin(), subject.end(), *re));
  } catch (const std::regex_error& e) {
    Fail(ErrorCode::kEvalLimit, node.offset, std::string("regex(): ") + e.what());
    return {};
  }
}

Value Evaluator::State::Uuid(const BoundNode& node) {
  if (node.args.empty()) {
    uint8_t bytes[16];
    ctx->RandomBytes(bytes, sizeof bytes);
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);
    static const char kHex[] = "0123456789abcdef";
    char* p = arena.Alloc(36, 1);
    size_t n = 0;
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) p[n++] = '-';
      p[n++] = kHex[bytes[i] >> 4];
      p[n++] = kHex[bytes[i] & 15];
    }
    return Value::String(std::string_view(p, n));
  }
  double want = ArgNumber(node, 0);
  if (failed) return {};
  int64_t length = ClampToInt(want, 0, INT64_MAX);
  if (length > 10000) {
    Fail(ErrorCode::kEvalLimit, node.offset, "uuid() length over 10000");
    return {};
  }
  static const char kAlnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char* p = arena.Alloc(static_cast<size_t>(length), 1);
  for (int64_t i = 0; i < length; ++i) {
    uint8_t b[4];
    ctx->RandomBytes(b, 4);
    uint32_t r = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    p[i] = kAlnum[r % 62];
  }
  return Value::String(std::string_view(p, static_cast<size_t>(length)));
}

// min() and max(): every node of every node-set argument, and every other argument.
Value Evaluator::State::Aggregate(const BoundNode& node) {
  bool is_max = node.fn == FuncId::kMax;
  double best = NAN;
  bool any = false;
  for (int arg : node.args) {
    Value v = Eval(arg);
    if (failed) return {};
    uint32_t count = v.kind == ValueKind::kNodeSet ? v.node_count : 1;
    for (uint32_t i = 0; i < count; ++i) {
      double x =
          v.kind == ValueKind::kNodeSet ? NumberOf(NodeAtom(NodeAt(v, i), v.hint)) : NumberOf(v);
      if (std::isnan(x)) return Value::Number(NAN);
      if (!any || (is_max ? x > best : x < best)) best = x;
      any = true;
    }
  }
  return Value::Number(any ? best : NAN);
}

// A call dispatches on its family (the function table gives each function's: one
// switch per family, each a screenful), then on the function.
Value Evaluator::State::EvalCall(const BoundNode& node) {
  switch (node.family) {
    case FuncFamily::kLogic:
      return EvalLogic(node);
    case FuncFamily::kSelect:
      return EvalSelect(node);
    case FuncFamily::kString:
      return EvalString(node);
    case FuncFamily::kText:
      return EvalText(node);
    case FuncFamily::kNumber:
      return EvalNumber(node);
    case FuncFamily::kNodeSet:
      return EvalNodeSet(node);
    case FuncFamily::kDate:
      return EvalDate(node);
  }
  return {};
}

// Logic: if, not, coalesce, once...
Value Evaluator::State::EvalLogic(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kTrue:
      return Value::Boolean(true);
    case FuncId::kFalse:
      return Value::Boolean(false);
    case FuncId::kNot:
      return Value::Boolean(!ArgBool(node, 0));
    case FuncId::kBoolean:
      return Value::Boolean(ArgBool(node, 0));
    case FuncId::kBooleanFromString: {
      std::string_view s = ArgString(node, 0);
      return Value::Boolean(s == "true" || s == "1");
    }
    case FuncId::kIf:
      return ArgBool(node, 0) ? Eval(node.args[1]) : Eval(node.args[2]);
    case FuncId::kCoalesce: {
      for (size_t i = 0; i < node.args.size(); ++i) {
        Value v = Eval(node.args[i]);
        if (failed) return {};
        if (!StringOf(v).empty() || i + 1 == node.args.size()) return v;
      }
      return Value::String("");
    }
    case FuncId::kOnce: {
      std::string_view current = ctx->CurrentValue();
      if (!current.empty()) return Value::String(current);
      return Eval(node.args[0]);
    }
    default:
      break;
  }
  return {};
}

// Selects: selected, count-selected, selected-at, jr:choice-name.
Value Evaluator::State::EvalSelect(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kSelected: {
      std::string_view list = ArgString(node, 0);
      std::string_view want = TrimView(ArgString(node, 1));
      size_t pos = 0;
      while (pos < list.size()) {
        while (pos < list.size() && IsSpace(list[pos])) ++pos;
        size_t end = pos;
        while (end < list.size() && !IsSpace(list[end])) ++end;
        if (end > pos && list.substr(pos, end - pos) == want) return Value::Boolean(true);
        pos = end;
      }
      return Value::Boolean(false);
    }
    case FuncId::kCountSelected:
    case FuncId::kSelectedAt: {
      std::string_view list = ArgString(node, 0);
      int64_t want = -1;
      if (node.fn == FuncId::kSelectedAt) {
        double index = ArgNumber(node, 1);
        if (std::isnan(index) || index < 0) return Value::String("");
        want = ClampToInt(index, 0, INT32_MAX);
      }
      int64_t count = 0;
      size_t pos = 0;
      while (pos < list.size()) {
        while (pos < list.size() && IsSpace(list[pos])) ++pos;
        size_t end = pos;
        while (end < list.size() && !IsSpace(list[end])) ++end;
        if (end > pos) {
          if (count == want) return Value::String(list.substr(pos, end - pos));
          ++count;
        }
        pos = end;
      }
      if (node.fn == FuncId::kSelectedAt) return Value::String("");
      return Value::Number(static_cast<double>(count));
    }
    case FuncId::kChoiceName: {
      std::string_view choice = TrimView(ArgString(node, 0));
      if (failed || choice.empty()) return Value::String("");
      std::optional<std::string_view> label = ctx->ChoiceLabel(node.slot, choice);
      return Value::String(label ? *label : std::string_view());
    }
    default:
      break;
  }
  return {};
}

// Strings made or tested whole: string, concat, join, contains, starts-with...
Value Evaluator::State::EvalString(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kPulldata:
      return Value::String("");  // no media file here: see the function table
    case FuncId::kString:
      return Value::String(node.args.empty() ? ContextString() : ArgString(node, 0));
    case FuncId::kStringLength: {
      std::string_view s = node.args.empty() ? ContextString() : ArgString(node, 0);
      return Value::Number(static_cast<double>(text::CodePointCount(s)));
    }
    case FuncId::kConcat: {
      std::string_view parts[16];
      size_t total = 0;
      if (node.args.size() <= 16) {
        for (size_t i = 0; i < node.args.size(); ++i) {
          parts[i] = ArgString(node, i);
          total += parts[i].size();
        }
        if (total > kMaxBuiltString) {
          Fail(ErrorCode::kEvalLimit, node.offset, "concat() result too long");
          return {};
        }
        char* p = arena.Alloc(total, 1);
        size_t at = 0;
        for (size_t i = 0; i < node.args.size(); ++i) {
          Put(p + at, parts[i]);
          at += parts[i].size();
        }
        return Value::String(std::string_view(p, total));
      }
      // Many arguments: build pairwise in the arena.
      std::string_view acc;
      for (size_t i = 0; i < node.args.size(); ++i) {
        std::string_view part = ArgString(node, i);
        if (acc.size() + part.size() > kMaxBuiltString) {
          Fail(ErrorCode::kEvalLimit, node.offset, "concat() result too long");
          return {};
        }
        char* p = arena.Alloc(acc.size() + part.size(), 1);
        Put(p, acc);
        Put(p + acc.size(), part);
        acc = std::string_view(p, acc.size() + part.size());
      }
      return Value::String(acc);
    }
    case FuncId::kJoin: {
      std::string_view sep = ArgString(node, 0);
      std::string_view acc;
      bool first = true;
      for (size_t i = 1; i < node.args.size(); ++i) {
        Value v = Eval(node.args[i]);
        if (failed) return {};
        uint32_t count = v.kind == ValueKind::kNodeSet ? v.node_count : 1;
        if (v.kind == ValueKind::kNodeSet && v.hint == TypeHint::kRepeat && !v.nodes) count = 0;
        for (uint32_t j = 0; j < count; ++j) {
          std::string_view part =
              v.kind == ValueKind::kNodeSet ? NodeText(NodeAt(v, j)) : StringOf(v);
          size_t size = acc.size() + (first ? 0 : sep.size()) + part.size();
          if (size > kMaxBuiltString) {
            Fail(ErrorCode::kEvalLimit, node.offset, "join() result too long");
            return {};
          }
          char* p = arena.Alloc(size, 1);
          size_t at = 0;
          Put(p, acc);
          at += acc.size();
          if (!first) {
            Put(p + at, sep);
            at += sep.size();
          }
          Put(p + at, part);
          acc = std::string_view(p, size);
          first = false;
        }
      }
      return Value::String(acc);
    }
    case FuncId::kContains: {
      std::string_view s = ArgString(node, 0), part = ArgString(node, 1);
      return Value::Boolean(s.find(part) != std::string_view::npos);
    }
    case FuncId::kStartsWith: {
      std::string_view s = ArgString(node, 0), part = ArgString(node, 1);
      return Value::Boolean(s.substr(0, part.size()) == part);
    }
    case FuncId::kEndsWith: {
      std::string_view s = ArgString(node, 0), part = ArgString(node, 1);
      return Value::Boolean(s.size() >= part.size() && s.substr(s.size() - part.size()) == part);
    }
    case FuncId::kSubstringBefore:
    case FuncId::kSubstringAfter: {
      std::string_view s = ArgString(node, 0), sep = ArgString(node, 1);
      size_t at = s.find(sep);
      if (at == std::string_view::npos) return Value::String("");
      if (node.fn == FuncId::kSubstringBefore) return Value::String(s.substr(0, at));
      return Value::String(s.substr(at + sep.size()));
    }
    default:
      break;
  }
  return {};
}

// Text cut or rewritten: substr, substring, translate, normalize-space, regex, uuid.
Value Evaluator::State::EvalText(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kSubstr: {
      std::string_view s = ArgString(node, 0);
      int64_t length = static_cast<int64_t>(text::CodePointCount(s));
      double start = ArgNumber(node, 1);
      double end = node.args.size() > 2 ? ArgNumber(node, 2) : static_cast<double>(length);
      if (std::isnan(start)) start = 0;
      if (std::isnan(end)) end = static_cast<double>(length);
      int64_t b = ClampToInt(start, 0, length), e = ClampToInt(end, 0, length);
      if (e <= b) return Value::String("");
      return Value::String(Substring(s, b, e));
    }
    case FuncId::kSubstring: {
      // XPath 1.0: characters at 1-based positions p with round(start) <= p < round(start) +
      // round(len).
      std::string_view s = ArgString(node, 0);
      int64_t length = static_cast<int64_t>(text::CodePointCount(s));
      double first = std::floor(ArgNumber(node, 1) + 0.5);
      double last = node.args.size() > 2 ? first + std::floor(ArgNumber(node, 2) + 0.5) : INFINITY;
      if (std::isnan(first) || std::isnan(last)) return Value::String("");
      double b = std::max(first, 1.0), e = std::min(last, static_cast<double>(length) + 1);
      if (e <= b) return Value::String("");
      return Value::String(Substring(s, static_cast<int64_t>(b) - 1, static_cast<int64_t>(e) - 1));
    }
    case FuncId::kTranslate: {
      std::string_view s = ArgString(node, 0), from = ArgString(node, 1), to = ArgString(node, 2);
      char* out = arena.Alloc(s.size() * 4 + 4, 1);
      size_t n = 0;
      size_t pos = 0;
      while (pos < s.size()) {
        size_t char_start = pos;
        char32_t c = text::DecodeOne(s, &pos);
        // Find c in `from`; its index picks the replacement in `to`.
        size_t fpos = 0, index = 0;
        bool found = false;
        while (fpos < from.size()) {
          if (text::DecodeOne(from, &fpos) == c) {
            found = true;
            break;
          }
          ++index;
        }
        if (!found) {
          std::memcpy(out + n, s.data() + char_start, pos - char_start);
          n += pos - char_start;
          continue;
        }
        size_t tpos = 0, tindex = 0;
        while (tpos < to.size()) {
          size_t tstart = tpos;
          text::DecodeOne(to, &tpos);
          if (tindex++ == index) {
            std::memcpy(out + n, to.data() + tstart, tpos - tstart);
            n += tpos - tstart;
            break;
          }
        }
      }
      return Value::String(std::string_view(out, n));
    }
    case FuncId::kNormalizeSpace: {
      std::string_view s = node.args.empty() ? ContextString() : ArgString(node, 0);
      char* out = arena.Alloc(s.size(), 1);
      size_t n = 0;
      bool pending_space = false;
      for (char c : s) {
        if (IsSpace(c)) {
          pending_space = n > 0;
          continue;
        }
        if (pending_space) out[n++] = ' ';
        pending_space = false;
        out[n++] = c;
      }
      return Value::String(std::string_view(out, n));
    }
    case FuncId::kRegex:
      return Regex(node);
    case FuncId::kUuid:
      return Uuid(node);
    default:
      break;
  }
  return {};
}

// Numbers: arithmetic functions, rounding, random.
Value Evaluator::State::EvalNumber(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kNumber:
      return Value::Number(node.args.empty() ? ParseXPathNumber(ContextString())
                                             : ArgNumber(node, 0));
    case FuncId::kInt:
      return Value::Number(std::trunc(ArgNumber(node, 0)));
    case FuncId::kRound: {
      double x = ArgNumber(node, 0);
      if (node.args.size() == 1) {
        if (!std::isfinite(x)) return Value::Number(x);
        return Value::Number(std::floor(x + 0.5));
      }
      double digits = ArgNumber(node, 1);
      if (std::isnan(digits)) return Value::Number(NAN);
      return Value::Number(RoundDecimal(x, static_cast<int>(ClampToInt(digits, -400, 400))));
    }
    case FuncId::kFloor:
      return Value::Number(std::floor(ArgNumber(node, 0)));
    case FuncId::kCeiling:
      return Value::Number(std::ceil(ArgNumber(node, 0)));
    case FuncId::kAbs:
      return Value::Number(std::fabs(ArgNumber(node, 0)));
    case FuncId::kPow: {
      double x = ArgNumber(node, 0);
      return Value::Number(std::pow(x, ArgNumber(node, 1)));
    }
    case FuncId::kSqrt:
      return Value::Number(std::sqrt(ArgNumber(node, 0)));
    case FuncId::kExp:
      return Value::Number(std::exp(ArgNumber(node, 0)));
    case FuncId::kExp10:
      return Value::Number(std::pow(10.0, ArgNumber(node, 0)));
    case FuncId::kLog:
      return Value::Number(std::log(ArgNumber(node, 0)));
    case FuncId::kLog10:
      return Value::Number(std::log10(ArgNumber(node, 0)));
    case FuncId::kSin:
      return Value::Number(std::sin(ArgNumber(node, 0)));
    case FuncId::kCos:
      return Value::Number(std::cos(ArgNumber(node, 0)));
    case FuncId::kTan:
      return Value::Number(std::tan(ArgNumber(node, 0)));
    case FuncId::kAsin:
      return Value::Number(std::asin(ArgNumber(node, 0)));
    case FuncId::kAcos:
      return Value::Number(std::acos(ArgNumber(node, 0)));
    case FuncId::kAtan:
      return Value::Number(std::atan(ArgNumber(node, 0)));
    case FuncId::kAtan2: {
      double y = ArgNumber(node, 0);
      return Value::Number(std::atan2(y, ArgNumber(node, 1)));
    }
    case FuncId::kPi:
      return Value::Number(M_PI);
    case FuncId::kRandom: {
      uint8_t b[8];
      ctx->RandomBytes(b, 8);
      uint64_t r = 0;
      for (uint8_t x : b) r = (r << 8) | x;
      return Value::Number(static_cast<double>(r >> 11) * 0x1.0p-53);
    }
    case FuncId::kMin:
    case FuncId::kMax:
      return Aggregate(node);
    default:
      break;
  }
  return {};
}

// Node-sets: count, sum, position, indexed-repeat, instance.
Value Evaluator::State::EvalNodeSet(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kCount:
    case FuncId::kSum:
    case FuncId::kCountNonEmpty: {
      Value v = Eval(node.args[0]);
      if (failed) return {};
      if (v.kind != ValueKind::kNodeSet) {
        const FunctionInfo* info = FindFunction(node.fn == FuncId::kCount ? "count"
                                                : node.fn == FuncId::kSum ? "sum"
                                                                          : "count-non-empty");
        Fail(ErrorCode::kNotNodeSet, node.offset, info->name);
        return {};
      }
      if (node.fn == FuncId::kCount) return Value::Number(v.node_count);
      // sum() and count-non-empty() of a repeat with no instances.
      if (v.hint == TypeHint::kRepeat && !v.nodes) return Value::Number(0);
      double total = 0;
      for (uint32_t i = 0; i < v.node_count; ++i) {
        NodeRef n = NodeAt(v, i);
        if (node.fn == FuncId::kSum) {
          total += NumberOf(NodeAtom(n, v.hint));
        } else if (!NodeText(n).empty()) {
          total += 1;
        }
      }
      return Value::Number(total);
    }
    case FuncId::kPosition: {
      if (node.args.empty()) {
        if (in_predicate) return Value::Number(context_position);
        return Value::Number(ctx->Position(-1));
      }
      return Value::Number(ctx->Position(Node(node.args[0]).slot));
    }
    case FuncId::kLast:
      return Value::Number(in_predicate ? context_size : 1);
    case FuncId::kIndexedRepeat: {
      RepeatIndex path[3];
      size_t depth = 0;
      for (size_t i = 1; i + 1 < node.args.size() && depth < 3; i += 2) {
        double n = ArgNumber(node, i + 1);
        if (failed) return {};
        if (std::isnan(n)) return Value::String("");
        path[depth].repeat_slot = Node(node.args[i]).slot;
        path[depth].position = static_cast<int>(ClampToInt(n, INT32_MIN, INT32_MAX));
        ++depth;
      }
      std::optional<std::string_view> value =
          ctx->IndexedValue(Node(node.args[0]).slot, std::span<const RepeatIndex>(path, depth));
      return Value::String(value ? *value : std::string_view());
    }
    case FuncId::kInstance: {
      if (!ctx->Instance(node.instance)) {
        Fail(ErrorCode::kUnknownInstance, node.offset, std::to_string(node.instance));
        return {};
      }
      return OneNode({NodeRef::Kind::kInstanceRoot, node.instance, 0, 0});
    }
    case FuncId::kCurrent:
      return Value::String(ctx->CurrentValue());
    default:
      break;
  }
  return {};
}

// Dates: today, now, date, format-date...
Value Evaluator::State::EvalDate(const BoundNode& node) {
  switch (node.fn) {
    case FuncId::kToday: {
      const Clock& clock = ctx->clock();
      double local = static_cast<double>(clock.NowMillis()) + clock.UtcOffsetMinutes() * 60000.0;
      return Value::Date(std::floor(local / kMillisPerDay));
    }
    case FuncId::kNow: {
      const Clock& clock = ctx->clock();
      return Value::DateTime(static_cast<double>(clock.NowMillis()), clock.UtcOffsetMinutes());
    }
    case FuncId::kDate: {
      Value v = Eval(node.args[0]);
      if (v.kind == ValueKind::kDate) return v;
      if (v.kind == ValueKind::kDateTime) {
        return Value::Date(std::floor((v.number + v.tz_minutes * 60000.0) / kMillisPerDay));
      }
      if (v.kind == ValueKind::kNumber || v.kind == ValueKind::kBoolean) {
        if (!std::isfinite(v.number)) return Value::String("");
        return Value::Date(std::floor(v.number));
      }
      std::string_view s = StringOf(v);
      auto dt = ParseIsoDateTime(s);
      if (!dt) {
        // A number written as text ("19797") is days too.
        double days = ParseXPathNumber(s);
        if (std::isfinite(days)) return Value::Date(std::floor(days));
        return Value::String("");
      }
      return Value::Date(std::floor((dt->millis + dt->tz_minutes * 60000.0) / kMillisPerDay));
    }
    case FuncId::kDateTime: {
      Value v = Eval(node.args[0]);
      if (v.kind == ValueKind::kDateTime) return v;
      if (v.kind == ValueKind::kDate) return Value::DateTime(v.number * kMillisPerDay, 0);
      if (v.kind == ValueKind::kNumber || v.kind == ValueKind::kBoolean) {
        if (!std::isfinite(v.number)) return Value::String("");
        return Value::DateTime(v.number * kMillisPerDay, 0);
      }
      std::string_view s = StringOf(v);
      auto dt = ParseIsoDateTime(s);
      if (!dt) {
        double days = ParseXPathNumber(s);
        if (std::isfinite(days)) return Value::DateTime(days * kMillisPerDay, 0);
        return Value::String("");
      }
      return Value::DateTime(dt->millis, dt->tz_minutes);
    }
    case FuncId::kDecimalDateTime: {
      Value v = Eval(node.args[0]);
      if (v.kind == ValueKind::kString || v.kind == ValueKind::kNodeSet) {
        auto dt = ParseIsoDateTime(StringOf(v));
        return Value::Number(dt ? dt->millis / kMillisPerDay : NAN);
      }
      return Value::Number(NumberOf(v));
    }
    case FuncId::kDecimalTime: {
      Value v = Eval(node.args[0]);
      if (v.kind == ValueKind::kDateTime) {
        double local = v.number + v.tz_minutes * 60000.0;
        return Value::Number((local - std::floor(local / kMillisPerDay) * kMillisPerDay) /
                             kMillisPerDay);
      }
      std::string_view s = StringOf(v);
      if (auto f = ParseIsoTimeFraction(s)) return Value::Number(*f);
      if (auto dt = ParseIsoDateTime(s); dt && dt->has_time) {
        double local = dt->millis + dt->tz_minutes * 60000.0;
        return Value::Number((local - std::floor(local / kMillisPerDay) * kMillisPerDay) /
                             kMillisPerDay);
      }
      return Value::Number(NAN);
    }
    case FuncId::kFormatDate:
    case FuncId::kFormatDateTime: {
      Value v = Eval(node.args[0]);
      if (v.kind == ValueKind::kNodeSet)
        v = v.node_count ? NodeAtom(NodeAt(v, 0), v.hint) : Value::String("");
      std::string_view format = ArgString(node, 1);
      return FormatDateValue(v, format, node.offset);
    }
    default:
      break;
  }
  return {};
}

// ---- Evaluator ---------------------------------------------------------------

Evaluator::Evaluator() : state_(std::make_unique<State>()) {}
Evaluator::~Evaluator() = default;

Result<Value> Evaluator::Evaluate(const BoundExpr& expr, const EvalContext& ctx) {
  State& st = *state_;
  if (!expr.valid()) {
    return tl::unexpected(MakeExprError(ErrorCode::kEmpty, "", 0));
  }
  st.arena.Reset();
  st.pool_used = 0;
  st.expr = &expr.data();
  st.ctx = &ctx;
  st.failed = false;
  st.in_predicate = false;
  Value v = st.Eval(st.expr->root);
  if (st.failed) return tl::unexpected(std::move(st.error));
  return v;
}

Result<bool> Evaluator::EvaluateBoolean(const BoundExpr& expr, const EvalContext& ctx) {
  Value v = NGO_TRY(Evaluate(expr, ctx));
  return state_->BoolOf(v);
}

Result<std::string> Evaluator::EvaluateString(const BoundExpr& expr, const EvalContext& ctx) {
  Value v = NGO_TRY(Evaluate(expr, ctx));
  return std::string(state_->StringOf(v));
}

Result<double> Evaluator::EvaluateNumber(const BoundExpr& expr, const EvalContext& ctx) {
  Value v = NGO_TRY(Evaluate(expr, ctx));
  return state_->NumberOf(v);
}

bool Evaluator::ToBoolean(const Value& v, const EvalContext& ctx) const {
  state_->ctx = &ctx;
  return state_->BoolOf(v);
}

double Evaluator::ToNumber(const Value& v, const EvalContext& ctx) const {
  state_->ctx = &ctx;
  return state_->NumberOf(v);
}

std::string Evaluator::ToString(const Value& v, const EvalContext& ctx) const {
  state_->ctx = &ctx;
  return std::string(state_->StringOf(v));
}

}  // namespace ngosurvey::form::expr
