// Keyed pseudonyms of ids (organisations, interviewers): the one pseudonymisation that
// exports (exchange/pseudonymise.h) and the study report's quotes use, so that an
// organisation has the same pseudonym in a pseudonymised export and beside its quote.
// The same id and key always give the same pseudonym; without the key the id can be
// neither recovered nor confirmed by guessing.
//
//   pseudonym = kind + "-" + the first 16 hex digits of HMAC-SHA256(key, kind + ":" + id)
//   ("org" for organisations, "int" for interviewers)
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace ngosurvey {

// Reads a key file: at least 16 bytes once surrounding white space is trimmed.
// EXP010 too short (or empty); IO0xx when it cannot be read.
Result<std::string> ReadPseudonymKey(const std::string& path);

// kind + "-" + 16 hex digits of HMAC-SHA256(key, kind + ":" + id); "" for an empty id.
std::string Pseudonym(std::string_view key, std::string_view kind, std::string_view id);

}  // namespace ngosurvey
