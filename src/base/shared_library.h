// A shared library loaded at run time (dlopen), for the libraries only some commands
// need: libpq for PostgreSQL stores (store/postgres/libpq.cpp) and libmicrohttpd for the
// collection server (server/microhttpd.cpp). Linked, such a library and its
// dependencies are loaded and relocated at the start of every command (bench/README.md,
// "XForm"). The caller keeps the table of functions it resolves and loads once
// (std::call_once); a library opened here stays loaded until the process exits.
#pragma once

#include <string>
#include <tl/expected.hpp>

namespace ngosurvey {

class SharedLibrary {
 public:
  // Loads `soname` (RTLD_NOW: every symbol bound now, once; RTLD_LOCAL: its symbols
  // stay out of the global scope). On failure, the loader's reason (dlerror).
  static tl::expected<SharedLibrary, std::string> Open(const char* soname);

  // Sets `function` to the library's function `name`; false, `function` unchanged,
  // when the library has none.
  template <typename Function>
  bool Resolve(const char* name, Function& function) const {
    void* symbol = Symbol(name);
    if (symbol == nullptr) return false;
    function = reinterpret_cast<Function>(symbol);
    return true;
  }

  // Unloads the library (after a failed resolution); the object is then empty.
  void Close();

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* Symbol(const char* name) const;

  void* handle_ = nullptr;
};

}  // namespace ngosurvey
