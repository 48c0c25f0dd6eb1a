// The in-memory back end: the same contract as the SQLite store (the conformance
// suite runs against both), with nothing persisted. For unit tests of modules that
// need a Store (interview/, analysis/). Private to store/: use OpenStore("memory:").
#pragma once

#include <memory>

#include "store/store.h"

namespace ngosurvey::store::memory {

Result<std::unique_ptr<Store>> OpenMemoryStore(const OpenOptions& options);

}  // namespace ngosurvey::store::memory
