#include "analysis/csv_load.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analysis/csv_input_internal.h"
#include "analysis/csv_lookup_internal.h"
#include "analysis/csv_scan_internal.h"
#include "base/file.h"
#include "base/text.h"
#include "form/columns.h"
#include "form/expr/expr.h"

namespace ngosurvey::analysis {
namespace {

using form::Question;
using form::QuestionType;
// The pieces the loader is built from (csv_*_internal.h).
using csv_internal::CheckUtf8;
using csv_internal::CsvError;
using csv_internal::FastDecimal;
using csv_internal::FastRecord;
using csv_internal::Input;
using csv_internal::IsBlank;
using csv_internal::kNone;
using csv_internal::LineAt;
using csv_internal::Lookup;
using csv_internal::ParseNumber;
using csv_internal::ParseRecord;
using csv_internal::Record;
using csv_internal::ToError;
using csv_internal::Utf8Error;

// The value of a missing number, as ColumnBuilder stores it.
const double kNaN = std::nan("");

// ---------------------------------------------------------------------------
// The plan: which CSV field goes to which column.

struct Target {
  std::string name;
  const Question* question = nullptr;  // null for an extra grouping column
  size_t field = 0;
  ColumnKind kind = ColumnKind::kSingle;
  bool numeric_candidate = false;  // a calculate kept only if every value is a number
  std::vector<std::string> options, option_labels;
  const Lookup* lookup = nullptr;  // shared by columns with the same codes
  std::vector<form::expr::BoundExpr> relevance;
  Diagnostics relevance_diags;  // D006 warnings of this target's relevance
  // Output: the column's values in the loader's arena (ColumnArena), written row by
  // row; Finish makes `column` from them.
  std::vector<uint8_t*> planes;  // kSingle of one byte: 1; kMulti: one per 7 options
  uint16_t* codes16 = nullptr;   // kSingle of 2 bytes (SingleCodeWidth)
  uint32_t* codes32 = nullptr;   // kSingle of 4 bytes
  double* numbers = nullptr;     // kNumber
  uint8_t* states = nullptr;     // kNumber
  // A numeric question loaded as codes of its values (LoadedAsIdentifier): each chunk numbers
  // the texts it meets (TargetResult::ids) and writes their chunk-local codes here, 16 bits a
  // row (a chunk with more texts than that keeps its codes in ids.wide), which
  // IdentifierCodes turns into the column's codes.
  bool identifier = false;
  uint16_t* local16 = nullptr;
  Column column;

  // A kSingle code in its column's width, from its wide form (Column::SingleCode: an
  // option index, or 0xFFFFFF00 | the state code, which every width truncates to its own).
  void StoreSingle(size_t at, uint32_t code) const {
    if (!planes.empty()) {
      planes[0][at] = static_cast<uint8_t>(code);
    } else if (codes16) {
      codes16[at] = static_cast<uint16_t>(code);
    } else {
      codes32[at] = code;
    }
  }
};

// The wide form of a non-answer's byte code (kCodeNotAsked..kCodeMissing).
constexpr uint32_t WideState(uint8_t state) { return 0xFFFFFF00u | state; }

// The columns' memory: one anonymous mapping for all of them, sized by the first
// pass, left uninitialised (every row of every column is written once by the parse,
// so nothing is zero-filled twice) and advised to use huge pages, which cuts the
// page faults of filling it by up to 512x. Columns of the Dataset are views of it
// (Buffer::View) that keep it alive.
class ColumnArena {
 public:
  // Room for `bytes` (a multiple of 64 per column is the caller's business).
  static std::shared_ptr<uint8_t> Map(size_t bytes) {
    if (bytes == 0)
      return std::shared_ptr<uint8_t>(new uint8_t[1], std::default_delete<uint8_t[]>());
    void* map = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) throw std::bad_alloc();  // as a std::vector of that size would
#ifdef MADV_HUGEPAGE
    ::madvise(map, bytes, MADV_HUGEPAGE);
#endif
    return std::shared_ptr<uint8_t>(static_cast<uint8_t*>(map),
                                    [bytes](uint8_t* p) { ::munmap(p, bytes); });
  }
  // Gives back the whole pages of [data, data + bytes), which nothing reads again.
  static void Drop(void* data, size_t bytes) {
    size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    uintptr_t from = (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
    uintptr_t to = (reinterpret_cast<uintptr_t>(data) + bytes) / page * page;
    if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
  }
};

// The distinct texts of an identifier column (a design's strata or clusters) in one chunk,
// numbered in order of first appearance, each with its number: a text is parsed as a number
// once per chunk, not once per row. Texts of 1..8 bytes (any identifier below 10^8) are
// packed into an integer, little-endian and zero-padded, and found with a probe or two of an
// open-addressing table; longer ones in a map.
class IdTexts {
 public:
  static constexpr uint32_t kNotFound = 0xFFFFFFFF;
  // Local codes from here on do not fit 16 bits beside the non-answers (0xFFFC..0xFFFF).
  static constexpr uint32_t kMax16 = 0xFFFC;
  static_assert(std::endian::native == std::endian::little, "texts are packed little-endian");

  // A text of 1..8 bytes as the table holds it.
  static uint64_t Pack(std::string_view text) {
    uint64_t word = 0;
    std::memcpy(&word, text.data(), text.size());
    return word;
  }
  // The code of a packed text of `length` (1..8) bytes, or kNotFound.
  uint32_t Find(uint64_t word, size_t length) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Slot(word, length);; i = (i + 1) & mask) {
      const Entry& e = slots_[i];
      if (e.code == kNotFound || (e.word == word && e.length == length)) return e.code;
    }
  }
  uint32_t Find(std::string_view text) const {
    if (text.size() - 1 < 8) return Find(Pack(text), text.size());
    auto it = long_.find(std::string(text));
    return it == long_.end() ? kNotFound : it->second;
  }
  // Adds a text that Find does not know, with its number; returns its code.
  uint32_t Add(std::string_view text, double value) {
    const auto code = static_cast<uint32_t>(values_.size());
    values_.push_back(value);
    if (text.size() - 1 >= 8) {
      long_.emplace(std::string(text), code);
      return code;
    }
    if ((short_ + 1) * 2 > slots_.size()) Grow();
    Put({Pack(text), static_cast<uint32_t>(text.size()), code});
    ++short_;
    return code;
  }
  // The number of each code.
  const std::vector<double>& values() const { return values_; }

  std::vector<uint32_t> wide;  // the chunk's local codes by row, once one is kMax16 or more

 private:
  struct Entry {
    uint64_t word = 0;
    uint32_t length = 0;
    uint32_t code = kNotFound;
  };
  size_t Slot(uint64_t word, size_t length) const {
    return static_cast<size_t>(((word ^ (uint64_t{length} << 59)) * 0x9E3779B97F4A7C15ULL) >>
                               shift_);
  }
  void Put(const Entry& entry) {
    const size_t mask = slots_.size() - 1;
    size_t i = Slot(entry.word, entry.length);
    while (slots_[i].code != kNotFound) i = (i + 1) & mask;
    slots_[i] = entry;
  }
  void Grow() {
    std::vector<Entry> old = std::move(slots_);
    slots_.assign(old.size() * 2, Entry{});
    --shift_;
    for (const Entry& e : old) {
      if (e.code != kNotFound) Put(e);
    }
  }
  std::vector<Entry> slots_ = std::vector<Entry>(64);
  int shift_ = 64 - 6;
  size_t short_ = 0;
  std::unordered_map<std::string, uint32_t> long_;
  std::vector<double> values_;
};

// Per chunk and target: what a chunk found.
struct TargetResult {
  size_t bad_row = kNone;  // first row with a value that is not an option / number
  size_t bad_row_pos = 0;  // its record's first byte
  std::string bad_value;
  bool non_numeric = false;  // a value strtod does not consume (numeric candidates)
  // Extra grouping columns: the chunk's distinct values by first appearance.
  std::unordered_map<std::string, int> dictionary;
  std::vector<std::string> values;
  IdTexts ids;  // an identifier column: the chunk's texts and their numbers
};

struct Chunk {
  size_t begin = 0, end = 0;  // bytes
  size_t row_offset = 0;      // first row's index in the columns (upper bound layout)
  size_t row_capacity = 0;    // rows reserved (record ends counted by the first pass)
  size_t rows = 0;            // rows parsed
  bool structural_error = false;
  CsvError error;
  size_t utf8_bad = kNone;
  bool ascii = false;  // the first pass saw no byte >= 0x80 here: no UTF-8 check
  std::vector<TargetResult> results;
};

// Relevance over one parsed record: names are questions, values the row's raw text.
class RecordContext final : public form::expr::EvalContext, public form::expr::NameResolver {
 public:
  RecordContext(const form::Form& form, const csv::Table& header) : form_(form) {
    fields_.resize(form.questions.size(), kNone);
    for (const Question& q : form.questions) {
      if (auto c = form::FindColumn(header, q)) fields_[q.index] = *c;
    }
  }
  void SetRecord(const Record* record) { record_ = record; }

  std::optional<form::expr::Symbol> Resolve(std::string_view name) const override {
    return ResolveQuestion(form_, name);
  }
  size_t ValueCount(int) const override { return 1; }
  std::string_view ValueAt(int slot, size_t) const override {
    size_t field = fields_[slot];
    if (field == kNone || !record_ || field >= record_->fields.size()) return {};
    return record_->fields[field];
  }
  void RandomBytes(uint8_t* out, size_t n) const override { std::fill(out, out + n, 0x5A); }

 private:
  const form::Form& form_;
  std::vector<size_t> fields_;
  const Record* record_ = nullptr;
};

// The first pass's counts of one byte range [from, to) of the body.
struct RangeCount {
  size_t from = 0, to = 0;
  uint64_t quotes = 0;
  uint64_t ends[2] = {0, 0};             // record ends at even / odd quote parity
  size_t first_end[2] = {kNone, kNone};  // offset after the first such end
  bool ascii = false;                    // no byte >= 0x80
};

class Loader {
 public:
  Loader(const form::Form& form, const LoadDataOptions& options, const CsvLoadSettings& settings,
         const Input& input, std::string file)
      : form_(form),
        options_(options),
        settings_(settings),
        input_(input),
        data_(input.data()),
        file_(std::move(file)) {}

  Result<Dataset> Run(Diagnostics* diags);

 private:
  // Header: the first non-blank record; sets header_ and body_begin_.
  std::optional<CsvError> ReadHeader();
  // The plan from the header; an error (D004, D005) to report if the CSV is sound.
  std::optional<Error> Plan();
  // The first pass: sets chunks_ (where each chunk of records begins, its rows at
  // most, whether it is ASCII) and total_capacity_.
  void FirstPass();
  void CountRange(RangeCount* r) const;
  void CountRanges(std::vector<RangeCount>* counts) const;
  void CutChunks(const std::vector<RangeCount>& counts);
  void ParseChunk(Chunk* chunk, bool report_progress);
  void ParseAll(bool sequential);
  // `readable_end`: the end of the memory the record's bytes are in (reading up to it
  // past a cell is allowed).
  void EncodeRow(const Record& record, size_t row, size_t record_pos, Chunk* chunk,
                 form::expr::Evaluator* evaluator, RecordContext* context,
                 const char* readable_end);
  // The general path of one cell: trimming, relevance of empty cells, any lookup,
  // extra columns, errors.
  void EncodeCell(const Record& record, size_t k, size_t at, size_t row, size_t record_pos,
                  Chunk* chunk, form::expr::Evaluator* evaluator, RecordContext* context);
  Result<Dataset> Finish(Diagnostics* diags);
  // An identifier target's cell (local code, or the wide form of a non-answer), in
  // target.local16 or, once the chunk's codes outgrow 16 bits, in ids->wide.
  static void StoreIdentifier(const Target& t, IdTexts* ids, size_t at, size_t row, uint32_t code,
                              size_t row_capacity);
  // An empty cell's state: missing, or not asked when a relevance of the chain is false on
  // the record.
  static uint8_t EmptyCellState(const Target& t, const Record& record,
                                form::expr::Evaluator* evaluator, RecordContext* context);
  // An identifier's cell that is not empty: its chunk-local code (the text numbered when the
  // chunk first meets it), or its non-answer `state`; a text that is no number is `result`'s
  // bad value.
  static void EncodeIdentifier(const Target& t, std::string_view raw, uint8_t state, size_t row,
                               size_t record_pos, size_t row_capacity, TargetResult* result,
                               size_t at);
  // Target k's column of codes (it is an identifier), from the chunks' local codes.
  Column IdentifierCodes(const Target& t, size_t k, size_t rows) const;
  // IO001 for a file that changed while it was read (Input::changed).
  Error ChangedError() const {
    return Error{
        "IO001",
        "the file changed while it was read (another program is writing it?); load it again "
        "when it is complete",
        Location{.file = file_}};
  }
  // Returns the arena memory of a target that does not become a column (a calculate
  // that turned out not to be numeric, an extra column that a question supplies).
  void DropColumn(const Target& t) const {
    if (t.numbers) ColumnArena::Drop(t.numbers, total_capacity_ * sizeof(double));
    if (t.states) ColumnArena::Drop(t.states, total_capacity_);
    if (t.codes16) ColumnArena::Drop(t.codes16, total_capacity_ * sizeof(uint16_t));
    if (t.codes32) ColumnArena::Drop(t.codes32, total_capacity_ * sizeof(uint32_t));
    if (t.local16) ColumnArena::Drop(t.local16, total_capacity_ * sizeof(uint16_t));
    for (uint8_t* plane : t.planes) ColumnArena::Drop(plane, total_capacity_);
  }

  const form::Form& form_;
  const LoadDataOptions& options_;
  const CsvLoadSettings& settings_;
  const Input& input_;
  std::string_view data_;
  std::string file_;
  csv::Table header_;
  size_t body_begin_ = 0;
  // The refused and don't-know codes: what every column's lookup starts with.
  Lookup NonAnswerLookup() const {
    Lookup lookup;
    for (const auto& code : options_.refused_codes) lookup.Add(code, Lookup::kRefused);
    for (const auto& code : options_.dont_know_codes) lookup.Add(code, Lookup::kDontKnow);
    return lookup;
  }
  // One table per distinct list of codes (100 items on the same choice list share one).
  const Lookup* Share(Lookup lookup) {
    auto& slot = lookups_[lookup.Signature()];
    if (!slot) {
      slot = std::make_unique<Lookup>(std::move(lookup));
      slot->Build();
    }
    return slot.get();
  }
  std::map<std::string, std::unique_ptr<Lookup>> lookups_;
  std::vector<Target> targets_;
  // What EncodeRow needs of each target, packed (one per target, same order).
  struct HotTarget {
    enum class Mode : uint8_t { kGeneral, kSingle, kMulti, kNumber, kIdentifier };
    Mode mode = Mode::kGeneral;
    size_t field = 0;
    size_t max_key = 0;                    // kNumber: longer cells are no codes
    const Lookup* lookup = nullptr;        // kNumber: the refused / don't-know codes
    const Lookup::Cells* cells = nullptr;  // kSingle, kMulti
    const uint8_t* bits = nullptr;         // kMulti: option bits by byte
    uint8_t* out = nullptr;                // plane 0, or the states of kNumber
    double* numbers = nullptr;             // kNumber
    uint16_t* local16 = nullptr;           // kIdentifier: the chunk-local codes
    bool empty_missing = false;            // an empty cell is missing (no relevance)
  };
  std::vector<HotTarget> hot_;
  void MakeHot();
  // Bytes per read of a streamed file.
  size_t ReadBytes() const { return settings_.read_bytes ? settings_.read_bytes : size_t{1} << 18; }
  std::shared_ptr<uint8_t> arena_;  // the columns' values (ColumnArena)
  size_t question_targets_ = 0;
  // options.extra_single in order: its target, or -1 when the header lacks it (D004).
  std::vector<std::pair<std::string, int>> extras_;
  std::vector<Chunk> chunks_;
  size_t total_capacity_ = 0;
  std::atomic<uint64_t> parsed_bytes_{0};
  int threads_ = 1;
};

// The header: the first non-blank record (CSV006 for a repeated name). Sets *header
// and *body_begin (the offset after it).
std::optional<CsvError> ReadHeaderRecord(std::string_view data, std::vector<std::string>* header,
                                         size_t* body_begin) {
  // Room for a usual header; a wider one is parsed again with room for all its
  // fields (ParseRecord counts the fields past its room). Room for the largest
  // header allowed (100,000 fields) cost every load, even of a 3-row file, 5 MB.
  Record record;
  record.fields.assign(256, {});
  record.unescaped.assign(record.fields.size(), {});
  size_t pos = 0;
  while (pos < data.size()) {
    size_t start = pos;
    CsvError error;
    if (!ParseRecord(data, &pos, data.size(), &record, &error)) return error;
    if (record.count > record.fields.size()) {
      record.fields.assign(record.count, {});
      record.unescaped.assign(record.count, {});
      pos = start;
      continue;
    }
    if (IsBlank(record)) continue;
    header->assign(record.fields.begin(), record.fields.begin() + record.count);
    for (size_t i = 0; i < header->size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if ((*header)[i] == (*header)[j]) {
          CsvError e;
          e.code = "CSV006";
          e.message = "duplicate column name '" + (*header)[i] + "' (also column " +
                      std::to_string(j + 1) + ")";
          e.line_pos = start;
          e.column = static_cast<int>(i) + 1;
          return e;
        }
      }
    }
    *body_begin = pos;
    return std::nullopt;
  }
  CsvError e;
  e.code = "CSV001";
  e.message = "empty file: no header row";
  return e;
}

// The first invalid UTF-8 byte of the whole text as csv::ParseTable reports it.
std::optional<Error> FirstUtf8Error(std::string_view data, const std::string& file) {
  size_t pos = 0;
  size_t bad = CheckUtf8(data, &pos, data.size());
  if (bad == kNone) return std::nullopt;
  CsvError e = Utf8Error(data, bad);
  return Error{e.code, e.message,
               Location{.file = file, .row = static_cast<int>(e.line_pos), .column = e.column}};
}

// A header error as csv::ParseTable reports it: a bad UTF-8 byte anywhere first.
Error HeaderError(const CsvError& error, std::string_view data, const std::string& file) {
  if (auto bad = FirstUtf8Error(data, file)) return *bad;
  if (error.code == "CSV001") return Error{error.code, error.message, Location{.file = file}};
  return ToError(error, data, file);
}

std::optional<CsvError> Loader::ReadHeader() {
  return ReadHeaderRecord(data_, &header_.header, &body_begin_);
}

std::optional<Error> Loader::Plan() {
  header_.file = file_;
  std::vector<const Question*> questions;
  bool listed = !options_.items.empty();
  if (!listed) {
    for (const Question& q : form_.questions) {
      if (!IsTabulable(q.type)) continue;
      if (!form::FindColumn(header_, q)) continue;
      questions.push_back(&q);
    }
  } else {
    for (const std::string& name : options_.items) {
      const Question* q = form_.FindQuestion(name);
      if (!q) {
        return Error{"D004", "'" + name + "' is not a question of the form",
                     Location{.file = form_.file}};
      }
      if (!IsTabulable(q->type)) {
        return Error{"D005",
                     "'" + name + "' is a " + std::string(form::TypeName(q->type)) +
                         "; only select, numeric and numeric calculate questions are tabulated",
                     form_.SurveyCell(q->row, "type")};
      }
      if (!form::FindColumn(header_, *q)) {
        return Error{"D004", "'" + name + "' has no column in the data",
                     Location{.file = file_, .row = 1}};
      }
      questions.push_back(q);
    }
  }
  RecordContext resolver(form_, header_);
  for (const Question* q : questions) {
    Target t;
    t.name = q->name;
    t.question = q;
    t.field = *form::FindColumn(header_, *q);
    t.kind = ColumnKindOf(q->type);
    t.numeric_candidate = !listed && q->type == QuestionType::kCalculate;
    t.identifier = LoadedAsIdentifier(options_, *q);
    ChoiceOptions(form_, *q, options_, &t.options, &t.option_labels);
    Lookup lookup = NonAnswerLookup();
    for (size_t i = 0; i < t.options.size(); ++i) lookup.Add(t.options[i], static_cast<int>(i));
    t.lookup = Share(std::move(lookup));
    t.relevance = BindRelevanceChain(form_, *q, resolver, &t.relevance_diags);
    targets_.push_back(std::move(t));
  }
  question_targets_ = targets_.size();
  // Extra grouping columns. One named like a calculate that turns out not to be
  // numeric is loaded as an extra (Finish skips it when the calculate is kept).
  std::set<std::string> loaded;
  for (const Target& t : targets_) {
    if (!t.numeric_candidate) loaded.insert(t.name);
  }
  for (const std::string& name : options_.extra_single) {
    if (loaded.count(name)) continue;
    loaded.insert(name);
    auto field = header_.ColumnIndex(name);
    if (!field) {
      extras_.emplace_back(name, -1);
      continue;
    }
    Target t;
    t.name = name;
    t.field = *field;
    t.kind = ColumnKind::kSingle;
    t.lookup = Share(NonAnswerLookup());
    extras_.emplace_back(name, static_cast<int>(targets_.size()));
    targets_.push_back(std::move(t));
  }
  return std::nullopt;
}

// The first pass: per byte range, quotes and record ends by quote parity (CountRanges,
// on the loader's threads); then each range's state at its start, a record boundary
// in it, and the rows per chunk (CutChunks).
void Loader::FirstPass() {
  const size_t begin = body_begin_, end = data_.size();
  size_t bytes = end - begin;
  size_t range = settings_.range_bytes
                     ? settings_.range_bytes
                     : std::max<size_t>(size_t{1} << 20, bytes / (threads_ * 4) + 1);
  size_t ranges = bytes == 0 ? 0 : (bytes + range - 1) / range;
  std::vector<RangeCount> counts(ranges);
  for (size_t k = 0; k < ranges; ++k) {
    counts[k].from = begin + k * range;
    counts[k].to = std::min(end, begin + (k + 1) * range);
  }
  CountRanges(&counts);
  CutChunks(counts);
}

// Counts q[0, n), the bytes from `offset` on, into *r; q[n, avail) (a byte at most) is
// what follows, to tell CRLF from a lone CR at the end. *quotes_io and *high_io carry
// the quotes so far and the high bits of every byte so far (0 for ASCII text).
void CountBlock(RangeCount* r, const char* q, size_t n, size_t avail, size_t offset,
                uint64_t* quotes_io, uint64_t* high_io) {
  // Bytes that matter here: quotes and line ends; 8 bytes at a time skip the rest
  // (a word with none of them, by the has-zero-byte trick; false positives are only
  // looked at byte by byte).
  auto has = [](uint64_t word, unsigned char c) {
    uint64_t x = word ^ (0x0101010101010101ULL * c);
    return (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
  };
  uint64_t quotes = *quotes_io;
  uint64_t high = *high_io;
  auto byte = [&](size_t i) {
    char c = q[i];
    if (c == '"') {
      ++quotes;
    } else if (c == '\n' || (c == '\r' && !(i + 1 < avail && q[i + 1] == '\n'))) {
      int parity = static_cast<int>(quotes & 1);
      if (r->ends[parity]++ == 0) r->first_end[parity] = offset + i + 1;
    }
  };
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i));
    high |= static_cast<unsigned>(_mm_movemask_epi8(v));
    unsigned special = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr))));
    while (special) {
      byte(i + static_cast<size_t>(__builtin_ctz(special)));
      special &= special - 1;
    }
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    uint64_t word;
    std::memcpy(&word, q + i, 8);
    high |= word & 0x8080808080808080ULL;
    if (has(word, '"') | has(word, '\n') | has(word, '\r')) {
      for (size_t k = 0; k < 8; ++k) byte(i + k);
    }
    i += 8;
  }
  for (; i < n; ++i) {
    high |= static_cast<unsigned char>(q[i]) & 0x80u;
    byte(i);
  }
  *quotes_io = quotes;
  *high_io = high;
}

// One range's counts, from the mapped bytes or read in pieces of a streamed file.
void Loader::CountRange(RangeCount* r) const {
  const size_t end = data_.size();
  uint64_t quotes = 0, high = 0;
  if (!input_.streamed()) {
    CountBlock(r, data_.data() + r->from, r->to - r->from, std::min(end, r->to + 1) - r->from,
               r->from, &quotes, &high);
  } else {
    // No bigger than the range: a small file must not cost a full-size buffer.
    const size_t piece = std::min(ReadBytes(), r->to - r->from);
    std::unique_ptr<char[]> buffer(new char[piece + 1]);
    for (size_t b = r->from; b < r->to; b += piece) {
      size_t e = std::min(r->to, b + piece);
      size_t avail = std::min(end, e + 1);
      input_.Read(b, avail, buffer.get());
      CountBlock(r, buffer.get(), e - b, avail - b, b, &quotes, &high);
    }
  }
  r->quotes = quotes;
  r->ascii = high == 0;
}

// Every range counted, on threads_ threads taking the next range as they finish.
void Loader::CountRanges(std::vector<RangeCount>* counts) const {
  const size_t ranges = counts->size();
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k; (k = next.fetch_add(1)) < ranges;) CountRange(&(*counts)[k]);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads_; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Chunks: from the body's start to the first record end of each later range. A chunk
// is ASCII when every range it overlaps is. Sets chunks_ and total_capacity_.
void Loader::CutChunks(const std::vector<RangeCount>& counts) {
  const size_t begin = body_begin_, end = data_.size();
  const char* p = data_.data();
  chunks_.clear();
  Chunk current;
  current.begin = begin;
  uint64_t quotes = 0;
  uint64_t ends_in_chunk = 0;
  bool ascii = true;
  for (size_t k = 0; k < counts.size(); ++k) {
    int parity = static_cast<int>(quotes & 1);  // 1: the range starts inside quotes
    const RangeCount& r = counts[k];
    // Ends of records in this range, with parity relative to the range's start.
    uint64_t ends = r.ends[parity];
    if (k > 0 && ends > 0) {
      size_t boundary = r.first_end[parity];
      // The chunk so far ends at this range's first record end.
      current.end = boundary;
      current.row_capacity = ends_in_chunk + 1;
      current.ascii = ascii && r.ascii;
      chunks_.push_back(std::move(current));
      current = Chunk{};
      current.begin = boundary;
      ends_in_chunk = ends - 1;
      ascii = r.ascii;
    } else {
      ends_in_chunk += ends;
      ascii = ascii && r.ascii;
    }
    quotes += r.quotes;
  }
  current.end = end;
  // One more row for a last record without a line end (when the file does not end
  // with one), so that no column needs to be moved when the count is right.
  bool ends_with_line_end = end > begin && (p[end - 1] == '\n' || p[end - 1] == '\r');
  current.row_capacity = ends_in_chunk + (end > begin && !ends_with_line_end ? 1 : 0);
  current.ascii = ascii;
  chunks_.push_back(std::move(current));
  total_capacity_ = 0;
  for (Chunk& c : chunks_) {
    c.row_offset = total_capacity_;
    total_capacity_ += c.row_capacity;
  }
}

void Loader::EncodeRow(const Record& record, size_t row, size_t record_pos, Chunk* chunk,
                       form::expr::Evaluator* evaluator, RecordContext* context,
                       const char* readable_end) {
  const size_t at = chunk->row_offset + row;
  const std::string_view* fields = record.fields.data();
  // Locals: the byte stores below may alias anything, members would be reloaded.
  const HotTarget* hot = hot_.data();
  const size_t targets = hot_.size();
  for (size_t k = 0; k < targets; ++k) {
    const HotTarget& h = hot[k];
    const std::string_view cell = fields[h.field];
    const size_t n = cell.size();
    const unsigned char* b = reinterpret_cast<const unsigned char*>(cell.data());
    // The common cells, straight to their bytes: not empty, no byte <= ' ' at either
    // end (EncodeCell reads those as written: " 12" is not a number), short codes by
    // table.
    if (n == 0) {
      if (h.empty_missing) {
        h.out[at] = kCodeMissing;
        if (h.mode == HotTarget::Mode::kNumber) h.numbers[at] = kNaN;
        continue;
      }
    } else if (b[0] > ' ' && b[n - 1] > ' ' && cell.data() + 16 <= readable_end) {
      // The 16 bytes from the cell's start can be read (the cell and what follows it):
      // short cells without branches on their length.
      switch (h.mode) {
        case HotTarget::Mode::kSingle: {
          uint16_t one = h.cells->one[b[0]];
          uint16_t two = h.cells->two[b[0] | size_t{b[1]} << 8];
          uint16_t code = n == 1 ? one : two;
          code = n > 2 ? Lookup::kSlow : code;
          if (code == Lookup::kSlow) break;
          h.out[at] = static_cast<uint8_t>(code);
          continue;
        }
        case HotTarget::Mode::kMulti: {
          // A whole cell of one or two bytes by table (an option, or a refused or
          // don't-know code), else one-byte option names separated by single spaces:
          // "a c e".
          if (n <= 2) {
            uint16_t one = h.cells->one[b[0]];
            uint16_t two = h.cells->two[b[0] | size_t{b[1]} << 8];
            uint16_t code = n == 1 ? one : two;
            if (code == Lookup::kSlow) break;
            h.out[at] = static_cast<uint8_t>(code);
            continue;
          }
          if ((n & 1) == 0) break;
          unsigned bits = h.bits[b[0]];
          unsigned ok = bits;
          for (size_t i = 1; i < n; i += 2) {
            unsigned bit = h.bits[b[i + 1]];
            ok = (ok != 0) & (bit != 0) & (b[i] == ' ');
            bits |= bit;
            if (!ok) break;
          }
          if (!ok) break;
          h.out[at] = static_cast<uint8_t>(bits);
          continue;
        }
        case HotTarget::Mode::kNumber: {
          double number;
          if ((n <= h.max_key && h.lookup->StartsKey(b[0]) &&
               h.lookup->Find(cell) != Lookup::kNotFound) ||
              !FastDecimal(cell, &number))
            break;
          h.numbers[at] = number;
          h.out[at] = kCodeAnswered;
          continue;
        }
        case HotTarget::Mode::kIdentifier: {
          // A text this chunk has met: its code, without parsing the number again.
          if (n > 8) break;
          uint64_t word;
          std::memcpy(&word, b, sizeof word);  // readable: see above
          word &= ~uint64_t{0} >> (64 - 8 * n);
          IdTexts& ids = chunk->results[k].ids;
          const uint32_t code = ids.Find(word, n);
          if (code == IdTexts::kNotFound) break;
          if (ids.wide.empty()) {
            h.local16[at] = static_cast<uint16_t>(code);
          } else {
            ids.wide[row] = code;
          }
          continue;
        }
        default:
          break;
      }
    }
    EncodeCell(record, k, at, row, record_pos, chunk, evaluator, context);
  }
}

uint8_t Loader::EmptyCellState(const Target& t, const Record& record,
                               form::expr::Evaluator* evaluator, RecordContext* context) {
  if (t.relevance.empty()) return kCodeMissing;
  context->SetRecord(&record);
  for (const auto& condition : t.relevance) {
    auto relevant = evaluator->EvaluateBoolean(condition, *context);
    if (relevant && !*relevant) return kCodeNotAsked;
  }
  return kCodeMissing;
}

void Loader::EncodeCell(const Record& record, size_t k, size_t at, size_t row, size_t record_pos,
                        Chunk* chunk, form::expr::Evaluator* evaluator, RecordContext* context) {
  {
    Target& t = targets_[k];
    // As written, as `import` stores it (LoadCsvWithForm reads it so too).
    std::string_view raw = record.fields[t.field];
    if (raw.empty()) {
      const uint8_t state = EmptyCellState(t, record, evaluator, context);
      if (t.identifier) {
        StoreIdentifier(t, &chunk->results[k].ids, at, row, WideState(state), chunk->row_capacity);
      } else if (t.kind == ColumnKind::kNumber) {
        t.numbers[at] = kNaN;
        t.states[at] = state;
      } else if (t.kind == ColumnKind::kSingle) {
        t.StoreSingle(at, WideState(state));
      } else {
        t.planes[0][at] = state;
        for (size_t p = 1; p < t.planes.size(); ++p) t.planes[p][at] = 0;
      }
      return;
    }
    // One lookup gives the refused and don't-know codes and, for selects, the option.
    const int found = t.lookup->Find(raw);
    const uint8_t state = found == Lookup::kRefused    ? kCodeRefused
                          : found == Lookup::kDontKnow ? kCodeDontKnow
                                                       : kCodeAnswered;
    TargetResult& result = chunk->results[k];
    auto bad = [&](std::string_view value) {
      if (result.bad_row == kNone) {
        result.bad_row = row;
        result.bad_row_pos = record_pos;
        result.bad_value = std::string(value);
      }
    };
    if (t.identifier) {
      EncodeIdentifier(t, raw, state, row, record_pos, chunk->row_capacity, &result, at);
      return;
    }
    switch (t.kind) {
      case ColumnKind::kSingle: {
        uint32_t code = 0;
        if (found >= 0 && t.question) {
          code = static_cast<uint32_t>(found);
        } else if (state != kCodeAnswered) {
          code = WideState(state);
        } else if (!t.question) {
          // An extra grouping column: a chunk-local code, renumbered in Finish.
          auto it = result.dictionary.find(std::string(raw));
          int local;
          if (it == result.dictionary.end()) {
            local = static_cast<int>(result.values.size());
            result.dictionary.emplace(std::string(raw), local);
            result.values.emplace_back(raw);
          } else {
            local = it->second;
          }
          code = static_cast<uint32_t>(local < kMaxSingleOptions ? local : 0);
        } else {
          bad(raw);
        }
        t.StoreSingle(at, code);
        break;
      }
      case ColumnKind::kMulti: {
        size_t planes = t.planes.size();
        if (state != kCodeAnswered) {
          t.planes[0][at] = state;
          for (size_t p = 1; p < planes; ++p) t.planes[p][at] = 0;
          break;
        }
        uint8_t bytes[64] = {};
        std::vector<uint8_t> wide;
        uint8_t* out = bytes;
        if (planes > sizeof bytes) {
          wide.assign(planes, 0);
          out = wide.data();
        }
        // Space-separated option names (empty tokens skipped), as ColumnBuilder reads them.
        const char* p = raw.data();
        const size_t n = raw.size();
        for (size_t i = 0; i < n;) {
          size_t end = i;
          while (end < n && p[end] != ' ') ++end;
          if (end > i) {
            int index = end - i == n ? found : t.lookup->Find(std::string_view(p + i, end - i));
            if (index < 0) {
              bad(raw);
              break;
            }
            out[index / kOptionsPerPlane] |= static_cast<uint8_t>(1u << (index % kOptionsPerPlane));
          }
          i = end + 1;
        }
        for (size_t q = 0; q < planes; ++q) t.planes[q][at] = out[q];
        break;
      }
      case ColumnKind::kNumber: {
        double number = kNaN;
        if (state == kCodeAnswered && !FastDecimal(raw, &number)) {
          bool consumed = false;
          ParseNumber(raw, &consumed, &number);
          if (!consumed) result.non_numeric = true;
          if (!consumed || !std::isfinite(number)) {
            bad(raw);
            number = kNaN;
          }
        }
        t.numbers[at] = number;
        t.states[at] = state;
        break;
      }
    }
  }
}

void Loader::ParseChunk(Chunk* chunk, bool report_progress) {
  chunk->results.assign(targets_.size(), TargetResult{});
  Record record;
  record.fields.assign(header_.header.size(), {});
  record.unescaped.assign(header_.header.size(), {});
  form::expr::Evaluator evaluator;
  RecordContext context(form_, header_);
  const size_t width = header_.header.size();
  // The bytes parsed: data_ itself in memory, or for a streamed file a window
  // data_[window_begin, window_end) read into `buffer`, which moves on (and grows
  // for a record longer than it) as records are parsed. Positions are in data_.
  const bool streamed = input_.streamed();
  std::string buffer;
  std::string_view window = data_;
  constexpr size_t kPadding = 64;  // readable bytes after the window (EncodeRow)
  const char* readable_end = data_.data() + data_.size();
  size_t window_begin = 0, window_end = chunk->end;
  size_t pos = chunk->begin;
  size_t utf8_pos = chunk->ascii ? chunk->end : chunk->begin;  // checked up to here
  // Reads the window from `from` (<= pos): as much of the chunk as the buffer holds.
  auto fill = [&](size_t from, size_t capacity) {
    window_begin = from;
    window_end = std::min(chunk->end, from + capacity);
    buffer.resize(window_end - window_begin + kPadding);
    input_.Read(window_begin, window_end, buffer.data());
    window = std::string_view(buffer.data(), window_end - window_begin);
    readable_end = buffer.data() + buffer.size();
  };
  // UTF-8 check of the window's bytes not yet checked (characters cut by the
  // window's end wait for the next window); false at an invalid byte.
  auto check_utf8 = [&]() {
    if (utf8_pos >= chunk->end) return true;
    size_t limit = window_end == chunk->end ? window_end : (window_end > 4 ? window_end - 4 : 0);
    if (utf8_pos >= limit) return true;
    size_t at = utf8_pos - window_begin;
    size_t bad = CheckUtf8(window, &at, limit - window_begin);
    utf8_pos = at + window_begin;
    if (bad == kNone) return true;
    chunk->utf8_bad = bad + window_begin;
    return false;
  };
  size_t capacity = ReadBytes();
  if (streamed && pos < chunk->end) fill(std::min(pos, utf8_pos), capacity);
  size_t released = chunk->begin;
  size_t reported = chunk->begin;
  constexpr size_t kBlock = size_t{1} << 18;
  while (pos < chunk->end) {
    if (streamed) {
      if (!check_utf8()) return;
    } else if (utf8_pos < chunk->end && utf8_pos < pos + 4096) {
      size_t bad = CheckUtf8(data_, &utf8_pos, std::min(chunk->end, pos + kBlock));
      if (bad != kNone) {
        chunk->utf8_bad = bad;
        return;
      }
    }
    const size_t start = pos;
    CsvError error;
    size_t at = pos - window_begin;
    const size_t stop = window_end - window_begin;
    bool parsed =
        FastRecord(window, &at, stop, &record) || ParseRecord(window, &at, stop, &record, &error);
    if (window_end < chunk->end && (parsed ? at == stop : error.code == "CSV002")) {
      // The record may go on past the window: read again from its start (or from
      // the first byte not checked as UTF-8), further than before.
      size_t from = std::min(start, utf8_pos);
      while (from + capacity <= window_end) capacity *= 2;
      fill(from, capacity);
      continue;
    }
    if (!parsed) {
      if (error.line_pos != kNone) error.line_pos += window_begin;
      chunk->structural_error = true;
      chunk->error = std::move(error);
      return;
    }
    pos = at + window_begin;
    if (IsBlank(record)) continue;
    if (record.count != width) {
      chunk->structural_error = true;
      chunk->error.code = "CSV005";
      chunk->error.message = "row has " + std::to_string(record.count) +
                             " fields, the header has " + std::to_string(width);
      chunk->error.line_pos = start;
      chunk->error.column = static_cast<int>(std::min(record.count, width)) + 1;
      return;
    }
    if (chunk->rows >= chunk->row_capacity) {  // the first pass's count was wrong: bad input
      chunk->structural_error = true;
      chunk->error.code = "CSV000";
      return;
    }
    EncodeRow(record, chunk->rows, start, chunk, &evaluator, &context, readable_end);
    ++chunk->rows;
    if (pos - released >= (size_t{8} << 20)) {
      parsed_bytes_.fetch_add(pos - released, std::memory_order_relaxed);
      released = pos;
    }
    if (report_progress && settings_.progress && pos - reported >= (size_t{16} << 20)) {
      settings_.progress->Update(parsed_bytes_.load(std::memory_order_relaxed));
      reported = pos;
    }
  }
  if (streamed) {
    if (utf8_pos < chunk->end && !check_utf8()) return;
  } else if (utf8_pos < chunk->end) {
    size_t bad = CheckUtf8(data_, &utf8_pos, chunk->end);
    if (bad != kNone) chunk->utf8_bad = bad;
  }
  parsed_bytes_.fetch_add(chunk->end - released, std::memory_order_relaxed);
  if (pos != chunk->end) {  // a record ran past the chunk's end: bad input
    chunk->structural_error = true;
    chunk->error.code = "CSV000";
  }
}

void Loader::MakeHot() {
  hot_.assign(targets_.size(), HotTarget{});
  for (size_t k = 0; k < targets_.size(); ++k) {
    const Target& t = targets_[k];
    HotTarget& h = hot_[k];
    h.field = t.field;
    if (!t.question) continue;  // an extra grouping column: its own codes, general path
    switch (t.kind) {
      case ColumnKind::kSingle:
        if (t.planes.empty()) break;  // wide codes: the general path
        h.mode = HotTarget::Mode::kSingle;
        h.cells = &t.lookup->single_cells();
        h.out = t.planes[0];
        break;
      case ColumnKind::kMulti:
        // One plane, and no key with a space (a cell could be a whole key).
        if (t.planes.size() != 1 || t.options.size() > static_cast<size_t>(kOptionsPerPlane) ||
            t.lookup->key_with_space()) {
          break;
        }
        h.mode = HotTarget::Mode::kMulti;
        h.cells = &t.lookup->multi_cells();
        h.bits = t.lookup->option_bits().data();
        h.out = t.planes[0];
        break;
      case ColumnKind::kNumber:
        if (t.identifier) {
          h.mode = HotTarget::Mode::kIdentifier;
          h.local16 = t.local16;
          break;
        }
        h.mode = HotTarget::Mode::kNumber;
        h.max_key = t.lookup->max_key();
        h.lookup = t.lookup;
        h.out = t.states;
        h.numbers = t.numbers;
        break;
    }
    h.empty_missing = h.mode != HotTarget::Mode::kGeneral &&
                      h.mode != HotTarget::Mode::kIdentifier && t.relevance.empty();
  }
}

void Loader::ParseAll(bool sequential) {
  // Columns at their final size (an upper bound: blank lines are dropped later), in
  // one arena; each column's start is 64-byte aligned.
  auto room = [](size_t bytes) { return (bytes + 63) / 64 * 64; };
  size_t bytes = 0;
  for (Target& t : targets_) {
    t.column = Column{};
    t.column.kind = t.kind;
    t.planes.clear();
    t.codes16 = nullptr;
    t.codes32 = nullptr;
    t.numbers = nullptr;
    t.states = nullptr;
    t.local16 = nullptr;
    const int width = t.kind == ColumnKind::kSingle ? SingleCodeWidth(t.options.size()) : 0;
    if (t.identifier) {
      bytes += room(total_capacity_ * sizeof(uint16_t));
    } else if (t.kind == ColumnKind::kNumber) {
      bytes += room(total_capacity_ * sizeof(double)) + room(total_capacity_);
    } else if (width > 1) {
      bytes += room(total_capacity_ * static_cast<size_t>(width));
    } else {
      size_t planes =
          t.kind == ColumnKind::kSingle
              ? 1
              : std::max<size_t>(1, (t.options.size() + kOptionsPerPlane - 1) / kOptionsPerPlane);
      bytes += planes * room(total_capacity_);
      t.planes.resize(planes);
    }
  }
  arena_.reset();
  arena_ = ColumnArena::Map(bytes);
  uint8_t* next = arena_.get();
  for (Target& t : targets_) {
    if (t.identifier) {
      t.local16 = reinterpret_cast<uint16_t*>(next);
      next += room(total_capacity_ * sizeof(uint16_t));
    } else if (t.kind == ColumnKind::kNumber) {
      t.numbers = reinterpret_cast<double*>(next);
      next += room(total_capacity_ * sizeof(double));
      t.states = next;
      next += room(total_capacity_);
    } else if (t.kind == ColumnKind::kSingle && SingleCodeWidth(t.options.size()) == 2) {
      t.codes16 = reinterpret_cast<uint16_t*>(next);
      next += room(total_capacity_ * sizeof(uint16_t));
    } else if (t.kind == ColumnKind::kSingle && SingleCodeWidth(t.options.size()) == 4) {
      t.codes32 = reinterpret_cast<uint32_t*>(next);
      next += room(total_capacity_ * sizeof(uint32_t));
    } else {
      for (uint8_t*& plane : t.planes) {
        plane = next;
        next += room(total_capacity_);
      }
    }
  }
  MakeHot();
  if (settings_.progress) settings_.progress->Start("loading " + file_, data_.size());
  if (sequential || chunks_.size() == 1 || threads_ == 1) {
    for (Chunk& c : chunks_) ParseChunk(&c, true);
  } else {
    std::atomic<size_t> next{0};
    auto work = [&](bool main) {
      for (size_t k; (k = next.fetch_add(1)) < chunks_.size();) ParseChunk(&chunks_[k], main);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads_; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
  }
  if (settings_.progress) settings_.progress->Finish();
}

Result<Dataset> Loader::Run(Diagnostics* diags) {
  threads_ = settings_.threads > 0
                 ? settings_.threads
                 : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  // The whole-file UTF-8 check comes first in csv::ParseTable: an invalid byte
  // anywhere is the error, even after a structural one.
  auto utf8_first = [&] { return FirstUtf8Error(data_, file_); };
  if (auto header_error = ReadHeader())
    return tl::unexpected(HeaderError(*header_error, data_, file_));
  {
    size_t pos = 0;
    if (CheckUtf8(data_, &pos, body_begin_) != kNone) return tl::unexpected(*utf8_first());
  }
  // A select_multiple given only as its 0/1 option columns: the list column is built
  // from them first (load_data.h), on the whole table; such files take the reference
  // loader's path.
  if (HasOptionColumnsOnly(form_, header_)) {
    csv::Table table = NGO_TRY(csv::ParseTable(data_, file_));
    return LoadCsvWithForm(form_, table, options_, diags);
  }
  std::optional<Error> plan_error = Plan();
  if (plan_error) targets_.clear();  // check the CSV only: its errors come first
  FirstPass();
  ParseAll(false);
  // Before anything reads the mapping again (the UTF-8 check of the whole file, error
  // positions): a file that shrank would raise SIGBUS there.
  if (input_.changed()) return tl::unexpected(ChangedError());
  bool structural = false, utf8 = false;
  for (const Chunk& c : chunks_) {
    structural |= c.structural_error;
    utf8 |= c.utf8_bad != kNone;
  }
  if (utf8 || structural) {
    if (auto bad = utf8_first()) return tl::unexpected(*bad);
    // Parse once more from the start on one thread, checking only: the first error
    // of the file, as csv::ParseTable finds it.
    std::vector<Target> targets = std::move(targets_);
    targets_.clear();
    Chunk whole;
    whole.begin = body_begin_;
    whole.end = data_.size();
    whole.row_capacity = total_capacity_ = data_.size() - body_begin_ + 1;
    chunks_.clear();
    chunks_.push_back(std::move(whole));
    ParseAll(true);
    if (input_.changed()) return tl::unexpected(ChangedError());
    if (chunks_[0].structural_error && chunks_[0].error.code != "CSV000") {
      return tl::unexpected(ToError(chunks_[0].error, data_, file_));
    }
    // No error after all (the first pass misjudged a boundary): load on one thread.
    total_capacity_ = chunks_[0].rows;
    Chunk again;
    again.begin = body_begin_;
    again.end = data_.size();
    again.row_capacity = total_capacity_;
    chunks_.clear();
    chunks_.push_back(std::move(again));
    targets_ = std::move(targets);
    ParseAll(true);
    if (input_.changed()) return tl::unexpected(ChangedError());
    if (chunks_[0].structural_error) {
      return MakeError("CSV000", "the file could not be parsed", Location{.file = file_});
    }
  }
  if (plan_error) return tl::unexpected(*plan_error);
  return Finish(diags);
}

Result<Dataset> Loader::Finish(Diagnostics* diags) {
  // Rows: chunks are laid out by their capacity; close the gaps left by blank lines.
  size_t rows = 0;
  for (const Chunk& c : chunks_) rows += c.rows;
  auto compact = [&](auto* base) {
    size_t to = 0;
    for (const Chunk& c : chunks_) {
      if (c.row_offset != to && c.rows)
        std::memmove(base + to, base + c.row_offset, c.rows * sizeof(*base));
      to += c.rows;
    }
  };
  for (Target& t : targets_) {
    if (t.identifier) continue;  // IdentifierCodes compacts them as it renumbers them
    if (rows != total_capacity_) {
      if (t.kind == ColumnKind::kNumber) {
        compact(t.numbers);
        compact(t.states);
      } else {
        for (uint8_t* plane : t.planes) compact(plane);
        if (t.codes16) compact(t.codes16);
        if (t.codes32) compact(t.codes32);
      }
    }
    // The column: views of the arena.
    if (t.kind == ColumnKind::kNumber) {
      t.column.numbers = Buffer<double>::View(t.numbers, rows, arena_);
      t.column.states = Buffer<uint8_t>::View(t.states, rows, arena_);
    } else {
      t.column.planes.clear();
      for (uint8_t* plane : t.planes)
        t.column.planes.push_back(Buffer<uint8_t>::View(plane, rows, arena_));
      if (t.codes16) t.column.codes16 = Buffer<uint16_t>::View(t.codes16, rows, arena_);
      if (t.codes32) t.column.codes32 = Buffer<uint32_t>::View(t.codes32, rows, arena_);
    }
  }
  // Global row of a chunk's row, and its record's line.
  auto where = [&](size_t chunk, const TargetResult& r, const Target& t) {
    Location at;
    at.file = file_;
    at.row = LineAt(data_, r.bad_row_pos);
    at.column = static_cast<int>(t.field) + 1;
    (void)chunk;
    return at;
  };
  Dataset data(rows);
  for (size_t k = 0; k < question_targets_; ++k) {
    Target& t = targets_[k];
    if (t.numeric_candidate) {
      bool numeric = true;
      for (const Chunk& c : chunks_) numeric &= !c.results[k].non_numeric;
      if (!numeric) {  // a calculate that builds text: not an item
        DropColumn(t);
        continue;
      }
    }
    diags->Append(t.relevance_diags);
    for (size_t c = 0; c < chunks_.size(); ++c) {
      const TargetResult& r = chunks_[c].results[k];
      if (r.bad_row == kNone) continue;
      const Question& q = *t.question;
      Error error;
      error.code = "D003";
      error.where = where(c, r, t);
      error.message = "'" + r.bad_value + "' is not " +
                      (t.kind == ColumnKind::kNumber ? "a number" : "an option of " + q.list_name) +
                      " (question '" + q.name + "')";
      return tl::unexpected(error);
    }
    Column column = t.identifier ? IdentifierCodes(t, k, rows) : std::move(t.column);
    column.name = t.name;
    if (!t.identifier) column.options = t.options;
    column.label = form_.Text(t.question->label, options_.language);
    column.option_labels = t.option_labels;
    column.relevant = t.question->relevant;
    NGO_TRY(data.AddColumn(std::move(column)));
  }
  for (const auto& [name, index] : extras_) {
    if (data.Find(name) >= 0) {
      if (index >= 0) DropColumn(targets_[static_cast<size_t>(index)]);
      continue;
    }
    if (index < 0) {
      return MakeError("D004", "'" + name + "' has no column in the data",
                       Location{.file = file_, .row = 1});
    }
    size_t k = static_cast<size_t>(index);
    Target& t = targets_[k];
    std::set<std::string> values;
    for (const Chunk& c : chunks_)
      values.insert(c.results[k].values.begin(), c.results[k].values.end());
    std::vector<std::string> sorted(values.begin(), values.end());
    if (sorted.size() > static_cast<size_t>(kMaxSingleOptions)) {
      return tl::unexpected(TooManyGroupValues(name, sorted.size(), file_, t.field));
    }
    {
      uint8_t* codes = t.planes[0];
      size_t row = 0;
      for (const Chunk& c : chunks_) {
        const TargetResult& r = c.results[k];
        uint8_t remap[256];
        for (int i = 0; i < 256; ++i) remap[i] = static_cast<uint8_t>(i);
        for (size_t local = 0; local < r.values.size(); ++local) {
          auto it = std::lower_bound(sorted.begin(), sorted.end(), r.values[local]);
          remap[local] = static_cast<uint8_t>(it - sorted.begin());
        }
        for (size_t i = 0; i < c.rows; ++i, ++row) codes[row] = remap[codes[row]];
      }
    }
    Column column = std::move(t.column);
    column.name = t.name;
    column.options = std::move(sorted);
    column.label = t.name;
    NGO_TRY(data.AddColumn(std::move(column)));
  }
  return data;
}

void Loader::StoreIdentifier(const Target& t, IdTexts* ids, size_t at, size_t row, uint32_t code,
                             size_t row_capacity) {
  if (ids->wide.empty() && code >= IdTexts::kMax16 && code < kWideNotAsked) {
    // More texts than 16 bits number beside the non-answers: this chunk's codes go wide.
    ids->wide.resize(row_capacity);
    const uint16_t* local = t.local16 + (at - row);
    for (size_t r = 0; r < row; ++r) {
      ids->wide[r] = local[r] >= IdTexts::kMax16 ? 0xFFFF0000u | local[r] : local[r];
    }
  }
  if (ids->wide.empty()) {
    t.local16[at] = static_cast<uint16_t>(code);
  } else {
    ids->wide[row] = code;
  }
}

void Loader::EncodeIdentifier(const Target& t, std::string_view raw, uint8_t state, size_t row,
                              size_t record_pos, size_t row_capacity, TargetResult* result,
                              size_t at) {
  uint32_t code = WideState(state);
  if (state == kCodeAnswered && (code = result->ids.Find(raw)) == IdTexts::kNotFound) {
    double number = kNaN;
    bool consumed = FastDecimal(raw, &number);
    if (!consumed) ParseNumber(raw, &consumed, &number);
    if (consumed && std::isfinite(number)) {
      code = result->ids.Add(raw, number);
    } else {
      if (result->bad_row == kNone) {
        result->bad_row = row;
        result->bad_row_pos = record_pos;
        result->bad_value = std::string(raw);
      }
      code = WideState(kCodeMissing);
    }
  }
  StoreIdentifier(t, &result->ids, at, row, code, row_capacity);
}

Column Loader::IdentifierCodes(const Target& t, size_t k, size_t rows) const {
  // Codes by value in order of first appearance in the file: the chunks in order, and each
  // chunk's texts in their order of first appearance (NumbersAsCodes' numbering).
  Column column;
  column.kind = ColumnKind::kSingle;
  std::unordered_map<uint64_t, uint32_t> index;  // a value's bits (+0 for -0) to its code
  std::vector<std::vector<uint32_t>> remap(chunks_.size());
  for (size_t c = 0; c < chunks_.size(); ++c) {
    for (double value : chunks_[c].results[k].ids.values()) {
      auto [it, added] = index.emplace(std::bit_cast<uint64_t>(value + 0.0),
                                       static_cast<uint32_t>(column.options.size()));
      if (added) column.options.push_back(IdentifierName(value));
      remap[c].push_back(it->second);
    }
  }
  // The column's codes over the local ones, front to back (a code is never written past the
  // local code it comes from, nor in its width past it: rows only move towards the front),
  // closing the gaps of blank lines; past 16 bits, in a column of their own. A loop per width
  // and per kind of local codes: a row is a load, a lookup and a store (one thread, so that
  // it costs little at 10 million rows).
  const int width = SingleCodeWidth(column.options.size());
  std::vector<uint32_t> codes32(width == 4 ? rows : 0);
  auto* codes8 = reinterpret_cast<uint8_t*>(t.local16);
  auto rewrite = [&](auto* out) {
    using Code = std::remove_pointer_t<decltype(out)>;
    size_t to = 0;
    for (size_t c = 0; c < chunks_.size(); ++c) {
      const std::vector<uint32_t>& wide = chunks_[c].results[k].ids.wide;
      const uint32_t* global = remap[c].data();
      const size_t n = chunks_[c].rows;
      if (wide.empty()) {
        const uint16_t* local = t.local16 + chunks_[c].row_offset;
        for (size_t i = 0; i < n; ++i, ++to) {
          const uint32_t code = local[i];
          out[to] = static_cast<Code>(code >= IdTexts::kMax16 ? 0xFFFF0000u | code : global[code]);
        }
      } else {
        for (size_t i = 0; i < n; ++i, ++to) {
          const uint32_t code = wide[i];
          out[to] = static_cast<Code>(code >= kWideNotAsked ? code : global[code]);
        }
      }
    }
  };
  if (width == 1) {
    rewrite(codes8);
  } else if (width == 2) {
    rewrite(t.local16);
  } else {
    rewrite(codes32.data());
  }
  const size_t room = total_capacity_ * sizeof(uint16_t);
  if (width == 1) {
    column.planes.push_back(Buffer<uint8_t>::View(codes8, rows, arena_));
    ColumnArena::Drop(codes8 + rows, room - rows);
  } else if (width == 2) {
    column.codes16 = Buffer<uint16_t>::View(t.local16, rows, arena_);
  } else {
    column.codes32 = std::move(codes32);
    ColumnArena::Drop(t.local16, room);
  }
  return column;
}

}  // namespace

Result<csv::Table> ReadCsvHeader(const std::string& path) {
  Input input;
  NGO_TRY(input.Open(path));
  std::string_view data = input.data();
  csv::Table table;
  table.file = path;
  size_t body_begin = 0;
  if (auto error = ReadHeaderRecord(data, &table.header, &body_begin)) {
    return tl::unexpected(HeaderError(*error, data, path));
  }
  size_t pos = 0;
  if (CheckUtf8(data, &pos, body_begin) != kNone)
    return tl::unexpected(*FirstUtf8Error(data, path));
  return table;
}

Result<Dataset> LoadCsvFile(const form::Form& form, const std::string& path,
                            const LoadDataOptions& options, Diagnostics* diags,
                            const CsvLoadSettings& settings) {
  Input input;
  NGO_TRY(input.Open(path));
  Loader loader(form, options, settings, input, path);
  return loader.Run(diags);
}

Result<Dataset> LoadCsvText(const form::Form& form, std::string_view text,
                            const std::string& file_name, const LoadDataOptions& options,
                            Diagnostics* diags, const CsvLoadSettings& settings) {
  Input input;
  Status status = Ok();
  input.Borrow(text, file_name, &status);
  NGO_TRY(status);
  Loader loader(form, options, settings, input, file_name);
  return loader.Run(diags);
}

}  // namespace ngosurvey::analysis
