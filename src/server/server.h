// server: the collection server (issue 15, docs/server.md): HTTP/1.1 on
// libmicrohttpd, one thread per connection, authentication (HTTP Digest with MD5
// and qop=auth; Basic only over TLS; browser sessions: a cookie and a CSRF token,
// kept in the store so that any server on the database accepts them), the limit on
// failed logins, one JSON log line
// per request, limits against slow and oversized clients, graceful shutdown. The
// endpoints themselves are server/routes.h.
//
// Error codes of Start:
//   SV020 the listen address is not ADDR:PORT
//   SV021 the server cannot listen there (port taken, no permission)
//   SV022 only one of the TLS certificate and key was given
//   SV023 the web root is not a folder
//   SV024 the TLS certificate or key is unusable, or the key is not the certificate's
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "server/credentials.h"
#include "store/store.h"

namespace ngosurvey::server {

// Receives one log line (a JSON object, no line end). Called from the server's
// threads, one call at a time.
using LogSink = std::function<void(std::string_view line)>;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // IPv4 ADDR:PORT or [IPv6]:PORT; port 0: any free
  std::string tls_cert_pem, tls_key_pem;  // both (HTTPS) or neither
  // Where they came from, for errors (SV024, tls_check.h): the files' names.
  std::string tls_cert_name = "--tls-cert", tls_key_name = "--tls-key";
  std::string base_url;  // default: http(s)://listen address and port
  std::string realm = kDefaultRealm;
  // Addresses of reverse proxies whose last X-Forwarded-For hop names the client.
  std::vector<std::string> trusted_proxies;
  uint64_t max_request_bytes = 10 * 1024 * 1024;
  // Slow clients (as Apache's mod_reqtimeout does it): the request line and headers
  // must arrive within header_timeout_ms of the connection's start (or of the end
  // of its previous request), and the body, after body_grace_ms, at body_min_rate
  // bytes a second on average; otherwise the connection is closed, which frees its
  // thread. A connection idle for idle_timeout_s is closed too.
  int64_t header_timeout_ms = 20000;
  int64_t body_grace_ms = 20000;
  uint64_t body_min_rate = 500;
  unsigned idle_timeout_s = 30;
  unsigned max_connections = 1000;
  // The browser app's folder, served at / and /web/ (static_files.h); empty: none.
  std::string web_root;
  // How long a browser session (POST /api/v1/session) lasts.
  int64_t session_ttl_ms = 7LL * 24 * 3600 * 1000;
  // Shutdown waits this long for requests in flight.
  int64_t shutdown_grace_ms = 10000;
  LogSink log;  // nothing logged when empty
  const Clock* clock = &SystemClock::Instance();
};

class Server {
 public:
  // Listens and serves until Shutdown or destruction. `store` must outlive the server.
  static Result<std::unique_ptr<Server>> Start(store::Store* store, ServerOptions options);
  virtual ~Server() = default;

  virtual uint16_t port() const = 0;
  virtual const std::string& base_url() const = 0;

  // Stops accepting connections, lets requests in flight finish for up to
  // shutdown_grace_ms, then closes every connection. Returns how many requests
  // were still running when the grace period ended (0 after a clean stop).
  virtual int Shutdown() = 0;

 protected:
  Server() = default;
};

}  // namespace ngosurvey::server
