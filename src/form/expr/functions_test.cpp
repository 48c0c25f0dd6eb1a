#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/testing/source_dir.h"
#include "form/expr/expr.h"
#include "form/expr/functions_internal.h"

namespace ngosurvey::form::expr {
namespace {

TEST(FunctionTableTest, SortedUniqueAndComplete) {
  auto functions = Functions();
  ASSERT_GE(functions.size(), 60u);
  for (size_t i = 1; i < functions.size(); ++i) {
    EXPECT_LT(functions[i - 1].name, functions[i].name) << "table must be sorted by name";
  }
  for (const FunctionInfo& info : functions) {
    EXPECT_FALSE(info.doc.empty()) << info.name;
    EXPECT_FALSE(info.example.empty()) << info.name;
    EXPECT_TRUE(info.signature.starts_with(std::string(info.name) + "(")) << info.signature;
    EXPECT_TRUE(info.max_args < 0 || info.max_args >= info.min_args) << info.name;
    EXPECT_EQ(FindFunction(info.name), &info);
  }
  // The functions the brief requires.
  for (const char* name : {"selected",
                           "selected-at",
                           "count-selected",
                           "jr:choice-name",
                           "if",
                           "coalesce",
                           "not",
                           "true",
                           "false",
                           "boolean",
                           "boolean-from-string",
                           "regex",
                           "contains",
                           "starts-with",
                           "ends-with",
                           "string",
                           "string-length",
                           "concat",
                           "join",
                           "substr",
                           "substring-before",
                           "substring-after",
                           "translate",
                           "normalize-space",
                           "number",
                           "int",
                           "round",
                           "floor",
                           "ceiling",
                           "abs",
                           "pow",
                           "sqrt",
                           "exp",
                           "log",
                           "log10",
                           "min",
                           "max",
                           "sum",
                           "count",
                           "count-non-empty",
                           "position",
                           "indexed-repeat",
                           "today",
                           "now",
                           "date",
                           "decimal-date-time",
                           "format-date",
                           "format-date-time",
                           "once",
                           "uuid",
                           "decimal-time",
                           "date-time",
                           "exp10",
                           "sin",
                           "cos",
                           "tan",
                           "asin",
                           "acos",
                           "atan",
                           "atan2",
                           "pi"}) {
    EXPECT_NE(FindFunction(name), nullptr) << name;
  }
  EXPECT_EQ(FindFunction("no-such-function"), nullptr);
}

// Every example in the table evaluates to its documented result.
TEST(FunctionTableTest, EveryExampleEvaluatesToItsDocumentedResult) {
  FixedClock clock = ExampleClock();
  MapContext ctx(&clock, 7);
  FillExampleContext(&ctx);
  Evaluator evaluator;
  int checked = 0;
  for (const FunctionInfo& info : Functions()) {
    auto bound = Compile(info.example, ctx);
    ASSERT_TRUE(bound) << info.name << ": " << bound.error().ToString();
    auto value = evaluator.EvaluateString(*bound, ctx);
    ASSERT_TRUE(value) << info.name << ": " << value.error().ToString();
    EXPECT_EQ(*value, info.expected) << info.name << ": " << info.example;
    // The example exercises its own function.
    bool calls_itself = false;
    auto parsed = Parse(info.example);
    ASSERT_TRUE(parsed);
    for (const FunctionCall& call : parsed->function_calls()) {
      calls_itself |= call.name == info.name;
    }
    EXPECT_TRUE(calls_itself) << info.name << "'s example does not call it";
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(Functions().size()));
}

TEST(FunctionTableTest, CommittedDocsMatchTheTable) {
  std::string path = std::string(::ngosurvey::testing::SourceDir()) + "/docs/expressions.md";
  if (const char* regenerate = std::getenv("NGOSURVEY_REGENERATE_DOCS");
      regenerate && *regenerate == '1') {
    std::ofstream(path, std::ios::binary) << FunctionsMarkdown();
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == FunctionsMarkdown())
      << "docs/expressions.md is out of date; regenerate it with\n"
         "  ngosurvey expr functions --format md > docs/expressions.md\n"
         "or NGOSURVEY_REGENERATE_DOCS=1 ngosurvey_form_tests --gtest_filter='*CommittedDocs*'";
}

TEST(FunctionTableTest, MarkdownHasOneRowPerFunction) {
  std::string md = FunctionsMarkdown();
  for (const FunctionInfo& info : Functions()) {
    EXPECT_NE(md.find("| `" + std::string(info.signature).substr(0, info.name.size() + 1)),
              std::string::npos)
        << info.name;
  }
  EXPECT_NE(md.find("| E044 |"), std::string::npos);
  std::string text = FunctionsText();
  EXPECT_NE(text.find("example: selected(${fruits}, 'mango')  =>  true"), std::string::npos);
}

TEST(FunctionTableTest, ArityText) {
  EXPECT_EQ(ArityText(*FindFunction("if")), "3 arguments");
  EXPECT_EQ(ArityText(*FindFunction("not")), "1 argument");
  EXPECT_EQ(ArityText(*FindFunction("substr")), "2 or 3 arguments");
  EXPECT_EQ(ArityText(*FindFunction("concat")), "at least 0 arguments");
  EXPECT_EQ(ArityText(*FindFunction("coalesce")), "at least 2 arguments");
}

}  // namespace
}  // namespace ngosurvey::form::expr
