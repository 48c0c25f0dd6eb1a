// base: reading a zip archive held in memory (libzip), with the limits that keep a
// damaged file or a zip bomb from filling memory: every entry is read through
// ReadEntry, which stops at a per-entry and a whole-archive limit on the bytes it
// decompresses (the sizes the archive declares are not trusted).
//
// Used by the XLSX reader (form/xlsx_reader.h, which reads each part whole for pugixml)
// and the reader of ODK Central's submissions ZIP (exchange/central_zip.h).
//
// Error codes: ZIP001 not a zip archive, or damaged / truncated; ZIP002 an entry or
// the archive decompresses to more than its limit; ZIP003 an entry cannot be
// decompressed (damaged data, an unsupported method or encryption).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  // Opens the archive in `data`, which must outlive it; `file` names it in errors,
  // `kind` says what it should be (".xlsx workbook") in the messages of a file that is
  // not a zip at all, or is cut short.
  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view data, std::string file,
                                                  ZipLimits limits = {},
                                                  std::string_view kind = "zip archive");
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // The entries' names as stored ("form.csv", "media/1710.jpg"; folders end in
  // "/"), in the archive's order.
  const std::vector<std::string>& names() const { return names_; }
  // The index of the entry named `name`, compared without case, or nullopt.
  std::optional<size_t> Find(const std::string& name) const;
  // The bytes of entry `index` (into names()), decompressed straight into the string
  // (sized from the size the archive declares, within the limits).
  Result<std::string> ReadEntry(size_t index);
  // The bytes of entry `index` handed to `consume` as they are decompressed (at most
  // 64 KiB at a time), then once more with an empty chunk and `last` true. An error
  // from `consume` stops the read and is returned.
  using ChunkConsumer = std::function<Status(std::string_view chunk, bool last)>;
  Status ReadEntryChunks(size_t index, const ChunkConsumer& consume);

 private:
  ZipArchive(std::string file, ZipLimits limits) : file_(std::move(file)), limits_(limits) {}
  // ReadEntry into `whole`, or ReadEntryChunks to `consume` (one of them is null).
  Status Read(size_t index, std::string* whole, const ChunkConsumer* consume);
  std::string file_;
  ZipLimits limits_;
  ::zip* zip_ = nullptr;
  std::vector<std::string> names_;
  uint64_t total_read_ = 0;
};

// A zip archive of `entries` (name, bytes), in that order, deflated, made in memory
// (REFI-QDA projects, exchange/qdpx.h); every entry dated 1980-01-01, so that the
// same entries give the same bytes. ZIP001 when libzip refuses.
Result<std::string> WriteZip(const std::vector<std::pair<std::string, std::string>>& entries);

// True when `data` starts as a zip archive does ("PK\3\4", or "PK\5\6" when empty).
bool LooksLikeZip(std::string_view data);

}  // namespace ngosurvey
