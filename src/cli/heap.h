// The heap of a batch command that builds a large model in memory and exits (form
// xform, form check): most of such a command's kernel time is page faults on memory
// malloc takes from the system (on a 10,000-row form, 11,700 faults, about a third
// of the whole process's CPU; bench/README.md). PrepareBatchHeap keeps malloc's
// blocks on one heap, advised to use transparent huge pages, so that each fault
// brings 2 MB instead of 4 KB, and keeps freed memory for reuse rather than
// giving it back. Not for long-running commands (serve): the heap never shrinks.
#pragma once

#include <cstddef>

namespace ngosurvey::cli {

// Grows glibc's main heap by `bytes` (address space; pages are only mapped where
// touched), advises it to use transparent huge pages (MADV_HUGEPAGE, used when the
// system's THP setting is "madvise" or "always") and sets malloc to serve big blocks
// from the heap and not to trim it. Call once, early, on the main thread. Does
// nothing where malloc is not glibc's (sanitizers' allocators) or the system
// refuses; the command works the same either way, only its speed differs.
void PrepareBatchHeap(size_t bytes);

}  // namespace ngosurvey::cli
