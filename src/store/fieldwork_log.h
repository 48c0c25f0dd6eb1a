// store: the fieldwork log, i.e. the sample frame and the contacts made with each
// organisation, kept beside the interviews (schema migration 2). Every Store
// implements it (Store derives from FieldworkLog), so one file holds the frame,
// the contact log and the submissions a disposition is derived from.
//
// The store keeps the data and its integrity (one transaction per call, contacts
// only for organisations in the frame, contact dates in order per organisation);
// what the values mean (AAPOR codes, outcomes, rates) is src/fieldwork's business,
// which validates them before calling. Nothing here prints.
//
// Error codes, besides the IO1xx of store.h:
//   ST001 invalid request (empty org_id, duplicate org_id in one import, a date
//         that is not YYYY-MM-DD, an unknown mode, an empty outcome)
//   ST002 the organisation of a contact is not in the frame
//   ST003 the import names its grouping column differently from the stored frame
//         ("country" vs "stratum")
//   ST008 the contact's date is before the organisation's latest logged contact
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ngosurvey::store {

// One organisation of the sample frame.
struct FrameEntry {
  std::string org_id;  // non-empty, unique
  std::string name;
  std::string stratum;  // the value of the grouping column (country or stratum)
  std::string address;
  std::string contact_person;
  std::string disposition;  // a final code given in the frame file, or ""
  // Every other column of the file: (column, value), in the frame's column order.
  std::vector<std::pair<std::string, std::string>> extra;
  int64_t position = 0;       // set by the store: 1, 2, ... in first-import order
  int64_t updated_at_ms = 0;  // set by the store: last import that added or changed it

  friend bool operator==(const FrameEntry&, const FrameEntry&) = default;
};

// A whole frame file, imported in one transaction.
struct FrameImport {
  std::string source;          // where it came from (file name), for people
  std::string stratum_column;  // "country" or "stratum"
  bool has_address_column = false;
  bool has_contact_person_column = false;
  bool has_disposition_column = false;
  std::vector<std::string> extra_columns;  // in file order
  std::vector<FrameEntry> entries;         // in file order
};

// What an import did. Re-importing the same rows changes nothing (all
// `unchanged`); a row whose org_id is stored with other values replaces it
// (`updated`, with the names of the columns that differ); stored organisations
// absent from the file are kept (`kept`: contacts refer to them).
struct FrameImportResult {
  int64_t added = 0;
  int64_t unchanged = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> updated;  // org_id, columns
  std::vector<std::string> kept;  // stored org_ids not in this import
};

// The stored frame: its columns (as of the latest import; new extra columns are
// appended) and its entries in position order. Empty when nothing was imported.
struct StoredFrame {
  std::string stratum_column;  // "" when nothing was imported
  bool has_address_column = false;
  bool has_contact_person_column = false;
  bool has_disposition_column = false;
  std::vector<std::string> extra_columns;
  std::vector<FrameEntry> entries;

  friend bool operator==(const StoredFrame&, const StoredFrame&) = default;
};

// One contact with an organisation.
struct ContactRecord {
  int64_t seq = 0;                         // set by the store: 1, 2, ... in the order recorded
  std::string org_id;                      // must be in the frame
  std::string date;                        // YYYY-MM-DD, the day of the contact
  std::string mode;                        // "visit", "phone", "email" or "letter"
  std::string outcome;                     // as the fieldwork module names it ("refusal", "2.112")
  std::string disposition;                 // the AAPOR code the outcome maps to
  std::optional<std::string> appointment;  // YYYY-MM-DD, when an appointment was made
  std::string note;
  std::string by;              // who made the contact
  int64_t recorded_at_ms = 0;  // set by the store

  friend bool operator==(const ContactRecord&, const ContactRecord&) = default;
};

class FieldworkLog {
 public:
  virtual ~FieldworkLog() = default;

  // Adds and updates frame entries (see FrameImportResult), all or nothing. ST001
  // for an empty or duplicate org_id in `import` or an extra column named like a
  // standard one; ST003 when the grouping column differs from the stored frame's.
  virtual Result<FrameImportResult> ImportFrame(const FrameImport& import) = 0;

  // The stored frame.
  virtual Result<StoredFrame> ReadFrame() const = 0;

  // Appends a contact and returns it with seq and recorded_at_ms set. ST001 for a
  // malformed date, appointment, mode or an empty outcome; ST002 when org_id is not
  // in the frame; ST008 when `date` is before the organisation's latest contact.
  // The checks and the insert are one transaction.
  virtual Result<ContactRecord> AddContact(const ContactRecord& contact) = 0;

  // Contacts of one organisation (all when empty), ordered by seq.
  virtual Result<std::vector<ContactRecord>> ListContacts(const std::string& org_id = "") const = 0;

 protected:
  FieldworkLog() = default;
};

}  // namespace ngosurvey::store
