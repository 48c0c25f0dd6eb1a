// Values in XForms canonical text, as imports check them and exports convert them.
// Private to exchange/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "form/form.h"

namespace ngosurvey::exchange {

struct ValueProblem {
  std::string code;  // IMP012, IMP013, IMP014, IMP020
  std::string message;
};

// Checks an answered cell's text against its question: numbers for integer,
// decimal and range, a choice of the list for selects (refused / don't know codes
// alone, never with other options), ISO dates, times and date-times. Text, notes,
// calculations and other types accept anything.
std::optional<ValueProblem> CheckValue(const form::Form& form, const form::Question& question,
                                       std::string_view raw,
                                       const std::vector<std::string>& refused,
                                       const std::vector<std::string>& dont_know);

// Dates alone: date::ParseIsoDate (base/date.h).
// "2024-03-15T10:22:31.123+07:00" (or "Z", or no zone = UTC; a space for the T;
// a bare date = midnight) -> milliseconds since 1970-01-01T00:00Z
// (date::ParseIsoDateTime without the offset written).
std::optional<int64_t> ParseDateTimeMillis(std::string_view text);
// "10:22:31.123+07:00" or "10:22" -> milliseconds since midnight (zone ignored).
std::optional<int64_t> ParseTimeMillis(std::string_view text);
// A finite decimal number, the whole text.
std::optional<double> ParseNumber(std::string_view text);
// An integer, the whole text ("-12").
bool IsInteger(std::string_view text);

}  // namespace ngosurvey::exchange
