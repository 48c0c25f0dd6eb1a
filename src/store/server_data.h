// store: what the collection server (src/server, issue 15) keeps beside the
// submissions: the accounts of the people who use it, the forms published for
// ODK clients (the XForm made from a stored workbook, its media files), and the
// access log (every read of submissions: who, what, when). Every Store implements
// it (Store derives from ServerData). Role rules are decided here too (Authorize),
// so that every endpoint, page and command asks the same function.
//
// The store keeps credentials as given: hashing passwords (Argon2id) and making
// the Digest HA1 is the caller's job (server/credentials.h), so no back end needs
// a crypto library for it. Every write is one method, one transaction.
//
// Error codes, besides the IO1xx of store.h:
//   ST001 invalid request (a user name outside [A-Za-z0-9._@-]{1,64}, an empty
//         password hash, an HA1 that is not 32 lower-case hex digits, an empty or
//         repeated form id, a media name that is not a plain file name, an
//         access entry without who or action)
//   ST002 not found (user, published form, media file)
//   ST003 conflict: the user exists, or the form id + version is stored or
//         published with other contents
//   ST010 not allowed: the account's role or forms do not permit the action
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::store {

struct FormVersion;

// What an account may do, in increasing order of trust; see Authorize().
enum class Role { kInterviewer, kAnalyst, kSupervisor, kAdmin };
std::string_view RoleName(Role role);           // "interviewer", "analyst", ...
Result<Role> ParseRole(std::string_view name);  // ST001 if unknown

// One account. Names are what people type in ODK Collect: [A-Za-z0-9._@-], 1 to
// 64 bytes (no ':' since Digest joins user:realm:password).
struct User {
  std::string name;
  Role role = Role::kInterviewer;
  // The forms (form ids) the account works on; every form when `all_forms`.
  bool all_forms = true;
  std::vector<std::string> forms;  // sorted, without repeats, when !all_forms
  bool disabled = false;           // a disabled account cannot log in
  // crypto_pwhash_str's Argon2id string ("$argon2id$v=19$m=...").
  std::string password_hash;
  // HTTP Digest needs HA1 = MD5(name ":" realm ":" password) for the server's realm:
  // the realm it was made for, and HA1 in lower-case hex.
  std::string digest_realm;
  std::string digest_ha1;
  int64_t created_at_ms = 0;  // set by the store
  int64_t updated_at_ms = 0;  // set by the store

  friend bool operator==(const User&, const User&) = default;
};

// A file an XForm refers to (jr://images/NAME...), served to clients beside it.
struct MediaFile {
  std::string name;   // a plain file name: no '/', '\\', NUL, not "." or ".."
  std::string bytes;  // empty in ListPublishedForms results
  std::string md5;    // set by the store: MD5 of bytes, lower-case hex

  friend bool operator==(const MediaFile&, const MediaFile&) = default;
};

// A form version as ODK clients download it: the XForm written from the stored
// workbook (form/xform_writer.h), with its media files.
struct PublishedForm {
  std::string form_id;
  std::string version;
  std::string title;
  std::string xform;             // the XML; empty in ListPublishedForms results
  std::string xform_md5;         // set by the store: what formList announces as md5:...
  std::vector<MediaFile> media;  // sorted by name
  int64_t published_at_ms = 0;   // set by the store

  friend bool operator==(const PublishedForm&, const PublishedForm&) = default;
};

enum class PublishOutcome { kPublished, kUnchanged };

// A browser's login (POST /api/v1/session). The store keeps the SHA-256 of the
// session's cookie token, never the token, so that reading the store gives no
// session away; any server on the same database accepts it.
struct Session {
  std::string token_sha256;   // 64 lower-case hex digits
  std::string user;           // the account
  int64_t created_at_ms = 0;  // set by the store
  int64_t expires_at_ms = 0;

  friend bool operator==(const Session&, const Session&) = default;
};

// One read of submissions, as the access log keeps it.
struct AccessEntry {
  int64_t seq = 0;     // set by the store: 1, 2, 3...
  int64_t at_ms = 0;   // set by the store
  std::string who;     // the account; non-empty
  std::string action;  // what was read: "list_submissions", "read_attachment"...; non-empty
  std::string form_id;
  std::string instance_id;  // empty for a list
  std::string detail;       // e.g. the page asked for, or the attachment's name

  friend bool operator==(const AccessEntry&, const AccessEntry&) = default;
};

class ServerData {
 public:
  virtual ~ServerData() = default;

  // --- Accounts ---

  // Adds an account (ST003 if the name is taken, ST001 if malformed); sets its
  // created_at_ms and updated_at_ms.
  virtual Status AddUser(const User& user) = 0;
  // Replaces the stored account of the same name (role, forms, disabled,
  // credentials); keeps created_at_ms and sets updated_at_ms. ST002 if absent.
  virtual Status UpdateUser(const User& user) = 0;
  // ST002 if absent.
  virtual Result<User> GetUser(const std::string& name) const = 0;
  // Every account, by name.
  virtual Result<std::vector<User>> ListUsers() const = 0;

  // --- Published forms ---

  // Publishes a version of a form: stores `workbook` as Store::PutForm does (the same
  // bytes again change nothing, other bytes under a stored id + version are ST003),
  // then the XForm and media files, in one transaction. Publishing the same XForm
  // and media again is kUnchanged (nothing written); another XForm or media under a
  // published id + version is ST003. `published.form_id`/`version` must be the
  // workbook's (ST001).
  virtual Result<PublishOutcome> PublishForm(const FormVersion& workbook,
                                             const PublishedForm& published) = 0;
  // One published version with its XForm and media bytes; the latest published
  // version of `form_id` when `version` is empty. ST002 when absent.
  virtual Result<PublishedForm> GetPublishedForm(const std::string& form_id,
                                                 const std::string& version = "") const = 0;
  // The latest published version of every form, by form id, without the XForm's
  // text and the media bytes (names and md5 kept).
  virtual Result<std::vector<PublishedForm>> ListPublishedForms() const = 0;

  // --- Browser sessions ---

  // Keeps a new session and sets its created_at_ms; drops the sessions that expired
  // before now in the same transaction. ST001 for a malformed hash or an expiry not
  // after now, ST002 when the account does not exist, ST003 when the hash is taken.
  virtual Status CreateSession(const Session& session) = 0;
  // The session of this token hash (expired ones included: the caller compares
  // expires_at_ms with its clock); ST002 when there is none.
  virtual Result<Session> GetSession(const std::string& token_sha256) const = 0;
  // Ends a session; ending one that is not there (any more) is not an error.
  virtual Status DeleteSession(const std::string& token_sha256) = 0;

  // --- Access log ---

  // Appends a read of submissions; sets seq and at_ms and returns the entry. Callers
  // record the read before they hand out what was read.
  virtual Result<AccessEntry> RecordAccess(const AccessEntry& entry) = 0;
  // The entries, by seq; those of one account when `who` is set.
  virtual Result<std::vector<AccessEntry>> ReadAccessLog(const std::string& who = "") const = 0;

 protected:
  ServerData() = default;
};

// What an account asks to do. Reads of submissions are decided per submission
// (its `submitted_by`) where a role sees only some.
enum class Action {
  kDownloadForm,      // formList, the XForm and its media
  kSubmit,            // send submissions of the form
  kReadSubmission,    // read a submission (its answers and attachments)
  kReadSensitive,     // read the answers of questions marked sensitive
  kReadFieldworkLog,  // the frame, contacts and fieldwork status
  kManageForms,       // publish forms
  kManageUsers,       // add, change and disable accounts
  kReview,            // set the review status of submissions (store/review.h)
};

// The role rules, for every caller (issue 15):
//   - a disabled account may do nothing;
//   - an interviewer downloads and submits the forms it works on, and reads only
//     the submissions it sent (submitted_by == its name);
//   - a supervisor does the same and reads every submission of its forms, with
//     sensitive answers, and the fieldwork log;
//   - an analyst reads the submissions of its forms, never the sensitive answers,
//     and neither downloads nor submits;
//   - a supervisor (and an admin) reviews the submissions of its forms; nobody
//     else does (kReview);
//   - an admin may do everything on every form.
// `form_id` is the form concerned (empty for kReadFieldworkLog, kManageForms,
// kManageUsers); `submitted_by` the account that sent the submission read
// (kReadSubmission only; nullopt when asking whether the account may read any of
// the form's submissions: then an interviewer is allowed, limited to its own by
// ReadableFilter). Returns Ok or ST010 with a message saying why.
Status Authorize(const User& user, Action action, std::string_view form_id,
                 const std::optional<std::string>& submitted_by = std::nullopt);

// Whether the account works on `form_id` (all_forms or listed).
bool WorksOn(const User& user, std::string_view form_id);

// The submitted_by a listing must be limited to for `user`: its own name for an
// interviewer, nothing for the roles that read every submission of their forms.
std::optional<std::string> ReadableSubmitter(const User& user);

// ST001 unless `name` is a valid account name.
Status CheckUserName(std::string_view name);

}  // namespace ngosurvey::store
