#include <mutex>
#include <string>

#include "base/shared_library.h"
#include "server/microhttpd_internal.h"

namespace ngosurvey::server {
namespace {

tl::unexpected<Error> LoadError(const char* soname, const std::string& detail) {
  return MakeError("SV025", std::string("cannot load the HTTP server library ") + soname +
                                " (Debian package libmicrohttpd12), needed to serve: " + detail);
}

}  // namespace

Status LoadMicrohttpdFrom(const char* soname, Microhttpd& out) {
  auto library = SharedLibrary::Open(soname);
  if (!library) return LoadError(soname, library.error());
  Microhttpd mhd;
#define NGO_RESOLVE(name)                                  \
  if (!library->Resolve(#name, mhd.name)) {                \
    library->Close();                                      \
    return LoadError(soname, "it has no function " #name); \
  }
  NGO_RESOLVE(MHD_start_daemon)
  NGO_RESOLVE(MHD_get_daemon_info)
  NGO_RESOLVE(MHD_quiesce_daemon)
  NGO_RESOLVE(MHD_stop_daemon)
  NGO_RESOLVE(MHD_get_connection_info)
  NGO_RESOLVE(MHD_get_connection_values)
  NGO_RESOLVE(MHD_basic_auth_get_username_password)
  NGO_RESOLVE(MHD_free)
  NGO_RESOLVE(MHD_create_response_from_buffer)
  NGO_RESOLVE(MHD_add_response_header)
  NGO_RESOLVE(MHD_queue_response)
  NGO_RESOLVE(MHD_destroy_response)
#undef NGO_RESOLVE
  out = mhd;
  return Ok();
}

Result<const Microhttpd*> LoadMicrohttpd() {
  static std::once_flag once;
  static Microhttpd mhd;
  static Status loaded = Ok();
  std::call_once(once, [] { loaded = LoadMicrohttpdFrom(kMicrohttpdName, mhd); });
  if (!loaded) return tl::unexpected(loaded.error());
  return &mhd;
}

}  // namespace ngosurvey::server
