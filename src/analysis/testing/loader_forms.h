// The forms whose CSV exports the loader's tests (csv_load_test.cpp) and its fuzz
// target (fuzz/csv_load_fuzzer.cpp) load, each with the header line of an export
// that has every one of its columns. `diags` receives the validator's findings.
// Header only; not part of the library.
#pragma once

#include <string>

#include "form/testing/form_rows.h"

namespace ngosurvey::analysis::testing {

// Every kind of tabulable item, a group with relevance, a question with relevance,
// text, a numeric and a text calculate; "99" is an option of `abc` (and a refused
// code in some tests).
inline Result<form::Form> EveryKindForm(Diagnostics* diags = nullptr) {
  form::testing::Rows choices = {{"list_name", "name", "label"},
                                 {"country", "KH", "Cambodia"},
                                 {"country", "VN", "Viet Nam"},
                                 {"abc", "a", "A"},
                                 {"abc", "b", "B"},
                                 {"abc", "c", "C"},
                                 {"abc", "99", "Refused"}};
  for (int i = 1; i <= 9; ++i) {
    choices.push_back({"many", "o" + std::to_string(i), "Option " + std::to_string(i)});
  }
  return form::testing::MakeForm({{"type", "name", "label", "relevant", "calculation"},
                                  {"select_one country", "country", "Country", "", ""},
                                  {"select_one abc", "s1", "S1", "", ""},
                                  {"select_one abc", "s2", "S2", "${s1} = 'a'", ""},
                                  {"begin_group", "g", "G", "${s1} != 'c'", ""},
                                  {"select_multiple many", "m1", "M1", "", ""},
                                  {"integer", "n1", "N1", "${s2} = 'b'", ""},
                                  {"end_group", "", "", "", ""},
                                  {"decimal", "d1", "D1", "", ""},
                                  {"text", "t1", "T1", "", ""},
                                  {"calculate", "c1", "", "", "1 + 1"},
                                  {"calculate", "c2", "", "", "concat('x', 'y')"}},
                                 choices, {}, diags);
}
inline const char* const kEveryKindHeader = "country,s1,s2,g/m1,g/n1,d1,t1,c1,c2";

// The loader's fast paths: one-byte and short codes, codes that differ only by
// leading zeros or a decimal point, long option names, more than 127 choices in a
// select_one, a select_multiple wider than 64 planes, numbers.
inline Result<form::Form> FastPathForm(Diagnostics* diags = nullptr) {
  form::testing::Rows choices = {{"list_name", "name", "label"}};
  for (int i = 1; i <= 200; ++i)
    choices.push_back({"big", std::to_string(i), "B" + std::to_string(i)});
  for (const char* name :
       {"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg", "hhhhhhhh", "iiiiiiiii",
        "a_long_option_name", "01", "1", "-1", "1.0", "99x", "\xC3\xA9"}) {
    choices.push_back({"words", name, name});
  }
  for (int i = 0; i < 500; ++i)
    choices.push_back({"wide", "o" + std::to_string(i), "O" + std::to_string(i)});
  return form::testing::MakeForm({{"type", "name", "label"},
                                  {"select_one big", "big", "Big"},
                                  {"select_one words", "w", "W"},
                                  {"select_multiple words", "mw", "MW"},
                                  {"select_multiple wide", "wide", "Wide"},
                                  {"decimal", "x", "X"},
                                  {"integer", "i", "I"}},
                                 choices, {}, diags);
}
inline const char* const kFastPathHeader = "big,w,mw,wide,x,i,note";  // note: not in the form

// The whole-cell tables and the one-plane select_multiple path: one- and two-byte
// codes (with a two-byte UTF-8 name), exactly 7 one-byte options (one plane), 8
// options (two planes: the general path), names of mixed lengths.
inline Result<form::Form> ShortCodeForm(Diagnostics* diags = nullptr) {
  form::testing::Rows choices = {{"list_name", "name", "label"}};
  for (const char* name :
       {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "\xC3\xA9", "z"}) {
    choices.push_back({"short", name, name});
  }
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g"})
    choices.push_back({"seven", name, name});
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g", "h"})
    choices.push_back({"eight", name, name});
  for (const char* name : {"x", "yy", "zzz"}) choices.push_back({"mixed", name, name});
  return form::testing::MakeForm({{"type", "name", "label"},
                                  {"select_one short", "s", "S"},
                                  {"select_multiple seven", "m7", "M7"},
                                  {"select_multiple eight", "m8", "M8"},
                                  {"select_multiple mixed", "mx", "MX"},
                                  {"decimal", "x", "X"}},
                                 choices, {}, diags);
}
inline const char* const kShortCodeHeader = "s,m7,m8,mx,x";

// Lists of any length (issue 17): select_ones of 252 options (the last one-byte width),
// 253 and 65,532 (16-bit codes) and 65,533 (32-bit codes), and a select_multiple of
// 1,000 options (143 planes), refused and don't-know codes that are also choices.
inline Result<form::Form> WideListsForm(Diagnostics* diags = nullptr) {
  form::testing::Rows choices = {{"list_name", "name", "label"}};
  for (int size : {252, 253, 65532, 65533}) {
    std::string list = "l" + std::to_string(size);
    for (int i = 0; i < size; ++i) choices.push_back({list, "o" + std::to_string(i), "O"});
    choices.push_back({list, "99", "Refused"});
  }
  for (int i = 0; i < 1000; ++i) choices.push_back({"many", "m" + std::to_string(i), "M"});
  return form::testing::MakeForm({{"type", "name", "label", "relevant"},
                                  {"select_one l252", "a", "A", ""},
                                  {"select_one l253", "b", "B", ""},
                                  {"select_one l65532", "c", "C", "${a} != 'o0'"},
                                  {"select_one l65533", "d", "D", ""},
                                  {"select_multiple many", "m", "M", ""}},
                                 choices, {}, diags);
}
inline const char* const kWideListsHeader = "a,b,c,d,m";

}  // namespace ngosurvey::analysis::testing
