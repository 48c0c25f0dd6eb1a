#include "analysis/group_counts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace ngosurvey::analysis {
namespace {

using form::Answer;
using form::AnswerState;

Column Build(std::string name, ColumnKind kind, std::vector<std::string> options,
             const std::vector<Answer>& answers) {
  ColumnBuilder builder(std::move(name), kind, std::move(options));
  for (const Answer& a : answers) EXPECT_TRUE(builder.Append(a));
  return std::move(builder).Finish();
}

TEST(DatasetTest, EncodesStatesAndOptions) {
  Column c = Build("q", ColumnKind::kSingle, {"yes", "no"},
                   {Answer::Answered("no"), Answer::Refused(), Answer::DontKnow(),
                    Answer::NotAsked("yes"), Answer::Missing()});
  EXPECT_EQ(c.planes[0],
            (std::vector<uint8_t>{1, kCodeRefused, kCodeDontKnow, kCodeNotAsked, kCodeMissing}));
}

TEST(DatasetTest, RejectsValuesThatAreNotOptions) {
  ColumnBuilder builder("q", ColumnKind::kSingle, {"yes", "no"});
  auto status = builder.Append(Answer::Answered("maybe"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "D003");
  EXPECT_EQ(status.error().message, "row 1: 'maybe' is not an option of 'q'");
}

TEST(DatasetTest, MultiUsesSevenOptionsPerPlane) {
  std::vector<std::string> options;
  for (int i = 0; i < 9; ++i) options.push_back("o" + std::to_string(i));
  Column c =
      Build("m", ColumnKind::kMulti, options, {Answer::Answered("o0 o8"), Answer::Refused()});
  ASSERT_EQ(c.planes.size(), 2u);
  EXPECT_EQ(c.planes[0][0], 1);
  EXPECT_EQ(c.planes[1][0], 2);  // o8 = plane 1, bit 1
  EXPECT_EQ(c.planes[0][1], kCodeRefused);
  EXPECT_EQ(c.planes[1][1], 0);
}

TEST(DatasetTest, ColumnsMustHaveEqualLength) {
  Dataset data;
  ASSERT_TRUE(data.AddColumn(Build("a", ColumnKind::kSingle, {"x"}, {Answer::Answered("x")})));
  auto status = data.AddColumn(Build("b", ColumnKind::kSingle, {"x"}, {}));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "D001");
  EXPECT_FALSE(data.AddColumn(Build("a", ColumnKind::kSingle, {"x"}, {Answer::Answered("x")})));
}

// Random data big enough to span several blocks and both threads, counted by the
// kernel and by a plain loop over the answers.
TEST(GroupCountsTest, AgreesWithANaiveCountOnRandomData) {
  const size_t rows = 200000;
  std::mt19937 rng(42);
  std::vector<std::string> countries = {"KH", "VN", "LA"};
  std::vector<std::string> single = {"a", "b", "c", "d"};
  std::vector<std::string> multi = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"};
  auto random_state = [&]() -> Answer {
    switch (rng() % 20) {
      case 0:
        return Answer::Refused();
      case 1:
        return Answer::DontKnow();
      case 2:
        return Answer::NotAsked();
      case 3:
        return Answer::Missing();
      default:
        return Answer::Answered("");
    }
  };
  std::vector<Answer> group_answers, single_answers, multi_answers, number_answers;
  for (size_t i = 0; i < rows; ++i) {
    group_answers.push_back(rng() % 50 == 0 ? Answer::Missing()
                                            : Answer::Answered(countries[rng() % 3]));
    Answer s = random_state();
    if (s.state == AnswerState::kAnswered) s.value = single[rng() % 4];
    single_answers.push_back(s);
    Answer m = random_state();
    if (m.state == AnswerState::kAnswered) {
      for (size_t o = 0; o < multi.size(); ++o) {
        if (rng() % 3 == 0) m.value += (m.value.empty() ? "" : " ") + multi[o];
      }
    }
    multi_answers.push_back(m);
    Answer x = random_state();
    if (x.state == AnswerState::kAnswered)
      x.value = std::to_string(static_cast<int>(rng() % 1000) - 500);
    number_answers.push_back(x);
  }
  Dataset data;
  ASSERT_TRUE(data.AddColumn(Build("country", ColumnKind::kSingle, countries, group_answers)));
  ASSERT_TRUE(data.AddColumn(Build("s", ColumnKind::kSingle, single, single_answers)));
  ASSERT_TRUE(data.AddColumn(Build("m", ColumnKind::kMulti, multi, multi_answers)));
  ASSERT_TRUE(data.AddColumn(Build("x", ColumnKind::kNumber, {}, number_answers)));

  auto counts = CountByGroup(data, 0, {1, 2, 3}, 2);
  ASSERT_TRUE(counts) << counts.error().ToString();
  ASSERT_EQ(counts->group_count, 3);

  auto group_of = [&](size_t i) -> int {
    if (group_answers[i].state != AnswerState::kAnswered) return 3;
    for (int g = 0; g < 3; ++g) {
      if (countries[g] == group_answers[i].value) return g;
    }
    return -1;
  };
  for (int g = 0; g <= 3; ++g) {
    std::vector<uint64_t> single_expected(4, 0), multi_expected(8, 0);
    uint64_t refused = 0, mentions = 0, n = 0, multi_missing = 0;
    double sum = 0, min = 1e9, max = -1e9;
    for (size_t i = 0; i < rows; ++i) {
      if (group_of(i) != g) continue;
      if (single_answers[i].state == AnswerState::kAnswered) {
        for (int o = 0; o < 4; ++o) single_expected[o] += single_answers[i].value == single[o];
      }
      refused += single_answers[i].state == AnswerState::kRefused;
      if (multi_answers[i].state == AnswerState::kAnswered) {
        for (int o = 0; o < 8; ++o) {
          bool has =
              (" " + multi_answers[i].value + " ").find(" " + multi[o] + " ") != std::string::npos;
          multi_expected[o] += has;
          mentions += has;
        }
      }
      multi_missing += multi_answers[i].state == AnswerState::kMissing;
      if (number_answers[i].state == AnswerState::kAnswered) {
        double v = std::stod(number_answers[i].value);
        ++n, sum += v, min = std::min(min, v), max = std::max(max, v);
      }
    }
    for (int o = 0; o < 4; ++o)
      EXPECT_EQ(SingleOptionCount(counts->columns[0], g, o), single_expected[o]);
    EXPECT_EQ(StateCount(counts->columns[0], ColumnKind::kSingle, g, AnswerState::kRefused),
              refused);
    for (int o = 0; o < 8; ++o)
      EXPECT_EQ(MultiOptionCount(counts->columns[1], g, o), multi_expected[o]);
    EXPECT_EQ(MultiMentions(counts->columns[1], g), mentions);
    EXPECT_EQ(StateCount(counts->columns[1], ColumnKind::kMulti, g, AnswerState::kMissing),
              multi_missing);
    const NumberSummary& s = counts->columns[2].numbers[g];
    EXPECT_EQ(s.n, n);
    EXPECT_DOUBLE_EQ(s.sum, sum);  // integers: exact in any order
    if (n > 0) {
      EXPECT_EQ(s.min, min);
      EXPECT_EQ(s.max, max);
    }
  }
}

TEST(GroupCountsTest, NoGroupingColumnGivesOneGroup) {
  Dataset data;
  ASSERT_TRUE(
      data.AddColumn(Build("s", ColumnKind::kSingle, {"a", "b"},
                           {Answer::Answered("a"), Answer::Answered("b"), Answer::Answered("b")})));
  auto counts = CountByGroup(data, -1, {0});
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->group_count, 1);
  EXPECT_EQ(SingleOptionCount(counts->columns[0], 0, 1), 2u);
}

TEST(GroupCountsTest, RejectsBadColumns) {
  Dataset data;
  ASSERT_TRUE(data.AddColumn(Build("x", ColumnKind::kNumber, {}, {Answer::Answered("1")})));
  EXPECT_EQ(CountByGroup(data, 0, {0}).error().code, "T001");
  EXPECT_EQ(CountByGroup(data, -1, {7}).error().code, "T001");
}

}  // namespace
}  // namespace ngosurvey::analysis

namespace ngosurvey::analysis {
namespace {

TEST(GroupCountsTest, CallerMadeSlotsKeepExcludedRowsApart) {
  Dataset data;
  ColumnBuilder builder("s", ColumnKind::kSingle, {"a", "b"});
  for (const char* v : {"a", "b", "b", "a", "b"})
    ASSERT_TRUE(builder.Append(form::Answer::Answered(v)));
  ASSERT_TRUE(data.AddColumn(std::move(builder).Finish()));
  // Slot 0 and 1 are groups, slot 2 rows were filtered out.
  auto counts = CountBySlots(data, {0, 1, 2, 0, 2}, 3, {0});
  ASSERT_TRUE(counts) << counts.error().ToString();
  EXPECT_EQ(counts->group_count, 3);
  EXPECT_EQ(SingleOptionCount(counts->columns[0], 0, 0), 2u);
  EXPECT_EQ(SingleOptionCount(counts->columns[0], 1, 1), 1u);
  EXPECT_EQ(SingleOptionCount(counts->columns[0], 2, 1), 2u);
  EXPECT_EQ(CountBySlots(data, {0, 1}, 3, {0}).error().code, "T001");
}

// A code not below the slot count is refused wherever it is (the check reads 16 codes
// at a time, then the tail).
TEST(GroupCountsTest, CountBySlotsFindsAStrayCodeAnywhere) {
  const size_t rows = 41;
  Dataset data;
  ColumnBuilder builder("s", ColumnKind::kSingle, {"a"});
  for (size_t r = 0; r < rows; ++r) ASSERT_TRUE(builder.Append(form::Answer::Answered("a")));
  ASSERT_TRUE(data.AddColumn(std::move(builder).Finish()));
  for (size_t at = 0; at < rows; ++at) {
    std::vector<uint8_t> slots(rows, 2);
    slots[at] = 3;
    auto counts = CountBySlots(data, slots, 3, {0});
    ASSERT_FALSE(counts.has_value()) << at;
    EXPECT_EQ(counts.error().code, "T001");
    slots[at] = 0;
    EXPECT_TRUE(CountBySlots(data, slots, 3, {0}).has_value()) << at;
  }
}

// Every (slot, byte code) bin of every plane equals a naive count: codes over the
// whole byte range, 256 caller-made slots, an odd number of planes (counted two at a
// time, the last alone), a row count that is neither a multiple of a block nor of the
// kernel's four lanes, and a plane where every row of one slot has the same code (the
// most any 16-bit lane counter holds in a block).
TEST(GroupCountsTest, EveryBinOfEveryPlaneAgreesWithANaiveCount) {
  const size_t rows = 2 * 65536 + 7;
  std::mt19937_64 random(7);
  std::vector<uint8_t> slots(rows);
  for (auto& s : slots) s = static_cast<uint8_t>(random() % 256);
  std::vector<std::vector<uint8_t>> planes(3, std::vector<uint8_t>(rows));
  for (size_t i = 0; i < rows; ++i) {
    planes[0][i] = static_cast<uint8_t>(random());
    planes[1][i] = static_cast<uint8_t>(random() % 3);
    planes[2][i] = 0x2A;
  }
  std::vector<uint8_t> one_slot(rows, 5);
  for (const auto* groups : {&slots, &one_slot}) {
    Dataset data(rows);
    for (size_t p = 0; p < planes.size(); ++p) {
      Column column;
      column.name = "c" + std::to_string(p);
      column.kind = ColumnKind::kMulti;  // 7 options: one plane of raw bytes
      column.options = {"a", "b", "c", "d", "e", "f", "g"};
      column.planes.push_back(Buffer<uint8_t>(planes[p]));
      ASSERT_TRUE(data.AddColumn(std::move(column)));
    }
    for (unsigned threads : {1u, 2u}) {
      auto counts = CountBySlots(data, *groups, 256, {0, 1, 2}, threads);
      ASSERT_TRUE(counts) << counts.error().ToString();
      for (size_t p = 0; p < planes.size(); ++p) {
        std::vector<uint64_t> expected(256 * 256, 0);
        for (size_t i = 0; i < rows; ++i) ++expected[size_t{(*groups)[i]} * 256 + planes[p][i]];
        ASSERT_EQ(counts->columns[p].planes.size(), 1u);
        EXPECT_TRUE(counts->columns[p].planes[0].counts == expected) << "plane " << p;
      }
    }
  }
}

}  // namespace
}  // namespace ngosurvey::analysis

namespace ngosurvey::analysis {
namespace {

// Random byte columns as the loaders make them (option indexes and non-answer codes;
// for numbers a finite value or a non-answer state), with the grouping column first.
Dataset RandomCodedDataset(size_t rows, uint64_t seed) {
  std::mt19937_64 random(seed);
  Dataset data(rows);
  const uint8_t states[] = {kCodeNotAsked, kCodeDontKnow, kCodeRefused, kCodeMissing};
  auto add_single = [&](const std::string& name, size_t options) {
    Column column;
    column.name = name;
    column.kind = ColumnKind::kSingle;
    for (size_t o = 0; o < options; ++o) column.options.push_back("o" + std::to_string(o));
    std::vector<uint8_t> codes(rows);
    for (auto& code : codes) {
      code = random() % 10 == 0 ? states[random() % 4] : static_cast<uint8_t>(random() % options);
    }
    column.planes.push_back(Buffer<uint8_t>(std::move(codes)));
    EXPECT_TRUE(data.AddColumn(std::move(column)));
  };
  add_single("group", 3);
  for (size_t options : {1, 2, 6, 6, 6, 6, 6, 12, 13, 60, 252}) {
    add_single("s" + std::to_string(options) + "_" + std::to_string(data.columns().size()),
               options);
  }
  for (size_t options : {1, 5, 5, 7, 8, 15}) {
    Column column;
    column.name = "m" + std::to_string(options) + "_" + std::to_string(data.columns().size());
    column.kind = ColumnKind::kMulti;
    for (size_t o = 0; o < options; ++o) column.options.push_back("o" + std::to_string(o));
    size_t planes = (options + kOptionsPerPlane - 1) / kOptionsPerPlane;
    std::vector<std::vector<uint8_t>> bytes(planes, std::vector<uint8_t>(rows, 0));
    for (size_t i = 0; i < rows; ++i) {
      if (random() % 8 == 0) {
        bytes[0][i] = states[random() % 4];
        continue;
      }
      for (size_t p = 0; p < planes; ++p) {
        size_t in_plane = std::min<size_t>(kOptionsPerPlane, options - kOptionsPerPlane * p);
        bytes[p][i] = static_cast<uint8_t>(random() & ((1u << in_plane) - 1));
      }
    }
    for (auto& plane : bytes) column.planes.push_back(Buffer<uint8_t>(std::move(plane)));
    EXPECT_TRUE(data.AddColumn(std::move(column)));
  }
  for (int x = 0; x < 3; ++x) {
    Column column;
    column.name = "x" + std::to_string(x);
    column.kind = ColumnKind::kNumber;
    std::vector<double> values(rows);
    std::vector<uint8_t> codes(rows);
    for (size_t i = 0; i < rows; ++i) {
      bool answered = random() % 7 != 0;
      codes[i] = answered ? kCodeAnswered : states[random() % 4];
      // Sorted-ish values in one column, so that minima and maxima keep changing.
      values[i] = !answered ? std::nan("")
                  : x == 0  ? static_cast<double>(static_cast<int64_t>(random() % 2001) - 1000) / 8
                  : x == 1  ? -static_cast<double>(i) + static_cast<double>(random() % 5)
                            : std::ldexp(static_cast<double>(random() % 1000),
                                         static_cast<int>(random() % 40) - 20);
    }
    column.numbers = Buffer<double>(std::move(values));
    column.states = Buffer<uint8_t>(std::move(codes));
    EXPECT_TRUE(data.AddColumn(std::move(column)));
  }
  return data;
}

// Checks every bin of every plane, and every numeric summary, against a plain loop.
void ExpectNaiveCounts(const Dataset& data, const GroupedCounts& counts,
                       const std::vector<uint8_t>& slot_of_row, int slots) {
  for (const ColumnCounts& cc : counts.columns) {
    const Column& column = data.column(cc.column);
    if (column.kind == ColumnKind::kNumber) {
      for (int slot = 0; slot < slots; ++slot) {
        NumberSummary expected;
        double min = INFINITY, max = -INFINITY;
        for (size_t i = 0; i < data.rows(); ++i) {
          if (slot_of_row[i] != slot) continue;
          uint8_t code = column.states[i];
          if (code != kCodeAnswered) {
            ++expected.state_counts[code - kCodeNotAsked];
            continue;
          }
          ++expected.n;
          expected.sum += column.numbers[i];
          expected.sum_squares += column.numbers[i] * column.numbers[i];
          min = std::min(min, column.numbers[i]);
          max = std::max(max, column.numbers[i]);
        }
        const NumberSummary& got = cc.numbers[slot];
        ASSERT_EQ(got.n, expected.n) << column.name << " slot " << slot;
        for (int k = 0; k < 4; ++k)
          EXPECT_EQ(got.state_counts[k], expected.state_counts[k]) << column.name;
        if (expected.n == 0) continue;
        EXPECT_EQ(got.min, min) << column.name << " slot " << slot;
        EXPECT_EQ(got.max, max) << column.name << " slot " << slot;
        EXPECT_NEAR(got.sum, expected.sum,
                    1e-9 * std::max(1.0, std::abs(expected.sum)) + 1e-12 * expected.n)
            << column.name;
        EXPECT_NEAR(got.sum_squares, expected.sum_squares, 1e-9 * expected.sum_squares)
            << column.name;
      }
      continue;
    }
    for (size_t p = 0; p < column.planes.size(); ++p) {
      std::vector<uint64_t> expected(static_cast<size_t>(slots) * 256, 0);
      for (size_t i = 0; i < data.rows(); ++i)
        ++expected[size_t{slot_of_row[i]} * 256 + column.planes[p][i]];
      ASSERT_TRUE(cc.planes[p].counts == expected) << column.name << " plane " << p;
    }
  }
}

// The packed kernel (several planes per increment, AVX-512 where the CPU has it) and
// the portable one agree with a plain count: row counts around the kernel's 16-, 64-
// and 4096-row steps, one and two threads, planes of every width.
TEST(GroupCountsTest, PackedCountsAgreeWithANaiveCountAtEveryShape) {
  for (size_t rows : {1, 15, 16, 63, 64, 65, 127, 4095, 4096, 4097, 70001, 300007}) {
    Dataset data = RandomCodedDataset(rows, rows);
    std::vector<int> columns;
    for (int c = 1; c < static_cast<int>(data.columns().size()); ++c) columns.push_back(c);
    std::vector<uint8_t> slot_of_row(rows);
    for (size_t i = 0; i < rows; ++i)
      slot_of_row[i] = std::min<uint8_t>(data.column(0).planes[0][i], 3);
    for (bool portable : {false, true}) {
      DisableWideVectorsForTesting(portable);
      for (unsigned threads : {1u, 2u}) {
        SCOPED_TRACE("rows " + std::to_string(rows) + (portable ? " portable" : " wide") +
                     " threads " + std::to_string(threads));
        auto counts = CountByGroup(data, 0, columns, threads);
        ASSERT_TRUE(counts) << counts.error().ToString();
        ExpectNaiveCounts(data, *counts, slot_of_row, 4);
      }
    }
    DisableWideVectorsForTesting(false);
  }
}

// A chunk holding a byte that is not a code of its column (a damaged dataset) is
// counted byte by byte: nothing is lost or misfiled, the other chunks keep the fast path.
TEST(GroupCountsTest, BytesOutsideTheCodesAreStillCountedExactly) {
  const size_t rows = 3 * 4096 + 100;
  Dataset data = RandomCodedDataset(rows, 99);
  std::vector<int> columns;
  for (int c = 1; c < static_cast<int>(data.columns().size()); ++c) columns.push_back(c);
  // Poke stray bytes into one chunk of a select_one with 6 options and of a number's states.
  Dataset damaged(rows);
  for (const Column& original : data.columns()) {
    Column column = original;
    if (column.name == "s6_3") {
      std::vector<uint8_t> bytes(column.planes[0].begin(), column.planes[0].end());
      bytes[4096 + 17] = 0x80;
      bytes[rows - 1] = 6;  // in the scalar tail
      column.planes[0] = Buffer<uint8_t>(std::move(bytes));
    }
    ASSERT_TRUE(damaged.AddColumn(std::move(column)));
  }
  std::vector<uint8_t> slot_of_row(rows);
  for (size_t i = 0; i < rows; ++i)
    slot_of_row[i] = std::min<uint8_t>(data.column(0).planes[0][i], 3);
  for (bool portable : {false, true}) {
    DisableWideVectorsForTesting(portable);
    auto counts = CountByGroup(damaged, 0, columns, 1);
    ASSERT_TRUE(counts) << counts.error().ToString();
    ExpectNaiveCounts(damaged, *counts, slot_of_row, 4);
  }
  DisableWideVectorsForTesting(false);
}

TEST(GroupCountsTest, CallerMadeSlotsMustBeBelowTheSlotCount) {
  Dataset data = RandomCodedDataset(10, 1);
  std::vector<uint8_t> slots(10, 1);
  slots[9] = 4;
  auto counts = CountBySlots(data, slots, 4, {1});
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().code, "T001");
  EXPECT_NE(counts.error().message.find("group code 4"), std::string::npos)
      << counts.error().message;
  slots[9] = 3;
  EXPECT_TRUE(CountBySlots(data, slots, 4, {1}));
}

}  // namespace
}  // namespace ngosurvey::analysis

namespace ngosurvey::analysis {
namespace {

// Lists of any length (issue 17): a select_one's code width follows its options (1 byte
// up to 252, 16 bits up to 65,532, 32 bits beyond), every width is counted by group as a
// plain loop over the answers counts it, on both threads, with the narrow columns of the
// same pass; a grouping column is narrow (a wide one is T001), and AddColumn refuses
// codes of the wrong width or outside the options.
TEST(GroupCountsTest, WideCodesAgreeWithANaiveCount) {
  const size_t rows = 150000;
  std::mt19937 rng(7);
  Dataset data;
  std::vector<Answer> groups;
  for (size_t r = 0; r < rows; ++r) {
    groups.push_back(rng() % 17 == 0 ? Answer::Missing()
                                     : Answer::Answered(rng() % 2 ? "KH" : "VN"));
  }
  ASSERT_TRUE(data.AddColumn(Build("country", ColumnKind::kSingle, {"KH", "VN"}, groups)));
  std::vector<int> sizes = {6, 252, 253, 65532, 65533, 70000};
  std::vector<std::vector<Answer>> answers(sizes.size());
  for (size_t k = 0; k < sizes.size(); ++k) {
    std::vector<std::string> options;
    for (int i = 0; i < sizes[k]; ++i) options.push_back("o" + std::to_string(i));
    for (size_t r = 0; r < rows; ++r) {
      int roll = static_cast<int>(rng() % 40);
      int option = roll < 5    ? 0
                   : roll < 10 ? sizes[k] - 1
                               : static_cast<int>(rng() % static_cast<uint32_t>(sizes[k]));
      answers[k].push_back(roll == 10   ? Answer::Refused()
                           : roll == 11 ? Answer::DontKnow()
                           : roll == 12 ? Answer::NotAsked()
                           : roll == 13 ? Answer::Missing()
                                        : Answer::Answered("o" + std::to_string(option)));
    }
    Column column = Build("q" + std::to_string(sizes[k]), ColumnKind::kSingle, options, answers[k]);
    EXPECT_EQ(column.code_width(), sizes[k] <= 252 ? 1 : sizes[k] <= 65532 ? 2 : 4);
    EXPECT_EQ(column.planes.empty(), sizes[k] > 252);
    ASSERT_TRUE(data.AddColumn(std::move(column)));
  }
  std::vector<int> columns;
  for (size_t k = 0; k < sizes.size(); ++k) columns.push_back(static_cast<int>(k) + 1);
  for (unsigned threads : {1u, 2u}) {
    auto counts = CountByGroup(data, 0, columns, threads);
    ASSERT_TRUE(counts) << counts.error().ToString();
    for (size_t k = 0; k < sizes.size(); ++k) {
      SCOPED_TRACE(sizes[k]);
      // The naive count: (group, option) and (group, state).
      std::map<std::pair<int, std::string>, uint64_t> chosen;
      std::map<std::pair<int, int>, uint64_t> states;
      for (size_t r = 0; r < rows; ++r) {
        int g = groups[r].state != AnswerState::kAnswered ? 2 : groups[r].value == "KH" ? 0 : 1;
        if (answers[k][r].state == AnswerState::kAnswered) ++chosen[{g, answers[k][r].value}];
        ++states[{g, static_cast<int>(answers[k][r].state)}];
      }
      const ColumnCounts& c = counts->columns[k];
      for (int g = 0; g < 3; ++g) {
        for (int option : {0, 1, sizes[k] / 2, sizes[k] - 1}) {
          auto it = chosen.find({g, "o" + std::to_string(option)});
          EXPECT_EQ(SingleOptionCount(c, g, option), it == chosen.end() ? 0 : it->second)
              << "group " << g << " option " << option;
        }
        for (AnswerState state :
             {AnswerState::kAnswered, AnswerState::kRefused, AnswerState::kDontKnow,
              AnswerState::kNotAsked, AnswerState::kMissing}) {
          auto it = states.find({g, static_cast<int>(state)});
          EXPECT_EQ(StateCount(c, ColumnKind::kSingle, g, state),
                    it == states.end() ? 0 : it->second)
              << "group " << g << " state " << static_cast<int>(state);
        }
      }
    }
  }
  // A wide column is no grouping.
  auto grouped = CountByGroup(data, 3, {1}, 1);
  ASSERT_FALSE(grouped);
  EXPECT_EQ(grouped.error().code, "T001");
}

TEST(DatasetTest, WideCodesMustFitTheirOptions) {
  std::vector<std::string> options;
  for (int i = 0; i < 300; ++i) options.push_back("o" + std::to_string(i));
  Column good = Build("q", ColumnKind::kSingle, options, {Answer::Answered("o299")});
  ASSERT_EQ(good.codes16, std::vector<uint16_t>{299});
  Column outside = good;
  outside.codes16 = std::vector<uint16_t>{300};  // neither an option nor a state
  Dataset data;
  auto status = data.AddColumn(outside);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "D002");
  Column narrow = good;  // 300 options in bytes
  narrow.codes16 = Buffer<uint16_t>();
  narrow.planes.assign(1, std::vector<uint8_t>{1});
  EXPECT_FALSE(data.AddColumn(narrow));
  Column too_wide = good;  // 300 options in 32 bits
  too_wide.codes16 = Buffer<uint16_t>();
  too_wide.codes32 = std::vector<uint32_t>{1};
  EXPECT_FALSE(data.AddColumn(too_wide));
  EXPECT_TRUE(data.AddColumn(good));
  EXPECT_EQ(data.column(0).SingleCode(0), 299u);
}

}  // namespace
}  // namespace ngosurvey::analysis
