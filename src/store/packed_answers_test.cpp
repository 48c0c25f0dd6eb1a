// The packed answer encoding (store/packed_answers.h): round trips, the documented
// bytes, and rejection of every kind of damage with the byte offset.
#include "store/packed_answers.h"

#include <gtest/gtest.h>

namespace ngosurvey::store::packed {
namespace {

using form::Answer;
using form::AnswerState;

Answers Sample() {
  Answers a;
  a["age"] = Answer::Answered("34");
  a["grp/q1"] = Answer::Refused();
  a["grp/q10"] = Answer::DontKnow();
  a["grp/q2"] = Answer{"", AnswerState::kNotAsked};
  a["name"] = Answer::Answered("សុខា Nguyễn\nline two");
  a["programs[2]/name"] = Answer::Missing();
  return a;
}

TEST(PackedAnswersTest, RoundTripsEveryStateAndUtf8) {
  std::string blob;
  Encode(Sample(), &blob);
  auto back = DecodeToMap(blob);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, Sample());

  std::string arena;
  std::vector<AnswerView> views;
  ASSERT_TRUE(Decode(blob, &arena, &views));
  ASSERT_EQ(views.size(), 6u);
  EXPECT_EQ(views[2].path, "grp/q10");
  EXPECT_EQ(views[2].state, AnswerState::kDontKnow);
  EXPECT_EQ(views[4].value, "សុខា Nguyễn\nline two");
}

TEST(PackedAnswersTest, EmptyAnswersAreTwoBytes) {
  std::string blob;
  Encode({}, &blob);
  EXPECT_EQ(blob, std::string("\x01\x00", 2));
  auto back = DecodeToMap(blob);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty());
}

TEST(PackedAnswersTest, BytesAreAsDocumented) {
  Answers a;
  a["grp/a"] = Answer::Answered("7");
  a["grp/b"] = Answer::Refused();
  std::string blob;
  Encode(a, &blob);
  // version 1, 2 answers; "grp/a": shares 0, 5 bytes, answered, "7"; "grp/b": shares
  // 4 ("grp/"), 1 byte "b", refused, empty value.
  EXPECT_EQ(blob, std::string("\x01\x02"
                              "\x00\x05grp/a\x00\x01"
                              "7"
                              "\x04\x01"
                              "b\x01\x00",
                              17));
}

TEST(PackedAnswersTest, LongValuesUseMultiByteLengths) {
  Answers a;
  a["text"] = Answer::Answered(std::string(70000, 'x'));
  std::string blob;
  Encode(a, &blob);
  auto back = DecodeToMap(blob);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at("text").value.size(), 70000u);
}

Status DecodeStatus(std::string_view blob) {
  std::string arena;
  std::vector<AnswerView> views;
  return Decode(blob, &arena, &views);
}

void ExpectRejected(std::string_view blob, const std::string& words) {
  Status status = DecodeStatus(blob);
  ASSERT_FALSE(status) << "accepted: " << words;
  EXPECT_EQ(status.error().code, "IO105");
  EXPECT_NE(status.error().message.find(words), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("at byte"), std::string::npos) << status.error().message;
}

TEST(PackedAnswersTest, EveryTruncationIsRejected) {
  std::string blob;
  Encode(Sample(), &blob);
  for (size_t n = 0; n < blob.size(); ++n) {
    EXPECT_FALSE(DecodeStatus(std::string_view(blob).substr(0, n))) << "prefix of " << n;
  }
}

TEST(PackedAnswersTest, DamageIsNamed) {
  ExpectRejected(std::string("\x02\x00", 2), "unknown format version 2");
  ExpectRejected(std::string("\x01\x00\x00", 3), "bytes after the last answer");
  ExpectRejected(std::string("\x01\x7f", 2), "larger than the data");
  ExpectRejected(std::string("\x01\x01\x00\x01"
                             "a\x05\x00",
                             7),
                 "unknown answer state 5");
  ExpectRejected(std::string("\x01\x01\x00\x09"
                             "a\x00\x00",
                             7),
                 "runs past the end");
  ExpectRejected(std::string("\x01\x01\x00\x00\x00\x00", 6), "empty or repeated path");
  // "ab" then "ac" sharing only "" (not the longest shared prefix).
  ExpectRejected(std::string("\x01\x02\x00\x02"
                             "ab\x00\x00"
                             "\x00\x02"
                             "ac\x00\x00",
                             14),
                 "not the longest");
  // A value length of 1 written in two bytes (0x81 0x00).
  ExpectRejected(std::string("\x01\x01\x00\x01"
                             "a\x00\x81\x00"
                             "x",
                             9),
                 "shortest form");
  // Each path the previous one plus "a", from 2000 bytes on: 20,000 of them would
  // rebuild 240 MB of paths from a 120 kB blob. Bounded instead.
  auto varint = [](uint32_t n) {
    std::string out;
    for (; n >= 0x80; n >>= 7) out += static_cast<char>((n & 0x7f) | 0x80);
    return out + static_cast<char>(n);
  };
  std::string greedy = "\x01" + varint(20000) + std::string(1, '\0') + varint(2000) +
                       std::string(2000, 'a') + std::string(2, '\0');
  for (uint32_t i = 1; i < 20000; ++i) {
    greedy += varint(1999 + i) +
              "\x01"
              "a" +
              std::string(2, '\0');
  }
  ExpectRejected(greedy, "in all");
  ExpectRejected(std::string("\x01\x01\x03\x01"
                             "a\x00\x00",
                             7),
                 "shares 3 bytes");
  // "b" then "a": out of order; "a" then "a": repeated.
  ExpectRejected(std::string("\x01\x02\x00\x01"
                             "b\x00\x00"
                             "\x00\x01"
                             "a\x00\x00",
                             12),
                 "out of order");
  ExpectRejected(std::string("\x01\x02\x00\x01"
                             "a\x00\x00"
                             "\x01\x00\x00\x00",
                             11),
                 "repeated");
  ExpectRejected(std::string("\x01\xff\xff\xff\xff\xff\x01", 7), "longer than 5 bytes");
  ExpectRejected(std::string("\x01\xff\xff\xff\xff\x7f", 6), "out of range");
}

}  // namespace
}  // namespace ngosurvey::store::packed
