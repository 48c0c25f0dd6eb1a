// Helpers shared by the store's tests (not part of the library).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/store.h"

namespace ngosurvey::store::testing {

// A fresh folder under the system temporary folder, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ngostore-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline FormVersion TestForm(const std::string& id = "ngo_staff", const std::string& version = "1",
                            const std::string& bytes = "PK\x03\x04 workbook v1") {
  FormVersion form;
  form.form_id = id;
  form.version = version;
  form.title = "NGO staff survey";
  form.xlsx = bytes;
  return form;
}

inline Submission TestDraft(const std::string& instance_id, int64_t started_at_ms = 1000,
                            const std::string& form_id = "ngo_staff",
                            const std::string& version = "1") {
  Submission s;
  s.instance_id = instance_id;
  s.form_id = form_id;
  s.form_version = version;
  s.org_id = "org-7";
  s.interviewer = "sokha";
  s.started_at_ms = started_at_ms;
  return s;
}

// "uuid:00000000-0000-4000-8000-00000000000N" with N in hex: readable and ordered.
inline std::string Uuid(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "uuid:00000000-0000-4000-8000-%012x", n);
  return buf;
}

}  // namespace ngosurvey::store::testing
