#include "base/words.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ngosurvey::words {
namespace {

TEST(Words, EveryWordHasAKeyAndThreeDifferentTexts) {
  std::set<std::string_view> keys;
  for (const Entry& e : Catalogue()) {
    EXPECT_TRUE(keys.insert(e.key).second) << "key used twice: " << e.key;
    EXPECT_EQ(FromKey(e.key), e.word) << e.key;
    EXPECT_EQ(Key(e.word), e.key);
    EXPECT_FALSE(e.en.empty()) << e.key;
    EXPECT_FALSE(e.km.empty()) << e.key;
    EXPECT_FALSE(e.vi.empty()) << e.key;
    // The pattern's placeholders are the same in every language.
    auto holes = [](std::string_view s) {
      size_t n = 0;
      for (size_t i = s.find("{}"); i != std::string_view::npos; i = s.find("{}", i + 2)) ++n;
      return n;
    };
    EXPECT_EQ(holes(e.km), holes(e.en)) << e.key;
    EXPECT_EQ(holes(e.vi), holes(e.en)) << e.key;
    if (e.key == "date_pattern") continue;  // "{} {} {}" in English
    EXPECT_NE(e.km, e.en) << e.key;
    EXPECT_NE(e.vi, e.en) << e.key;
  }
  EXPECT_EQ(FromKey("no_such_word"), std::nullopt);
}

TEST(Words, TextFillsThePlaceholdersInOrder) {
  EXPECT_EQ(Text(Word::kStatusWaiting, "en", {"3"}), "Waiting to be sent: 3");
  EXPECT_EQ(Text(Word::kStatusWaiting, "km", {"3"}), "កំពុងរង់ចាំផ្ញើ៖ 3");
  EXPECT_EQ(Text(Word::kStatusWaiting, "vi", {"3"}), "Đang chờ gửi: 3");
  EXPECT_EQ(Text(Word::kPositionOf, "en", {"5", "23"}), "5 of 23");
  // A language the catalogue does not speak gets English; a missing argument is "".
  EXPECT_EQ(Text(Word::kButtonNext, "fr"), "Next");
  EXPECT_EQ(Text(Word::kPositionOf, "en", {"5"}), "5 of ");
  EXPECT_EQ(Pattern(Word::kStatusWaiting, "en"), "Waiting to be sent: {}");
}

TEST(Words, TheAccessibleNamesOfIssue16) {
  // English texts that scripts rely on as accessible names (a public interface).
  const std::pair<Word, std::string_view> names[] = {{Word::kButtonNext, "Next"},
                                                     {Word::kButtonBack, "Back"},
                                                     {Word::kButtonSave, "Save"},
                                                     {Word::kButtonSend, "Send"},
                                                     {Word::kButtonAdd, "Add"},
                                                     {Word::kButtonRemove, "Remove"},
                                                     {Word::kButtonRefuse, "Refuse"},
                                                     {Word::kButtonDontKnow, "Don't know"},
                                                     {Word::kButtonLogIn, "Log in"},
                                                     {Word::kLabelUser, "User"},
                                                     {Word::kLabelPassword, "Password"},
                                                     {Word::kLabelLanguage, "Language"},
                                                     {Word::kHeadingSubmissions, "Submissions"},
                                                     {Word::kLinkOpen, "Open"},
                                                     {Word::kLabelReviewStatus, "Review status"},
                                                     {Word::kReviewApproved, "Approved"},
                                                     {Word::kReviewNeedsChecking, "Needs checking"},
                                                     {Word::kReviewRejected, "Rejected"},
                                                     {Word::kLabelComment, "Comment"}};
  for (const auto& [word, name] : names) EXPECT_EQ(Text(word, "en"), name);
  EXPECT_EQ(Text(Word::kButtonNext, "km"), "បន្ទាប់");  // the issue's own example
}

TEST(Words, LanguagesByTheirOwnAndEnglishNames) {
  ASSERT_EQ(Languages().size(), 3u);
  EXPECT_EQ(Languages()[1].code, "km");
  EXPECT_EQ(Languages()[1].own, "ខ្មែរ");
  EXPECT_EQ(Languages()[1].english, "Khmer");
  EXPECT_EQ(Languages()[2].own, "Tiếng Việt");
}

TEST(Words, TextsAreSafeInHtmlAndMarkdownPages) {
  // Reports put patterns into HTML as they are (arguments are escaped by the caller):
  // no text may hold markup of its own.
  for (const Entry& e : Catalogue()) {
    for (std::string_view text : {e.en, e.km, e.vi}) {
      EXPECT_EQ(text.find_first_of("<>&"), std::string_view::npos) << e.key;
      EXPECT_EQ(text.find('|'), std::string_view::npos) << e.key << ": a Markdown table's cell";
    }
  }
}

TEST(Words, TheCatalogueLanguageOfAFormsLanguage) {
  EXPECT_EQ(CatalogueLanguage("vi"), "vi");
  EXPECT_EQ(CatalogueLanguage("Vietnamese"), "vi");
  EXPECT_EQ(CatalogueLanguage("VI"), "vi");
  EXPECT_EQ(CatalogueLanguage("Tiếng Việt"), "vi");
  EXPECT_EQ(CatalogueLanguage("khmer"), "km");
  EXPECT_EQ(CatalogueLanguage("ខ្មែរ"), "km");
  EXPECT_EQ(CatalogueLanguage("fr"), "en");
  EXPECT_EQ(CatalogueLanguage(""), "en");
  // The report's words exist in every language, with their placeholders.
  EXPECT_EQ(Text(Word::kTableAnsweredOf, "en", {"13", "14"}), "13 of 14 answered");
  EXPECT_EQ(Text(Word::kTableAnsweredOf, "vi", {"13", "14"}), "13 trên 14 đã trả lời");
  EXPECT_EQ(Text(Word::kValueRefused, "km"), "បដិសេធមិនឆ្លើយ");
}

TEST(Words, DatesInWords) {
  EXPECT_EQ(DateInWords("2026-12-06", "en"), "6 December 2026");
  EXPECT_EQ(DateInWords("2026-12-06", "km"), "ថ្ងៃទី៦ ខែធ្នូ ឆ្នាំ២០២៦");
  EXPECT_EQ(DateInWords("2026-01-31", "vi"), "ngày 31 tháng 1 năm 2026");
  EXPECT_EQ(DateInWords("2026-02-30", "en"), "2026-02-30");  // not a date: unchanged
  EXPECT_EQ(DateInWords("soon", "km"), "soon");
}

}  // namespace
}  // namespace ngosurvey::words
