// server: the browser app's files (issue 16), served from a web root folder at `/`
// (its index.html) and `/web/PATH` (any file below it), to anyone (the app must load
// before its user logs in). Only regular files below the root are served: a path
// with an empty, "." or ".." segment, a segment starting with '.', a backslash, a
// NUL or another control byte is refused before the file system is asked, and the
// resolved path (symbolic links followed) must still lie below the root; a folder is
// 404, never listed. Each file is answered with its Content-Type (ContentTypeFor), a
// strong ETag (BLAKE2b of the bytes; If-None-Match gives 304), `Cache-Control:
// no-cache` (revalidated each time, so an updated app is picked up at once) and the
// Content-Security-Policy below. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "server/http.h"

namespace ngosurvey::server {

// Sent with every file: scripts, styles, fonts, images, workers and connections
// from this origin only (no external origin at all), WebAssembly compilation
// allowed ('wasm-unsafe-eval', which the engine needs) but not JavaScript eval;
// inline style attributes allowed (the UI library sets them), inline scripts not;
// fonts also as data: URIs (ODK Web Forms' bundled icon font is embedded that way;
// a font cannot run code); no plugins, no framing by other sites.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// The Content-Type of a file by its extension (case-insensitive): .html text/html,
// .js and .mjs text/javascript, .wasm application/wasm, .css text/css, .json
// application/json, .webmanifest application/manifest+json, .svg, .png, .jpg,
// .ico, .woff2, .woff, .ttf, .otf, .txt, .xml; anything else
// application/octet-stream.
std::string_view ContentTypeFor(std::string_view name);

// Whether `relative` (a decoded URL path below the root, without a leading '/') may
// name a file: not empty, no empty, "." or ".." segment, no segment starting with
// '.', no backslash, NUL or other control byte.
bool IsSafeRelativePath(std::string_view relative);

class WebRoot {
 public:
  // `folder` must be an existing folder (SV023 otherwise, naming it).
  static Result<std::unique_ptr<WebRoot>> Open(const std::string& folder);

  // The response to GET or HEAD of `relative` below the root (`request` gives the
  // method and If-None-Match): 200 with the file, 304, 404 (missing, a folder, or a
  // path that is refused or leads outside the root) or 405 for other methods.
  Response Serve(const Request& request, std::string_view relative);

  // The root, resolved (no symbolic link, no trailing '/').
  const std::string& folder() const { return folder_; }

 private:
  explicit WebRoot(std::string folder) : folder_(std::move(folder)) {}

  struct Cached {
    int64_t mtime_ns = 0;
    int64_t size = 0;
    std::string etag;
    std::string body;
  };

  std::string folder_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // by resolved path; files up to kCacheBytes
  int64_t cached_bytes_ = 0;
};

}  // namespace ngosurvey::server
