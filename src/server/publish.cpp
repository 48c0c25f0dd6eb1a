#include "server/publish.h"

#include <algorithm>
#include <filesystem>

#include "base/file.h"
#include "form/form.h"
#include "form/xform_writer.h"

namespace ngosurvey::server {
namespace {

// FORM.xlsx -> (folder, "FORM").
std::pair<std::filesystem::path, std::string> FolderAndStem(const std::string& path) {
  std::filesystem::path p(path);
  return {p.parent_path(), p.stem().string()};
}

}  // namespace

std::vector<std::string> MediaReferences(const std::string& xform) {
  static const char* const kPrefixes[] = {"jr://images/", "jr://audio/", "jr://video/",
                                          "jr://file/", "jr://file-csv/"};
  std::vector<std::string> names;
  for (const char* prefix : kPrefixes) {
    std::string_view p(prefix);
    for (size_t at = xform.find(p); at != std::string::npos; at = xform.find(p, at + 1)) {
      size_t start = at + p.size();
      size_t end = xform.find_first_of("<\"' \t\r\n", start);
      if (end == std::string::npos) end = xform.size();
      if (end > start) names.push_back(xform.substr(start, end - start));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<Publication> PreparePublication(const std::string& xlsx_path, Diagnostics* diags) {
  std::string bytes = NGO_TRY(ReadFile(xlsx_path));
  auto [folder, stem] = FolderAndStem(xlsx_path);
  Result<form::Form> form = form::LoadForm(bytes, xlsx_path, diags);
  if (!form) return tl::unexpected(form.error());
  if (diags->has_errors()) {
    return MakeError("SV003", "the form has errors (run `ngosurvey form check`)",
                     Location{.file = xlsx_path});
  }
  const form::Settings& settings = form->settings;
  if (settings.form_id.empty() || settings.version.empty()) {
    return MakeError("SV003",
                     "the settings sheet needs form_id and version to publish the form (ODK "
                     "clients tell versions apart by it)",
                     Location{.file = xlsx_path});
  }
  Publication out;
  out.workbook.form_id = settings.form_id;
  out.workbook.version = settings.version;
  out.workbook.title = form->title;
  out.workbook.xlsx = std::move(bytes);
  out.published.form_id = settings.form_id;
  out.published.version = settings.version;
  out.published.title = form->title;
  out.published.xform = NGO_TRY(form::WriteXForm(*form, {stem}));
  std::filesystem::path media_folder = folder / (stem + "-media");
  for (const std::string& name : MediaReferences(out.published.xform)) {
    std::filesystem::path file = media_folder / name;
    std::error_code ec;
    if (name.find('/') != std::string::npos || !std::filesystem::is_regular_file(file, ec)) {
      out.missing_media.push_back(name);
      continue;
    }
    store::MediaFile media;
    media.name = name;
    media.bytes = NGO_TRY(ReadFile(file.string()));
    out.published.media.push_back(std::move(media));
  }
  return out;
}

}  // namespace ngosurvey::server
