// libmicrohttpd, the HTTP server library, loaded with dlopen when a server starts
// instead of linked: linking it made every command load it and GnuTLS's chain (GnuTLS,
// nettle, hogweed, GMP, p11-kit, libffi, libtasn1, libidn2, libunistring: 10 shared
// libraries, BIND_NOW, with GnuTLS's initialisation) at start, although only `serve`
// uses it. Only the header (Debian libmicrohttpd-dev) is used at build time; the
// runtime library is Debian libmicrohttpd12. Private to server/.
#pragma once

#include <microhttpd.h>

#include "base/error.h"

namespace ngosurvey::server {

// The soname loaded (libmicrohttpd's ABI 12, Debian libmicrohttpd12).
inline constexpr const char* kMicrohttpdName = "libmicrohttpd.so.12";

// The libmicrohttpd functions the server calls, resolved once. Each member has the
// type and the name of the function it points to.
struct Microhttpd {
  decltype(&::MHD_start_daemon) MHD_start_daemon = nullptr;
  decltype(&::MHD_get_daemon_info) MHD_get_daemon_info = nullptr;
  decltype(&::MHD_quiesce_daemon) MHD_quiesce_daemon = nullptr;
  decltype(&::MHD_stop_daemon) MHD_stop_daemon = nullptr;
  decltype(&::MHD_get_connection_info) MHD_get_connection_info = nullptr;
  decltype(&::MHD_get_connection_values) MHD_get_connection_values = nullptr;
  decltype(&::MHD_basic_auth_get_username_password) MHD_basic_auth_get_username_password = nullptr;
  decltype(&::MHD_free) MHD_free = nullptr;
  decltype(&::MHD_create_response_from_buffer) MHD_create_response_from_buffer = nullptr;
  decltype(&::MHD_add_response_header) MHD_add_response_header = nullptr;
  decltype(&::MHD_queue_response) MHD_queue_response = nullptr;
  decltype(&::MHD_destroy_response) MHD_destroy_response = nullptr;
};

// libmicrohttpd (kMicrohttpdName), loaded and resolved on the first call, by one thread
// while the others wait (std::call_once); later calls return the same table, or the
// same error. The library stays loaded until the process exits. SV025 when it cannot
// be loaded or lacks a function, naming the library and saying what the loader said.
Result<const Microhttpd*> LoadMicrohttpd();

// Loads the library `soname` and resolves every function of `out` in it, without the
// once-only guard (LoadMicrohttpd's work; tests call it with a name that does not
// exist). SV025 as LoadMicrohttpd, with `soname` in the message.
Status LoadMicrohttpdFrom(const char* soname, Microhttpd& out);

}  // namespace ngosurvey::server
