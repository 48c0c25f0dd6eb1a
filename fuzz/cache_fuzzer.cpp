// Fuzz target for the binary CSV cache reader (analysis/csv_cache.h, format in
// docs/formats/ngocache.md): any bytes, resealed so that their header's key, length
// and checksums are right (otherwise almost every input would stop at the checksum),
// are read as a cache file. ReadCache must refuse them or give a dataset whose every
// column holds one value per row, which the tabulation kernel then counts without
// reading or writing out of bounds. The file is an anonymous memory file
// (memfd_create), so nothing touches the disk.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>

#include "analysis/csv_cache.h"
#include "analysis/group_counts.h"

namespace {

using namespace ngosurvey;
using namespace ngosurvey::analysis;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CacheKey key{.csv_size = 4242, .csv_mtime_ns = 17, .csv_probe = 99, .inputs = 7};
  std::string bytes(reinterpret_cast<const char*>(data), size);
  ResealCacheForTesting(&bytes, key);
  int fd = ::memfd_create("ngocache", MFD_CLOEXEC);
  if (fd < 0) return 0;
  bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  Diagnostics diags;
  std::optional<Dataset> dataset;
  if (written) dataset = ReadCache(path, key, &diags);
  ::close(fd);  // the mapping, if any, keeps the memory alive
  if (!dataset) return 0;

  std::vector<int> columns(dataset->columns().size());
  std::iota(columns.begin(), columns.end(), 0);
  int group = -1;
  for (size_t c = 0; c < dataset->columns().size(); ++c) {
    const Column& column = dataset->columns()[c];
    Check(column.size() == dataset->rows());
    for (const auto& plane : column.planes) Check(plane.size() == dataset->rows());
    // A grouping column holds one byte per row (wider codes are never groups).
    if (column.kind == ColumnKind::kSingle && !column.planes.empty() && group < 0) {
      group = static_cast<int>(c);
    }
  }
  auto counts = CountByGroup(*dataset, group, columns, 1);
  Check(counts.has_value());
  for (const ColumnCounts& column : counts->columns) {
    for (const PlaneCounts& plane : column.planes) {
      uint64_t total = std::accumulate(plane.counts.begin(), plane.counts.end(), uint64_t{0});
      Check(total == dataset->rows());  // every row counted once, in some slot
    }
    if (!column.wide.empty()) {  // 16- and 32-bit codes
      Check(std::accumulate(column.wide.begin(), column.wide.end(), uint64_t{0}) ==
            dataset->rows());
    }
  }
  return 0;
}
