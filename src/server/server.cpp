// The libmicrohttpd glue of server.h: connections and requests, authentication,
// the slow-client watchdog, the request log and shutdown. Routes are routes.cpp's.
//
// libmicrohttpd calls Access() several times per request: once when the headers
// have arrived (authentication and the size limit are decided there, so a refused
// upload is never read), once per piece of body, and once more when the request is
// complete (the router answers then). Completed() ends every request (the log line);
// Notify() sees connections start and end (the watchdog's table).
#include "server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstring>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "base/date.h"
#include "base/text.h"
#include "server/digest.h"
#include "server/microhttpd_internal.h"
#include "server/rate_limit.h"
#include "server/request_parse.h"
#include "server/routes.h"
#include "server/static_files.h"
#include "server/tls_check.h"

namespace ngosurvey::server {
namespace {

// How long a Digest nonce stays valid (digest.h).
constexpr int64_t kNonceTimeoutS = 300;

// The browser session's cookie; its value is 32 random bytes in hex.
constexpr const char* kSessionCookie = "ngosurvey_session";
constexpr size_t kSessionTokenBytes = 32;

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

// What the store keeps of a session token: its SHA-256, so that reading the store
// does not give a session away.
std::string TokenHash(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(digest, sizeof digest);
}

// The CSRF token of a session: derived from the session's token (BLAKE2b keyed with
// a fixed context), so every server on the database computes the same one, and a
// page of another site, which cannot read the HttpOnly cookie, cannot compute it.
std::string CsrfToken(std::string_view session_token) {
  static constexpr unsigned char kContext[] = "ngosurvey csrf token, version 1";
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(session_token.data()),
                     session_token.size(), kContext, sizeof kContext - 1);
  return Hex(digest, sizeof digest);
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Methods that change nothing, which a session may use without its CSRF token.
bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

Response JsonError(int status, std::string_view message) {
  nlohmann::ordered_json body;
  body["error"] = message;
  return Response::Json(status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         text::AsciiLower(s.substr(0, prefix.size())) == text::AsciiLower(prefix);
}

// One connection, as the watchdog sees it. Guarded by MhdServer::conns_mu_.
struct ConnState {
  int fd = -1;
  int64_t phase_start_ms = 0;  // when it started waiting for headers, or its body
  bool in_request = false;     // headers received, request not yet complete
  bool receiving_body = false;
  uint64_t body_bytes = 0;
  int requests = 0;
  bool killed = false;
};

// One request, from its headers to its end.
struct RequestState {
  int64_t start_ms = 0;
  Request request;
  std::optional<store::User> user;
  std::optional<Response> refusal;  // decided at the headers
  bool no_challenge = false;        // a 401 without WWW-Authenticate (browser requests)
  bool too_large = false;
  int status = 0;
  uint64_t bytes = 0;
  ConnState* conn = nullptr;
};

struct ParsedAddress {
  sockaddr_storage addr{};
  bool v6 = false;
  std::string host;
  uint16_t port = 0;
};

Result<ParsedAddress> ParseListen(const std::string& listen) {
  ParsedAddress out;
  std::string host, port;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return MakeError("SV020", "--listen " + listen + ": expected [IPv6]:PORT");
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
    out.v6 = true;
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return MakeError("SV020", "--listen " + listen + ": expected ADDR:PORT");
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port) > 65535) {
    return MakeError("SV020", "--listen " + listen + ": the port must be 0 to 65535");
  }
  out.port = static_cast<uint16_t>(std::stoi(port));
  out.host = host;
  if (out.v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&out.addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(out.port);
    if (inet_pton(AF_INET6, host.c_str(), &a->sin6_addr) != 1) {
      return MakeError("SV020", "--listen " + listen + ": not an IPv6 address");
    }
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&out.addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(out.port);
    if (inet_pton(AF_INET, host.c_str(), &a->sin_addr) != 1) {
      return MakeError("SV020",
                       "--listen " + listen + ": not an IPv4 address (or use [IPv6]:PORT)");
    }
  }
  return out;
}

std::string AddressText(const sockaddr* addr) {
  if (addr == nullptr) return "";
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, buf, sizeof buf);
  } else if (addr->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

MHD_Result CollectValue(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  if (key != nullptr) (*map)[text::AsciiLower(key)] = value == nullptr ? "" : value;
  return MHD_YES;
}

MHD_Result CollectArgument(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  if (key != nullptr) (*map)[key] = value == nullptr ? "" : value;
  return MHD_YES;
}

class MhdServer final : public Server {
 public:
  MhdServer(store::Store* store, ServerOptions options)
      : store_(store), options_(std::move(options)) {}

  ~MhdServer() override { Shutdown(); }

  Status Begin() {
    if (options_.tls_cert_pem.empty() != options_.tls_key_pem.empty()) {
      return MakeError("SV022", "give both --tls-cert and --tls-key, or neither");
    }
    tls_ = !options_.tls_cert_pem.empty();
    if (tls_) {
      // Checked here: libmicrohttpd would only fail to start, giving no reason.
      NGO_TRY(CheckTlsCredentials(options_.tls_cert_pem, options_.tls_cert_name,
                                  options_.tls_key_pem, options_.tls_key_name));
    }
    ParsedAddress address = NGO_TRY(ParseListen(options_.listen));
    if (!options_.web_root.empty()) NGO_TRY(WebRoot::Open(options_.web_root));
    if (sodium_init() < 0) return MakeError("SV021", "libsodium could not be initialised");
    randombytes_buf(password_cache_key_, sizeof password_cache_key_);
    digest_ = std::make_unique<DigestAuth>(options_.realm, kNonceTimeoutS);

    // libmicrohttpd is loaded now, not when the program starts (microhttpd_internal.h).
    mhd_ = NGO_TRY(LoadMicrohttpd());
    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                         MHD_USE_POLL | MHD_USE_ITC;
    if (address.v6) flags |= MHD_USE_IPv6;
    if (tls_) flags |= MHD_USE_TLS;
    std::vector<MHD_OptionItem> items = {
        {MHD_OPTION_SOCK_ADDR, 0, &address.addr},
        {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(options_.idle_timeout_s), nullptr},
        {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(options_.max_connections), nullptr},
        {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Completed), this},
        {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&Notify), this},
        {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&Logger), this},
    };
    if (tls_) {
      items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, options_.tls_key_pem.data()});
      items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, options_.tls_cert_pem.data()});
    }
    items.push_back({MHD_OPTION_END, 0, nullptr});
    daemon_ = mhd_->MHD_start_daemon(flags, address.port, nullptr, nullptr, &Access, this,
                                     MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
    if (daemon_ == nullptr) {
      std::string why = last_mhd_error_.empty() ? std::strerror(errno) : last_mhd_error_;
      return MakeError("SV021", "cannot serve on " + options_.listen + ": " + why);
    }
    const MHD_DaemonInfo* info = mhd_->MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    port_ = info != nullptr ? info->port : address.port;
    base_url_ = options_.base_url;
    if (base_url_.empty()) {
      std::string host = address.v6 ? "[" + address.host + "]" : address.host;
      base_url_ = std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_);
    }
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    router_ = std::make_unique<Router>(
        *store_, RouterOptions{base_url_, options_.max_request_bytes, options_.web_root},
        options_.clock);
    AddSessionRoutes();
    ready_.store(true);
    watchdog_ = std::thread([this] { Watchdog(); });
    return Ok();
  }

  uint16_t port() const override { return port_; }
  const std::string& base_url() const override { return base_url_; }

  int Shutdown() override {
    std::lock_guard shutdown_lock(shutdown_mu_);
    if (daemon_ == nullptr) return 0;
    // Stop accepting: close the listening socket; connections already open go on.
    MHD_socket listen_fd = mhd_->MHD_quiesce_daemon(daemon_);
    if (listen_fd != MHD_INVALID_SOCKET) ::close(listen_fd);
    int left = 0;
    {
      std::unique_lock lock(flight_mu_);
      flight_cv_.wait_for(lock, std::chrono::milliseconds(options_.shutdown_grace_ms),
                          [this] { return in_flight_ == 0; });
      left = in_flight_;
    }
    {
      std::lock_guard lock(watchdog_mu_);
      stopping_ = true;
    }
    watchdog_cv_.notify_all();
    if (watchdog_.joinable()) watchdog_.join();
    mhd_->MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
    return left;
  }

 private:
  static MHD_Result Access(void* cls, MHD_Connection* connection, const char* url,
                           const char* method, const char*, const char* upload_data,
                           size_t* upload_data_size, void** con_cls) {
    auto* self = static_cast<MhdServer*>(cls);
    try {
      return self->OnAccess(connection, url, method, upload_data, upload_data_size, con_cls);
    } catch (...) {
      // Nothing may unwind through libmicrohttpd's C frames.
      return MHD_NO;
    }
  }

  MHD_Result OnAccess(MHD_Connection* connection, const char* url, const char* method,
                      const char* upload_data, size_t* upload_data_size, void** con_cls) {
    auto* st = static_cast<RequestState*>(*con_cls);
    if (st == nullptr) {
      st = new RequestState;
      *con_cls = st;
      st->start_ms = SteadyMs();
      {
        std::lock_guard lock(flight_mu_);
        ++in_flight_;
      }
      const MHD_ConnectionInfo* info =
          mhd_->MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
      st->conn = info != nullptr ? static_cast<ConnState*>(info->socket_context) : nullptr;
      if (st->conn != nullptr) {
        std::lock_guard lock(conns_mu_);
        st->conn->in_request = true;
        st->conn->receiving_body = true;
        st->conn->body_bytes = 0;
        st->conn->phase_start_ms = SteadyMs();
        ++st->conn->requests;
      }
      if (!ready_.load()) return Queue(connection, st, Response::Text(503, "starting"));
      Request& req = st->request;
      req.method = method == nullptr ? "" : method;
      req.path = url == nullptr ? "" : url;
      req.tls = tls_;
      mhd_->MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectValue, &req.headers);
      mhd_->MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &CollectArgument,
                                      &req.query);
      req.client = ClientAddress(connection, req);
      // Decided now, before any body is read: the size limit and the account.
      std::string length = req.Header("content-length");
      if (!length.empty() && (length.size() > 18 || std::stoull("0" + length.substr(0, 18)) >
                                                        options_.max_request_bytes)) {
        st->refusal = TooLarge();
      } else if (router_->NeedsAccount(req)) {
        Authenticate(connection, st);
      }
      bool has_body = !length.empty() ? length != "0" : !req.Header("transfer-encoding").empty();
      if (st->refusal && has_body) {
        // Answered before the body is read: libmicrohttpd closes the connection after.
        if (st->refusal->status == 401 && !st->no_challenge) {
          return Challenge(connection, st, std::move(*st->refusal));
        }
        return Queue(connection, st, std::move(*st->refusal));
      }
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      if (!st->too_large) {
        if (st->request.body.size() + *upload_data_size > options_.max_request_bytes) {
          st->too_large = true;
          st->request.body.clear();
          st->request.body.shrink_to_fit();
        } else {
          st->request.body.append(upload_data, *upload_data_size);
        }
      }
      if (st->conn != nullptr) {
        std::lock_guard lock(conns_mu_);
        st->conn->body_bytes += *upload_data_size;
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (st->conn != nullptr) {
      std::lock_guard lock(conns_mu_);
      st->conn->receiving_body = false;
    }
    if (st->status != 0) return MHD_YES;  // answered already
    if (st->refusal) {
      if (st->refusal->status == 401 && !st->no_challenge) {
        return Challenge(connection, st, *st->refusal);
      }
      return Queue(connection, st, std::move(*st->refusal));
    }
    if (st->too_large) return Queue(connection, st, TooLarge());
    Response response = router_->Handle(st->request, st->user ? &*st->user : nullptr);
    return Queue(connection, st, std::move(response));
  }

  Response TooLarge() const {
    Response r = Response::Xml(
        413, OpenRosaMessage("The request is larger than the server accepts (" +
                             std::to_string(options_.max_request_bytes) + " bytes)."));
    r.headers.emplace_back("X-OpenRosa-Accept-Content-Length",
                           std::to_string(options_.max_request_bytes));
    return r;
  }

  // The socket's address, or the last X-Forwarded-For hop when the socket's is a
  // trusted proxy's.
  std::string ClientAddress(MHD_Connection* connection, const Request& req) const {
    const MHD_ConnectionInfo* info =
        mhd_->MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    std::string peer = info != nullptr ? AddressText(info->client_addr) : "";
    if (std::find(options_.trusted_proxies.begin(), options_.trusted_proxies.end(), peer) ==
        options_.trusted_proxies.end()) {
      return peer;
    }
    std::string forwarded = req.Header("x-forwarded-for");
    size_t comma = forwarded.rfind(',');
    std::string last(
        text::Trim(comma == std::string::npos ? forwarded : forwarded.substr(comma + 1)));
    return last.empty() ? peer : last.substr(0, 64);
  }

  void Refuse(RequestState* st, Response response) { st->refusal = std::move(response); }

  void Unauthorised(RequestState* st, const std::string& message, bool stale = false) {
    Response r = Response::Text(401, message);
    if (stale) r.headers.emplace_back("X-Ngosurvey-Stale", "1");  // read by Challenge
    st->refusal = std::move(r);
  }

  void Failed(const std::string& user, const std::string& client) {
    int64_t now = SteadyMs();
    if (!user.empty()) limiter_.Fail("user:" + user, now);
    limiter_.Fail("addr:" + client, now);
  }

  bool Blocked(RequestState* st, const std::string& key) {
    int64_t wait = limiter_.RetryAfterSeconds(key, SteadyMs());
    if (wait == 0) return false;
    Response r = Response::Text(
        429, "too many failed logins; try again in " + std::to_string(wait) + " seconds");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    st->refusal = std::move(r);
    return true;
  }

  // Sets st->user, or st->refusal (401 with a challenge, 403, 429).
  void Authenticate(MHD_Connection* connection, RequestState* st) {
    const Request& req = st->request;
    // A browser's own endpoint: a 401 there must not make the browser ask for a
    // password in its own dialog, so it carries no challenge.
    if (req.path == "/api/v1/session") st->no_challenge = true;
    if (Blocked(st, "addr:" + req.client)) return;
    std::string auth = req.Header("authorization");
    if (auth.empty()) {
      std::optional<std::string> token = CookieValue(req.Header("cookie"), kSessionCookie);
      if (token) return AuthenticateSession(st, *token);
      return Unauthorised(st, "log in: this server uses HTTP Digest");
    }
    std::string name;
    bool verified = false;
    if (StartsWithNoCase(auth, "Digest ")) {
      auto params = ParseDigestAuthorization(auth);
      if (!params || params->count("username") == 0 || params->at("username").empty()) {
        Failed("", req.client);
        return Unauthorised(st, "malformed Digest authorization");
      }
      name = params->at("username");
      if (Blocked(st, "user:" + name)) return;
      auto user = store_->GetUser(name);
      if (!user && user.error().code != "ST002" && user.error().code != "ST001") {
        return Refuse(st, Response::Text(500, "the store failed: " + user.error().code));
      }
      bool usable = user && user->digest_realm == options_.realm;
      if (usable) {
        DigestAuth::Outcome outcome =
            digest_->Check(*params, req.method, req.path, user->digest_ha1, NowSeconds());
        if (outcome == DigestAuth::Outcome::kStale) {
          return Unauthorised(st, "the login has expired; log in again", /*stale=*/true);
        }
        verified = outcome == DigestAuth::Outcome::kOk;
      }
      if (verified) st->user = std::move(*user);
    } else if (StartsWithNoCase(auth, "Basic ")) {
      if (!tls_) {
        return Unauthorised(st, "Basic authentication is accepted only over HTTPS; use Digest");
      }
      char* password = nullptr;
      char* got = mhd_->MHD_basic_auth_get_username_password(connection, &password);
      if (got == nullptr) {
        if (password != nullptr) mhd_->MHD_free(password);
        Failed("", req.client);
        return Unauthorised(st, "malformed Basic authorization");
      }
      name = got;
      mhd_->MHD_free(got);
      std::string secret = password == nullptr ? "" : password;
      if (password != nullptr) {
        sodium_memzero(password, std::strlen(password));
        mhd_->MHD_free(password);
      }
      if (Blocked(st, "user:" + name)) return;
      auto user = store_->GetUser(name);
      if (!user && user.error().code != "ST002") {
        return Refuse(st, Response::Text(500, "the store failed: " + user.error().code));
      }
      verified = user && CheckPasswordCached(*user, secret);
      sodium_memzero(secret.data(), secret.size());
      if (verified) st->user = std::move(*user);
    } else {
      return Unauthorised(st, "unsupported authorization scheme (use Digest)");
    }
    if (!verified) {
      Failed(name, req.client);
      return Unauthorised(st, "wrong user name or password");
    }
    if (st->user->disabled) {
      st->user.reset();
      return Refuse(st, Response::Text(403, "the account " + name + " is disabled"));
    }
  }

  // A browser session: its cookie's token must name a live session in the store, of
  // an account not changed since (a new password, role or forms, or disabled, ends
  // every session), and a state-changing method must carry its CSRF token.
  void AuthenticateSession(RequestState* st, const std::string& token) {
    st->no_challenge = true;
    const std::string client = st->request.client;
    auto end = [&](int status, std::string_view message) {
      Response r = JsonError(status, message);
      r.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
      st->refusal = std::move(r);
    };
    if (token.size() != kSessionTokenBytes * 2 || !IsLowerHex(token)) {
      Failed("", client);
      return end(401, "not a session of this server; log in again");
    }
    auto session = store_->GetSession(TokenHash(token));
    if (!session) {
      if (session.error().code != "ST002") {
        return Refuse(st, JsonError(500, "the store failed: " + session.error().code));
      }
      Failed("", client);
      return end(401, "not a session of this server (or it ended); log in again");
    }
    if (session->expires_at_ms <= options_.clock->NowMillis()) {
      return end(401, "the session has expired; log in again");
    }
    if (Blocked(st, "user:" + session->user)) return;
    auto user = store_->GetUser(session->user);
    if (!user) {
      if (user.error().code != "ST002") {
        return Refuse(st, JsonError(500, "the store failed: " + user.error().code));
      }
      return end(401, "the session's account no longer exists");
    }
    if (user->disabled)
      return Refuse(st, JsonError(403, "the account " + user->name + " is disabled"));
    if (user->updated_at_ms > session->created_at_ms) {
      return end(401, "the account changed since this login; log in again");
    }
    if (!IsSafeMethod(st->request.method)) {
      std::string sent = st->request.Header("x-csrf-token");
      std::string want = CsrfToken(token);
      if (sent.size() != want.size() || sodium_memcmp(sent.data(), want.data(), want.size()) != 0) {
        return Refuse(st, JsonError(403, "missing or wrong X-CSRF-Token header"));
      }
    }
    st->user = std::move(*user);
    st->request.session_token = token;
  }

  // A Set-Cookie value for the session token (an empty token with max_age 0 ends it).
  std::string SessionCookie(const std::string& token, int64_t max_age_s) const {
    std::string cookie = std::string(kSessionCookie) + "=" + token +
                         "; Path=/; Max-Age=" + std::to_string(max_age_s) +
                         "; HttpOnly; SameSite=Strict";
    if (tls_ || base_url_.rfind("https://", 0) == 0) cookie += "; Secure";
    return cookie;
  }

  // The browser session endpoints (docs/server.md), added to the router's table.
  void AddSessionRoutes() {
    router_->Add(
        {"POST", "/api/v1/session", Access::kPublic,
         [this](const Request& r, const RouteParams&, const store::User*) { return Login(r); }});
    router_->Add({"GET", "/api/v1/session", Access::kAccount,
                  [this](const Request& r, const RouteParams&, const store::User* u) {
                    return SessionInfo(*u, r.session_token, 200);
                  }});
    router_->Add(
        {"DELETE", "/api/v1/session", Access::kAccount,
         [this](const Request& r, const RouteParams&, const store::User*) { return Logout(r); }});
  }

  // POST /api/v1/session: JSON {"user", "password"} or form fields User and Password.
  Response Login(const Request& req) {
    int64_t now_steady = SteadyMs();
    auto too_many = [&](const std::string& key) -> std::optional<Response> {
      int64_t wait = limiter_.RetryAfterSeconds(key, now_steady);
      if (wait == 0) return std::nullopt;
      Response r = JsonError(
          429, "too many failed logins; try again in " + std::to_string(wait) + " seconds");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    };
    if (auto r = too_many("addr:" + req.client)) return *r;
    std::string name, password;
    std::string type = text::AsciiLower(req.Header("content-type"));
    if (type.rfind("application/json", 0) == 0) {
      nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
      if (!body.is_object() || !body.contains("user") || !body["user"].is_string() ||
          !body.contains("password") || !body["password"].is_string()) {
        return JsonError(400, "send {\"user\": NAME, \"password\": PASSWORD}");
      }
      name = body["user"].get<std::string>();
      password = body["password"].get<std::string>();
    } else if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      auto fields = ParseUrlEncoded(req.body);
      if (!fields) return JsonError(400, "malformed form fields");
      auto field = [&](const char* a, const char* b) {
        auto it = fields->find(a);
        if (it == fields->end()) it = fields->find(b);
        return it == fields->end() ? std::string() : it->second;
      };
      name = field("User", "user");
      password = field("Password", "password");
    } else {
      return JsonError(415,
                       "send JSON {\"user\", \"password\"} or the form fields User and Password");
    }
    if (name.empty() || password.empty()) return JsonError(400, "give a user name and a password");
    if (auto r = too_many("user:" + name)) return *r;
    auto user = store_->GetUser(name);
    if (!user && user.error().code != "ST002" && user.error().code != "ST001") {
      return JsonError(500, "the store failed: " + user.error().code);
    }
    bool verified = user && CheckPasswordCached(*user, password);
    sodium_memzero(password.data(), password.size());
    if (!verified) {
      Failed(name, req.client);
      return JsonError(401, "wrong user name or password");
    }
    if (user->disabled) return JsonError(403, "the account " + name + " is disabled");
    unsigned char random[kSessionTokenBytes];
    randombytes_buf(random, sizeof random);
    std::string token = Hex(random, sizeof random);
    store::Session session;
    session.token_sha256 = TokenHash(token);
    session.user = user->name;
    session.expires_at_ms = options_.clock->NowMillis() + options_.session_ttl_ms;
    if (Status created = store_->CreateSession(session); !created) {
      return JsonError(500, "the store failed: " + created.error().code);
    }
    Response r = SessionInfo(*user, token, 200);
    r.headers.emplace_back("Set-Cookie", SessionCookie(token, options_.session_ttl_ms / 1000));
    return r;
  }

  // DELETE /api/v1/session: ends the browser session the request came with.
  Response Logout(const Request& req) {
    if (req.session_token.empty()) return JsonError(400, "no browser session to end");
    if (Status ended = store_->DeleteSession(TokenHash(req.session_token)); !ended) {
      return JsonError(500, "the store failed: " + ended.error().code);
    }
    Response r = Response::Json(200, R"({"logged_out":true})");
    r.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
    return r;
  }

  // Who the account is: name, role, the forms it may fill or read, and (for a
  // browser session) the CSRF token its state-changing requests must send.
  Response SessionInfo(const store::User& user, const std::string& token, int status) {
    nlohmann::ordered_json body;
    body["user"] = user.name;
    body["role"] = std::string(store::RoleName(user.role));
    nlohmann::ordered_json forms = nlohmann::ordered_json::array();
    if (auto published = store_->ListPublishedForms(); published) {
      for (const store::PublishedForm& f : *published) {
        bool fill =
            static_cast<bool>(store::Authorize(user, store::Action::kDownloadForm, f.form_id));
        bool read =
            static_cast<bool>(store::Authorize(user, store::Action::kReadSubmission, f.form_id));
        if (!fill && !read) continue;
        forms.push_back({{"form_id", f.form_id},
                         {"title", f.title},
                         {"version", f.version},
                         {"may_submit", fill},
                         {"may_read", read}});
      }
    } else {
      return JsonError(500, "the store failed: " + published.error().code);
    }
    body["forms"] = std::move(forms);
    body["csrf_token"] =
        token.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(CsrfToken(token));
    return Response::Json(status,
                          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }

  // Wall-clock seconds for Digest nonces (their times travel in the nonce).
  int64_t NowSeconds() const { return options_.clock->NowMillis() / 1000; }

  // Argon2id costs tens of milliseconds: a password checked once is remembered (as
  // a keyed BLAKE2b digest, never in clear) until the account's hash changes.
  bool CheckPasswordCached(const store::User& user, const std::string& password) {
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest,
                       reinterpret_cast<const unsigned char*>(password.data()), password.size(),
                       password_cache_key_, sizeof password_cache_key_);
    std::string key(reinterpret_cast<char*>(digest), sizeof digest);
    {
      std::lock_guard lock(password_cache_mu_);
      auto it = password_cache_.find(user.name);
      if (it != password_cache_.end() && it->second.first == user.password_hash &&
          sodium_memcmp(it->second.second.data(), key.data(), key.size()) == 0) {
        return true;
      }
    }
    if (!VerifyPassword(user.password_hash, password)) return false;
    std::lock_guard lock(password_cache_mu_);
    if (password_cache_.size() > 10000) password_cache_.clear();
    password_cache_[user.name] = {user.password_hash, key};
    return true;
  }

  MHD_Result Queue(MHD_Connection* connection, RequestState* st, Response response) {
    MHD_Response* r = mhd_->MHD_create_response_from_buffer(
        response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
    if (r == nullptr) return MHD_NO;
    AddHeaders(r, response);
    MHD_Result queued =
        mhd_->MHD_queue_response(connection, static_cast<unsigned>(response.status), r);
    mhd_->MHD_destroy_response(r);
    st->status = response.status;
    st->bytes = st->request.method == "HEAD" ? 0 : response.body.size();
    return queued;
  }

  // 401 with the Digest challenge (and, over TLS, a Basic one).
  MHD_Result Challenge(MHD_Connection* connection, RequestState* st, Response response) {
    bool stale = false;
    std::erase_if(response.headers, [&](const auto& h) {
      if (h.first != "X-Ngosurvey-Stale") return false;
      stale = true;
      return true;
    });
    MHD_Response* r = mhd_->MHD_create_response_from_buffer(
        response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
    if (r == nullptr) return MHD_NO;
    AddHeaders(r, response);
    mhd_->MHD_add_response_header(r, "WWW-Authenticate",
                                  digest_->Challenge(NowSeconds(), stale).c_str());
    if (tls_) {
      mhd_->MHD_add_response_header(
          r, "WWW-Authenticate",
          ("Basic realm=\"" + options_.realm + "\", charset=\"UTF-8\"").c_str());
    }
    MHD_Result queued = mhd_->MHD_queue_response(connection, 401, r);
    mhd_->MHD_destroy_response(r);
    st->status = 401;
    st->bytes = response.body.size();
    return queued;
  }

  void AddHeaders(MHD_Response* r, const Response& response) const {
    mhd_->MHD_add_response_header(r, "X-OpenRosa-Version", "1.0");
    if (response.status != 204 && response.status != 304 && !response.content_type.empty()) {
      mhd_->MHD_add_response_header(r, "Content-Type", response.content_type.c_str());
    }
    for (const auto& [name, value] : response.headers) {
      mhd_->MHD_add_response_header(r, name.c_str(), value.c_str());
    }
  }

  static void Completed(void* cls, MHD_Connection*, void** con_cls,
                        MHD_RequestTerminationCode code) {
    auto* self = static_cast<MhdServer*>(cls);
    auto* st = static_cast<RequestState*>(*con_cls);
    if (st == nullptr) return;
    *con_cls = nullptr;
    bool killed = false;
    if (st->conn != nullptr) {
      std::lock_guard lock(self->conns_mu_);
      killed = st->conn->killed;
      st->conn->in_request = false;
      st->conn->receiving_body = false;
      st->conn->phase_start_ms = SteadyMs();
    }
    int status = st->status;
    if (status == 0 || code != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
      // Not answered, or the answer not delivered: 408 when the server closed it
      // for slowness, 499 (as nginx logs it) when the client went away.
      if (status == 0 || killed || code == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED) {
        status = killed || code == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
      }
    }
    self->LogLine(st->request.method, st->request.path, status, st->bytes,
                  SteadyMs() - st->start_ms, st->user ? &st->user->name : nullptr);
    delete st;
    {
      std::lock_guard lock(self->flight_mu_);
      --self->in_flight_;
    }
    self->flight_cv_.notify_all();
  }

  static void Notify(void* cls, MHD_Connection* connection, void** socket_context,
                     MHD_ConnectionNotificationCode code) {
    auto* self = static_cast<MhdServer*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* cs = new ConnState;
      const MHD_ConnectionInfo* info =
          self->mhd_->MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      cs->fd = info != nullptr ? info->connect_fd : -1;
      cs->phase_start_ms = SteadyMs();
      std::lock_guard lock(self->conns_mu_);
      self->conns_.insert(cs);
      *socket_context = cs;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
      // Called before libmicrohttpd closes the socket: once the entry is gone the
      // watchdog can no longer touch the descriptor.
      auto* cs = static_cast<ConnState*>(*socket_context);
      if (cs == nullptr) return;
      std::lock_guard lock(self->conns_mu_);
      self->conns_.erase(cs);
      delete cs;
      *socket_context = nullptr;
    }
  }

  static void Logger(void* cls, const char* format, va_list args) {
    auto* self = static_cast<MhdServer*>(cls);
    char buf[512];
    std::vsnprintf(buf, sizeof buf, format, args);
    std::string message(buf);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    std::lock_guard lock(self->log_mu_);
    self->last_mhd_error_ = message;
  }

  // Closes connections that are too slow (see ServerOptions): shutting the socket
  // down makes its thread's next read fail, so libmicrohttpd ends the connection.
  void Watchdog() {
    std::unique_lock wait_lock(watchdog_mu_);
    while (!stopping_) {
      watchdog_cv_.wait_for(wait_lock, std::chrono::milliseconds(200));
      if (stopping_) break;
      int64_t now = SteadyMs();
      int slow_headers = 0;
      {
        std::lock_guard lock(conns_mu_);
        for (ConnState* cs : conns_) {
          if (cs->killed || cs->fd < 0) continue;
          int64_t elapsed = now - cs->phase_start_ms;
          bool kill = false;
          if (!cs->in_request) {
            kill = elapsed > options_.header_timeout_ms;
            if (kill && cs->requests == 0) ++slow_headers;
          } else if (cs->receiving_body && elapsed > options_.body_grace_ms) {
            uint64_t owed = options_.body_min_rate *
                            static_cast<uint64_t>(elapsed - options_.body_grace_ms) / 1000;
            kill = cs->body_bytes < owed;
          }
          if (kill) {
            ::shutdown(cs->fd, SHUT_RDWR);
            cs->killed = true;
          }
        }
      }
      // A connection that never completed its headers has no request to log.
      for (int i = 0; i < slow_headers; ++i)
        LogLine("-", "-", 408, 0, options_.header_timeout_ms, nullptr);
    }
  }

  void LogLine(const std::string& method, const std::string& path, int status, uint64_t bytes,
               int64_t duration_ms, const std::string* user) {
    if (!options_.log) return;
    nlohmann::ordered_json line;
    line["time"] = date::FormatIsoDateTimeUtc(options_.clock->NowMillis());
    line["method"] = method;
    line["path"] = path;
    line["status"] = status;
    line["bytes"] = bytes;
    line["duration_ms"] = duration_ms;
    line["user"] =
        user == nullptr ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(*user);
    std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::lock_guard lock(log_mu_);
    options_.log(text);
  }

  store::Store* store_;
  ServerOptions options_;
  std::unique_ptr<Router> router_;  // made once the port, hence the base URL, is known
  std::atomic<bool> ready_{false};  // router_ made and complete: requests may be answered
  bool tls_ = false;
  const Microhttpd* mhd_ = nullptr;  // set by Begin() before daemon_
  MHD_Daemon* daemon_ = nullptr;
  uint16_t port_ = 0;
  std::string base_url_;
  std::unique_ptr<DigestAuth> digest_;  // nonces and their counts (digest.h)
  unsigned char password_cache_key_[32] = {};
  FailureLimiter limiter_;

  std::mutex log_mu_;
  std::string last_mhd_error_;

  std::mutex conns_mu_;
  std::set<ConnState*> conns_;

  std::mutex flight_mu_;
  std::condition_variable flight_cv_;
  int in_flight_ = 0;

  std::mutex watchdog_mu_;
  std::condition_variable watchdog_cv_;
  bool stopping_ = false;
  std::thread watchdog_;
  std::mutex shutdown_mu_;

  std::mutex password_cache_mu_;
  std::map<std::string, std::pair<std::string, std::string>> password_cache_;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(store::Store* store, ServerOptions options) {
  auto server = std::make_unique<MhdServer>(store, std::move(options));
  NGO_TRY(server->Begin());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace ngosurvey::server
