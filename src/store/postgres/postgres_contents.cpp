// The PostgreSQL store's rows all at once (Store::ReadContents, LoadContents): what
// CopyStore moves between back ends (ngosurvey store migrate). Both run in one
// transaction; LoadContents writes rows as they are (times, sequence numbers,
// hashes) into an empty store, holding the locks every writer takes (the audit
// head, the frame's and the contact log's) so no other writer slips in between.
#include <map>

#include "store/postgres/postgres_store_impl_internal.h"

namespace ngosurvey::store::postgres {

Result<StoreContents> PostgresStore::ReadContents() const {
  return Read("cannot read the store", [&]() -> Result<StoreContents> {
    StoreContents out;
    auto forms =
        NGO_TRY(conn_->Query("SELECT form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms "
                             "FROM forms ORDER BY id",
                             "cannot read the forms"));
    for (int i = 0; i < forms.size(); ++i) {
      out.forms.push_back({forms.Text(i, 0), forms.Text(i, 1), forms.Text(i, 2), forms.Text(i, 3),
                           forms.Text(i, 4), forms.Int(i, 5)});
    }
    auto ids = NGO_TRY(conn_->Query("SELECT instance_id FROM submissions ORDER BY instance_id",
                                    "cannot list submissions"));
    for (int i = 0; i < ids.size(); ++i) {
      auto found = NGO_TRY(LookUpSubmission(ids.Text(i, 0)));
      if (found) out.submissions.push_back(std::move(*found));
    }
    out.audit = NGO_TRY(ReadEntries(""));
    internal::ChainHead head = NGO_TRY(ReadHead(/*for_update=*/false));
    out.audit_head_seq = head.seq;
    out.audit_head_hash = head.hash;
    out.frame = NGO_TRY(ReadFrameRows());
    auto contacts = NGO_TRY(conn_->Query(
        "SELECT seq, org_id, contact_date, mode, outcome, disposition, appointment, note, "
        "made_by, recorded_at_ms FROM contacts ORDER BY seq",
        "cannot read the contact log"));
    for (int i = 0; i < contacts.size(); ++i) {
      ContactRecord c;
      c.seq = contacts.Int(i, 0);
      c.org_id = contacts.Text(i, 1);
      c.date = contacts.Text(i, 2);
      c.mode = contacts.Text(i, 3);
      c.outcome = contacts.Text(i, 4);
      c.disposition = contacts.Text(i, 5);
      if (!contacts.IsNull(i, 6)) c.appointment = contacts.Text(i, 6);
      c.note = contacts.Text(i, 7);
      c.by = contacts.Text(i, 8);
      c.recorded_at_ms = contacts.Int(i, 9);
      out.contacts.push_back(std::move(c));
    }
    auto questions = NGO_TRY(conn_->Query("SELECT DISTINCT question FROM codings ORDER BY question",
                                          "cannot read codings"));
    for (int i = 0; i < questions.size(); ++i) {
      std::vector<AnswerCoding> codings = NGO_TRY(ReadCodings(questions.Text(i, 0), "", ""));
      for (AnswerCoding& c : codings) out.codings.push_back(std::move(c));
    }
    auto files = NGO_TRY(conn_->Query(
        "SELECT s.instance_id, a.name, a.content_type, b.data, a.sha256, b.size, a.added_at_ms "
        "FROM attachments a JOIN submissions s ON s.id = a.submission_id "
        "JOIN blobs b ON b.sha256 = a.sha256 ORDER BY s.instance_id, a.name",
        "cannot read the attachments"));
    for (int i = 0; i < files.size(); ++i) {
      out.attachments.push_back({files.Text(i, 0), files.Text(i, 1), files.Text(i, 2),
                                 files.Text(i, 3), files.Text(i, 4), files.Int(i, 5),
                                 files.Int(i, 6)});
    }
    NGO_TRY(ReadServerContents(&out));
    out.reviews = NGO_TRY(ReadReviewRows(""));
    auto aliases = NGO_TRY(
        conn_->Query("SELECT a.alias, s.instance_id FROM instance_aliases a "
                     "JOIN submissions s ON s.id = a.submission_id ORDER BY a.alias COLLATE \"C\"",
                     "cannot read the earlier instance ids"));
    for (int i = 0; i < aliases.size(); ++i) {
      out.aliases.push_back({aliases.Text(i, 0), aliases.Text(i, 1)});
    }
    return out;
  });
}

// Long on purpose: one transaction copying the store's tables, one after another.
// NOLINTNEXTLINE(readability-function-size)
Status PostgresStore::LoadContents(const StoreContents& contents) {
  return Write("cannot copy into the store", [&]() -> Status {
    NGO_TRY(ReadHead(/*for_update=*/true));
    NGO_TRY(
        conn_->Query("SELECT pg_advisory_xact_lock($1::bigint), pg_advisory_xact_lock($2::bigint)",
                     Params().Int(kFrameLock).Int(kContactLock), "cannot lock the store"));
    auto counts = NGO_TRY(
        conn_->Query("SELECT (SELECT count(*) FROM forms), (SELECT count(*) FROM submissions), "
                     "(SELECT count(*) FROM audit), (SELECT count(*) FROM frame_entries), "
                     "(SELECT count(*) FROM contacts), (SELECT count(*) FROM codings), "
                     "(SELECT count(*) FROM attachments), (SELECT count(*) FROM users), "
                     "(SELECT count(*) FROM published_forms), (SELECT count(*) FROM access_log), "
                     "(SELECT count(*) FROM reviews)",
                     "cannot count the store's rows"));
    CopySummary held;
    held.forms = static_cast<size_t>(counts.Int(0, 0));
    held.submissions = static_cast<size_t>(counts.Int(0, 1));
    held.audit_entries = static_cast<size_t>(counts.Int(0, 2));
    held.frame_entries = static_cast<size_t>(counts.Int(0, 3));
    held.contacts = static_cast<size_t>(counts.Int(0, 4));
    held.codings = static_cast<size_t>(counts.Int(0, 5));
    held.attachments = static_cast<size_t>(counts.Int(0, 6));
    held.users = static_cast<size_t>(counts.Int(0, 7));
    held.published_forms = static_cast<size_t>(counts.Int(0, 8));
    held.access_entries = static_cast<size_t>(counts.Int(0, 9));
    held.reviews = static_cast<size_t>(counts.Int(0, 10));
    NGO_TRY(internal::CheckEmptyTarget(held));
    for (const FormVersion& f : contents.forms) {
      NGO_TRY(conn_->Query(
          "INSERT INTO forms(form_id, version, title, xlsx, xlsx_sha256, uploaded_at_ms) "
          "VALUES($1::text, $2::text, $3::text, $4::bytea, $5::text, $6::bigint)",
          Params()
              .Text(f.form_id)
              .Text(f.version)
              .Text(f.title)
              .Bytes(f.xlsx)
              .Text(f.xlsx_sha256)
              .Int(f.uploaded_at_ms),
          "cannot copy form \"" + f.form_id + "\""));
    }
    std::map<std::string, int64_t> ids;
    for (const Submission& s : contents.submissions) {
      auto inserted = NGO_TRY(conn_->Query(
          "INSERT INTO submissions(instance_id, form_id, form_version, status, wave, org_id, "
          "interviewer, started_at_ms, ended_at_ms, updated_at_ms, language, submitted_by, "
          "started_offset_min, ended_offset_min) "
          "VALUES($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, "
          "$8::bigint, $9::bigint, $10::bigint, $11::text, $12::text, $13::bigint, $14::bigint) "
          "RETURNING id",
          Params()
              .Text(s.instance_id)
              .Text(s.form_id)
              .Text(s.form_version)
              .Text(StatusName(s.status))
              .Text(WaveName(s.wave))
              .Text(s.org_id)
              .Text(s.interviewer)
              .Int(s.started_at_ms)
              .OptionalInt(s.ended_at_ms)
              .Int(s.updated_at_ms)
              .Text(s.language)
              .Text(s.submitted_by)
              .OptionalInt(s.started_offset_minutes)
              .OptionalInt(s.ended_offset_minutes),
          "cannot copy submission " + s.instance_id));
      int64_t id = inserted.Int(0, 0);
      ids[s.instance_id] = id;
      NGO_TRY(WriteMetadata(id, s.metadata));
      if (s.status == SubmissionStatus::kComplete) {
        NGO_TRY(WritePackedAnswers(id, s.answers, /*replace=*/false));
        continue;
      }
      for (const auto& [path, answer] : s.answers) {
        NGO_TRY(
            conn_->Query("INSERT INTO answers(submission_id, path, state, value) "
                         "VALUES($1::bigint, $2::text, $3::text, $4::text)",
                         Params()
                             .Int(id)
                             .Text(path)
                             .Text(form::AnswerStateName(answer.state))
                             .Text(answer.value),
                         "cannot copy answer \"" + path + "\" of " + s.instance_id));
      }
    }
    for (const AuditEntry& e : contents.audit) {
      Params params;
      params.Int(e.seq).Text(e.instance_id).Int(e.at_ms).Text(e.who).Text(e.field);
      if (e.old_answer) {
        params.Text(form::AnswerStateName(e.old_answer->state)).Text(e.old_answer->value);
      } else {
        params.Null().Null();
      }
      if (e.new_answer) {
        params.Text(form::AnswerStateName(e.new_answer->state)).Text(e.new_answer->value);
      } else {
        params.Null().Null();
      }
      params.Text(e.reason).Text(e.prev_hash).Text(e.hash);
      NGO_TRY(conn_->Query(
          "INSERT INTO audit(seq, instance_id, at_ms, who, field, old_state, old_value, "
          "new_state, new_value, reason, prev_hash, hash) VALUES($1::bigint, $2::text, "
          "$3::bigint, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, "
          "$11::text, $12::text)",
          params, "cannot copy audit entry " + std::to_string(e.seq)));
    }
    NGO_TRY(conn_->Query("UPDATE audit_head SET seq = $1::bigint, hash = $2::text WHERE id = 1",
                         Params().Int(contents.audit_head_seq).Text(contents.audit_head_hash),
                         "cannot copy the audit head"));
    const StoredFrame& frame = contents.frame;
    if (!frame.stratum_column.empty()) {
      NGO_TRY(conn_->Query(
          "INSERT INTO frame_settings(id, stratum_column, has_address, has_contact_person, "
          "has_disposition) VALUES(1, $1::text, $2::bigint, $3::bigint, $4::bigint)",
          Params()
              .Text(frame.stratum_column)
              .Int(frame.has_address_column ? 1 : 0)
              .Int(frame.has_contact_person_column ? 1 : 0)
              .Int(frame.has_disposition_column ? 1 : 0),
          "cannot copy the frame's columns"));
    }
    int64_t position = 0;
    for (const std::string& column : frame.extra_columns) {
      NGO_TRY(conn_->Query("INSERT INTO frame_columns(position, name) VALUES($1::bigint, $2::text)",
                           Params().Int(++position).Text(column),
                           "cannot copy the frame's columns"));
    }
    for (const FrameEntry& e : frame.entries) {
      NGO_TRY(conn_->Query(
          "INSERT INTO frame_entries(position, org_id, name, stratum, address, contact_person, "
          "disposition, updated_at_ms) VALUES($1::bigint, $2::text, $3::text, $4::text, "
          "$5::text, $6::text, $7::text, $8::bigint)",
          Params()
              .Int(e.position)
              .Text(e.org_id)
              .Text(e.name)
              .Text(e.stratum)
              .Text(e.address)
              .Text(e.contact_person)
              .Text(e.disposition)
              .Int(e.updated_at_ms),
          "cannot copy frame entry '" + e.org_id + "'"));
      for (const auto& [column, value] : e.extra) {
        NGO_TRY(
            conn_->Query("INSERT INTO frame_values(org_id, column_name, value) "
                         "VALUES($1::text, $2::text, $3::text)",
                         Params().Text(e.org_id).Text(column).Text(value),
                         "cannot copy frame entry '" + e.org_id + "'"));
      }
    }
    for (const ContactRecord& c : contents.contacts) {
      NGO_TRY(conn_->Query(
          "INSERT INTO contacts(seq, org_id, contact_date, mode, outcome, disposition, "
          "appointment, note, made_by, recorded_at_ms) VALUES($1::bigint, $2::text, $3::text, "
          "$4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::bigint)",
          Params()
              .Int(c.seq)
              .Text(c.org_id)
              .Text(c.date)
              .Text(c.mode)
              .Text(c.outcome)
              .Text(c.disposition)
              .OptionalText(c.appointment)
              .Text(c.note)
              .Text(c.by)
              .Int(c.recorded_at_ms),
          "cannot copy contact " + std::to_string(c.seq)));
    }
    for (const AnswerCoding& c : contents.codings) {
      auto it = ids.find(c.instance_id);
      if (it == ids.end()) return internal::NotFound("submission " + c.instance_id);
      NGO_TRY(ReplaceCodings(it->second, c.question, c.coder, c.segments, c.coded_at_ms));
    }
    NGO_TRY(InsertAttachments(contents.attachments));
    NGO_TRY(WriteServerContents(contents));
    for (const Review& review : contents.reviews) NGO_TRY(WriteReview(review));
    for (const InstanceAlias& a : contents.aliases) {
      NGO_TRY(conn_->Query(
          "INSERT INTO instance_aliases(alias, submission_id) "
          "SELECT $1::text, id FROM submissions WHERE instance_id = $2::text",
          Params().Text(a.alias).Text(a.instance_id), "cannot copy instance id " + a.alias));
    }
    return Ok();
  });
}

}  // namespace ngosurvey::store::postgres
