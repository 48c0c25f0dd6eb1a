#include "store/store_internal.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "base/date.h"
#include "base/text.h"
#include "form/odk_instance.h"

namespace ngosurvey::store::internal {
namespace {

// `text` as a JSON string (quotes, backslashes and control characters escaped; the
// text is valid UTF-8, CheckMetadata's rule).
void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (byte < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xF]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendField(std::string_view field, std::string* out) {
  *out += std::to_string(field.size());
  *out += ':';
  *out += field;
}

void AppendAnswer(const std::optional<form::Answer>& answer, std::string* out) {
  if (!answer) {
    AppendField("-", out);
    return;
  }
  AppendField(form::AnswerStateName(answer->state), out);
  AppendField(answer->value, out);
}

std::string Describe(const std::optional<form::Answer>& answer) {
  if (!answer) return "(none)";
  return std::string(form::AnswerStateName(answer->state)) + " \"" + answer->value + "\"";
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest can only fail on allocation failure inside OpenSSL; an empty hash
  // then never matches, so verification reports the entry rather than passing it.
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string AuditHash(const AuditEntry& entry) {
  std::string encoded = "ngosurvey-audit-v1\n";
  AppendField(std::to_string(entry.seq), &encoded);
  AppendField(entry.instance_id, &encoded);
  AppendField(std::to_string(entry.at_ms), &encoded);
  AppendField(entry.who, &encoded);
  AppendField(entry.field, &encoded);
  AppendAnswer(entry.old_answer, &encoded);
  AppendAnswer(entry.new_answer, &encoded);
  AppendField(entry.reason, &encoded);
  AppendField(entry.prev_hash, &encoded);
  return Sha256Hex(encoded);
}

ChainHead LinkEntries(const ChainHead& head, std::vector<AuditEntry>* entries) {
  ChainHead next = head;
  for (AuditEntry& entry : *entries) {
    entry.seq = next.seq + 1;
    entry.prev_hash = next.hash;
    entry.hash = AuditHash(entry);
    next.seq = entry.seq;
    next.hash = entry.hash;
  }
  return next;
}

AuditVerification VerifyChain(const std::vector<AuditEntry>& entries, const ChainHead& head) {
  AuditVerification result;
  ChainHead expected;
  for (const AuditEntry& entry : entries) {
    auto broken = [&](std::string problem) {
      result.first_broken = entry;
      result.problem = std::move(problem);
      return result;
    };
    if (entry.seq != expected.seq + 1) {
      if (entry.seq > expected.seq + 1) {
        AuditEntry missing;
        missing.seq = expected.seq + 1;
        result.first_broken = missing;
        result.problem = "entry " + std::to_string(missing.seq) + " is missing (the next is " +
                         std::to_string(entry.seq) + ")";
        return result;
      }
      return broken("entry number " + std::to_string(entry.seq) + " is out of sequence");
    }
    if (entry.prev_hash != expected.hash) {
      return broken("its link to entry " + std::to_string(expected.seq) +
                    " does not match that entry's hash");
    }
    if (AuditHash(entry) != entry.hash) {
      return broken("its contents do not match its hash (the entry was changed)");
    }
    expected.seq = entry.seq;
    expected.hash = entry.hash;
    ++result.entries_checked;
  }
  if (head.seq != expected.seq || head.hash != expected.hash) {
    AuditEntry missing;
    missing.seq = expected.seq + 1;
    if (head.seq > expected.seq) {
      result.first_broken = missing;
      result.problem = "the trail ends at entry " + std::to_string(expected.seq) +
                       " but the recorded head is entry " + std::to_string(head.seq) +
                       " (entries were deleted)";
    } else if (head.seq < expected.seq) {
      // Entries are contiguous from 1 here, so entry head.seq + 1 sits at index head.seq.
      result.first_broken = entries[static_cast<size_t>(head.seq)];
      result.problem = "entry " + std::to_string(head.seq + 1) +
                       " was added outside the store (the recorded head is entry " +
                       std::to_string(head.seq) + ")";
    } else {
      result.first_broken = entries.back();
      result.problem = "the recorded head hash does not match entry " +
                       std::to_string(expected.seq) + " (the entry or the head was changed)";
    }
  }
  return result;
}

Status CheckFormForPut(const FormVersion& form) {
  if (form.form_id.empty()) return MakeError("ST001", "a form needs a form_id");
  if (form.version.empty()) {
    return MakeError("ST001", "form \"" + form.form_id + "\" needs a version");
  }
  if (form.xlsx.empty()) {
    return MakeError("ST001", "form \"" + form.form_id + "\" version " + form.version +
                                  " has no workbook bytes");
  }
  return Ok();
}

std::string PackMetadata(const std::vector<MetadataField>& metadata) {
  std::string out = "[";
  for (const MetadataField& field : metadata) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('[');
    AppendJsonString(field.column, &out);
    out.push_back(',');
    AppendJsonString(field.value, &out);
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}

Status CheckMetadata(const Submission& s) {
  // Sorted names find a repeated one without a tree node per column (a wide export has
  // over a hundred per submission).
  std::vector<std::string_view> columns;
  columns.reserve(s.metadata.size());
  for (const MetadataField& field : s.metadata) {
    if (field.column.empty() || !text::IsValidUtf8(field.column) ||
        !text::IsValidUtf8(field.value)) {
      return MakeError("ST001", "submission " + s.instance_id +
                                    ": a metadata column needs a name, and its name and value "
                                    "must be valid UTF-8");
    }
    columns.push_back(field.column);
  }
  std::sort(columns.begin(), columns.end());
  if (auto twice = std::adjacent_find(columns.begin(), columns.end()); twice != columns.end()) {
    return MakeError("ST001", "submission " + s.instance_id + ": metadata column \"" +
                                  std::string(*twice) + "\" is given twice");
  }
  return Ok();
}

Status CheckUtcOffset(const std::string& instance_id, std::optional<int> offset_minutes) {
  if (offset_minutes && (*offset_minutes < -date::kMaxUtcOffsetMinutes ||
                         *offset_minutes > date::kMaxUtcOffsetMinutes)) {
    return MakeError("ST001", "submission " + instance_id + ": UTC offset " +
                                  std::to_string(*offset_minutes) +
                                  " minutes is more than 18 hours either way");
  }
  return Ok();
}

Status CheckNewSubmission(const Submission& s) {
  if (!IsValidInstanceId(s.instance_id)) {
    return MakeError("ST001", "instance id \"" + s.instance_id + "\" is not \"uuid:\" + a UUID");
  }
  if (s.form_id.empty() || s.form_version.empty()) {
    return MakeError("ST001", "submission " + s.instance_id + " needs a form id and version");
  }
  if (s.status == SubmissionStatus::kComplete && !s.ended_at_ms) {
    return MakeError("ST001", "complete submission " + s.instance_id + " needs an end time");
  }
  if (s.status == SubmissionStatus::kDraft && s.ended_at_ms) {
    return MakeError("ST001", "draft " + s.instance_id + " cannot have an end time");
  }
  for (const std::string* field : {&s.org_id, &s.interviewer, &s.language}) {
    if (!text::IsValidUtf8(*field)) {
      return MakeError("ST001", "submission " + s.instance_id +
                                    ": organisation, interviewer and language must be valid UTF-8");
    }
  }
  if (!s.submitted_by.empty()) NGO_TRY(CheckUserName(s.submitted_by));
  NGO_TRY(CheckUtcOffset(s.instance_id, s.started_offset_minutes));
  NGO_TRY(CheckUtcOffset(s.instance_id, s.ended_offset_minutes));
  if (s.ended_offset_minutes && !s.ended_at_ms) {
    return MakeError("ST001", "submission " + s.instance_id + " has an end offset but no end time");
  }
  NGO_TRY(CheckMetadata(s));
  // CheckChanges without copying the answers (a map: no path twice).
  for (const auto& [path, answer] : s.answers) {
    auto parsed = form::ParseAnswerPath(path);
    if (!parsed) return MakeError("ST001", parsed.error().message);
    auto ok = form::CheckAnswer(answer);
    if (!ok) return MakeError("ST001", "answer \"" + path + "\": " + ok.error().message);
  }
  return Ok();
}

Status CheckAttachment(const Attachment& a) {
  if (!IsValidInstanceId(a.instance_id)) {
    return MakeError("ST001", "attachment \"" + a.name.substr(0, 80) + "\": instance id \"" +
                                  a.instance_id + "\" is not \"uuid:\" + a UUID");
  }
  if (!form::IsPlainFileName(a.name) || !text::IsValidUtf8(a.name)) {
    return MakeError("ST001", "submission " + a.instance_id + ": attachment name \"" +
                                  a.name.substr(0, 80) +
                                  "\" is not a plain file name (no '/', '\\', '..')");
  }
  if (a.data.size() > kMaxAttachmentBytes) {
    return MakeError("ST001", "submission " + a.instance_id + ": attachment \"" + a.name +
                                  "\" is over " + std::to_string(kMaxAttachmentBytes) + " bytes");
  }
  if (!text::IsValidUtf8(a.content_type)) {
    return MakeError("ST001", "submission " + a.instance_id + ": attachment \"" + a.name +
                                  "\" has a content type that is not UTF-8");
  }
  return Ok();
}

Result<std::vector<Attachment>> PrepareAttachments(const std::vector<Attachment>& attachments,
                                                   int64_t now) {
  std::map<std::pair<std::string, std::string>, size_t> seen;
  std::vector<Attachment> out;
  out.reserve(attachments.size());
  for (const Attachment& a : attachments) {
    NGO_TRY(CheckAttachment(a));
    std::string sha = Sha256Hex(a.data);
    auto [it, fresh] = seen.emplace(std::pair(a.instance_id, a.name), out.size());
    if (!fresh) {
      if (out[it->second].sha256 != sha) {
        return MakeError("ST001", "submission " + a.instance_id + ": attachment \"" + a.name +
                                      "\" is given twice with different bytes");
      }
      continue;
    }
    Attachment prepared = a;
    prepared.sha256 = std::move(sha);
    prepared.size = static_cast<int64_t>(a.data.size());
    prepared.added_at_ms = now;
    out.push_back(std::move(prepared));
  }
  return out;
}

Status CheckChanges(const std::vector<AnswerChange>& changes) {
  std::set<std::string_view> seen;
  for (const AnswerChange& change : changes) {
    auto path = form::ParseAnswerPath(change.path);
    if (!path) return MakeError("ST001", path.error().message);
    if (!seen.insert(change.path).second) {
      return MakeError("ST001", "answer path \"" + change.path + "\" is changed twice in one save");
    }
    if (change.answer) {
      auto ok = form::CheckAnswer(*change.answer);
      if (!ok) return MakeError("ST001", "answer \"" + change.path + "\": " + ok.error().message);
    }
  }
  return Ok();
}

Status CheckAmendment(const Amendment& amendment) {
  if (amendment.who.empty()) {
    return MakeError("ST005", "a change to " + amendment.instance_id + " needs the author's name");
  }
  bool blank = amendment.reason.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    return MakeError("ST005", "a change to " + amendment.instance_id + " needs a reason");
  }
  if (!text::IsValidUtf8(amendment.who) || !text::IsValidUtf8(amendment.reason)) {
    return MakeError("ST005", "the author's name and the reason of a change to " +
                                  amendment.instance_id + " must be valid UTF-8 text");
  }
  if (!amendment.alias.empty() &&
      (amendment.alias == amendment.instance_id || !text::IsValidUtf8(amendment.alias))) {
    return MakeError("ST001", "\"" + amendment.alias + "\" cannot be another instance id of " +
                                  amendment.instance_id);
  }
  return CheckChanges(amendment.changes);
}

void ApplyChanges(const std::vector<AnswerChange>& changes, Answers* answers) {
  for (const AnswerChange& change : changes) {
    if (change.answer) {
      (*answers)[change.path] = *change.answer;
    } else {
      answers->erase(change.path);
    }
  }
}

Result<std::vector<AuditEntry>> AmendmentEntries(const Answers& current, const Amendment& amendment,
                                                 int64_t at_ms) {
  std::vector<AuditEntry> entries;
  for (const AnswerChange& change : amendment.changes) {
    std::optional<form::Answer> old_answer;
    if (auto it = current.find(change.path); it != current.end()) old_answer = it->second;
    if (old_answer == change.answer) continue;
    AuditEntry entry;
    entry.instance_id = amendment.instance_id;
    entry.at_ms = at_ms;
    entry.who = amendment.who;
    entry.field = change.path;
    entry.old_answer = old_answer;
    entry.new_answer = change.answer;
    entry.reason = amendment.reason;
    entries.push_back(std::move(entry));
  }
  if (entries.empty() && amendment.alias.empty()) {
    std::string what;
    for (const AnswerChange& change : amendment.changes) {
      what += (what.empty() ? "" : ", ") + change.path + " = " + Describe(change.answer);
    }
    return MakeError("ST007", "the change to " + amendment.instance_id +
                                  " leaves every answer as it was (" + what + ")");
  }
  return entries;
}

AuditEntry CompletionEntry(const std::string& instance_id, const std::string& interviewer,
                           bool was_draft, int64_t at_ms) {
  AuditEntry entry;
  entry.instance_id = instance_id;
  entry.at_ms = at_ms;
  entry.who = interviewer.empty() ? "(unknown interviewer)" : interviewer;
  entry.field = "status";
  if (was_draft) entry.old_answer = form::Answer::Answered("draft");
  entry.new_answer = form::Answer::Answered("complete");
  entry.reason = was_draft ? "interview completed" : "submission received complete";
  return entry;
}

bool Matches(const Submission& s, const SubmissionFilter& filter) {
  if (filter.form_id && s.form_id != *filter.form_id) return false;
  if (filter.form_version && s.form_version != *filter.form_version) return false;
  if (filter.status && s.status != *filter.status) return false;
  if (filter.org_id && s.org_id != *filter.org_id) return false;
  if (filter.submitted_by && s.submitted_by != *filter.submitted_by) return false;
  if (filter.after) {
    const SubmissionFilter::Position& after = *filter.after;
    if (s.started_at_ms < after.started_at_ms) return false;
    if (s.started_at_ms == after.started_at_ms && s.instance_id <= after.instance_id) return false;
  }
  if (filter.wave) return s.wave == *filter.wave;
  return filter.include_pretest || s.wave != Wave::kPretest;
}

CopySummary Summarise(const StoreContents& c) {
  return CopySummary{c.forms.size(),         c.submissions.size(), c.audit.size(),
                     c.frame.entries.size(), c.contacts.size(),    c.codings.size(),
                     c.attachments.size(),   c.users.size(),       c.published.size(),
                     c.access_log.size(),    c.reviews.size()};
}

Status CheckEmptyTarget(const CopySummary& held) {
  std::string what;
  auto count = [&](size_t n, const char* one, const char* many) {
    if (n == 0) return;
    what += (what.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
  };
  count(held.forms, "form version", "form versions");
  count(held.submissions, "submission", "submissions");
  count(held.audit_entries, "audit entry", "audit entries");
  count(held.frame_entries, "frame entry", "frame entries");
  count(held.contacts, "contact", "contacts");
  count(held.codings, "coding", "codings");
  count(held.attachments, "attachment", "attachments");
  count(held.users, "user", "users");
  count(held.published_forms, "published form version", "published form versions");
  count(held.access_entries, "access log entry", "access log entries");
  count(held.reviews, "review", "reviews");
  if (what.empty()) return Ok();
  return MakeError("ST003", "the target store is not empty (it holds " + what +
                                "): a store is copied only into an empty one");
}

std::string FirstDifference(const StoreContents& a, const StoreContents& b) {
  auto sizes = [](const char* what, size_t x, size_t y) {
    return std::string(what) + ": " + std::to_string(x) + " vs " + std::to_string(y);
  };
  if (a.forms.size() != b.forms.size())
    return sizes("form versions", a.forms.size(), b.forms.size());
  for (size_t i = 0; i < a.forms.size(); ++i) {
    if (!(a.forms[i] == b.forms[i])) {
      return "form \"" + a.forms[i].form_id + "\" version " + a.forms[i].version;
    }
  }
  if (a.submissions.size() != b.submissions.size()) {
    return sizes("submissions", a.submissions.size(), b.submissions.size());
  }
  for (size_t i = 0; i < a.submissions.size(); ++i) {
    if (!(a.submissions[i] == b.submissions[i])) {
      return "submission " + a.submissions[i].instance_id;
    }
  }
  if (a.audit.size() != b.audit.size()) {
    return sizes("audit entries", a.audit.size(), b.audit.size());
  }
  for (size_t i = 0; i < a.audit.size(); ++i) {
    if (!(a.audit[i] == b.audit[i])) return "audit entry " + std::to_string(a.audit[i].seq);
  }
  if (a.audit_head_seq != b.audit_head_seq || a.audit_head_hash != b.audit_head_hash) {
    return "the audit chain's head";
  }
  if (!(a.frame == b.frame)) return "the sample frame";
  if (a.contacts != b.contacts) return sizes("contacts", a.contacts.size(), b.contacts.size());
  if (a.codings != b.codings) return sizes("codings", a.codings.size(), b.codings.size());
  if (a.attachments.size() != b.attachments.size()) {
    return sizes("attachments", a.attachments.size(), b.attachments.size());
  }
  for (size_t i = 0; i < a.attachments.size(); ++i) {
    if (!(a.attachments[i] == b.attachments[i])) {
      return "attachment \"" + a.attachments[i].name + "\" of " + a.attachments[i].instance_id;
    }
  }
  if (a.users.size() != b.users.size()) return sizes("users", a.users.size(), b.users.size());
  for (size_t i = 0; i < a.users.size(); ++i) {
    if (!(a.users[i] == b.users[i])) return "user " + a.users[i].name;
  }
  if (a.published.size() != b.published.size()) {
    return sizes("published form versions", a.published.size(), b.published.size());
  }
  for (size_t i = 0; i < a.published.size(); ++i) {
    if (!(a.published[i] == b.published[i])) {
      return "published form \"" + a.published[i].form_id + "\" version " + a.published[i].version;
    }
  }
  if (a.access_log.size() != b.access_log.size()) {
    return sizes("access log entries", a.access_log.size(), b.access_log.size());
  }
  for (size_t i = 0; i < a.access_log.size(); ++i) {
    if (!(a.access_log[i] == b.access_log[i])) {
      return "access log entry " + std::to_string(a.access_log[i].seq);
    }
  }
  if (a.reviews.size() != b.reviews.size()) {
    return sizes("reviews", a.reviews.size(), b.reviews.size());
  }
  for (size_t i = 0; i < a.reviews.size(); ++i) {
    if (!(a.reviews[i] == b.reviews[i])) return "the review of " + a.reviews[i].instance_id;
  }
  if (a.aliases != b.aliases) {
    return sizes("earlier instance ids", a.aliases.size(), b.aliases.size());
  }
  return "";
}

}  // namespace ngosurvey::store::internal
