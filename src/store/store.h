// store: where interviews live. Owns forms with their versions, submissions
// (drafts and completed ones, with their answers), and the append-only audit trail
// of changes to completed submissions. It must not know how a form is parsed or
// walked (form/ and interview/ do that) and it never prints.
//
// One interface, several back ends, chosen by a location string in OpenStore():
//   "memory:"             in-memory (tests of other modules; nothing persists)
//   "sqlite:PATH" or PATH the default: one SQLite file (store/sqlite/)
//   "postgresql://..."    a PostgreSQL database (store/postgres/, libpq), for a
//   or "postgres://..."   central server that several processes and machines share;
//                         a libpq connection URL (user, host, port, database,
//                         ?sslmode=..., ?options=-csearch_path%3DSCHEMA). Passwords
//                         never appear in errors (see docs/store.md).
// No SQLite types or SQL leak out, every write is one method (one transaction),
// timestamps come from a Clock, and the audit chain is computed by shared code
// (store_internal.h) from portable values: PostgreSQL serialises chain appends on
// the chain's head row (SELECT ... FOR UPDATE) where SQLite relies on its single
// writer lock.
//
// Every write is all-or-nothing: when a method returns an error, the store is as it
// was before the call (nothing half-written, no audit entry without its change). A
// write that returned success is durable: on the SQLite back end it has been
// fsynced (WAL, synchronous=FULL) and survives a crash or power cut; on PostgreSQL
// it has been committed with synchronous_commit=on (flushed to the server's WAL).
//
// Thread safety: a Store object may be used from several threads; its calls are
// serialised internally. For parallel writers open one Store per thread or process
// on the same file or database: the back end's locking orders their transactions
// and each waits (up to OpenOptions::busy_timeout_ms) for the others, so every
// writer keeps all it wrote.
//
// Error codes (Error::code). IO1xx concern the database file (or server) itself, and
// the CLI maps them to exit status 3; ST0xx concern a request.
//   IO101 cannot open or create the database file; cannot connect to the server
//   IO102 the file is not an ngosurvey store (another SQLite database or no database)
//   IO103 the store was written by a newer ngosurvey (schema version too new)
//   IO104 the store is read-only (file permissions, or opened read-only) and a write
//         or a schema migration was needed
//   IO105 the file is damaged (integrity check failed or a page cannot be read)
//   IO106 the store stayed locked by another writer longer than busy_timeout_ms
//   IO107 another storage error (disk full, I/O error, the connection to the server
//         was lost: then the Store reconnects on its next call)
//   IO108 opened read-only, but the store's schema is older and needs a migration
//   ST001 invalid request (malformed id, path, answer or filter)
//   ST002 not found (form version, submission)
//   ST003 conflict: the form id + version exists with other bytes, or the instance
//         id is already used
//   ST004 the submission is complete: drafts cannot change it (use Amend)
//   ST005 an amendment needs a non-empty reason and author
//   ST006 the submission is a draft: amend only completed submissions
//   ST007 the amendment changes nothing
//   ST009 an attachment name is stored for the submission with other bytes
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "form/answer.h"
#include "store/codings.h"
#include "store/fieldwork_log.h"
#include "store/review.h"
#include "store/server_data.h"

namespace ngosurvey::store {

// One version of one form: the XLSForm workbook as uploaded. Uploading the same
// form_id with another version adds a version; submissions stay tied to the
// version they were collected with.
struct FormVersion {
  std::string form_id;  // XLSForm settings!form_id; non-empty
  std::string version;  // XLSForm settings!version; non-empty
  std::string title;
  std::string xlsx;  // the workbook's bytes (empty in ListForms results)
  // Set by the store: SHA-256 of `xlsx` in lower-case hex, and the upload time.
  std::string xlsx_sha256;
  int64_t uploaded_at_ms = 0;

  friend bool operator==(const FormVersion&, const FormVersion&) = default;
};

enum class SubmissionStatus { kDraft, kComplete };
// Fieldwork wave: pretest interviews are kept but excluded from analysis.
enum class Wave { kPretest, kMain };

std::string_view StatusName(SubmissionStatus status);         // "draft", "complete"
std::string_view WaveName(Wave wave);                         // "pretest", "main"
Result<SubmissionStatus> ParseStatus(std::string_view name);  // ST001 if unknown
Result<Wave> ParseWave(std::string_view name);                // ST001 if unknown

// Answers keyed by answer path ("age", "programs[2]/name"; see form/answer.h).
using Answers = std::map<std::string, form::Answer>;

// A column that a platform's export wrote beside the answers (KoboToolbox's "_id",
// "_submission_time", "_index"; ODK Central's "SubmissionDate", "DeviceID"; Ona's
// "_xform_id_string"...), kept as written so that an export writes it back
// (docs/formats/platform-exports.md). A repeat instance's own columns carry the
// instance's path before the header: "members[2]/_index".
struct MetadataField {
  std::string column;  // non-empty UTF-8, once per submission
  std::string value;   // UTF-8, as written (may be empty)

  friend bool operator==(const MetadataField&, const MetadataField&) = default;
};

// One interview.
struct Submission {
  std::string instance_id;  // "uuid:" + a UUID (OpenRosa instanceID)
  std::string form_id;
  std::string form_version;  // must name an uploaded FormVersion
  SubmissionStatus status = SubmissionStatus::kDraft;
  Wave wave = Wave::kMain;
  std::string org_id;  // the organisation interviewed
  std::string interviewer;
  // The account that sent it to the collection server (store/server_data.h), empty
  // for interviews stored by the CLI or an import. Interviewers see only theirs.
  std::string submitted_by;
  // The form language code the interview was last shown in ("km"), so that a resumed
  // interview continues in it; empty when unknown (imports) or the form's default.
  std::string language;
  int64_t started_at_ms = 0;
  std::optional<int64_t> ended_at_ms;  // set when completed
  // The UTC offsets (minutes east, at most date::kMaxUtcOffsetMinutes either way)
  // that the start and end times were written with where the interview happened
  // ("2024-03-05T09:12:44.123+07:00": 420), so that times and days are shown in
  // that local time (date::FormatLocalDateTime); nullopt when unknown (a time
  // without a zone, a clock's), shown in UTC. Store schema 11.
  std::optional<int> started_offset_minutes;
  std::optional<int> ended_offset_minutes;
  int64_t updated_at_ms = 0;  // set by the store on every write
  Answers answers;
  // The platform's metadata columns, in the order of its export; empty for
  // interviews not imported from a platform's export.
  std::vector<MetadataField> metadata;

  friend bool operator==(const Submission&, const Submission&) = default;
};

// A change to one answer: set it, or (answer == nullopt) remove the path, e.g.
// when a repeat instance is deleted.
struct AnswerChange {
  std::string path;
  std::optional<form::Answer> answer;
};

// A change to a completed submission, recorded in the audit trail.
struct Amendment {
  std::string instance_id;
  std::string who;     // the person making the change; non-empty
  std::string reason;  // why; non-empty
  std::vector<AnswerChange> changes;
  // Another instanceID the submission has from now on (ODK's edit: the edit's own
  // instanceID, meta/deprecatedID naming the submission), kept as an InstanceAlias;
  // empty for none. With an alias, `changes` may change nothing. ST003 when it is
  // already another submission's instanceID or alias (the same alias again is kept
  // once).
  std::string alias;
};

// An instanceID a submission has had besides its own (an ODK edit's, Amendment::alias).
// GetSubmission and ImportWriter::Find find the submission by it, under its own.
struct InstanceAlias {
  std::string alias;
  std::string instance_id;  // the submission's own

  friend bool operator==(const InstanceAlias&, const InstanceAlias&) = default;
};

// A file that came with a submission (a photo, a recording, the audit log): kept
// with it, content-addressed by the SHA-256 of its bytes (docs/formats/attachments.md).
// A submission names each of its files once; the same bytes under several names or
// submissions are stored once.
struct Attachment {
  std::string instance_id;   // the submission it belongs to
  std::string name;          // its file name as the submission names it ("1710.jpg")
  std::string content_type;  // MIME type as received ("image/jpeg"), may be empty
  std::string data;          // the bytes (empty in ListAttachments results)
  // Set by the store: SHA-256 of `data` in lower-case hex, its size and when it
  // was stored.
  std::string sha256;
  int64_t size = 0;
  int64_t added_at_ms = 0;

  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// An import: an optional form version and submissions, stored together by
// CreateSubmissions in one transaction.
struct SubmissionBatch {
  // Stored as by PutForm first (the same bytes again change nothing) when set.
  std::optional<FormVersion> form;
  std::vector<Submission> submissions;
  // Files of the batch's submissions (or of submissions already stored), stored
  // as by PutAttachments after the submissions, in the same transaction.
  std::vector<Attachment> attachments;
  // Changes to complete submissions (stored, or of this batch), applied last and in
  // order as Amend does (audit entries, ST005-ST007): an ODK edit (deprecatedID)
  // imported with the rest.
  std::vector<Amendment> amendments;
  // Reviews of complete submissions (stored, or of this batch), set last and in
  // order as SetReview does (ST001, ST002, ST006; an audit entry each, at_ms from the
  // store's clock): a KoboToolbox export's _validation_status imported with the rest.
  std::vector<Review> reviews;
};

// One answer as ForEachSubmission hands it out: views valid during the visit only.
struct AnswerView {
  std::string_view path;
  form::AnswerState state = form::AnswerState::kMissing;
  std::string_view value;
};

// Called by ForEachSubmission with a submission (its `answers` map left empty) and
// its answers in path order (byte order, as Answers sorts them). Returning an
// error stops the walk and ForEachSubmission returns that error.
using SubmissionVisitor =
    std::function<Status(const Submission& submission, const std::vector<AnswerView>& answers)>;

// A streaming import (Store::BeginImport): submissions are added one by one inside
// one transaction; nothing is visible to others, nor kept, until Commit succeeds.
// Destroying the writer without a successful Commit rolls everything back. While a
// writer is open, its Store must not be used (its calls would wait for the writer).
class ImportWriter {
 public:
  virtual ~ImportWriter() = default;
  // The submission stored under `instance_id` (including those added through this
  // writer) or under an alias of its (InstanceAlias, once committed), or nullopt.
  virtual Result<std::optional<Submission>> Find(const std::string& instance_id) = 0;
  // Adds one submission, checked as CreateSubmission does (ST001, ST002, ST003). On
  // error nothing of the import will be kept: the writer only accepts Abort/destroy.
  virtual Status Add(const Submission& submission) = 0;
  // Adds one file of a submission added before (or already stored), checked as
  // PutAttachments does (ST001, ST002, ST009). On error nothing will be kept.
  virtual Status AddAttachment(const Attachment& attachment) = 0;
  // Changes a complete submission (stored, or added before) as Store::Amend does
  // (ST002, ST005-ST007), in the import's transaction. On error nothing will be kept.
  virtual Status Amend(const Amendment& amendment) = 0;
  // Sets the review of a complete submission (stored, or added before) as
  // ReviewLog::SetReview does (ST001, ST002, ST006), in the import's transaction. On
  // error nothing will be kept.
  virtual Status SetReview(const Review& review) = 0;
  // Makes everything added durable at once (one transaction).
  virtual Status Commit() = 0;
};

// The metadata columns of `submissions`, each once, ordered by the smallest position
// at which a submission lists it, then by name (so a column every submission has
// keeps its place, and one that only later versions add goes where they put it).
std::vector<std::string> MetadataColumnsOf(const std::vector<Submission>& submissions);

// Which submissions ListSubmissions returns. Unset fields match everything.
struct SubmissionFilter {
  std::optional<std::string> form_id;
  std::optional<std::string> form_version;
  std::optional<SubmissionStatus> status;
  std::optional<Wave> wave;
  std::optional<std::string> org_id;
  // When false, pretest submissions are left out (the analysis default). Ignored
  // when `wave` is set.
  bool include_pretest = true;
  std::optional<std::string> submitted_by;
  // Keyset pagination: only the submissions after this one in list order, i.e. with
  // (started_at_ms, instance_id) greater than `after` (a page's last submission).
  struct Position {
    int64_t started_at_ms = 0;
    std::string instance_id;
  };
  std::optional<Position> after;
  // At most this many submissions (0: no limit).
  int64_t limit = 0;
};

// One entry of the audit trail. Entries form one chain over the whole store:
// hash = SHA-256(prev_hash and every other field, length-prefixed), and prev_hash is
// the previous entry's hash (64 zeros for the first). Changing, inserting or
// deleting an entry breaks the chain at that entry.
struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3... in the order of the changes
  std::string instance_id;
  int64_t at_ms = 0;
  std::string who;
  std::string field;                       // an answer path, or "status" for completion
  std::optional<form::Answer> old_answer;  // nullopt: there was no answer
  std::optional<form::Answer> new_answer;  // nullopt: the answer was removed
  std::string reason;
  std::string prev_hash;
  std::string hash;

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// The outcome of VerifyAudit.
struct AuditVerification {
  int64_t entries_checked = 0;
  // The first entry whose hash, link or sequence number is wrong, or that is
  // missing (then `first_broken->seq` is the missing number and other fields are
  // empty); nullopt when the whole chain is intact.
  std::optional<AuditEntry> first_broken;
  std::string problem;  // what is wrong with first_broken, for people
  bool ok() const { return !first_broken.has_value(); }
};

// Everything a store holds, row for row, as CopyStore moves it from one back end to
// another: nothing is recomputed (upload, update and coding times, sequence numbers,
// positions and audit hashes are copied as they are), so the copy's audit chain
// verifies exactly as the original's does.
struct StoreContents {
  std::vector<FormVersion> forms;       // with their bytes, in upload order
  std::vector<Submission> submissions;  // with their answers, by instance_id
  std::vector<AuditEntry> audit;        // the whole trail, in seq order
  int64_t audit_head_seq = 0;           // the chain's recorded head
  std::string audit_head_hash;
  StoredFrame frame;                    // the sample frame, entries in position order
  std::vector<ContactRecord> contacts;  // in seq order
  // Every coder's codings (the reconciled ones included), by question, instance_id
  // and coder.
  std::vector<AnswerCoding> codings;
  // Every submission's files with their bytes, by instance_id and name.
  std::vector<Attachment> attachments;
  // The collection server's data (server_data.h): accounts by name, every published
  // form version with its XForm and media bytes in publication order, and the
  // access log in seq order.
  std::vector<User> users;
  std::vector<PublishedForm> published;
  std::vector<AccessEntry> access_log;
  // The current review of each reviewed submission, by instance_id (review.h; the
  // history is in `audit`).
  std::vector<Review> reviews;
  // The submissions' other instanceIDs (Amendment::alias), by alias.
  std::vector<InstanceAlias> aliases;

  friend bool operator==(const StoreContents&, const StoreContents&) = default;
};

// What CopyStore copied.
struct CopySummary {
  size_t forms = 0;
  size_t submissions = 0;
  size_t audit_entries = 0;
  size_t frame_entries = 0;
  size_t contacts = 0;
  size_t codings = 0;
  size_t attachments = 0;
  size_t users = 0;
  size_t published_forms = 0;  // published versions
  size_t access_entries = 0;
  size_t reviews = 0;
};

struct OpenOptions {
  // Source of every timestamp the store sets. Not owned; must outlive the Store.
  const Clock* clock = &SystemClock::Instance();
  // Open without writing anything, ever: writes fail with IO104, and a store that
  // needs a migration fails to open with IO108.
  bool read_only = false;
  // Create an empty store when the file does not exist (or is empty).
  bool create_if_missing = true;
  // How long a writer waits for another process's transaction.
  int busy_timeout_ms = 30000;
  // Run SQLite's quick_check when opening (refuses a damaged file with IO105).
  bool check_integrity_on_open = true;
  // How many connections the store may open. PostgreSQL: so that that many calls from
  // different threads run at once (each takes a free connection for its transaction,
  // opening one when none is free and fewer are open, else waits). SQLite: one writer
  // and up to connections - 1 read-only readers, so that reads never wait for a
  // commit (writes are serialised by the file's lock anyway). At least 1.
  int connections = 1;
};

// Every Store also keeps the fieldwork log (sample frame and contacts,
// store/fieldwork_log.h), the codings of open answers (store/codings.h) and what
// the collection server needs (accounts, published forms, the access log:
// store/server_data.h), and the supervisors' reviews (store/review.h).
class Store : public FieldworkLog, public CodingLog, public ServerData, public ReviewLog {
 public:
  ~Store() override = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- Forms ---

  // Stores a form version; sets xlsx_sha256 and uploaded_at_ms. Uploading the
  // same id+version with the same bytes again succeeds and changes nothing; with
  // different bytes it fails with ST003. All-or-nothing.
  virtual Status PutForm(const FormVersion& form) = 0;

  // One version, with its bytes. ST002 when absent.
  virtual Result<FormVersion> GetForm(const std::string& form_id,
                                      const std::string& version) const = 0;

  // Every version of `form_id` (every form when empty), without bytes, in upload
  // order.
  virtual Result<std::vector<FormVersion>> ListForms(const std::string& form_id = "") const = 0;

  // --- Submissions ---

  // Adds a new submission (usually a draft with no answers yet). Its form version
  // must exist (ST002); the instance id must be new (ST003). A submission created
  // complete (received from a device) starts its audit trail with a "status"
  // entry. Sets updated_at_ms. All-or-nothing.
  virtual Status CreateSubmission(const Submission& submission) = 0;

  // Stores a batch (a CSV import): the form when given, as PutForm does, then every
  // submission, as CreateSubmission does (complete ones start their audit trail),
  // the attachments as PutAttachments does and the amendments as Amend does, in
  // one transaction. Any failure (ST001 malformed, ST002 unknown form version, ST003
  // an instance id already stored or named twice in the batch, or form bytes that
  // differ) stores nothing of the batch; the error names the submission at fault.
  virtual Status CreateSubmissions(const SubmissionBatch& batch) = 0;

  // Saves answers of a draft: the interview engine calls it after every accepted
  // answer. The changes are applied in order in one transaction, so a crash keeps
  // either all of them or none. When `language` is set, the draft's language
  // becomes it in the same transaction (the interviewer switched language since the
  // last save; no write of its own). ST004 if the submission is complete, ST002 if
  // it does not exist, ST001 for a malformed path or answer or a path named twice.
  virtual Status SaveDraft(const std::string& instance_id, const std::vector<AnswerChange>& changes,
                           const std::optional<std::string>& language = std::nullopt) = 0;

  // Marks a draft complete at `ended_at_ms` (written at UTC offset
  // `ended_offset_minutes`, Submission's) and records a "status" audit entry by the
  // interviewer. ST004 if already complete, ST001 for an offset beyond 18 hours.
  // All-or-nothing.
  virtual Status CompleteSubmission(const std::string& instance_id, int64_t ended_at_ms,
                                    std::optional<int> ended_offset_minutes = std::nullopt) = 0;

  // Changes answers of a completed submission and appends one audit entry per
  // changed answer (who, when, field, old, new, reason), in one transaction.
  // Changes that set an answer to what it already is are not recorded; if nothing
  // changes, ST007. ST005 for an empty reason or author, ST006 for a draft.
  virtual Status Amend(const Amendment& amendment) = 0;

  // One submission with all its answers, by its instanceID or an earlier one
  // (InstanceAlias; the result has its own). ST002 when absent.
  virtual Result<Submission> GetSubmission(const std::string& instance_id) const = 0;

  // The submissions that match, with their answers, ordered by started_at_ms and
  // then instance_id.
  virtual Result<std::vector<Submission>> ListSubmissions(
      const SubmissionFilter& filter = {}) const = 0;

  // The same submissions as ListSubmissions, in the same order, one at a time,
  // without holding them all in memory (the SQLite back end reads them with one
  // cursor inside one read transaction). `visit` must not call this Store.
  virtual Status ForEachSubmission(const SubmissionFilter& filter,
                                   const SubmissionVisitor& visit) const;

  // The metadata columns (Submission::metadata) of the submissions that match
  // `filter` (its `after` and `limit` ignored), each once, as MetadataColumnsOf orders
  // them: what an export of those submissions writes beside the answers. The SQL back
  // ends answer without reading any answers.
  virtual Result<std::vector<std::string>> MetadataColumns(const SubmissionFilter& filter) const;

  // Starts a streaming import of many submissions in one transaction: the form (when
  // given) is stored as by PutForm, then each ImportWriter::Add stores one
  // submission as CreateSubmission does; Commit keeps all of it, anything else
  // nothing. The default keeps the batch in memory and calls CreateSubmissions at
  // Commit; the SQLite back end writes as it goes (bounded memory).
  virtual Result<std::unique_ptr<ImportWriter>> BeginImport(const std::optional<FormVersion>& form);

  // --- Attachments (docs/formats/attachments.md) ---

  // Stores files of stored submissions in one transaction: each (instance_id, name)
  // once. Storing a name again with the same bytes changes nothing (OpenRosa
  // clients resend files); with other bytes it fails with ST009. ST002 for an
  // unknown submission; ST001 for a name that is not a plain file name (no '/',
  // '\\', NUL, "." or ".."; at most 255 bytes) or a name given twice with other
  // bytes in the call, or a file over 10^9 bytes. All-or-nothing.
  virtual Status PutAttachments(const std::vector<Attachment>& attachments) = 0;

  // One file with its bytes, checked against its SHA-256 (IO105 when the stored
  // bytes no longer match). ST002 when the submission has no such file.
  virtual Result<Attachment> GetAttachment(const std::string& instance_id,
                                           const std::string& name) const = 0;

  // The files of a submission, without their bytes, by name (byte order). An
  // unknown submission has none.
  virtual Result<std::vector<Attachment>> ListAttachments(const std::string& instance_id) const = 0;

  // --- Audit trail ---

  // The entries of one submission (all entries when empty), in sequence order.
  virtual Result<std::vector<AuditEntry>> ReadAudit(const std::string& instance_id = "") const = 0;

  // Recomputes the whole chain and returns the first broken entry, if any. An
  // error result means the chain could not be read, not that it is broken.
  virtual Result<AuditVerification> VerifyAudit() const = 0;

  // --- Moving a store (CopyStore) ---

  // Everything the store holds, read in one transaction. The whole store is held
  // in memory (about the size of its answers and workbooks).
  virtual Result<StoreContents> ReadContents() const = 0;

  // Writes `contents` as it is into this store, which must be empty: ST003 when it
  // holds any form, submission, audit entry, frame entry, contact, coding,
  // attachment, user, published form, access log entry or review (the error says
  // what). One transaction:
  // all of it or nothing.
  virtual Status LoadContents(const StoreContents& contents) = 0;

 protected:
  Store() = default;
};

// Opens (and creates or migrates, unless read-only) the store at `location` (see the
// top of this file). A file that is not an ngosurvey store, is from a newer
// version, is damaged, or cannot be written when a migration is needed is refused
// with an IO1xx error naming the file, and its bytes are left exactly as they were:
// the file is inspected through a read-only connection before anything is written.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location,
                                         const OpenOptions& options = {});

// Copies every row of `from` into the empty store `to` (ngosurvey store migrate:
// SQLite to PostgreSQL, or any back end to any other) in one transaction on `to`,
// then reads `to` back and checks that it holds exactly what `from` holds and that
// its audit chain verifies (IO107 naming the first difference otherwise). A second
// copy into the now non-empty `to` is refused with ST003 and changes nothing.
Result<CopySummary> CopyStore(const Store& from, Store& to);

// `location` as it may be shown to people: a postgresql:// URL without its password
// ("***" instead); other locations as they are.
std::string DisplayLocation(const std::string& location);

// A new random instance id, "uuid:" + a version-4 UUID in lower case.
std::string NewInstanceId();

// True for "uuid:" followed by a UUID in 8-4-4-4-12 hex form (any case).
bool IsValidInstanceId(std::string_view instance_id);

// The account that sent a submission, shown as such and never as its interviewer:
// the collection server's (submitted_by), else the platform's of an imported one as
// its export kept it (ODK Central's SubmitterName, KoboToolbox's and Ona's
// _submitted_by: often one account that a team shares); empty when none.
std::string AccountOf(const Submission& submission);

// The version under which a form whose settings give none is stored: "sha256-" and
// the first 16 hex digits of the SHA-256 of its workbook bytes, so that the same
// workbook always gets the same version and a changed one a new version. (XLSForm's
// `version` is optional: pyxform writes no version attribute then.)
std::string WorkbookVersion(std::string_view xlsx);

}  // namespace ngosurvey::store
