// base: reading a zip archive held in memory (libzip), with the limits that keep a
// damaged file or a zip bomb from filling memory: every entry is read through
// ReadEntry, which stops at a per-entry and a whole-archive limit on the bytes it
// decompresses (the sizes the archive declares are not trusted).
//
// Used by the readers of ODK Central's submissions ZIP (exchange/central_zip.h).
//
// Error codes: ZIP001 not a zip archive, or damaged / truncated; ZIP002 an entry or
// the archive decompresses to more than its limit; ZIP003 an entry cannot be
// decompressed (damaged data, an unsupported method or encryption).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

struct zip;  // libzip's zip_t

namespace ngosurvey {

struct ZipLimits {
  uint64_t max_entry_bytes = uint64_t{2} << 30;  // one entry, decompressed
  uint64_t max_total_bytes = uint64_t{8} << 30;  // every entry read, decompressed
};

class ZipArchive {
 public:
  // Opens the archive in `data`, which must outlive it; `file` names it in errors.
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view data, std::string file,
                                                  ZipLimits limits = {});
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // The entries' names as stored ("form.csv", "media/1710.jpg"; folders end in
  // "/"), in the archive's order.
  const std::vector<std::string>& names() const { return names_; }
  // The bytes of entry `index` (into names()).
  Result<std::string> ReadEntry(size_t index);

 private:
  ZipArchive(std::string file, ZipLimits limits) : file_(std::move(file)), limits_(limits) {}
  std::string file_;
  ZipLimits limits_;
  ::zip* zip_ = nullptr;
  std::vector<std::string> names_;
  uint64_t total_read_ = 0;
};

// True when `data` starts as a zip archive does ("PK\3\4", or "PK\5\6" when empty).
bool LooksLikeZip(std::string_view data);

}  // namespace ngosurvey
