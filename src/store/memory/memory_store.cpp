#include <algorithm>
#include <mutex>
#include <set>
#include <tuple>

#include "store/codings_internal.h"
#include "store/fieldwork_log_internal.h"
#include "store/memory/memory_store_internal.h"
#include "store/review_internal.h"
#include "store/server_data_internal.h"
#include "store/store_internal.h"

namespace ngosurvey::store::memory {
namespace {

using internal::ChainHead;

// Every write works on the stored objects only after every check has passed, and
// the changes it then makes cannot fail, so a failed call leaves nothing behind.
class MemoryStore final : public Store {
 public:
  explicit MemoryStore(const OpenOptions& options) : options_(options) {}

  Status PutForm(const FormVersion& form) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckFormForPut(form));
    std::string sha = internal::Sha256Hex(form.xlsx);
    for (const FormVersion& existing : forms_) {
      if (existing.form_id == form.form_id && existing.version == form.version) {
        if (existing.xlsx_sha256 == sha) return Ok();
        return MakeError("ST003", "form \"" + form.form_id + "\" version " + form.version +
                                      " is already stored with different contents");
      }
    }
    FormVersion stored = form;
    stored.xlsx_sha256 = sha;
    stored.uploaded_at_ms = options_.clock->NowMillis();
    forms_.push_back(std::move(stored));
    return Ok();
  }

  Result<FormVersion> GetForm(const std::string& form_id,
                              const std::string& version) const override {
    std::lock_guard lock(mu_);
    for (const FormVersion& form : forms_) {
      if (form.form_id == form_id && form.version == version) return form;
    }
    return internal::NotFound("form \"" + form_id + "\" version " + version);
  }

  Result<std::vector<FormVersion>> ListForms(const std::string& form_id) const override {
    std::lock_guard lock(mu_);
    std::vector<FormVersion> out;
    for (const FormVersion& form : forms_) {
      if (!form_id.empty() && form.form_id != form_id) continue;
      out.push_back(form);
      out.back().xlsx.clear();
    }
    return out;
  }

  Status CreateSubmission(const Submission& submission) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckNewSubmission(submission));
    bool form_known = std::any_of(forms_.begin(), forms_.end(), [&](const FormVersion& f) {
      return f.form_id == submission.form_id && f.version == submission.form_version;
    });
    if (!form_known) {
      return internal::NotFound("form \"" + submission.form_id + "\" version " +
                                submission.form_version);
    }
    if (submissions_.count(submission.instance_id)) {
      return MakeError("ST003", "submission " + submission.instance_id + " already exists");
    }
    Submission stored = submission;
    stored.updated_at_ms = options_.clock->NowMillis();
    if (stored.status == SubmissionStatus::kComplete) {
      AppendAudit({internal::CompletionEntry(stored.instance_id, stored.interviewer, false,
                                             stored.updated_at_ms)});
    }
    submissions_.emplace(stored.instance_id, std::move(stored));
    return Ok();
  }

  Status CreateSubmissions(const SubmissionBatch& batch) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    // Every check first, on the batch and the stored state; then changes that cannot fail.
    std::optional<FormVersion> new_form;
    if (batch.form) {
      NGO_TRY(internal::CheckFormForPut(*batch.form));
      std::string sha = internal::Sha256Hex(batch.form->xlsx);
      bool stored = false;
      for (const FormVersion& existing : forms_) {
        if (existing.form_id == batch.form->form_id && existing.version == batch.form->version) {
          if (existing.xlsx_sha256 != sha) {
            return MakeError("ST003", "form \"" + batch.form->form_id + "\" version " +
                                          batch.form->version +
                                          " is already stored with different contents");
          }
          stored = true;
        }
      }
      if (!stored) {
        new_form = *batch.form;
        new_form->xlsx_sha256 = sha;
        new_form->uploaded_at_ms = options_.clock->NowMillis();
      }
    }
    std::set<std::string> ids;
    for (const Submission& submission : batch.submissions) {
      NGO_TRY(internal::CheckNewSubmission(submission));
      bool form_known =
          (new_form && new_form->form_id == submission.form_id &&
           new_form->version == submission.form_version) ||
          std::any_of(forms_.begin(), forms_.end(), [&](const FormVersion& f) {
            return f.form_id == submission.form_id && f.version == submission.form_version;
          });
      if (!form_known) {
        return internal::NotFound("form \"" + submission.form_id + "\" version " +
                                  submission.form_version);
      }
      if (submissions_.count(submission.instance_id) ||
          !ids.insert(submission.instance_id).second) {
        return MakeError("ST003", "submission " + submission.instance_id + " already exists");
      }
    }
    int64_t now = options_.clock->NowMillis();
    std::vector<Attachment> files = NGO_TRY(CheckAttachments(batch.attachments, ids, now));
    // The amendments on a scratch copy of the answers they change, in order.
    std::map<std::string, Answers> amended;
    std::map<std::string, std::string> named = aliases_;
    std::vector<AuditEntry> amendment_entries;
    for (const Amendment& amendment : batch.amendments) {
      NGO_TRY(internal::CheckAmendment(amendment));
      NGO_TRY(KeepAlias(amendment, ids, &named));
      auto it = amended.find(amendment.instance_id);
      if (it == amended.end()) {
        const Submission* s = nullptr;
        for (const Submission& added : batch.submissions) {
          if (added.instance_id == amendment.instance_id) s = &added;
        }
        if (!s) s = NGO_TRY(Find(amendment.instance_id));
        if (s->status != SubmissionStatus::kComplete) {
          return MakeError("ST006", "submission " + amendment.instance_id +
                                        " is a draft; save drafts with SaveDraft");
        }
        it = amended.emplace(amendment.instance_id, s->answers).first;
      }
      std::vector<AuditEntry> entries =
          NGO_TRY(internal::AmendmentEntries(it->second, amendment, now));
      for (AuditEntry& e : entries) amendment_entries.push_back(std::move(e));
      internal::ApplyChanges(amendment.changes, &it->second);
    }
    // The reviews, checked against the batch's submissions and the stored ones.
    std::map<std::string, Review> reviewed = reviews_;
    std::vector<AuditEntry> review_entries;
    for (const Review& review : batch.reviews) {
      NGO_TRY(internal::CheckReview(review));
      const Submission* s = nullptr;
      for (const Submission& added : batch.submissions) {
        if (added.instance_id == review.instance_id) s = &added;
      }
      if (!s) s = NGO_TRY(Find(review.instance_id));
      if (s->status != SubmissionStatus::kComplete) {
        return MakeError("ST006", "submission " + review.instance_id +
                                      " is a draft: only complete submissions are reviewed");
      }
      Review stored = review;
      stored.at_ms = now;
      auto previous = reviewed.find(review.instance_id);
      review_entries.push_back(internal::ReviewEntry(
          previous == reviewed.end() ? std::nullopt : std::optional<Review>(previous->second),
          stored));
      reviewed[review.instance_id] = stored;
    }
    if (new_form) forms_.push_back(std::move(*new_form));
    for (const Submission& submission : batch.submissions) {
      Submission stored = submission;
      stored.updated_at_ms = now;
      if (stored.status == SubmissionStatus::kComplete) {
        AppendAudit(
            {internal::CompletionEntry(stored.instance_id, stored.interviewer, false, now)});
      }
      submissions_.emplace(stored.instance_id, std::move(stored));
    }
    KeepAttachments(std::move(files));
    AppendAudit(std::move(amendment_entries));
    for (auto& [id, answers] : amended) {
      Submission& s = submissions_.at(id);
      s.answers = std::move(answers);
      s.updated_at_ms = now;
    }
    AppendAudit(std::move(review_entries));
    reviews_ = std::move(reviewed);
    aliases_ = std::move(named);
    return Ok();
  }

  Status SaveDraft(const std::string& instance_id, const std::vector<AnswerChange>& changes,
                   const std::optional<std::string>& language) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckChanges(changes));
    Submission* s = NGO_TRY(Find(instance_id));
    if (s->status == SubmissionStatus::kComplete) {
      return MakeError("ST004", "submission " + instance_id +
                                    " is complete; its answers change only through an amendment");
    }
    internal::ApplyChanges(changes, &s->answers);
    if (language) s->language = *language;
    s->updated_at_ms = options_.clock->NowMillis();
    return Ok();
  }

  Status CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms,
                            std::optional<int> ended_offset_minutes) override {
    NGO_TRY(internal::CheckUtcOffset(instance_id, ended_offset_minutes));
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    Submission* s = NGO_TRY(Find(instance_id));
    if (s->status == SubmissionStatus::kComplete) {
      return MakeError("ST004", "submission " + instance_id + " is already complete");
    }
    int64_t now = options_.clock->NowMillis();
    AppendAudit({internal::CompletionEntry(instance_id, s->interviewer, true, now)});
    s->status = SubmissionStatus::kComplete;
    s->ended_at_ms = ended_at_ms;
    s->ended_offset_minutes = ended_offset_minutes;
    s->updated_at_ms = now;
    return Ok();
  }

  Status Amend(const Amendment& amendment) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckAmendment(amendment));
    Submission* s = NGO_TRY(Find(amendment.instance_id));
    if (s->status != SubmissionStatus::kComplete) {
      return MakeError("ST006", "submission " + amendment.instance_id +
                                    " is a draft; save drafts with SaveDraft");
    }
    int64_t now = options_.clock->NowMillis();
    std::vector<AuditEntry> entries =
        NGO_TRY(internal::AmendmentEntries(s->answers, amendment, now));
    std::map<std::string, std::string> named = aliases_;
    NGO_TRY(KeepAlias(amendment, {}, &named));
    aliases_ = std::move(named);
    AppendAudit(std::move(entries));
    internal::ApplyChanges(amendment.changes, &s->answers);
    s->updated_at_ms = now;
    return Ok();
  }

  Result<Submission> GetSubmission(const std::string& instance_id) const override {
    std::lock_guard lock(mu_);
    auto it = submissions_.find(instance_id);
    // An earlier instanceID of a submission finds it, under its own.
    if (auto alias = aliases_.find(instance_id);
        it == submissions_.end() && alias != aliases_.end()) {
      it = submissions_.find(alias->second);
    }
    if (it == submissions_.end()) return internal::NotFound("submission " + instance_id);
    return it->second;
  }

  Result<std::vector<Submission>> ListSubmissions(const SubmissionFilter& filter) const override {
    std::lock_guard lock(mu_);
    std::vector<Submission> out;
    for (const auto& [id, s] : submissions_) {
      if (internal::Matches(s, filter)) out.push_back(s);
    }
    std::stable_sort(out.begin(), out.end(), [](const Submission& a, const Submission& b) {
      if (a.started_at_ms != b.started_at_ms) return a.started_at_ms < b.started_at_ms;
      return a.instance_id < b.instance_id;
    });
    if (filter.limit > 0 && out.size() > static_cast<size_t>(filter.limit)) {
      out.resize(static_cast<size_t>(filter.limit));
    }
    return out;
  }

  // --- Attachments ---

  Status PutAttachments(const std::vector<Attachment>& attachments) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    std::vector<Attachment> files =
        NGO_TRY(CheckAttachments(attachments, {}, options_.clock->NowMillis()));
    KeepAttachments(std::move(files));
    return Ok();
  }

  Result<Attachment> GetAttachment(const std::string& instance_id,
                                   const std::string& name) const override {
    std::lock_guard lock(mu_);
    auto it = attachments_.find(std::pair(instance_id, name));
    if (it == attachments_.end()) {
      return internal::NotFound("attachment \"" + name + "\" of submission " + instance_id);
    }
    Attachment out = it->second;
    out.data = blobs_.at(out.sha256);
    return out;
  }

  Result<std::vector<Attachment>> ListAttachments(const std::string& instance_id) const override {
    std::lock_guard lock(mu_);
    std::vector<Attachment> out;
    for (auto it = attachments_.lower_bound(std::pair(instance_id, std::string()));
         it != attachments_.end() && it->first.first == instance_id; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  Result<std::vector<AuditEntry>> ReadAudit(const std::string& instance_id) const override {
    std::lock_guard lock(mu_);
    std::vector<AuditEntry> out;
    for (const AuditEntry& entry : audit_) {
      if (instance_id.empty() || entry.instance_id == instance_id) out.push_back(entry);
    }
    return out;
  }

  Result<AuditVerification> VerifyAudit() const override {
    std::lock_guard lock(mu_);
    return internal::VerifyChain(audit_, head_);
  }

  // --- Fieldwork log (fieldwork_log.h) ---

  Result<FrameImportResult> ImportFrame(const FrameImport& import) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckFrameImport(import));
    if (!frame_.stratum_column.empty() && frame_.stratum_column != import.stratum_column) {
      return MakeError("ST003", "the stored frame groups by '" + frame_.stratum_column +
                                    "', the import by '" + import.stratum_column + "'");
    }
    // Build the new frame aside, then swap it in: nothing can fail after the checks.
    StoredFrame next = frame_;
    next.stratum_column = import.stratum_column;
    next.has_address_column = frame_.has_address_column || import.has_address_column;
    next.has_contact_person_column =
        frame_.has_contact_person_column || import.has_contact_person_column;
    next.has_disposition_column = frame_.has_disposition_column || import.has_disposition_column;
    next.extra_columns = internal::MergeColumns(frame_.extra_columns, import.extra_columns);
    FrameImportResult result;
    int64_t now = options_.clock->NowMillis();
    std::set<std::string> in_import;
    for (const FrameEntry& entry : import.entries) {
      in_import.insert(entry.org_id);
      auto stored = std::find_if(next.entries.begin(), next.entries.end(),
                                 [&](const FrameEntry& e) { return e.org_id == entry.org_id; });
      if (stored == next.entries.end()) {
        FrameEntry added = internal::WithColumns(entry, import.extra_columns);
        added.position = static_cast<int64_t>(next.entries.size()) + 1;
        added.updated_at_ms = now;
        next.entries.push_back(std::move(added));
        ++result.added;
        continue;
      }
      std::vector<std::string> changed;
      FrameEntry merged = internal::MergeEntry(*stored, entry, import, &changed);
      if (changed.empty()) {
        ++result.unchanged;
        continue;
      }
      merged.updated_at_ms = now;
      *stored = std::move(merged);
      result.updated.emplace_back(entry.org_id, std::move(changed));
    }
    for (const FrameEntry& e : frame_.entries) {
      if (!in_import.count(e.org_id)) result.kept.push_back(e.org_id);
    }
    frame_ = std::move(next);
    return result;
  }

  Result<StoredFrame> ReadFrame() const override {
    std::lock_guard lock(mu_);
    StoredFrame out = frame_;
    for (FrameEntry& e : out.entries) e = internal::WithColumns(std::move(e), out.extra_columns);
    return out;
  }

  Result<ContactRecord> AddContact(const ContactRecord& contact) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckContact(contact));
    bool known = std::any_of(frame_.entries.begin(), frame_.entries.end(),
                             [&](const FrameEntry& e) { return e.org_id == contact.org_id; });
    if (!known) return internal::NotFound("organisation '" + contact.org_id + "' in the frame");
    std::string latest;
    for (const ContactRecord& c : contacts_) {
      if (c.org_id == contact.org_id && c.date > latest) latest = c.date;
    }
    if (contact.date < latest) {
      return MakeError("ST008", "contact date " + contact.date +
                                    " is before the latest contact "
                                    "with '" +
                                    contact.org_id + "' (" + latest + ")");
    }
    ContactRecord stored = contact;
    stored.seq = static_cast<int64_t>(contacts_.size()) + 1;
    stored.recorded_at_ms = options_.clock->NowMillis();
    contacts_.push_back(stored);
    return stored;
  }

  Result<std::vector<ContactRecord>> ListContacts(const std::string& org_id) const override {
    std::lock_guard lock(mu_);
    std::vector<ContactRecord> out;
    for (const ContactRecord& c : contacts_) {
      if (org_id.empty() || c.org_id == org_id) out.push_back(c);
    }
    return out;
  }

  // --- Codings (codings.h) ---

  Status PutCodings(const std::vector<AnswerCoding>& codings) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    std::vector<AnswerCoding> checked = NGO_TRY(internal::CheckCodings(codings));
    for (const AnswerCoding& c : checked) NGO_TRY(Find(c.instance_id));
    int64_t now = options_.clock->NowMillis();
    for (AnswerCoding& c : checked) {
      c.coded_at_ms = now;
      auto key = std::make_tuple(c.question, c.instance_id, c.coder);
      codings_[key] = std::move(c);
    }
    return Ok();
  }

  Result<std::vector<AnswerCoding>> ListCodings(const std::string& question,
                                                const std::string& coder) const override {
    std::lock_guard lock(mu_);
    std::vector<AnswerCoding> out;
    for (auto it = codings_.lower_bound(std::make_tuple(question, std::string(), std::string()));
         it != codings_.end() && std::get<0>(it->first) == question; ++it) {
      if (coder.empty() || it->second.coder == coder) out.push_back(it->second);
    }
    return out;
  }

  Status Reconcile(const Reconciliation& reconciliation) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    std::vector<CodedSegment> after = NGO_TRY(internal::CheckReconciliation(reconciliation));
    NGO_TRY(Find(reconciliation.instance_id));
    auto key = std::make_tuple(reconciliation.question, reconciliation.instance_id,
                               std::string(kReconciledCoder));
    auto it = codings_.find(key);
    std::vector<CodedSegment> before =
        it == codings_.end() ? std::vector<CodedSegment>() : it->second.segments;
    if (before == after) {
      return MakeError("ST007", "the reconciled codes of " + reconciliation.instance_id + " / " +
                                    reconciliation.question + " are already these");
    }
    int64_t now = options_.clock->NowMillis();
    AppendAudit({internal::ReconciliationEntry(reconciliation, before, after, now)});
    AnswerCoding stored;
    stored.instance_id = reconciliation.instance_id;
    stored.question = reconciliation.question;
    stored.coder = kReconciledCoder;
    stored.segments = std::move(after);
    stored.coded_at_ms = now;
    codings_[key] = std::move(stored);
    return Ok();
  }

  // --- Server data (server_data.h) ---

  Status AddUser(const User& user) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    User stored = NGO_TRY(internal::CheckUser(user));
    if (users_.count(stored.name)) {
      return MakeError("ST003", "user " + stored.name + " already exists");
    }
    stored.created_at_ms = stored.updated_at_ms = options_.clock->NowMillis();
    users_.emplace(stored.name, std::move(stored));
    return Ok();
  }

  Status UpdateUser(const User& user) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    User stored = NGO_TRY(internal::CheckUser(user));
    auto it = users_.find(stored.name);
    if (it == users_.end()) return internal::NotFound("user " + stored.name);
    stored.created_at_ms = it->second.created_at_ms;
    stored.updated_at_ms = options_.clock->NowMillis();
    it->second = std::move(stored);
    return Ok();
  }

  Result<User> GetUser(const std::string& name) const override {
    std::lock_guard lock(mu_);
    auto it = users_.find(name);
    if (it == users_.end()) return internal::NotFound("user " + name);
    return it->second;
  }

  Result<std::vector<User>> ListUsers() const override {
    std::lock_guard lock(mu_);
    std::vector<User> out;
    for (const auto& [name, user] : users_) out.push_back(user);
    return out;
  }

  Result<PublishOutcome> PublishForm(const FormVersion& workbook,
                                     const PublishedForm& published) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckFormForPut(workbook));
    PublishedForm checked = NGO_TRY(internal::CheckPublished(workbook, published));
    std::string sha = internal::Sha256Hex(workbook.xlsx);
    bool form_stored = false;
    for (const FormVersion& existing : forms_) {
      if (existing.form_id == workbook.form_id && existing.version == workbook.version) {
        if (existing.xlsx_sha256 != sha) {
          return MakeError("ST003", "form \"" + workbook.form_id + "\" version " +
                                        workbook.version +
                                        " is already stored with different contents");
        }
        form_stored = true;
      }
    }
    for (const PublishedForm& existing : published_) {
      if (existing.form_id != checked.form_id || existing.version != checked.version) continue;
      if (existing.xform_md5 == checked.xform_md5 && existing.media == checked.media) {
        return PublishOutcome::kUnchanged;
      }
      return MakeError("ST003", "form \"" + checked.form_id + "\" version " + checked.version +
                                    " is already published with another XForm or media; "
                                    "publish it under a new version");
    }
    int64_t now = options_.clock->NowMillis();
    if (!form_stored) {
      FormVersion stored = workbook;
      stored.xlsx_sha256 = sha;
      stored.uploaded_at_ms = now;
      forms_.push_back(std::move(stored));
    }
    checked.title = workbook.title;
    checked.published_at_ms = now;
    published_.push_back(std::move(checked));
    return PublishOutcome::kPublished;
  }

  Result<PublishedForm> GetPublishedForm(const std::string& form_id,
                                         const std::string& version) const override {
    std::lock_guard lock(mu_);
    for (auto it = published_.rbegin(); it != published_.rend(); ++it) {
      if (it->form_id == form_id && (version.empty() || it->version == version)) return *it;
    }
    return internal::NotFound("published form \"" + form_id + "\"" +
                              (version.empty() ? "" : " version " + version));
  }

  Result<std::vector<PublishedForm>> ListPublishedForms() const override {
    std::lock_guard lock(mu_);
    std::map<std::string, PublishedForm> latest;
    for (const PublishedForm& form : published_) latest[form.form_id] = form;
    std::vector<PublishedForm> out;
    for (auto& [id, form] : latest) {
      form.xform.clear();
      for (MediaFile& m : form.media) m.bytes.clear();
      out.push_back(std::move(form));
    }
    return out;
  }

  Status CreateSession(const Session& session) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    int64_t now = options_.clock->NowMillis();
    NGO_TRY(internal::CheckSession(session, now));
    if (!users_.count(session.user)) return internal::NotFound("user " + session.user);
    std::erase_if(sessions_, [&](const auto& s) { return s.second.expires_at_ms <= now; });
    if (sessions_.count(session.token_sha256)) {
      return MakeError("ST003", "a session with this token already exists");
    }
    Session stored = session;
    stored.created_at_ms = now;
    sessions_.emplace(stored.token_sha256, stored);
    return Ok();
  }

  Result<Session> GetSession(const std::string& token_sha256) const override {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token_sha256);
    if (it == sessions_.end()) return internal::NotFound("session");
    return it->second;
  }

  Status DeleteSession(const std::string& token_sha256) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    sessions_.erase(token_sha256);
    return Ok();
  }

  Result<AccessEntry> RecordAccess(const AccessEntry& entry) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckAccess(entry));
    AccessEntry stored = entry;
    stored.seq = access_.empty() ? 1 : access_.back().seq + 1;
    stored.at_ms = options_.clock->NowMillis();
    access_.push_back(stored);
    return stored;
  }

  Result<std::vector<AccessEntry>> ReadAccessLog(const std::string& who) const override {
    std::lock_guard lock(mu_);
    std::vector<AccessEntry> out;
    for (const AccessEntry& e : access_) {
      if (who.empty() || e.who == who) out.push_back(e);
    }
    return out;
  }

  Result<Review> SetReview(const Review& review) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    NGO_TRY(internal::CheckReview(review));
    Submission* s = NGO_TRY(Find(review.instance_id));
    if (s->status != SubmissionStatus::kComplete) {
      return MakeError("ST006", "submission " + review.instance_id +
                                    " is a draft: only complete submissions are reviewed");
    }
    Review stored = review;
    stored.at_ms = options_.clock->NowMillis();
    auto it = reviews_.find(review.instance_id);
    std::optional<Review> previous;
    if (it != reviews_.end()) previous = it->second;
    AppendAudit({internal::ReviewEntry(previous, stored)});
    reviews_[stored.instance_id] = stored;
    return stored;
  }

  Result<std::optional<Review>> GetReview(const std::string& instance_id) const override {
    std::lock_guard lock(mu_);
    auto it = reviews_.find(instance_id);
    if (it == reviews_.end()) return std::optional<Review>();
    return std::optional<Review>(it->second);
  }

  Result<std::vector<Review>> ListReviews(const std::string& form_id) const override {
    std::lock_guard lock(mu_);
    std::vector<Review> out;
    for (const auto& [id, review] : reviews_) {
      if (form_id.empty() || submissions_.at(id).form_id == form_id) out.push_back(review);
    }
    return out;
  }

  Result<std::vector<SubmissionRow>> QuerySubmissions(const SubmissionQuery& query) const override {
    std::lock_guard lock(mu_);
    NGO_TRY(internal::CheckQuery(query));
    std::vector<SubmissionRow> rows;
    for (const auto& [id, s] : submissions_) {
      auto it = reviews_.find(id);
      rows.push_back(internal::RowOf(
          s, it == reviews_.end() ? std::nullopt : std::optional<Review>(it->second)));
    }
    return internal::QueryPage(std::move(rows), query);
  }

 private:
  Status CheckWritable() const {
    if (options_.read_only) return MakeError("IO104", "the in-memory store was opened read-only");
    return Ok();
  }

  // Adds amendment.alias (if any) to `named` (earlier instanceID -> the submission's):
  // nothing when the submission already has it, ST003 when it names another
  // submission (stored, in `adding`, or by another alias).
  Status KeepAlias(const Amendment& amendment, const std::set<std::string>& adding,
                   std::map<std::string, std::string>* named) const {
    if (amendment.alias.empty()) return Ok();
    auto it = named->find(amendment.alias);
    if (it != named->end() && it->second == amendment.instance_id) return Ok();
    if (it != named->end() || submissions_.count(amendment.alias) ||
        adding.count(amendment.alias)) {
      return MakeError("ST003", "instance id " + amendment.alias +
                                    " is already another submission's: it cannot also name " +
                                    amendment.instance_id);
    }
    named->emplace(amendment.alias, amendment.instance_id);
    return Ok();
  }

  Result<Submission*> Find(const std::string& instance_id) {
    auto it = submissions_.find(instance_id);
    if (it == submissions_.end()) return internal::NotFound("submission " + instance_id);
    return &it->second;
  }

  // Checks attachments against the stored ones and submissions (stored, or in
  // `adding`): every check, nothing changed. Returns those to keep (new ones only).
  Result<std::vector<Attachment>> CheckAttachments(const std::vector<Attachment>& attachments,
                                                   const std::set<std::string>& adding,
                                                   int64_t now) const {
    std::vector<Attachment> files = NGO_TRY(internal::PrepareAttachments(attachments, now));
    std::vector<Attachment> out;
    for (Attachment& a : files) {
      if (!adding.count(a.instance_id) && !submissions_.count(a.instance_id)) {
        return internal::NotFound("submission " + a.instance_id + " (of attachment \"" + a.name +
                                  "\")");
      }
      auto it = attachments_.find(std::pair(a.instance_id, a.name));
      if (it != attachments_.end()) {
        if (it->second.sha256 != a.sha256) {
          return MakeError("ST009", "submission " + a.instance_id + " already has attachment \"" +
                                        a.name + "\" with other bytes");
        }
        continue;
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  void KeepAttachments(std::vector<Attachment> files) {
    for (Attachment& a : files) {
      blobs_.emplace(a.sha256, std::move(a.data));
      a.data.clear();
      attachments_.emplace(std::pair(a.instance_id, a.name), std::move(a));
    }
  }

  Result<StoreContents> ReadContents() const override {
    std::lock_guard lock(mu_);
    StoreContents contents;
    contents.forms = forms_;
    for (const auto& [id, submission] : submissions_) contents.submissions.push_back(submission);
    contents.audit = audit_;
    contents.audit_head_seq = head_.seq;
    contents.audit_head_hash = head_.hash;
    contents.frame = frame_;
    contents.contacts = contacts_;
    // codings_ is keyed by (question, instance id, coder): the contents' order.
    for (const auto& [key, coding] : codings_) contents.codings.push_back(coding);
    // attachments_ is keyed by (instance id, name): the contents' order.
    for (const auto& [key, attachment] : attachments_) {
      Attachment& a = contents.attachments.emplace_back(attachment);
      a.data = blobs_.at(a.sha256);
    }
    for (const auto& [name, user] : users_) contents.users.push_back(user);
    contents.published = published_;
    contents.access_log = access_;
    for (const auto& [id, review] : reviews_) contents.reviews.push_back(review);
    for (const auto& [alias, id] : aliases_) contents.aliases.push_back({alias, id});
    return contents;
  }

  Status LoadContents(const StoreContents& contents) override {
    std::lock_guard lock(mu_);
    NGO_TRY(CheckWritable());
    CopySummary held{forms_.size(),         submissions_.size(), audit_.size(),
                     frame_.entries.size(), contacts_.size(),    codings_.size(),
                     attachments_.size(),   users_.size(),       published_.size(),
                     access_.size(),        reviews_.size()};
    NGO_TRY(internal::CheckEmptyTarget(held));
    forms_ = contents.forms;
    for (const Submission& s : contents.submissions) submissions_[s.instance_id] = s;
    audit_ = contents.audit;
    head_ = ChainHead{contents.audit_head_seq, contents.audit_head_hash};
    frame_ = contents.frame;
    contacts_ = contents.contacts;
    for (const AnswerCoding& c : contents.codings) {
      codings_[{c.question, c.instance_id, c.coder}] = c;
    }
    KeepAttachments(contents.attachments);
    for (const User& u : contents.users) users_[u.name] = u;
    published_ = contents.published;
    access_ = contents.access_log;
    for (const Review& r : contents.reviews) reviews_[r.instance_id] = r;
    for (const InstanceAlias& a : contents.aliases) aliases_[a.alias] = a.instance_id;
    return Ok();
  }

  void AppendAudit(std::vector<AuditEntry> entries) {
    head_ = internal::LinkEntries(head_, &entries);
    for (AuditEntry& entry : entries) audit_.push_back(std::move(entry));
  }

  OpenOptions options_;
  mutable std::mutex mu_;
  std::vector<FormVersion> forms_;  // in upload order
  std::map<std::string, Submission> submissions_;
  std::vector<AuditEntry> audit_;
  ChainHead head_;
  StoredFrame frame_;                    // entries in position order
  std::vector<ContactRecord> contacts_;  // in seq order
  std::map<std::string, User> users_;
  std::vector<PublishedForm> published_;     // in publication order
  std::vector<AccessEntry> access_;          // in seq order
  std::map<std::string, Session> sessions_;  // by token hash
  std::map<std::string, Review> reviews_;    // by instance id
  // Earlier instanceIDs of submissions (InstanceAlias): alias -> the submission's own.
  std::map<std::string, std::string> aliases_;
  // Codings by (question, instance id, coder).
  std::map<std::tuple<std::string, std::string, std::string>, AnswerCoding> codings_;
  // Attachments by (instance id, name), without bytes; the bytes by SHA-256.
  std::map<std::pair<std::string, std::string>, Attachment> attachments_;
  std::map<std::string, std::string> blobs_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenMemoryStore(const OpenOptions& options) {
  return std::unique_ptr<Store>(new MemoryStore(options));
}

}  // namespace ngosurvey::store::memory
