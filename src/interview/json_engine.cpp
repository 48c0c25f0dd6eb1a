#include "interview/json_engine.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/words.h"
#include "form/form_json.h"
#include "form/instance_xml.h"

namespace ngosurvey::interview {
namespace {

using Json = nlohmann::ordered_json;

// Strings from a form or typed by a person are UTF-8 already; replace rather than
// throw if something else slipped through.
std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

Json ErrorJson(const Error& e) {
  return {{"code", e.code}, {"message", e.message}, {"where", e.where.ToString()}};
}

std::string Failure(const Error& e) { return Dump({{"ok", false}, {"error", ErrorJson(e)}}); }

Error RequestError(std::string message) { return Error{"JE001", std::move(message), {}}; }

Json AnswerJson(const form::Answer& a) {
  return {{"state", std::string(form::AnswerStateName(a.state))}, {"value", a.value}};
}

std::string_view KindName(ScreenKind kind) {
  switch (kind) {
    case ScreenKind::kQuestions:
      return "questions";
    case ScreenKind::kRepeatPrompt:
      return "repeat_prompt";
    case ScreenKind::kEnd:
      return "end";
  }
  return "end";
}

Json ScreenJson(const Screen& s) {
  Json prompts = Json::array();
  for (const Prompt& p : s.prompts) {
    Json choices = Json::array();
    for (const ChoiceView& c : p.choices) choices.push_back({{"name", c.name}, {"label", c.label}});
    Json prompt = {{"node", p.node},
                   {"path", p.path},
                   {"name", p.name},
                   {"type", p.type_name},
                   {"label", p.label},
                   {"hint", p.hint},
                   {"choices", std::move(choices)},
                   {"required", p.required},
                   {"multiple", p.multiple},
                   {"can_refuse", p.can_refuse},
                   {"can_dont_know", p.can_dont_know},
                   {"supported", p.supported}};
    if (!p.supported) prompt["unsupported"] = p.unsupported;
    prompt["answer"] = p.answer ? AnswerJson(*p.answer) : Json(nullptr);
    prompts.push_back(std::move(prompt));
  }
  Json out = {{"kind", KindName(s.kind)},
              {"prompts", std::move(prompts)},
              {"group_path", s.group_path},
              {"position", s.position},
              {"question_count", s.question_count},
              {"repeat_position", s.repeat_position},
              {"repeat_question_count", s.repeat_question_count}};
  if (s.kind == ScreenKind::kRepeatPrompt) {
    out["repeat_label"] = s.repeat_label;
    out["repeat_node"] = s.repeat_node;
    out["repeat_instance"] = s.repeat_instance;
  }
  return out;
}

// Typed access to request fields; a missing or mistyped field is JE001 naming it.
class Request {
 public:
  explicit Request(const nlohmann::json& j) : j_(j) {}
  Result<std::string> Text(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end() || !it->is_string()) {
      return tl::unexpected(RequestError(std::string("\"") + key + "\" must be a string"));
    }
    return it->get<std::string>();
  }
  std::string TextOr(const char* key, std::string fallback) const {
    auto it = j_.find(key);
    return it != j_.end() && it->is_string() ? it->get<std::string>() : fallback;
  }
  Result<int64_t> Int(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end() || !it->is_number_integer()) {
      return tl::unexpected(RequestError(std::string("\"") + key + "\" must be an integer"));
    }
    return it->get<int64_t>();
  }
  bool Has(const char* key) const { return j_.contains(key); }
  const nlohmann::json& raw() const { return j_; }

 private:
  const nlohmann::json& j_;
};

struct LoadedForm {
  std::unique_ptr<form::Form> form;
  std::shared_ptr<const CompiledForm> compiled;
};

struct Session {
  std::unique_ptr<FixedClock> clock;  // when the request fixed the time
  std::unique_ptr<Interview> iv;
  std::shared_ptr<const CompiledForm> compiled;  // keeps the form for instance_xml
};

}  // namespace

struct JsonEngine::Impl {
  std::map<int64_t, LoadedForm> forms;
  std::map<int64_t, Session> sessions;
  int64_t next_id = 1;

  std::string Add(form::Form f) {
    LoadedForm loaded;
    loaded.form = std::make_unique<form::Form>(std::move(f));
    auto compiled = CompileForm(*loaded.form);
    if (!compiled) return Failure(compiled.error());
    loaded.compiled = *compiled;
    const form::Form& form = *loaded.form;
    int64_t id = next_id++;
    Json languages = Json::array();
    for (const form::Language& l : form.languages) {
      languages.push_back({{"code", l.code}, {"name", l.name}});
    }
    Json out = {{"ok", true},
                {"form", id},
                {"title", form.title},
                {"form_id", form.settings.form_id},
                {"version", form.settings.version},
                {"default_language", form.default_language},
                {"languages", std::move(languages)}};
    forms.emplace(id, std::move(loaded));
    return Dump(out);
  }

  Result<const LoadedForm*> FindForm(const Request& r) {
    int64_t id = NGO_TRY(r.Int("form"));
    auto it = forms.find(id);
    if (it == forms.end()) return tl::unexpected(RequestError("no form " + std::to_string(id)));
    return &it->second;
  }

  Result<Session*> FindSession(const Request& r) {
    int64_t id = NGO_TRY(r.Int("interview"));
    auto it = sessions.find(id);
    if (it == sessions.end()) {
      return tl::unexpected(RequestError("no interview " + std::to_string(id)));
    }
    return &it->second;
  }

  Result<Options> ReadOptions(const Request& r, Session* session) {
    Options options;
    options.language = r.TextOr("language", "");
    options.device_id = r.TextOr("device_id", "");
    options.username = r.TextOr("username", "");
    if (r.Has("seed")) {
      const auto& seed = r.raw()["seed"];
      if (!seed.is_number_unsigned()) {
        return tl::unexpected(RequestError("\"seed\" must be a non-negative integer"));
      }
      options.seed = seed.get<uint64_t>();
    }
    if (r.Has("now_ms")) {
      int64_t now = NGO_TRY(r.Int("now_ms"));
      int offset = 0;
      if (r.Has("utc_offset_minutes")) {
        offset = static_cast<int>(NGO_TRY(r.Int("utc_offset_minutes")));
      }
      session->clock = std::make_unique<FixedClock>(now, offset);
      options.clock = session->clock.get();
    }
    return options;
  }

  // The state of an interview after a request, with `status` (its error, if any).
  std::string State(int64_t id, Session& s, const Status& status, Json extra = nullptr) {
    Json out = {{"ok", status.has_value()}};
    if (!status) out["error"] = ErrorJson(status.error());
    out["interview"] = id;
    out["language"] = s.iv->language();
    out["complete"] = s.iv->complete();
    out["screen"] = ScreenJson(s.iv->screen());
    Json changes = Json::array();
    for (const Change& c : s.iv->TakeChanges()) {
      if (c.answer) {
        Json change = AnswerJson(*c.answer);
        change["path"] = c.path;
        changes.push_back(std::move(change));
      } else {
        changes.push_back({{"path", c.path}, {"removed", true}});
      }
    }
    out["changes"] = std::move(changes);
    if (extra.is_object()) {
      for (auto& [k, v] : extra.items()) out[k] = std::move(v);
    }
    return Dump(out);
  }

  Result<std::string> Begin(const Request& r, bool resume) {
    const LoadedForm* form = NGO_TRY(FindForm(r));
    Session session;
    session.compiled = form->compiled;
    Options options = NGO_TRY(ReadOptions(r, &session));
    if (resume) {
      std::map<std::string, form::Answer> answers;
      auto it = r.raw().find("answers");
      if (it == r.raw().end() || !it->is_object()) {
        return tl::unexpected(RequestError("\"answers\" must be an object of paths"));
      }
      for (const auto& [path, a] : it->items()) {
        if (!a.is_object() || !a.contains("state") || !a["state"].is_string()) {
          return tl::unexpected(
              RequestError("answers." + path + ": expected {\"state\", \"value\"}"));
        }
        form::AnswerState state = NGO_TRY(form::ParseAnswerState(a["state"].get<std::string>()));
        std::string value;
        if (a.contains("value")) {
          if (!a["value"].is_string()) {
            return tl::unexpected(RequestError("answers." + path + ".value must be a string"));
          }
          value = a["value"].get<std::string>();
        }
        answers[path] = form::Answer{std::move(value), state};
      }
      session.iv = NGO_TRY(Interview::Resume(form->compiled, answers, options));
    } else {
      session.iv = NGO_TRY(Interview::Start(form->compiled, options));
    }
    int64_t id = next_id++;
    Session& stored = sessions.emplace(id, std::move(session)).first->second;
    return State(id, stored, Ok());
  }

  Result<std::string> Dispatch(const nlohmann::json& j) {
    Request r(j);
    std::string op = NGO_TRY(r.Text("op"));
    if (op == "start") return Begin(r, false);
    if (op == "resume") return Begin(r, true);
    if (op == "unload_form") {
      int64_t id = NGO_TRY(r.Int("form"));
      // A form stays while an interview uses it (the interview shares it).
      if (forms.erase(id) == 0)
        return tl::unexpected(RequestError("no form " + std::to_string(id)));
      return Dump({{"ok", true}});
    }
    if (op == "words") {
      std::string language = r.TextOr("language", "");
      // The whole shared catalogue (base/words.h) by key, "{}" kept, and the
      // languages it speaks by their own and English names.
      Json words = Json::object();
      for (const words::Entry& e : words::Catalogue()) {
        words[std::string(e.key)] = std::string(words::Pattern(e.word, language));
      }
      Json languages = Json::array();
      for (const words::LanguageNames& l : words::Languages()) {
        languages.push_back({{"code", std::string(l.code)},
                             {"own", std::string(l.own)},
                             {"english", std::string(l.english)}});
      }
      return Dump({{"ok", true}, {"words", std::move(words)}, {"languages", std::move(languages)}});
    }
    int64_t id = NGO_TRY(r.Int("interview"));
    Session* s = NGO_TRY(FindSession(r));
    Interview& iv = *s->iv;
    if (op == "close") {
      sessions.erase(id);
      return Dump({{"ok", true}});
    }
    if (op == "screen") return State(id, *s, Ok());
    if (op == "set") {
      int prompt = static_cast<int>(NGO_TRY(r.Int("prompt")));
      std::string value = NGO_TRY(r.Text("value"));
      return State(id, *s, iv.Set(prompt, value));
    }
    if (op == "refuse" || op == "dont_know") {
      int prompt = static_cast<int>(NGO_TRY(r.Int("prompt")));
      return State(id, *s, op == "refuse" ? iv.Refuse(prompt) : iv.DontKnow(prompt));
    }
    if (op == "set_at") {
      std::string path = NGO_TRY(r.Text("path"));
      std::string value = NGO_TRY(r.Text("value"));
      return State(id, *s, iv.SetAt(path, value));
    }
    if (op == "next") return State(id, *s, iv.Next());
    if (op == "back") return State(id, *s, iv.Back());
    if (op == "add_repeat") return State(id, *s, iv.AddRepeat());
    if (op == "complete") return State(id, *s, iv.Complete());
    if (op == "jump") return State(id, *s, iv.JumpTo(NGO_TRY(r.Text("name"))));
    if (op == "language") return State(id, *s, iv.SetLanguage(NGO_TRY(r.Text("language"))));
    if (op == "remove_repeat") {
      std::string repeat = NGO_TRY(r.Text("repeat"));
      int instance = static_cast<int>(NGO_TRY(r.Int("instance")));
      return State(id, *s, iv.RemoveRepeat(repeat, instance));
    }
    if (op == "review") {
      Json items = Json::array();
      for (const ReviewItem& item : iv.Review()) {
        items.push_back({{"path", item.path},
                         {"name", item.name},
                         {"label", item.label},
                         {"state", std::string(form::AnswerStateName(item.state))},
                         {"value", item.value},
                         {"shown", item.shown},
                         {"group_path", item.group_path},
                         {"relevant", item.relevant},
                         {"displayed", item.displayed}});
      }
      return State(id, *s, Ok(), Json{{"review", std::move(items)}});
    }
    if (op == "instance_xml") {
      // The ODK instance XML of the answers so far, for POST /submission.
      form::InstanceXmlOptions options;
      options.instance_id = NGO_TRY(r.Text("instance_id"));
      options.deprecated_id = r.TextOr("deprecated_id", "");
      options.instance_name = r.TextOr("instance_name", "");
      auto xml = form::WriteInstanceXml(s->compiled->form(), iv.Answers(), options);
      if (!xml) return State(id, *s, tl::unexpected(xml.error()));
      return State(id, *s, Ok(), Json{{"xml", std::move(*xml)}});
    }
    if (op == "answers") {
      Json answers = Json::object();
      for (const auto& [path, a] : iv.Answers()) answers[path] = AnswerJson(a);
      return State(id, *s, Ok(), Json{{"answers", std::move(answers)}});
    }
    return tl::unexpected(RequestError("unknown op \"" + op + "\""));
  }
};

JsonEngine::JsonEngine() : impl_(std::make_unique<Impl>()) {}
JsonEngine::~JsonEngine() = default;

std::string JsonEngine::LoadForm(std::string_view form_json) {
  auto form = form::FormFromJson(form_json, "form.json");
  if (!form) return Failure(form.error());
  return impl_->Add(std::move(*form));
}

std::string JsonEngine::AddForm(form::Form form) { return impl_->Add(std::move(form)); }

std::string JsonEngine::Handle(std::string_view request_json) {
  nlohmann::json j = nlohmann::json::parse(request_json.begin(), request_json.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Failure(RequestError("the request is not a JSON object"));
  }
  auto result = impl_->Dispatch(j);
  if (!result) return Failure(result.error());
  return std::move(*result);
}

}  // namespace ngosurvey::interview
