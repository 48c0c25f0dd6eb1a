// Never trust the client (issue 16): what a device sends is checked again on the
// server by the same interview engine the device ran, against the form version the
// instance names (a draft begun before a newer version was published keeps its
// version, as ODK does). The answers are replayed (Interview::Resume) and each
// answered question is set again through the engine's own checks (Interview::SetAt:
// the value fits the type, is a choice of the list, passes the form's constraint);
// then every question that applies and is required must have an answer. A failure
// is a 400 naming the question and carrying the form's message (its
// constraint_message or required_message, in the form's default language).
#include "server/routes.h"

namespace ngosurvey::server {
namespace {

Response Refuse(const std::string& message) { return Response::Xml(400, OpenRosaMessage(message)); }

// Whether an XLSForm `required` cell always requires (expressions are the engine's
// business on the device; a constant is checked here).
bool AlwaysRequired(const std::string& required) {
  return required == "yes" || required == "true" || required == "true()" || required == "TRUE" ||
         required == "Yes";
}

}  // namespace

std::optional<Response> Router::CheckReceivedAnswers(const LoadedForm& loaded,
                                                     const store::Answers& answers) {
  if (!loaded.compiled) return std::nullopt;  // a form the engine cannot run (none published)
  interview::Options options;
  options.clock = clock_;
  options.seed = 1;
  auto replay = interview::Interview::Resume(loaded.compiled, answers, options);
  if (!replay) return Refuse("the submission does not fit its form: " + replay.error().message);
  interview::Interview& iv = **replay;
  for (const auto& [path, answer] : answers) {
    if (answer.state != form::AnswerState::kAnswered || answer.value.empty()) continue;
    Status set = iv.SetAt(path, answer.value);
    if (set) continue;
    // Calculations, metadata and answers the form no longer asks are not input.
    // Files (photos, recordings) are not values the engine captures (IV007).
    if (set.error().code == "IV012" || set.error().code == "IV007") continue;
    return Refuse("the answer to \"" + path + "\" is refused: " + set.error().message);
  }
  for (const interview::ReviewItem& item : iv.Review()) {
    if (!item.relevant || !item.displayed || item.state != form::AnswerState::kMissing) continue;
    const form::Question* q = loaded.form.FindQuestion(item.name);
    if (q == nullptr) {
      for (int index : loaded.form.QuestionsNamed(item.name)) {
        q = &loaded.form.questions[index];
        break;
      }
    }
    if (q == nullptr || !AlwaysRequired(q->required)) continue;
    std::string message = loaded.form.Text(q->required_message);
    if (message.empty()) message = "an answer is required";
    return Refuse("the answer to \"" + item.path + "\" is missing: " + message);
  }
  return std::nullopt;
}

}  // namespace ngosurvey::server
