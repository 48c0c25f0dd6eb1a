// Pseudonymised exports (see import.h for the module's scope). With a secret key,
// organisation and interviewer ids become stable keyed pseudonyms (base/pseudonym.h,
// which the study report's quotes use too): the same id and key always give the same
// pseudonym, so files exported at different times still link, while without the key
// the id cannot be recovered or confirmed by guessing ("org-" for organisations,
// "int-" for interviewers).
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
#include "base/pseudonym.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

using ::ngosurvey::Pseudonym;
using ::ngosurvey::ReadPseudonymKey;

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
