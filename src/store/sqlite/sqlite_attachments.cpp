// The SQLite store's attachments (Store::PutAttachments, GetAttachment,
// ListAttachments): the files that came with submissions, content-addressed. The
// bytes are kept once per SHA-256 in `blobs`; `attachments` names them per
// submission. The tables are documented in docs/formats/attachments.md.
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {

// Inside the caller's transaction: stores prepared attachments (PrepareAttachments),
// skipping those already stored with the same bytes.
Status SqliteStore::InsertAttachments(const std::vector<Attachment>& attachments) {
  for (const Attachment& a : attachments) {
    auto find = NGO_TRY(conn_->Prepare("SELECT id FROM submissions WHERE instance_id = ?"));
    find.Bind(1, a.instance_id);
    if (!NGO_TRY(conn_->StepRow(find, "cannot look up the submission"))) {
      return internal::NotFound("submission " + a.instance_id + " (of attachment \"" + a.name +
                                "\")");
    }
    int64_t submission_id = find.Int(0);
    auto stored = NGO_TRY(
        conn_->Prepare("SELECT sha256 FROM attachments WHERE submission_id = ? AND name = ?"));
    stored.Bind(1, submission_id).Bind(2, a.name);
    if (NGO_TRY(conn_->StepRow(stored, "cannot look up the attachment"))) {
      if (stored.Text(0) == a.sha256) continue;
      return MakeError("ST009", "submission " + a.instance_id + " already has attachment \"" +
                                    a.name + "\" with other bytes");
    }
    auto blob = NGO_TRY(conn_->Prepare("SELECT 1 FROM blobs WHERE sha256 = ?"));
    blob.Bind(1, a.sha256);
    if (!NGO_TRY(conn_->StepRow(blob, "cannot look up the attachment's bytes"))) {
      auto insert =
          NGO_TRY(conn_->Prepare("INSERT INTO blobs(sha256, size, data) VALUES(?, ?, ?)"));
      insert.BindStatic(1, a.sha256).Bind(2, a.size).BindStaticBlob(3, a.data);
      NGO_TRY(conn_->Done(insert.Step(), "cannot store attachment \"" + a.name + "\""));
    }
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO attachments(submission_id, name, sha256, content_type, added_at_ms) "
        "VALUES(?, ?, ?, ?, ?)"));
    insert.Bind(1, submission_id).BindStatic(2, a.name).BindStatic(3, a.sha256);
    insert.BindStatic(4, a.content_type).Bind(5, a.added_at_ms);
    NGO_TRY(conn_->Done(insert.Step(), "cannot store attachment \"" + a.name + "\""));
  }
  return Ok();
}

Status SqliteStore::PutAttachments(const std::vector<Attachment>& attachments) {
  std::vector<Attachment> prepared =
      NGO_TRY(internal::PrepareAttachments(attachments, options_.clock->NowMillis()));
  return Write("cannot store attachments", [&]() -> Status { return InsertAttachments(prepared); });
}

Result<Attachment> SqliteStore::GetAttachment(const std::string& instance_id,
                                              const std::string& name) const {
  return Read("cannot read the attachment", [&]() -> Result<Attachment> {
    auto find = NGO_TRY(conn_->Prepare(
        "SELECT attachments.content_type, attachments.added_at_ms, attachments.sha256, "
        "blobs.size, blobs.data FROM attachments "
        "JOIN submissions ON submissions.id = attachments.submission_id "
        "JOIN blobs ON blobs.sha256 = attachments.sha256 "
        "WHERE submissions.instance_id = ? AND attachments.name = ?"));
    find.Bind(1, instance_id).Bind(2, name);
    if (!NGO_TRY(conn_->StepRow(find, "cannot read the attachment"))) {
      return internal::NotFound("attachment \"" + name + "\" of submission " + instance_id);
    }
    Attachment a;
    a.instance_id = instance_id;
    a.name = name;
    a.content_type = find.Text(0);
    a.added_at_ms = find.Int(1);
    a.sha256 = find.Text(2);
    a.size = find.Int(3);
    a.data = find.Blob(4);
    if (static_cast<int64_t>(a.data.size()) != a.size || internal::Sha256Hex(a.data) != a.sha256) {
      return MakeError("IO105",
                       "the store is damaged: attachment \"" + name + "\" of submission " +
                           instance_id + " no longer has the bytes of its SHA-256 " + a.sha256,
                       FileLocation(conn_->path()));
    }
    return a;
  });
}

Result<std::vector<Attachment>> SqliteStore::ListAttachments(const std::string& instance_id) const {
  return Read("cannot list attachments", [&]() -> Result<std::vector<Attachment>> {
    auto list = NGO_TRY(conn_->Prepare(
        "SELECT attachments.name, attachments.content_type, attachments.added_at_ms, "
        "attachments.sha256, blobs.size FROM attachments "
        "JOIN submissions ON submissions.id = attachments.submission_id "
        "JOIN blobs ON blobs.sha256 = attachments.sha256 "
        "WHERE submissions.instance_id = ? ORDER BY attachments.name"));
    list.Bind(1, instance_id);
    std::vector<Attachment> out;
    NGO_TRY(conn_->EachRow(list, "cannot list attachments", [&] {
      Attachment a;
      a.instance_id = instance_id;
      a.name = list.Text(0);
      a.content_type = list.Text(1);
      a.added_at_ms = list.Int(2);
      a.sha256 = list.Text(3);
      a.size = list.Int(4);
      out.push_back(std::move(a));
    }));
    return out;
  });
}

}  // namespace ngosurvey::store::sqlite
