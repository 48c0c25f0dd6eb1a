// Fuzz target for the expression engine (form/expr/expr.h): any text must parse or
// fail with a coded, positioned error; whatever parses is checked, bound against a
// resolver that knows every name, and evaluated against a fixed context, never
// crashing, hanging or exhausting memory. Non-volatile expressions must give the
// same value twice.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "form/expr/expr.h"

namespace {

using namespace ngosurvey::form::expr;

// Resolves known names to their slots and any other name to one of them, so the
// evaluator sees every expression the parser accepts.
class AnyNameResolver final : public NameResolver {
 public:
  explicit AnyNameResolver(const MapContext& ctx) : ctx_(ctx) {}
  std::optional<Symbol> Resolve(std::string_view name) const override {
    if (auto known = ctx_.Resolve(name)) return known;
    if (name.size() > 3 && name[0] == 'z') return std::nullopt;  // keep E052 reachable
    size_t h = std::hash<std::string_view>{}(name);
    static const char* const kNames[] = {"a", "b", "d", "t", "age", "rep", "m", "blank"};
    return ctx_.Resolve(kNames[h % 8]);
  }
  std::optional<int> ResolveInstance(std::string_view id) const override {
    if (id == "nope") return std::nullopt;
    return ctx_.ResolveInstance("list");
  }

 private:
  const MapContext& ctx_;
};

struct Fixture {
  ngosurvey::FixedClock clock{1710473400000, 420};
  MapContext ctx{&clock, 1};
  Fixture() {
    ctx.Set("a", "x y z", TypeHint::kSelectMultiple);
    ctx.Set("b", "5", TypeHint::kNumber);
    ctx.Set("d", "2020-01-31", TypeHint::kDate);
    ctx.Set("t", "2024-03-15T10:30:00+07:00", TypeHint::kDateTime);
    ctx.Set("age", "34", TypeHint::kNumber);
    ctx.Set("blank", "");
    ctx.SetRepeated("m", "rep", {"1", "", "ភាសា", "3.5"}, TypeHint::kNumber);
    ctx.AddChoiceLabel("a", "x", "Ex");
    SecondaryInstance list;
    list.fields = {"name", "label", "f"};
    list.items = {{"a", "A", "1"}, {"b", "B", "2"}, {"c", "Việt", "1"}};
    ctx.AddInstance("list", list);
    ctx.SetCurrent("7");
    ctx.SetPosition(2);
  }
};

void CheckError(const ngosurvey::Error& error, std::string_view text) {
  if (error.code.size() != 4 || error.code[0] != 'E') __builtin_trap();
  if (error.where.expr_offset < 0 || static_cast<size_t>(error.where.expr_offset) > text.size()) {
    __builtin_trap();
  }
  (void)error.ToString();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  static Evaluator evaluator;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = Parse(text);
  if (!parsed) {
    CheckError(parsed.error(), text);
    return 0;
  }
  for (const Reference& ref : parsed->references()) {
    if (ref.offset < 0 || static_cast<size_t>(ref.offset + ref.length) > text.size())
      __builtin_trap();
  }
  for (const ngosurvey::Error& error : CheckFunctions(*parsed)) CheckError(error, text);
  AnyNameResolver resolver(fixture.ctx);
  auto bound = Bind(*parsed, resolver);
  if (!bound) {
    CheckError(bound.error(), text);
    return 0;
  }
  auto first = evaluator.EvaluateString(*bound, fixture.ctx);
  if (!first) {
    CheckError(first.error(), text);
    return 0;
  }
  if (!bound->is_volatile()) {
    auto second = evaluator.EvaluateString(*bound, fixture.ctx);
    if (!second || *second != *first) __builtin_trap();
  }
  return 0;
}
