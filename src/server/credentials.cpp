#include "server/credentials.h"

#include <openssl/evp.h>
#include <sodium.h>

#include "base/text.h"

namespace ngosurvey::server {

Status CheckPassword(std::string_view password) {
  if (!text::IsValidUtf8(password)) return MakeError("SV001", "the password is not valid UTF-8");
  if (text::CodePointCount(password) < 8) {
    return MakeError("SV001", "the password is too short (at least 8 characters)");
  }
  if (password.size() > 1024) {
    return MakeError("SV001", "the password is too long (at most 1,024 bytes)");
  }
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  NGO_TRY(CheckPassword(password));
  if (sodium_init() < 0) return MakeError("SV002", "libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError("SV002", "the password could not be hashed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string DigestHa1(std::string_view name, std::string_view realm, std::string_view password) {
  std::string joined;
  joined.append(name).append(":").append(realm).append(":").append(password);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(joined.data(), joined.size(), digest, &length, EVP_md5(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  sodium_memzero(joined.data(), joined.size());
  return hex;
}

Status SetPassword(store::User* user, std::string_view password, const std::string& realm) {
  user->password_hash = NGO_TRY(HashPassword(password));
  user->digest_realm = realm;
  user->digest_ha1 = DigestHa1(user->name, realm, password);
  return Ok();
}

Result<store::User> NewUser(const std::string& name, store::Role role,
                            const std::vector<std::string>& forms, std::string_view password,
                            const std::string& realm) {
  NGO_TRY(store::CheckUserName(name));
  store::User user;
  user.name = name;
  user.role = role;
  user.all_forms = forms.empty();
  user.forms = forms;
  NGO_TRY(SetPassword(&user, password, realm));
  return user;
}

}  // namespace ngosurvey::server
