// fieldwork: the sample frame, AAPOR case dispositions and outcome rates, and the
// Dillman follow-up schedule. It owns what happened to each sampled organization;
// it knows nothing of questionnaires' content, terminals or (yet) the store.
//
// This header: AAPOR final disposition codes (Standard Definitions, Table 2,
// in-person surveys, worded for organizations as the establishment-survey section
// allows), the rate category each code counts in, and the outcomes a fieldworker
// records for one contact, mapped to codes. docs/fieldwork.md lists the table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/words.h"

namespace ngosurvey::fieldwork {

// The eight groups the outcome-rate formulas count (AAPOR's letters in comments).
enum class RateCategory {
  kComplete,          // I: complete interview
  kPartial,           // P: partial interview
  kRefusal,           // R: refusal and break-off
  kNonContact,        // NC: eligible, never contacted
  kOther,             // O: eligible, other non-interview (language, incapacity...)
  kUnknownHousehold,  // UH: unknown whether the unit (household/organization) exists or
                      //     is occupied/operating
  kUnknownOther,      // UO: unknown eligibility, other
  kNotEligible,       // NE: known not eligible (out of sample, not an NGO...)
};
inline constexpr int kRateCategoryCount = 8;

// "I", "P", "R", "NC", "O", "UH", "UO", "NE".
std::string_view CategoryAbbreviation(RateCategory category);
// "complete interview", "partial interview", ...
std::string_view CategoryName(RateCategory category);

// One row of the final disposition code table.
struct DispositionCode {
  std::string_view code;  // "2.11"
  words::Word label;      // AAPOR's label ("Refusal") in the one catalogue
  RateCategory category;  // what it counts as in the rates
};

// The code's label in `language` (a catalogue language code; English otherwise):
// "Refusal", "Từ chối".
std::string_view DispositionLabel(const DispositionCode& code, std::string_view language = "en");

// Every final code ngosurvey accepts, in AAPOR order. Group headings that span
// several categories ("1.0", "2.0", "3.0") are not final codes and are absent;
// sub-codes that refine a code ("2.111") count in their parent's category.
std::span<const DispositionCode> FinalDispositions();

// The table row for `code` (exact text after trimming spaces), or nullptr.
const DispositionCode* FindDisposition(std::string_view code);

// When `code` is not a known code but looks like one whose trailing zero a
// spreadsheet dropped ("2.2" for "2.20"), the code it probably meant.
std::optional<std::string_view> SuggestDisposition(std::string_view code);

// What one contact attempt ended in, as a fieldworker records it. Temporary
// outcomes leave the case open for the next scheduled contact; closing outcomes
// end follow-up. Every outcome maps to the final code the case takes if fieldwork
// ends with it as the case's last word (AAPOR's temporary -> final conversion).
enum class ContactOutcome {
  kNoReply,                // letter/message sent or visit made, nothing heard yet
  kNonContact,             // visited or called, could not reach the organization
  kRespondentUnavailable,  // reached the organization; the right staff member away/busy
  kAppointment,            // an appointment for the interview was made
  kUnableToLocate,         // the address could not be found
  kUnknownEligibility,     // reached, but could not establish whether it is eligible
  kLanguage,               // no shared language and no interpreter
  kComplete,               // interview completed
  kPartial,                // interview partly completed (final)
  kRefusal,                // the organization or the respondent refused
  kBreakOff,               // interview started, then stopped by the respondent
  kNotEligible,            // not eligible, e.g. "not an NGO"
  kOtherEligible,          // eligible, no interview, for another reason
};

struct OutcomeInfo {
  ContactOutcome outcome;
  std::string_view name;        // the word the contact log and CLI use: "refusal"
  std::string_view label;       // one line for people
  bool closes_case;             // no further follow-up after this outcome
  std::string_view final_code;  // final disposition if the case ends on this outcome
};

// The outcome table, in enum order.
std::span<const OutcomeInfo> ContactOutcomes();
const OutcomeInfo& Describe(ContactOutcome outcome);
// Looks up an outcome by `name` ("break-off"); nullopt when unknown.
std::optional<ContactOutcome> FindOutcome(std::string_view name);

}  // namespace ngosurvey::fieldwork
