#include "exchange/central_zip.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/testing/source_dir.h"

namespace ngosurvey::exchange {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive of `entries` (name, bytes), deflated, written by libzip to a
// temporary file and read back.
std::string MakeZip(const Entries& entries) {
  std::string pattern = (std::filesystem::temp_directory_path() / "ngozip-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  EXPECT_GE(fd, 0);
  ::close(fd);
  int error = 0;
  zip_t* zip = zip_open(pattern.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* source = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  auto data = ReadFile(pattern);
  std::filesystem::remove(pattern);
  return data ? *data : std::string();
}

form::Form OdkForm() {
  auto bytes = ReadFile(std::string(testing::SourceDir()) + "/tests/data/odk/form.xlsx");
  EXPECT_TRUE(bytes);
  Diagnostics diags;
  auto form = form::LoadForm(*bytes, "form.xlsx", &diags);
  EXPECT_TRUE(form) << form.error().ToString();
  return *form;
}

const char kMain[] = "org_id,meta-instanceID,KEY\nKH07,uuid:1,uuid:1\n";
const char kPrograms[] = "program_name,PARENT_KEY,KEY\nOutreach,uuid:1,uuid:1/programs[1]\n";

TEST(ZipArchiveTest, ListsAndReadsEntries) {
  std::string data = MakeZip({{"a.csv", "x,y\n"}, {"media/p.jpg", std::string(5, '\0')}});
  auto zip = ZipArchive::Open(data, "t.zip");
  ASSERT_TRUE(zip) << zip.error().ToString();
  ASSERT_EQ((*zip)->names(), (std::vector<std::string>{"a.csv", "media/p.jpg"}));
  EXPECT_EQ(*(*zip)->ReadEntry(0), "x,y\n");
  EXPECT_EQ(*(*zip)->ReadEntry(1), std::string(5, '\0'));
}

TEST(ZipArchiveTest, WriteZipMakesWhatOpenReadsTheSameBytesEachTime) {
  std::vector<std::pair<std::string, std::string>> entries = {{"project.qde", "<Project/>"},
                                                              {"Sources/a.txt", "Tổ chức\r\nline"}};
  auto zip = WriteZip(entries);
  ASSERT_TRUE(zip) << zip.error().ToString();
  EXPECT_TRUE(LooksLikeZip(*zip));
  auto opened = ZipArchive::Open(*zip, "w.zip");
  ASSERT_TRUE(opened) << opened.error().ToString();
  ASSERT_EQ((*opened)->names(), (std::vector<std::string>{"project.qde", "Sources/a.txt"}));
  EXPECT_EQ(*(*opened)->ReadEntry(1), "Tổ chức\r\nline");
  EXPECT_EQ(*WriteZip(entries), *zip);  // dated 1980-01-01: reproducible
}

TEST(ZipArchiveTest, StopsAtTheLimitsWhateverTheArchiveDeclares) {
  std::string data = MakeZip({{"a", std::string(4096, 'a')}, {"b", std::string(4096, 'b')}});
  auto entry_limited = ZipArchive::Open(data, "t.zip", {.max_entry_bytes = 4095});
  ASSERT_TRUE(entry_limited);
  auto refused = (*entry_limited)->ReadEntry(0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "ZIP002");
  EXPECT_EQ(refused.error().where.file, "t.zip");

  auto total_limited = ZipArchive::Open(data, "t.zip", {.max_total_bytes = 6000});
  ASSERT_TRUE(total_limited);
  EXPECT_TRUE((*total_limited)->ReadEntry(0));
  auto second = (*total_limited)->ReadEntry(1);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "ZIP002");
}

TEST(ZipArchiveTest, RefusesWhatIsNotAWholeArchive) {
  auto text = ZipArchive::Open("org_id\nKH07\n", "data.zip");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, "ZIP001");
  EXPECT_NE(text.error().message.find("not a zip archive"), std::string::npos);
  std::string data = MakeZip({{"a.csv", std::string(1000, 'a')}});
  auto cut = ZipArchive::Open(std::string_view(data).substr(0, data.size() / 2), "data.zip");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "ZIP001");
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos);
  EXPECT_TRUE(LooksLikeZip(data));
  EXPECT_FALSE(LooksLikeZip("org_id\n"));
}

TEST(CentralZipTest, FindsTheMainTableByItsStemWhateverTheFormIdIs) {
  form::Form form = OdkForm();
  // A form id with dashes: "my-survey-programs.csv" must not be taken for the main.
  std::string data = MakeZip({{"my-survey-programs.csv", kPrograms},
                              {"my-survey.csv", kMain},
                              {"media/1.jpg", "JPEG"},
                              {"media/sub/2.jpg", "nested: not Central's"}});
  auto zip = ReadCentralZip(data, "c.zip", form);
  ASSERT_TRUE(zip) << zip.error().ToString();
  EXPECT_EQ(zip->main.file, "c.zip!my-survey.csv");
  ASSERT_EQ(zip->main.rows.size(), 1u);
  ASSERT_EQ(zip->repeats.size(), 1u);
  EXPECT_EQ(zip->repeats[0].repeat, "programs");
  EXPECT_EQ(zip->repeats[0].table.file, "c.zip!my-survey-programs.csv");
  EXPECT_EQ(zip->media, (std::map<std::string, std::string>{{"1.jpg", "JPEG"}}));
}

TEST(CentralZipTest, ReadsCentralsNumberedNamesOfRepeatsThatShareAName) {
  form::Form form = OdkForm();
  std::string data = MakeZip({{"f.csv", kMain}, {"f-programs~1.csv", kPrograms}});
  auto zip = ReadCentralZip(data, "c.zip", form);
  ASSERT_TRUE(zip) << zip.error().ToString();
  ASSERT_EQ(zip->repeats.size(), 1u);
  EXPECT_EQ(zip->repeats[0].repeat, "programs");
}

TEST(CentralZipTest, RefusesTablesItCannotPlace) {
  form::Form form = OdkForm();
  auto none = ReadCentralZip(MakeZip({{"media/1.jpg", "x"}}), "c.zip", form);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "IMP040");
  auto two = ReadCentralZip(MakeZip({{"a.csv", kMain}, {"b.csv", kMain}}), "c.zip", form);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, "IMP040");
  auto stray =
      ReadCentralZip(MakeZip({{"f.csv", kMain}, {"f-members.csv", kPrograms}}), "c.zip", form);
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().code, "IMP041");
  EXPECT_NE(stray.error().message.find("f-members.csv"), std::string::npos);
  auto bad_csv = ReadCentralZip(MakeZip({{"f.csv", "a,b\n\"open"}}), "c.zip", form);
  ASSERT_FALSE(bad_csv);
  EXPECT_EQ(bad_csv.error().code.substr(0, 3), "CSV");
  EXPECT_EQ(bad_csv.error().where.file, "c.zip!f.csv");
}

}  // namespace
}  // namespace ngosurvey::exchange
