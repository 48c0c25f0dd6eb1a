// The form of tests/data/odk/form.xlsx (a repeat "programs", a photo), loaded once, for
// the fuzz targets that read exports of it (central_zip, xlsx_export). A form that does
// not load is a broken checkout: the target traps at once rather than fuzz nothing.
#pragma once

#include <string>

#include "base/file.h"
#include "form/form.h"

namespace ngosurvey::fuzz {

inline const form::Form& OdkTestForm() {
  static const form::Form form = [] {
    auto bytes = ReadFile(std::string(NGOSURVEY_SOURCE_DIR) + "/tests/data/odk/form.xlsx");
    if (!bytes) __builtin_trap();
    Diagnostics diags;
    auto loaded = form::LoadForm(*bytes, "form.xlsx", &diags);
    if (!loaded) __builtin_trap();
    return *loaded;
  }();
  return form;
}

}  // namespace ngosurvey::fuzz
