#include "base/text.h"

#include <algorithm>

namespace ngosurvey::text {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Zero-width code points: combining marks in the ranges that matter for the
// scripts ngosurvey renders (Latin diacritics used by Vietnamese, Khmer vowel signs
// and diacritics), plus joiners. A full East Asian Width table is not needed for
// an interview prompt.
bool IsZeroWidth(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) ||  // combining diacritical marks
         (cp >= 0x17B4 && cp <= 0x17D3 && !(cp >= 0x17B6 && cp <= 0x17B6)) ||  // Khmer signs
         cp == 0x17DD || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF ||
         (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

char32_t DecodeOne(std::string_view s, size_t* pos) {
  size_t i = *pos;
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return 0xFFFD;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if (!IsContinuation(cc)) {
      *pos = i + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return 0xFFFD;
  }
  *pos = i + len;
  return cp;
}

bool IsValidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t before = pos;
    char32_t cp = DecodeOne(s, &pos);
    if (cp == 0xFFFD) {
      // A literal U+FFFD is three bytes EF BF BD; a decoding error advances by one.
      if (pos - before != 3) return false;
    }
  }
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  // One append of the whole sequence: push_back per byte checked the capacity each time
  // (the xlsx reader appends a character per reference, 94,000 for a 10,000-row form).
  char bytes[4];
  size_t length = 0;
  if (cp < 0x80) {
    bytes[length++] = static_cast<char>(cp);
  } else if (cp < 0x800) {
    bytes[length++] = static_cast<char>(0xC0 | (cp >> 6));
    bytes[length++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    bytes[length++] = static_cast<char>(0xE0 | (cp >> 12));
    bytes[length++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    bytes[length++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    bytes[length++] = static_cast<char>(0xF0 | (cp >> 18));
    bytes[length++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    bytes[length++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    bytes[length++] = static_cast<char>(0x80 | (cp & 0x3F));
  }
  out->append(bytes, length);
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (size_t pos = 0; pos < s.size(); ++n) DecodeOne(s, &pos);
  return n;
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t pos = 0; pos < s.size();) {
    char32_t cp = DecodeOne(s, &pos);
    if (IsZeroWidth(cp)) continue;
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

// Loops rather than find_first_not_of(" \t\r\n\v\f"): libstdc++'s calls memchr on the
// set once per character tested, and Trim runs on every cell of a form (400,000 calls
// for a 10,000-row form).
bool IsTrimmedSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

}  // namespace

std::string_view Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsTrimmedSpace(s[b])) ++b;
  while (e > b && IsTrimmedSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace ngosurvey::text
