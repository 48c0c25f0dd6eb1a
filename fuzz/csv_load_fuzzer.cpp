// Fuzz target for the streaming CSV loader (analysis/csv_load.h): a differential
// check against the reference path. Any bytes, read as a CSV export of a fixed form
// (select_one, select_multiple over two byte planes, integer and decimal questions,
// relevance on a question and on a group, text, numeric and text calculates), must
// give the same outcome from three loaders:
//   - the reference: csv::ParseTable, then LoadCsvWithForm (load_data.h);
//   - LoadCsvText, the streaming loader over text in memory;
//   - LoadCsvFile over an anonymous memory file (memfd_create: nothing touches the
//     disk), which reads the body in pieces (CsvLoadSettings::read_bytes) and cuts
//     records at the pieces' ends.
// Same outcome: both fail with the same error (code, file, line, column, message),
// or both give bit-identical datasets; and the same diagnostics either way. The
// loader's fast paths (64-byte record splitting, short cells by table, Clinger's
// decimals, ASCII ranges with no UTF-8 check) each have a general path beside them,
// so a difference is a bug of one of them.
//
// Input layout: byte 0 chooses the settings (threads, range and read sizes, refused
// codes, listed items) and whether the form's header line is put first (most of the
// work is in the body, and a fuzzer rarely invents a header that names the form's
// questions); byte 1 the form (modulo 3); the rest is the CSV.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "analysis/csv_load.h"
#include "analysis/load_data.h"
#include "analysis/testing/loader_forms.h"
#include "base/csv.h"

namespace {

using namespace ngosurvey;
using namespace ngosurvey::analysis;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// The loader test forms (analysis/testing/loader_forms.h), built once.
struct FormCase {
  form::Form form;
  const char* header;
};
form::Form Built(Result<form::Form> form) {
  Check(form.has_value());
  return *std::move(form);
}
const FormCase& TheForm(uint8_t which) {
  static const FormCase cases[] = {{Built(testing::EveryKindForm()), testing::kEveryKindHeader},
                                   {Built(testing::FastPathForm()), testing::kFastPathHeader},
                                   {Built(testing::ShortCodeForm()), testing::kShortCodeHeader}};
  return cases[which % 3];
}

std::string Describe(const Diagnostics& diags) {
  std::string out;
  for (const auto& item : diags.items()) out += item.error.ToString() + "\n";
  return out;
}

bool SameColumn(const Column& x, const Column& y) {
  if (x.name != y.name || x.label != y.label || x.kind != y.kind || x.options != y.options ||
      x.option_labels != y.option_labels || x.relevant != y.relevant ||
      x.planes.size() != y.planes.size() || !(x.states == y.states) ||
      x.numbers.size() != y.numbers.size()) {
    return false;
  }
  for (size_t p = 0; p < x.planes.size(); ++p) {
    if (!(x.planes[p] == y.planes[p])) return false;
  }
  // Bit for bit: the same double from both parsers, and -0.0 is not 0.0.
  return x.numbers.empty() ||
         std::memcmp(x.numbers.data(), y.numbers.data(), x.numbers.size() * sizeof(double)) == 0;
}

// Same outcome as the reference (see the top of the file).
void CheckSame(const Result<Dataset>& reference, const Diagnostics& reference_diags,
               const Result<Dataset>& loaded, const Diagnostics& loaded_diags) {
  Check(Describe(reference_diags) == Describe(loaded_diags));
  Check(reference.has_value() == loaded.has_value());
  if (!reference) {
    Check(reference.error().ToString() == loaded.error().ToString());
    return;
  }
  Check(reference->rows() == loaded->rows());
  Check(reference->columns().size() == loaded->columns().size());
  for (size_t c = 0; c < reference->columns().size(); ++c) {
    Check(SameColumn(reference->columns()[c], loaded->columns()[c]));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t choice = data[0];
  const FormCase& form_case = TheForm(data[1]);
  const bool every_kind = data[1] % 3 == 0;
  std::string text;
  if (choice & 0x80) text = std::string(form_case.header) + "\n";
  text.append(reinterpret_cast<const char*>(data + 2), size - 2);

  CsvLoadSettings settings;
  settings.threads = (choice & 1) ? 2 : 1;
  static constexpr size_t kRanges[] = {0, 7, 23, 61};
  settings.range_bytes = kRanges[(choice >> 1) & 3];
  static constexpr size_t kReads[] = {1, 6, 64, 0};
  settings.read_bytes = kReads[(choice >> 3) & 3];
  LoadDataOptions options;
  if (choice & 0x20) options.refused_codes = {"99", " refused "};
  if ((choice & 0x40) && every_kind) {
    options.items = {"s1", "m1", "d1"};
    options.extra_single = {"t1"};
  }

  // The memory file first: its name is the one every loader reports errors with.
  int fd = ::memfd_create("data.csv", MFD_CLOEXEC);
  if (fd < 0) return 0;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const std::string path = "/proc/self/fd/" + std::to_string(fd);

  const form::Form& form = form_case.form;
  Diagnostics reference_diags;
  auto table = csv::ParseTable(text, path);
  Result<Dataset> reference = table ? LoadCsvWithForm(form, *table, options, &reference_diags)
                                    : Result<Dataset>(tl::unexpected(table.error()));

  Diagnostics text_diags;
  Result<Dataset> from_text = LoadCsvText(form, text, path, options, &text_diags, settings);
  CheckSame(reference, reference_diags, from_text, text_diags);

  if (written) {
    Diagnostics file_diags;
    Result<Dataset> from_file = LoadCsvFile(form, path, options, &file_diags, settings);
    CheckSame(reference, reference_diags, from_file, file_diags);
  }
  ::close(fd);
  return 0;
}
