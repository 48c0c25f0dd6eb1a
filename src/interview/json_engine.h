// The interview engine behind JSON requests and answers: the one face the
// WebAssembly build shows to JavaScript (web/engine/, docs/web.md), and the same
// code natively, so that a native run and a browser run of one script can be
// compared answer for answer. It adds no interview logic: every request is one
// call of interview.h, and every answer carries the screen and the changes to save.
//
// Requests (one JSON object each; "interview" and "form" are ids this engine gave):
//   {"op":"start","form":F, "language":"km", "device_id":S, "username":S, "seed":N,
//    "now_ms":N, "utc_offset_minutes":N}          now_ms: a fixed clock (tests);
//                                                  without it, the system clock
//   {"op":"resume","form":F, "answers":{PATH:{"state":S,"value":S}}, ...options}
//   {"op":"set","interview":I,"prompt":N,"value":S}   {"op":"refuse"|"dont_know",...,"prompt":N}
//   {"op":"set_at","interview":I,"path":S,"value":S}
//   {"op":"next"|"back"|"add_repeat"|"complete"|"screen"|"review"|"answers","interview":I}
//   {"op":"remove_repeat","interview":I,"repeat":S,"instance":N}
//   {"op":"jump","interview":I,"name":S}      {"op":"language","interview":I,"language":S}
//   {"op":"close","interview":I}               {"op":"unload_form","form":F}
//   {"op":"words","language":S}                the screen words of ScreenText, "{}" kept
// Answers: {"ok":true|false, "error":{"code","message","where"} (when not ok), and for
// an interview: "interview", "language", "complete", "screen":{...}, "changes":[...]
// (TakeChanges: {"path","state","value"} or {"path","removed":true})}; "review":[...]
// and "answers":{...} for those requests. docs/web.md lists every field.
//
// Errors of the request itself (not JSON, unknown op or id, a field missing or of
// the wrong type): JE001. Errors of the engine keep their codes (IV001...) and
// messages in the interview's language; the form's: FJ001-FJ003, IV011.
//
// Thread-safety: none; one JsonEngine per thread (a browser tab has one).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "form/form.h"
#include "interview/interview.h"

namespace ngosurvey::interview {

class JsonEngine {
 public:
  JsonEngine();
  ~JsonEngine();
  JsonEngine(const JsonEngine&) = delete;
  JsonEngine& operator=(const JsonEngine&) = delete;

  // Reads a form model (form/form_json.h) and compiles it:
  //   {"ok":true,"form":F,"title":S,"form_id":S,"version":S,"default_language":S,
  //    "languages":[{"code","name"}]}
  std::string LoadForm(std::string_view form_json);
  // The same for a form already in memory (native callers that read the workbook).
  std::string AddForm(form::Form form);
  // One request, one answer (see above).
  std::string Handle(std::string_view request_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ngosurvey::interview
