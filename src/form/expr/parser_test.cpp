#include <gtest/gtest.h>

#include "base/text.h"
#include "form/expr/ast_internal.h"
#include "form/expr/errors.h"
#include "form/expr/expr.h"
#include "form/expr/lexer.h"

namespace ngosurvey::form::expr {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  auto tokens = Tokenize(text);
  EXPECT_TRUE(tokens.has_value()) << text;
  std::vector<TokenKind> kinds;
  if (tokens) {
    for (const Token& t : *tokens) kinds.push_back(t.kind);
  }
  return kinds;
}

TEST(LexerTest, StarAndOperatorNamesDependOnThePreviousToken) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("2 * 3"), (std::vector<K>{K::kNumber, K::kMultiply, K::kNumber, K::kEnd}));
  EXPECT_EQ(Kinds("item/*"), (std::vector<K>{K::kName, K::kSlash, K::kStar, K::kEnd}));
  EXPECT_EQ(Kinds("div div div"), (std::vector<K>{K::kName, K::kOperatorName, K::kName, K::kEnd}));
  EXPECT_EQ(Kinds("${a} and ${b}"),
            (std::vector<K>{K::kDollarRef, K::kOperatorName, K::kDollarRef, K::kEnd}));
}

TEST(LexerTest, NamesMayContainHyphensDotsAndAPrefix) {
  auto tokens = Tokenize("count-selected(jr:choice-name(a.b, 'x'))");
  ASSERT_TRUE(tokens);
  EXPECT_EQ((*tokens)[0].text, "count-selected");
  EXPECT_EQ((*tokens)[2].text, "jr:choice-name");
  EXPECT_EQ((*tokens)[4].text, "a.b");
}

TEST(LexerTest, StringsAndReferencesKeepTheirContents) {
  auto tokens = Tokenize("${first_name} = \"it's\"");
  ASSERT_TRUE(tokens);
  EXPECT_EQ((*tokens)[0].value, "first_name");
  EXPECT_EQ((*tokens)[0].length, 13);
  EXPECT_EQ((*tokens)[2].value, "it's");
}

struct ErrorCase {
  const char* text;
  const char* code;
  int offset;
};

TEST(ParserTest, SyntaxErrorsCarryCodeAndOffset) {
  const ErrorCase cases[] = {
      {"1 +", "E043", 3},   {"(1", "E043", 2},       {"1 2", "E042", 2},       {"'abc", "E041", 0},
      {"${a", "E048", 0},   {"${}", "E048", 0},      {"${a b}", "E048", 3},    {"$a", "E048", 0},
      {"1 # 2", "E040", 2}, {"a ! b", "E040", 2},    {"1.2.3", "E049", 0},     {"", "E047", 0},
      {"   ", "E047", 0},   {"f(1,)", "E042", 4},    {"foo bar", "E042", 4},   {")", "E042", 0},
      {"a[1", "E043", 3},   {"a/node()", "E054", 2}, {"a/b[1]/c(", "E054", 7},
  };
  for (const ErrorCase& c : cases) {
    auto parsed = Parse(c.text);
    ASSERT_FALSE(parsed.has_value()) << c.text;
    EXPECT_EQ(parsed.error().code, c.code) << c.text << ": " << parsed.error().ToString();
    EXPECT_EQ(parsed.error().where.expr_offset, c.offset) << c.text;
    EXPECT_EQ(parsed.error().where.expression, c.text);
  }
}

TEST(ParserTest, ErrorMessageShowsACaretUnderTheToken) {
  auto parsed = Parse("${age} > > 3");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().ToString(),
            "E042: expected a value but found '>'\n    ${age} > > 3\n             ^");
}

TEST(ParserTest, CaretCountsDisplayColumnsNotBytes) {
  auto parsed = Parse("'ភាសា' = =");
  ASSERT_FALSE(parsed);
  // The Khmer string is 14 bytes but 6 columns wide including quotes (2 signs combine).
  EXPECT_EQ(parsed.error().where.expr_offset, 17);
  size_t columns = text::DisplayWidth(std::string_view("'ភាសា' = =").substr(0, 17));
  EXPECT_LT(columns, 17u);
  std::string text = parsed.error().ToString();
  EXPECT_EQ(text.substr(text.rfind('\n') + 1), std::string(4 + columns, ' ') + "^") << text;
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  auto parsed = Parse(deep);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, "E044");
  EXPECT_EQ(parsed.error().where.expr_offset, kMaxDepth);

  std::string negations(1000, '-');
  auto neg = Parse(negations + "1");
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().code, "E044");

  std::string calls;
  for (int i = 0; i < 200; ++i) calls += "not(";
  calls += "1" + std::string(200, ')');
  auto nested = Parse(calls);
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().code, "E044");
}

TEST(ParserTest, NestingUpToTheLimitParses) {
  std::string ok(kMaxDepth, '(');
  ok += "1" + std::string(kMaxDepth, ')');
  EXPECT_TRUE(Parse(ok).has_value());
}

TEST(ParserTest, LongOperatorChainsAreBoundedToo) {
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += "+1";
  auto parsed = Parse(chain);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, "E044");
  std::string ok = "1";
  for (int i = 0; i < 500; ++i) ok += "+1";
  EXPECT_TRUE(Parse(ok).has_value());
}

TEST(ParserTest, SizeLimits) {
  std::string big(kMaxExpressionBytes + 1, ' ');
  auto parsed = Parse(big);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, "E045");

  std::string many;
  for (size_t i = 0; i < kMaxTokens; ++i) many += "1,";
  auto tokens = Parse("concat(" + many + "1)");
  ASSERT_FALSE(tokens);
  EXPECT_EQ(tokens.error().code, "E046");
}

TEST(ParserTest, ReferencesListEveryNameWithOffsetAndLength) {
  auto parsed = Parse("${a} + ${long_name} * ${a} + ../sibling + /data/g/q");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  const auto& refs = parsed->references();
  ASSERT_EQ(refs.size(), 5u);
  EXPECT_EQ(refs[0].name, "a");
  EXPECT_EQ(refs[0].offset, 0);
  EXPECT_EQ(refs[0].length, 4);
  EXPECT_EQ(refs[1].name, "long_name");
  EXPECT_EQ(refs[1].offset, 7);
  EXPECT_EQ(refs[1].length, 12);
  EXPECT_EQ(refs[2].offset, 22);
  EXPECT_EQ(refs[3].name, "sibling");
  EXPECT_EQ(refs[3].syntax, Reference::Syntax::kPath);
  EXPECT_EQ(refs[3].offset, 29);
  EXPECT_EQ(refs[3].length, 10);
  EXPECT_EQ(refs[4].name, "q");
}

TEST(ParserTest, FieldsInsidePredicatesAreNotReferences) {
  auto parsed = Parse("instance('l')/root/item[name = current()/../x and ${y} = 1]/label");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  std::vector<std::string> names;
  for (const Reference& r : parsed->references()) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "y"}));
}

TEST(ParserTest, FunctionCallsListNameArityAndOffset) {
  auto parsed = Parse("if(selected(${a}, 'x'), concat(), jr:choice-name(${a}, '${a}'))");
  ASSERT_TRUE(parsed);
  const auto& calls = parsed->function_calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].name, "if");
  EXPECT_EQ(calls[0].arity, 3);
  EXPECT_EQ(calls[1].name, "selected");
  EXPECT_EQ(calls[1].offset, 3);
  EXPECT_EQ(calls[1].arity, 2);
  EXPECT_EQ(calls[2].name, "concat");
  EXPECT_EQ(calls[2].arity, 0);
  EXPECT_EQ(calls[3].name, "jr:choice-name");
}

TEST(ParserTest, PrecedenceFollowsXPath) {
  auto parsed = Parse("1 or 2 and 3 = 4 < 5 + 6 * -7");
  ASSERT_TRUE(parsed);
  const ParsedExprData& d = parsed->data();
  const AstNode& root = d.nodes[d.root];
  ASSERT_EQ(root.kind, AstKind::kBinary);
  EXPECT_EQ(root.op, BinaryOp::kOr);
  const AstNode& right = d.nodes[root.children[1]];
  EXPECT_EQ(right.op, BinaryOp::kAnd);
  const AstNode& eq = d.nodes[right.children[1]];
  EXPECT_EQ(eq.op, BinaryOp::kEq);
  const AstNode& lt = d.nodes[eq.children[1]];
  EXPECT_EQ(lt.op, BinaryOp::kLt);
  const AstNode& add = d.nodes[lt.children[1]];
  EXPECT_EQ(add.op, BinaryOp::kAdd);
  const AstNode& mul = d.nodes[add.children[1]];
  EXPECT_EQ(mul.op, BinaryOp::kMul);
  EXPECT_EQ(d.nodes[mul.children[1]].kind, AstKind::kNegate);
}

TEST(ParserTest, CheckFunctionsReportsEveryUnknownFunctionAndArity) {
  auto parsed = Parse("count-selectd(${a}) + if(1, 2) + foo() + substr('a')");
  ASSERT_TRUE(parsed);
  std::vector<Error> errors = CheckFunctions(*parsed);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].code, "E050");
  EXPECT_EQ(errors[0].message, "unknown function 'count-selectd'; did you mean 'count-selected'?");
  EXPECT_EQ(errors[0].where.expr_offset, 0);
  EXPECT_EQ(errors[1].code, "E051");
  EXPECT_EQ(errors[1].message, "if() takes 3 arguments but is given 2");
  EXPECT_EQ(errors[1].where.expr_offset, 22);
  EXPECT_EQ(errors[2].code, "E050");
  EXPECT_EQ(errors[2].message, "unknown function 'foo'");
  EXPECT_EQ(errors[3].message, "substr() takes 2 or 3 arguments but is given 1");
  EXPECT_TRUE(CheckFunctions(*Parse("concat() + concat(1,2,3,4,5)")).empty());
}

TEST(ErrorsTest, CatalogueCoversE040ToE059InOrder) {
  auto catalogue = ErrorCatalogue();
  ASSERT_EQ(catalogue.size(), 20u);
  for (size_t i = 0; i < catalogue.size(); ++i) {
    EXPECT_EQ(catalogue[i].id, "E0" + std::to_string(40 + i));
    EXPECT_EQ(static_cast<int>(catalogue[i].code), static_cast<int>(40 + i));
    EXPECT_FALSE(catalogue[i].message.empty());
  }
  Error e = MakeExprError(ErrorCode::kWrongArity, "if(1)", 0, "if", "3 arguments", "1");
  EXPECT_EQ(e.code, "E051");
  EXPECT_EQ(e.message, "if() takes 3 arguments but is given 1");
}

}  // namespace
}  // namespace ngosurvey::form::expr
