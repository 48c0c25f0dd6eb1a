// SqliteStore, the Store of the SQLite back end, declared once for the files that
// define its parts:
//   schema.cpp        the schema scripts, the migrations (Migrate) and the checks
//                     of an existing file before it is opened (Inspect)
//   sqlite_store.cpp  forms, submissions and their answers, the audit trail,
//                     BeginImport's writer, and OpenSqliteStore
//   sqlite_fieldwork_log.cpp  the fieldwork log: the sample frame and the contacts
//   sqlite_codings.cpp  the codings of open answers and their reconciliation
//   sqlite_attachments.cpp  the files of submissions (content-addressed blobs)
//   sqlite_contents.cpp  every row at once, read and written (CopyStore)
//   sqlite_server_data.cpp  accounts, published forms and the access log
//   sqlite_review.cpp  reviews of submissions and the submissions table
// Private to store/sqlite/: the rest of store/ uses sqlite_store_internal.h.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/connection_internal.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace ngosurvey::store::sqlite {

class SqliteStore;

// Read-only connections of one store file beside its writer, so that reads (a
// login, a duplicate check, the supervisor's table) do not wait behind a write's
// commit: in WAL mode readers see the last committed state while a writer works.
// Opened when first needed, up to `size`; a Read takes a free one, or waits for
// one. Thread-safe.
class ReaderPool {
 public:
  // No readers when `size` is 0.
  ReaderPool(std::string path, int size, int busy_timeout_ms)
      : path_(std::move(path)), size_(size), busy_timeout_ms_(busy_timeout_ms) {}
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  bool enabled() const { return size_ > 0; }
  // A free reader; a new one when none is free and fewer than `size` are open
  // (IO101 when it cannot be opened); else waits until one is given back.
  Result<Connection*> Take() const;
  void GiveBack(Connection* conn) const;

 private:
  const std::string path_;
  const int size_;
  const int busy_timeout_ms_;
  mutable std::mutex mu_;
  mutable std::condition_variable freed_;
  mutable std::vector<std::unique_ptr<Connection>> all_;
  mutable std::vector<Connection*> free_;
  mutable int opening_ = 0;  // readers being opened (counted against size_)
};

// The reader this thread holds inside SqliteStore::Read, and the store it is of.
inline thread_local const SqliteStore* tl_reading_store = nullptr;
inline thread_local Connection* tl_reader = nullptr;

// What the code inside a transaction calls `conn_`: the reader this thread holds
// inside a Read of this store, else the writer.
class CurrentConnection {
 public:
  CurrentConnection(const SqliteStore* store, std::unique_ptr<Connection> writer)
      : store_(store), writer_(std::move(writer)) {}
  Connection* operator->() const { return tl_reading_store == store_ ? tl_reader : writer_.get(); }
  Connection& operator*() const { return *operator->(); }

 private:
  const SqliteStore* store_;
  std::unique_ptr<Connection> writer_;
};

class SqliteStore final : public Store {
 public:
  // `conn` is the writer (every write, and every read when there are no readers).
  // With options.connections > 1 and a writable store, Reads use up to
  // connections - 1 read-only connections of their own (ReaderPool).
  SqliteStore(std::unique_ptr<Connection> conn, const OpenOptions& options)
      : conn_(this, std::move(conn)),
        options_(options),
        readers_(conn_->path(), options.read_only ? 0 : std::max(options.connections - 1, 0),
                 options.busy_timeout_ms) {}

  // Brings the schema to kSchemaVersion in one transaction (schema.cpp). Another
  // process may be doing the same, so the version is read again under the write lock.
  Status Migrate();

  // Store (sqlite_store.cpp).
  Status PutForm(const FormVersion& form) override;
  Result<FormVersion> GetForm(const std::string& form_id,
                              const std::string& version) const override;
  Result<std::vector<FormVersion>> ListForms(const std::string& form_id) const override;
  Status CreateSubmission(const Submission& s) override;
  Status CreateSubmissions(const SubmissionBatch& batch) override;
  Status SaveDraft(const std::string& instance_id, const std::vector<AnswerChange>& changes,
                   const std::optional<std::string>& language) override;
  Status CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms,
                            std::optional<int> ended_offset_minutes) override;
  Status Amend(const Amendment& amendment) override;
  Result<Submission> GetSubmission(const std::string& instance_id) const override;
  Result<std::vector<Submission>> ListSubmissions(const SubmissionFilter& filter) const override;
  Status ForEachSubmission(const SubmissionFilter& filter,
                           const SubmissionVisitor& visit) const override;
  Result<std::vector<std::string>> MetadataColumns(const SubmissionFilter& filter) const override;
  Result<std::unique_ptr<ImportWriter>> BeginImport(
      const std::optional<FormVersion>& form) override;
  Result<std::vector<AuditEntry>> ReadAudit(const std::string& instance_id) const override;
  Result<AuditVerification> VerifyAudit() const override;
  // Moving a store (sqlite_contents.cpp).
  Result<StoreContents> ReadContents() const override;
  Status LoadContents(const StoreContents& contents) override;

  // Attachments (sqlite_attachments.cpp).
  Status PutAttachments(const std::vector<Attachment>& attachments) override;
  Result<Attachment> GetAttachment(const std::string& instance_id,
                                   const std::string& name) const override;
  Result<std::vector<Attachment>> ListAttachments(const std::string& instance_id) const override;

  // FieldworkLog (sqlite_fieldwork_log.cpp).
  Result<FrameImportResult> ImportFrame(const FrameImport& import) override;
  Result<StoredFrame> ReadFrame() const override;
  Result<ContactRecord> AddContact(const ContactRecord& contact) override;
  Result<std::vector<ContactRecord>> ListContacts(const std::string& org_id) const override;

  // CodingLog (sqlite_codings.cpp).
  Status PutCodings(const std::vector<AnswerCoding>& codings) override;
  Result<std::vector<AnswerCoding>> ListCodings(const std::string& question,
                                                const std::string& coder) const override;
  Status Reconcile(const Reconciliation& reconciliation) override;

  // ServerData (sqlite_server_data.cpp).
  Status AddUser(const User& user) override;
  Status UpdateUser(const User& user) override;
  Result<User> GetUser(const std::string& name) const override;
  Result<std::vector<User>> ListUsers() const override;
  Result<PublishOutcome> PublishForm(const FormVersion& workbook,
                                     const PublishedForm& published) override;
  Result<PublishedForm> GetPublishedForm(const std::string& form_id,
                                         const std::string& version) const override;
  Result<std::vector<PublishedForm>> ListPublishedForms() const override;
  Status CreateSession(const Session& session) override;
  Result<Session> GetSession(const std::string& token_sha256) const override;
  Status DeleteSession(const std::string& token_sha256) override;
  Result<AccessEntry> RecordAccess(const AccessEntry& entry) override;
  Result<std::vector<AccessEntry>> ReadAccessLog(const std::string& who) const override;

  // ReviewLog (sqlite_review.cpp).
  Result<Review> SetReview(const Review& review) override;
  Result<std::optional<Review>> GetReview(const std::string& instance_id) const override;
  Result<std::vector<Review>> ListReviews(const std::string& form_id) const override;
  Result<std::vector<SubmissionRow>> QuerySubmissions(const SubmissionQuery& query) const override;

 private:
  class SqliteImportWriter;  // BeginImport's writer (sqlite_store.cpp)

  // A submission's row: what the write paths need to know.
  struct Row {
    int64_t id = 0;
    bool complete = false;
    std::string interviewer;
  };

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front,
  // so a writer waits for others (busy_timeout) instead of failing half-way. On
  // any error the transaction is rolled back and the error returned.
  template <typename Body>
  Status Write(const std::string& doing, Body&& body) {
    std::lock_guard lock(mu_);
    if (options_.read_only) {
      return MakeError("IO104", doing + ": the store was opened read-only",
                       FileLocation(conn_->path()));
    }
    NGO_TRY(conn_->Exec("BEGIN IMMEDIATE", doing));
    Status result = body();
    if (result) result = conn_->Exec("COMMIT", doing);
    if (!result && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK", doing);
    return result;
  }

  // Runs `body` in a read transaction, so that it sees one consistent state: on a
  // reader of its own when the store has readers (the last committed state; never
  // waits for a writer), else on the writer's connection under its lock.
  template <typename Body>
  auto Read(const std::string& doing, Body&& body) const -> decltype(body()) {
    if (readers_.enabled() && tl_reading_store != this) {
      Connection* reader = NGO_TRY(readers_.Take());
      struct Lease {
        const SqliteStore* store;
        Connection* reader;
        ~Lease() {
          tl_reading_store = nullptr;
          tl_reader = nullptr;
          store->readers_.GiveBack(reader);
        }
      } lease{this, reader};
      tl_reading_store = this;
      tl_reader = reader;
      NGO_TRY(reader->Exec("BEGIN", doing));
      auto result = body();
      (void)reader->Exec(result ? "COMMIT" : "ROLLBACK", doing);
      return result;
    }
    std::lock_guard lock(mu_);
    NGO_TRY(conn_->Exec("BEGIN", doing));
    auto result = body();
    (void)conn_->Exec(result ? "COMMIT" : "ROLLBACK", doing);
    return result;
  }

  // Forms and submissions, inside the caller's transaction (sqlite_store.cpp).
  Status InsertForm(const FormVersion& form);
  Status InsertSubmission(const Submission& s);
  // Amend's body: the amendment was checked (CheckAmendment).
  Status AmendInTransaction(const Amendment& amendment);
  // Keeps amendment.alias (if any) as an instanceID of submission row `id`.
  Status KeepAlias(int64_t id, const Amendment& amendment);
  // The instanceID of the submission that `alias` names (InstanceAlias), or nullopt.
  Result<std::optional<std::string>> ResolveAlias(const std::string& alias) const;
  // NotFound (ST002) unless form `form_id` version `version` is stored.
  Status CheckFormStored(const std::string& form_id, const std::string& version);
  // The submission `instance_id` with its answers, or nothing; a SQLite error names
  // what the caller was `doing`.
  Result<std::optional<Submission>> LookUpSubmission(const std::string& instance_id,
                                                     std::string_view doing) const;
  // The submissions query with `filter` bound (`sql`: another query over the same
  // filter parameters ?1..?10, e.g. the metadata columns').
  Result<Statement> PrepareListSubmissions(const SubmissionFilter& filter,
                                           const std::string& sql = "") const;
  Result<Row> FindSubmission(const std::string& instance_id);
  Status PutAnswer(int64_t id, const std::string& path, const form::Answer& answer);
  Status DeleteAnswer(int64_t id, const std::string& path);
  Status Touch(int64_t id, int64_t now);
  Result<Submission> SubmissionFromRow(const Statement& row, int64_t* id) const;

  // Answers: rows for drafts, one packed blob for complete submissions.
  tl::unexpected<Error> DamagedAnswers(const std::string& instance_id, const Error& cause) const;
  Status CheckPacked(const Statement& row, const std::string& instance_id) const;
  Result<Answers> DecodePacked(std::string_view blob, const std::string& instance_id) const;
  Result<Answers> ReadPackedAnswers(int64_t id, const std::string& instance_id) const;
  Result<Answers> ReadAnswersOf(int64_t id, const Submission& s) const;
  Result<Answers> ReadAnswers(int64_t id) const;
  Status WritePackedAnswers(int64_t id, const Answers& answers, bool replace);
  // Submission::metadata of submission `id`: written once (a new submission), read
  // in column order.
  Status WriteMetadata(int64_t id, const std::vector<MetadataField>& metadata);
  Result<std::vector<MetadataField>> ReadMetadata(int64_t id) const;
  Status PackDraftAnswers(int64_t id);
  Status PackCompletedSubmissions();
  Status PackStoredMetadata();

  // Attachments prepared by internal::PrepareAttachments, inside the caller's
  // transaction (sqlite_attachments.cpp).
  Status InsertAttachments(const std::vector<Attachment>& attachments);

  // The audit trail.
  Result<std::vector<AuditEntry>> ReadEntries(const std::string& instance_id) const;
  Result<internal::ChainHead> ReadHead() const;
  Status AppendAudit(std::vector<AuditEntry> entries);

  // The stored frame, inside the caller's transaction (sqlite_fieldwork_log.cpp).
  Result<StoredFrame> ReadFrameRows() const;

  // Codings, inside the caller's transaction (sqlite_codings.cpp): those of a
  // question (one coder's, one submission's when set), and the replacement of one
  // (submission, question, coder)'s segments.
  Result<std::vector<AnswerCoding>> ReadCodings(const std::string& question,
                                                const std::string& coder,
                                                const std::string& instance_id) const;
  Status ReplaceCodings(int64_t submission_id, const std::string& question,
                        const std::string& coder, const std::vector<CodedSegment>& segments,
                        int64_t now);

  // Accounts, inside the caller's transaction (sqlite_server_data.cpp): the rows of
  // `name` (all when empty), and the replacement of one account's form list.
  Result<std::vector<User>> ReadUsers(const std::string& name) const;
  Status WriteUserForms(const User& user);
  // The server data of ReadContents/LoadContents, inside the caller's transaction:
  // every account, every published version with its bytes (publication order) and
  // the access log; LoadContents's rows are written as they are (times, seq).
  Status ReadServerContents(StoreContents* out) const;
  Status WriteServerContents(const StoreContents& contents);
  Result<std::vector<AccessEntry>> ReadAccessRows(const std::string& who) const;

  // Reviews, inside the caller's transaction (sqlite_review.cpp): the current
  // reviews of a form's submissions (every form when empty) by instance id, and
  // the write of one (its row and the submission's review_status; no audit entry).
  Result<std::vector<Review>> ReadReviewRows(const std::string& form_id) const;
  Status WriteReview(const Review& review);
  // SetReview's body inside the caller's transaction (the review already checked);
  // returns the review with at_ms set.
  Result<Review> ReviewInTransaction(const Review& review);

  // Adds the file name to errors raised while decoding rows (a store code ST...
  // becomes IO105: a row no ngosurvey writes means a damaged store).
  template <typename T>
  Result<T> WithPath(Result<T> result) const {
    if (!result) {
      Error error = result.error();
      if (error.code.rfind("ST", 0) == 0) {
        error.code = "IO105";
        error.message = "the store is damaged: " + error.message;
      }
      error.where = FileLocation(conn_->path());
      return tl::unexpected(std::move(error));
    }
    return result;
  }
  Status WithPath(Status status) const {
    if (status) return status;
    Error error = status.error();
    error.where = FileLocation(conn_->path());
    return tl::unexpected(std::move(error));
  }

  CurrentConnection conn_;
  OpenOptions options_;
  mutable std::mutex mu_;  // the writer's
  ReaderPool readers_;
};

}  // namespace ngosurvey::store::sqlite
