// The fieldwork status of a store on a day: final dispositions counted by group,
// the cases still open, completed interviews per interviewer and per day, and the
// follow-ups that are overdue (`ngosurvey fieldwork status`; docs/fieldwork.md).
// Computed here, printed by the CLI.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "fieldwork/log.h"
#include "fieldwork/schedule.h"

namespace ngosurvey::fieldwork {

// Today's date in the clock's local time zone.
Date Today(const Clock& clock);

struct StatusSummary {
  // The values of the grouping column in byte order, then "overall" (kOverallGroup);
  // only "overall" without a grouping column.
  std::vector<std::string> groups;
  // Final disposition code -> group -> cases with that current code.
  std::map<std::string, std::map<std::string, int>> by_code;
  // Group -> cases not yet closed.
  std::map<std::string, int> open_per_group;
  // Interviewer -> disposition code -> completed main-wave interviews.
  std::map<std::string, std::map<std::string, int>> per_interviewer;
  // "YYYY-MM-DD" -> completed main-wave interviews: the local day of each
  // interview's end where it happened (InterviewResult::day).
  std::map<std::string, int> per_day;
  // The follow-ups overdue on the day, in the schedule's order.
  std::vector<DueItem> overdue;
};

// Summarises `state` on `today` under `config`, grouping by the frame column `by`
// ("" for no grouping). Error FW012 when the frame has no column `by`; the
// schedule's errors otherwise (DueFromState).
Result<StatusSummary> SummariseStatus(const FieldworkState& state, Date today,
                                      const ScheduleConfig& config, const std::string& by);

}  // namespace ngosurvey::fieldwork
