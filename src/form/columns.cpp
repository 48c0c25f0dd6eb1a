#include "form/columns.h"

#include <algorithm>

namespace ngosurvey::form {

std::string RelativePath(const Question& question) {
  std::string_view path = question.path;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  size_t slash = path.find('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::vector<std::string> ColumnNames(const Question& question) {
  std::string relative = RelativePath(question);
  std::vector<std::string> names = {relative};
  std::string_view path = question.path;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty()) names.emplace_back(path);
  std::string hyphenated = relative;
  std::replace(hyphenated.begin(), hyphenated.end(), '/', '-');
  names.push_back(hyphenated);
  names.push_back(question.name);
  std::vector<std::string> unique;
  for (std::string& name : names) {
    if (!name.empty() && std::find(unique.begin(), unique.end(), name) == unique.end()) {
      unique.push_back(std::move(name));
    }
  }
  return unique;
}

std::optional<size_t> FindColumn(const csv::Table& table, const Question& question) {
  if (auto index = table.ColumnIndex(question.name)) return index;
  for (const std::string& name : ColumnNames(question)) {
    if (auto index = table.ColumnIndex(name)) return index;
  }
  return std::nullopt;
}

}  // namespace ngosurvey::form
