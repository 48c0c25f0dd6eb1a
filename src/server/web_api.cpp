// The endpoints of the browser app (issue 16, docs/server.md "The browser app's
// endpoints"): the form model JSON the WebAssembly engine reads. Registered by
// Router::AddBuiltInRoutes.
#include <nlohmann/json.hpp>

#include "form/form_json.h"
#include "server/routes.h"

namespace ngosurvey::server {

void Router::AddWebAppRoutes() {
  // GET /api/v1/forms/{form_id}/model[?version=V]: the form model (form/form_json.h,
  // docs/formats/form-json.md) of a published version (default: the latest), for
  // an account that may fill the form. The model is made from the stored workbook
  // by the same reader the server checks submissions with.
  Add({"GET", "/api/v1/forms/{form_id}/model", Access::kAccount,
       [this](const Request& r, const RouteParams& p, const store::User* user) {
         const std::string& form_id = p.at("form_id");
         if (Status allowed = store::Authorize(*user, store::Action::kDownloadForm, form_id);
             !allowed) {
           return Response::Json(403, nlohmann::json{{"error", allowed.error().message}}.dump());
         }
         auto published = store_.GetPublishedForm(form_id, r.Query("version"));
         if (!published) {
           int status = published.error().code == "ST002" ? 404 : 500;
           return Response::Json(status,
                                 nlohmann::json{{"error", published.error().message}}.dump());
         }
         auto loaded = LoadForm(form_id, published->version);
         if (!loaded) return Response::Json(500, R"({"error":"the form cannot be read"})");
         return Response::Json(200, form::FormToJson((*loaded)->form));
       }});
}

}  // namespace ngosurvey::server
