// The XLSForm reader's pyxform behaviour, on forms built from rows of text (the
// workbook-level cases, with pyxform's verdicts, are tests/forms/parity/).
#include <gtest/gtest.h>

#include "form/diagnostics.h"
#include "form/form.h"
#include "form/loops.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeForm;
using testing::MakeSheet;
using testing::Rows;

struct Built {
  Result<Form> form;
  Diagnostics diags;
  std::string Codes() const {
    std::string out;
    for (const Diagnostic& d : diags.items()) out += (out.empty() ? "" : " ") + d.error.code;
    return out;
  }
  std::string All() const {
    std::string out;
    for (const Diagnostic& d : diags.items()) out += d.ToString() + "\n";
    return out;
  }
};

Built Build(const Rows& survey, const Rows& choices = {}, const Rows& settings = {}) {
  Built built{MakeError("", ""), {}};
  built.form = MakeForm(survey, choices, settings, &built.diags);
  return built;
}

// The type cell -> the canonical type, for pyxform's spellings.
QuestionType TypeOf(const std::string& type_cell, const Rows& choices = {}) {
  Built b = Build({{"type", "name", "label"}, {type_cell, "q", "Q"}}, choices);
  EXPECT_TRUE(b.form) << type_cell;
  EXPECT_EQ(b.form->questions.size(), 1u) << type_cell << "\n" << b.All();
  return b.form->questions.empty() ? QuestionType::kText : b.form->questions[0].type;
}

TEST(XlsformReader, PyxformTypeSpellings) {
  EXPECT_EQ(TypeOf("get today"), QuestionType::kToday);
  EXPECT_EQ(TypeOf("get start time"), QuestionType::kStart);
  EXPECT_EQ(TypeOf("date time"), QuestionType::kDateTime);
  EXPECT_EQ(TypeOf("add dateTime prompt"), QuestionType::kDateTime);
  EXPECT_EQ(TypeOf("phone number"), QuestionType::kText);
  EXPECT_EQ(TypeOf("phonenumber"), QuestionType::kPhoneNumber);
  EXPECT_EQ(TypeOf("percentage"), QuestionType::kInteger);
  EXPECT_EQ(TypeOf("number of days in last six months"), QuestionType::kInteger);
  EXPECT_EQ(TypeOf("q picture"), QuestionType::kImage);
  EXPECT_EQ(TypeOf("add file prompt"), QuestionType::kFile);
  EXPECT_EQ(TypeOf("uri:deviceid"), QuestionType::kDeviceId);
  EXPECT_EQ(TypeOf("uri:email"), QuestionType::kEmail);
  EXPECT_EQ(TypeOf("osm"), QuestionType::kOsm);
  EXPECT_EQ(TypeOf("background-geopoint"), QuestionType::kBackgroundGeopoint);
  Rows yn = {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}};
  EXPECT_EQ(TypeOf("select one yn or specify other", yn), QuestionType::kSelectOne);
  EXPECT_EQ(TypeOf("select all that apply yn or other", yn), QuestionType::kSelectMultiple);
  EXPECT_EQ(TypeOf("select1 yn", yn), QuestionType::kSelectOne);
}

TEST(XlsformReader, TypesAreCaseSensitiveWithAHint) {
  Built b = Build({{"type", "name", "label"}, {"Integer", "age", "Age"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "E003");
  EXPECT_NE(b.All().find("unknown question type \"Integer\"; types are written in lower case: "
                         "did you mean \"integer\"?"),
            std::string::npos)
      << b.All();
  // The list name keeps its case in the hint.
  b = Build({{"type", "name", "label"}, {"Select_One YesNo", "q", "Q"}},
            {{"list_name", "name", "label"}, {"YesNo", "y", "Y"}});
  EXPECT_NE(b.All().find("did you mean \"select_one YesNo\"?"), std::string::npos) << b.All();
}

TEST(XlsformReader, OrOtherKeepsTheListAndFlag) {
  Built b = Build({{"type", "name", "label"}, {"select_multiple fruits or other", "f", "F"}},
                  {{"list_name", "name", "label"}, {"fruits", "apple", "Apple"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "");
  EXPECT_EQ(b.form->questions[0].list_name, "fruits");
  EXPECT_TRUE(b.form->questions[0].or_other);
  EXPECT_EQ(b.form->questions[0].type_text, "select_multiple fruits or other");
}

// The loop's expansion itself is form/loops_test.cpp's.
TEST(XlsformReader, LoopOverAListBecomesAGroupPerChoice) {
  Built b = Build({{"type", "name", "label"},
                   {"begin loop over fruits", "loop", "Fruit"},
                   {"integer", "eaten", "Eaten?"},
                   {"end loop"}},
                  {{"list_name", "name", "label"}, {"fruits", "apple", "Apple"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "") << b.All();
  ASSERT_EQ(b.form->questions.size(), 3u);
  const Question& loop = b.form->questions[0];
  EXPECT_TRUE(IsLoopGroup(loop));
  EXPECT_EQ(loop.list_name, "fruits");
  EXPECT_EQ(loop.type_text, "begin loop over fruits");
  EXPECT_EQ(loop.children, std::vector<int>{1});
  EXPECT_EQ(b.form->questions[1].path, "/data/loop/apple");
  EXPECT_EQ(b.form->questions[2].path, "/data/loop/apple/eaten");
  EXPECT_EQ(b.form->questions[2].row, 3) << "a copy keeps its sheet row";
  // end group does not close a loop.
  b = Build({{"type", "name", "label"},
             {"begin loop over fruits", "loop", "Fruit"},
             {"integer", "eaten", "Eaten?"},
             {"end group"}},
            {{"list_name", "name", "label"}, {"fruits", "apple", "Apple"}});
  EXPECT_NE(b.Codes().find("E009"), std::string::npos) << b.All();
}

TEST(XlsformReader, EndLgroupClosesTheRepeatBeginLgroupOpens) {
  Built b = Build({{"type", "name", "label"},
                   {"begin lgroup", "members", "Members"},
                   {"text", "who", "Who?"},
                   {"end lgroup"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "");
  EXPECT_TRUE(b.form->questions[0].is_repeat());
}

TEST(XlsformReader, SingleColonHeadersOnlyWhenNoHeaderUsesTwo) {
  Built b = Build({{"type", "name", "label:English", "label:French", "jr:constraintMsg"},
                   {"integer", "q", "Age?", "Âge ?", "Too old"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "");
  const Question& q = b.form->questions[0];
  EXPECT_EQ(q.label.at("English"), "Age?");
  EXPECT_EQ(q.label.at("French"), "Âge ?");
  // Untranslated: the language "default", which stays the default language.
  EXPECT_EQ(q.constraint_message.at("default"), "Too old");
  EXPECT_EQ(b.form->default_language, "default");
  // With a "::" header elsewhere, "label:English" is an extra column, not a label.
  b = Build({{"type", "name", "label::fr", "label:English"}, {"integer", "q", "Âge ?", "Age?"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.form->questions[0].label.size(), 1u);
  ASSERT_NE(b.form->questions[0].ExtraColumn("label:English"), nullptr);
}

TEST(XlsformReader, HeadersInSnakeCaseAndAliases) {
  Built b = Build({{"Type", "Tag", "Caption", "Constraint  Message", "Relevance"},
                   {"integer", "q", "Age?", "Too old", "1 = 1"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "");
  const Question& q = b.form->questions[0];
  EXPECT_EQ(q.name, "q");
  EXPECT_EQ(q.constraint_message.begin()->second, "Too old");
  EXPECT_EQ(q.relevant, "1 = 1");
}

TEST(XlsformReader, GeneratedNamesAndSkippedRows) {
  Built b = Build({{"type", "name", "label", "hint"},
                   {"note", "", "Welcome"},
                   {"", "", "", "a comment"},
                   {"audit"},
                   {"text", "q", "Q"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "W109 W103") << b.All();
  EXPECT_EQ(b.form->questions[0].name, "generated_note_name_2");
  EXPECT_EQ(b.form->questions[1].name, "audit");
  EXPECT_EQ(b.form->questions.size(), 3u);
}

TEST(XlsformReader, FormIdFromTheFileNameAndDefaultLanguageFromTheFirstLabel) {
  Built b = Build({{"type", "name", "hint::km", "label::English (en)", "label::Khmer (km)"},
                   {"text", "q", "ជំនួយ", "Name?", "ឈ្មោះ?"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.form->settings.form_id, "test");  // form_rows' workbook is test.xlsx
  EXPECT_EQ(b.form->title, "test");
  EXPECT_EQ(b.form->default_language, "en");
  ASSERT_EQ(b.form->languages.size(), 2u);
  EXPECT_EQ(b.form->languages[0].code, "en");
  // The settings' default_language wins; so do untranslated columns ("default").
  b = Build({{"type", "name", "label::English (en)", "label::Khmer (km)"},
             {"text", "q", "Name?", "ឈ្មោះ?"}},
            {}, {{"form_id", "default_language"}, {"f", "Khmer (km)"}});
  EXPECT_EQ(b.form->default_language, "km");
  EXPECT_EQ(b.form->settings.form_id, "f");
  b = Build({{"type", "name", "label", "label::Khmer (km)"}, {"text", "q", "Name?", "ឈ្មោះ?"}});
  EXPECT_EQ(b.form->default_language, "default");
}

TEST(XlsformReader, OnlySheetIsTheSurvey) {
  Workbook wb;
  wb.file = "Only.xlsx";
  wb.sheets.push_back(MakeSheet("Sheet1", {{"type", "name", "label"}, {"text", "q", "Q"}}));
  Diagnostics diags;
  Result<Form> form = BuildForm(wb, &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_EQ(form->questions.size(), 1u);
  EXPECT_EQ(form->survey_sheet, "Sheet1");
  // Two sheets, neither called survey: E001.
  wb.sheets.push_back(MakeSheet("Sheet2", {{"type"}}));
  EXPECT_EQ(BuildForm(wb, &diags).error().code, "E001");
}

TEST(XlsformReader, TypographicQuotesAndSpaces) {
  Built b = Build({{"type", "name", "label", "relevant"},
                   {"text", "a", "A", ""},
                   {"text", "b", "Two   spaces", "${a} = \u2018yes\u2019"}});
  ASSERT_TRUE(b.form);
  EXPECT_EQ(b.Codes(), "");
  EXPECT_EQ(b.form->questions[1].relevant, "${a} = 'yes'");
  EXPECT_EQ(b.form->questions[1].label.begin()->second, "Two spaces");
}

TEST(XlsformReader, RefusedAsPyxformRefuses) {
  Rows fruits = {{"list_name", "name", "label"}, {"fruits", "red apple", "Red apple"}};
  EXPECT_EQ(
      Build({{"type", "name", "label"}, {"select_multiple fruits", "f", "F"}}, fruits).Codes(),
      "E027");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"select_one fruits", "f", "F"}}, fruits).Codes(),
            "");
  EXPECT_EQ(Build({{"type", "name", "label", "choice_filter"},
                   {"select_one fruits or_other", "f", "F", "name != 'x'"}},
                  fruits)
                .Codes(),
            "E026");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"audit", "my_audit"}}).Codes(), "E028 W103");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"text", "meta", "M"}}).Codes(), "E029");
  EXPECT_EQ(Build({{"type", "name", "label"},
                   {"begin repeat", "data", "R"},
                   {"text", "q", "Q"},
                   {"end repeat"}})
                .Codes(),
            "E030");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"select_one_external city", "c", "C"}}).Codes(),
            "W103 E031");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"select_one_from_file places", "p", "P"}}).Codes(),
            "E032 W103");
  EXPECT_EQ(
      Build({{"type", "name", "label"}, {"select_one_from_file places.csv", "p", "P"}}).Codes(),
      "W103");
  EXPECT_EQ(Build({{"type", "name", "label"}, {"", "age", "Age"}}).Codes(), "E003");
}

TEST(XlsformReader, BareWordIsAWarningWithTheQuotedLiteral) {
  Built b = Build({{"type", "name", "label", "relevant"},
                   {"select_one yn", "heard", "Heard?", ""},
                   {"text", "how", "How?", "${heard} = yes"}},
                  {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}});
  ASSERT_TRUE(b.form);
  ASSERT_EQ(b.Codes(), "W111") << b.All();
  EXPECT_EQ(b.diags.items()[0].ToString(),
            "test.xlsx:survey!D3: W111: 'yes' is no question, so XPath reads it as a path to "
            "nothing (an empty node-set: comparisons with it are false); did you mean 'yes'?\n"
            "    ${heard} = yes\n"
            "               ^");
}

}  // namespace
}  // namespace ngosurvey::form
