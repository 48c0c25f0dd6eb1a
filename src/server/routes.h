// server: the endpoints (docs/server.md), as functions of a request and the
// authenticated account. OpenRosa 1.0 as ODK Collect and Enketo speak it:
//   GET  /formList[?formID=ID]          the forms the account may fill (xforms list)
//   GET  /forms/ID/form.xml             the latest published XForm of form ID
//   GET  /forms/ID/manifest             its media files (xformsManifest)
//   GET  /forms/ID/media/NAME           one media file
//   HEAD /submission                    204 + X-OpenRosa-Accept-Content-Length
//   POST /submission                    a submission (multipart; submission.cpp)
// the JSON API for web pages and scripts:
//   GET  /api/v1/forms                  the forms the account may use
//   GET  /api/v1/forms/ID/submissions[?limit=N&after=CURSOR]
//        {"submissions": [...], "next": URL or null}, the role rules applied
//        (an interviewer's own, an analyst's without sensitive answers)
//   GET  /api/v1/forms/ID/submissions/IID/attachments/NAME   one file's bytes
// and GET /healthz (no account needed: readiness, the store answers).
// Every decision about who may do what is store::Authorize's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/clock.h"
#include "form/odk_instance.h"
#include "server/http.h"
#include "store/store.h"

namespace ngosurvey::server {

struct RouterOptions {
  // Where clients reach the server: "https://survey.example.org" (no trailing /);
  // every URL in formList and manifests starts with it.
  std::string base_url = "http://127.0.0.1:8080";
  // The largest request body accepted (413 beyond), announced to clients as
  // X-OpenRosa-Accept-Content-Length: Collect splits larger submissions into
  // several POSTs.
  uint64_t max_request_bytes = 10 * 1024 * 1024;
};

class Router {
 public:
  // `store` must outlive the router; it is used from several threads (Store is
  // thread-safe).
  Router(store::Store& store, RouterOptions options, const Clock* clock = &SystemClock::Instance())
      : store_(store), options_(std::move(options)), clock_(clock) {}

  // Whether the request needs an account (everything but /healthz).
  static bool NeedsAccount(const Request& request);

  // The response to `request` from `user` (ignored when !NeedsAccount).
  Response Handle(const Request& request, const store::User* user);

  const RouterOptions& options() const { return options_; }

 private:
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

  // A form version loaded from its stored workbook, with its instance reader.
  struct LoadedForm {
    form::Form form;
    std::unique_ptr<form::OdkInstanceReader> reader;
  };
  Result<std::shared_ptr<const LoadedForm>> LoadForm(const std::string& form_id,
                                                     const std::string& version);

  store::Store& store_;
  RouterOptions options_;
  const Clock* clock_;
  std::mutex forms_mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const LoadedForm>> forms_;
  std::mutex sensitive_mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const std::set<std::string>>>
      sensitive_;
};

}  // namespace ngosurvey::server
