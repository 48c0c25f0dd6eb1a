// The CSV columns of a question in survey data exports: the names under which
// ngosurvey's own export, ODK Central and KoboToolbox write a question's answer.
// Shared by analysis (tables from a CSV export) and exchange (imports), so that both
// read a header the same way.
//
//   the name             "age"
//   the group path       "household/age" (ODK Central, Kobo, ngosurvey)
//   with the root        "data/household/age"
//   hyphenated           "household-age" (ODK Briefcase and older Central exports)
//
// A select_multiple question may also have one 0/1 column per option, named with
// the same prefixes and "/option" (or "-option"): "services/shelter".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/csv.h"
#include "form/form.h"

namespace ngosurvey::form {

// The question's path without the root element: "household/age" for
// "/data/household/age".
std::string RelativePath(const Question& question);

// The names a column of `question` may have, most specific first: the group path
// with '/', with the root, with '-', then the bare name.
std::vector<std::string> ColumnNames(const Question& question);

// The column of `question` in `table`: the first name of ColumnNames(question)
// that is a header cell (the bare name first, as analysis has always read it).
std::optional<size_t> FindColumn(const csv::Table& table, const Question& question);

}  // namespace ngosurvey::form
