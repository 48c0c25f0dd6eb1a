#include "base/testing/source_dir.h"

namespace ngosurvey::testing {

const char* SourceDir() { return NGOSURVEY_SOURCE_DIR; }

}  // namespace ngosurvey::testing
