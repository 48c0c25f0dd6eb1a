// Conditions of a form in words, for people who read a codebook or a table's
// notes rather than XPath: `${has_shelter} = 'yes' and ${staff} > 10` becomes
//   has_shelter is 'yes' ("Yes") and staff is more than 10
// Questions are named by their names (the variables of a codebook); choices get their
// label in the requested language; the connecting words are English (the codebook's
// own text is). A part the describer has no words for keeps
// its XPath text, so the result is never wrong, only sometimes less plain.
#pragma once

#include <string>
#include <string_view>

#include "form/form.h"

namespace ngosurvey::form {

// `expression` (relevance, filter, constraint) in words, with labels in `lang`. A
// text that does not parse is returned as written.
std::string DescribeExpression(const Form& form, std::string_view expression,
                               std::string_view lang = {});

// When the question is asked: its own relevance and every enclosing group's or
// repeat's, outermost first, joined by "and", as "Asked if ..."; "" when it is
// always asked.
std::string DescribeRelevance(const Form& form, const Question& question,
                              std::string_view lang = {});

}  // namespace ngosurvey::form
