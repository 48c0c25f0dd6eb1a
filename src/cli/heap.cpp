#include "cli/heap.h"

#include <charconv>
#include <cstdint>

// Sanitizers bring their own malloc, which none of this concerns (GCC defines the
// macros, clang answers __has_feature).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define NGOSURVEY_SANITIZER_MALLOC 1
#endif
#endif
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && \
    !defined(NGOSURVEY_SANITIZER_MALLOC)
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#define NGOSURVEY_GLIBC_HEAP 1
#endif

namespace ngosurvey::cli {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// The 2 MB units of one buddyinfo row ("Node 0, zone Normal c0 c1 ..."), or -1 when
// `line` is not such a row.
long RowHugePages(std::string_view line, size_t page_size) {
  size_t zone = line.find(" zone ");
  if (line.substr(0, 5) != "Node " || zone == std::string_view::npos) return -1;
  size_t at = zone + 6;
  while (at < line.size() && IsSpace(line[at])) ++at;
  while (at < line.size() && !IsSpace(line[at])) ++at;  // the zone's name
  long units = 0;
  int order = 0;
  for (;; ++order) {
    while (at < line.size() && IsSpace(line[at])) ++at;
    if (at == line.size()) break;
    unsigned long count = 0;
    auto [end, ec] = std::from_chars(line.data() + at, line.data() + line.size(), count);
    if (ec != std::errc() || order >= 40) return -1;
    at = static_cast<size_t>(end - line.data());
    size_t block = page_size << order;
    if (block >= kHugePage) units += static_cast<long>(count * (block / kHugePage));
  }
  return order > 0 ? units : -1;
}

}  // namespace

long FreeHugePages(std::string_view buddyinfo, size_t page_size) {
  long total = -1;
  while (!buddyinfo.empty()) {
    size_t eol = buddyinfo.find('\n');
    std::string_view line = buddyinfo.substr(0, eol);
    buddyinfo.remove_prefix(eol == std::string_view::npos ? buddyinfo.size() : eol + 1);
    long row = RowHugePages(line, page_size);
    if (row >= 0) total = (total < 0 ? 0 : total) + row;
  }
  return total;
}

#ifdef NGOSURVEY_GLIBC_HEAP

namespace {

// glibc's largest M_MMAP_THRESHOLD on 64-bit systems (HEAP_MAX_SIZE / 2): blocks
// above it still get a mapping of their own.
constexpr size_t kMaxMmapThreshold = size_t{32} << 20;

// Whether the kernel has 2 MB blocks free for twice a heap of `expected_peak`, so that
// huge pages come without compacting memory (/proc/buddyinfo; unreadable: not
// known, so no). Even the 130-row instrument's few MB gain from them (bench/README.md).
bool HugePagesFree(size_t expected_peak) {
  char text[16384];
  int fd = open("/proc/buddyinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t size = 0;
  for (ssize_t got = 0; size < sizeof text; size += static_cast<size_t>(got)) {
    got = read(fd, text + size, sizeof text - size);
    if (got <= 0) break;
  }
  close(fd);
  long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return false;
  long free_pages = FreeHugePages({text, size}, static_cast<size_t>(page_size));
  size_t needed = expected_peak / kHugePage + 1;
  return free_pages >= 0 && static_cast<size_t>(free_pages) >= 2 * needed;
}

}  // namespace

void PrepareBatchHeap(size_t reserve, size_t expected_peak) {
  bool huge = HugePagesFree(expected_peak);
  // Big blocks (a decompressed sheet, the XForm's buffer) from the heap too, and no
  // trimming: memory freed by one phase is reused by the next instead of being given
  // back and faulted in again.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMaxMmapThreshold)) == 0) return;
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kMaxMmapThreshold) * 32);
  // Make malloc grow the heap by `reserve` now: a block just larger than the free top
  // of the heap, with `reserve` of padding. Nothing of the new range is touched but
  // the page after that block (the new top's header), so that its 2 MB pages can
  // be huge from their first fault.
  mallopt(M_TOP_PAD, static_cast<int>(reserve));
  size_t top = mallinfo2().keepcost;
  if (top + 64 >= kMaxMmapThreshold) return;
  const auto* start = static_cast<const char*>(sbrk(0));
  // volatile: the compiler may not drop a malloc whose block is only freed.
  void* volatile block = malloc(top + 64);
  const auto* end = static_cast<const char*>(sbrk(0));
  auto from = (reinterpret_cast<uintptr_t>(start) + kHugePage - 1) / kHugePage * kHugePage;
  auto to = reinterpret_cast<uintptr_t>(end) / kHugePage * kHugePage;
  if (huge && to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  free(block);
}

#else

void PrepareBatchHeap(size_t /*reserve*/, size_t /*expected_peak*/) {}

#endif

}  // namespace ngosurvey::cli
