// The published-table audit: exact arithmetic, the bases file, and the checks.
// Renderings are in published_audit_render.cpp.
//
// Arithmetic: a printed value is V / 10^d. A count k of base N prints as
// floor((2*k*S*10^d + N) / (2*N)) with S = 100 for a percentage and S = 1 for a
// mean (round half-up on the exact fraction). Products are formed in 128 bits;
// ParsePrintedNumber's limits keep every operand far below that.
#include "study/published_audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/file.h"
#include "base/rounding.h"
#include "base/text.h"
#include "base/toml_location.h"
#include "base/words.h"

namespace ngosurvey::study {

namespace {

using i128 = __int128;
using words::Word;

constexpr int64_t kMaxBase = 1000000;

i128 Pow10(int n) {
  i128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Floor and ceiling of a / b for b > 0 and any sign of a.
i128 FloorDiv(i128 a, i128 b) {
  i128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}
i128 CeilDiv(i128 a, i128 b) { return -FloorDiv(-a, b); }

// k*scale/base rounded half-up at `decimals`, scaled.
i128 PrintedScaled(i128 k, int64_t scale, int64_t base, int decimals) {
  return RoundHalfUpScaled(k * scale, base, decimals);
}

// Nearest count (ties to the smaller) for value/scale over base, k in [0, max_k].
Fit FitRatio(const PrintedNumber& value, int64_t base, int64_t scale, i128 max_k) {
  const i128 unit = static_cast<i128>(scale) * Pow10(value.decimals);  // k*unit vs V*N
  const i128 target = static_cast<i128>(value.scaled) * base;
  i128 lo = FloorDiv(target, unit);
  i128 hi = CeilDiv(target, unit);
  lo = std::clamp<i128>(lo, 0, max_k);
  hi = std::clamp<i128>(hi, 0, max_k);
  auto distance = [&](i128 k) {
    i128 diff = k * unit - target;
    return diff < 0 ? -diff : diff;
  };
  i128 best = distance(hi) < distance(lo) ? hi : lo;
  Fit fit;
  fit.nearest_count = static_cast<int64_t>(best);
  i128 printed = PrintedScaled(best, scale, base, value.decimals);
  fit.consistent = printed == value.scaled;
  fit.nearest_value = FormatScaled(static_cast<int64_t>(printed), value.decimals);
  return fit;
}

}  // namespace

std::optional<PrintedNumber> ParsePrintedNumber(std::string_view text) {
  std::string_view s = text::Trim(text);
  if (s.empty()) return std::nullopt;
  PrintedNumber number;
  number.text = std::string(s);
  int digits = 0;
  bool seen_point = false;
  int64_t scaled = 0;
  for (char c : s) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > kMaxPrintedDigits) return std::nullopt;
    if (seen_point && ++number.decimals > kMaxPrintedDecimals) return std::nullopt;
    scaled = scaled * 10 + (c - '0');
  }
  // "." alone, ".5" and "5." are not how tables print numbers.
  if (digits == 0 || s.front() == '.' || s.back() == '.') return std::nullopt;
  number.scaled = scaled;
  return number;
}

Fit FitPercent(const PrintedNumber& value, int64_t base) {
  return FitRatio(value, base, 100, base);
}

Fit FitMean(const PrintedNumber& value, int64_t base) {
  // Totals are unbounded above; the target itself bounds the search.
  i128 max_total = static_cast<i128>(value.scaled + 1) * base + 1;
  return FitRatio(value, base, 1, max_total);
}

std::optional<int64_t> SmallestCount(const PrintedNumber& value, int64_t base) {
  // Smallest k with k*100/N >= V/10^d - 1/2 ulp, i.e. 2*k*100*10^d >= (2V-1)*N.
  const i128 unit = 100 * Pow10(value.decimals);
  i128 k = CeilDiv((2 * static_cast<i128>(value.scaled) - 1) * base, 2 * unit);
  if (k < 0) k = 0;
  if (k > base || PrintedScaled(k, 100, base, value.decimals) != value.scaled) return std::nullopt;
  return static_cast<int64_t>(k);
}

// ---------------------------------------------------------------------------
// Names.

std::string_view ResponseKindName(ResponseKind kind) {
  switch (kind) {
    case ResponseKind::kBinary:
      return "binary";
    case ResponseKind::kSingle:
      return "single";
    case ResponseKind::kMultiple:
      return "multiple";
    case ResponseKind::kMean:
      return "mean";
  }
  return "?";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kConsistent:
      return "consistent";
    case Verdict::kInconsistent:
      return "inconsistent";
    case Verdict::kNoResponse:
      return "no response";
  }
  return "?";
}

std::string_view FindingKindName(FindingKind kind, std::string_view language) {
  switch (kind) {
    case FindingKind::kInconsistentCell:
      return words::Pattern(Word::kAuditKindInconsistentCell, language);
    case FindingKind::kTransposed:
      return words::Pattern(Word::kAuditKindTransposed, language);
    case FindingKind::kOtherBase:
      return words::Pattern(Word::kAuditKindOtherBase, language);
    case FindingKind::kColumnBase:
      return words::Pattern(Word::kAuditKindColumnBase, language);
    case FindingKind::kSumOver100:
      return words::Pattern(Word::kAuditKindSumOver100, language);
    case FindingKind::kImpossibleMean:
      return words::Pattern(Word::kAuditKindImpossibleMean, language);
  }
  return "?";
}

std::string Finding::Message(std::string_view language) const {
  return say ? say(language) : message;
}

namespace {

std::optional<ResponseKind> ParseResponseKind(std::string_view name) {
  if (name == "binary") return ResponseKind::kBinary;
  if (name == "single") return ResponseKind::kSingle;
  if (name == "multiple") return ResponseKind::kMultiple;
  if (name == "mean") return ResponseKind::kMean;
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// The bases file.

std::optional<int64_t> CountryBases::Find(std::string_view country) const {
  for (const auto& [code, n] : bases) {
    if (code == country) return n;
  }
  return std::nullopt;
}

const TableBases* BasesSpec::FindTable(std::string_view table) const {
  for (const TableBases& t : tables) {
    if (t.table == table) return &t;
  }
  return nullptr;
}

const ItemBases* BasesSpec::FindItem(std::string_view table, std::string_view item_id) const {
  const TableBases* t = FindTable(table);
  if (t == nullptr) return nullptr;
  for (const ItemBases& item : t->items) {
    if (item.item_id == item_id) return &item;
  }
  return nullptr;
}

std::optional<int64_t> BasesSpec::BaseFor(std::string_view table, std::string_view item_id,
                                          std::string_view option_id,
                                          std::string_view country) const {
  const TableBases* t = FindTable(table);
  if (t == nullptr) return std::nullopt;
  if (const ItemBases* item = FindItem(table, item_id)) {
    for (const OptionBases& option : item->options) {
      if (option.option_id == option_id) {
        if (auto n = option.base.Find(country)) return n;
      }
    }
    if (auto n = item->base.Find(country)) return n;
  }
  return t->base.Find(country);
}

namespace {

class BasesReader {
 public:
  explicit BasesReader(std::string file) : file_(std::move(file)) {}

  Result<BasesSpec> Read(const toml::table& root) {
    BasesSpec spec;
    spec.file = file_;
    NGO_TRY(CheckKeys(root, {"format", "candidate_bases", "tables"}, "the top level"));
    if (const toml::node* format = root.get("format")) {
      auto text = format->value<std::string>();
      if (!text || *text != "ngosurvey-bases/1") {
        return Fail(*format, "format must be \"ngosurvey-bases/1\"");
      }
    }
    if (const toml::node* range = root.get("candidate_bases")) {
      const toml::array* arr = range->as_array();
      if (arr == nullptr || arr->size() != 2 || !(*arr)[0].is_integer() ||
          !(*arr)[1].is_integer()) {
        return Fail(*range, "candidate_bases must be [min, max], two integers");
      }
      spec.candidate_min = *(*arr)[0].value<int64_t>();
      spec.candidate_max = *(*arr)[1].value<int64_t>();
      if (spec.candidate_min < 1 || spec.candidate_max < spec.candidate_min ||
          spec.candidate_max > 10000) {
        return Fail(*range, "candidate_bases must satisfy 1 <= min <= max <= 10000");
      }
    }
    const toml::node* tables = root.get("tables");
    if (tables == nullptr) return MakeError("AUD006", "no [tables.*] section", At(0, 0));
    const toml::table* tables_table = tables->as_table();
    if (tables_table == nullptr) return Fail(*tables, "tables must be a table of tables");
    for (const auto& [key, node] : *tables_table) {
      const toml::table* t = node.as_table();
      if (t == nullptr) return Fail(node, fmt::format("tables.{} must be a table", key.str()));
      TableBases table;
      table.table = std::string(key.str());
      std::string where = fmt::format("[tables.{}]", table.table);
      NGO_TRY(CheckKeys(*t, {"title", "note", "base", "items"}, where));
      NGO_TRY(CheckStrings(*t, {"title", "note"}));
      if (const toml::node* base = t->get("base")) table.base = NGO_TRY(ReadCountryBases(*base));
      if (const toml::node* items = t->get("items")) {
        const toml::table* items_table = items->as_table();
        if (items_table == nullptr) return Fail(*items, where + ".items must be a table");
        for (const auto& [item_key, item_node] : *items_table) {
          table.items.push_back(NGO_TRY(ReadItem(std::string(item_key.str()), item_node)));
        }
      }
      spec.tables.push_back(std::move(table));
    }
    return spec;
  }

 private:
  Location At(int line, int column) const {
    Location where;
    where.file = file_;
    where.row = line;
    where.column = column;
    return where;
  }

  tl::unexpected<Error> Fail(const toml::node& node, std::string message) const {
    return MakeError("AUD006", std::move(message), TomlLineColumn(file_, node.source()));
  }

  Status CheckKeys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                   const std::string& where) const {
    for (const auto& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return MakeError(
            "AUD006", fmt::format("unknown key '{}' in {} (allowed: {})", key.str(), where, list),
            TomlLineColumn(file_, key.source()));
      }
    }
    return Ok();
  }

  Status CheckStrings(const toml::table& t, std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      if (const toml::node* n = t.get(key); n != nullptr && !n->is_string()) {
        return Fail(*n, fmt::format("{} must be a string", key));
      }
    }
    return Ok();
  }

  Result<CountryBases> ReadCountryBases(const toml::node& node) const {
    const toml::table* t = node.as_table();
    if (t == nullptr) return Fail(node, "base must be a table of country = N, e.g. { KH = 14 }");
    CountryBases out;
    for (const auto& [key, value] : *t) {
      auto n = value.value<int64_t>();
      if (!value.is_integer() || !n || *n < 1 || *n > kMaxBase) {
        return Fail(
            value, fmt::format("base for {} must be an integer from 1 to {}", key.str(), kMaxBase));
      }
      out.bases.emplace_back(std::string(key.str()), *n);
    }
    return out;
  }

  Result<ItemBases> ReadItem(std::string item_id, const toml::node& node) const {
    const toml::table* t = node.as_table();
    if (t == nullptr) return Fail(node, fmt::format("item {} must be a table", item_id));
    ItemBases item;
    item.item_id = std::move(item_id);
    item.line = static_cast<int>(node.source().begin.line);
    std::string where = "item " + item.item_id;
    NGO_TRY(CheckKeys(*t, {"response", "base", "options", "note"}, where));
    NGO_TRY(CheckStrings(*t, {"note", "response"}));
    const toml::node* response = t->get("response");
    if (response == nullptr) {
      return MakeError(
          "AUD006",
          fmt::format("item {} has no response kind (binary, single, multiple or mean)",
                      item.item_id),
          At(item.line, 0));
    }
    auto kind = ParseResponseKind(*response->value<std::string>());
    if (!kind) {
      return Fail(*response, fmt::format("response of item {} must be binary, single, multiple "
                                         "or mean, not \"{}\"",
                                         item.item_id, *response->value<std::string>()));
    }
    item.response = *kind;
    if (const toml::node* base = t->get("base")) item.base = NGO_TRY(ReadCountryBases(*base));
    if (const toml::node* options = t->get("options")) {
      const toml::table* options_table = options->as_table();
      if (options_table == nullptr) return Fail(*options, where + ": options must be a table");
      for (const auto& [option_key, option_node] : *options_table) {
        const toml::table* ot = option_node.as_table();
        if (ot == nullptr) return Fail(option_node, "an option must be a table");
        NGO_TRY(
            CheckKeys(*ot, {"base", "note"}, where + " option " + std::string(option_key.str())));
        NGO_TRY(CheckStrings(*ot, {"note"}));
        OptionBases option;
        option.option_id = std::string(option_key.str());
        if (const toml::node* base = ot->get("base"))
          option.base = NGO_TRY(ReadCountryBases(*base));
        item.options.push_back(std::move(option));
      }
    }
    return item;
  }

  std::string file_;
};

}  // namespace

Result<BasesSpec> ParseBases(std::string_view toml_text, const std::string& file_name) {
  toml::table root = NGO_TRY(ParseToml(toml_text, file_name, "AUD005", "malformed TOML: "));
  return BasesReader(file_name).Read(root);
}

Result<BasesSpec> ReadBases(const std::string& path) {
  std::string text = NGO_TRY(ReadFile(path, uint64_t{16} << 20));
  return ParseBases(text, path);
}

// ---------------------------------------------------------------------------
// The audit.

size_t AuditReport::CountVerdict(Verdict verdict) const {
  return static_cast<size_t>(std::count_if(
      cells.begin(), cells.end(), [&](const CellAudit& c) { return c.verdict == verdict; }));
}

size_t AuditReport::CountFindings(FindingKind kind) const {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const Finding& f) { return f.kind == kind; }));
}

namespace {

bool IsNoResponseNote(std::string_view note) {
  return text::AsciiLower(text::Trim(note)) == "no response";
}

// Whether a cell's printed value fits base n.
bool FitsBase(const CellAudit& cell, int64_t n) {
  if (!cell.value) return false;
  return cell.unit == "mean" ? FitMean(*cell.value, n).consistent
                             : FitPercent(*cell.value, n).consistent;
}

std::string CellName(const CellAudit& c, std::string_view lang) {
  std::string item = c.item_id;
  if (c.option_id != "value") item += "/" + c.option_id;
  return words::Text(Word::kAuditCellName, lang, {c.table, item}) + " " + c.country;
}

// "6/14 = 42.9"
std::string CountText(const CellAudit& c, int64_t count, int64_t base) {
  int64_t scale = c.unit == "mean" ? 1 : 100;
  return fmt::format(
      "{}/{} = {}", count, base,
      FormatScaled(RoundHalfUpScaled(count * scale, base, c.value->decimals), c.value->decimals));
}

std::string BasesList(const std::vector<int64_t>& bases) {
  std::string out;
  for (int64_t n : bases) out += (out.empty() ? "" : ", ") + std::to_string(n);
  return out;
}

// "; it fits N = 13, 26", or that it fits no base of the searched range.
std::string OtherBasesText(const CellAudit& c, int64_t candidate_min, int64_t candidate_max,
                           std::string_view lang) {
  if (c.other_bases.empty()) {
    return words::Text(Word::kAuditFitsNoBase, lang,
                       {std::to_string(candidate_min), std::to_string(candidate_max)});
  }
  return words::Text(Word::kAuditFitsBases, lang, {BasesList(c.other_bases)});
}

class Auditor {
 public:
  Auditor(const csv::Table& tables, const BasesSpec& bases) : csv_(tables), bases_(bases) {}

  Result<AuditReport> Run() {
    report_.tables_file = csv_.file;
    report_.bases_file = bases_.file;
    report_.candidate_min = bases_.candidate_min;
    report_.candidate_max = bases_.candidate_max;
    NGO_TRY(FindColumns());
    for (size_t row_idx = 0; row_idx < csv_.rows.size(); ++row_idx) NGO_TRY(ReadRow(row_idx));
    CheckCells();
    CheckColumns();  // before CheckNeighbours, which skips cells a column finding explains
    CheckNeighbours();
    CheckSums();
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [](const Finding& a, const Finding& b) {
                       if (a.kind != b.kind) return a.kind < b.kind;
                       return a.cells.front() < b.cells.front();
                     });
    return std::move(report_);
  }

 private:
  struct Columns {
    size_t table, table_title, item_id, item_label, option_id, option_label, country, value, unit,
        base_note;
  };

  Status FindColumns() {
    auto required = [&](std::string_view name) -> Result<size_t> {
      if (auto idx = csv_.ColumnIndex(name)) return *idx;
      Location where;
      where.file = csv_.file;
      where.row = 1;
      return MakeError("AUD001", fmt::format("required column '{}' is missing", name), where);
    };
    auto optional = [&](std::string_view name) {
      return csv_.ColumnIndex(name).value_or(SIZE_MAX);
    };
    cols_.table = NGO_TRY(required("table"));
    cols_.item_id = NGO_TRY(required("item_id"));
    cols_.option_id = NGO_TRY(required("option_id"));
    cols_.country = NGO_TRY(required("country"));
    cols_.value = NGO_TRY(required("published_value"));
    cols_.unit = NGO_TRY(required("unit"));
    cols_.base_note = NGO_TRY(required("base_note"));
    cols_.table_title = optional("table_title");
    cols_.item_label = optional("item_label");
    cols_.option_label = optional("option_label");
    return Ok();
  }

  std::string Field(size_t row_idx, size_t col) const {
    const auto& row = csv_.rows[row_idx];
    if (col >= row.size()) return "";
    return std::string(text::Trim(row[col]));
  }

  tl::unexpected<Error> Fail(std::string code, size_t row_idx, size_t col, std::string message) {
    return MakeError(std::move(code), std::move(message), csv_.Where(row_idx, col));
  }

  Status ReadRow(size_t row_idx) {
    CellAudit cell;
    cell.table = Field(row_idx, cols_.table);
    cell.table_title = Field(row_idx, cols_.table_title);
    cell.item_id = Field(row_idx, cols_.item_id);
    cell.item_label = Field(row_idx, cols_.item_label);
    cell.option_id = Field(row_idx, cols_.option_id);
    cell.option_label = Field(row_idx, cols_.option_label);
    cell.country = Field(row_idx, cols_.country);
    cell.unit = Field(row_idx, cols_.unit);
    cell.published_value = Field(row_idx, cols_.value);
    cell.line = csv_.Where(row_idx, 0).row;

    const TableBases* table = bases_.FindTable(cell.table);
    if (table == nullptr) {
      return Fail("AUD003", row_idx, cols_.table,
                  fmt::format("unknown item: table '{}' is not in {}", cell.table, bases_.file));
    }
    const ItemBases* item = bases_.FindItem(cell.table, cell.item_id);
    if (item == nullptr) {
      std::string hint;
      size_t best = SIZE_MAX;
      for (const ItemBases& candidate : table->items) {
        size_t d = text::EditDistance(candidate.item_id, cell.item_id);
        if (d < best && d <= 3) {
          best = d;
          hint = fmt::format(" (did you mean '{}'?)", candidate.item_id);
        }
      }
      return Fail("AUD003", row_idx, cols_.item_id,
                  fmt::format("unknown item '{}': not listed under [tables.{}.items] in {}{}",
                              cell.item_id, cell.table, bases_.file, hint));
    }
    cell.response = item->response;
    if (cell.unit != "pct" && cell.unit != "mean") {
      return Fail("AUD008", row_idx, cols_.unit,
                  fmt::format("unit must be pct or mean, not '{}'", cell.unit));
    }
    if ((cell.unit == "mean") != (item->response == ResponseKind::kMean)) {
      return Fail(
          "AUD008", row_idx, cols_.unit,
          fmt::format("unit '{}' disagrees with item {}'s response kind '{}' in {}", cell.unit,
                      cell.item_id, ResponseKindName(item->response), bases_.file));
    }
    auto base = bases_.BaseFor(cell.table, cell.item_id, cell.option_id, cell.country);
    if (!base) {
      return Fail("AUD004", row_idx, cols_.country,
                  fmt::format("no base for country '{}' of {} {}: set it under [tables.{}] or the "
                              "item in {}",
                              cell.country, cell.item_id, cell.option_id, cell.table, bases_.file));
    }
    cell.base = *base;
    std::string key =
        cell.table + '\x1f' + cell.item_id + '\x1f' + cell.option_id + '\x1f' + cell.country;
    if (auto [it, inserted] = keys_.emplace(key, cell.line); !inserted) {
      return Fail("AUD009", row_idx, cols_.option_id,
                  fmt::format("cell ({}, {}, {}, {}) is already printed on line {}", cell.table,
                              cell.item_id, cell.option_id, cell.country, it->second));
    }
    if (cell.published_value.empty()) {
      if (!IsNoResponseNote(Field(row_idx, cols_.base_note))) {
        return Fail("AUD007", row_idx, cols_.value,
                    "published_value is empty; a cell the table prints as \"No response\" must "
                    "say so in base_note");
      }
      cell.verdict = Verdict::kNoResponse;
    } else {
      cell.value = ParsePrintedNumber(cell.published_value);
      if (!cell.value) {
        return Fail("AUD002", row_idx, cols_.value,
                    fmt::format("published_value '{}' is not a number (digits with at most one "
                                "'.', no sign or '%')",
                                text::OneLine(cell.published_value)));
      }
    }
    report_.cells.push_back(std::move(cell));
    return Ok();
  }

  // `say` writes the finding's sentence in a language of the catalogue; it keeps copies
  // of what it needs, since a finding outlives the audit.
  void AddFinding(FindingKind kind, const CellAudit& c,
                  std::function<std::string(std::string_view)> say, std::vector<size_t> cells,
                  bool with_option = true, bool with_country = true) {
    Finding f;
    f.kind = kind;
    f.table = c.table;
    f.item_id = c.item_id;
    if (with_option) f.option_id = c.option_id;
    if (with_country) f.country = c.country;
    f.message = say("en");
    f.say = std::move(say);
    f.cells = std::move(cells);
    report_.findings.push_back(std::move(f));
  }

  void CheckCells() {
    for (size_t i = 0; i < report_.cells.size(); ++i) {
      CellAudit& c = report_.cells[i];
      if (!c.value) continue;
      bool mean = c.unit == "mean";
      Fit fit = mean ? FitMean(*c.value, c.base) : FitPercent(*c.value, c.base);
      c.verdict = fit.consistent ? Verdict::kConsistent : Verdict::kInconsistent;
      c.nearest_count = fit.nearest_count;
      c.nearest_value = fit.nearest_value;
      for (int64_t n = bases_.candidate_min; n <= bases_.candidate_max; ++n) {
        if (n != c.base && FitsBase(c, n)) c.other_bases.push_back(n);
      }
      if (fit.consistent) continue;
      if (mean) {
        AddFinding(
            FindingKind::kImpossibleMean, c,
            [c, fit, min = bases_.candidate_min, max = bases_.candidate_max](std::string_view l) {
              return words::Text(Word::kAuditImpossibleMean, l,
                                 {CellName(c, l), c.published_value, std::to_string(c.base),
                                  std::to_string(fit.nearest_count), fit.nearest_value,
                                  OtherBasesText(c, min, max, l)});
            },
            {i});
        continue;
      }
      AddFinding(FindingKind::kInconsistentCell, c,
                 [c, bracket = Bracket(c), min = bases_.candidate_min,
                  max = bases_.candidate_max](std::string_view l) {
                   return words::Text(Word::kAuditInconsistentCell, l,
                                      {CellName(c, l), c.published_value, std::to_string(c.base),
                                       bracket, OtherBasesText(c, min, max, l)});
                 },
                 {i});
    }
  }

  // The achievable percentages on either side of the printed one.
  std::string Bracket(const CellAudit& c) const {
    const i128 unit = 100 * Pow10(c.value->decimals);
    int64_t below = static_cast<int64_t>(
        std::clamp<i128>(FloorDiv(static_cast<i128>(c.value->scaled) * c.base, unit), 0, c.base));
    std::string out = CountText(c, below, c.base);
    if (below + 1 <= c.base) out += ", " + CountText(c, below + 1, c.base);
    return out;
  }

  // Transposition and other-base checks between a cell and its neighbours: the
  // same option in another country, and the adjacent options of the same item
  // and country. Swapping two cells only changes anything when their bases differ.
  void CheckNeighbours() {
    std::set<std::pair<size_t, size_t>> swapped;
    const auto& cells = report_.cells;
    for (size_t i = 0; i < cells.size(); ++i) {
      const CellAudit& a = cells[i];
      if (a.verdict != Verdict::kInconsistent || a.unit != "pct") continue;
      if (InColumnFinding(i)) continue;
      std::vector<size_t> neighbours;
      for (size_t j = 0; j < cells.size(); ++j) {
        if (j == i) continue;
        const CellAudit& b = cells[j];
        if (b.table != a.table || b.item_id != a.item_id || !b.value || b.unit != "pct") continue;
        bool other_country = b.option_id == a.option_id && b.country != a.country;
        bool adjacent_option =
            b.country == a.country && b.option_id != a.option_id && AdjacentOptions(i, j);
        if ((other_country || adjacent_option) && b.base != a.base) neighbours.push_back(j);
      }
      bool reported = false;
      for (size_t j : neighbours) {
        const CellAudit& b = cells[j];
        if (!FitsBase(a, b.base)) continue;
        if (b.verdict == Verdict::kInconsistent && FitsBase(b, a.base)) {
          auto key = std::minmax(i, j);
          if (swapped.insert(key).second) {
            AddFinding(
                FindingKind::kTransposed, a,
                [a, b](std::string_view l) {
                  return words::Text(Word::kAuditTransposed, l,
                                     {CellName(a, l), a.published_value, std::to_string(b.base),
                                      std::to_string(a.base), CellName(b, l), b.published_value,
                                      std::to_string(a.base), std::to_string(b.base)});
                },
                {std::min(i, j), std::max(i, j)}, a.option_id == b.option_id,
                a.country == b.country);
          }
          reported = true;
          break;
        }
      }
      if (reported) continue;
      for (size_t j : neighbours) {
        const CellAudit& b = cells[j];
        if (!FitsBase(a, b.base)) continue;
        AddFinding(FindingKind::kOtherBase, a,
                   [a, b](std::string_view l) {
                     return words::Text(Word::kAuditOtherBase, l,
                                        {CellName(a, l), a.published_value, std::to_string(a.base),
                                         std::to_string(b.base), CellName(b, l)});
                   },
                   {i, j});
        break;
      }
    }
  }

  bool AdjacentOptions(size_t i, size_t j) const {
    // Adjacent in CSV order among the cells of the same item and country.
    const auto& cells = report_.cells;
    size_t lo = std::min(i, j), hi = std::max(i, j);
    for (size_t k = lo + 1; k < hi; ++k) {
      if (cells[k].table == cells[i].table && cells[k].item_id == cells[i].item_id &&
          cells[k].country == cells[i].country) {
        return false;
      }
    }
    return true;
  }

  bool InColumnFinding(size_t cell) const {
    for (const Finding& f : report_.findings) {
      if (f.kind == FindingKind::kColumnBase &&
          std::find(f.cells.begin(), f.cells.end(), cell) != f.cells.end()) {
        return true;
      }
    }
    return false;
  }

  // A table's column (table, country) with two or more inconsistent cells whose
  // every printed percentage fits one other base.
  void CheckColumns() {
    std::vector<std::pair<std::string, std::string>> groups;
    for (const CellAudit& c : report_.cells) {
      auto g = std::make_pair(c.table, c.country);
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    std::vector<Finding> found;
    for (const auto& [table, country] : groups) {
      std::vector<size_t> members;
      size_t inconsistent = 0;
      std::set<int64_t> own;
      for (size_t i = 0; i < report_.cells.size(); ++i) {
        const CellAudit& c = report_.cells[i];
        if (c.table != table || c.country != country || !c.value || c.unit != "pct") continue;
        members.push_back(i);
        own.insert(c.base);
        if (c.verdict == Verdict::kInconsistent) ++inconsistent;
      }
      if (inconsistent < 2) continue;
      std::vector<int64_t> fitting;
      for (int64_t n = bases_.candidate_min; n <= bases_.candidate_max; ++n) {
        if (own.count(n) != 0) continue;
        bool all = std::all_of(members.begin(), members.end(),
                               [&](size_t i) { return FitsBase(report_.cells[i], n); });
        if (all) fitting.push_back(n);
      }
      if (fitting.empty()) continue;
      const CellAudit& first = report_.cells[members.front()];
      std::vector<int64_t> own_list(own.begin(), own.end());
      AddFinding(
          FindingKind::kColumnBase, first,
          [table = table, country = country, inconsistent, size = members.size(),
           own_text = BasesList(own_list), fitting_text = BasesList(fitting)](std::string_view l) {
            return words::Text(Word::kAuditColumnBase, l,
                               {table, country, std::to_string(inconsistent), std::to_string(size),
                                own_text, std::to_string(size), fitting_text});
          },
          members, false, true);
      report_.findings.back().item_id.clear();
    }
  }

  // Single-choice items: per country, the shares cannot add to more than 100
  // once each is lowered by its rounding tolerance (half a unit of its last
  // printed digit); and, when every share fits, the fewest units that give them
  // cannot exceed the base.
  void CheckSums() {
    std::vector<std::tuple<std::string, std::string, std::string>> groups;
    for (const CellAudit& c : report_.cells) {
      if (c.response != ResponseKind::kSingle) continue;
      auto g = std::make_tuple(c.table, c.item_id, c.country);
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    for (const auto& [table, item_id, country] : groups) {
      std::vector<size_t> members;
      int max_decimals = 0;
      for (size_t i = 0; i < report_.cells.size(); ++i) {
        const CellAudit& c = report_.cells[i];
        if (c.table != table || c.item_id != item_id || c.country != country || !c.value) continue;
        members.push_back(i);
        max_decimals = std::max(max_decimals, c.value->decimals);
      }
      if (members.size() < 2) continue;
      // Sums in units of 1 / (2 * 10^D).
      i128 printed = 0, lowest = 0;
      bool all_fit = true;
      int64_t min_count = 0, base = report_.cells[members.front()].base;
      bool same_base = true;
      for (size_t i : members) {
        const CellAudit& c = report_.cells[i];
        i128 up = Pow10(max_decimals - c.value->decimals);
        printed += 2 * static_cast<i128>(c.value->scaled) * up;
        i128 low = (2 * static_cast<i128>(c.value->scaled) - 1) * up;
        lowest += low < 0 ? 0 : low;
        auto k = SmallestCount(*c.value, c.base);
        if (!k)
          all_fit = false;
        else
          min_count += *k;
        if (c.base != base) same_base = false;
      }
      const i128 hundred = 2 * 100 * Pow10(max_decimals);
      bool over_rounding = lowest > hundred;
      bool over_count = all_fit && same_base && min_count > base;
      if (!over_rounding && !over_count) continue;
      auto half_units = [&](i128 v) {
        // v / (2*10^D) = 5v / 10^(D+1), printed with the fewest decimals needed.
        int64_t scaled = static_cast<int64_t>(5 * v);
        int decimals = max_decimals + 1;
        while (decimals > 0 && scaled % 10 == 0) {
          scaled /= 10;
          --decimals;
        }
        return FormatScaled(scaled, decimals);
      };
      const CellAudit& first = report_.cells[members.front()];
      // Lowering stops at 0, so the tolerance used is what was actually taken off.
      std::optional<std::pair<std::string, std::string>> rounding;
      if (over_rounding) rounding.emplace(half_units(printed - lowest), half_units(lowest));
      std::optional<std::pair<int64_t, int64_t>> fewest;
      if (all_fit && same_base) fewest.emplace(min_count, base);
      AddFinding(
          FindingKind::kSumOver100, first,
          [table = table, item_id = item_id, country = country, size = members.size(),
           sum = half_units(printed), rounding, fewest](std::string_view l) {
            std::string message = words::Text(Word::kAuditSumOver100, l,
                                              {table, item_id, country, std::to_string(size), sum});
            if (rounding) {
              message +=
                  words::Text(Word::kAuditSumRounding, l, {rounding->first, rounding->second});
            }
            if (fewest) {
              message +=
                  words::Text(Word::kAuditSumFewest, l,
                              {std::to_string(fewest->first), std::to_string(fewest->second)});
            }
            return message;
          },
          members, false, true);
    }
  }

  const csv::Table& csv_;
  const BasesSpec& bases_;
  Columns cols_{};
  std::map<std::string, int> keys_;
  AuditReport report_;
};

}  // namespace

Result<AuditReport> AuditPublished(const csv::Table& tables, const BasesSpec& bases) {
  return Auditor(tables, bases).Run();
}

Result<AuditReport> AuditPublishedFiles(const std::string& tables_path,
                                        const std::string& bases_path) {
  BasesSpec bases = NGO_TRY(ReadBases(bases_path));
  csv::Table tables = NGO_TRY(csv::ReadTable(tables_path));
  return AuditPublished(tables, bases);
}

}  // namespace ngosurvey::study
