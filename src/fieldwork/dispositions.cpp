#include "fieldwork/dispositions.h"

#include <array>
#include <string>

#include "base/text.h"

namespace ngosurvey::fieldwork {
namespace {

using RC = RateCategory;

// AAPOR Standard Definitions, Table 2 (in-person surveys). Where AAPOR speaks of
// a household or housing unit, the label adds the organization reading used for
// establishment surveys after a slash.
constexpr DispositionCode kCodes[] = {
    {"1.1", "Complete interview", RC::kComplete},
    {"1.2", "Partial interview", RC::kPartial},
    {"2.10", "Refusal and break-off", RC::kRefusal},
    {"2.11", "Refusal", RC::kRefusal},
    {"2.111", "Household-level / organization-level refusal", RC::kRefusal},
    {"2.112", "Known-respondent refusal", RC::kRefusal},
    {"2.12", "Break-off / partial with insufficient information", RC::kRefusal},
    {"2.20", "Non-contact", RC::kNonContact},
    {"2.23", "Unable to enter building / reach housing unit or office", RC::kNonContact},
    {"2.24", "No one at residence / office", RC::kNonContact},
    {"2.25", "Respondent away / unavailable", RC::kNonContact},
    {"2.30", "Other (eligible, non-interview)", RC::kOther},
    {"2.31", "Dead", RC::kOther},
    {"2.32", "Physically or mentally unable / incompetent", RC::kOther},
    {"2.33", "Language", RC::kOther},
    {"2.331", "Household-level / organization-level language problem", RC::kOther},
    {"2.332", "Respondent language problem", RC::kOther},
    {"2.333", "No interviewer available for needed language", RC::kOther},
    {"2.36", "Miscellaneous", RC::kOther},
    {"3.10", "Unknown if housing unit / if the organization exists or operates",
     RC::kUnknownHousehold},
    {"3.11", "Not attempted or worked", RC::kUnknownHousehold},
    {"3.17", "Unable to reach / unsafe area", RC::kUnknownHousehold},
    {"3.18", "Unable to locate address", RC::kUnknownHousehold},
    {"3.20", "Housing unit or organization, unknown if eligible respondent", RC::kUnknownOther},
    {"3.21", "No screener completed", RC::kUnknownOther},
    {"3.90", "Other (unknown eligibility)", RC::kUnknownOther},
    {"4.10", "Out of sample", RC::kNotEligible},
    {"4.50", "Not a housing unit / not an eligible organization", RC::kNotEligible},
    {"4.51", "Business, government office, other organization", RC::kNotEligible},
    {"4.52", "Institution", RC::kNotEligible},
    {"4.53", "Group quarters", RC::kNotEligible},
    {"4.60", "Vacant housing unit / organization closed", RC::kNotEligible},
    {"4.61", "Regular, vacant residences", RC::kNotEligible},
    {"4.62", "Seasonal / vacation / temporary residence", RC::kNotEligible},
    {"4.63", "Other vacant", RC::kNotEligible},
    {"4.70", "No eligible respondent", RC::kNotEligible},
    {"4.80", "Quota filled", RC::kNotEligible},
    {"4.90", "Other (not eligible)", RC::kNotEligible},
};

using CO = ContactOutcome;

// Final codes for outcomes that leave a case open are the codes AAPOR converts
// such temporary dispositions to at the end of fieldwork.
constexpr OutcomeInfo kOutcomes[] = {
    {CO::kNoReply, "no-reply", "letter, message or visit made; nothing heard yet", false, "3.11"},
    {CO::kNonContact, "non-contact", "could not reach the organization", false, "2.20"},
    {CO::kRespondentUnavailable, "respondent-unavailable",
     "reached the organization; the respondent was away or busy", false, "2.25"},
    {CO::kAppointment, "appointment", "an appointment for the interview was made", false, "2.25"},
    {CO::kUnableToLocate, "unable-to-locate", "the address could not be found", false, "3.18"},
    {CO::kUnknownEligibility, "unknown-eligibility",
     "reached, but eligibility could not be established", false, "3.20"},
    {CO::kLanguage, "language", "no shared language and no interpreter", true, "2.33"},
    {CO::kComplete, "complete", "interview completed", true, "1.1"},
    {CO::kPartial, "partial", "interview partly completed", true, "1.2"},
    {CO::kRefusal, "refusal", "the organization or respondent refused", true, "2.11"},
    {CO::kBreakOff, "break-off", "interview started, then stopped by the respondent", true, "2.12"},
    {CO::kNotEligible, "not-eligible", "not eligible (e.g. not an NGO)", true, "4.10"},
    {CO::kOtherEligible, "other", "eligible, no interview, another reason", true, "2.36"},
};

static_assert(std::size(kOutcomes) == static_cast<size_t>(CO::kOtherEligible) + 1,
              "one row per ContactOutcome, in enum order");

}  // namespace

std::string_view CategoryAbbreviation(RateCategory category) {
  static constexpr std::array<std::string_view, kRateCategoryCount> kNames = {
      "I", "P", "R", "NC", "O", "UH", "UO", "NE"};
  return kNames[static_cast<size_t>(category)];
}

std::string_view CategoryName(RateCategory category) {
  static constexpr std::array<std::string_view, kRateCategoryCount> kNames = {
      "complete interview",         "partial interview",
      "refusal and break-off",      "non-contact",
      "other non-interview",        "unknown if unit exists/operates",
      "unknown eligibility, other", "not eligible"};
  return kNames[static_cast<size_t>(category)];
}

std::span<const DispositionCode> FinalDispositions() { return kCodes; }

const DispositionCode* FindDisposition(std::string_view code) {
  code = text::Trim(code);
  for (const DispositionCode& row : kCodes) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

std::optional<std::string_view> SuggestDisposition(std::string_view code) {
  code = text::Trim(code);
  if (code.empty() || FindDisposition(code) != nullptr) return std::nullopt;
  // Spreadsheets that read "2.20" as a number write it back as "2.2".
  std::string padded(code);
  for (int extra = 0; extra < 2; ++extra) {
    padded += '0';
    if (const DispositionCode* row = FindDisposition(padded)) return row->code;
  }
  return std::nullopt;
}

std::span<const OutcomeInfo> ContactOutcomes() { return kOutcomes; }

const OutcomeInfo& Describe(ContactOutcome outcome) {
  return kOutcomes[static_cast<size_t>(outcome)];
}

std::optional<ContactOutcome> FindOutcome(std::string_view name) {
  for (const OutcomeInfo& info : kOutcomes) {
    if (info.name == name) return info.outcome;
  }
  return std::nullopt;
}

}  // namespace ngosurvey::fieldwork
