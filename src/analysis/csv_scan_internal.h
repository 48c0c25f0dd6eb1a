// Internal to analysis/csv_load.cpp (one translation unit includes it): record scanning: error
// positions (found as byte offsets, turned into lines only when reported) and the parsing of one
// record into views of its fields, by the rules of csv::RowReader. Header-only so that the loader's
// hot loops inline it as they did when it was part of csv_load.cpp (bench/README.md, csv load).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/csv.h"
#include "base/error.h"
#include "base/text.h"

namespace ngosurvey::analysis::csv_internal {

inline constexpr size_t kNone = static_cast<size_t>(-1);

// Error positions. Errors are found as byte offsets and turned into lines only
// when reported, by the rules of csv::RowReader.

// 1-based line of byte `pos` as csv::RowReader counts: every \n, and outside quotes
// a lone \r.
inline int LineAt(std::string_view data, size_t pos) {
  int line = 1;
  bool quoted = false;
  for (size_t i = 0; i < pos && i < data.size(); ++i) {
    char c = data[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\n') {
      ++line;
    } else if (c == '\r' && !quoted && !(i + 1 < data.size() && data[i + 1] == '\n')) {
      ++line;
    }
  }
  return line;
}

struct CsvError {
  std::string code;
  std::string message;
  size_t line_pos = kNone;  // the byte whose line the error names
  int column = 0;
};

inline Error ToError(const CsvError& e, std::string_view data, const std::string& file) {
  Error error;
  error.code = e.code;
  error.message = e.message;
  error.where.file = file;
  error.where.row = LineAt(data, e.line_pos);
  error.where.column = e.column;
  return error;
}

// UTF-8 check of data[pos, end) continuing from `pos` (always at a character start):
// the offset of the first invalid byte, or kNone; *pos ends at or past `end`.
inline size_t CheckUtf8(std::string_view data, size_t* pos, size_t end) {
  size_t i = *pos;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data.data());
  while (i < end) {
    if (i + 8 <= end) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    size_t before = i;
    char32_t cp = text::DecodeOne(data, &i);
    if (cp == 0xFFFD && i - before != 3) {
      *pos = before;
      return before;
    }
  }
  *pos = i;
  return kNone;
}

inline CsvError Utf8Error(std::string_view data, size_t bad) {
  // Line and column (in code points) as csv::ParseTable's check counts them.
  int line = 1, column = 1;
  for (size_t pos = 0; pos < bad;) {
    char32_t cp = text::DecodeOne(data, &pos);
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  CsvError e;
  e.code = "CSV007";
  e.message =
      "not UTF-8 text (a spreadsheet saved it in another encoding, such as "
      "Windows-1252?); save it as 'CSV UTF-8' and try again";
  e.column = column;
  e.line_pos = static_cast<size_t>(line);  // a line number here, not a position
  return e;
}

// Records. One record is parsed into views of its fields (a field with doubled
// quotes is unescaped into a reused string), as csv::RowReader does.

struct Record {
  std::vector<std::string_view> fields;  // the first `capacity` fields
  std::vector<std::string> unescaped;    // per field, when it had doubled quotes
  size_t count = 0;                      // fields in the record (may exceed fields.size())
};

// Bytes that end or break a bare field.
constexpr auto kSpecial = [] {
  std::array<bool, 256> table{};
  table[','] = table['\n'] = table['\r'] = table['"'] = true;
  return table;
}();

// text::Trim, inline: the same whitespace set.
inline std::string_view FastTrim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Parses the record at *pos (< end) with the defaults of csv::Options. Returns false
// with *error set on malformed input.
inline bool ParseRecord(std::string_view data, size_t* pos, size_t end, Record* record,
                        CsvError* error) {
  const csv::Options defaults;
  const size_t max_field = defaults.max_field_bytes;
  const size_t max_fields = defaults.max_fields_per_row;
  const char* p = data.data();
  size_t i = *pos;
  size_t record_start = i;
  record->count = 0;
  const size_t capacity = record->fields.size();
  while (true) {
    if (record->count >= max_fields) {
      error->code = "CSV004";
      error->message = "more than " + std::to_string(max_fields) + " fields in one row";
      error->line_pos = record_start;
      error->column = static_cast<int>(record->count) + 1;
      return false;
    }
    size_t index = record->count++;
    int column = static_cast<int>(index) + 1;
    std::string_view value;
    if (i < end && p[i] == '"') {
      size_t open = i;
      ++i;
      size_t start = i;
      size_t length = 0;  // unescaped, checked at each quote as RowReader grows its field
      bool doubled = false;
      while (true) {
        const void* q = std::memchr(p + i, '"', end - i);
        if (!q) {
          error->code = "CSV002";
          error->message = "quoted field is never closed";
          error->line_pos = open;
          error->column = column;
          return false;
        }
        size_t quote = static_cast<size_t>(static_cast<const char*>(q) - p);
        if (length + (quote - i) > max_field) {
          error->code = "CSV003";
          error->message = "field longer than " + std::to_string(max_field) + " bytes";
          error->line_pos = open;
          error->column = column;
          return false;
        }
        length += quote - i;
        if (quote + 1 < end && p[quote + 1] == '"') {
          doubled = true;
          length += 1;
          i = quote + 2;
          continue;
        }
        i = quote;
        break;
      }
      size_t close = i;
      std::string_view raw(p + start, close - start);
      if (doubled) {
        std::string scratch;
        std::string* out = index < capacity ? &record->unescaped[index] : &scratch;
        out->clear();
        for (size_t k = 0; k < raw.size(); ++k) {
          out->push_back(raw[k]);
          if (raw[k] == '"') ++k;  // the second quote of a pair
        }
        value = *out;
      } else {
        value = raw;
      }
      i = close + 1;
      if (i < end && p[i] != ',' && p[i] != '\n' && p[i] != '\r') {
        error->code = "CSV008";
        error->message = "text after the closing quote of a quoted field";
        error->line_pos = i;
        error->column = column;
        return false;
      }
    } else {
      size_t start = i;
      while (i < end) {
        char c = p[i];
        if (!kSpecial[static_cast<unsigned char>(c)]) {
          ++i;
          continue;
        }
        if (c == ',' || c == '\n' || c == '\r') break;
        if (c == '"') {
          error->code = "CSV008";
          error->message = "quote inside an unquoted field (quote the whole field)";
          error->line_pos = start;
          error->column = column;
          return false;
        }
        ++i;
      }
      if (i - start > max_field) {
        error->code = "CSV003";
        error->message = "field longer than " + std::to_string(max_field) + " bytes";
        error->line_pos = start;
        error->column = column;
        return false;
      }
      value = std::string_view(p + start, i - start);
    }
    if (index < capacity) record->fields[index] = value;
    if (i >= end) {
      *pos = i;
      return true;
    }
    char c = p[i];
    if (c == ',') {
      ++i;
      continue;
    }
    ++i;
    if (c == '\r' && i < end && p[i] == '\n') ++i;
    *pos = i;
    return true;
  }
}

inline bool IsBlank(const Record& r) {
  return r.count == 1 && (r.fields.empty() || r.fields[0].empty());
}

// The common record: no quote, no lone carriage return, every field bare, 16 bytes
// at a time (SSE2): a mask of the commas and of the other special bytes gives the
// field ends directly. Returns false, having parsed nothing that counts, for any
// record it does not handle (a quote, a lone \r, more than `width` fields, a field
// over the size limit, fewer than 16 bytes to the chunk's end): ParseRecord then
// parses it, with the same result as if it had parsed it from the start.
inline bool FastRecord(std::string_view data, size_t* pos, size_t end, Record* record) {
#if defined(__SSE2__)
  static const size_t max_field = csv::Options{}.max_field_bytes;
  const char* p = data.data();
  const size_t width = record->fields.size();
  size_t i = *pos;
  size_t start = i;  // of the current field
  size_t n = 0;      // fields done
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  // 64 bytes at a time while they last: one mask of commas and one of the other
  // special bytes per 64 bytes (fewer loop exits to mispredict), the field size
  // checked once per record.
  std::string_view* fields = record->fields.data();
  const size_t record_start = i;
  while (i + 64 <= end) {
    uint64_t commas = 0, other = 0;
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16 * k));
      commas |= uint64_t{static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)))}
                << (16 * k);
      other |= uint64_t{static_cast<unsigned>(_mm_movemask_epi8(
                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)),
                                _mm_cmpeq_epi8(v, quote))))}
               << (16 * k);
    }
    uint64_t stop = other & (0 - other);  // the first line end or quote, or 0
    uint64_t before = stop ? commas & (stop - 1) : commas;
    while (before) {
      size_t at = i + static_cast<size_t>(__builtin_ctzll(before));
      before &= before - 1;
      if (n + 1 >= width) return false;
      fields[n++] = std::string_view(p + start, at - start);
      start = at + 1;
    }
    if (stop) {
      size_t at = i + static_cast<size_t>(__builtin_ctzll(stop));
      char c = p[at];
      if (c == '"' || at - record_start > max_field) return false;
      size_t next = at + 1;
      if (c == '\r') {
        if (next >= end || p[next] != '\n') return false;
        ++next;
      }
      fields[n++] = std::string_view(p + start, at - start);
      record->count = n;
      *pos = next;
      return true;
    }
    i += 64;
  }
  if (i - record_start > max_field) return false;
  while (i + 16 <= end) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    unsigned commas = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    unsigned other = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, quote))));
    unsigned stop = other & (0u - other);  // the first line end or quote, or 0
    unsigned before = stop ? commas & (stop - 1) : commas;
    while (before) {
      size_t at = i + static_cast<size_t>(__builtin_ctz(before));
      before &= before - 1;
      if (n + 1 >= width || at - start > max_field) return false;
      record->fields[n++] = std::string_view(p + start, at - start);
      start = at + 1;
    }
    if (stop) {
      size_t at = i + static_cast<size_t>(__builtin_ctz(stop));
      char c = p[at];
      if (c == '"' || at - start > max_field) return false;
      size_t next = at + 1;
      if (c == '\r') {
        if (next >= end || p[next] != '\n') return false;
        ++next;
      }
      record->fields[n++] = std::string_view(p + start, at - start);
      record->count = n;
      *pos = next;
      return true;
    }
    i += 16;
  }
#else
  (void)data, (void)pos, (void)end, (void)record;
#endif
  return false;
}

}  // namespace ngosurvey::analysis::csv_internal
