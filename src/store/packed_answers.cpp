#include "store/packed_answers.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ngosurvey::store::packed {
namespace {

void PutVarint(uint32_t n, std::string* out) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

// Why a varint could not be read; kOk when it was.
enum class VarintProblem : uint8_t { kOk, kTruncated, kTooLong, kTooBig, kOverlong };

// Reads a varint at *p (before `end`), advancing *p. One-byte values take the
// first branch: nearly every length and every state in a blob.
inline VarintProblem ReadVarint(const unsigned char** p, const unsigned char* end, uint32_t* n) {
  const unsigned char* q = *p;
  if (q < end && *q < 0x80) [[likely]] {
    *n = *q;
    *p = q + 1;
    return VarintProblem::kOk;
  }
  uint64_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (q >= end) return VarintProblem::kTruncated;
    unsigned char byte = *q++;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      // A last byte of 0 after others adds nothing: the short form must be used.
      if (byte == 0 && shift > 0) return VarintProblem::kOverlong;
      if (value > UINT32_MAX) return VarintProblem::kTooBig;
      *n = static_cast<uint32_t>(value);
      *p = q;
      return VarintProblem::kOk;
    }
  }
  return VarintProblem::kTooLong;
}

[[gnu::cold, gnu::noinline]] tl::unexpected<Error> Bad(size_t at, const std::string& what) {
  return MakeError("IO105", "packed answers: " + what + " at byte " + std::to_string(at));
}

[[gnu::cold, gnu::noinline]] tl::unexpected<Error> BadVarint(size_t at, const char* what,
                                                             VarintProblem problem) {
  switch (problem) {
    case VarintProblem::kTruncated:
      return Bad(at, std::string("truncated ") + what);
    case VarintProblem::kTooLong:
      return Bad(at, std::string(what) + " longer than 5 bytes");
    case VarintProblem::kTooBig:
      return Bad(at, std::string(what) + " out of range");
    default:
      return Bad(at, std::string(what) + " not in its shortest form");
  }
}

struct Span {
  uint32_t path_start, path_size;
  form::AnswerState state;
  std::string_view value;
};

}  // namespace

void Encode(const Answers& answers, std::string* out) {
  out->push_back(static_cast<char>(kFormatVersion));
  PutVarint(static_cast<uint32_t>(answers.size()), out);
  std::string_view previous;
  for (const auto& [path, answer] : answers) {
    size_t shared = 0;
    size_t limit = std::min(previous.size(), path.size());
    while (shared < limit && previous[shared] == path[shared]) ++shared;
    PutVarint(static_cast<uint32_t>(shared), out);
    PutVarint(static_cast<uint32_t>(path.size() - shared), out);
    out->append(path, shared, std::string::npos);
    out->push_back(static_cast<char>(answer.state));
    PutVarint(static_cast<uint32_t>(answer.value.size()), out);
    out->append(answer.value);
    previous = path;
  }
}

Status Decode(std::string_view blob, std::string* arena, std::vector<AnswerView>* views) {
  arena->clear();
  views->clear();
  const auto* begin = reinterpret_cast<const unsigned char*>(blob.data());
  const unsigned char* end = begin + blob.size();
  const unsigned char* p = begin;
  auto offset = [&](const unsigned char* at) { return static_cast<size_t>(at - begin); };
  if (p == end) return Bad(0, "truncated format version");
  if (*p != kFormatVersion) return Bad(0, "unknown format version " + std::to_string(*p));
  ++p;
  uint32_t count = 0;
  if (auto problem = ReadVarint(&p, end, &count); problem != VarintProblem::kOk)
    return BadVarint(1, "answer count", problem);
  // Each answer takes at least 4 bytes: a count larger than that cannot be right
  // (and must not make us reserve gigabytes).
  if (count > static_cast<size_t>(end - p) / 4) {
    return Bad(1, "answer count " + std::to_string(count) + " larger than the data");
  }
  thread_local std::vector<Span> spans;
  spans.clear();
  spans.reserve(count);
  // Shared prefixes make the paths longer than the blob; a damaged blob must not
  // make them gigabytes (a long path shared by every later one).
  const size_t arena_limit = 64 * blob.size() + (size_t{1} << 20);
  arena->reserve(2 * blob.size());
  uint32_t previous_start = 0, previous_size = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const unsigned char* at = p;
    uint32_t shared = 0, rest_size = 0, value_size = 0;
    if (auto problem = ReadVarint(&p, end, &shared); problem != VarintProblem::kOk) {
      return BadVarint(offset(at), "shared path length", problem);
    }
    if (shared > previous_size) {
      return Bad(offset(at), "answer " + std::to_string(i + 1) + " shares " +
                                 std::to_string(shared) + " bytes with a shorter path");
    }
    const unsigned char* field = p;
    if (auto problem = ReadVarint(&p, end, &rest_size); problem != VarintProblem::kOk) {
      return BadVarint(offset(field), "path length", problem);
    }
    if (rest_size > static_cast<size_t>(end - p)) {
      return Bad(offset(p), "path of " + std::to_string(rest_size) + " bytes runs past the end");
    }
    const unsigned char* rest = p;
    p += rest_size;
    if (p == end) return Bad(offset(p), "truncated answer state");
    unsigned char state = *p++;
    if (state > static_cast<unsigned char>(form::AnswerState::kMissing)) {
      return Bad(offset(p) - 1, "unknown answer state " + std::to_string(state));
    }
    field = p;
    if (auto problem = ReadVarint(&p, end, &value_size); problem != VarintProblem::kOk) {
      return BadVarint(offset(field), "value length", problem);
    }
    if (value_size > static_cast<size_t>(end - p)) {
      return Bad(offset(p), "value of " + std::to_string(value_size) + " bytes runs past the end");
    }
    std::string_view value(reinterpret_cast<const char*>(p), value_size);
    p += value_size;
    // Byte order, with the shared prefix as long as it can be: the path goes on
    // past the shared bytes, and where the previous path goes on too, the first
    // byte after them is larger (equal would have been shared).
    if (rest_size == 0) {
      return Bad(offset(at), i == 0 || shared == previous_size ? "empty or repeated path"
                                                               : "path out of order");
    }
    if (shared < previous_size) {
      auto next = static_cast<unsigned char>((*arena)[previous_start + shared]);
      if (rest[0] == next) return Bad(offset(at), "shared path length not the longest");
      if (rest[0] < next) return Bad(offset(at), "path out of order");
    }
    if (arena->size() + shared + rest_size > arena_limit) {
      return Bad(offset(at), "paths of more than " + std::to_string(arena_limit) + " bytes in all");
    }
    uint32_t start = static_cast<uint32_t>(arena->size());
    arena->append(*arena, previous_start, shared);  // from itself: append copes with that
    arena->append(reinterpret_cast<const char*>(rest), rest_size);
    spans.push_back({start, shared + rest_size, static_cast<form::AnswerState>(state), value});
    previous_start = start, previous_size = shared + rest_size;
  }
  if (p != end) return Bad(offset(p), "bytes after the last answer");
  views->reserve(spans.size());
  for (const Span& s : spans) {
    views->push_back(
        {std::string_view(arena->data() + s.path_start, s.path_size), s.state, s.value});
  }
  return Ok();
}

Result<Answers> DecodeToMap(std::string_view blob) {
  std::string arena;
  std::vector<AnswerView> views;
  NGO_TRY(Decode(blob, &arena, &views));
  Answers answers;
  for (const AnswerView& v : views) {
    answers.emplace_hint(answers.end(), std::string(v.path),
                         form::Answer{std::string(v.value), v.state});
  }
  return answers;
}

}  // namespace ngosurvey::store::packed
