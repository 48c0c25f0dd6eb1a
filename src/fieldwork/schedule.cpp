#include "fieldwork/schedule.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

namespace ngosurvey::fieldwork {
namespace {

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

constexpr std::string_view kModeNames[] = {"letter", "visit", "phone", "email"};

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  bool shape = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
               ParseDigits(text.substr(0, 4), &y) && ParseDigits(text.substr(5, 2), &m) &&
               ParseDigits(text.substr(8, 2), &d);
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                  std::chrono::day{unsigned(d)}};
  if (!shape || !ymd.ok()) {
    return MakeError("FW030", "not a date (YYYY-MM-DD): '" + std::string(text) + "'");
  }
  return Date{static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

std::string FormatDate(Date date) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{date.days}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()));
}

std::string_view ModeName(ContactMode mode) { return kModeNames[static_cast<size_t>(mode)]; }

std::optional<ContactMode> FindMode(std::string_view name) {
  for (size_t i = 0; i < std::size(kModeNames); ++i) {
    if (kModeNames[i] == name) return static_cast<ContactMode>(i);
  }
  return std::nullopt;
}

std::string_view DueStatusName(DueStatus status) {
  switch (status) {
    case DueStatus::kUpcoming: return "upcoming";
    case DueStatus::kDue: return "due";
    case DueStatus::kOverdue: return "overdue";
  }
  return "";
}

Schedule DefaultSchedule() {
  Schedule schedule;
  schedule.steps = {
      {"pre-notice", ContactMode::kLetter, 0},
      {"first-visit", ContactMode::kVisit, 7},
      {"reminder", ContactMode::kPhone, 7},
      {"replacement", ContactMode::kVisit, 14},
      {"final-contact", ContactMode::kLetter, 21},
  };
  schedule.grace_days = 3;
  return schedule;
}

Status ValidateSchedule(const Schedule& schedule) {
  if (schedule.steps.empty()) return MakeError("FW031", "the follow-up schedule has no steps");
  if (schedule.grace_days < 0) {
    return MakeError("FW031", "grace_days must not be negative");
  }
  for (size_t i = 0; i < schedule.steps.size(); ++i) {
    const ScheduleStep& step = schedule.steps[i];
    if (step.name.empty()) {
      return MakeError("FW031", fmt::format("step {} of the follow-up schedule has no name", i + 1));
    }
    if (step.days_after_previous < 0) {
      return MakeError("FW031", fmt::format("step '{}' has a negative interval ({} days)",
                                            step.name, step.days_after_previous));
    }
  }
  return Ok();
}

Result<DueReport> ComputeDue(const Frame& frame, const std::vector<Contact>& contacts, Date today,
                             const Schedule& schedule, std::optional<Date> start) {
  NGO_TRY(ValidateSchedule(schedule));
  std::map<std::string, std::vector<const Contact*>, std::less<>> by_org;
  for (const Contact& contact : contacts) {
    if (frame.Find(contact.org_id) == nullptr) {
      return MakeError("FW032", "contact for '" + contact.org_id + "', which is not in the frame");
    }
    by_org[contact.org_id].push_back(&contact);
  }

  DueReport report;
  for (const FrameCase& c : frame.cases) {
    std::vector<const Contact*> made;
    if (auto it = by_org.find(c.org_id); it != by_org.end()) made = it->second;
    // Stable: contacts logged on the same day keep their log order.
    std::stable_sort(made.begin(), made.end(),
                     [](const Contact* a, const Contact* b) { return a->date < b->date; });
    bool closed = c.disposition != nullptr ||
                  std::any_of(made.begin(), made.end(), [](const Contact* k) {
                    return Describe(k->outcome).closes_case;
                  });
    if (closed) {
      report.closed.push_back(c.org_id);
      continue;
    }

    DueItem item;
    item.org_id = c.org_id;
    const Contact* last = made.empty() ? nullptr : made.back();
    if (last != nullptr && last->outcome == ContactOutcome::kAppointment && last->appointment) {
      item.action = "appointment";
      item.step = 0;
      item.mode = ContactMode::kVisit;
      item.due = *last->appointment;
    } else if (made.size() >= schedule.steps.size()) {
      report.exhausted.push_back({c.org_id, static_cast<int>(made.size()),
                                  Describe(last->outcome).final_code});
      continue;
    } else {
      const ScheduleStep& step = schedule.steps[made.size()];
      item.action = step.name;
      item.step = static_cast<int>(made.size()) + 1;
      item.mode = step.mode;
      item.due = last ? AddDays(last->date, step.days_after_previous) : start.value_or(today);
    }
    int late = today.days - item.due.days;
    item.days_late = std::max(0, late);
    item.status = late < 0                        ? DueStatus::kUpcoming
                  : late > schedule.grace_days ? DueStatus::kOverdue
                                               : DueStatus::kDue;
    report.items.push_back(std::move(item));
  }
  std::stable_sort(report.items.begin(), report.items.end(), [](const DueItem& a, const DueItem& b) {
    return a.due != b.due ? a.due < b.due : a.org_id < b.org_id;
  });
  return report;
}

}  // namespace ngosurvey::fieldwork
