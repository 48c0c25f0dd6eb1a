// Fuzz target for the codings CSV import (exchange/codings.h, ImportCodings): any bytes,
// read as a codings file for the `remarks` question of tests/data/exchange/form.xlsx
// against a small codebook, into a fresh in-memory store holding three submissions
// (ASCII, Vietnamese and a line break in their answers). It must give an import or an
// error with a code and the file name, never a crash; a refused file stores nothing;
// an accepted one exports and re-imports to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/file.h"
#include "exchange/codings.h"
#include "form/codebook.h"
#include "store/store.h"

namespace {

using namespace ngosurvey;

const std::string& FormBytes() {
  static const std::string bytes = [] {
    auto read = ReadFile(std::string(NGOSURVEY_SOURCE_DIR) + "/tests/data/exchange/form.xlsx");
    if (!read) __builtin_trap();
    return *read;
  }();
  return bytes;
}

const form::Codebook& Book() {
  static const form::Codebook book = [] {
    auto parsed = form::ParseCodebook(
        "version = \"1\"\n[[theme]]\nid = \"funding\"\nlabel = \"Funding\"\n"
        "[[theme]]\nid = \"staff\"\nparent = \"funding\"\nlabel = \"Staff\"\n",
        "book.toml");
    if (!parsed) __builtin_trap();
    return *parsed;
  }();
  return book;
}

std::unique_ptr<store::Store> FreshStore() {
  auto opened = store::OpenStore("memory:");
  if (!opened) __builtin_trap();
  store::FormVersion form;
  form.form_id = "exchange_demo";
  form.version = "2026112501";
  form.xlsx = FormBytes();
  if (!(*opened)->PutForm(form)) __builtin_trap();
  const char* texts[] = {"Needs funding, urgently", "Tổ chức phi chính phủ", "line one\nline two"};
  for (int i = 0; i < 3; ++i) {
    store::Submission s;
    s.instance_id = "uuid:0000000" + std::to_string(i + 1) + "-0000-4000-8000-000000000000";
    s.form_id = form.form_id;
    s.form_version = form.version;
    s.status = store::SubmissionStatus::kComplete;
    s.started_at_ms = 1000 + i;
    s.ended_at_ms = 2000 + i;
    s.answers["remarks"] = form::Answer::Answered(texts[i]);
    if (!(*opened)->CreateSubmission(s)) __builtin_trap();
  }
  return std::move(*opened);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto db = FreshStore();
  exchange::CodingImportOptions options;
  options.question = "remarks";
  options.codebook = &Book();
  auto imported = exchange::ImportCodings(*db, input, "fuzz.csv", options);
  if (!imported) {
    if (imported.error().code.empty()) __builtin_trap();
    auto listed = db->ListCodings("remarks");
    if (!listed || !listed->empty()) __builtin_trap();  // nothing stored
    return 0;
  }
  auto exported = exchange::ExportCodings(*db, "remarks");
  if (!exported) __builtin_trap();
  auto again = exchange::ImportCodings(*db, *exported, "again.csv", options);
  if (!again) __builtin_trap();
  auto exported_again = exchange::ExportCodings(*db, "remarks");
  if (!exported_again || *exported_again != *exported) __builtin_trap();
  return 0;
}
