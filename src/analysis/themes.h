// Themes as items (issue 18): the codes coders gave to the answers of an open question,
// read as a select_multiple item whose options are the codebook's themes, so that
// tables, specs and the report count "% of NGOs mentioning theme X" by country with
// their intervals and Fisher tests like any other item (docs/formats/table-spec.md,
// "Themes of an open question").
//
// The item of question Q is named "themes(Q)" (no question can have that name: '(' is
// not allowed in XLSForm names). Its options are the codebook's themes in file order,
// then "(no theme)"; a theme with a parent is labelled "Parent: Child". A parent theme
// counts an answer coded with itself or with any theme under it (the hierarchy reads
// "funding is a kind of resources": an NGO mentioning funding mentions resources), so
// a parent's share is at least each child's.
//
// Which codes count, per answer:
//   1. the reconciled codes (`code reconcile`, coder "(reconciled)") when the answer
//      has them;
//   2. else, with a coder named (`--coder NAME`, a row's `coder` key), that coder's;
//   3. else the codes the coders gave when every coder who coded the answer gave the
//      same themes (one coder alone agrees with himself); coders who disagree on an
//      answer that nobody reconciled are error THM001, naming the answer and coders.
// Segments count as their theme: a theme is mentioned whether it codes the whole
// answer or a part of it.
//
// Each row's state: the open question's own when it has no answer (refused, don't
// know, not asked, missing); an answer no coder coded (or not the named coder, with
// no reconciliation) is missing; an answer read and given no code is answered with
// the option "(no theme)" alone. Stateless; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/dataset.h"
#include "analysis/load_data.h"
#include "analysis/table.h"
#include "base/csv.h"
#include "base/error.h"
#include "form/answer.h"
#include "form/codebook.h"
#include "form/form.h"
#include "store/codings.h"
#include "store/codings_csv.h"

namespace ngosurvey::analysis {

// At most this many quotes per theme (a spec row's `quotes`).
inline constexpr int kMaxQuotesPerTheme = 20;

// The option of an answer read and given no code.
inline constexpr std::string_view kNoThemeOption = "(no theme)";

// "themes(Q)".
std::string ThemeItemName(std::string_view question);

// Q for "themes(Q)"; nullopt for any other name.
std::optional<std::string> ThemeItemQuestion(std::string_view item);

// One open question's answers, one per row of a dataset (its top level).
struct OpenAnswers {
  std::string question;
  std::string label;                      // the question's text, for the item's label
  std::vector<std::string> instance_ids;  // per row
  std::vector<form::Answer> answers;      // per row
  std::vector<std::string> org_ids;       // per row, when the data name organisations
};

// The themes that count for each coded answer (rules above), by instance id: the
// codes given (several segments of one theme count once), empty for "no theme".
// Answers without codings that count are absent. Errors: THM001 coders who disagree
// on an answer nobody reconciled.
Result<std::map<std::string, std::vector<std::string>>> CountedThemes(
    const std::vector<store::AnswerCoding>& codings, const std::string& coder);

// The coding whose themes count for each answer (rules above; for coders who agree,
// the first of them by name), by instance id. Errors: THM001 as CountedThemes.
Result<std::map<std::string, const store::AnswerCoding*>> CountedCodings(
    const std::vector<store::AnswerCoding>& codings, const std::string& coder);

struct ThemeItemOptions {
  std::string coder;     // whose codes count (empty: the agreed ones)
  std::string language;  // of the labels (a codebook language; empty: its default)
};

// The theme item of `answers` as a select_multiple column named ThemeItemName.
// Errors: THM001 (CountedThemes), THM002 a code that is not a theme of the codebook
// (coded with another version of it).
Result<Column> BuildThemeColumn(const form::Codebook& codebook, const OpenAnswers& answers,
                                const std::vector<store::AnswerCoding>& codings,
                                const ThemeItemOptions& options);

// Quotes by theme: under each theme of the item (the codebook's themes that apply to
// the question), up to `per_theme` answers that count the theme, each quoted as the
// segments coded with the theme or a theme under it (in the coding that counts, in
// answer order, " … " between them), or whole when such a code covers the whole
// answer. Which answers: a seeded draw, the `per_theme` answers with the smallest
// SplitMix64(seed XOR FNV-1a-64(theme id + "\x1f" + instance id)), in that order, so the
// same codings and seed give the same quotes, and another seed another sample; a theme
// draws independently of the others.
struct ThemeQuote {
  size_t row = 0;  // the answer's row in OpenAnswers
  std::string instance_id;
  std::string text;
};

struct ThemeQuotes {
  std::string theme;     // the theme's id
  std::string label;     // as the item's option label
  size_t mentioned = 0;  // answers that count the theme (what the quotes are drawn from)
  std::vector<ThemeQuote> quotes;
};

struct QuoteOptions {
  int per_theme = 2;
  uint64_t seed = 1;
  std::string coder;     // as ThemeItemOptions
  std::string language;  // of the labels
};

// Errors as BuildThemeColumn.
Result<std::vector<ThemeQuotes>> SelectQuotes(const form::Codebook& codebook,
                                              const OpenAnswers& answers,
                                              const std::vector<store::AnswerCoding>& codings,
                                              const QuoteOptions& options);

// A theme item a spec uses: its question and whose codes count.
struct ThemeItemUse {
  std::string item;  // "themes(Q)"
  std::string question;
  std::string coder;  // empty: the agreed codes
};

// Every theme item of `specs`, each once, with `coder` (when not empty) instead of
// the rows' own. Errors (with the spec line): T002 a question that is not a text
// question of `form` outside repeats; TS003 one item with two coders.
Result<std::vector<ThemeItemUse>> ThemeItemsOf(const form::Form& form,
                                               const std::vector<TableSpec>& specs,
                                               const std::string& coder = "");

// The open answers of `question` in a CSV export read as a table (the rows the loaders
// read, in order): each row's instance id (the column KEY, meta/instanceID,
// instanceID, instance_id or _uuid) and answer, whose state follows load_data.h's
// rules (refused and don't-know codes, relevance for an empty cell). Errors: D004 no
// column for the question or the instance id.
Result<OpenAnswers> OpenAnswersFromTable(const form::Form& form, const std::string& question,
                                         const csv::Table& table, const LoadDataOptions& options,
                                         Diagnostics* diags);

// The inputs of the theme items of one dataset: the codebook, and per question its
// answers (one per row of the dataset) and its codings.
struct ThemeInputs {
  const form::Codebook* codebook = nullptr;
  std::map<std::string, OpenAnswers> answers;                       // by question
  std::map<std::string, std::vector<store::AnswerCoding>> codings;  // by question
  std::string language;
};

// The theme inputs of a CSV export read as a table: the open answers of every question
// `uses` or the codings name, and the codings of a codings CSV (store/codings_csv.h:
// any questions, the coder "(reconciled)" for the agreed codes; codes checked against
// `codebook`, each row against the answers: COD002
// a question that is not a text question outside repeats, COD003 an instance id that is
// not in the data or has no answer to the question).
Result<ThemeInputs> ThemeInputsFromTable(const form::Form& form, const csv::Table& data,
                                         const std::vector<ThemeItemUse>& uses,
                                         const form::Codebook& codebook,
                                         std::string_view codings_csv,
                                         const std::string& codings_file,
                                         const LoadDataOptions& options, Diagnostics* diags);

// Adds the column of each use to `data` (the top level's dataset). Errors as
// BuildThemeColumn; D001 when a question's answers are not one per row of `data`.
Status AddThemeColumns(const std::vector<ThemeItemUse>& uses, const ThemeInputs& inputs,
                       Dataset* data);

}  // namespace ngosurvey::analysis
