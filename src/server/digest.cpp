#include "server/digest.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "base/text.h"

namespace ngosurvey::server {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path of a request URI as the server decodes it: up to '?', %XX decoded.
std::optional<std::string> UriPath(std::string_view uri) {
  uri = uri.substr(0, uri.find('?'));
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '%') {
      out += uri[i];
      continue;
    }
    if (i + 2 >= uri.size()) return std::nullopt;
    int hi = HexDigit(uri[i + 1]), lo = HexDigit(uri[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<std::map<std::string, std::string>> ParseDigestAuthorization(
    std::string_view header) {
  header = text::Trim(header);
  if (header.size() < 7 || text::AsciiLower(header.substr(0, 7)) != "digest ") return std::nullopt;
  std::map<std::string, std::string> out;
  size_t i = 7;
  auto skip_space = [&] {
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
  };
  while (true) {
    skip_space();
    if (i >= header.size()) break;
    size_t name_start = i;
    while (i < header.size() && header[i] != '=' && header[i] != ',' && header[i] != ' ' &&
           header[i] != '\t') {
      ++i;
    }
    std::string name = text::AsciiLower(header.substr(name_start, i - name_start));
    skip_space();
    if (name.empty() || i >= header.size() || header[i] != '=') return std::nullopt;
    ++i;
    skip_space();
    std::string value;
    if (i < header.size() && header[i] == '"') {
      ++i;
      bool closed = false;
      while (i < header.size()) {
        char c = header[i++];
        if (c == '\\' && i < header.size()) {
          value += header[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      size_t start = i;
      while (i < header.size() && header[i] != ',' && header[i] != ' ' && header[i] != '\t') ++i;
      value = std::string(header.substr(start, i - start));
    }
    if (out.count(name)) return std::nullopt;  // a parameter twice
    out.emplace(std::move(name), std::move(value));
    skip_space();
    if (i >= header.size()) break;
    if (header[i] != ',') return std::nullopt;
    ++i;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string Md5Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr) != 1) return "";
  return Hex(digest, length);
}

std::string DigestResponse(std::string_view ha1_hex, std::string_view nonce, std::string_view nc,
                           std::string_view cnonce, std::string_view qop, std::string_view method,
                           std::string_view uri) {
  std::string ha2 = Md5Hex(std::string(method) + ":" + std::string(uri));
  std::string joined;
  joined.append(ha1_hex).append(":").append(nonce).append(":").append(nc).append(":");
  joined.append(cnonce).append(":").append(qop).append(":").append(ha2);
  return Md5Hex(joined);
}

DigestAuth::DigestAuth(std::string realm, int64_t nonce_timeout_s)
    : realm_(std::move(realm)), timeout_s_(nonce_timeout_s) {
  randombytes_buf(key_, sizeof key_);
  unsigned char opaque[16];
  randombytes_buf(opaque, sizeof opaque);
  opaque_ = Hex(opaque, sizeof opaque);
}

std::string DigestAuth::Tag(std::string_view stamp_and_random) const {
  unsigned char tag[16];
  crypto_generichash(tag, sizeof tag,
                     reinterpret_cast<const unsigned char*>(stamp_and_random.data()),
                     stamp_and_random.size(), key_, sizeof key_);
  return Hex(tag, sizeof tag);
}

std::string DigestAuth::Challenge(int64_t now_s, bool stale) {
  char stamp[17];
  std::snprintf(stamp, sizeof stamp, "%016" PRIx64, static_cast<uint64_t>(now_s));
  unsigned char random[16];
  randombytes_buf(random, sizeof random);
  std::string head = std::string(stamp) + Hex(random, sizeof random);
  std::string nonce = head + Tag(head);
  return "Digest realm=\"" + realm_ + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce +
         "\", opaque=\"" + opaque_ + "\"" + (stale ? ", stale=true" : "");
}

DigestAuth::Outcome DigestAuth::Check(const std::map<std::string, std::string>& params,
                                      std::string_view method, std::string_view path,
                                      std::string_view ha1_hex, int64_t now_s) {
  auto get = [&](const char* name) -> const std::string* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  };
  const std::string *realm = get("realm"), *nonce = get("nonce"), *uri = get("uri"),
                    *response = get("response"), *qop = get("qop"), *nc = get("nc"),
                    *cnonce = get("cnonce"), *algorithm = get("algorithm");
  if (!realm || !nonce || !uri || !response || !qop || !nc || !cnonce) return Outcome::kMalformed;
  if (*realm != realm_ || *qop != "auth") return Outcome::kMalformed;
  if (algorithm && text::AsciiLower(*algorithm) != "md5") return Outcome::kMalformed;
  auto uri_path = UriPath(*uri);
  if (!uri_path || *uri_path != path) return Outcome::kMalformed;
  if (nc->empty() || nc->size() > 8 ||
      nc->find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return Outcome::kMalformed;
  }
  uint64_t count = std::stoull(*nc, nullptr, 16);
  // The nonce: 16 hex digits of time, 32 of random, 32 of tag.
  if (nonce->size() != 80 || !ConstantTimeEqual(nonce->substr(48), Tag(nonce->substr(0, 48)))) {
    return Outcome::kStale;  // another server's, or from before a restart
  }
  int64_t issued = static_cast<int64_t>(std::stoull(nonce->substr(0, 16), nullptr, 16));
  if (now_s < issued || now_s - issued > timeout_s_) return Outcome::kStale;
  std::string expected = DigestResponse(ha1_hex, *nonce, *nc, *cnonce, *qop, method, *uri);
  if (!ConstantTimeEqual(text::AsciiLower(*response), expected)) return Outcome::kWrong;
  std::lock_guard lock(mu_);
  if (now_s - swept_s_ > timeout_s_) {
    // Forget the counts of expired nonces (they are refused by time anyway).
    for (auto it = last_nc_.begin(); it != last_nc_.end();) {
      int64_t t = static_cast<int64_t>(std::stoull(it->first.substr(0, 16), nullptr, 16));
      it = now_s - t > timeout_s_ ? last_nc_.erase(it) : std::next(it);
    }
    swept_s_ = now_s;
  }
  uint64_t& last = last_nc_[*nonce];
  if (count <= last) return Outcome::kStale;  // a replayed count
  last = count;
  return Outcome::kOk;
}

}  // namespace ngosurvey::server
