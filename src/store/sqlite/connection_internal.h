// The SQLite connection wrappers of the store's back end: a prepared Statement that
// resets itself, a Connection with a statement cache, the mapping of SQLite result
// codes to the store's IO1xx errors, and EachRow/StepRow, the one way rows are read.
// Private to store/sqlite/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "base/error.h"

namespace ngosurvey::store::sqlite {

// A Location naming the store's file.
Location FileLocation(const std::string& path);

// The error for SQLite result `rc` while `doing` something to the store in `path`:
// IO106 busy/locked, IO104 read-only or permission, IO105 damaged, IO101 cannot open,
// IO107 anything else. `db` (may be null) supplies SQLite's own message.
tl::unexpected<Error> SqliteError(sqlite3* db, int rc, const std::string& path,
                                  const std::string& doing);

// A prepared statement owned by the connection's cache. A Statement resets it
// (and clears its bindings) when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int index, int64_t number) {
    sqlite3_bind_int64(stmt_, index, number);
    return *this;
  }
  Statement& BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  // A number, or NULL when there is none.
  Statement& BindOptional(int index, std::optional<int64_t> number) {
    return number ? Bind(index, *number) : BindNull(index);
  }
  // Binds text that stays valid until the statement is stepped and reset.
  Statement& BindStatic(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  // Binds bytes that stay valid until the statement is stepped and reset.
  Statement& BindStaticBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), size);
  }
  std::string Blob(int column) const {
    const void* blob = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return blob == nullptr ? std::string() : std::string(static_cast<const char*>(blob), size);
  }
  // The column's text without a copy: valid until the next Step() or reset.
  std::string_view View(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string_view()
                           : std::string_view(reinterpret_cast<const char*>(text), size);
  }
  // The column's bytes without a copy: valid until the next Step() or reset.
  std::string_view BlobView(int column) const {
    const void* blob = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return blob == nullptr ? std::string_view()
                           : std::string_view(static_cast<const char*>(blob), size);
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

// One connection. Not thread-safe by itself: SqliteStore serialises calls.
class Connection {
 public:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens `path` with `flags`; sets the busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  int busy_timeout_ms);

  // A cached statement for `sql`, which must be a string literal (the cache is
  // keyed by its address).
  Result<Statement> Prepare(const char* sql);

  // Runs SQL text that returns no rows (may hold several statements).
  Status Exec(const std::string& sql, const std::string& doing);

  // The first column of the first row of `sql`, as text ("" when no row).
  Result<std::string> QueryText(const std::string& sql, const std::string& doing);
  // The same as a number (0 when no row).
  Result<int64_t> QueryInt(const std::string& sql, const std::string& doing);

  tl::unexpected<Error> Fail(int rc, const std::string& doing) {
    return SqliteError(db_, rc, path_, doing);
  }

  // Checks a Step() result that must be SQLITE_DONE (or SQLITE_ROW when allowed).
  Status Done(int rc, const std::string& doing) {
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Ok();
    return Fail(rc, doing);
  }

  // Steps `stmt` to its next row: true on a row, false when there is none, the
  // error (naming what it was `doing`) otherwise. For queries of one row.
  Result<bool> StepRow(Statement& stmt, std::string_view doing) {
    int rc = stmt.Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Fail(rc, std::string(doing));
  }

  // Calls `row()` on each row of `stmt` in turn (it reads the statement's columns);
  // `row` returns void or a Status, and its first error ends the loop and is
  // returned. A SQLite error is returned naming what it was `doing`. This is the
  // one row-reading loop of the back end.
  template <typename Fn>
  Status EachRow(Statement& stmt, std::string_view doing, Fn&& row) {
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      if constexpr (std::is_void_v<std::invoke_result_t<Fn&>>) {
        row();
      } else {
        NGO_TRY(row());
      }
    }
    if (rc == SQLITE_DONE) return Ok();
    return Fail(rc, std::string(doing));
  }

  // Finalizes every cached statement (they are prepared again when next used,
  // under the connection's settings of that time).
  void ClearCache();

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_;
  std::string path_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// Sets journal_mode = WAL and returns the mode now in force, trying again while
// another process holds the lock (up to `busy_timeout_ms`).
Result<std::string> SwitchToWal(Connection& conn, int busy_timeout_ms);

}  // namespace ngosurvey::store::sqlite
