// libpq, the PostgreSQL client library, loaded with dlopen when the first PostgreSQL
// store is opened instead of linked: linking it made every command load it and its
// dependencies (OpenSSL's libssl, Kerberos, LDAP, SASL: 11 shared libraries, BIND_NOW)
// at start, although most commands never open a PostgreSQL store. Only the headers
// (Debian libpq-dev) are used at build time; the runtime library is Debian libpq5.
// Private to store/postgres/.
#pragma once

#include <libpq-fe.h>

#include "base/error.h"

namespace ngosurvey::store::postgres {

// The soname loaded (libpq's ABI 5, Debian libpq5).
inline constexpr const char* kLibPqName = "libpq.so.5";

// The libpq functions the back end calls, resolved once. Each member has the type and
// the name of the function it points to.
struct LibPq {
  decltype(&::PQconnectdbParams) PQconnectdbParams = nullptr;
  decltype(&::PQstatus) PQstatus = nullptr;
  decltype(&::PQerrorMessage) PQerrorMessage = nullptr;
  decltype(&::PQfinish) PQfinish = nullptr;
  decltype(&::PQreset) PQreset = nullptr;
  decltype(&::PQtransactionStatus) PQtransactionStatus = nullptr;
  decltype(&::PQprepare) PQprepare = nullptr;
  decltype(&::PQexecPrepared) PQexecPrepared = nullptr;
  decltype(&::PQexec) PQexec = nullptr;
  decltype(&::PQresultStatus) PQresultStatus = nullptr;
  decltype(&::PQresultErrorField) PQresultErrorField = nullptr;
  decltype(&::PQclear) PQclear = nullptr;
  decltype(&::PQntuples) PQntuples = nullptr;
  decltype(&::PQgetisnull) PQgetisnull = nullptr;
  decltype(&::PQgetvalue) PQgetvalue = nullptr;
  decltype(&::PQgetlength) PQgetlength = nullptr;
};

// libpq (kLibPqName), loaded and resolved on the first call, by one thread while the
// others wait (std::call_once); later calls return the same table, or the same error.
// The library stays loaded until the process exits. IO109 when it cannot be loaded
// or lacks a function, naming the library and saying what the loader said.
Result<const LibPq*> LoadLibPq();

// Loads the library `soname` and resolves every function of `out` in it, without the
// once-only guard (LoadLibPq's work; tests call it with a name that does not exist).
// IO109 as LoadLibPq, with `soname` in the message.
Status LoadLibPqFrom(const char* soname, LibPq& out);

}  // namespace ngosurvey::store::postgres
