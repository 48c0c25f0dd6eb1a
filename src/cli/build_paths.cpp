// Where the binary finds what ships beside it. The checkout's path is compiled into
// this one file only (src/cli/CMakeLists.txt), so that no other object differs
// between checkouts.
#include "cli/build_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <string>

namespace ngosurvey::cli {
namespace {

bool IsFolder(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string DefaultWebRoot() {
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string path(exe, static_cast<size_t>(n));
    std::string bin = path.substr(0, path.rfind('/'));
    std::string installed = bin + "/../share/ngosurvey/web";
    if (IsFolder(installed)) return installed;
  }
  // What web/app/build assembles in the checkout (the pages, the WebAssembly engine,
  // the fonts): the web/ sources alone are not an app a browser can run.
  std::string built = std::string(NGOSURVEY_SOURCE_DIR) + "/build/webroot";
  if (IsFolder(built)) return built;
  return "";
}

}  // namespace ngosurvey::cli
