// server: passwords and the HTTP Digest secret of an account (store::User).
//
// Passwords are kept as Argon2id hashes (libsodium's crypto_pwhash_str, with its
// "interactive" limits: 2 passes over 64 MiB), which is what Basic authentication
// and browser logins check. HTTP Digest, which ODK Collect uses, cannot work from
// such a hash: the server must know HA1 = MD5(user ":" realm ":" password) for its
// realm, so the store keeps HA1 too (docs/server.md says what that means: HA1 is
// password-equivalent for that realm, so the store file must be protected as a
// password file). Changing the realm means setting every password again.
//
// Error codes:
//   SV001 the password is refused (fewer than 8 characters, more than 1,024 bytes,
//         not UTF-8)
//   SV002 the password could not be hashed (libsodium failed: out of memory)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "store/server_data.h"

namespace ngosurvey::server {

// The realm HTTP Digest uses unless `serve --realm` says otherwise.
inline constexpr const char* kDefaultRealm = "ngosurvey";

// SV001 unless `password` is acceptable.
Status CheckPassword(std::string_view password);

// crypto_pwhash_str (Argon2id). SV001, SV002.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (crypto_pwhash_str_verify); false for any
// malformed hash.
bool VerifyPassword(const std::string& hash, std::string_view password);

// MD5(name ":" realm ":" password) in lower-case hex (RFC 7616's HA1 for MD5).
std::string DigestHa1(std::string_view name, std::string_view realm, std::string_view password);

// An account with its credentials: the hash, the realm and HA1. Checks the name
// (ST001) and the password (SV001).
Result<store::User> NewUser(const std::string& name, store::Role role,
                            const std::vector<std::string>& forms, std::string_view password,
                            const std::string& realm = kDefaultRealm);

// Sets the account's password (hash, realm, HA1).
Status SetPassword(store::User* user, std::string_view password,
                   const std::string& realm = kDefaultRealm);

}  // namespace ngosurvey::server
