// Codings CSV import and export (codings.h; docs/formats/codings-csv.md).
#include "exchange/codings.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "base/csv.h"
#include "base/text.h"
#include "form/form.h"

namespace ngosurvey::exchange {
namespace {

constexpr const char* kColumns[] = {"instance_id", "question", "coder", "code", "start", "end"};

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

std::optional<int64_t> ParseOffset(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

tl::unexpected<Error> At(const Error& error, const Location& where) {
  Error out = error;
  out.where = where;
  return tl::unexpected<Error>(std::move(out));
}

}  // namespace

Result<CodingImportResult> ImportCodings(store::Store& store, std::string_view csv_text,
                                         const std::string& file_name,
                                         const CodingImportOptions& options) {
  if (options.codebook == nullptr)
    return MakeError("COD004", "no codebook to check the codes against");
  csv::Table table = NGO_TRY(csv::ParseTable(csv_text, file_name));
  std::vector<std::string> expected(std::begin(kColumns), std::end(kColumns));
  if (table.header != expected) {
    Location where;
    where.file = file_name;
    where.row = 1;
    return MakeError("COD001", "the header must be exactly '" + std::string(kCodingsHeader) + "'",
                     where);
  }
  QuestionPaths paths(store, options.question);
  std::map<std::string, store::Submission> submissions;  // by instance id, loaded once
  std::map<std::pair<std::string, std::string>, store::AnswerCoding> codings;  // (instance, coder)
  std::map<std::pair<std::string, std::string>, int> first_line;
  CodingImportResult result;
  std::set<std::string> coders;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string& instance_id = row[0];
    const std::string& question = row[1];
    const std::string& coder = row[2];
    const std::string& code = row[3];
    if (question != options.question) {
      return MakeError("COD002",
                       "question '" + question + "': this import codes '" + options.question + "'",
                       table.Where(r, 1));
    }
    if (coder.empty()) return MakeError("COD006", "no coder", table.Where(r, 2));
    if (coder == store::kReconciledCoder) {
      return MakeError("COD006",
                       "codes of '(reconciled)' are set with 'code reconcile', not imported",
                       table.Where(r, 2));
    }
    if (!options.coder.empty() && coder != options.coder) {
      return MakeError("COD006",
                       "coder '" + coder + "': this import is for '" + options.coder + "'",
                       table.Where(r, 2));
    }
    if (!code.empty() && options.codebook->Find(code) == nullptr) {
      return MakeError(
          "COD004",
          "code '" + code + "' is not in the codebook (version " + options.codebook->version + ")",
          table.Where(r, 3));
    }
    auto sub = submissions.find(instance_id);
    if (sub == submissions.end()) {
      auto loaded = store.GetSubmission(instance_id);
      if (!loaded) {
        if (loaded.error().code == "ST002") {
          return MakeError("COD003", "no submission '" + instance_id + "' in the store",
                           table.Where(r, 0));
        }
        return At(loaded.error(), table.Where(r, 0));
      }
      sub = submissions.emplace(instance_id, std::move(*loaded)).first;
    }
    auto path = paths.PathIn(sub->second.form_id, sub->second.form_version);
    if (!path) return At(path.error(), table.Where(r, 1));
    auto answer = sub->second.answers.find(*path);
    if (answer == sub->second.answers.end() || !answer->second.HasReportableValue()) {
      return MakeError("COD003",
                       "submission '" + instance_id + "' has no answer to '" + question + "'",
                       table.Where(r, 0));
    }
    store::CodedSegment segment;
    segment.code = code;
    const std::string& start = row[4];
    const std::string& end = row[5];
    if (start.empty() != end.empty()) {
      return MakeError("COD005", "start and end are both empty (the whole answer) or both set",
                       table.Where(r, start.empty() ? 4 : 5));
    }
    if (!start.empty()) {
      if (code.empty()) {
        return MakeError(
            "COD005", "a row without a code covers the whole answer: start and end must be empty",
            table.Where(r, 4));
      }
      auto s = ParseOffset(start);
      if (!s)
        return MakeError("COD005", "start '" + start + "' is not a whole number >= 0",
                         table.Where(r, 4));
      auto e = ParseOffset(end);
      if (!e)
        return MakeError("COD005", "end '" + end + "' is not a whole number >= 0",
                         table.Where(r, 5));
      if (*s >= *e) {
        return MakeError("COD005", "start " + start + " is not before end " + end,
                         table.Where(r, 4));
      }
      int64_t length = static_cast<int64_t>(text::CodePointCount(answer->second.value));
      if (*e > length) {
        return MakeError("COD005",
                         "end " + end + " is beyond the answer, which has " +
                             std::to_string(length) + " characters (code points)",
                         table.Where(r, 5));
      }
      segment.start = s;
      segment.end = e;
    }
    auto key = std::make_pair(instance_id, coder);
    auto [it, inserted] = codings.try_emplace(key);
    if (inserted) {
      it->second.instance_id = instance_id;
      it->second.question = question;
      it->second.coder = coder;
      first_line[key] = table.row_lines[r];
    }
    auto& segments = it->second.segments;
    bool no_code_here = code.empty();
    bool had_no_code =
        std::any_of(segments.begin(), segments.end(), [](const auto& s) { return s.code.empty(); });
    if ((no_code_here && !segments.empty()) || (!no_code_here && had_no_code)) {
      return MakeError(
          "COD007",
          "an empty code (read, no code) beside codes for the same answer and coder (see line " +
              std::to_string(first_line[key]) + ")",
          table.Where(r, 3));
    }
    if (std::find(segments.begin(), segments.end(), segment) != segments.end()) {
      return MakeError("COD007", "the same code and segment twice for this answer and coder",
                       table.Where(r, 3));
    }
    segments.push_back(std::move(segment));
    coders.insert(coder);
    ++result.rows;
  }
  std::vector<store::AnswerCoding> batch;
  batch.reserve(codings.size());
  for (auto& [key, coding] : codings) {
    std::sort(coding.segments.begin(), coding.segments.end());
    batch.push_back(std::move(coding));
  }
  NGO_TRY(store.PutCodings(batch));
  result.answers = static_cast<int64_t>(batch.size());
  result.coders.assign(coders.begin(), coders.end());
  return result;
}

Result<std::string> ExportCodings(const store::Store& store, const std::string& question,
                                  const std::string& coder) {
  std::vector<store::AnswerCoding> codings = NGO_TRY(store.ListCodings(question, coder));
  std::string out = std::string(kCodingsHeader) + "\n";
  for (const store::AnswerCoding& coding : codings) {
    if (coder.empty() && coding.coder == store::kReconciledCoder) continue;
    for (const store::CodedSegment& s : coding.segments) {
      csv::AppendRow({coding.instance_id, coding.question, coding.coder, s.code,
                      s.start ? std::to_string(*s.start) : "", s.end ? std::to_string(*s.end) : ""},
                     &out);
    }
  }
  return out;
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
