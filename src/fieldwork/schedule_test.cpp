#include "fieldwork/schedule.h"

#include <gtest/gtest.h>

#include <string>

#include "base/testing/source_dir.h"

namespace ngosurvey::fieldwork {
namespace {

Date D(const char* text) {
  auto date = ParseDate(text);
  EXPECT_TRUE(date) << text;
  return date.value_or(Date{});
}

Frame MakeFrame(std::initializer_list<std::pair<const char*, const char*>> cases) {
  Frame frame;
  frame.file = "frame.csv";
  frame.stratum_column = "country";
  frame.has_disposition_column = true;
  int line = 2;
  for (const auto& [id, code] : cases) {
    FrameCase c;
    c.org_id = id;
    c.name = id;
    c.stratum = "KH";
    c.line = line++;
    if (code[0] != '\0') c.disposition = FindDisposition(code);
    frame.cases.push_back(c);
  }
  return frame;
}

Contact C(const char* org, const char* date, ContactMode mode, ContactOutcome outcome,
          std::optional<Date> appointment = std::nullopt) {
  return Contact{org, D(date), mode, outcome, appointment};
}

const DueItem* FindItem(const DueReport& report, const std::string& org) {
  for (const DueItem& item : report.items) {
    if (item.org_id == org) return &item;
  }
  return nullptr;
}

TEST(DateTest, ParseAndFormat) {
  EXPECT_EQ(D("1970-01-01").days, 0);
  EXPECT_EQ(D("1970-01-02").days, 1);
  EXPECT_EQ(FormatDate(D("2024-02-29")), "2024-02-29");
  EXPECT_EQ(FormatDate(AddDays(D("2026-12-28"), 7)), "2027-01-04");
  EXPECT_EQ(D("2026-03-01").days - D("2026-02-28").days, 1);
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-3-01", "20260301", "", "2026-03-01x",
                          "2026-00-10", "abcd-ef-gh"}) {
    SCOPED_TRACE(bad);
    auto date = ParseDate(bad);
    ASSERT_FALSE(date);
    EXPECT_EQ(date.error().code, "FW030");
  }
  EXPECT_EQ(ParseDate("2026-02-30").error().message, "not a date (YYYY-MM-DD): '2026-02-30'");
}

TEST(ScheduleTest, DefaultIsTheDocumentedDillmanSequence) {
  Schedule s = DefaultSchedule();
  ASSERT_TRUE(ValidateSchedule(s));
  ASSERT_EQ(s.steps.size(), 5u);
  EXPECT_EQ(s.steps[0].name, "pre-notice");
  EXPECT_EQ(s.steps[0].mode, ContactMode::kLetter);
  EXPECT_EQ(s.steps[1].name, "first-visit");
  EXPECT_EQ(s.steps[1].mode, ContactMode::kVisit);
  EXPECT_EQ(s.steps[4].name, "final-contact");
  // Weeks 0, 1, 2, 4 and 7.
  int day = 0;
  std::vector<int> days;
  for (size_t i = 1; i < s.steps.size(); ++i) days.push_back(day += s.steps[i].days_after_previous);
  EXPECT_EQ(days, (std::vector<int>{7, 14, 28, 49}));
  EXPECT_EQ(s.grace_days, 3);
}

TEST(ScheduleTest, Validation) {
  Schedule empty;
  EXPECT_EQ(ValidateSchedule(empty).error().message, "the follow-up schedule has no steps");
  Schedule negative = DefaultSchedule();
  negative.steps[2].days_after_previous = -1;
  EXPECT_EQ(ValidateSchedule(negative).error().message,
            "step 'reminder' has a negative interval (-1 days)");
  Schedule unnamed = DefaultSchedule();
  unnamed.steps[1].name.clear();
  EXPECT_EQ(ValidateSchedule(unnamed).error().code, "FW031");
  Schedule grace = DefaultSchedule();
  grace.grace_days = -2;
  EXPECT_FALSE(ValidateSchedule(grace));
  // ComputeDue refuses an invalid schedule.
  EXPECT_EQ(ComputeDue(MakeFrame({{"A", ""}}), {}, D("2026-03-01"), empty).error().code, "FW031");
}

TEST(ScheduleTest, DueOverdueUpcomingClosedExhausted) {
  using CO = ContactOutcome;
  using M = ContactMode;
  Frame frame = MakeFrame(
      {{"A", ""}, {"B", ""}, {"C", ""}, {"D", ""}, {"E", ""}, {"F", ""}, {"G", "1.1"}, {"H", ""}});
  std::vector<Contact> contacts = {
      // B: pre-notice only; first visit was due 03-08, 12 days ago: overdue.
      C("B", "2026-03-01", M::kLetter, CO::kNoReply),
      // C: an appointment for 03-22: upcoming, whatever the schedule says.
      C("C", "2026-03-01", M::kLetter, CO::kNoReply),
      C("C", "2026-03-15", M::kVisit, CO::kAppointment, D("2026-03-22")),
      // D: logged out of order; three contacts, replacement due 03-16 + 14 = 03-30.
      C("D", "2026-03-16", M::kPhone, CO::kNoReply),
      C("D", "2026-03-01", M::kLetter, CO::kNoReply),
      C("D", "2026-03-08", M::kVisit, CO::kNonContact),
      // E: reminder due 03-12 + 7 = 03-19, one day late: within grace, due.
      C("E", "2026-03-01", M::kLetter, CO::kNoReply),
      C("E", "2026-03-12", M::kVisit, CO::kRespondentUnavailable),
      // F: refused: closed, even though steps remain.
      C("F", "2026-03-01", M::kLetter, CO::kNoReply),
      C("F", "2026-03-09", M::kVisit, CO::kRefusal),
      // H: five contacts, never reached: schedule used up.
      C("H", "2026-01-01", M::kLetter, CO::kNoReply),
      C("H", "2026-01-08", M::kVisit, CO::kNonContact),
      C("H", "2026-01-15", M::kPhone, CO::kNonContact),
      C("H", "2026-01-29", M::kVisit, CO::kNonContact),
      C("H", "2026-02-19", M::kLetter, CO::kNonContact),
  };
  auto report = ComputeDue(frame, contacts, D("2026-03-20"), DefaultSchedule(), D("2026-03-01"));
  ASSERT_TRUE(report) << report.error().ToString();

  // A: nothing yet; step 1 was due on the start date, 19 days ago.
  const DueItem* a = FindItem(*report, "A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->action, "pre-notice");
  EXPECT_EQ(a->step, 1);
  EXPECT_EQ(a->mode, M::kLetter);
  EXPECT_EQ(FormatDate(a->due), "2026-03-01");
  EXPECT_EQ(a->status, DueStatus::kOverdue);
  EXPECT_EQ(a->days_late, 19);

  const DueItem* b = FindItem(*report, "B");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->action, "first-visit");
  EXPECT_EQ(b->step, 2);
  EXPECT_EQ(b->mode, M::kVisit);
  EXPECT_EQ(FormatDate(b->due), "2026-03-08");
  EXPECT_EQ(b->status, DueStatus::kOverdue);
  EXPECT_EQ(b->days_late, 12);

  const DueItem* c = FindItem(*report, "C");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->action, "appointment");
  EXPECT_EQ(c->step, 0);
  EXPECT_EQ(FormatDate(c->due), "2026-03-22");
  EXPECT_EQ(c->status, DueStatus::kUpcoming);
  EXPECT_EQ(c->days_late, 0);

  const DueItem* d = FindItem(*report, "D");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->action, "replacement");
  EXPECT_EQ(d->step, 4);
  EXPECT_EQ(FormatDate(d->due), "2026-03-30");
  EXPECT_EQ(d->status, DueStatus::kUpcoming);

  const DueItem* e = FindItem(*report, "E");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->action, "reminder");
  EXPECT_EQ(e->mode, M::kPhone);
  EXPECT_EQ(FormatDate(e->due), "2026-03-19");
  EXPECT_EQ(e->status, DueStatus::kDue);
  EXPECT_EQ(e->days_late, 1);

  EXPECT_EQ(report->closed, (std::vector<std::string>{"F", "G"}));
  ASSERT_EQ(report->exhausted.size(), 1u);
  EXPECT_EQ(report->exhausted[0].org_id, "H");
  EXPECT_EQ(report->exhausted[0].contacts, 5);
  EXPECT_EQ(report->exhausted[0].final_code, "2.20");

  // Items come by due date, then org_id.
  std::vector<std::string> order;
  for (const DueItem& item : report->items) order.push_back(item.org_id);
  EXPECT_EQ(order, (std::vector<std::string>{"A", "B", "E", "C", "D"}));
}

TEST(ScheduleTest, GraceBoundaryAndNoStartDate) {
  Frame frame = MakeFrame({{"A", ""}, {"B", ""}});
  std::vector<Contact> contacts = {
      C("B", "2026-03-01", ContactMode::kLetter, ContactOutcome::kNoReply)};
  Schedule s = DefaultSchedule();
  // B's first visit is due 03-08. Day 03-11 is 3 days late = grace: still due.
  auto on_grace = ComputeDue(frame, contacts, D("2026-03-11"), s);
  ASSERT_TRUE(on_grace);
  EXPECT_EQ(FindItem(*on_grace, "B")->status, DueStatus::kDue);
  // Without a start date, step 1 is due today, not overdue.
  EXPECT_EQ(FindItem(*on_grace, "A")->status, DueStatus::kDue);
  EXPECT_EQ(FormatDate(FindItem(*on_grace, "A")->due), "2026-03-11");
  auto past_grace = ComputeDue(frame, contacts, D("2026-03-12"), s);
  EXPECT_EQ(FindItem(*past_grace, "B")->status, DueStatus::kOverdue);
  EXPECT_EQ(FindItem(*past_grace, "B")->days_late, 4);
  auto before = ComputeDue(frame, contacts, D("2026-03-07"), s);
  EXPECT_EQ(FindItem(*before, "B")->status, DueStatus::kUpcoming);
}

TEST(ScheduleTest, AppointmentWithoutDateFallsBackToTheSchedule) {
  Frame frame = MakeFrame({{"A", ""}});
  std::vector<Contact> contacts = {
      C("A", "2026-03-01", ContactMode::kLetter, ContactOutcome::kNoReply),
      C("A", "2026-03-08", ContactMode::kVisit, ContactOutcome::kAppointment)};
  auto report = ComputeDue(frame, contacts, D("2026-03-09"), DefaultSchedule());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->items.at(0).action, "reminder");
  EXPECT_EQ(FormatDate(report->items.at(0).due), "2026-03-15");
}

TEST(ScheduleTest, ContactForUnknownOrganizationIsAnError) {
  Frame frame = MakeFrame({{"A", ""}});
  auto report =
      ComputeDue(frame, {C("Z9", "2026-03-01", ContactMode::kVisit, ContactOutcome::kNoReply)},
                 D("2026-03-09"), DefaultSchedule());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().ToString(), "FW032: contact for 'Z9', which is not in the frame");
}

TEST(ScheduleTest, ModeNames) {
  EXPECT_EQ(ModeName(ContactMode::kVisit), "visit");
  EXPECT_EQ(FindMode("phone"), ContactMode::kPhone);
  EXPECT_EQ(FindMode("fax"), std::nullopt);
  EXPECT_EQ(DueStatusName(DueStatus::kOverdue), "overdue");
}

TEST(ScheduleFileTest, ReadsStepsGraceDaysAndStart) {
  auto config = ParseScheduleToml(R"(
start = 2026-03-02
grace_days = 2

[[steps]]
name = "pre-notice"
mode = "letter"
days_after_previous = 0

[[steps]]
name = "visit"
mode = "visit"
days_after_previous = 10
)",
                                  "s.toml");
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->schedule.grace_days, 2);
  ASSERT_EQ(config->schedule.steps.size(), 2u);
  EXPECT_EQ(config->schedule.steps[1].name, "visit");
  EXPECT_EQ(config->schedule.steps[1].mode, ContactMode::kVisit);
  EXPECT_EQ(config->schedule.steps[1].days_after_previous, 10);
  ASSERT_TRUE(config->start);
  EXPECT_EQ(FormatDate(*config->start), "2026-03-02");

  auto quoted = ParseScheduleToml(
      "start = \"2026-03-02\"\n[[steps]]\nname = \"a\"\nmode = \"phone\"\n"
      "days_after_previous = 0\n",
      "s.toml");
  ASSERT_TRUE(quoted) << quoted.error().ToString();
  EXPECT_EQ(quoted->schedule.grace_days, 3) << "the default";
}

TEST(ScheduleFileTest, ErrorsAreLocated) {
  auto syntax = ParseScheduleToml("grace_days = \n", "s.toml");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "FW033");
  EXPECT_EQ(syntax.error().where.row, 1);
  auto mode = ParseScheduleToml(
      "[[steps]]\nname = \"a\"\nmode = \"fax\"\ndays_after_previous = 0\n", "s.toml");
  ASSERT_FALSE(mode);
  EXPECT_EQ(mode.error().ToString(),
            "s.toml:3:8: FW033: unknown mode 'fax' (expected letter, visit, phone, email)");
  auto unknown = ParseScheduleToml("graces = 3\n", "s.toml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "FW033");
  EXPECT_EQ(unknown.error().where.row, 1);
  auto missing = ParseScheduleToml("[[steps]]\nname = \"a\"\nmode = \"visit\"\n", "s.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "a step needs days_after_previous");
  auto negative = ParseScheduleToml(
      "[[steps]]\nname = \"a\"\nmode = \"visit\"\ndays_after_previous = -1\n", "s.toml");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, "FW031");
  EXPECT_EQ(ParseScheduleToml("grace_days = 1\n", "s.toml").error().message,
            "the schedule has no [[steps]]");
  auto bad_start = ParseScheduleToml(
      "start = \"2026-02-30\"\n[[steps]]\nname = \"a\"\nmode = \"visit\"\n"
      "days_after_previous = 0\n",
      "s.toml");
  ASSERT_FALSE(bad_start);
  EXPECT_EQ(bad_start.error().code, "FW030");
  EXPECT_EQ(bad_start.error().where.row, 1);
  EXPECT_EQ(ReadScheduleFile("/nonexistent/s.toml").error().code, "IO001");
}

TEST(ScheduleFileTest, DocumentedDefaultFileEqualsTheBuiltInDefault) {
  auto config = ReadScheduleFile(std::string(::ngosurvey::testing::SourceDir()) +
                                 "/tests/data/fieldwork/schedule_default.toml");
  ASSERT_TRUE(config) << config.error().ToString();
  Schedule builtin = DefaultSchedule();
  ASSERT_EQ(config->schedule.steps.size(), builtin.steps.size());
  for (size_t i = 0; i < builtin.steps.size(); ++i) {
    EXPECT_EQ(config->schedule.steps[i].name, builtin.steps[i].name);
    EXPECT_EQ(config->schedule.steps[i].mode, builtin.steps[i].mode);
    EXPECT_EQ(config->schedule.steps[i].days_after_previous, builtin.steps[i].days_after_previous);
  }
  EXPECT_EQ(config->schedule.grace_days, builtin.grace_days);
}

TEST(ScheduleTest, ExhaustedCaseLoggedWithACodeKeepsTheCode) {
  Diagnostics diags;
  auto table = csv::ParseTable("org_id,name,country\nA,a,KH\n", "f.csv");
  auto frame = ParseFrame(*table, &diags);
  ASSERT_TRUE(frame);
  Schedule one;
  one.steps = {{"only", ContactMode::kVisit, 0}};
  Contact c;
  c.org_id = "A";
  c.date = *ParseDate("2026-03-02");
  c.outcome = ContactOutcome::kNonContact;
  c.code = FindDisposition("2.24");
  auto report = ComputeDue(*frame, {c}, *ParseDate("2026-03-03"), one);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->exhausted.size(), 1u);
  EXPECT_EQ(report->exhausted[0].final_code, "2.24");
  c.code = nullptr;
  report = ComputeDue(*frame, {c}, *ParseDate("2026-03-03"), one);
  EXPECT_EQ(report->exhausted[0].final_code, "2.20");
}

}  // namespace
}  // namespace ngosurvey::fieldwork
