// Passphrases for private keys (keys generate, import --private-key): the first
// line of a file, or typed at the terminal without echo.
#pragma once

#include <string>

#include "base/error.h"

namespace ngosurvey::cli {

// The first line of `file` without its line end ("\n" or "\r\n") when `file` is
// set; otherwise read from the terminal (/dev/tty) after `prompt`, echo off, and,
// when `confirm`, typed twice (IO001 without a terminal, KEY001 when the two
// differ).
Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm);

}  // namespace ngosurvey::cli
