#include "form/loops.h"

#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

namespace ngosurvey::form {
namespace {

bool IsExternalRow(QuestionType type) {
  return type == QuestionType::kXmlExternal || type == QuestionType::kCsvExternal;
}

// Builds the expanded question list: every row copied in sheet order (a parent before
// its children), loops replaced by their groups.
class LoopExpander {
 public:
  explicit LoopExpander(const Form& form) : in_(form), copy_of_(form.questions.size(), -1) {}

  std::vector<Question> Run() {
    out_.reserve(in_.questions.size());
    for (const Question& q : in_.questions) {
      if (q.parent < 0) Copy(q.index, -1, nullptr, false);
    }
    return std::move(out_);
  }

  // The index of a row's first copy (-1 for a row not copied).
  int CopyOf(int original) const { return copy_of_[static_cast<size_t>(original)]; }

 private:
  int Add(Question q, int parent, int original) {
    q.index = static_cast<int>(out_.size());
    q.parent = parent;
    q.children.clear();
    q.path =
        (parent < 0 ? std::string("/data") : out_[static_cast<size_t>(parent)].path) + "/" + q.name;
    if (parent >= 0) out_[static_cast<size_t>(parent)].children.push_back(q.index);
    if (original >= 0 && copy_of_[static_cast<size_t>(original)] < 0) {
      copy_of_[static_cast<size_t>(original)] = q.index;
    }
    out_.push_back(std::move(q));
    return out_.back().index;
  }

  // Row `index` and its rows under `parent`. `choice`: the row is a direct child of a
  // loop, copied for that choice. `in_loop`: inside a loop, where rows without a name
  // and externals are dropped.
  void Copy(int index, int parent, const Choice* choice, bool in_loop) {
    const Question& q = in_.questions[static_cast<size_t>(index)];
    if (in_loop && (q.name.empty() || IsExternalRow(q.type))) return;
    Question copy = q;
    if (choice != nullptr) Substitute(&copy, *choice);
    if (!q.is_loop()) {
      int me = Add(std::move(copy), parent, index);
      for (int child : q.children) Copy(child, me, nullptr, in_loop);
      return;
    }
    copy.type = QuestionType::kBeginGroup;  // list_name kept: IsLoopGroup
    const int group = Add(std::move(copy), parent, index);
    for (const Choice* each : Choices(q)) {
      Question column;
      column.type = QuestionType::kBeginGroup;
      column.type_text = "begin_group";
      column.name = each->name;
      column.label = each->label;
      column.row = q.row;
      column.end_row = q.end_row;
      const int column_index = Add(std::move(column), group, -1);
      for (int child : q.children) Copy(child, column_index, each, true);
    }
  }

  // The choices a loop has a group for: its list's but "none", and "other" when an
  // or_other select uses the list and it has none.
  std::vector<const Choice*> Choices(const Question& loop) {
    std::vector<const Choice*> choices;
    const ChoiceList* list = in_.FindChoiceList(loop.list_name);
    if (list == nullptr) return choices;  // the reader reported the unknown list
    for (const Choice& choice : list->choices) {
      if (choice.name != "none") choices.push_back(&choice);
    }
    const bool or_other =
        std::any_of(in_.questions.begin(), in_.questions.end(),
                    [&](const Question& q) { return q.or_other && q.list_name == loop.list_name; });
    if (or_other && list->Find("other") == nullptr) {
      Choice& other = others_.emplace_back();
      other.name = "other";
      other.label[in_.default_language] = "Other";
      choices.push_back(&other);
    }
    return choices;
  }

  void Substitute(Question* q, const Choice& choice) const {
    auto label_in = [&](const std::string& lang) {
      auto it = choice.label.find(lang);
      if (it != choice.label.end()) return it->second;
      return choice.label.empty() ? choice.name : choice.label.begin()->second;
    };
    const std::string plain_label = label_in(in_.default_language);
    for (std::string* cell : {&q->name, &q->relevant, &q->constraint, &q->calculation, &q->required,
                              &q->read_only, &q->default_value, &q->appearance, &q->parameters,
                              &q->choice_filter, &q->repeat_count, &q->trigger}) {
      *cell = LoopSubstitute(*cell, choice.name, plain_label);
    }
    for (Translations* texts : {&q->label, &q->hint, &q->guidance_hint, &q->constraint_message,
                                &q->required_message, &q->image, &q->audio, &q->video}) {
      for (auto& [lang, value] : *texts) value = LoopSubstitute(value, choice.name, label_in(lang));
    }
  }

  const Form& in_;
  std::vector<Question> out_;
  std::vector<int> copy_of_;
  std::deque<Choice> others_;  // the "other" choices Choices adds (stable addresses)
};

}  // namespace

bool IsLoopGroup(const Question& question) {
  return question.is_group() && !question.list_name.empty();
}

void ExpandLoops(Form* form) {
  if (std::none_of(form->questions.begin(), form->questions.end(),
                   [](const Question& q) { return q.is_loop(); })) {
    return;
  }
  LoopExpander expander(*form);
  form->questions = expander.Run();
  form->name_index.clear();
  for (const Question& q : form->questions) {
    if (!q.name.empty()) form->name_index[q.name].push_back(q.index);
  }
  for (EntityDeclaration& entity : form->entities) {
    if (entity.container >= 0) entity.container = expander.CopyOf(entity.container);
  }
}

std::string LoopSubstitute(std::string_view text, std::string_view name, std::string_view label) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("%(name)s")) {
      out += name;
      i += 7;
    } else if (rest.starts_with("%(label)s")) {
      out += label;
      i += 8;
    } else if (rest.starts_with("%%")) {
      out += '%';
      i += 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace ngosurvey::form
