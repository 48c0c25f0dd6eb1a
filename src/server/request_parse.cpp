#include "server/request_parse.h"

#include "base/text.h"

namespace ngosurvey::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes '+' and %XX; nullopt for a malformed escape or text that is not UTF-8.
std::optional<std::string> DecodeComponent(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  if (!text::IsValidUtf8(out)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  size_t at = 0;
  while (at <= header.size()) {
    size_t semi = header.find(';', at);
    if (semi == std::string_view::npos) semi = header.size();
    std::string_view pair = text::Trim(header.substr(at, semi - at));
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && text::Trim(pair.substr(0, eq)) == name) {
      std::string_view value = text::Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    at = semi + 1;
  }
  return std::nullopt;
}

std::optional<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view body) {
  std::map<std::string, std::string> out;
  size_t at = 0;
  while (at <= body.size()) {
    size_t amp = body.find('&', at);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(at, amp - at);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      auto name = DecodeComponent(pair.substr(0, eq));
      auto value =
          DecodeComponent(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!name || !value) return std::nullopt;
      out.emplace(std::move(*name), std::move(*value));
    }
    at = amp + 1;
  }
  return out;
}

}  // namespace ngosurvey::server
