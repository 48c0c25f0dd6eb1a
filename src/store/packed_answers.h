// The packed form of a completed submission's answers (schema v3 of the SQLite
// store, docs/formats/sqlite-schema.md "Packed answers"): one byte string per
// submission instead of one database row per answer. Drafts keep one row per answer
// (a save is one small upsert); CompleteSubmission, an import of complete
// submissions and the v2 -> v3 migration write this form.
//
// Encoding, format version 1 (all integers are unsigned LEB128 varints in their
// shortest form, at most 5 bytes, below 2^32):
//   byte    format version (1)
//   varint  answer count N
//   N times, in strictly increasing byte order of path:
//     varint  bytes shared with the previous path (0 for the first; as many as
//             the two paths share, so the encoding of a set of answers is unique)
//     varint  length of the rest of the path, then those bytes
//     byte    state: 0 answered, 1 refused, 2 dont_know, 3 not_asked, 4 missing
//     varint  length of the value, then its bytes
// and nothing after the last answer. Paths are non-empty.
//
// The decoder accepts exactly that and nothing else: any other input (truncated,
// trailing bytes, unknown version or state, a length past the end, a varint not in
// its shortest form, a shared length not the longest, paths out of order or
// repeated, or paths adding up to more than 64 times the blob's size + 1 MiB) is an
// error describing the byte offset, never a crash. So Encode(Decode(b)) == b.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "store/store.h"

namespace ngosurvey::store::packed {

inline constexpr unsigned char kFormatVersion = 1;

// Appends the encoding of `answers` (a map, so sorted and unique) to `out`.
void Encode(const Answers& answers, std::string* out);

// Decodes `blob` into `views` (cleared first). Paths are rebuilt in `arena` and
// values point into `blob`: the views are valid while both live unchanged.
// Error code IO105 with what is wrong and at which byte.
Status Decode(std::string_view blob, std::string* arena, std::vector<AnswerView>* views);

// Decodes `blob` into an Answers map (copies).
Result<Answers> DecodeToMap(std::string_view blob);

}  // namespace ngosurvey::store::packed
