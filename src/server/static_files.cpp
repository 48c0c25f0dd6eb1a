#include "server/static_files.h"

#include <sodium.h>
#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <memory>

#include "base/file.h"
#include "base/text.h"

namespace ngosurvey::server {
namespace {

// Files are read whole; the app's largest (the engine's .wasm) is a few MiB.
constexpr uint64_t kMaxFileBytes = 64ull * 1024 * 1024;
// Files kept in memory between requests (revalidated by size and mtime).
constexpr int64_t kCacheBytes = 64ll * 1024 * 1024;

// The canonical form of `path` (symbolic links followed), or nothing.
std::optional<std::string> RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(realpath(path.c_str(), nullptr), &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

// Whether the If-None-Match header names `etag` (a list, or "*").
bool Matches(std::string_view header, std::string_view etag) {
  size_t at = 0;
  while (at < header.size()) {
    size_t comma = header.find(',', at);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = text::Trim(header.substr(at, comma - at));
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);  // weak comparison (RFC 9110)
    if (item == etag || item == "*") return true;
    at = comma + 1;
  }
  return false;
}

Response NotFound() { return Response::Text(404, "no such file"); }

void AddFileHeaders(Response* r, const std::string& etag) {
  r->headers.emplace_back("ETag", etag);
  r->headers.emplace_back("Cache-Control", "no-cache");
  r->headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  r->headers.emplace_back("X-Content-Type-Options", "nosniff");
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static const std::map<std::string, std::string_view> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "text/xml; charset=utf-8"},
  };
  size_t slash = name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  auto it = kTypes.find(text::AsciiLower(base.substr(dot + 1)));
  return it == kTypes.end() ? std::string_view("application/octet-stream") : it->second;
}

bool IsSafeRelativePath(std::string_view relative) {
  if (relative.empty()) return false;
  size_t at = 0;
  while (true) {
    size_t slash = relative.find('/', at);
    std::string_view segment =
        relative.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);
    if (segment.empty() || segment.front() == '.') return false;  // "", ".", "..", ".git"
    for (unsigned char c : segment) {
      if (c < 0x20 || c == 0x7f || c == '\\') return false;
    }
    if (slash == std::string_view::npos) return true;
    at = slash + 1;
  }
}

Result<std::unique_ptr<WebRoot>> WebRoot::Open(const std::string& folder) {
  std::optional<std::string> real = RealPath(folder);
  struct stat st {};
  if (!real || ::stat(real->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    Location where;
    where.file = folder;
    return MakeError("SV023", "the web root is not a folder", where);
  }
  return std::unique_ptr<WebRoot>(new WebRoot(*real));
}

Response WebRoot::Serve(const Request& request, std::string_view relative) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Response::Text(405, "GET or HEAD only");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (!IsSafeRelativePath(relative)) return NotFound();
  std::optional<std::string> real = RealPath(folder_ + "/" + std::string(relative));
  // Below the root, even through a symbolic link.
  if (!real || real->size() <= folder_.size() + 1 || real->compare(0, folder_.size(), folder_) ||
      (*real)[folder_.size()] != '/') {
    return NotFound();
  }
  struct stat st {};
  if (::stat(real->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return NotFound();
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  int64_t size = static_cast<int64_t>(st.st_size);

  Cached file;
  bool hit = false;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(*real);
    if (it != cache_.end() && it->second.mtime_ns == mtime_ns && it->second.size == size) {
      file = it->second;
      hit = true;
    }
  }
  if (!hit) {
    auto bytes = ReadFile(*real, kMaxFileBytes);
    if (!bytes) return Response::Text(500, "cannot read the file");
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes->data()),
                       bytes->size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    file.mtime_ns = mtime_ns;
    file.size = static_cast<int64_t>(bytes->size());
    file.etag = "\"" + std::string(hex) + "\"";
    file.body = std::move(*bytes);
    std::lock_guard lock(mu_);
    if (cached_bytes_ + file.size > kCacheBytes) {
      cache_.clear();
      cached_bytes_ = 0;
    }
    if (file.size <= kCacheBytes) {
      auto& slot = cache_[*real];
      cached_bytes_ += file.size - slot.size;
      slot = file;
    }
  }
  if (Matches(request.Header("if-none-match"), file.etag)) {
    Response r;
    r.status = 304;
    r.content_type.clear();
    AddFileHeaders(&r, file.etag);
    return r;
  }
  Response r;
  r.content_type = std::string(ContentTypeFor(*real));
  r.body = std::move(file.body);
  AddFileHeaders(&r, file.etag);
  return r;
}

}  // namespace ngosurvey::server
