// What both back ends share so that they behave identically: request checks, the
// audit entries an amendment produces, the hash chain and its verification.
// Private to store/: other modules include store/store.h only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace ngosurvey::store::internal {

// prev_hash of the first audit entry.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 of `data` in lower-case hex (OpenSSL libcrypto).
std::string Sha256Hex(std::string_view data);

// The hash an entry must carry: SHA-256 over a length-prefixed encoding of seq,
// instance_id, at_ms, who, field, old and new answers (state and value, or absent),
// reason and prev_hash. Every field is length-prefixed so that moving bytes from
// one field to the next changes the hash. The format is documented in
// docs/formats/sqlite-schema.md and must never change for existing entries.
std::string AuditHash(const AuditEntry& entry);

// Fills seq, prev_hash and hash of `entries` (in order) so they extend a chain
// whose last entry has number `head_seq` and hash `head_hash`; returns the new head.
struct ChainHead {
  int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
};
ChainHead LinkEntries(const ChainHead& head, std::vector<AuditEntry>* entries);

// Checks entries (sorted by seq, the whole trail) against each other and against
// the recorded head, which catches the deletion of the last entries.
AuditVerification VerifyChain(const std::vector<AuditEntry>& entries, const ChainHead& head);

// Request checks (ST001 unless noted).
Status CheckFormForPut(const FormVersion& form);
Status CheckNewSubmission(const Submission& submission);

// A submission's metadata columns as both back ends store them (schema 13,
// docs/formats/sqlite-schema.md): a JSON array of [name, value] pairs in the given order.
// The texts are valid UTF-8 (CheckNewSubmission).
std::string PackMetadata(const std::vector<MetadataField>& metadata);
// A UTC offset of a start or end time: within date::kMaxUtcOffsetMinutes either way.
Status CheckUtcOffset(const std::string& instance_id, std::optional<int> offset_minutes);
// Paths well-formed, answers consistent (form::CheckAnswer), no path twice.
Status CheckChanges(const std::vector<AnswerChange>& changes);
// ST005 for an empty who or reason, plus CheckChanges.
Status CheckAmendment(const Amendment& amendment);

// The largest attachment a store takes (SQLite's default limit on a value is 10^9).
inline constexpr size_t kMaxAttachmentBytes = 1000000000;

// An attachment as PutAttachments takes it: a valid instance id, a plain file name
// (form::IsPlainFileName), ST001 otherwise. Sets nothing.
Status CheckAttachment(const Attachment& attachment);
// The attachments of a call, by (instance_id, name), with their sha256, size and
// added_at_ms set; a name given twice with the same bytes once, with other bytes
// ST001. Checks each (CheckAttachment).
Result<std::vector<Attachment>> PrepareAttachments(const std::vector<Attachment>& attachments,
                                                   int64_t now);

// Applies `changes` in order to `answers`.
void ApplyChanges(const std::vector<AnswerChange>& changes, Answers* answers);

// The audit entries (without seq and hashes) that `amendment` makes against the
// current answers; ST007 when nothing would change.
Result<std::vector<AuditEntry>> AmendmentEntries(const Answers& current, const Amendment& amendment,
                                                 int64_t at_ms);

// The "status" audit entry written when a submission becomes complete.
AuditEntry CompletionEntry(const std::string& instance_id, const std::string& interviewer,
                           bool was_draft, int64_t at_ms);

// Whether a submission passes a filter.
bool Matches(const Submission& submission, const SubmissionFilter& filter);

// ST003 unless `held` (what a copy's target holds) is all zeros: LoadContents
// copies only into an empty store.
Status CheckEmptyTarget(const CopySummary& held);

// How many rows of each kind `contents` holds.
CopySummary Summarise(const StoreContents& contents);

// The first difference between two stores' contents, for people ("" when equal).
std::string FirstDifference(const StoreContents& a, const StoreContents& b);

// Error helpers.
inline tl::unexpected<Error> NotFound(const std::string& what) {
  return MakeError("ST002", what + " not found");
}

}  // namespace ngosurvey::store::internal
