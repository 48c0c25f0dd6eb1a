#include "form/codebook.h"

#include <gtest/gtest.h>

#include <string>

namespace ngosurvey::form {
namespace {

constexpr const char* kBook = R"(version = "2026-12-05"
title = "Difficulties of programmes"
languages = ["en", "km"]
questions = ["difficulties"]

[[theme]]
id = "resources"
label = { en = "Resources", km = "ធនធាន" }
definition = "The programme lacks what it needs to run."

[[theme]]
id = "funding"
parent = "resources"
label = { en = "Funding" }
definition = { en = "Money: grants end, donors leave.", km = "ថវិកា" }
inclusion = "Any mention of money, donors or grants."
exclusion = "Staff leaving for better pay: use staff_turnover."
example = "Our donor stopped after two years."

[[theme]]
id = "staff_turnover"
parent = "resources"
label = "Staff turnover"

[[theme]]
id = "coordination"
label = { en = "Coordination with government" }
)";

// One codebook for several open questions: each theme codes its own (inherited by its
// sub-themes), and says where it comes from.
TEST(CodebookTest, ThemesOfSeveralQuestionsAndTheirSources) {
  auto book = ParseCodebook(R"(version = "1"
questions = ["factors", "difficulties"]
[[theme]]
id = "performance"
label = "Factors"
questions = ["factors"]
source = "Section 'Major Factors', paragraph 1"
[[theme]]
id = "partners"
parent = "performance"
label = "Partners"
[[theme]]
id = "funding"
label = "Funding"
questions = ["difficulties"]
[[theme]]
id = "other"
label = "Other"
)",
                            "book.toml");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(book->Find("performance")->source, "Section 'Major Factors', paragraph 1");
  EXPECT_EQ(book->Find("performance")->questions, (std::vector<std::string>{"factors"}));
  EXPECT_TRUE(book->AppliesTo("partners", "factors"));  // its parent's question
  EXPECT_FALSE(book->AppliesTo("partners", "difficulties"));
  EXPECT_TRUE(book->AppliesTo("funding", "difficulties"));
  EXPECT_FALSE(book->AppliesTo("funding", "factors"));
  EXPECT_TRUE(book->AppliesTo("other", "factors"));  // no questions: every question
  EXPECT_TRUE(book->AppliesTo("other", "difficulties"));

  auto unknown = ParseCodebook(R"(version = "1"
questions = ["factors"]
[[theme]]
id = "funding"
label = "Funding"
questions = ["difficulties"]
)",
                               "book.toml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "CB002");
  EXPECT_EQ(unknown.error().where.row, 6);
  EXPECT_NE(unknown.error().message.find("'difficulties'"), std::string::npos);
}

TEST(CodebookTest, ReadsThemesHierarchyAndLanguages) {
  auto book = ParseCodebook(kBook, "book.toml");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(book->version, "2026-12-05");
  EXPECT_EQ(book->title, "Difficulties of programmes");
  EXPECT_EQ(book->languages, (std::vector<std::string>{"en", "km"}));
  EXPECT_EQ(book->questions, (std::vector<std::string>{"difficulties"}));
  ASSERT_EQ(book->themes.size(), 4u);
  const Theme* funding = book->Find("funding");
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->parent, "resources");
  EXPECT_EQ(funding->line, 11);
  EXPECT_EQ(funding->label.Get("en"), "Funding");
  EXPECT_EQ(funding->label.Get("km", "en"), "Funding");  // no Khmer label: the default
  EXPECT_EQ(funding->definition.Get("km"), "ថវិកា");
  EXPECT_EQ(funding->inclusion.Get("km"), "Any mention of money, donors or grants.");
  EXPECT_EQ(funding->example.Get("en"), "Our donor stopped after two years.");
  EXPECT_EQ(book->Find("resources")->label.Get("km"), "ធនធាន");
  EXPECT_EQ(book->Find("staff_turnover")->label.Get("km", "en"), "Staff turnover");
  EXPECT_EQ(book->Find("nothing"), nullptr);
  EXPECT_EQ(book->Children(""), (std::vector<size_t>{0, 3}));
  EXPECT_EQ(book->Children("resources"), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(book->Depth("funding"), 1);
  EXPECT_EQ(book->Depth("coordination"), 0);
  EXPECT_EQ(book->DefaultLanguage(), "en");
}

TEST(CodebookTest, DeepHierarchyAncestorsNearestFirst) {
  std::string text = "version = \"1\"\n";
  for (int i = 0; i < 50; ++i) {
    text +=
        "[[theme]]\nid = \"t" + std::to_string(i) + "\"\nlabel = \"T" + std::to_string(i) + "\"\n";
    if (i > 0) text += "parent = \"t" + std::to_string(i - 1) + "\"\n";
  }
  auto book = ParseCodebook(text, "deep.toml");
  ASSERT_TRUE(book) << book.error().ToString();
  EXPECT_EQ(book->Depth("t49"), 49);
  auto ancestors = book->Ancestors("t3");
  EXPECT_EQ(ancestors, (std::vector<std::string>{"t2", "t1", "t0"}));
}

// The error (code and whole text) that a codebook gives.
std::string ErrorOf(const std::string& text) {
  auto book = ParseCodebook(text, "book.toml");
  if (book) return "(parsed)";
  return book.error().ToString();
}

TEST(CodebookTest, DuplicateIdNamesBothLines) {
  EXPECT_EQ(
      ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\nlabel = \"A\"\n"
              "[[theme]]\nid = \"b\"\nlabel = \"B\"\n[[theme]]\nid = \"a\"\nlabel = \"A2\"\n"),
      "book.toml:8: CB003: theme id 'a' is used twice (first at line 2)");
}

TEST(CodebookTest, CycleIsNamedFromItsFirstTheme) {
  std::string text =
      "version = \"1\"\n"
      "[[theme]]\nid = \"root\"\nlabel = \"R\"\n"               // line 2
      "[[theme]]\nid = \"b\"\nparent = \"c\"\nlabel = \"B\"\n"  // line 5
      "[[theme]]\nid = \"c\"\nparent = \"d\"\nlabel = \"C\"\n"  // line 9
      "[[theme]]\nid = \"d\"\nparent = \"b\"\nlabel = \"D\"\n"  // line 13
      "[[theme]]\nid = \"e\"\nparent = \"d\"\nlabel = \"E\"\n";
  EXPECT_EQ(ErrorOf(text),
            "book.toml:5: CB005: the themes' parents make a cycle: b -> c -> d -> b");
  // Reached through a theme outside the cycle, still named from its first theme.
  std::string later =
      "version = \"1\"\n"
      "[[theme]]\nid = \"x\"\nparent = \"y\"\nlabel = \"X\"\n"  // line 2, outside the cycle
      "[[theme]]\nid = \"y\"\nparent = \"z\"\nlabel = \"Y\"\n"  // line 6
      "[[theme]]\nid = \"z\"\nparent = \"y\"\nlabel = \"Z\"\n";
  EXPECT_EQ(ErrorOf(later), "book.toml:6: CB005: the themes' parents make a cycle: y -> z -> y");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"s\"\nparent = \"s\"\nlabel = \"S\"\n"),
            "book.toml:2: CB005: theme 's' is its own parent");
}

TEST(CodebookTest, ThemeWithoutLabel) {
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\ndefinition = \"...\"\n"),
            "book.toml:2: CB006: theme 'a' has no label");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\nlabel = \"  \"\n"),
            "book.toml:2: CB006: theme 'a' has no label");
  EXPECT_EQ(ErrorOf("version = \"1\"\nlanguages = [\"en\", \"vi\"]\n[[theme]]\nid = \"a\"\n"
                    "label = { vi = \"Tài chính\" }\n"),
            "book.toml:3: CB006: theme 'a' has no label in the default language 'en'");
}

TEST(CodebookTest, StructureErrors) {
  EXPECT_EQ(ErrorOf("[[theme]]\nid = \"a\"\nlabel = \"A\"\n"),
            "book.toml:1: CB002: missing key 'version' (the codebook's version, a string)");
  EXPECT_EQ(ErrorOf("version = \"1\"\n"), "book.toml:1: CB002: no [[theme]] in the codebook");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\nlabel = \"A\"\nlable = \"x\"\n"),
            "book.toml:5: CB002: unknown key 'lable' in a [[theme]] (known: id, parent, label, "
            "definition, inclusion, exclusion, example, questions, source)");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nlabel = \"A\"\n"),
            "book.toml:2: CB002: a [[theme]] without 'id'");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = 3\nlabel = \"A\"\n"),
            "book.toml:3: CB002: 'id' must be a string");
  EXPECT_EQ(ErrorOf("version = \"1\"\nlanguages = [\"en\"]\n[[theme]]\nid = \"a\"\n"
                    "label = { en = \"A\", fr = \"A\" }\n"),
            "book.toml:5: CB002: language 'fr' of 'label' is not in 'languages'");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\nlabel = [\"A\"]\n"),
            "book.toml:4: CB002: 'label' must be a string or a table of language = text");
  EXPECT_EQ(ErrorOf("version = 1\n[[theme]]\nid = \"a\"\nlabel = \"A\"\n"),
            "book.toml:1: CB002: 'version' must be a non-empty string");
  EXPECT_EQ(
      ErrorOf("version = \"1\"\n[[theme]]\nid = \"has space\"\nlabel = \"A\"\n"),
      "book.toml:3: CB007: theme id 'has space' is not a name (1 to 64 ASCII letters, digits, "
      "'_', '-' or '.', starting with a letter or '_')");
  EXPECT_EQ(ErrorOf("version = \"1\"\n[[theme]]\nid = \"a\"\nparent = \"ghost\"\nlabel = \"A\"\n"),
            "book.toml:2: CB004: theme 'a' has parent 'ghost', which is no theme");
  auto syntax = ParseCodebook("version = \"1\n", "book.toml");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "CB001");
  EXPECT_EQ(syntax.error().where.row, 1);
}

TEST(CodebookTest, ThemeIds) {
  EXPECT_TRUE(IsThemeId("funding"));
  EXPECT_TRUE(IsThemeId("_x.y-2"));
  EXPECT_FALSE(IsThemeId(""));
  EXPECT_FALSE(IsThemeId("2x"));
  EXPECT_FALSE(IsThemeId("a,b"));
  EXPECT_FALSE(IsThemeId(std::string(65, 'a')));
  EXPECT_TRUE(IsThemeId(std::string(64, 'a')));
}

TEST(CodebookTest, ReportsAMissingFile) {
  auto missing = LoadCodebook("/nonexistent/codebook.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where.file, "/nonexistent/codebook.toml");
}

}  // namespace
}  // namespace ngosurvey::form
