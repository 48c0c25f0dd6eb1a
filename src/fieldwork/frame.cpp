#include "fieldwork/frame.h"

#include <map>

#include "base/text.h"

namespace ngosurvey::fieldwork {
namespace {

Location HeaderWhere(const csv::Table& table) {
  Location where;
  where.file = table.file;
  where.row = 1;
  return where;
}

}  // namespace

const FrameCase* Frame::Find(std::string_view org_id) const {
  for (const FrameCase& c : cases) {
    if (c.org_id == org_id) return &c;
  }
  return nullptr;
}

bool Frame::HasColumn(std::string_view column) const {
  if (column == "org_id" || column == id_column || column == "name" || column == stratum_column)
    return true;
  if (column == "address") return has_address_column;
  if (column == "contact_person") return has_contact_person_column;
  if (column == "disposition") return has_disposition_column;
  for (const std::string& extra : extra_columns) {
    if (extra == column) return true;
  }
  return false;
}

std::optional<std::string> Frame::Value(const FrameCase& c, std::string_view column) const {
  if (!HasColumn(column)) return std::nullopt;
  if (column == "org_id" || column == id_column) return c.org_id;
  if (column == "name") return c.name;
  if (column == stratum_column) return c.stratum;
  if (column == "address") return c.address;
  if (column == "contact_person") return c.contact_person;
  if (column == "disposition") {
    return c.disposition ? std::string(c.disposition->code) : std::string();
  }
  for (size_t i = 0; i < extra_columns.size(); ++i) {
    if (extra_columns[i] == column) return i < c.extra.size() ? c.extra[i] : std::string();
  }
  return std::nullopt;
}

Result<Frame> ParseFrame(const csv::Table& table, Diagnostics* diagnostics) {
  Diagnostics local;
  Frame frame;
  frame.file = table.file;

  // `case_id` is the same column for frames of households, people or schools.
  std::optional<size_t> id_col = table.ColumnIndex("org_id");
  std::optional<size_t> case_id_col = table.ColumnIndex("case_id");
  if (id_col && case_id_col) {
    Location where = HeaderWhere(table);
    where.column = static_cast<int>(*case_id_col) + 1;
    local.AddError("FW005", "both 'org_id' and 'case_id' columns: keep one as the case's id",
                   where);
  }
  if (!id_col && case_id_col) {
    id_col = case_id_col;
    frame.id_column = "case_id";
  }
  std::optional<size_t> name_col = table.ColumnIndex("name");
  std::optional<size_t> country_col = table.ColumnIndex("country");
  std::optional<size_t> stratum_col = table.ColumnIndex("stratum");
  std::optional<size_t> address_col = table.ColumnIndex("address");
  std::optional<size_t> contact_col = table.ColumnIndex("contact_person");
  std::optional<size_t> disposition_col = table.ColumnIndex("disposition");

  if (!id_col) {
    local.AddError("FW001", "missing required column 'org_id' (or 'case_id')", HeaderWhere(table));
  }
  if (!name_col) local.AddError("FW001", "missing required column 'name'", HeaderWhere(table));
  if (!country_col && !stratum_col) {
    local.AddError("FW001", "missing required column 'country' (or 'stratum')", HeaderWhere(table));
  }
  if (country_col && stratum_col) {
    Location where = HeaderWhere(table);
    where.column = static_cast<int>(*stratum_col) + 1;
    local.AddError("FW005",
                   "both 'country' and 'stratum' columns: keep one as the grouping column and "
                   "rename the other",
                   where);
  }
  std::optional<size_t> group_col = country_col ? country_col : stratum_col;
  frame.stratum_column = country_col ? "country" : "stratum";
  frame.has_disposition_column = disposition_col.has_value();
  frame.has_address_column = address_col.has_value();
  frame.has_contact_person_column = contact_col.has_value();
  if (disposition_col) frame.disposition_column = static_cast<int>(*disposition_col) + 1;

  std::vector<size_t> extra_cols;
  for (size_t col = 0; col < table.header.size(); ++col) {
    if (col == id_col || col == name_col || col == group_col || col == address_col ||
        col == contact_col || col == disposition_col) {
      continue;
    }
    extra_cols.push_back(col);
    frame.extra_columns.push_back(table.header[col]);
    frame.extra_column_numbers.push_back(static_cast<int>(col) + 1);
  }

  std::map<std::string, int, std::less<>> first_line;  // org_id -> line
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    const std::vector<std::string>& row = table.rows[row_idx];
    auto field = [&](std::optional<size_t> col) -> std::string {
      return col && *col < row.size() ? row[*col] : std::string();
    };
    FrameCase c;
    c.line = row_idx < table.row_lines.size() ? table.row_lines[row_idx] : 0;
    c.org_id = std::string(text::Trim(field(id_col)));
    c.name = field(name_col);
    c.stratum = std::string(text::Trim(field(group_col)));
    c.address = field(address_col);
    c.contact_person = field(contact_col);
    for (size_t col : extra_cols) c.extra.push_back(col < row.size() ? row[col] : std::string());

    if (id_col) {
      if (c.org_id.empty()) {
        local.AddError("FW004", "empty org_id", table.Where(row_idx, *id_col));
      } else if (auto it = first_line.find(c.org_id); it != first_line.end()) {
        local.AddError("FW002",
                       "duplicate org_id '" + c.org_id + "' (first on line " +
                           std::to_string(it->second) + ")",
                       table.Where(row_idx, *id_col));
      } else {
        first_line.emplace(c.org_id, c.line);
      }
    }
    if (disposition_col) {
      const std::string raw = field(disposition_col);
      std::string_view code = text::Trim(raw);
      if (!code.empty()) {
        c.disposition = FindDisposition(code);
        if (c.disposition == nullptr) {
          std::string message = "unknown disposition code '" + std::string(code) + "'";
          if (auto suggestion = SuggestDisposition(code)) {
            message += " (did you mean '" + std::string(*suggestion) +
                       "'? a spreadsheet may have dropped its trailing zero)";
          } else {
            message += "; `ngosurvey fieldwork dispositions` lists the codes";
          }
          local.AddError("FW003", message, table.Where(row_idx, *disposition_col));
        }
      }
    }
    frame.cases.push_back(std::move(c));
  }

  size_t errors = local.error_count();
  if (diagnostics) diagnostics->Append(local);
  if (errors > 0) {
    Location where;
    where.file = table.file;
    return MakeError(
        "FW000",
        "the sample frame has " + std::to_string(errors) + (errors == 1 ? " error" : " errors"),
        where);
  }
  return frame;
}

Result<Frame> ReadFrame(const std::string& path, Diagnostics* diagnostics) {
  csv::Table table = NGO_TRY(csv::ReadTable(path));
  return ParseFrame(table, diagnostics);
}

}  // namespace ngosurvey::fieldwork
