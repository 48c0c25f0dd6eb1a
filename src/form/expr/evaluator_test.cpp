#include <gtest/gtest.h>

#include <cmath>

#include "form/expr/expr.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {
namespace {

class EvaluatorTest : public ::testing::Test {
 protected:
  EvaluatorTest() : clock_(1710473400000, 420), ctx_(&clock_, 42) {}  // 2024-03-15T03:30Z

  std::string Eval(std::string_view text) {
    auto bound = Compile(text, ctx_);
    if (!bound) return "error " + bound.error().code;
    auto value = evaluator_.EvaluateString(*bound, ctx_);
    if (!value) return "error " + value.error().code;
    return *value;
  }
  ValueKind Kind(std::string_view text) {
    auto bound = Compile(text, ctx_);
    EXPECT_TRUE(bound) << text;
    auto value = evaluator_.Evaluate(*bound, ctx_);
    EXPECT_TRUE(value) << text;
    return value ? value->kind : ValueKind::kString;
  }

  FixedClock clock_;
  MapContext ctx_;
  Evaluator evaluator_;
};

TEST_F(EvaluatorTest, ArithmeticAndNumberFormatting) {
  EXPECT_EQ(Eval("1 + 2 * 3"), "7");
  EXPECT_EQ(Eval("7 div 2"), "3.5");
  EXPECT_EQ(Eval("7 mod 3"), "1");
  EXPECT_EQ(Eval("-7 mod 3"), "-1");
  EXPECT_EQ(Eval("1 div 0"), "Infinity");
  EXPECT_EQ(Eval("-1 div 0"), "-Infinity");
  EXPECT_EQ(Eval("0 div 0"), "NaN");
  EXPECT_EQ(Eval("0.1 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(Eval("1000000 * 1000000"), "1000000000000");
  EXPECT_EQ(Eval("--3"), "3");
}

TEST_F(EvaluatorTest, EmptyAnswersAreNaNAndComparisonsWithThemFalse) {
  ctx_.Set("x", "", TypeHint::kNumber);
  EXPECT_EQ(Eval("${x} + 1"), "NaN");
  EXPECT_EQ(Eval("${x} > 0"), "false");
  EXPECT_EQ(Eval("${x} <= 0"), "false");
  EXPECT_EQ(Eval("${x} = ''"), "true");
  EXPECT_EQ(Eval("boolean(${x})"), "false");
  ctx_.Set("x", "0");
  EXPECT_EQ(Eval("boolean(${x})"), "true");
}

// ${last-saved#x} (pyxform, ODK): x's value in the last saved submission. ngosurvey keeps
// none, so it is '' (as ODK Collect before the first one is saved), and it is no dependency.
TEST_F(EvaluatorTest, LastSavedReferenceIsEmptyAndNoDependency) {
  ctx_.Set("x", "7");
  EXPECT_EQ(Eval("${x}"), "7");
  EXPECT_EQ(Eval("${last-saved#x}"), "");
  EXPECT_EQ(Eval("concat('[', ${last-saved#x}, ']', ${x})"), "[]7");
  EXPECT_EQ(Eval("${last-saved#nope}"), "error E052");
  EXPECT_EQ(Eval("${last-saved#}"), "error E048");
  EXPECT_EQ(Eval("${last-saved#x y}"), "error E048");
  auto bound = Compile("${last-saved#x} + 1", ctx_);
  ASSERT_TRUE(bound);
  EXPECT_TRUE(bound->dependencies().empty());
  auto parsed = Parse("${last-saved#x} = ${x}");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->references().size(), 2u);
  EXPECT_TRUE(parsed->references()[0].last_saved);
  EXPECT_EQ(parsed->references()[0].name, "x");
  EXPECT_FALSE(parsed->references()[1].last_saved);
}

TEST_F(EvaluatorTest, ShortCircuitSkipsErrors) {
  ctx_.Set("a", "1");
  EXPECT_EQ(Eval("true() or regex('a', '(')"), "error E056");  // constant pattern: a bind error
  EXPECT_EQ(Eval("true() or regex('a', concat('(', ''))"), "true");
  EXPECT_EQ(Eval("false() and regex('a', concat('(', ''))"), "false");
  EXPECT_EQ(Eval("regex('a', concat('(', ''))"), "error E056");
}

TEST_F(EvaluatorTest, ValueKinds) {
  EXPECT_EQ(Kind("1"), ValueKind::kNumber);
  EXPECT_EQ(Kind("'a'"), ValueKind::kString);
  EXPECT_EQ(Kind("1 = 1"), ValueKind::kBoolean);
  EXPECT_EQ(Kind("today()"), ValueKind::kDate);
  EXPECT_EQ(Kind("now()"), ValueKind::kDateTime);
  ctx_.Set("a", "x");
  EXPECT_EQ(Kind("${a}"), ValueKind::kNodeSet);
}

TEST_F(EvaluatorTest, DatesUseTheClockAndItsZone) {
  EXPECT_EQ(Eval("today()"), "2024-03-15");
  EXPECT_EQ(Eval("now()"), "2024-03-15T10:30:00.000+07:00");
  EXPECT_EQ(Eval("number(date('1970-01-11'))"), "10");
  EXPECT_EQ(Eval("date(today() + 1)"), "2024-03-16");
  ctx_.Set("dob", "2000-02-29", TypeHint::kDate);
  EXPECT_EQ(Eval("${dob} < today()"), "true");
  EXPECT_EQ(Eval("int((today() - ${dob}) div 365.25)"), "24");
  EXPECT_EQ(Eval("${dob} = '2000-02-29'"), "true");
  EXPECT_EQ(Eval("${dob} > '2000-01-01'"), "true");
  // Just before midnight UTC is already the next day at +07:00.
  clock_.Set(1710460799000);  // 2024-03-14T23:59:59Z
  EXPECT_EQ(Eval("today()"), "2024-03-15");
}

TEST_F(EvaluatorTest, RepeatsAsNodeSets) {
  ctx_.SetRepeated("age", "people", {"10", "", "30"}, TypeHint::kNumber);
  EXPECT_EQ(Eval("count(${people})"), "3");
  EXPECT_EQ(Eval("count(${age})"), "3");
  EXPECT_EQ(Eval("count-non-empty(${age})"), "2");
  EXPECT_EQ(Eval("sum(${age})"), "NaN");
  EXPECT_EQ(Eval("${age} = 30"), "true");
  EXPECT_EQ(Eval("${age} = 31"), "false");
  EXPECT_EQ(Eval("${age} != 30"), "true");
  EXPECT_EQ(Eval("join('-', ${age})"), "10--30");
  EXPECT_EQ(Eval("indexed-repeat(${age}, ${people}, 3)"), "30");
  EXPECT_EQ(Eval("indexed-repeat(${age}, ${people}, 4)"), "");
  EXPECT_EQ(Eval("count(${age}[. > 5])"), "2");
  EXPECT_EQ(Eval("sum(${age}[. != ''])"), "40");
}

TEST_F(EvaluatorTest, SecondaryInstances) {
  SecondaryInstance list;
  list.fields = {"name", "label", "district"};
  list.items = {{"v1", "Village 1", "d1"}, {"v2", "Village 2", "d2"}, {"v3", "Village 3", "d1"}};
  ctx_.AddInstance("villages", list);
  ctx_.Set("district", "d1");
  EXPECT_EQ(Eval("count(instance('villages')/root/item[district = ${district}])"), "2");
  EXPECT_EQ(
      Eval("join(' ', instance('villages')/root/item[district = current()/../district]/name)"),
      "v1 v3");
  EXPECT_EQ(Eval("instance('villages')/root/item[2]/label"), "Village 2");
  EXPECT_EQ(Eval("instance('villages')/root/item[name = 'v3']/label"), "Village 3");
  EXPECT_EQ(Eval("instance('villages')/root/item[name = 'v9']/label"), "");
  EXPECT_EQ(Eval("count(instance('villages')/root/item/label/..)"), "3");
  EXPECT_EQ(Eval("instance('nope')/root/item"), "error E053");
}

TEST_F(EvaluatorTest, BindErrors) {
  EXPECT_EQ(Eval("${missing} + 1"), "error E052");
  EXPECT_EQ(Eval("frobnicate(1)"), "error E050");
  EXPECT_EQ(Eval("if(1)"), "error E051");
  EXPECT_EQ(Eval("indexed-repeat(1, 2, 3)"), "error E055");
  EXPECT_EQ(Eval("indexed-repeat(1, 2, 3, 4)"), "error E051");
  ctx_.Set("q", "a");
  EXPECT_EQ(Eval("jr:choice-name(${q}, ${q})"), "error E055");
  EXPECT_EQ(Eval("jr:choice-name(${q}, '${nope}')"), "error E052");
  EXPECT_EQ(Eval("/"), "error E054");
  EXPECT_EQ(Eval("//x"), "error E054");
}

TEST_F(EvaluatorTest, BindErrorOffsetsPointAtTheName) {
  auto bound = Compile("1 + ${nope}", ctx_);
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().where.expr_offset, 4);
  EXPECT_EQ(bound.error().message, "unknown name 'nope'");
}

TEST_F(EvaluatorTest, DependenciesAndVolatility) {
  ctx_.Set("a", "1");
  ctx_.Set("b", "2");
  auto bound = Compile("${b} + ${a} + ${b} + ../a", ctx_);
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->dependencies(), (std::vector<int>{0, 1}));
  EXPECT_FALSE(bound->is_volatile());
  EXPECT_TRUE(Compile("today() > ${a}", ctx_)->is_volatile());
}

TEST_F(EvaluatorTest, ConversionsOfTheLastValue) {
  ctx_.Set("n", "12");
  auto bound = Compile("${n}", ctx_);
  ASSERT_TRUE(bound);
  auto v = evaluator_.Evaluate(*bound, ctx_);
  ASSERT_TRUE(v);
  EXPECT_EQ(evaluator_.ToNumber(*v, ctx_), 12);
  EXPECT_TRUE(evaluator_.ToBoolean(*v, ctx_));
  EXPECT_EQ(evaluator_.ToString(*v, ctx_), "12");
  auto b = evaluator_.EvaluateBoolean(*Compile("${n} > 11", ctx_), ctx_);
  ASSERT_TRUE(b);
  EXPECT_TRUE(*b);
  auto d = evaluator_.EvaluateNumber(*Compile("${n} div 8", ctx_), ctx_);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, 1.5);
}

TEST_F(EvaluatorTest, DefaultBoundExprIsAnError) {
  BoundExpr empty;
  EXPECT_FALSE(evaluator_.Evaluate(empty, ctx_).has_value());
}

TEST_F(EvaluatorTest, UuidIsVersion4AndSeeded) {
  std::string a = Eval("uuid()");
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << a;
  EXPECT_NE(a, Eval("uuid()"));
  MapContext other(&clock_, 42);
  Evaluator ev;
  EXPECT_EQ(*ev.EvaluateString(*Compile("uuid()", other), other), a);
  EXPECT_EQ(Eval("string-length(uuid(12))"), "12");
  EXPECT_EQ(Eval("uuid(100000)"), "error E059");
}

TEST_F(EvaluatorTest, RegexInputIsCapped) {
  ctx_.Set("long", std::string(kMaxRegexInputChars + 1, 'a'));
  EXPECT_EQ(Eval("regex(${long}, '^a+$')"), "error E057");
  ctx_.Set("long", std::string(kMaxRegexInputChars, 'a'));
  EXPECT_EQ(Eval("regex(${long}, '^a+$')"), "true");
}

TEST(ValueTest, XPathNumberSyntax) {
  EXPECT_EQ(ParseXPathNumber(" 12.5 "), 12.5);
  EXPECT_EQ(ParseXPathNumber("-.5"), -0.5);
  EXPECT_EQ(ParseXPathNumber("5."), 5);
  EXPECT_TRUE(std::isnan(ParseXPathNumber("1e3")));
  EXPECT_TRUE(std::isnan(ParseXPathNumber("+1")));
  EXPECT_TRUE(std::isnan(ParseXPathNumber("")));
  EXPECT_TRUE(std::isnan(ParseXPathNumber(".")));
  EXPECT_TRUE(std::isnan(ParseXPathNumber("1 2")));
}

TEST(ValueTest, IsoDates) {
  auto d = ParseIsoDateTime("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->millis, 19782.0 * kMillisPerDay);
  EXPECT_FALSE(ParseIsoDateTime("2023-02-29"));
  EXPECT_FALSE(ParseIsoDateTime("2023-13-01"));
  EXPECT_FALSE(ParseIsoDateTime("2023-1-01"));
  auto dt = ParseIsoDateTime("2024-03-15T10:30:00.250+07:00");
  ASSERT_TRUE(dt);
  EXPECT_EQ(dt->tz_minutes, 420);
  EXPECT_EQ(dt->millis, 1710473400250.0);
  char buf[64];
  EXPECT_EQ(std::string(buf, FormatDateTime(dt->millis, 420, buf)),
            "2024-03-15T10:30:00.250+07:00");
  EXPECT_EQ(std::string(buf, FormatDate(-1, buf)), "1969-12-31");
  EXPECT_EQ(*ParseIsoTimeFraction("06:00"), 0.25);
  EXPECT_FALSE(ParseIsoTimeFraction("25:00"));
}

}  // namespace
}  // namespace ngosurvey::form::expr
