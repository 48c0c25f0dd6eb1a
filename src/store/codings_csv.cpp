// The codings CSV reader (codings_csv.h; docs/formats/codings-csv.md).
#include "store/codings_csv.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "base/csv.h"
#include "base/text.h"

namespace ngosurvey::store {
namespace {

constexpr const char* kColumns[] = {"instance_id", "question", "coder", "code", "start", "end"};

std::optional<int64_t> ParseOffset(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

// Long on purpose: the file's columns and rows checked in one pass against lookups built once.
// NOLINTNEXTLINE(readability-function-size)
Result<CodingsCsv> ParseCodingsCsv(std::string_view csv_text, const std::string& file_name,
                                   const CodingsCsvOptions& options,
                                   const AnswerTextLookup& answer_text) {
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
  // By (instance id, question), looked up once.
  std::map<std::pair<std::string, std::string>, std::string> answers;
  // By (instance, question, coder).
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, AnswerCoding> codings;
  std::map<Key, int> first_line;
  CodingsCsv result;
  std::set<std::string> coders;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string& instance_id = row[0];
    const std::string& question = row[1];
    const std::string& coder = row[2];
    const std::string& code = row[3];
    if (!options.question.empty() && question != options.question) {
      return MakeError("COD002",
                       "question '" + question + "': this import codes '" + options.question + "'",
                       table.Where(r, 1));
    }
    if (question.empty()) return MakeError("COD002", "no question", table.Where(r, 1));
    if (coder.empty()) return MakeError("COD006", "no coder", table.Where(r, 2));
    if (coder == kReconciledCoder && !options.allow_reconciled) {
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
    auto answer = answers.find({instance_id, question});
    if (answer == answers.end()) {
      std::string text =
          NGO_TRY(answer_text(instance_id, question, table.Where(r, 0), table.Where(r, 1)));
      answer = answers.emplace(std::make_pair(instance_id, question), std::move(text)).first;
    }
    CodedSegment segment;
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
      int64_t length = static_cast<int64_t>(text::CodePointCount(answer->second));
      if (*e > length) {
        return MakeError("COD005",
                         "end " + end + " is beyond the answer, which has " +
                             std::to_string(length) + " characters (code points)",
                         table.Where(r, 5));
      }
      segment.start = s;
      segment.end = e;
    }
    Key key{instance_id, question, coder};
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
  result.codings.reserve(codings.size());
  for (auto& [key, coding] : codings) {
    std::sort(coding.segments.begin(), coding.segments.end());
    result.codings.push_back(std::move(coding));
  }
  result.coders.assign(coders.begin(), coders.end());
  return result;
}

std::string CodingsToCsv(const std::vector<AnswerCoding>& codings) {
  std::string out = std::string(kCodingsHeader) + "\n";
  for (const AnswerCoding& coding : codings) {
    for (const CodedSegment& s : coding.segments) {
      csv::AppendRow({coding.instance_id, coding.question, coding.coder, s.code,
                      s.start ? std::to_string(*s.start) : "", s.end ? std::to_string(*s.end) : ""},
                     &out);
    }
  }
  return out;
}

}  // namespace ngosurvey::store
