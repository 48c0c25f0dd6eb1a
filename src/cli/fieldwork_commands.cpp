// `ngosurvey fieldwork ...`: outcome rates from a sample frame or a store, and the
// AAPOR disposition code table (due and status: fieldwork_log_commands.cpp). Output layouts are
// documented in docs/cli.md
// ("fieldwork rates") and docs/fieldwork.md.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/text.h"
#include "cli/command.h"
#include "fieldwork/fieldwork.h"
#include "store/store.h"

namespace ngosurvey::cli {

// fieldwork_log_commands.cpp: frame import|list, contact add, fieldwork due|status.
void RegisterFieldworkLogCommands(CLI::App& root, CLI::App* fieldwork, CommandContext& ctx);

namespace {

namespace fw = fieldwork;

constexpr fw::RateCategory kCategories[] = {
    fw::RateCategory::kComplete,     fw::RateCategory::kPartial,
    fw::RateCategory::kRefusal,      fw::RateCategory::kNonContact,
    fw::RateCategory::kOther,        fw::RateCategory::kUnknownHousehold,
    fw::RateCategory::kUnknownOther, fw::RateCategory::kNotEligible,
};

std::string Fixed6(double value) { return fmt::format("{:.6f}", value); }

std::string PadLeft(const std::string& s, size_t width) {
  size_t w = text::DisplayWidth(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string PadRight(const std::string& s, size_t width) {
  size_t w = text::DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string RatesCsv(const std::vector<fw::GroupRates>& groups) {
  std::string out;
  csv::AppendRow({"group", "measure", "value"}, &out);
  for (const fw::GroupRates& g : groups) {
    const fw::OutcomeRates& r = g.rates;
    for (fw::RateCategory category : kCategories) {
      csv::AppendRow({g.group, std::string(fw::CategoryAbbreviation(category)),
                      std::to_string(r.counts[category])},
                     &out);
    }
    csv::AppendRow({g.group, "e_method", std::string(r.e_spec.MethodName())}, &out);
    csv::AppendRow({g.group, "e", r.e ? Fixed6(*r.e) : std::string()}, &out);
    for (const fw::MeasureInfo& m : fw::Measures()) {
      const fw::RateValue& v = r[m.measure];
      csv::AppendRow({g.group, std::string(m.name), v.value ? Fixed6(*v.value) : std::string()},
                     &out);
    }
  }
  return out;
}

nlohmann::ordered_json RatesJson(const std::string& frame_path, const std::string& by,
                                 const fw::ESpec& e_spec,
                                 const std::vector<fw::GroupRates>& groups) {
  nlohmann::ordered_json doc;
  doc["frame"] = frame_path;
  doc["by"] = by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(by);
  doc["e_method"] = e_spec.MethodName();
  if (e_spec.method == fw::ESpec::Method::kFixed) doc["e_fixed"] = e_spec.value;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const fw::GroupRates& g : groups) {
    const fw::OutcomeRates& r = g.rates;
    nlohmann::ordered_json item;
    item["group"] = g.group;
    nlohmann::ordered_json counts;
    for (fw::RateCategory category : kCategories) {
      counts[std::string(fw::CategoryAbbreviation(category))] = r.counts[category];
    }
    counts["total"] = r.counts.Total();
    item["counts"] = counts;
    item["e"] = r.e ? nlohmann::ordered_json(*r.e) : nlohmann::ordered_json(nullptr);
    if (!r.e) item["e_reason"] = r.e_reason;
    nlohmann::ordered_json rates;
    nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
    for (const fw::MeasureInfo& m : fw::Measures()) {
      const fw::RateValue& v = r[m.measure];
      rates[std::string(m.name)] =
          v.value ? nlohmann::ordered_json(*v.value) : nlohmann::ordered_json(nullptr);
      if (!v.value) reasons[std::string(m.name)] = v.reason;
    }
    item["rates"] = rates;
    item["cannot_compute"] = reasons;
    list.push_back(item);
  }
  doc["groups"] = list;
  return doc;
}

std::string RatesText(const std::string& frame_path, const std::string& by, const fw::ESpec& e_spec,
                      const std::vector<fw::GroupRates>& groups) {
  std::string out = "AAPOR outcome rates for " + frame_path;
  out += by.empty() ? "\n" : ", by " + by + "\n";
  if (e_spec.method == fw::ESpec::Method::kFixed) {
    out += fmt::format("e = {:g} (fixed, given with --e)\n", e_spec.value);
  } else {
    out += "e = (I+P+R+NC+O) / (I+P+R+NC+O+NE), estimated in each group (proportional)\n";
  }
  out += "\n";

  // One row per measure, one column per group.
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;
  for (fw::RateCategory category : kCategories) {
    std::vector<std::string> cells;
    for (const fw::GroupRates& g : groups)
      cells.push_back(std::to_string(g.rates.counts[category]));
    rows.emplace_back(std::string(fw::CategoryAbbreviation(category)), cells);
  }
  {
    std::vector<std::string> cells;
    for (const fw::GroupRates& g : groups) cells.push_back(std::to_string(g.rates.counts.Total()));
    rows.emplace_back("cases", cells);
  }
  rows.emplace_back("", std::vector<std::string>(groups.size()));
  {
    std::vector<std::string> cells;
    for (const fw::GroupRates& g : groups) {
      cells.push_back(g.rates.e ? fmt::format("{:.4f}", *g.rates.e) : "n/a");
    }
    rows.emplace_back("e", cells);
  }
  for (const fw::MeasureInfo& m : fw::Measures()) {
    std::vector<std::string> cells;
    for (const fw::GroupRates& g : groups) {
      const fw::RateValue& v = g.rates[m.measure];
      cells.push_back(v.value ? fmt::format("{:.1f}%", *v.value * 100) : "n/a");
    }
    rows.emplace_back(std::string(m.name), cells);
  }

  size_t label_width = 5;
  std::vector<size_t> widths;
  for (const fw::GroupRates& g : groups)
    widths.push_back(std::max<size_t>(7, text::DisplayWidth(g.group)));
  out += PadRight("", label_width);
  for (size_t i = 0; i < groups.size(); ++i) out += "  " + PadLeft(groups[i].group, widths[i]);
  out += "\n";
  for (const auto& [label, cells] : rows) {
    if (label.empty()) {
      out += "\n";
      continue;
    }
    out += PadRight(label, label_width);
    for (size_t i = 0; i < cells.size(); ++i) out += "  " + PadLeft(cells[i], widths[i]);
    out += "\n";
  }

  // Why each n/a: per group, the measures grouped by reason.
  std::string notes;
  for (const fw::GroupRates& g : groups) {
    std::map<std::string, std::vector<std::string>> by_reason;
    if (!g.rates.e) by_reason[g.rates.e_reason].push_back("e");
    for (const fw::MeasureInfo& m : fw::Measures()) {
      const fw::RateValue& v = g.rates[m.measure];
      if (!v.value) by_reason[v.reason].push_back(std::string(m.name));
    }
    for (const auto& [reason, names] : by_reason) {
      notes += fmt::format("  {}: {}: {}\n", g.group, fmt::join(names, ", "), reason);
    }
  }
  if (!notes.empty()) out += "\nn/a = cannot be computed:\n" + notes;
  out +=
      "\nI complete, P partial, R refusal and break-off, NC non-contact, O other, UH/UO "
      "unknown eligibility,\nNE not eligible (AAPOR Standard Definitions; formulas in "
      "docs/fieldwork.md).\n";
  return out;
}

void RunRates(CommandContext& ctx, const std::string& frame_path, const std::string& db,
              const std::string& by, const std::string& e_text, const std::string& format) {
  if (frame_path.empty() == db.empty()) {
    *ctx.err << "error: give exactly one of --frame FRAME.csv and --db DB\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto e_spec = fw::ParseESpec(e_text);
  if (!e_spec) {
    ReportError(ctx, e_spec.error());
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  Result<fw::Frame> frame = MakeError("FW040", "no frame");
  if (!db.empty()) {
    // The store's frame, each case with its current disposition (docs/fieldwork.md).
    store::OpenOptions options;
    options.read_only = true;
    options.create_if_missing = false;
    auto store = store::OpenStore(db, options);
    if (!store) {
      ctx.exit_status = ReportError(ctx, store.error());
      return;
    }
    auto state = fw::LoadFieldworkState(**store, db);
    if (!state) {
      ctx.exit_status = ReportError(ctx, state.error());
      return;
    }
    frame = fw::RatesFrame(*state);
  } else {
    Diagnostics diags;
    frame = fw::ReadFrame(frame_path, &diags);
    if (!frame) {
      PrintDiagnostics(ctx, diags);
      ctx.exit_status = ReportError(ctx, frame.error());
      return;
    }
  }
  const std::string& source = db.empty() ? frame_path : db;
  auto groups = fw::RatesByGroup(*frame, by, *e_spec);
  if (!groups) {
    ExitStatus status = ReportError(ctx, groups.error());
    ctx.exit_status = groups.error().code == "FW012" ? ExitStatus::kUsage : status;
    return;
  }
  if (format == "csv") {
    *ctx.out << RatesCsv(*groups);
  } else if (format == "json") {
    nlohmann::ordered_json doc = RatesJson(frame_path, by, *e_spec, *groups);
    if (!db.empty()) {
      // "frame": null, then "db", then the rest as for --frame.
      nlohmann::ordered_json with_db;
      for (auto& [key, value] : doc.items()) {
        with_db[key] = key == "frame" ? nlohmann::ordered_json(nullptr) : value;
        if (key == "frame") with_db["db"] = db;
      }
      doc = std::move(with_db);
    }
    *ctx.out << doc.dump(2) << "\n";
  } else {
    *ctx.out << RatesText(source, by, *e_spec, *groups);
  }
}

void RunDispositions(CommandContext& ctx, const std::string& format) {
  if (format == "csv") {
    std::string out;
    csv::AppendRow({"code", "category", "label"}, &out);
    for (const fw::DispositionCode& row : fw::FinalDispositions()) {
      csv::AppendRow({std::string(row.code), std::string(fw::CategoryAbbreviation(row.category)),
                      std::string(fw::DispositionLabel(row))},
                     &out);
    }
    *ctx.out << out;
    return;
  }
  *ctx.out << "AAPOR final disposition codes (in-person surveys; organizations read for "
              "households)\n\ncode   rate  label\n";
  for (const fw::DispositionCode& row : fw::FinalDispositions()) {
    *ctx.out << PadRight(std::string(row.code), 6) << " "
             << PadRight(std::string(fw::CategoryAbbreviation(row.category)), 5) << " "
             << fw::DispositionLabel(row) << "\n";
  }
  *ctx.out << "\nContact outcomes (contact log) and the final code each becomes at close-out\n\n"
              "outcome                 code   closes  meaning\n";
  for (const fw::OutcomeInfo& info : fw::ContactOutcomes()) {
    *ctx.out << PadRight(std::string(info.name), 23) << " "
             << PadRight(std::string(info.final_code), 6) << " "
             << PadRight(info.closes_case ? "yes" : "no", 7) << " " << info.label << "\n";
  }
}

struct RatesOptions {
  std::string frame;
  std::string db;
  std::string by;
  std::string e = "proportional";
  std::string format = "text";
};

}  // namespace

void RegisterFieldworkCommands(CLI::App& root, CommandContext& ctx) {
  CLI::App* group =
      AddGroup(root, "fieldwork", "Fieldwork: sample frame, AAPOR dispositions and outcome rates");

  AddCommand(
      *group, "rates", "AAPOR response, cooperation, refusal and contact rates from a sample frame",
      [&ctx](CLI::App& rates) {
        auto opts = std::make_shared<RatesOptions>();
        rates.add_option("--frame", opts->frame, "Sample frame CSV with a 'disposition' column");
        rates.add_option("--db", opts->db,
                         "Store: its frame, contacts and interviews give the dispositions");
        rates.add_option("--by", opts->by, "Column to group by (e.g. country); overall always");
        rates.add_option(
            "--e", opts->e,
            "Share of unknown-eligibility cases taken as eligible: a number from 0 to 1, "
            "or 'proportional' (default)");
        rates.add_option("--format", opts->format, "Output format")
            ->check(CLI::IsMember({"text", "csv", "json"}));
        rates.callback([&ctx, opts] {
          RunRates(ctx, opts->frame, opts->db, opts->by, opts->e, opts->format);
        });
      });

  AddCommand(*group, "dispositions", "List the AAPOR final disposition codes",
             [&ctx](CLI::App& dispositions) {
               auto format = std::make_shared<std::string>("text");
               dispositions.add_option("--format", *format, "Output format")
                   ->check(CLI::IsMember({"text", "csv"}));
               dispositions.callback([&ctx, format] { RunDispositions(ctx, *format); });
             });

  RegisterFieldworkLogCommands(root, group, ctx);
}

}  // namespace ngosurvey::cli
