#include "interview/interview.h"

#include <gtest/gtest.h>

#include "base/testing/source_dir.h"
#include "interview/test_forms.h"

namespace ngosurvey::interview {
namespace {

using form::Answer;
using form::AnswerState;
using testing::MakeForm;
using testing::Rows;

// 2026-11-25T09:00:00Z, seen at UTC+07:00.
const FixedClock kClock(1795597200000, 7 * 60);

struct Run {
  form::Form form;
  std::shared_ptr<const CompiledForm> compiled;
  std::unique_ptr<Interview> iv;

  std::string Name() const {
    const Screen& s = iv->screen();
    if (s.kind == ScreenKind::kEnd) return "(end)";
    if (s.kind == ScreenKind::kRepeatPrompt) return "(add " + s.repeat_label + ")";
    std::string out;
    for (const Prompt& p : s.prompts) out += (out.empty() ? "" : "+") + p.name;
    return out;
  }
  // Answers the one prompt and moves on; fails the test on refusal.
  void Answer1(const std::string& value) {
    auto st = iv->Set(0, value);
    ASSERT_TRUE(st) << Name() << ": " << st.error().ToString();
    auto next = iv->Next();
    ASSERT_TRUE(next) << Name() << ": " << next.error().ToString();
  }
  form::Answer At(const std::string& path) const {
    auto all = iv->Answers();
    auto it = all.find(path);
    return it == all.end() ? form::Answer{"<absent>", AnswerState::kMissing} : it->second;
  }
};

std::unique_ptr<Run> Start(const Rows& survey, const Rows& choices = {}, const Rows& settings = {},
                           Options options = {}) {
  auto run = std::make_unique<Run>();
  Diagnostics diags;
  auto form = MakeForm(survey, choices, settings, &diags);
  EXPECT_TRUE(form) << form.error().ToString();
  run->form = std::move(*form);
  auto compiled = CompileForm(run->form);
  EXPECT_TRUE(compiled) << compiled.error().ToString();
  run->compiled = *compiled;
  options.clock = &kClock;
  options.seed = 7;
  auto iv = Interview::Start(run->compiled, options);
  EXPECT_TRUE(iv) << iv.error().ToString();
  run->iv = std::move(*iv);
  return run;
}

const Rows kYesNo = {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}};

TEST(Interview, RelevanceSkipsAndBackReturns) {
  auto r = Start({{"type", "name", "label", "relevant"},
                  {"integer", "age", "Age", ""},
                  {"text", "job", "Job", "${age} >= 18"},
                  {"note", "bye", "Age ${age}, thanks", ""}});
  EXPECT_EQ(r->Name(), "age");
  auto bad = r->iv->Set(0, "abc");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "IV001");
  EXPECT_EQ(bad.error().message, "Enter a whole number.");
  EXPECT_EQ(bad.error().where.row, 2);
  r->Answer1("12");
  EXPECT_EQ(r->Name(), "bye");
  EXPECT_EQ(r->iv->screen().prompts[0].label, "Age 12, thanks");
  ASSERT_TRUE(r->iv->Back());
  EXPECT_EQ(r->Name(), "age");
  r->Answer1("40");
  EXPECT_EQ(r->Name(), "job");
  ASSERT_TRUE(r->iv->Back());
  EXPECT_EQ(r->Name(), "age");
  EXPECT_FALSE(r->iv->Back());  // the first screen
  EXPECT_EQ(r->iv->Back().error().code, "IV006");
}

// `${heard} = yes` (quotes forgotten) passes form check with a warning, so the
// interview runs it as ODK clients do: `yes` is a path to nothing, the comparison is
// false, and the question is never asked, whatever the answer.
TEST(Interview, BareWordIsAnEmptyNodeSetNotAnError) {
  for (const char* answer : {"yes", "no"}) {
    auto r = Start({{"type", "name", "label", "relevant"},
                    {"select_one yn", "heard", "Heard?", ""},
                    {"text", "how", "How?", "${heard} = yes"},
                    {"text", "quoted", "Quoted?", "${heard} = 'yes'"}},
                   kYesNo);
    EXPECT_EQ(r->Name(), "heard");
    r->Answer1(answer);
    EXPECT_EQ(r->Name(), std::string(answer) == "yes" ? "quoted" : "(end)") << answer;
  }
}

TEST(Interview, IrrelevantAnswerIsKeptAsideAndRestored) {
  auto r = Start({{"type", "name", "label", "relevant"},
                  {"integer", "age", "Age", ""},
                  {"text", "job", "Job", "${age} >= 18"}});
  r->Answer1("40");
  r->Answer1("teacher");
  ASSERT_TRUE(r->iv->AtEnd());
  r->iv->TakeChanges();
  ASSERT_TRUE(r->iv->JumpTo("age"));
  ASSERT_TRUE(r->iv->Set(0, "12"));
  auto changes = r->iv->TakeChanges();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].path, "age");
  EXPECT_EQ(changes[1].path, "job");
  EXPECT_EQ(*changes[1].answer, Answer::NotAsked("teacher"));
  EXPECT_FALSE(changes[1].answer->HasReportableValue());
  ASSERT_TRUE(r->iv->Set(0, "41"));
  EXPECT_EQ(r->At("job"), Answer::Answered("teacher"));
  EXPECT_EQ(r->At("age"), Answer::Answered("41"));
}

TEST(Interview, ConstraintMessageInTheInterviewLanguage) {
  Rows survey = {{"type", "name", "label::English (en)", "label::Khmer (km)",
                  "label::Vietnamese (vi)", "constraint", "constraint_message::English (en)",
                  "constraint_message::Khmer (km)", "constraint_message::Vietnamese (vi)"},
                 {"integer", "year", "Year", "ឆ្នាំ", "Năm", ". >= 1950 and . <= 2026",
                  "Between 1950 and 2026", "ចន្លោះ ១៩៥០ និង ២០២៦", "Từ 1950 đến 2026"}};
  Options options;
  options.language = "km";
  auto r = Start(survey, {}, {}, options);
  EXPECT_EQ(r->iv->screen().prompts[0].label, "ឆ្នាំ");
  auto bad = r->iv->Set(0, "1800");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "IV003");
  EXPECT_EQ(bad.error().message, "ចន្លោះ ១៩៥០ និង ២០២៦");
  EXPECT_TRUE(r->iv->TakeChanges().empty());  // nothing changed
  EXPECT_EQ(r->iv->Set(0, "x").error().message, "សូមបញ្ចូលចំនួនគត់។");
  ASSERT_TRUE(r->iv->SetLanguage("vi"));
  EXPECT_EQ(r->iv->Set(0, "1800").error().message, "Từ 1950 đến 2026");
  EXPECT_EQ(r->iv->screen().prompts[0].label, "Năm");
  EXPECT_EQ(r->iv->SetLanguage("fr").error().code, "IV008");
  ASSERT_TRUE(r->iv->Set(0, "2005"));
  EXPECT_EQ(r->At("year"), Answer::Answered("2005"));
}

TEST(Interview, ReviewShowsDatesInWordsInTheInterviewLanguage) {
  Rows survey = {{"type", "name", "label::English (en)", "label::Khmer (km)"},
                 {"date", "founded", "Founded", "បង្កើត"}};
  Options options;
  options.language = "km";
  auto r = Start(survey, {}, {}, options);
  ASSERT_TRUE(r->iv->Set(0, "2005-03-09"));
  auto shown = [&] {
    for (const ReviewItem& item : r->iv->Review()) {
      if (item.name == "founded") return item.value + " | " + item.shown;
    }
    return std::string();
  };
  // The value stays ISO; what people read is the date in words.
  EXPECT_EQ(shown(), "2005-03-09 | ថ្ងៃទី៩ ខែមីនា ឆ្នាំ២០០៥");
  ASSERT_TRUE(r->iv->SetLanguage("en"));
  EXPECT_EQ(shown(), "2005-03-09 | 9 March 2005");
}

TEST(Interview, RequiredAndOptionalQuestions) {
  auto r = Start({{"type", "name", "label", "required", "required_message"},
                  {"text", "a", "A", "yes", "Please answer A"},
                  {"text", "b", "B", "", ""},
                  {"text", "c", "C", "${b} = ''", ""}});
  auto next = r->iv->Next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, "IV004");
  EXPECT_EQ(next.error().message, "Please answer A");  // the form's words, no name
  r->Answer1("x");
  ASSERT_TRUE(r->iv->Next());  // b is optional: recorded missing
  EXPECT_EQ(r->At("b"), Answer::Missing());
  EXPECT_EQ(r->Name(), "c");
  EXPECT_TRUE(r->iv->screen().prompts[0].required);  // required by expression
  EXPECT_EQ(r->iv->Next().error().code, "IV004");
}

TEST(Interview, RefusedAndDontKnowAreStatesAndCanBeForbidden) {
  Rows survey = {{"type", "name", "label", "allow_refused"},
                 {"integer", "income", "Income", ""},
                 {"select_one yn", "consent", "Consent", "no"},
                 {"text", "why", "Why", ""}};
  auto r = Start(survey, kYesNo);
  ASSERT_TRUE(r->iv->Refuse(0));
  EXPECT_EQ(r->At("income"), Answer::Refused());
  ASSERT_TRUE(r->iv->DontKnow(0));
  EXPECT_EQ(r->At("income"), Answer::DontKnow());
  ASSERT_TRUE(r->iv->Next());  // a non-answer satisfies "required"
  EXPECT_EQ(r->Name(), "consent");
  EXPECT_FALSE(r->iv->screen().prompts[0].can_refuse);
  auto refused = r->iv->Refuse(0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "IV005");
  ASSERT_TRUE(r->iv->DontKnow(0));  // only refusal is forbidden here
  EXPECT_EQ(r->At("consent").state, AnswerState::kDontKnow);

  // A form may forbid both for every question.
  auto strict = Start({{"type", "name", "label"}, {"text", "a", "A"}}, {},
                      {{"form_id", "allow_refused", "allow_dont_know"}, {"f", "no", "no"}});
  EXPECT_EQ(strict->iv->Refuse(0).error().code, "IV005");
  EXPECT_EQ(strict->iv->DontKnow(0).error().code, "IV005");
}

TEST(Interview, TheFormsOwnCodesBecomeStatesAndExpressionsSeeThem) {
  Rows choices = {{"list_name", "name", "label"},
                  {"status", "number", "A number"},
                  {"status", "nsp", "Don't know"},
                  {"status", "ref", "Refused"}};
  Rows settings = {{"form_id", "missing_refused", "missing_dont_know"}, {"f", "ref", "nsp"}};
  auto r = Start({{"type", "name", "label", "relevant"},
                  {"select_one status", "cases_status", "Cases", ""},
                  {"integer", "cases_n", "How many", "${cases_status} = 'number'"},
                  {"note", "n1", "Refused: ${cases_status}", "${cases_status} = 'ref'"}},
                 choices, settings);
  ASSERT_TRUE(r->iv->Set(0, "ref"));
  EXPECT_EQ(r->At("cases_status"), Answer::Refused());
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->Name(), "n1");
  EXPECT_EQ(r->iv->screen().prompts[0].label, "Refused: ref");
  ASSERT_TRUE(r->iv->Back());
  ASSERT_TRUE(r->iv->Set(0, "nsp"));
  EXPECT_EQ(r->At("cases_status"), Answer::DontKnow());
  ASSERT_TRUE(r->iv->Set(0, "number"));
  r->Answer1("number");
  EXPECT_EQ(r->Name(), "cases_n");
}

TEST(Interview, OnlyDependentsAreReevaluated) {
  Rows survey = {{"type", "name", "label", "calculation", "relevant"},
                 {"integer", "a", "A", "", ""},
                 {"integer", "b", "B", "", ""},
                 {"calculate", "sum", "", "${a} + ${b}", ""},
                 {"calculate", "double", "", "${sum} * 2", ""},
                 {"text", "big", "Big", "", "${double} > 100"}};
  for (int i = 0; i < 50; ++i) {
    survey.push_back({"integer", "other" + std::to_string(i), "O", "", ""});
  }
  auto r = Start(survey);
  ASSERT_TRUE(r->iv->Set(0, "30"));
  r->iv->Next();
  ASSERT_TRUE(r->iv->Set(0, "40"));
  EXPECT_EQ(r->iv->ValueOf("sum"), "70");
  EXPECT_EQ(r->iv->ValueOf("double"), "140");
  // b -> sum -> double -> big: three evaluations, not the 55 nodes of the form.
  EXPECT_EQ(r->iv->last_evaluations(), 3);
  auto changes = r->iv->TakeChanges();
  std::vector<std::string> paths;
  for (const Change& c : changes) paths.push_back(c.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"a", "b", "double", "sum"}));
  r->iv->Next();
  EXPECT_EQ(r->Name(), "big");
}

TEST(Interview, RepeatCountCreatesAndRemovesInstances) {
  Rows survey = {{"type", "name", "label", "repeat_count", "calculation", "constraint"},
                 {"integer", "n", "How many", "", "", ". <= 5"},
                 {"begin_repeat", "prog", "Programme", "${n}", "", ""},
                 {"text", "pname", "Name", "", "", ""},
                 {"decimal", "budget", "Budget", "", "", ""},
                 {"calculate", "pos", "", "", "position(..)", ""},
                 {"end_repeat", "", "", "", "", ""},
                 {"calculate", "total", "", "", "sum(${budget})", ""},
                 {"calculate", "second", "", "", "indexed-repeat(${pname}, ${prog}, 2)", ""}};
  auto r = Start(survey);
  // The counter's places: n, and the repeat (one place, whatever its instances).
  EXPECT_EQ(r->iv->screen().position, 1);
  EXPECT_EQ(r->iv->screen().question_count, 2);
  EXPECT_EQ(r->iv->screen().repeat_question_count, 0);  // not in a repeat
  EXPECT_EQ(r->iv->Set(0, "9").error().code, "IV003");
  r->Answer1("2");
  EXPECT_EQ(r->Name(), "pname");
  EXPECT_EQ(r->iv->screen().prompts[0].path, "prog[1]/pname");
  EXPECT_EQ(r->iv->screen().position, 2);
  EXPECT_EQ(r->iv->screen().question_count, 2);  // two instances change nothing
  EXPECT_EQ(r->iv->screen().repeat_position, 1);
  EXPECT_EQ(r->iv->screen().repeat_question_count, 2);  // pname, budget
  ASSERT_EQ(r->iv->screen().group_path.size(), 1u);
  EXPECT_EQ(r->iv->screen().group_path[0], "Programme 1");
  r->Answer1("Shelter");
  EXPECT_EQ(r->iv->screen().repeat_position, 2);
  r->Answer1("100.50");
  EXPECT_EQ(r->iv->screen().prompts[0].path, "prog[2]/pname");
  EXPECT_EQ(r->iv->screen().position, 2);  // the second instance: the same place
  EXPECT_EQ(r->iv->screen().repeat_position, 1);
  EXPECT_EQ(r->iv->screen().question_count, 2);
  r->Answer1("Schools");
  r->Answer1("20");
  EXPECT_TRUE(r->iv->AtEnd());
  EXPECT_EQ(r->At("total"), Answer::Answered("120.5"));
  EXPECT_EQ(r->At("second"), Answer::Answered("Schools"));
  EXPECT_EQ(r->At("prog[2]/pos"), Answer::Answered("2"));
  r->iv->TakeChanges();
  // Fewer programmes: the second instance goes, and its paths are removed.
  ASSERT_TRUE(r->iv->JumpTo("n"));
  ASSERT_TRUE(r->iv->Set(0, "1"));
  auto changes = r->iv->TakeChanges();
  int removed = 0;
  for (const Change& c : changes) {
    if (!c.answer) {
      ++removed;
      EXPECT_TRUE(c.path.rfind("prog[2]/", 0) == 0 || c.path == "second") << c.path;
    }
  }
  EXPECT_EQ(removed, 4);  // the three answers of programme 2, and `second`
  EXPECT_EQ(r->At("total"), Answer::Answered("100.5"));
  EXPECT_EQ(r->At("second").state, AnswerState::kMissing);  // absent now
}

TEST(Interview, RepeatPromptAddsUntilNoAndInstancesCanBeRemoved) {
  auto r = Start({{"type", "name", "label"},
                  {"begin_repeat", "child", "Child"},
                  {"text", "cname", "Name"},
                  {"end_repeat", "", ""},
                  {"calculate", "kids", ""},
                  {"text", "last", "Last"}});
  EXPECT_EQ(r->iv->screen().kind, ScreenKind::kRepeatPrompt);
  EXPECT_EQ(r->iv->screen().repeat_instance, 1);
  ASSERT_TRUE(r->iv->AddRepeat());
  r->Answer1("Dara");
  EXPECT_EQ(r->iv->screen().repeat_instance, 2);
  ASSERT_TRUE(r->iv->AddRepeat());
  r->Answer1("Sophea");
  ASSERT_TRUE(r->iv->AddRepeat());
  r->Answer1("Vanna");
  ASSERT_TRUE(r->iv->Next());  // no fourth child
  EXPECT_EQ(r->Name(), "last");
  r->iv->TakeChanges();
  ASSERT_TRUE(r->iv->RemoveRepeat("child", 2));
  EXPECT_EQ(r->At("child[2]/cname"), Answer::Answered("Vanna"));
  auto changes = r->iv->TakeChanges();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].path, "child[2]/cname");
  EXPECT_EQ(*changes[0].answer, Answer::Answered("Vanna"));
  EXPECT_EQ(changes[1].path, "child[3]/cname");
  EXPECT_FALSE(changes[1].answer.has_value());
  EXPECT_EQ(r->iv->RemoveRepeat("child", 7).error().code, "IV006");
}

TEST(Interview, ChoiceFilterAndOrOther) {
  Rows choices = {{"list_name", "name", "label", "province"},
                  {"prov", "pp", "Phnom Penh", ""},
                  {"prov", "sr", "Siem Reap", ""},
                  {"dist", "cm", "Chamkar Mon", "pp"},
                  {"dist", "puok", "Puok", "sr"},
                  {"kind", "ngo", "NGO", ""}};
  auto r = Start({{"type", "name", "label", "choice_filter"},
                  {"select_one prov", "province", "Province", ""},
                  {"select_one dist", "district", "District", "province = ${province}"},
                  {"select_multiple kind or_other", "kind", "Kind", ""}},
                 choices);
  r->Answer1("sr");
  ASSERT_EQ(r->iv->screen().prompts[0].choices.size(), 1u);
  EXPECT_EQ(r->iv->screen().prompts[0].choices[0].name, "puok");
  auto bad = r->iv->Set(0, "cm");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "IV002");
  EXPECT_EQ(bad.error().message, "\"cm\" is not one of the choices.");
  r->Answer1("puok");
  ASSERT_EQ(r->iv->screen().prompts[0].choices.size(), 2u);
  EXPECT_EQ(r->iv->screen().prompts[0].choices[1].name, "other");
  EXPECT_EQ(r->iv->Set(0, "ngo ngo").error().code, "IV002");
  r->Answer1("ngo other");
  EXPECT_EQ(r->Name(), "kind_other");
  EXPECT_EQ(r->iv->Next().error().code, "IV004");
  r->Answer1("Faith group");
  EXPECT_TRUE(r->iv->AtEnd());
  EXPECT_EQ(r->At("kind"), Answer::Answered("ngo other"));
  EXPECT_EQ(r->At("kind_other"), Answer::Answered("Faith group"));
}

// A selection the choice_filter no longer offers (an earlier answer changed) is
// dropped, as ODK Collect does: the select_one is cleared (a removal to save), the
// select_multiple keeps the choices still offered; "other" of or_other stays.
TEST(Interview, ChoiceFilterDropsASelectionNoLongerOffered) {
  Rows choices = {{"list_name", "name", "label", "province"},
                  {"prov", "pp", "Phnom Penh", ""},
                  {"prov", "sr", "Siem Reap", ""},
                  {"dist", "cm", "Chamkar Mon", "pp"},
                  {"dist", "puok", "Puok", "sr"},
                  {"dist", "both", "Both", "pp sr"},
                  {"dist", "sr2", "Siem Reap town", "sr"}};
  auto r = Start({{"type", "name", "label", "choice_filter", "relevant"},
                  {"select_one prov", "province", "Province", "", ""},
                  {"select_one dist", "district", "District", "province = ${province}", ""},
                  {"select_multiple dist or_other", "visited", "Visited",
                   "contains(province, ${province})", ""},
                  {"text", "why", "Why", "", "${district} = 'puok'"}},
                 choices);
  r->Answer1("sr");
  r->Answer1("puok");
  r->Answer1("puok both other");
  r->Answer1("A market");  // visited_other
  r->Answer1("Because");
  (void)r->iv->TakeChanges();
  ASSERT_TRUE(r->iv->JumpTo("province"));
  ASSERT_TRUE(r->iv->Set(0, "pp"));
  EXPECT_EQ(r->At("district").state, AnswerState::kMissing);  // absent: cleared
  EXPECT_EQ(r->At("district").value, "<absent>");
  EXPECT_EQ(r->At("visited"), Answer::Answered("both other"));
  EXPECT_EQ(r->At("visited_other"), Answer::Answered("A market"));  // "other" stays
  EXPECT_EQ(r->At("why"), Answer::NotAsked("Because"));             // read the cleared district
  auto changes = r->iv->TakeChanges();
  std::vector<Change> want = {{"district", std::nullopt},  // in path order
                              {"province", Answer::Answered("pp")},
                              {"visited", Answer::Answered("both other")},
                              {"why", Answer::NotAsked("Because")}};
  EXPECT_EQ(changes, want);
  // The cleared question is asked again on the way forward.
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->Name(), "district");
  EXPECT_FALSE(r->iv->screen().prompts[0].answer);
  // Back to Siem Reap: the kept choices stay; a cleared selection does not come back.
  ASSERT_TRUE(r->iv->JumpTo("province"));
  ASSERT_TRUE(r->iv->Set(0, "sr"));
  EXPECT_EQ(r->At("visited"), Answer::Answered("both other"));
  EXPECT_EQ(r->At("district").value, "<absent>");
}

// Arithmetic on an empty answer is NaN in XPath; the calculation then has no value
// (as in ODK Collect), not the text "NaN" that exports and tables would see.
TEST(Interview, ArithmeticOnAnEmptyAnswerIsEmptyNotNaN) {
  auto r = Start({{"type", "name", "label", "calculation"},
                  {"integer", "paid", "Paid", ""},
                  {"integer", "volunteers", "Volunteers", ""},
                  {"calculate", "total", "", "${paid} + ${volunteers}"}});
  for (const Change& c : r->iv->TakeChanges()) EXPECT_NE(c.path, "total");
  EXPECT_EQ(r->At("total").value, "<absent>");
  r->Answer1("2");
  EXPECT_EQ(r->At("total").value, "<absent>");
  r->Answer1("3");
  EXPECT_EQ(r->At("total"), Answer::Answered("5"));
}

TEST(Interview, FieldListShowsAGroupOnOneScreen) {
  auto r = Start({{"type", "name", "label", "appearance", "relevant"},
                  {"begin_group", "contact", "Contact", "field-list", ""},
                  {"text", "phone", "Phone", "", ""},
                  {"text", "email", "Email", "", "${phone} = ''"},
                  {"integer", "ext", "Extension", "", ""},
                  {"end_group", "", "", "", ""},
                  {"text", "after", "After", "", ""}});
  ASSERT_EQ(r->iv->screen().prompts.size(), 3u);
  EXPECT_EQ(r->iv->screen().group_path, std::vector<std::string>{"Contact"});
  EXPECT_EQ(r->iv->screen().prompts[0].path, "contact/phone");
  // The screen's place is its first question's; the next screen's counts the three.
  EXPECT_EQ(r->iv->screen().position, 1);
  EXPECT_EQ(r->iv->screen().question_count, 4);
  EXPECT_EQ(r->iv->screen().repeat_question_count, 0);
  ASSERT_TRUE(r->iv->Set(0, "012 345"));
  ASSERT_EQ(r->iv->screen().prompts.size(), 2u);  // email is no longer relevant
  ASSERT_TRUE(r->iv->Set(1, "12"));
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->Name(), "after");
  EXPECT_EQ(r->iv->screen().position, 4);
  EXPECT_EQ(r->At("contact/ext"), Answer::Answered("12"));
}

// A table-list group is a field-list for ODK (pyxform writes it as one): one screen.
// An appearance word is a whole word: "field-listing" is not "field-list".
TEST(Interview, TableListShowsAGroupOnOneScreen) {
  auto r = Start({{"type", "name", "label", "appearance"},
                  {"begin_group", "grid", "Grid", "table-list compact"},
                  {"select_one yn", "q1", "Q1", ""},
                  {"select_one yn", "q2", "Q2", ""},
                  {"end_group", "", "", ""},
                  {"begin_group", "other", "Other", "field-listing"},
                  {"text", "a", "A", ""},
                  {"text", "b", "B", ""},
                  {"end_group", "", "", ""}},
                 {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}});
  ASSERT_EQ(r->iv->screen().prompts.size(), 2u);
  EXPECT_EQ(r->iv->screen().prompts[1].path, "grid/q2");
  ASSERT_TRUE(r->iv->Set(0, "yes"));
  ASSERT_TRUE(r->iv->Set(1, "no"));
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->iv->screen().prompts.size(), 1u);
  EXPECT_EQ(r->Name(), "a");
}

TEST(Interview, RequiredOnAScreenOfSeveralNamesTheQuestionByLabel) {
  auto r = Start({{"type", "name", "label::English (en)", "label::Khmer (km)", "appearance",
                   "required", "required_message::English (en)"},
                  {"begin_group", "contact", "Contact", "ទំនាក់ទំនង", "field-list", "", ""},
                  {"text", "phone", "Phone", "ទូរស័ព្ទ", "", "", ""},
                  {"text", "email", "Email", "អ៊ីមែល", "", "yes", "An email, please"},
                  {"end_group", "", "", "", "", "", ""}},
                 {}, {}, Options{.language = "km"});
  auto next = r->iv->Next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, "IV004");
  // The label in the interview's language, then the form's message (English only);
  // never the name.
  EXPECT_EQ(next.error().message, "អ៊ីមែល: An email, please");
  EXPECT_EQ(next.error().where.row, 4);
}

TEST(Interview, MetadataDefaultsAndCompletion) {
  Options options;
  options.username = "sokha";
  options.device_id = "laptop-3";
  auto r = Start({{"type", "name", "label", "default", "relevant"},
                  {"start", "start", "", "", ""},
                  {"end", "end", "", "", ""},
                  {"today", "today", "", "", ""},
                  {"username", "user", "", "", ""},
                  {"deviceid", "device", "", "", ""},
                  {"phonenumber", "phone", "", "", ""},
                  {"integer", "count", "Count", "3", ""},
                  {"text", "skipped", "Skipped", "", "${count} > 10"},
                  {"acknowledge", "ok", "Understood?", "", ""}},
                 {}, {}, options);
  auto first = r->iv->TakeChanges();
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(first[0].path, "device");
  EXPECT_EQ(first[1].answer->value, "2026-11-25T16:00:00.000+07:00");  // start
  EXPECT_EQ(first[2].answer->value, "2026-11-25");                     // today
  EXPECT_EQ(first[3].answer->value, "sokha");
  EXPECT_EQ(r->iv->screen().prompts[0].answer->value, "3");  // the proposed default
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->At("count"), Answer::Answered("3"));
  EXPECT_EQ(r->iv->Set(0, "maybe").error().code, "IV001");
  r->Answer1("ok");
  EXPECT_EQ(r->At("ok"), Answer::Answered("OK"));
  ASSERT_TRUE(r->iv->AtEnd());
  ASSERT_TRUE(r->iv->Complete());
  EXPECT_EQ(r->At("end").value, "2026-11-25T16:00:00.000+07:00");
  EXPECT_EQ(r->At("skipped"), Answer::NotAsked());
  EXPECT_EQ(r->At("phone"), Answer::Missing());
  EXPECT_EQ(r->iv->Complete().error().code, "IV010");
}

TEST(Interview, UnsupportedTypesSayWhyAndDoNotBlock) {
  auto r = Start({{"type", "name", "label", "required"},
                  {"geopoint", "where", "Where", "yes"},
                  {"text", "next", "Next", ""}});
  const Prompt& p = r->iv->screen().prompts[0];
  EXPECT_FALSE(p.supported);
  EXPECT_EQ(p.unsupported,
            "Questions of type geopoint cannot be answered in ngosurvey interviews; it is left "
            "missing.");
  EXPECT_EQ(r->iv->Set(0, "11.5 104.9 0 0").error().code, "IV007");
  ASSERT_TRUE(r->iv->Next());
  EXPECT_EQ(r->At("where"), Answer::Missing());
  EXPECT_EQ(r->Name(), "next");
}

TEST(Interview, TypesAreCheckedAndCanonical) {
  auto r = Start({{"type", "name", "label", "parameters"},
                  {"date", "d", "D", ""},
                  {"time", "t", "T", ""},
                  {"dateTime", "dt", "DT", ""},
                  {"range", "rg", "R", "start = 0, end=10; step=2"},  // as pyxform reads it
                  {"decimal", "dec", "Dec", ""},
                  {"rank sectors", "rk", "Rank", ""}},
                 {{"list_name", "name", "label"}, {"sectors", "a", "A"}, {"sectors", "b", "B"}});
  EXPECT_EQ(r->iv->Set(0, "2026-02-30").error().code, "IV001");
  r->Answer1("២០២៦-០២-២៨");  // Khmer digits, as a Khmer keyboard types them
  EXPECT_EQ(r->At("d"), Answer::Answered("2026-02-28"));
  EXPECT_EQ(r->iv->Set(0, "25:00").error().code, "IV001");
  r->Answer1("9:30");
  EXPECT_EQ(r->At("t"), Answer::Answered("09:30:00"));
  r->Answer1("2026-11-25T09:30");
  EXPECT_EQ(r->At("dt"), Answer::Answered("2026-11-25T09:30:00"));
  EXPECT_EQ(r->iv->Set(0, "3").error().message, "Enter a number from 0 to 10.");
  r->Answer1("4");
  EXPECT_EQ(r->iv->Set(0, "1e5").error().code, "IV001");
  r->Answer1("-0.25");
  EXPECT_EQ(r->At("dec"), Answer::Answered("-0.25"));
  r->Answer1("b a");
  EXPECT_EQ(r->At("rk"), Answer::Answered("b a"));
}

TEST(Interview, ResumeRebuildsAnswersAndPosition) {
  Rows survey = {{"type", "name", "label", "relevant", "repeat_count"},
                 {"start", "start", "", "", ""},
                 {"integer", "n", "N", "", ""},
                 {"begin_repeat", "r", "R", "", "${n}"},
                 {"text", "x", "X", "", ""},
                 {"end_repeat", "", "", "", ""},
                 {"text", "y", "Y", "${n} > 1", ""},
                 {"note", "z", "Z", "", ""},
                 {"text", "w", "W", "", ""}};
  auto r = Start(survey);
  r->Answer1("2");
  r->Answer1("first");
  r->Answer1("second");
  auto stored = r->iv->Answers();
  auto resumed = Interview::Resume(r->compiled, stored, Options{.clock = &kClock});
  ASSERT_TRUE(resumed) << resumed.error().ToString();
  EXPECT_EQ((*resumed)->screen().prompts.at(0).name, "y");
  EXPECT_EQ((*resumed)->Answers(), stored);
  EXPECT_TRUE((*resumed)->TakeChanges().empty());
  ASSERT_TRUE((*resumed)->Back());
  EXPECT_EQ((*resumed)->screen().prompts.at(0).path, "r[2]/x");
  ASSERT_TRUE((*resumed)->JumpTo("n"));

  // A path the form does not have.
  stored["nope"] = Answer::Answered("1");
  auto bad = Interview::Resume(r->compiled, stored, Options{.clock = &kClock});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "IV009");
}

TEST(Interview, SetAtCorrectsAnyQuestionAndItsDependents) {
  auto r = Start({{"type", "name", "label", "calculation", "relevant", "repeat_count"},
                  {"integer", "a", "A", "", "", ""},
                  {"calculate", "twice", "", "${a} * 2", "", ""},
                  {"text", "big", "Big", "", "${a} > 100", ""},
                  {"begin_repeat", "r", "R", "", "", "2"},
                  {"integer", "x", "X", "", "", ""},
                  {"end_repeat", "", "", "", "", ""}});
  r->Answer1("5");
  r->Answer1("1");
  r->Answer1("2");
  ASSERT_TRUE(r->iv->AtEnd());
  ASSERT_TRUE(r->iv->Complete());
  r->iv->TakeChanges();
  ASSERT_TRUE(r->iv->SetAt("a", "7"));
  auto changes = r->iv->TakeChanges();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].path, "twice");
  EXPECT_EQ(*changes[1].answer, Answer::Answered("14"));
  ASSERT_TRUE(r->iv->SetAt("r[2]/x", "9"));
  EXPECT_EQ(r->At("r[2]/x"), Answer::Answered("9"));
  EXPECT_EQ(r->iv->SetAt("r[2]/x", "nine").error().code, "IV001");
  EXPECT_EQ(r->iv->SetAt("x", "1").error().code, "IV012");      // inside a repeat
  EXPECT_EQ(r->iv->SetAt("big", "yes").error().code, "IV012");  // does not apply
  EXPECT_EQ(r->iv->SetAt("nope", "1").error().code, "IV012");
  ASSERT_TRUE(r->iv->SetAt("a", ":refused"));
  EXPECT_EQ(r->At("a"), Answer::Refused());
}

TEST(Interview, ExampleFormRunsInKhmer) {
  Diagnostics diags;
  auto form = form::LoadFormFile(
      std::string(::ngosurvey::testing::SourceDir()) + "/examples/ngo_profile.xlsx", &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  auto compiled = CompileForm(*form);
  ASSERT_TRUE(compiled) << compiled.error().ToString();
  auto iv = Interview::Start(*compiled, Options{.language = "km", .clock = &kClock});
  ASSERT_TRUE(iv);
  Interview& i = **iv;
  auto answer = [&](const std::string& v) {
    auto st = i.Set(0, v);
    ASSERT_TRUE(st) << st.error().ToString();
    ASSERT_TRUE(i.Next());
  };
  EXPECT_EQ(i.screen().prompts[0].label, "ឈ្មោះអង្គការ");
  EXPECT_EQ(i.screen().group_path, std::vector<std::string>{"អង្គការ"});
  answer("Hope");
  EXPECT_EQ(i.Set(0, "1900").error().message, "ឆ្នាំត្រូវនៅចន្លោះ ១៩៥០ និង ២០២៦");
  answer("2005");
  answer("local_ngo");
  answer("siem_reap");
  EXPECT_EQ(i.screen().prompts[0].choices.size(), 2u);
  answer("puok");
  answer("12");
  answer("3");
  EXPECT_EQ(i.screen().prompts[0].label, "បុគ្គលិកសរុប៖ 15");
  ASSERT_TRUE(i.Next());
  answer("1");
  answer("Shelter");
  answer("health rights");
  answer("5000");
  answer("no");
  EXPECT_EQ(i.screen().prompts[0].name, "thanks");
  EXPECT_EQ(i.screen().prompts[0].label, "សូមអរគុណ។ ថវិកាប្រចាំឆ្នាំសរុប៖ 5000 ដុល្លារអាមេរិក");
  ASSERT_TRUE(i.Next());
  ASSERT_TRUE(i.AtEnd());
  ASSERT_TRUE(i.Complete());
  auto all = i.Answers();
  EXPECT_EQ(all.at("programme[1]/sector"), Answer::Answered("health rights"));
  EXPECT_EQ(all.at("website"), Answer::NotAsked());
  EXPECT_EQ(all.at("organisation/org_type_other"), Answer::NotAsked());
  EXPECT_TRUE(i.evaluation_errors().empty());
}

TEST(ScreenText, EveryWordInEnglishKhmerAndVietnamese) {
  const ScreenWord words[] = {ScreenWord::kRequired,        ScreenWord::kHint,
                              ScreenWord::kPressEnter,      ScreenWord::kCurrent,
                              ScreenWord::kEndOfForm,       ScreenWord::kAddRepeat,
                              ScreenWord::kNothingHere,     ScreenWord::kQuestionsOnScreen,
                              ScreenWord::kTypeYToComplete, ScreenWord::kTypeYOrN,
                              ScreenWord::kSaved,           ScreenWord::kRemoved,
                              ScreenWord::kRefused,         ScreenWord::kDontKnow,
                              ScreenWord::kNotAsked,        ScreenWord::kNoAnswer,
                              ScreenWord::kReviewTitle,     ScreenWord::kLanguage,
                              ScreenWord::kDraftSaved,      ScreenWord::kStopped,
                              ScreenWord::kInputEnded,      ScreenWord::kCompleted,
                              ScreenWord::kInterview,       ScreenWord::kUnknownCommand,
                              ScreenWord::kSeveralChoices,  ScreenWord::kHelp};
  for (ScreenWord word : words) {
    std::string en = ScreenText(word, "en", "A", "2");
    std::string km = ScreenText(word, "km", "A", "2");
    std::string vi = ScreenText(word, "vi", "A", "2");
    EXPECT_FALSE(en.empty());
    EXPECT_NE(km, en) << en;
    EXPECT_NE(vi, en) << en;
    EXPECT_NE(km, vi) << en;
    EXPECT_EQ(ScreenText(word, "fr", "A", "2"), en);  // untranslated languages: English
    EXPECT_EQ(en.find("{}"), std::string::npos) << en;
    EXPECT_EQ(km.find("{}"), std::string::npos) << km;
  }
  EXPECT_EQ(ScreenText(ScreenWord::kAddRepeat, "en", "Programme", "3"), "Add Programme 3? [y/n]");
  EXPECT_EQ(ScreenText(ScreenWord::kAddRepeat, "vi", "Chương trình", "3"),
            "Thêm Chương trình thứ 3? [y/n]");
  EXPECT_EQ(ScreenText(ScreenWord::kRequired, "km"), "ត្រូវតែឆ្លើយ");
  EXPECT_EQ(ScreenText(ScreenWord::kQuestionsOnScreen, "en", "4"),
            "(4 questions on this screen, answered in turn)");
}

// ODK entities are for ODK Central: the interview asks the questions, saves the answers
// and has no meta/entity of its own (nothing of the entities sheet is a question).
TEST(Interview, FormWithEntitiesRunsAsItsQuestions) {
  Diagnostics diags;
  auto form = form::testing::MakeFormWithEntities(
      {{"type", "name", "label", "save_to"},
       {"text", "tree", "Tree", "trees#species"},
       {"begin_repeat", "stem", "Stems", ""},
       {"integer", "girth", "Girth", "stems#girth"},
       {"end_repeat", "", "", ""}},
      {{"list_name", "label"}, {"trees", "${tree}"}, {"stems", "${girth}"}}, {}, &diags);
  ASSERT_TRUE(form) << form.error().ToString();
  ASSERT_FALSE(diags.has_errors()) << diags.items()[0].ToString();
  ASSERT_EQ(form->entities.size(), 2U);
  auto compiled = CompileForm(*form);
  ASSERT_TRUE(compiled) << compiled.error().ToString();
  Options options;
  options.clock = &kClock;
  auto iv = Interview::Start(*compiled, options);
  ASSERT_TRUE(iv) << iv.error().ToString();
  ASSERT_TRUE((*iv)->Set(0, "teak"));
  ASSERT_TRUE((*iv)->Next());
  auto answers = (*iv)->Answers();
  ASSERT_EQ(answers.count("tree"), 1U);
  EXPECT_EQ(answers.at("tree").value, "teak");
  for (const auto& entry : answers) {
    EXPECT_EQ(entry.first.find("entity"), std::string::npos) << entry.first;
  }
}

}  // namespace
}  // namespace ngosurvey::interview
