#include "analysis/load_data.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "base/text.h"
#include "form/columns.h"
#include "form/expr/expr.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;
using form::Question;
using form::QuestionType;

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

using form::FindColumn;  // the header matching shared with imports (form/columns.h)

// Relevance over one CSV row: names are questions, values the row's raw text.
class CsvRowContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  CsvRowContext(const form::Form& form, const csv::Table& table) : form_(form), table_(table) {
    columns_.resize(form.questions.size());
    for (const Question& q : form.questions) columns_[q.index] = FindColumn(table, q);
  }
  void SetRow(size_t row) { row_ = row; }

  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override {
    return ResolveQuestion(form_, name);
  }
  size_t ValueCount(int) const override { return 1; }
  std::string_view ValueAt(int slot, size_t) const override {
    const auto& column = columns_[slot];
    if (!column) return {};
    return table_.rows[row_][*column];
  }
  void RandomBytes(uint8_t* out, size_t n) const override { std::fill(out, out + n, 0x5A); }

 private:
  const form::Form& form_;
  const csv::Table& table_;
  std::vector<std::optional<size_t>> columns_;
  size_t row_ = 0;
};

// A calculate is tabulated as a number only when every value it took is one (a
// calculate that builds a text, such as an instance name, is not an item).
bool NumericColumn(const csv::Table& table, size_t column, const LoadDataOptions& options) {
  for (const auto& row : table.rows) {
    std::string_view raw = row[column];
    if (raw.empty() || Contains(options.refused_codes, raw) ||
        Contains(options.dont_know_codes, raw)) {
      continue;
    }
    char* end = nullptr;
    std::string copy(raw);
    std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || StartsWithSpace(raw)) return false;
  }
  return true;
}

}  // namespace

std::optional<form::expr::Symbol> ResolveQuestion(const form::Form& form, std::string_view name) {
  const Question* q = form.FindQuestion(name);
  if (!q) return std::nullopt;
  using form::expr::TypeHint;
  TypeHint hint = q->type == QuestionType::kSelectMultiple ? TypeHint::kSelectMultiple
                  : (q->type == QuestionType::kInteger || q->type == QuestionType::kDecimal)
                      ? TypeHint::kNumber
                      : TypeHint::kString;
  return form::expr::Symbol{q->index, hint};
}

std::vector<form::expr::BoundExpr> BindRelevanceChain(const form::Form& form,
                                                      const Question& question,
                                                      const form::expr::NameResolver& resolver,
                                                      Diagnostics* diags) {
  std::vector<form::expr::BoundExpr> chain;
  for (const Question* q : form.RelevanceChain(question)) {
    auto bound = form::expr::Compile(q->relevant, resolver);
    if (!bound) {
      Error error = bound.error();
      Location cell = form.SurveyCell(q->row, "relevant");
      error.where.file = cell.file, error.where.sheet = cell.sheet;
      error.where.row = cell.row, error.where.column = cell.column;
      diags->AddWarning("D006",
                        "relevance of '" + q->name + "' cannot be evaluated on the data (" +
                            error.message + "); its empty cells count as missing",
                        error.where);
      continue;
    }
    chain.push_back(*bound);
  }
  return chain;
}

bool IsTabulable(QuestionType type) {
  return type == QuestionType::kSelectOne || type == QuestionType::kSelectMultiple ||
         type == QuestionType::kInteger || type == QuestionType::kDecimal ||
         type == QuestionType::kRange || type == QuestionType::kCalculate;
}

ColumnKind ColumnKindOf(QuestionType type) {
  return type == QuestionType::kSelectOne        ? ColumnKind::kSingle
         : type == QuestionType::kSelectMultiple ? ColumnKind::kMulti
                                                 : ColumnKind::kNumber;
}

bool LoadedAsIdentifier(const LoadDataOptions& options, const form::Question& q) {
  return IsTabulable(q.type) && ColumnKindOf(q.type) == ColumnKind::kNumber &&
         q.type != QuestionType::kCalculate && Contains(options.identifiers, q.name);
}

Error TooManyGroupValues(const std::string& name, size_t values, const std::string& file,
                         size_t field) {
  return Error{"D002",
               "'" + name + "' is not a question of the form and has " + std::to_string(values) +
                   " distinct values; a column added to the form's is loaded only to group by, "
                   "and at most " +
                   std::to_string(kMaxSingleOptions) + " values fit",
               Location{.file = file, .row = 1, .column = static_cast<int>(field) + 1}};
}

void ChoiceOptions(const form::Form& form, const Question& q, const LoadDataOptions& options,
                   std::vector<std::string>* names, std::vector<std::string>* labels) {
  if (ColumnKindOf(q.type) == ColumnKind::kNumber) return;
  if (const form::ChoiceList* list = form.FindChoiceList(q.list_name)) {
    for (const form::Choice& choice : list->choices) {
      if (Contains(options.refused_codes, choice.name) ||
          Contains(options.dont_know_codes, choice.name))
        continue;
      names->push_back(choice.name);
      labels->push_back(form.Text(choice.label, options.language));
    }
  }
  if (q.or_other) {
    names->push_back("other");
    labels->push_back("Other");
  }
}

void AddGroupingColumns(const form::Form& form, const csv::Table& table,
                        const std::vector<TableSpec>& specs, LoadDataOptions* options) {
  for (const TableSpec& spec : specs) {
    for (const std::string& by : spec.by) {
      bool defined = form.FindQuestion(by) != nullptr && table.ColumnIndex(by).has_value() &&
                     (options->items.empty() || Contains(options->items, by));
      if (!defined && !Contains(options->extra_single, by)) options->extra_single.push_back(by);
    }
  }
}

namespace {

// The option columns of a select_multiple without a column of its own:
// (choice name, column), or nothing.
std::vector<std::pair<std::string, size_t>> OnlyOptionColumns(const form::Form& form,
                                                              const Question& q,
                                                              const csv::Table& header) {
  std::vector<std::pair<std::string, size_t>> out;
  if (q.type != QuestionType::kSelectMultiple || FindColumn(header, q)) return out;
  std::vector<std::string> choices;
  if (const form::ChoiceList* list = form.FindChoiceList(q.list_name)) {
    for (const form::Choice& c : list->choices) choices.push_back(c.name);
  }
  if (q.or_other) choices.push_back("other");
  for (const std::string& choice : choices) {
    for (const std::string& name : form::ColumnNames(q)) {
      std::optional<size_t> column = header.ColumnIndex(name + "/" + choice);
      if (!column) column = header.ColumnIndex(name + "-" + choice);
      if (column) {
        out.emplace_back(choice, *column);
        break;
      }
    }
  }
  return out;
}

}  // namespace

bool HasOptionColumnsOnly(const form::Form& form, const csv::Table& header) {
  for (const Question& q : form.questions) {
    if (!OnlyOptionColumns(form, q, header).empty()) return true;
  }
  return false;
}

Status AddListColumnsFromOptions(const form::Form& form, const LoadDataOptions& options,
                                 csv::Table* table) {
  auto is_one = [](std::string_view v) { return v == "1" || v == "True" || v == "true"; };
  auto is_zero = [](std::string_view v) { return v == "0" || v == "False" || v == "false"; };
  for (const Question& q : form.questions) {
    auto columns = OnlyOptionColumns(form, q, *table);
    if (columns.empty()) continue;
    for (size_t row = 0; row < table->rows.size(); ++row) {
      std::string value, code;
      for (const auto& [choice, column] : columns) {
        std::string_view cell = text::Trim(table->rows[row][column]);
        if (cell.empty() || is_zero(cell)) continue;
        if (Contains(options.refused_codes, cell) || Contains(options.dont_know_codes, cell)) {
          code = std::string(cell);
        } else if (is_one(cell)) {
          value += (value.empty() ? "" : " ") + choice;
        } else {
          return MakeError("D003",
                           "'" + std::string(cell) + "' is not 0 or 1 (option '" + choice +
                               "' of question '" + q.name + "')",
                           table->Where(row, column));
        }
      }
      table->rows[row].push_back(code.empty() ? std::move(value) : std::move(code));
    }
    table->header.push_back(form::RelativePath(q));
  }
  return Ok();
}

Result<std::vector<form::Answer>> AnswersFromTable(const form::Form& form, const Question& q,
                                                   const csv::Table& table,
                                                   const LoadDataOptions& options,
                                                   Diagnostics* diags) {
  auto column = FindColumn(table, q);
  if (!column) {
    return MakeError("D004", "'" + q.name + "' has no column in the data",
                     Location{.file = table.file, .row = 1});
  }
  CsvRowContext context(form, table);
  form::expr::Evaluator evaluator;
  std::vector<form::expr::BoundExpr> relevance = BindRelevanceChain(form, q, context, diags);
  std::vector<Answer> answers;
  answers.reserve(table.rows.size());
  for (size_t row = 0; row < table.rows.size(); ++row) {
    std::string_view raw = text::Trim(table.rows[row][*column]);
    Answer answer;
    if (raw.empty()) {
      answer = Answer::Missing();
      context.SetRow(row);
      for (const auto& condition : relevance) {
        auto relevant = evaluator.EvaluateBoolean(condition, context);
        if (relevant && !*relevant) {
          answer = Answer::NotAsked();
          break;
        }
      }
    } else if (Contains(options.refused_codes, raw)) {
      answer = Answer::Refused();
    } else if (Contains(options.dont_know_codes, raw)) {
      answer = Answer::DontKnow();
    } else {
      answer = Answer::Answered(table.rows[row][*column]);  // as written: offsets count on it
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

Result<Dataset> LoadCsvWithForm(const form::Form& form, const csv::Table& table,
                                const LoadDataOptions& options, Diagnostics* diags) {
  if (HasOptionColumnsOnly(form, table)) {
    csv::Table joined = table;
    NGO_TRY(AddListColumnsFromOptions(form, options, &joined));
    return LoadCsvWithForm(form, joined, options, diags);
  }
  Dataset data(table.rows.size());
  CsvRowContext context(form, table);
  form::expr::Evaluator evaluator;
  auto is_refused = [&](std::string_view v) { return Contains(options.refused_codes, v); };
  auto is_dont_know = [&](std::string_view v) { return Contains(options.dont_know_codes, v); };

  std::vector<const Question*> questions;
  if (options.items.empty()) {
    for (const Question& q : form.questions) {
      if (!IsTabulable(q.type)) continue;
      auto column = FindColumn(table, q);
      if (!column) continue;
      if (q.type == QuestionType::kCalculate && !NumericColumn(table, *column, options)) continue;
      questions.push_back(&q);
    }
  } else {
    for (const std::string& name : options.items) {
      const Question* q = form.FindQuestion(name);
      if (!q) {
        return MakeError("D004", "'" + name + "' is not a question of the form",
                         Location{.file = form.file});
      }
      if (!IsTabulable(q->type)) {
        return MakeError("D005",
                         "'" + name + "' is a " + std::string(form::TypeName(q->type)) +
                             "; only select, numeric and numeric calculate questions are tabulated",
                         form.SurveyCell(q->row, "type"));
      }
      if (!FindColumn(table, *q)) {
        return MakeError("D004", "'" + name + "' has no column in the data",
                         Location{.file = table.file, .row = 1});
      }
      questions.push_back(q);
    }
  }

  for (const Question* q : questions) {
    size_t column_index = *FindColumn(table, *q);
    ColumnKind kind = ColumnKindOf(q->type);
    std::vector<std::string> options_list, option_labels;
    ChoiceOptions(form, *q, options, &options_list, &option_labels);
    ColumnBuilder builder(q->name, kind, options_list);
    std::vector<form::expr::BoundExpr> relevance = BindRelevanceChain(form, *q, context, diags);
    for (size_t row = 0; row < table.rows.size(); ++row) {
      // As written, as `import` stores it: " 12" is not a number, "yes " not a choice.
      std::string_view raw = table.rows[row][column_index];
      Answer answer;
      if (raw.empty()) {
        answer = Answer::Missing();
        context.SetRow(row);
        for (const auto& condition : relevance) {
          auto relevant = evaluator.EvaluateBoolean(condition, context);
          if (relevant && !*relevant) {
            answer = Answer::NotAsked();
            break;
          }
        }
      } else if (is_refused(raw)) {
        answer = Answer::Refused();
      } else if (is_dont_know(raw)) {
        answer = Answer::DontKnow();
      } else {
        answer = Answer::Answered(std::string(raw));
      }
      Status appended = builder.Append(answer);
      if (!appended) {
        Error error = appended.error();
        error.where = table.Where(row, column_index);
        error.message =
            "'" + std::string(raw) + "' is not " +
            (kind == ColumnKind::kNumber ? "a number" : "an option of " + q->list_name) +
            " (question '" + q->name + "')";
        return tl::unexpected(error);
      }
    }
    Column column = std::move(builder).Finish();
    column.label = form.Text(q->label, options.language);
    column.option_labels = std::move(option_labels);
    column.relevant = q->relevant;
    if (LoadedAsIdentifier(options, *q)) column = NumbersAsCodes(column);
    NGO_TRY(data.AddColumn(std::move(column)));
  }

  for (const std::string& name : options.extra_single) {
    if (data.Find(name) >= 0) continue;
    auto column_index = table.ColumnIndex(name);
    if (!column_index) {
      return MakeError("D004", "'" + name + "' has no column in the data",
                       Location{.file = table.file, .row = 1});
    }
    std::set<std::string> values;
    for (const auto& row : table.rows) {
      std::string_view v = row[*column_index];  // as written: "Phnom Penh " is its own group
      if (!v.empty() && !is_refused(v) && !is_dont_know(v)) values.emplace(v);
    }
    if (values.size() > static_cast<size_t>(kMaxSingleOptions)) {
      return tl::unexpected(TooManyGroupValues(name, values.size(), table.file, *column_index));
    }
    ColumnBuilder builder(name, ColumnKind::kSingle, {values.begin(), values.end()});
    for (const auto& row : table.rows) {
      std::string_view v = row[*column_index];
      Answer answer = v.empty()         ? Answer::Missing()
                      : is_refused(v)   ? Answer::Refused()
                      : is_dont_know(v) ? Answer::DontKnow()
                                        : Answer::Answered(std::string(v));
      NGO_TRY(builder.Append(answer));
    }
    Column column = std::move(builder).Finish();
    column.label = name;
    NGO_TRY(data.AddColumn(std::move(column)));
  }
  return data;
}

}  // namespace ngosurvey::analysis
