// The SQLite store's fieldwork log (store/fieldwork_log.h): the sample frame (its
// settings, extra columns, entries and their values) and the contact log. Part of
// SqliteStore (sqlite_store_impl_internal.h); the tables are schema version 2.
#include <map>
#include <set>

#include "store/fieldwork_log_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {

Result<FrameImportResult> SqliteStore::ImportFrame(const FrameImport& import) {
  NGO_TRY(internal::CheckFrameImport(import));
  FrameImportResult result;
  NGO_TRY(Write("cannot import the sample frame", [&]() -> Status {
    result = {};
    StoredFrame stored = NGO_TRY(ReadFrameRows());
    if (!stored.stratum_column.empty() && stored.stratum_column != import.stratum_column) {
      return MakeError("ST003", "the stored frame groups by '" + stored.stratum_column +
                                    "', the import by '" + import.stratum_column + "'");
    }
    auto settings = NGO_TRY(conn_->Prepare(
        "INSERT INTO frame_settings(id, stratum_column, has_address, has_contact_person, "
        "has_disposition) VALUES(1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
        "has_address = max(has_address, ?2), has_contact_person = max(has_contact_person, ?3), "
        "has_disposition = max(has_disposition, ?4)"));
    settings.Bind(1, import.stratum_column);
    settings.Bind(2, int64_t{import.has_address_column});
    settings.Bind(3, int64_t{import.has_contact_person_column});
    settings.Bind(4, int64_t{import.has_disposition_column});
    NGO_TRY(conn_->Done(settings.Step(), "cannot store the frame's columns"));
    for (const std::string& column : import.extra_columns) {
      auto add =
          NGO_TRY(conn_->Prepare("INSERT OR IGNORE INTO frame_columns(position, name) "
                                 "SELECT coalesce(max(position), 0) + 1, ?1 FROM frame_columns"));
      add.Bind(1, column);
      NGO_TRY(conn_->Done(add.Step(), "cannot store the frame's columns"));
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
      auto put = NGO_TRY(conn_->Prepare(
          "INSERT INTO frame_entries(position, org_id, name, stratum, address, contact_person, "
          "disposition, updated_at_ms) SELECT coalesce(max(position), 0) + 1, ?1, ?2, ?3, ?4, "
          "?5, ?6, ?7 FROM frame_entries WHERE true ON CONFLICT(org_id) DO UPDATE SET "
          "name = ?2, stratum = ?3, address = ?4, contact_person = ?5, disposition = ?6, "
          "updated_at_ms = ?7"));
      put.Bind(1, row.org_id).Bind(2, row.name).Bind(3, row.stratum).Bind(4, row.address);
      put.Bind(5, row.contact_person).Bind(6, row.disposition).Bind(7, now);
      NGO_TRY(conn_->Done(put.Step(), "cannot store frame entry '" + row.org_id + "'"));
      for (const auto& [column, value] : row.extra) {
        auto value_row = NGO_TRY(conn_->Prepare(
            "INSERT INTO frame_values(org_id, column_name, value) VALUES(?1, ?2, ?3) "
            "ON CONFLICT(org_id, column_name) DO UPDATE SET value = ?3"));
        value_row.Bind(1, row.org_id).Bind(2, column).Bind(3, value);
        NGO_TRY(conn_->Done(value_row.Step(), "cannot store frame entry '" + row.org_id + "'"));
      }
    }
    for (const FrameEntry& e : stored.entries) {
      if (!in_import.count(e.org_id)) result.kept.push_back(e.org_id);
    }
    return Ok();
  }));
  return result;
}

Result<StoredFrame> SqliteStore::ReadFrame() const {
  return Read("cannot read the sample frame",
              [&]() -> Result<StoredFrame> { return ReadFrameRows(); });
}

Result<ContactRecord> SqliteStore::AddContact(const ContactRecord& contact) {
  NGO_TRY(internal::CheckContact(contact));
  ContactRecord stored = contact;
  NGO_TRY(Write("cannot log the contact with '" + contact.org_id + "'", [&]() -> Status {
    auto known = NGO_TRY(conn_->Prepare("SELECT 1 FROM frame_entries WHERE org_id = ?"));
    known.Bind(1, contact.org_id);
    if (!NGO_TRY(conn_->StepRow(known, "cannot look up the organisation"))) {
      return internal::NotFound("organisation '" + contact.org_id + "' in the frame");
    }
    auto latest =
        NGO_TRY(conn_->Prepare("SELECT max(contact_date) FROM contacts WHERE org_id = ?"));
    latest.Bind(1, contact.org_id);
    bool any = NGO_TRY(conn_->StepRow(latest, "cannot read the organisation's contacts"));
    if (any && !latest.IsNull(0) && contact.date < latest.Text(0)) {
      return MakeError("ST008", "contact date " + contact.date +
                                    " is before the latest contact with '" + contact.org_id +
                                    "' (" + latest.Text(0) + ")");
    }
    stored.recorded_at_ms = options_.clock->NowMillis();
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO contacts(org_id, contact_date, mode, outcome, disposition, appointment, "
        "note, made_by, recorded_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, contact.org_id).Bind(2, contact.date).Bind(3, contact.mode);
    insert.Bind(4, contact.outcome).Bind(5, contact.disposition);
    if (contact.appointment) {
      insert.Bind(6, *contact.appointment);
    } else {
      insert.BindNull(6);
    }
    insert.Bind(7, contact.note).Bind(8, contact.by).Bind(9, stored.recorded_at_ms);
    NGO_TRY(conn_->Done(insert.Step(), "cannot store the contact"));
    stored.seq = conn_->LastInsertRowid();
    return Ok();
  }));
  return stored;
}

Result<std::vector<ContactRecord>> SqliteStore::ListContacts(const std::string& org_id) const {
  return Read("cannot read the contact log", [&]() -> Result<std::vector<ContactRecord>> {
    auto list = NGO_TRY(conn_->Prepare(
        "SELECT seq, org_id, contact_date, mode, outcome, disposition, appointment, note, "
        "made_by, recorded_at_ms FROM contacts WHERE ?1 = '' OR org_id = ?1 ORDER BY seq"));
    list.Bind(1, org_id);
    std::vector<ContactRecord> out;
    NGO_TRY(conn_->EachRow(list, "cannot read the contact log", [&] {
      ContactRecord c;
      c.seq = list.Int(0);
      c.org_id = list.Text(1);
      c.date = list.Text(2);
      c.mode = list.Text(3);
      c.outcome = list.Text(4);
      c.disposition = list.Text(5);
      if (!list.IsNull(6)) c.appointment = list.Text(6);
      c.note = list.Text(7);
      c.by = list.Text(8);
      c.recorded_at_ms = list.Int(9);
      out.push_back(std::move(c));
    }));
    return out;
  });
}

// The stored frame, inside the caller's transaction.
Result<StoredFrame> SqliteStore::ReadFrameRows() const {
  StoredFrame frame;
  auto settings = NGO_TRY(
      conn_->Prepare("SELECT stratum_column, has_address, has_contact_person, has_disposition "
                     "FROM frame_settings WHERE id = 1"));
  if (NGO_TRY(conn_->StepRow(settings, "cannot read the frame's columns"))) {
    frame.stratum_column = settings.Text(0);
    frame.has_address_column = settings.Int(1) != 0;
    frame.has_contact_person_column = settings.Int(2) != 0;
    frame.has_disposition_column = settings.Int(3) != 0;
  }
  auto columns = NGO_TRY(conn_->Prepare("SELECT name FROM frame_columns ORDER BY position"));
  NGO_TRY(conn_->EachRow(columns, "cannot read the frame's columns",
                         [&] { frame.extra_columns.push_back(columns.Text(0)); }));
  auto entries = NGO_TRY(conn_->Prepare(
      "SELECT position, org_id, name, stratum, address, contact_person, disposition, "
      "updated_at_ms FROM frame_entries ORDER BY position"));
  std::map<std::string, size_t> index;
  NGO_TRY(conn_->EachRow(entries, "cannot read the frame", [&] {
    FrameEntry e;
    e.position = entries.Int(0);
    e.org_id = entries.Text(1);
    e.name = entries.Text(2);
    e.stratum = entries.Text(3);
    e.address = entries.Text(4);
    e.contact_person = entries.Text(5);
    e.disposition = entries.Text(6);
    e.updated_at_ms = entries.Int(7);
    index[e.org_id] = frame.entries.size();
    frame.entries.push_back(std::move(e));
  }));
  auto values = NGO_TRY(conn_->Prepare("SELECT org_id, column_name, value FROM frame_values"));
  NGO_TRY(conn_->EachRow(values, "cannot read the frame", [&] {
    auto it = index.find(values.Text(0));
    if (it != index.end()) {
      frame.entries[it->second].extra.emplace_back(values.Text(1), values.Text(2));
    }
  }));
  for (FrameEntry& e : frame.entries) {
    e = internal::WithColumns(std::move(e), frame.extra_columns);
  }
  return frame;
}

}  // namespace ngosurvey::store::sqlite
