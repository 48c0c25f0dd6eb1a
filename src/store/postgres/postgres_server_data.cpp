// The PostgreSQL store's server data (store/server_data.h), as the SQLite store
// keeps it: accounts (`users`, with the forms each may use in `user_forms`),
// published XForms (`published_forms`) with their media (`published_media`), and the
// append-only `access_log` (schema version 7). Several servers may write at once:
// a new account or publication is inserted with ON CONFLICT DO NOTHING, which waits
// for a concurrent insert of the same key and then lets this one see it, so two
// racing writers give one row and the second the same ST003 (or kUnchanged) as on
// SQLite.
#include "store/postgres/postgres_store_impl_internal.h"
#include "store/server_data_internal.h"

namespace ngosurvey::store::postgres {

Result<std::vector<User>> PostgresStore::ReadUsers(const std::string& name) const {
  auto rows = NGO_TRY(conn_->Query(
      "SELECT name, role, all_forms, disabled, password_hash, digest_realm, digest_ha1, "
      "created_at_ms, updated_at_ms FROM users WHERE $1::text = '' OR name = $1::text "
      "ORDER BY name",
      Params().Text(name), "cannot read users"));
  std::vector<User> out;
  for (int i = 0; i < rows.size(); ++i) {
    User u;
    u.name = rows.Text(i, 0);
    auto role = ParseRole(rows.View(i, 1));
    if (!role) return Damaged("user " + u.name + ": " + role.error().message);
    u.role = *role;
    u.all_forms = rows.Int(i, 2) != 0;
    u.disabled = rows.Int(i, 3) != 0;
    u.password_hash = rows.Text(i, 4);
    u.digest_realm = rows.Text(i, 5);
    u.digest_ha1 = rows.Text(i, 6);
    u.created_at_ms = rows.Int(i, 7);
    u.updated_at_ms = rows.Int(i, 8);
    out.push_back(std::move(u));
  }
  auto forms = NGO_TRY(
      conn_->Query("SELECT user_name, form_id FROM user_forms "
                   "WHERE $1::text = '' OR user_name = $1::text ORDER BY user_name, form_id",
                   Params().Text(name), "cannot read users"));
  size_t at = 0;
  for (int i = 0; i < forms.size(); ++i) {
    std::string user = forms.Text(i, 0);
    while (at < out.size() && out[at].name < user) ++at;
    if (at < out.size() && out[at].name == user) out[at].forms.push_back(forms.Text(i, 1));
  }
  return out;
}

Status PostgresStore::WriteUserForms(const User& user) {
  NGO_TRY(conn_->Query("DELETE FROM user_forms WHERE user_name = $1::text",
                       Params().Text(user.name), "cannot store the user's forms"));
  for (const std::string& form : user.forms) {
    NGO_TRY(conn_->Query("INSERT INTO user_forms(user_name, form_id) VALUES($1::text, $2::text)",
                         Params().Text(user.name).Text(form), "cannot store the user's forms"));
  }
  return Ok();
}

Status PostgresStore::AddUser(const User& user) {
  User checked = NGO_TRY(internal::CheckUser(user));
  return Write("cannot add user " + checked.name, [&]() -> Status {
    int64_t now = options_.clock->NowMillis();
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO users(name, role, all_forms, disabled, password_hash, digest_realm, "
        "digest_ha1, created_at_ms, updated_at_ms) VALUES($1::text, $2::text, $3::bigint, "
        "$4::bigint, $5::text, $6::text, $7::text, $8::bigint, $9::bigint) "
        "ON CONFLICT(name) DO NOTHING RETURNING name",
        Params()
            .Text(checked.name)
            .Text(RoleName(checked.role))
            .Int(checked.all_forms ? 1 : 0)
            .Int(checked.disabled ? 1 : 0)
            .Text(checked.password_hash)
            .Text(checked.digest_realm)
            .Text(checked.digest_ha1)
            .Int(now)
            .Int(now),
        "cannot add the user"));
    if (inserted.empty()) return MakeError("ST003", "user " + checked.name + " already exists");
    return WriteUserForms(checked);
  });
}

Status PostgresStore::UpdateUser(const User& user) {
  User checked = NGO_TRY(internal::CheckUser(user));
  return Write("cannot change user " + checked.name, [&]() -> Status {
    auto updated = NGO_TRY(conn_->Query(
        "UPDATE users SET role = $2::text, all_forms = $3::bigint, disabled = $4::bigint, "
        "password_hash = $5::text, digest_realm = $6::text, digest_ha1 = $7::text, "
        "updated_at_ms = $8::bigint WHERE name = $1::text RETURNING name",
        Params()
            .Text(checked.name)
            .Text(RoleName(checked.role))
            .Int(checked.all_forms ? 1 : 0)
            .Int(checked.disabled ? 1 : 0)
            .Text(checked.password_hash)
            .Text(checked.digest_realm)
            .Text(checked.digest_ha1)
            .Int(options_.clock->NowMillis()),
        "cannot change the user"));
    if (updated.empty()) return internal::NotFound("user " + checked.name);
    return WriteUserForms(checked);
  });
}

Result<User> PostgresStore::GetUser(const std::string& name) const {
  return Read("cannot read user " + name, [&]() -> Result<User> {
    if (name.empty()) return internal::NotFound("user \"\"");
    std::vector<User> users = NGO_TRY(ReadUsers(name));
    if (users.empty()) return internal::NotFound("user " + name);
    return std::move(users.front());
  });
}

Result<std::vector<User>> PostgresStore::ListUsers() const {
  return Read("cannot list users", [&]() -> Result<std::vector<User>> { return ReadUsers(""); });
}

Result<std::vector<MediaFile>> PostgresStore::ReadMedia(int64_t published_id,
                                                        bool with_bytes) const {
  auto rows =
      NGO_TRY(with_bytes ? conn_->Query("SELECT name, md5, data FROM published_media "
                                        "WHERE published_id = $1::bigint ORDER BY name",
                                        Params().Int(published_id), "cannot read the media files")
                         : conn_->Query("SELECT name, md5 FROM published_media "
                                        "WHERE published_id = $1::bigint ORDER BY name",
                                        Params().Int(published_id), "cannot read the media files"));
  std::vector<MediaFile> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.Text(i, 0), with_bytes ? rows.Text(i, 2) : "", rows.Text(i, 1)});
  }
  return out;
}

Result<PublishOutcome> PostgresStore::PublishForm(const FormVersion& workbook,
                                                  const PublishedForm& published) {
  NGO_TRY(internal::CheckFormForPut(workbook));
  PublishedForm checked = NGO_TRY(internal::CheckPublished(workbook, published));
  PublishOutcome outcome = PublishOutcome::kPublished;
  NGO_TRY(Write("cannot publish form \"" + workbook.form_id + "\"", [&]() -> Status {
    outcome = PublishOutcome::kPublished;
    NGO_TRY(InsertForm(workbook));
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO published_forms(form_id, version, title, xform, xform_md5, "
        "published_at_ms) VALUES($1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint) "
        "ON CONFLICT(form_id, version) DO NOTHING RETURNING id",
        Params()
            .Text(checked.form_id)
            .Text(checked.version)
            .Text(workbook.title)
            .Text(checked.xform)
            .Text(checked.xform_md5)
            .Int(options_.clock->NowMillis()),
        "cannot publish the form"));
    if (inserted.empty()) {
      // Published before (perhaps just now by another server): the same XForm and
      // media are a no-op, anything else a conflict.
      auto found =
          NGO_TRY(conn_->Query("SELECT id, xform_md5 FROM published_forms "
                               "WHERE form_id = $1::text AND version = $2::text",
                               Params().Text(checked.form_id).Text(checked.version),
                               "cannot look up the published form"));
      if (found.empty()) return internal::NotFound("published form \"" + checked.form_id + "\"");
      std::vector<MediaFile> media = NGO_TRY(ReadMedia(found.Int(0, 0), /*with_bytes=*/false));
      bool same = found.View(0, 1) == checked.xform_md5 && media.size() == checked.media.size();
      for (size_t i = 0; same && i < media.size(); ++i) {
        same = media[i].name == checked.media[i].name && media[i].md5 == checked.media[i].md5;
      }
      if (same) {
        outcome = PublishOutcome::kUnchanged;
        return Ok();
      }
      return MakeError("ST003", "form \"" + checked.form_id + "\" version " + checked.version +
                                    " is already published with another XForm or media; "
                                    "publish it under a new version");
    }
    int64_t id = inserted.Int(0, 0);
    for (const MediaFile& m : checked.media) {
      NGO_TRY(
          conn_->Query("INSERT INTO published_media(published_id, name, data, md5) "
                       "VALUES($1::bigint, $2::text, $3::bytea, $4::text)",
                       Params().Int(id).Text(m.name).Bytes(m.bytes).Text(m.md5),
                       "cannot store media file \"" + m.name + "\""));
    }
    return Ok();
  }));
  return outcome;
}

Result<PublishedForm> PostgresStore::GetPublishedForm(const std::string& form_id,
                                                      const std::string& version) const {
  return Read("cannot read published form \"" + form_id + "\"", [&]() -> Result<PublishedForm> {
    auto found = NGO_TRY(conn_->Query(
        "SELECT id, version, title, xform, xform_md5, published_at_ms FROM published_forms "
        "WHERE form_id = $1::text AND ($2::text = '' OR version = $2::text) "
        "ORDER BY id DESC LIMIT 1",
        Params().Text(form_id).Text(version), "cannot read the published form"));
    if (found.empty()) {
      return internal::NotFound("published form \"" + form_id + "\"" +
                                (version.empty() ? "" : " version " + version));
    }
    PublishedForm out;
    out.form_id = form_id;
    out.version = found.Text(0, 1);
    out.title = found.Text(0, 2);
    out.xform = found.Text(0, 3);
    out.xform_md5 = found.Text(0, 4);
    out.published_at_ms = found.Int(0, 5);
    out.media = NGO_TRY(ReadMedia(found.Int(0, 0), /*with_bytes=*/true));
    return out;
  });
}

Result<std::vector<PublishedForm>> PostgresStore::ListPublishedForms() const {
  return Read("cannot list published forms", [&]() -> Result<std::vector<PublishedForm>> {
    // The latest version of each form: the highest id among its rows.
    auto list = NGO_TRY(
        conn_->Query("SELECT p.id, p.form_id, p.version, p.title, p.xform_md5, p.published_at_ms "
                     "FROM published_forms p WHERE p.id = "
                     "(SELECT max(id) FROM published_forms q WHERE q.form_id = p.form_id) "
                     "ORDER BY p.form_id",
                     "cannot list published forms"));
    std::vector<PublishedForm> out;
    for (int i = 0; i < list.size(); ++i) {
      PublishedForm f;
      f.form_id = list.Text(i, 1);
      f.version = list.Text(i, 2);
      f.title = list.Text(i, 3);
      f.xform_md5 = list.Text(i, 4);
      f.published_at_ms = list.Int(i, 5);
      f.media = NGO_TRY(ReadMedia(list.Int(i, 0), /*with_bytes=*/false));
      out.push_back(std::move(f));
    }
    return out;
  });
}

Status PostgresStore::CreateSession(const Session& session) {
  int64_t now = options_.clock->NowMillis();
  NGO_TRY(internal::CheckSession(session, now));
  return Write("cannot keep the session", [&]() -> Status {
    auto user = NGO_TRY(conn_->Query("SELECT 1 FROM users WHERE name = $1::text",
                                     Params().Text(session.user), "cannot look up the user"));
    if (user.empty()) return internal::NotFound("user " + session.user);
    NGO_TRY(conn_->Query("DELETE FROM sessions WHERE expires_at_ms <= $1::bigint",
                         Params().Int(now), "cannot drop expired sessions"));
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO sessions(token_sha256, user_name, created_at_ms, expires_at_ms) "
        "VALUES($1::text, $2::text, $3::bigint, $4::bigint) "
        "ON CONFLICT(token_sha256) DO NOTHING RETURNING token_sha256",
        Params().Text(session.token_sha256).Text(session.user).Int(now).Int(session.expires_at_ms),
        "cannot keep the session"));
    if (inserted.empty()) return MakeError("ST003", "a session with this token already exists");
    return Ok();
  });
}

Result<Session> PostgresStore::GetSession(const std::string& token_sha256) const {
  return Read("cannot read the session", [&]() -> Result<Session> {
    auto rows =
        NGO_TRY(conn_->Query("SELECT user_name, created_at_ms, expires_at_ms FROM sessions "
                             "WHERE token_sha256 = $1::text",
                             Params().Text(token_sha256), "cannot read the session"));
    if (rows.empty()) return internal::NotFound("session");
    return Session{token_sha256, rows.Text(0, 0), rows.Int(0, 1), rows.Int(0, 2)};
  });
}

Status PostgresStore::DeleteSession(const std::string& token_sha256) {
  return Write("cannot end the session", [&]() -> Status {
    NGO_TRY(conn_->Query("DELETE FROM sessions WHERE token_sha256 = $1::text",
                         Params().Text(token_sha256), "cannot end the session"));
    return Ok();
  });
}

Result<AccessEntry> PostgresStore::RecordAccess(const AccessEntry& entry) {
  NGO_TRY(internal::CheckAccess(entry));
  AccessEntry stored = entry;
  NGO_TRY(Write("cannot record the access", [&]() -> Status {
    stored.at_ms = options_.clock->NowMillis();
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO access_log(at_ms, who, action, form_id, instance_id, detail) "
        "VALUES($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text) RETURNING seq",
        Params()
            .Int(stored.at_ms)
            .Text(stored.who)
            .Text(stored.action)
            .Text(stored.form_id)
            .Text(stored.instance_id)
            .Text(stored.detail),
        "cannot record the access"));
    stored.seq = inserted.Int(0, 0);
    return Ok();
  }));
  return stored;
}

Result<std::vector<AccessEntry>> PostgresStore::ReadAccessRows(const std::string& who) const {
  auto rows = NGO_TRY(
      conn_->Query("SELECT seq, at_ms, who, action, form_id, instance_id, detail FROM access_log "
                   "WHERE $1::text = '' OR who = $1::text ORDER BY seq",
                   Params().Text(who), "cannot read the access log"));
  std::vector<AccessEntry> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.Int(i, 0), rows.Int(i, 1), rows.Text(i, 2), rows.Text(i, 3),
                   rows.Text(i, 4), rows.Text(i, 5), rows.Text(i, 6)});
  }
  return out;
}

Result<std::vector<AccessEntry>> PostgresStore::ReadAccessLog(const std::string& who) const {
  return Read("cannot read the access log",
              [&]() -> Result<std::vector<AccessEntry>> { return ReadAccessRows(who); });
}

Status PostgresStore::ReadServerContents(StoreContents* out) const {
  out->users = NGO_TRY(ReadUsers(""));
  auto forms =
      NGO_TRY(conn_->Query("SELECT id, form_id, version, title, xform, xform_md5, published_at_ms "
                           "FROM published_forms ORDER BY id",
                           "cannot read the published forms"));
  for (int i = 0; i < forms.size(); ++i) {
    PublishedForm f{forms.Text(i, 1), forms.Text(i, 2), forms.Text(i, 3),
                    forms.Text(i, 4), forms.Text(i, 5), {},
                    forms.Int(i, 6)};
    f.media = NGO_TRY(ReadMedia(forms.Int(i, 0), /*with_bytes=*/true));
    out->published.push_back(std::move(f));
  }
  out->access_log = NGO_TRY(ReadAccessRows(""));
  return Ok();
}

Status PostgresStore::WriteServerContents(const StoreContents& contents) {
  for (const User& u : contents.users) {
    NGO_TRY(conn_->Query(
        "INSERT INTO users(name, role, all_forms, disabled, password_hash, digest_realm, "
        "digest_ha1, created_at_ms, updated_at_ms) VALUES($1::text, $2::text, $3::bigint, "
        "$4::bigint, $5::text, $6::text, $7::text, $8::bigint, $9::bigint)",
        Params()
            .Text(u.name)
            .Text(RoleName(u.role))
            .Int(u.all_forms ? 1 : 0)
            .Int(u.disabled ? 1 : 0)
            .Text(u.password_hash)
            .Text(u.digest_realm)
            .Text(u.digest_ha1)
            .Int(u.created_at_ms)
            .Int(u.updated_at_ms),
        "cannot copy user " + u.name));
    NGO_TRY(WriteUserForms(u));
  }
  for (const PublishedForm& p : contents.published) {
    auto inserted = NGO_TRY(conn_->Query(
        "INSERT INTO published_forms(form_id, version, title, xform, xform_md5, "
        "published_at_ms) VALUES($1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint) "
        "RETURNING id",
        Params()
            .Text(p.form_id)
            .Text(p.version)
            .Text(p.title)
            .Text(p.xform)
            .Text(p.xform_md5)
            .Int(p.published_at_ms),
        "cannot copy published form \"" + p.form_id + "\""));
    for (const MediaFile& m : p.media) {
      NGO_TRY(
          conn_->Query("INSERT INTO published_media(published_id, name, data, md5) "
                       "VALUES($1::bigint, $2::text, $3::bytea, $4::text)",
                       Params().Int(inserted.Int(0, 0)).Text(m.name).Bytes(m.bytes).Text(m.md5),
                       "cannot copy media file \"" + m.name + "\""));
    }
  }
  for (const AccessEntry& e : contents.access_log) {
    NGO_TRY(conn_->Query(
        "INSERT INTO access_log(seq, at_ms, who, action, form_id, instance_id, detail) "
        "VALUES($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text)",
        Params()
            .Int(e.seq)
            .Int(e.at_ms)
            .Text(e.who)
            .Text(e.action)
            .Text(e.form_id)
            .Text(e.instance_id)
            .Text(e.detail),
        "cannot copy access log entry " + std::to_string(e.seq)));
  }
  // New entries continue after the copied ones.
  NGO_TRY(
      conn_->Query("SELECT setval(pg_get_serial_sequence('access_log', 'seq'), "
                   "coalesce(max(seq), 1), max(seq) IS NOT NULL) FROM access_log",
                   "cannot continue the access log's numbering"));
  return Ok();
}

}  // namespace ngosurvey::store::postgres
