// Fuzz target for the CSV import mapping (exchange/import.h): any bytes, read as a main
// file and a repeat file (split at the first line "--- programs"), checked against a small
// form with groups, a repeat, selects (or_other in a group and in the repeat), a geopoint
// and a photo in a group, numbers, dates, constraints and relevance, must give a plan or
// an error with a location, never a crash or a hang. The form is built in memory. Seeds
// cover the platforms' layouts (docs/formats/platform-exports.md): Kobo's with specify
// texts, geopoint parts, media URLs and "_..." columns, Central's with hyphens and
// geopoint parts, Ona's with n/a and flattened repeats.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/csv.h"
#include "exchange/import.h"
#include "form/form.h"
#include "store/store.h"

namespace {

using namespace ngosurvey;

form::Sheet SheetFromCsv(const char* name, std::string_view text) {
  form::Sheet sheet;
  sheet.name = name;
  sheet.loaded = true;
  auto table = csv::ParseTable(text, name);
  if (!table) __builtin_trap();
  std::vector<std::vector<std::string>> rows = {table->header};
  rows.insert(rows.end(), table->rows.begin(), table->rows.end());
  for (size_t r = 0; r < rows.size(); ++r) {
    form::Row row{static_cast<int>(r + 1), {}};
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      row.cells.push_back(form::Cell{static_cast<int>(r + 1), static_cast<int>(c + 1),
                                     form::CellKind::kString, rows[r][c], 0});
    }
    if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

const form::Form& TheForm() {
  static const form::Form form = [] {
    form::Workbook workbook;
    workbook.file = "fuzz.xlsx";
    workbook.sheets.push_back(
        SheetFromCsv("survey",
                     "type,name,label,relevant,constraint\n"
                     "start,start,,,\n"
                     "text,org_id,Org,,\"regex(., '^[A-Z]{2}[0-9]{2}$')\"\n"
                     "begin_group,profile,Profile,,\n"
                     "integer,staff_n,Staff,,. >= 0\n"
                     "decimal,budget,Budget,,\n"
                     "select_one yn,shelter,Shelter,,\n"
                     "integer,beds,Beds,${shelter} = 'yes',. > 0\n"
                     "end_group,,,,\n"
                     "select_multiple svc,services,Services,,\"not(selected(., 'none') and "
                     "count-selected(.) > 1)\"\n"
                     "date,founded,Founded,,\n"
                     "select_one yn or_other,heard,Heard,,\n"
                     "begin_group,geo,Where,,\n"
                     "geopoint,loc,Location,,\n"
                     "image,photo,Photo,,\n"
                     "end_group,,,,\n"
                     "begin_repeat,programs,Programmes,,\n"
                     "text,pname,Name,,\n"
                     "select_multiple svc or_other,pservices,Services,,\n"
                     "integer,pstaff,Staff,count(${programs}) > 0,. >= 0\n"
                     "end_repeat,,,,\n"));
    workbook.sheets.push_back(
        SheetFromCsv("choices",
                     "list_name,name,label\nyn,yes,Yes\nyn,no,No\nyn,refused,Refused\n"
                     "svc,shelter,Shelter\nsvc,legal,Legal\nsvc,none,None\n"));
    workbook.sheets.push_back(SheetFromCsv("settings", "form_id,version\nfuzz_form,1\n"));
    Diagnostics diags;
    auto built = form::BuildForm(workbook, &diags);
    if (!built) __builtin_trap();
    return *built;
  }();
  return form;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<store::Store> store = std::move(*store::OpenStore("memory:"));
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view main = input, programs;
  if (size_t split = input.find("\n--- programs\n"); split != std::string_view::npos) {
    main = input.substr(0, split + 1);
    programs = input.substr(split + 14);
  }
  csv::Options options = exchange::ImportCsvOptions();
  options.max_field_bytes = 1 << 16;
  options.max_fields_per_row = 1 << 10;
  auto main_table = csv::ParseTable(main, "main.csv", options);
  if (!main_table) return 0;
  std::vector<exchange::RepeatTable> repeats;
  if (!programs.empty()) {
    auto table = csv::ParseTable(programs, "programs.csv", options);
    if (!table) return 0;
    repeats.push_back({"programs", std::move(*table)});
  }
  const form::Form& form = TheForm();
  store::FormVersion version{"fuzz_form", "1", "", "PK", "", 0};
  auto plan = exchange::PlanImport(form, version, *main_table, repeats, {}, *store);
  if (!plan) {
    if (plan.error().code.empty() || plan.error().where.file.empty()) __builtin_trap();
    return 0;
  }
  // Every reason has a code; every accepted submission passes the store's own checks.
  for (const auto& rejected : plan->rejected) {
    for (const Error& reason : rejected.reasons) {
      if (reason.code.empty()) __builtin_trap();
    }
  }
  auto other = store::OpenStore("memory:");
  if (!(*other)->CreateSubmissions(plan->batch)) __builtin_trap();
  (void)exchange::RejectsCsv(plan->rejected);
  return 0;
}
