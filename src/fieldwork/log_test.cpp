#include "fieldwork/log.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/testing/source_dir.h"
#include "fieldwork/status.h"

namespace ngosurvey::fieldwork {
namespace {

using form::Answer;

Date D(const char* text) { return *ParseDate(text); }

Frame SmallFrame() {
  Diagnostics diags;
  auto table = csv::ParseTable(
      "org_id,name,country,disposition,disposition_alt\n"
      "KH01,A,KH,,\n"
      "KH02,B,KH,,\n"
      "VN01,C,VN,4.10,2.11\n"
      "VN02,D,VN,,\n",
      "frame.csv");
  auto frame = ParseFrame(*table, &diags);
  EXPECT_TRUE(frame) << frame.error().ToString();
  return *frame;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::OpenOptions options;
    options.clock = &clock_;
    store_ = std::move(*store::OpenStore("memory:", options));
    ASSERT_TRUE(store_->ImportFrame(ToFrameImport(SmallFrame())));
  }
  Result<store::ContactRecord> Log(const std::string& org, const char* date,
                                   const std::string& outcome,
                                   std::optional<Date> appointment = std::nullopt) {
    ContactRequest request;
    request.org_id = org;
    request.date = D(date);
    request.mode = ContactMode::kVisit;
    request.outcome = outcome;
    request.appointment = appointment;
    request.by = "sokha";
    return LogContact(*store_, request, D("2026-03-20"));
  }
  // Puts examples/ngo_profile.xlsx in the store and a completed interview of `org`
  // answering the first `answered` of its 10 required questions.
  void Interview(const std::string& org, int n, int answered) {
    auto bytes =
        ReadFile(std::string(::ngosurvey::testing::SourceDir()) + "/examples/ngo_profile.xlsx");
    ASSERT_TRUE(bytes);
    ASSERT_TRUE(store_->PutForm({"ngo_profile", "2026112501", "NGO profile", *bytes, "", 0}));
    store::Submission s;
    char id[64];
    std::snprintf(id, sizeof id, "uuid:00000000-0000-4000-8000-%012d", n);
    s.instance_id = id;
    s.form_id = "ngo_profile";
    s.form_version = "2026112501";
    s.status = store::SubmissionStatus::kComplete;
    s.org_id = org;
    s.interviewer = "minh";
    s.started_at_ms = 1773900000000;  // 2026-03-19T06:00:00Z
    s.ended_at_ms = 1773903600000;
    const char* kRequired[] = {
        "organisation/org_name", "organisation/year_founded", "organisation/org_type",
        "location/province",     "location/district",         "staff/staff_paid",
        "staff/staff_volunteer", "programme_count",           "has_website"};
    s.answers["organisation/org_type_other"] = Answer::NotAsked("");
    for (int i = 0; i < 9; ++i) {
      s.answers[kRequired[i]] = i < answered ? Answer::Answered("1") : Answer::Refused();
    }
    ASSERT_TRUE(store_->CreateSubmission(s));
  }

  FixedClock clock_{1773900000000};
  std::unique_ptr<store::Store> store_;
};

TEST_F(LogTest, FrameRoundTripsThroughTheStore) {
  auto stored = store_->ReadFrame();
  ASSERT_TRUE(stored);
  auto frame = FrameFromStore(*stored, "db");
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_EQ(frame->file, "db");
  ASSERT_EQ(frame->cases.size(), 4u);
  EXPECT_EQ(frame->cases[2].disposition->code, "4.10");
  EXPECT_EQ(frame->Value(frame->cases[2], "disposition_alt"), "2.11");
  EXPECT_EQ(frame->cases[0].disposition, nullptr);

  auto empty = store::OpenStore("memory:");
  auto none = FrameFromStore(*(*empty)->ReadFrame(), "empty.db");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "FW040");
}

TEST_F(LogTest, OutcomesAreNamesOrAaporCodes) {
  auto refusal = ResolveOutcome("refusal");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code->code, "2.11");
  EXPECT_TRUE(refusal->closes_case);
  EXPECT_FALSE(refusal->given_as_code);
  auto sub = ResolveOutcome(" 2.112 ");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->code->code, "2.112");
  EXPECT_EQ(sub->outcome, ContactOutcome::kRefusal);
  EXPECT_TRUE(sub->closes_case);
  auto temporary = ResolveOutcome("2.25");
  ASSERT_TRUE(temporary);
  EXPECT_FALSE(temporary->closes_case) << "non-contact codes are temporary";
  EXPECT_EQ(temporary->outcome, ContactOutcome::kRespondentUnavailable);
  EXPECT_EQ(ResolveOutcome("2.331")->outcome, ContactOutcome::kLanguage);
  EXPECT_EQ(ResolveOutcome("3.18")->outcome, ContactOutcome::kUnableToLocate);
  EXPECT_FALSE(ResolveOutcome("3.21")->closes_case);
  EXPECT_TRUE(ResolveOutcome("4.70")->closes_case);
  auto dropped = ResolveOutcome("2.2");
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().code, "FW041");
  EXPECT_EQ(dropped.error().message,
            "unknown contact outcome '2.2' (did you mean '2.20'? a spreadsheet may have dropped "
            "its trailing zero)");
  EXPECT_EQ(ResolveOutcome("maybe").error().code, "FW041");
}

TEST_F(LogTest, ContactsAreValidatedAndNothingIsStoredOnError) {
  ASSERT_TRUE(Log("KH01", "2026-03-02", "no-reply"));
  EXPECT_EQ(Log("XX01", "2026-03-02", "no-reply").error().code, "FW042");
  EXPECT_EQ(Log("KH01", "2026-03-21", "no-reply").error().code, "FW043") << "future";
  auto earlier = Log("KH01", "2026-03-01", "refusal");
  ASSERT_FALSE(earlier);
  EXPECT_EQ(earlier.error().code, "FW044");
  EXPECT_EQ(Log("KH01", "2026-03-05", "nonsense").error().code, "FW041");
  EXPECT_EQ(Log("KH01", "2026-03-05", "refusal", D("2026-03-09")).error().code, "FW045");
  EXPECT_EQ(Log("KH01", "2026-03-05", "appointment", D("2026-03-04")).error().code, "FW045");
  auto appointment = Log("KH01", "2026-03-05", "appointment", D("2026-03-09"));
  ASSERT_TRUE(appointment) << appointment.error().ToString();
  EXPECT_EQ(appointment->disposition, "2.25");
  EXPECT_EQ(appointment->appointment, std::optional<std::string>("2026-03-09"));
  auto code = Log("KH02", "2026-03-20", "2.112");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->outcome, "2.112");
  EXPECT_EQ(code->disposition, "2.112");
  EXPECT_EQ(store_->ListContacts()->size(), 3u);
}

TEST_F(LogTest, PartialRuleCountsRequiredQuestionsOutsideRepeats) {
  Diagnostics diags;
  auto form = form::LoadFormFile(
      std::string(::ngosurvey::testing::SourceDir()) + "/examples/ngo_profile.xlsx", &diags);
  ASSERT_TRUE(form);
  store::Submission s;
  s.instance_id = "uuid:x";
  s.org_id = "KH01";
  s.started_at_ms = 1773900000000;
  // 10 required questions outside the repeat; org_type_other is not asked, so 9
  // apply. Nothing answered: 0/9 -> break-off.
  s.answers["organisation/org_type_other"] = Answer::NotAsked("");
  InterviewResult none = ClassifyInterview(*form, s);
  EXPECT_EQ(none.applicable, 9);
  EXPECT_EQ(none.answered, 0);
  EXPECT_EQ(none.code->code, "2.12");
  EXPECT_EQ(FormatDate(none.day), "2026-03-19");
  // 5/9 = 0.556 -> partial; don't know counts as answered, refused does not.
  for (const char* path : {"organisation/org_name", "organisation/year_founded",
                           "organisation/org_type", "location/province"}) {
    s.answers[path] = Answer::Answered("x");
  }
  s.answers["location/district"] = Answer::DontKnow();
  s.answers["staff/staff_paid"] = Answer::Refused();
  s.answers["programme[1]/programme_name"] = Answer::Answered("in a repeat: not counted");
  InterviewResult partial = ClassifyInterview(*form, s);
  EXPECT_EQ(partial.applicable, 9);
  EXPECT_EQ(partial.answered, 5);
  EXPECT_EQ(partial.code->code, "1.2");
  // 7/9 = 0.778 -> still partial; 8/9 = 0.889 -> complete.
  s.answers["staff/staff_paid"] = Answer::Answered("3");
  s.answers["staff/staff_volunteer"] = Answer::Answered("3");
  EXPECT_EQ(ClassifyInterview(*form, s).code->code, "1.2");
  s.answers["programme_count"] = Answer::Answered("1");
  InterviewResult complete = ClassifyInterview(*form, s);
  EXPECT_EQ(complete.answered, 8);
  EXPECT_EQ(complete.code->code, "1.1");
  // When org_type_other is asked but missing it counts against the share.
  s.answers["organisation/org_type_other"] = Answer::Missing();
  EXPECT_EQ(ClassifyInterview(*form, s).applicable, 10);
}

TEST_F(LogTest, TheDayOfAnInterviewIsTheLocalDayWhereItHappened) {
  Diagnostics diags;
  auto form = form::LoadFormFile(
      std::string(::ngosurvey::testing::SourceDir()) + "/examples/ngo_profile.xlsx", &diags);
  ASSERT_TRUE(form);
  store::Submission s;
  s.instance_id = "uuid:x";
  s.org_id = "KH01";
  // Ended 2026-03-19T20:30Z: 03:30 on the 20th in Phnom Penh (+07:00).
  s.started_at_ms = 1773950000000;
  s.ended_at_ms = 1773952200000;
  EXPECT_EQ(FormatDate(ClassifyInterview(*form, s).day), "2026-03-19") << "no offset known: UTC";
  s.ended_offset_minutes = 420;
  EXPECT_EQ(FormatDate(ClassifyInterview(*form, s).day), "2026-03-20");
  // Without an end time, the start's offset (-05:00: 14:53 on the 19th).
  s.ended_at_ms.reset();
  s.ended_offset_minutes.reset();
  s.started_offset_minutes = -300;
  EXPECT_EQ(FormatDate(ClassifyInterview(*form, s).day), "2026-03-19");
  s.started_offset_minutes = 600;  // 05:53 on the 20th at +10:00
  EXPECT_EQ(FormatDate(ClassifyInterview(*form, s).day), "2026-03-20");
}

TEST_F(LogTest, StateAppliesThePrecedenceRule) {
  ASSERT_TRUE(Log("KH01", "2026-03-02", "refusal"));
  ASSERT_TRUE(Log("KH01", "2026-03-09", "no-reply"));  // after a refusal: still a refusal
  ASSERT_TRUE(Log("KH02", "2026-03-02", "non-contact"));
  ASSERT_TRUE(Log("VN01", "2026-03-03", "respondent-unavailable"));  // beats the frame's 4.10
  Interview("KH02", 1, 6);  // 6/9 -> partial, beats the contact log
  auto state = LoadFieldworkState(*store_, "db");
  ASSERT_TRUE(state) << state.error().ToString();
  ASSERT_EQ(state->cases.size(), 4u);
  EXPECT_EQ(state->cases[0].code->code, "2.11");
  EXPECT_EQ(state->cases[0].source, DispositionSource::kContact);
  EXPECT_TRUE(state->cases[0].closed);
  EXPECT_EQ(state->cases[0].contacts, 2);
  EXPECT_EQ(state->cases[1].code->code, "1.2");
  EXPECT_EQ(state->cases[1].source, DispositionSource::kInterview);
  EXPECT_EQ(state->cases[2].code->code, "2.25");
  EXPECT_FALSE(state->cases[2].closed);
  EXPECT_EQ(state->cases[3].code->code, "3.11");
  EXPECT_EQ(state->cases[3].source, DispositionSource::kNotWorked);
  ASSERT_EQ(state->interviews.size(), 1u);
  EXPECT_EQ(state->interviews[0].interviewer, "minh");

  // Rates over I=0 P=1 R=1 NC=1 UH=1: RR2 = 1/4, REF1 = 1/4, COOP2 = 1/2.
  auto rates = RatesByGroup(RatesFrame(*state), "", ESpec{});
  ASSERT_TRUE(rates) << rates.error().ToString();
  const OutcomeRates& overall = rates->back().rates;
  EXPECT_EQ(*overall[Measure::kRR1].value, 0);
  EXPECT_DOUBLE_EQ(*overall[Measure::kRR2].value, 0.25);
  EXPECT_DOUBLE_EQ(*overall[Measure::kREF1].value, 0.25);
  EXPECT_DOUBLE_EQ(*overall[Measure::kCOOP2].value, 0.5);

  // Due on 2026-03-20: KH01 and KH02 closed; VN01 (one contact on 03-03) is due
  // step 2 seven days later (03-10): 10 days late, overdue; VN02 step 1 today.
  auto due = DueFromState(*state, D("2026-03-20"), ScheduleConfig{DefaultSchedule(), {}});
  ASSERT_TRUE(due) << due.error().ToString();
  EXPECT_EQ(due->closed, (std::vector<std::string>{"KH01", "KH02"}));
  ASSERT_EQ(due->items.size(), 2u);
  EXPECT_EQ(due->items[0].org_id, "VN01");
  EXPECT_EQ(due->items[0].action, "first-visit");
  EXPECT_EQ(due->items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(due->items[0].days_late, 10);
  EXPECT_EQ(due->items[1].org_id, "VN02");
  EXPECT_EQ(due->items[1].status, DueStatus::kDue);
}

TEST_F(LogTest, FrameDispositionCountsWhenNothingWasLogged) {
  auto state = LoadFieldworkState(*store_, "db");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->cases[2].code->code, "4.10");
  EXPECT_EQ(state->cases[2].source, DispositionSource::kFrame);
  auto due = DueFromState(*state, D("2026-03-20"), ScheduleConfig{DefaultSchedule(), {}});
  ASSERT_TRUE(due);
  EXPECT_EQ(due->closed, std::vector<std::string>{"VN01"});
}

TEST_F(LogTest, StatusSummarisesDispositionsInterviewsAndOverdueByGroup) {
  ASSERT_TRUE(Log("KH01", "2026-03-02", "refusal"));
  ASSERT_TRUE(Log("VN01", "2026-03-03", "respondent-unavailable"));
  Interview("KH02", 1, 6);
  auto state = LoadFieldworkState(*store_, "db");
  ASSERT_TRUE(state) << state.error().ToString();
  ScheduleConfig config{DefaultSchedule(), {}};
  auto summary = SummariseStatus(*state, D("2026-03-20"), config, "country");
  ASSERT_TRUE(summary) << summary.error().ToString();
  EXPECT_EQ(summary->groups, (std::vector<std::string>{"KH", "VN", "overall"}));
  EXPECT_EQ(summary->by_code["2.11"]["KH"], 1);
  EXPECT_EQ(summary->by_code["2.11"]["overall"], 1);
  EXPECT_EQ(summary->by_code["2.11"].count("VN"), 0u);
  EXPECT_EQ(summary->by_code["1.2"]["KH"], 1);
  EXPECT_EQ(summary->by_code["2.25"]["VN"], 1);
  EXPECT_EQ(summary->open_per_group["overall"],
            summary->open_per_group["KH"] + summary->open_per_group["VN"]);
  EXPECT_GE(summary->open_per_group["VN"], 1);  // VN01 is still in the field
  EXPECT_EQ(summary->per_interviewer["minh"]["1.2"], 1);
  EXPECT_EQ(summary->per_day, (std::map<std::string, int>{{"2026-03-19", 1}}));
  ASSERT_EQ(summary->overdue.size(), 1u);
  EXPECT_EQ(summary->overdue[0].org_id, "VN01");
  EXPECT_EQ(summary->overdue[0].days_late, 10);

  // Without a grouping column there is only "overall".
  auto plain = SummariseStatus(*state, D("2026-03-20"), config, "");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->groups, (std::vector<std::string>{"overall"}));
  EXPECT_EQ(plain->by_code["2.11"], (std::map<std::string, int>{{"overall", 1}}));

  auto unknown = SummariseStatus(*state, D("2026-03-20"), config, "region");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "FW012");
}

TEST(TodayTest, IsTheClocksLocalDate) {
  const int64_t kMorning = 1773900000000;  // 2026-03-19T06:00:00Z
  EXPECT_EQ(FormatDate(Today(FixedClock(kMorning))), "2026-03-19");
  EXPECT_EQ(FormatDate(Today(FixedClock(kMorning, -7 * 60))), "2026-03-18");
  EXPECT_EQ(FormatDate(Today(FixedClock(kMorning, 18 * 60))), "2026-03-20");
  EXPECT_EQ(FormatDate(Today(FixedClock(-1))), "1969-12-31");
  EXPECT_EQ(FormatDate(Today(FixedClock(0))), "1970-01-01");
}

}  // namespace
}  // namespace ngosurvey::fieldwork
