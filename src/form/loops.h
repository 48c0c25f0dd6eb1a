// form: pyxform's "begin loop over LIST" (a legacy XLSForm control, still in real forms
// and in Ona's exports) expanded in the model at load, as pyxform's builder expands it
// (builder.py, _create_loop_from_dict), so that every stage after the reader (the
// interview, imports and exports, the store, the XForm writer) sees groups:
//
//   the loop's row        a group named and labelled as the row; it keeps the list's
//                         name in Question::list_name (the only group with one: that is
//                         how IsLoopGroup, `form show` and the XForm writer tell it)
//   each choice of LIST   a group named after the choice and labelled with its label
//   (but "none"; with     (pyxform adds "other" to a list that an or_other select uses,
//   "other" as below)     for the loop too), holding a copy of the loop's rows, whose
//                         direct children have %(name)s and %(label)s replaced in their
//                         cells by the choice's name and label (in the cell's language);
//                         deeper rows are copied as written, as pyxform does
//
// Rows of the loop without a name, and xml-external / csv-external rows, are not
// copied (pyxform's loop drops them). The loop's own checks ran before, on the rows as
// written: a fault is reported once, at its sheet row, and every copy keeps that row.
// An Ona export's `loop/choice/question` columns are then plain group paths.
#pragma once

#include <string>
#include <string_view>

#include "form/form.h"

namespace ngosurvey::form {

// Whether `question` is the group a "begin loop over LIST" became.
bool IsLoopGroup(const Question& question);

// Expands every loop of `form` (nested ones too) as above; renumbers the questions and
// rebuilds their paths, children, Form::name_index and the entities' containers.
void ExpandLoops(Form* form);

// Python's "%" formatting of pyxform's loops: %(name)s and %(label)s replaced, "%%"
// is "%"; anything else is kept as written (where pyxform would stop).
std::string LoopSubstitute(std::string_view text, std::string_view name, std::string_view label);

}  // namespace ngosurvey::form
