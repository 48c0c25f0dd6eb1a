#include "analysis/csv_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "base/file.h"

namespace ngosurvey::analysis {
namespace {

constexpr char kMagic[8] = {'N', 'G', 'O', 'C', 'A', 'C', 'H', 'E'};
// 2: cells read as written (issue 14); a version-1 cache holds trimmed cells and is
// rebuilt. 3: a column's code width (select_ones of any length, issue 17).
constexpr uint32_t kVersion = 3;
constexpr size_t kHeaderBytes = 96;
constexpr size_t kAlign = 64;
constexpr size_t kProbeBytes = size_t{64} << 10;

uint64_t Fnv(const void* data, size_t size, uint64_t h = 1469598103934665603ULL) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

uint64_t FnvString(std::string_view s, uint64_t h) {
  uint64_t size = s.size();
  h = Fnv(&size, sizeof size, h);
  return Fnv(s.data(), s.size(), h);
}

// The fixed header at offset 0 (little-endian, as written by the machine: a cache
// is not moved between machines of another byte order; the magic would not match).
struct Header {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t csv_size;
  int64_t csv_mtime_ns;
  uint64_t csv_probe;
  uint64_t inputs;
  uint64_t rows;
  uint64_t meta_offset;
  uint64_t meta_bytes;
  uint64_t meta_hash;
  uint64_t file_bytes;
  uint64_t header_hash;  // of the 88 bytes above
};
static_assert(sizeof(Header) == kHeaderBytes);

class MetaWriter {
 public:
  void U64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

class MetaReader {
 public:
  MetaReader(const char* data, size_t size) : data_(data), size_(size) {}
  bool U64(uint64_t* v) {
    if (size_ - pos_ < sizeof *v) return false;
    std::memcpy(v, data_ + pos_, sizeof *v);
    pos_ += sizeof *v;
    return true;
  }
  bool Str(std::string* s) {
    uint64_t n = 0;
    if (!U64(&n) || n > size_ - pos_) return false;
    s->assign(data_ + pos_, n);
    pos_ += n;
    return true;
  }
  bool Strs(std::vector<std::string>* list) {
    uint64_t n = 0;
    if (!U64(&n) || n > size_ - pos_) return false;
    list->resize(n);
    for (auto& s : *list) {
      if (!Str(&s)) return false;
    }
    return true;
  }
  bool done() const { return pos_ == size_; }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

struct Mapping {
  void* data = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (data) ::munmap(data, size);
  }
};

std::string FolderOf(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

size_t Aligned(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

// The buffers of a column in file order.
template <typename F>
void ForEachBuffer(const Column& c, F f) {
  for (const auto& plane : c.planes) f(plane.data(), plane.size());
  if (!c.codes16.empty()) f(c.codes16.data(), c.codes16.size() * sizeof(uint16_t));
  if (!c.codes32.empty()) f(c.codes32.data(), c.codes32.size() * sizeof(uint32_t));
  if (c.kind == ColumnKind::kNumber) {
    f(c.numbers.data(), c.numbers.size() * sizeof(double));
    f(c.states.data(), c.states.size());
  }
}

}  // namespace

std::string DefaultCacheFolder() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/ngosurvey";
  const char* home = std::getenv("HOME");
  if (home && home[0] != '\0') return std::string(home) + "/.cache/ngosurvey";
  return {};
}

std::string CachePathFor(const std::string& csv_path, const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path absolute = fs::weakly_canonical(fs::absolute(csv_path, error), error);
  if (error) absolute = fs::absolute(csv_path, error);
  std::string text = absolute.string();
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(Fnv(text.data(), text.size())));
  return folder + "/" + fs::path(csv_path).filename().string() + "-" + hash + ".ngocache";
}

Result<CacheKey> ComputeCacheKey(const std::string& csv_path, const std::string& form_path,
                                 const LoadDataOptions& options) {
  CacheKey key;
  int fd = ::open(csv_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return MakeError("IO001", std::string("cannot open: ") + std::strerror(errno),
                     Location{.file = csv_path});
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return MakeError("IO001", std::string("cannot stat: ") + std::strerror(errno),
                     Location{.file = csv_path});
  }
  key.csv_size = static_cast<uint64_t>(st.st_size);
  key.csv_mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  std::string probe(std::min<uint64_t>(key.csv_size, 2 * kProbeBytes), '\0');
  size_t head = std::min<size_t>(probe.size(), kProbeBytes);
  bool ok = ::pread(fd, probe.data(), head, 0) == static_cast<ssize_t>(head);
  if (ok && probe.size() > head) {
    size_t tail = probe.size() - head;
    ok = ::pread(fd, probe.data() + head, tail, static_cast<off_t>(key.csv_size - tail)) ==
         static_cast<ssize_t>(tail);
  }
  ::close(fd);
  if (!ok) return MakeError("IO001", "cannot read", Location{.file = csv_path});
  key.csv_probe = Fnv(probe.data(), probe.size());
  auto form_bytes = ReadFile(form_path);
  if (!form_bytes) return tl::unexpected(form_bytes.error());
  uint64_t h = FnvString(*form_bytes, 1469598103934665603ULL);
  h = FnvString(options.language, h);
  for (const auto* list : {&options.refused_codes, &options.dont_know_codes, &options.items,
                           &options.extra_single, &options.identifiers}) {
    h = FnvString("|", h);
    for (const auto& s : *list) h = FnvString(s, h);
  }
  key.inputs = h;
  return key;
}

std::optional<Dataset> ReadCache(const std::string& cache_path, const CacheKey& key,
                                 Diagnostics* diags) {
  int fd = ::open(cache_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) < kHeaderBytes) {
    ::close(fd);
    return std::nullopt;
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, mapping->size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return std::nullopt;
  mapping->data = map;
  const char* base = static_cast<const char*>(map);
  Header h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.version != kVersion ||
      h.header_hash != Fnv(&h, offsetof(Header, header_hash)) || h.file_bytes != mapping->size ||
      h.csv_size != key.csv_size || h.csv_mtime_ns != key.csv_mtime_ns ||
      h.csv_probe != key.csv_probe || h.inputs != key.inputs || h.meta_offset != kHeaderBytes ||
      h.meta_bytes > mapping->size - kHeaderBytes ||
      h.meta_hash != Fnv(base + h.meta_offset, h.meta_bytes)) {
    return std::nullopt;
  }
  MetaReader meta(base + h.meta_offset, h.meta_bytes);
  const size_t data_begin = kHeaderBytes + h.meta_bytes;
  auto view = [&](uint64_t offset, uint64_t bytes, const void** out) {
    if (offset % kAlign || offset < data_begin || offset > mapping->size ||
        bytes > mapping->size - offset)
      return false;
    *out = base + offset;
    return true;
  };
  Dataset data(h.rows);
  uint64_t columns = 0;
  if (!meta.U64(&columns) || columns > h.meta_bytes) return std::nullopt;
  std::shared_ptr<const void> owner = mapping;
  for (uint64_t c = 0; c < columns; ++c) {
    Column column;
    uint64_t kind = 0, planes = 0, width = 0;
    // Each plane's offset takes 8 bytes of the metadata: no more planes than that.
    if (!meta.Str(&column.name) || !meta.Str(&column.label) || !meta.U64(&kind) || kind > 2 ||
        !meta.Strs(&column.options) || !meta.Strs(&column.option_labels) ||
        !meta.Str(&column.relevant) || !meta.U64(&planes) || planes > h.meta_bytes / 8 ||
        !meta.U64(&width) || (width != 0 && width != 2 && width != 4)) {
      return std::nullopt;
    }
    column.kind = static_cast<ColumnKind>(kind);
    for (uint64_t p = 0; p < planes; ++p) {
      uint64_t offset = 0;
      const void* at = nullptr;
      if (!meta.U64(&offset) || !view(offset, h.rows, &at)) return std::nullopt;
      column.planes.push_back(
          Buffer<uint8_t>::View(static_cast<const uint8_t*>(at), h.rows, owner));
    }
    if (width != 0) {  // a kSingle column's 16- or 32-bit codes (AddColumn checks them)
      uint64_t offset = 0;
      const void* at = nullptr;
      if (!meta.U64(&offset) || h.rows > mapping->size / width ||
          !view(offset, h.rows * width, &at)) {
        return std::nullopt;
      }
      if (width == 2) {
        column.codes16 = Buffer<uint16_t>::View(static_cast<const uint16_t*>(at), h.rows, owner);
      } else {
        column.codes32 = Buffer<uint32_t>::View(static_cast<const uint32_t*>(at), h.rows, owner);
      }
    }
    if (column.kind == ColumnKind::kNumber) {
      uint64_t numbers = 0, states = 0;
      const void* n = nullptr;
      const void* s = nullptr;
      if (!meta.U64(&numbers) || !meta.U64(&states) || h.rows > mapping->size / sizeof(double) ||
          !view(numbers, h.rows * sizeof(double), &n) || !view(states, h.rows, &s)) {
        return std::nullopt;
      }
      column.numbers = Buffer<double>::View(static_cast<const double*>(n), h.rows, owner);
      column.states = Buffer<uint8_t>::View(static_cast<const uint8_t*>(s), h.rows, owner);
    }
    if (!data.AddColumn(std::move(column))) return std::nullopt;
  }
  uint64_t count = 0;
  if (!meta.U64(&count) || count > h.meta_bytes) return std::nullopt;
  Diagnostics cached;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t severity = 0, row = 0, column = 0, offset = 0;
    Error e;
    if (!meta.U64(&severity) || !meta.Str(&e.code) || !meta.Str(&e.message) ||
        !meta.Str(&e.where.file) || !meta.Str(&e.where.sheet) || !meta.U64(&row) ||
        !meta.U64(&column) || !meta.U64(&offset) || !meta.Str(&e.where.expression)) {
      return std::nullopt;
    }
    e.where.row = static_cast<int>(row), e.where.column = static_cast<int>(column);
    e.where.expr_offset = static_cast<int>(static_cast<int64_t>(offset));
    cached.Add(severity ? Severity::kWarning : Severity::kError, std::move(e));
  }
  if (!meta.done()) return std::nullopt;
  ::madvise(mapping->data, mapping->size, MADV_WILLNEED);
  diags->Append(cached);
  return data;
}

void ResealCacheForTesting(std::string* bytes, const CacheKey& key) {
  if (bytes->size() < kHeaderBytes) return;
  Header h;
  std::memcpy(&h, bytes->data(), sizeof h);
  h.csv_size = key.csv_size;
  h.csv_mtime_ns = key.csv_mtime_ns;
  h.csv_probe = key.csv_probe;
  h.inputs = key.inputs;
  h.file_bytes = bytes->size();
  if (h.meta_offset <= bytes->size() && h.meta_bytes <= bytes->size() - h.meta_offset) {
    h.meta_hash = Fnv(bytes->data() + h.meta_offset, h.meta_bytes);
  }
  h.header_hash = Fnv(&h, offsetof(Header, header_hash));
  std::memcpy(bytes->data(), &h, sizeof h);
}

Status WriteCache(const std::string& cache_path, const CacheKey& key, const Dataset& data,
                  const Diagnostics& diags) {
  // The meta first, with the data offsets it names: computed from its own size.
  auto build_meta = [&](size_t data_begin, size_t* end) {
    MetaWriter meta;
    size_t offset = Aligned(data_begin);
    meta.U64(data.columns().size());
    for (const Column& c : data.columns()) {
      meta.Str(c.name);
      meta.Str(c.label);
      meta.U64(static_cast<uint64_t>(c.kind));
      meta.U64(c.options.size());
      for (const auto& s : c.options) meta.Str(s);
      meta.U64(c.option_labels.size());
      for (const auto& s : c.option_labels) meta.Str(s);
      meta.Str(c.relevant);
      meta.U64(c.planes.size());
      meta.U64(!c.codes16.empty() ? 2 : !c.codes32.empty() ? 4 : 0);
      ForEachBuffer(c, [&](const void*, size_t bytes) {
        meta.U64(offset);
        offset = Aligned(offset + bytes);
      });
    }
    meta.U64(diags.items().size());
    for (const auto& d : diags.items()) {
      meta.U64(d.severity == Severity::kWarning ? 1 : 0);
      meta.Str(d.error.code);
      meta.Str(d.error.message);
      meta.Str(d.error.where.file);
      meta.Str(d.error.where.sheet);
      meta.U64(static_cast<uint64_t>(d.error.where.row));
      meta.U64(static_cast<uint64_t>(d.error.where.column));
      meta.U64(static_cast<uint64_t>(static_cast<int64_t>(d.error.where.expr_offset)));
      meta.Str(d.error.where.expression);
    }
    *end = offset;
    return std::move(meta.text());
  };
  size_t end = 0;
  std::string meta = build_meta(kHeaderBytes, &end);
  // The offsets depend on the meta's size, which does not depend on their values.
  meta = build_meta(kHeaderBytes + meta.size(), &end);
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.csv_size = key.csv_size;
  h.csv_mtime_ns = key.csv_mtime_ns;
  h.csv_probe = key.csv_probe;
  h.inputs = key.inputs;
  h.rows = data.rows();
  h.meta_offset = kHeaderBytes;
  h.meta_bytes = meta.size();
  h.meta_hash = Fnv(meta.data(), meta.size());
  h.file_bytes = end;
  h.header_hash = Fnv(&h, offsetof(Header, header_hash));
  return WriteFileAtomicWith(cache_path, [&](const std::string& temp) -> Status {
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
      return MakeError("IO004", std::string("cannot create: ") + std::strerror(errno),
                       Location{.file = cache_path});
    size_t written = 0;
    bool ok = true;
    auto put = [&](const void* bytes, size_t size) {
      const char* p = static_cast<const char*>(bytes);
      while (ok && size > 0) {
        ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          ok = false;
          break;
        }
        p += n, size -= static_cast<size_t>(n), written += static_cast<size_t>(n);
      }
    };
    auto pad = [&] {
      static const char zeros[kAlign] = {};
      put(zeros, Aligned(written) - written);
    };
    put(&h, sizeof h);
    put(meta.data(), meta.size());
    for (const Column& c : data.columns()) {
      ForEachBuffer(c, [&](const void* bytes, size_t size) {
        pad();
        put(bytes, size);
      });
    }
    pad();
    std::string why = ok ? "" : std::strerror(errno);
    if (::close(fd) != 0 && ok) ok = false, why = std::strerror(errno);
    if (!ok || written != end)
      return MakeError("IO004", "cannot write: " + why, Location{.file = cache_path});
    return Ok();
  });
}

Result<Dataset> LoadCsvWithCache(const form::Form& form, const std::string& form_path,
                                 const std::string& csv_path, const LoadDataOptions& options,
                                 Diagnostics* diags, const CsvLoadSettings& settings,
                                 CachedLoad* cache) {
  std::optional<CacheKey> key;
  const std::string folder = cache->folder.empty() ? DefaultCacheFolder() : cache->folder;
  const std::string cache_path = folder.empty() ? "" : CachePathFor(csv_path, folder);
  if (cache->use_cache && csv_path != "-" && !cache_path.empty()) {
    struct stat st {};
    if (::stat(csv_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      if (auto computed = ComputeCacheKey(csv_path, form_path, options)) key = *computed;
    }
  }
  if (key) {
    if (auto cached = ReadCache(cache_path, *key, diags)) {
      cache->from_cache = true;
      return std::move(*cached);
    }
  }
  Diagnostics load_diags;
  auto data = LoadCsvFile(form, csv_path, options, &load_diags, settings);
  diags->Append(load_diags);
  if (!data) return data;
  if (key) {
    // Only when the CSV did not change while it was read; a failed write (a
    // read-only folder) leaves things as they were.
    auto after = ComputeCacheKey(csv_path, form_path, options);
    std::error_code made;  // a folder made here is private to the user, as XDG asks
    if (std::filesystem::create_directories(folder, made) && !made) ::chmod(folder.c_str(), 0700);
    if (after && after->csv_size == key->csv_size && after->csv_mtime_ns == key->csv_mtime_ns &&
        after->csv_probe == key->csv_probe && ::access(FolderOf(cache_path).c_str(), W_OK) == 0) {
      cache->cache_written = WriteCache(cache_path, *key, *data, load_diags).has_value();
    }
  }
  return data;
}

}  // namespace ngosurvey::analysis
