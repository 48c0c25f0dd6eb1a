// words: the tool's own words, as opposed to the form's, in English, Khmer and
// Vietnamese: the engine's messages to the interviewer, the terminal interviewer's
// screen, the browser app's buttons, labels and status lines, the supervisor pages
// and dates. One catalogue for every front end: the terminal reads it here, the
// browser through the interview engine's "words" request (interview/json_engine.h),
// reports by including this header. The Khmer and Vietnamese texts are drafts
// awaiting native-speaker review, like the example forms' translations.
//
// Each word has a stable key ("button_next"), which the browser and tests use; keys
// are a public interface (docs/web.md lists them). "{}" in a text stands for the
// next argument.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ngosurvey::words {

enum class Word {
  // The engine's messages (interview/messages_internal.h says when each is used).
  kNotInteger,
  kNotDecimal,
  kNotDate,
  kNotTime,
  kNotDateTime,
  kNotChoice,
  kChosenTwice,
  kOutOfRange,
  kConstraint,
  kRequired,
  kNoRefuse,
  kNoDontKnow,
  kUnsupported,
  kNoteNoAnswer,
  kNotUtf8,
  kAcknowledge,
  kOther,
  kSpecifyOther,
  kFirstScreen,
  kNotEarlier,
  kNotInRepeat,
  kNoInstance,
  // The terminal interviewer's screen (interview.h ScreenWord).
  kWordRequired,
  kWordHint,
  kWordPressEnter,
  kWordCurrent,
  kWordEndOfForm,
  kWordAddRepeat,
  kWordNothingHere,
  kWordQuestionsOnScreen,
  kWordTypeYToComplete,
  kWordTypeYOrN,
  kWordSaved,
  kWordRemoved,
  kWordRefused,
  kWordDontKnow,
  kWordNotAsked,
  kWordNoAnswer,
  kWordReviewTitle,
  kWordLanguage,
  kWordDraftSaved,
  kWordStopped,
  kWordInputEnded,
  kWordCompleted,
  kWordInterview,
  kWordUnknownCommand,
  kWordSeveralChoices,
  kWordHelp,
  // The browser app: buttons and labels whose English texts are accessible names
  // (issue 16), then headings and status lines.
  kButtonNext,
  kButtonBack,
  kButtonSave,
  kButtonSend,
  kButtonAdd,
  kButtonRemove,
  kButtonRefuse,
  kButtonDontKnow,
  kButtonLogIn,
  kButtonLogOut,
  kButtonComplete,
  kButtonReview,
  kButtonResume,
  kLabelUser,
  kLabelPassword,
  kLabelLanguage,
  kLabelComment,
  kLabelReviewStatus,
  kReviewApproved,
  kReviewNeedsChecking,
  kReviewRejected,
  kReviewNone,
  kHeadingForms,
  kHeadingDrafts,
  kHeadingSubmissions,
  kHeadingProgress,
  kLinkOpen,
  kStatusWaiting,
  kStatusOffline,
  kStatusSavedOnDevice,
  kStatusSent,
  kPositionOf,
  kRepeatQuestion,
  kRepeatInstances,
  kEndTitle,
  kEndQuestion,
  kNoForms,
  kLoginFailed,
  kSessionExpired,
  kColumnInterviewer,
  kColumnCountry,
  kColumnDay,
  kColumnForm,
  kColumnStatus,
  kColumnInterviews,
  kColumnOrganisation,
  // The supervisor's progress page and submissions table.
  kColumnOpenCases,
  kColumnAction,
  kColumnMode,
  kColumnDue,
  kColumnDaysLate,
  kHeadingFollowUps,
  kHeadingDownloads,
  kButtonFilter,
  kSubmissionComplete,
  kSubmissionDraft,
  kDueUpcoming,
  kDueDue,
  kDueOverdue,
  kProgressForSupervisors,
  kProgressNoFrame,
  kGroupOverall,
  // Dates: "{day} {month} {year}" and the months' names.
  kDatePattern,
  kMonth1,
  kMonth2,
  kMonth3,
  kMonth4,
  kMonth5,
  kMonth6,
  kMonth7,
  kMonth8,
  kMonth9,
  kMonth10,
  kMonth11,
  kMonth12,
};

struct Entry {
  Word word;
  std::string_view key;  // stable: "button_next"
  std::string_view en, km, vi;
};

// Every word, in the order of Word.
std::span<const Entry> Catalogue();

// The word's text in `language` (a language code; "km" and "vi" are translated, any
// other gets English), each "{}" replaced by the next of `args` ("" past the last).
std::string Text(Word word, std::string_view language,
                 std::initializer_list<std::string_view> args = {});
// The raw text with its "{}" kept.
std::string_view Pattern(Word word, std::string_view language);
std::string_view Key(Word word);
std::optional<Word> FromKey(std::string_view key);

// The languages the catalogue speaks: code, the language's own name and its English
// name ("km", "ខ្មែរ", "Khmer"), for a language switch ("ខ្មែរ (Khmer)").
struct LanguageNames {
  std::string_view code, own, english;
};
std::span<const LanguageNames> Languages();

// An ISO date "YYYY-MM-DD" in words: "6 December 2026", "ថ្ងៃទី៦ ខែធ្នូ ឆ្នាំ២០២៦" (Khmer
// digits), "ngày 6 tháng 12 năm 2026"; anything that is not such a date comes back
// unchanged.
std::string DateInWords(std::string_view iso, std::string_view language);

}  // namespace ngosurvey::words
