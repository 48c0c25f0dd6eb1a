// server: the parts of a request the server parses itself (libmicrohttpd parses the
// request line, the headers, the query string and the Authorization header; the
// multipart bodies of submissions are multipart.h's): the Cookie header and
// application/x-www-form-urlencoded bodies (a browser's login form). Both take any
// bytes and never fail loudly: malformed input gives "absent" or an error value.
// Fuzz target: fuzz/request_parse_fuzzer.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ngosurvey::server {

// The value of the cookie `name` in a Cookie header ("a=b; c=d", RFC 6265 section
// 4.2.1; the first cookie of that name wins, surrounding double quotes are removed),
// or nullopt when the header has none.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name);

// The fields of an application/x-www-form-urlencoded body (WHATWG URL standard:
// '&'-separated name=value pairs, '+' is a space, %XX a byte); the first of
// repeated names wins. nullopt when a %-escape is malformed or a decoded name or
// value is not UTF-8.
std::optional<std::map<std::string, std::string>> ParseUrlEncoded(std::string_view body);

}  // namespace ngosurvey::server
