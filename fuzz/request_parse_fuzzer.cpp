// Fuzz target for the request parsing the server does itself (server/request_parse.h:
// the Cookie header (also read as a Digest Authorization header, server/digest.h),
// application/x-www-form-urlencoded login bodies; server/static_files.h: the web app's paths;
// server/routes.h: route patterns). Input: four fields separated by NUL bytes: a Cookie header, a
// form body, a URL path, a route pattern. Nothing may crash or hang, and:
//   - a cookie value found contains no ';' and is found again in a header of its own;
//   - a form body that parses, percent-encoded again, parses to the same fields;
//   - a path judged safe has no empty, "." or ".." segment and no NUL or backslash;
//   - a pattern match gives every {name} a non-empty value without '/' (but {name*}).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/digest.h"
#include "server/request_parse.h"
#include "server/routes.h"
#include "server/static_files.h"

namespace {

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey::server;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (fields.size() < 3) {
    size_t nul = input.find('\0', at);
    if (nul == std::string_view::npos) break;
    fields.push_back(input.substr(at, nul - at));
    at = nul + 1;
  }
  fields.push_back(input.substr(std::min(at, input.size())));
  while (fields.size() < 4) fields.emplace_back();

  if (auto value = CookieValue(fields[0], "ngosurvey_session")) {
    if (value->find(';') != std::string::npos) __builtin_trap();
    // The same value alone in a header is found again (quotes and surrounding space
    // taken off once more at most).
    auto again = CookieValue("ngosurvey_session=" + *value, "ngosurvey_session");
    if (!again || again->size() > value->size()) __builtin_trap();
  }

  // The first field is also read as a Digest Authorization header: names come back
  // non-empty and in lower case.
  if (auto digest = ParseDigestAuthorization(fields[0])) {
    for (const auto& [name, value] : *digest) {
      if (name.empty()) __builtin_trap();
      for (char c : name) {
        if (c >= 'A' && c <= 'Z') __builtin_trap();
      }
    }
  }

  if (auto form = ParseUrlEncoded(fields[1])) {
    std::string again;
    for (const auto& [name, value] : *form) {
      if (!again.empty()) again += '&';
      again += Encode(name) + "=" + Encode(value);
    }
    auto reparsed = ParseUrlEncoded(again);
    if (!reparsed) __builtin_trap();
    // Empty names are dropped by neither; the maps must be equal.
    if (*reparsed != *form) __builtin_trap();
  }

  if (IsSafeRelativePath(fields[2])) {
    std::string_view p = fields[2];
    if (p.find('\0') != std::string_view::npos || p.find('\\') != std::string_view::npos) {
      __builtin_trap();
    }
    std::string slashed = "/" + std::string(p) + "/";
    for (const char* bad : {"//", "/./", "/../"}) {
      if (slashed.find(bad) != std::string::npos) __builtin_trap();
    }
  }

  RouteParams params;
  if (MatchRoutePattern(fields[3], fields[2], &params)) {
    for (const auto& [name, value] : params) {
      if (value.empty()) __builtin_trap();
      bool rest = fields[3].find("{" + name + "*}") != std::string_view::npos;
      if (!rest && value.find('/') != std::string::npos) __builtin_trap();
    }
  }
  return 0;
}
