// `ngosurvey form ...`: check XLSForms and show their structure.
//   form check FILE...        every diagnostic (errors, then warnings), a summary per file
//   form show FILE            an outline (text) or the public JSON layout (docs/cli.md)
//   form diagnostics          the diagnostics catalogue as Markdown (docs/diagnostics.md)
//   form model FILE [-o OUT]  the lossless form model as JSON, what the WebAssembly
//                             engine reads (docs/formats/form-json.md)
//   form xform FILE [-o OUT]  the ODK XForm (XML) of a valid form, as pyxform writes it
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include "base/file.h"
#include "cli/command.h"
#include "cli/heap.h"
#include "form/diagnostics.h"
#include "form/form.h"
#include "form/form_json.h"
#include "form/loops.h"
#include "form/xform_writer.h"

namespace ngosurvey::cli {
namespace {

using form::Form;
using form::Question;

struct CheckOptions {
  std::vector<std::string> files;
  bool strict = false;
};

struct ModelOptions {
  std::string file, output;
};

struct XFormCommandOptions {
  std::string file;
  std::string output;
};

struct ShowOptions {
  std::string file;
  std::string format = "text";
  std::string lang;
};

std::string Plural(size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Errors first (in the order found), then warnings.
void PrintSorted(std::ostream& out, const Diagnostics& diags) {
  for (Severity severity : {Severity::kError, Severity::kWarning}) {
    for (const Diagnostic& d : diags.items()) {
      if (d.severity != severity) continue;
      out << (severity == Severity::kError ? "error: " : "warning: ") << d.ToString() << "\n";
    }
  }
}

// The heap PrepareBatchHeap gives `form check` and `form xform`: about what a
// 10,000-row form needs at its peak (50 MB), address space only until touched.
constexpr size_t kBatchHeapBytes = size_t{64} << 20;
// About the heap's peak per byte of an .xlsx file: gen10k's 436 KB peaked near 50 MB
// (bench/README.md). PrepareBatchHeap wants 2 MB blocks free for twice that.
constexpr size_t kHeapPerWorkbookByte = 128;

// Hands `value` to the process's exit and returns it. A batch command's model would
// be freed block by block at the end of its scope, just before the process exits and
// gives all of its memory back at once (a 10,000-row Form is some 100,000 blocks;
// bench/README.md). Reachable from a static, so leak checkers do not report it.
template <typename T>
T& KeepUntilExit(T value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  auto held = std::make_shared<T>(std::move(value));
  kept->push_back(held);
  return *held;
}

// PrepareBatchHeap for commands that read `files`, sized by the largest of them.
void PrepareHeapFor(const std::vector<std::string>& files) {
  uintmax_t largest = 0;
  for (const std::string& file : files) {
    std::error_code error;
    uintmax_t size = std::filesystem::file_size(file, error);
    if (!error) largest = std::max(largest, size);
  }
  PrepareBatchHeap(kBatchHeapBytes, static_cast<size_t>(largest) * kHeapPerWorkbookByte);
}

void RunCheck(CommandContext& ctx, const CheckOptions& opts) {
  PrepareHeapFor(opts.files);
  ExitStatus status = ExitStatus::kSuccess;
  for (const std::string& file : opts.files) {
    Diagnostics diags;
    Result<Form> form = form::LoadFormFile(file, &diags);
    if (!form) diags.Add(Severity::kError, form.error());
    PrintSorted(*ctx.out, diags);
    size_t errors = diags.error_count(), warnings = diags.warning_count();
    bool failed = errors > 0 || (opts.strict && warnings > 0);
    std::string summary = fmt::format("{}: {}, {}, {}", file, failed ? "invalid" : "valid",
                                      Plural(errors, "error"), Plural(warnings, "warning"));
    if (form) {
      summary += fmt::format(" ({}, {}, {})", Plural(form->questions.size(), "question"),
                             Plural(form->choice_lists.size(), "choice list"),
                             Plural(form->languages.size(), "language"));
    }
    if (opts.strict && errors == 0 && warnings > 0) summary += " [--strict: warnings fail]";
    *ctx.out << summary << "\n";
    if (!form && form.error().code.rfind("IO", 0) == 0) {
      status = std::max(status, ExitStatus::kIo);
    } else if (failed) {
      status = std::max(status, ExitStatus::kFailure);
    }
    // The last form is left to the exit; the others are freed for the next to reuse.
    if (&file == &opts.files.back()) KeepUntilExit(std::move(form));
  }
  ctx.exit_status = status;
}

nlohmann::ordered_json Labels(const form::Translations& texts) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [lang, text] : texts) out[lang] = text;
  return out;
}

nlohmann::ordered_json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

// Where an entity's meta/entity is: a group's or repeat's path, "/data" for the
// survey's meta, "" when the XForm has none.
std::string EntityContainer(const Form& form, const form::EntityDeclaration& entity) {
  if (entity.container == form::EntityDeclaration::kNoContainer) return "";
  if (entity.container == form::EntityDeclaration::kRootContainer) return "/data";
  return form.questions[static_cast<size_t>(entity.container)].path;
}

std::string ShowJson(const Form& form) {
  nlohmann::ordered_json out;
  out["form_id"] = form.settings.form_id;
  out["title"] = form.title;
  out["version"] = form.settings.version;
  out["default_language"] = form.default_language;
  nlohmann::ordered_json languages = nlohmann::ordered_json::array();
  for (const form::Language& language : form.languages) languages.push_back(language.code);
  out["languages"] = languages;
  nlohmann::ordered_json questions = nlohmann::ordered_json::array();
  for (const Question& q : form.questions) {
    if (q.name.empty()) continue;
    nlohmann::ordered_json item;
    item["name"] = q.name;
    item["type"] = form::TypeName(q.type);
    item["list"] = TextOrNull(q.list_name);
    item["path"] = q.path;
    item["label"] = Labels(q.label);
    item["relevant"] = TextOrNull(q.relevant);
    item["constraint"] = TextOrNull(q.constraint);
    item["calculation"] = TextOrNull(q.calculation);
    item["required"] = TextOrNull(q.required);
    questions.push_back(std::move(item));
  }
  out["questions"] = questions;
  nlohmann::ordered_json lists = nlohmann::ordered_json::object();
  for (const form::ChoiceList& list : form.choice_lists) {
    nlohmann::ordered_json choices = nlohmann::ordered_json::array();
    for (const form::Choice& choice : list.choices) {
      nlohmann::ordered_json item;
      item["name"] = choice.name;
      item["label"] = Labels(choice.label);
      choices.push_back(std::move(item));
    }
    lists[list.name] = choices;
  }
  out["choice_lists"] = lists;
  if (!form.entities.empty()) {
    nlohmann::ordered_json entities = nlohmann::ordered_json::array();
    for (const form::EntityDeclaration& entity : form.entities) {
      nlohmann::ordered_json item;
      item["list_name"] = entity.list_name;
      item["creates"] = entity.creates();
      item["updates"] = entity.updates();
      item["label"] = TextOrNull(entity.label);
      item["entity_id"] = TextOrNull(entity.entity_id);
      item["create_if"] = TextOrNull(entity.create_if);
      item["update_if"] = TextOrNull(entity.update_if);
      item["container"] = EntityContainer(form, entity);
      nlohmann::ordered_json saved = nlohmann::ordered_json::object();
      for (const Question& q : form.questions) {
        if (q.save_to_list == entity.list_name && !q.save_to.empty()) saved[q.save_to] = q.name;
      }
      item["save_to"] = saved;
      entities.push_back(std::move(item));
    }
    out["entities"] = entities;
  }
  // Invalid UTF-8 in a cell must not throw: replace it.
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

int Depth(const Form& form, const Question& q) {
  int depth = 0;
  for (int p = q.parent; p >= 0; p = form.questions[static_cast<size_t>(p)].parent) ++depth;
  return depth;
}

std::string ShowText(const Form& form, const std::string& lang) {
  std::string out =
      fmt::format("{} (form_id {}, version {})\n", form.title.empty() ? "(untitled)" : form.title,
                  form.settings.form_id.empty() ? "-" : form.settings.form_id,
                  form.settings.version.empty() ? "-" : form.settings.version);
  std::string languages;
  for (const form::Language& language : form.languages) {
    languages += (languages.empty() ? "" : ", ") + language.code;
    if (language.name != language.code) languages += " (" + language.name + ")";
  }
  out += fmt::format("Languages: {}; default {}\n\n", languages.empty() ? "none" : languages,
                     form.default_language);
  for (const Question& q : form.questions) {
    std::string indent(static_cast<size_t>(Depth(form, q)) * 2, ' ');
    std::string type(form::IsLoopGroup(q) ? "begin_loop" : form::TypeName(q.type));
    if (!q.list_name.empty()) type += " " + q.list_name;
    if (q.or_other) type += " or_other";
    std::string marker = q.is_repeat() ? "* " : q.is_container() ? "+ " : "- ";
    out += fmt::format("{}{}{} ({})", indent, marker, q.name, type);
    std::string label = form.Text(q.label, lang);
    if (!label.empty()) out += ": " + label;
    if (q.IsRequiredConstant()) out += " [required]";
    out += "\n";
    std::string detail_indent = indent + "    ";
    if (!q.relevant.empty()) out += detail_indent + "if " + q.relevant + "\n";
    if (!q.calculation.empty()) out += detail_indent + "= " + q.calculation + "\n";
    if (!q.constraint.empty()) out += detail_indent + "check " + q.constraint + "\n";
    if (!q.choice_filter.empty()) out += detail_indent + "choices where " + q.choice_filter + "\n";
    if (!q.repeat_count.empty()) out += detail_indent + "count " + q.repeat_count + "\n";
  }
  if (!form.choice_lists.empty()) out += "\nChoice lists:\n";
  for (const form::ChoiceList& list : form.choice_lists) {
    std::string items;
    for (const form::Choice& choice : list.choices) {
      std::string label = form.Text(choice.label, lang);
      items += (items.empty() ? "" : ", ") + choice.name;
      if (!label.empty()) items += " (" + label + ")";
    }
    out += fmt::format("  {}: {}\n", list.name, items);
  }
  if (!form.entities.empty()) out += "\nEntities:\n";
  for (const form::EntityDeclaration& entity : form.entities) {
    std::string where = EntityContainer(form, entity);
    std::string_view mode = entity.creates() && entity.updates() ? "creates or updates"
                            : entity.creates()                   ? "creates"
                                                                 : "updates";
    out += fmt::format("  {} ({}, meta/entity {})\n", entity.list_name, mode,
                       where.empty() ? "not written" : "in " + where);
    if (!entity.label.empty()) out += "    label " + entity.label + "\n";
    if (!entity.entity_id.empty()) out += "    id " + entity.entity_id + "\n";
    if (!entity.create_if.empty()) out += "    create if " + entity.create_if + "\n";
    if (!entity.update_if.empty()) out += "    update if " + entity.update_if + "\n";
    std::string saved;
    for (const Question& q : form.questions) {
      if (q.save_to_list != entity.list_name || q.save_to.empty()) continue;
      saved += (saved.empty() ? "" : ", ") + q.name + " -> " + q.save_to;
    }
    if (!saved.empty()) out += "    saves " + saved + "\n";
  }
  return out;
}

// The form at `file` when it loads without errors (its warnings printed); otherwise the
// problems are reported, the exit status set, and nothing is returned. Commands that
// turn a form into something else (show, model) accept only a valid one.
std::optional<Form> LoadValidForm(CommandContext& ctx, const std::string& file) {
  Diagnostics diags;
  Result<Form> form = form::LoadFormFile(file, &diags);
  if (!form) {
    ctx.exit_status = ReportError(ctx, form.error());
    return std::nullopt;
  }
  PrintSorted(*ctx.err, diags);
  if (diags.has_errors()) {
    *ctx.err << file << ": invalid, " << Plural(diags.error_count(), "error")
             << "; run `ngosurvey form check` for details\n";
    ctx.exit_status = ExitStatus::kFailure;
    return std::nullopt;
  }
  return std::move(*form);
}

void RunShow(CommandContext& ctx, const ShowOptions& opts) {
  std::optional<Form> form = LoadValidForm(ctx, opts.file);
  if (!form) return;
  if (!opts.lang.empty() && !form->HasLanguage(opts.lang)) {
    std::string known;
    for (const form::Language& language : form->languages) {
      known += (known.empty() ? "" : ", ") + language.code;
    }
    *ctx.err << "error: --lang " << opts.lang
             << ": the form has no such language (it has: " << (known.empty() ? "none" : known)
             << ")\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  *ctx.out << (opts.format == "json" ? ShowJson(*form) : ShowText(*form, opts.lang));
}

// Only a valid form is written: the model is what interviews run, and the engine
// that reads it trusts no more than its structure.
void RunModel(CommandContext& ctx, const ModelOptions& opts) {
  std::optional<Form> form = LoadValidForm(ctx, opts.file);
  if (!form) return;
  std::string json = form::FormToJson(*form) + "\n";
  if (opts.output.empty()) {
    *ctx.out << json;
  } else if (auto written = WriteFileAtomic(opts.output, json); !written) {
    ctx.exit_status = ReportError(ctx, written.error());
  }
}

// The form id pyxform falls back on: the file name without folder and extension.
std::string FileStem(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

void RunXForm(CommandContext& ctx, const XFormCommandOptions& opts) {
  PrepareHeapFor({opts.file});
  Diagnostics diags;
  Result<Form>& form = KeepUntilExit(form::LoadFormFile(opts.file, &diags));
  if (!form) diags.Add(Severity::kError, form.error());
  if (diags.has_errors()) {
    // The same report as `form check`.
    PrintSorted(*ctx.err, diags);
    *ctx.err << fmt::format("{}: invalid, {}, {}\n", opts.file,
                            Plural(diags.error_count(), "error"),
                            Plural(diags.warning_count(), "warning"));
    ctx.exit_status =
        !form && form.error().code.rfind("IO", 0) == 0 ? ExitStatus::kIo : ExitStatus::kFailure;
    return;
  }
  PrintSorted(*ctx.err, diags);  // warnings only
  Result<std::string> xml = form::WriteXForm(*form, {FileStem(opts.file)});
  if (!xml) {
    ctx.exit_status = ReportError(ctx, xml.error());
    return;
  }
  if (opts.output.empty() || opts.output == "-") {
    *ctx.out << *xml;
    return;
  }
  Status written = WriteFileAtomic(opts.output, *xml);
  if (!written) ctx.exit_status = ReportError(ctx, written.error());
}

}  // namespace

void RegisterFormCommands(CLI::App& root, CommandContext& ctx) {
  CLI::App* group = AddGroup(root, "form", "Check and describe XLSForm questionnaires");

  AddCommand(*group, "check",
             "Validate XLSForms: print every problem (errors, then warnings) with its cell and "
             "code,\nthen a summary line per file. Exit 0 when valid, 1 when any file has errors.",
             [&ctx](CLI::App& check) {
               auto opts = std::make_shared<CheckOptions>();
               check.add_option("files", opts->files, "XLSForm workbooks (.xlsx or .xls)")
                   ->required()
                   ->check(CLI::ExistingFile);
               check.add_flag("--strict", opts->strict, "Warnings fail the check too");
               check.callback([&ctx, opts] { RunCheck(ctx, *opts); });
             });

  AddCommand(*group, "show", "Print a form's questions, groups and choice lists (outline or JSON)",
             [&ctx](CLI::App& show) {
               auto opts = std::make_shared<ShowOptions>();
               show.add_option("file", opts->file, "XLSForm workbook (.xlsx or .xls)")
                   ->required()
                   ->check(CLI::ExistingFile);
               show.add_option("--format", opts->format, "text (outline) or json (see docs/cli.md)")
                   ->check(CLI::IsMember({"text", "json"}));
               show.add_option("--lang", opts->lang,
                               "Language code or name for labels in the text outline");
               show.callback([&ctx, opts] { RunShow(ctx, *opts); });
             });

  AddCommand(*group, "model",
             "Write a valid form's model as JSON, lossless: what the WebAssembly interview "
             "engine\nreads (docs/formats/form-json.md). Exit 1 when the form has errors.",
             [&ctx](CLI::App& model) {
               auto opts = std::make_shared<ModelOptions>();
               model.add_option("file", opts->file, "XLSForm workbook (.xlsx or .xls)")
                   ->required()
                   ->check(CLI::ExistingFile);
               model.add_option("-o,--output", opts->output,
                                "Write to PATH (all-or-nothing) instead of stdout");
               model.callback([&ctx, opts] { RunModel(ctx, *opts); });
             });

  AddCommand(*group, "xform",
             "Write the ODK XForm (XML) of an XLSForm, as pyxform would, for ODK Collect, "
             "Enketo\nand ODK Web Forms (differences: docs/xform.md). Exit 1 on an invalid form, "
             "with the\ndiagnostics of `form check`.",
             [&ctx](CLI::App& xform) {
               auto opts = std::make_shared<XFormCommandOptions>();
               xform.add_option("file", opts->file, "XLSForm workbook (.xlsx or .xls)")
                   ->required()
                   ->check(CLI::ExistingFile);
               xform.add_option(
                   "-o,--output", opts->output,
                   "Write the XForm to this file (atomically) instead of standard output");
               xform.callback([&ctx, opts] { RunXForm(ctx, *opts); });
             });

  AddCommand(*group, "diagnostics",
             "Print the catalogue of diagnostic codes as Markdown (docs/diagnostics.md)",
             [&ctx](CLI::App& catalogue) {
               catalogue.callback([&ctx] { *ctx.out << form::DiagnosticsMarkdown(); });
             });
}

}  // namespace ngosurvey::cli
