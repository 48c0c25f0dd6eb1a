// .xls reading ([MS-CFB] compound file, [MS-XLS] BIFF8 records, and BIFF5's, Excel 5.0/95,
// as OpenOffice's "Microsoft Excel File Format" documents them). Two passes:
//   1. Here, bounds-checked: the compound file's header, DIFAT, FAT, directory and
//      mini stream give the "Workbook" (or BIFF5's "Book") stream; its records are
//      walked once: BOF (version), FILEPASS (encryption), BOUNDSHEET (sheet names and
//      where each sheet's records start), DIMENSIONS (each sheet's declared size),
//      SST (its string count), BOOLERR (booleans and errors), FORMULA and STRING (the
//      cached values of formulas).
//   2. FreeXL reads the same bytes, through a memfd, for every other cell.
// The first pass refuses what would make FreeXL allocate without bound, so that FreeXL
// only ever sees files within the limits.
#include "form/xls_reader.h"

#include <fmt/format.h>
#include <freexl.h>
#include <iconv.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "base/date.h"
#include "base/text.h"
#include "form/number_format_internal.h"

namespace ngosurvey::form {
namespace {

constexpr std::string_view kCompoundSignature("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
constexpr uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr uint32_t kFreeSector = 0xFFFFFFFF;
constexpr size_t kHeaderBytes = 512;
constexpr size_t kDirectoryEntryBytes = 128;
constexpr uint32_t kMaxRows = 65536;   // BIFF8's sheet
constexpr uint32_t kMaxColumns = 256;  // BIFF8's sheet

// BIFF8 record types read by the first pass (BIFF5 has the same numbers).
constexpr uint16_t kBof = 0x0809;
constexpr uint16_t kEof = 0x000A;
constexpr uint16_t kFilePass = 0x002F;
constexpr uint16_t kBoundSheet = 0x0085;
constexpr uint16_t kDimensions = 0x0200;
constexpr uint16_t kSst = 0x00FC;
constexpr uint16_t kBoolErr = 0x0205;
constexpr uint16_t kFormula = 0x0006;
constexpr uint16_t kString = 0x0207;
constexpr uint16_t kContinue = 0x003C;
constexpr uint16_t kCodePage = 0x0042;
constexpr uint16_t kLabel = 0x0204;
constexpr uint16_t kRString = 0x00D6;

uint16_t U16(std::string_view d, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(d[at]) |
                               (static_cast<uint8_t>(d[at + 1]) << 8));
}
uint32_t U32(std::string_view d, size_t at) {
  return static_cast<uint32_t>(U16(d, at)) | (static_cast<uint32_t>(U16(d, at + 2)) << 16);
}
uint8_t U8(std::string_view d, size_t at) { return static_cast<uint8_t>(d[at]); }

tl::unexpected<Error> Damaged(const std::string& file, std::string_view what) {
  return MakeError("X007", fmt::format("not a readable .xls workbook: {}", what), {file});
}

// A stream of a compound file: its bytes, and where each of its sectors (of `unit`
// bytes) lies in the file, so that a byte of the stream can be changed in the file.
struct Stream {
  std::string bytes;
  size_t unit = 512;
  std::vector<size_t> offsets;

  size_t FileOffset(size_t at) const { return offsets[at / unit] + at % unit; }
};

// The streams of an OLE2 compound file ([MS-CFB] 2.2-2.6), read from memory.
class CompoundFile {
 public:
  CompoundFile(std::string_view data, const std::string& file) : data_(data), file_(file) {}

  // Reads the header, the FAT, the directory and the mini stream.
  Status Open() {
    if (data_.size() < kHeaderBytes) return Damaged(file_, "the file is shorter than its header");
    uint16_t shift = U16(data_, 0x1E);
    if (shift != 9 && shift != 12) {
      return Damaged(file_, fmt::format("sector size 2^{} is not 512 or 4096", shift));
    }
    if (U16(data_, 0x20) != 6) return Damaged(file_, "the mini sector size is not 64");
    sector_bytes_ = size_t{1} << shift;
    if (data_.size() < sector_bytes_) return Damaged(file_, "the file is shorter than a sector");
    sectors_ = data_.size() / sector_bytes_ - 1;  // sector i starts at (i + 1) * size
    NGO_TRY(ReadFat());
    directory_ = NGO_TRY(Chain(fat_, U32(data_, 0x30), nullptr));
    if (directory_.size() < kDirectoryEntryBytes) return Damaged(file_, "no directory");
    if (U8(directory_, 0x42) != 5) return Damaged(file_, "the first directory entry is no root");
    // FreeXL converts every entry's name into a 64-byte buffer: a longer or odd name
    // length overruns it (found by fuzz/xls_fuzzer).
    for (size_t base = 0; base + kDirectoryEntryBytes <= directory_.size();
         base += kDirectoryEntryBytes) {
      uint16_t name_bytes = U16(directory_, base + 0x40);
      if (name_bytes > 64 || name_bytes % 2 != 0) {
        return Damaged(file_, fmt::format("directory entry {} has a name of {} bytes",
                                          base / kDirectoryEntryBytes, name_bytes));
      }
    }
    uint64_t mini_size = Size(0);
    if (mini_size > 0) {
      mini_stream_ = NGO_TRY(Chain(fat_, U32(directory_, 0x74), nullptr, &mini_offsets_));
      if (mini_stream_.size() < mini_size) return Damaged(file_, "the mini stream is truncated");
      mini_stream_.resize(mini_size);
      std::string mini_fat = NGO_TRY(Chain(fat_, U32(data_, 0x3C), nullptr));
      for (size_t at = 0; at + 4 <= mini_fat.size(); at += 4)
        mini_fat_.push_back(U32(mini_fat, at));
    }
    cutoff_ = U32(data_, 0x38);
    return Ok();
  }

  // Every stream named `name` (ASCII, any case).
  Result<std::vector<Stream>> Streams(std::string_view name) const {
    std::vector<Stream> found;
    for (size_t entry = 0; (entry + 1) * kDirectoryEntryBytes <= directory_.size(); ++entry) {
      size_t base = entry * kDirectoryEntryBytes;
      if (U8(directory_, base + 0x42) != 2 || !NameIs(base, name)) continue;
      uint64_t size = Size(entry);
      uint32_t start = U32(directory_, base + 0x74);
      Stream stream;
      if (size < cutoff_) {
        stream.unit = 64;
        stream.bytes = NGO_TRY(MiniChain(start, &stream.offsets));
      } else {
        stream.unit = sector_bytes_;
        stream.bytes = NGO_TRY(Chain(fat_, start, nullptr, &stream.offsets));
      }
      if (stream.bytes.size() < size) {
        return Damaged(file_, fmt::format("the {} stream is truncated", name));
      }
      stream.bytes.resize(size);
      found.push_back(std::move(stream));
    }
    return found;
  }

 private:
  uint64_t Size(size_t entry) const {
    size_t at = entry * kDirectoryEntryBytes + 0x78;
    // Version 3 files may leave garbage in the high half.
    return sector_bytes_ == 512 ? U32(directory_, at)
                                : (uint64_t{U32(directory_, at + 4)} << 32) | U32(directory_, at);
  }

  bool NameIs(size_t base, std::string_view name) const {
    uint16_t bytes = U16(directory_, base + 0x40);
    if (bytes != (name.size() + 1) * 2) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      uint16_t c = U16(directory_, base + 2 * i);
      if (c > 0x7F || text::AsciiLower(std::string(1, static_cast<char>(c))) !=
                          text::AsciiLower(std::string(1, name[i]))) {
        return false;
      }
    }
    return true;
  }

  std::string_view Sector(uint32_t id) const {
    return data_.substr((size_t{id} + 1) * sector_bytes_, sector_bytes_);
  }

  Status ReadFat() {
    std::vector<uint32_t> fat_sectors;
    for (size_t i = 0; i < 109; ++i) fat_sectors.push_back(U32(data_, 0x4C + 4 * i));
    uint32_t difat = U32(data_, 0x44);
    size_t per_sector = sector_bytes_ / 4 - 1;
    for (size_t steps = 0; difat < sectors_; ++steps) {
      if (steps > sectors_) return Damaged(file_, "the DIFAT chain loops");
      std::string_view sector = Sector(difat);
      for (size_t i = 0; i < per_sector; ++i) fat_sectors.push_back(U32(sector, 4 * i));
      difat = U32(sector, 4 * per_sector);
    }
    uint32_t count = U32(data_, 0x2C);
    if (count > sectors_) return Damaged(file_, "more FAT sectors than the file has");
    for (uint32_t id : fat_sectors) {
      if (fat_.size() >= size_t{count} * (sector_bytes_ / 4)) break;
      if (id == kFreeSector) continue;
      if (id >= sectors_) return Damaged(file_, "a FAT sector lies past the end of the file");
      std::string_view sector = Sector(id);
      for (size_t at = 0; at < sector_bytes_; at += 4) fat_.push_back(U32(sector, at));
    }
    return Ok();
  }

  // The sectors of the chain from `start`, concatenated; a loop or a sector past the end
  // is X007.
  Result<std::string> Chain(const std::vector<uint32_t>& fat, uint32_t start,
                            const std::string* mini, std::vector<size_t>* offsets = nullptr) const {
    std::string out;
    size_t unit = mini != nullptr ? 64 : sector_bytes_;
    size_t units = mini != nullptr ? mini->size() / 64 : sectors_;
    size_t steps = 0;
    for (uint32_t id = start; id != kEndOfChain; id = fat[id]) {
      if (id >= units || id >= fat.size()) {
        return Damaged(file_, fmt::format("sector {} lies past the end of the file", id));
      }
      if (++steps > units) return Damaged(file_, "a sector chain loops");
      out.append(mini != nullptr ? std::string_view(*mini).substr(size_t{id} * unit, unit)
                                 : Sector(id));
      if (offsets != nullptr) {
        size_t in_mini = size_t{id} * unit;
        offsets->push_back(mini != nullptr
                               ? mini_offsets_[in_mini / sector_bytes_] + in_mini % sector_bytes_
                               : (size_t{id} + 1) * sector_bytes_);
      }
    }
    return out;
  }

  Result<std::string> MiniChain(uint32_t start, std::vector<size_t>* offsets) const {
    return Chain(mini_fat_, start, &mini_stream_, offsets);
  }

  std::string_view data_;
  const std::string& file_;
  size_t sector_bytes_ = 512;
  size_t sectors_ = 0;
  std::vector<uint32_t> fat_;
  std::vector<uint32_t> mini_fat_;
  std::string directory_;
  std::string mini_stream_;
  std::vector<size_t> mini_offsets_;  // the file offset of each sector of the mini stream
  uint32_t cutoff_ = 4096;
};

// What the first pass learns about one sheet.
struct ScannedSheet {
  std::string name;
  uint32_t offset = 0;      // of its BOF record in the stream
  std::vector<Cell> cells;  // booleans, errors and formulas' cached values
};

// A DIMENSIONS record (the offset of its body in the stream) and the extent of the cells
// its substream really has, which replaces what the record declares.
struct Extent {
  size_t at = 0;
  uint32_t rows = 0;
  uint16_t columns = 0;
};

struct Scan {
  bool date1904 = false;
  bool biff5 = false;                // Excel 5.0/95: DIMENSIONS' rows are 2 bytes
  std::vector<ScannedSheet> sheets;  // in BOUNDSHEET order
  std::vector<Extent> extents;
};

// BIFF8's XLUnicodeString body (after its character count): a flags byte, then the
// characters, 8-bit (Latin-1) or UTF-16LE; rich-text runs and phonetic data are skipped
// by the caller's record length.
void AppendChars(std::string_view body, size_t* at, size_t* left, bool wide, std::string* out) {
  while (*left > 0 && *at + (wide ? 2 : 1) <= body.size()) {
    char32_t c = wide ? U16(body, *at) : U8(body, *at);
    *at += wide ? 2 : 1;
    --*left;
    if (wide && c >= 0xD800 && c < 0xDC00 && *at + 2 <= body.size()) {
      char32_t low = U16(body, *at);
      if (low >= 0xDC00 && low < 0xE000) {
        *at += 2;
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
      }
    }
    if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;  // an unpaired surrogate
    text::AppendUtf8(c, out);
  }
}

// BIFF5's 8-bit text: bytes in the workbook's code page (its CODEPAGE record; Windows-1252
// when there is none), as FreeXL converts its cells, with iconv. A code page iconv does
// not know is read as Latin-1; a byte it cannot convert becomes U+FFFD.
void AppendCodePage(std::string_view bytes, uint16_t code_page, std::string* out) {
  if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) == 0; })) {
    out->append(bytes);
    return;
  }
  std::string name = code_page == 10000  ? "MACINTOSH"
                     : code_page == 367  ? "ASCII"
                     : code_page == 1200 ? "UTF-16LE"  // not in BIFF5; said for completeness
                                         : fmt::format("CP{}", code_page);
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    for (char c : bytes) text::AppendUtf8(static_cast<uint8_t>(c), out);
    return;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    // One byte at a time: BIFF5's Western code pages are single-byte, and a byte iconv
    // refuses is replaced without losing the rest.
    char in = bytes[i];
    char buffer[8];
    char* in_at = &in;
    size_t in_left = 1;
    char* out_at = buffer;
    size_t out_left = sizeof buffer;
    if (iconv(cd, &in_at, &in_left, &out_at, &out_left) == static_cast<size_t>(-1)) {
      iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset the state
      text::AppendUtf8(0xFFFD, out);
    } else {
      out->append(buffer, static_cast<size_t>(out_at - buffer));
    }
  }
  iconv_close(cd);
}

class RecordWalker {
 public:
  RecordWalker(std::string_view stream, const std::string& file, const XlsxOptions& options,
               uint64_t max_cells)
      : s_(stream), file_(file), options_(options), max_cells_(max_cells) {}

  // Long on purpose: one switch over the record types the first pass reads.
  // NOLINTNEXTLINE(readability-function-size)
  Result<Scan> Walk() {
    if (s_.size() < 8) return Damaged(file_, "the Workbook stream is empty");
    uint16_t first = U16(s_, 0);
    if (first == 0x0009 || first == 0x0209 || first == 0x0409) return TooOld("2.x to 4.0", "2-4");
    if (first != kBof) return Damaged(file_, "the Workbook stream does not start with a BOF");
    uint16_t version = U16(s_, 4);
    if (version != 0x0500 && version != 0x0600) return TooOld("before 5.0", "2-4");
    biff5_ = version == 0x0500;
    scan_.biff5 = biff5_;
    ScannedSheet* sheet = nullptr;
    bool pending_string = false;
    uint64_t cells = 0;
    int dimensions_seen = 0;
    size_t dimensions_at = 0;  // 0: none in this substream
    bool in_substream = false;
    int substreams = 0;  // begun so far: the first is the workbook's globals
    size_t sheets_found = 0;
    for (size_t at = 0; at + 4 <= s_.size();) {
      uint16_t id = U16(s_, at), len = U16(s_, at + 2);
      if (at + 4 + len > s_.size()) {
        return Damaged(file_, fmt::format("a record at byte {} of the Workbook stream runs past "
                                          "its end",
                                          at));
      }
      std::string_view r = s_.substr(at + 4, len);
      size_t record_at = at;
      at += 4 + len;
      switch (id) {
        case kFilePass:
          return MakeError("X008",
                           "the .xls workbook is encrypted (password-protected); open it with "
                           "its password and save it without one",
                           {file_});
        case kBof:
          // FreeXL reads a BOF before the EOF of the substream before it into the wrong
          // sheet and leaks its cells (found by fuzz/xls_fuzzer).
          if (in_substream) return Damaged(file_, "a sheet's records do not end with an EOF");
          in_substream = true;
          ++substreams;
          worksheet_ = len >= 4 && U16(r, 2) == 0x0010;
          sheet = nullptr;
          dimensions_seen = 0;
          for (ScannedSheet& candidate : scan_.sheets) {
            if (candidate.offset == record_at && record_at != 0) {
              sheet = &candidate;
              ++sheets_found;
            }
          }
          break;
        case kEof:
          NGO_TRY(EndSubstream(sheet, &dimensions_at, &cells));
          in_substream = false;
          sheet = nullptr;
          // After the last sheet: what follows (padding) is not read, by FreeXL either.
          if (sheets_found == scan_.sheets.size()) at = s_.size();
          break;
        case 0x00E0:  // XF: its number format
          if (len >= 4) xf_formats_.push_back(U16(r, 2));
          break;
        case kCodePage:
          if (len >= 2) code_page_ = U16(r, 0);
          break;
        case 0x041E:  // FORMAT: a custom number format
          // FreeXL copies as many characters as the record says it has (found by
          // fuzz/xls_fuzzer): one that runs past its record is refused here.
          if (!TextFits(r, 2, biff5_ ? 1 : 2)) return Overrun("FORMAT", record_at);
          if (biff5_ && len >= 3) {  // its index, then a byte string
            std::string code;
            AppendCodePage(r.substr(3, U8(r, 2)), code_page_, &code);
            custom_formats_.emplace_back(U16(r, 0), std::move(code));
          } else if (len >= 5) {
            std::string code;
            size_t left = U16(r, 2);
            size_t chars_at = 5;
            AppendChars(r, &chars_at, &left, (U8(r, 4) & 1) != 0, &code);
            custom_formats_.emplace_back(U16(r, 0), std::move(code));
          }
          break;
        case 0x0022:  // DATEMODE
          if (len >= 2) scan_.date1904 = U16(r, 0) == 1;
          break;
        case kBoundSheet:
          // The globals' record: one elsewhere would also move the sheets that `sheet`
          // points into (found by fuzz/xls_fuzzer).
          if (!in_substream || substreams != 1) {
            return Damaged(file_, fmt::format("a BOUNDSHEET record at byte {} of the Workbook "
                                              "stream, outside the workbook's globals",
                                              record_at));
          }
          if (!TextFits(r, 6, /*count_bytes=*/1)) return Overrun("BOUNDSHEET", record_at);
          if (len >= (biff5_ ? 7 : 8)) scan_.sheets.push_back(BoundSheet(r));
          break;
        case kLabel:
        case kRString:
          // BIFF5's text cells: a byte string whose length FreeXL trusts; one that runs past
          // its record is refused here.
          if (biff5_ && (len < 8 || size_t{8} + U16(r, 6) > len)) {
            return Damaged(file_, fmt::format("a text cell's record at byte {} of the Book "
                                              "stream is shorter than its text",
                                              record_at));
          }
          break;
        case 0x0000:
          // BIFF2's DIMENSIONS number, which FreeXL reads as one whatever the version: it
          // allocates the sheet's cells again and loses the first ones (found by
          // fuzz/xls_fuzzer). No writer puts a record of type 0 in a substream.
          if (in_substream) {
            return Damaged(file_, fmt::format("a record of type 0 at byte {} of the Workbook "
                                              "stream, inside a sheet",
                                              record_at));
          }
          break;
        case kDimensions:
          // FreeXL allocates a sheet's cells at each DIMENSIONS and loses the previous
          // ones (found by fuzz/xls_fuzzer): one per substream, as Excel writes.
          if (++dimensions_seen > 1) {
            return Damaged(file_, "a sheet has two DIMENSIONS records");
          }
          // BIFF8's rows are 4 bytes (14 in all), BIFF5's 2 (10).
          if (len >= (biff5_ ? 10 : 14)) dimensions_at = record_at + 4;
          break;
        case kSst:
          if (len >= 8 && U32(r, 4) > s_.size() / 3 + 1) {
            return Damaged(file_, fmt::format("the shared string table claims {} strings in a "
                                              "stream of {} bytes",
                                              U32(r, 4), s_.size()));
          }
          break;
        case kBoolErr:
          if (len >= 8 && sheet != nullptr) {
            bool error = U8(r, 7) != 0;
            Add(sheet, U16(r, 0), U16(r, 2), error ? CellKind::kError : CellKind::kBoolean,
                U8(r, 6));
          }
          break;
        case kFormula:
          pending_string = false;
          if (len >= 14 && sheet != nullptr) pending_string = Formula(r, sheet);
          break;
        case kString:
          if (pending_string && sheet != nullptr && len >= 3) {
            NGO_TRY(FormulaString(r, at, sheet));
          }
          pending_string = false;
          break;
        default:
          break;
      }
      CellExtent(id, r);
    }
    NGO_TRY(EndSubstream(sheet, &dimensions_at, &cells));
    // FreeXL finds each sheet where its BOUNDSHEET says; so must this pass, or it has
    // not seen (nor checked) what FreeXL will read.
    if (sheets_found != scan_.sheets.size()) {
      return Damaged(file_, "a sheet's records are not where the workbook says they start");
    }
    return std::move(scan_);
  }

 private:
  tl::unexpected<Error> TooOld(std::string_view excel, std::string_view biff) const {
    return MakeError("X009",
                     fmt::format("the workbook is in the file format of Excel {} (BIFF{}), which "
                                 "is not read: save it as .xlsx (or as Excel 97-2003 .xls)",
                                 excel, biff),
                     {file_});
  }

  // Whether the text of record `r` whose character count (of `count_bytes` bytes) is at
  // `count_at` lies inside the record: BIFF5's bytes right after the count; BIFF8's
  // XLUnicodeString, a flags byte, then a run count (rich text) and a phonetic size when
  // its flags say so, then the characters, one or two bytes each. A record too short to
  // hold the count is left to the cases' own length checks.
  bool TextFits(std::string_view r, size_t count_at, size_t count_bytes = 2) const {
    if (r.size() < count_at + count_bytes) return true;
    size_t chars = count_bytes == 1 ? U8(r, count_at) : U16(r, count_at);
    size_t at = count_at + count_bytes;
    if (biff5_) return at + chars <= r.size();
    if (at >= r.size()) return chars == 0;
    uint8_t flags = U8(r, at);
    at += 1 + ((flags & 0x08) != 0 ? 2 : 0) + ((flags & 0x04) != 0 ? 4 : 0);
    return at + chars * ((flags & 0x01) != 0 ? 2 : 1) <= r.size();
  }

  tl::unexpected<Error> Overrun(std::string_view record, size_t record_at) const {
    return Damaged(file_, fmt::format("a {} record at byte {} of the Workbook stream is shorter "
                                      "than its text",
                                      record, record_at));
  }

  ScannedSheet BoundSheet(std::string_view r) const {
    ScannedSheet sheet;
    sheet.offset = U32(r, 0);
    if (biff5_) {  // the name: a byte count, then bytes in the code page
      AppendCodePage(r.substr(7, U8(r, 6)), code_page_, &sheet.name);
      return sheet;
    }
    size_t left = U8(r, 6);
    size_t at = 8;
    AppendChars(r, &at, &left, (U8(r, 7) & 1) != 0, &sheet.name);
    return sheet;
  }

  // Widens the substream's extent to the cell of a cell record.
  void CellExtent(uint16_t id, std::string_view r) {
    uint16_t last_column = 0;
    switch (id) {
      case 0x0201:  // BLANK
      case 0x0203:  // NUMBER
      case 0x0204:  // LABEL
      case kBoolErr:
      case kFormula:
      case 0x027E:  // RK
      case 0x00FD:  // LABELSST
      case 0x00D6:  // RSTRING
        if (r.size() < 4) return;
        last_column = U16(r, 2);
        break;
      case 0x00BD:  // MULRK
      case 0x00BE:  // MULBLANK
        if (r.size() < 6) return;
        last_column = U16(r, r.size() - 2);
        break;
      default:
        return;
    }
    rows_ = std::max<uint32_t>(rows_, uint32_t{U16(r, 0)} + 1);
    columns_ = std::max<uint32_t>(columns_, std::min<uint32_t>(last_column, kMaxColumns - 1) + 1);
  }

  // At a substream's end: its DIMENSIONS record is to say the extent of its cells (what
  // FreeXL allocates, 16 bytes a cell), within the limit for all sheets together.
  Status EndSubstream(const ScannedSheet* sheet, size_t* dimensions_at, uint64_t* cells) {
    uint32_t rows = rows_;
    uint32_t columns = columns_;
    rows_ = columns_ = 0;
    bool worksheet = worksheet_;
    worksheet_ = false;
    // FreeXL misreads a worksheet without one and leaks (found by fuzz/xls_fuzzer);
    // every writer writes it.
    if (*dimensions_at == 0 && worksheet && sheet != nullptr) {
      return Damaged(file_, fmt::format("the sheet \"{}\" has no DIMENSIONS record", sheet->name));
    }
    if (*dimensions_at == 0) return Ok();
    scan_.extents.push_back(Extent{*dimensions_at, rows, static_cast<uint16_t>(columns)});
    *dimensions_at = 0;
    *cells += uint64_t{rows} * columns;
    if (*cells <= max_cells_) return Ok();
    Location where{file_};
    if (sheet != nullptr) where.sheet = sheet->name;
    return MakeError("X010",
                     fmt::format("the sheets' cells span {} cells in all (rows times columns, "
                                 "from A1 to the last cell of each sheet), more than the limit "
                                 "of {}",
                                 *cells, max_cells_),
                     where);
  }

  void Add(ScannedSheet* sheet, uint16_t row, uint16_t column, CellKind kind, double number) {
    if (column >= kMaxColumns) return;
    Cell cell;
    cell.row = row + 1;
    cell.column = column + 1;
    cell.kind = kind;
    cell.number = number;
    if (kind == CellKind::kBoolean) {
      cell.number = number != 0 ? 1 : 0;
      cell.value = number != 0 ? "TRUE" : "FALSE";
    } else if (kind == CellKind::kDate) {
      cell.value = FormatNumber(number);  // the caller writes the date
    } else if (kind == CellKind::kError) {
      cell.value = fmt::format("{}", static_cast<int>(number));  // xlrd's value, as pyxform
    } else {
      cell.value = FormatNumber(number);
    }
    sheet->cells.push_back(std::move(cell));
  }

  // The date style of cell format (XF) `xf`, from its number format.
  DateStyle StyleOf(uint16_t xf) const {
    if (xf >= xf_formats_.size()) return DateStyle::kNone;
    uint16_t format = xf_formats_[xf];
    for (const auto& [id, code] : custom_formats_) {
      if (id == format) return ClassifyFormatCode(code);
    }
    return ClassifyBuiltin(format);
  }

  // The cached result of a FORMULA record; true when it is text, in the STRING record
  // that follows.
  bool Formula(std::string_view r, ScannedSheet* sheet) {
    uint16_t row = U16(r, 0), column = U16(r, 2);
    if (U16(r, 12) != 0xFFFF) {
      double value;
      std::memcpy(&value, r.data() + 6, sizeof value);  // little-endian IEEE 754
      if (!std::isfinite(value)) return false;
      DateStyle style = StyleOf(U16(r, 4));
      if (style != DateStyle::kNone && value >= 0 && value < 2958466) {
        // A date as xlrd reads it (a formula such as NOW() in the settings' version),
        // written as the .xlsx reader writes dates.
        Add(sheet, row, column, CellKind::kDate, value);
        sheet->cells.back().value = SerialToIso(value, scan_.date1904, style == DateStyle::kTime);
        return false;
      }
      Add(sheet, row, column, CellKind::kNumber, value);
      return false;
    }
    switch (U8(r, 6)) {
      case 0:
        formula_row_ = row;
        formula_column_ = column;
        return true;
      case 1:
        Add(sheet, row, column, CellKind::kBoolean, U8(r, 8));
        return false;
      case 2:
        Add(sheet, row, column, CellKind::kError, U8(r, 8));
        return false;
      default:  // 3: an empty string
        return false;
    }
  }

  // A STRING record (a formula's text result), continued by CONTINUE records that each
  // start with a new flags byte. `next` is the offset of the record after it.
  Status FormulaString(std::string_view r, size_t next, ScannedSheet* sheet) {
    size_t left = U16(r, 0);
    size_t at = 3;
    std::string value;
    if (biff5_) {  // a byte count, then bytes in the code page (never continued)
      AppendCodePage(r.substr(2, left), code_page_, &value);
      left = 0;
    } else {
      AppendChars(r, &at, &left, (U8(r, 2) & 1) != 0, &value);
    }
    while (left > 0 && next + 5 <= s_.size() && U16(s_, next) == kContinue) {
      uint16_t len = U16(s_, next + 2);
      if (len < 1 || next + 4 + len > s_.size()) break;
      std::string_view body = s_.substr(next + 4, len);
      size_t body_at = 1;
      AppendChars(body, &body_at, &left, (U8(body, 0) & 1) != 0, &value);
      next += 4 + len;
    }
    if (value.size() > options_.max_cell_bytes) {
      Location where{file_};
      where.sheet = sheet->name;
      where.row = formula_row_ + 1;
      where.column = formula_column_ + 1;
      return MakeError("X005",
                       fmt::format("cell value is longer than {} bytes", options_.max_cell_bytes),
                       where);
    }
    if (value.empty() || formula_column_ >= kMaxColumns) return Ok();
    Cell cell;
    cell.row = formula_row_ + 1;
    cell.column = formula_column_ + 1;
    cell.value = std::move(value);
    sheet->cells.push_back(std::move(cell));
    return Ok();
  }

  std::string_view s_;
  const std::string& file_;
  const XlsxOptions& options_;
  uint64_t max_cells_;
  Scan scan_;
  uint32_t rows_ = 0, columns_ = 0;   // the extent of the substream's cells so far
  std::vector<uint16_t> xf_formats_;  // XF index -> number format id
  std::vector<std::pair<uint16_t, std::string>> custom_formats_;  // FORMAT records
  bool worksheet_ = false;                                        // the substream is a worksheet's
  bool biff5_ = false;                                            // Excel 5.0/95's records
  uint16_t code_page_ = 1252;                                     // BIFF5's 8-bit text (CODEPAGE)
  uint16_t formula_row_ = 0, formula_column_ = 0;
};

// The bytes as a file FreeXL can open by name: an anonymous memory file.
class MemoryFile {
 public:
  MemoryFile() = default;
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() {
    if (fd_ >= 0) close(fd_);
  }

  Status Write(std::string_view data, const std::string& file) {
    fd_ = memfd_create("ngosurvey-xls", MFD_CLOEXEC);
    if (fd_ < 0) return Damaged(file, fmt::format("memfd_create: {}", std::strerror(errno)));
    for (size_t done = 0; done < data.size();) {
      ssize_t n = write(fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Damaged(file, fmt::format("memfd write: {}", std::strerror(errno)));
      done += static_cast<size_t>(n);
    }
    path_ = fmt::format("/proc/self/fd/{}", fd_);
    return Ok();
  }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

class FreexlHandle {
 public:
  FreexlHandle() = default;
  FreexlHandle(const FreexlHandle&) = delete;
  FreexlHandle& operator=(const FreexlHandle&) = delete;
  ~FreexlHandle() {
    if (handle_ != nullptr) freexl_close(handle_);
  }
  const void** out() { return &handle_; }
  const void* get() const { return handle_; }

 private:
  const void* handle_ = nullptr;
};

std::string FreexlReason(int code) {
  switch (code) {
    case FREEXL_INSUFFICIENT_MEMORY:
      return "out of memory";
    case FREEXL_FILE_NOT_FOUND:
      return "FreeXL cannot open the in-memory copy (is /proc mounted?)";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
      return "the compound file header is invalid";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
      return "the file is truncated";
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
      return "a sector chain of the compound file is broken";
    case FREEXL_BIFF_INVALID_BOF:
      return "a BOF record is invalid";
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
      return "the shared string table is invalid";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "the compound file holds no Workbook stream (another Office document?)";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
      return "a text cannot be converted to UTF-8";
    case FREEXL_ILLEGAL_CELL_ROW_COL:
      return "a cell lies outside its sheet's declared size";
    case FREEXL_CRAFTED_FILE:
      return "the file is severely corrupted";
    default:
      return fmt::format("FreeXL error {}", code);
  }
}

// Days since 1970-01-01 to the workbook's date serial (inverse of SerialToIso's).
double SerialOfDays(int64_t days, bool date1904) {
  if (date1904) return static_cast<double>(days + 24107);
  int64_t serial = days + 25569;
  return static_cast<double>(serial < 61 ? serial - 1 : serial);
}

std::optional<int> SecondsOfTime(std::string_view t) {
  if (t.size() != 8 || t[2] != ':' || t[5] != ':') return std::nullopt;
  int parts[3];
  for (int i = 0; i < 3; ++i) {
    char a = t[3 * i], b = t[3 * i + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    parts[i] = (a - '0') * 10 + (b - '0');
  }
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

// A FreeXL date, date-time or time text ("2024-03-01", "2024-03-01 08:30:00",
// "08:30:00") as the .xlsx reader writes dates, with its serial.
bool DateCell(const FreeXL_CellValue& v, bool date1904, Cell* cell) {
  std::string_view t = v.value.text_value != nullptr ? v.value.text_value : "";
  double serial = 0;
  if (v.type == FREEXL_CELL_TIME) {
    auto seconds = SecondsOfTime(t);
    if (!seconds) return false;
    serial = *seconds / 86400.0;
  } else {
    auto days = date::ParseIsoDate(t.substr(0, 10));
    if (!days) return false;
    serial = SerialOfDays(*days, date1904);
    if (v.type == FREEXL_CELL_DATETIME) {
      if (t.size() != 19 || t[10] != ' ') return false;
      auto seconds = SecondsOfTime(t.substr(11));
      if (!seconds) return false;
      serial += *seconds / 86400.0;
    }
  }
  cell->kind = CellKind::kDate;
  cell->number = serial;
  cell->value = SerialToIso(serial, date1904, v.type == FREEXL_CELL_TIME);
  return true;
}

class SheetBuilder {
 public:
  SheetBuilder(const void* handle, const std::string& file, const XlsxOptions& options,
               bool date1904)
      : handle_(handle), file_(file), options_(options), date1904_(date1904) {}

  // The cells of the active sheet, FreeXL's merged with the first pass's `extra`.
  Status Read(Sheet* sheet, std::vector<Cell> extra) {
    unsigned int rows = 0;
    unsigned short columns = 0;
    int rc = freexl_worksheet_dimensions(handle_, &rows, &columns);
    if (rc != FREEXL_OK) return Damaged(file_, FreexlReason(rc));
    auto by_place = [](const Cell& a, const Cell& b) {
      return a.row != b.row ? a.row < b.row : a.column < b.column;
    };
    std::sort(extra.begin(), extra.end(), by_place);
    std::vector<Cell> cells;
    for (unsigned int r = 0; r < rows && r < kMaxRows; ++r) {
      for (unsigned short c = 0; c < columns && c < kMaxColumns; ++c) {
        Cell cell;
        cell.row = static_cast<int>(r) + 1;
        cell.column = c + 1;
        if (std::binary_search(extra.begin(), extra.end(), cell, by_place)) continue;
        NGO_TRY(ReadCell(sheet->name, r, c, &cell));
        if (!cell.value.empty()) cells.push_back(std::move(cell));
      }
    }
    cells.insert(cells.end(), std::make_move_iterator(extra.begin()),
                 std::make_move_iterator(extra.end()));
    std::sort(cells.begin(), cells.end(), by_place);
    for (Cell& cell : cells) {
      if (sheet->rows.empty() || sheet->rows.back().number != cell.row) {
        sheet->rows.push_back(Row{cell.row, {}});
      }
      sheet->rows.back().cells.push_back(std::move(cell));
    }
    sheet->loaded = true;
    return Ok();
  }

 private:
  Status ReadCell(const std::string& sheet, unsigned int r, unsigned short c, Cell* cell) const {
    FreeXL_CellValue v;
    Location where{file_};
    where.sheet = sheet;
    where.row = cell->row;
    where.column = cell->column;
    int rc = freexl_get_cell_value(handle_, r, c, &v);
    if (rc != FREEXL_OK) {
      return MakeError("X007", fmt::format("not a readable .xls workbook: {}", FreexlReason(rc)),
                       where);
    }
    switch (v.type) {
      case FREEXL_CELL_INT:
        cell->kind = CellKind::kNumber;
        cell->number = v.value.int_value;
        cell->value = FormatNumber(cell->number);
        return Ok();
      case FREEXL_CELL_DOUBLE:
        cell->kind = CellKind::kNumber;
        cell->number = v.value.double_value;
        cell->value = FormatNumber(cell->number);
        return Ok();
      case FREEXL_CELL_TEXT:
      case FREEXL_CELL_SST_TEXT: {
        std::string_view t = v.value.text_value != nullptr ? v.value.text_value : "";
        if (t.size() > options_.max_cell_bytes) {
          return MakeError(
              "X005", fmt::format("cell value is longer than {} bytes", options_.max_cell_bytes),
              where);
        }
        if (!text::IsValidUtf8(t)) {
          return MakeError("X007", "not a readable .xls workbook: a text is not valid UTF-8",
                           where);
        }
        cell->kind = CellKind::kString;
        cell->value = std::string(t);
        return Ok();
      }
      case FREEXL_CELL_DATE:
      case FREEXL_CELL_DATETIME:
      case FREEXL_CELL_TIME:
        if (!DateCell(v, date1904_, cell)) {
          return MakeError("X007", "not a readable .xls workbook: a date cell is out of range",
                           where);
        }
        return Ok();
      default:  // FREEXL_CELL_NULL
        return Ok();
    }
  }

  const void* handle_;
  const std::string& file_;
  const XlsxOptions& options_;
  bool date1904_;
};

// The first pass over `data`; `patched` receives the bytes FreeXL is to read: `data`
// with each sheet's DIMENSIONS record saying the extent of its cells.
Result<Scan> FirstPass(std::string_view data, const std::string& file, const XlsxOptions& options,
                       uint64_t max_cells, std::string* patched) {
  CompoundFile cfb(data, file);
  NGO_TRY(cfb.Open());
  std::vector<Stream> streams = NGO_TRY(cfb.Streams("Workbook"));
  // Excel 5.0/95 names its stream "Book"; FreeXL reads a "Workbook" first, as here.
  if (streams.empty()) streams = NGO_TRY(cfb.Streams("Book"));
  if (streams.empty()) {
    return Damaged(file, "the compound file holds no Workbook stream (another Office document?)");
  }
  // FreeXL reads one of them: every one is checked and patched.
  patched->assign(data);
  Scan scan;
  for (size_t i = 0; i < streams.size(); ++i) {
    Scan one = NGO_TRY(RecordWalker(streams[i].bytes, file, options, max_cells).Walk());
    for (const Extent& extent : one.extents) {
      // DIMENSIONS: first row, last row + 1 (4 bytes each in BIFF8, 2 in BIFF5), first
      // column (2), last column + 1 (2).
      if (one.biff5 && extent.rows > 0xFFFF) {
        return Damaged(file, "a sheet of an Excel 5.0/95 workbook has more than 65,535 rows");
      }
      const size_t row_bytes = one.biff5 ? 2 : 4;
      std::vector<uint8_t> body(2 * row_bytes + 4, 0);
      for (size_t b = 0; b < row_bytes; ++b) {
        body[row_bytes + b] = static_cast<uint8_t>(extent.rows >> (8 * b));
      }
      body[2 * row_bytes + 2] = static_cast<uint8_t>(extent.columns & 0xFF);
      body[2 * row_bytes + 3] = static_cast<uint8_t>(extent.columns >> 8);
      for (size_t b = 0; b < body.size(); ++b) {
        (*patched)[streams[i].FileOffset(extent.at + b)] = static_cast<char>(body[b]);
      }
    }
    if (i == 0) scan = std::move(one);
  }
  return scan;
}

}  // namespace

bool IsCompoundFile(std::string_view data) { return data.substr(0, 8) == kCompoundSignature; }

Result<Workbook> ReadXls(std::string_view data, const std::string& file_name,
                         const XlsxOptions& options, uint64_t max_cells) {
  if (!IsCompoundFile(data)) {
    return Damaged(file_name, "it does not start with the OLE2 signature of Excel 97-2003 files");
  }
  std::string patched;
  Scan scan = NGO_TRY(FirstPass(data, file_name, options, max_cells, &patched));
  MemoryFile file;
  NGO_TRY(file.Write(patched, file_name));
  FreexlHandle xls;
  int rc = freexl_open(file.path().c_str(), xls.out());
  if (rc != FREEXL_OK) return Damaged(file_name, FreexlReason(rc));
  unsigned int info = 0;
  if (freexl_get_info(xls.get(), FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED) {
    return MakeError("X008",
                     "the .xls workbook is encrypted (password-protected); open it with its "
                     "password and save it without one",
                     {file_name});
  }
  bool date1904 = scan.date1904;
  if (freexl_get_info(xls.get(), FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK) {
    date1904 = info == FREEXL_BIFF_DATEMODE_1904;
  }
  unsigned int count = 0;
  rc = freexl_get_info(xls.get(), FREEXL_BIFF_SHEET_COUNT, &count);
  if (rc != FREEXL_OK) return Damaged(file_name, FreexlReason(rc));

  Workbook workbook;
  workbook.file = file_name;
  for (unsigned int i = 0; i < count && i < 0xFFFF; ++i) {
    const char* name = nullptr;
    rc = freexl_get_worksheet_name(xls.get(), static_cast<unsigned short>(i), &name);
    if (rc != FREEXL_OK) return Damaged(file_name, FreexlReason(rc));
    Sheet sheet;
    sheet.name = name != nullptr ? name : "";
    workbook.sheets.push_back(std::move(sheet));
  }
  bool lone = options.read_lone_sheet && workbook.sheets.size() == 1;
  for (size_t i = 0; i < workbook.sheets.size(); ++i) {
    Sheet& sheet = workbook.sheets[i];
    if (!lone && options.want_sheet && !options.want_sheet(sheet.name)) continue;
    rc = freexl_select_active_worksheet(xls.get(), static_cast<unsigned short>(i));
    if (rc != FREEXL_OK) return Damaged(file_name, FreexlReason(rc));
    std::vector<Cell> extra;
    for (ScannedSheet& scanned : scan.sheets) {
      if (scanned.name == sheet.name) extra = std::move(scanned.cells);
    }
    NGO_TRY(SheetBuilder(xls.get(), file_name, options, date1904).Read(&sheet, std::move(extra)));
  }
  return workbook;
}

Result<Workbook> ReadWorkbook(std::string_view data, const std::string& file_name,
                              const XlsxOptions& options) {
  if (IsCompoundFile(data)) return ReadXls(data, file_name, options);
  std::string lower = text::AsciiLower(file_name);
  if (lower.size() >= 4 && lower.compare(lower.size() - 4, 4, ".xls") == 0 &&
      data.substr(0, 4) != std::string_view("PK\x03\x04", 4)) {
    return Damaged(file_name,
                   "it does not start with the OLE2 signature of Excel 97-2003 files (a file "
                   "of another kind renamed .xls?)");
  }
  return ReadXlsx(data, file_name, options);
}

}  // namespace ngosurvey::form
