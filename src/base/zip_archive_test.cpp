#include "base/zip_archive.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace ngosurvey {
namespace {

// Text that deflates well and is long enough for several 64 KiB chunks.
std::string LongText() {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "<row r=\"" + std::to_string(i) + "\"><c>x</c></row>";
  return text;
}

std::string Archive(const std::string& text) {
  Result<std::string> zip = WriteZip({{"a.txt", text}, {"empty.txt", ""}});
  EXPECT_TRUE(zip) << zip.error().ToString();
  return zip ? *zip : std::string();
}

// The entry read whole (ReadEntry: libdeflate when it can) and in chunks (libzip's
// inflate), each from an archive of its own: the same bytes or the same error.
struct Both {
  Result<std::string> whole;
  Result<std::string> chunked;
};

Both ReadBoth(const std::string& zip, const std::string& name, ZipLimits limits = {}) {
  auto read_whole = [&]() -> Result<std::string> {
    auto archive = NGO_TRY(ZipArchive::Open(zip, "t.zip", limits));
    std::optional<size_t> index = archive->Find(name);
    if (!index) return MakeError("T", "no entry");
    return archive->ReadEntry(*index);
  };
  auto read_chunked = [&]() -> Result<std::string> {
    auto archive = NGO_TRY(ZipArchive::Open(zip, "t.zip", limits));
    std::optional<size_t> index = archive->Find(name);
    if (!index) return MakeError("T", "no entry");
    std::string out;
    NGO_TRY(archive->ReadEntryChunks(*index, [&](std::string_view chunk, bool /*last*/) {
      out += chunk;
      return Ok();
    }));
    return out;
  };
  return {read_whole(), read_chunked()};
}

// Overwrites the 4 bytes at `offset` of the local header and of the central directory
// entry of the archive's first entry (a.txt): its CRC-32 (14 and 16) or its size (22
// and 24).
std::string PatchFirstEntry(std::string zip, size_t local_offset, size_t central_offset,
                            uint32_t value) {
  size_t central = zip.find(std::string("PK\x01\x02", 4));
  EXPECT_NE(central, std::string::npos);
  std::memcpy(zip.data() + local_offset, &value, 4);  // little-endian, as zip's fields
  std::memcpy(zip.data() + central + central_offset, &value, 4);
  return zip;
}

uint32_t FieldOfFirstEntry(const std::string& zip, size_t local_offset) {
  uint32_t value = 0;
  std::memcpy(&value, zip.data() + local_offset, 4);
  return value;
}

TEST(ZipArchive, EntryReadWholeIsTheEntryReadInChunks) {
  std::string text = LongText();
  std::string zip = Archive(text);
  Both a = ReadBoth(zip, "a.txt");
  ASSERT_TRUE(a.whole) << a.whole.error().ToString();
  ASSERT_TRUE(a.chunked) << a.chunked.error().ToString();
  EXPECT_EQ(*a.whole, text);
  EXPECT_EQ(*a.chunked, text);
  Both empty = ReadBoth(zip, "empty.txt");
  ASSERT_TRUE(empty.whole);
  EXPECT_EQ(*empty.whole, "");
}

TEST(ZipArchive, DamagedEntryGivesLibzipsErrorReadWholeOrInChunks) {
  std::string zip = Archive(LongText());
  uint32_t crc = FieldOfFirstEntry(zip, 14);
  // A CRC that does not match, and deflated data damaged in the middle.
  std::string bad_crc = PatchFirstEntry(zip, 14, 16, crc ^ 1);
  std::string bad_data = zip;
  bad_data[30 + 5 + bad_data.size() / 4] ^= 0x55;  // past the header and name "a.txt"
  for (const std::string& damaged : {bad_crc, bad_data}) {
    Both a = ReadBoth(damaged, "a.txt");
    ASSERT_FALSE(a.whole);
    ASSERT_FALSE(a.chunked);
    EXPECT_EQ(a.whole.error().code, "ZIP003");
    EXPECT_EQ(a.whole.error().ToString(), a.chunked.error().ToString());
  }
  EXPECT_EQ(ReadBoth(bad_crc, "a.txt").whole.error().ToString(),
            "t.zip: ZIP003: cannot decompress a.txt: CRC error (damaged or truncated archive?)");
}

TEST(ZipArchive, DeclaredSizeIsNotTrusted) {
  // Sizes that are wrong (libzip reads such entries to their end all the same), and
  // one larger than DEFLATE could ever expand to.
  std::string text = LongText();
  std::string zip = Archive(text);
  uint32_t size = FieldOfFirstEntry(zip, 22);
  for (uint32_t declared : {size - 100, size + 100, uint32_t{0xFFFFFF00}}) {
    Both a = ReadBoth(PatchFirstEntry(zip, 22, 24, declared), "a.txt");
    ASSERT_TRUE(a.whole) << declared << ": " << a.whole.error().ToString();
    EXPECT_EQ(*a.whole, text) << declared;
    ASSERT_TRUE(a.chunked);
    EXPECT_EQ(*a.chunked, text) << declared;
  }
}

TEST(ZipArchive, LimitsHoldReadWholeOrInChunks) {
  std::string text = LongText();
  std::string zip = Archive(text);
  Both entry_limit = ReadBoth(zip, "a.txt", {.max_entry_bytes = text.size() - 1});
  ASSERT_FALSE(entry_limit.whole);
  EXPECT_EQ(entry_limit.whole.error().code, "ZIP002");
  EXPECT_EQ(entry_limit.whole.error().ToString(), entry_limit.chunked.error().ToString());
  Both at_limit = ReadBoth(zip, "a.txt", {.max_entry_bytes = text.size()});
  ASSERT_TRUE(at_limit.whole);
  EXPECT_EQ(*at_limit.whole, text);
  // The whole archive's limit counts every entry read.
  auto archive = ZipArchive::Open(zip, "t.zip", {.max_total_bytes = text.size() * 2 - 1});
  ASSERT_TRUE(archive);
  size_t index = *(*archive)->Find("a.txt");
  EXPECT_TRUE((*archive)->ReadEntry(index));
  Result<std::string> second = (*archive)->ReadEntry(index);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "ZIP002");
}

}  // namespace
}  // namespace ngosurvey
