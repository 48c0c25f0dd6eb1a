// Building a Dataset from the store: the submissions of one form, with the states
// the interview (or an import) recorded, so nothing has to be guessed from codes.
//
// The form is the newest uploaded version of `form_id` (its workbook is in the
// store); submissions of every version are read through it, by answer path
// ("grp/q" for /data/grp/q), so a question a version lacks is missing there.
// Completed submissions of the main wave only, unless asked: pretest interviews are
// kept in the store but never counted in tables by default.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/load_data.h"
#include "analysis/units.h"
#include "base/diagnostic.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::analysis {

struct StoreDataOptions {
  std::string form_id;           // empty: the store's only form (error when several)
  bool include_pretest = false;  // count pretest interviews too
  bool include_drafts = false;   // count unfinished interviews too
  std::string language;          // labels; empty = the form's default
  // Single-choice columns to add from submission metadata when a spec groups by
  // them and the form has no such question: "org", "interviewer", "wave", "status".
  std::vector<std::string> extra_single;
  // Empty: one row per submission (questions outside repeats). Else the name of a
  // repeat: one row per instance of it, with its own questions and those of every
  // level around it (a member's province is its household's; units.h).
  std::string repeat;
  // Questions to load (with their tabulable questions at the levels on the way); empty:
  // every tabulable question (a list of any length: dataset.h's code widths).
  std::vector<std::string> items;
  // Questions of any type (open questions: themes.h) whose answers StoreData::answers
  // gives per row, as stored.
  std::vector<std::string> answers;
};

struct StoreData {
  form::Form form;
  Dataset data;
  size_t pretest_left_out = 0;            // pretest submissions not counted
  size_t drafts_left_out = 0;             // drafts not counted
  Lineage lineage;                        // with `repeat`: where each instance comes from (units.h)
  std::vector<std::string> instance_ids;  // per row: its submission's
  // StoreDataOptions::answers: per question, its answer in each row (missing when none).
  std::map<std::string, std::vector<form::Answer>> answers;
};

// Errors: "D010" no form in the store, or several and none named; ST002 an unknown
// form id; a form whose workbook does not load (its own errors); "D003" an answer
// that is not an option of the current version (with the instance id); "D004" a
// `repeat` that is not a repeat of the form.
Result<StoreData> LoadFromStore(const store::Store& store, const StoreDataOptions& options,
                                Diagnostics* diags);

}  // namespace ngosurvey::analysis
