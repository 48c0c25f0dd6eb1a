// What both back ends share for codings (codings.h): request checks, segment
// order, and the audit entry of a reconciliation. Private to store/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/codings.h"
#include "store/store.h"

namespace ngosurvey::store::internal {

// ST001 for an empty question, instance or coder, the reserved coder name, a bad
// segment, "read, no code" beside codes, no segment, or a triple named twice.
// Returns the codings with their segments sorted and without repeats.
Result<std::vector<AnswerCoding>> CheckCodings(const std::vector<AnswerCoding>& codings);

// ST001 for an empty question, who or reason, or bad segments; returns the
// segments sorted and without repeats.
Result<std::vector<CodedSegment>> CheckReconciliation(const Reconciliation& reconciliation);

// The codes as one text for the audit trail: segments in order, separated by
// spaces, "code" for a whole answer, "code@start-end" for a segment, "-" for "read,
// no code". An empty list (nothing reconciled before) is nullopt.
std::optional<form::Answer> CodesAsAnswer(const std::vector<CodedSegment>& segments);

// The audit entry of a reconciliation (field "codes:" + question; seq and hashes
// unset).
AuditEntry ReconciliationEntry(const Reconciliation& reconciliation,
                               const std::vector<CodedSegment>& before,
                               const std::vector<CodedSegment>& after, int64_t at_ms);

}  // namespace ngosurvey::store::internal
