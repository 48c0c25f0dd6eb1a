#include "form/form_json.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/testing/source_dir.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

std::string Source(const std::string& path) {
  return std::string(::ngosurvey::testing::SourceDir()) + "/" + path;
}

// Every field of the model, one by one (not through FormToJson, which could drop a
// field on both sides).
void ExpectSameForm(const Form& a, const Form& b) {
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.default_language, b.default_language);
  ASSERT_EQ(a.languages.size(), b.languages.size());
  for (size_t i = 0; i < a.languages.size(); ++i) {
    EXPECT_EQ(a.languages[i].code, b.languages[i].code);
    EXPECT_EQ(a.languages[i].name, b.languages[i].name);
    EXPECT_EQ(a.languages[i].written, b.languages[i].written);
  }
  const Settings &sa = a.settings, &sb = b.settings;
  EXPECT_EQ(sa.form_id, sb.form_id);
  EXPECT_EQ(sa.form_title, sb.form_title);
  EXPECT_EQ(sa.version, sb.version);
  EXPECT_EQ(sa.default_language, sb.default_language);
  EXPECT_EQ(sa.instance_name, sb.instance_name);
  EXPECT_EQ(sa.public_key, sb.public_key);
  EXPECT_EQ(sa.submission_url, sb.submission_url);
  EXPECT_EQ(sa.style, sb.style);
  EXPECT_EQ(sa.allow_choice_duplicates, sb.allow_choice_duplicates);
  EXPECT_EQ(sa.values, sb.values);
  EXPECT_EQ(a.survey_sheet, b.survey_sheet);
  EXPECT_EQ(a.choices_sheet, b.choices_sheet);
  EXPECT_EQ(a.settings_sheet, b.settings_sheet);
  EXPECT_EQ(a.survey_columns, b.survey_columns);
  EXPECT_EQ(a.choices_columns, b.choices_columns);
  EXPECT_EQ(a.untranslated_survey_columns, b.untranslated_survey_columns);
  EXPECT_EQ(a.untranslated_choices_columns, b.untranslated_choices_columns);
  EXPECT_EQ(a.name_index, b.name_index);
  ASSERT_EQ(a.questions.size(), b.questions.size());
  for (size_t i = 0; i < a.questions.size(); ++i) {
    const Question &qa = a.questions[i], &qb = b.questions[i];
    SCOPED_TRACE("question " + qa.name);
    EXPECT_EQ(qa.index, qb.index);
    EXPECT_EQ(qa.row, qb.row);
    EXPECT_EQ(qa.type, qb.type);
    EXPECT_EQ(qa.type_text, qb.type_text);
    EXPECT_EQ(qa.name, qb.name);
    EXPECT_EQ(qa.list_name, qb.list_name);
    EXPECT_EQ(qa.or_other, qb.or_other);
    EXPECT_EQ(qa.path, qb.path);
    EXPECT_EQ(qa.parent, qb.parent);
    EXPECT_EQ(qa.children, qb.children);
    EXPECT_EQ(qa.end_row, qb.end_row);
    EXPECT_EQ(qa.label, qb.label);
    EXPECT_EQ(qa.hint, qb.hint);
    EXPECT_EQ(qa.guidance_hint, qb.guidance_hint);
    EXPECT_EQ(qa.constraint_message, qb.constraint_message);
    EXPECT_EQ(qa.required_message, qb.required_message);
    EXPECT_EQ(qa.image, qb.image);
    EXPECT_EQ(qa.audio, qb.audio);
    EXPECT_EQ(qa.video, qb.video);
    EXPECT_EQ(qa.relevant, qb.relevant);
    EXPECT_EQ(qa.constraint, qb.constraint);
    EXPECT_EQ(qa.calculation, qb.calculation);
    EXPECT_EQ(qa.required, qb.required);
    EXPECT_EQ(qa.read_only, qb.read_only);
    EXPECT_EQ(qa.default_value, qb.default_value);
    EXPECT_EQ(qa.appearance, qb.appearance);
    EXPECT_EQ(qa.parameters, qb.parameters);
    EXPECT_EQ(qa.choice_filter, qb.choice_filter);
    EXPECT_EQ(qa.repeat_count, qb.repeat_count);
    EXPECT_EQ(qa.trigger, qb.trigger);
    EXPECT_EQ(qa.extra_columns, qb.extra_columns);
  }
  ASSERT_EQ(a.choice_lists.size(), b.choice_lists.size());
  for (size_t i = 0; i < a.choice_lists.size(); ++i) {
    const ChoiceList &la = a.choice_lists[i], &lb = b.choice_lists[i];
    EXPECT_EQ(la.name, lb.name);
    EXPECT_EQ(la.row, lb.row);
    ASSERT_EQ(la.choices.size(), lb.choices.size());
    for (size_t j = 0; j < la.choices.size(); ++j) {
      const Choice &ca = la.choices[j], &cb = lb.choices[j];
      EXPECT_EQ(ca.row, cb.row);
      EXPECT_EQ(ca.name, cb.name);
      EXPECT_EQ(ca.label, cb.label);
      EXPECT_EQ(ca.image, cb.image);
      EXPECT_EQ(ca.audio, cb.audio);
      EXPECT_EQ(ca.video, cb.video);
      EXPECT_EQ(ca.extra_columns, cb.extra_columns);
    }
  }
}

class FormJsonRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(FormJsonRoundTrip, EveryFieldComesBack) {
  Diagnostics diags;
  auto form = LoadFormFile(Source(GetParam()), &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  ASSERT_FALSE(diags.has_errors());
  std::string json = FormToJson(*form);
  auto back = FormFromJson(json, "x.json");
  ASSERT_TRUE(back) << back.error().ToString();
  ExpectSameForm(*form, *back);
  EXPECT_EQ(FormToJson(*back), json);
}

INSTANTIATE_TEST_SUITE_P(Forms, FormJsonRoundTrip,
                         ::testing::Values("examples/ngo_profile.xlsx", "study/instrument.xlsx",
                                           "tests/forms/multilingual.xlsx",
                                           // the types pyxform has that the interview does not run
                                           "tests/forms/parity/begin_loop.xlsx",
                                           "tests/forms/parity/osm.xlsx",
                                           "tests/forms/parity/legacy_types.xlsx",
                                           "tests/forms/xform_plain.xlsx"));

TEST(FormJson, FieldsTheExamplesDoNotUse) {
  // or_other, extra columns on both sheets, media, every text column, settings values.
  auto form = testing::MakeForm(
      {{"type", "name", "label::English (en)", "label::Khmer (km)", "image::en", "default",
        "read_only", "trigger", "guidance_hint", "body::accuracyThreshold"},
       {"select_one yn or_other", "q1", "Q1", "សំណួរ", "q1.png", "y", "false()", "${q2}", "g", "5"},
       {"text", "q2", "Q2", "", "", "", "", "", "", ""}},
      {{"list_name", "name", "label::en", "audio::en", "province"},
       {"yn", "y", "Yes", "yes.mp3", "KH"},
       {"yn", "n", "No", "", "VN"}},
      {{"form_id", "form_title", "version", "allow_choice_duplicates", "style"},
       {"f", "Title", "3", "yes", "pages"}});
  ASSERT_TRUE(form);
  auto back = FormFromJson(FormToJson(*form), "x.json");
  ASSERT_TRUE(back) << back.error().ToString();
  ExpectSameForm(*form, *back);
  EXPECT_TRUE(back->questions[0].or_other);
  EXPECT_EQ(back->questions[0].extra_columns.size(), 1u);
  EXPECT_EQ(back->choice_lists[0].choices[1].extra_columns.at(0).second, "VN");
  EXPECT_TRUE(back->settings.allow_choice_duplicates);
  // The language as the header spells it, which names the XForm's translation.
  // English is spelt two ways here ("English (en)", "en"): no single spelling.
  std::map<std::string, std::string> written;
  for (const Language& language : back->languages) written[language.code] = language.written;
  EXPECT_EQ(written.at("km"), "Khmer (km)");
  EXPECT_EQ(written.at("en"), "");
}

Error ReadError(const std::string& json) {
  auto form = FormFromJson(json, "bad.json");
  EXPECT_FALSE(form);
  return form ? Error{} : form.error();
}

TEST(FormJson, BadInputNamesThePlace) {
  Error e = ReadError("{\"ngosurvey_form\": 1, \"questions\": [}");
  EXPECT_EQ(e.code, "FJ001");
  EXPECT_NE(e.message.find("byte"), std::string::npos) << e.message;
  EXPECT_EQ(e.where.file, "bad.json");

  EXPECT_EQ(ReadError("[1]").code, "FJ002");
  EXPECT_EQ(ReadError("{\"questions\": []}").code, "FJ002");
  e = ReadError("{\"ngosurvey_form\": 2}");
  EXPECT_EQ(e.code, "FJ002");
  EXPECT_NE(e.message.find("version 2"), std::string::npos) << e.message;

  e = ReadError(R"({"ngosurvey_form":1,"questions":[{"type":"text","name":"a"},{"type":"nope"}]})");
  EXPECT_EQ(e.code, "FJ003");
  EXPECT_EQ(e.message, "questions[1].type: unknown question type 'nope'");

  // A parent that is not a container, a parent after its child, children that
  // disagree with the parents.
  e = ReadError(R"({"ngosurvey_form":1,"questions":[{"type":"text"},{"type":"text","parent":0}]})");
  EXPECT_EQ(e.message, "questions[1].parent: is not a group or repeat");
  e = ReadError(
      R"({"ngosurvey_form":1,"questions":[{"type":"text","parent":1},{"type":"begin_group"}]})");
  EXPECT_EQ(e.message, "questions[0].parent: must come before the question");
  e = ReadError(
      R"({"ngosurvey_form":1,"questions":[{"type":"begin_group","children":[1]},{"type":"text"}]})");
  EXPECT_EQ(e.message, "questions[0].children: differ from the questions that name it as parent");
  e = ReadError(R"({"ngosurvey_form":1,"questions":[{"type":"text","label":{"en":3}}]})");
  EXPECT_EQ(e.message, "questions[0].label.en: expected a string");
  e = ReadError(R"({"ngosurvey_form":1,"choice_lists":[{"name":"l","choices":[{"row":"x"}]}]})");
  EXPECT_EQ(e.message, "choice_lists[0].choices[0].row: expected an integer");

  // Nesting and size are limited before parsing.
  e = ReadError(std::string(100, '[') + std::string(100, ']'));
  EXPECT_EQ(e.code, "FJ001");
  EXPECT_NE(e.message.find("deeper"), std::string::npos);
  auto big = FormFromJson(std::string(100, ' '), "big.json", 50);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "FJ001");
}

TEST(FormJson, BracketsInsideStringsAreNotNesting) {
  std::string label(100, '[');
  auto form =
      FormFromJson(R"({"ngosurvey_form":1,"questions":[{"type":"note","name":"n","label":{"en":")" +
                       label + R"(\"{"}}]})",
                   "ok.json");
  ASSERT_TRUE(form) << form.error().ToString();
  EXPECT_EQ(form->questions[0].label.at("en"), label + "\"{");
}

}  // namespace
}  // namespace ngosurvey::form
