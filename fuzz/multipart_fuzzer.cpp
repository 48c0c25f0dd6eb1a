// Fuzz target for the multipart/form-data parser of POST /submission
// (server/multipart.h). Input: a Content-Type value, a line end, then the body.
// Any bytes must give parts or an SV010 error, never a crash, hang or a read
// outside the body; parts that parse, written out again with the same boundary,
// must parse to the same parts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/multipart.h"

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngosurvey::server;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  auto boundary = MultipartBoundary(input.substr(0, eol));
  if (!boundary) {
    if (boundary.error().code != "SV010") __builtin_trap();
    return 0;
  }
  std::string_view body = input.substr(eol + 1);
  auto parts = ParseMultipart(body, *boundary, {64, 4096});
  if (!parts) {
    if (parts.error().code != "SV010") __builtin_trap();
    return 0;
  }
  std::string again;
  for (const MultipartPart& p : *parts) {
    if (p.content.data() < body.data() ||
        p.content.data() + p.content.size() > body.data() + body.size()) {
      __builtin_trap();
    }
    // A part whose name, file name or type holds a line end cannot be written back.
    for (const std::string* field : {&p.name, &p.filename, &p.content_type}) {
      if (field->find_first_of("\r\n") != std::string::npos) return 0;
    }
    again += "--" + *boundary + "\r\nContent-Disposition: form-data; name=" + Quote(p.name);
    if (!p.filename.empty()) again += "; filename=" + Quote(p.filename);
    again += "\r\nContent-Type: " + p.content_type + "\r\n\r\n";
    again.append(p.content);
    again += "\r\n";
  }
  again += "--" + *boundary + "--\r\n";
  auto reparsed = ParseMultipart(again, *boundary, {64, 1 << 20});
  if (!reparsed || reparsed->size() != parts->size()) __builtin_trap();
  for (size_t i = 0; i < parts->size(); ++i) {
    const MultipartPart& a = (*parts)[i];
    const MultipartPart& b = (*reparsed)[i];
    if (a.name != b.name || a.filename != b.filename || a.content != b.content) __builtin_trap();
  }
  return 0;
}
