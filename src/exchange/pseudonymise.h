// Pseudonymised exports (see import.h for the module's scope). With a secret key,
// organisation and interviewer ids become stable keyed pseudonyms: the same id and
// key always give the same pseudonym, so files exported at different times still
// link, while without the key the id cannot be recovered or confirmed by guessing.
//
//   pseudonym = prefix + the first 16 hex digits of HMAC-SHA256(key, kind + ":" + id)
//   ("org-" for organisations, "int-" for interviewers)
//
// What changes in each submission:
//  - Submission::org_id and the answer of a question named `org_id`;
//  - Submission::interviewer and the answers of `username` metadata questions;
//  - questions whose `sensitive` survey column is yes/true/1 are dropped, and so are
//    device and contact metadata (deviceid, subscriberid, simserial, phonenumber,
//    email) and calculations that read a replaced or dropped question (they could
//    carry the original id, e.g. concat(${org_id}, ...)).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

// Reads a key file: at least 16 bytes once surrounding white space is trimmed.
// EXP010 too short (or empty); IO0xx when it cannot be read.
Result<std::string> ReadPseudonymKey(const std::string& path);

// prefix + 16 hex digits of HMAC-SHA256(key, kind + ":" + id); "" for an empty id.
std::string Pseudonym(std::string_view key, std::string_view kind, std::string_view id);

// True when the question's `sensitive` column says yes.
bool IsSensitive(const form::Question& question);

// What an export does to each question: left out (dropped), or its answered
// values replaced by the pseudonym of an organisation or of an interviewer.
struct PseudonymPlan {
  enum class Replace : char { kKept, kOrg, kInterviewer };
  std::vector<bool> dropped;      // one flag per question
  std::vector<Replace> replaced;  // one per question
};
PseudonymPlan PlanPseudonyms(const form::Form& form);

}  // namespace ngosurvey::exchange
