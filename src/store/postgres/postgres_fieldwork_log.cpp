// The PostgreSQL store's fieldwork log (store/fieldwork_log.h): the sample frame (its
// settings, extra columns, entries and their values) and the contact log, as the
// SQLite store keeps them. Frame imports and contacts each take a transaction-level
// advisory lock, since positions and sequence numbers are max + 1 (no gaps, as on
// SQLite) and two servers may write at once.
#include <map>
#include <set>

#include "store/fieldwork_log_internal.h"
#include "store/postgres/postgres_store_impl_internal.h"

namespace ngosurvey::store::postgres {

Result<FrameImportResult> PostgresStore::ImportFrame(const FrameImport& import) {
  NGO_TRY(internal::CheckFrameImport(import));
  FrameImportResult result;
  NGO_TRY(Write("cannot import the sample frame", [&]() -> Status {
    result = {};
    NGO_TRY(conn_->Query("SELECT pg_advisory_xact_lock($1::bigint)", Params().Int(kFrameLock),
                         "cannot lock the sample frame"));
    StoredFrame stored = NGO_TRY(ReadFrameRows());
    if (!stored.stratum_column.empty() && stored.stratum_column != import.stratum_column) {
      return MakeError("ST003", "the stored frame groups by '" + stored.stratum_column +
                                    "', the import by '" + import.stratum_column + "'");
    }
    NGO_TRY(conn_->Query(
        "INSERT INTO frame_settings(id, stratum_column, has_address, has_contact_person, "
        "has_disposition) VALUES(1, $1::text, $2::bigint, $3::bigint, $4::bigint) "
        "ON CONFLICT(id) DO UPDATE SET "
        "has_address = greatest(frame_settings.has_address, excluded.has_address), "
        "has_contact_person = greatest(frame_settings.has_contact_person, "
        "excluded.has_contact_person), "
        "has_disposition = greatest(frame_settings.has_disposition, excluded.has_disposition)",
        Params()
            .Text(import.stratum_column)
            .Int(import.has_address_column ? 1 : 0)
            .Int(import.has_contact_person_column ? 1 : 0)
            .Int(import.has_disposition_column ? 1 : 0),
        "cannot store the frame's columns"));
    for (const std::string& column : import.extra_columns) {
      NGO_TRY(
          conn_->Query("INSERT INTO frame_columns(position, name) "
                       "SELECT coalesce(max(position), 0) + 1, $1::text FROM frame_columns "
                       "ON CONFLICT(name) DO NOTHING",
                       Params().Text(column), "cannot store the frame's columns"));
    }
    int64_t now = options_.clock->NowMillis();
    std::map<std::string, const FrameEntry*> by_id;
    for (const FrameEntry& e : stored.entries) by_id[e.org_id] = &e;
    std::set<std::string> in_import;
    for (const FrameEntry& entry : import.entries) {
      in_import.insert(entry.org_id);
      auto it = by_id.find(entry.org_id);
      FrameEntry row;
      if (it == by_id.end()) {
        row = internal::WithColumns(entry, import.extra_columns);
        ++result.added;
      } else {
        std::vector<std::string> changed;
        row = internal::MergeEntry(*it->second, entry, import, &changed);
        if (changed.empty()) {
          ++result.unchanged;
          continue;
        }
        result.updated.emplace_back(entry.org_id, std::move(changed));
      }
      NGO_TRY(conn_->Query(
          "INSERT INTO frame_entries(position, org_id, name, stratum, address, contact_person, "
          "disposition, updated_at_ms) SELECT coalesce(max(position), 0) + 1, $1::text, "
          "$2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint FROM frame_entries "
          "ON CONFLICT(org_id) DO UPDATE SET name = excluded.name, stratum = excluded.stratum, "
          "address = excluded.address, contact_person = excluded.contact_person, "
          "disposition = excluded.disposition, updated_at_ms = excluded.updated_at_ms",
          Params()
              .Text(row.org_id)
              .Text(row.name)
              .Text(row.stratum)
              .Text(row.address)
              .Text(row.contact_person)
              .Text(row.disposition)
              .Int(now),
          "cannot store frame entry '" + row.org_id + "'"));
      for (const auto& [column, value] : row.extra) {
        NGO_TRY(
            conn_->Query("INSERT INTO frame_values(org_id, column_name, value) "
                         "VALUES($1::text, $2::text, $3::text) "
                         "ON CONFLICT(org_id, column_name) DO UPDATE SET value = excluded.value",
                         Params().Text(row.org_id).Text(column).Text(value),
                         "cannot store frame entry '" + row.org_id + "'"));
      }
    }
    for (const FrameEntry& e : stored.entries) {
      if (!in_import.count(e.org_id)) result.kept.push_back(e.org_id);
    }
    return Ok();
  }));
  return result;
}

Result<StoredFrame> PostgresStore::ReadFrame() const {
  return Read("cannot read the sample frame",
              [&]() -> Result<StoredFrame> { return ReadFrameRows(); });
}

Result<ContactRecord> PostgresStore::AddContact(const ContactRecord& contact) {
  NGO_TRY(internal::CheckContact(contact));
  ContactRecord stored = contact;
  NGO_TRY(Write("cannot log the contact with '" + contact.org_id + "'", [&]() -> Status {
    NGO_TRY(conn_->Query("SELECT pg_advisory_xact_lock($1::bigint)", Params().Int(kContactLock),
                         "cannot lock the contact log"));
    auto known =
        NGO_TRY(conn_->Query("SELECT 1 FROM frame_entries WHERE org_id = $1::text",
                             Params().Text(contact.org_id), "cannot look up the organisation"));
    if (known.empty()) {
      return internal::NotFound("organisation '" + contact.org_id + "' in the frame");
    }
    auto latest = NGO_TRY(
        conn_->Query("SELECT max(contact_date) FROM contacts WHERE org_id = $1::text",
                     Params().Text(contact.org_id), "cannot read the organisation's contacts"));
    if (!latest.empty() && !latest.IsNull(0, 0) && contact.date < latest.View(0, 0)) {
      return MakeError("ST008", "contact date " + contact.date +
                                    " is before the latest contact with '" + contact.org_id +
                                    "' (" + latest.Text(0, 0) + ")");
    }
    stored.recorded_at_ms = options_.clock->NowMillis();
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO contacts(seq, org_id, contact_date, mode, outcome, disposition, "
        "appointment, note, made_by, recorded_at_ms) "
        "SELECT coalesce(max(seq), 0) + 1, $1::text, $2::text, $3::text, $4::text, $5::text, "
        "$6::text, $7::text, $8::text, $9::bigint FROM contacts RETURNING seq",
        Params()
            .Text(contact.org_id)
            .Text(contact.date)
            .Text(contact.mode)
            .Text(contact.outcome)
            .Text(contact.disposition)
            .OptionalText(contact.appointment)
            .Text(contact.note)
            .Text(contact.by)
            .Int(stored.recorded_at_ms),
        "cannot store the contact"));
    stored.seq = inserted.Int(0, 0);
    return Ok();
  }));
  return stored;
}

Result<std::vector<ContactRecord>> PostgresStore::ListContacts(const std::string& org_id) const {
  return Read("cannot read the contact log", [&]() -> Result<std::vector<ContactRecord>> {
    auto rows = NGO_TRY(conn_->Query(
        "SELECT seq, org_id, contact_date, mode, outcome, disposition, appointment, note, "
        "made_by, recorded_at_ms FROM contacts WHERE $1::text = '' OR org_id = $1::text "
        "ORDER BY seq",
        Params().Text(org_id), "cannot read the contact log"));
    std::vector<ContactRecord> out;
    for (int i = 0; i < rows.size(); ++i) {
      ContactRecord c;
      c.seq = rows.Int(i, 0);
      c.org_id = rows.Text(i, 1);
      c.date = rows.Text(i, 2);
      c.mode = rows.Text(i, 3);
      c.outcome = rows.Text(i, 4);
      c.disposition = rows.Text(i, 5);
      if (!rows.IsNull(i, 6)) c.appointment = rows.Text(i, 6);
      c.note = rows.Text(i, 7);
      c.by = rows.Text(i, 8);
      c.recorded_at_ms = rows.Int(i, 9);
      out.push_back(std::move(c));
    }
    return out;
  });
}

// The stored frame, inside the caller's transaction.
Result<StoredFrame> PostgresStore::ReadFrameRows() const {
  StoredFrame frame;
  auto settings = NGO_TRY(
      conn_->Query("SELECT stratum_column, has_address, has_contact_person, has_disposition "
                   "FROM frame_settings WHERE id = 1",
                   "cannot read the frame's columns"));
  if (!settings.empty()) {
    frame.stratum_column = settings.Text(0, 0);
    frame.has_address_column = settings.Int(0, 1) != 0;
    frame.has_contact_person_column = settings.Int(0, 2) != 0;
    frame.has_disposition_column = settings.Int(0, 3) != 0;
  }
  auto columns = NGO_TRY(conn_->Query("SELECT name FROM frame_columns ORDER BY position",
                                      "cannot read the frame's columns"));
  for (int i = 0; i < columns.size(); ++i) frame.extra_columns.push_back(columns.Text(i, 0));
  auto entries = NGO_TRY(
      conn_->Query("SELECT position, org_id, name, stratum, address, contact_person, disposition, "
                   "updated_at_ms FROM frame_entries ORDER BY position",
                   "cannot read the frame"));
  std::map<std::string, size_t> index;
  for (int i = 0; i < entries.size(); ++i) {
    FrameEntry e;
    e.position = entries.Int(i, 0);
    e.org_id = entries.Text(i, 1);
    e.name = entries.Text(i, 2);
    e.stratum = entries.Text(i, 3);
    e.address = entries.Text(i, 4);
    e.contact_person = entries.Text(i, 5);
    e.disposition = entries.Text(i, 6);
    e.updated_at_ms = entries.Int(i, 7);
    index[e.org_id] = frame.entries.size();
    frame.entries.push_back(std::move(e));
  }
  auto values = NGO_TRY(
      conn_->Query("SELECT org_id, column_name, value FROM frame_values", "cannot read the frame"));
  for (int i = 0; i < values.size(); ++i) {
    auto it = index.find(values.Text(i, 0));
    if (it != index.end()) {
      frame.entries[it->second].extra.emplace_back(values.Text(i, 1), values.Text(i, 2));
    }
  }
  for (FrameEntry& e : frame.entries) {
    e = internal::WithColumns(std::move(e), frame.extra_columns);
  }
  return frame;
}

}  // namespace ngosurvey::store::postgres
