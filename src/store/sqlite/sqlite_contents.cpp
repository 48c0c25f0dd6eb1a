// The SQLite store's rows all at once (Store::ReadContents, LoadContents): what
// CopyStore moves between back ends. Both run in one transaction; LoadContents
// writes rows as they are (times, sequence numbers, hashes) into an empty store.
#include "store/packed_answers.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {

Result<StoreContents> SqliteStore::ReadContents() const {
  return Read("cannot read the store", [&]() -> Result<StoreContents> {
    StoreContents out;
    auto forms =
        NGO_TRY(conn_->Prepare("SELECT form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms "
                               "FROM forms ORDER BY id"));
    NGO_TRY(conn_->EachRow(forms, "cannot read the forms", [&] {
      out.forms.push_back({forms.Text(0), forms.Text(1), forms.Text(2), forms.Blob(3),
                           forms.Text(4), forms.Int(5)});
    }));
    std::vector<std::string> ids;
    auto list = NGO_TRY(conn_->Prepare("SELECT instance_id FROM submissions ORDER BY instance_id"));
    NGO_TRY(conn_->EachRow(list, "cannot list submissions", [&] { ids.push_back(list.Text(0)); }));
    list.Reset();
    for (const std::string& id : ids) {
      auto found = NGO_TRY(LookUpSubmission(id, "cannot read the submission"));
      if (found) out.submissions.push_back(std::move(*found));
    }
    out.audit = NGO_TRY(ReadEntries(""));
    internal::ChainHead head = NGO_TRY(ReadHead());
    out.audit_head_seq = head.seq;
    out.audit_head_hash = head.hash;
    out.frame = NGO_TRY(ReadFrameRows());
    auto contacts = NGO_TRY(conn_->Prepare(
        "SELECT seq, org_id, contact_date, mode, outcome, disposition, appointment, note, "
        "made_by, recorded_at_ms FROM contacts ORDER BY seq"));
    NGO_TRY(conn_->EachRow(contacts, "cannot read the contact log", [&] {
      ContactRecord c;
      c.seq = contacts.Int(0);
      c.org_id = contacts.Text(1);
      c.date = contacts.Text(2);
      c.mode = contacts.Text(3);
      c.outcome = contacts.Text(4);
      c.disposition = contacts.Text(5);
      if (!contacts.IsNull(6)) c.appointment = contacts.Text(6);
      c.note = contacts.Text(7);
      c.by = contacts.Text(8);
      c.recorded_at_ms = contacts.Int(9);
      out.contacts.push_back(std::move(c));
    }));
    std::vector<std::string> questions;
    auto asked = NGO_TRY(conn_->Prepare("SELECT DISTINCT question FROM codings ORDER BY question"));
    NGO_TRY(
        conn_->EachRow(asked, "cannot read codings", [&] { questions.push_back(asked.Text(0)); }));
    asked.Reset();
    for (const std::string& question : questions) {
      std::vector<AnswerCoding> codings = NGO_TRY(ReadCodings(question, "", ""));
      for (AnswerCoding& c : codings) out.codings.push_back(std::move(c));
    }
    auto files = NGO_TRY(conn_->Prepare(
        "SELECT submissions.instance_id, attachments.name, attachments.content_type, "
        "blobs.data, attachments.sha256, blobs.size, attachments.added_at_ms FROM attachments "
        "JOIN submissions ON submissions.id = attachments.submission_id "
        "JOIN blobs ON blobs.sha256 = attachments.sha256 "
        "ORDER BY submissions.instance_id, attachments.name"));
    NGO_TRY(conn_->EachRow(files, "cannot read the attachments", [&] {
      out.attachments.push_back({files.Text(0), files.Text(1), files.Text(2), files.Blob(3),
                                 files.Text(4), files.Int(5), files.Int(6)});
    }));
    NGO_TRY(ReadServerContents(&out));
    out.reviews = NGO_TRY(ReadReviewRows(""));
    auto aliases = NGO_TRY(conn_->Prepare(
        "SELECT alias, submissions.instance_id FROM instance_aliases "
        "JOIN submissions ON submissions.id = instance_aliases.submission_id ORDER BY alias"));
    NGO_TRY(conn_->EachRow(aliases, "cannot read the earlier instance ids", [&] {
      out.aliases.push_back({aliases.Text(0), aliases.Text(1)});
    }));
    return out;
  });
}

// Long on purpose: one transaction copying the store's tables, one after another.
// NOLINTNEXTLINE(readability-function-size)
Status SqliteStore::LoadContents(const StoreContents& contents) {
  return Write("cannot copy into the store", [&]() -> Status {
    CopySummary held;
    held.forms = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM forms", "cannot count"));
    held.submissions = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM submissions", "cannot count"));
    held.audit_entries = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM audit", "cannot count"));
    held.frame_entries =
        NGO_TRY(conn_->QueryInt("SELECT count(*) FROM frame_entries", "cannot count"));
    held.contacts = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM contacts", "cannot count"));
    held.codings = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM codings", "cannot count"));
    held.attachments = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM attachments", "cannot count"));
    held.users = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM users", "cannot count"));
    held.published_forms =
        NGO_TRY(conn_->QueryInt("SELECT count(*) FROM published_forms", "cannot count"));
    held.access_entries =
        NGO_TRY(conn_->QueryInt("SELECT count(*) FROM access_log", "cannot count"));
    held.reviews = NGO_TRY(conn_->QueryInt("SELECT count(*) FROM reviews", "cannot count"));
    NGO_TRY(internal::CheckEmptyTarget(held));
    for (const FormVersion& f : contents.forms) {
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
          "VALUES(?, ?, ?, ?, ?, ?)"));
      insert.Bind(1, f.form_id).Bind(2, f.version).Bind(3, f.title).BindBlob(4, f.xlsx);
      insert.Bind(5, f.xlsx_sha256).Bind(6, f.uploaded_at_ms);
      NGO_TRY(conn_->Done(insert.Step(), "cannot copy form \"" + f.form_id + "\""));
    }
    for (const Submission& s : contents.submissions) {
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, "
          "started_offset_min, ended_offset_min) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert.Bind(1, s.instance_id).Bind(2, s.form_id).Bind(3, s.form_version);
      insert.Bind(4, StatusName(s.status)).Bind(5, WaveName(s.wave)).Bind(6, s.org_id);
      insert.Bind(7, s.interviewer).Bind(8, s.started_at_ms);
      if (s.ended_at_ms) {
        insert.Bind(9, *s.ended_at_ms);
      } else {
        insert.BindNull(9);
      }
      insert.Bind(10, s.updated_at_ms).Bind(11, s.language).Bind(12, s.submitted_by);
      insert.BindOptional(13, s.started_offset_minutes).BindOptional(14, s.ended_offset_minutes);
      NGO_TRY(conn_->Done(insert.Step(), "cannot copy submission " + s.instance_id));
      int64_t id = conn_->LastInsertRowid();
      NGO_TRY(WriteMetadata(id, s.metadata));
      if (s.status == SubmissionStatus::kComplete) {
        NGO_TRY(WritePackedAnswers(id, s.answers, /*replace=*/false));
      } else {
        for (const auto& [path, answer] : s.answers) NGO_TRY(PutAnswer(id, path, answer));
      }
    }
    for (const AuditEntry& e : contents.audit) {
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO audit(seq, instance_id, at_ms, who, field, old_state, old_value, "
          "new_state, new_value, reason, prev_hash, hash) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert.Bind(1, e.seq).Bind(2, e.instance_id).Bind(3, e.at_ms).Bind(4, e.who);
      insert.Bind(5, e.field);
      if (e.old_answer) {
        insert.Bind(6, form::AnswerStateName(e.old_answer->state)).Bind(7, e.old_answer->value);
      }
      if (e.new_answer) {
        insert.Bind(8, form::AnswerStateName(e.new_answer->state)).Bind(9, e.new_answer->value);
      }
      insert.Bind(10, e.reason).Bind(11, e.prev_hash).Bind(12, e.hash);
      NGO_TRY(conn_->Done(insert.Step(), "cannot copy audit entry " + std::to_string(e.seq)));
    }
    auto head = NGO_TRY(conn_->Prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"));
    head.Bind(1, contents.audit_head_seq).Bind(2, contents.audit_head_hash);
    NGO_TRY(conn_->Done(head.Step(), "cannot copy the audit head"));
    const StoredFrame& frame = contents.frame;
    if (!frame.stratum_column.empty()) {
      auto settings = NGO_TRY(conn_->Prepare(
          "INSERT INTO frame_settings(id, stratum_column, has_address, has_contact_person, "
          "has_disposition) VALUES(1, ?, ?, ?, ?)"));
      settings.Bind(1, frame.stratum_column).Bind(2, int64_t{frame.has_address_column});
      settings.Bind(3, int64_t{frame.has_contact_person_column});
      settings.Bind(4, int64_t{frame.has_disposition_column});
      NGO_TRY(conn_->Done(settings.Step(), "cannot copy the frame's columns"));
    }
    int64_t position = 0;
    for (const std::string& column : frame.extra_columns) {
      auto add = NGO_TRY(conn_->Prepare("INSERT INTO frame_columns(position, name) VALUES(?, ?)"));
      add.Bind(1, ++position).Bind(2, column);
      NGO_TRY(conn_->Done(add.Step(), "cannot copy the frame's columns"));
    }
    for (const FrameEntry& e : frame.entries) {
      auto put = NGO_TRY(conn_->Prepare(
          "INSERT INTO frame_entries(position, org_id, name, stratum, address, contact_person, "
          "disposition, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
      put.Bind(1, e.position).Bind(2, e.org_id).Bind(3, e.name).Bind(4, e.stratum);
      put.Bind(5, e.address).Bind(6, e.contact_person).Bind(7, e.disposition);
      put.Bind(8, e.updated_at_ms);
      NGO_TRY(conn_->Done(put.Step(), "cannot copy frame entry '" + e.org_id + "'"));
      for (const auto& [column, value] : e.extra) {
        auto value_row = NGO_TRY(
            conn_->Prepare("INSERT INTO frame_values(org_id, column_name, value) VALUES(?, ?, ?)"));
        value_row.Bind(1, e.org_id).Bind(2, column).Bind(3, value);
        NGO_TRY(conn_->Done(value_row.Step(), "cannot copy frame entry '" + e.org_id + "'"));
      }
    }
    for (const ContactRecord& c : contents.contacts) {
      auto insert = NGO_TRY(conn_->Prepare(
          "INSERT INTO contacts(seq, org_id, contact_date, mode, outcome, disposition, "
          "appointment, note, made_by, recorded_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert.Bind(1, c.seq).Bind(2, c.org_id).Bind(3, c.date).Bind(4, c.mode);
      insert.Bind(5, c.outcome).Bind(6, c.disposition);
      if (c.appointment) {
        insert.Bind(7, *c.appointment);
      } else {
        insert.BindNull(7);
      }
      insert.Bind(8, c.note).Bind(9, c.by).Bind(10, c.recorded_at_ms);
      NGO_TRY(conn_->Done(insert.Step(), "cannot copy contact " + std::to_string(c.seq)));
    }
    for (const AnswerCoding& c : contents.codings) {
      Row row = NGO_TRY(FindSubmission(c.instance_id));
      NGO_TRY(ReplaceCodings(row.id, c.question, c.coder, c.segments, c.coded_at_ms));
    }
    NGO_TRY(InsertAttachments(contents.attachments));
    NGO_TRY(WriteServerContents(contents));
    for (const Review& review : contents.reviews) NGO_TRY(WriteReview(review));
    for (const InstanceAlias& a : contents.aliases) {
      Row row = NGO_TRY(FindSubmission(a.instance_id));
      auto insert = NGO_TRY(
          conn_->Prepare("INSERT INTO instance_aliases(alias, submission_id) VALUES(?, ?)"));
      insert.Bind(1, a.alias).Bind(2, row.id);
      NGO_TRY(conn_->Done(insert.Step(), "cannot copy instance id " + a.alias));
    }
    return Ok();
  });
}

}  // namespace ngosurvey::store::sqlite
