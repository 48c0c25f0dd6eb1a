// The binary cache of a loaded CSV, holding the Dataset's columns as they are in
// memory, so that a second load maps the file instead of parsing the CSV. It lives in
// the user's cache folder ($XDG_CACHE_HOME/ngosurvey/, else ~/.cache/ngosurvey/), named
// by a hash of the CSV's absolute path, never beside the data (which may be read-only
// or shared). Format and invalidation rule: docs/formats/ngocache.md.
//
// A cache is used only when everything that went into it is unchanged: the CSV's
// size and modification time, a hash of its first and last 64 KiB, the form file's
// bytes and the load options. Anything else (no file, another version, a bad
// checksum, a truncated file, inconsistent sizes) means the cache is ignored and the
// CSV loaded again; a cache is never partly trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "analysis/csv_load.h"
#include "analysis/dataset.h"
#include "base/diagnostic.h"

namespace ngosurvey::analysis {

// What a cache must match.
struct CacheKey {
  uint64_t csv_size = 0;
  int64_t csv_mtime_ns = 0;
  uint64_t csv_probe = 0;  // hash of the CSV's first and last 64 KiB
  uint64_t inputs = 0;     // hash of the form file's bytes and the load options
};

// The user's cache folder for ngosurvey: $XDG_CACHE_HOME/ngosurvey when that variable
// is an absolute path (the XDG Base Directory rule), else $HOME/.cache/ngosurvey; empty
// when neither is set (then nothing is cached).
std::string DefaultCacheFolder();

// The cache file of `csv_path` in `folder`: NAME-HASH.ngocache, where NAME is the CSV's
// file name and HASH 16 hex digits of the 64-bit FNV-1a hash of its absolute path
// (symbolic links and "." resolved), so that two data files of the same name never
// share a cache and the same file reached by another path does.
std::string CachePathFor(const std::string& csv_path, const std::string& folder);

// The key of `csv_path` loaded with the form file `form_path` and `options`.
// Errors IO001 (a file cannot be read).
Result<CacheKey> ComputeCacheKey(const std::string& csv_path, const std::string& form_path,
                                 const LoadDataOptions& options);

// The cached dataset (its columns view the mapped file) and the load's diagnostics,
// or nullopt when there is no usable cache for `key`.
std::optional<Dataset> ReadCache(const std::string& cache_path, const CacheKey& key,
                                 Diagnostics* diags);

// Writes the cache atomically (temporary file, then rename). Errors IO004.
Status WriteCache(const std::string& cache_path, const CacheKey& key, const Dataset& data,
                  const Diagnostics& diags);

// For the fuzz target and tests of damaged caches: rewrites `bytes` (a whole cache
// file) so that its header names `key` and the file's length and its header and
// metadata checksums are right whatever else it holds, i.e. so that ReadCache reaches
// the metadata and column checks. Inputs shorter than the header are left alone.
void ResealCacheForTesting(std::string* bytes, const CacheKey& key);

struct CachedLoad {
  bool use_cache = true;       // false: neither read nor write a cache (--no-cache)
  std::string folder;          // where caches live; empty: DefaultCacheFolder()
  bool from_cache = false;     // out: the dataset came from the cache
  bool cache_written = false;  // out
};

// LoadCsvFile with the cache: reads CachePathFor(csv_path, folder) when it matches,
// else loads the CSV and writes the cache, creating the folder (not for standard
// input, and silently not when the folder cannot be made or written: the load itself
// has succeeded). A DATA.csv.ngocache beside the data (where earlier versions kept
// it) is never read.
Result<Dataset> LoadCsvWithCache(const form::Form& form, const std::string& form_path,
                                 const std::string& csv_path, const LoadDataOptions& options,
                                 Diagnostics* diags, const CsvLoadSettings& settings,
                                 CachedLoad* cache);

}  // namespace ngosurvey::analysis
