// The CSV cache: written after a load into the cache folder (never beside the data),
// used on the next one with identical columns, and ignored (then rebuilt) when the CSV,
// the form or the options change or the cache file is damaged.
#include "analysis/csv_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "analysis/testing/dataset_equal.h"
#include "base/file.h"
#include "base/testing/source_dir.h"

namespace ngosurvey::analysis {
namespace {

class CsvCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/csv_cache_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::string source = std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/tabulate/";
    std::filesystem::copy_file(source + "form.xlsx", dir_ + "/form.xlsx");
    std::filesystem::copy_file(source + "data.csv", dir_ + "/data.csv");
    Diagnostics diags;
    auto form = form::LoadFormFile(dir_ + "/form.xlsx", &diags);
    ASSERT_TRUE(form.has_value());
    form_ = std::move(*form);
    options_.extra_single = {"country"};
  }

  Result<Dataset> Load(CachedLoad* cache) {
    if (cache->folder.empty()) cache->folder = CacheFolder();
    Diagnostics diags;
    return LoadCsvWithCache(form_, dir_ + "/form.xlsx", dir_ + "/data.csv", options_, &diags, {},
                            cache);
  }

  static void ExpectEqual(const Dataset& a, const Dataset& b) { testing::ExpectSameDataset(a, b); }
  // The test's own cache folder (never the user's), and its cache of data.csv there.
  std::string CacheFolder() const { return dir_ + "/cache"; }
  std::string CacheFile() const { return CachePathFor(dir_ + "/data.csv", CacheFolder()); }

  std::string dir_;
  form::Form form_;
  LoadDataOptions options_;
};

TEST_F(CsvCache, SecondLoadMapsTheCache) {
  CachedLoad first;
  auto a = Load(&first);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(first.cache_written);
  EXPECT_TRUE(std::filesystem::exists(CacheFile()));
  CachedLoad second;
  auto b = Load(&second);
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(second.from_cache);
  EXPECT_TRUE(b->columns()[0].planes[0].is_view());
  ExpectEqual(*a, *b);
  EXPECT_EQ(a->ByteSize(), b->ByteSize());
}

TEST_F(CsvCache, NoCacheNeitherReadsNorWrites) {
  CachedLoad off;
  off.use_cache = false;
  ASSERT_TRUE(Load(&off).has_value());
  EXPECT_FALSE(off.cache_written);
  EXPECT_FALSE(std::filesystem::exists(CacheFile()));
}

TEST_F(CsvCache, ChangedCsvOrOptionsRebuild) {
  CachedLoad first;
  ASSERT_TRUE(Load(&first).has_value());
  // Same size, same modification time, other content: the probe hash sees it.
  std::string path = dir_ + "/data.csv";
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  auto text = ReadFile(path);
  ASSERT_TRUE(text.has_value());
  size_t at = text->find(",KH,");
  ASSERT_NE(at, std::string::npos);
  text->replace(at, 4, ",VN,");
  ASSERT_TRUE(WriteFileAtomic(path, *text).has_value());
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  CachedLoad second;
  auto changed = Load(&second);
  ASSERT_TRUE(changed.has_value());
  EXPECT_FALSE(second.from_cache);
  EXPECT_TRUE(second.cache_written);
  CachedLoad third;
  auto again = Load(&third);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(third.from_cache);
  ExpectEqual(*changed, *again);
  // Other options: another dataset, so not this cache.
  options_.refused_codes = {"99"};
  CachedLoad fourth;
  ASSERT_TRUE(Load(&fourth).has_value());
  EXPECT_FALSE(fourth.from_cache);
}

TEST_F(CsvCache, DamagedCacheIsIgnoredAndRebuilt) {
  CachedLoad first;
  auto reference = Load(&first);
  ASSERT_TRUE(reference.has_value());
  std::string cache = CacheFile();
  auto bytes = ReadFile(cache);
  ASSERT_TRUE(bytes.has_value());
  // Truncated; a flipped byte in the header; in the meta; garbage.
  std::vector<std::string> damaged = {bytes->substr(0, bytes->size() - 1), *bytes, *bytes,
                                      "NGOCACHE"};
  damaged[1][20] ^= 1;
  damaged[2][100] ^= 1;
  for (const std::string& bad : damaged) {
    ASSERT_TRUE(WriteFileAtomic(cache, bad).has_value());
    CachedLoad load;
    auto data = Load(&load);
    ASSERT_TRUE(data.has_value());
    EXPECT_FALSE(load.from_cache);
    EXPECT_TRUE(load.cache_written);
    ExpectEqual(*reference, *data);
    auto rebuilt = ReadFile(cache);
    ASSERT_TRUE(rebuilt.has_value());
    EXPECT_EQ(*rebuilt, *bytes);
  }
}

// What the fuzz target relies on: a resealed cache passes the checksums, so what
// decides is ReadCache's structural checks of the metadata and the column offsets.
TEST_F(CsvCache, ResealedCacheReachesTheStructuralChecks) {
  CachedLoad first;
  auto reference = Load(&first);
  ASSERT_TRUE(reference.has_value());
  auto bytes = ReadFile(CacheFile());
  ASSERT_TRUE(bytes.has_value());
  CacheKey other{.csv_size = 1, .csv_mtime_ns = 2, .csv_probe = 3, .inputs = 4};
  auto read_as = [&](std::string content) {
    ResealCacheForTesting(&content, other);
    std::string path = dir_ + "/resealed.ngocache";
    EXPECT_TRUE(WriteFileAtomic(path, content).has_value());
    Diagnostics diags;
    return ReadCache(path, other, &diags);
  };
  auto same = read_as(*bytes);
  ASSERT_TRUE(same.has_value());
  ExpectEqual(*reference, *same);
  // The metadata begins with the number of columns (a little-endian u64 right after
  // the 96-byte header): one more column than described, or one fewer, is refused
  // even with correct checksums; so is a row count larger than the data.
  for (int delta : {+1, -1}) {
    std::string changed = *bytes;
    changed[96] = static_cast<char>(changed[96] + delta);
    EXPECT_FALSE(read_as(changed).has_value()) << delta;
  }
  std::string more_rows = *bytes;
  more_rows[48] = static_cast<char>(0x7F);  // Header::rows, low byte
  more_rows[54] = static_cast<char>(0x01);
  EXPECT_FALSE(read_as(more_rows).has_value());
}

// Runs `body` as a user for whom permission bits hold: this process, or when the suite
// runs as root (CI) a child that has given up root for `nobody` (uid/gid 65534), which
// reports by its exit status. Returns that status (2: could not become nobody).
template <typename Body>
int AsUnprivileged(Body body) {
  if (::geteuid() != 0) return body();
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(body());
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

constexpr std::filesystem::perms kReadOnly =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
    std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
    std::filesystem::perms::others_read | std::filesystem::perms::others_exec;

// Data in a folder nobody may write to (read-only or shared): the cache lives in the
// cache folder, so the second load maps it all the same, and nothing is written
// beside the data.
TEST_F(CsvCache, ReadOnlyDataFolderStillGetsACachedSecondRun) {
  namespace fs = std::filesystem;
  fs::create_directories(CacheFolder());
  fs::permissions(CacheFolder(), fs::perms::all);  // nobody's cache folder, in the test's
  fs::permissions(dir_, kReadOnly);
  int outcome = AsUnprivileged([&] {
    CachedLoad first, second;
    auto a = Load(&first);
    if (!a || !first.cache_written) return 3;
    auto b = Load(&second);
    return !b ? 3 : second.from_cache ? 0 : 4;
  });
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_EQ(outcome, 0) << "2: could not become nobody, 3: a load failed or wrote no cache, "
                           "4: the second load parsed the CSV again";
  for (const auto& entry : fs::directory_iterator(dir_)) {  // nothing new beside the data
    std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "form.xlsx" || name == "data.csv" || name == "cache") << name;
  }
}

// A cache folder nobody may write to: the data load, no cache is written.
TEST_F(CsvCache, ReadOnlyCacheFolderJustLoads) {
  namespace fs = std::filesystem;
  fs::create_directories(CacheFolder());
  fs::permissions(CacheFolder(), kReadOnly);
  int outcome = AsUnprivileged([&] {
    CachedLoad load;
    auto data = Load(&load);
    return !data ? 3 : load.cache_written ? 4 : 0;
  });
  fs::permissions(CacheFolder(), fs::perms::owner_all);
  EXPECT_EQ(outcome, 0) << "2: could not become nobody, 3: the load failed, 4: a cache was written";
  EXPECT_FALSE(fs::exists(CacheFile()));
}

// Where earlier versions kept it, beside the data: such a file is never read, even
// when it would match.
TEST_F(CsvCache, OldCacheBesideTheDataIsIgnored) {
  CachedLoad first;
  ASSERT_TRUE(Load(&first).has_value());
  ASSERT_TRUE(first.cache_written);
  std::filesystem::rename(CacheFile(), dir_ + "/data.csv" + ".ngocache");
  CachedLoad second;
  ASSERT_TRUE(Load(&second).has_value());
  EXPECT_FALSE(second.from_cache);
  EXPECT_TRUE(second.cache_written);
}

// The cache file's name: the CSV's name and a hash of its absolute path, so that the
// same file reached by another path shares it and another file of the same name does not.
TEST_F(CsvCache, CacheFileIsNamedByTheAbsolutePath) {
  std::string here = CachePathFor(dir_ + "/data.csv", "/c");
  EXPECT_EQ(here, CachePathFor(dir_ + "/./cache/../data.csv", "/c"));
  EXPECT_NE(here, CachePathFor(dir_ + "/cache/data.csv", "/c"));
  EXPECT_EQ(here.rfind("/c/data.csv-", 0), 0u) << here;
  EXPECT_EQ(here.size(), std::string("/c/data.csv-").size() + 16 + std::string(".ngocache").size());
}

// The same "cannot write the cache" path as the read-only cache folder, reachable as
// root too without a child: a folder stands where the cache file would go.
TEST_F(CsvCache, UnwritableCachePathJustLoads) {
  std::filesystem::create_directories(CacheFile() + "/occupied");
  CachedLoad load;
  auto data = Load(&load);
  ASSERT_TRUE(data.has_value()) << data.error().ToString();
  EXPECT_FALSE(load.cache_written);
  EXPECT_TRUE(std::filesystem::is_directory(CacheFile() + "/occupied"));
  for (const auto& entry : std::filesystem::directory_iterator(CacheFolder())) {  // no temporary
    EXPECT_EQ(entry.path(), std::filesystem::path(CacheFile())) << entry.path();
  }
}

// Columns of every width (issue 17): one-byte, 16- and 32-bit select_one codes and a
// select_multiple of 143 planes are written and mapped back as they were.
TEST_F(CsvCache, WideColumnsRoundTrip) {
  Dataset data;
  for (int size : {3, 300, 70000}) {
    std::vector<std::string> options;
    for (int i = 0; i < size; ++i) options.push_back("o" + std::to_string(i));
    ColumnBuilder builder("q" + std::to_string(size), ColumnKind::kSingle, options);
    ASSERT_TRUE(builder.Append(form::Answer::Answered("o" + std::to_string(size - 1))));
    ASSERT_TRUE(builder.Append(form::Answer::Refused()));
    ASSERT_TRUE(builder.Append(form::Answer::Answered("o0")));
    ASSERT_TRUE(data.AddColumn(std::move(builder).Finish()));
  }
  std::vector<std::string> many;
  for (int i = 0; i < 1000; ++i) many.push_back("m" + std::to_string(i));
  ColumnBuilder multi("m", ColumnKind::kMulti, many);
  ASSERT_TRUE(multi.Append(form::Answer::Answered("m0 m999")));
  ASSERT_TRUE(multi.Append(form::Answer::Missing()));
  ASSERT_TRUE(multi.Append(form::Answer::Answered("m500")));
  ASSERT_TRUE(data.AddColumn(std::move(multi).Finish()));
  ASSERT_FALSE(data.column(1).codes16.empty());
  ASSERT_FALSE(data.column(2).codes32.empty());
  CacheKey key{.csv_size = 1, .csv_mtime_ns = 2, .csv_probe = 3, .inputs = 4};
  std::string path = dir_ + "/wide.ngocache";
  ASSERT_TRUE(WriteCache(path, key, data, Diagnostics{}).has_value());
  Diagnostics diags;
  auto read = ReadCache(path, key, &diags);
  ASSERT_TRUE(read.has_value());
  ExpectEqual(data, *read);
  EXPECT_TRUE(read->column(2).codes32.is_view());
  EXPECT_EQ(read->column(2).SingleCode(0), 69999u);
  EXPECT_EQ(read->column(2).StateAt(1), kCodeRefused);
  EXPECT_EQ(read->column(3).planes.size(), 143u);
}

}  // namespace
}  // namespace ngosurvey::analysis
