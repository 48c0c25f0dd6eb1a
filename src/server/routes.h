// server: the endpoints (docs/server.md), as a table of routes: a method, a path
// pattern, whether an account is needed, and a handler that is a function of the
// request, its path parameters and the authenticated account. The built-in routes
// (Router's constructor, routes.cpp) are OpenRosa 1.0 as ODK Collect and Enketo
// speak it:
//   GET  /formList[?formID=ID]          the forms the account may fill (xforms list)
//   GET  /forms/{form_id}/form.xml      the latest published XForm of the form
//   GET  /forms/{form_id}/manifest      its media files (xformsManifest)
//   GET  /forms/{form_id}/media/{name}  one media file
//   HEAD /submission                    204 + X-OpenRosa-Accept-Content-Length
//   POST /submission                    a submission (multipart; submission.cpp)
// the JSON API for web pages and scripts:
//   GET  /api/v1/forms                  the forms the account may use
//   GET  /api/v1/forms/{form_id}/submissions[?limit=N&after=CURSOR]
//        {"submissions": [...], "next": URL or null}, the role rules applied
//        (an interviewer's own, an analyst's without sensitive answers)
//   GET  /api/v1/forms/{form_id}/submissions/{instance_id}/attachments/{name}
// the supervisor's (supervisor_api.cpp): GET /api/v1/submissions (the table),
// GET /api/v1/forms/{form_id}/submissions/{instance_id} (by labels),
// GET|PUT|POST .../{instance_id}/review (the review status), GET /api/v1/progress
// and GET /api/v1/forms/{form_id}/export;
// the browser app's files (static_files.h, public):
//   GET  /  and  GET /web/{path*}
// and GET /healthz (public: readiness, the store answers). The browser session
// endpoints (POST, GET, DELETE /api/v1/session) are added by server.cpp, which
// holds the login limits. Every decision about who may do what is
// store::Authorize's. To add an endpoint, call Add() (before the server starts).
#pragma once

#include <functional>
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "form/odk_instance.h"
#include "interview/interview.h"
#include "server/group_commit.h"
#include "server/http.h"
#include "server/static_files.h"
#include "store/store.h"

namespace ngosurvey::server {

// The values of a route's {name} segments, by name.
using RouteParams = std::map<std::string, std::string>;

// Who may call a route: anyone, or an authenticated account (HTTP Digest, Basic over
// TLS, or a browser session with its CSRF token on state-changing methods).
enum class Access { kPublic, kAccount };

struct Route {
  std::string method;  // "GET" (which also answers HEAD), "POST", "DELETE", "HEAD"...
  // Segments separated by '/': literal text, "{name}" (exactly one non-empty
  // segment, decoded), or as the last segment "{name*}" (one or more segments, the
  // rest of the path joined by '/'). "/" is the root alone.
  std::string pattern;
  Access access = Access::kAccount;
  // Called from the server's threads, concurrently; `user` is null for a kPublic
  // route (or the account, when the request carried valid credentials anyway).
  std::function<Response(const Request&, const RouteParams&, const store::User*)> handler;
};

// A submission's review as the JSON API shows it: {"status", "validation_status"
// (KoboToolbox's uid), "comment", "by", "at"}, or null without one.
nlohmann::ordered_json ReviewJson(const std::optional<store::Review>& review);

// Whether `path` (decoded, starting with '/') matches a route's `pattern`; fills
// `params` with the values of its {name} segments.
bool MatchRoutePattern(std::string_view pattern, std::string_view path, RouteParams* params);

struct RouterOptions {
  // Where clients reach the server: "https://survey.example.org" (no trailing /);
  // every URL in formList and manifests starts with it.
  std::string base_url = "http://127.0.0.1:8080";
  // The largest request body accepted (413 beyond), announced to clients as
  // X-OpenRosa-Accept-Content-Length: Collect splits larger submissions into
  // several POSTs.
  uint64_t max_request_bytes = 10 * 1024 * 1024;
  // The browser app's folder (served at / and /web/...); empty: no app, 404.
  std::string web_root;
};

class Router {
 public:
  // `store` must outlive the router; it is used from several threads (Store is
  // thread-safe).
  // Registers the built-in routes. SV023 (from Open) when options.web_root is not a
  // folder is reported by Start(); here an unusable web root serves nothing.
  Router(store::Store& store, RouterOptions options, const Clock* clock = &SystemClock::Instance());

  // Adds a route; the first route whose pattern and method match a request answers
  // it. Not thread-safe: add every route before the server starts.
  void Add(Route route);

  // Whether the request needs an account: its route's access; none for a known path
  // asked with another method (405); kAccount for a path no route knows (so that
  // 404s are not given to strangers).
  bool NeedsAccount(const Request& request) const;

  // The response to `request` from `user` (null when not authenticated): 404 when
  // no pattern matches the path, 405 with Allow when one matches but not the method,
  // 401 when the route needs an account and `user` is null.
  Response Handle(const Request& request, const store::User* user) const;

  const RouterOptions& options() const { return options_; }

 private:
  // The route answering `method` on `path`, with its parameters; nullptr when none
  // (then *allow lists the methods of the routes whose pattern matches, if any).
  const Route* Find(const std::string& method, const std::string& path, RouteParams* params,
                    std::string* allow) const;
  void AddBuiltInRoutes();
  // The browser app's endpoints (web_api.cpp, issue 16).
  void AddWebAppRoutes();
  // The supervisor's endpoints (supervisor_api.cpp, issue 16).
  void AddSupervisorRoutes();
  Response ApiSubmissionTable(const Request& request, const store::User& user);
  Response ApiSubmissionView(const Request& request, const std::string& form_id,
                             const std::string& instance_id, const store::User& user);
  Response ApiReview(const Request& request, const std::string& form_id,
                     const std::string& instance_id, const store::User& user);
  Response ApiExport(const Request& request, const std::string& form_id, const store::User& user);
  Response FormListRoute(const Request& r, const RouteParams& p, const store::User& u);
  Response FormXmlRoute(const Request& r, const RouteParams& p, const store::User& u);
  Response ManifestRoute(const Request& r, const RouteParams& p, const store::User& u);
  Response MediaRoute(const Request& r, const RouteParams& p, const store::User& u);
  Response StaticFile(const Request& request, const std::string& relative) const;

  Response Health();
  Response FormList(const Request& request, const store::User& user);
  Response FormFile(const std::string& form_id, const std::string& what, const std::string& media,
                    const store::User& user);
  Response SubmissionHead();
  Response Submit(const Request& request, const store::User& user);
  Response Edit(form::OdkInstance& instance, std::string_view xml,
                std::vector<store::Attachment> files, const store::User& user);
  Response ApiAttachment(const std::string& form_id, const std::string& instance_id,
                         const std::string& name, const store::User& user);
  Response ApiForms(const store::User& user);
  Response ApiSubmissions(const Request& request, const std::string& form_id,
                          const store::User& user);
  // The names of the questions marked sensitive in a form version (its workbook
  // loaded once and remembered), or an error when it cannot be read.
  Result<std::shared_ptr<const std::set<std::string>>> SensitiveQuestions(
      const std::string& form_id, const std::string& version);

  // A form version loaded from its stored workbook, with its instance reader and
  // the interview engine's compiled form (null when the engine cannot compile it).
  struct LoadedForm {
    form::Form form;
    std::unique_ptr<form::OdkInstanceReader> reader;
    std::shared_ptr<const interview::CompiledForm> compiled;
  };
  Result<std::shared_ptr<const LoadedForm>> LoadForm(const std::string& form_id,
                                                     const std::string& version);
  // Never trust the client (submission_check.cpp): the answers of a received
  // instance checked by the interview engine against its form version (types,
  // choices, constraints, required, lengths); a 400 naming the question and the
  // form's message when one fails.
  std::optional<Response> CheckReceivedAnswers(const LoadedForm& loaded,
                                               const store::Answers& answers);

  store::Store& store_;
  RouterOptions options_;
  const Clock* clock_;
  // New submissions of POST /submission, committed in groups (group_commit.h).
  std::unique_ptr<GroupCommit> committer_;
  std::vector<Route> routes_;
  std::unique_ptr<WebRoot> web_root_;  // null without a usable web root
  std::mutex forms_mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const LoadedForm>> forms_;
  std::mutex sensitive_mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const std::set<std::string>>>
      sensitive_;
};

}  // namespace ngosurvey::server
