// Fuzz target for the ODK submission reader (form/odk_instance.h): any bytes, read
// against a fixed form with groups, nested repeats, selects, numbers, dates, an
// or_other select, an upload and an audit. The reader returns an instance or an
// error with an OI code, never a crash or a hang; what it accepts keeps its
// invariants: a valid instance id, answer paths that parse, answers whose state and
// value agree, attachments that are plain file names, and an envelope only when
// the root says encrypted. ReadOdkInstanceHead agrees on the form id. Differential:
// Read (the fast pass, expat when it declines) and ReadExact (expat alone) give the
// same instance or the same error. In memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "form/answer.h"
#include "form/odk_instance.h"
#include "form/testing/form_rows.h"

namespace {

const ngosurvey::form::Form& FuzzForm() {
  static const ngosurvey::form::Form form =
      *ngosurvey::form::testing::MakeForm({{"type", "name", "label"},
                                           {"start", "start", ""},
                                           {"integer", "age", "Age"},
                                           {"decimal", "budget", "Budget"},
                                           {"date", "founded", "Founded"},
                                           {"time", "opens", "Opens"},
                                           {"geopoint", "where", "Where"},
                                           {"select_one yn or_other", "consent", "Consent"},
                                           {"select_multiple topics", "topics", "Topics"},
                                           {"image", "photo", "Photo"},
                                           {"text", "remarks", "Remarks"},
                                           {"begin_group", "office", "Office"},
                                           {"integer", "staff", "Staff"},
                                           {"end_group", "", ""},
                                           {"begin_repeat", "programs", "Programs"},
                                           {"text", "name", "Name"},
                                           {"begin_repeat", "sites", "Sites"},
                                           {"text", "site", "Site"},
                                           {"end_repeat", "", ""},
                                           {"end_repeat", "", ""},
                                           {"audit", "audit", ""}},
                                          {{"list_name", "name", "label"},
                                           {"yn", "yes", "Yes"},
                                           {"yn", "no", "No"},
                                           {"topics", "health", "Health"},
                                           {"topics", "legal", "Legal"}},
                                          {{"form_id", "version"}, {"ngo", "1"}});
  return form;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey::form;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  static const OdkInstanceReader reader(FuzzForm());
  OdkInstanceOptions options;
  options.file = "fuzz.xml";
  options.max_bytes = 1 << 20;
  options.max_text_bytes = 1 << 12;
  options.refused_codes = {"-99"};
  auto read = reader.Read(xml, options);
  auto exact = reader.ReadExact(xml, options);
  if (read.has_value() != exact.has_value()) __builtin_trap();
  if (read ? !(*read == *exact) : read.error().ToString() != exact.error().ToString()) {
    __builtin_trap();
  }
  if (!read) {
    if (read.error().code.rfind("OI", 0) != 0) __builtin_trap();
    return 0;
  }
  auto head = ReadOdkInstanceHead(xml, options);
  if (!head || head->form_id != read->form_id || head->encrypted != read->encrypted.has_value()) {
    __builtin_trap();
  }
  if (read->instance_id.rfind("uuid:", 0) != 0 || read->instance_id.size() != 41) __builtin_trap();
  for (const auto& [path, answer] : read->answers) {
    if (!ParseAnswerPath(path) || !CheckAnswer(answer)) __builtin_trap();
  }
  for (const auto& name : read->attachments) {
    if (!IsPlainFileName(name)) __builtin_trap();
  }
  if (read->encrypted && !read->answers.empty()) __builtin_trap();
  return 0;
}
