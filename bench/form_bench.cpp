// Loading and validating a large XLSForm: a generated workbook of 10,000 survey
// rows (groups of 50 questions) with 2,000 expressions (relevance, constraints and
// calculations referring to earlier questions) and 20 choice lists. The workbook
// is built in memory with libzip in the setup, so the timed part is exactly what
// `ngosurvey form check` does after reading the file. Goal: under 200 ms.
#include <benchmark/benchmark.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "form/form.h"
#include "form/xform_writer.h"
#include "form/xlsx_reader.h"
#include "form/xlsx_reader_paths.h"

namespace {

std::string InlineCell(const std::string& ref, const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '<')
      escaped += "&lt;";
    else if (c == '&')
      escaped += "&amp;";
    else if (c == '>')
      escaped += "&gt;";
    else
      escaped += c;
  }
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + escaped + "</t></is></c>";
}

std::string SheetXml(const std::vector<std::vector<std::string>>& rows) {
  static const char* kColumns[] = {"A", "B", "C", "D", "E", "F", "G"};
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string number = std::to_string(r + 1);
    xml += "<row r=\"" + number + "\">";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (!rows[r][c].empty()) xml += InlineCell(kColumns[c] + number, rows[r][c]);
    }
    xml += "</row>";
  }
  return xml + "</sheetData></worksheet>";
}

// Returns the bytes of an .xlsx holding `parts`.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& [name, data] : parts) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
  }
  zip_close(archive);
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<size_t>(size), '\0');
  zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

int g_expressions = 0;  // how many MakeForm made

std::string MakeForm(int rows, int expressions) {
  std::vector<std::vector<std::string>> survey = {{"type", "name", "label::English (en)",
                                                   "label::Khmer (km)", "relevant", "constraint",
                                                   "calculation"}};
  int made = 0, questions = 0;
  // Groups take a row each; every fourth question carries an expression until
  // `expressions` are made.
  int every = 4;
  for (int group = 0; static_cast<int>(survey.size()) < rows; ++group) {
    survey.push_back({"begin_group", "g" + std::to_string(group), "Group", "ក្រុម", "", "", ""});
    for (int i = 0; i < 48 && static_cast<int>(survey.size()) < rows - 1; ++i, ++questions) {
      std::string name = "q" + std::to_string(questions);
      std::string previous = "${q" + std::to_string(questions > 0 ? questions - 1 : 0) + "}";
      bool expression = made < expressions && questions % every == every - 1;
      if (expression && questions % 3 == 0) {
        survey.push_back({"calculate", name, "", "", "", "",
                          "if(" + previous + " > 3, " + previous + " * 2, 0)"});
      } else if (expression && questions % 3 == 1) {
        survey.push_back({"integer", name, "Question", "សំណួរ", previous + " != ''", "", ""});
      } else if (expression) {
        survey.push_back({"integer", name, "Question", "សំណួរ", "", ". >= 0 and . <= 100", ""});
      } else if (questions % 10 == 5) {
        survey.push_back({"select_one list" + std::to_string(questions / 10 % 20), name, "Question",
                          "សំណួរ", "", "", ""});
      } else {
        survey.push_back({"integer", name, "Question", "សំណួរ", "", "", ""});
      }
      if (expression) ++made;
    }
    survey.push_back({"end_group", "", "", "", "", "", ""});
  }
  g_expressions = made;
  std::vector<std::vector<std::string>> choices = {
      {"list_name", "name", "label::English (en)", "label::Khmer (km)"}};
  for (int list = 0; list < 20; ++list) {
    for (int c = 0; c < 5; ++c) {
      choices.push_back(
          {"list" + std::to_string(list), "c" + std::to_string(c), "Choice", "ជម្រើស"});
    }
  }
  const std::string ns =
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  return Zip({
      {"xl/workbook.xml",
       "<workbook " + ns +
           "><sheets><sheet name=\"survey\" sheetId=\"1\" r:id=\"rId1\"/>"
           "<sheet name=\"choices\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" +
           rel +
           "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" +
           rel +
           "worksheet\" Target=\"worksheets/sheet2.xml\"/>"
           "</Relationships>"},
      {"xl/worksheets/sheet1.xml", SheetXml(survey)},
      {"xl/worksheets/sheet2.xml", SheetXml(choices)},
  });
}

const std::string& Workbook() {
  static const std::string data = MakeForm(10000, 2000);
  return data;
}

void BM_LoadAndValidateForm(benchmark::State& state) {
  const std::string& data = Workbook();
  size_t questions = 0, diagnostics = 0;
  for (auto _ : state) {
    ngosurvey::Diagnostics diags;
    auto form = ngosurvey::form::LoadForm(data, "bench.xlsx", &diags);
    if (!form) {
      state.SkipWithError(form.error().ToString().c_str());
      return;
    }
    questions = form->questions.size();
    diagnostics = diags.items().size();
    benchmark::DoNotOptimize(form->questions.data());
  }
  state.counters["questions"] = static_cast<double>(questions);
  state.counters["diagnostics"] = static_cast<double>(diagnostics);
  state.counters["xlsx_bytes"] = static_cast<double>(data.size());
  state.counters["expressions"] = static_cast<double>(g_expressions);
}
BENCHMARK(BM_LoadAndValidateForm)->Unit(benchmark::kMillisecond);

void BM_ReadWorkbookOnly(benchmark::State& state) {
  const std::string& data = Workbook();
  for (auto _ : state) {
    auto book = ngosurvey::form::ReadXlsx(data, "bench.xlsx");
    benchmark::DoNotOptimize(book->sheets.data());
  }
}
BENCHMARK(BM_ReadWorkbookOnly)->Unit(benchmark::kMillisecond);

void BM_StructureOnly(benchmark::State& state) {
  const std::string& data = Workbook();
  ngosurvey::form::LoadOptions options;
  options.check_expressions = false;
  for (auto _ : state) {
    ngosurvey::Diagnostics diags;
    auto form = ngosurvey::form::LoadForm(data, "bench.xlsx", &diags, options);
    benchmark::DoNotOptimize(form->questions.data());
  }
}
BENCHMARK(BM_StructureOnly)->Unit(benchmark::kMillisecond);

// The XForm writer alone (form/xform_writer.h) on the loaded 10,000-row form.
void BM_WriteXForm(benchmark::State& state) {
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::LoadForm(Workbook(), "bench.xlsx", &diags);
  if (!form) {
    state.SkipWithError(form.error().ToString().c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    auto xml = ngosurvey::form::WriteXForm(*form);
    if (!xml) {
      state.SkipWithError(xml.error().ToString().c_str());
      return;
    }
    bytes = xml->size();
    benchmark::DoNotOptimize(xml->data());
  }
  state.counters["xml_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_WriteXForm)->Unit(benchmark::kMillisecond);

// `form xform`'s phases on a workbook file, NGOSURVEY_BENCH_XLSX (bench/xform_bench.py
// writes its generated gen10k.xlsx): the .xlsx read (unzip and XML), the form built
// and checked from it, and the XForm written. Without the variable they report an error.
const std::string* BenchFile() {
  static const std::optional<std::string> data = []() -> std::optional<std::string> {
    const char* path = std::getenv("NGOSURVEY_BENCH_XLSX");
    if (path == nullptr) return std::nullopt;
    auto read = ngosurvey::ReadFile(path);
    if (!read) return std::nullopt;
    return *read;
  }();
  return data ? &*data : nullptr;
}

ngosurvey::form::XlsxOptions FormSheets() {
  ngosurvey::form::XlsxOptions options;  // as LoadForm reads a workbook
  options.want_sheet = [](std::string_view name) {
    std::string lower = ngosurvey::text::AsciiLower(name);
    return lower == "survey" || lower == "choices" || lower == "settings" ||
           lower == "external_choices";
  };
  options.read_lone_sheet = true;
  return options;
}

void BM_FileReadXlsx(benchmark::State& state) {
  const std::string* data = BenchFile();
  if (!data) return state.SkipWithError("set NGOSURVEY_BENCH_XLSX to an .xlsx file");
  for (auto _ : state) {
    auto book = ngosurvey::form::ReadXlsx(*data, "bench.xlsx", FormSheets());
    if (!book) return state.SkipWithError(book.error().ToString().c_str());
    benchmark::DoNotOptimize(book->sheets.data());
  }
}
BENCHMARK(BM_FileReadXlsx)->Unit(benchmark::kMillisecond);

// The same read with every part parsed into pugixml's document (the reader's path for
// what its scan leaves, and its only path before the scan), for comparison.
void BM_FileReadXlsxDocument(benchmark::State& state) {
  const std::string* data = BenchFile();
  if (!data) return state.SkipWithError("set NGOSURVEY_BENCH_XLSX to an .xlsx file");
  for (auto _ : state) {
    auto book = ngosurvey::form::ReadXlsxDocumentOnly(*data, "bench.xlsx", FormSheets());
    if (!book) return state.SkipWithError(book.error().ToString().c_str());
    benchmark::DoNotOptimize(book->sheets.data());
  }
}
BENCHMARK(BM_FileReadXlsxDocument)->Unit(benchmark::kMillisecond);

void BM_FileBuildForm(benchmark::State& state) {
  const std::string* data = BenchFile();
  if (!data) return state.SkipWithError("set NGOSURVEY_BENCH_XLSX to an .xlsx file");
  auto book = ngosurvey::form::ReadXlsx(*data, "bench.xlsx", FormSheets());
  if (!book) return state.SkipWithError(book.error().ToString().c_str());
  for (auto _ : state) {
    ngosurvey::Diagnostics diags;
    auto form = ngosurvey::form::BuildForm(*book, &diags);
    if (!form) return state.SkipWithError(form.error().ToString().c_str());
    benchmark::DoNotOptimize(form->questions.data());
  }
}
BENCHMARK(BM_FileBuildForm)->Unit(benchmark::kMillisecond);

void BM_FileWriteXForm(benchmark::State& state) {
  const std::string* data = BenchFile();
  if (!data) return state.SkipWithError("set NGOSURVEY_BENCH_XLSX to an .xlsx file");
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::LoadForm(*data, "bench.xlsx", &diags);
  if (!form) return state.SkipWithError(form.error().ToString().c_str());
  size_t bytes = 0;
  for (auto _ : state) {
    auto xml = ngosurvey::form::WriteXForm(*form, {"bench"});
    if (!xml) return state.SkipWithError(xml.error().ToString().c_str());
    bytes = xml->size();
    benchmark::DoNotOptimize(xml->data());
  }
  state.counters["xml_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_FileWriteXForm)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
