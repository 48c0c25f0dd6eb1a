// The back ends the store's conformance suites run against (store_conformance_test,
// fieldwork_log_conformance_test, codings_conformance_test): one typed test per back
// end, so every back end passes the same tests. Not part of the library.
//
// The PostgreSQL back end needs a server: tests/store/with_postgres.sh starts one and
// names it in NGOSURVEY_TEST_POSTGRES ("postgresql://USER@127.0.0.1:PORT"); CTest
// runs the *Postgres* tests only under that script (test store_postgres) and the
// others directly. Without the variable a Postgres test fails; it never skips.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "store/store_test_util.h"

namespace ngosurvey::store::testing {

struct MemoryBackEnd {
  static std::string Location(const TempDir&) { return "memory:"; }
};

struct SqliteBackEnd {
  static std::string Location(const TempDir& dir) { return dir.File("store.db"); }
};

// The test server's base URL, or "" after recording a test failure.
inline std::string TestPostgresServer() {
  const char* server = std::getenv("NGOSURVEY_TEST_POSTGRES");
  if (server == nullptr || *server == '\0') {
    ADD_FAILURE() << "NGOSURVEY_TEST_POSTGRES is not set: run the PostgreSQL tests through "
                     "tests/store/with_postgres.sh (CTest test store_postgres), which starts "
                     "a server";
    return "";
  }
  return server;
}

// Runs `sql` on the test server's database `ngotest` (created by with_postgres.sh).
inline bool RunOnTestServer(const std::string& server, const std::string& sql) {
  std::string url = server + "/ngotest";
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (!ok) {
    ADD_FAILURE() << "cannot connect to the test PostgreSQL server " << url << ": "
                  << PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok) ADD_FAILURE() << sql << ": " << PQerrorMessage(conn);
    PQclear(result);
  }
  PQfinish(conn);
  return ok;
}

// A store location of its own for each test folder: a schema of the test server's
// database, named after the folder and chosen by the connection's search_path. The
// same folder gives the same store (tests that open it twice).
inline std::string PostgresSchemaLocation(const TempDir& dir, const std::string& suffix = "") {
  std::string server = TestPostgresServer();
  if (server.empty()) return "postgresql://no-test-server.invalid/none";
  std::string schema = "t_";
  for (char c : dir.path().substr(dir.path().rfind('/') + 1) + suffix) {
    schema +=
        std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  RunOnTestServer(server,
                  "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS " + schema);
  return server + "/ngotest?options=-csearch_path%3D" + schema;
}

struct PostgresBackEnd {
  static std::string Location(const TempDir& dir) { return PostgresSchemaLocation(dir); }
};

using BackEnds = ::testing::Types<MemoryBackEnd, SqliteBackEnd, PostgresBackEnd>;

class BackEndNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryBackEnd>) return "Memory";
    if (std::is_same_v<T, SqliteBackEnd>) return "Sqlite";
    return "Postgres";
  }
};

}  // namespace ngosurvey::store::testing
