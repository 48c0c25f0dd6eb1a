// server: one HTTP request and its response, as the router sees them (the
// libmicrohttpd glue in server.cpp fills a Request and sends a Response), so that
// routes are plain functions that tests call without a socket.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ngosurvey::server {

struct Request {
  std::string method;                          // "GET", "HEAD", "POST"...
  std::string path;                            // decoded path, without the query ("/formList")
  std::map<std::string, std::string> query;    // decoded arguments
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string client;  // the client's address (after --trusted-proxy rules)
  bool tls = false;
  // The browser session's token when the request was authenticated by one (its
  // cookie, checked), "" otherwise.
  std::string session_token;

  // The header's value, or "" (name in lower case).
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type

  static Response Text(int status, std::string text) {
    Response r;
    r.status = status;
    r.body = std::move(text);
    if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
    return r;
  }
  static Response Xml(int status, std::string xml) {
    Response r;
    r.status = status;
    r.content_type = "text/xml; charset=utf-8";
    r.body = std::move(xml);
    return r;
  }
  static Response Json(int status, std::string json) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(json);
    if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
    return r;
  }
};

// The OpenRosa response document (OpenRosa 1.0: an OpenRosaResponse element with a
// message), which ODK Collect shows to the interviewer.
std::string OpenRosaMessage(std::string_view message);

// Splits "a/b/c" (no leading slash) into its segments; an empty path gives none.
std::vector<std::string> PathSegments(std::string_view path);

}  // namespace ngosurvey::server
