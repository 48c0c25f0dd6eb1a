// pyxform's "begin loop over LIST" expanded at load (form/loops.h). The XForms it makes
// are xform_writer_test.cpp's (LoopOverAListIsAGroupPerChoice...), identical to those of
// the writer's own expansion before; an Ona export's loop columns are
// tests/cli/import_loop_test.sh's.
#include "form/loops.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeForm;

Form Loaded(const std::vector<std::vector<std::string>>& survey,
            const std::vector<std::vector<std::string>>& choices) {
  Diagnostics diags;
  auto form = MakeForm(survey, choices, {{"form_id"}, {"loops"}}, &diags);
  EXPECT_TRUE(form) << form.error().ToString();
  for (const Diagnostic& d : diags.items()) {
    if (d.severity == Severity::kError) ADD_FAILURE() << d.ToString();
  }
  return form ? *form : Form{};
}

std::vector<std::string> Paths(const Form& form) {
  std::vector<std::string> paths;
  for (const Question& q : form.questions) paths.push_back(q.path);
  return paths;
}

TEST(Loops, AGroupPerChoiceWithTheDirectChildrenSubstituted) {
  Form form = Loaded({{"type", "name", "label::English", "label::Khmer", "relevant"},
                      {"select_multiple modes or_other", "modes", "Modes?", "មធ្យោបាយ?", ""},
                      {"begin loop over modes", "each", "Each", "នីមួយៗ", ""},
                      {"select_one freq", "freq", "How often by %(label)s? (100%%)",
                       "ញឹកញាប់ %(label)s?", "selected(${modes}, '%(name)s')"},
                      {"begin group", "more", "More about %(label)s", "", ""},
                      {"text", "why", "Why %(label)s?", "", ""},
                      {"end group", "", "", "", ""},
                      {"note", "", "A note without a name", "", ""},
                      {"end loop", "", "", "", ""},
                      {"text", "after", "After", "", ""}},
                     {{"list_name", "name", "label::English", "label::Khmer"},
                      {"modes", "bus", "Bus", "ឡានក្រុង"},
                      {"modes", "none", "None", "គ្មាន"},
                      {"modes", "taxi", "Taxi", ""},
                      {"freq", "daily", "Daily", "រាល់ថ្ងៃ"}});
  // The note has the name the reader generates for it (pyxform's), and is copied.
  const std::string note = "generated_note_name_8";
  EXPECT_EQ(Paths(form),
            (std::vector<std::string>{
                "/data/modes", "/data/each", "/data/each/bus", "/data/each/bus/freq",
                "/data/each/bus/more", "/data/each/bus/more/why", "/data/each/bus/" + note,
                "/data/each/taxi", "/data/each/taxi/freq", "/data/each/taxi/more",
                "/data/each/taxi/more/why", "/data/each/taxi/" + note,
                // "other": the list is an or_other select's and has none.
                "/data/each/other", "/data/each/other/freq", "/data/each/other/more",
                "/data/each/other/more/why", "/data/each/other/" + note, "/data/after"}));
  for (size_t i = 0; i < form.questions.size(); ++i) {
    const Question& q = form.questions[i];
    EXPECT_EQ(q.index, static_cast<int>(i));
    if (q.parent >= 0) {
      const std::vector<int>& siblings = form.questions[static_cast<size_t>(q.parent)].children;
      EXPECT_NE(std::find(siblings.begin(), siblings.end(), q.index), siblings.end()) << q.path;
    }
  }
  const Question& each = form.questions[1];
  EXPECT_TRUE(IsLoopGroup(each));
  EXPECT_FALSE(IsLoopGroup(form.questions[2])) << "a choice's group is a plain group";
  EXPECT_EQ(each.children, (std::vector<int>{2, 7, 12}));
  const Question& bus = form.questions[2];
  EXPECT_EQ(bus.label.at("English"), "Bus");
  EXPECT_EQ(bus.label.at("Khmer"), "ឡានក្រុង");
  const Question& freq_bus = form.questions[3];
  EXPECT_EQ(freq_bus.path, "/data/each/bus/freq");
  EXPECT_EQ(freq_bus.label.at("English"), "How often by Bus? (100%)");
  EXPECT_EQ(freq_bus.label.at("Khmer"), "ញឹកញាប់ ឡានក្រុង?") << "the label in the cell's language";
  EXPECT_EQ(freq_bus.relevant, "selected(${modes}, 'bus')");
  EXPECT_EQ(freq_bus.row, 4) << "a copy keeps its sheet row";
  // A choice without a label in a language: its label in another.
  EXPECT_EQ(form.questions[8].label.at("Khmer"), "ញឹកញាប់ Taxi?");
  // Deeper rows are copied as written, as pyxform does.
  EXPECT_EQ(form.questions[5].label.at("English"), "Why %(label)s?");
  EXPECT_EQ(form.questions[4].label.at("English"), "More about Bus");
  EXPECT_EQ(form.questions[13].label.at("English"), "How often by Other? (100%)");
  EXPECT_EQ(form.QuestionsNamed("why"), (std::vector<int>{5, 10, 15}));
  EXPECT_EQ(form.QuestionsNamed("freq"), (std::vector<int>{3, 8, 13}));
  EXPECT_EQ(form.FindQuestion("freq"), nullptr) << "one a choice";
  EXPECT_EQ(form.FindQuestion("after")->index, 17);
  EXPECT_EQ(form.EnclosingRepeatOrLoop(form.questions[8]), 1);
}

TEST(Loops, NestedLoopsAndALoopInARepeat) {
  Form form = Loaded(
      {{"type", "name", "label"},
       {"begin repeat", "visit", "Visit"},
       {"begin loop over a", "outer", "Outer"},
       {"begin loop over b", "inner", "Inner"},
       {"integer", "n", "N"},
       {"end loop", "", ""},
       {"end loop", "", ""},
       {"end repeat", "", ""}},
      {{"list_name", "name", "label"}, {"a", "a1", "A1"}, {"a", "a2", "A2"}, {"b", "b1", "B1"}});
  EXPECT_EQ(Paths(form),
            (std::vector<std::string>{"/data/visit", "/data/visit/outer", "/data/visit/outer/a1",
                                      "/data/visit/outer/a1/inner", "/data/visit/outer/a1/inner/b1",
                                      "/data/visit/outer/a1/inner/b1/n", "/data/visit/outer/a2",
                                      "/data/visit/outer/a2/inner", "/data/visit/outer/a2/inner/b1",
                                      "/data/visit/outer/a2/inner/b1/n"}));
  EXPECT_EQ(form.EnclosingRepeat(form.questions[5]), 0);
}

TEST(Loops, LoopSubstitute) {
  EXPECT_EQ(LoopSubstitute("%(name)s and %(label)s", "bus", "Bus"), "bus and Bus");
  EXPECT_EQ(LoopSubstitute("100%% of %(other)s", "bus", "Bus"), "100% of %(other)s");
  EXPECT_EQ(LoopSubstitute("plain", "bus", "Bus"), "plain");
}

}  // namespace
}  // namespace ngosurvey::form
