// The SQLite store's server data (store/server_data.h): accounts (`users`, with the
// forms each may use in `user_forms`), published XForms (`published_forms`) with
// their media (`published_media`), and the append-only `access_log`. Part of
// SqliteStore (sqlite_store_impl_internal.h); the tables are schema version 7.
#include "store/server_data_internal.h"
#include "store/sqlite/sqlite_store_impl_internal.h"

namespace ngosurvey::store::sqlite {

Status SqliteStore::AddUser(const User& user) {
  User checked = NGO_TRY(internal::CheckUser(user));
  return Write("cannot add user " + checked.name, [&]() -> Status {
    auto exists = NGO_TRY(conn_->Prepare("SELECT 1 FROM users WHERE name = ?"));
    exists.Bind(1, checked.name);
    if (NGO_TRY(conn_->StepRow(exists, "cannot look up the user"))) {
      return MakeError("ST003", "user " + checked.name + " already exists");
    }
    int64_t now = options_.clock->NowMillis();
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO users(name, role, all_forms, disabled, password_hash, digest_realm, "
        "digest_ha1, created_at_ms, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, checked.name).Bind(2, RoleName(checked.role));
    insert.Bind(3, int64_t{checked.all_forms}).Bind(4, int64_t{checked.disabled});
    insert.Bind(5, checked.password_hash).Bind(6, checked.digest_realm);
    insert.Bind(7, checked.digest_ha1).Bind(8, now).Bind(9, now);
    NGO_TRY(conn_->Done(insert.Step(), "cannot add the user"));
    return WriteUserForms(checked);
  });
}

Status SqliteStore::UpdateUser(const User& user) {
  User checked = NGO_TRY(internal::CheckUser(user));
  return Write("cannot change user " + checked.name, [&]() -> Status {
    auto update = NGO_TRY(
        conn_->Prepare("UPDATE users SET role = ?2, all_forms = ?3, disabled = ?4, "
                       "password_hash = ?5, digest_realm = ?6, digest_ha1 = ?7, updated_at_ms = ?8 "
                       "WHERE name = ?1"));
    update.Bind(1, checked.name).Bind(2, RoleName(checked.role));
    update.Bind(3, int64_t{checked.all_forms}).Bind(4, int64_t{checked.disabled});
    update.Bind(5, checked.password_hash).Bind(6, checked.digest_realm);
    update.Bind(7, checked.digest_ha1).Bind(8, options_.clock->NowMillis());
    NGO_TRY(conn_->Done(update.Step(), "cannot change the user"));
    if (NGO_TRY(conn_->QueryInt("SELECT changes()", "cannot change the user")) == 0) {
      return internal::NotFound("user " + checked.name);
    }
    return WriteUserForms(checked);
  });
}

Status SqliteStore::WriteUserForms(const User& user) {
  auto clear = NGO_TRY(conn_->Prepare("DELETE FROM user_forms WHERE user_name = ?"));
  clear.Bind(1, user.name);
  NGO_TRY(conn_->Done(clear.Step(), "cannot store the user's forms"));
  auto add = NGO_TRY(conn_->Prepare("INSERT INTO user_forms(user_name, form_id) VALUES(?, ?)"));
  for (const std::string& form : user.forms) {
    add.Bind(1, user.name).Bind(2, form);
    int rc = add.Step();
    add.Reset();
    NGO_TRY(conn_->Done(rc, "cannot store the user's forms"));
  }
  return Ok();
}

Result<std::vector<User>> SqliteStore::ReadUsers(const std::string& name) const {
  auto list = NGO_TRY(conn_->Prepare(
      "SELECT name, role, all_forms, disabled, password_hash, digest_realm, digest_ha1, "
      "created_at_ms, updated_at_ms FROM users WHERE ?1 = '' OR name = ?1 ORDER BY name"));
  list.Bind(1, name);
  std::vector<User> out;
  NGO_TRY(conn_->EachRow(list, "cannot read users", [&]() -> Status {
    User u;
    u.name = list.Text(0);
    u.role = NGO_TRY(WithPath(ParseRole(list.Text(1))));
    u.all_forms = list.Int(2) != 0;
    u.disabled = list.Int(3) != 0;
    u.password_hash = list.Text(4);
    u.digest_realm = list.Text(5);
    u.digest_ha1 = list.Text(6);
    u.created_at_ms = list.Int(7);
    u.updated_at_ms = list.Int(8);
    out.push_back(std::move(u));
    return Ok();
  }));
  auto forms = NGO_TRY(
      conn_->Prepare("SELECT user_name, form_id FROM user_forms WHERE ?1 = '' OR user_name = ?1 "
                     "ORDER BY user_name, form_id"));
  forms.Bind(1, name);
  size_t at = 0;
  NGO_TRY(conn_->EachRow(forms, "cannot read users", [&] {
    std::string user = forms.Text(0);
    while (at < out.size() && out[at].name < user) ++at;
    if (at < out.size() && out[at].name == user) out[at].forms.push_back(forms.Text(1));
  }));
  return out;
}

Result<User> SqliteStore::GetUser(const std::string& name) const {
  return Read("cannot read user " + name, [&]() -> Result<User> {
    if (name.empty()) return internal::NotFound("user \"\"");
    std::vector<User> users = NGO_TRY(ReadUsers(name));
    if (users.empty()) return internal::NotFound("user " + name);
    return std::move(users.front());
  });
}

Result<std::vector<User>> SqliteStore::ListUsers() const {
  return Read("cannot list users", [&]() -> Result<std::vector<User>> { return ReadUsers(""); });
}

Result<PublishOutcome> SqliteStore::PublishForm(const FormVersion& workbook,
                                                const PublishedForm& published) {
  NGO_TRY(internal::CheckFormForPut(workbook));
  PublishedForm checked = NGO_TRY(internal::CheckPublished(workbook, published));
  PublishOutcome outcome = PublishOutcome::kPublished;
  NGO_TRY(Write("cannot publish form \"" + workbook.form_id + "\"", [&]() -> Status {
    NGO_TRY(InsertForm(workbook));
    auto find = NGO_TRY(conn_->Prepare(
        "SELECT id, xform_md5 FROM published_forms WHERE form_id = ? AND version = ?"));
    find.Bind(1, checked.form_id).Bind(2, checked.version);
    if (NGO_TRY(conn_->StepRow(find, "cannot look up the published form"))) {
      int64_t id = find.Int(0);
      bool same = find.Text(1) == checked.xform_md5;
      auto media =
          NGO_TRY(conn_->Prepare("SELECT name, md5 FROM published_media WHERE published_id = ? "
                                 "ORDER BY name"));
      media.Bind(1, id);
      size_t at = 0;
      NGO_TRY(conn_->EachRow(media, "cannot look up the published form", [&] {
        if (at >= checked.media.size() || checked.media[at].name != media.Text(0) ||
            checked.media[at].md5 != media.Text(1)) {
          same = false;
        }
        ++at;
      }));
      if (same && at == checked.media.size()) {
        outcome = PublishOutcome::kUnchanged;
        return Ok();
      }
      return MakeError("ST003", "form \"" + checked.form_id + "\" version " + checked.version +
                                    " is already published with another XForm or media; "
                                    "publish it under a new version");
    }
    auto insert = NGO_TRY(
        conn_->Prepare("INSERT INTO published_forms(form_id, version, title, xform, xform_md5, "
                       "published_at_ms) VALUES(?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, checked.form_id).Bind(2, checked.version).Bind(3, workbook.title);
    insert.Bind(4, checked.xform).Bind(5, checked.xform_md5);
    insert.Bind(6, options_.clock->NowMillis());
    NGO_TRY(conn_->Done(insert.Step(), "cannot publish the form"));
    int64_t id = conn_->LastInsertRowid();
    auto add = NGO_TRY(conn_->Prepare(
        "INSERT INTO published_media(published_id, name, data, md5) VALUES(?, ?, ?, ?)"));
    for (const MediaFile& m : checked.media) {
      add.Bind(1, id).Bind(2, m.name).BindBlob(3, m.bytes).Bind(4, m.md5);
      int rc = add.Step();
      add.Reset();
      NGO_TRY(conn_->Done(rc, "cannot store media file \"" + m.name + "\""));
    }
    return Ok();
  }));
  return outcome;
}

Result<PublishedForm> SqliteStore::GetPublishedForm(const std::string& form_id,
                                                    const std::string& version) const {
  return Read("cannot read published form \"" + form_id + "\"", [&]() -> Result<PublishedForm> {
    auto find = NGO_TRY(conn_->Prepare(
        "SELECT id, version, title, xform, xform_md5, published_at_ms FROM published_forms "
        "WHERE form_id = ?1 AND (?2 = '' OR version = ?2) ORDER BY id DESC LIMIT 1"));
    find.Bind(1, form_id).Bind(2, version);
    if (!NGO_TRY(conn_->StepRow(find, "cannot read the published form"))) {
      return internal::NotFound("published form \"" + form_id + "\"" +
                                (version.empty() ? "" : " version " + version));
    }
    PublishedForm out;
    int64_t id = find.Int(0);
    out.form_id = form_id;
    out.version = find.Text(1);
    out.title = find.Text(2);
    out.xform = find.Text(3);
    out.xform_md5 = find.Text(4);
    out.published_at_ms = find.Int(5);
    auto media = NGO_TRY(conn_->Prepare(
        "SELECT name, data, md5 FROM published_media WHERE published_id = ? ORDER BY name"));
    media.Bind(1, id);
    NGO_TRY(conn_->EachRow(media, "cannot read the media files", [&] {
      out.media.push_back({media.Text(0), media.Blob(1), media.Text(2)});
    }));
    return out;
  });
}

Result<std::vector<PublishedForm>> SqliteStore::ListPublishedForms() const {
  return Read("cannot list published forms", [&]() -> Result<std::vector<PublishedForm>> {
    // The latest version of each form: the highest id among its rows.
    auto list = NGO_TRY(conn_->Prepare(
        "SELECT p.id, p.form_id, p.version, p.title, p.xform_md5, p.published_at_ms "
        "FROM published_forms p WHERE p.id = "
        "(SELECT max(id) FROM published_forms q WHERE q.form_id = p.form_id) ORDER BY p.form_id"));
    std::vector<PublishedForm> out;
    std::vector<int64_t> ids;
    NGO_TRY(conn_->EachRow(list, "cannot list published forms", [&] {
      ids.push_back(list.Int(0));
      PublishedForm f;
      f.form_id = list.Text(1);
      f.version = list.Text(2);
      f.title = list.Text(3);
      f.xform_md5 = list.Text(4);
      f.published_at_ms = list.Int(5);
      out.push_back(std::move(f));
    }));
    auto media = NGO_TRY(conn_->Prepare(
        "SELECT name, md5 FROM published_media WHERE published_id = ? ORDER BY name"));
    for (size_t i = 0; i < out.size(); ++i) {
      media.Bind(1, ids[i]);
      Status read = conn_->EachRow(media, "cannot list published forms", [&] {
        out[i].media.push_back({media.Text(0), "", media.Text(1)});
      });
      media.Reset();
      NGO_TRY(read);
    }
    return out;
  });
}

Status SqliteStore::CreateSession(const Session& session) {
  int64_t now = options_.clock->NowMillis();
  NGO_TRY(internal::CheckSession(session, now));
  return Write("cannot keep the session", [&]() -> Status {
    auto user = NGO_TRY(conn_->Prepare("SELECT 1 FROM users WHERE name = ?"));
    user.Bind(1, session.user);
    if (!NGO_TRY(conn_->StepRow(user, "cannot look up the user"))) {
      return internal::NotFound("user " + session.user);
    }
    auto expired = NGO_TRY(conn_->Prepare("DELETE FROM sessions WHERE expires_at_ms <= ?"));
    expired.Bind(1, now);
    NGO_TRY(conn_->Done(expired.Step(), "cannot drop expired sessions"));
    auto taken = NGO_TRY(conn_->Prepare("SELECT 1 FROM sessions WHERE token_sha256 = ?"));
    taken.Bind(1, session.token_sha256);
    if (NGO_TRY(conn_->StepRow(taken, "cannot look up the session"))) {
      return MakeError("ST003", "a session with this token already exists");
    }
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO sessions(token_sha256, user_name, created_at_ms, expires_at_ms) "
        "VALUES(?, ?, ?, ?)"));
    insert.Bind(1, session.token_sha256).Bind(2, session.user).Bind(3, now);
    insert.Bind(4, session.expires_at_ms);
    return conn_->Done(insert.Step(), "cannot keep the session");
  });
}

Result<Session> SqliteStore::GetSession(const std::string& token_sha256) const {
  return Read("cannot read the session", [&]() -> Result<Session> {
    auto find =
        NGO_TRY(conn_->Prepare("SELECT user_name, created_at_ms, expires_at_ms FROM sessions "
                               "WHERE token_sha256 = ?"));
    find.Bind(1, token_sha256);
    if (!NGO_TRY(conn_->StepRow(find, "cannot read the session"))) {
      return internal::NotFound("session");
    }
    return Session{token_sha256, find.Text(0), find.Int(1), find.Int(2)};
  });
}

Status SqliteStore::DeleteSession(const std::string& token_sha256) {
  return Write("cannot end the session", [&]() -> Status {
    auto remove = NGO_TRY(conn_->Prepare("DELETE FROM sessions WHERE token_sha256 = ?"));
    remove.Bind(1, token_sha256);
    return conn_->Done(remove.Step(), "cannot end the session");
  });
}

Result<AccessEntry> SqliteStore::RecordAccess(const AccessEntry& entry) {
  NGO_TRY(internal::CheckAccess(entry));
  AccessEntry stored = entry;
  NGO_TRY(Write("cannot record the access", [&]() -> Status {
    stored.at_ms = options_.clock->NowMillis();
    auto insert = NGO_TRY(
        conn_->Prepare("INSERT INTO access_log(at_ms, who, action, form_id, instance_id, detail) "
                       "VALUES(?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, stored.at_ms).Bind(2, stored.who).Bind(3, stored.action);
    insert.Bind(4, stored.form_id).Bind(5, stored.instance_id).Bind(6, stored.detail);
    NGO_TRY(conn_->Done(insert.Step(), "cannot record the access"));
    stored.seq = conn_->LastInsertRowid();
    return Ok();
  }));
  return stored;
}

Result<std::vector<AccessEntry>> SqliteStore::ReadAccessRows(const std::string& who) const {
  auto list = NGO_TRY(
      conn_->Prepare("SELECT seq, at_ms, who, action, form_id, instance_id, detail FROM access_log "
                     "WHERE ?1 = '' OR who = ?1 ORDER BY seq"));
  list.Bind(1, who);
  std::vector<AccessEntry> out;
  NGO_TRY(conn_->EachRow(list, "cannot read the access log", [&] {
    out.push_back({list.Int(0), list.Int(1), list.Text(2), list.Text(3), list.Text(4), list.Text(5),
                   list.Text(6)});
  }));
  return out;
}

Result<std::vector<AccessEntry>> SqliteStore::ReadAccessLog(const std::string& who) const {
  return Read("cannot read the access log",
              [&]() -> Result<std::vector<AccessEntry>> { return ReadAccessRows(who); });
}

Status SqliteStore::ReadServerContents(StoreContents* out) const {
  out->users = NGO_TRY(ReadUsers(""));
  auto forms = NGO_TRY(
      conn_->Prepare("SELECT id, form_id, version, title, xform, xform_md5, published_at_ms "
                     "FROM published_forms ORDER BY id"));
  std::vector<int64_t> ids;
  NGO_TRY(conn_->EachRow(forms, "cannot read the published forms", [&] {
    ids.push_back(forms.Int(0));
    out->published.push_back({forms.Text(1),
                              forms.Text(2),
                              forms.Text(3),
                              forms.Text(4),
                              forms.Text(5),
                              {},
                              forms.Int(6)});
  }));
  auto media = NGO_TRY(conn_->Prepare(
      "SELECT name, data, md5 FROM published_media WHERE published_id = ? ORDER BY name"));
  for (size_t i = 0; i < ids.size(); ++i) {
    media.Bind(1, ids[i]);
    Status read = conn_->EachRow(media, "cannot read the published forms", [&] {
      out->published[i].media.push_back({media.Text(0), media.Blob(1), media.Text(2)});
    });
    media.Reset();
    NGO_TRY(read);
  }
  out->access_log = NGO_TRY(ReadAccessRows(""));
  return Ok();
}

Status SqliteStore::WriteServerContents(const StoreContents& contents) {
  for (const User& u : contents.users) {
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO users(name, role, all_forms, disabled, password_hash, digest_realm, "
        "digest_ha1, created_at_ms, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, u.name).Bind(2, RoleName(u.role));
    insert.Bind(3, int64_t{u.all_forms}).Bind(4, int64_t{u.disabled});
    insert.Bind(5, u.password_hash).Bind(6, u.digest_realm).Bind(7, u.digest_ha1);
    insert.Bind(8, u.created_at_ms).Bind(9, u.updated_at_ms);
    NGO_TRY(conn_->Done(insert.Step(), "cannot copy user " + u.name));
    NGO_TRY(WriteUserForms(u));
  }
  for (const PublishedForm& p : contents.published) {
    auto insert = NGO_TRY(
        conn_->Prepare("INSERT INTO published_forms(form_id, version, title, xform, xform_md5, "
                       "published_at_ms) VALUES(?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, p.form_id).Bind(2, p.version).Bind(3, p.title).Bind(4, p.xform);
    insert.Bind(5, p.xform_md5).Bind(6, p.published_at_ms);
    NGO_TRY(conn_->Done(insert.Step(), "cannot copy published form \"" + p.form_id + "\""));
    int64_t id = conn_->LastInsertRowid();
    for (const MediaFile& m : p.media) {
      auto add = NGO_TRY(conn_->Prepare(
          "INSERT INTO published_media(published_id, name, data, md5) VALUES(?, ?, ?, ?)"));
      add.Bind(1, id).Bind(2, m.name).BindBlob(3, m.bytes).Bind(4, m.md5);
      NGO_TRY(conn_->Done(add.Step(), "cannot copy media file \"" + m.name + "\""));
    }
  }
  for (const AccessEntry& e : contents.access_log) {
    auto insert = NGO_TRY(conn_->Prepare(
        "INSERT INTO access_log(seq, at_ms, who, action, form_id, instance_id, detail) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)"));
    insert.Bind(1, e.seq).Bind(2, e.at_ms).Bind(3, e.who).Bind(4, e.action);
    insert.Bind(5, e.form_id).Bind(6, e.instance_id).Bind(7, e.detail);
    NGO_TRY(conn_->Done(insert.Step(), "cannot copy access log entry " + std::to_string(e.seq)));
  }
  return Ok();
}

}  // namespace ngosurvey::store::sqlite
