// The collection server's commands (docs/server.md, docs/cli.md):
//   form publish --db DB FORM.xlsx      a new version of a form for ODK clients
//   users add --db DB NAME --role R [--forms ID,...] [--password-stdin] [--realm R]
//   users list --db DB
//   users disable --db DB NAME
//   users passwd --db DB NAME [--password-stdin] [--realm R]
//   serve --db DB [--listen ADDR:PORT] [--tls-cert C --tls-key K] [--base-url URL]
//         [--db-connections N]
//         [--realm R] [--trusted-proxy ADDR]...
// Passwords are read from the terminal without echo, or from the first line of
// standard input with --password-stdin (for scripts); never from the command line,
// where other users of the machine could read them.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "cli/build_paths.h"
#include "cli/command.h"
#include "server/credentials.h"
#include "server/publish.h"
#include "server/server.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct PublishOptions {
  std::string db, file;
};

struct UserOptions {
  std::string db, name, role, forms, realm = server::kDefaultRealm;
  bool password_stdin = false;
};

struct ServeOptions {
  std::string db, listen = "127.0.0.1:8080", tls_cert, tls_key, base_url, web_root;
  std::string realm = server::kDefaultRealm;
  std::vector<std::string> trusted_proxies;
  int db_connections = 8;
};

// Reads one line from the terminal with echo off (getpass is obsolete and not
// thread-safe). Without a terminal, an error that points at --password-stdin.
Result<std::string> ReadHiddenLine(CommandContext& ctx, const std::string& prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) {
    return MakeError("SV001", "no terminal to read the password from: use --password-stdin");
  }
  int fd = fileno(tty);
  termios old_mode{};
  bool restore = tcgetattr(fd, &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  std::string line;
  int c;
  while ((c = std::fgetc(tty)) != EOF && c != '\n') line += static_cast<char>(c);
  if (restore) tcsetattr(fd, TCSAFLUSH, &old_mode);
  std::fputs("\n", tty);
  std::fclose(tty);
  (void)ctx;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: the first line of standard input (without its line end), or
// typed twice on the terminal.
Result<std::string> ReadNewPassword(CommandContext& ctx, const UserOptions& opts) {
  if (opts.password_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return MakeError("SV001", "--password-stdin: standard input is empty");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  std::string first = NGO_TRY(ReadHiddenLine(ctx, "Password for " + opts.name + ": "));
  NGO_TRY(server::CheckPassword(first));
  std::string again = NGO_TRY(ReadHiddenLine(ctx, "The same password again: "));
  if (again != first) return MakeError("SV001", "the two passwords differ");
  return first;
}

Result<std::unique_ptr<store::Store>> OpenForWriting(const std::string& db) {
  return store::OpenStore(db);
}

std::vector<std::string> FormList(const std::string& forms) {
  std::vector<std::string> out;
  if (forms.empty()) return out;
  for (std::string_view part : text::Split(forms, ',')) {
    std::string_view id = text::Trim(part);
    if (!id.empty()) out.emplace_back(id);
  }
  return out;
}

void RunPublish(CommandContext& ctx, const PublishOptions& opts) {
  Diagnostics diags;
  auto publication = server::PreparePublication(opts.file, &diags);
  PrintDiagnostics(ctx, diags);
  if (!publication) {
    ctx.exit_status = ReportError(ctx, publication.error());
    return;
  }
  for (const std::string& name : publication->missing_media) {
    *ctx.err << "warning: " << opts.file << ": the form refers to media file \"" << name
             << "\", which is not in its -media folder; published without it\n";
  }
  auto db = OpenForWriting(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto outcome = (*db)->PublishForm(publication->workbook, publication->published);
  if (!outcome) {
    ctx.exit_status = ReportError(ctx, outcome.error());
    return;
  }
  const store::PublishedForm& p = publication->published;
  size_t media = p.media.size();
  if (*outcome == store::PublishOutcome::kUnchanged) {
    *ctx.out << "unchanged: form " << p.form_id << " version " << p.version
             << " is already published with this XForm\n";
    return;
  }
  *ctx.out << "published: form " << p.form_id << " version " << p.version << " ("
           << (p.title.empty() ? p.form_id : p.title) << "), " << media << " media file"
           << (media == 1 ? "" : "s") << "\n";
}

// Runs `change` on the stored account `name` and stores it back.
template <typename Change>
void ChangeUser(CommandContext& ctx, const UserOptions& opts, Change&& change) {
  auto db = OpenForWriting(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto user = (*db)->GetUser(opts.name);
  if (!user) {
    ctx.exit_status = ReportError(ctx, user.error());
    return;
  }
  if (Status changed = change(&*user); !changed) {
    ctx.exit_status = ReportError(ctx, changed.error());
    return;
  }
  if (Status stored = (*db)->UpdateUser(*user); !stored) {
    ctx.exit_status = ReportError(ctx, stored.error());
  }
}

void RunAdd(CommandContext& ctx, const UserOptions& opts) {
  auto role = store::ParseRole(opts.role);  // checked by CLI11 too
  if (!role) {
    ctx.exit_status = ReportError(ctx, role.error());
    return;
  }
  if (Status name = store::CheckUserName(opts.name); !name) {
    ctx.exit_status = ReportError(ctx, name.error());
    return;
  }
  auto db = OpenForWriting(opts.db);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  // Refuse a taken name before asking for a password.
  if (auto existing = (*db)->GetUser(opts.name); existing) {
    ctx.exit_status = ReportError(ctx, Error{"ST003", "user " + opts.name + " already exists", {}});
    return;
  }
  auto password = ReadNewPassword(ctx, opts);
  if (!password) {
    ctx.exit_status = ReportError(ctx, password.error());
    return;
  }
  auto user = server::NewUser(opts.name, *role, FormList(opts.forms), *password, opts.realm);
  if (!user) {
    ctx.exit_status = ReportError(ctx, user.error());
    return;
  }
  if (Status added = (*db)->AddUser(*user); !added) {
    ctx.exit_status = ReportError(ctx, added.error());
    return;
  }
  *ctx.out << "added " << store::RoleName(user->role) << " " << user->name << " ("
           << (user->all_forms ? "every form" : "forms: " + opts.forms) << ")\n";
}

void RunList(CommandContext& ctx, const UserOptions& opts) {
  store::OpenOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  auto db = store::OpenStore(opts.db, options);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  auto users = (*db)->ListUsers();
  if (!users) {
    ctx.exit_status = ReportError(ctx, users.error());
    return;
  }
  for (const store::User& u : *users) {
    std::string forms;
    for (const std::string& f : u.forms) forms += (forms.empty() ? "" : ",") + f;
    *ctx.out << u.name << "  " << store::RoleName(u.role) << "  "
             << (u.all_forms ? "every form" : "forms " + forms) << "  "
             << (u.disabled ? "disabled" : "active") << "  realm " << u.digest_realm << "\n";
  }
  *ctx.out << users->size() << " user" << (users->size() == 1 ? "" : "s") << "\n";
}

void RunDisable(CommandContext& ctx, const UserOptions& opts) {
  ChangeUser(ctx, opts, [](store::User* u) -> Status {
    u->disabled = true;
    return Ok();
  });
  if (ctx.exit_status == ExitStatus::kSuccess) *ctx.out << "disabled " << opts.name << "\n";
}

void RunPasswd(CommandContext& ctx, const UserOptions& opts) {
  ChangeUser(ctx, opts, [&](store::User* u) -> Status {
    std::string password = NGO_TRY(ReadNewPassword(ctx, opts));
    return server::SetPassword(u, password, opts.realm);
  });
  if (ctx.exit_status == ExitStatus::kSuccess)
    *ctx.out << "password changed for " << opts.name << "\n";
}

// Serves until SIGTERM or SIGINT, then shuts down gracefully (server.h). The
// signals are blocked before the server's threads start, so they inherit the mask
// and only this thread receives them, in sigwait.
void RunServe(CommandContext& ctx, const ServeOptions& opts) {
  server::ServerOptions options;
  options.listen = opts.listen;
  options.base_url = opts.base_url;
  options.realm = opts.realm;
  options.trusted_proxies = opts.trusted_proxies;
  options.web_root = opts.web_root.empty() ? DefaultWebRoot() : opts.web_root;
  for (auto [path, pem] : {std::pair{&opts.tls_cert, &options.tls_cert_pem},
                           std::pair{&opts.tls_key, &options.tls_key_pem}}) {
    if (path->empty()) continue;
    auto bytes = ReadFile(*path, 1 << 20);
    if (!bytes) {
      ctx.exit_status = ReportError(ctx, bytes.error());
      return;
    }
    *pem = std::move(*bytes);
  }
  options.tls_cert_name = opts.tls_cert;
  options.tls_key_name = opts.tls_key;
  std::ostream* err = ctx.err;
  options.log = [err](std::string_view line) {
    *err << line << '\n';
    err->flush();
  };
  store::OpenOptions store_options;
  store_options.connections = opts.db_connections;
  auto db = store::OpenStore(opts.db, store_options);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto running = server::Server::Start(db->get(), options);
  if (!running) {
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
    ctx.exit_status = ReportError(ctx, running.error());
    return;
  }
  auto users = (*db)->ListUsers();
  if (users) {
    for (const store::User& u : *users) {
      if (u.digest_realm != opts.realm) {
        *ctx.err << "warning: user " << u.name << "'s Digest secret was made for realm \""
                 << u.digest_realm << "\", not \"" << opts.realm
                 << "\": it cannot log in with Digest until `users passwd --realm` is run\n";
      }
    }
  }
  *ctx.out << "serving " << (*running)->base_url() << " (store " << store::DisplayLocation(opts.db)
           << "; web app "
           << (options.web_root.empty()
                   ? std::string("none: web/app/build makes it, or give --web-root")
                   : options.web_root)
           << "); SIGTERM or Ctrl-C stops\n";
  ctx.out->flush();
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  int left = (*running)->Shutdown();
  *ctx.out << "stopped" << (left > 0 ? " (" + std::to_string(left) + " requests cut off)" : "")
           << "\n";
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
}

void AddDb(CLI::App* cmd, UserOptions* opts) {
  cmd->add_option("--db", opts->db, "The store (SQLite file)")->required();
}

void AddPasswordOptions(CLI::App* cmd, UserOptions* opts) {
  cmd->add_flag("--password-stdin", opts->password_stdin,
                "Read the password from the first line of standard input (otherwise it is "
                "asked on the terminal, twice, without echo)");
  cmd->add_option("--realm", opts->realm,
                  "The HTTP Digest realm the server runs with (serve --realm; default "
                  "ngosurvey): the stored HA1 is made for it");
}

// serve's options and callback (AddCommand's build).
void AddServeOptions(CLI::App& serve, CommandContext& ctx) {
  auto opts = std::make_shared<ServeOptions>();
  serve.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")->required();
  serve.add_option("--listen", opts->listen,
                   "ADDR:PORT or [IPv6]:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  serve.add_option("--tls-cert", opts->tls_cert, "TLS certificate (PEM): serve HTTPS")
      ->check(CLI::ExistingFile);
  serve.add_option("--tls-key", opts->tls_key, "TLS private key (PEM)")->check(CLI::ExistingFile);
  serve.add_option("--base-url", opts->base_url,
                   "The URL clients reach the server at (default: from --listen)");
  serve.add_option("--realm", opts->realm,
                   "The HTTP Digest realm (default ngosurvey; users' secrets are made for it)");
  serve.add_option("--web-root", opts->web_root,
                   "The browser app's folder, served at / and /web/ (default: "
                   "PREFIX/share/ngosurvey/web beside an installed binary, else the web/ "
                   "folder of the checkout it was built from)");
  serve
      .add_option("--db-connections", opts->db_connections,
                  "Connections to the store (default 8): on PostgreSQL each serves one "
                  "request's transaction at a time; on SQLite one writer and N-1 readers")
      ->check(CLI::Range(1, 1000));
  serve.add_option("--trusted-proxy", opts->trusted_proxies,
                   "A reverse proxy's address: its last X-Forwarded-For hop names the client "
                   "(repeatable)");
  serve.callback([&ctx, opts] { RunServe(ctx, *opts); });
}

}  // namespace

void RegisterServerCommands(CLI::App& root, CommandContext& ctx) {
  // `form publish` joins the form group registered before (commands.cpp's order).
  AddCommand(
      *root.get_subcommand("form"), "publish",
      "Publish a version of a form for ODK clients (serve): the workbook, its XForm and the\n"
      "media files it names from FORM-media/ beside it. The same file again changes nothing;\n"
      "a changed form needs a new version in its settings.",
      [&ctx](CLI::App& publish) {
        auto opts = std::make_shared<PublishOptions>();
        publish.add_option("--db", opts->db, "The store (SQLite file)")->required();
        publish.add_option("file", opts->file, "XLSForm workbook (.xlsx or .xls)")
            ->required()
            ->check(CLI::ExistingFile);
        publish.callback([&ctx, opts] { RunPublish(ctx, *opts); });
      });

  CLI::App* users = AddGroup(
      root, "users", "Accounts of the collection server: roles, forms, passwords (docs/server.md)");

  AddCommand(*users, "add", "Add an account", [&ctx](CLI::App& add) {
    auto opts = std::make_shared<UserOptions>();
    AddDb(&add, opts.get());
    add.add_option("name", opts->name, "The user name ([A-Za-z0-9._@-], 1 to 64)")->required();
    add.add_option("--role", opts->role, "admin, supervisor, interviewer or analyst")
        ->required()
        ->check(CLI::IsMember({"admin", "supervisor", "interviewer", "analyst"}));
    add.add_option("--forms", opts->forms,
                   "The form ids the account works on, comma-separated (default: every form)");
    AddPasswordOptions(&add, opts.get());
    add.callback([&ctx, opts] { RunAdd(ctx, *opts); });
  });

  AddCommand(*users, "list", "List the accounts (never their secrets)", [&ctx](CLI::App& list) {
    auto opts = std::make_shared<UserOptions>();
    AddDb(&list, opts.get());
    list.callback([&ctx, opts] { RunList(ctx, *opts); });
  });

  AddCommand(*users, "disable", "Disable an account: it can no longer log in",
             [&ctx](CLI::App& disable) {
               auto opts = std::make_shared<UserOptions>();
               AddDb(&disable, opts.get());
               disable.add_option("name", opts->name, "The user name")->required();
               disable.callback([&ctx, opts] { RunDisable(ctx, *opts); });
             });

  AddCommand(*users, "passwd", "Set an account's password", [&ctx](CLI::App& passwd) {
    auto opts = std::make_shared<UserOptions>();
    AddDb(&passwd, opts.get());
    passwd.add_option("name", opts->name, "The user name")->required();
    AddPasswordOptions(&passwd, opts.get());
    passwd.callback([&ctx, opts] { RunPasswd(ctx, *opts); });
  });

  AddCommand(
      root, "serve",
      "Run the collection server: OpenRosa for ODK Collect, Enketo and ODK Web Forms, and the\n"
      "JSON API (docs/server.md). One JSON log line per request on standard error; SIGTERM\n"
      "stops it gracefully.",
      [&ctx](CLI::App& serve) { AddServeOptions(serve, ctx); });
}

}  // namespace ngosurvey::cli
