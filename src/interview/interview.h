// interview: the engine that walks a Form with one respondent. Owns navigation
// (next, back, jump, repeat prompts), relevance, required, constraints,
// calculations, defaults, choice filters, repeats, metadata, non-answers (refused,
// don't know) and the language shown. It must not know the store or any screen:
// the caller shows the Screen, passes answers in, and persists the Changes the
// engine hands out (one SaveDraft per accepted answer). docs/interview.md.
//
// Use:
//   auto compiled = interview::CompileForm(form);          // once per form
//   auto iv = interview::Interview::Start(*compiled, {.language = "km"});
//   while (!(*iv)->AtEnd()) {
//     const Screen& s = (*iv)->screen();  ... show it ...
//     Status st = (*iv)->Set(0, "2005");   // refused -> nothing changed, message in
//     ...                                  // the interview's language
//     Save((*iv)->TakeChanges());
//     (*iv)->Next();
//   }
//   (*iv)->Complete(); Save((*iv)->TakeChanges());
//
// Errors (Error::code; the message is in the interview's language when it is
// meant for the interviewer; `where` names the survey cell):
//   IV001 the value does not fit the question's type (not a number, not a date...)
//   IV002 not a choice of the list (or filtered out by choice_filter)
//   IV003 the form's constraint rejects the value (its constraint_message)
//   IV004 an answer is required (the form's required_message)
//   IV005 refused / don't know are not allowed on this question
//   IV006 navigation: nothing before the first question, not an earlier question
//   IV007 the question's type cannot be captured by this engine
//   IV008 unknown language
//   IV009 a stored answer's path does not fit the form (Resume)
//   IV010 the interview is not at its end (Complete) or is already complete
//   IV011 an expression of the form could not be compiled (CompileForm)
//   IV012 SetAt: no such question, or it does not apply (its relevance is false)
//
// Ownership: the CompiledForm keeps a reference to the Form, which must outlive it;
// an Interview shares the CompiledForm. Thread-safety: a CompiledForm may be shared
// between threads; an Interview is used from one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "form/answer.h"
#include "form/form.h"

namespace ngosurvey::interview {

struct CompiledFormData;  // defined in interview_internal.h

// A form prepared for interviews: expressions bound, dependency graph (which
// expression reads which names) and the topological order of calculations built
// once. Immutable.
class CompiledForm {
 public:
  explicit CompiledForm(std::shared_ptr<const CompiledFormData> data) : data_(std::move(data)) {}
  const form::Form& form() const;
  const CompiledFormData& data() const { return *data_; }
  // Number of nodes (questions of the form plus the "_other" text of or_other selects).
  int node_count() const;

 private:
  std::shared_ptr<const CompiledFormData> data_;
};

// Binds every expression of `form` (which must outlive the result). IV011 with the
// cell of the first expression that does not compile.
Result<std::shared_ptr<const CompiledForm>> CompileForm(const form::Form& form);

struct Options {
  // A Language::code or name; "" for the form's default language.
  std::string language;
  // today(), now(), start, end. Not owned; must outlive the Interview.
  const Clock* clock = &SystemClock::Instance();
  std::string device_id;  // the deviceid metadata
  std::string username;   // the username metadata (the interviewer)
  uint64_t seed = 0;      // random() and uuid(); 0 draws one from the clock
};

// One change to persist: set `path` to `answer`, or remove it (nullopt: a removed
// repeat instance). Same shape as store::AnswerChange, which the caller converts to.
struct Change {
  std::string path;
  std::optional<form::Answer> answer;
  friend bool operator==(const Change&, const Change&) = default;
};

struct ChoiceView {
  std::string name;
  std::string label;  // in the interview's language
};

// One question on the current screen.
struct Prompt {
  int node = -1;     // node index in the CompiledForm
  std::string path;  // answer path ("programme[2]/programme_name")
  std::string name;
  form::QuestionType type = form::QuestionType::kText;
  std::string type_name;  // "select_one", ...
  std::string label;      // ${name} outputs filled in, in the interview's language
  std::string hint;
  std::vector<ChoiceView> choices;  // after choice_filter (and "other" for or_other)
  bool required = false;
  bool multiple = false;  // select_multiple / rank: several names separated by spaces
  bool can_refuse = false, can_dont_know = false;
  bool supported = true;  // false: IV007, `unsupported` says why; Next skips it
  std::string unsupported;
  std::optional<form::Answer> answer;  // the current answer, if any
};

enum class ScreenKind {
  kQuestions,     // one question, or a field-list group (several prompts)
  kRepeatPrompt,  // "add instance N of REPEAT?": AddRepeat() or Next()
  kEnd,           // every question passed: Complete()
};

struct Screen {
  ScreenKind kind = ScreenKind::kEnd;
  std::vector<Prompt> prompts;
  // Enclosing groups and repeats, outermost first, as labels ("Programme 2").
  std::vector<std::string> group_path;
  // kRepeatPrompt: the repeat's label and the number of the instance that would be
  // added.
  std::string repeat_label;
  int repeat_node = -1;
  int repeat_instance = 0;
  // A counter that stays put ("5 of 23"): the places of the form's top level, in
  // form order, each question one place and each repeat one place however many
  // instances it gets; a field list has its first question's place, a screen inside
  // a repeat the repeat's, the end the last. Not screens passed: skipped questions
  // jump ahead, Back goes back, and the total never changes during an interview.
  int position = 1;
  int question_count = 0;
  // Inside a repeat instance, the same counter for one instance of the innermost
  // repeat ("Programme 2, 1 of 3"); 0 and 0 outside repeats.
  int repeat_position = 0;
  int repeat_question_count = 0;
};

// One line of Review(): every question that can hold an answer, in form order with
// each repeat instance's questions together (prog[1]/a, prog[1]/b, prog[2]/a).
struct ReviewItem {
  std::string path;
  std::string name;
  std::string label;  // in the interview's language
  form::AnswerState state = form::AnswerState::kMissing;
  std::string value;  // answered only
  // The value for people: a select's choice labels in the interview's language,
  // separated by ", "; otherwise the value.
  std::string shown;
  // Enclosing groups and repeats, outermost first, as labels ("Programme 2").
  std::vector<std::string> group_path;
  bool relevant = true;
  bool displayed = true;  // shown on a screen (false: calculations, metadata)
};

// The words an interviewer's screen shows around the form's own texts, so that a
// terminal or web front end speaks the interview's language too. Khmer (km) and
// Vietnamese (vi) are translated (drafts awaiting native-speaker review, like the
// engine's messages); any other language gets English. "{}" in the English texts
// below stands for arg1, then arg2.
enum class ScreenWord {
  kRequired,           // "required" (after a question's type)
  kHint,               // "hint"
  kPressEnter,         // "(press Enter)" under a note
  kCurrent,            // "current" (the answer shown)
  kEndOfForm,          // "End of the form. Complete the interview? [y = complete, or a command]"
  kAddRepeat,          // "Add {repeat label} {instance}? [y/n]"
  kNothingHere,        // "(nothing to answer here; press Enter)"
  kQuestionsOnScreen,  // "({count} questions on this screen, answered in turn)"
  kTypeYToComplete,    // "type y to complete, or :back, :review, :quit"
  kTypeYOrN,           // "type y or n"
  kSaved,              // "Saved: {question label} = {value in words}"
  kRemoved,            // "Removed: {repeat label and instance}"
  kRefused,            // "refused" (an answer's state, in words)
  kDontKnow,           // "don't know"
  kNotAsked,           // "not asked"
  kNoAnswer,           // "no answer"
  kReviewTitle,        // "Answers so far:"
  kLanguage,           // "Language: {language name}"
  kDraftSaved,         // "The draft is saved."
  kStopped,            // "Stopped; the draft is saved. Resume with: {command}"
  kInputEnded,         // "Input ended; the draft is saved. Resume with: {command}"
  kCompleted,          // "The interview is complete and saved: {instance id}"
  kInterview,          // "Interview {instance id}"
  kUnknownCommand,     // "Unknown command {} (:help lists them)"
  kSeveralChoices,     // "(several choices: separate them with spaces)"
  kHelp,               // the terminal's :help text (several lines, no final newline)
};
std::string ScreenText(ScreenWord word, std::string_view language, std::string_view arg1 = {},
                       std::string_view arg2 = {});

class Interview {
 public:
  ~Interview();
  Interview(const Interview&) = delete;
  Interview& operator=(const Interview&) = delete;

  // A new interview: metadata (start, today, deviceid, username) and defaults set,
  // everything evaluated, positioned at the first screen. TakeChanges() then holds
  // the metadata and defaults to save. IV008 for an unknown language.
  static Result<std::unique_ptr<Interview>> Start(std::shared_ptr<const CompiledForm> form,
                                                  const Options& options);

  // Rebuilds an interview from stored answers (path -> answer, as a store keeps
  // them) and positions it just after the last screen that has a stored answer,
  // with the screens before it as history (so Back works). Nothing is pending in
  // TakeChanges() unless evaluation changes a stored value (e.g. a calculation of a
  // newer form). IV009 for a path the form does not have.
  static Result<std::unique_ptr<Interview>> Resume(
      std::shared_ptr<const CompiledForm> form, const std::map<std::string, form::Answer>& answers,
      const Options& options);

  const Screen& screen() const { return screen_; }
  bool AtEnd() const { return screen_.kind == ScreenKind::kEnd; }
  bool complete() const { return complete_; }
  const std::string& language() const { return language_; }

  // Answers prompt `prompt` of the current screen with `value` (canonical text:
  // a choice name, names separated by spaces for select_multiple, "2005", ISO
  // dates). An empty value clears the answer. On error nothing changes. On success
  // everything that depends on it is re-evaluated (only that).
  Status Set(int prompt, std::string_view value);
  // Answers the question at `name_or_path` ("org_name", "programme[2]/budget")
  // wherever the interview is, with the same checks as Set (for corrections of a
  // stored submission). IV012 when there is no such question or it does not apply.
  // The special values ":refused" and ":dont_know" record those states.
  Status SetAt(std::string_view name_or_path, std::string_view value);
  // Records refused / don't know on a prompt (IV005 when the form forbids it).
  Status Refuse(int prompt);
  Status DontKnow(int prompt);

  // Leaves the current screen: checks required answers (IV004), records "missing"
  // for an optional question left empty, and moves to the next relevant screen. On
  // a repeat prompt: no more instances.
  Status Next();
  // On a repeat prompt: adds the instance and enters it.
  Status AddRepeat();
  // Removes instance `instance` (1-based) of the repeat the current screen is in,
  // or of `repeat_name` at the current level; later instances move down by one.
  Status RemoveRepeat(std::string_view repeat_name, int instance);
  // Back to the previous screen still relevant (IV006 at the first).
  Status Back();
  // Back to the last screen passed that shows question `name` (IV006 when none).
  Status JumpTo(std::string_view name);
  // Changes the language of everything shown; answers are kept. IV008.
  Status SetLanguage(std::string_view language);
  // At the end: sets `end`, records missing / not_asked for every question
  // without an answer, and marks the interview complete. IV010 otherwise.
  Status Complete();

  // Every question that can hold an answer, in form order.
  std::vector<ReviewItem> Review() const;
  // The changes since the last call, to persist, in path order.
  std::vector<Change> TakeChanges();
  // The answers as they are to be stored (what TakeChanges has handed out, plus
  // what is pending).
  std::map<std::string, form::Answer> Answers() const;
  // The value a question has for expressions, at the current screen's level ("" when
  // none); for tests and the CLI.
  std::string ValueOf(std::string_view name) const;
  // Problems met while evaluating the form's expressions (e.g. a bad regex at run
  // time); the value is then treated as empty / false.
  const std::vector<Error>& evaluation_errors() const;
  // Number of node evaluations done by the last Set/Refuse (for tests and benches).
  int last_evaluations() const;

  struct State;  // defined in interview.cpp

 private:
  explicit Interview(std::unique_ptr<State> state);
  void Refresh();
  Status SetNode(int node, const std::vector<int>& key, std::string_view value);
  std::unique_ptr<State> state_;
  Screen screen_;
  std::string language_;
  bool complete_ = false;
};

}  // namespace ngosurvey::interview
