#include "fieldwork/log.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/date.h"
#include "base/text.h"

namespace ngosurvey::fieldwork {
namespace {

using RC = RateCategory;

Date LocalDayOf(int64_t ms, std::optional<int> offset_minutes) {
  return Date{static_cast<int32_t>(date::LocalDayOfMillis(ms, offset_minutes))};
}

Location Named(const std::string& label) {
  Location where;
  where.file = label;
  return where;
}

// The outcome nearest to a final code, for the schedule (which outcome a contact
// logged as a code behaves like).
ContactOutcome NearestOutcome(const DispositionCode& code) {
  std::string_view c = code.code;
  switch (code.category) {
    case RC::kComplete:
      return ContactOutcome::kComplete;
    case RC::kPartial:
      return ContactOutcome::kPartial;
    case RC::kRefusal:
      return c.substr(0, 4) == "2.12" ? ContactOutcome::kBreakOff : ContactOutcome::kRefusal;
    case RC::kNonContact:
      return c == "2.25" ? ContactOutcome::kRespondentUnavailable : ContactOutcome::kNonContact;
    case RC::kOther:
      return c.substr(0, 4) == "2.33" ? ContactOutcome::kLanguage : ContactOutcome::kOtherEligible;
    case RC::kUnknownHousehold:
      return c == "3.17" || c == "3.18" ? ContactOutcome::kUnableToLocate
                                        : ContactOutcome::kNoReply;
    case RC::kUnknownOther:
      return ContactOutcome::kUnknownEligibility;
    case RC::kNotEligible:
      return ContactOutcome::kNotEligible;
  }
  return ContactOutcome::kOtherEligible;
}

bool ClosingCategory(RC category) {
  return category == RC::kComplete || category == RC::kPartial || category == RC::kRefusal ||
         category == RC::kOther || category == RC::kNotEligible;
}

bool TakesAnswer(const form::Question& q) {
  using QT = form::QuestionType;
  if (q.is_container()) return false;
  switch (q.type) {
    case QT::kNote:
    case QT::kCalculate:
    case QT::kHidden:
    case QT::kBackgroundAudio:
    case QT::kXmlExternal:
    case QT::kCsvExternal:
      return false;
    default:
      break;
  }
  return !form::Traits(q.type).metadata;
}

bool IsRequired(const form::Question& q) {
  std::string lower = text::AsciiLower(text::Trim(q.required));
  return !lower.empty() && lower != "no" && lower != "false" && lower != "false()" && lower != "0";
}

// "/data/grp/name" -> "grp/name".
std::string AnswerPath(const form::Question& q) {
  static constexpr std::string_view kRoot = "/data/";
  std::string_view path = q.path;
  if (path.substr(0, kRoot.size()) == kRoot) path.remove_prefix(kRoot.size());
  return std::string(path);
}

int InterviewRank(const DispositionCode* code) {
  if (code == nullptr) return 9;
  if (code->category == RC::kComplete) return 0;
  if (code->category == RC::kPartial) return 1;
  return 2;
}

}  // namespace

store::FrameImport ToFrameImport(const Frame& frame) {
  store::FrameImport import;
  import.source = frame.file;
  import.stratum_column = frame.stratum_column;
  import.has_address_column = frame.has_address_column;
  import.has_contact_person_column = frame.has_contact_person_column;
  import.has_disposition_column = frame.has_disposition_column;
  import.extra_columns = frame.extra_columns;
  for (const FrameCase& c : frame.cases) {
    store::FrameEntry e;
    e.org_id = c.org_id;
    e.name = c.name;
    e.stratum = c.stratum;
    e.address = c.address;
    e.contact_person = c.contact_person;
    e.disposition = c.disposition ? std::string(c.disposition->code) : std::string();
    for (size_t i = 0; i < frame.extra_columns.size(); ++i) {
      e.extra.emplace_back(frame.extra_columns[i], i < c.extra.size() ? c.extra[i] : "");
    }
    import.entries.push_back(std::move(e));
  }
  return import;
}

Result<Frame> FrameFromStore(const store::StoredFrame& stored, const std::string& label) {
  if (stored.stratum_column.empty()) {
    return MakeError("FW040",
                     "the store has no sample frame; import one with `ngosurvey frame import`",
                     Named(label));
  }
  Frame frame;
  frame.file = label;
  frame.stratum_column = stored.stratum_column;
  frame.has_address_column = stored.has_address_column;
  frame.has_contact_person_column = stored.has_contact_person_column;
  frame.has_disposition_column = stored.has_disposition_column;
  frame.extra_columns = stored.extra_columns;
  for (const store::FrameEntry& e : stored.entries) {
    FrameCase c;
    c.org_id = e.org_id;
    c.name = e.name;
    c.stratum = e.stratum;
    c.address = e.address;
    c.contact_person = e.contact_person;
    if (!e.disposition.empty()) {
      c.disposition = FindDisposition(e.disposition);
      if (c.disposition == nullptr) {
        return MakeError("FW003",
                         "case '" + e.org_id + "' has an unknown disposition code '" +
                             e.disposition + "' in the store",
                         Named(label));
      }
    }
    for (const std::string& column : stored.extra_columns) {
      std::string value;
      for (const auto& [name, v] : e.extra) {
        if (name == column) value = v;
      }
      c.extra.push_back(std::move(value));
    }
    frame.cases.push_back(std::move(c));
  }
  return frame;
}

Result<ResolvedOutcome> ResolveOutcome(std::string_view text) {
  std::string_view t = text::Trim(text);
  ResolvedOutcome out;
  out.text = std::string(t);
  if (auto outcome = FindOutcome(t)) {
    const OutcomeInfo& info = Describe(*outcome);
    out.outcome = *outcome;
    out.code = FindDisposition(info.final_code);
    out.closes_case = info.closes_case;
    return out;
  }
  if (const DispositionCode* code = FindDisposition(t)) {
    out.code = code;
    out.outcome = NearestOutcome(*code);
    out.closes_case = ClosingCategory(code->category);
    out.given_as_code = true;
    return out;
  }
  std::string message = "unknown contact outcome '" + out.text + "'";
  if (auto suggestion = SuggestDisposition(t)) {
    message += " (did you mean '" + std::string(*suggestion) +
               "'? a spreadsheet may have dropped its trailing zero)";
  } else {
    message += "; `ngosurvey fieldwork dispositions` lists the outcomes and codes";
  }
  return MakeError("FW041", message);
}

Result<store::ContactRecord> LogContact(store::Store& store, const ContactRequest& request,
                                        Date today) {
  ResolvedOutcome outcome = NGO_TRY(ResolveOutcome(request.outcome));
  if (request.date > today) {
    return MakeError("FW043", "contact date " + FormatDate(request.date) +
                                  " is in the future (today is " + FormatDate(today) + ")");
  }
  if (request.appointment) {
    if (outcome.given_as_code || outcome.outcome != ContactOutcome::kAppointment) {
      return MakeError("FW045", "an appointment date goes with outcome 'appointment', not '" +
                                    outcome.text + "'");
    }
    if (*request.appointment < request.date) {
      return MakeError("FW045", "appointment " + FormatDate(*request.appointment) +
                                    " is before the contact (" + FormatDate(request.date) + ")");
    }
  }
  store::ContactRecord record;
  record.org_id = request.org_id;
  record.date = FormatDate(request.date);
  record.mode = std::string(ModeName(request.mode));
  record.outcome = outcome.text;
  record.disposition = std::string(outcome.code->code);
  if (request.appointment) record.appointment = FormatDate(*request.appointment);
  record.note = request.note;
  record.by = request.by;
  auto stored = store.AddContact(record);
  if (!stored) {
    Error error = stored.error();
    if (error.code == "ST002") {
      return MakeError(
          "FW042", "organisation '" + request.org_id + "' is not in the sample frame of the store");
    }
    if (error.code == "ST008") error.code = "FW044";
    return tl::unexpected(std::move(error));
  }
  return *stored;
}

Result<std::vector<Contact>> ScheduleContacts(const std::vector<store::ContactRecord>& records) {
  std::vector<Contact> out;
  for (const store::ContactRecord& r : records) {
    Contact c;
    c.org_id = r.org_id;
    c.date = NGO_TRY(ParseDate(r.date));
    auto mode = FindMode(r.mode);
    if (!mode) return MakeError("FW041", "stored contact with an unknown mode '" + r.mode + "'");
    c.mode = *mode;
    ResolvedOutcome outcome = NGO_TRY(ResolveOutcome(r.outcome));
    c.outcome = outcome.outcome;
    if (outcome.given_as_code) c.code = outcome.code;
    if (r.appointment) c.appointment = NGO_TRY(ParseDate(*r.appointment));
    out.push_back(std::move(c));
  }
  return out;
}

InterviewResult ClassifyInterview(const form::Form& form, const store::Submission& submission) {
  InterviewResult result;
  result.instance_id = submission.instance_id;
  result.org_id = submission.org_id;
  result.interviewer = submission.interviewer;
  // The local day where the interview happened (the offset its end, else its start,
  // was written with; UTC when none is known), not the UTC day.
  result.day = submission.ended_at_ms
                   ? LocalDayOf(*submission.ended_at_ms, submission.ended_offset_minutes)
                   : LocalDayOf(submission.started_at_ms, submission.started_offset_minutes);

  std::vector<const form::Question*> answerable;
  std::vector<const form::Question*> required;
  for (const form::Question& q : form.questions) {
    if (!TakesAnswer(q) || form.EnclosingRepeat(q) >= 0) continue;
    answerable.push_back(&q);
    if (IsRequired(q)) required.push_back(&q);
  }
  const std::vector<const form::Question*>& considered = required.empty() ? answerable : required;
  for (const form::Question* q : considered) {
    auto it = submission.answers.find(AnswerPath(*q));
    form::AnswerState state =
        it == submission.answers.end() ? form::AnswerState::kMissing : it->second.state;
    if (state == form::AnswerState::kNotAsked) continue;
    ++result.applicable;
    if (state == form::AnswerState::kAnswered || state == form::AnswerState::kDontKnow) {
      ++result.answered;
    }
  }
  result.share =
      result.applicable == 0 ? 1.0 : static_cast<double>(result.answered) / result.applicable;
  result.code = FindDisposition(result.share >= kCompleteShare  ? "1.1"
                                : result.share >= kPartialShare ? "1.2"
                                                                : "2.12");
  return result;
}

Result<FieldworkState> LoadFieldworkState(const store::Store& store, const std::string& label) {
  FieldworkState state;
  store::StoredFrame stored = NGO_TRY(store.ReadFrame());
  state.frame = NGO_TRY(FrameFromStore(stored, label));
  state.records = NGO_TRY(store.ListContacts());
  state.contacts = NGO_TRY(ScheduleContacts(state.records));

  store::SubmissionFilter filter;
  filter.status = store::SubmissionStatus::kComplete;
  filter.wave = store::Wave::kMain;
  std::vector<store::Submission> submissions = NGO_TRY(store.ListSubmissions(filter));
  std::map<std::pair<std::string, std::string>, form::Form> forms;
  for (const store::Submission& s : submissions) {
    if (state.frame.Find(s.org_id) == nullptr) {
      ++state.interviews_outside_frame;
      continue;
    }
    auto key = std::make_pair(s.form_id, s.form_version);
    auto it = forms.find(key);
    if (it == forms.end()) {
      store::FormVersion version = NGO_TRY(store.GetForm(s.form_id, s.form_version));
      Diagnostics diags;
      auto form = form::LoadForm(version.xlsx, s.form_id + ".xlsx", &diags);
      if (!form) {
        return MakeError("FW050",
                         "cannot read form \"" + s.form_id + "\" version " + s.form_version +
                             " of interview " + s.instance_id + ": " + form.error().ToString(),
                         Named(label));
      }
      it = forms.emplace(key, std::move(*form)).first;
    }
    state.interviews.push_back(ClassifyInterview(it->second, s));
  }

  std::map<std::string, const InterviewResult*> best_interview;
  for (const InterviewResult& r : state.interviews) {
    const InterviewResult*& best = best_interview[r.org_id];
    if (best == nullptr || InterviewRank(r.code) < InterviewRank(best->code)) best = &r;
  }
  // Contacts per organisation in (date, log order) order.
  std::map<std::string, std::vector<size_t>> contacts_of;
  for (size_t i = 0; i < state.contacts.size(); ++i) {
    contacts_of[state.contacts[i].org_id].push_back(i);
  }
  for (auto& [org, list] : contacts_of) {
    std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) {
      return state.contacts[a].date < state.contacts[b].date;
    });
  }

  for (const FrameCase& c : state.frame.cases) {
    CaseState cs;
    cs.org_id = c.org_id;
    cs.stratum = c.stratum;
    const std::vector<size_t>& list = contacts_of[c.org_id];
    cs.contacts = static_cast<int>(list.size());
    const InterviewResult* interview =
        best_interview.count(c.org_id) ? best_interview[c.org_id] : nullptr;
    if (interview != nullptr) {
      cs.code = interview->code;
      cs.source = DispositionSource::kInterview;
      cs.closed = true;
    } else if (!list.empty()) {
      cs.source = DispositionSource::kContact;
      const Contact* chosen = &state.contacts[list.back()];
      for (size_t i : list) {
        if (Describe(state.contacts[i].outcome).closes_case ||
            (state.contacts[i].code && ClosingCategory(state.contacts[i].code->category))) {
          chosen = &state.contacts[i];
          cs.closed = true;
        }
      }
      cs.code = chosen->code ? chosen->code : FindDisposition(Describe(chosen->outcome).final_code);
    } else if (c.disposition != nullptr) {
      cs.code = c.disposition;
      cs.source = DispositionSource::kFrame;
      cs.closed = true;
    } else {
      cs.code = FindDisposition("3.11");
      cs.source = DispositionSource::kNotWorked;
    }
    state.cases.push_back(std::move(cs));
  }
  return state;
}

Frame RatesFrame(const FieldworkState& state) {
  Frame frame = state.frame;
  frame.has_disposition_column = true;
  for (size_t i = 0; i < frame.cases.size() && i < state.cases.size(); ++i) {
    frame.cases[i].disposition = state.cases[i].code;
  }
  return frame;
}

Result<DueReport> DueFromState(const FieldworkState& state, Date today,
                               const ScheduleConfig& config) {
  Frame frame = state.frame;
  for (size_t i = 0; i < frame.cases.size() && i < state.cases.size(); ++i) {
    const CaseState& cs = state.cases[i];
    bool closed_outside_log =
        cs.source == DispositionSource::kInterview || cs.source == DispositionSource::kFrame;
    frame.cases[i].disposition = closed_outside_log ? cs.code : nullptr;
  }
  return ComputeDue(frame, state.contacts, today, config.schedule, config.start);
}

}  // namespace ngosurvey::fieldwork
