// The store-backed fieldwork log: the sample frame imported into a store, the
// contacts logged there, and the disposition of each case derived from the contacts
// and the interviews the store holds. docs/fieldwork.md ("The fieldwork log in the
// store") states every rule below in words.
//
// The store (store/fieldwork_log.h) keeps the rows; this file decides what they
// mean: outcome names and AAPOR codes, dates not in the future, and which
// disposition wins. Nothing here prints.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "fieldwork/dispositions.h"
#include "fieldwork/frame.h"
#include "fieldwork/rates.h"
#include "fieldwork/schedule.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::fieldwork {

// --- Frame ---------------------------------------------------------------------

// The store's import of a parsed frame (every column kept; `disposition` as the
// code text).
store::FrameImport ToFrameImport(const Frame& frame);

// The frame kept in a store, as a Frame (file = `label`, lines 0). FW040 when no
// frame was imported; FW003 when a stored disposition is not a known code.
Result<Frame> FrameFromStore(const store::StoredFrame& stored, const std::string& label);

// --- Contacts ------------------------------------------------------------------

// What a logged contact ended in: an outcome name of ContactOutcomes()
// ("refusal") or any final code of FinalDispositions() ("2.112"), including
// sub-codes. A code closes the case when it counts as I, P, R, O or NE, and leaves
// it open (a temporary disposition) when it counts as NC, UH or UO.
struct ResolvedOutcome {
  std::string text;                       // as given, trimmed
  const DispositionCode* code = nullptr;  // the final code it becomes
  ContactOutcome outcome;                 // the outcome (for a code: the nearest one)
  bool closes_case = false;
  bool given_as_code = false;
};

// FW041 for a text that is neither an outcome name nor a final code (with a
// suggestion for a code whose trailing zero was dropped).
Result<ResolvedOutcome> ResolveOutcome(std::string_view text);

struct ContactRequest {
  std::string org_id;
  Date date;
  ContactMode mode = ContactMode::kVisit;
  std::string outcome;  // see ResolveOutcome
  std::optional<Date> appointment;
  std::string note;
  std::string by;
};

// Checks and appends a contact; nothing is stored on error. Errors: FW041 unknown
// outcome; FW042 the organisation is not in the stored frame; FW043 `date` is
// after `today`; FW044 `date` is before the organisation's latest logged contact;
// FW045 an appointment that is before the contact or not with outcome
// `appointment`; the store's IO1xx.
Result<store::ContactRecord> LogContact(store::Store& store, const ContactRequest& request,
                                        Date today);

// Stored contacts as the schedule's Contacts (FW030/FW041 for a stored row that
// no longer reads, e.g. written by a newer ngosurvey).
Result<std::vector<Contact>> ScheduleContacts(const std::vector<store::ContactRecord>& records);

// --- Interviews ----------------------------------------------------------------

// The partial-interview rule (docs/fieldwork.md, "Complete or partial"):
//   considered  = the form's questions outside repeats that take an answer (not a
//                 group, note, calculate, hidden or metadata field) and are required
//                 (`required` not empty, no, false, false() or 0); when the form has
//                 no such question, every question that takes an answer;
//   applicable  = considered questions whose answer is not `not_asked` (an absent
//                 answer counts as missing);
//   answered    = applicable questions answered or answered "don't know";
//   share = answered / applicable (1 when nothing is applicable);
//   share >= 0.8: 1.1 complete; 0.5 <= share < 0.8: 1.2 partial; below 0.5: 2.12
//   break-off (AAPOR's own example thresholds).
inline constexpr double kCompleteShare = 0.8;
inline constexpr double kPartialShare = 0.5;

struct InterviewResult {
  std::string instance_id;
  std::string org_id;
  std::string interviewer;
  // The local day it ended (started, when it has no end time) where it happened: in
  // the UTC offset its time was written with (UTC when none is known).
  Date day;
  int applicable = 0;
  int answered = 0;
  double share = 1;
  const DispositionCode* code = nullptr;  // 1.1, 1.2 or 2.12
};

// Classifies one completed submission against its form.
InterviewResult ClassifyInterview(const form::Form& form, const store::Submission& submission);

// --- The state of fieldwork ----------------------------------------------------

// Where a case's current disposition comes from, strongest first.
enum class DispositionSource {
  kInterview,  // a completed main-wave interview in the store
  kContact,    // the contact log
  kFrame,      // the disposition column of the imported frame
  kNotWorked,  // nothing yet: 3.11 (not attempted or worked)
};

struct CaseState {
  std::string org_id;
  std::string stratum;
  const DispositionCode* code = nullptr;  // the current disposition (never nullptr)
  DispositionSource source = DispositionSource::kNotWorked;
  bool closed = false;  // no further follow-up
  int contacts = 0;
};

// The rule: (1) a completed main-wave interview: the best of its interviews by
// ClassifyInterview (1.1 over 1.2 over 2.12), closed; (2) otherwise, when a logged
// contact has a closing outcome, the latest such contact's code, closed; (3)
// otherwise the latest contact's code, open (a temporary disposition, converted
// to the final code it maps to when rates are computed); (4) otherwise the imported
// frame's disposition, closed; (5) otherwise 3.11, open.
struct FieldworkState {
  Frame frame;                   // as imported (dispositions from the frame file)
  std::vector<CaseState> cases;  // in frame order
  std::vector<Contact> contacts;
  std::vector<store::ContactRecord> records;
  std::vector<InterviewResult> interviews;  // completed main-wave interviews of frame cases
  int interviews_outside_frame = 0;         // completed main-wave interviews of other org_ids
};

// Reads the frame, the contact log, the completed submissions and their forms
// (Store::GetForm, form::LoadForm) and applies the rule. `label` names the store in
// messages. Errors: FW040 (no frame), FW050 a form that cannot be read, the
// store's IO1xx.
Result<FieldworkState> LoadFieldworkState(const store::Store& store, const std::string& label);

// The frame with every case's current disposition (rule above) as its final code,
// ready for RatesByGroup / AlternativeRatesByGroup.
Frame RatesFrame(const FieldworkState& state);

// What is due on `today` (ComputeDue on the stored frame and contact log; cases
// closed by an interview or by the imported frame count as closed).
Result<DueReport> DueFromState(const FieldworkState& state, Date today,
                               const ScheduleConfig& config);

}  // namespace ngosurvey::fieldwork
