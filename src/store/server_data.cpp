// The role rules and the shared checks of server_data.h.
#include "store/server_data.h"

#include <openssl/evp.h>

#include <algorithm>

#include "base/text.h"
#include "store/server_data_internal.h"
#include "store/store.h"

namespace ngosurvey::store {
namespace {

// `s` for an error message: bytes outside printable ASCII as \xNN, at most 80.
std::string Printable(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < 80; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (s.size() > 80) out += "...";
  return out;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kInterviewer:
      return "interviewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "interviewer";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kInterviewer, Role::kAnalyst, Role::kSupervisor, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return MakeError("ST001", "unknown role \"" + std::string(name) +
                                "\" (expected admin, supervisor, interviewer or analyst)");
}

Status CheckUserName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
  if (ok) return Ok();
  return MakeError("ST001", "user name \"" + Printable(name) +
                                "\" must be 1 to 64 letters, digits or . _ @ - (ASCII)");
}

bool WorksOn(const User& user, std::string_view form_id) {
  return user.all_forms ||
         std::find(user.forms.begin(), user.forms.end(), form_id) != user.forms.end();
}

std::optional<std::string> ReadableSubmitter(const User& user) {
  if (user.role == Role::kInterviewer) return user.name;
  return std::nullopt;
}

Status Authorize(const User& user, Action action, std::string_view form_id,
                 const std::optional<std::string>& submitted_by) {
  auto refuse = [&](const std::string& why) -> Status {
    return MakeError("ST010", "user " + user.name + " (" + std::string(RoleName(user.role)) +
                                  ") may not " + why);
  };
  if (user.disabled) return MakeError("ST010", "user " + user.name + " is disabled");
  if (user.role == Role::kAdmin) return Ok();
  bool on_form = WorksOn(user, form_id);
  std::string form = "form \"" + std::string(form_id) + "\"";
  switch (action) {
    case Action::kManageForms:
      return refuse("publish forms");
    case Action::kManageUsers:
      return refuse("manage users");
    case Action::kReadFieldworkLog:
      if (user.role == Role::kSupervisor) return Ok();
      return refuse("read the fieldwork log");
    case Action::kDownloadForm:
    case Action::kSubmit:
      if (user.role == Role::kAnalyst) {
        return refuse(action == Action::kSubmit ? "submit" : "download forms");
      }
      if (!on_form) return refuse("work on " + form);
      return Ok();
    case Action::kReadSensitive:
      if (user.role == Role::kAnalyst) return refuse("read sensitive answers");
      if (!on_form) return refuse("read submissions of " + form);
      return Ok();
    case Action::kReview:
      if (user.role != Role::kSupervisor) return refuse("review submissions");
      if (!on_form) return refuse("review submissions of " + form);
      return Ok();
    case Action::kReadSubmission:
      if (!on_form) return refuse("read submissions of " + form);
      if (user.role == Role::kInterviewer && submitted_by && *submitted_by != user.name) {
        return refuse("read a submission sent by another account");
      }
      return Ok();
  }
  return refuse("do that");
}

namespace internal {

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

Result<User> CheckUser(const User& user) {
  NGO_TRY(CheckUserName(user.name));
  if (user.password_hash.empty()) {
    return MakeError("ST001", "user " + user.name + " needs a password hash");
  }
  bool hex = user.digest_ha1.size() == 32 &&
             std::all_of(user.digest_ha1.begin(), user.digest_ha1.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex) return MakeError("ST001", "user " + user.name + ": HA1 must be 32 lower-case hex");
  if (user.digest_realm.empty() || !text::IsValidUtf8(user.digest_realm) ||
      !text::IsValidUtf8(user.password_hash)) {
    return MakeError("ST001", "user " + user.name + " needs a realm (UTF-8)");
  }
  User out = user;
  if (out.all_forms) {
    out.forms.clear();
    return out;
  }
  for (const std::string& form : out.forms) {
    if (form.empty() || !text::IsValidUtf8(form)) {
      return MakeError("ST001", "user " + user.name + ": an empty or non-UTF-8 form id");
    }
  }
  std::sort(out.forms.begin(), out.forms.end());
  out.forms.erase(std::unique(out.forms.begin(), out.forms.end()), out.forms.end());
  if (out.forms.empty()) {
    return MakeError("ST001", "user " + user.name + " works on no form (name one, or all)");
  }
  return out;
}

Status CheckFileName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
            text::IsValidUtf8(name) && std::none_of(name.begin(), name.end(), [](char c) {
              return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
            });
  if (ok) return Ok();
  return MakeError("ST001", "\"" + Printable(name) +
                                "\" is not a plain file name (no folders, control characters "
                                "or \"..\"; at most 255 bytes of UTF-8)");
}

Result<PublishedForm> CheckPublished(const FormVersion& workbook, const PublishedForm& published) {
  if (published.form_id != workbook.form_id || published.version != workbook.version) {
    return MakeError("ST001", "the published form (" + published.form_id + " version " +
                                  published.version + ") is not the workbook's (" +
                                  workbook.form_id + " version " + workbook.version + ")");
  }
  if (published.xform.empty() || !text::IsValidUtf8(published.xform)) {
    return MakeError("ST001",
                     "form \"" + published.form_id + "\": the XForm is empty or not UTF-8");
  }
  PublishedForm out = published;
  out.xform_md5 = Md5Hex(out.xform);
  std::sort(out.media.begin(), out.media.end(),
            [](const MediaFile& a, const MediaFile& b) { return a.name < b.name; });
  for (size_t i = 0; i < out.media.size(); ++i) {
    NGO_TRY(CheckFileName(out.media[i].name));
    if (i > 0 && out.media[i].name == out.media[i - 1].name) {
      return MakeError("ST001", "media file \"" + out.media[i].name + "\" is named twice");
    }
    out.media[i].md5 = Md5Hex(out.media[i].bytes);
  }
  return out;
}

Status CheckSession(const Session& session, int64_t now_ms) {
  bool hex = session.token_sha256.size() == 64 &&
             std::all_of(session.token_sha256.begin(), session.token_sha256.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex) return MakeError("ST001", "a session's token hash must be 64 lower-case hex digits");
  NGO_TRY(CheckUserName(session.user));
  if (session.expires_at_ms <= now_ms) {
    return MakeError("ST001", "a new session must expire in the future");
  }
  return Ok();
}

Status CheckAccess(const AccessEntry& entry) {
  if (entry.who.empty() || entry.action.empty()) {
    return MakeError("ST001", "an access entry needs who and action");
  }
  for (const std::string* field :
       {&entry.who, &entry.action, &entry.form_id, &entry.instance_id, &entry.detail}) {
    if (!text::IsValidUtf8(*field)) return MakeError("ST001", "an access entry must be UTF-8");
  }
  return Ok();
}

}  // namespace internal
}  // namespace ngosurvey::store
