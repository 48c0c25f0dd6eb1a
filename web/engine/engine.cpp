// The C entry points of the WebAssembly engine: JSON text in, JSON text out, one
// JsonEngine per module instance (interview/json_engine.h has the requests and
// answers). JavaScript calls them through engine.mjs; no interview logic here.
// The returned text lives until the next call.
#include <string>

#include "interview/json_engine.h"

namespace {

ngosurvey::interview::JsonEngine& Engine() {
  static ngosurvey::interview::JsonEngine engine;
  return engine;
}

std::string& Reply() {
  static std::string reply;
  return reply;
}

}  // namespace

extern "C" {

// A form model (form/form_json.h) -> {"ok":true,"form":ID,...} or {"ok":false,"error":...}.
const char* ngo_load_form(const char* form_json) {
  Reply() = Engine().LoadForm(form_json);
  return Reply().c_str();
}

// One request -> its answer.
const char* ngo_request(const char* request_json) {
  Reply() = Engine().Handle(request_json);
  return Reply().c_str();
}

}  // extern "C"
