#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "base/diagnostic.h"
#include "base/error.h"
#include "base/file.h"
#include "base/text.h"

namespace ngosurvey {
namespace {

TEST(LocationTest, FormatsSheetCell) {
  Location where{.file = "form.xlsx", .sheet = "survey", .row = 14, .column = 6};
  EXPECT_EQ(where.ToString(), "form.xlsx:survey!F14");
}

TEST(LocationTest, FormatsTextFileLineAndColumn) {
  Location where{.file = "data.csv", .row = 3, .column = 7};
  EXPECT_EQ(where.ToString(), "data.csv:3:7");
}

TEST(LocationTest, ColumnLettersPastZ) {
  EXPECT_EQ(ColumnLetters(1), "A");
  EXPECT_EQ(ColumnLetters(26), "Z");
  EXPECT_EQ(ColumnLetters(27), "AA");
  EXPECT_EQ(ColumnLetters(702), "ZZ");
  EXPECT_EQ(ColumnLetters(703), "AAA");
}

TEST(ErrorTest, CaretUnderExpressionOffset) {
  Error error{"E012", "unknown reference ${agee}; did you mean ${age}?",
              Location{.file = "form.xlsx",
                       .sheet = "survey",
                       .row = 14,
                       .column = 6,
                       .expr_offset = 4,
                       .expression = "1 + ${agee}"}};
  EXPECT_EQ(error.ToString(),
            "form.xlsx:survey!F14: E012: unknown reference ${agee}; did you mean ${age}?\n"
            "    1 + ${agee}\n"
            "        ^");
}

TEST(ErrorTest, CaretCountsDisplayColumnsNotBytes) {
  // "ឈ្មោះ" is 5 code points of which 3 are combining: 2 display columns.
  Error error{"E001", "m",
              Location{.expr_offset = static_cast<int>(std::string("'ឈ្មោះ' ").size()),
                       .expression = "'ឈ្មោះ' +"}};
  std::string shown = error.ToString();
  EXPECT_TRUE(shown.ends_with(std::string(4 + 5, ' ') + "^")) << shown;
}

Result<int> Half(int x) {
  if (x % 2) return MakeError("T1", "odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  int half = NGO_TRY(Half(x));
  return NGO_TRY(Half(half));
}

TEST(ResultTest, TryPropagatesErrors) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_EQ(Quarter(6).error().message, "odd");
}

TEST(TextTest, Utf8Validity) {
  EXPECT_TRUE(text::IsValidUtf8("Việt Nam ភាសាខ្មែរ"));
  EXPECT_TRUE(text::IsValidUtf8("\xEF\xBF\xBD"));
  EXPECT_FALSE(text::IsValidUtf8("\xC0\x80"));      // overlong
  EXPECT_FALSE(text::IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(text::IsValidUtf8("abc\xE2\x82"));   // truncated
}

TEST(TextTest, CodePointsAndWidth) {
  EXPECT_EQ(text::CodePointCount("Việt"), 4u);
  EXPECT_EQ(text::DisplayWidth("Việt"), 4u);
  EXPECT_EQ(text::DisplayWidth("中文"), 4u);
}

TEST(TextTest, TrimDropsAsciiSpaceAtBothEndsOnly) {
  EXPECT_EQ(text::Trim(" \t\r\n\v\fa b\tc \n"), "a b\tc");
  EXPECT_EQ(text::Trim("abc"), "abc");
  EXPECT_EQ(text::Trim("  x"), "x");
  EXPECT_EQ(text::Trim("x  "), "x");
  EXPECT_EQ(text::Trim(" \t\n "), "");
  EXPECT_EQ(text::Trim(""), "");
  // Not ASCII space: a no-break space (U+00A0) and a NUL stay.
  EXPECT_EQ(text::Trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
  EXPECT_EQ(text::Trim(std::string_view("\0x", 2)), std::string_view("\0x", 2));
}

TEST(TextTest, EditDistance) {
  EXPECT_EQ(text::EditDistance("agee", "age"), 1u);
  EXPECT_EQ(text::EditDistance("", "abc"), 3u);
  EXPECT_EQ(text::EditDistance("kitten", "sitting"), 3u);
}

TEST(DiagnosticsTest, CountsBySeverity) {
  Diagnostics diags;
  diags.AddError("E1", "a", {});
  diags.AddWarning("W1", "b", {});
  diags.AddWarning("W2", "c", {});
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.warning_count(), 2u);
}

TEST(FileTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  auto dir =
      std::filesystem::temp_directory_path() / ("ngo_file_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "out.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "first"));
  ASSERT_TRUE(WriteFileAtomic(path, "second"));
  EXPECT_EQ(ReadFile(path).value(), "second");
  // A failing writer leaves the old contents and no temporary file.
  Status failed = WriteFileAtomicWith(
      path, [](const std::string&) -> Status { return MakeError("T", "boom"); });
  EXPECT_FALSE(failed);
  EXPECT_EQ(ReadFile(path).value(), "second");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(FileTest, WritesIntoANamedPipeInsteadOfReplacingIt) {
  // What `-o /dev/null` or `-o /dev/stdout` meet: a target that is no regular file
  // is written into, and stays what it was (a rename would have replaced it).
  auto dir = std::filesystem::temp_directory_path() / ("ngo_fifo_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "pipe").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] {
    std::ifstream in(path, std::ios::binary);
    got.assign(std::istreambuf_iterator<char>(in), {});
  });
  Status written = WriteFileAtomic(path, "through the pipe");
  reader.join();
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_EQ(got, "through the pipe");
  EXPECT_TRUE(std::filesystem::is_fifo(path));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary
  // A folder is refused, and left as it was.
  Status folder = WriteFileAtomic(dir.string(), "x");
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().code, "IO004");
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  std::filesystem::remove_all(dir);
}

TEST(FileTest, ReadFileLimitsSize) {
  auto dir = std::filesystem::temp_directory_path();
  std::string path = (dir / ("ngo_big_" + std::to_string(::getpid()))).string();
  ASSERT_TRUE(WriteFileAtomic(path, std::string(100, 'x')));
  auto result = ReadFile(path, 10);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "IO002");
  std::filesystem::remove(path);
  EXPECT_EQ(ReadFile(path).error().code, "IO001");
}

}  // namespace
}  // namespace ngosurvey

namespace ngosurvey {
namespace {

Status CheckEven(int x) {
  if (x % 2) return MakeError("T2", "odd");
  return Ok();
}

Result<int> DoubleIfEven(int x) {
  NGO_TRY(CheckEven(x));
  const Result<int> named = x * 2;
  return NGO_TRY(named);
}

TEST(ResultTest, TryWorksOnStatusAndNamedResults) {
  EXPECT_EQ(DoubleIfEven(4).value(), 8);
  EXPECT_EQ(DoubleIfEven(3).error().code, "T2");
}

}  // namespace
}  // namespace ngosurvey
