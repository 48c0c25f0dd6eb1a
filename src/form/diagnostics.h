// The catalogue of every diagnostic the XLSForm reader and validator emit: a stable
// code, its severity, a one-line meaning and the fix. Codes never change meaning;
// tests and users rely on them. docs/diagnostics.md is generated from this table
// (`ngosurvey form diagnostics`), and a test keeps the two equal.
//
//   X001-X019  the workbook file itself (.xlsx zip and XML,     errors
//              .xls compound file and records, limits)
//   E001-E039  form structure (sheets, types, names, choices)   errors
//   E040-E059  expressions (from form/expr; see expr/errors.h)   errors
//   E060-E079  ODK entities (the entities sheet, save_to)         errors
//   W101-W199  things that work but are probably mistakes       warnings
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/diagnostic.h"

namespace ngosurvey::form {

struct DiagnosticInfo {
  std::string_view code;
  Severity severity;
  std::string_view meaning;  // one line
  std::string_view fix;      // what the form author should do
};

// Every entry, in code order.
std::span<const DiagnosticInfo> DiagnosticCatalogue();
// The entry for `code`, or nullptr.
const DiagnosticInfo* FindDiagnostic(std::string_view code);
// docs/diagnostics.md: a Markdown table of the catalogue.
std::string DiagnosticsMarkdown();

// Codes, named for the code that emits them.
namespace code {
inline constexpr const char kNotZip[] = "X001";
inline constexpr const char kMissingPart[] = "X002";
inline constexpr const char kBadXml[] = "X003";
inline constexpr const char kPartTooBig[] = "X004";
inline constexpr const char kCellTooLong[] = "X005";
inline constexpr const char kBadCellRef[] = "X006";
inline constexpr const char kBadXls[] = "X007";
inline constexpr const char kEncryptedXls[] = "X008";
inline constexpr const char kOldXls[] = "X009";
inline constexpr const char kXlsTooBig[] = "X010";

inline constexpr const char kNoSurveySheet[] = "E001";
inline constexpr const char kNoTypeColumn[] = "E002";
inline constexpr const char kUnknownType[] = "E003";
inline constexpr const char kMissingName[] = "E004";
inline constexpr const char kBadName[] = "E005";
inline constexpr const char kDuplicateName[] = "E006";
inline constexpr const char kUnmatchedEnd[] = "E007";
inline constexpr const char kUnclosedBegin[] = "E008";
inline constexpr const char kMismatchedEnd[] = "E009";
inline constexpr const char kMissingListName[] = "E010";
inline constexpr const char kUnknownList[] = "E011";
inline constexpr const char kUnknownReference[] = "E012";
inline constexpr const char kAmbiguousReference[] = "E013";
inline constexpr const char kDuplicateChoice[] = "E014";
inline constexpr const char kChoiceWithoutName[] = "E015";
inline constexpr const char kEmptyChoiceList[] = "E016";
// E017 (a choice row without a list name) is warning W113 now: pyxform skips the row.
inline constexpr const char kMissingLabel[] = "E018";
inline constexpr const char kCircularCalculation[] = "E019";
// E020 (a choice_filter column the choices sheet lacks) is no longer an error:
// pyxform and ODK accept it (an empty value for every choice); see W110.
inline constexpr const char kNoChoicesSheet[] = "E021";
inline constexpr const char kNoChoiceNameColumn[] = "E022";
inline constexpr const char kOrOtherNotSelect[] = "E023";
inline constexpr const char kCalculateWithoutCalculation[] = "E024";
// E025 (repeat_count on a row that is not a repeat) is warning W112 now: pyxform
// ignores the cell.
inline constexpr const char kOrOtherWithFilter[] = "E026";
inline constexpr const char kSpaceInMultipleChoice[] = "E027";
inline constexpr const char kAuditName[] = "E028";
inline constexpr const char kReservedName[] = "E029";
inline constexpr const char kDuplicateRepeatName[] = "E030";
inline constexpr const char kUnknownExternalList[] = "E031";
inline constexpr const char kBadFileName[] = "E032";
inline constexpr const char kDuplicateHeader[] = "E033";
inline constexpr const char kBadParameters[] = "E034";
inline constexpr const char kParameterNotAccepted[] = "E035";
inline constexpr const char kDuplicateInstanceId[] = "E036";
inline constexpr const char kLanguageWithSeparator[] = "E037";

inline constexpr const char kEntitiesColumn[] = "E060";
inline constexpr const char kEntityListName[] = "E061";
inline constexpr const char kDuplicateEntityList[] = "E062";
inline constexpr const char kEntityWithoutLabel[] = "E063";
inline constexpr const char kEntityUpdateWithoutId[] = "E064";
inline constexpr const char kEntityUpsertWithoutUpdateIf[] = "E065";
inline constexpr const char kSaveToWithoutEntities[] = "E066";
inline constexpr const char kSaveToOnContainer[] = "E067";
inline constexpr const char kBadSaveTo[] = "E068";
inline constexpr const char kDuplicateSaveTo[] = "E069";
inline constexpr const char kSaveToUnknownList[] = "E070";
inline constexpr const char kSaveToWithoutList[] = "E071";
inline constexpr const char kEntityScopeConflict[] = "E072";
inline constexpr const char kEntityWithoutContainer[] = "E073";
inline constexpr const char kEntityUpdateWithoutList[] = "E074";
inline constexpr const char kUnknownOsmList[] = "E075";

inline constexpr const char kNearMissSheet[] = "W101";
inline constexpr const char kMissingTranslation[] = "W102";
inline constexpr const char kNotInterviewReady[] = "W103";
inline constexpr const char kNearMissColumn[] = "W104";
inline constexpr const char kDuplicateColumn[] = "W105";
inline constexpr const char kEmptyGroup[] = "W106";
inline constexpr const char kUnusedChoiceList[] = "W107";
inline constexpr const char kNameNotIdentifier[] = "W108";
inline constexpr const char kRowWithoutType[] = "W109";
inline constexpr const char kFilterColumnMissing[] = "W110";
inline constexpr const char kPathToNothing[] = "W111";
inline constexpr const char kRepeatCountIgnored[] = "W112";
inline constexpr const char kChoiceWithoutList[] = "W113";
inline constexpr const char kRowsAfterEmptyRun[] = "W114";
}  // namespace code

}  // namespace ngosurvey::form
