// Test-only (never in a library): runs an R script with Rscript and returns its
// standard output as lines of whitespace-separated fields. A missing Rscript or a
// failing script fails the calling test (it never skips: tools/install-deps
// installs r-base-core).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ngosurvey::analysis::testing {

// Files the script needs can be written to `dir` first (MakeRDir), then removed.
inline std::filesystem::path MakeRDir(const std::string& tag) {
  static int counter = 0;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("ngosurvey_" + tag + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::vector<std::vector<std::string>> RunRIn(const std::filesystem::path& dir,
                                                    const std::string& script) {
  std::vector<std::vector<std::string>> lines;
  if (std::system("command -v Rscript > /dev/null 2>&1") != 0) {
    ADD_FAILURE() << "Rscript not found: the comparison with R needs r-base-core "
                     "(tools/install-deps installs it)";
    return lines;
  }
  std::filesystem::path script_path = dir / "reference.R";
  std::filesystem::path out_path = dir / "out.txt";
  std::filesystem::path err_path = dir / "err.txt";
  {
    std::ofstream file(script_path);
    file << script;
  }
  std::string command = "cd '" + dir.string() + "' && Rscript --vanilla '" + script_path.string() +
                        "' > '" + out_path.string() + "' 2> '" + err_path.string() + "'";
  int status = std::system(command.c_str());
  std::ifstream out(out_path);
  std::string line;
  while (std::getline(out, line)) {
    std::istringstream fields(line);
    std::vector<std::string> row;
    std::string field;
    while (fields >> field) row.push_back(field);
    if (!row.empty()) lines.push_back(std::move(row));
  }
  if (status != 0) {
    std::ifstream err(err_path);
    std::stringstream message;
    message << err.rdbuf();
    ADD_FAILURE() << "Rscript failed (status " << status << "):\n" << message.str();
    lines.clear();
  }
  return lines;
}

// RunRIn in a folder of its own, removed afterwards.
inline std::vector<std::vector<std::string>> RunR(const std::string& script) {
  std::filesystem::path dir = MakeRDir("r");
  auto lines = RunRIn(dir, script);
  std::filesystem::remove_all(dir);
  return lines;
}

// A temporary folder for the files an R script reads, removed with the object.
class RScratch {
 public:
  RScratch() : dir_(MakeRDir("r_data")) {}
  ~RScratch() { std::filesystem::remove_all(dir_); }
  RScratch(const RScratch&) = delete;
  RScratch& operator=(const RScratch&) = delete;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace ngosurvey::analysis::testing
