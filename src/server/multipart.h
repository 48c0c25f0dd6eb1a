// server: multipart/form-data request bodies (RFC 7578 on RFC 2046 section 5.1), the
// body of an OpenRosa POST /submission: the part named xml_submission_file and
// one part per attachment.
//
// Grammar (what is accepted; CRLF line ends, as the RFCs require; a bare LF is
// accepted too, since some clients write it):
//   body      := preamble? ( "--" boundary LWS* CRLF part )+ "--" boundary "--" epilogue?
//   part      := header* CRLF content CRLF            (content up to CRLF "--" boundary)
//   header    := field-name ":" value CRLF            (Content-Disposition, Content-Type...)
//   Content-Disposition: form-data; name="NAME"; filename="FILE"
// Quoted values may hold \" and \\; RFC 5987's filename*= is read when filename= is
// absent (UTF-8''percent-encoded).
//
// Limits: at most `max_parts` parts and `max_header_bytes` of headers per part; the
// contents are views into the body (no copy). Errors (SV010) name the part (its
// number, and name when known) and the byte offset in the body.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ngosurvey::server {

struct MultipartPart {
  std::string name;          // the form field name
  std::string filename;      // empty when the part is not a file
  std::string content_type;  // "text/plain" when absent (RFC 7578 section 4.4)
  std::string_view content;  // a view into the parsed body
};

struct MultipartLimits {
  size_t max_parts = 1000;
  size_t max_header_bytes = 16 * 1024;
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type (quoted or
// not; 1 to 70 characters, RFC 2046). SV010 for another type or no boundary.
Result<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`, in order. SV010 for a malformed or truncated body.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  const MultipartLimits& limits = {});

}  // namespace ngosurvey::server
