// Shared codings checks (codings_internal.h).
#include "store/codings_internal.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace ngosurvey::store::internal {
namespace {

Result<std::vector<CodedSegment>> CheckSegments(std::vector<CodedSegment> segments,
                                                const std::string& what) {
  if (segments.empty())
    return MakeError("ST001", what + ": no segment (use an empty code for 'read, no code')");
  bool none = false, some = false;
  for (const CodedSegment& s : segments) {
    if (s.start.has_value() != s.end.has_value()) {
      return MakeError("ST001",
                       what + ": a segment has a start without an end or an end without a start");
    }
    if (s.start && (*s.start < 0 || *s.start >= *s.end)) {
      return MakeError("ST001", what + ": segment " + std::to_string(*s.start) + "-" +
                                    std::to_string(*s.end) + " is not a range 0 <= start < end");
    }
    if (s.code.empty()) {
      if (s.start) return MakeError("ST001", what + ": 'read, no code' covers the whole answer");
      none = true;
    } else {
      some = true;
    }
  }
  if (none && some) return MakeError("ST001", what + ": 'read, no code' beside codes");
  std::sort(segments.begin(), segments.end());
  segments.erase(std::unique(segments.begin(), segments.end()), segments.end());
  return segments;
}

std::string Describe(const std::string& instance_id, const std::string& question,
                     const std::string& coder) {
  return "coding of " + instance_id + " / " + question + (coder.empty() ? "" : " by " + coder);
}

}  // namespace

Result<std::vector<AnswerCoding>> CheckCodings(const std::vector<AnswerCoding>& codings) {
  std::vector<AnswerCoding> out;
  out.reserve(codings.size());
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const AnswerCoding& c : codings) {
    std::string what = Describe(c.instance_id, c.question, c.coder);
    if (c.instance_id.empty() || c.question.empty() || c.coder.empty()) {
      return MakeError("ST001", what + ": instance id, question and coder must be set");
    }
    if (c.coder == kReconciledCoder) {
      return MakeError("ST001", what + ": '(reconciled)' is kept for reconciled codes");
    }
    if (!seen.emplace(c.instance_id, c.question, c.coder).second) {
      return MakeError("ST001", what + ": named twice in one request");
    }
    AnswerCoding checked = c;
    checked.segments = NGO_TRY(CheckSegments(c.segments, what));
    out.push_back(std::move(checked));
  }
  return out;
}

Result<std::vector<CodedSegment>> CheckReconciliation(const Reconciliation& r) {
  std::string what = "reconciliation of " + r.instance_id + " / " + r.question;
  if (r.instance_id.empty() || r.question.empty()) {
    return MakeError("ST001", what + ": instance id and question must be set");
  }
  if (r.who.empty() || r.reason.empty()) {
    return MakeError("ST005", what + ": who decided and why must be given");
  }
  return CheckSegments(r.segments, what);
}

std::optional<form::Answer> CodesAsAnswer(const std::vector<CodedSegment>& segments) {
  if (segments.empty()) return std::nullopt;
  std::string text;
  for (const CodedSegment& s : segments) {
    if (!text.empty()) text += ' ';
    if (s.code.empty()) {
      text += '-';
      continue;
    }
    text += s.code;
    if (s.start) text += "@" + std::to_string(*s.start) + "-" + std::to_string(*s.end);
  }
  return form::Answer::Answered(text);
}

AuditEntry ReconciliationEntry(const Reconciliation& r, const std::vector<CodedSegment>& before,
                               const std::vector<CodedSegment>& after, int64_t at_ms) {
  AuditEntry entry;
  entry.instance_id = r.instance_id;
  entry.at_ms = at_ms;
  entry.who = r.who;
  entry.field = "codes:" + r.question;
  entry.old_answer = CodesAsAnswer(before);
  entry.new_answer = CodesAsAnswer(after);
  entry.reason = r.reason;
  return entry;
}

}  // namespace ngosurvey::store::internal
