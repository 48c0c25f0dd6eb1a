// Fuzz target for the form model's JSON reader (form/form_json.h), what the
// WebAssembly engine reads in a browser: any bytes give a form or an error with a
// code, never a crash or a hang. A form that reads must keep the model's
// invariants, write back to JSON that reads to the same JSON, and survive the
// interview engine: compile, start, and a few screens of Next.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "form/form_json.h"
#include "interview/interview.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto form = form::FormFromJson(input, "fuzz.json", 1 << 20);
  if (!form) {
    if (form.error().code.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& q : form->questions) {
    if (q.parent >= q.index) __builtin_trap();
    if (q.parent >= 0 && !form->questions[static_cast<size_t>(q.parent)].is_container()) {
      __builtin_trap();
    }
  }
  std::string json = form::FormToJson(*form);
  auto again = form::FormFromJson(json, "fuzz.json", size_t{1} << 30);
  if (!again || form::FormToJson(*again) != json) __builtin_trap();

  auto compiled = interview::CompileForm(*form);
  if (!compiled) return 0;
  FixedClock clock(1795597200000);
  interview::Options options;
  options.clock = &clock;
  options.seed = 1;
  auto iv = interview::Interview::Start(*compiled, options);
  if (!iv) return 0;
  for (int i = 0; i < 8 && !(*iv)->AtEnd(); ++i) {
    if ((*iv)->screen().kind == interview::ScreenKind::kRepeatPrompt && i % 2 == 0) {
      (void)(*iv)->AddRepeat();
    } else {
      if (!(*iv)->screen().prompts.empty()) (void)(*iv)->Set(0, "1");
      if (!(*iv)->Next()) (void)(*iv)->Refuse(0);
      (void)(*iv)->Next();
    }
  }
  (void)(*iv)->Review();
  (void)(*iv)->TakeChanges();
  return 0;
}
