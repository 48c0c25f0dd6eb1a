// Internal to analysis/csv_load.cpp (one translation unit includes it): the value lookup, a cell's
// text to its code, and the reading of numbers. Header-only so that the loader's hot loops inline
// it as they did when it was part of csv_load.cpp (bench/README.md, csv load).
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/dataset.h"

namespace ngosurvey::analysis::csv_internal {

// Value lookup: a cell's text to its code. Keys of up to 8 bytes (every code and
// option name of a typical export) are packed into one integer and found with one
// probe of a collision-free table (its multiplier and size are chosen when it is
// built), so that the hot path is a few loads, a multiply and one compare, without a
// loop or a string comparison; one-byte keys (codes 1-9, options a-z) are one load
// from a table of 256; longer keys go to an ordinary hash map.

class Lookup {
 public:
  static constexpr int kNotFound = -1;
  static constexpr int kRefused = -2;
  static constexpr int kDontKnow = -3;

  // The keys and codes in order, to share one table between columns with the same.
  std::string Signature() const {
    std::string out;
    for (size_t k = 0; k < keys_.size(); ++k)
      out += std::to_string(codes_[k]) + ":" + std::to_string(keys_[k].size()) + ":" + keys_[k];
    return out;
  }

  // Adds a key (the first entry of a key wins, as a linear search would); Build()
  // before the first Find().
  void Add(std::string_view key, int code) {
    if (!long_.emplace(std::string(key), code).second) return;
    keys_.emplace_back(key);
    codes_.push_back(code);
  }

  int Find(std::string_view key) const {
    if (key.size() == 1) return one_byte_[static_cast<unsigned char>(key[0])];
    if (key.size() - 1 < 8) {  // 2..8 bytes (an empty key is never looked up, nor found)
      uint64_t word = Pack(key);
      const Slot& slot = slots_[Index(word, key.size())];
      if (slot.word == word && slot.length == key.size()) return slot.code;
      return perfect_ ? kNotFound : FindLong(key);
    }
    return FindLong(key);
  }

 private:
  struct Slot {
    uint64_t word = 0;             // the key's bytes, little-endian, zero-padded
    uint32_t length = 0xFFFFFFFF;  // no key has this length: an empty slot never matches
    int32_t code = kNotFound;
  };

  // The bytes of a key of 1..8 bytes as an integer, without reading past its end.
  static uint64_t Pack(std::string_view key) {
    const char* p = key.data();
    size_t n = key.size();
    if (n >= 4) {
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);  // overlaps `lo` for n < 8 with the same bytes
      return uint64_t{lo} | uint64_t{hi} << (8 * (n - 4));
    }
    uint64_t word = static_cast<unsigned char>(p[0]);
    if (n >= 2) word |= uint64_t{static_cast<unsigned char>(p[1])} << 8;
    if (n == 3) word |= uint64_t{static_cast<unsigned char>(p[2])} << 16;
    return word;
  }
  size_t Index(uint64_t word, size_t length) const {
    return static_cast<size_t>(((word ^ (length << 59)) * multiplier_) >> shift_);
  }
  int FindLong(std::string_view key) const {
    if (key.empty() || long_.empty()) return kNotFound;
    auto it = long_.find(std::string(key));
    return it == long_.end() ? kNotFound : it->second;
  }

 public:
  // A table of 2^bits slots where the short keys do not collide: bits grows until a
  // multiplier among a few is found (the table stays at most 4x the keys or so). If
  // none is found by 2^16 slots, short keys missing from the table are looked up in
  // the map as well (every key is there).
  void Build() {
    static constexpr uint64_t kMultipliers[] = {0x9E3779B97F4A7C15ULL, 0xBF58476D1CE4E5B9ULL,
                                                0x94D049BB133111EBULL, 0xD6E8FEB86659FD93ULL,
                                                0xFF51AFD7ED558CCDULL, 0xC4CEB9FE1A85EC53ULL};
    one_byte_.fill(kNotFound);
    for (size_t k = 0; k < keys_.size(); ++k) {
      if (keys_[k].size() == 1) one_byte_[static_cast<unsigned char>(keys_[k][0])] = codes_[k];
    }
    size_t short_keys = 0;
    for (const std::string& key : keys_) short_keys += key.size() - 1 < 8;
    int bits = 4;
    while ((size_t{1} << bits) < short_keys * 2) ++bits;
    for (;; ++bits) {
      perfect_ = bits <= 16;
      for (uint64_t multiplier : kMultipliers) {
        multiplier_ = multiplier;
        shift_ = 64 - bits;
        slots_.assign(size_t{1} << bits, Slot{});
        bool clash = false;
        for (size_t k = 0; k < keys_.size() && !clash; ++k) {
          if (keys_[k].size() - 1 >= 8) continue;
          uint64_t word = Pack(keys_[k]);
          Slot& slot = slots_[Index(word, keys_[k].size())];
          if (slot.length != 0xFFFFFFFF) {
            clash = perfect_;  // past 2^16 slots: keep the first key in the slot
            if (clash) break;
            continue;
          }
          slot = Slot{word, static_cast<uint32_t>(keys_[k].size()), codes_[k]};
        }
        if (!clash) {
          BuildCells();
          return;
        }
      }
    }
  }

  // Whole cells of one or two bytes (that need no trimming), to their final byte
  // without a lookup: kSlow where the cell needs the general path (not a key, or a
  // code that does not fit the column). `single` is for select_one columns (the
  // option index, or the refused / don't-know state code); `multi` for
  // select_multiple columns of one plane (the option's bit, or the state code).
  static constexpr uint16_t kSlow = 0x100;
  struct Cells {
    std::array<uint16_t, 256> one;
    std::vector<uint16_t> two;  // indexed by the two bytes, little-endian
  };
  const Cells& single_cells() const { return single_; }
  const Cells& multi_cells() const { return multi_; }
  // Per byte: the bit of the option of that one-byte name in a one-plane
  // select_multiple, 0 when it is not such an option.
  const std::array<uint8_t, 256>& option_bits() const { return bits_; }
  // The longest key: a longer cell is no refused or don't-know code.
  size_t max_key() const { return max_key_; }
  // Whether a key starts with byte `b`: a number cell that starts with no key's first byte
  // (a digit, when the codes are words) is no code, without the lookup (which was 5% of a
  // weighted table's load, a lookup per number: bench/README.md, "Weighted tables").
  bool StartsKey(unsigned char b) const { return first_bytes_[b]; }
  // Whether a key has a space (a select_multiple cell could then be a whole key).
  bool key_with_space() const { return key_with_space_; }

 private:
  void BuildCells() {
    auto single = [](int code) -> uint16_t {
      if (code == kRefused) return kCodeRefused;
      if (code == kDontKnow) return kCodeDontKnow;
      return code >= 0 && code < kMaxSingleOptions ? static_cast<uint16_t>(code) : kSlow;
    };
    auto multi = [](int code) -> uint16_t {
      if (code == kRefused) return kCodeRefused;
      if (code == kDontKnow) return kCodeDontKnow;
      return code >= 0 && code < kOptionsPerPlane ? static_cast<uint16_t>(1u << code) : kSlow;
    };
    single_.one.fill(kSlow);
    multi_.one.fill(kSlow);
    single_.two.assign(size_t{1} << 16, kSlow);
    multi_.two.assign(size_t{1} << 16, kSlow);
    bits_.fill(0);
    first_bytes_.fill(false);
    max_key_ = 0;
    key_with_space_ = false;
    for (size_t k = 0; k < keys_.size(); ++k) {
      const std::string& key = keys_[k];
      max_key_ = std::max(max_key_, key.size());
      if (!key.empty()) first_bytes_[static_cast<unsigned char>(key[0])] = true;
      key_with_space_ |= key.find(' ') != std::string::npos;
      // Find gives the first entry of a key: keys_ holds only first entries.
      int code = codes_[k];
      if (key.size() == 1) {
        unsigned char b = static_cast<unsigned char>(key[0]);
        single_.one[b] = single(code);
        multi_.one[b] = multi(code);
        bits_[b] = code >= 0 && code < kOptionsPerPlane ? static_cast<uint8_t>(1u << code) : 0;
      } else if (key.size() == 2) {
        size_t w = static_cast<unsigned char>(key[0]) |
                   static_cast<size_t>(static_cast<unsigned char>(key[1])) << 8;
        single_.two[w] = single(code);
        multi_.two[w] = multi(code);
      }
    }
  }

  std::vector<std::string> keys_;
  std::vector<int> codes_;
  std::vector<Slot> slots_ = std::vector<Slot>(16);
  uint64_t multiplier_ = 0x9E3779B97F4A7C15ULL;
  int shift_ = 60;
  bool perfect_ = true;
  std::array<int32_t, 256> one_byte_{};        // keys of one byte: their codes, direct
  std::unordered_map<std::string, int> long_;  // every key
  Cells single_, multi_;
  std::array<uint8_t, 256> bits_{};
  std::array<bool, 256> first_bytes_{};
  size_t max_key_ = 0;
  bool key_with_space_ = false;
};

// Clinger's fast path: a plain decimal -?D+(.D+)? with at most 15 digits is an exact
// integer divided by an exact power of ten, and one IEEE division rounds it correctly,
// so the value is the one strtod gives. False for anything else.
inline bool FastDecimal(std::string_view text, double* out) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = 0, n = text.size();
  bool negative = n > 0 && text[0] == '-';
  i = negative ? 1 : 0;
  uint64_t mantissa = 0;
  size_t digits = 0, fraction = 0;
  for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++digits)
    mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
  if (digits == 0) return false;
  if (i < n) {
    if (text[i] != '.') return false;
    ++i;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction)
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
    if (fraction == 0 || i < n) return false;
  }
  if (digits + fraction > 15) return false;
  double value = static_cast<double>(mantissa) / kPowers[fraction];
  *out = negative ? -value : value;
  return true;
}

// strtod's verdict on a trimmed cell as LoadCsvWithForm reads it: *consumed when the
// whole text is a number (what NumericColumn asks), the value in *out.
inline void ParseNumber(std::string_view text, bool* consumed, double* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec == std::errc() && end == text.data() + text.size()) {
    *consumed = true;
    return;
  }
  std::string copy(text);
  char* stop = nullptr;
  *out = std::strtod(copy.c_str(), &stop);
  // As written: strtod skips leading white space, which makes " 12" no number here.
  *consumed = stop == copy.c_str() + copy.size() && !StartsWithSpace(text);
}

}  // namespace ngosurvey::analysis::csv_internal
