// A counting replacement of the global operator new, for tests and benchmarks
// that assert or report heap allocations on a hot path (expression evaluation
// must allocate nothing once warm). Include it in exactly ONE translation unit of
// a test or benchmark binary: it defines the program's global operator new and
// delete. Never include it in a library.
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace ngosurvey::alloc_count {
// Allocations through operator new / new[] since the program started.
inline std::atomic<long> g_allocations{0};
}  // namespace ngosurvey::alloc_count

// GCC 12 warns that the inlined free() below releases what "operator new"
// returned; both sides are these replacements, which pair malloc with free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(size_t size) {
  ngosurvey::alloc_count::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  ngosurvey::alloc_count::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's temporary buffer uses one): left to the
// runtime, they would pair its allocation with the free() below, which ASan refuses.
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  ngosurvey::alloc_count::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  ngosurvey::alloc_count::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

#pragma GCC diagnostic pop
