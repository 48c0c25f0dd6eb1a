// The streaming CSV loader: a CSV export plus its form straight into a Dataset,
// without a std::string per cell. It gives the same Dataset, the same diagnostics
// and the same first error (code, file, line, column) as csv::ReadTable followed by
// LoadCsvWithForm (load_data.h, whose rules it follows: refused and don't-know codes,
// relevance for empty cells, numeric calculates, extra grouping columns), on any input.
//
// How (docs/ARCHITECTURE.md, "Loading a CSV"):
//   1. The file is memory-mapped (read into memory for stdin or UTF-16 input); the
//      mapping serves the header and error positions, while both passes below read
//      the body with pread() in pieces (CsvLoadSettings::read_bytes, 256 KiB) into
//      buffers of their own: no page faults, and the bytes are parsed from the CPU's
//      cache. A file that shrinks while it is read (another program rewriting it) is
//      error IO001, found before anything reads the mapping past its new end.
//   2. A first parallel pass counts quotes and record ends per byte range; quote
//      parity then gives every range a record boundary, and the counts the number of
//      rows, so every column is allocated once at its final size.
//   3. The chunks between boundaries are parsed in parallel (RFC 4180 as in base/csv:
//      quotes, doubled quotes, quoted line breaks, CRLF, a UTF-8 BOM; a record with
//      none of these is split at its commas 64 bytes at a time; a record cut by the
//      end of a read is read again from its start) and each field a table needs is
//      encoded in place into its column (cells of one or two bytes by a table of
//      their final byte; one-byte select_multiple options separated by single
//      spaces straight to bits; else one lookup per cell from its text to its code,
//      shared by columns with the same choices; plain decimals by Clinger's exact
//      fast path, others with std::from_chars). Fields no table needs are skipped.
//      The columns live in one uninitialised arena (no zero-fill; huge pages). UTF-8
//      is checked as the bytes are parsed, except in ranges the first pass found to
//      be pure ASCII. A file does not count against the peak memory (read in
//      pieces; standard input is read whole first).
//   4. Malformed input (a structural CSV error) is parsed once more from the start on
//      one thread, so that the error reported is the first one of the file.
#pragma once

#include <string>
#include <string_view>

#include "analysis/dataset.h"
#include "analysis/load_data.h"
#include "base/csv.h"
#include "base/diagnostic.h"
#include "base/progress.h"
#include "form/form.h"

namespace ngosurvey::analysis {

struct CsvLoadSettings {
  int threads = 0;               // 0: the machine's cores
  Progress* progress = nullptr;  // "loading DATA.csv" in bytes; none when null
  // Bytes per parallel range of the first pass (tests make it small to exercise the
  // boundaries); 0 = a default that gives a few ranges per thread.
  size_t range_bytes = 0;
  // Bytes per read of a file (the passes read it in pieces of this size into a buffer
  // of their own; tests make it small to cut records at every place); 0 = 256 KiB.
  size_t read_bytes = 0;
};

// The header row of a CSV file (the first non-blank record), as a csv::Table without
// rows, for AddGroupingColumns and the CLI's column checks. Errors as csv::ReadTable
// (IO001, CSV001..CSV008 of the header's bytes).
Result<csv::Table> ReadCsvHeader(const std::string& path);

// Loads `path` ("-" = standard input). Errors as csv::ReadTable then LoadCsvWithForm.
Result<Dataset> LoadCsvFile(const form::Form& form, const std::string& path,
                            const LoadDataOptions& options, Diagnostics* diags,
                            const CsvLoadSettings& settings = {});

// Loads CSV text already in memory (as read from a file: a BOM or UTF-16 is handled
// here); `file_name` is for error locations.
Result<Dataset> LoadCsvText(const form::Form& form, std::string_view text,
                            const std::string& file_name, const LoadDataOptions& options,
                            Diagnostics* diags, const CsvLoadSettings& settings = {});

}  // namespace ngosurvey::analysis
