// CSV (RFC 4180) reading. One reader serves imports, the sample frame, the study's
// published tables and table data: quoted fields with commas, quotes and line
// breaks, \r\n or \n line ends, a UTF-8 byte-order mark, UTF-16 files with a BOM
// (converted to UTF-8). Input that is not UTF-8 (e.g. Windows-1252 saved by Excel)
// is refused with the row and column of the first bad byte, never guessed at.
//
// Every error names the file, the 1-based line and the 1-based column (field
// number) where it happened. Limits keep hostile input from exhausting memory.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::csv {

struct Options {
  char delimiter = ',';
  // A field longer than this is an error (CSV003), not a memory blow-up.
  size_t max_field_bytes = size_t{64} << 20;
  // A row with more fields than this is an error (CSV004).
  size_t max_fields_per_row = 100000;
  // When true, rows with a different number of fields than the header are errors
  // (CSV005); when false they are padded with empty fields or kept longer.
  bool require_rectangular = true;
  // When true, two header cells with the same name are an error (CSV006).
  bool require_unique_header = true;
};

// A whole CSV file in memory: the header row and the data rows.
struct Table {
  std::string file;  // for error locations
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  // 1-based line where each data row starts
  // For a table of some of a file's columns: the file's column (0-based) of each of
  // the first header cells; Where reports that column. Empty: the file's own columns.
  std::vector<int> file_columns;
  // Columns copied in from other files' rows (a repeat's rows carry their parents' columns,
  // analysis/units.cpp): columns first_borrowed, first_borrowed + 1, ... come from
  // borrowed[0], borrowed[1], ...; Where reports the other file's line and column.
  struct Origin {
    std::string file;
    std::vector<int> row_lines;  // for each row of this table, its origin row's line
  };
  struct BorrowedColumn {
    size_t origin = 0;    // index in origins
    int file_column = 0;  // 0-based, in the origin's file
  };
  std::vector<Origin> origins;
  std::vector<BorrowedColumn> borrowed;
  size_t first_borrowed = 0;

  // Index of the header cell equal to `name`, or nullopt.
  std::optional<size_t> ColumnIndex(std::string_view name) const;

  // Location of data row `row_idx`, field `column_idx` (both 0-based), as a
  // 1-based line and column for error messages.
  Location Where(size_t row_idx, size_t column_idx) const;
};

// Parses a whole CSV text whose first row is the header. Errors (code, where):
//   CSV001 empty input (no header row)
//   CSV002 unterminated quoted field (line where the quote opened)
//   CSV003 field longer than max_field_bytes
//   CSV004 more than max_fields_per_row fields
//   CSV005 row with a different number of fields than the header
//   CSV006 duplicate header name
//   CSV007 not UTF-8 (line and column of the first invalid byte)
//   CSV008 stray quote inside an unquoted field
Result<Table> ParseTable(std::string_view data, const std::string& file_name,
                         const Options& options = {});

// Reads and parses a file (ReadFile's errors, then ParseTable's).
Result<Table> ReadTable(const std::string& path, const Options& options = {});

// Converts UTF-16 (with BOM) to UTF-8 and strips a UTF-8 BOM; returns other input
// unchanged. Exposed for readers of other text formats.
Result<std::string> NormalizeEncoding(std::string_view data, const std::string& file_name);

// Streaming reader for large files: yields one record at a time without holding
// the file's rows in memory. `data` must outlive the reader (e.g. a mapped file).
class RowReader {
 public:
  RowReader(std::string_view data, std::string file_name, Options options = {});

  // Reads the next record into *fields (reusing its storage). Returns false at end
  // of input; an error for malformed input (codes as above).
  Result<bool> Next(std::vector<std::string>* fields);

  // 1-based line on which the record last returned by Next() starts.
  int line() const { return record_line_; }
  // Bytes consumed so far.
  size_t offset() const { return pos_; }

 private:
  std::string_view data_;
  std::string file_;
  Options options_;
  size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 0;
};

// ParseTable's checks and results, a chunk of rows at a time, for files too large
// to hold as a Table: the same encodings (UTF-16 converted, a UTF-8 BOM skipped),
// the same UTF-8 check of the whole input up front, the same header and row rules
// and error codes. `data` must outlive the reader (e.g. a mapped file).
class TableReader {
 public:
  TableReader(std::string_view data, std::string file_name, Options options = {});
  // Checks the encoding and reads the header (CSV001, CSV006, CSV007...). The
  // encoding check reads the whole input first; `scanned`, when set, is told every
  // few MiB how many bytes of `data` it has read, so that a caller with the input
  // mapped can release the pages behind it (a whole-file check of a mapped file
  // otherwise keeps the file in the process's resident memory).
  Status Start(const std::function<void(size_t scanned)>& scanned = {});
  const std::vector<std::string>& header() const { return header_; }
  // Replaces chunk->rows and chunk->row_lines with the next rows (at most `max`);
  // sets chunk->file and chunk->header. False when no row was left.
  Result<bool> Next(size_t max, Table* chunk);
  // Bytes of `data` consumed so far (to release a mapping behind the reader);
  // 0 when the input was converted from UTF-16.
  size_t consumed() const;

 private:
  std::string_view data_;
  std::string converted_;  // UTF-16 input as UTF-8
  std::string file_;
  Options options_;
  size_t skipped_ = 0;  // BOM bytes
  std::optional<RowReader> reader_;
  std::vector<std::string> header_, fields_;
};

// Appends one CSV record (fields quoted as needed, as text::AppendCsvField in
// base/escape.h does) and "\n".
void AppendRow(const std::vector<std::string>& fields, std::string* out, char delimiter = ',');

}  // namespace ngosurvey::csv
