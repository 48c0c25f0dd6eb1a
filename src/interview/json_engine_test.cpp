#include "interview/json_engine.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/words.h"
#include "form/form_json.h"
#include "interview/test_forms.h"

namespace ngosurvey::interview {
namespace {

using nlohmann::json;
using testing::MakeForm;

// The same small form as a JSON model, as the browser gets it.
std::string FormJson() {
  auto form = MakeForm({{"type", "name", "label::English (en)", "label::Khmer (km)", "constraint",
                         "constraint_message::English (en)", "required", "relevant"},
                        {"integer", "age", "Age", "អាយុ", ". < 120", "Too old", "yes", ""},
                        {"select_one yn", "paid", "Paid?", "បង់?", "", "", "", "${age} >= 18"},
                        {"begin_repeat", "kid", "Child", "កូន", "", "", "", ""},
                        {"text", "kid_name", "Name", "ឈ្មោះ", "", "", "", ""},
                        {"end_repeat", "", "", "", "", "", "", ""}},
                       {{"list_name", "name", "label::English (en)", "label::Khmer (km)"},
                        {"yn", "yes", "Yes", "បាទ/ចាស"},
                        {"yn", "no", "No", "ទេ"}});
  EXPECT_TRUE(form);
  return form::FormToJson(*form);
}

json Call(JsonEngine& engine, const json& request) {
  return json::parse(engine.Handle(request.dump()));
}

TEST(JsonEngine, AnInterviewThroughJson) {
  JsonEngine engine;
  json loaded = json::parse(engine.LoadForm(FormJson()));
  ASSERT_TRUE(loaded["ok"].get<bool>()) << loaded.dump();
  EXPECT_EQ(loaded["languages"].size(), 2u);
  int64_t form = loaded["form"];

  json r = Call(engine, {{"op", "start"},
                         {"form", form},
                         {"language", "km"},
                         {"now_ms", 1795597200000},
                         {"seed", 7}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  int64_t id = r["interview"];
  EXPECT_EQ(r["screen"]["kind"], "questions");
  EXPECT_EQ(r["screen"]["prompts"][0]["label"], "អាយុ");
  EXPECT_EQ(r["screen"]["prompts"][0]["required"], true);
  EXPECT_EQ(r["screen"]["position"], 1);

  // A type error: nothing changes, the engine's message in Khmer, the screen stays.
  r = Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "abc"}});
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"]["code"], "IV001");
  EXPECT_NE(r["error"]["message"].get<std::string>().find("\u1794"), std::string::npos)
      << r["error"]["message"];  // Khmer script
  EXPECT_TRUE(r["changes"].empty());
  // The form's constraint message (English only: the fallback language).
  r = Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "130"}});
  EXPECT_EQ(r["error"]["code"], "IV003");
  EXPECT_EQ(r["error"]["message"], "Too old");

  r = Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "30"}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  ASSERT_EQ(r["changes"].size(), 1u);
  EXPECT_EQ(r["changes"][0], json({{"path", "age"}, {"state", "answered"}, {"value", "30"}}));
  r = Call(engine, {{"op", "next"}, {"interview", id}});
  EXPECT_EQ(r["screen"]["prompts"][0]["name"], "paid");
  EXPECT_EQ(r["screen"]["prompts"][0]["choices"][1], json({{"name", "no"}, {"label", "ទេ"}}));
  r = Call(engine, {{"op", "language"}, {"interview", id}, {"language", "en"}});
  EXPECT_EQ(r["language"], "en");
  EXPECT_EQ(r["screen"]["prompts"][0]["choices"][1]["label"], "No");
  Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "yes"}});
  r = Call(engine, {{"op", "next"}, {"interview", id}});
  EXPECT_EQ(r["screen"]["kind"], "repeat_prompt");
  EXPECT_EQ(r["screen"]["repeat_instance"], 1);
  r = Call(engine, {{"op", "add_repeat"}, {"interview", id}});
  EXPECT_EQ(r["screen"]["prompts"][0]["path"], "kid[1]/kid_name");
  Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "Dara"}});
  Call(engine, {{"op", "next"}, {"interview", id}});
  r = Call(engine, {{"op", "next"}, {"interview", id}});
  EXPECT_EQ(r["screen"]["kind"], "end");
  r = Call(engine, {{"op", "review"}, {"interview", id}});
  ASSERT_EQ(r["review"].size(), 3u);
  EXPECT_EQ(r["review"][2]["path"], "kid[1]/kid_name");
  EXPECT_EQ(r["review"][2]["value"], "Dara");
  r = Call(engine, {{"op", "complete"}, {"interview", id}});
  EXPECT_TRUE(r["complete"].get<bool>());
  r = Call(engine, {{"op", "answers"}, {"interview", id}});
  EXPECT_EQ(r["answers"]["paid"]["value"], "yes");

  // Resume from the stored answers: where the interview stopped.
  json answers = r["answers"];
  answers.erase("kid[1]/kid_name");
  r = Call(engine, {{"op", "resume"}, {"form", form}, {"answers", answers}, {"language", "km"}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["screen"]["kind"], "repeat_prompt");
}

TEST(JsonEngine, BadRequestsAreJE001) {
  JsonEngine engine;
  for (const char* bad :
       {"", "[]", "{\"op\": 3}", "{\"op\":\"next\"}", "{\"op\":\"next\",\"interview\":9}",
        "{\"op\":\"start\",\"form\":1}", "{\"op\":\"fly\",\"interview\":1}"}) {
    json r = json::parse(engine.Handle(bad));
    EXPECT_FALSE(r["ok"].get<bool>()) << bad;
    EXPECT_EQ(r["error"]["code"], "JE001") << bad;
  }
  json r = json::parse(engine.LoadForm("{"));
  EXPECT_EQ(r["error"]["code"], "FJ001");
  r = json::parse(engine.Handle(R"({"op":"words","language":"vi"})"));
  EXPECT_EQ(r["words"]["required"], ScreenText(ScreenWord::kRequired, "vi"));
}

TEST(JsonEngine, InstanceXmlOfTheAnswersSoFar) {
  JsonEngine engine;
  json loaded = json::parse(engine.LoadForm(FormJson()));
  json r = Call(engine, {{"op", "start"}, {"form", loaded["form"]}, {"now_ms", 1795597200000}});
  int64_t id = r["interview"];
  r = Call(engine, {{"op", "set"}, {"interview", id}, {"prompt", 0}, {"value", "42"}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  const std::string kId = "uuid:6f1b5b4e-2a49-4c4e-9a43-2b9e1f6e1a01";
  r = Call(engine, {{"op", "instance_xml"}, {"interview", id}, {"instance_id", kId}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  std::string xml = r["xml"];
  EXPECT_NE(xml.find("<age>42</age>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<instanceID>" + kId + "</instanceID>"), std::string::npos) << xml;
  // A malformed instance ID is the writer's error, in the answer's usual shape.
  r = Call(engine, {{"op", "instance_xml"}, {"interview", id}, {"instance_id", "7"}});
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["error"]["code"], "IX002");
  EXPECT_EQ(r["screen"]["kind"], "questions");
}

TEST(JsonEngine, WordsAreTheSharedCatalogue) {
  JsonEngine engine;
  json r = Call(engine, {{"op", "words"}, {"language", "km"}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["words"]["button_next"], "បន្ទាប់");
  EXPECT_EQ(r["words"]["status_waiting"], "កំពុងរង់ចាំផ្ញើ៖ {}");  // "{}" kept
  EXPECT_EQ(r["words"]["required"], "ត្រូវតែឆ្លើយ");             // the terminal's words too
  EXPECT_EQ(r["words"].size(), words::Catalogue().size());
  EXPECT_EQ(r["languages"][1]["own"], "ខ្មែរ");
  EXPECT_EQ(r["languages"][1]["english"], "Khmer");
  r = Call(engine, {{"op", "words"}});  // no language: English
  EXPECT_EQ(r["words"]["button_dont_know"], "Don't know");
}

}  // namespace
}  // namespace ngosurvey::interview
