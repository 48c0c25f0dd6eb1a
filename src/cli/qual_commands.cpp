// `ngosurvey code` (the coding session, and `code export|import|reconcile`),
// `ngosurvey agreement`: qualitative coding of open answers (issue 18; the codebook
// is docs/formats/codebook.md, the CSV docs/formats/codings-csv.md, the
// coefficients docs/statistics.md), and `ngosurvey network`, the coordination network
// (docs/formats/network-spec.md).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "analysis/agreement.h"
#include "analysis/network.h"
#include "base/file.h"
#include "base/text.h"
#include "base/words.h"
#include "cli/command.h"
#include "exchange/codings.h"
#include "exchange/qdpx.h"
#include "fieldwork/frame.h"
#include "form/codebook.h"
#include "report/agreement_render.h"
#include "report/network_render.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct CodeOptions {
  std::string db;
  std::string codebook;
  std::string question;
  std::string coder;
  std::string file;  // export / import
  // reconcile
  std::string instance_id;
  std::string codes;
  std::string by;
  std::string reason;
};

struct AgreementCliOptions {
  std::string db;
  std::string question;
  std::string format = "md";
  std::string codebook;
  std::string output;
  int replicates = 1000;
};

struct NetworkCliOptions {
  std::string db;
  std::string spec;
  std::string format = "csv";
  std::string output;
  std::string lang = "en";
};

Result<std::unique_ptr<store::Store>> OpenExisting(const std::string& db, bool read_only) {
  store::OpenOptions options;
  options.read_only = read_only;
  options.create_if_missing = false;
  return store::OpenStore(db, options);
}

bool Fail(CommandContext& ctx, const Error& error) {
  ctx.exit_status = ReportError(ctx, error);
  return false;
}

// Codes as typed: "funding staff@3-9 -", each a theme id (or its number in the
// list shown), optionally with @START-END; "-" alone means read, no code.
Result<std::vector<store::CodedSegment>> ParseCodes(std::string_view text,
                                                    const form::Codebook& book) {
  std::vector<store::CodedSegment> out;
  for (std::string_view token : text::Split(text::Trim(text), ' ')) {
    token = text::Trim(token);
    if (token.empty()) continue;
    if (token == "-") {
      out.push_back({"", std::nullopt, std::nullopt});
      continue;
    }
    store::CodedSegment segment;
    std::string_view id = token;
    if (size_t at = token.find('@'); at != std::string_view::npos) {
      id = token.substr(0, at);
      std::string_view range = token.substr(at + 1);
      size_t dash = range.find('-');
      int64_t start = -1, end = -1;
      auto number = [](std::string_view s, int64_t* v) {
        if (s.empty() || s.size() > 12) return false;
        int64_t x = 0;
        for (char c : s) {
          if (c < '0' || c > '9') return false;
          x = x * 10 + (c - '0');
        }
        *v = x;
        return true;
      };
      if (dash == std::string_view::npos || !number(range.substr(0, dash), &start) ||
          !number(range.substr(dash + 1), &end)) {
        return MakeError("COD005",
                         "'" + std::string(token) +
                             "': a segment is CODE@START-END (code points, end exclusive)");
      }
      segment.start = start;
      segment.end = end;
    }
    std::string code(id);
    bool numeric = !code.empty() && std::all_of(code.begin(), code.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && code.size() < 6) {
      size_t n = std::stoul(code);
      if (n == 0 || n > book.themes.size()) {
        return MakeError("COD004", "there is no theme number " + code + " (1 to " +
                                       std::to_string(book.themes.size()) + ")");
      }
      code = book.themes[n - 1].id;
    }
    if (book.Find(code) == nullptr)
      return MakeError("COD004", "'" + code + "' is not a theme of the codebook");
    segment.code = code;
    out.push_back(std::move(segment));
  }
  return out;
}

// Whether the segments fit the answer (code points).
Status CheckRanges(const std::vector<store::CodedSegment>& segments, const std::string& answer) {
  int64_t length = static_cast<int64_t>(text::CodePointCount(answer));
  for (const auto& s : segments) {
    if (s.start && (*s.start >= *s.end || *s.end > length)) {
      return MakeError(
          "COD005",
          s.code + "@" + std::to_string(*s.start) + "-" + std::to_string(*s.end) +
              ": the answer has " + std::to_string(length) +
              " characters; a segment is START-END with START < END <= " + std::to_string(length));
    }
  }
  return Ok();
}

std::string SegmentsText(const std::vector<store::CodedSegment>& segments) {
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += ' ';
    if (s.code.empty()) {
      out += "- (no code)";
      continue;
    }
    out += s.code;
    if (s.start) out += "@" + std::to_string(*s.start) + "-" + std::to_string(*s.end);
  }
  return out;
}

const char* kCodeHelp =
    "Type the codes of the answer shown and press Enter: theme ids or their numbers,\n"
    "separated by spaces; CODE@START-END codes the characters START to END-1 (code points,\n"
    "from 0); '-' means read, no code. Every line is saved at once. Commands:\n"
    "  (empty line)   skip this answer for now\n"
    "  :back          the previous answer\n"
    "  :goto N        answer number N\n"
    "  :theme ID      the theme's definition, inclusion, exclusion and example\n"
    "  :themes        the list of themes\n"
    "  :quit          stop; run the same command again to continue\n"
    "  :help          this text\n";

class CodingSession {
 public:
  CodingSession(CommandContext& ctx, store::Store& db, const form::Codebook& book,
                const CodeOptions& opts, std::vector<exchange::OpenAnswer> answers)
      : ctx_(ctx), db_(db), book_(book), opts_(opts), answers_(std::move(answers)) {}

  ExitStatus Run(std::istream& in) {
    auto mine = db_.ListCodings(opts_.question, opts_.coder);  // this coder's only, never others'
    if (!mine) return ReportError(ctx_, mine.error());
    for (auto& c : *mine) coded_[c.instance_id] = c.segments;
    size_t done = 0;
    for (const auto& a : answers_) done += coded_.count(a.instance_id);
    Out() << "coding '" << opts_.question << "' as " << opts_.coder << " with codebook version "
          << book_.version << ": " << answers_.size() << " answers, " << done
          << " coded by you; :help lists the commands\n";
    ShowThemes();
    at_ = NextUncoded(0);
    std::string line;
    while (true) {
      if (at_ >= answers_.size()) {
        at_ = NextUncoded(0);
        if (at_ >= answers_.size()) {
          Out() << "[end]\nevery answer is coded (" << answers_.size() << ")\n";
          return ExitStatus::kSuccess;
        }
      }
      Show();
      Out() << "> " << std::flush;
      if (!std::getline(in, line)) {
        Out() << "\ninput ended; your codes are saved. Continue with the same command.\n";
        return ExitStatus::kSuccess;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string_view cmd = text::Trim(line);
      if (cmd.empty()) {
        at_ = NextUncoded(at_ + 1);
        continue;
      }
      if (cmd[0] == ':') {
        if (cmd == ":quit") {
          Out() << "stopped; your codes are saved. Continue with the same command.\n";
          return ExitStatus::kSuccess;
        }
        Command(cmd);
        continue;
      }
      auto segments = ParseCodes(cmd, book_);
      if (!segments) {
        Out() << "  ! " << segments.error().message << "\n";
        continue;
      }
      if (segments->empty()) continue;
      const exchange::OpenAnswer& answer = answers_[at_];
      if (auto ok = CheckRanges(*segments, answer.text); !ok) {
        Out() << "  ! " << ok.error().message << "\n";
        continue;
      }
      store::AnswerCoding coding;
      coding.instance_id = answer.instance_id;
      coding.question = opts_.question;
      coding.coder = opts_.coder;
      coding.segments = *segments;
      if (auto st = db_.PutCodings({coding}); !st) {
        if (st.error().code == "ST001") {
          Out() << "  ! " << st.error().message << "\n";
          continue;
        }
        return ReportError(ctx_, st.error());
      }
      std::sort(segments->begin(), segments->end());
      segments->erase(std::unique(segments->begin(), segments->end()), segments->end());
      coded_[answer.instance_id] = *segments;
      Out() << "saved " << answer.instance_id << ": " << SegmentsText(*segments) << "\n";
      at_ = NextUncoded(at_ + 1);
    }
  }

 private:
  std::ostream& Out() { return *ctx_.out; }

  // The first answer from `from` on (then from the start) this coder has not coded;
  // answers_.size() when every answer is coded.
  size_t NextUncoded(size_t from) const {
    for (size_t k = 0; k < answers_.size(); ++k) {
      size_t i = (from + k) % answers_.size();
      if (!coded_.count(answers_[i].instance_id)) return i;
    }
    return answers_.size();
  }

  std::string Label(const form::Theme& t) const {
    return t.label.Get(book_.DefaultLanguage(), book_.DefaultLanguage());
  }

  void ShowThemes() {
    for (size_t i = 0; i < book_.themes.size(); ++i) {
      const form::Theme& t = book_.themes[i];
      Out() << "  " << i + 1 << ". " << std::string(static_cast<size_t>(2 * book_.Depth(t.id)), ' ')
            << Label(t) << " [" << t.id << "]\n";
    }
  }

  void Show() {
    const exchange::OpenAnswer& a = answers_[at_];
    Out() << "\n[" << at_ + 1 << "/" << answers_.size() << "] " << a.instance_id
          << (a.org_id.empty() ? "" : " (" + a.org_id + ")") << "\n";
    Out() << a.text << "\n";
    if (!a.translation.empty()) Out() << "  en: " << a.translation << "\n";
    auto it = coded_.find(a.instance_id);
    if (it != coded_.end()) Out() << "  your codes: " << SegmentsText(it->second) << "\n";
  }

  void Command(std::string_view cmd) {
    if (cmd == ":help") {
      Out() << kCodeHelp;
    } else if (cmd == ":themes") {
      ShowThemes();
    } else if (cmd == ":back") {
      at_ = at_ == 0 ? 0 : at_ - 1;
    } else if (cmd.rfind(":goto ", 0) == 0) {
      std::string n(text::Trim(cmd.substr(6)));
      size_t k = 0;
      bool ok = !n.empty() && n.size() < 9 &&
                std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (ok) k = std::stoul(n);
      if (!ok || k == 0 || k > answers_.size()) {
        Out() << "  ! :goto wants a number from 1 to " << answers_.size() << "\n";
        return;
      }
      at_ = k - 1;
    } else if (cmd.rfind(":theme ", 0) == 0) {
      std::string id(text::Trim(cmd.substr(7)));
      auto codes = ParseCodes(id, book_);
      if (!codes || codes->size() != 1 || codes->front().code.empty()) {
        Out() << "  ! :theme wants one theme id or number\n";
        return;
      }
      const form::Theme& t = *book_.Find(codes->front().code);
      std::string lang = book_.DefaultLanguage();
      Out() << Label(t) << " [" << t.id << "]" << (t.parent.empty() ? "" : " under " + t.parent)
            << "\n";
      if (!t.definition.empty()) Out() << "  definition: " << t.definition.Get(lang, lang) << "\n";
      if (!t.inclusion.empty()) Out() << "  inclusion: " << t.inclusion.Get(lang, lang) << "\n";
      if (!t.exclusion.empty()) Out() << "  exclusion: " << t.exclusion.Get(lang, lang) << "\n";
      if (!t.example.empty()) Out() << "  example: " << t.example.Get(lang, lang) << "\n";
    } else {
      Out() << "  ! unknown command " << cmd << " (:help lists them)\n";
    }
  }

  CommandContext& ctx_;
  store::Store& db_;
  const form::Codebook& book_;
  const CodeOptions& opts_;
  std::vector<exchange::OpenAnswer> answers_;
  std::map<std::string, std::vector<store::CodedSegment>> coded_;
  size_t at_ = 0;
};

void RunCodeSession(CommandContext& ctx, const CodeOptions& opts) {
  if (opts.db.empty() || opts.codebook.empty() || opts.question.empty() || opts.coder.empty()) {
    *ctx.err
        << "error: code needs --db, --codebook, --question and --coder (or a subcommand: export, "
           "import, reconcile)\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  if (opts.coder == store::kReconciledCoder) {
    *ctx.err << "error: '(reconciled)' is not a coder: use code reconcile\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto book = form::LoadCodebook(opts.codebook);
  if (!book) return (void)Fail(ctx, book.error());
  auto db = OpenExisting(opts.db, false);
  if (!db) return (void)Fail(ctx, db.error());
  auto answers = exchange::ListOpenAnswers(**db, opts.question);
  if (!answers) return (void)Fail(ctx, answers.error());
  if (answers->empty()) {
    *ctx.out << "no answers to '" << opts.question << "' in the store\n";
    return;
  }
  CodingSession session(ctx, **db, *book, opts, std::move(*answers));
  ctx.exit_status = session.Run(std::cin);
}

// `code export ... FILE.qdpx`: a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA.
void RunCodeExportQdpx(CommandContext& ctx, const CodeOptions& opts) {
  if (opts.codebook.empty()) {
    *ctx.err << "error: a .qdpx export needs --codebook FILE: its themes are the project's codes\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  if (!opts.coder.empty()) {
    *ctx.err << "error: a .qdpx project holds every coder's codings; leave out --coder\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto book = form::LoadCodebook(opts.codebook);
  if (!book) return (void)Fail(ctx, book.error());
  auto db = OpenExisting(opts.db, true);
  if (!db) return (void)Fail(ctx, db.error());
  exchange::QdpxExportOptions options;
  options.question = opts.question;
  auto bytes = exchange::ExportQdpx(**db, *book, options);
  if (!bytes) return (void)Fail(ctx, bytes.error());
  if (auto st = WriteFileAtomic(opts.file, *bytes); !st) return (void)Fail(ctx, st.error());
  *ctx.err << "REFI-QDA project of '" << opts.question << "' written to " << opts.file << "\n";
}

void RunCodeExport(CommandContext& ctx, const CodeOptions& opts) {
  if (opts.file.size() > 5 && opts.file.substr(opts.file.size() - 5) == ".qdpx") {
    return RunCodeExportQdpx(ctx, opts);
  }
  auto db = OpenExisting(opts.db, true);
  if (!db) return (void)Fail(ctx, db.error());
  auto text = exchange::ExportCodings(**db, opts.question, opts.coder);
  if (!text) return (void)Fail(ctx, text.error());
  if (opts.file == "-") {
    *ctx.out << *text;
    return;
  }
  if (auto st = WriteFileAtomic(opts.file, *text); !st) return (void)Fail(ctx, st.error());
  size_t rows = static_cast<size_t>(std::count(text->begin(), text->end(), '\n')) - 1;
  *ctx.err << rows << " coding row" << (rows == 1 ? "" : "s") << " of '" << opts.question
           << "' written to " << opts.file << "\n";
}

void RunCodeImport(CommandContext& ctx, const CodeOptions& opts) {
  if (opts.codebook.empty()) {
    *ctx.err << "error: code import needs --codebook FILE: codes are checked against it\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto book = form::LoadCodebook(opts.codebook);
  if (!book) return (void)Fail(ctx, book.error());
  auto text = ReadFile(opts.file);
  if (!text) return (void)Fail(ctx, text.error());
  auto db = OpenExisting(opts.db, false);
  if (!db) return (void)Fail(ctx, db.error());
  exchange::CodingImportOptions import;
  import.question = opts.question;
  import.coder = opts.coder;
  import.codebook = &*book;
  bool qdpx = opts.file.size() > 5 && opts.file.substr(opts.file.size() - 5) == ".qdpx";
  auto result = qdpx ? exchange::ImportQdpx(**db, *text, opts.file, import)
                     : exchange::ImportCodings(**db, *text, opts.file, import);
  if (!result) {
    Fail(ctx, result.error());
    *ctx.err << "nothing was imported\n";
    return;
  }
  std::string coders;
  for (const auto& c : result->coders) coders += (coders.empty() ? "" : ", ") + c;
  *ctx.out << "imported " << result->rows << " row" << (result->rows == 1 ? "" : "s") << ": "
           << result->answers << " coded answer" << (result->answers == 1 ? "" : "s") << " of '"
           << opts.question << "' by " << coders << "\n";
}

void RunCodeReconcile(CommandContext& ctx, const CodeOptions& opts) {
  auto book = form::LoadCodebook(opts.codebook);
  if (!book) return (void)Fail(ctx, book.error());
  auto segments = ParseCodes(opts.codes, *book);
  if (!segments) return (void)Fail(ctx, segments.error());
  if (segments->empty()) {
    *ctx.err << "error: --codes is empty: give theme ids, or '-' for no code\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto db = OpenExisting(opts.db, false);
  if (!db) return (void)Fail(ctx, db.error());
  auto answers = exchange::ListOpenAnswers(**db, opts.question);
  if (!answers) return (void)Fail(ctx, answers.error());
  auto answer = std::find_if(answers->begin(), answers->end(), [&](const exchange::OpenAnswer& a) {
    return a.instance_id == opts.instance_id;
  });
  if (answer == answers->end()) {
    return (void)Fail(
        ctx,
        Error{"COD003", "no answer of " + opts.instance_id + " to '" + opts.question + "'", {}});
  }
  if (auto ok = CheckRanges(*segments, answer->text); !ok) return (void)Fail(ctx, ok.error());
  store::Reconciliation r;
  r.instance_id = opts.instance_id;
  r.question = opts.question;
  r.segments = *segments;
  r.who = opts.by;
  r.reason = opts.reason;
  if (auto st = (*db)->Reconcile(r); !st) return (void)Fail(ctx, st.error());
  *ctx.out << opts.instance_id << " / " << opts.question << ": reconciled as "
           << SegmentsText(*segments) << " by " << opts.by << " (audited)\n";
}

void RunAgreement(CommandContext& ctx, const AgreementCliOptions& opts) {
  auto format = report::ParseAgreementFormat(opts.format);
  if (!format) {
    *ctx.err << "error: --format must be md, csv or html, not '" << opts.format << "'\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  std::optional<form::Codebook> book;
  if (!opts.codebook.empty()) {
    auto loaded = form::LoadCodebook(opts.codebook);
    if (!loaded) return (void)Fail(ctx, loaded.error());
    book = std::move(*loaded);
  }
  auto db = OpenExisting(opts.db, true);
  if (!db) return (void)Fail(ctx, db.error());
  analysis::AgreementOptions options;
  options.replicates = opts.replicates;
  auto rows =
      analysis::ComputeQuestionAgreement(**db, opts.question, book ? &*book : nullptr, options);
  if (!rows) return (void)Fail(ctx, rows.error());
  report::AgreementReport report;
  report.question = opts.question;
  report.replicates = opts.replicates;
  if (book) {
    report.codebook_version = book->version;
    for (const auto& row : *rows) {
      const form::Theme* t = book->Find(row.code);
      report.labels.push_back(t ? t->label.Get(book->DefaultLanguage(), book->DefaultLanguage())
                                : "");
    }
  }
  report.rows = std::move(*rows);
  std::string document = report::RenderAgreement(report, *format);
  if (opts.output.empty() || opts.output == "-") {
    *ctx.out << document;
  } else if (auto st = WriteFileAtomic(opts.output, document); !st) {
    Fail(ctx, st.error());
  }
}

void RunNetwork(CommandContext& ctx, const NetworkCliOptions& opts) {
  auto format = report::ParseNetworkFormat(opts.format);
  if (!format) {
    *ctx.err << "error: --format must be csv, graphml, svg or md, not '" << opts.format << "'\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto spec = analysis::LoadNetworkSpec(opts.spec);
  if (!spec) return (void)Fail(ctx, spec.error());
  // The frame is named relative to the spec's folder.
  std::vector<analysis::FrameOrganisation> frame;
  if (!spec->frame.empty()) {
    std::filesystem::path path = spec->frame;
    if (path.is_relative()) path = std::filesystem::path(opts.spec).parent_path() / path;
    Diagnostics diags;
    auto read = fieldwork::ReadFrame(path.string(), &diags);
    if (!read) {
      PrintDiagnostics(ctx, diags);
      return (void)Fail(ctx, read.error());
    }
    for (const auto& c : read->cases) frame.push_back({c.org_id, c.name, c.stratum});
  }
  auto db = OpenExisting(opts.db, true);
  if (!db) return (void)Fail(ctx, db.error());
  auto network = analysis::BuildNetwork(**db, *spec, frame);
  if (!network) return (void)Fail(ctx, network.error());
  auto scopes = analysis::ComputeNetworkMeasures(*network);
  if (!scopes) return (void)Fail(ctx, scopes.error());
  report::NetworkReport report;
  report.network = &*network;
  report.language = std::string(words::CatalogueLanguage(opts.lang));
  report.scopes = std::move(*scopes);
  if (*format == report::NetworkFormat::kSvg) {
    auto layout = analysis::LayoutNetwork(*network);
    if (!layout) return (void)Fail(ctx, layout.error());
    report.layout = std::move(*layout);
  }
  std::string document = report::RenderNetwork(report, *format);
  if (opts.output.empty() || opts.output == "-") {
    *ctx.out << document;
  } else if (auto st = WriteFileAtomic(opts.output, document); !st) {
    Fail(ctx, st.error());
  }
}

}  // namespace

void RegisterQualCommands(CLI::App& root, CommandContext& ctx) {
  // Shared by `code` and its subcommands: `code export` fills what both declare.
  auto opts = std::make_shared<CodeOptions>();
  CLI::App* code = AddCommand(
      root, "code",
      "Code open answers with a codebook's themes in the terminal (resumable; each coder sees only "
      "their own codes), or move codings as CSV and reconcile them",
      [&ctx, opts](CLI::App& code) {
        code.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)");
        code.add_option("--codebook", opts->codebook,
                        "The codebook (TOML, docs/formats/codebook.md)");
        code.add_option("--question", opts->question, "The open question to code (its name)");
        code.add_option("--coder", opts->coder, "Who codes");
        code.callback([&ctx, opts, command = &code] {
          if (command->get_subcommands().empty()) RunCodeSession(ctx, *opts);
        });
      });
  code->require_subcommand(0, 1);

  auto add_common = [opts](CLI::App& sub, bool coder) {
    sub.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")->required();
    sub.add_option("--question", opts->question, "The question (its name)")->required();
    if (coder) sub.add_option("--coder", opts->coder, "Only this coder's codings");
  };
  AddCommand(
      *code, "export",
      "Write codings as CSV (instance_id,question,coder,code,start,end), or as a REFI-QDA project "
      "for NVivo, ATLAS.ti or MAXQDA when FILE ends in .qdpx",
      [&ctx, opts, add_common](CLI::App& exp) {
        add_common(exp, true);
        exp.add_option("--codebook", opts->codebook,
                       "The codebook (needed for .qdpx: its themes are the project's codes)");
        exp.add_option("file", opts->file,
                       "The CSV file to write ('-': standard output), or FILE.qdpx")
            ->required();
        exp.callback([&ctx, opts] { RunCodeExport(ctx, *opts); });
      });

  AddCommand(
      *code, "import",
      "Read codings from CSV (instance_id,question,coder,code,start,end) or a REFI-QDA project "
      "(FILE.qdpx), checked, all or nothing",
      [&ctx, opts, add_common](CLI::App& imp) {
        add_common(imp, true);
        imp.add_option("--codebook", opts->codebook, "The codebook the codes must be in")
            ->required();
        imp.add_option("file", opts->file, "The CSV file, or FILE.qdpx")->required();
        imp.callback([&ctx, opts] { RunCodeImport(ctx, *opts); });
      });

  AddCommand(
      *code, "reconcile", "Record the agreed codes of one answer and who decided (audited)",
      [&ctx, opts, add_common](CLI::App& rec) {
        add_common(rec, false);
        rec.add_option("--codebook", opts->codebook, "The codebook the codes must be in")
            ->required();
        rec.add_option("--instance", opts->instance_id, "The submission (uuid:...)")->required();
        rec.add_option("--codes", opts->codes,
                       "The agreed codes: ids, CODE@START-END, or '-' for no code")
            ->required();
        rec.add_option("--by", opts->by, "Who decided")->required();
        rec.add_option("--reason", opts->reason, "Why (kept in the audit trail)")->required();
        rec.callback([&ctx, opts] { RunCodeReconcile(ctx, *opts); });
      });

  AddCommand(
      root, "agreement",
      "Agreement among the coders of an open question: percent agreement, Cohen's and Fleiss' "
      "kappa, Krippendorff's alpha with a bootstrap interval, per code and overall",
      [&ctx](CLI::App& agreement) {
        auto ag = std::make_shared<AgreementCliOptions>();
        agreement.add_option("--db", ag->db, "The store (SQLite file or postgresql:// URL)")
            ->required();
        agreement.add_option("--question", ag->question, "The coded question (its name)")
            ->required();
        agreement.add_option("--format", ag->format, "md, csv (code,statistic,value) or html")
            ->check(CLI::IsMember({"md", "csv", "html"}));
        agreement.add_option("--codebook", ag->codebook,
                             "Order and label the codes as this codebook does");
        agreement
            .add_option("--replicates", ag->replicates,
                        "Bootstrap resamples (default 1000; 0: no interval)")
            ->check(CLI::Range(0, 100000));
        agreement.add_option("-o,--output", ag->output,
                             "Write to this file (atomically) instead of standard output");
        agreement.callback([&ctx, ag] { RunAgreement(ctx, *ag); });
      });

  AddCommand(
      root, "network",
      "The coordination network named by the answers (who works with whom): degrees, "
      "betweenness, density, reciprocity and components per country and overall, or the graph "
      "as GraphML or an SVG picture",
      [&ctx](CLI::App& network) {
        auto net = std::make_shared<NetworkCliOptions>();
        network.add_option("--db", net->db, "The store (SQLite file)")->required();
        network
            .add_option("--spec", net->spec,
                        "The network spec (TOML, docs/formats/network-spec.md)")
            ->required();
        network
            .add_option("--format", net->format,
                        "csv (scope,node,measure,value), graphml, svg or md")
            ->check(CLI::IsMember({"csv", "graphml", "svg", "md"}));
        network.add_option("-o,--output", net->output,
                           "Write to this file (atomically) instead of standard output");
        network.add_option(
            "--lang", net->lang,
            "Language of the tool's words in md and svg: en, km or vi (code or name; "
            "default en); the organisations' names stay as written");
        network.callback([&ctx, net] { RunNetwork(ctx, *net); });
      });
}

}  // namespace ngosurvey::cli
