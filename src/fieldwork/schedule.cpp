#include "fieldwork/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/date.h"
#include "base/file.h"
#include "base/toml_location.h"

namespace ngosurvey::fieldwork {
namespace {

constexpr std::string_view kModeNames[] = {"letter", "visit", "phone", "email"};

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  std::optional<int64_t> days = date::ParseIsoDate(text);
  if (!days) return MakeError("FW030", "not a date (YYYY-MM-DD): '" + std::string(text) + "'");
  return Date{static_cast<int32_t>(*days)};
}

std::string FormatDate(Date day) { return date::FormatIsoDate(day.days); }

std::string_view ModeName(ContactMode mode) { return kModeNames[static_cast<size_t>(mode)]; }

std::optional<ContactMode> FindMode(std::string_view name) {
  for (size_t i = 0; i < std::size(kModeNames); ++i) {
    if (kModeNames[i] == name) return static_cast<ContactMode>(i);
  }
  return std::nullopt;
}

std::string_view DueStatusName(DueStatus status) {
  switch (status) {
    case DueStatus::kUpcoming:
      return "upcoming";
    case DueStatus::kDue:
      return "due";
    case DueStatus::kOverdue:
      return "overdue";
  }
  return "";
}

Schedule DefaultSchedule() {
  Schedule schedule;
  schedule.steps = {
      {"pre-notice", ContactMode::kLetter, 0},     {"first-visit", ContactMode::kVisit, 7},
      {"reminder", ContactMode::kPhone, 7},        {"replacement", ContactMode::kVisit, 14},
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
      return MakeError("FW031",
                       fmt::format("step {} of the follow-up schedule has no name", i + 1));
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
                  std::any_of(made.begin(), made.end(),
                              [](const Contact* k) { return Describe(k->outcome).closes_case; });
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
      report.exhausted.push_back(
          {c.org_id, static_cast<int>(made.size()),
           last->code != nullptr ? last->code->code : Describe(last->outcome).final_code});
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
    item.status = late < 0                     ? DueStatus::kUpcoming
                  : late > schedule.grace_days ? DueStatus::kOverdue
                                               : DueStatus::kDue;
    report.items.push_back(std::move(item));
  }
  std::stable_sort(report.items.begin(), report.items.end(),
                   [](const DueItem& a, const DueItem& b) {
                     return a.due != b.due ? a.due < b.due : a.org_id < b.org_id;
                   });
  return report;
}

namespace {

// Reads one schedule file's table; throws nothing (toml++ accessors only).
class ScheduleReader {
 public:
  explicit ScheduleReader(std::string file) : file_(std::move(file)) {}

  Result<ScheduleConfig> Read(const toml::table& root) {
    ScheduleConfig config;
    config.schedule.steps.clear();
    for (const auto& [key, node] : root) {
      std::string_view k = key.str();
      if (k == "grace_days") {
        config.schedule.grace_days = NGO_TRY(Int(node, "grace_days"));
      } else if (k == "start") {
        config.start = NGO_TRY(StartDate(node));
      } else if (k == "steps") {
        const toml::array* steps = node.as_array();
        if (steps == nullptr) return Fail(node, "'steps' must be an array of tables ([[steps]])");
        for (const toml::node& step : *steps) {
          config.schedule.steps.push_back(NGO_TRY(Step(step)));
        }
      } else {
        return Fail(node,
                    "unknown key '" + std::string(k) + "' (expected start, grace_days, [[steps]])");
      }
    }
    if (config.schedule.steps.empty()) {
      Location where;
      where.file = file_;
      return MakeError("FW033", "the schedule has no [[steps]]", where);
    }
    Status valid = ValidateSchedule(config.schedule);
    if (!valid) {
      Error error = valid.error();
      error.where.file = file_;
      return tl::unexpected(std::move(error));
    }
    return config;
  }

 private:
  Result<ScheduleStep> Step(const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return Fail(node, "each [[steps]] entry must be a table");
    ScheduleStep step{"", ContactMode::kVisit, 0};
    bool have_name = false;
    bool have_mode = false;
    bool have_days = false;
    for (const auto& [key, value] : *table) {
      std::string_view k = key.str();
      if (k == "name") {
        if (!value.is_string()) return Fail(value, "'name' must be a string");
        step.name = *value.value<std::string>();
        have_name = true;
      } else if (k == "mode") {
        if (!value.is_string()) return Fail(value, "'mode' must be a string");
        std::string mode = *value.value<std::string>();
        auto found = FindMode(mode);
        if (!found) {
          return Fail(value, "unknown mode '" + mode + "' (expected letter, visit, phone, email)");
        }
        step.mode = *found;
        have_mode = true;
      } else if (k == "days_after_previous") {
        step.days_after_previous = NGO_TRY(Int(value, "days_after_previous"));
        have_days = true;
      } else {
        return Fail(value, "unknown key '" + std::string(k) +
                               "' in a step (expected name, mode, days_after_previous)");
      }
    }
    if (!have_name || !have_mode || !have_days) {
      return Fail(node, std::string("a step needs ") + (!have_name   ? "a name"
                                                        : !have_mode ? "a mode"
                                                                     : "days_after_previous"));
    }
    return step;
  }

  Result<int> Int(const toml::node& node, std::string_view key) {
    if (!node.is_integer()) return Fail(node, "'" + std::string(key) + "' must be an integer");
    int64_t value = *node.value<int64_t>();
    if (value < -100000 || value > 100000) {
      return Fail(node, "'" + std::string(key) + "' is out of range");
    }
    return static_cast<int>(value);
  }

  Result<Date> StartDate(const toml::node& node) {
    std::string text;
    if (const auto* date = node.as_date()) {
      const toml::date& d = date->get();
      text = fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
    } else if (node.is_string()) {
      text = *node.value<std::string>();
    } else {
      return Fail(node, "'start' must be a date (2026-03-02)");
    }
    auto parsed = ParseDate(text);
    if (!parsed) {
      Error error = parsed.error();
      error.where = TomlLineColumn(file_, node.source());
      return tl::unexpected(std::move(error));
    }
    return *parsed;
  }

  tl::unexpected<Error> Fail(const toml::node& node, const std::string& message) {
    return MakeError("FW033", message, TomlLineColumn(file_, node.source()));
  }

  std::string file_;
};

}  // namespace

Result<ScheduleConfig> ParseScheduleToml(std::string_view text, const std::string& file) {
  toml::table root = NGO_TRY(ParseToml(text, file, "FW033"));
  return ScheduleReader(file).Read(root);
}

Result<ScheduleConfig> ReadScheduleFile(const std::string& path) {
  std::string text = NGO_TRY(ReadFile(path));
  return ParseScheduleToml(text, path);
}

}  // namespace ngosurvey::fieldwork
