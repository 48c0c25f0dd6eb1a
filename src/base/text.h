// UTF-8 helpers. Strings in ngosurvey are UTF-8 throughout (labels in Khmer and
// Vietnamese included); these functions never assume one byte is one character.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ngosurvey::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Decodes one code point at s[*pos], advancing *pos. Malformed bytes decode as
// U+FFFD and advance by one byte, so a loop over any input terminates.
char32_t DecodeOne(std::string_view s, size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// Number of code points.
size_t CodePointCount(std::string_view s);

// Terminal columns `s` occupies: combining marks (Khmer and Vietnamese use many)
// take none, East Asian wide characters take two, everything else one.
size_t DisplayWidth(std::string_view s);

// Replaces tabs and line breaks with spaces (for one-line error displays).
std::string OneLine(std::string_view s);

// ASCII-only case folding and trimming: XLSForm column and sheet names are ASCII.
std::string AsciiLower(std::string_view s);
std::string_view Trim(std::string_view s);

// Splits on a single character; keeps empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Levenshtein distance, for "did you mean" suggestions. Cost O(a*b): callers pass
// short identifiers.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace ngosurvey::text
