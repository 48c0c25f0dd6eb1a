#include "cli/heap.h"

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
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#define NGOSURVEY_GLIBC_HEAP 1
#endif

namespace ngosurvey::cli {

#ifdef NGOSURVEY_GLIBC_HEAP

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
// glibc's largest M_MMAP_THRESHOLD on 64-bit systems (HEAP_MAX_SIZE / 2): blocks
// above it still get a mapping of their own.
constexpr size_t kMaxMmapThreshold = size_t{32} << 20;

}  // namespace

void PrepareBatchHeap(size_t bytes) {
  // Big blocks (a decompressed sheet, the XForm's buffer) from the heap too, and no
  // trimming: memory freed by one phase is reused by the next instead of being given
  // back and faulted in again.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMaxMmapThreshold)) == 0) return;
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kMaxMmapThreshold) * 32);
  // Make malloc grow the heap by `bytes` now: a block just larger than the free top
  // of the heap, with `bytes` of padding. Nothing of the new range is touched but
  // the page after that block (the new top's header), so that its 2 MB pages can
  // be huge from their first fault.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  size_t top = mallinfo2().keepcost;
  if (top + 64 >= kMaxMmapThreshold) return;
  const auto* start = static_cast<const char*>(sbrk(0));
  // volatile: the compiler may not drop a malloc whose block is only freed.
  void* volatile block = malloc(top + 64);
  const auto* end = static_cast<const char*>(sbrk(0));
  auto from = (reinterpret_cast<uintptr_t>(start) + kHugePage - 1) / kHugePage * kHugePage;
  auto to = reinterpret_cast<uintptr_t>(end) / kHugePage * kHugePage;
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  free(block);
}

#else

void PrepareBatchHeap(size_t /*bytes*/) {}

#endif

}  // namespace ngosurvey::cli
