#include <dlfcn.h>

#include <mutex>
#include <string>

#include "store/postgres/libpq_internal.h"

namespace ngosurvey::store::postgres {
namespace {

tl::unexpected<Error> LoadError(const char* soname, const std::string& detail) {
  return MakeError("IO109",
                   std::string("cannot load the PostgreSQL client library ") + soname +
                       " (Debian package libpq5), needed for a postgresql:// store: " + detail);
}

// Resolves `name` in `library` into `function`; false when the library lacks it.
template <typename Function>
bool Resolve(void* library, const char* name, Function& function) {
  void* symbol = ::dlsym(library, name);
  if (symbol == nullptr) return false;
  function = reinterpret_cast<Function>(symbol);
  return true;
}

}  // namespace

Status LoadLibPqFrom(const char* soname, LibPq& out) {
  // RTLD_NOW: every symbol bound here, once, rather than at the first call of each.
  // RTLD_LOCAL: libpq's symbols stay out of the global scope.
  void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return LoadError(soname, why != nullptr ? why : "unknown reason");
  }
  LibPq pq;
#define NGO_RESOLVE(name)                                  \
  if (!Resolve(library, #name, pq.name)) {                 \
    ::dlclose(library);                                    \
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
