// The store-backed fieldwork log on the command line: `ngosurvey frame import|list`,
// `ngosurvey contact add`, `ngosurvey fieldwork due|status`. Registered by
// RegisterFieldworkCommands (fieldwork_commands.cpp). Output layouts: docs/cli.md.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/csv.h"
#include "base/text.h"
#include "cli/command.h"
#include "fieldwork/fieldwork.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

namespace fw = fieldwork;

Result<std::unique_ptr<store::Store>> Open(const std::string& db, bool read_only, bool create) {
  store::OpenOptions options;
  options.read_only = read_only;
  options.create_if_missing = create;
  return store::OpenStore(db, options);
}

// Parses a --date style option; on error reports it as a usage error.
bool ParseDateOption(CommandContext& ctx, const std::string& option, const std::string& text,
                     fw::Date* out) {
  auto date = fw::ParseDate(text);
  if (!date) {
    *ctx.err << "error: " << option << ": " << date.error().message << "\n";
    ctx.exit_status = ExitStatus::kUsage;
    return false;
  }
  *out = *date;
  return true;
}

void Fail(CommandContext& ctx, const Error& error) { ctx.exit_status = ReportError(ctx, error); }

std::string PadRight(const std::string& s, size_t width) {
  size_t w = text::DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// --- frame import / list ---------------------------------------------------------

void RunFrameImport(CommandContext& ctx, const std::string& db, const std::string& path) {
  Diagnostics diags;
  auto frame = fw::ReadFrame(path, &diags);
  if (!frame) {
    PrintDiagnostics(ctx, diags);
    Fail(ctx, frame.error());
    return;
  }
  auto store = Open(db, false, true);
  if (!store) return Fail(ctx, store.error());
  auto result = (*store)->ImportFrame(fw::ToFrameImport(*frame));
  if (!result) return Fail(ctx, result.error());
  *ctx.out << fmt::format(
      "{}: {} organisations imported into {}: {} added, {} unchanged, {} updated, {} kept "
      "(in the store, not in this file)\n",
      path, frame->cases.size(), db, result->added, result->unchanged, result->updated.size(),
      result->kept.size());
  for (const auto& [org, columns] : result->updated) {
    *ctx.out << "  updated " << org << ": " << fmt::format("{}", fmt::join(columns, ", ")) << "\n";
  }
  for (const std::string& org : result->kept) *ctx.out << "  kept " << org << "\n";
}

void RunFrameList(CommandContext& ctx, const std::string& db, const std::string& format) {
  auto store = Open(db, true, false);
  if (!store) return Fail(ctx, store.error());
  auto stored = (*store)->ReadFrame();
  if (!stored) return Fail(ctx, stored.error());
  auto frame = fw::FrameFromStore(*stored, db);
  if (!frame) return Fail(ctx, frame.error());

  // The columns of a frame file, so that `frame list --format csv` re-imports as is.
  std::vector<std::string> header = {"org_id", "name", frame->stratum_column};
  if (frame->has_address_column) header.push_back("address");
  if (frame->has_contact_person_column) header.push_back("contact_person");
  if (frame->has_disposition_column) header.push_back("disposition");
  for (const std::string& extra : frame->extra_columns) header.push_back(extra);
  auto row_of = [&](const fw::FrameCase& c) {
    std::vector<std::string> row;
    for (const std::string& column : header) row.push_back(*frame->Value(c, column));
    return row;
  };

  if (format == "csv") {
    std::string out;
    csv::AppendRow(header, &out);
    for (const fw::FrameCase& c : frame->cases) csv::AppendRow(row_of(c), &out);
    *ctx.out << out;
  } else if (format == "json") {
    nlohmann::ordered_json doc;
    doc["db"] = db;
    doc["stratum_column"] = frame->stratum_column;
    doc["columns"] = header;
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const fw::FrameCase& c : frame->cases) {
      nlohmann::ordered_json e;
      std::vector<std::string> row = row_of(c);
      for (size_t i = 0; i < header.size(); ++i) e[header[i]] = row[i];
      entries.push_back(e);
    }
    doc["organisations"] = entries;
    *ctx.out << doc.dump(2) << "\n";
  } else {
    *ctx.out << fmt::format("Sample frame in {}: {} organisations\n\n", db, frame->cases.size());
    size_t id_width = 6;
    for (const fw::FrameCase& c : frame->cases) {
      id_width = std::max(id_width, text::DisplayWidth(c.org_id));
    }
    *ctx.out << PadRight("org_id", id_width) << "  " << PadRight(frame->stratum_column, 7) << "  "
             << PadRight("disp.", 5) << "  name\n";
    for (const fw::FrameCase& c : frame->cases) {
      *ctx.out << PadRight(c.org_id, id_width) << "  " << PadRight(c.stratum, 7) << "  "
               << PadRight(c.disposition ? std::string(c.disposition->code) : "-", 5) << "  "
               << c.name << "\n";
    }
  }
}

// --- contact add -----------------------------------------------------------------

struct ContactOptions {
  std::string db;
  std::string org;
  std::string date;
  std::string mode;
  std::string outcome;
  std::string appointment;
  std::string note;
  std::string by;
};

void RunContactAdd(CommandContext& ctx, const ContactOptions& opts) {
  fw::ContactRequest request;
  request.org_id = opts.org;
  if (!ParseDateOption(ctx, "--date", opts.date, &request.date)) return;
  auto mode = fw::FindMode(opts.mode);
  if (!mode) {
    *ctx.err << "error: --mode must be visit, phone, email or letter, not '" << opts.mode << "'\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  request.mode = *mode;
  request.outcome = opts.outcome;
  if (!opts.appointment.empty()) {
    fw::Date appointment;
    if (!ParseDateOption(ctx, "--appointment", opts.appointment, &appointment)) return;
    request.appointment = appointment;
  }
  request.note = opts.note;
  request.by = opts.by;
  auto store = Open(opts.db, false, false);
  if (!store) return Fail(ctx, store.error());
  auto record = fw::LogContact(**store, request, fw::Today(SystemClock::Instance()));
  if (!record) return Fail(ctx, record.error());
  auto outcome = fw::ResolveOutcome(record->outcome);
  *ctx.out << fmt::format("contact #{} with {} on {} ({}): {} -> {} {}{}{}\n", record->seq,
                          record->org_id, record->date, record->mode, record->outcome,
                          record->disposition, outcome ? fw::DispositionLabel(*outcome->code) : "",
                          outcome && outcome->closes_case ? " (closes the case)" : "",
                          record->appointment ? ", appointment on " + *record->appointment : "");
}

// --- fieldwork due / status ------------------------------------------------------

struct StateOptions {
  std::string db;
  std::string date;
  std::string schedule;
  std::string by;
  std::string format = "text";
};

// Loads what due and status need; false (with the exit status set) on error.
bool LoadState(CommandContext& ctx, const StateOptions& opts, fw::FieldworkState* state,
               fw::Date* today, fw::ScheduleConfig* config) {
  *today = fw::Today(SystemClock::Instance());
  if (!opts.date.empty() && !ParseDateOption(ctx, "--date", opts.date, today)) return false;
  config->schedule = fw::DefaultSchedule();
  if (!opts.schedule.empty()) {
    auto read = fw::ReadScheduleFile(opts.schedule);
    if (!read) {
      Fail(ctx, read.error());
      return false;
    }
    *config = *read;
  }
  auto store = Open(opts.db, true, false);
  if (!store) {
    Fail(ctx, store.error());
    return false;
  }
  auto loaded = fw::LoadFieldworkState(**store, store::DisplayLocation(opts.db));
  if (!loaded) {
    Fail(ctx, loaded.error());
    return false;
  }
  *state = std::move(*loaded);
  return true;
}

void RunDue(CommandContext& ctx, const StateOptions& opts) {
  fw::FieldworkState state;
  fw::Date today;
  fw::ScheduleConfig config;
  if (!LoadState(ctx, opts, &state, &today, &config)) return;
  auto report = fw::DueFromState(state, today, config);
  if (!report) return Fail(ctx, report.error());
  if (opts.format == "csv") {
    std::string out;
    csv::AppendRow({"org_id", "action", "step", "mode", "due", "status", "days_late"}, &out);
    for (const fw::DueItem& item : report->items) {
      csv::AppendRow({item.org_id, item.action, std::to_string(item.step),
                      std::string(fw::ModeName(item.mode)), fw::FormatDate(item.due),
                      std::string(fw::DueStatusName(item.status)), std::to_string(item.days_late)},
                     &out);
    }
    *ctx.out << out;
    return;
  }
  std::map<fw::DueStatus, int> by_status;
  for (const fw::DueItem& item : report->items) ++by_status[item.status];
  *ctx.out << fmt::format(
      "Follow-ups on {} ({} schedule, {} steps, overdue after {} days): {} overdue, {} due, {} "
      "upcoming; {} closed, {} with every step made\n\n",
      fw::FormatDate(today), opts.schedule.empty() ? "default Dillman" : opts.schedule,
      config.schedule.steps.size(), config.schedule.grace_days, by_status[fw::DueStatus::kOverdue],
      by_status[fw::DueStatus::kDue], by_status[fw::DueStatus::kUpcoming], report->closed.size(),
      report->exhausted.size());
  if (!report->items.empty()) {
    *ctx.out << "status    due         org_id    step  action          mode    late\n";
    for (const fw::DueItem& item : report->items) {
      *ctx.out << PadRight(std::string(fw::DueStatusName(item.status)), 9) << " "
               << fw::FormatDate(item.due) << "  " << PadRight(item.org_id, 9) << " "
               << PadRight(item.step == 0 ? "-" : std::to_string(item.step), 5) << " "
               << PadRight(item.action, 15) << " "
               << PadRight(std::string(fw::ModeName(item.mode)), 7) << " "
               << (item.days_late > 0 ? std::to_string(item.days_late) + "d" : "") << "\n";
    }
  }
  if (!report->exhausted.empty()) {
    *ctx.out << "\nEvery step made, still open (close with the final code):\n";
    for (const fw::ExhaustedCase& c : report->exhausted) {
      *ctx.out << fmt::format("  {}: {} contacts, final code {}\n", c.org_id, c.contacts,
                              c.final_code);
    }
  }
}

void RunStatus(CommandContext& ctx, const StateOptions& opts) {
  fw::FieldworkState state;
  fw::Date today;
  fw::ScheduleConfig config;
  if (!LoadState(ctx, opts, &state, &today, &config)) return;
  auto summary = fw::SummariseStatus(state, today, config, opts.by);
  if (!summary) {
    Fail(ctx, summary.error());
    if (summary.error().code == "FW012") ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto& [groups, by_code, open_per_group, per_interviewer, per_day, overdue] = *summary;

  if (opts.format == "json") {
    nlohmann::ordered_json doc;
    doc["db"] = store::DisplayLocation(opts.db);
    doc["date"] = fw::FormatDate(today);
    doc["by"] = opts.by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(opts.by);
    nlohmann::ordered_json disp = nlohmann::ordered_json::array();
    for (const fw::DispositionCode& code : fw::FinalDispositions()) {
      auto it = by_code.find(std::string(code.code));
      if (it == by_code.end()) continue;
      nlohmann::ordered_json row;
      row["code"] = code.code;
      row["category"] = fw::CategoryAbbreviation(code.category);
      row["label"] = fw::DispositionLabel(code);
      nlohmann::ordered_json counts;
      for (const std::string& g : groups) counts[g] = it->second.count(g) ? it->second.at(g) : 0;
      row["counts"] = counts;
      disp.push_back(row);
    }
    doc["dispositions"] = disp;
    nlohmann::ordered_json open;
    for (const std::string& g : groups) open[g] = open_per_group[g];
    doc["open_cases"] = open;
    nlohmann::ordered_json interviewers = nlohmann::ordered_json::object();
    for (const auto& [name, codes] : per_interviewer) interviewers[name] = codes;
    doc["interviews_per_interviewer"] = interviewers;
    doc["interviews_per_day"] = per_day;
    doc["interviews_outside_frame"] = state.interviews_outside_frame;
    nlohmann::ordered_json late = nlohmann::ordered_json::array();
    for (const fw::DueItem& item : overdue) {
      late.push_back({{"org_id", item.org_id},
                      {"action", item.action},
                      {"due", fw::FormatDate(item.due)},
                      {"days_late", item.days_late}});
    }
    doc["overdue"] = late;
    *ctx.out << doc.dump(2) << "\n";
    return;
  }

  std::string out = fmt::format("Fieldwork status of {} on {}: {} organisations, {} interviews\n",
                                store::DisplayLocation(opts.db), fw::FormatDate(today),
                                state.cases.size(), state.interviews.size());
  out += "\nDispositions (current; docs/fieldwork.md has the rule)\n";
  std::string head = fmt::format("{:<6} {:<3}", "code", "");
  for (const std::string& g : groups) head += fmt::format(" {:>7}", g);
  out += head + "  label\n";
  for (const fw::DispositionCode& code : fw::FinalDispositions()) {
    auto it = by_code.find(std::string(code.code));
    if (it == by_code.end()) continue;
    std::string line =
        fmt::format("{:<6} {:<3}", code.code, fw::CategoryAbbreviation(code.category));
    for (const std::string& g : groups) {
      line += fmt::format(" {:>7}", it->second.count(g) ? it->second.at(g) : 0);
    }
    out += line + "  " + std::string(fw::DispositionLabel(code)) + "\n";
  }
  std::string open_line = fmt::format("{:<10}", "open");
  for (const std::string& g : groups) open_line += fmt::format(" {:>7}", open_per_group[g]);
  out += open_line + "  (still in the field)\n";

  out += "\nInterviews per interviewer (completed, main wave)\n";
  if (per_interviewer.empty()) out += "  none\n";
  for (const auto& [name, codes] : per_interviewer) {
    int total = 0;
    std::vector<std::string> parts;
    for (const auto& [code, n] : codes) {
      total += n;
      parts.push_back(fmt::format("{} x {}", n, code));
    }
    out += fmt::format("  {:<16} {:>3}  ({})\n", name.empty() ? "(none)" : name, total,
                       fmt::join(parts, ", "));
  }
  out += "\nInterviews per day (UTC)\n";
  if (per_day.empty()) out += "  none\n";
  for (const auto& [day, n] : per_day) out += fmt::format("  {}  {:>3}\n", day, n);
  if (state.interviews_outside_frame > 0) {
    out += fmt::format("  ({} completed interviews name an organisation outside the frame)\n",
                       state.interviews_outside_frame);
  }
  out += fmt::format("\nOverdue follow-ups ({} schedule): {}\n",
                     opts.schedule.empty() ? "default" : opts.schedule, overdue.size());
  for (const fw::DueItem& item : overdue) {
    out += fmt::format("  {:<9} {:<15} due {}  {} days late\n", item.org_id, item.action,
                       fw::FormatDate(item.due), item.days_late);
  }
  *ctx.out << out;
}

}  // namespace

// Adds `frame import|list` and `contact add` to the root, `due` and `status` to the
// fieldwork group.
void RegisterFieldworkLogCommands(CLI::App& root, CLI::App* fieldwork, CommandContext& ctx) {
  CLI::App* frame = AddGroup(root, "frame", "The sample frame kept in a store (fieldwork log)");
  AddCommand(*frame, "import",
             "Import a sample frame CSV into a store (all or nothing; re-import updates)",
             [&ctx](CLI::App& import) {
               auto opts = std::make_shared<std::pair<std::string, std::string>>();
               import
                   .add_option("--db", opts->first,
                               "Store (SQLite file, created when missing, or postgresql:// URL)")
                   ->required();
               import.add_option("FRAME", opts->second, "Sample frame CSV")->required();
        import.callback([&ctx, opts] { RunFrameImport(ctx, opts->first, opts->second);
             });
});

AddCommand(*frame, "list", "List the sample frame kept in a store", [&ctx](CLI::App& list) {
  auto opts = std::make_shared<std::pair<std::string, std::string>>("", "text");
  list.add_option("--db", opts->first, "Store (SQLite file or postgresql:// URL)")->required();
  list.add_option("--format", opts->second, "Output format")
      ->check(CLI::IsMember({"text", "csv", "json"}));
  list.callback([&ctx, opts] { RunFrameList(ctx, opts->first, opts->second); });
});

CLI::App* contact = AddGroup(root, "contact", "The contact log kept in a store");
AddCommand(*contact, "add", "Log one contact with an organisation", [&ctx](CLI::App& add) {
  auto opts = std::make_shared<ContactOptions>();
  add.add_option("--db", opts->db, "Store (SQLite file or postgresql:// URL)")->required();
  add.add_option("ORG", opts->org, "org_id of the organisation")->required();
  add.add_option("--date", opts->date, "Day of the contact, YYYY-MM-DD")->required();
  add.add_option("--mode", opts->mode, "visit, phone, email or letter")->required();
  add.add_option("--outcome", opts->outcome,
                 "Outcome name (refusal, appointment, ...) or AAPOR code (2.112)")
      ->required();
  add.add_option("--appointment", opts->appointment,
                 "With --outcome appointment: the day set for the interview");
  add.add_option("--note", opts->note, "Free text");
  add.add_option("--by", opts->by, "Who made the contact");
  add.callback([&ctx, opts] { RunContactAdd(ctx, *opts); });
});

AddCommand(
    *fieldwork, "due", "Follow-up contacts due, overdue and upcoming (store)",
    [&ctx](CLI::App& due) {
      auto opts = std::make_shared<StateOptions>();
      due.add_option("--db", opts->db, "Store (SQLite file or postgresql:// URL)")->required();
      due.add_option("--date", opts->date, "The day to compute for (default today)");
      due.add_option("--schedule", opts->schedule,
                     "Schedule file (TOML, docs/formats/schedule.md); default: built-in Dillman");
      due.add_option("--format", opts->format, "Output format")
          ->check(CLI::IsMember({"text", "csv"}));
      due.callback([&ctx, opts] { RunDue(ctx, *opts); });
    });

AddCommand(
    *fieldwork, "status",
    "Dispositions, interviews per interviewer and day, overdue follow-ups (store)",
    [&ctx](CLI::App& status) {
      auto opts = std::make_shared<StateOptions>();
      status.add_option("--db", opts->db, "Store (SQLite file or postgresql:// URL)")->required();
      status.add_option("--by", opts->by, "Frame column to group dispositions by");
      status.add_option("--date", opts->date, "The day to compute for (default today)");
      status.add_option("--schedule", opts->schedule, "Schedule file for overdue follow-ups");
      status.add_option("--format", opts->format, "Output format")
          ->check(CLI::IsMember({"text", "json"}));
      status.callback([&ctx, opts] { RunStatus(ctx, *opts); });
    });
}

}  // namespace ngosurvey::cli
