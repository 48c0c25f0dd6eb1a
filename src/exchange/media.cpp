// The attachments of exported submissions into OUT-media/ (media.h).
#include "exchange/media.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "base/file.h"

namespace ngosurvey::exchange {

namespace fs = std::filesystem;

// The MIME type ODK clients send for a file name, by its extension.
std::string ContentTypeForName(const std::string& name) {
  static const std::map<std::string, std::string> kTypes = {
      {".jpg", "image/jpeg"},     {".jpeg", "image/jpeg"}, {".png", "image/png"},
      {".m4a", "audio/mp4"},      {".mp3", "audio/mpeg"},  {".amr", "audio/amr"},
      {".3gpp", "video/3gpp"},    {".mp4", "video/mp4"},   {".csv", "text/csv"},
      {".pdf", "application/pdf"}};
  std::string ext = fs::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string MediaFolderFor(const std::string& output) {
  fs::path path(output);
  return (path.parent_path() / (path.stem().string() + "-media")).string();
}

Result<size_t> WriteMediaFolder(const store::Store& store, const store::SubmissionFilter& filter,
                                const std::string& folder) {
  std::vector<store::Submission> submissions = NGO_TRY(store.ListSubmissions(filter));
  // (instance id, name) -> the name written.
  std::vector<std::pair<store::Attachment, std::string>> files;
  std::map<std::string, std::string> sha_of_name;
  for (const store::Submission& s : submissions) {
    for (store::Attachment& a : NGO_TRY(store.ListAttachments(s.instance_id))) {
      std::string name = a.name;
      auto [it, fresh] = sha_of_name.emplace(name, a.sha256);
      if (!fresh && it->second != a.sha256) {
        name = s.instance_id.substr(5) + "-" + a.name;
        sha_of_name.emplace(name, a.sha256);
      } else if (!fresh) {
        continue;  // the same bytes under the same name: written once
      }
      files.emplace_back(std::move(a), std::move(name));
    }
  }
  if (files.empty()) return size_t{0};
  std::error_code error;
  std::string temp = folder + ".tmp-" + std::to_string(std::random_device{}());
  auto fail = [&](Error e) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    return tl::unexpected(std::move(e));
  };
  if (!fs::create_directories(temp, error)) {
    return MakeError("IO004", "cannot create the media folder: " + error.message(),
                     Location{.file = temp});
  }
  for (const auto& [listed, name] : files) {
    auto a = store.GetAttachment(listed.instance_id, listed.name);
    if (!a) return fail(a.error());
    std::string path = (fs::path(temp) / name).string();
    if (auto written = WriteFileAtomic(path, a->data); !written) return fail(written.error());
  }
  fs::remove_all(folder, error);
  if (error) {
    return fail(Error{"IO004", "cannot replace the media folder: " + error.message(),
                      Location{.file = folder}});
  }
  fs::rename(temp, folder, error);
  if (error) {
    return fail(Error{"IO004", "cannot move the media folder into place: " + error.message(),
                      Location{.file = folder}});
  }
  return files.size();
}

}  // namespace ngosurvey::exchange
