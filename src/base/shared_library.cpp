#include "base/shared_library.h"

#include <dlfcn.h>

namespace ngosurvey {

tl::expected<SharedLibrary, std::string> SharedLibrary::Open(const char* soname) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return tl::unexpected(std::string(why != nullptr ? why : "unknown reason"));
  }
  return SharedLibrary(handle);
}

void SharedLibrary::Close() {
  if (handle_ != nullptr) ::dlclose(handle_);
  handle_ = nullptr;
}

void* SharedLibrary::Symbol(const char* name) const {
  return handle_ == nullptr ? nullptr : ::dlsym(handle_, name);
}

}  // namespace ngosurvey
