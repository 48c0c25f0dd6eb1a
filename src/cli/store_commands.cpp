// `ngosurvey submissions list` and `ngosurvey audit show|verify`: read a store
// (store/store.h) and print. The store is always opened read-only here, so these
// commands never change a file, whatever state it is in. `ngosurvey store migrate`
// copies a store into an empty one (SQLite to PostgreSQL), reading its source
// read-only.
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "base/csv.h"
#include "base/date.h"
#include "cli/command.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct ListOptions {
  std::string db;
  std::string form;
  std::string status;
  std::string wave;
  std::string format = "text";
};

struct MigrateOptions {
  std::string from;
  std::string to;
};

struct AuditOptions {
  std::string db;
  std::string instance_id;
};

Result<std::unique_ptr<store::Store>> OpenForReading(const std::string& db) {
  store::OpenOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  return store::OpenStore(db, options);
}

// Only answered values leave the store: a not_asked answer's kept-aside value is
// never exported, and refused/dont_know/missing have none.
nlohmann::json ValueJson(const form::Answer& answer) {
  if (!answer.HasReportableValue()) return nullptr;
  return answer.value;
}

void PrintJson(CommandContext& ctx, const std::vector<store::Submission>& submissions) {
  nlohmann::json out = nlohmann::json::array();
  for (const store::Submission& s : submissions) {
    nlohmann::json answers = nlohmann::json::object();
    for (const auto& [path, answer] : s.answers) {
      answers[path] = {{"value", ValueJson(answer)},
                       {"state", std::string(form::AnswerStateName(answer.state))}};
    }
    // The platform's metadata columns of an imported submission, by column (an
    // object: empty for interviews not imported from a platform's export).
    nlohmann::json metadata = nlohmann::json::object();
    for (const store::MetadataField& field : s.metadata) metadata[field.column] = field.value;
    // Times in the local time they were written in (UTC when no offset is known).
    out.push_back(
        {{"instance_id", s.instance_id},
         {"form_id", s.form_id},
         {"version", s.form_version},
         {"status", std::string(store::StatusName(s.status))},
         {"wave", std::string(store::WaveName(s.wave))},
         {"org", s.org_id},
         {"interviewer", s.interviewer},
         {"account", store::AccountOf(s)},
         {"started_at", date::FormatLocalDateTime(s.started_at_ms, s.started_offset_minutes)},
         {"ended_at", s.ended_at_ms ? nlohmann::json(date::FormatLocalDateTime(
                                          *s.ended_at_ms, s.ended_offset_minutes))
                                    : nlohmann::json(nullptr)},
         {"language", s.language},
         {"answers", std::move(answers)},
         {"metadata", std::move(metadata)}});
  }
  *ctx.out << out.dump(2) << "\n";
}

// Long format: one row per answer, so repeats need no column naming scheme.
void PrintCsv(CommandContext& ctx, const std::vector<store::Submission>& submissions) {
  std::string text;
  csv::AppendRow(
      {"instance_id", "form_id", "version", "status", "wave", "org", "name", "state", "value"},
      &text);
  for (const store::Submission& s : submissions) {
    for (const auto& [path, answer] : s.answers) {
      csv::AppendRow(
          {s.instance_id, s.form_id, s.form_version, std::string(store::StatusName(s.status)),
           std::string(store::WaveName(s.wave)), s.org_id, path,
           std::string(form::AnswerStateName(answer.state)),
           answer.HasReportableValue() ? answer.value : ""},
          &text);
    }
  }
  *ctx.out << text;
}

void PrintText(CommandContext& ctx, const std::vector<store::Submission>& submissions) {
  for (const store::Submission& s : submissions) {
    std::string account = store::AccountOf(s);
    *ctx.out << s.instance_id << "  " << s.form_id << " v" << s.form_version << "  "
             << store::StatusName(s.status) << "  " << store::WaveName(s.wave) << "  org "
             << s.org_id << "  interviewer " << (s.interviewer.empty() ? "-" : s.interviewer)
             << "  account " << (account.empty() ? "-" : account) << "  language "
             << (s.language.empty() ? "-" : s.language) << "  started "
             << date::FormatLocalDateTime(s.started_at_ms, s.started_offset_minutes) << "  "
             << s.answers.size() << (s.answers.size() == 1 ? " answer\n" : " answers\n");
  }
  *ctx.out << submissions.size() << " submission" << (submissions.size() == 1 ? "" : "s") << "\n";
}

void RunList(CommandContext& ctx, const ListOptions& opts) {
  store::SubmissionFilter filter;
  if (!opts.form.empty()) filter.form_id = opts.form;
  if (!opts.status.empty()) filter.status = *store::ParseStatus(opts.status);  // checked by CLI11
  if (!opts.wave.empty()) filter.wave = *store::ParseWave(opts.wave);
  auto db = OpenForReading(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto submissions = (*db)->ListSubmissions(filter);
  if (!submissions) {
    ctx.exit_status = ReportError(ctx, submissions.error());
    return;
  }
  if (opts.format == "json") {
    PrintJson(ctx, *submissions);
  } else if (opts.format == "csv") {
    PrintCsv(ctx, *submissions);
  } else {
    PrintText(ctx, *submissions);
  }
}

// "answered \"34\"", "refused", "(none)"; the status field shows its value alone.
std::string Describe(const std::string& field, const std::optional<form::Answer>& answer) {
  if (!answer) return "(none)";
  if (field == "status") return answer->value;
  std::string out(form::AnswerStateName(answer->state));
  if (!answer->value.empty()) out += " \"" + answer->value + "\"";
  return out;
}

void RunShow(CommandContext& ctx, const AuditOptions& opts) {
  auto db = OpenForReading(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto entries = (*db)->ReadAudit(opts.instance_id);
  if (!entries) {
    ctx.exit_status = ReportError(ctx, entries.error());
    return;
  }
  for (const store::AuditEntry& e : *entries) {
    *ctx.out << "#" << e.seq << "  " << date::FormatIsoDateTimeUtc(e.at_ms) << "  " << e.instance_id
             << "  " << e.who << "  " << e.field << ": " << Describe(e.field, e.old_answer)
             << " -> " << Describe(e.field, e.new_answer) << "  reason: " << e.reason << "  hash "
             << e.hash.substr(0, 16) << "\n";
  }
  *ctx.out << entries->size() << " audit entr" << (entries->size() == 1 ? "y" : "ies") << "\n";
}

void RunVerify(CommandContext& ctx, const AuditOptions& opts) {
  auto db = OpenForReading(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto verified = (*db)->VerifyAudit();
  if (!verified) {
    ctx.exit_status = ReportError(ctx, verified.error());
    return;
  }
  if (!verified->ok()) {
    const store::AuditEntry& bad = *verified->first_broken;
    *ctx.out << "audit trail BROKEN at entry #" << bad.seq
             << (bad.instance_id.empty() ? ""
                                         : " (" + bad.instance_id + ", field " + bad.field + ")")
             << ": " << verified->problem << "\n";
    ctx.exit_status = ExitStatus::kFailure;
    return;
  }
  *ctx.out << "audit trail intact: " << verified->entries_checked << " entries";
  if (!opts.instance_id.empty()) {
    auto mine = (*db)->ReadAudit(opts.instance_id);
    if (!mine) {
      ctx.exit_status = ReportError(ctx, mine.error());
      return;
    }
    *ctx.out << ", " << mine->size() << " of them for " << opts.instance_id;
  }
  *ctx.out << "\n";
}

void RunMigrate(CommandContext& ctx, const MigrateOptions& opts) {
  auto from = OpenForReading(opts.from);
  if (!from) {
    ctx.exit_status = ReportError(ctx, from.error());
    return;
  }
  store::OpenOptions options;
  options.create_if_missing = true;
  auto to = store::OpenStore(opts.to, options);
  if (!to) {
    ctx.exit_status = ReportError(ctx, to.error());
    return;
  }
  auto copied = store::CopyStore(**from, **to);
  if (!copied) {
    ctx.exit_status = ReportError(ctx, copied.error());
    return;
  }
  auto plural = [](size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  *ctx.out << "copied " << store::DisplayLocation(opts.from) << " to "
           << store::DisplayLocation(opts.to) << ": "
           << plural(copied->forms, "form version", "form versions") << ", "
           << plural(copied->submissions, "submission", "submissions") << ", "
           << plural(copied->audit_entries, "audit entry", "audit entries") << ", "
           << plural(copied->frame_entries, "frame entry", "frame entries") << ", "
           << plural(copied->contacts, "contact", "contacts") << ", "
           << plural(copied->codings, "coding", "codings") << ", "
           << plural(copied->attachments, "attachment", "attachments") << ", "
           << plural(copied->users, "user", "users") << ", "
           << plural(copied->published_forms, "published form version", "published form versions")
           << ", " << plural(copied->access_entries, "access log entry", "access log entries")
           << ", " << plural(copied->reviews, "review", "reviews") << "\n"
           << "read back: the copy holds every row of the original and nothing else; its audit "
              "trail verifies\n";
}

}  // namespace

void RegisterStoreCommands(CLI::App& root, CommandContext& ctx) {
  CLI::App* submissions = AddGroup(root, "submissions", "List the interviews kept in a store");
  AddCommand(
      *submissions, "list",
      "List submissions with their answers (read-only; never changes the file)",
      [&ctx](CLI::App& list) {
        auto opts = std::make_shared<ListOptions>();
        list.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")
            ->required();
        list.add_option("--form", opts->form, "Only this form id");
        list.add_option("--status", opts->status, "Only draft or complete submissions")
            ->check(CLI::IsMember({"draft", "complete"}));
        list.add_option("--wave", opts->wave, "Only the pretest or the main wave")
            ->check(CLI::IsMember({"pretest", "main"}));
        list.add_option(
                "--format", opts->format,
                "text (one line each), json (answers with states) or csv (one row per answer)")
            ->check(CLI::IsMember({"text", "json", "csv"}));
        list.callback([&ctx, opts] { RunList(ctx, *opts); });
      });

  CLI::App* audit =
      AddGroup(root, "audit", "The audit trail of changes to completed submissions (hash-chained)");
  AddCommand(*audit, "show", "Print audit entries, oldest first", [&ctx](CLI::App& show) {
    auto opts = std::make_shared<AuditOptions>();
    show.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")->required();
    show.add_option("instance_id", opts->instance_id, "Only this submission (uuid:...)");
    show.callback([&ctx, opts] { RunShow(ctx, *opts); });
  });
  AddCommand(*audit, "verify", "Recompute the hash chain; exit 1 naming the first broken entry",
             [&ctx](CLI::App& verify) {
               auto opts = std::make_shared<AuditOptions>();
               verify.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")
                   ->required();
               verify.add_option(
                   "instance_id", opts->instance_id,
                   "Also count this submission's entries (the whole chain is checked)");
               verify.callback([&ctx, opts] { RunVerify(ctx, *opts); });
             });

  CLI::App* store_group = AddGroup(root, "store", "Move a store between back ends");
  AddCommand(
      *store_group, "migrate",
      "Copy every row of a store (forms, submissions, answers, drafts, audit trail, fieldwork "
      "log, codings, attachments) into an empty store, e.g. a SQLite file into PostgreSQL; refused "
      "when the "
      "target is not empty",
      [&ctx](CLI::App& migrate) {
        auto opts = std::make_shared<MigrateOptions>();
        migrate.add_option("--from", opts->from, "The store to copy (read-only)")->required();
        migrate
            .add_option("--to", opts->to,
                        "The empty target store (postgresql:// URL or SQLite file)")
            ->required();
        migrate.callback([&ctx, opts] { RunMigrate(ctx, *opts); });
      });
}

}  // namespace ngosurvey::cli
