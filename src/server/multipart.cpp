#include "server/multipart.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace ngosurvey::server {
namespace {

tl::unexpected<Error> Malformed(const std::string& what, size_t offset) {
  return MakeError(
      "SV010", "malformed multipart body: " + what + " (at byte " + std::to_string(offset) + ")");
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parameters of a header value: `type; a=b; c="d"`. Returns the parameters as
// (lower-case name, value) pairs; false for an unterminated quote.
bool Parameters(std::string_view value, std::vector<std::pair<std::string, std::string>>* out) {
  size_t at = value.find(';');
  while (at != std::string_view::npos && at < value.size()) {
    ++at;  // past ';'
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    size_t eq = value.find_first_of("=;", at);
    if (eq == std::string_view::npos || value[eq] == ';') {
      at = eq;
      continue;
    }
    std::string name = text::AsciiLower(TrimSpace(value.substr(at, eq - at)));
    at = eq + 1;
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    std::string v;
    if (at < value.size() && value[at] == '"') {
      ++at;
      bool closed = false;
      while (at < value.size()) {
        char c = value[at++];
        if (c == '\\' && at < value.size()) {
          v += value[at++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          v += c;
        }
      }
      if (!closed) return false;
      at = value.find(';', at);
    } else {
      size_t end = value.find(';', at);
      v = std::string(TrimSpace(value.substr(at, end == std::string_view::npos ? end : end - at)));
      at = end;
    }
    out->emplace_back(std::move(name), std::move(v));
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'lang'percent-encoded. Only UTF-8 (and ASCII) accepted.
bool DecodeExtValue(std::string_view v, std::string* out) {
  size_t q1 = v.find('\'');
  size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return false;
  std::string charset = text::AsciiLower(v.substr(0, q1));
  if (charset != "utf-8" && charset != "us-ascii") return false;
  out->clear();
  for (size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] == '%') {
      if (i + 2 >= v.size()) return false;
      int hi = HexValue(v[i + 1]), lo = HexValue(v[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += v[i];
    }
  }
  return true;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  std::string_view type = TrimSpace(content_type.substr(0, content_type.find(';')));
  if (!IEquals(type, "multipart/form-data")) {
    return MakeError("SV010", "the request is not multipart/form-data (Content-Type: " +
                                  std::string(type.substr(0, 80)) + ")");
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (!Parameters(content_type, &params)) {
    return MakeError("SV010", "unterminated quote in the Content-Type's parameters");
  }
  for (const auto& [name, value] : params) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > 70) {
      return MakeError("SV010", "the multipart boundary must have 1 to 70 characters");
    }
    return value;
  }
  return MakeError("SV010", "the multipart Content-Type has no boundary");
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  const MultipartLimits& limits) {
  if (boundary.empty()) return Malformed("empty boundary", 0);
  const std::string dash = "--" + std::string(boundary);
  // The first delimiter: at the start, or after a preamble and a line end.
  size_t at;
  if (body.substr(0, dash.size()) == dash) {
    at = 0;
  } else {
    size_t found = body.find("\n" + dash);
    if (found == std::string_view::npos) return Malformed("no opening boundary", 0);
    at = found + 1;
  }
  std::vector<MultipartPart> parts;
  for (;;) {
    // `at` is at a delimiter "--boundary".
    size_t after = at + dash.size();
    if (body.substr(after, 2) == "--") return parts;  // the close delimiter
    // Transport padding, then the line end.
    while (after < body.size() && (body[after] == ' ' || body[after] == '\t')) ++after;
    if (body.substr(after, 2) == "\r\n") {
      after += 2;
    } else if (body.substr(after, 1) == "\n") {
      after += 1;
    } else {
      return Malformed(after >= body.size() ? "the body ends after a boundary"
                                            : "a boundary not followed by a line end",
                       after);
    }
    if (parts.size() >= limits.max_parts) {
      return Malformed("more than " + std::to_string(limits.max_parts) + " parts", at);
    }
    MultipartPart part;
    part.content_type = "text/plain";
    bool disposition = false;
    std::string label = "part " + std::to_string(parts.size() + 1);
    // Headers, up to an empty line.
    size_t headers_start = after;
    for (;;) {
      size_t eol = body.find('\n', after);
      if (eol == std::string_view::npos) return Malformed(label + ": truncated headers", after);
      if (eol - headers_start > limits.max_header_bytes) {
        return Malformed(
            label + ": headers longer than " + std::to_string(limits.max_header_bytes) + " bytes",
            headers_start);
      }
      std::string_view line = body.substr(after, eol - after);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      size_t line_at = after;
      after = eol + 1;
      if (line.empty()) break;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Malformed(label + ": a header line without a name", line_at);
      }
      std::string_view name = TrimSpace(line.substr(0, colon));
      std::string_view value = TrimSpace(line.substr(colon + 1));
      if (IEquals(name, "Content-Type")) {
        part.content_type = std::string(value);
      } else if (IEquals(name, "Content-Disposition")) {
        std::string_view kind = TrimSpace(value.substr(0, value.find(';')));
        if (!IEquals(kind, "form-data")) {
          return Malformed(label + ": Content-Disposition is not form-data", line_at);
        }
        std::vector<std::pair<std::string, std::string>> params;
        if (!Parameters(value, &params)) {
          return Malformed(label + ": unterminated quote in Content-Disposition", line_at);
        }
        std::string extended;
        bool has_extended = false;
        for (const auto& [pname, pvalue] : params) {
          if (pname == "name") part.name = pvalue;
          if (pname == "filename") part.filename = pvalue;
          if (pname == "filename*") {
            if (!DecodeExtValue(pvalue, &extended)) {
              return Malformed(label + ": a filename* that is not UTF-8''percent-encoded", line_at);
            }
            has_extended = true;
          }
        }
        if (has_extended && part.filename.empty()) part.filename = extended;
        disposition = true;
      }
    }
    if (!disposition || part.name.empty()) {
      return Malformed(label + ": no Content-Disposition with a name", headers_start);
    }
    label += " (\"" + part.name.substr(0, 60) + "\")";
    // The content runs to the next line end followed by the delimiter.
    size_t next = body.find(dash, after);
    for (;;) {
      if (next == std::string_view::npos) {
        return Malformed(label + ": truncated (no closing boundary)", after);
      }
      if (next >= after + 1 && body[next - 1] == '\n') break;
      if (next == after) break;  // an empty part whose headers ended right before
      next = body.find(dash, next + 1);
    }
    size_t end = next;
    if (end > after && body[end - 1] == '\n') --end;
    if (end > after && body[end - 1] == '\r') --end;
    part.content = body.substr(after, end - after);
    parts.push_back(std::move(part));
    at = next;
  }
}

}  // namespace ngosurvey::server
