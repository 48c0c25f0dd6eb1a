// cli: where the binary finds the files that ship beside it.
#pragma once

#include <string>

namespace ngosurvey::cli {

// The browser app's folder for `serve` without --web-root: PREFIX/share/ngosurvey/web
// when the binary is installed as PREFIX/bin/ngosurvey, else build/webroot of the
// checkout the binary was built from (made by web/app/build); "" when neither exists.
std::string DefaultWebRoot();

}  // namespace ngosurvey::cli
