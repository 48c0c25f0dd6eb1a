// The heap of a batch command that builds a large model in memory and exits (form
// xform, form check): most of such a command's kernel time is page faults on memory
// malloc takes from the system (on a 10,000-row form, 11,700 faults, about a third
// of the whole process's CPU; bench/README.md). PrepareBatchHeap keeps malloc's
// blocks on one heap, advised to use transparent huge pages when the kernel has 2 MB
// blocks free, so that each fault brings 2 MB instead of 4 KB, and keeps freed memory
// for reuse rather than giving it back. Not for long-running commands (serve): the
// heap never shrinks.
#pragma once

#include <cstddef>
#include <string_view>

namespace ngosurvey::cli {

// Grows glibc's main heap by `reserve` bytes (address space; pages are only mapped
// where touched) and sets malloc to serve big blocks from the heap and not to trim
// it. The new range is advised to use transparent huge pages (MADV_HUGEPAGE, used
// when the system's THP setting is "madvise" or "always") only when the kernel's
// buddy allocator holds free 2 MB blocks for twice `expected_peak`, the heap the
// command is expected to need: a fault in an advised range otherwise compacts
// memory synchronously, and such a run took up to twice the median
// (bench/README.md). Call once, early, on the main thread. Does nothing where malloc is not glibc's
// (sanitizers' allocators) or the system refuses; the command works the same either way, only its
// speed differs.
void PrepareBatchHeap(size_t reserve, size_t expected_peak);

// The free memory in blocks of at least 2 MB that /proc/buddyinfo's text shows (rows
// "Node 0, zone Normal c0 c1 ... c10": c_k free blocks of 2^k pages of `page_size`
// bytes), in 2 MB units over every zone; -1 when the text has no such row.
long FreeHugePages(std::string_view buddyinfo, size_t page_size);

}  // namespace ngosurvey::cli
