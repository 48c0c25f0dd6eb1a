// Stata .dta (format 118, Unicode) and SPSS .sav through ReadStat's writer API.
// One file per level. Missing kinds: Stata tagged missing .a (refused) and .b
// (don't know), SPSS user-missing -97 and -98; not asked and missing are system
// missing in both.
#include <readstat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "base/date.h"
#include "base/file.h"
#include "base/words.h"
#include "exchange/table_internal.h"
#include "exchange/values_internal.h"

namespace ngosurvey::exchange {
namespace {

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut a UTF-8
// character in two (ReadStat and the file formats count bytes, not characters).
std::string Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t end = max_bytes;
  // s[end] is the first byte left out: while it continues a character, so must
  // the start of that character be left out.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

constexpr double kSpssRefused = -97;
constexpr double kSpssDontKnow = -98;
// Days from 1960-01-01 (Stata's epoch) to 1970-01-01, and from 1582-10-14 (SPSS's).
constexpr int64_t kStataEpochDays = 3653;
constexpr int64_t kSpssEpochDays = 141428;
// ReadStat's limit on a dta str# column; longer texts go to strL.
constexpr size_t kDtaMaxStr = 2045;

ssize_t WriteToFile(const void* bytes, size_t len, void* ctx) {
  return static_cast<ssize_t>(std::fwrite(bytes, 1, len, static_cast<std::FILE*>(ctx)));
}

struct WriterDeleter {
  void operator()(readstat_writer_t* w) const { readstat_writer_free(w); }
};

Status Check(readstat_error_t error, const std::string& path, const std::string& doing) {
  if (error == READSTAT_OK) return Ok();
  return MakeError("EXP003", doing + ": " + readstat_error_message(error), Location{.file = path});
}

// The number a cell holds in Stata / SPSS units, or nullopt (a text that does not
// parse, which imports never let in).
std::optional<double> Numeric(const Variable& v, std::string_view text, bool stata) {
  switch (v.kind) {
    case VarKind::kNumber:
    case VarKind::kOption:
      return ParseNumber(text);
    case VarKind::kSelectOne:
      for (const Code& c : v.codes) {
        if (c.name == text) return c.value;
      }
      return std::nullopt;
    case VarKind::kDate: {
      auto days = date::ParseIsoDate(text);
      if (!days) return std::nullopt;
      return stata ? double(*days + kStataEpochDays) : double(*days + kSpssEpochDays) * 86400;
    }
    case VarKind::kDateTime: {
      // Stata's %tc and SPSS's DATETIME have no zone: the local time of the offset
      // the answer was written with ("09:12+07:00" is 09:12), as the CSV shows it.
      auto time = date::ParseIsoDateTime(text);
      if (!time) return std::nullopt;
      const int64_t ms = time->millis + int64_t{time->offset_minutes.value_or(0)} * 60000;
      return stata ? double(ms + kStataEpochDays * 86400000)
                   : double(ms) / 1000 + double(kSpssEpochDays) * 86400;
    }
    case VarKind::kText:
      return std::nullopt;
  }
  return std::nullopt;
}

// One level's file. Rows are spooled to an unnamed temporary file as they come
// (ReadStat needs the row count and the string widths before the first row), then
// written through ReadStat at Finish: memory stays bounded by one row.
class LevelFile {
 public:
  LevelFile(const Tables& tables, const Level& level, bool stata, std::string path,
            std::string temp)
      : tables_(tables),
        level_(level),
        stata_(stata),
        path_(std::move(path)),
        temp_(std::move(temp)),
        widths_(level.variables.size(), 1) {}
  ~LevelFile() {
    if (spool_) std::fclose(spool_);
  }

  Status Open() {
    spool_ = std::tmpfile();
    if (!spool_)
      return MakeError("IO004", "cannot create a temporary file", Location{.file = path_});
    return Ok();
  }

  // Spool record: uint32 byte count, then per variable a tag byte (kind of cell)
  // and, for numbers a double, for texts a uint32 length and the bytes. A whole
  // number from 0 to 255 - kSmall (codes, 0/1 option columns: most cells) is only
  // its tag kSmall + number, which keeps the spool to a byte per such cell.
  Status Row(const std::vector<Cell>& row) {
    record_.assign(4, '\0');
    for (size_t c = 0; c < row.size(); ++c) {
      const Variable& v = level_.variables[c];
      const Cell& cell = row[c];
      if (v.kind == VarKind::kText) {
        std::string_view text = CellText(tables_, cell);
        widths_[c] = std::max(widths_[c], text.size());
        uint32_t n = static_cast<uint32_t>(text.size());
        record_.append(reinterpret_cast<const char*>(&n), 4);
        record_.append(text);
        continue;
      }
      char tag = kSystemMissing;
      double value = 0;
      if (cell.state == form::AnswerState::kRefused) {
        tag = kRefused;
      } else if (cell.state == form::AnswerState::kDontKnow) {
        tag = kDontKnow;
      } else if (cell.state == form::AnswerState::kAnswered) {
        if (std::optional<double> number = Numeric(v, cell.text, stata_)) {
          tag = kValue;
          value = *number;
        }
      }
      if (tag == kValue && !std::signbit(value) && value <= 255 - kSmall &&
          value == static_cast<double>(static_cast<int>(value))) {
        record_.push_back(static_cast<char>(kSmall + static_cast<int>(value)));
        continue;
      }
      record_.push_back(tag);
      if (tag == kValue) record_.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    uint32_t size = static_cast<uint32_t>(record_.size() - 4);
    std::memcpy(record_.data(), &size, 4);
    if (std::fwrite(record_.data(), 1, record_.size(), spool_) != record_.size()) {
      return MakeError("IO004", "cannot write a temporary file (disk full?)",
                       Location{.file = path_});
    }
    ++rows_;
    return Ok();
  }

  // Long on purpose: ReadStat's calls for both formats, in the order ReadStat requires.
  // NOLINTNEXTLINE(readability-function-size)
  Status Finish() {
    if (std::fflush(spool_) != 0) {
      return MakeError("IO004", "cannot write a temporary file (disk full?)",
                       Location{.file = path_});
    }
    std::unique_ptr<readstat_writer_t, WriterDeleter> writer(readstat_writer_init());
    readstat_writer_t* w = writer.get();
    const std::string& path = path_;
    bool stata = stata_;
    NGO_TRY(Check(readstat_set_data_writer(w, WriteToFile), path, "cannot set up the writer"));
    if (stata) NGO_TRY(Check(readstat_writer_set_file_format_version(w, 118), path, "version"));
    // SPSS bytecode compression (what SPSS and haven write by default): whole numbers
    // -99..151 and system missing become one byte, so the file is about half the size.
    if (!stata) {
      NGO_TRY(
          Check(readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS), path, "compression"));
    }
    readstat_writer_set_file_label(w, level_.name.c_str());

    readstat_label_set_t* selected = nullptr;  // shared by the 0/1 option columns
    readstat_type_t label_type = stata ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE;
    // The value labels of the tool's own codes, in the export's language (base/words.h).
    const std::string_view lang = words::CatalogueLanguage(tables_.language);
    const std::string refused = words::Text(words::Word::kValueRefused, lang);
    const std::string dont_know = words::Text(words::Word::kValueDontKnow, lang);
    const std::string not_selected = words::Text(words::Word::kValueNotSelected, lang);
    const std::string is_selected = words::Text(words::Word::kValueSelected, lang);
    auto add_missing_labels = [&](readstat_label_set_t* set) {
      if (stata) {
        readstat_label_tagged_value(set, 'a', refused.c_str());
        readstat_label_tagged_value(set, 'b', dont_know.c_str());
      } else {
        readstat_label_double_value(set, kSpssRefused, refused.c_str());
        readstat_label_double_value(set, kSpssDontKnow, dont_know.c_str());
      }
    };
    const auto& variables = level_.variables;
    std::vector<readstat_variable_t*> vars;
    std::vector<bool> strl(variables.size(), false);
    bool any_strl = false;
    for (size_t c = 0; c < variables.size(); ++c) {
      const Variable& v = variables[c];
      const std::string& name = stata ? v.stata_name : v.spss_name;
      readstat_variable_t* var = nullptr;
      if (v.kind == VarKind::kText) {
        strl[c] = stata && widths_[c] > kDtaMaxStr;
        any_strl = any_strl || strl[c];
        var = readstat_add_variable(
            w, name.c_str(), strl[c] ? READSTAT_TYPE_STRING_REF : READSTAT_TYPE_STRING, widths_[c]);
      } else {
        bool coded = v.kind == VarKind::kSelectOne || v.kind == VarKind::kOption;
        readstat_type_t type = stata && coded ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE;
        var = readstat_add_variable(w, name.c_str(), type, 0);
        readstat_label_set_t* set = nullptr;
        if (v.kind == VarKind::kSelectOne) {
          set = readstat_add_label_set(w, label_type, ("l_" + name).substr(0, 32).c_str());
          for (const Code& code : v.codes) {
            if (stata)
              readstat_label_int32_value(set, static_cast<int32_t>(code.value), code.label.c_str());
            else
              readstat_label_double_value(set, code.value, code.label.c_str());
          }
          add_missing_labels(set);
        } else if (v.kind == VarKind::kOption) {
          if (!selected) {
            selected = readstat_add_label_set(w, label_type, "selected");
            if (stata) {
              readstat_label_int32_value(selected, 0, not_selected.c_str());
              readstat_label_int32_value(selected, 1, is_selected.c_str());
            } else {
              readstat_label_double_value(selected, 0, not_selected.c_str());
              readstat_label_double_value(selected, 1, is_selected.c_str());
            }
            add_missing_labels(selected);
          }
          set = selected;
        } else if (v.kind == VarKind::kNumber) {
          set = readstat_add_label_set(w, label_type, ("l_" + name).substr(0, 32).c_str());
          add_missing_labels(set);
        }
        if (set) readstat_variable_set_label_set(var, set);
        if (!stata) {
          readstat_variable_add_missing_double_value(var, kSpssRefused);
          readstat_variable_add_missing_double_value(var, kSpssDontKnow);
        }
        if (v.kind == VarKind::kDate) readstat_variable_set_format(var, stata ? "%td" : "DATE11");
        if (v.kind == VarKind::kDateTime) {
          readstat_variable_set_format(var, stata ? "%tc" : "DATETIME23.3");
        }
        if (v.kind == VarKind::kNumber && !stata) {
          readstat_variable_set_format(var, v.integer ? "F8.0" : "F12.4");
        }
      }
      if (!var) return MakeError("EXP003", "cannot add variable " + name, Location{.file = path});
      // Stata keeps 80 bytes of a variable label, SPSS 255: cut on a character
      // boundary (the codebook has the whole text).
      readstat_variable_set_label(var, Utf8Prefix(v.label, stata ? 80 : 255).c_str());
      vars.push_back(var);
    }

    // Texts longer than a Stata str# column are strL: ReadStat takes them all
    // before the first row (the only part of the file held in memory).
    std::vector<std::vector<readstat_string_ref_t*>> refs(variables.size());
    if (any_strl) {
      NGO_TRY(Replay([&](size_t, const std::vector<Value>& row) -> Status {
        for (size_t c = 0; c < variables.size(); ++c) {
          if (strl[c])
            refs[c].push_back(readstat_add_string_ref(w, std::string(row[c].text).c_str()));
        }
        return Ok();
      }));
    }

    std::FILE* file = std::fopen(temp_.c_str(), "wbx");
    if (!file) return MakeError("IO004", "cannot create the file", Location{.file = path});
    std::vector<char> buffer(size_t{1} << 20);
    std::setvbuf(file, buffer.data(), _IOFBF, buffer.size());
    auto close = [&](Status status) -> Status {
      if (std::fclose(file) != 0 && status) {
        return MakeError("IO004", "cannot write the file", Location{.file = path});
      }
      return status;
    };
    long n = static_cast<long>(rows_);
    readstat_error_t begun =
        stata ? readstat_begin_writing_dta(w, file, n) : readstat_begin_writing_sav(w, file, n);
    if (begun != READSTAT_OK) return close(Check(begun, path, "cannot start the file"));
    std::string text;
    Status replayed = Replay([&](size_t r, const std::vector<Value>& row) -> Status {
      NGO_TRY(Check(readstat_begin_row(w), path, "row"));
      for (size_t c = 0; c < variables.size(); ++c) {
        readstat_variable_t* var = vars[c];
        const Value& value = row[c];
        readstat_error_t error = READSTAT_OK;
        if (variables[c].kind == VarKind::kText) {
          if (strl[c]) {
            error = readstat_insert_string_ref(w, var, refs[c][r]);
          } else {
            text.assign(value.text);
            error = readstat_insert_string_value(w, var, text.c_str());
          }
        } else if (value.tag == kRefused || value.tag == kDontKnow) {
          bool refused = value.tag == kRefused;
          if (stata) {
            error = readstat_insert_tagged_missing_value(w, var, refused ? 'a' : 'b');
          } else {
            error = readstat_insert_double_value(w, var, refused ? kSpssRefused : kSpssDontKnow);
          }
        } else if (value.tag != kValue) {
          error = readstat_insert_missing_value(w, var);
        } else if (readstat_variable_get_type(var) == READSTAT_TYPE_INT32) {
          error = readstat_insert_int32_value(w, var, static_cast<int32_t>(value.number));
        } else {
          error = readstat_insert_double_value(w, var, value.number);
        }
        if (error != READSTAT_OK) {
          return Check(
              error, path,
              "cannot write " + variables[c].csv_name + " of row " + std::to_string(r + 1));
        }
      }
      return Check(readstat_end_row(w), path, "row");
    });
    if (!replayed) return close(replayed);
    return close(Check(readstat_end_writing(w), path, "cannot finish the file"));
  }

 private:
  static constexpr char kSystemMissing = 0, kRefused = 1, kDontKnow = 2, kValue = 3;
  static constexpr int kSmall = 4;  // tags kSmall.. 255: the whole number tag - kSmall
  struct Value {
    char tag = kSystemMissing;
    double number = 0;
    std::string_view text;
  };

  // Reads the spooled rows back in order.
  template <typename Visit>
  Status Replay(Visit&& visit) {
    std::rewind(spool_);
    std::vector<Value> row(level_.variables.size());
    auto damaged = [&]() {
      return MakeError("IO004", "cannot read back a temporary file", Location{.file = path_});
    };
    for (size_t r = 0; r < rows_; ++r) {
      uint32_t size = 0;
      if (std::fread(&size, 4, 1, spool_) != 1) return damaged();
      record_.resize(size);
      if (size > 0 && std::fread(record_.data(), 1, size, spool_) != size) return damaged();
      const char* p = record_.data();
      const char* end = p + size;
      for (size_t c = 0; c < row.size(); ++c) {
        Value& value = row[c];
        if (level_.variables[c].kind == VarKind::kText) {
          uint32_t n = 0;
          if (end - p < 4) return damaged();
          std::memcpy(&n, p, 4);
          p += 4;
          if (static_cast<size_t>(end - p) < n) return damaged();
          value.text = std::string_view(p, n);
          p += n;
          continue;
        }
        if (p >= end) return damaged();
        auto tag = static_cast<unsigned char>(*p++);
        if (tag >= kSmall) {
          value.tag = kValue;
          value.number = tag - kSmall;
          continue;
        }
        value.tag = static_cast<char>(tag);
        if (value.tag == kValue) {
          if (end - p < 8) return damaged();
          std::memcpy(&value.number, p, 8);
          p += 8;
        }
      }
      NGO_TRY(visit(r, row));
    }
    return Ok();
  }

  const Tables& tables_;
  const Level& level_;
  bool stata_;
  std::string path_, temp_;
  std::vector<size_t> widths_;
  std::FILE* spool_ = nullptr;
  size_t rows_ = 0;
  std::string record_;
};

class ReadStatWriter final : public RowWriter {
 public:
  Status Row(size_t level, const std::vector<Cell>& row) override {
    return files_[level]->Row(row);
  }
  Status Finish() override {
    for (auto& file : files_) NGO_TRY(file->Finish());
    return Ok();
  }
  std::vector<std::unique_ptr<LevelFile>> files_;
};

}  // namespace

Result<std::unique_ptr<RowWriter>> OpenReadStat(const Tables& tables, bool stata,
                                                const std::string& path, OutputFiles* files) {
  auto writer = std::make_unique<ReadStatWriter>();
  for (const Level& level : tables.levels) {
    std::string file = level.repeat < 0 ? path : SiblingPath(path, level.name);
    std::string temp = NGO_TRY(files->Add(file));
    writer->files_.push_back(std::make_unique<LevelFile>(tables, level, stata, file, temp));
    NGO_TRY(writer->files_.back()->Open());
  }
  return std::unique_ptr<RowWriter>(std::move(writer));
}

}  // namespace ngosurvey::exchange
