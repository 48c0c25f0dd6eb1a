// The value of one answer and its state: the vocabulary that the interview engine
// produces, the store keeps, and analysis and exports read. Part of form/ because
// it is the form's own notion of an answer; it knows nothing of storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::form {

// The state of one question in one interview. Missing is not refused is not
// "don't know", and none of them is skipped:
//
//   answered   The respondent gave an answer; `value` holds it (never empty).
//   refused    The respondent declined to answer. `value` is empty. Exports map
//              it to Stata .a / an SPSS user-missing code, never to a number.
//   dont_know  The respondent said they do not know. `value` is empty. Stata .b.
//   not_asked  Skipped by relevance: the question did not apply. Not a missing
//              answer: it is excluded from the base of percentages. When an answer
//              that was given becomes irrelevant (an earlier answer changed), the
//              old text is kept aside in `value` so that it comes back if the
//              question becomes relevant again, but while the state is not_asked it
//              is never exported or tabulated.
//   missing    The question applied but has no answer (the interview stopped, or
//              the question was optional and left empty). `value` is empty. It
//              counts against item nonresponse.
//
// Values are text in XForms canonical form: select_one holds the choice name,
// select_multiple the choice names separated by single spaces, integers and
// decimals their decimal text ("12", "-3.5"), dates ISO "YYYY-MM-DD", times
// "HH:MM:SS(.sss)(+hh:mm)", dateTimes ISO 8601, geopoints "lat lon alt acc".
enum class AnswerState { kAnswered, kRefused, kDontKnow, kNotAsked, kMissing };

// Every state, in the order above (for tables and tests).
inline constexpr AnswerState kAllAnswerStates[] = {AnswerState::kAnswered, AnswerState::kRefused,
                                                   AnswerState::kDontKnow, AnswerState::kNotAsked,
                                                   AnswerState::kMissing};

// The name used in JSON, CSV and the store: "answered", "refused", "dont_know",
// "not_asked", "missing".
std::string_view AnswerStateName(AnswerState state);

// The inverse of AnswerStateName; exact, case-sensitive. Error "A001" names the
// text and lists the valid names.
Result<AnswerState> ParseAnswerState(std::string_view name);

// One answer: its state and, for `answered` (and a kept-aside `not_asked`), its
// value in canonical text form. Plain value type; copying is cheap enough.
struct Answer {
  std::string value;
  AnswerState state = AnswerState::kMissing;

  static Answer Answered(std::string value) { return {std::move(value), AnswerState::kAnswered}; }
  static Answer Refused() { return {"", AnswerState::kRefused}; }
  static Answer DontKnow() { return {"", AnswerState::kDontKnow}; }
  static Answer Missing() { return {"", AnswerState::kMissing}; }
  // `kept` is the answer given before the question became irrelevant, if any.
  static Answer NotAsked(std::string kept = "") {
    return {std::move(kept), AnswerState::kNotAsked};
  }

  // True when the value may be exported or tabulated: only answered values are.
  bool HasReportableValue() const { return state == AnswerState::kAnswered; }

  friend bool operator==(const Answer&, const Answer&) = default;
};

// Checks the pairing of state and value described above: answered needs a
// non-empty value; refused, dont_know and missing need an empty one; not_asked
// may keep one. Error "A002".
Status CheckAnswer(const Answer& answer);

// --- Answer paths ---------------------------------------------------------------
// Answers are keyed by a path from the form's root, without the root element:
// "age" for a top-level question, "household/age" inside a (non-repeating) group,
// and "programs[2]/name" for the question `name` in the second instance of the
// repeat `programs`. Repeat indexes count from 1, as XPath does; a nested repeat
// has one index per level: "programs[2]/staff[1]/role". The XForms instance path is
// "/data/" + path. Names follow XLSForm: a letter or '_' first, then letters,
// digits, '_', '-' or '.'.

struct PathStep {
  std::string name;
  int index = 0;  // 1-based repeat instance, or 0 for a plain group or question.

  friend bool operator==(const PathStep&, const PathStep&) = default;
};

// Splits and checks a path. Error "A003" names the path and the offending step.
Result<std::vector<PathStep>> ParseAnswerPath(std::string_view path);

// The inverse of ParseAnswerPath.
std::string FormatAnswerPath(const std::vector<PathStep>& steps);

// --- Canonical values -----------------------------------------------------------

// "a b c" -> {"a", "b", "c"}; runs of spaces and surrounding spaces are ignored.
std::vector<std::string> SplitSelected(std::string_view value);

// {"a", "b"} -> "a b". Choice names contain no spaces (XLSForm forbids them).
std::string JoinSelected(const std::vector<std::string>& names);

}  // namespace ngosurvey::form
