// server: HTTP Digest authentication (RFC 7616 with MD5 and qop=auth, as ODK Collect
// speaks it), done here rather than by libmicrohttpd: libmicrohttpd 0.9.75 makes the
// same nonce for every challenge of one URI within one second, so clients
// challenged together share a nonce, and the nonce-count check then refuses all but
// the first of them (seen with 50 concurrent clients: "wrong password" for the
// others, then the failed-login limit). Here every challenge gets its own nonce:
// a time, 16 random bytes and a keyed BLAKE2b tag over both (so a nonce is checked
// without a table, and nonces of another server of the same database, or of before
// a restart, are answered "stale": the client asks again without bothering its
// user). Nonce counts are remembered per nonce (a replayed count is stale too).
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ngosurvey::server {

// The parameters of a `Digest ...` Authorization header (RFC 7616 section 3.4:
// comma-separated name=value or name="quoted value", names case-insensitive and
// returned in lower case, backslash escapes in quoted values); nullopt when the
// header does not start with "Digest " or is malformed. Fuzz target request_parse.
std::optional<std::map<std::string, std::string>> ParseDigestAuthorization(std::string_view header);

// MD5 of `text` in lower-case hex.
std::string Md5Hex(std::string_view text);

// The response a client computes for qop=auth (RFC 7616 section 3.4.1 with MD5):
// MD5(HA1:nonce:nc:cnonce:qop:MD5(method:uri)).
std::string DigestResponse(std::string_view ha1_hex, std::string_view nonce, std::string_view nc,
                           std::string_view cnonce, std::string_view qop, std::string_view method,
                           std::string_view uri);

class DigestAuth {
 public:
  enum class Outcome {
    kOk,        // the response proves the password
    kStale,     // unknown, expired or replayed nonce: challenge again with stale=true
    kWrong,     // the response is wrong: a failed login
    kMalformed  // not a usable Digest header (missing parameter, other realm, other URI)
  };

  // `realm` of the challenges; nonces live `nonce_timeout_s`.
  DigestAuth(std::string realm, int64_t nonce_timeout_s);

  // The value of a WWW-Authenticate header with a new nonce.
  std::string Challenge(int64_t now_s, bool stale);

  // Checks `params` (ParseDigestAuthorization) of a request with `method` for
  // `path` (decoded, without the query) against the account's HA1 (lower hex).
  Outcome Check(const std::map<std::string, std::string>& params, std::string_view method,
                std::string_view path, std::string_view ha1_hex, int64_t now_s);

 private:
  std::string Tag(std::string_view stamp_and_random) const;

  std::string realm_;
  int64_t timeout_s_;
  unsigned char key_[32];
  std::string opaque_;
  std::mutex mu_;
  std::unordered_map<std::string, uint64_t> last_nc_;  // by nonce
  int64_t swept_s_ = 0;
};

}  // namespace ngosurvey::server
