// Files. Reading whole files with a size limit, and writing all-or-nothing:
// output goes to a temporary file in the same folder, is flushed to disk, and is
// renamed over the target, so a reader never sees half a file and a crash leaves
// either the old file or the new one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ngosurvey {

// Default ceiling for ReadFile: files bigger than this are refused with an error
// rather than exhausting memory.
inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t{2} << 30;  // 2 GiB

// Reads the whole file. Errors: "IO001" (cannot open or read), "IO002" (too big).
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = kDefaultMaxFileBytes);

// Writes `contents` to `path` atomically (temporary file + fsync + rename + fsync
// of the folder). On error the target is untouched and no temporary file remains.
// A target that exists and is no regular file (/dev/null, /dev/stdout, a named
// pipe) is written into instead, not replaced: the output is made in the temporary
// folder and copied in (not atomic; nothing to replace). A folder is IO004.
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Like WriteFileAtomic for output produced by a library that writes to a path
// itself (libxlsxwriter, ReadStat): `write` receives the temporary path to fill.
Status WriteFileAtomicWith(const std::string& path,
                           const std::function<Status(const std::string& temp_path)>& write);

// Creates a folder and its parents; succeeds if it exists.
Status MakeDirectories(const std::string& path);

}  // namespace ngosurvey
