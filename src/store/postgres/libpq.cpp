#include <mutex>
#include <string>

#include "base/shared_library.h"
#include "store/postgres/libpq_internal.h"

namespace ngosurvey::store::postgres {
namespace {

tl::unexpected<Error> LoadError(const char* soname, const std::string& detail) {
  return MakeError("IO109",
                   std::string("cannot load the PostgreSQL client library ") + soname +
                       " (Debian package libpq5), needed for a postgresql:// store: " + detail);
}

}  // namespace

Status LoadLibPqFrom(const char* soname, LibPq& out) {
  auto library = SharedLibrary::Open(soname);
  if (!library) return LoadError(soname, library.error());
  LibPq pq;
#define NGO_RESOLVE(name)                                  \
  if (!library->Resolve(#name, pq.name)) {                 \
    library->Close();                                      \
    return LoadError(soname, "it has no function " #name); \
  }
  NGO_RESOLVE(PQconnectdbParams)
  NGO_RESOLVE(PQstatus)
  NGO_RESOLVE(PQerrorMessage)
  NGO_RESOLVE(PQfinish)
  NGO_RESOLVE(PQreset)
  NGO_RESOLVE(PQtransactionStatus)
  NGO_RESOLVE(PQprepare)
  NGO_RESOLVE(PQexecPrepared)
  NGO_RESOLVE(PQexec)
  NGO_RESOLVE(PQresultStatus)
  NGO_RESOLVE(PQresultErrorField)
  NGO_RESOLVE(PQclear)
  NGO_RESOLVE(PQntuples)
  NGO_RESOLVE(PQgetisnull)
  NGO_RESOLVE(PQgetvalue)
  NGO_RESOLVE(PQgetlength)
#undef NGO_RESOLVE
  out = pq;
  return Ok();
}

Result<const LibPq*> LoadLibPq() {
  static std::once_flag once;
  static LibPq pq;
  static Status loaded = Ok();
  std::call_once(once, [] { loaded = LoadLibPqFrom(kLibPqName, pq); });
  if (!loaded) return tl::unexpected(loaded.error());
  return &pq;
}

}  // namespace ngosurvey::store::postgres
