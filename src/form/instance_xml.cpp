// WriteInstanceXml: the answers become a tree keyed by answer path steps, which is
// then written in the form's order (the form's question tree), so that the document
// reads as the XForm's primary instance does.
#include "form/instance_xml.h"

#include <cctype>
#include <optional>
#include <vector>

#include "base/escape.h"
#include "base/text.h"

namespace ngosurvey::form {
namespace {

// The answers under one element: questions by name, repeat instances by name and
// number.
struct Level {
  std::map<std::string, const Answer*> values;
  std::map<std::string, std::map<int, Level>> repeats;  // name -> instance -> level
  std::map<std::string, Level> groups;
};

class Writer {
 public:
  Writer(const Form& form, std::string* out)
      : form_(form),
        out_(out),
        refused_(RefusedCodes(form).front()),
        dont_know_(DontKnowCodes(form).front()) {}

  void Children(int parent, const Level& level, int depth) {
    for (const Question& q : form_.questions) {
      if (q.parent != parent) continue;
      if (q.is_repeat()) {
        auto it = level.repeats.find(q.name);
        if (it == level.repeats.end()) continue;
        for (const auto& [index, instance] : it->second) {
          Open(q.name, depth);
          Children(q.index, instance, depth + 1);
          Close(q.name, depth);
        }
      } else if (q.is_group()) {
        auto it = level.groups.find(q.name);
        if (it == level.groups.end()) continue;
        Open(q.name, depth);
        Children(q.index, it->second, depth + 1);
        Close(q.name, depth);
      } else if (!q.is_loop()) {
        Value(q.name, level, depth);
        if (q.or_other) Value(q.name + "_other", level, depth);
      }
    }
  }

  void Meta(const InstanceXmlOptions& options) {
    Open("meta", 1);
    Leaf("instanceID", options.instance_id, 2);
    if (!options.deprecated_id.empty()) Leaf("deprecatedID", options.deprecated_id, 2);
    if (!options.instance_name.empty()) Leaf("instanceName", options.instance_name, 2);
    Close("meta", 1);
  }

  size_t written() const { return written_; }

 private:
  void Indent(int depth) { out_->append(static_cast<size_t>(depth) * 2, ' '); }
  void Open(const std::string& name, int depth) {
    Indent(depth);
    *out_ += "<" + name + ">\n";
  }
  void Close(const std::string& name, int depth) {
    Indent(depth);
    *out_ += "</" + name + ">\n";
  }
  void Leaf(const std::string& name, std::string_view text, int depth) {
    Indent(depth);
    if (text.empty()) {
      *out_ += "<" + name + "/>\n";
    } else {
      *out_ += "<" + name + ">" + text::EscapeHtml(text) + "</" + name + ">\n";
    }
  }
  void Value(const std::string& name, const Level& level, int depth) {
    auto it = level.values.find(name);
    if (it == level.values.end()) return;
    ++written_;
    const Answer& a = *it->second;
    switch (a.state) {
      case AnswerState::kAnswered:
        Leaf(name, a.value, depth);
        break;
      case AnswerState::kMissing:
        Leaf(name, "", depth);
        break;
      case AnswerState::kRefused:
        Leaf(name, refused_, depth);
        break;
      case AnswerState::kDontKnow:
        Leaf(name, dont_know_, depth);
        break;
      case AnswerState::kNotAsked:
        break;  // not relevant: no element, as ODK clients write it
    }
  }

  const Form& form_;
  std::string* out_;
  std::string refused_, dont_know_;
  size_t written_ = 0;
};

std::vector<std::string> CodesSetting(const Form& form, const char* key, const char* fallback) {
  std::vector<std::string> codes;
  auto it = form.settings.values.find(key);
  if (it == form.settings.values.end() || text::Trim(it->second).empty()) return {fallback};
  for (std::string_view part : text::Split(it->second, ',')) {
    part = text::Trim(part);
    if (!part.empty()) codes.emplace_back(part);
  }
  return codes;
}

}  // namespace

std::vector<std::string> RefusedCodes(const Form& form) {
  return CodesSetting(form, "missing_refused", "refused");
}
std::vector<std::string> DontKnowCodes(const Form& form) {
  return CodesSetting(form, "missing_dont_know", "dont_know");
}

bool IsInstanceId(std::string_view id) {
  static constexpr std::string_view kPrefix = "uuid:";
  if (id.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view uuid = id.substr(kPrefix.size());
  if (uuid.size() != 36) return false;
  for (size_t i = 0; i < uuid.size(); ++i) {
    char c = uuid[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

Result<std::string> WriteInstanceXml(const Form& form, const std::map<std::string, Answer>& answers,
                                     const InstanceXmlOptions& options) {
  if (!IsInstanceId(options.instance_id) ||
      (!options.deprecated_id.empty() && !IsInstanceId(options.deprecated_id))) {
    return MakeError("IX002", "the instance ID \"" +
                                  (IsInstanceId(options.instance_id) ? options.deprecated_id
                                                                     : options.instance_id) +
                                  "\" is not \"uuid:\" followed by a UUID");
  }
  Level root;
  for (const auto& [path, answer] : answers) {
    auto steps = ParseAnswerPath(path);
    if (!steps) return MakeError("IX001", steps.error().message, Location{form.file});
    Level* level = &root;
    for (size_t i = 0; i + 1 < steps->size(); ++i) {
      const PathStep& step = (*steps)[i];
      level = step.index > 0 ? &level->repeats[step.name][step.index] : &level->groups[step.name];
    }
    level->values[steps->back().name] = &answer;
  }
  std::string out = "<?xml version='1.0' ?>\n";
  std::string root_name = "data";
  auto name = form.settings.values.find("name");
  if (name != form.settings.values.end() && !name->second.empty()) root_name = name->second;
  std::string id = form.settings.form_id.empty() ? root_name : form.settings.form_id;
  out += "<" + root_name + " id=\"" + text::EscapeHtml(id) + "\"";
  if (!form.settings.version.empty()) {
    out += " version=\"" + text::EscapeHtml(form.settings.version) + "\"";
  }
  out += " xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\">\n";
  Writer writer(form, &out);
  writer.Children(-1, root, 1);
  // Every answer must have found its question; one that did not is named.
  if (writer.written() != answers.size()) {
    // The first path not placed: each written alone.
    for (const auto& [path, answer] : answers) {
      std::string probe;
      Writer one(form, &probe);
      Level level;
      auto steps = ParseAnswerPath(path);
      Level* at = &level;
      for (size_t i = 0; i + 1 < steps->size(); ++i) {
        const PathStep& step = (*steps)[i];
        at = step.index > 0 ? &at->repeats[step.name][step.index] : &at->groups[step.name];
      }
      at->values[steps->back().name] = &answer;
      one.Children(-1, level, 1);
      if (one.written() == 0) {
        return MakeError("IX001", "\"" + path + "\" is not a question of the form at that place",
                         Location{form.file});
      }
    }
  }
  writer.Meta(options);
  out += "</" + root_name + ">\n";
  return out;
}

}  // namespace ngosurvey::form
