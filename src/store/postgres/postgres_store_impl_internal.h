// PostgresStore, the Store of the PostgreSQL back end, declared once for the files
// that define its parts:
//   schema.cpp            the schema scripts, the migrations (Migrate) and the
//                         checks of an existing database before anything is written
//   postgres_store.cpp    forms, submissions and their answers, the audit trail, and
//                         OpenPostgresStore
//   postgres_fieldwork_log.cpp  the sample frame and the contacts
//   postgres_codings.cpp  the codings of open answers and their reconciliation
//   postgres_attachments.cpp  the files of submissions (content-addressed blobs)
//   postgres_contents.cpp  every row at once, read and written (CopyStore)
//   postgres_server_data.cpp  accounts, published forms and the access log
//   postgres_review.cpp   reviews of submissions and the submissions table
//
// Concurrency. Several processes (several servers) may write to one database. Every
// write is one READ COMMITTED transaction that takes, before it reads what it
// decides on, the row locks that order it against the others:
//   - a submission's row (SELECT ... FOR UPDATE) before its answers, status or codings
//     change;
//   - the audit chain's head row (audit_head, FOR UPDATE) before entries are linked
//     to it, so appends are serialised and the chain stays one chain; always after
//     the submission row, never before, so two writers cannot wait for each other;
//   - transaction-level advisory locks for the sample frame and the contact log,
//     whose positions and sequence numbers are max + 1.
// A new instance id is kept unique by the table's UNIQUE constraint: a concurrent
// second insert fails with unique_violation, which is ST003 as it is on SQLite. A
// deadlock or serialization failure rolls the transaction back and runs it again
// (up to OpenOptions::busy_timeout_ms); lock waits are bounded by lock_timeout =
// busy_timeout_ms (then IO106). Reads run in one REPEATABLE READ READ ONLY
// transaction, so each call sees one snapshot.
//
// Connections. A store holds up to OpenOptions::connections connections
// (ConnectionPool); each call (Read or Write) takes a free one for its transaction
// and gives it back at the end, so calls from different threads run at once, each
// in its own transaction, ordered by the row locks above exactly as calls from
// different processes are. The code inside a transaction names the connection as
// `conn_`: the one this thread holds (ConnectionRef).
// Private to store/postgres/.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/connection_internal.h"
#include "store/postgres/postgres_store_internal.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace ngosurvey::store::postgres {

// Keys of the transaction-level advisory locks (pg_advisory_xact_lock).
inline constexpr int64_t kMigrationLock = 0x4E474F5301;
inline constexpr int64_t kFrameLock = 0x4E474F5302;
inline constexpr int64_t kContactLock = 0x4E474F5303;

// What Inspect found in the database.
struct Inspection {
  bool empty = false;          // no table at all in the store's schema
  int64_t schema_version = 0;  // of an ngosurvey store
};

// Reads what the database holds, writing nothing (schema.cpp): IO102 for a
// database with other tables, IO103 for a newer schema.
Result<Inspection> Inspect(Connection& conn);

// The connections of one store. Thread-safe.
class ConnectionPool {
 public:
  // Opens one more connection of the store (with its session settings).
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  // `first` is open already; up to `size` (at least 1) in all.
  ConnectionPool(std::unique_ptr<Connection> first, int size, Opener open);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection held by this thread until the lease ends (then given back).
  class Lease {
   public:
    Lease(const ConnectionPool* pool, Connection* conn);
    Lease(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

   private:
    const ConnectionPool* pool_;
    Connection* conn_;
  };

  // A free connection; a new one when none is free and fewer than `size` are open
  // (IO101 when it cannot be opened); else waits until one is given back.
  Result<Lease> Acquire() const;

  // The connection this thread holds from this pool (the latest lease). Calling it
  // without a lease is a programming error (aborts).
  Connection* Current() const;

  // The database's location, its password redacted.
  const std::string& location() const { return location_; }

 private:
  void GiveBack(Connection* conn) const;

  const int size_;
  const Opener open_;
  const std::string location_;
  mutable std::mutex mu_;
  mutable std::condition_variable freed_;
  mutable std::vector<std::unique_ptr<Connection>> all_;
  mutable std::vector<Connection*> free_;
  mutable int opening_ = 0;  // connections being opened (counted against size_)
};

// What the code inside a transaction calls `conn_`: the connection this thread
// holds from the store's pool.
class ConnectionRef {
 public:
  explicit ConnectionRef(const ConnectionPool* pool) : pool_(pool) {}
  Connection* operator->() const { return pool_->Current(); }
  Connection& operator*() const { return *pool_->Current(); }

 private:
  const ConnectionPool* pool_;
};

class PostgresStore final : public Store {
 public:
  // `conn` is the connection the store was opened with; `open` opens more, up to
  // options.connections.
  PostgresStore(std::unique_ptr<Connection> conn, const OpenOptions& options,
                ConnectionPool::Opener open)
      : pool_(std::move(conn), options.connections, std::move(open)),
        conn_(&pool_),
        options_(options) {}

  // Brings the schema to kSchemaVersion in one transaction, under an advisory lock
  // so that two processes opening a new database do not both create it (schema.cpp).
  Status Migrate();

  // Store (postgres_store.cpp).
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
  Result<std::vector<AuditEntry>> ReadAudit(const std::string& instance_id) const override;
  Result<AuditVerification> VerifyAudit() const override;
  // Moving a store (postgres_contents.cpp).
  Result<StoreContents> ReadContents() const override;
  Status LoadContents(const StoreContents& contents) override;

  // Attachments (postgres_attachments.cpp).
  Status PutAttachments(const std::vector<Attachment>& attachments) override;
  Result<Attachment> GetAttachment(const std::string& instance_id,
                                   const std::string& name) const override;
  Result<std::vector<Attachment>> ListAttachments(const std::string& instance_id) const override;

  // FieldworkLog (postgres_fieldwork_log.cpp).
  Result<FrameImportResult> ImportFrame(const FrameImport& import) override;
  Result<StoredFrame> ReadFrame() const override;
  Result<ContactRecord> AddContact(const ContactRecord& contact) override;
  Result<std::vector<ContactRecord>> ListContacts(const std::string& org_id) const override;

  // CodingLog (postgres_codings.cpp).
  Status PutCodings(const std::vector<AnswerCoding>& codings) override;
  Result<std::vector<AnswerCoding>> ListCodings(const std::string& question,
                                                const std::string& coder) const override;
  Status Reconcile(const Reconciliation& reconciliation) override;

  // ServerData (postgres_server_data.cpp).
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

  // ReviewLog (postgres_review.cpp).
  Result<Review> SetReview(const Review& review) override;
  Result<std::optional<Review>> GetReview(const std::string& instance_id) const override;
  Result<std::vector<Review>> ListReviews(const std::string& form_id) const override;
  Result<std::vector<SubmissionRow>> QuerySubmissions(const SubmissionQuery& query) const override;

 private:
  // A submission's row, locked for the rest of the transaction.
  struct Row {
    int64_t id = 0;
    bool complete = false;
    std::string interviewer;
  };

  // Runs `body` in one READ COMMITTED transaction and commits it. On an error the
  // transaction is rolled back; a deadlock or serialization failure runs it again
  // (body must start from scratch each time) until busy_timeout_ms has passed.
  Status Write(const std::string& doing, const std::function<Status()>& body);

  // Runs `body` in a REPEATABLE READ READ ONLY transaction (one snapshot).
  template <typename Body>
  auto Read(const std::string& doing, Body&& body) const -> decltype(body()) {
    auto lease = pool_.Acquire();
    if (!lease) return tl::unexpected(std::move(lease).error());
    NGO_TRY(conn_->EnsureConnected());
    NGO_TRY(conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", doing));
    auto result = body();
    (void)conn_->Exec(result ? "COMMIT" : "ROLLBACK", doing);
    return result;
  }

  // Inside the caller's transaction (postgres_store.cpp).
  Status InsertForm(const FormVersion& form);
  Status InsertSubmission(const Submission& s);
  // The body of Amend (the amendment checked), and of PutAttachments (attachments
  // prepared by internal::PrepareAttachments).
  Status AmendInTransaction(const Amendment& amendment);
  // Keeps amendment.alias (if any) as an instanceID of submission row `id`.
  Status KeepAlias(int64_t id, const Amendment& amendment);
  Status InsertAttachments(const std::vector<Attachment>& attachments);
  Status CheckFormStored(const std::string& form_id, const std::string& version);
  Result<std::optional<Submission>> LookUpSubmission(const std::string& instance_id) const;
  Result<Row> LockSubmission(const std::string& instance_id);
  Result<Answers> ReadDraftAnswers(int64_t id) const;
  Result<Answers> ReadPackedAnswers(int64_t id, const std::string& instance_id) const;
  Status WritePackedAnswers(int64_t id, const Answers& answers, bool replace);
  // Submission::metadata: written once for a new submission (one statement), read
  // in column order for one submission or for a page of them (by id).
  Status WriteMetadata(int64_t id, const std::vector<MetadataField>& metadata);
  Result<std::vector<MetadataField>> ReadMetadata(int64_t id) const;
  Result<std::map<int64_t, std::vector<MetadataField>>> ReadMetadata(
      const std::vector<int64_t>& ids) const;
  Result<Submission> SubmissionFromRow(const Rows& rows, int row, int64_t* id) const;
  tl::unexpected<Error> Damaged(const std::string& what) const;

  // The audit trail.
  Result<std::vector<AuditEntry>> ReadEntries(const std::string& instance_id) const;
  Result<internal::ChainHead> ReadHead(bool for_update) const;
  Status AppendAudit(std::vector<AuditEntry> entries);

  // Fieldwork log and codings, inside the caller's transaction.
  Result<StoredFrame> ReadFrameRows() const;
  Result<std::vector<AnswerCoding>> ReadCodings(const std::string& question,
                                                const std::string& coder,
                                                const std::string& instance_id) const;
  Status ReplaceCodings(int64_t submission_id, const std::string& question,
                        const std::string& coder, const std::vector<CodedSegment>& segments,
                        int64_t now);

  // Server data, inside the caller's transaction (postgres_server_data.cpp): the
  // accounts named `name` (all when empty), one account's form list, the access
  // log, and what ReadContents/LoadContents move (rows written as they are).
  Result<std::vector<User>> ReadUsers(const std::string& name) const;
  Status WriteUserForms(const User& user);
  Result<std::vector<AccessEntry>> ReadAccessRows(const std::string& who) const;
  Result<std::vector<MediaFile>> ReadMedia(int64_t published_id, bool with_bytes) const;
  Status ReadServerContents(StoreContents* out) const;
  Status WriteServerContents(const StoreContents& contents);

  // Reviews, inside the caller's transaction (postgres_review.cpp): the current
  // reviews of a form's submissions (every form when empty) by instance id, and the
  // write of one (its row and the submission's review_status; no audit entry).
  Result<std::vector<Review>> ReadReviewRows(const std::string& form_id) const;
  Status WriteReview(const Review& review);
  // SetReview's body inside the caller's transaction (the review already checked);
  // returns the review with at_ms set.
  Result<Review> ReviewInTransaction(const Review& review);

  ConnectionPool pool_;
  ConnectionRef conn_;  // inside a transaction: this thread's connection
  OpenOptions options_;
};

}  // namespace ngosurvey::store::postgres
