// Stata .dta (format 118, Unicode) and SPSS .sav through ReadStat's writer API.
// One file per level. Missing kinds: Stata tagged missing .a (refused) and .b
// (don't know), SPSS user-missing -97 and -98; not asked and missing are system
// missing in both.
#include <readstat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/file.h"
#include "exchange/table_internal.h"
#include "exchange/values_internal.h"

namespace ngosurvey::exchange {
namespace {

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
    case VarKind::kOption: return ParseNumber(text);
    case VarKind::kSelectOne:
      for (const Code& c : v.codes) {
        if (c.name == text) return c.value;
      }
      return std::nullopt;
    case VarKind::kDate: {
      auto days = ParseDateDays(text);
      if (!days) return std::nullopt;
      return stata ? double(*days + kStataEpochDays) : double(*days + kSpssEpochDays) * 86400;
    }
    case VarKind::kDateTime: {
      auto ms = ParseDateTimeMillis(text);
      if (!ms) return std::nullopt;
      return stata ? double(*ms + kStataEpochDays * 86400000)
                   : double(*ms) / 1000 + double(kSpssEpochDays) * 86400;
    }
    case VarKind::kText: return std::nullopt;
  }
  return std::nullopt;
}

Status WriteLevel(const Tables& tables, const Level& level, bool stata, const std::string& path) {
  return WriteFileAtomicWith(path, [&](const std::string& temp) -> Status {
    std::unique_ptr<readstat_writer_t, WriterDeleter> writer(readstat_writer_init());
    readstat_writer_t* w = writer.get();
    NGO_TRY(Check(readstat_set_data_writer(w, WriteToFile), path, "cannot set up the writer"));
    if (stata) NGO_TRY(Check(readstat_writer_set_file_format_version(w, 118), path, "version"));
    readstat_writer_set_file_label(w, level.name.c_str());

    readstat_label_set_t* selected = nullptr;  // shared by the 0/1 option columns
    readstat_type_t label_type = stata ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE;
    auto add_missing_labels = [&](readstat_label_set_t* set) {
      if (stata) {
        readstat_label_tagged_value(set, 'a', "Refused");
        readstat_label_tagged_value(set, 'b', "Don't know");
      } else {
        readstat_label_double_value(set, kSpssRefused, "Refused");
        readstat_label_double_value(set, kSpssDontKnow, "Don't know");
      }
    };
    std::vector<readstat_variable_t*> vars;
    std::vector<std::vector<readstat_string_ref_t*>> refs(level.variables.size());
    for (size_t c = 0; c < level.variables.size(); ++c) {
      const Variable& v = level.variables[c];
      const std::string& name = stata ? v.stata_name : v.spss_name;
      readstat_variable_t* var = nullptr;
      if (v.kind == VarKind::kText) {
        size_t width = 1;
        for (const auto& row : level.rows) width = std::max(width, CellText(tables, row[c]).size());
        bool strl = stata && width > kDtaMaxStr;
        var = readstat_add_variable(w, name.c_str(),
                                    strl ? READSTAT_TYPE_STRING_REF : READSTAT_TYPE_STRING, width);
        if (strl) {
          for (const auto& row : level.rows) {
            refs[c].push_back(readstat_add_string_ref(w, std::string(CellText(tables, row[c])).c_str()));
          }
        }
      } else {
        bool coded = v.kind == VarKind::kSelectOne || v.kind == VarKind::kOption;
        readstat_type_t type = stata && coded ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE;
        var = readstat_add_variable(w, name.c_str(), type, 0);
        readstat_label_set_t* set = nullptr;
        if (v.kind == VarKind::kSelectOne) {
          set = readstat_add_label_set(w, label_type, ("l_" + name).substr(0, 32).c_str());
          for (const Code& code : v.codes) {
            if (stata) readstat_label_int32_value(set, static_cast<int32_t>(code.value), code.label.c_str());
            else readstat_label_double_value(set, code.value, code.label.c_str());
          }
          add_missing_labels(set);
        } else if (v.kind == VarKind::kOption) {
          if (!selected) {
            selected = readstat_add_label_set(w, label_type, "selected");
            if (stata) {
              readstat_label_int32_value(selected, 0, "Not selected");
              readstat_label_int32_value(selected, 1, "Selected");
            } else {
              readstat_label_double_value(selected, 0, "Not selected");
              readstat_label_double_value(selected, 1, "Selected");
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
      readstat_variable_set_label(var, v.label.substr(0, stata ? 80 : 255).c_str());
      vars.push_back(var);
    }

    std::FILE* file = std::fopen(temp.c_str(), "wbx");
    if (!file) return MakeError("IO004", "cannot create the file", Location{.file = path});
    auto close = [&](Status status) -> Status {
      if (std::fclose(file) != 0 && status) {
        return MakeError("IO004", "cannot write the file", Location{.file = path});
      }
      return status;
    };
    long n = static_cast<long>(level.rows.size());
    readstat_error_t begun = stata ? readstat_begin_writing_dta(w, file, n)
                                   : readstat_begin_writing_sav(w, file, n);
    if (begun != READSTAT_OK) return close(Check(begun, path, "cannot start the file"));
    for (size_t r = 0; r < level.rows.size(); ++r) {
      if (auto s = Check(readstat_begin_row(w), path, "row"); !s) return close(s);
      for (size_t c = 0; c < level.variables.size(); ++c) {
        const Variable& v = level.variables[c];
        const Cell& cell = level.rows[r][c];
        readstat_variable_t* var = vars[c];
        readstat_error_t error = READSTAT_OK;
        if (v.kind == VarKind::kText) {
          std::string text(CellText(tables, cell));
          error = refs[c].empty() ? readstat_insert_string_value(w, var, text.c_str())
                                  : readstat_insert_string_ref(w, var, refs[c][r]);
        } else if (cell.state == form::AnswerState::kRefused ||
                   cell.state == form::AnswerState::kDontKnow) {
          bool refused = cell.state == form::AnswerState::kRefused;
          if (stata) {
            error = readstat_insert_tagged_missing_value(w, var, refused ? 'a' : 'b');
          } else {
            error = readstat_insert_double_value(w, var, refused ? kSpssRefused : kSpssDontKnow);
          }
        } else if (cell.state != form::AnswerState::kAnswered) {
          error = readstat_insert_missing_value(w, var);
        } else {
          std::optional<double> value = Numeric(v, cell.text, stata);
          if (!value) {
            error = readstat_insert_missing_value(w, var);
          } else if (readstat_variable_get_type(var) == READSTAT_TYPE_INT32) {
            error = readstat_insert_int32_value(w, var, static_cast<int32_t>(*value));
          } else {
            error = readstat_insert_double_value(w, var, *value);
          }
        }
        if (error != READSTAT_OK) {
          return close(Check(error, path,
                             "cannot write " + v.csv_name + " of row " + std::to_string(r + 1)));
        }
      }
      if (auto s = Check(readstat_end_row(w), path, "row"); !s) return close(s);
    }
    return close(Check(readstat_end_writing(w), path, "cannot finish the file"));
  });
}

}  // namespace

Status WriteReadStat(const Tables& tables, bool stata, const std::string& path,
                     std::vector<std::string>* files) {
  for (const Level& level : tables.levels) {
    std::string file = level.repeat < 0 ? path : SiblingPath(path, level.name);
    NGO_TRY(WriteLevel(tables, level, stata, file));
    files->push_back(file);
  }
  return Ok();
}

}  // namespace ngosurvey::exchange
