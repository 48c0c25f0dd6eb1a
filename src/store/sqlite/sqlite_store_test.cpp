// What only the SQLite back end has: the file, its pragmas and migrations, files it
// must refuse without touching them, tamper detection, two processes on one file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "base/file.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::FileHash;
using testing::QueryText;
using testing::RawSql;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

// A closed store file with one completed, amended submission (3 audit entries).
std::string MakeStore(const TempDir& dir, const std::string& name = "store.db") {
  std::string path = dir.File(name);
  auto store = OpenStore(path);
  EXPECT_TRUE(store) << store.error().ToString();
  EXPECT_TRUE((*store)->PutForm(TestForm()));
  Submission s = TestDraft(Uuid(1));
  s.answers["age"] = Answer::Answered("34");
  s.answers["sex"] = Answer::Answered("f");
  EXPECT_TRUE((*store)->CreateSubmission(s));
  EXPECT_TRUE((*store)->CompleteSubmission(Uuid(1), 2000));
  EXPECT_TRUE((*store)->Amend({Uuid(1), "lina", "typo", {{"age", Answer::Answered("43")}}}));
  EXPECT_TRUE((*store)->Amend({Uuid(1), "lina", "callback", {{"sex", Answer::Refused()}}}));
  return path;
}

// Opens `path` read-write and read-only; both must fail with `code` and leave the
// file's bytes as they were.
void ExpectRefused(const std::string& path, const std::string& code) {
  std::string before = FileHash(path);
  for (bool read_only : {false, true}) {
    OpenOptions options;
    options.read_only = read_only;
    auto store = OpenStore(path, options);
    ASSERT_FALSE(store) << "opened " << path << (read_only ? " read-only" : "");
    EXPECT_EQ(store.error().code, code) << store.error().ToString();
    EXPECT_EQ(store.error().where.file, path) << "the error names the file";
    EXPECT_EQ(FileHash(path), before) << "the refused file was modified";
  }
}

TEST(SqliteStoreTest, FileHasTheDocumentedSettings) {
  TempDir dir;
  std::string path = MakeStore(dir);
  EXPECT_EQ(QueryText(path, "PRAGMA application_id"), std::to_string(sqlite::kApplicationId));
  EXPECT_EQ(QueryText(path, "PRAGMA user_version"), std::to_string(sqlite::kSchemaVersion));
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "wal");
  // Every migration from 1 to the current version, each once, in order.
  std::string versions;
  for (int v = 1; v <= sqlite::kSchemaVersion; ++v) {
    versions += (versions.empty() ? "" : ",") + std::to_string(v);
  }
  EXPECT_EQ(QueryText(path, "SELECT group_concat(version) FROM schema_migrations"), versions);
  EXPECT_EQ(QueryText(path, "SELECT count(*) FROM audit"), "3");
  EXPECT_EQ(QueryText(path, "PRAGMA foreign_key_check"), "") << "no dangling references";
}

TEST(SqliteStoreTest, DataSurvivesReopening) {
  TempDir dir;
  std::string path = MakeStore(dir);
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto s = (*store)->GetSubmission(Uuid(1));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->answers.at("age"), Answer::Answered("43"));
  EXPECT_EQ(s->answers.at("sex"), Answer::Refused());
  EXPECT_EQ((*store)->ReadAudit()->size(), 3u);
  EXPECT_TRUE((*store)->VerifyAudit()->ok());
}

TEST(SqliteStoreTest, EmptyFileBecomesAStore) {
  TempDir dir;
  std::string path = dir.File("empty.db");
  std::ofstream(path).close();
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_TRUE((*store)->PutForm(TestForm()));
}

TEST(SqliteStoreTest, MissingFileWithoutCreateIsAnError) {
  TempDir dir;
  OpenOptions options;
  options.create_if_missing = false;
  auto store = OpenStore(dir.File("absent.db"), options);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, "IO101");
  EXPECT_FALSE(std::filesystem::exists(dir.File("absent.db")));
  options.create_if_missing = true;
  options.read_only = true;
  EXPECT_EQ(OpenStore(dir.File("absent.db"), options).error().code, "IO101");
}

TEST(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.File("notes.txt");
  ASSERT_TRUE(WriteFileAtomic(path, "interview notes, not a database\n"));
  ExpectRefused(path, "IO102");
}

TEST(SqliteStoreTest, RefusesAnotherSqliteDatabase) {
  TempDir dir;
  std::string path = dir.File("other.db");
  RawSql(path, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('x');");
  ExpectRefused(path, "IO102");
  EXPECT_EQ(QueryText(path, "SELECT name FROM people"), "x");
}

TEST(SqliteStoreTest, RefusesANewerSchema) {
  TempDir dir;
  std::string path = MakeStore(dir);
  RawSql(path, "PRAGMA user_version = " + std::to_string(sqlite::kSchemaVersion + 1));
  ExpectRefused(path, "IO103");
}

TEST(SqliteStoreTest, ReadOnlyFileIsReadableButNeverWritten) {
  TempDir dir;
  std::string path = MakeStore(dir);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  std::string before = FileHash(path);

  auto writer = OpenStore(path);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().code, "IO104");
  EXPECT_EQ(writer.error().where.file, path);

  OpenOptions ro;
  ro.read_only = true;
  auto reader = OpenStore(path, ro);
  ASSERT_TRUE(reader) << reader.error().ToString();
  EXPECT_EQ((*reader)->ListSubmissions()->size(), 1u);
  EXPECT_TRUE((*reader)->VerifyAudit()->ok());
  EXPECT_EQ((*reader)->SaveDraft(Uuid(1), {}).error().code, "IO104");
  reader->reset();
  EXPECT_EQ(FileHash(path), before);
}

TEST(SqliteStoreTest, OlderSchemaIsMigratedReadWriteButNotReadOnly) {
  TempDir dir;
  std::string path = dir.File("v0.db");
  // A store from before schema version 1: the application id, nothing else.
  RawSql(path, "PRAGMA application_id = " + std::to_string(sqlite::kApplicationId) +
                   "; CREATE TABLE legacy(x);");
  ASSERT_NO_FATAL_FAILURE(testing::ExpectMigratedOnlyWhenWritable(path));
  auto writer = OpenStore(path);
  ASSERT_TRUE(writer) << writer.error().ToString();
  EXPECT_TRUE((*writer)->PutForm(TestForm()));
}

TEST(SqliteStoreTest, RefusesTruncatedFiles) {
  TempDir dir;
  std::string original = MakeStore(dir);
  auto size = std::filesystem::file_size(original);
  ASSERT_GT(size, 4096u * 4);
  auto bytes = *ReadFile(original);
  // Cut at a page boundary, in the middle of a page, and inside the header page.
  for (size_t keep : {size_t{4096} * 3, size / 2 + 123, size_t{2000}}) {
    std::string path = dir.File("cut-" + std::to_string(keep) + ".db");
    ASSERT_TRUE(WriteFileAtomic(path, bytes.substr(0, keep)));
    std::string before = FileHash(path);
    auto store = OpenStore(path);
    ASSERT_FALSE(store) << "opened a file cut at " << keep;
    EXPECT_EQ(store.error().code, "IO105") << store.error().ToString();
    EXPECT_EQ(FileHash(path), before);
  }
}

TEST(SqliteStoreTest, RefusesGarbledPages) {
  TempDir dir;
  std::string original = MakeStore(dir);
  auto bytes = *ReadFile(original);
  size_t pages = bytes.size() / 4096;
  ASSERT_GE(pages, 4u);
  // Overwrite each page after the first in turn with garbage.
  for (size_t page = 1; page < pages; ++page) {
    std::string garbled = bytes;
    for (size_t i = 0; i < 4096; ++i)
      garbled[page * 4096 + i] = static_cast<char>((i * 131 + page) & 0xff);
    std::string path = dir.File("garbled-" + std::to_string(page) + ".db");
    ASSERT_TRUE(WriteFileAtomic(path, garbled));
    ExpectRefused(path, "IO105");
  }
  // A garbled header page is no longer recognisably SQLite.
  std::string header = bytes;
  for (size_t i = 0; i < 100; ++i) header[i] = static_cast<char>(0xA5);
  std::string path = dir.File("garbled-header.db");
  ASSERT_TRUE(WriteFileAtomic(path, header));
  ExpectRefused(path, "IO102");
}

TEST(SqliteStoreTest, AuditRowsCannotBeChangedThroughSql) {
  TempDir dir;
  std::string path = MakeStore(dir);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE audit SET reason = 'x' WHERE seq = 2", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 3", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db,
                         "INSERT INTO audit(seq, instance_id, at_ms, who, field, reason, "
                         "prev_hash, hash) VALUES(9, 'uuid:x', 0, 'a', 'f', '', 'p', 'h')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << "an empty reason is refused by the schema too";
  sqlite3_close(db);
}

// Tampering as someone with the sqlite3 shell would: drop the append-only
// triggers, then edit. VerifyAudit names the first entry that no longer fits.
struct Tamper {
  const char* name;
  const char* sql;
  int64_t broken_seq;
};

class SqliteTamperTest : public ::testing::TestWithParam<Tamper> {};

TEST_P(SqliteTamperTest, VerifyNamesTheFirstBrokenEntry) {
  TempDir dir;
  std::string path = MakeStore(dir);
  {
    auto store = OpenStore(path);
    ASSERT_TRUE((*store)->VerifyAudit()->ok());
  }
  RawSql(path, std::string("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ") +
                   GetParam().sql);
  auto store = OpenStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto verified = (*store)->VerifyAudit();
  ASSERT_TRUE(verified) << verified.error().ToString();
  ASSERT_FALSE(verified->ok()) << "tampering went unnoticed";
  EXPECT_EQ(verified->first_broken->seq, GetParam().broken_seq) << verified->problem;
  EXPECT_FALSE(verified->problem.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Edits, SqliteTamperTest,
    ::testing::Values(
        Tamper{"NewValue", "UPDATE audit SET new_value = '44' WHERE seq = 2", 2},
        Tamper{"OldValue", "UPDATE audit SET old_value = '35' WHERE seq = 2", 2},
        Tamper{"Who", "UPDATE audit SET who = 'someone else' WHERE seq = 3", 3},
        Tamper{"Reason", "UPDATE audit SET reason = 'x' WHERE seq = 1", 1},
        Tamper{"Time", "UPDATE audit SET at_ms = at_ms + 1 WHERE seq = 3", 3},
        Tamper{"State", "UPDATE audit SET new_state = 'dont_know' WHERE seq = 3", 3},
        Tamper{"DeleteMiddle", "DELETE FROM audit WHERE seq = 2", 2},
        Tamper{"DeleteLast", "DELETE FROM audit WHERE seq = 3", 3},
        Tamper{"DeleteAll", "DELETE FROM audit", 1},
        Tamper{"Renumber", "UPDATE audit SET seq = 7 WHERE seq = 3", 3},
        Tamper{"Appended",
               "INSERT INTO audit SELECT 4, instance_id, at_ms, who, field, old_state, "
               "old_value, new_state, new_value, reason, hash, hash FROM audit WHERE seq = 3",
               4}),
    [](const ::testing::TestParamInfo<Tamper>& info) { return std::string(info.param.name); });

// A forger who recomputes the edited entry's own hash still breaks the next link.
TEST(SqliteStoreTest, RehashedEntryBreaksTheNextLink) {
  TempDir dir;
  std::string path = MakeStore(dir);
  AuditEntry forged;
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    forged = (*store)->ReadAudit()->at(1);
  }
  forged.new_answer = Answer::Answered("44");
  forged.hash = internal::AuditHash(forged);
  RawSql(path, "DROP TRIGGER audit_no_update; UPDATE audit SET new_value = '44', hash = '" +
                   forged.hash + "' WHERE seq = 2");
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  auto verified = (*store)->VerifyAudit();
  ASSERT_TRUE(verified);
  ASSERT_FALSE(verified->ok());
  EXPECT_EQ(verified->first_broken->seq, 3) << verified->problem;
  EXPECT_NE(verified->problem.find("link to entry 2"), std::string::npos) << verified->problem;
}

// Two processes write the same file at once; both keep everything they wrote.
// With readers (OpenOptions::connections > 1, as `serve` opens its store), a read
// does not wait for a write in progress, and sees only what was committed.
TEST(SqliteStoreTest, ReadersDoNotWaitForAWriteInProgress) {
  TempDir dir;
  std::string path = MakeStore(dir);
  OpenOptions options;
  options.connections = 3;
  auto store = OpenStore(path, options);
  ASSERT_TRUE(store) << store.error().ToString();
  auto import = (*store)->BeginImport(std::nullopt);
  ASSERT_TRUE(import) << import.error().ToString();
  ASSERT_TRUE((*import)->Add(TestDraft(Uuid(2))));  // the writer is busy, not committed
  auto reads = std::async(std::launch::async, [&] {
    auto before = (*store)->GetSubmission(Uuid(1));
    auto added = (*store)->GetSubmission(Uuid(2));
    return std::make_pair(before ? before->answers.at("age").value : before.error().code,
                          added ? std::string("visible") : added.error().code);
  });
  bool ready = reads.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  // Let a read that waited for the writer finish before failing.
  ASSERT_TRUE((*import)->Commit());
  import->reset();
  ASSERT_TRUE(ready) << "the read waited for the write to commit";
  auto [before, added] = reads.get();
  EXPECT_EQ(before, "43");
  EXPECT_EQ(added, "ST002") << "an uncommitted submission was visible";
  EXPECT_TRUE((*store)->GetSubmission(Uuid(2))) << "committed: visible to the next read";
  // Several threads reading at once, more than there are readers.
  std::vector<std::future<bool>> many;
  for (int i = 0; i < 8; ++i) {
    many.push_back(std::async(std::launch::async, [&] {
      for (int k = 0; k < 20; ++k) {
        if (!(*store)->GetSubmission(Uuid(1 + k % 2))) return false;
      }
      return true;
    }));
  }
  for (auto& f : many) EXPECT_TRUE(f.get());
}

TEST(SqliteStoreTest, TwoProcessesOnOneFileKeepAllTheirAnswers) {
  TempDir dir;
  std::string path = dir.File("shared.db");
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->PutForm(TestForm()));
  }
  constexpr int kProcesses = 2;
  constexpr int kSubmissions = 5;
  constexpr int kSaves = 30;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int failures = 0;
      auto store = OpenStore(path);
      if (!store) ::_exit(100);
      for (int s = 0; s < kSubmissions; ++s) {
        std::string id = Uuid(p * 1000 + s);
        if (!(*store)->CreateSubmission(TestDraft(id))) ++failures;
        for (int i = 0; i < kSaves; ++i) {
          if (!(*store)->SaveDraft(
                  id, {{"q" + std::to_string(i),
                        Answer::Answered(std::to_string(p) + ":" + std::to_string(i))}})) {
            ++failures;
          }
        }
        if (!(*store)->CompleteSubmission(id, 1)) ++failures;
        if (!(*store)->Amend(
                {id, "p" + std::to_string(p), "check", {{"q0", Answer::DontKnow()}}})) {
          ++failures;
        }
      }
      store->reset();
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer lost a write";
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store);
  auto all = (*store)->ListSubmissions();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), size_t{kProcesses * kSubmissions});
  for (int p = 0; p < kProcesses; ++p) {
    for (int s = 0; s < kSubmissions; ++s) {
      auto got = (*store)->GetSubmission(Uuid(p * 1000 + s));
      ASSERT_TRUE(got);
      ASSERT_EQ(got->answers.size(), size_t{kSaves});
      EXPECT_EQ(got->answers.at("q0"), Answer::DontKnow());
      EXPECT_EQ(got->answers.at("q29"), Answer::Answered(std::to_string(p) + ":29"));
    }
  }
  auto verified = (*store)->VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << verified->problem;
  EXPECT_EQ(verified->entries_checked, kProcesses * kSubmissions * 2);
}

// Interviewers started together on a store that does not exist yet: one creates it,
// the others must open it, whatever moment of the creation they look at. (The
// read-only inspection once read application_id, user_version and the schema in
// separate snapshots, and refused a store whose creation committed in between as
// "not an ngosurvey store".)
TEST(SqliteStoreTest, ProcessesOpeningANewStoreTogetherAllSucceed) {
  TempDir dir;
  constexpr int kRounds = 20;
  constexpr int kProcesses = 6;
  int failed_opens = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string path = dir.File("new" + std::to_string(round) + ".db");
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
      pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        auto store = OpenStore(path);
        ::_exit(store ? 0 : 1);
      }
      children.push_back(pid);
    }
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status));
      if (WEXITSTATUS(status) != 0) ++failed_opens;
    }
    auto store = OpenStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
  }
  EXPECT_EQ(failed_opens, 0) << "of " << kRounds * kProcesses << " simultaneous opens";
}

}  // namespace
}  // namespace ngosurvey::store
