// The libpq wrappers of the PostgreSQL back end: statement parameters and result
// rows in binary format, a Connection with a cache of prepared statements, and the
// mapping of PostgreSQL's SQLSTATEs to the store's error codes. libpq is called
// through the table LoadLibPq resolves when the first connection is opened
// (libpq_internal.h), never directly. Private to store/postgres/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "store/postgres/libpq_internal.h"

namespace ngosurvey::store::postgres {

// `location` with its password (user:PASSWORD@ or password=...) replaced by "***",
// so that no message, log or error ever shows it.
std::string RedactedLocation(const std::string& location);

// A Location naming the database (already redacted).
Location DbLocation(const std::string& redacted);

// The parameters of one statement ($1, $2, ... in order), sent in binary format:
// text and bytea as their bytes, bigint as 8 bytes in network order. The SQL casts
// each parameter ($1::text, $2::bigint, $3::bytea) so the server knows its type.
// Values are copied, so temporaries may be passed.
class Params {
 public:
  Params& Text(std::string_view text) { return Add(std::string(text), false); }
  Params& Bytes(std::string_view bytes) { return Add(std::string(bytes), false); }
  Params& Int(int64_t number);
  Params& Null() { return Add(std::string(), true); }
  Params& OptionalText(const std::optional<std::string>& text) {
    return text ? Text(*text) : Null();
  }
  Params& OptionalInt(const std::optional<int64_t>& number) {
    return number ? Int(*number) : Null();
  }

  int size() const { return static_cast<int>(values_.size()); }
  // Arrays for PQexecPrepared, valid while this object is unchanged.
  const char* const* values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& Add(std::string value, bool null);

  std::vector<std::string> values_;
  mutable std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// The rows of one result (binary format); owns the PGresult.
class Rows {
 public:
  Rows() = default;
  // `pq` is the table that made `result`.
  Rows(const LibPq* pq, PGresult* result) : pq_(pq), result_(result) {}
  ~Rows() {
    if (result_ != nullptr) pq_->PQclear(result_);
  }
  Rows(Rows&& other) noexcept : pq_(other.pq_), result_(std::exchange(other.result_, nullptr)) {}
  Rows& operator=(Rows&& other) noexcept {
    if (this != &other) {
      if (result_ != nullptr) pq_->PQclear(result_);
      pq_ = other.pq_;
      result_ = std::exchange(other.result_, nullptr);
    }
    return *this;
  }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int size() const { return result_ == nullptr ? 0 : pq_->PQntuples(result_); }
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int column) const { return pq_->PQgetisnull(result_, row, column) != 0; }
  // The bytes of a text or bytea column, valid while this object lives.
  std::string_view View(int row, int column) const {
    return std::string_view(pq_->PQgetvalue(result_, row, column),
                            static_cast<size_t>(pq_->PQgetlength(result_, row, column)));
  }
  std::string Text(int row, int column) const { return std::string(View(row, column)); }
  // A bigint, integer, smallint or boolean column (0 when NULL).
  int64_t Int(int row, int column) const;

 private:
  const LibPq* pq_ = nullptr;
  PGresult* result_ = nullptr;
};

// One connection to the database. Not thread-safe: PostgresStore serialises calls.
class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to `location` (a postgresql:// URL or libpq key=value string), loading
  // libpq first if no connection did (LoadLibPq: IO109 when it cannot be loaded). A
  // connection that cannot be made is IO101; both name the redacted location.
  static Result<std::unique_ptr<Connection>> Open(const std::string& location,
                                                  int connect_timeout_ms);

  // Runs one statement with parameters, prepared once per connection and cached
  // by the address of `sql` (a string literal). Results come in binary format.
  Result<Rows> Query(const char* sql, const Params& params, std::string_view doing);
  Result<Rows> Query(const char* sql, std::string_view doing) { return Query(sql, {}, doing); }

  // Runs SQL text without parameters (may hold several statements; text results).
  Status Exec(const std::string& sql, std::string_view doing);

  // Runs a session setting (SET ...) now and again after every reconnection, which
  // starts a new session without it.
  Status SetForSession(const std::string& sql, std::string_view doing);

  // Reconnects when the server closed the connection (a restart, a network cut),
  // forgets the prepared statements and runs the session settings again; IO101 if
  // it cannot.
  Status EnsureConnected();

  bool InTransaction() const { return pq_->PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  // The SQLSTATE of the last failed statement ("" when it had none).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // True when the last failure was a serialization failure or a deadlock: the
  // whole transaction may be run again.
  bool LastFailureRetryable() const {
    return last_sqlstate_ == "40001" || last_sqlstate_ == "40P01";
  }
  const std::string& location() const { return location_; }  // redacted

 private:
  Connection(const LibPq* pq, PGconn* conn, std::string location)
      : pq_(pq), conn_(conn), location_(std::move(location)) {}
  tl::unexpected<Error> Fail(PGresult* result, std::string_view doing);

  const LibPq* pq_;
  PGconn* conn_;
  std::string location_;
  std::string last_sqlstate_;
  std::unordered_map<const char*, std::string> prepared_;  // sql -> statement name
  std::vector<std::string> session_settings_;              // SetForSession's, in order
};

// The store's error for SQLSTATE `state` with PostgreSQL's `detail` while `doing`.
Error ErrorFor(const std::string& state, const std::string& detail, std::string_view doing,
               const std::string& location);

}  // namespace ngosurvey::store::postgres
