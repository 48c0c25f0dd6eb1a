#include "server/routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/date.h"
#include "base/escape.h"
#include "exchange/pseudonymise.h"
#include "form/form.h"

namespace ngosurvey::server {
namespace {

std::string Xml(std::string_view text) { return text::EscapeHtml(text); }

// A store error as a response: not found, not allowed, or the server's fault.
Response FromError(const Error& error) {
  if (error.code == "ST002") return Response::Text(404, error.message);
  if (error.code == "ST010") return Response::Text(403, error.message);
  if (error.code == "ST001") return Response::Text(400, error.message);
  if (error.code == "ST003" || error.code == "ST009") return Response::Text(409, error.message);
  return Response::Text(500, "the store failed: " + error.code);
}

// Percent-encodes a path segment (RFC 3986 unreserved characters kept).
std::string EncodeSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

// Pagination cursors: "STARTED_MS~INSTANCE_ID" of a page's last submission.
std::string EncodeCursor(int64_t started_at_ms, const std::string& instance_id) {
  return std::to_string(started_at_ms) + "~" + instance_id;
}

std::optional<store::SubmissionFilter::Position> DecodeCursor(const std::string& cursor) {
  size_t tilde = cursor.find('~');
  if (tilde == std::string::npos || tilde == 0 || tilde > 19) return std::nullopt;
  std::string ms = cursor.substr(0, tilde);
  bool digits = std::all_of(ms.begin() + (ms[0] == '-' ? 1 : 0), ms.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || ms == "-") return std::nullopt;
  store::SubmissionFilter::Position p;
  p.started_at_ms = std::stoll(ms);
  p.instance_id = cursor.substr(tilde + 1);
  if (!store::IsValidInstanceId(p.instance_id)) return std::nullopt;
  return p;
}

// Percent-encodes a query value.
std::string EncodeQuery(std::string_view s) { return EncodeSegment(s); }

// The last step of an answer path names its question: "programs[2]/name" -> "name".
std::string_view QuestionOfPath(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.substr(0, last.find('['));
}

}  // namespace

std::string OpenRosaMessage(std::string_view message) {
  return "<OpenRosaResponse xmlns=\"http://openrosa.org/http/response\">\n  <message "
         "nature=\"\">" +
         Xml(message) + "</message>\n</OpenRosaResponse>\n";
}

std::vector<std::string> PathSegments(std::string_view path) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

bool MatchRoutePattern(std::string_view pattern, std::string_view path, RouteParams* params) {
  if (pattern == "/" || path == "/") return pattern == path;
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  std::vector<std::string> want = PathSegments(pattern.substr(1));
  std::vector<std::string> got = PathSegments(path.substr(1));
  params->clear();
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    bool param = w.size() > 2 && w.front() == '{' && w.back() == '}';
    if (param && w[w.size() - 2] == '*' && i + 1 == want.size()) {
      if (i >= got.size()) return false;
      std::string rest = got[i];
      for (size_t j = i + 1; j < got.size(); ++j) rest += "/" + got[j];
      (*params)[w.substr(1, w.size() - 3)] = rest;
      return true;
    }
    if (i >= got.size()) return false;
    if (param) {
      if (got[i].empty()) return false;
      (*params)[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  return want.size() == got.size();
}

Router::Router(store::Store& store, RouterOptions options, const Clock* clock)
    : store_(store),
      options_(std::move(options)),
      clock_(clock),
      committer_(std::make_unique<GroupCommit>(store)) {
  if (!options_.web_root.empty()) {
    auto root = WebRoot::Open(options_.web_root);
    if (root) web_root_ = std::move(*root);
  }
  AddBuiltInRoutes();
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

void Router::AddBuiltInRoutes() {
  // Handlers take the account as a pointer; kAccount routes get a non-null one.
  auto account =
      [this](Response (Router::*method)(const Request&, const RouteParams&, const store::User&)) {
        return [this, method](const Request& r, const RouteParams& p, const store::User* u) {
          return (this->*method)(r, p, *u);
        };
      };
  Add({"GET", "/healthz", Access::kPublic,
       [this](const Request&, const RouteParams&, const store::User*) { return Health(); }});
  Add({"GET", "/", Access::kPublic,
       [this](const Request& r, const RouteParams&, const store::User*) {
         return StaticFile(r, "index.html");
       }});
  Add({"GET", "/web", Access::kPublic,  // also /web/
       [this](const Request& r, const RouteParams&, const store::User*) {
         return StaticFile(r, "index.html");
       }});
  Add({"GET", "/web/{path*}", Access::kPublic,
       [this](const Request& r, const RouteParams& p, const store::User*) {
         return StaticFile(r, p.at("path"));
       }});
  Add({"GET", "/formList", Access::kAccount, account(&Router::FormListRoute)});
  Add({"GET", "/forms/{form_id}/form.xml", Access::kAccount, account(&Router::FormXmlRoute)});
  Add({"GET", "/forms/{form_id}/manifest", Access::kAccount, account(&Router::ManifestRoute)});
  Add({"GET", "/forms/{form_id}/media/{name}", Access::kAccount, account(&Router::MediaRoute)});
  Add({"HEAD", "/submission", Access::kAccount,
       [this](const Request&, const RouteParams&, const store::User*) {
         return SubmissionHead();
       }});
  Add({"POST", "/submission", Access::kAccount,
       [this](const Request& r, const RouteParams&, const store::User* u) {
         return Submit(r, *u);
       }});
  Add({"GET", "/api/v1/forms", Access::kAccount,
       [this](const Request&, const RouteParams&, const store::User* u) { return ApiForms(*u); }});
  Add({"GET", "/api/v1/forms/{form_id}/submissions", Access::kAccount,
       [this](const Request& r, const RouteParams& p, const store::User* u) {
         return ApiSubmissions(r, p.at("form_id"), *u);
       }});
  Add({"GET", "/api/v1/forms/{form_id}/submissions/{instance_id}/attachments/{name}",
       Access::kAccount, [this](const Request&, const RouteParams& p, const store::User* u) {
         return ApiAttachment(p.at("form_id"), p.at("instance_id"), p.at("name"), *u);
       }});
  AddWebAppRoutes();
  AddSupervisorRoutes();
}

Response Router::FormListRoute(const Request& r, const RouteParams&, const store::User& u) {
  return FormList(r, u);
}
Response Router::FormXmlRoute(const Request&, const RouteParams& p, const store::User& u) {
  return FormFile(p.at("form_id"), "form.xml", "", u);
}
Response Router::ManifestRoute(const Request&, const RouteParams& p, const store::User& u) {
  return FormFile(p.at("form_id"), "manifest", "", u);
}
Response Router::MediaRoute(const Request&, const RouteParams& p, const store::User& u) {
  return FormFile(p.at("form_id"), "media", p.at("name"), u);
}

Response Router::StaticFile(const Request& request, const std::string& relative) const {
  if (web_root_ == nullptr) return Response::Text(404, "this server has no web app");
  return web_root_->Serve(request, relative);
}

const Route* Router::Find(const std::string& method, const std::string& path, RouteParams* params,
                          std::string* allow) const {
  allow->clear();
  for (const Route& route : routes_) {
    if (!MatchRoutePattern(route.pattern, path, params)) continue;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) return &route;
    std::string methods = route.method == "GET" ? "GET, HEAD" : route.method;
    if (allow->find(methods) == std::string::npos) *allow += (allow->empty() ? "" : ", ") + methods;
  }
  return nullptr;
}

bool Router::NeedsAccount(const Request& request) const {
  RouteParams params;
  std::string allow;
  const Route* route = Find(request.method, request.path, &params, &allow);
  // A known path asked with another method is answered 405 without an account.
  if (route == nullptr) return allow.empty();
  return route->access == Access::kAccount;
}

Response Router::Handle(const Request& request, const store::User* user) const {
  RouteParams params;
  std::string allow;
  const Route* route = Find(request.method, request.path, &params, &allow);
  if (route == nullptr) {
    if (allow.empty()) {
      if (request.path.rfind("/api/", 0) == 0) {
        return Response::Json(404, R"({"error":"no such endpoint"})");
      }
      return Response::Text(404, "no such page: " + request.path.substr(0, 200));
    }
    Response r = Response::Text(405, "this path answers " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  if (route->access == Access::kAccount && user == nullptr) {
    return Response::Text(401, "log in first");
  }
  return route->handler(request, params, user);
}

Response Router::Health() {
  auto forms = store_.ListPublishedForms();
  if (!forms) return Response::Json(503, R"({"status":"unavailable"})");
  return Response::Json(200, R"({"status":"ok","forms":)" + std::to_string(forms->size()) + "}");
}

Response Router::FormList(const Request& request, const store::User& user) {
  auto forms = store_.ListPublishedForms();
  if (!forms) return FromError(forms.error());
  std::string wanted = request.Query("formID");
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<xforms xmlns=\"http://openrosa.org/xforms/xformsList\">\n";
  for (const store::PublishedForm& f : *forms) {
    if (!wanted.empty() && f.form_id != wanted) continue;
    if (!store::Authorize(user, store::Action::kDownloadForm, f.form_id)) continue;
    std::string base = options_.base_url + "/forms/" + EncodeSegment(f.form_id);
    xml += "  <xform>\n    <formID>" + Xml(f.form_id) + "</formID>\n    <name>" +
           Xml(f.title.empty() ? f.form_id : f.title) + "</name>\n    <version>" + Xml(f.version) +
           "</version>\n    <hash>md5:" + f.xform_md5 + "</hash>\n    <downloadUrl>" +
           Xml(base + "/form.xml") + "</downloadUrl>\n";
    if (!f.media.empty()) xml += "    <manifestUrl>" + Xml(base + "/manifest") + "</manifestUrl>\n";
    xml += "  </xform>\n";
  }
  xml += "</xforms>\n";
  return Response::Xml(200, std::move(xml));
}

Response Router::FormFile(const std::string& form_id, const std::string& what,
                          const std::string& media, const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kDownloadForm, form_id); !allowed) {
    return FromError(allowed.error());
  }
  auto form = store_.GetPublishedForm(form_id);
  if (!form) return FromError(form.error());
  if (what == "form.xml") return Response::Xml(200, std::move(form->xform));
  if (what == "manifest") {
    std::string base = options_.base_url + "/forms/" + EncodeSegment(form_id) + "/media/";
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<manifest xmlns=\"http://openrosa.org/xforms/xformsManifest\">\n";
    for (const store::MediaFile& m : form->media) {
      xml += "  <mediaFile>\n    <filename>" + Xml(m.name) + "</filename>\n    <hash>md5:" + m.md5 +
             "</hash>\n    <downloadUrl>" + Xml(base + EncodeSegment(m.name)) +
             "</downloadUrl>\n  </mediaFile>\n";
    }
    xml += "</manifest>\n";
    return Response::Xml(200, std::move(xml));
  }
  for (store::MediaFile& m : form->media) {
    if (m.name != media) continue;
    Response r;
    r.content_type = "application/octet-stream";
    r.body = std::move(m.bytes);
    return r;
  }
  return Response::Text(404,
                        "form " + form_id + " has no media file \"" + media.substr(0, 100) + "\"");
}

Response Router::ApiForms(const store::User& user) {
  auto forms = store_.ListPublishedForms();
  if (!forms) return FromError(forms.error());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::PublishedForm& f : *forms) {
    bool fill = static_cast<bool>(store::Authorize(user, store::Action::kDownloadForm, f.form_id));
    bool read =
        static_cast<bool>(store::Authorize(user, store::Action::kReadSubmission, f.form_id));
    if (!fill && !read) continue;
    std::string base = options_.base_url + "/forms/" + EncodeSegment(f.form_id);
    list.push_back({{"form_id", f.form_id},
                    {"title", f.title},
                    {"version", f.version},
                    {"hash", "md5:" + f.xform_md5},
                    {"download_url", base + "/form.xml"},
                    {"submissions_url", options_.base_url + "/api/v1/forms/" +
                                            EncodeSegment(f.form_id) + "/submissions"},
                    {"may_submit", fill},
                    {"may_read", read}});
  }
  nlohmann::ordered_json out;
  out["forms"] = std::move(list);
  return Response::Json(200, out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<std::shared_ptr<const std::set<std::string>>> Router::SensitiveQuestions(
    const std::string& form_id, const std::string& version) {
  auto key = std::make_pair(form_id, version);
  {
    std::lock_guard lock(sensitive_mu_);
    if (auto it = sensitive_.find(key); it != sensitive_.end()) return it->second;
  }
  store::FormVersion workbook = NGO_TRY(store_.GetForm(form_id, version));
  Diagnostics diags;
  form::Form form = NGO_TRY(form::LoadForm(workbook.xlsx, form_id + ".xlsx", &diags));
  auto names = std::make_shared<std::set<std::string>>();
  for (const form::Question& q : form.questions) {
    if (exchange::IsSensitive(q)) names->insert(q.name);
  }
  std::lock_guard lock(sensitive_mu_);
  sensitive_[key] = names;
  return std::shared_ptr<const std::set<std::string>>(names);
}

Response Router::ApiSubmissions(const Request& request, const std::string& form_id,
                                const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kReadSubmission, form_id); !allowed) {
    return FromError(allowed.error());
  }
  bool sensitive_allowed =
      static_cast<bool>(store::Authorize(user, store::Action::kReadSensitive, form_id));
  int64_t limit = 100;
  std::string limit_text = request.Query("limit");
  if (!limit_text.empty()) {
    bool digits =
        limit_text.size() <= 4 && std::all_of(limit_text.begin(), limit_text.end(),
                                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoll(limit_text) < 1 || std::stoll(limit_text) > 1000) {
      return Response::Json(400, R"({"error":"limit must be 1 to 1000"})");
    }
    limit = std::stoll(limit_text);
  }
  store::SubmissionFilter filter;
  filter.form_id = form_id;
  filter.status = store::SubmissionStatus::kComplete;
  filter.submitted_by = store::ReadableSubmitter(user);
  filter.limit = limit + 1;  // one more tells whether there is a next page
  std::string after = request.Query("after");
  if (!after.empty()) {
    auto position = DecodeCursor(after);
    if (!position) return Response::Json(400, R"({"error":"malformed after cursor"})");
    filter.after = *position;
  }
  // The read is recorded before anything is read out.
  store::AccessEntry entry;
  entry.who = user.name;
  entry.action = "list_submissions";
  entry.form_id = form_id;
  entry.detail = "limit=" + std::to_string(limit) + (after.empty() ? "" : " after=" + after);
  if (auto recorded = store_.RecordAccess(entry); !recorded) return FromError(recorded.error());
  auto submissions = store_.ListSubmissions(filter);
  if (!submissions) return FromError(submissions.error());
  bool more = static_cast<int64_t>(submissions->size()) > limit;
  if (more) submissions->resize(static_cast<size_t>(limit));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::Submission& s : *submissions) {
    std::shared_ptr<const std::set<std::string>> hidden;
    if (!sensitive_allowed) {
      auto names = SensitiveQuestions(s.form_id, s.form_version);
      if (!names) return FromError(names.error());
      hidden = *names;
    }
    nlohmann::ordered_json answers = nlohmann::ordered_json::object();
    for (const auto& [path, answer] : s.answers) {
      if (hidden && hidden->count(std::string(QuestionOfPath(path)))) continue;
      answers[path] = {{"value", answer.HasReportableValue() ? nlohmann::ordered_json(answer.value)
                                                             : nlohmann::ordered_json(nullptr)},
                       {"state", std::string(form::AnswerStateName(answer.state))}};
    }
    auto review = store_.GetReview(s.instance_id);
    if (!review) return FromError(review.error());
    list.push_back({{"instance_id", s.instance_id},
                    {"form_id", s.form_id},
                    {"version", s.form_version},
                    {"submitted_by", s.submitted_by},
                    {"submitted_at", date::FormatIsoDateTimeUtc(s.updated_at_ms)},
                    {"status", std::string(store::StatusName(s.status))},
                    {"review", ReviewJson(*review)},
                    {"answers", std::move(answers)}});
  }
  nlohmann::ordered_json out;
  out["submissions"] = std::move(list);
  if (more) {
    const store::Submission& last = submissions->back();
    out["next"] = options_.base_url + "/api/v1/forms/" + EncodeSegment(form_id) +
                  "/submissions?limit=" + std::to_string(limit) +
                  "&after=" + EncodeQuery(EncodeCursor(last.started_at_ms, last.instance_id));
  } else {
    out["next"] = nullptr;
  }
  return Response::Json(200, out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response Router::ApiAttachment(const std::string& form_id, const std::string& instance_id,
                               const std::string& name, const store::User& user) {
  if (Status allowed = store::Authorize(user, store::Action::kReadSubmission, form_id); !allowed) {
    return FromError(allowed.error());
  }
  auto submission = store_.GetSubmission(instance_id);
  if (!submission || submission->form_id != form_id) {
    return Response::Json(404, R"({"error":"no such submission"})");
  }
  if (Status allowed =
          store::Authorize(user, store::Action::kReadSubmission, form_id, submission->submitted_by);
      !allowed) {
    // Not found rather than forbidden: another interviewer's submissions stay unseen.
    return Response::Json(404, R"({"error":"no such submission"})");
  }
  store::AccessEntry entry;
  entry.who = user.name;
  entry.action = "read_attachment";
  entry.form_id = form_id;
  entry.instance_id = instance_id;
  entry.detail = name.substr(0, 255);
  if (auto recorded = store_.RecordAccess(entry); !recorded) return FromError(recorded.error());
  auto file = store_.GetAttachment(instance_id, name);
  if (!file) return FromError(file.error());
  Response r;
  r.content_type = file->content_type.empty() ? "application/octet-stream" : file->content_type;
  r.body = std::move(file->data);
  return r;
}

Response Router::SubmissionHead() {
  Response r;
  r.status = 204;
  r.headers.emplace_back("X-OpenRosa-Accept-Content-Length",
                         std::to_string(options_.max_request_bytes));
  return r;
}

}  // namespace ngosurvey::server
