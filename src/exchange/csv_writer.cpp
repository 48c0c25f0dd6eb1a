// The CSV writer of an export: one file per level (table_internal.h).
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/escape.h"
#include "exchange/table_internal.h"

namespace ngosurvey::exchange {
namespace {

class CsvWriter final : public RowWriter {
 public:
  static Result<std::unique_ptr<RowWriter>> Open(const Tables& tables, const std::string& path,
                                                 OutputFiles* files) {
    auto writer = std::unique_ptr<CsvWriter>(new CsvWriter(tables));
    for (const Level& level : tables.levels) {
      std::string file = level.repeat < 0 ? path : SiblingPath(path, level.name);
      std::string temp = NGO_TRY(files->Add(file));
      std::FILE* out = std::fopen(temp.c_str(), "wbx");
      if (!out) {
        return MakeError("IO004", "cannot create the file: " + std::string(std::strerror(errno)),
                         Location{.file = file});
      }
      writer->files_.push_back({out, file});
      std::string header;
      std::vector<std::string> names;
      for (const Variable& v : level.variables) names.push_back(v.csv_name);
      csv::AppendRow(names, &header);
      NGO_TRY(writer->Put(writer->files_.back(), header));
    }
    return std::unique_ptr<RowWriter>(std::move(writer));
  }
  ~CsvWriter() override {
    for (auto& f : files_) {
      if (f.file) std::fclose(f.file);
    }
  }
  Status Row(size_t level, const std::vector<Cell>& row) override {
    line_.clear();
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line_ += ',';
      text::AppendCsvField(CellText(tables_, row[c]), &line_);
    }
    line_ += '\n';
    return Put(files_[level], line_);
  }
  Status Finish() override {
    for (auto& f : files_) {
      int rc = std::fclose(f.file);
      f.file = nullptr;
      if (rc != 0) return MakeError("IO004", "cannot write the file", Location{.file = f.path});
    }
    return Ok();
  }

 private:
  struct File {
    std::FILE* file = nullptr;
    std::string path;
  };
  explicit CsvWriter(const Tables& tables) : tables_(tables) {}
  static Status Put(File& f, std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), f.file) != bytes.size()) {
      return MakeError("IO004", "cannot write the file", Location{.file = f.path});
    }
    return Ok();
  }
  const Tables& tables_;
  std::vector<File> files_;
  std::string line_;
};

}  // namespace

Result<std::unique_ptr<RowWriter>> OpenCsv(const Tables& tables, const std::string& path,
                                           OutputFiles* files) {
  return CsvWriter::Open(tables, path, files);
}

}  // namespace ngosurvey::exchange
