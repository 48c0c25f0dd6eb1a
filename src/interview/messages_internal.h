// The engine's own messages to the interviewer (the form's constraint and required
// messages come from the form), in English, Khmer and Vietnamese, and the checks of
// a typed value against its question's type. Private to src/interview.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "base/words.h"
#include "form/form.h"

namespace ngosurvey::interview {

// The engine's messages and the screen's words live in the shared catalogue
// (base/words.h), which the browser and the reports read too.
using Msg = words::Word;

// The message in `language` (a form language code; km and vi are translated, any
// other language gets English), with each "{}" replaced by the next argument.
std::string Message(Msg msg, std::string_view language, std::string_view arg1 = {},
                    std::string_view arg2 = {});

// The canonical text of `value` for a question of `type` (integer "+05" -> "5",
// time "9:30" -> "09:30:00"), or the message id of what is wrong. `parameters` is
// the range question's "start=1 end=10 step=1".
struct Canonical {
  bool ok = false;
  std::string value;
  Msg msg = Msg::kNotInteger;
  std::string arg1, arg2;
};
Canonical CanonicalValue(form::QuestionType type, std::string_view value,
                         std::string_view parameters);

}  // namespace ngosurvey::interview
