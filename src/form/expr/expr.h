// form/expr: the one ODK XPath expression engine of ngosurvey. It serves XLSForm
// relevance, constraints, calculations and choice filters, the interview engine,
// CSV imports, table filters and derived variables. It owns the text -> ParsedExpr
// -> BoundExpr -> Value pipeline and the function table; it knows nothing of forms,
// storage or the UI (callers plug in a NameResolver and an EvalContext).
//
//   Parse(text)            syntax only; lists ${name} references and function calls
//   CheckFunctions(parsed) unknown functions and wrong arity, from the function table
//   Bind(parsed, resolver) names -> integer slots, with the resolver's type hints
//   Evaluator::Evaluate    against an EvalContext; no name lookups by string, no heap
//                          allocation per evaluation once the Evaluator is warm
//
// Semantics follow the ODK XForms 1.0 spec (XPath 1.0 plus the jr/odk functions):
// answers are strings, the empty string is "missing" (NaN as a number), dates are
// days since 1970-01-01 when used as numbers. docs/expressions.md lists every
// function; it is generated from the function table (`ngosurvey expr functions`).
//
// Error codes (catalogue in expr/errors.h): E040-E049 syntax, E050-E053 function
// and binding, E054-E059 evaluation. Every error carries where.expression (the text)
// and where.expr_offset (byte offset of the offending token), so Error::ToString()
// prints a caret under it. Callers add file/sheet/row to `where` themselves.
//
// Thread safety: ParsedExpr and BoundExpr are immutable after creation and may be
// shared between threads. An Evaluator holds scratch memory: one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"

namespace ngosurvey::form::expr {

// ---------------------------------------------------------------------------
// Limits. Input beyond them is refused with an error, never a crash.
inline constexpr size_t kMaxExpressionBytes = size_t{1} << 20;  // E045
inline constexpr size_t kMaxTokens = 100000;                    // E046
inline constexpr int kMaxDepth = 100;                           // E044: nesting levels
// regex() runs in polynomial time (libstdc++'s breadth-first matcher; patterns with
// back-references are refused), and its subject is capped (E057) so that the
// quadratic worst case of an unanchored search stays well under a second.
inline constexpr size_t kMaxRegexInputChars = 4096;

// ---------------------------------------------------------------------------
// Parsing.

struct ParsedExprData;  // the syntax tree; defined in ast_internal.h

// One reference to a question or variable found in the text.
struct Reference {
  enum class Syntax : uint8_t {
    kDollar,  // ${name}
    kPath,    // a path on the main instance: `name`, `../name`, `/data/name`,
              // `current()/../name`; `name` is its last step
  };
  std::string name;  // without ${ }
  int offset = 0;    // byte offset of the reference's first character in the text
  int length = 0;    // bytes the reference spans, e.g. 7 for "${name}"
  // ${last-saved#name}: the value in the last saved submission; checked like ${name},
  // but not a dependency (ngosurvey evaluates it as '').
  bool last_saved = false;
  Syntax syntax = Syntax::kDollar;
};

// One function call found in the text.
struct FunctionCall {
  std::string name;  // as written, prefix included: "jr:choice-name"
  int arity = 0;     // number of arguments written
  int offset = 0;    // byte offset of the function name
};

// A syntactically valid expression. Cheap to copy (shares its tree); immutable.
class ParsedExpr {
 public:
  ParsedExpr() = default;

  // The source text, as given to Parse().
  const std::string& text() const;
  // Every reference in text order (the same name may appear several times).
  const std::vector<Reference>& references() const { return references_; }
  // Every function call in text order, nested calls included.
  const std::vector<FunctionCall>& function_calls() const { return calls_; }

  // Internal: the tree, for the binder.
  const ParsedExprData& data() const { return *data_; }

 private:
  friend Result<ParsedExpr> Parse(std::string_view text);
  std::shared_ptr<const ParsedExprData> data_;
  std::vector<Reference> references_;
  std::vector<FunctionCall> calls_;
};

// Parses an expression. On a syntax error returns the first error (codes
// E040-E049) with where.expression = text and where.expr_offset at the offending
// token. Never recurses deeper than kMaxDepth; refuses texts over
// kMaxExpressionBytes or kMaxTokens tokens. Thread-safe.
Result<ParsedExpr> Parse(std::string_view text);

// Unknown function names (E050) and wrong numbers of arguments (E051), every one
// found, each at the offset of the function name. Empty when all calls are valid.
std::vector<Error> CheckFunctions(const ParsedExpr& parsed);

// ---------------------------------------------------------------------------
// Binding.

// What the resolver knows about a name's type. Answers are strings; the hint
// tells the evaluator how to read them (a date answer "2024-03-15" compares as a
// date, a select_multiple answer "a b" is a space-separated list).
enum class TypeHint : uint8_t {
  kUnknown,  // treat as string (XPath default)
  kString,
  kNumber,    // integer, decimal, range
  kDate,      // "YYYY-MM-DD"
  kDateTime,  // "YYYY-MM-DDTHH:MM:SS[.sss][Z|+HH:MM]"
  kTime,      // "HH:MM:SS[.sss][Z|+HH:MM]"
  kSelectOne,
  kSelectMultiple,  // space-separated choice names
  kRepeat,          // the name of a repeat (count(), position(), indexed-repeat())
  kGroup,
};

// A resolved name: the caller's integer slot for it and its type.
struct Symbol {
  int slot = -1;
  TypeHint hint = TypeHint::kUnknown;
};

// Implemented by the caller (form model, CSV import, table filter): maps names to
// slots. Called only during Bind(), never during evaluation.
class NameResolver {
 public:
  virtual ~NameResolver() = default;
  // The slot of `name` (a ${name} or the last step of a path), or nullopt when the
  // name is unknown: Bind then fails with E052 at a ${name} reference, while a
  // path (`yes`, `../name`, `/data/name`) to an unknown name is an empty node-set,
  // as XPath defines it.
  virtual std::optional<Symbol> Resolve(std::string_view name) const = 0;
  // The index of secondary instance `id` (instance('id'), usually a choice list), or
  // nullopt when unknown (E053). Default: none.
  virtual std::optional<int> ResolveInstance(std::string_view id) const { return std::nullopt; }
};

struct BoundExprData;  // defined in bound_internal.h

// An expression with every name resolved to a slot; immutable, cheap to copy.
class BoundExpr {
 public:
  BoundExpr() = default;
  // False for a default-constructed BoundExpr (Evaluate then fails with E047).
  bool valid() const { return data_ != nullptr; }
  const std::string& text() const;
  // The distinct slots the expression reads (for dependency graphs), sorted.
  const std::vector<int>& dependencies() const;
  // True when the expression calls now(), today(), uuid(), random() or once(), whose
  // value may change between two evaluations with the same answers.
  bool is_volatile() const;

  const BoundExprData& data() const { return *data_; }

 private:
  friend Result<BoundExpr> Bind(const ParsedExpr&, const NameResolver&);
  std::shared_ptr<const BoundExprData> data_;
};

// Resolves every reference and function. Errors: E050/E051 as CheckFunctions
// (the first one), E052 unknown ${name} (offset of the reference; an unknown
// path is an empty node-set, not an error), E053 unknown
// secondary instance or a path the engine cannot evaluate. Thread-safe.
Result<BoundExpr> Bind(const ParsedExpr& parsed, const NameResolver& resolver);

// Parse + Bind in one call.
Result<BoundExpr> Compile(std::string_view text, const NameResolver& resolver);

// ---------------------------------------------------------------------------
// Values.

// A secondary instance: a choice list as rows of named fields (name, label,
// label::Khmer (km), and any choice_filter columns).
struct SecondaryInstance {
  std::vector<std::string> fields;              // column names
  std::vector<std::vector<std::string>> items;  // one row per item, same width as fields
  // Index of `field`, or -1.
  int FieldIndex(std::string_view field) const;
};

// A node of a node-set: an answer of a slot (one instance of a repeat when the slot
// is inside one) or a node of a secondary instance.
struct NodeRef {
  enum class Kind : uint8_t { kSlot, kInstanceRoot, kInstanceElement, kItem, kField };
  Kind kind = Kind::kSlot;
  int32_t a = 0;  // kSlot: slot; others: instance index
  int32_t b = 0;  // kSlot: value index (0-based); kItem/kField: item index
  int32_t c = 0;  // kField: field index
};

enum class ValueKind : uint8_t { kString, kNumber, kBoolean, kDate, kDateTime, kNodeSet };

// The result of an evaluation. Views into memory owned by the EvalContext or the
// Evaluator: valid until the Evaluator's next Evaluate() call. Use the Evaluator's
// conversion helpers (ToString etc.) to read node-sets.
struct Value {
  ValueKind kind = ValueKind::kString;
  TypeHint hint = TypeHint::kUnknown;  // for node-sets of a slot: the slot's hint
  int16_t tz_minutes = 0;              // kDateTime: offset for display
  // kNumber: the number; kBoolean: 0 or 1; kDate: days since 1970-01-01;
  // kDateTime: milliseconds since 1970-01-01T00:00Z.
  double number = 0;
  std::string_view text;  // kString
  // kNodeSet: the nodes, or, when nodes == nullptr, the values 0..node_count-1 of
  // `slot` (a reference such as ${name}).
  const NodeRef* nodes = nullptr;
  uint32_t node_count = 0;
  int32_t slot = -1;

  static Value String(std::string_view s) {
    Value v;
    v.text = s;
    return v;
  }
  static Value Number(double d) {
    Value v;
    v.kind = ValueKind::kNumber;
    v.number = d;
    return v;
  }
  static Value Boolean(bool b) {
    Value v;
    v.kind = ValueKind::kBoolean;
    v.number = b ? 1 : 0;
    return v;
  }
  static Value Date(double days) {
    Value v;
    v.kind = ValueKind::kDate;
    v.number = days;
    return v;
  }
  static Value DateTime(double millis, int tz_minutes) {
    Value v;
    v.kind = ValueKind::kDateTime;
    v.number = millis;
    v.tz_minutes = static_cast<int16_t>(tz_minutes);
    return v;
  }
};

// A (repeat slot, 1-based position) pair for indexed-repeat().
struct RepeatIndex {
  int repeat_slot = -1;
  int position = 0;
};

// Implemented by the caller (the interview engine, an import row, a dataset row).
// Methods are called during evaluation and must not fail; they are const because
// evaluation never changes answers. Returned string_views must stay valid until
// the evaluation returns.
class EvalContext {
 public:
  virtual ~EvalContext() = default;

  // How many values `slot` has seen from the current node: 1 for a question outside
  // any repeat or in the current node's own repeat instance; one per instance for a
  // question inside a repeat the current node is not in; for a kRepeat slot, the
  // number of instances. 0 when the node does not exist.
  virtual size_t ValueCount(int slot) const = 0;
  // Value `index` (0-based, < ValueCount) of `slot`: the answer as text, "" when
  // unanswered. Not called for kRepeat slots.
  virtual std::string_view ValueAt(int slot, size_t index) const = 0;

  // position(): 1-based position of the current node's innermost repeat instance,
  // or of its instance of repeat `repeat_slot` when >= 0; 0 when not in a repeat.
  virtual int Position(int repeat_slot) const { return 0; }
  // indexed-repeat(): the value of `slot` in the repeat instances given, outermost
  // first; nullopt when an instance does not exist.
  virtual std::optional<std::string_view> IndexedValue(int slot,
                                                       std::span<const RepeatIndex> path) const {
    return std::nullopt;
  }

  // The current node's value, for `.`, current() and once(); "" when none.
  virtual std::string_view CurrentValue() const { return {}; }

  // The secondary instance bound to index `instance` (from ResolveInstance), or
  // nullptr.
  virtual const SecondaryInstance* Instance(int instance) const { return nullptr; }
  // jr:choice-name(): the label, in the current language, of choice `choice_name` of
  // the select question at `slot`; nullopt when there is no such choice.
  virtual std::optional<std::string_view> ChoiceLabel(int slot,
                                                      std::string_view choice_name) const {
    return std::nullopt;
  }

  // The clock for today() and now(). Default: the system clock.
  virtual const Clock& clock() const { return SystemClock::Instance(); }
  // Fills `out` with random bytes, for uuid() and random(). Implementations for
  // tests should be seeded so results repeat.
  virtual void RandomBytes(uint8_t* out, size_t n) const = 0;
};

// Evaluates bound expressions. Holds scratch memory that is reused, so after the
// first few evaluations Evaluate() allocates nothing on the heap (except for
// functions that build new strings longer than the scratch already holds). Not
// thread-safe: one Evaluator per thread.
class Evaluator {
 public:
  Evaluator();
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // The expression's value. Errors (E054-E059, offset of the failing call): an
  // invalid regular expression, indexed-repeat() on a missing argument, an unknown
  // secondary instance at run time. Views in the value are valid until the next
  // call on this Evaluator.
  Result<Value> Evaluate(const BoundExpr& expr, const EvalContext& ctx);

  // The value converted as XPath boolean() / string() / number() do; what relevance
  // and constraints (boolean), calculations (string) need.
  Result<bool> EvaluateBoolean(const BoundExpr& expr, const EvalContext& ctx);
  Result<std::string> EvaluateString(const BoundExpr& expr, const EvalContext& ctx);
  Result<double> EvaluateNumber(const BoundExpr& expr, const EvalContext& ctx);

  // Conversions of a value from the last Evaluate() (node-sets need the context).
  bool ToBoolean(const Value& v, const EvalContext& ctx) const;
  double ToNumber(const Value& v, const EvalContext& ctx) const;
  std::string ToString(const Value& v, const EvalContext& ctx) const;

  struct State;  // scratch memory; defined in evaluator.cpp

 private:
  std::unique_ptr<State> state_;
};

// ---------------------------------------------------------------------------
// The function table (one entry per function; docs/expressions.md is made from it).

struct FunctionInfo {
  std::string_view name;  // "count-selected"
  int min_args = 0;
  int max_args = 0;            // -1: unbounded
  std::string_view signature;  // "count-selected(list: string) -> number"
  std::string_view doc;        // one line
  std::string_view example;    // an expression
  std::string_view expected;   // string() of the example's value, in the example context
};

// Every function, alphabetical.
std::span<const FunctionInfo> Functions();
// The entry for `name`, or nullptr.
const FunctionInfo* FindFunction(std::string_view name);

// The docs page (docs/expressions.md), Markdown.
std::string FunctionsMarkdown();
// The same table as plain text, one function per paragraph.
std::string FunctionsText();

// ---------------------------------------------------------------------------
// A map-backed EvalContext and NameResolver for tests, the CLI and imports of flat
// rows: names are slots in order of Set(); no repeats unless SetRepeated is used.
class MapContext final : public EvalContext, public NameResolver {
 public:
  // `clock` must outlive the context; default: the system clock.
  explicit MapContext(const Clock* clock = nullptr, uint64_t seed = 1);

  // Sets (or creates) a name's single value.
  void Set(std::string_view name, std::string value, TypeHint hint = TypeHint::kUnknown);
  // Sets a name that lives in a repeat seen from outside: one value per instance;
  // `repeat` names the repeat (created as a kRepeat symbol with values.size() instances).
  void SetRepeated(std::string_view name, std::string_view repeat, std::vector<std::string> values,
                   TypeHint hint = TypeHint::kUnknown);
  void SetCurrent(std::string value) { current_ = std::move(value); }
  void SetPosition(int position) { position_ = position; }
  // Adds secondary instance `id`.
  void AddInstance(std::string id, SecondaryInstance instance);
  // Adds a label for choice `choice` of question `name` (for jr:choice-name).
  void AddChoiceLabel(std::string_view name, std::string choice, std::string label);

  // NameResolver
  std::optional<Symbol> Resolve(std::string_view name) const override;
  std::optional<int> ResolveInstance(std::string_view id) const override;
  // EvalContext
  size_t ValueCount(int slot) const override;
  std::string_view ValueAt(int slot, size_t index) const override;
  int Position(int repeat_slot) const override { return position_; }
  std::optional<std::string_view> IndexedValue(int slot,
                                               std::span<const RepeatIndex> path) const override;
  std::string_view CurrentValue() const override { return current_; }
  const SecondaryInstance* Instance(int instance) const override;
  std::optional<std::string_view> ChoiceLabel(int slot, std::string_view choice) const override;
  const Clock& clock() const override { return *clock_; }
  void RandomBytes(uint8_t* out, size_t n) const override;

 private:
  struct Entry {
    std::string name;
    TypeHint hint = TypeHint::kUnknown;
    std::vector<std::string> values;
    int repeat_slot = -1;  // for repeated values
    std::vector<std::pair<std::string, std::string>> labels;
  };
  int SlotFor(std::string_view name);
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, SecondaryInstance>> instances_;
  std::string current_;
  int position_ = 0;
  const Clock* clock_;
  mutable uint64_t rng_;
};

}  // namespace ngosurvey::form::expr
