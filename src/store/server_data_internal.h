// What both back ends share for server data (server_data.h): request checks and
// digests. Private to store/.
#pragma once

#include <string>
#include <string_view>

#include "store/server_data.h"
#include "store/store.h"

namespace ngosurvey::store::internal {

// MD5 of `data` in lower-case hex (OpenSSL libcrypto): formList's hash and the
// media files' checksums, as OpenRosa announces them.
std::string Md5Hex(std::string_view data);

// ST001 for a malformed account (server_data.h). Returns it with forms sorted and
// without repeats (empty when all_forms).
Result<User> CheckUser(const User& user);

// ST001 unless `published` matches `workbook` and its media names are plain, unique
// file names. Returns it with xform_md5 and every media md5 set, media by name.
Result<PublishedForm> CheckPublished(const FormVersion& workbook, const PublishedForm& published);

// ST001 for a session whose token hash is not 64 lower-case hex digits, whose user
// name is malformed, or that expires at or before `now_ms`.
Status CheckSession(const Session& session, int64_t now_ms);

// ST001 for an access entry without who or action, or with text that is not UTF-8.
Status CheckAccess(const AccessEntry& entry);

// ST001 unless `name` can name a media file or attachment: not empty, at most 255
// bytes, valid UTF-8, no '/', '\\', control character, and not "." or "..".
Status CheckFileName(std::string_view name);

}  // namespace ngosurvey::store::internal
