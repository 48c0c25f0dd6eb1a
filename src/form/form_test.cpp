#include "form/form.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "base/testing/source_dir.h"
#include "form/diagnostics.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(::ngosurvey::testing::SourceDir()) + "/tests/forms/" + name;
}

struct Loaded {
  Result<Form> form;
  Diagnostics diags;
};

Loaded Load(const std::string& name) {
  Loaded loaded{MakeError("", ""), {}};
  loaded.form = LoadFormFile(Fixture(name), &loaded.diags);
  return loaded;
}

std::vector<std::string> Codes(const Diagnostics& diags) {
  std::vector<std::string> codes;
  for (const Diagnostic& d : diags.items()) codes.push_back(d.error.code);
  return codes;
}

std::string All(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.items()) out += d.ToString() + "\n";
  return out;
}

TEST(Form, MultilingualEverySpelling) {
  Loaded l = Load("multilingual.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_EQ(l.diags.items().size(), 0u) << All(l.diags);
  const Form& form = *l.form;
  std::vector<std::string> codes;
  for (const Language& language : form.languages) codes.push_back(language.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"en", "km", "vi"}));
  EXPECT_EQ(form.languages[0].name, "English");
  EXPECT_EQ(form.languages[1].name, "Khmer");
  EXPECT_EQ(form.default_language, "en");
  const Question* age = form.FindQuestion("age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->type, QuestionType::kInteger);  // "int"
  EXPECT_EQ(age->label.at("km"), "អាយុ");
  EXPECT_EQ(age->hint.at("en"), "In years");       // hint::English(en)
  EXPECT_EQ(age->hint.at("vi"), "Tính bằng năm");  // hint::vi
  EXPECT_EQ(age->constraint_message.at("vi"), "Tuổi phải từ 15 đến 99");
  EXPECT_EQ(age->required_message.at("km"), "សូមឆ្លើយ");
  EXPECT_EQ(age->constraint, ". >= 15 and . <= 99");
  EXPECT_TRUE(age->IsRequiredConstant());  // true()
  const Question* married = form.FindQuestion("married");
  ASSERT_NE(married, nullptr);
  EXPECT_EQ(married->type, QuestionType::kSelectOne);  // select1
  EXPECT_EQ(married->list_name, "yes_no");
  EXPECT_EQ(married->relevant, "${age} >= 15");  // "relevance" column
  const Question* crops = form.FindQuestion("crops");
  ASSERT_NE(crops, nullptr);
  EXPECT_EQ(crops->type, QuestionType::kSelectMultiple);  // select all that apply
  EXPECT_TRUE(crops->or_other);
  EXPECT_EQ(crops->list_name, "crops");
  EXPECT_EQ(form.FindQuestion("spouse")->type, QuestionType::kText);  // string
  EXPECT_EQ(form.Text(crops->label, "km"), "ដំណាំ");
  EXPECT_EQ(form.Text(crops->label, "Khmer"), "ដំណាំ");
  EXPECT_EQ(form.Text(crops->label, "fr"), "Crops grown");  // falls back to default
  const ChoiceList* yes_no = form.FindChoiceList("yes_no");
  ASSERT_NE(yes_no, nullptr);
  ASSERT_EQ(yes_no->choices.size(), 2u);
  EXPECT_EQ(yes_no->choices[0].label.at("vi"), "Có");
}

TEST(Form, UntranslatedColumnIsTheDefaultLanguage) {
  Loaded l = Load("default_language.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_EQ(l.form->default_language, "en");
  ASSERT_EQ(l.form->languages.size(), 2u);
  EXPECT_EQ(l.form->languages[0].code, "en");
  EXPECT_EQ(l.form->languages[1].code, "km");
  EXPECT_EQ(l.form->FindQuestion("village")->label.at("en"), "Village");
  // Row 3 has an English label and no Khmer one.
  ASSERT_EQ(Codes(l.diags), std::vector<std::string>{"W102"}) << All(l.diags);
  EXPECT_EQ(l.diags.items()[0].ToString(),
            Fixture("default_language.xlsx") +
                ":survey!D1: W102: column \"label::Khmer (km)\" is empty on 1 row that has a "
                "label in another language (row 3)");
}

TEST(Form, DeepGroupsPathsAndNesting) {
  Loaded l = Load("deep_groups.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_FALSE(l.diags.has_errors()) << All(l.diags);
  const Question* q6 = l.form->FindQuestion("q6");
  ASSERT_NE(q6, nullptr);
  EXPECT_EQ(q6->path, "/data/level1/level2/level3/level4/level5/level6/q6");
  const Question& level6 = l.form->questions[static_cast<size_t>(q6->parent)];
  EXPECT_EQ(level6.name, "level6");
  EXPECT_EQ(level6.children, std::vector<int>{q6->index});
  EXPECT_GT(level6.end_row, q6->row);
  EXPECT_EQ(l.form->FindQuestion("deepest")->parent, -1);
}

TEST(Form, NestedRepeats) {
  Loaded l = Load("nested_repeats.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_FALSE(l.diags.has_errors()) << All(l.diags);
  const Question* job = l.form->FindQuestion("job");
  ASSERT_NE(job, nullptr);
  EXPECT_TRUE(job->is_repeat());
  EXPECT_EQ(job->repeat_count, "${n_jobs}");
  EXPECT_EQ(l.form->FindQuestion("job_income")->path, "/data/member/job/job_income");
  EXPECT_EQ(l.form->questions[static_cast<size_t>(job->parent)].name, "member");
}

TEST(Form, EnclosingRepeatIsTheInnermostRepeatAroundAQuestion) {
  auto form = testing::MakeForm({{"type", "name", "label"},
                                 {"text", "top", "Top"},
                                 {"begin_repeat", "member", "Member"},
                                 {"text", "name", "Name"},
                                 {"begin_group", "work", "Work"},
                                 {"begin_repeat", "job", "Job"},
                                 {"integer", "income", "Income"},
                                 {"end_repeat"},
                                 {"text", "employer", "Employer"},
                                 {"end_group"},
                                 {"end_repeat"},
                                 {"begin_group", "place", "Place"},
                                 {"begin loop over fruits", "fruit", "Fruit"},
                                 {"integer", "eaten", "Eaten?"},
                                 {"end loop"},
                                 {"text", "village", "Village"},
                                 {"end_group"}},
                                {{"list_name", "name", "label"}, {"fruits", "apple", "Apple"}});
  ASSERT_TRUE(form) << form.error().ToString();
  auto index = [&](const char* name) { return form->FindQuestion(name)->index; };
  auto repeat = [&](const char* name) { return form->EnclosingRepeat(*form->FindQuestion(name)); };
  auto repeat_or_loop = [&](const char* name) {
    return form->EnclosingRepeatOrLoop(*form->FindQuestion(name));
  };
  EXPECT_EQ(repeat("top"), -1);
  EXPECT_EQ(repeat("member"), -1);  // a repeat does not enclose itself
  EXPECT_EQ(repeat("name"), index("member"));
  EXPECT_EQ(repeat("work"), index("member"));
  EXPECT_EQ(repeat("job"), index("member"));
  EXPECT_EQ(repeat("income"), index("job"));       // the innermost one
  EXPECT_EQ(repeat("employer"), index("member"));  // through a group
  EXPECT_EQ(repeat("eaten"), -1);                  // a loop is no repeat
  EXPECT_EQ(repeat_or_loop("eaten"), index("fruit"));
  EXPECT_EQ(repeat_or_loop("income"), index("job"));
  EXPECT_EQ(repeat_or_loop("village"), -1);
  EXPECT_EQ(repeat_or_loop("fruit"), -1);
}

TEST(Form, CascadingSelects) {
  Loaded l = Load("cascading.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_EQ(l.diags.items().size(), 0u) << All(l.diags);
  const ChoiceList* communes = l.form->FindChoiceList("commune");
  ASSERT_NE(communes, nullptr);
  EXPECT_EQ(communes->choices.size(), 12u);
  ASSERT_NE(communes->choices[0].ExtraColumn("district"), nullptr);
  EXPECT_EQ(*communes->choices[0].ExtraColumn("district"), "d1");
}

TEST(Form, HundredsOfCalculations) {
  Loaded l = Load("many_calcs.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_EQ(l.diags.items().size(), 0u) << All(l.diags);
  EXPECT_EQ(l.form->questions.size(), 303u);
}

TEST(Form, InlineStringWorkbookWithNearMissSheet) {
  Loaded l = Load("inline_strings.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  EXPECT_EQ(l.form->survey_sheet, "SURVEY");
  const ChoiceList* yn = l.form->FindChoiceList("yn");
  ASSERT_NE(yn, nullptr);
  EXPECT_EQ(yn->choices[0].name, "1");  // a number cell as a choice name
  EXPECT_EQ(l.form->FindQuestion("ok")->label.at("km"), "តើវាល្អទេ?");  // Label::Khmer(km)
  ASSERT_EQ(Codes(l.diags), std::vector<std::string>{"W101"}) << All(l.diags);
  EXPECT_NE(l.diags.items()[0].error.message.find("did you mean \"settings\""), std::string::npos);
}

TEST(Form, LibreOfficeSavedWorkbooksMatchTheOriginals) {
  for (const char* name : {"multilingual.xlsx", "nested_repeats.xlsx"}) {
    Loaded original = Load(name);
    Loaded resaved = Load(std::string("libreoffice/") + name);
    ASSERT_TRUE(original.form && resaved.form) << name;
    EXPECT_EQ(All(resaved.diags), "");
    ASSERT_EQ(original.form->questions.size(), resaved.form->questions.size()) << name;
    for (size_t i = 0; i < original.form->questions.size(); ++i) {
      const Question& a = original.form->questions[i];
      const Question& b = resaved.form->questions[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.label, b.label);
      EXPECT_EQ(a.relevant, b.relevant);
      EXPECT_EQ(a.path, b.path);
    }
  }
}

TEST(Form, ExampleFormIsCleanInThreeLanguages) {
  Diagnostics diags;
  Result<Form> form = LoadFormFile(
      std::string(::ngosurvey::testing::SourceDir()) + "/examples/ngo_profile.xlsx", &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_EQ(diags.items().size(), 0u) << All(diags);
  EXPECT_EQ(form->languages.size(), 3u);
  const Question* district = form->FindQuestion("district");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->choice_filter, "province = ${province}");
  EXPECT_EQ(form->FindQuestion("programme")->repeat_count, "${programme_count}");
  EXPECT_EQ(form->settings.values.at("translation_status").substr(0, 10), "Khmer (km)");
}

// Every problem of a broken form in one pass, each with its exact cell.
TEST(Form, ReportsEveryProblemInOnePass) {
  Loaded l = Load("errors/many.xlsx");
  ASSERT_TRUE(l.form) << l.form.error().ToString();
  std::set<std::string> codes;
  for (const std::string& c : Codes(l.diags)) codes.insert(c);
  for (const char* want : {"E003", "E005", "E006", "E008", "E009", "E011", "E012", "E014", "E015",
                           "E016", "E018", "E019", "E050", "E051", "W102", "W110", "W113"}) {
    EXPECT_EQ(codes.count(want), 1u) << want << "\n" << All(l.diags);
  }
  for (const Diagnostic& d : l.diags.items()) {
    bool expression_code = d.error.code >= "E040" && d.error.code <= "E059";
    EXPECT_TRUE(FindDiagnostic(d.error.code) != nullptr || expression_code) << d.error.code;
  }
  std::string all = All(l.diags);
  EXPECT_NE(all.find("E019: circular calculation: a -> b -> c -> a"), std::string::npos) << all;
  EXPECT_NE(all.find("E012: unknown reference ${nmae}; did you mean ${name}?"), std::string::npos)
      << all;
}

TEST(Form, UnknownReferenceGolden) {
  Loaded l = Load("errors/unknown_ref.xlsx");
  ASSERT_TRUE(l.form);
  ASSERT_EQ(l.diags.items().size(), 1u) << All(l.diags);
  EXPECT_EQ(l.diags.items()[0].ToString(),
            Fixture("errors/unknown_ref.xlsx") +
                ":survey!F14: E012: unknown reference ${agee}; did you mean ${age}?\n"
                "    ${agee} > 18\n"
                "    ^");
}

TEST(Form, FatalErrors) {
  Diagnostics diags;
  Result<Form> form = LoadFormFile(Fixture("not_a_zip.xlsx"), &diags);
  ASSERT_FALSE(form);
  EXPECT_EQ(form.error().code, "X001");
  form = LoadFormFile(Fixture("excel_style.xlsx"), &diags);
  ASSERT_TRUE(form);  // has a survey sheet; its problems are diagnostics
  Result<Form> missing = LoadFormFile(Fixture("no_such_file.xlsx"), &diags);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "IO001");
}

TEST(Form, CatalogueIsComplete) {
  std::set<std::string> seen;
  for (const DiagnosticInfo& info : DiagnosticCatalogue()) {
    EXPECT_TRUE(seen.insert(std::string(info.code)).second) << info.code;
    EXPECT_FALSE(info.meaning.empty());
    EXPECT_FALSE(info.fix.empty());
    EXPECT_EQ(info.severity == Severity::kWarning, info.code[0] == 'W') << info.code;
  }
  EXPECT_NE(FindDiagnostic("E012"), nullptr);
  EXPECT_EQ(FindDiagnostic("E999"), nullptr);
}

TEST(Form, TypeNamesAreCanonical) {
  EXPECT_EQ(TypeName(QuestionType::kDateTime), "dateTime");
  EXPECT_EQ(TypeName(QuestionType::kBeginGroup), "begin_group");
  EXPECT_EQ(TypeName(QuestionType::kStartGeopoint), "start-geopoint");
  EXPECT_TRUE(Traits(QuestionType::kSelectOne).has_list);
  EXPECT_TRUE(Traits(QuestionType::kStart).metadata);
  EXPECT_FALSE(Traits(QuestionType::kGeopoint).interview_ready);
}

}  // namespace
}  // namespace ngosurvey::form
