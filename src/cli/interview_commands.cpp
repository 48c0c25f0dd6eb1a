// `ngosurvey interview` (the terminal interviewer) and `ngosurvey edit` (audited
// corrections of a completed submission). The engine (interview/interview.h) walks
// the form; this file shows its screens, reads one answer or command per line, and
// saves a draft (one Store::SaveDraft transaction) after every accepted answer, so
// that a process killed at any moment resumes where it stopped. Every "saved" line
// is printed only after its transaction committed. The submission also keeps the
// language the interview is shown in, so that a resume continues in it.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "cli/command.h"
#include "form/form.h"
#include "interview/interview.h"
#include "store/store.h"

namespace ngosurvey::cli {
namespace {

struct InterviewOptions {
  std::string form_path, db, lang, org, interviewer, wave = "main", resume;
};

struct EditOptions {
  std::string db, instance_id, reason, by;
  std::vector<std::string> sets;
};

// The form, loaded from a file or from the stored workbook bytes, kept alive with
// its compiled form.
struct LoadedForm {
  std::string xlsx;
  std::unique_ptr<form::Form> form;
  std::shared_ptr<const interview::CompiledForm> compiled;
};

Result<LoadedForm> LoadAndCompile(CommandContext& ctx, std::string bytes, const std::string& name) {
  LoadedForm out;
  out.xlsx = std::move(bytes);
  Diagnostics diags;
  auto form = form::LoadForm(out.xlsx, name, &diags);
  if (!form) return tl::unexpected(form.error());
  if (diags.has_errors()) {
    PrintDiagnostics(ctx, diags);
    return MakeError("IV011", "the form has errors (see `ngosurvey form check`)", Location{name});
  }
  out.form = std::make_unique<form::Form>(std::move(*form));
  out.compiled = NGO_TRY(interview::CompileForm(*out.form));
  return out;
}

std::vector<store::AnswerChange> ToStore(std::vector<interview::Change> changes) {
  std::vector<store::AnswerChange> out;
  out.reserve(changes.size());
  for (interview::Change& c : changes) out.push_back({std::move(c.path), std::move(c.answer)});
  return out;
}

std::string Describe(const form::Answer& a) {
  if (a.state == form::AnswerState::kAnswered) return a.value;
  return "(" + std::string(form::AnswerStateName(a.state)) + ")";
}

class Session {
 public:
  // `stored_language` is the submission's language in the store.
  Session(CommandContext& ctx, store::Store& db, std::string instance_id, const form::Form& form,
          std::unique_ptr<interview::Interview> iv, std::string stored_language)
      : ctx_(ctx),
        db_(db),
        id_(std::move(instance_id)),
        form_(form),
        iv_(std::move(iv)),
        stored_language_(std::move(stored_language)) {}

  // Runs until the form is complete, :quit or the end of input. Returns the exit status.
  ExitStatus Run(std::istream& in) {
    if (!Save()) return status_;
    std::string line;
    while (true) {
      if (iv_->complete()) return ExitStatus::kSuccess;
      Show();
      Out() << "> " << std::flush;
      if (!std::getline(in, line)) {
        if (!Save()) return status_;  // a :lang switch not saved yet
        Out() << "\n" << Word(interview::ScreenWord::kInputEnded, ResumeCommand()) << "\n";
        return ExitStatus::kSuccess;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string_view cmd = text::Trim(line);
      if (!cmd.empty() && cmd[0] == ':') {
        if (!Command(cmd)) return status_;
      } else {
        if (!Input(line)) return status_;
      }
    }
  }

 private:
  std::ostream& Out() { return *ctx_.out; }

  std::string ResumeCommand() const { return "ngosurvey interview --db DB --resume " + id_; }

  // An answer's state or value in words: a select's choice labels, the state's
  // word in the interview's language.
  std::string InWords(form::AnswerState state, const std::string& shown) const {
    switch (state) {
      case form::AnswerState::kAnswered:
        return shown;
      case form::AnswerState::kRefused:
        return Word(interview::ScreenWord::kRefused);
      case form::AnswerState::kDontKnow:
        return Word(interview::ScreenWord::kDontKnow);
      case form::AnswerState::kNotAsked:
        return Word(interview::ScreenWord::kNotAsked);
      case form::AnswerState::kMissing:
        return Word(interview::ScreenWord::kNoAnswer);
    }
    return shown;
  }

  // The prompt's current answer in words (choice labels for a select).
  std::string InWords(const interview::Prompt& p, const form::Answer& a) const {
    if (a.state != form::AnswerState::kAnswered || p.choices.empty())
      return InWords(a.state, a.value);
    std::string out;
    for (const std::string& name : form::SplitSelected(a.value)) {
      std::string label = name;
      for (const auto& c : p.choices) {
        if (c.name == name && !c.label.empty()) label = c.label;
      }
      out += (out.empty() ? "" : ", ") + label;
    }
    return out;
  }

  // "Khmer (km)": the language's name, and its code when that differs.
  std::string LanguageName(const std::string& code) const {
    for (const form::Language& l : form_.languages) {
      if (l.code == code) return l.name == l.code ? l.code : l.name + " (" + l.code + ")";
    }
    return code;
  }

  // Persists the pending changes in one transaction; false (and status_) on failure.
  // A language switched since the last save goes into the same transaction: :lang
  // writes nothing by itself, so switching costs no commit (fsync) of its own.
  bool Save() {
    auto changes = iv_->TakeChanges();
    std::optional<std::string> language;
    if (iv_->language() != stored_language_) language = iv_->language();
    if (changes.empty() && !language) return true;
    // What the interviewer sees saved: the questions on screens, by label, with the
    // value in words; calculations and metadata are saved without a word.
    std::vector<std::string> shown;
    if (!changes.empty()) {
      std::map<std::string, interview::ReviewItem> items;
      for (interview::ReviewItem& item : iv_->Review()) items.emplace(item.path, std::move(item));
      for (const interview::Change& c : changes) {
        auto it = items.find(c.path);
        if (!c.answer || it == items.end() || !it->second.displayed) continue;
        const interview::ReviewItem& item = it->second;
        std::string where;
        for (const std::string& g : item.group_path) where += g + " > ";
        shown.push_back(Word(interview::ScreenWord::kSaved, where + item.label,
                             InWords(item.state, item.shown)));
      }
    }
    auto st = db_.SaveDraft(id_, ToStore(std::move(changes)), language);
    if (!st) {
      status_ = ReportError(ctx_, st.error());
      return false;
    }
    if (language) stored_language_ = *language;
    for (const std::string& line : shown) Out() << "  " << line << "\n";
    Out() << std::flush;
    return true;
  }

  void Feedback(const Error& e) { Out() << "  ! " << e.message << "\n"; }

  // A word of the screen in the interview's current language.
  std::string Word(interview::ScreenWord word, std::string_view arg1 = {},
                   std::string_view arg2 = {}) const {
    return interview::ScreenText(word, iv_->language(), arg1, arg2);
  }

  void Show() {
    const interview::Screen& s = iv_->screen();
    Out() << "\n";
    std::string where;
    for (const std::string& g : s.group_path) where += (where.empty() ? "" : " > ") + g;
    if (s.kind == interview::ScreenKind::kEnd) {
      // "[end]" is the same in every language, as "[5/13]" is on a question's screen,
      // so that a script driving the interviewer can tell the end in Khmer too.
      Out() << "[end]\n" << Word(interview::ScreenWord::kEndOfForm) << "\n";
      return;
    }
    // The counter stays put across repeats: the form's place, and inside a repeat
    // the place within one instance ("[12/19] Programme 2 (1/3)").
    Out() << "[" << s.position << "/" << s.question_count << "]"
          << (where.empty() ? "" : " " + where);
    if (s.repeat_question_count > 0) {
      Out() << " (" << s.repeat_position << "/" << s.repeat_question_count << ")";
    }
    Out() << "\n";
    if (s.kind == interview::ScreenKind::kRepeatPrompt) {
      Out() << Word(interview::ScreenWord::kAddRepeat, s.repeat_label,
                    std::to_string(s.repeat_instance))
            << "\n";
      return;
    }
    if (s.prompts.empty()) {  // a field list whose questions no longer apply
      Out() << Word(interview::ScreenWord::kNothingHere) << "\n";
      return;
    }
    if (s.prompts.size() > 1) {
      Out() << Word(interview::ScreenWord::kQuestionsOnScreen, std::to_string(s.prompts.size()))
            << "\n";
    }
    const interview::Prompt& p = s.prompts[std::min(prompt_, s.prompts.size() - 1)];
    // The question as the respondent hears it: its label, "(required)" in words, no
    // name, type or choice codes.
    Out() << p.label << (p.required ? " (" + Word(interview::ScreenWord::kRequired) + ")" : "")
          << "\n";
    if (!p.hint.empty())
      Out() << "  " << Word(interview::ScreenWord::kHint) << ": " << p.hint << "\n";
    for (size_t i = 0; i < p.choices.size(); ++i) {
      Out() << "  " << i + 1 << ". " << p.choices[i].label << "\n";
    }
    if (p.multiple) Out() << "  " << Word(interview::ScreenWord::kSeveralChoices) << "\n";
    if (!p.supported) Out() << "  ! " << p.unsupported << "\n";
    if (p.type == form::QuestionType::kNote)
      Out() << "  " << Word(interview::ScreenWord::kPressEnter) << "\n";
    if (p.answer) {
      Out() << "  " << Word(interview::ScreenWord::kCurrent) << ": " << InWords(p, *p.answer)
            << "\n";
    }
  }

  // A choice typed by number or name -> its name; names win over numbers.
  std::string ChoiceInput(const interview::Prompt& p, std::string_view raw) {
    auto one = [&](std::string_view token) -> std::string {
      for (const auto& c : p.choices) {
        if (c.name == token) return c.name;
      }
      bool digits =
          !token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos;
      if (digits && token.size() < 6) {
        size_t n = std::stoul(std::string(token));
        if (n >= 1 && n <= p.choices.size()) return p.choices[n - 1].name;
      }
      return std::string(token);
    };
    if (!p.multiple) return one(text::Trim(raw));
    std::string spaced(raw);
    for (char& c : spaced) {
      if (c == ',') c = ' ';
    }
    std::string out;
    for (std::string_view token : text::Split(spaced, ' ')) {
      if (token.empty()) continue;
      out += (out.empty() ? "" : " ") + one(token);
    }
    return out;
  }

  // Leaves the current prompt: the next prompt of a field list, or the next screen.
  bool Advance() {
    const interview::Screen& s = iv_->screen();
    if (prompt_ + 1 < s.prompts.size()) {
      ++prompt_;
      return Save();
    }
    auto st = iv_->Next();
    if (!st) {
      Feedback(st.error());
      prompt_ = 0;
    } else {
      prompt_ = 0;
    }
    return Save();
  }

  bool Input(const std::string& line) {
    const interview::Screen& s = iv_->screen();
    std::string_view answer = text::Trim(line);
    if (s.kind == interview::ScreenKind::kEnd) {
      std::string a = text::AsciiLower(answer);
      if (a == "y" || a == "yes" || a.empty()) return Finish();
      Out() << "  ! " << Word(interview::ScreenWord::kTypeYToComplete) << "\n";
      return true;
    }
    if (s.kind == interview::ScreenKind::kRepeatPrompt) {
      std::string a = text::AsciiLower(answer);
      Status st = (a == "y" || a == "yes") ? iv_->AddRepeat()
                  : (a == "n" || a == "no")
                      ? iv_->Next()
                      : Status(MakeError("IV006", Word(interview::ScreenWord::kTypeYOrN)));
      if (!st) Feedback(st.error());
      prompt_ = 0;
      return Save();
    }
    if (s.prompts.empty()) return Advance();
    if (prompt_ >= s.prompts.size()) prompt_ = 0;
    const interview::Prompt& p = s.prompts[prompt_];
    if (!answer.empty() && p.type != form::QuestionType::kNote) {
      std::string value = p.choices.empty() ? line : ChoiceInput(p, answer);
      auto st = iv_->Set(static_cast<int>(prompt_), value);
      if (!st) {
        Feedback(st.error());
        return true;  // nothing changed
      }
    }
    return Advance();
  }

  bool Finish() {
    auto st = iv_->Complete();
    if (!st) {
      Feedback(st.error());
      return true;
    }
    if (!Save()) return false;
    // The machine's time zone is where the interview happens.
    const SystemClock& clock = SystemClock::Instance();
    auto done = db_.CompleteSubmission(id_, clock.NowMillis(), clock.UtcOffsetMinutes());
    if (!done) {
      status_ = ReportError(ctx_, done.error());
      return false;
    }
    Out() << Word(interview::ScreenWord::kCompleted, id_) << "\n" << std::flush;
    return true;
  }

  bool Command(std::string_view cmd) {
    std::string_view name = cmd.substr(0, cmd.find(' '));
    std::string_view arg = name.size() < cmd.size() ? text::Trim(cmd.substr(name.size())) : "";
    Status st;
    int prompt = static_cast<int>(prompt_);
    if (name == ":help") {
      Out() << Word(interview::ScreenWord::kHelp) << "\n";
      return true;
    } else if (name == ":back") {
      if (prompt_ > 0) {
        --prompt_;
        return true;
      }
      st = iv_->Back();
      prompt_ = 0;
    } else if (name == ":jump") {
      st = iv_->JumpTo(arg);
      prompt_ = 0;
      if (st) {
        const auto& ps = iv_->screen().prompts;
        for (size_t i = 0; i < ps.size(); ++i) {
          if (ps[i].name == arg) prompt_ = i;
        }
      }
    } else if (name == ":refuse" || name == ":dk" || name == ":clear") {
      st = name == ":refuse" ? iv_->Refuse(prompt)
           : name == ":dk"   ? iv_->DontKnow(prompt)
                             : iv_->Set(prompt, "");
      if (st) {
        if (name == ":clear") return Save();
        return Advance();
      }
    } else if (name == ":remove") {
      auto parts = text::Split(arg, ' ');
      int n = parts.size() == 2 ? std::atoi(std::string(parts[1]).c_str()) : 0;
      st = iv_->RemoveRepeat(parts.empty() ? "" : parts[0], n);
      prompt_ = 0;
      if (st) {
        if (!Save()) return false;
        Out() << "  " << Word(interview::ScreenWord::kRemoved, arg) << "\n";
        return true;
      }
    } else if (name == ":lang") {
      // Saved with the next answer (or :save, :quit, the end of input), not now.
      st = iv_->SetLanguage(arg);
      if (!st) {
        Feedback(st.error());
      } else {
        Out() << Word(interview::ScreenWord::kLanguage, LanguageName(iv_->language())) << "\n";
      }
      return true;
    } else if (name == ":review") {
      // By label, the questions of each group and repeat instance under its heading,
      // values in words (choice labels, states).
      Out() << Word(interview::ScreenWord::kReviewTitle) << "\n";
      std::vector<std::string> heading;
      for (const interview::ReviewItem& item : iv_->Review()) {
        if (!item.displayed) continue;
        if (item.group_path != heading) {
          size_t same = 0;
          while (same < heading.size() && same < item.group_path.size() &&
                 heading[same] == item.group_path[same]) {
            ++same;
          }
          for (size_t g = same; g < item.group_path.size(); ++g) {
            Out() << std::string(2 * g + 2, ' ') << item.group_path[g] << "\n";
          }
          heading = item.group_path;
        }
        Out() << std::string(2 * item.group_path.size() + 2, ' ') << item.label << ": "
              << InWords(item.state, item.shown) << "\n";
      }
      return true;
    } else if (name == ":save") {
      if (!Save()) return false;
      Out() << Word(interview::ScreenWord::kDraftSaved) << "\n";
      return true;
    } else if (name == ":quit") {
      if (!Save()) return false;
      Out() << Word(interview::ScreenWord::kStopped, ResumeCommand()) << "\n";
      quit_ = true;
      status_ = ExitStatus::kSuccess;
      return false;
    } else {
      Out() << "  ! " << Word(interview::ScreenWord::kUnknownCommand, name) << "\n";
      return true;
    }
    if (!st) Feedback(st.error());
    return Save();
  }

  CommandContext& ctx_;
  store::Store& db_;
  std::string id_;
  const form::Form& form_;
  std::unique_ptr<interview::Interview> iv_;
  std::string stored_language_;
  size_t prompt_ = 0;
  ExitStatus status_ = ExitStatus::kSuccess;
  bool quit_ = false;
};

// An unknown --lang is a usage error (2), like `form show --lang`.
ExitStatus ReportStartError(CommandContext& ctx, const Error& error) {
  ExitStatus status = ReportError(ctx, error);
  return error.code == "IV008" ? ExitStatus::kUsage : status;
}

Result<std::unique_ptr<store::Store>> OpenWritable(const std::string& db, bool create) {
  store::OpenOptions options;
  options.create_if_missing = create;
  return store::OpenStore(db, options);
}

std::string Hostname() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// Long on purpose: the command's steps in order: resume or new, form version, language, the
// session.
// NOLINTNEXTLINE(readability-function-size)
void RunInterview(CommandContext& ctx, const InterviewOptions& opts) {
  if (opts.resume.empty() && opts.form_path.empty()) {
    *ctx.err << "error: --form is required for a new interview (or --resume INSTANCE_ID)\n";
    ctx.exit_status = ExitStatus::kUsage;
    return;
  }
  auto db = OpenWritable(opts.db, opts.resume.empty());
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  store::Store& store = **db;
  interview::Options iv_options;
  iv_options.language = opts.lang;
  iv_options.username = opts.interviewer;
  iv_options.device_id = Hostname();

  std::string instance_id;
  std::string stored_language;  // the submission's language in the store
  LoadedForm loaded;
  std::unique_ptr<interview::Interview> iv;
  if (!opts.resume.empty()) {
    auto sub = store.GetSubmission(opts.resume);
    if (!sub) {
      ctx.exit_status = ReportError(ctx, sub.error());
      return;
    }
    if (sub->status != store::SubmissionStatus::kDraft) {
      *ctx.err << "error: " << opts.resume
               << " is complete; change it with `ngosurvey edit` (audited)\n";
      ctx.exit_status = ExitStatus::kFailure;
      return;
    }
    // The submission's own form version, from the store: resuming with another
    // version of the workbook would misplace answers.
    auto version = store.GetForm(sub->form_id, sub->form_version);
    if (!version) {
      ctx.exit_status = ReportError(ctx, version.error());
      return;
    }
    auto l = LoadAndCompile(ctx, std::move(version->xlsx), sub->form_id + ".xlsx");
    if (!l) {
      ctx.exit_status = ReportError(ctx, l.error());
      return;
    }
    loaded = std::move(*l);
    if (iv_options.username.empty()) iv_options.username = sub->interviewer;
    // Without --lang, the language the interview was last shown in, if the form has it
    // ("" is unknown: an import, or a store older than schema 4).
    stored_language = sub->language;
    if (opts.lang.empty() && !sub->language.empty() &&
        sub->language != loaded.form->default_language) {
      const auto& languages = loaded.form->languages;
      bool known = std::any_of(languages.begin(), languages.end(),
                               [&](const form::Language& l) { return l.code == sub->language; });
      if (known) {
        iv_options.language = sub->language;
      } else {
        *ctx.err << "note: " << opts.resume << " was shown in language \"" << sub->language
                 << "\", which its form does not have; continuing in the form's default\n";
      }
    }
    auto r = interview::Interview::Resume(loaded.compiled, sub->answers, iv_options);
    if (!r) {
      ctx.exit_status = ReportStartError(ctx, r.error());
      return;
    }
    iv = std::move(*r);
    instance_id = opts.resume;
    *ctx.out << interview::ScreenText(interview::ScreenWord::kInterview, iv->language(),
                                      instance_id)
             << "\n";
  } else {
    auto bytes = ReadFile(opts.form_path);
    if (!bytes) {
      ctx.exit_status = ReportError(ctx, bytes.error());
      return;
    }
    auto l = LoadAndCompile(ctx, std::move(*bytes), opts.form_path);
    if (!l) {
      ctx.exit_status = ReportError(ctx, l.error());
      return;
    }
    loaded = std::move(*l);
    const form::Settings& settings = loaded.form->settings;
    if (settings.form_id.empty()) {
      *ctx.err << "error: " << opts.form_path
               << ": the form has no form_id (settings) and no file name to take it from\n";
      ctx.exit_status = ExitStatus::kFailure;
      return;
    }
    store::FormVersion version;
    version.form_id = settings.form_id;
    // XLSForm's version is optional: the workbook's bytes give one (as import does).
    version.version =
        settings.version.empty() ? store::WorkbookVersion(loaded.xlsx) : settings.version;
    version.title = loaded.form->title;
    version.xlsx = loaded.xlsx;
    if (auto st = store.PutForm(version); !st) {
      ctx.exit_status = ReportError(ctx, st.error());
      return;
    }
    auto r = interview::Interview::Start(loaded.compiled, iv_options);
    if (!r) {
      ctx.exit_status = ReportStartError(ctx, r.error());
      return;
    }
    iv = std::move(*r);
    store::Submission sub;
    sub.instance_id = store::NewInstanceId();
    sub.form_id = settings.form_id;
    sub.form_version = version.version;
    sub.wave = opts.wave == "pretest" ? store::Wave::kPretest : store::Wave::kMain;
    sub.org_id = opts.org;
    sub.interviewer = opts.interviewer;
    sub.language = iv->language();
    sub.started_at_ms = SystemClock::Instance().NowMillis();
    sub.started_offset_minutes = SystemClock::Instance().UtcOffsetMinutes();
    if (auto st = store.CreateSubmission(sub); !st) {
      ctx.exit_status = ReportError(ctx, st.error());
      return;
    }
    instance_id = sub.instance_id;
    stored_language = sub.language;
    *ctx.out << interview::ScreenText(interview::ScreenWord::kInterview, iv->language(),
                                      instance_id)
             << "\n";
  }
  // The form's title and the language, with the others a :lang switches to.
  std::string others;
  for (const form::Language& l : loaded.form->languages) {
    if (l.code != iv->language() && l.code != "default") others += " :lang " + l.code;
  }
  std::string language = iv->language();
  for (const form::Language& l : loaded.form->languages) {
    if (l.code == iv->language() && l.name != l.code) language = l.name + " (" + l.code + ")";
  }
  *ctx.out << loaded.form->title << "\n"
           << interview::ScreenText(interview::ScreenWord::kLanguage, iv->language(), language)
           << (others.empty() ? "" : " |" + others) << " | :help\n"
           << std::flush;
  Session session(ctx, store, instance_id, *loaded.form, std::move(iv), std::move(stored_language));
  ctx.exit_status = session.Run(std::cin);
}

void RunEdit(CommandContext& ctx, const EditOptions& opts) {
  auto db = OpenWritable(opts.db, false);
  if (!db) {
    ctx.exit_status = ReportError(ctx, db.error());
    return;
  }
  store::Store& store = **db;
  auto sub = store.GetSubmission(opts.instance_id);
  if (!sub) {
    ctx.exit_status = ReportError(ctx, sub.error());
    return;
  }
  auto version = store.GetForm(sub->form_id, sub->form_version);
  if (!version) {
    ctx.exit_status = ReportError(ctx, version.error());
    return;
  }
  auto loaded = LoadAndCompile(ctx, std::move(version->xlsx), sub->form_id + ".xlsx");
  if (!loaded) {
    ctx.exit_status = ReportError(ctx, loaded.error());
    return;
  }
  auto iv = interview::Interview::Resume(loaded->compiled, sub->answers, {});
  if (!iv) {
    ctx.exit_status = ReportError(ctx, iv.error());
    return;
  }
  (*iv)->TakeChanges();  // only the edits and what follows from them are amended
  for (const std::string& set : opts.sets) {
    size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      *ctx.err << "error: --set wants NAME=VALUE, got \"" << set << "\"\n";
      ctx.exit_status = ExitStatus::kUsage;
      return;
    }
    auto st = (*iv)->SetAt(set.substr(0, eq), set.substr(eq + 1));
    if (!st) {
      ctx.exit_status = ReportError(ctx, st.error());
      return;
    }
  }
  store::Amendment amendment;
  amendment.instance_id = opts.instance_id;
  amendment.who = opts.by;
  amendment.reason = opts.reason;
  amendment.changes = ToStore((*iv)->TakeChanges());
  std::vector<std::string> shown;
  for (const auto& c : amendment.changes) {
    shown.push_back(c.path + " = " + (c.answer ? Describe(*c.answer) : "(removed)"));
  }
  auto st = store.Amend(amendment);
  if (!st) {
    ctx.exit_status = ReportError(ctx, st.error());
    return;
  }
  for (const std::string& s : shown) *ctx.out << "amended " << s << "\n";
  *ctx.out << opts.instance_id << ": " << shown.size() << " answer"
           << (shown.size() == 1 ? "" : "s") << " changed (audited)\n";
}

}  // namespace

void RegisterInterviewCommands(CLI::App& root, CommandContext& ctx) {
  AddCommand(
      root, "interview", "Run an interview in the terminal; saves a draft after every answer",
      [&ctx](CLI::App& iv) {
        auto opts = std::make_shared<InterviewOptions>();
        iv.add_option("--form", opts->form_path, "The XLSForm (.xlsx or .xls) of a new interview");
        iv.add_option("--db", opts->db,
                      "The store (SQLite file, created if missing, or postgresql:// URL)")
            ->required();
        iv.add_option("--lang", opts->lang, "Language code or name (default: the form's)");
        iv.add_option("--org", opts->org, "The organisation interviewed");
        iv.add_option("--interviewer", opts->interviewer, "Who interviews (the username metadata)");
        iv.add_option("--wave", opts->wave, "pretest or main (pretests are kept, never tabulated)")
            ->check(CLI::IsMember({"pretest", "main"}));
        iv.add_option("--resume", opts->resume, "Resume the draft INSTANCE_ID where it stopped");
        iv.callback([&ctx, opts] { RunInterview(ctx, *opts); });
      });

  AddCommand(
      root, "edit", "Correct answers of a completed submission (validated, audited)",
      [&ctx](CLI::App& edit) {
        auto opts = std::make_shared<EditOptions>();
        edit.add_option("--db", opts->db, "The store (SQLite file or postgresql:// URL)")
            ->required();
        edit.add_option("instance_id", opts->instance_id, "The submission (uuid:...)")->required();
        edit.add_option("--set", opts->sets,
                        "NAME=VALUE (or PATH=VALUE inside repeats; VALUE :refused or :dont_know)")
            ->required();
        edit.add_option("--reason", opts->reason, "Why (kept in the audit trail)")->required();
        edit.add_option("--by", opts->by, "Who makes the change")->required();
        edit.callback([&ctx, opts] { RunEdit(ctx, *opts); });
      });
}

}  // namespace ngosurvey::cli
