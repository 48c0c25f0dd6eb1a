// Evaluation must not allocate on the heap once an Evaluator is warm: the hot path
// of relevance and constraint checks in interviews and of table filters over
// millions of rows. A counting global operator new checks it.
#include <gtest/gtest.h>

#include "base/testing/counting_operator_new.h"
#include "form/expr/expr.h"

namespace ngosurvey::form::expr {
namespace {

long AllocationsDuring(Evaluator& evaluator, const BoundExpr& bound, const EvalContext& ctx,
                       int runs) {
  // Warm up: the arena and vector pool reach their working size.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(evaluator.Evaluate(bound, ctx).has_value());
  long before = ngosurvey::alloc_count::g_allocations.load();
  for (int i = 0; i < runs; ++i) {
    auto v = evaluator.Evaluate(bound, ctx);
    if (!v) ADD_FAILURE() << v.error().ToString();
  }
  return ngosurvey::alloc_count::g_allocations.load() - before;
}

TEST(AllocationTest, CountingOperatorNewSeesAllocations) {
  long before = ngosurvey::alloc_count::g_allocations.load();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(ngosurvey::alloc_count::g_allocations.load() - before, 1);
}

TEST(AllocationTest, WarmEvaluationAllocatesNothing) {
  FixedClock clock(1710473400000, 420);
  MapContext ctx(&clock);
  ctx.Set("a", "x y z", TypeHint::kSelectMultiple);
  ctx.Set("b", "5", TypeHint::kNumber);
  ctx.Set("d", "2020-01-31", TypeHint::kDate);
  ctx.SetRepeated("m", "r", {"1", "2", "3"}, TypeHint::kNumber);
  SecondaryInstance list;
  list.fields = {"name", "label", "f"};
  list.items = {{"a", "A", "1"}, {"b", "B", "2"}};
  ctx.AddInstance("list", list);
  Evaluator evaluator;
  for (const char* text : {
           "selected(${a}, 'x') and ${b} > 3",
           "if(${b} >= 18, 'adult', concat('child ', ${b}))",
           "${d} < today() and format-date(${d}, '%Y-%m') = '2020-01'",
           "sum(${m}) + count(${r}) + max(${m})",
           "instance('list')/root/item[f = 2]/label",
           "string-length(substr(translate('Việt Nam', 'N', 'n'), 0, 4)) + round(2.675, 2)",
           "join(',', ${m}) != '' and starts-with(${a}, 'x')",
       }) {
    auto bound = Compile(text, ctx);
    ASSERT_TRUE(bound) << text << ": " << bound.error().ToString();
    EXPECT_EQ(AllocationsDuring(evaluator, *bound, ctx, 1000), 0) << text;
  }
}

}  // namespace
}  // namespace ngosurvey::form::expr
