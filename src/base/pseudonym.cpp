#include "base/pseudonym.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/file.h"
#include "base/text.h"

namespace ngosurvey {

Result<std::string> ReadPseudonymKey(const std::string& path) {
  std::string bytes = NGO_TRY(ReadFile(path, 1 << 20));
  std::string key(text::Trim(bytes));
  if (key.size() < 16) {
    return MakeError("EXP010",
                     "the pseudonymisation key has " + std::to_string(key.size()) +
                         " bytes; use at least 16 random bytes (e.g. openssl rand -hex 32)",
                     Location{.file = path});
  }
  return key;
}

std::string Pseudonym(std::string_view key, std::string_view kind, std::string_view id) {
  if (id.empty()) return "";
  std::string message = std::string(kind) + ":" + std::string(id);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out = std::string(kind) + "-";
  for (unsigned i = 0; i < 8 && i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace ngosurvey
