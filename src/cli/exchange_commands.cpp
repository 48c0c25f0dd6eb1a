// `ngosurvey import` and `ngosurvey export`: survey data in and out of a store
// (exchange/import.h, exchange/export.h; docs/exchange.md).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/file.h"
#include "base/zip_archive.h"
#include "cli/command.h"
#include "cli/passphrase.h"
#include "exchange/central_zip.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/media.h"
#include "exchange/odk_crypto.h"
#include "exchange/odk_import.h"
#include "exchange/pseudonymise.h"
#include "exchange/xlsx_export.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct ImportOptions {
  std::string db;
  std::string form;
  std::string file;
  std::vector<std::string> repeats;  // NAME=FILE.csv
  std::string wave;
  std::string skip_invalid;  // rejects CSV path
  std::string private_key;   // PEM file: decrypt encrypted ODK submissions
  std::string passphrase_file;
};

struct ExportOptions {
  std::string db;
  std::string form;
  std::string format;
  std::string lang;
  std::string wave;
  bool include_pretest = false;
  bool pseudonymise = false;
  std::string key_file;
  std::string output;
  std::string headers = "path";
};

void Usage(CommandContext& ctx, const std::string& message) {
  *ctx.err << "error: " << message << "\n";
  ctx.exit_status = ExitStatus::kUsage;
}

// The form to import into: an XLSForm file (stored with the import), or the id of a
// form in the store (its latest version).
struct FormSource {
  form::Form form;
  store::FormVersion version;
  bool from_file = false;
};

Result<FormSource> LoadFormFrom(const std::string& spec, const store::Store& db) {
  FormSource source;
  Diagnostics diags;
  auto ends_with = [&](std::string_view tail) {
    return spec.size() > tail.size() &&
           spec.compare(spec.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends_with(".xlsx") || ends_with(".xls")) {
    std::string bytes = NGO_TRY(ReadFile(spec));
    source.form = NGO_TRY(form::LoadForm(bytes, spec, &diags));
    if (diags.has_errors()) {
      Error first;
      for (const Diagnostic& d : diags.items()) {
        if (d.severity == Severity::kError) {
          first = d.error;
          break;
        }
      }
      first.message = "the form has errors (run `ngosurvey form check`): " + first.message;
      return tl::unexpected(first);
    }
    source.version.form_id = source.form.settings.form_id;
    source.version.version = source.form.settings.version;
    source.version.title = source.form.title;
    // Both settings are optional in XLSForm: the reader takes the form id from the
    // file name, as pyxform does, and a form without a version is stored under the
    // version its bytes give (store::WorkbookVersion).
    if (source.version.version.empty()) source.version.version = store::WorkbookVersion(bytes);
    source.version.xlsx = std::move(bytes);
    if (source.version.form_id.empty()) {
      return MakeError("IMP006",
                       "the form has no form_id (settings) and no file name to take it from",
                       Location{.file = spec});
    }
    source.from_file = true;
    return source;
  }
  auto versions = NGO_TRY(db.ListForms(spec));
  if (versions.empty()) {
    return MakeError("ST002", "form '" + spec + "' is not in the store (give the .xlsx file)");
  }
  source.version = NGO_TRY(db.GetForm(spec, versions.back().version));
  source.form = NGO_TRY(form::LoadForm(source.version.xlsx, spec + ".xlsx", &diags));
  return source;
}

// A file mapped read-only, released behind the reader as it goes so that the
// resident memory stays small however large the file is.
class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return MakeError("IO001", std::string("cannot open: ") + std::strerror(errno),
                       Location{.file = path});
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
      ::close(fd);
      return MakeError("IO001", "cannot read: not a regular file", Location{.file = path});
    }
    auto file = std::make_unique<MappedFile>();
    file->size_ = static_cast<size_t>(st.st_size);
    if (file->size_ > 0) {
      void* data = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data == MAP_FAILED) {
        ::close(fd);
        return MakeError("IO001", std::string("cannot read: ") + std::strerror(errno),
                         Location{.file = path});
      }
      file->data_ = static_cast<const char*>(data);
      ::madvise(data, file->size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
    return file;
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view view() const { return {data_, size_}; }
  // Drops every page from this process's memory (after a whole-file scan) and starts
  // the releases behind a reader from the beginning again; the pages come back from
  // the page cache when read again.
  void ReleaseAll() {
    if (data_) ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
    released_ = 0;
  }
  // Drops the pages before `offset` from this process's memory (the page cache
  // keeps them).
  void Release(size_t offset) {
    size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    size_t end = offset / page * page;
    if (!data_ || end <= released_) return;
    ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t released_ = 0;
};

// ODK submissions rather than a CSV file: a folder or an .xml file.
bool IsOdkSubmissions(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return true;
  return path.size() > 4 && path.substr(path.size() - 4) == ".xml";
}

// The import of ODK submissions (exchange/odk_import.h); true when it committed.
bool ImportOdk(CommandContext& ctx, const ImportOptions& opts,
               const exchange::ImportOptions& csv_options, const FormSource& source,
               store::Store& db) {
  auto fail = [&](const Error& error) {
    ctx.exit_status = ReportError(ctx, error);
    return false;
  };
  std::optional<store::FormVersion> form;
  if (source.from_file) form = source.version;
  auto writer = db.BeginImport(form);
  if (!writer) return fail(writer.error());
  exchange::OdkImportOptions options;
  options.wave = csv_options.wave;
  std::unique_ptr<exchange::PrivateKey> key;
  if (!opts.private_key.empty()) {
    auto pem = ReadFile(opts.private_key, 1 << 20);
    if (!pem) return fail(pem.error());
    // A key written without a passphrase needs none (ODK's documentation makes such keys).
    bool encrypted = pem->find("ENCRYPTED") != std::string::npos;
    Result<std::string> passphrase = std::string();
    if (encrypted || !opts.passphrase_file.empty()) {
      passphrase =
          ReadPassphrase(opts.passphrase_file, "Passphrase for " + opts.private_key + ": ", false);
    }
    if (!passphrase) return fail(passphrase.error());
    auto loaded = exchange::PrivateKey::Load(*pem, *passphrase, opts.private_key);
    if (!loaded) return fail(loaded.error());
    key = std::move(*loaded);
    options.private_key = key.get();
  }
  auto report = exchange::ImportOdkSubmissions(source.form, source.version, opts.file, options,
                                               writer->get());
  if (!report) return fail(report.error());
  PrintDiagnostics(ctx, report->warnings);
  for (const Error& error : report->rejected) *ctx.err << "error: " << error.ToString() << "\n";
  if (!report->rejected.empty()) {
    *ctx.err << "import refused: " << report->rejected.size()
             << " problems; nothing was stored (fix them and import again)\n";
    ctx.exit_status = ExitStatus::kFailure;
    return false;
  }
  if (auto stored = (*writer)->Commit(); !stored) return fail(stored.error());
  *ctx.out << "imported " << report->stored << " submissions (odk xml) into form '"
           << source.version.form_id << "' version " << source.version.version << "; "
           << report->edits << " edits, " << report->attachments << " attachments, "
           << report->unchanged << " already stored\n";
  return true;
}

// Long on purpose: the command's steps in order: flags to options, the store, the import, the
// output.
// NOLINTNEXTLINE(readability-function-size)
void RunImport(CommandContext& ctx, const ImportOptions& opts) {
  exchange::ImportOptions options;
  if (!opts.wave.empty()) {
    auto wave = store::ParseWave(opts.wave);
    if (!wave) return Usage(ctx, "--wave must be pretest or main, not '" + opts.wave + "'");
    options.wave = *wave;
  }
  std::vector<std::pair<std::string, std::string>> repeat_specs;
  for (const std::string& spec : opts.repeats) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return Usage(ctx, "--repeat takes NAME=FILE.csv, not '" + spec + "'");
    }
    repeat_specs.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
  }
  auto fail = [&](const Error& error) { ctx.exit_status = ReportError(ctx, error); };
  store::OpenOptions open;
  open.create_if_missing = true;
  std::error_code exists_error;
  // Only a store file can be left behind: a database server's store always "existed".
  bool store_existed = opts.db.find("://") != std::string::npos ||
                       std::filesystem::exists(opts.db, exists_error) || exists_error;
  auto db = store::OpenStore(opts.db, open);
  if (!db) return fail(db.error());
  // A refused import into a store it created leaves no file behind: the store is
  // closed and its files removed unless the import commits. Declared after `db`
  // and before the writer, so it runs after the writer's rollback and before the
  // store would close itself.
  struct RemoveNewStore {
    const std::string& path;
    Result<std::unique_ptr<store::Store>>& db;
    bool armed;
    ~RemoveNewStore() {
      if (!armed) return;
      db->reset();
      std::error_code ignored;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path + suffix, ignored);
      }
    }
  } remove_new_store{opts.db, db, !store_existed};
  auto source = LoadFormFrom(opts.form, **db);
  if (!source) return fail(source.error());
  if (IsOdkSubmissions(opts.file)) {
    if (!repeat_specs.empty() || !opts.skip_invalid.empty()) {
      return Usage(ctx, "--repeat and --skip-invalid go with CSV files, not ODK submissions");
    }
  } else if (!opts.private_key.empty() || !opts.passphrase_file.empty()) {
    return Usage(ctx, "--private-key and --passphrase-file go with ODK submissions");
  }
  if (IsOdkSubmissions(opts.file)) {
    if (ImportOdk(ctx, opts, options, *source, **db)) remove_new_store.armed = false;
    return;
  }
  auto mapped = MappedFile::Open(opts.file);
  if (!mapped) return fail(mapped.error());
  // ODK Central's submissions ZIP: its tables and media/ files, read into memory; a
  // Kobo or Ona XLSX export (a ZIP too): its sheets, read into memory.
  bool xlsx_export = exchange::IsXlsxWorkbook((*mapped)->view(), opts.file);
  bool central_zip = !xlsx_export && LooksLikeZip((*mapped)->view());
  if ((central_zip || xlsx_export) && !repeat_specs.empty()) {
    return Usage(ctx, xlsx_export ? "--repeat goes with CSV files: the XLSX export's repeat "
                                    "sheets are read from it"
                                  : "--repeat goes with CSV files: the ZIP's repeat tables are "
                                    "read from it");
  }
  std::optional<exchange::CentralZip> zip;
  std::optional<exchange::XlsxExport> workbook;
  std::optional<csv::TableReader> reader;
  std::vector<exchange::RepeatTable> repeats;
  if (central_zip) {
    auto read = exchange::ReadCentralZip((*mapped)->view(), opts.file, source->form);
    if (!read) return fail(read.error());
    zip = std::move(*read);
    repeats = std::move(zip->repeats);
  } else if (xlsx_export) {
    auto read = exchange::ReadXlsxExport((*mapped)->view(), opts.file, source->form);
    if (!read) return fail(read.error());
    workbook = std::move(*read);
    repeats = std::move(workbook->repeats);
  } else {
    reader.emplace((*mapped)->view(), opts.file, exchange::ImportCsvOptions());
    // Start reads the whole file (its UTF-8 check): the pages behind the check are
    // released as it goes, or the whole file would be resident at once (610 MB at a
    // million rows), then the reading below starts from the beginning again.
    auto started = reader->Start([&](size_t scanned) { (*mapped)->Release(scanned); });
    if (!started) return fail(started.error());
    (*mapped)->ReleaseAll();
    // Repeat files are read whole (they are linked to their parents by key).
    for (const auto& [name, file] : repeat_specs) {
      auto table = csv::ReadTable(file, exchange::ImportCsvOptions());
      if (!table) return fail(table.error());
      repeats.push_back({name, std::move(*table)});
    }
  }
  std::optional<store::FormVersion> form;
  if (source->from_file) form = source->version;
  auto writer = (*db)->BeginImport(form);
  if (!writer) return fail(writer.error());
  csv::Table chunk;
  exchange::RowSource rows;
  Diagnostics media_warnings;
  std::optional<exchange::MediaAttachingWriter> with_media;
  store::ImportWriter* target = writer->get();
  if (central_zip) {
    chunk.file = zip->main.file;
    chunk.header = zip->main.header;
    rows = exchange::TableRowSource(zip->main, 4096);
    with_media.emplace(source->form, zip->media, writer->get(), &media_warnings);
    target = &*with_media;
  } else if (xlsx_export) {
    chunk.file = workbook->main.file;
    chunk.header = workbook->main.header;
    rows = exchange::MainRows(*workbook, 4096);
  } else {
    chunk.file = opts.file;
    chunk.header = reader->header();
    rows = [&](size_t max, csv::Table* out) -> Result<bool> {
      bool more = NGO_TRY(reader->Next(max, out));
      (*mapped)->Release(reader->consumed());
      return more;
    };
  }
  auto report =
      exchange::ImportRows(source->form, source->version, rows, &chunk, repeats, options, target);
  if (!report) return fail(report.error());
  PrintDiagnostics(ctx, report->warnings);
  PrintDiagnostics(ctx, media_warnings);
  for (const exchange::RejectedRow& row : report->rejected) {
    for (const Error& reason : row.reasons) {
      Error shown = reason;
      if (shown.where.file.empty()) shown.where = Location{.file = row.file, .row = row.line};
      *ctx.err << "error: " << shown.ToString() << "\n";
    }
  }
  size_t rejected = report->rejected.size();
  if (rejected > 0 && opts.skip_invalid.empty()) {
    // The writer is destroyed without Commit: the transaction is rolled back.
    *ctx.err << "import refused: " << rejected << " of " << report->rows
             << " rows have errors; nothing was stored (fix them, or use --skip-invalid "
                "REJECTS.csv to store the valid rows)\n";
    ctx.exit_status = ExitStatus::kFailure;
    return;
  }
  if (rejected > 0) {
    if (auto written = WriteFileAtomic(opts.skip_invalid, exchange::RejectsCsv(report->rejected));
        !written) {
      return fail(written.error());
    }
  }
  if (auto stored = (*writer)->Commit(); !stored) return fail(stored.error());
  remove_new_store.armed = false;
  *ctx.out << "imported " << report->stored << " submissions (" << report->layout
           << " layout) into form '" << source->version.form_id << "' version "
           << source->version.version << "; " << report->unchanged << " already stored, "
           << rejected << " rejected";
  if (with_media) *ctx.out << "; " << with_media->attached() << " attachments";
  if (rejected > 0) *ctx.out << " (reasons in " << opts.skip_invalid << ")";
  *ctx.out << "\n";
}

void RunExport(CommandContext& ctx, const ExportOptions& opts) {
  auto format = exchange::ParseExportFormat(opts.format);
  if (!format) return Usage(ctx, format.error().message);
  if (opts.pseudonymise != !opts.key_file.empty()) {
    return Usage(ctx, "--pseudonymise and --key-file go together");
  }
  store::SubmissionFilter filter;
  filter.form_id = opts.form;
  filter.status = store::SubmissionStatus::kComplete;
  filter.include_pretest = opts.include_pretest;
  if (!opts.wave.empty()) {
    auto wave = store::ParseWave(opts.wave);
    if (!wave) return Usage(ctx, "--wave must be pretest or main, not '" + opts.wave + "'");
    filter.wave = *wave;
  }
  auto headers = exchange::ParseHeaderStyle(opts.headers);
  if (!headers) return Usage(ctx, headers.error().message);
  exchange::ExportOptions options;
  options.format = *format;
  options.headers = *headers;
  options.language = opts.lang;
  if (opts.pseudonymise) {
    auto key = exchange::ReadPseudonymKey(opts.key_file);
    if (!key) {
      ctx.exit_status = ReportError(ctx, key.error());
      return;
    }
    options.pseudonym_key = *key;
  }
  store::OpenOptions open;
  open.read_only = true;
  open.create_if_missing = false;
  auto db = store::OpenStore(opts.db, open);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto source = LoadFormFrom(opts.form, **db);
  if (!source) {
    ctx.exit_status = ReportError(ctx, source.error());
    return;
  }
  const store::Store& store = **db;
  auto reviews = store.ListReviews(opts.form);
  if (!reviews) {
    ctx.exit_status = ReportError(ctx, reviews.error());
    return;
  }
  for (const store::Review& review : *reviews) {
    options.validation_status[review.instance_id] = store::KoboValidationStatus(review.status);
  }
  auto metadata = store.MetadataColumns(filter);
  if (!metadata) {
    ctx.exit_status = ReportError(ctx, metadata.error());
    return;
  }
  options.metadata_columns = std::move(*metadata);
  auto submissions = [&](const store::SubmissionVisitor& visit) {
    return store.ForEachSubmission(filter, visit);
  };
  auto result = exchange::ExportStream(source->form, submissions, options, opts.output);
  if (!result) {
    ctx.exit_status = ReportError(ctx, result.error());
    return;
  }
  // The submissions' files beside the export (OUT-media/NAME). Pseudonymised exports
  // leave them out: photos and recordings identify people.
  if (!opts.pseudonymise) {
    std::string media = exchange::MediaFolderFor(opts.output);
    auto written = exchange::WriteMediaFolder(store, filter, media);
    if (!written) {
      ctx.exit_status = ReportError(ctx, written.error());
      return;
    }
    if (*written > 0) result->files.push_back(media + "/ (" + std::to_string(*written) + " files)");
  }
  *ctx.out << "exported " << result->submissions << " submissions, " << result->variables
           << " variables" << (opts.pseudonymise ? " (pseudonymised)" : "") << ":\n";
  for (const std::string& file : result->files) *ctx.out << "  " << file << "\n";
}

}  // namespace

void RegisterExchangeCommands(CLI::App& root, CommandContext& ctx) {
  AddCommand(
      root, "import",
      "Import an ODK Central, KoboToolbox, Ona or ngosurvey CSV export, a KoboToolbox or Ona "
      "XLSX export, or ODK submissions (an "
      "instance .xml, ODK Collect's instances/ folder, a Briefcase export) with their media, "
      "into a store, every value checked against the form; all or nothing (docs/exchange.md)",
      [&ctx](CLI::App& import) {
        auto imp = std::make_shared<ImportOptions>();
        import.add_option("--db", imp->db, "Store (SQLite file or postgresql:// URL)")->required();
        import
            .add_option("--form", imp->form,
                        "XLSForm .xlsx or .xls (stored with the data), or a form id in the store")
            ->required();
        import
            .add_option("file", imp->file,
                        "The main CSV file, an ODK Central submissions ZIP, a Kobo or Ona XLSX "
                        "export (its repeats in its sheets), or ODK submissions (.xml or folder)")
            ->required();
        import.add_option("--repeat", imp->repeats, "A repeat's CSV: NAME=FILE.csv (repeatable)");
        import.add_option("--wave", imp->wave,
                          "pretest or main (default: the file's wave column, else main)");
        import.add_option("--private-key", imp->private_key,
                          "The form's private key (PEM): decrypt encrypted ODK submissions");
        import.add_option("--passphrase-file", imp->passphrase_file,
                          "The private key's passphrase: the first line of this file (default: "
                          "the terminal)");
        import.add_option(
            "--skip-invalid", imp->skip_invalid,
            "Store the valid rows and write the rejected ones, with reasons, to this CSV");
        import.callback([&ctx, imp]() { RunImport(ctx, *imp);
      });
});

AddCommand(
    root, "export",
    "Export a form's complete submissions as CSV (ODK layout), XLSX, Stata .dta or SPSS .sav, "
    "with a codebook (docs/exchange.md)",
    [&ctx](CLI::App& exporter) {
      auto exp = std::make_shared<ExportOptions>();
      exporter.add_option("--db", exp->db, "Store (SQLite file or postgresql:// URL)")->required();
      exporter.add_option("--form", exp->form, "Form id")->required();
      exporter.add_option("--format", exp->format, "csv, xlsx, dta or sav")->required();
      exporter.add_option("--lang", exp->lang,
                          "Language of labels (code or name; default: the form's)");
      exporter.add_option("--wave", exp->wave, "Only this wave: pretest or main");
      exporter.add_option("--headers", exp->headers,
                          "CSV/XLSX column names: path (grp/q, the default) or bare (q, unique)");
      exporter.add_flag("--include-pretest", exp->include_pretest, "Include pretest interviews");
      exporter.add_flag(
          "--pseudonymise", exp->pseudonymise,
          "Replace org and interviewer ids by keyed pseudonyms; drop sensitive questions");
      exporter.add_option("--key-file", exp->key_file,
                          "Secret key for --pseudonymise (>= 16 bytes)");
      exporter
          .add_option("-o,--output", exp->output, "Output file (repeats and codebook beside it)")
          ->required();
      exporter.callback([&ctx, exp]() { RunExport(ctx, *exp); });
    });
}

}  // namespace ngosurvey::cli
