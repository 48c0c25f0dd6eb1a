#include "base/csv.h"

#include <gtest/gtest.h>

namespace ngosurvey::csv {
namespace {

Table MustParse(std::string_view data, Options options = {}) {
  auto table = ParseTable(data, "t.csv", options);
  EXPECT_TRUE(table) << (table ? "" : table.error().ToString());
  return table ? *table : Table{};
}

Error MustFail(std::string_view data, Options options = {}) {
  auto table = ParseTable(data, "t.csv", options);
  EXPECT_FALSE(table);
  return table ? Error{} : table.error();
}

TEST(CsvTest, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  Table t = MustParse("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,end\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][0], "x,1");
  EXPECT_EQ(t.rows[0][1], "say \"hi\"");
  EXPECT_EQ(t.rows[0][2], "two\nlines");
  EXPECT_EQ(t.rows[1][1], "");
  // The second data row starts on line 4 because the quoted field spans two lines.
  EXPECT_EQ(t.row_lines[0], 2);
  EXPECT_EQ(t.row_lines[1], 4);
}

TEST(CsvTest, Utf8BomIsStripped) {
  Table t = MustParse("\xEF\xBB\xBFname\nViệt Nam\n");
  EXPECT_EQ(t.header[0], "name");
  EXPECT_EQ(t.rows[0][0], "Việt Nam");
}

TEST(CsvTest, Utf16LittleEndianIsConverted) {
  std::u16string text = u"id,name\n1,ខ្មែរ\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t unit : text) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>(unit >> 8));
  }
  Table t = MustParse(bytes);
  EXPECT_EQ(t.rows[0][1], "ខ្មែរ");
}

TEST(CsvTest, Windows1252IsRefusedWithLineAndColumn) {
  Error e = MustFail("name\nCaf\xE9\n");
  EXPECT_EQ(e.code, "CSV007");
  EXPECT_EQ(e.where.ToString(), "t.csv:2:4");
}

TEST(CsvTest, RaggedRowIsAnErrorNamingTheRow) {
  Error e = MustFail("a,b\n1,2\n3\n");
  EXPECT_EQ(e.code, "CSV005");
  EXPECT_EQ(e.where.row, 3);
  EXPECT_EQ(e.message, "row has 1 fields, the header has 2");
}

TEST(CsvTest, RaggedRowsPaddedWhenAllowed) {
  Options options;
  options.require_rectangular = false;
  Table t = MustParse("a,b\n1\n", options);
  EXPECT_EQ(t.rows[0].size(), 2u);
}

TEST(CsvTest, DuplicateHeader) {
  Error e = MustFail("a,b,a\n1,2,3\n");
  EXPECT_EQ(e.code, "CSV006");
  EXPECT_EQ(e.where.column, 3);
}

TEST(CsvTest, UnterminatedQuoteNamesWhereItOpened) {
  Error e = MustFail("a,b\n1,\"open\n\n");
  EXPECT_EQ(e.code, "CSV002");
  EXPECT_EQ(e.where.row, 2);
  EXPECT_EQ(e.where.column, 2);
}

TEST(CsvTest, StrayQuoteInBareField) {
  EXPECT_EQ(MustFail("a\nx\"y\n").code, "CSV008");
  EXPECT_EQ(MustFail("a,b\n\"x\"y,1\n").code, "CSV008");
}

TEST(CsvTest, EmptyInput) { EXPECT_EQ(MustFail("").code, "CSV001"); }

TEST(CsvTest, FieldSizeLimit) {
  Options options;
  options.max_field_bytes = 8;
  EXPECT_EQ(MustFail("a\n123456789\n", options).code, "CSV003");
  EXPECT_EQ(MustFail("a\n\"123456789\"\n", options).code, "CSV003");
}

TEST(CsvTest, LoneCarriageReturnsEndRecords) {
  Table t = MustParse("a\r1\r2\r");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1][0], "2");
}

TEST(CsvTest, QuoteRoundTrips) {
  std::vector<std::string> fields = {"plain", "with,comma", "say \"hi\"", "two\nlines", " pad", ""};
  std::string out = "h1,h2,h3,h4,h5,h6\n";
  AppendRow(fields, &out);
  Table t = MustParse(out);
  EXPECT_EQ(t.rows[0], fields);
}

// Regression (csv_fuzzer): UTF-16 text whose first character is U+FEFF after the
// byte-order mark. The header cell keeps the U+FEFF, and writing it back quotes it so
// that a re-read does not take it for a UTF-8 byte-order mark.
TEST(CsvTest, LeadingZeroWidthNoBreakSpaceSurvivesARoundTrip) {
  Table t = MustParse(std::string("\xFF\xFE\xFF\xFE", 4));
  ASSERT_EQ(t.header.size(), 1u);
  EXPECT_EQ(t.header[0], "\xEF\xBB\xBF");
  std::string out;
  AppendRow(t.header, &out);
  EXPECT_EQ(MustParse(out).header, t.header);
}

TEST(CsvTest, RowReaderStreamsRecords) {
  std::string data = "a,b\n1,2\n3,4\n";
  RowReader reader(data, "s.csv");
  std::vector<std::string> fields;
  int records = 0;
  while (reader.Next(&fields).value()) ++records;
  EXPECT_EQ(records, 3);
}

// The encoding check tells how far it has read (the import releases a mapped file's
// pages behind it): offsets of the caller's bytes (after a BOM too), rising, every few
// MiB; the rows read after it are all there. UTF-16 input is converted first: its
// offsets would not be the caller's, so none are told.
TEST(TableReaderTest, StartTellsHowFarTheEncodingCheckRead) {
  std::string text = "\xEF\xBB\xBFid,name\n";
  const std::string row = "1,\xC3\xA9t\xC3\xA9 long enough to fill a few mebibytes of text\n";
  while (text.size() < (size_t{20} << 20)) text += row;
  const size_t rows = (text.size() - 11) / row.size();
  TableReader reader(text, "big.csv");
  std::vector<size_t> told;
  ASSERT_TRUE(reader.Start([&](size_t scanned) { told.push_back(scanned); }));
  ASSERT_GE(told.size(), 2u);
  for (size_t i = 0; i < told.size(); ++i) {
    EXPECT_LT(told[i], text.size());
    if (i > 0) {
      EXPECT_GT(told[i], told[i - 1]);
    }
  }
  EXPECT_GE(told[0], size_t{8} << 20);
  Table chunk;
  size_t read = 0;
  while (true) {
    auto more = reader.Next(4096, &chunk);
    ASSERT_TRUE(more);
    if (!*more) break;
    read += chunk.rows.size();
  }
  EXPECT_EQ(read, rows);

  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("a,b\n1,2\n")) utf16 += std::string{c, '\0'};
  TableReader converted(utf16, "utf16.csv");
  bool any = false;
  ASSERT_TRUE(converted.Start([&](size_t) { any = true; }));
  EXPECT_FALSE(any);
  EXPECT_EQ(converted.header(), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace ngosurvey::csv
