#include <endian.h>

#include <cstring>

#include "store/postgres/connection_internal.h"

namespace ngosurvey::store::postgres {
namespace {

// The store's code for a SQLSTATE. Unique violations are conflicts (ST003), a
// missing referenced row is "not found" (ST002), malformed values and broken CHECKs
// are invalid requests (ST001); everything else concerns the database itself.
std::string CodeFor(const std::string& state) {
  if (state == "23505") return "ST003";                      // unique_violation
  if (state == "23503") return "ST002";                      // foreign_key_violation
  if (state == "23514" || state == "23502") return "ST001";  // check, not null
  if (state.rfind("22", 0) == 0) return "ST001";             // data exception (bad UTF-8...)
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return "IO106";  // serialization failure, deadlock, lock or statement timeout
  }
  if (state == "25006" || state == "42501") return "IO104";  // read-only, no privilege
  if (state == "XX001" || state == "XX002") return "IO105";  // data or index corrupted
  if (state.rfind("08", 0) == 0 || state.rfind("28", 0) == 0 || state == "3D000") {
    return "IO101";  // connection, authentication, no such database
  }
  return "IO107";
}

}  // namespace

std::string RedactedLocation(const std::string& location) {
  std::string out = location;
  // postgresql://user:password@host/...: the password sits between the first ':'
  // of the user info and the '@' that ends it.
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a URL query parameter or a key=value pair.
  for (size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    bool starts_key = pos == 0 || out[pos - 1] == '?' || out[pos - 1] == '&' ||
                      out[pos - 1] == ' ' || out[pos - 1] == '\t';
    pos += 9;
    if (!starts_key) continue;
    size_t end = out.find_first_of("& \t", pos);
    out.replace(pos, (end == std::string::npos ? out.size() : end) - pos, "***");
    pos += 3;
  }
  return out;
}

Location DbLocation(const std::string& redacted) {
  Location where;
  where.file = redacted;
  return where;
}

Error ErrorFor(const std::string& state, const std::string& detail, std::string_view doing,
               const std::string& location) {
  std::string message = std::string(doing) + ": " + detail;
  std::string code = CodeFor(state);
  if (code == "IO106") message += " (other writers kept the rows locked too long)";
  if (code == "IO105")
    message = "the store is damaged (" + std::string(doing) + ": " + detail + ")";
  if (!state.empty()) message += " [SQLSTATE " + state + "]";
  return Error{code, message, DbLocation(location)};
}

Params& Params::Int(int64_t number) {
  uint64_t big = htobe64(static_cast<uint64_t>(number));
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &big, 8);
  return Add(std::move(bytes), false);
}

Params& Params::Add(std::string value, bool null) {
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  values_.push_back(std::move(value));
  pointers_.push_back(null ? nullptr : reinterpret_cast<const char*>(1));  // marks non-NULL
  return *this;
}

const char* const* Params::values() const {
  // The strings may have moved while the vector grew: point at them now.
  for (size_t i = 0; i < values_.size(); ++i) {
    if (pointers_[i] != nullptr) pointers_[i] = values_[i].data();
  }
  return pointers_.data();
}

int64_t Rows::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const char* data = pq_->PQgetvalue(result_, row, column);
  switch (pq_->PQgetlength(result_, row, column)) {
    case 1:
      return data[0] != 0;
    case 2: {
      uint16_t v;
      std::memcpy(&v, data, 2);
      return static_cast<int16_t>(be16toh(v));
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, data, 4);
      return static_cast<int32_t>(be32toh(v));
    }
    case 8: {
      uint64_t v;
      std::memcpy(&v, data, 8);
      return static_cast<int64_t>(be64toh(v));
    }
    default:
      return 0;
  }
}

Connection::~Connection() { pq_->PQfinish(conn_); }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& location,
                                                     int connect_timeout_ms) {
  std::string redacted = RedactedLocation(location);
  Result<const LibPq*> loaded = LoadLibPq();
  if (!loaded) {
    Error error = loaded.error();
    error.where = DbLocation(redacted);
    return tl::unexpected(std::move(error));
  }
  const LibPq* pq = *loaded;
  std::string timeout = std::to_string(std::max(2, (connect_timeout_ms + 999) / 1000));
  // Defaults first: the location's own settings (expanded at "dbname") override
  // them; the client encoding comes last so that text is always UTF-8.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {timeout.c_str(), "ngosurvey", location.c_str(), "UTF8", nullptr};
  PGconn* conn = pq->PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return MakeError("IO101", "cannot connect to the database: out of memory",
                     DbLocation(redacted));
  }
  if (pq->PQstatus(conn) != CONNECTION_OK) {
    std::string detail = pq->PQerrorMessage(conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    pq->PQfinish(conn);
    return MakeError("IO101", "cannot connect to the database: " + detail, DbLocation(redacted));
  }
  return std::unique_ptr<Connection>(new Connection(pq, conn, std::move(redacted)));
}

tl::unexpected<Error> Connection::Fail(PGresult* result, std::string_view doing) {
  const char* state =
      result != nullptr ? pq_->PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state != nullptr ? state : "";
  const char* primary =
      result != nullptr ? pq_->PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string detail = primary != nullptr ? primary : pq_->PQerrorMessage(conn_);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  if (result != nullptr) pq_->PQclear(result);
  if (pq_->PQstatus(conn_) == CONNECTION_BAD) {
    if (last_sqlstate_.empty()) last_sqlstate_ = "08006";
    return MakeError("IO107",
                     std::string(doing) + ": lost the connection to the database (" + detail + ")",
                     DbLocation(location_));
  }
  return tl::unexpected(ErrorFor(last_sqlstate_, detail, doing, location_));
}

Status Connection::SetForSession(const std::string& sql, std::string_view doing) {
  NGO_TRY(Exec(sql, doing));
  session_settings_.push_back(sql);
  return Ok();
}

Status Connection::EnsureConnected() {
  if (pq_->PQstatus(conn_) == CONNECTION_OK) return Ok();
  pq_->PQreset(conn_);
  prepared_.clear();
  if (pq_->PQstatus(conn_) != CONNECTION_OK) {
    std::string detail = pq_->PQerrorMessage(conn_);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    return MakeError("IO101", "cannot reconnect to the database: " + detail, DbLocation(location_));
  }
  // A new session: synchronous_commit, lock_timeout... as the store set them.
  for (const std::string& sql : session_settings_) {
    NGO_TRY(Exec(sql, "cannot set up the new connection"));
  }
  return Ok();
}

Result<Rows> Connection::Query(const char* sql, const Params& params, std::string_view doing) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "ngo" + std::to_string(prepared_.size() + 1);
    PGresult* prepared = pq_->PQprepare(conn_, name.c_str(), sql, 0, nullptr);
    if (pq_->PQresultStatus(prepared) != PGRES_COMMAND_OK) return Fail(prepared, doing);
    pq_->PQclear(prepared);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  PGresult* result = pq_->PQexecPrepared(conn_, it->second.c_str(), params.size(), params.values(),
                                         params.lengths(), params.formats(), /*resultFormat=*/1);
  ExecStatusType status = pq_->PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(result, doing);
  last_sqlstate_.clear();
  return Rows(pq_, result);
}

Status Connection::Exec(const std::string& sql, std::string_view doing) {
  PGresult* result = pq_->PQexec(conn_, sql.c_str());
  ExecStatusType status = pq_->PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(result, doing);
  pq_->PQclear(result);
  last_sqlstate_.clear();
  return Ok();
}

}  // namespace ngosurvey::store::postgres
