#include "fieldwork/status.h"

#include <set>

#include "base/date.h"
#include "fieldwork/rates.h"

namespace ngosurvey::fieldwork {

Date Today(const Clock& clock) {
  int64_t local = clock.NowMillis() + int64_t{clock.UtcOffsetMinutes()} * 60000;
  return Date{static_cast<int32_t>(date::DayOfMillis(local))};
}

Result<StatusSummary> SummariseStatus(const FieldworkState& state, Date today,
                                      const ScheduleConfig& config, const std::string& by) {
  if (!by.empty() && !state.frame.HasColumn(by)) {
    return MakeError("FW012", "no column '" + by + "' in the sample frame");
  }
  DueReport due = NGO_TRY(DueFromState(state, today, config));
  StatusSummary out;
  // Groups: the values of `by` (sorted), then "overall".
  std::vector<std::string> group_of;
  std::set<std::string> names;
  for (const FrameCase& c : state.frame.cases) {
    group_of.push_back(by.empty() ? "" : *state.frame.Value(c, by));
    names.insert(group_of.back());
  }
  if (!by.empty()) out.groups.assign(names.begin(), names.end());
  out.groups.push_back(std::string(kOverallGroup));
  for (size_t i = 0; i < state.cases.size(); ++i) {
    const CaseState& cs = state.cases[i];
    std::vector<std::string> counted_in = {std::string(kOverallGroup)};
    if (!by.empty()) counted_in.insert(counted_in.begin(), group_of[i]);
    for (const std::string& g : counted_in) {
      ++out.by_code[std::string(cs.code->code)][g];
      if (!cs.closed) ++out.open_per_group[g];
    }
  }
  for (const InterviewResult& r : state.interviews) {
    ++out.per_interviewer[r.interviewer][std::string(r.code->code)];
    ++out.per_day[FormatDate(r.day)];
  }
  for (const DueItem& item : due.items) {
    if (item.status == DueStatus::kOverdue) out.overdue.push_back(item);
  }
  return out;
}

}  // namespace ngosurvey::fieldwork
