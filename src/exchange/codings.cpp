// Codings CSV import and export (codings.h; docs/formats/codings-csv.md).
#include "exchange/codings.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/csv.h"
#include "base/text.h"
#include "form/form.h"

namespace ngosurvey::exchange {
namespace {

// Where a question's answer lives in the submissions of each form version, loaded
// once per version.
class QuestionPaths {
 public:
  QuestionPaths(const store::Store& store, std::string question)
      : store_(store), question_(std::move(question)) {}

  // The answer path of the question in this form version; COD002 when it is not
  // a text question outside repeats there.
  Result<std::string> PathIn(const std::string& form_id, const std::string& version) {
    auto key = std::make_pair(form_id, version);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, Lookup(form_id, version)).first;
    return it->second;
  }

  // Loads every stored form version first, so that Cached() needs no store call
  // (a ForEachSubmission visitor must not call the store).
  Status Preload() {
    std::vector<store::FormVersion> forms = NGO_TRY(store_.ListForms());
    for (const store::FormVersion& f : forms) (void)PathIn(f.form_id, f.version);
    return Ok();
  }

  const Result<std::string>* Cached(const std::string& form_id, const std::string& version) const {
    auto it = cache_.find(std::make_pair(form_id, version));
    return it == cache_.end() ? nullptr : &it->second;
  }

 private:
  Result<std::string> Lookup(const std::string& form_id, const std::string& version) const {
    auto stored = store_.GetForm(form_id, version);
    if (!stored) return tl::unexpected(stored.error());
    Diagnostics diags;
    auto form =
        form::LoadForm(stored->xlsx, form_id + " version " + version + " (from the store)", &diags);
    if (!form) return tl::unexpected(form.error());
    const form::Question* q = form->FindQuestion(question_);
    std::string where = "form '" + form_id + "' version " + version;
    if (q == nullptr) return MakeError("COD002", "question '" + question_ + "' is not in " + where);
    if (q->type != form::QuestionType::kText) {
      return MakeError("COD002", "question '" + question_ + "' of " + where + " is a " +
                                     std::string(form::TypeName(q->type)) +
                                     ", not an open (text) question");
    }
    if (form->EnclosingRepeat(*q) >= 0) {
      return MakeError("COD002",
                       "question '" + question_ + "' of " + where +
                           " is inside a repeat; only questions outside repeats can be coded");
    }
    constexpr std::string_view kRoot = "/data/";
    std::string path = q->path;
    if (path.rfind(kRoot, 0) == 0) path = path.substr(kRoot.size());
    return path;
  }

  const store::Store& store_;
  std::string question_;
  std::map<std::pair<std::string, std::string>, Result<std::string>> cache_;
};

tl::unexpected<Error> At(const Error& error, const Location& where) {
  Error out = error;
  out.where = where;
  return tl::unexpected<Error>(std::move(out));
}

}  // namespace

Result<CodingImportResult> ImportCodings(store::Store& store, std::string_view csv_text,
                                         const std::string& file_name,
                                         const CodingImportOptions& options) {
  QuestionPaths paths(store, options.question);
  // Each row's answer from its submission in the store (loaded once per instance).
  auto answer_text = [&](const std::string& instance_id, const std::string&,
                         const Location& instance_cell,
                         const Location& question_cell) -> Result<std::string> {
    auto loaded = store.GetSubmission(instance_id);
    if (!loaded) {
      if (loaded.error().code == "ST002") {
        return MakeError("COD003", "no submission '" + instance_id + "' in the store",
                         instance_cell);
      }
      return At(loaded.error(), instance_cell);
    }
    auto path = paths.PathIn(loaded->form_id, loaded->form_version);
    if (!path) return At(path.error(), question_cell);
    auto answer = loaded->answers.find(*path);
    if (answer == loaded->answers.end() || !answer->second.HasReportableValue()) {
      return MakeError(
          "COD003", "submission '" + instance_id + "' has no answer to '" + options.question + "'",
          instance_cell);
    }
    return answer->second.value;
  };
  store::CodingsCsvOptions parse;
  parse.question = options.question;
  parse.coder = options.coder;
  parse.codebook = options.codebook;
  store::CodingsCsv parsed =
      NGO_TRY(store::ParseCodingsCsv(csv_text, file_name, parse, answer_text));
  NGO_TRY(store.PutCodings(parsed.codings));
  CodingImportResult result;
  result.rows = parsed.rows;
  result.answers = static_cast<int64_t>(parsed.codings.size());
  result.coders = std::move(parsed.coders);
  return result;
}

Result<std::string> ExportCodings(const store::Store& store, const std::string& question,
                                  const std::string& coder) {
  std::vector<store::AnswerCoding> codings = NGO_TRY(store.ListCodings(question, coder));
  if (coder.empty()) {
    std::erase_if(codings,
                  [](const store::AnswerCoding& c) { return c.coder == store::kReconciledCoder; });
  }
  return store::CodingsToCsv(codings);
}

Result<std::vector<OpenAnswer>> ListOpenAnswers(const store::Store& store,
                                                const std::string& question) {
  store::SubmissionFilter filter;
  filter.status = store::SubmissionStatus::kComplete;
  filter.include_pretest = false;
  QuestionPaths paths(store, question);
  NGO_TRY(paths.Preload());
  std::vector<OpenAnswer> out;
  bool found = false;
  Error last_error;
  NGO_TRY(store.ForEachSubmission(
      filter,
      [&](const store::Submission& s, const std::vector<store::AnswerView>& answers) -> Status {
        const Result<std::string>* path = paths.Cached(s.form_id, s.form_version);
        if (path == nullptr)
          return MakeError("COD002",
                           "form '" + s.form_id + "' version " + s.form_version + " is not stored");
        if (!*path) {
          last_error = path->error();
          return Ok();  // another form of the store: not this question's
        }
        found = true;
        OpenAnswer open;
        for (const store::AnswerView& a : answers) {
          if (a.state != form::AnswerState::kAnswered) continue;
          if (a.path == **path) open.text = std::string(a.value);
          if (a.path == **path + "_en") open.translation = std::string(a.value);
        }
        if (open.text.empty()) return Ok();
        open.instance_id = s.instance_id;
        open.org_id = s.org_id;
        out.push_back(std::move(open));
        return Ok();
      }));
  if (!found) {
    if (!last_error.code.empty()) return tl::unexpected(last_error);
    return MakeError("COD002", "no completed submission has a question '" + question + "'");
  }
  std::sort(out.begin(), out.end(),
            [](const OpenAnswer& a, const OpenAnswer& b) { return a.instance_id < b.instance_id; });
  return out;
}

}  // namespace ngosurvey::exchange
