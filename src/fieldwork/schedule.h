// The Dillman follow-up schedule for face-to-face studies: a sequence of contacts,
// each due a number of days after the previous contact, and a pure function that
// says, on a given date, which open case is due which contact and which is overdue.
//
// The default sequence adapts Dillman's Total Design Method (1978; the reference
// study used it) from mail to visits:
//   1. pre-notice      letter  day 0      announces the study, names the interviewer
//   2. first-visit     visit   +7 days    visit, interview or make an appointment
//   3. reminder        phone   +7 days    thank / remind; offer an appointment
//   4. replacement     visit   +14 days   new visit, fresh questionnaire, other staff
//   5. final-contact   letter  +21 days   special final request (signed, delivered)
// i.e. contacts in weeks 0, 1, 2, 4 and 7, as Dillman spaced his mailings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "fieldwork/dispositions.h"
#include "fieldwork/frame.h"

namespace ngosurvey::fieldwork {

// A calendar date (proleptic Gregorian), as days since 1970-01-01.
struct Date {
  int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses "YYYY-MM-DD" (a real date: no 2026-02-30). Error FW030 otherwise.
Result<Date> ParseDate(std::string_view text);
// "YYYY-MM-DD".
std::string FormatDate(Date date);
inline Date AddDays(Date date, int days) { return Date{date.days + days}; }

enum class ContactMode { kLetter, kVisit, kPhone, kEmail };
// "letter", "visit", "phone", "email".
std::string_view ModeName(ContactMode mode);
std::optional<ContactMode> FindMode(std::string_view name);

struct ScheduleStep {
  std::string name;  // "reminder"
  ContactMode mode;
  int days_after_previous;  // after the previous contact made (ignored for step 1)
};

struct Schedule {
  std::vector<ScheduleStep> steps;
  // A contact is overdue when more than this many days past its due date.
  int grace_days = 3;
};

// The default five-contact sequence documented above, grace_days 3.
Schedule DefaultSchedule();

// FW031 when the schedule has no steps, a step has no name, a negative interval,
// or grace_days is negative.
Status ValidateSchedule(const Schedule& schedule);

// A schedule file (TOML; docs/formats/schedule.md): the sequence, grace_days and
// optionally the first day of fieldwork (when step 1 is due for every case).
struct ScheduleConfig {
  Schedule schedule;
  std::optional<Date> start;
};

// Parses a schedule file. Errors, each with the file and the TOML line and column:
// FW033 TOML syntax, an unknown key, a missing or ill-typed value, an unknown mode;
// FW030 a start that is not a date; FW031 what ValidateSchedule refuses.
Result<ScheduleConfig> ParseScheduleToml(std::string_view text, const std::string& file);
// Reads and parses `path` (IO001 when it cannot be read).
Result<ScheduleConfig> ReadScheduleFile(const std::string& path);

// One contact made with a case.
struct Contact {
  std::string org_id;
  Date date;
  ContactMode mode = ContactMode::kVisit;
  ContactOutcome outcome = ContactOutcome::kNoReply;
  std::optional<Date> appointment;  // with kAppointment: when the interview is set for
  // When the contact was logged with an AAPOR code rather than an outcome name: that
  // code (it is the final code of an exhausted case instead of the outcome's).
  const DispositionCode* code = nullptr;
};

enum class DueStatus {
  kUpcoming,  // next contact not yet due
  kDue,       // due today, or past due by at most grace_days
  kOverdue,   // past due by more than grace_days
};
std::string_view DueStatusName(DueStatus status);  // "upcoming", "due", "overdue"

struct DueItem {
  std::string org_id;
  std::string action;  // a step name, or "appointment"
  int step = 0;        // 1-based step number; 0 for an appointment
  ContactMode mode;
  Date due;
  DueStatus status;
  int days_late = 0;  // today - due when positive, else 0
};

// A case whose schedule is used up without a closing outcome: fieldwork should
// close it with `final_code` (the final code of its last contact's outcome).
struct ExhaustedCase {
  std::string org_id;
  int contacts = 0;
  std::string_view final_code;
};

struct DueReport {
  std::vector<DueItem> items;            // open cases, by due date then org_id
  std::vector<std::string> closed;       // final disposition in the frame, or a
                                         // closing outcome logged
  std::vector<ExhaustedCase> exhausted;  // every step made, still open
};

// What is due on `today`. For each frame case: closed if the frame gives a final
// disposition or a logged contact has a closing outcome; otherwise its contacts
// (in date order) say how many steps are done. When the last contact set an
// appointment, the appointment is what is due (on its date). Otherwise the next
// step k+1 is due `days_after_previous` after the last contact, and step 1 on
// `start` (or `today` when no start date is given). Contacts for org_ids not in
// the frame are an error (FW032, naming the first); so is an invalid schedule.
// Pure: the same inputs give the same report.
Result<DueReport> ComputeDue(const Frame& frame, const std::vector<Contact>& contacts, Date today,
                             const Schedule& schedule, std::optional<Date> start = std::nullopt);

}  // namespace ngosurvey::fieldwork
