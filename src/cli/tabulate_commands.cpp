// `ngosurvey tabulate`: tables from a spec, or the quick form without one.
//   tabulate --spec SPEC.toml (--db DB | --data DATA.csv --form FORM) --format md|csv|html|xlsx|tex
//   (--data also takes a Kobo or Ona XLSX export, or ODK Central's submissions ZIP: their
//   repeat sheets or tables come with them)
//   [-o PATH] tabulate --form FORM --data DATA.csv --by COLUMN [--items a,b] [--denominator R]
//            [--refused V] [--dont-know V] --format csv
//   either form: [--repeat NAME=FILE.csv ...] (with --data: a repeat's file, for tables of its
//            instances) [--weight W] [--strata S] [--cluster C] [--fpc F] [--lonely-psu RULE]
//            [--design-interval logit|korn-graubard] (a sampling design; overrides the spec's)
//   theme items (themes(QUESTION), analysis/themes.h): --codebook FILE [--coder NAME], and
//            with --data --codings FILE.csv
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>

#include "analysis/csv_cache.h"
#include "analysis/csv_load.h"
#include "analysis/load_data.h"
#include "analysis/load_store.h"
#include "analysis/table.h"
#include "analysis/themes.h"
#include "analysis/units.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/words.h"
#include "base/zip_archive.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "exchange/central_zip.h"
#include "exchange/xlsx_export.h"
#include "form/codebook.h"
#include "form/form.h"
#include "report/table_render.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct TabulateOptions {
  std::string spec;
  std::string data;
  std::string form;
  std::string db;       // instead of --data/--form: the store
  std::string form_id;  // with --db: which form (default: the store's only one)
  bool include_pretest = false;
  std::string format = "md";
  std::string output;
  std::string by;
  std::vector<std::string> items;
  std::string denominator = "answered";
  std::vector<std::string> refused = {"refused"};
  std::vector<std::string> dont_know = {"dont_know"};
  std::string lang;
  bool total = false;
  std::string banner;
  bool no_cache = false;
  std::vector<std::string> repeats;  // NAME=FILE.csv
  // Theme items: the codebook, the codings file (with --data) and whose codes count.
  std::string codebook, codings, coder;
  // The sampling design: each given flag overrides the spec's key of the same name.
  std::string weight, strata, cluster, fpc, lonely_psu, design_interval;
};

// The design flags applied to a spec (flags win over its keys). Errors: SVY007.
Status ApplyDesignFlags(const TabulateOptions& opts, analysis::TableSpec* spec) {
  if (!opts.weight.empty()) spec->design.weight = opts.weight;
  if (!opts.strata.empty()) spec->design.strata = opts.strata;
  if (!opts.cluster.empty()) spec->design.cluster = opts.cluster;
  if (!opts.fpc.empty()) spec->design.fpc = opts.fpc;
  if (!opts.lonely_psu.empty())
    spec->design.lonely_psu = NGO_TRY(analysis::ParseLonelyPsu(opts.lonely_psu));
  if (!opts.design_interval.empty()) {
    spec->design.interval = NGO_TRY(analysis::ParseProportionInterval(opts.design_interval));
  }
  return Ok();
}

// The designs the tables will use (the quick form's from the flags alone).
std::vector<analysis::DesignSpec> SpecDesigns(const TabulateOptions& opts,
                                              const std::vector<analysis::TableSpec>& specs) {
  std::vector<analysis::DesignSpec> designs;
  for (const analysis::TableSpec& spec : specs) designs.push_back(spec.design);
  if (specs.empty()) {
    analysis::TableSpec quick;
    if (ApplyDesignFlags(opts, &quick)) designs.push_back(quick.design);
  }
  return designs;
}

// The columns a spec's design needs, for the loaders.
std::vector<std::string> DesignColumns(const analysis::DesignSpec& design) {
  std::vector<std::string> names;
  for (const std::string* name : {&design.weight, &design.strata, &design.cluster, &design.fpc}) {
    if (!name->empty()) names.push_back(*name);
  }
  return names;
}

// The quick form's spec: every loaded item by one column, mentions for multiples.
analysis::TableSpec QuickSpec(const analysis::Dataset& data, const TabulateOptions& opts) {
  analysis::TableSpec spec;
  spec.id = "tabulate";
  spec.title =
      words::Text(words::Word::kTabulateAllItemsBy, words::CatalogueLanguage(opts.lang), {opts.by});
  spec.by = {opts.by};
  spec.total = opts.total;
  spec.denominator = opts.denominator == "all" ? analysis::DenominatorRule::kAll
                                               : analysis::DenominatorRule::kAnswered;
  for (const analysis::Column& column : data.columns()) {
    if (column.name == opts.by) continue;
    // The design's columns describe the sample, not its answers.
    if (column.name == opts.weight || column.name == opts.strata || column.name == opts.cluster ||
        column.name == opts.fpc) {
      continue;
    }
    analysis::RowSpec row;
    row.item = column.name;
    row.denominator = spec.denominator;
    row.mentions = column.kind == analysis::ColumnKind::kMulti;
    spec.rows.push_back(row);
  }
  return spec;
}

// The form of --form; nullopt after reporting an error.
std::optional<form::Form> LoadCsvForm(CommandContext& ctx, const TabulateOptions& opts) {
  Diagnostics diags;
  auto form = form::LoadFormFile(opts.form, &diags);
  if (!form) {
    ctx.exit_status = ReportError(ctx, form.error());
    return std::nullopt;
  }
  if (diags.has_errors()) {
    PrintDiagnostics(ctx, diags);
    *ctx.err << "error: " << opts.form << " has errors; fix them first (ngosurvey form check)\n";
    ctx.exit_status = ExitStatus::kFailure;
    return std::nullopt;
  }
  return std::move(*form);
}

// --data read whole when it is an archive: a Kobo or Ona XLSX export (its first sheet and
// its repeats' sheets) or ODK Central's submissions ZIP (its CSV files; the media are
// not needed for tables). A CSV file is streamed instead (analysis/csv_load.h).
struct ArchiveData {
  csv::Table main;
  std::map<std::string, csv::Table> repeats;  // by the begin_repeat's name
};

// The tables of --data when it is an archive; nullopt for a CSV file (or standard input).
Result<std::optional<ArchiveData>> ReadArchiveData(const std::string& path,
                                                   const form::Form& form) {
  if (path == "-") return std::nullopt;
  char magic[4] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(magic, sizeof magic);
  if (!LooksLikeZip(std::string_view(magic, static_cast<size_t>(in.gcount())))) return std::nullopt;
  // Read whole (up to ReadFile's 2 GiB): its parts are inflated into memory anyway.
  std::string data = NGO_TRY(ReadFile(path));
  std::string_view bytes = data;
  ArchiveData out;
  std::vector<exchange::RepeatTable> repeats;
  if (exchange::IsXlsxWorkbook(bytes, path)) {
    exchange::XlsxExport book = NGO_TRY(exchange::ReadXlsxExport(bytes, path, form));
    out.main = exchange::TakeMainTable(&book);
    repeats = std::move(book.repeats);
  } else {
    exchange::CentralZip zip = NGO_TRY(exchange::ReadCentralZip(bytes, path, form));
    out.main = std::move(zip.main);
    repeats = std::move(zip.repeats);
  }
  for (exchange::RepeatTable& repeat : repeats)
    out.repeats.emplace(repeat.repeat, std::move(repeat.table));
  return out;
}

// The top level's dataset from a CSV export (or an archive's main table, `archive`) and
// its form (its warnings printed). `items`: the quick form's items at the top level
// (empty: every item).
Result<analysis::Dataset> LoadCsv(CommandContext& ctx, const TabulateOptions& opts,
                                  const form::Form* form,
                                  const std::vector<analysis::TableSpec>& specs,
                                  const std::vector<std::string>& items,
                                  const ArchiveData* archive) {
  // The header only: which grouping columns the data have. The rows are read by the
  // streaming loader (or its cache) below.
  csv::Table header_only;
  if (!archive) header_only = NGO_TRY(analysis::ReadCsvHeader(opts.data));
  const csv::Table& table = archive ? archive->main : header_only;
  analysis::LoadDataOptions load;
  load.language = opts.lang;
  load.refused_codes = opts.refused;
  load.dont_know_codes = opts.dont_know;
  if (!specs.empty()) {
    // Only what the tables need: a column nobody asked for never stops a table.
    load.items = analysis::LoadedItems(*form, specs, analysis::kTopLevel);
    analysis::AddGroupingColumns(*form, table, specs, &load);
  } else {
    load.items = items;
    if (!load.items.empty() && form->FindQuestion(opts.by)) load.items.push_back(opts.by);
    load.extra_single.push_back(opts.by);
  }
  // Numeric strata and clusters that the tables use for nothing else: codes of their values
  // (1 or 2 bytes a row instead of 9), all the design reads of them.
  std::vector<analysis::TableSpec> quick;
  if (specs.empty()) {
    analysis::TableSpec quick_spec;
    quick_spec.by = {opts.by};
    for (const std::string& item : items) {
      analysis::RowSpec row;
      row.item = item;
      quick_spec.rows.push_back(std::move(row));
    }
    if (ApplyDesignFlags(opts, &quick_spec)) quick.push_back(std::move(quick_spec));
  }
  load.identifiers = analysis::DesignIdentifiers(*form, specs.empty() ? quick : specs);
  // The design's columns: questions of the form are loaded as such (with --items too);
  // strata and clusters the form does not define are read as extra single-choice columns.
  for (const analysis::DesignSpec& design : SpecDesigns(opts, specs)) {
    for (const std::string& name : DesignColumns(design)) {
      if (form->FindQuestion(name)) {
        if (!load.items.empty() &&
            std::find(load.items.begin(), load.items.end(), name) == load.items.end()) {
          load.items.push_back(name);
        }
      } else if (name == design.strata || name == design.cluster) {
        load.extra_single.push_back(name);
      }
    }
  }
  // Grouping columns that the form defines are loaded as questions, not extras.
  std::erase_if(load.extra_single, [&](const std::string& name) {
    return form->FindQuestion(name) != nullptr && table.ColumnIndex(name).has_value() &&
           (load.items.empty() ||
            std::find(load.items.begin(), load.items.end(), name) != load.items.end());
  });
  Diagnostics load_diags;
  if (archive) {
    auto data = analysis::LoadCsvWithForm(*form, archive->main, load, &load_diags);
    PrintDiagnostics(ctx, load_diags);
    return data;
  }
  TerminalProgress progress(ctx);
  analysis::CsvLoadSettings settings;
  settings.progress = &progress;
  analysis::CachedLoad cache;
  cache.use_cache = !opts.no_cache;
  auto data =
      analysis::LoadCsvWithCache(*form, opts.form, opts.data, load, &load_diags, settings, &cache);
  progress.Finish();
  PrintDiagnostics(ctx, load_diags);
  return data;
}

// The dataset from the store: completed main-wave interviews of one form, with the
// states the interviews recorded (one row per instance of `repeat` when it is set);
// nullopt after reporting an error.
std::optional<analysis::StoreData> LoadStore(CommandContext& ctx, const TabulateOptions& opts,
                                             const std::vector<analysis::TableSpec>& specs,
                                             const std::string& repeat, bool notes) {
  store::OpenOptions open;
  open.read_only = true;
  auto db = store::OpenStore(opts.db, open);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return std::nullopt;
  }
  analysis::StoreDataOptions load;
  load.form_id = opts.form_id;
  load.include_pretest = opts.include_pretest;
  load.language = opts.lang;
  load.repeat = repeat;
  for (const auto& spec : specs)
    load.extra_single.insert(load.extra_single.end(), spec.by.begin(), spec.by.end());
  if (specs.empty()) load.extra_single.push_back(opts.by);
  // Only the names the tables use (the form is not read yet: names, not questions).
  for (const auto& spec : specs) {
    for (const std::string& name : analysis::SpecNames(spec)) load.items.push_back(name);
  }
  if (specs.empty() && !opts.items.empty()) {
    load.items = opts.items;
    load.items.push_back(opts.by);
  }
  // The open questions of theme items: their answers, to match the codings with.
  for (const std::string& name : load.items) {
    if (auto question = analysis::ThemeItemQuestion(name)) {
      if (std::find(load.answers.begin(), load.answers.end(), *question) == load.answers.end())
        load.answers.push_back(*question);
    }
  }
  if (!load.items.empty()) {
    for (const analysis::DesignSpec& design : SpecDesigns(opts, specs)) {
      for (const std::string& name : DesignColumns(design)) load.items.push_back(name);
    }
  }
  Diagnostics diags;
  auto loaded = analysis::LoadFromStore(**db, load, &diags);
  if (!loaded) {
    PrintDiagnostics(ctx, diags);
    ctx.exit_status = ReportError(ctx, loaded.error());
    return std::nullopt;
  }
  if (notes && loaded->pretest_left_out > 0) {
    *ctx.err << "note: " << loaded->pretest_left_out
             << " pretest interview(s) not counted (--include-pretest counts them)\n";
  }
  if (notes && loaded->drafts_left_out > 0) {
    *ctx.err << "note: " << loaded->drafts_left_out << " unfinished interview(s) not counted\n";
  }
  return std::move(*loaded);
}

// The levels' datasets from --data and the --repeat files, or from --data's archive.
class CsvLevels final : public analysis::LevelSource {
 public:
  CsvLevels(CommandContext& ctx, const TabulateOptions& opts, const form::Form& form,
            const std::map<std::string, std::string>& repeat_files, bool quick_items,
            const ArchiveData* archive)
      : ctx_(ctx),
        opts_(opts),
        form_(form),
        repeat_files_(repeat_files),
        quick_(quick_items),
        archive_(archive) {}

  Result<analysis::LevelData> Load(int level, const std::vector<analysis::TableSpec>& specs,
                                   const std::vector<std::string>& questions) override {
    analysis::LevelData out;
    if (level == analysis::kTopLevel) {
      std::vector<std::string> items;
      if (quick_) {
        for (const auto& spec : specs) {
          for (const analysis::RowSpec& row : spec.rows) {
            if (!analysis::ThemeItemQuestion(row.item)) items.push_back(row.item);  // added later
          }
        }
      }
      out.data =
          NGO_TRY(LoadCsv(ctx_, opts_, &form_, quick_ ? std::vector<analysis::TableSpec>{} : specs,
                          items, archive_));
      return out;
    }
    analysis::LoadDataOptions load;
    load.language = opts_.lang;
    load.refused_codes = opts_.refused;
    load.dont_know_codes = opts_.dont_know;
    load.items = questions;
    for (const std::string& name : analysis::LoadedItems(form_, specs, level)) {
      if (std::find(load.items.begin(), load.items.end(), name) == load.items.end())
        load.items.push_back(name);
    }
    Diagnostics diags;
    auto loaded = archive_ ? analysis::LoadRepeatTables(form_, level, archive_->main,
                                                        archive_->repeats, specs, load, &diags)
                           : analysis::LoadRepeatCsv(form_, level, opts_.data, repeat_files_, specs,
                                                     load, &diags);
    PrintDiagnostics(ctx_, diags);
    return loaded;
  }

 private:
  CommandContext& ctx_;
  const TabulateOptions& opts_;
  const form::Form& form_;
  const std::map<std::string, std::string>& repeat_files_;
  bool quick_;
  const ArchiveData* archive_;  // null: CSV files
};

// The levels' datasets from the store (the top level's already loaded with the form).
class StoreLevels final : public analysis::LevelSource {
 public:
  StoreLevels(CommandContext& ctx, const TabulateOptions& opts, const form::Form& form,
              analysis::Dataset top)
      : ctx_(ctx), opts_(opts), form_(form), top_(std::move(top)) {}

  Result<analysis::LevelData> Load(int level, const std::vector<analysis::TableSpec>& specs,
                                   const std::vector<std::string>& questions) override {
    analysis::LevelData out;
    if (level == analysis::kTopLevel) {
      out.data = top_;
      return out;
    }
    store::OpenOptions open;
    open.read_only = true;
    auto db = NGO_TRY(store::OpenStore(opts_.db, open));
    analysis::StoreDataOptions load;
    load.form_id = opts_.form_id;
    load.include_pretest = opts_.include_pretest;
    load.language = opts_.lang;
    load.repeat = form_.questions[level].name;
    for (const auto& spec : specs)
      load.extra_single.insert(load.extra_single.end(), spec.by.begin(), spec.by.end());
    load.items = questions;
    for (const std::string& name : analysis::LoadedItems(form_, specs, level))
      load.items.push_back(name);
    Diagnostics diags;
    auto loaded = analysis::LoadFromStore(*db, load, &diags);
    PrintDiagnostics(ctx_, diags);
    if (!loaded) return tl::unexpected(loaded.error());
    out.data = std::move(loaded->data);
    out.lineage = std::move(loaded->lineage);
    return out;
  }

 private:
  CommandContext& ctx_;
  const TabulateOptions& opts_;
  const form::Form& form_;
  analysis::Dataset top_;
};

// The quick form's specs for --items: one table per level, its items in the order given.
std::vector<analysis::TableSpec> QuickItemSpecs(const form::Form& form,
                                                const TabulateOptions& opts) {
  std::map<int, analysis::TableSpec> by_level;
  std::vector<int> order;
  for (const std::string& name : opts.items) {
    const form::Question* q = form.FindQuestion(name);
    bool themes = analysis::ThemeItemQuestion(name).has_value();  // at the top level
    int level = themes ? analysis::kTopLevel : analysis::LevelOf(form, *q);
    auto [it, added] = by_level.try_emplace(level);
    analysis::TableSpec& spec = it->second;
    if (added) {
      order.push_back(level);
      spec.id = level == analysis::kTopLevel ? "tabulate" : form.questions[level].name;
      std::string_view lang = words::CatalogueLanguage(
          form.LanguageCode(opts.lang).empty() ? opts.lang : form.LanguageCode(opts.lang));
      spec.title = level == analysis::kTopLevel
                       ? words::Text(words::Word::kTabulateAllItemsBy, lang, {opts.by})
                       : words::Text(words::Word::kTabulateItemsOfBy, lang,
                                     {form.questions[level].name, opts.by});
      spec.by = {opts.by};
      spec.total = opts.total;
      spec.denominator = opts.denominator == "all" ? analysis::DenominatorRule::kAll
                                                   : analysis::DenominatorRule::kAnswered;
    }
    analysis::RowSpec row;
    row.item = name;
    row.denominator = spec.denominator;
    // Not for themes: a parent theme's mention would count beside its children's.
    row.mentions = !themes && q->type == form::QuestionType::kSelectMultiple;
    spec.rows.push_back(row);
  }
  std::vector<analysis::TableSpec> specs;
  for (int level : order) specs.push_back(std::move(by_level[level]));
  return specs;
}

// A usage error: the message, exit status kUsage.
void Usage(CommandContext& ctx, const std::string& message) {
  *ctx.err << "error: " << message << "\n";
  ctx.exit_status = ExitStatus::kUsage;
}

// Adds the theme items' columns to the top level's dataset: the codings from the store
// (--db) or from --codings (--data), matched with the open answers by instance id. A
// usage error sets the exit status itself; other errors are returned.
Status AddThemes(CommandContext& ctx, const TabulateOptions& opts, const form::Form& form,
                 const std::vector<analysis::ThemeItemUse>& uses,
                 const std::vector<std::string>& stored_ids,
                 const std::map<std::string, std::vector<form::Answer>>& stored_answers,
                 const ArchiveData* archive, analysis::Dataset* top) {
  if (opts.codebook.empty()) {
    Usage(ctx, "'" + uses.front().item + "' needs the codebook of its themes: --codebook FILE");
    return MakeError("THM003", "no codebook");
  }
  if (opts.db.empty() && opts.codings.empty()) {
    Usage(ctx, "'" + uses.front().item +
                   "' needs the codings of its answers: --codings FILE.csv (or --db DB)");
    return MakeError("THM003", "no codings");
  }
  form::Codebook codebook = NGO_TRY(form::LoadCodebook(opts.codebook));
  analysis::ThemeInputs inputs;
  if (!opts.db.empty()) {
    store::OpenOptions open;
    open.read_only = true;
    auto db = NGO_TRY(store::OpenStore(opts.db, open));
    inputs.codebook = &codebook;
    inputs.language = opts.lang;
    for (const analysis::ThemeItemUse& use : uses) {
      analysis::OpenAnswers answers;
      answers.question = use.question;
      answers.label = form.Text(form.FindQuestion(use.question)->label, opts.lang);
      answers.instance_ids = stored_ids;
      answers.answers = stored_answers.at(use.question);
      inputs.answers[use.question] = std::move(answers);
      inputs.codings[use.question] = NGO_TRY(db->ListCodings(use.question));
    }
  } else {
    csv::Table read;
    if (!archive) read = NGO_TRY(csv::ReadTable(opts.data));
    const csv::Table& table = archive ? archive->main : read;
    std::string codings = NGO_TRY(ReadFile(opts.codings));
    analysis::LoadDataOptions load;
    load.language = opts.lang;
    load.refused_codes = opts.refused;
    load.dont_know_codes = opts.dont_know;
    Diagnostics diags;
    inputs = NGO_TRY(analysis::ThemeInputsFromTable(form, table, uses, codebook, codings,
                                                    opts.codings, load, &diags));
    PrintDiagnostics(ctx, diags);
  }
  return analysis::AddThemeColumns(uses, inputs, top);
}

// Long on purpose: the command's steps in order: form, names checked, levels, tables, output.
// NOLINTNEXTLINE(readability-function-size)
void Run(CommandContext& ctx, const TabulateOptions& opts) {
  auto format = report::ParseTableFormat(opts.format);
  if (!format) {
    ctx.exit_status = ReportError(ctx, format.error());
    return;
  }
  if (*format == report::TableFormat::kXlsx && opts.output.empty()) {
    *ctx.err << "error: --format xlsx needs -o PATH\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  if (opts.db.empty() == (opts.data.empty() || opts.form.empty())) {
    *ctx.err << "error: give either --db DB, or --data DATA.csv with --form FORM\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  if (opts.spec.empty() && opts.by.empty()) {
    *ctx.err << "error: give --spec SPEC.toml, or --by COLUMN for the quick form\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }

  if (analysis::ThemeItemQuestion(opts.by)) {
    return Usage(ctx, "--by: '" + opts.by +
                          "' is a theme item (several themes per answer); group by a "
                          "single-choice item and list it in --items");
  }

  std::map<std::string, std::string> repeat_files;
  for (const std::string& pair : opts.repeats) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      return Usage(ctx, "--repeat takes NAME=FILE.csv, not '" + pair + "'");
    }
    if (!opts.db.empty()) return Usage(ctx, "--repeat goes with --data; the store has its repeats");
    if (!repeat_files.emplace(pair.substr(0, eq), pair.substr(eq + 1)).second) {
      return Usage(ctx, "--repeat: '" + pair.substr(0, eq) + "' is given twice");
    }
  }

  std::vector<analysis::TableSpec> specs;
  if (!opts.spec.empty()) {
    auto read = analysis::ReadTableSpecs(opts.spec);
    if (!read) {
      ctx.exit_status = ReportError(ctx, read.error());
      return;
    }
    specs = std::move(*read);
  }
  for (analysis::TableSpec& spec : specs) {
    if (Status applied = ApplyDesignFlags(opts, &spec); !applied) {
      ctx.exit_status = ReportError(ctx, applied.error());
      return;
    }
  }

  // The form (from --form, or the store's with its top level's dataset).
  std::optional<form::Form> form;
  std::optional<analysis::StoreData> stored;
  if (opts.db.empty()) {
    form = LoadCsvForm(ctx, opts);
    if (!form) return;
  } else {
    stored = LoadStore(ctx, opts, specs, "", true);
    if (!stored) return;
    form = stored->form;
  }

  // --data as an archive (an XLSX export, Central's ZIP): read whole, with its repeats.
  std::optional<ArchiveData> archive;
  if (opts.db.empty()) {
    auto read = ReadArchiveData(opts.data, *form);
    if (!read) {
      ctx.exit_status = ReportError(ctx, read.error());
      return;
    }
    archive = std::move(*read);
    if (archive && !repeat_files.empty()) {
      return Usage(ctx, "--repeat goes with CSV files: " + opts.data +
                            "'s repeat sheets or tables are read from it");
    }
  }

  // The language of the words: the form's code for --lang; the specs' own texts in it.
  std::string language = form->LanguageCode(opts.lang);
  if (language.empty()) language = opts.lang;
  if (!language.empty()) {
    for (analysis::TableSpec& spec : specs) analysis::UseLanguage(language, &spec);
  }

  // Names given on the command line are checked before anything is loaded.
  for (const auto& [name, file] : repeat_files) {
    const form::Question* q = form->FindQuestion(name);
    if (!q || !q->is_repeat()) {
      return Usage(ctx, "--repeat: '" + name + "' is not a repeat of " + form->file);
    }
  }
  for (const std::string& item : opts.items) {
    if (auto question = analysis::ThemeItemQuestion(item)) {
      const form::Question* q = form->FindQuestion(*question);
      if (!q || q->type != form::QuestionType::kText ||
          analysis::LevelOf(*form, *q) != analysis::kTopLevel) {
        return Usage(ctx, "--items: '" + item + "': '" + *question +
                              "' is not an open (text) question of " + form->file +
                              " outside repeats");
      }
    } else if (!form->FindQuestion(item)) {
      return Usage(ctx, "--items: '" + item + "' is not a question of " + form->file);
    }
  }

  if (opts.spec.empty() && !form->FindQuestion(opts.by)) {
    bool known = false;
    if (archive) {
      known = archive->main.ColumnIndex(opts.by).has_value();
    } else if (opts.db.empty()) {
      auto header = analysis::ReadCsvHeader(opts.data);
      if (!header) {
        ctx.exit_status = ReportError(ctx, header.error());
        return;
      }
      known = header->ColumnIndex(opts.by).has_value();
    } else {
      known =
          opts.by == "org" || opts.by == "interviewer" || opts.by == "wave" || opts.by == "status";
    }
    if (!known) {
      return Usage(ctx, "--by: '" + opts.by + "' is neither a question of " + form->file +
                            (opts.db.empty() ? " nor a column of " + opts.data
                                             : " nor org, interviewer, wave or status"));
    }
  }

  // The quick form with --items: a table per level of the items.
  bool quick_items = specs.empty() && !opts.items.empty();
  if (quick_items) {
    specs = QuickItemSpecs(*form, opts);
    for (analysis::TableSpec& spec : specs) {
      if (Status applied = ApplyDesignFlags(opts, &spec); !applied) {
        ctx.exit_status = ReportError(ctx, applied.error());
        return;
      }
    }
  }

  // Each table's level: the top level's tables share one dataset, each repeat's another,
  // with the instances their expressions read.
  std::vector<std::string> stored_ids;
  std::map<std::string, std::vector<form::Answer>> stored_answers;
  if (stored) {
    stored_ids = std::move(stored->instance_ids);
    stored_answers = std::move(stored->answers);
  }
  std::unique_ptr<analysis::LevelSource> source;
  if (stored) {
    source = std::make_unique<StoreLevels>(ctx, opts, *form, std::move(stored->data));
  } else {
    source = std::make_unique<CsvLevels>(ctx, opts, *form, repeat_files, quick_items,
                                         archive ? &*archive : nullptr);
  }
  std::vector<int> levels;
  std::map<int, analysis::Dataset> datasets;
  if (specs.empty()) {  // the quick form over every item of the top level
    auto top = source->Load(analysis::kTopLevel, {}, {});
    if (!top) {
      ctx.exit_status = ReportError(ctx, top.error());
      return;
    }
    specs.push_back(QuickSpec(top->data, opts));
    levels.push_back(analysis::kTopLevel);
    datasets.emplace(analysis::kTopLevel, std::move(top->data));
    if (Status applied = ApplyDesignFlags(opts, &specs.back()); !applied) {
      ctx.exit_status = ReportError(ctx, applied.error());
      return;
    }
  } else {
    auto loaded = analysis::LoadLevels(*form, specs, *source, &levels);
    if (!loaded) {
      // Names from the command line (the quick form's) are a usage error.
      if (quick_items && loaded.error().code == "T006") {
        *ctx.err << "error: " << loaded.error().ToString() << "\n";
        ctx.exit_status = ExitStatus::kUsage;
      } else {
        ctx.exit_status = ReportError(ctx, loaded.error());
      }
      return;
    }
    datasets = std::move(*loaded);
  }

  // Theme items: built from the codebook and the codings, added to the top level's data.
  auto uses = analysis::ThemeItemsOf(*form, specs, opts.coder);
  if (!uses) {
    ctx.exit_status = ReportError(ctx, uses.error());
    return;
  }
  if (!uses->empty()) {
    if (Status added = AddThemes(ctx, opts, *form, *uses, stored_ids, stored_answers,
                                 archive ? &*archive : nullptr, &datasets[analysis::kTopLevel]);
        !added) {
      if (ctx.exit_status == ExitStatus::kSuccess)
        ctx.exit_status = ReportError(ctx, added.error());
      return;
    }
  }

  TerminalProgress progress(ctx);
  std::vector<analysis::TableResult> results;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto result = analysis::Tabulate(datasets.at(levels[i]), specs[i], progress);
    if (!result) {
      ctx.exit_status = ReportError(ctx, result.error());
      return;
    }
    results.push_back(std::move(*result));
  }
  // The tool's labels in the tables (Total), except in the CSV long layout, an interface.
  if (*format != report::TableFormat::kCsv) report::UseLanguage(language, &results);
  report::RenderOptions render;
  render.csv_table_column = !opts.spec.empty();
  render.banner = opts.banner;
  if (!language.empty()) render.language = language;
  if (!opts.output.empty()) {
    Status written = report::WriteTables(results, *format, opts.output, render);
    if (!written) ctx.exit_status = ReportError(ctx, written.error());
    return;
  }
  auto text = report::RenderTables(results, *format, render);
  if (!text) {
    ctx.exit_status = ReportError(ctx, text.error());
    return;
  }
  *ctx.out << *text;
}

// tabulate's options and callback (AddCommand's build).
void AddTabulateOptions(CLI::App& cmd, CommandContext& ctx) {
  auto opts = std::make_shared<TabulateOptions>();
  cmd.add_option("--spec", opts->spec, "Table spec (TOML; docs/formats/table-spec.md)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--data", opts->data,
                 "Data: a CSV export (ngosurvey, ODK Central or Kobo), a Kobo or Ona XLSX "
                 "export, or ODK Central's submissions ZIP")
      ->check(CLI::ExistingFile);
  cmd.add_option("--form", opts->form, "The XLSForm the data were collected with")
      ->check(CLI::ExistingFile);
  cmd.add_option("--db", opts->db,
                 "Data: the store's completed interviews (instead of --data/--form; the form comes "
                 "from the store)");
  cmd.add_option("--form-id", opts->form_id,
                 "With --db: the form to tabulate (default: the only one)");
  cmd.add_flag("--include-pretest", opts->include_pretest,
               "With --db: count pretest interviews too (left out by default)");
  cmd.add_option("--format", opts->format, "md, csv, html, xlsx or tex")
      ->check(CLI::IsMember({"md", "csv", "html", "xlsx", "tex"}));
  cmd.add_option("-o,--output", opts->output, "Write to PATH (all-or-nothing) instead of stdout");
  cmd.add_option("--by", opts->by, "Quick form: the grouping column (e.g. country)");
  cmd.add_option("--items", opts->items, "Quick form: only these items (comma-separated)")
      ->delimiter(',');
  cmd.add_option("--denominator", opts->denominator,
                 "Quick form: answered (default) or all (every respondent in the column)")
      ->check(CLI::IsMember({"answered", "all"}));
  cmd.add_option("--refused", opts->refused, "Value(s) meaning refused (default: refused)")
      ->delimiter(',');
  cmd.add_option("--dont-know", opts->dont_know, "Value(s) meaning don't know (default: dont_know)")
      ->delimiter(',');
  cmd.add_option("--lang", opts->lang, "Language of labels (a code of the form)");
  cmd.add_flag("--total", opts->total, "Quick form: add a Total column");
  cmd.add_option("--banner", opts->banner, "A line shown with every table (e.g. SYNTHETIC DATA)");
  cmd.add_option("--weight", opts->weight,
                 "A numeric column of sampling weights: weighted percentages with design-based "
                 "standard errors, intervals and Rao-Scott tests (docs/statistics.md)");
  cmd.add_option("--strata", opts->strata, "The design's strata column");
  cmd.add_option("--cluster", opts->cluster,
                 "The design's primary sampling units (clusters, nested in the strata)");
  cmd.add_option("--fpc", opts->fpc,
                 "Finite population correction: PSUs in the stratum's population, or the "
                 "sampling fraction (default: sampling with replacement)");
  cmd.add_option("--lonely-psu", opts->lonely_psu,
                 "A stratum with one PSU: fail, certainty, remove, adjust (default) or average")
      ->check(CLI::IsMember({"fail", "certainty", "remove", "adjust", "average"}));
  cmd.add_option("--design-interval", opts->design_interval,
                 "Interval of a weighted proportion: logit (default, svyciprop's) or "
                 "korn-graubard")
      ->check(CLI::IsMember({"logit", "korn-graubard", "beta"}));
  cmd.add_option("--repeat", opts->repeats,
                 "With --data: a repeat's CSV, NAME=FILE.csv (repeatable; rows linked by "
                 "PARENT_KEY or _parent_index as export and import write them): its items are "
                 "tabulated over its instances")
      ->delimiter(',');
  cmd.add_option("--codebook", opts->codebook,
                 "Theme items (themes(QUESTION)): the codebook of the themes "
                 "(docs/formats/codebook.md)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--codings", opts->codings,
                 "Theme items with --data: the codings CSV (instance_id,question,coder,code,"
                 "start,end; coder (reconciled) for agreed codes)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--coder", opts->coder,
                 "Theme items: count this coder's codes where an answer was not reconciled "
                 "(default: the reconciled codes, else the codes the coders agree on)");
  cmd.add_flag("--no-cache", opts->no_cache,
               "With --data: neither read nor write the binary cache of the CSV (in "
               "$XDG_CACHE_HOME/ngosurvey, docs/formats/ngocache.md)");
  cmd.callback([&ctx, opts] { Run(ctx, *opts); });
}

}  // namespace

void RegisterTabulateCommands(CLI::App& root, CommandContext& ctx) {
  AddCommand(
      root, "tabulate",
      "Tables of counts, bases, percentages, intervals, Fisher tests and nonresponse by group",
      [&ctx](CLI::App& cmd) { AddTabulateOptions(cmd, ctx); });
}

}  // namespace ngosurvey::cli
