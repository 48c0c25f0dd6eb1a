#include "base/zip_archive.h"

#include <fmt/format.h>
#include <libdeflate.h>
#include <zip.h>

#include <algorithm>
#include <vector>

namespace ngosurvey {

namespace {

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

struct DecompressorFree {
  void operator()(libdeflate_decompressor* decompressor) const {
    libdeflate_free_decompressor(decompressor);
  }
};

// Entry `index` of `zip`, a deflated entry without encryption, decompressed whole into
// `out` by libdeflate, when it decompresses without fault to the size and CRC-32 the
// archive declares and that size is at most `max_bytes`. False for any other entry or
// outcome, `out` then unspecified: the caller reads the entry through libzip, which
// counts, limits and reports it as it always has. libdeflate decompresses the whole
// buffer in one call about twice as fast as zlib's inflate streaming through libzip,
// and its CRC-32 (carry-less multiplication) costs a tenth of zlib's: together a tenth
// of `form xform`'s instructions on a 10,000-row form (bench/README.md, "XForm").
bool InflateWhole(zip_t* zip, zip_uint64_t index, uint64_t max_bytes, std::string* out) {
  constexpr zip_uint64_t kNeeded = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
                                   ZIP_STAT_ENCRYPTION_METHOD | ZIP_STAT_CRC;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(zip, index, 0, &stat) != 0 || (stat.valid & kNeeded) != kNeeded ||
      stat.comp_method != ZIP_CM_DEFLATE || stat.encryption_method != ZIP_EM_NONE ||
      stat.size > max_bytes || stat.comp_size > max_bytes) {
    return false;
  }
  // The compressed bytes as stored (ZIP_FL_COMPRESSED: libzip neither inflates nor
  // checks them), read to their end rather than trusting the declared size.
  std::unique_ptr<zip_file_t, ZipFileCloser> raw(zip_fopen_index(zip, index, ZIP_FL_COMPRESSED));
  if (!raw) return false;
  std::string compressed;
  compressed.resize(static_cast<size_t>(stat.comp_size));
  zip_int64_t got = zip_fread(raw.get(), compressed.data(), compressed.size());
  if (got < 0 || static_cast<zip_uint64_t>(got) != stat.comp_size) return false;
  // DEFLATE expands at most 1032 times: a larger declared size is a lie that would
  // only fail after the output buffer had been zeroed, so it goes to libzip at once.
  if (stat.size / 1032 > stat.comp_size) return false;
  std::unique_ptr<libdeflate_decompressor, DecompressorFree> decompressor(
      libdeflate_alloc_decompressor());
  if (!decompressor) return false;
  out->resize(static_cast<size_t>(stat.size));
  // No actual size asked for: a stream that ends short is LIBDEFLATE_SHORT_OUTPUT.
  if (libdeflate_deflate_decompress(decompressor.get(), compressed.data(), compressed.size(),
                                    out->data(), out->size(), nullptr) != LIBDEFLATE_SUCCESS) {
    return false;
  }
  return libdeflate_crc32(0, out->data(), out->size()) == stat.crc;
}

}  // namespace

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(std::string_view data, std::string file,
                                                     ZipLimits limits, std::string_view kind) {
  std::unique_ptr<ZipArchive> archive(new ZipArchive(std::move(file), limits));
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data.data(), data.size(), 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return MakeError("ZIP001", "cannot read the archive: " + why, {archive->file_});
  }
  archive->zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive->zip_ == nullptr) {
    zip_source_free(source);
    int code = zip_error_code_zip(&error);
    zip_error_fini(&error);
    // A file that starts as a zip but has no central directory was cut short.
    if (code == ZIP_ER_NOZIP && LooksLikeZip(data)) code = ZIP_ER_INCONS;
    bool plain = kind == "zip archive";
    std::string article =
        kind.empty() || std::string_view("aeiou.").find(kind[0]) != std::string_view::npos ? "an"
                                                                                           : "a";
    std::string why =
        code == ZIP_ER_NOZIP ? (plain ? std::string("not a zip archive")
                                      : fmt::format("not {} {} (not a zip archive)", article, kind))
        : code == ZIP_ER_INCONS || code == ZIP_ER_EOF
            ? (plain
                   ? std::string("damaged or truncated zip archive (it is inconsistent)")
                   : fmt::format("damaged or truncated {} (the zip archive is inconsistent)", kind))
            : fmt::format("cannot open the {}", kind);
    return MakeError("ZIP001", why, {archive->file_});
  }
  zip_error_fini(&error);
  zip_int64_t count = zip_get_num_entries(archive->zip_, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive->zip_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (name == nullptr) {
      return MakeError("ZIP001", fmt::format("entry {} has no readable name", i + 1),
                       {archive->file_});
    }
    archive->names_.emplace_back(name);
  }
  return archive;
}

ZipArchive::~ZipArchive() {
  if (zip_ != nullptr) zip_discard(zip_);
}

std::optional<size_t> ZipArchive::Find(const std::string& name) const {
  zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<size_t>(index);
}

Result<std::string> ZipArchive::ReadEntry(size_t index) {
  std::string out;
  NGO_TRY(Read(index, &out, nullptr));
  return out;
}

Status ZipArchive::ReadEntryChunks(size_t index, const ChunkConsumer& consume) {
  return Read(index, nullptr, &consume);
}

Status ZipArchive::Read(size_t index, std::string* whole, const ChunkConsumer* consume) {
  const std::string& name = names_.at(index);
  std::unique_ptr<zip_file_t, ZipFileCloser> entry(
      zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0));
  if (!entry) {
    return MakeError("ZIP003", fmt::format("cannot open {}: {}", name, zip_strerror(zip_)),
                     {file_});
  }
  if (whole != nullptr && total_read_ < limits_.max_total_bytes &&
      InflateWhole(zip_, static_cast<zip_uint64_t>(index),
                   std::min(limits_.max_entry_bytes, limits_.max_total_bytes - total_read_),
                   whole)) {
    total_read_ += whole->size();
    return Ok();
  }
  if (whole != nullptr) whole->clear();
  constexpr size_t kChunk = size_t{64} << 10;
  std::vector<char> buffer;
  if (whole != nullptr) {
    // Decompressed straight into `whole`, with room for the size the archive declares
    // (a hint only: never more than the entry's limit, and the limits still count).
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
        (stat.valid & ZIP_STAT_SIZE) != 0) {
      whole->reserve(static_cast<size_t>(std::min<uint64_t>(stat.size, limits_.max_entry_bytes)) +
                     kChunk);
    }
  } else {
    buffer.resize(kChunk);
  }
  uint64_t entry_read = 0;
  while (true) {
    char* into = buffer.data();
    if (whole != nullptr) {
      whole->resize(static_cast<size_t>(entry_read) + kChunk);
      into = whole->data() + entry_read;
    }
    zip_int64_t got = zip_fread(entry.get(), into, kChunk);
    if (got < 0) {
      return MakeError("ZIP003",
                       fmt::format("cannot decompress {}: {} (damaged or truncated archive?)", name,
                                   zip_error_strerror(zip_file_get_error(entry.get()))),
                       {file_});
    }
    entry_read += static_cast<uint64_t>(got);
    total_read_ += static_cast<uint64_t>(got);
    if (whole != nullptr) whole->resize(static_cast<size_t>(entry_read));
    if (entry_read > limits_.max_entry_bytes) {
      return MakeError("ZIP002",
                       fmt::format("{} decompresses to more than {} bytes; refusing it (a damaged "
                                   "archive or a zip bomb)",
                                   name, limits_.max_entry_bytes),
                       {file_});
    }
    if (total_read_ > limits_.max_total_bytes) {
      return MakeError("ZIP002",
                       fmt::format("the archive decompresses to more than {} bytes; refusing it "
                                   "(a damaged archive or a zip bomb)",
                                   limits_.max_total_bytes),
                       {file_});
    }
    bool last = got == 0;
    if (consume != nullptr) {
      NGO_TRY((*consume)(std::string_view(buffer.data(), static_cast<size_t>(got)), last));
    }
    if (last) return Ok();
  }
}

Result<std::string> WriteZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto failed = [](const std::string& why) {
    return MakeError("ZIP001", "cannot write the zip: " + why);
  };
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return failed(why);
  }
  zip_t* zip = zip_open_from_source(source, ZIP_TRUNCATE, &error);
  if (zip == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    return failed(why);
  }
  zip_error_fini(&error);
  zip_source_keep(source);  // kept past zip_close, to read the archive back
  for (const auto& [name, bytes] : entries) {
    zip_source_t* entry = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    zip_int64_t index =
        entry == nullptr ? -1 : zip_file_add(zip, name.c_str(), entry, ZIP_FL_ENC_UTF_8);
    // A fixed time (1980-01-01, the format's first) so that the same entries make the
    // same bytes: an export run twice gives the same file.
    if (index < 0 || zip_file_set_mtime(zip, static_cast<zip_uint64_t>(index), 315532800, 0) < 0) {
      if (entry != nullptr && index < 0) zip_source_free(entry);
      std::string why = zip_strerror(zip);
      zip_discard(zip);
      zip_source_free(source);
      return failed(why);
    }
  }
  if (zip_close(zip) != 0) {
    std::string why = zip_strerror(zip);
    zip_discard(zip);
    zip_source_free(source);
    return failed(why);
  }
  std::string out;
  if (zip_source_open(source) != 0) {
    zip_source_free(source);
    return failed("cannot read the archive back");
  }
  char buffer[1 << 16];
  while (true) {
    zip_int64_t got = zip_source_read(source, buffer, sizeof buffer);
    if (got < 0) {
      zip_source_close(source);
      zip_source_free(source);
      return failed("cannot read the archive back");
    }
    if (got == 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  zip_source_close(source);
  zip_source_free(source);
  return out;
}

bool LooksLikeZip(std::string_view data) {
  return data.size() >= 4 && (data.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||
                              data.substr(0, 4) == std::string_view("PK\x05\x06", 4));
}

}  // namespace ngosurvey
