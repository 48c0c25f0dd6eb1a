// `ngosurvey keys generate`: the RSA key pair of an encrypted form
// (exchange/odk_crypto.h; docs/cli.md). Also the passphrase reader (passphrase.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "base/file.h"
#include "cli/command.h"
#include "cli/passphrase.h"
#include "exchange/odk_crypto.h"

namespace ngosurvey::cli {
namespace {

// One line typed at the terminal `fd` with echo off.
Result<std::string> ReadHidden(int fd, const std::string& prompt) {
  if (::write(fd, prompt.data(), prompt.size()) < 0) {
    return MakeError("IO001", "cannot write to the terminal");
  }
  termios saved{};
  bool restore = ::tcgetattr(fd, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  if (restore) ::tcsetattr(fd, TCSAFLUSH, &saved);
  (void)!::write(fd, "\n", 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

struct GenerateOptions {
  std::string output;
  std::string passphrase_file;
};

void RunGenerate(CommandContext& ctx, const GenerateOptions& opts) {
  namespace fs = std::filesystem;
  std::string private_path = (fs::path(opts.output) / "private.pem").string();
  std::string public_path = (fs::path(opts.output) / "public.pem").string();
  std::error_code error;
  if (fs::exists(private_path, error) || fs::exists(public_path, error)) {
    ctx.exit_status = ReportError(
        ctx, Error{"KEY002", "a key is already there; it is never overwritten (move it first)",
                   Location{.file = fs::exists(private_path) ? private_path : public_path}});
    return;
  }
  auto passphrase =
      ReadPassphrase(opts.passphrase_file, "Passphrase for " + private_path + ": ", true);
  if (!passphrase) {
    ctx.exit_status = ReportError(ctx, passphrase.error());
    return;
  }
  auto pair = exchange::GenerateKeyPair(*passphrase);
  if (!pair) {
    ctx.exit_status = ReportError(ctx, pair.error());
    return;
  }
  fs::create_directories(opts.output, error);
  if (error) {
    ctx.exit_status = ReportError(
        ctx, Error{"IO004", "cannot create the folder: " + error.message(), {.file = opts.output}});
    return;
  }
  // The private key is readable by its owner only, from its first byte on disk.
  mode_t old_mask = ::umask(077);
  auto written = WriteFileAtomic(private_path, pair->private_pem);
  ::umask(old_mask);
  if (written) written = WriteFileAtomic(public_path, pair->public_pem);
  if (!written) {
    ctx.exit_status = ReportError(ctx, written.error());
    return;
  }
  *ctx.err << "wrote " << private_path << " (encrypted with the passphrase; keep both safe: "
           << "without them the submissions cannot be decrypted) and " << public_path << "\n"
           << "public_key for the form's settings sheet:\n";
  *ctx.out << pair->public_key_base64 << "\n";
}

}  // namespace

Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm) {
  if (!file.empty()) {
    std::string text = NGO_TRY(ReadFile(file, 1 << 20));
    size_t end = text.find('\n');
    std::string line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return MakeError("IO001",
                     "no terminal to read the passphrase from: give --passphrase-file FILE");
  }
  auto first = ReadHidden(fd, prompt);
  Result<std::string> out = first;
  if (first && confirm) {
    auto again = ReadHidden(fd, "Again: ");
    if (!again) {
      out = again;
    } else if (*again != *first) {
      out = MakeError("KEY001", "the two passphrases differ");
    }
  }
  ::close(fd);
  return out;
}

void RegisterKeysCommands(CLI::App& root, CommandContext& ctx) {
  CLI::App* keys = AddGroup(
      root, "keys", "The RSA key pair of an encrypted ODK form (docs/cli.md#keys-generate)");
  AddCommand(
      *keys, "generate",
      "Write DIR/private.pem (RSA-2048, PKCS#8, encrypted with a passphrase) and DIR/public.pem, "
      "and print the public_key value for the form's settings",
      [&ctx](CLI::App& generate) {
        auto opts = std::make_shared<GenerateOptions>();
        generate.add_option("-o,--output", opts->output, "The folder to write the keys in")
            ->required();
        generate.add_option("--passphrase-file", opts->passphrase_file,
                            "Read the passphrase from the first line of this file (default: the "
                            "terminal)");
        generate.callback([&ctx, opts] { RunGenerate(ctx, *opts); });
      });
}

}  // namespace ngosurvey::cli
