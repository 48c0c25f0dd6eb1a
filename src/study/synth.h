// Synthetic microdata for a study that published only percentages.
//
// The reference study printed Tables 1-10 but no microdata, so its demo runs on
// synthetic respondents. Synthesize() walks the form question by question, in form
// order, and fills one row per respondent so that:
//   - the instrument's skip logic holds: a question has a value only where its
//     relevance (and its groups') is true over the values already generated;
//   - every value is valid: an option of its list (after its choice_filter), a
//     number that passes its constraint, a select_multiple whose constraint holds;
//   - every published percentage that some whole count of its base can give at its
//     printed precision is given exactly by the table spec that lays the table out
//     (the count nearest the printed value, ties to the smaller, as the audit of
//     published tables computes it); published means likewise (integer questions by
//     their total; a numeric calculate by searching the last integer input it reads);
//   - a cell published as "no response" is a refusal by every NGO of its base.
// What cannot be met (a value no count of the base gives, or a target that the skip
// logic makes impossible, such as more NGOs naming a training type than provide
// training) is reported per cell, never silently approximated.
//
// Deterministic: the same inputs and seed give the same bytes on every platform
// (its own splitmix64 generator; no std::*_distribution, whose results differ
// between standard libraries). Every row says SYNTHETIC in a `data_status` column.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/table.h"
#include "base/csv.h"
#include "base/error.h"
#include "form/codebook.h"
#include "form/form.h"
#include "study/published_audit.h"

namespace ngosurvey::study {

// One respondent to synthesise: an organisation of the sample frame that completed
// the interview, and its group (the value of the specs' `by` column).
struct SynthRespondent {
  std::string org_id;
  std::string group;
};

struct SynthOptions {
  uint64_t seed = 20090601;
  std::string group_column = "country";      // the question the specs group by
  std::string refused_code = "refused";      // written for a refusal (form setting)
  std::string dont_know_code = "dont_know";  // written for don't know (form setting)
  std::string date = "2008-06-02";           // fieldwork date written to start/end/today
  // Questions every respondent answers the same way where relevant (the consent of
  // an NGO that completed the interview is "yes").
  std::map<std::string, std::string> fixed;
};

// What became of one published cell.
struct SynthTarget {
  const CellAudit* cell = nullptr;  // the published cell (in the AuditReport given)
  int64_t base = 0;                 // NGOs in the cell's base in the synthetic data
  int64_t target = 0;               // count (percentages) or total (means) aimed at
  bool reachable = false;           // some count/total of `base` prints the value
  bool met = false;                 // the data hold `target` (reachable or nearest)
  std::string note;                 // why not, for people
};

// A repeat's SYNTHETIC instances, in ngosurvey's export layout (export.h): data_status,
// the repeat's questions, PARENT_KEY (the respondent's instance_id, or the KEY of the
// enclosing repeat's instance for a repeat inside a repeat) and KEY ("PARENT_KEY/NAME[N]");
// written beside the data as DATA-NAME.csv.
struct SynthRepeat {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct SynthResult {
  std::vector<std::string> header;             // data_status, instance_id, then questions
  std::vector<std::vector<std::string>> rows;  // one per respondent, same width
  std::vector<SynthTarget> targets;            // one per published cell, in CSV order
  std::vector<SynthRepeat> repeats;            // each repeat, in the form's order
  uint64_t seed = 0;
  // With a codebook: the SYNTHETIC codings of the open answers (SynthesizeOpenAnswers),
  // as a codings CSV; empty otherwise.
  std::string codings_csv;
};

// Builds the rows. `published` is the audit of the published tables (its cells name
// table, item, option and country; "value" is the yes of a yes/no item); `specs`
// lay those tables out (table id = the CSV's `table`). Errors: "SY001" a table or
// item of the published cells that no spec row shows, "SY002" an expression of the
// form or specs that does not compile, "SY003" no respondents.
Result<SynthResult> Synthesize(const form::Form& form,
                               const std::vector<analysis::TableSpec>& specs,
                               const AuditReport& published,
                               const std::vector<SynthRespondent>& respondents,
                               const SynthOptions& options = {});

// The two SYNTHETIC coders of SynthesizeOpenAnswers.
inline constexpr const char* kSynthCoders[] = {"coder_a", "coder_b"};

// SYNTHETIC open answers and their codings, for a study whose codebook codes open
// questions (form::Codebook::questions). For each question, each row where the
// synthesis gave it an answer (its relevance holds) gets a new answer built from the
// codebook: with probability 1/10 "SYNTHETIC answer: nothing to add." (coded "read,
// no code"), else "SYNTHETIC answer:" then the `example` sentences of 1 to 3 distinct
// themes drawn among the question's themes without sub-themes (those with an
// example). Coder kSynthCoders[0] codes each sentence as a segment of its theme;
// kSynthCoders[1] codes whole answers, missing each theme with probability 0.12 and
// adding a theme the answer does not say with probability 0.08; where they differ, the
// (reconciled) codes are the themes the answer says. Deterministic (splitmix64 seeded
// with seed XOR FNV-1a-64("open answers")); the rest of `data` is left as it is.
// Returns the codings CSV (store/codings_csv.h), ordered by question, instance, coder.
// Errors: SY001 a question of the codebook that the data do not have, or without a
// theme with an example; SY003 no instance_id column.
Result<std::string> SynthesizeOpenAnswers(const form::Codebook& codebook, SynthResult* data,
                                          uint64_t seed);

// The rows as CSV text (header first, RFC 4180 quoting, "\n" line ends).
std::string SynthCsv(const SynthResult& result);

// A repeat's rows as CSV text, as SynthCsv.
std::string SynthRepeatCsv(const SynthRepeat& repeat);

// One line per published cell: table,item_id,option_id,country,published_value,
// base,target,reachable,met,note.
std::string SynthTargetsCsv(const SynthResult& result);

}  // namespace ngosurvey::study
