#include "form/instance_xml.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "form/odk_instance.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeForm;

constexpr const char* kId = "uuid:6f1b5b4e-2a49-4c4e-9a43-2b9e1f6e1a01";

Form Survey(const testing::Rows& settings) {
  auto form = MakeForm({{"type", "name", "label"},
                        {"start", "start", ""},
                        {"integer", "age", "Age"},
                        {"select_multiple topics", "topics", "Topics"},
                        {"select_one yn or_other", "funded", "Funded"},
                        {"text", "remarks", "Remarks"},
                        {"begin_group", "office", "Office"},
                        {"integer", "staff", "Staff"},
                        {"decimal", "budget", "Budget"},
                        {"end_group", "", ""},
                        {"begin_repeat", "programs", "Programs"},
                        {"text", "name", "Name"},
                        {"begin_repeat", "sites", "Sites"},
                        {"text", "site", "Site"},
                        {"end_repeat", "", ""},
                        {"end_repeat", "", ""}},
                       {{"list_name", "name", "label"},
                        {"yn", "yes", "Yes"},
                        {"yn", "no", "No"},
                        {"topics", "health", "Health"},
                        {"topics", "legal", "Legal"}},
                       settings);
  EXPECT_TRUE(form.has_value());
  return *form;
}

std::map<std::string, Answer> Answers() {
  return {{"start", Answer::Answered("2024-03-01T10:00:00.000+07:00")},
          {"age", Answer::Refused()},
          {"topics", Answer::Answered("health legal")},
          {"funded", Answer::Answered("other")},
          {"funded_other", Answer::Answered("A <church> & \"friends\"")},
          {"remarks", Answer::Missing()},
          {"office/staff", Answer::DontKnow()},
          {"office/budget", Answer::Answered("1200.5")},
          {"programs[1]/name", Answer::Answered("Shelter")},
          {"programs[1]/sites[1]/site", Answer::Answered("Siem Reap")},
          {"programs[1]/sites[2]/site", Answer::Answered("Kampot")},
          {"programs[2]/name", Answer::Answered("Hotline")}};
}

// What ReadOdkInstance gives back for the written document.
std::map<std::string, Answer> ReadBack(const Form& form, const std::string& xml) {
  OdkInstanceOptions options;
  options.refused_codes = RefusedCodes(form);
  options.dont_know_codes = DontKnowCodes(form);
  auto read = ReadOdkInstance(xml, form, options);
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message) << "\n" << xml;
  if (!read) return {};
  EXPECT_EQ(read->instance_id, kId);
  return read->answers;
}

TEST(InstanceXml, ReadingItBackGivesTheSameAnswers) {
  Form form = Survey({{"form_id", "version"}, {"ngo", "2024"}});
  auto xml = WriteInstanceXml(form, Answers(), {.instance_id = kId});
  ASSERT_TRUE(xml.has_value()) << xml.error().message;
  EXPECT_EQ(ReadBack(form, *xml), Answers());
  // The layout ODK clients write: the form's id and version on the root, groups and
  // repeat instances as elements in form order, codes for refused / don't know, meta
  // last; text escaped.
  EXPECT_NE(xml->find("<data id=\"ngo\" version=\"2024\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("  <age>refused</age>\n"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<staff>dont_know</staff>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<remarks/>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("A &lt;church&gt; &amp; &quot;friends&quot;"), std::string::npos) << *xml;
  EXPECT_LT(xml->find("<name>Shelter</name>"), xml->find("<name>Hotline</name>"));
  EXPECT_LT(xml->find("<site>Siem Reap</site>"), xml->find("<site>Kampot</site>"));
  EXPECT_NE(xml->find("<meta>\n    <instanceID>" + std::string(kId) + "</instanceID>"),
            std::string::npos)
      << *xml;
}

TEST(InstanceXml, TheFormsOwnCodesAndRootName) {
  Form form = Survey({{"form_id", "version", "name", "missing_refused", "missing_dont_know"},
                      {"ngo", "7", "profile", "-99, -98", "-88"}});
  auto xml = WriteInstanceXml(form, Answers(), {.instance_id = kId});
  ASSERT_TRUE(xml.has_value());
  EXPECT_NE(xml->find("<profile id=\"ngo\" version=\"7\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<age>-99</age>"), std::string::npos) << *xml;  // the first code
  EXPECT_NE(xml->find("<staff>-88</staff>"), std::string::npos) << *xml;
  EXPECT_EQ(ReadBack(form, *xml), Answers());
}

TEST(InstanceXml, NotAskedIsLeftOutAndMetaIsKept) {
  Form form = Survey({{"form_id", "version"}, {"ngo", "2024"}});
  std::map<std::string, Answer> answers = {{"age", Answer::Answered("40")},
                                           {"remarks", Answer::NotAsked("kept aside")}};
  auto xml = WriteInstanceXml(form, answers,
                              {.instance_id = kId,
                               .deprecated_id = "uuid:00000000-0000-4000-8000-000000000001",
                               .instance_name = "NGO 7"});
  ASSERT_TRUE(xml.has_value());
  EXPECT_EQ(xml->find("remarks"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<deprecatedID>uuid:00000000-0000-4000-8000-000000000001</deprecatedID>"),
            std::string::npos);
  EXPECT_NE(xml->find("<instanceName>NGO 7</instanceName>"), std::string::npos);
  std::map<std::string, Answer> back = ReadBack(form, *xml);
  EXPECT_EQ(back.size(), 1u);
  EXPECT_EQ(back["age"], Answer::Answered("40"));
}

TEST(InstanceXml, BadInputIsNamed) {
  Form form = Survey({{"form_id", "version"}, {"ngo", "2024"}});
  auto bad_id = WriteInstanceXml(form, Answers(), {.instance_id = "42"});
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().code, "IX002");
  EXPECT_EQ(bad_id.error().message, "the instance ID \"42\" is not \"uuid:\" followed by a UUID");
  auto stray =
      WriteInstanceXml(form, {{"office/age", Answer::Answered("4")}}, {.instance_id = kId});
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().code, "IX001");
  EXPECT_EQ(stray.error().message, "\"office/age\" is not a question of the form at that place");
  auto repeat_as_group =
      WriteInstanceXml(form, {{"programs/name", Answer::Answered("x")}}, {.instance_id = kId});
  ASSERT_FALSE(repeat_as_group);
  EXPECT_EQ(repeat_as_group.error().code, "IX001");
  auto malformed = WriteInstanceXml(form, {{"1bad", Answer::Answered("x")}}, {.instance_id = kId});
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, "IX001");
}

}  // namespace
}  // namespace ngosurvey::form
