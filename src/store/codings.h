// store: the codings of open answers (issue 18): which codes each coder gave to
// each answer of a question, to the whole answer or to segments of it, and the
// codes agreed at reconciliation. Every Store implements it (Store derives from
// CodingLog), so codings live beside the submissions they code.
//
// The store keeps the codings and their integrity (one transaction per call, the
// submission exists, offsets are sane); whether a code is in the codebook, the
// question is an open question and a segment lies inside the answer is checked by
// the caller (exchange/codings.h), which knows the form, the codebook and the text.
//
// Error codes, besides the IO1xx of store.h:
//   ST001 invalid request (empty question or coder, a coder named "(reconciled)",
//         start without end, start >= end, a negative offset, "read, no code"
//         beside codes or on a segment, no segment, a triple named twice)
//   ST002 the submission does not exist
//   ST005 a reconciliation without who decided or why
//   ST007 the reconciliation changes nothing
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace ngosurvey::store {

// The coder name under which reconciled (agreed) codes are kept; no coder may use it.
inline constexpr const char* kReconciledCoder = "(reconciled)";

// One code on an answer: the whole answer (no offsets) or the code points
// [start, end) of it. An empty code means "read, no code".
struct CodedSegment {
  std::string code;
  std::optional<int64_t> start;
  std::optional<int64_t> end;

  friend bool operator==(const CodedSegment&, const CodedSegment&) = default;
  friend auto operator<=>(const CodedSegment&, const CodedSegment&) = default;
};

// Everything one coder did on one answer. `segments` is never empty: a coder who
// found no code has one segment with an empty code.
struct AnswerCoding {
  std::string instance_id;
  std::string question;  // the question's name
  std::string coder;
  std::vector<CodedSegment> segments;  // sorted, without repeats
  int64_t coded_at_ms = 0;             // set by the store

  friend bool operator==(const AnswerCoding&, const AnswerCoding&) = default;
};

// The agreed codes of one answer, decided by `who` (the audit trail records it).
struct Reconciliation {
  std::string instance_id;
  std::string question;
  std::vector<CodedSegment> segments;  // as in AnswerCoding
  std::string who;
  std::string reason;
};

class CodingLog {
 public:
  virtual ~CodingLog() = default;

  // Replaces, for every (instance_id, question, coder) named in `codings`, what is
  // stored by its segments (sorted and deduplicated by the store), in one
  // transaction; nothing is stored when one of them is refused (ST001, ST002, or a
  // triple named twice: ST001).
  virtual Status PutCodings(const std::vector<AnswerCoding>& codings) = 0;

  // The codings of a question, by every coder (the reconciled ones included, under
  // kReconciledCoder) or by one, ordered by instance_id then coder.
  virtual Result<std::vector<AnswerCoding>> ListCodings(const std::string& question,
                                                        const std::string& coder = "") const = 0;

  // Stores the agreed codes of one answer under kReconciledCoder and appends an
  // audit entry (field "codes:QUESTION", old and new codes as text, who, reason), in
  // one transaction. ST005 for an empty who or reason, ST001 for bad segments,
  // ST002 for an unknown submission, ST007 when the agreed codes are those already
  // stored.
  virtual Status Reconcile(const Reconciliation& reconciliation) = 0;

 protected:
  CodingLog() = default;
};

}  // namespace ngosurvey::store
