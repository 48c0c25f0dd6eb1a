#include <chrono>
#include <thread>

#include "store/sqlite/connection_internal.h"

namespace ngosurvey::store::sqlite {
namespace {

// Maps a SQLite result code to the store's IO1xx codes.
std::string CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "IO106";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "IO104";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "IO105";
    case SQLITE_CANTOPEN:
      return "IO101";
    default:
      return "IO107";
  }
}

}  // namespace

Location FileLocation(const std::string& path) {
  Location where;
  where.file = path;
  return where;
}

tl::unexpected<Error> SqliteError(sqlite3* db, int rc, const std::string& path,
                                  const std::string& doing) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = doing + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      message += " (another process kept the store locked too long)";
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      message = "the store is damaged (" + doing + ": " + detail + ")";
      break;
    default:
      break;
  }
  return MakeError(CodeFor(rc), message, FileLocation(path));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    auto error = SqliteError(db, rc, path, "cannot open the store");
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::make_unique<Connection>(db, path);
}

Result<Statement> Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Fail(rc, "cannot prepare a query");
    it = cache_.emplace(sql, stmt).first;
  }
  return Result<Statement>(tl::in_place, it->second);
}

Status Connection::Exec(const std::string& sql, const std::string& doing) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(rc, doing);
  return Ok();
}

Result<std::string> Connection::QueryText(const std::string& sql, const std::string& doing) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(rc, doing);
  std::string text;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(stmt, 0);
    if (t != nullptr) text = reinterpret_cast<const char*>(t);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Fail(rc, doing);
  return text;
}

Result<int64_t> Connection::QueryInt(const std::string& sql, const std::string& doing) {
  std::string text = NGO_TRY(QueryText(sql, doing));
  return text.empty() ? int64_t{0} : static_cast<int64_t>(std::stoll(text));
}

void Connection::ClearCache() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
}

// The switch upgrades the connection's read lock to the write lock, and SQLite
// answers SQLITE_BUSY at once to such an upgrade instead of calling the busy handler
// (waiting could deadlock): when several processes create the same new store
// together, all but one failed here with IO106
// (SqliteStoreTest.ProcessesOpeningANewStoreTogetherAllSucceed failed 6 runs in 40).
// The statement holds no lock once it fails, so it is tried again until
// busy_timeout_ms, as the busy handler would have waited.
Result<std::string> SwitchToWal(Connection& conn, int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  while (true) {
    auto mode = conn.QueryText("PRAGMA journal_mode = WAL", "cannot switch the store to WAL");
    if (mode || mode.error().code != "IO106" || std::chrono::steady_clock::now() >= deadline) {
      return mode;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace ngosurvey::store::sqlite
