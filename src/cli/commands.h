#pragma once

#include <vector>

#include "cli/command.h"

namespace ngosurvey::cli {

// Every command group, in help order.
const std::vector<RegisterFn>& CommandGroups();

}  // namespace ngosurvey::cli
