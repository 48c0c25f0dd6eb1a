#include "form/describe.h"

#include <gtest/gtest.h>

#include "base/testing/source_dir.h"
#include "base/words.h"
#include "form/diagnostics.h"

namespace ngosurvey::form {
namespace {

// A small form by hand: a select_one with labels in two languages, a
// select_multiple, an integer, and a group with its own relevance.
Form SmallForm() {
  Form form;
  form.default_language = "en";
  form.languages = {{"en", "English"}, {"km", "Khmer"}};
  auto add = [&](std::string name, QuestionType type, std::string list, Translations label,
                 int parent = -1) {
    Question q;
    q.index = static_cast<int>(form.questions.size());
    q.name = name;
    q.type = type;
    q.list_name = std::move(list);
    q.label = std::move(label);
    q.parent = parent;
    form.name_index[name].push_back(q.index);
    form.questions.push_back(std::move(q));
    return form.questions.back().index;
  };
  add("has_shelter", QuestionType::kSelectOne, "yes_no",
      {{"en", "Has a shelter"}, {"km", "មានជម្រក"}});
  add("services", QuestionType::kSelectMultiple, "service", {{"en", "Services"}});
  add("staff", QuestionType::kInteger, "", {{"en", "Staff"}});
  add("code", QuestionType::kText, "", {});  // no label: the name alone
  int group = add("shelter", QuestionType::kBeginGroup, "", {{"en", "Shelter"}});
  form.questions[group].relevant = "${has_shelter} = 'yes' or ${staff} > 50";
  int beds = add("beds", QuestionType::kInteger, "", {{"en", "Beds"}}, group);
  form.questions[beds].relevant = "${staff} >= 2";
  ChoiceList yes_no{"yes_no", 1, {}};
  yes_no.choices.push_back({2, "yes", {{"en", "Yes"}, {"km", "បាទ/ចាស"}}});
  yes_no.choices.push_back({3, "no", {{"en", "No"}, {"km", "ទេ"}}});
  ChoiceList service{"service", 4, {}};
  service.choices.push_back({5, "legal", {{"en", "Legal aid"}}});
  form.choice_lists = {yes_no, service};
  return form;
}

struct Case {
  const char* expression;
  const char* lang;
  const char* words;
};

TEST(DescribeExpression, PlainWordsWithLabelsInTheLanguage) {
  Form form = SmallForm();
  const Case cases[] = {
      {"${has_shelter} = 'yes'", "en", "has_shelter is 'yes' (\"Yes\")"},
      {"${has_shelter} = 'yes'", "km", "has_shelter គឺ 'yes' (\"បាទ/ចាស\")"},
      {"${has_shelter} != 'no'", "en", "has_shelter is not 'no' (\"No\")"},
      {"selected(${services}, 'legal')", "en", "services includes 'legal' (\"Legal aid\")"},
      // In Khmer, the tool's words too (base/words.h).
      {"selected(${has_shelter}, 'yes')", "km", "has_shelter គឺ 'yes' (\"បាទ/ចាស\")"},
      {"not(selected(${services}, 'legal'))", "en",
       "services does not include 'legal' (\"Legal aid\")"},
      {"${staff} > 10 and ${staff} <= 50", "en", "staff is more than 10 and staff is at most 50"},
      {"(${staff} < 5 or ${staff} >= 100) and ${code} != ''", "en",
       "(staff is less than 5 or staff is at least 100) and code is "
       "answered"},
      {"${code} = ''", "en", "code is not answered"},
      {"count-selected(${services}) > 1", "en",
       "the number of options chosen in services is more than 1"},
      {". >= 0 and . <= 100", "en", "the answer is at least 0 and the answer is at most 100"},
      // Arithmetic keeps its operators; parentheses only where the tree needs them.
      {"(${staff} + 1) * 2 > 10 - (3 - 1)", "en", "(staff + 1) * 2 is more than 10 - (3 - 1)"},
      {"-${staff} < 0", "en", "-staff is less than 0"},
      // A name the form does not have, and a function without words, stay as written.
      {"${unknown} = 'x' and regex(${code}, '^[A-Z]+$')", "en",
       "unknown is 'x' and regex(code, '^[A-Z]+$')"},
      // A string compared with something that is not a select gets no label.
      {"${code} = 'yes'", "en", "code is 'yes'"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DescribeExpression(form, c.expression, c.lang), c.words) << c.expression;
  }
}

TEST(DescribeExpression, TextThatDoesNotParseIsReturnedAsWritten) {
  Form form = SmallForm();
  EXPECT_EQ(DescribeExpression(form, "${staff} > (1", "en"), "${staff} > (1");
}

TEST(DescribeRelevance, EnclosingGroupsFirstJoinedByAnd) {
  Form form = SmallForm();
  const Question* beds = form.FindQuestion("beds");
  ASSERT_NE(beds, nullptr);
  EXPECT_EQ(DescribeRelevance(form, *beds, "en"),
            "Asked if (has_shelter is 'yes' (\"Yes\") or staff is "
            "more than 50) and staff is at least 2");
  EXPECT_EQ(DescribeRelevance(form, *form.FindQuestion("staff"), "en"), "");
  // A nested group repeating its parent's condition: said once.
  form.questions[form.FindQuestion("beds")->index].relevant = form.questions[4].relevant;
  EXPECT_EQ(DescribeRelevance(form, *form.FindQuestion("beds"), "en"),
            "Asked if has_shelter is 'yes' (\"Yes\") or staff is more than 50");
  EXPECT_EQ(DescribeRelevance(form, *form.FindQuestion("shelter"), "km"),
            "សួរប្រសិនបើ has_shelter គឺ 'yes' (\"បាទ/ចាស\") ឬ staff ច្រើនជាង 50");
}

// Every relevance of the reference study's instrument is put into words without
// falling back to the raw text of a whole condition (no "${" left).
TEST(DescribeRelevance, TheStudyInstrumentInEveryLanguage) {
  Diagnostics diags;
  auto form = LoadFormFile(
      std::string(::ngosurvey::testing::SourceDir()) + "/study/instrument.xlsx", &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  int described = 0;
  for (const Language& language : form->languages) {
    for (const Question& q : form->questions) {
      std::string words = DescribeRelevance(*form, q, language.code);
      if (words.empty()) continue;
      ++described;
      std::string asked =
          words::Text(words::Word::kDescAskedIf, words::CatalogueLanguage(language.code), {""});
      EXPECT_EQ(words.rfind(asked, 0), 0u) << words;
      EXPECT_EQ(words.find("${"), std::string::npos) << q.name << ": " << words;
    }
  }
  EXPECT_GT(described, 10);
}

}  // namespace
}  // namespace ngosurvey::form
