// Fuzz target for the XForm writer's input (form/xform_writer.h): any workbook the
// XLSForm reader accepts without errors must compile to an XForm, or give an error
// with a code, never a crash or a hang; and what is written must be well-formed XML
// (expat) rooted at h:html. Workbooks with errors stop at the reader, as in
// `ngosurvey form xform`. The seeds are the xlsx fuzzer's corpus plus the XForm test
// forms. Everything happens in memory.
#include <expat.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/diagnostic.h"
#include "form/form.h"
#include "form/xform_writer.h"

namespace {

struct RootCheck {
  int depth = 0;
  bool root_ok = false;
};

void Start(void* data, const XML_Char* name, const XML_Char** /*attrs*/) {
  auto* check = static_cast<RootCheck*>(data);
  if (check->depth++ == 0) {
    check->root_ok = std::strcmp(name, "http://www.w3.org/1999/xhtml|html") == 0;
  }
}

void End(void* data, const XML_Char* /*name*/) { --static_cast<RootCheck*>(data)->depth; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ngosurvey::form::LoadOptions options;
  options.xlsx.max_part_bytes = 8 << 20;
  options.xlsx.max_total_bytes = 32 << 20;
  options.xlsx.max_cell_bytes = 1 << 16;
  ngosurvey::Diagnostics diags;
  auto form = ngosurvey::form::LoadForm(input, "fuzz.xlsx", &diags, options);
  if (!form || diags.has_errors()) return 0;
  auto xml = ngosurvey::form::WriteXForm(*form, {"fuzz"});
  if (!xml) {
    if (xml.error().code.empty()) __builtin_trap();
    return 0;
  }
  XML_Parser parser = XML_ParserCreateNS("UTF-8", '|');
  RootCheck check;
  XML_SetUserData(parser, &check);
  XML_SetElementHandler(parser, Start, End);
  bool well_formed =
      XML_Parse(parser, xml->data(), static_cast<int>(xml->size()), XML_TRUE) == XML_STATUS_OK;
  XML_ParserFree(parser);
  if (!well_formed || !check.root_ok) __builtin_trap();
  return 0;
}
