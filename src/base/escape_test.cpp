#include "base/escape.h"

#include <gtest/gtest.h>

#include "base/csv.h"

namespace ngosurvey::text {
namespace {

TEST(EscapeHtmlTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(EscapeHtml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(EscapeHtml("Việt Nam កម្ពុជា"), "Việt Nam កម្ពុជា");
}

TEST(EscapeHtmlTest, ReplacesMalformedUtf8AndControls) {
  EXPECT_EQ(EscapeHtml(std::string("a\xFF"
                                   "b")),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeHtml(std::string("a\x01"
                                   "b\tc",
                                   5)),
            "a b\tc");
  EXPECT_EQ(EscapeHtml("\xEF\xBF\xBD"), "\xEF\xBF\xBD");  // a real U+FFFD stays one
  EXPECT_EQ(EscapeHtml("a\x7F\n"), "a \n");
}

TEST(EscapeHtmlTest, XmlKeepingPositionsWritesLineEndsAsReferences) {
  EXPECT_EQ(EscapeXmlKeepingPositions("a\r\nb\tc<&'"), "a&#13;&#10;b&#9;c&lt;&amp;&#39;");
  EXPECT_EQ(EscapeXmlKeepingPositions(std::string("x\x01y", 3)), "x y");
}

TEST(EscapeHtmlTest, KeepingApostrophes) {
  EXPECT_EQ(EscapeHtmlKeepApostrophes("don't <b>&\"x\""), "don't &lt;b&gt;&amp;&quot;x&quot;");
  EXPECT_EQ(EscapeHtmlKeepApostrophes("a\x01"), "a ");
}

TEST(EscapeMarkdownTest, CellKeepsTheTextInItsCell) {
  EXPECT_EQ(EscapeMarkdownCell("a|b\nc\rd"), "a\\|b c d");
  EXPECT_EQ(EscapeMarkdownCell("*x* `y` <z> \\"), "*x* `y` <z> \\");
  EXPECT_EQ(EscapeMarkdownCell("ស្ថាប័ន"), "ស្ថាប័ន");
}

TEST(EscapeMarkdownTest, TextReadsLiterally) {
  EXPECT_EQ(EscapeMarkdownText("a|b*c`d\\e"), "a\\|b\\*c\\`d\\\\e");
  EXPECT_EQ(EscapeMarkdownText("<b>\r\n"), "&lt;b>  ");
  EXPECT_EQ(EscapeMarkdownText("snake_case"), "snake_case");
}

TEST(EscapeLatexTest, SpecialsAndControls) {
  EXPECT_EQ(EscapeLatex("50% & $5 #1 a_b {c} ~^ <> \\"),
            "50\\% \\& \\$5 \\#1 a\\_b \\{c\\} \\textasciitilde{}\\textasciicircum{} "
            "\\textless{}\\textgreater{} \\textbackslash{}");
  EXPECT_EQ(EscapeLatex("a\tb\nc"), "a b c");
  EXPECT_EQ(EscapeLatex("Việt"), "Việt");
}

TEST(EscapeCsvTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(EscapeCsv("plain"), "plain");
  EXPECT_EQ(EscapeCsv(""), "");
  EXPECT_EQ(EscapeCsv("a,b"), "\"a,b\"");
  EXPECT_EQ(EscapeCsv("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(EscapeCsv("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(EscapeCsv(" padded"), "\" padded\"");
  EXPECT_EQ(EscapeCsv("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
  EXPECT_EQ(EscapeCsv("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(EscapeCsv("a,b", ';'), "a,b");
}

TEST(EscapeCsvTest, WhatIsWrittenReadsBack) {
  const std::vector<std::string> fields = {"a,b",
                                           "say \"hi\"",
                                           " x ",
                                           "two\r\nlines",
                                           "",
                                           "\xEF\xBB\xBF"
                                           "bom",
                                           "ស្ថាប័ន"};
  std::string text;
  csv::AppendRow(fields, &text);  // the header
  csv::AppendRow(fields, &text);  // one row
  auto table = csv::ParseTable(text, "t.csv");
  ASSERT_TRUE(table) << table.error().ToString();
  EXPECT_EQ(table->header, fields);
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0], fields);
}

}  // namespace
}  // namespace ngosurvey::text
