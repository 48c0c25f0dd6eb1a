// The PostgreSQL store's attachments (Store::PutAttachments, GetAttachment,
// ListAttachments), as the SQLite store keeps them: the bytes once per SHA-256 in
// `blobs`, named per submission in `attachments` (docs/formats/attachments.md). The
// submission's row is locked first, so that two servers receiving the same file of
// one submission (an OpenRosa client resending it) store it once.
#include "store/postgres/postgres_store_impl_internal.h"

namespace ngosurvey::store::postgres {

// Inside the caller's transaction: stores prepared attachments (PrepareAttachments),
// skipping those already stored with the same bytes.
Status PostgresStore::InsertAttachments(const std::vector<Attachment>& attachments) {
  for (const Attachment& a : attachments) {
    auto row = LockSubmission(a.instance_id);
    if (!row) {
      if (row.error().code != "ST002") return tl::unexpected(row.error());
      return internal::NotFound("submission " + a.instance_id + " (of attachment \"" + a.name +
                                "\")");
    }
    auto stored = NGO_TRY(conn_->Query(
        "SELECT sha256 FROM attachments WHERE submission_id = $1::bigint AND name = $2::text",
        Params().Int(row->id).Text(a.name), "cannot look up the attachment"));
    if (!stored.empty()) {
      if (stored.View(0, 0) == a.sha256) continue;
      return MakeError("ST009", "submission " + a.instance_id + " already has attachment \"" +
                                    a.name + "\" with other bytes");
    }
    // The same bytes may arrive at once for another submission on another server:
    // ON CONFLICT waits for that insert and keeps one copy.
    NGO_TRY(conn_->Query(
        "INSERT INTO blobs(sha256, size, data) VALUES($1::text, $2::bigint, $3::bytea) "
        "ON CONFLICT(sha256) DO NOTHING",
        Params().Text(a.sha256).Int(a.size).Bytes(a.data),
        "cannot store attachment \"" + a.name + "\""));
    NGO_TRY(conn_->Query(
        "INSERT INTO attachments(submission_id, name, sha256, content_type, added_at_ms) "
        "VALUES($1::bigint, $2::text, $3::text, $4::text, $5::bigint)",
        Params().Int(row->id).Text(a.name).Text(a.sha256).Text(a.content_type).Int(a.added_at_ms),
        "cannot store attachment \"" + a.name + "\""));
  }
  return Ok();
}

Status PostgresStore::PutAttachments(const std::vector<Attachment>& attachments) {
  std::vector<Attachment> prepared =
      NGO_TRY(internal::PrepareAttachments(attachments, options_.clock->NowMillis()));
  return Write("cannot store attachments", [&]() -> Status { return InsertAttachments(prepared); });
}

Result<Attachment> PostgresStore::GetAttachment(const std::string& instance_id,
                                                const std::string& name) const {
  return Read("cannot read the attachment", [&]() -> Result<Attachment> {
    auto rows = NGO_TRY(conn_->Query(
        "SELECT a.content_type, a.added_at_ms, a.sha256, b.size, b.data FROM attachments a "
        "JOIN submissions s ON s.id = a.submission_id JOIN blobs b ON b.sha256 = a.sha256 "
        "WHERE s.instance_id = $1::text AND a.name = $2::text",
        Params().Text(instance_id).Text(name), "cannot read the attachment"));
    if (rows.empty()) {
      return internal::NotFound("attachment \"" + name + "\" of submission " + instance_id);
    }
    Attachment a;
    a.instance_id = instance_id;
    a.name = name;
    a.content_type = rows.Text(0, 0);
    a.added_at_ms = rows.Int(0, 1);
    a.sha256 = rows.Text(0, 2);
    a.size = rows.Int(0, 3);
    a.data = rows.Text(0, 4);
    if (static_cast<int64_t>(a.data.size()) != a.size || internal::Sha256Hex(a.data) != a.sha256) {
      return Damaged("attachment \"" + name + "\" of submission " + instance_id +
                     " no longer has the bytes of its SHA-256 " + a.sha256);
    }
    return a;
  });
}

Result<std::vector<Attachment>> PostgresStore::ListAttachments(
    const std::string& instance_id) const {
  return Read("cannot list attachments", [&]() -> Result<std::vector<Attachment>> {
    auto rows = NGO_TRY(conn_->Query(
        "SELECT a.name, a.content_type, a.added_at_ms, a.sha256, b.size FROM attachments a "
        "JOIN submissions s ON s.id = a.submission_id JOIN blobs b ON b.sha256 = a.sha256 "
        "WHERE s.instance_id = $1::text ORDER BY a.name",
        Params().Text(instance_id), "cannot list attachments"));
    std::vector<Attachment> out;
    for (int i = 0; i < rows.size(); ++i) {
      Attachment a;
      a.instance_id = instance_id;
      a.name = rows.Text(i, 0);
      a.content_type = rows.Text(i, 1);
      a.added_at_ms = rows.Int(i, 2);
      a.sha256 = rows.Text(i, 3);
      a.size = rows.Int(i, 4);
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace ngosurvey::store::postgres
