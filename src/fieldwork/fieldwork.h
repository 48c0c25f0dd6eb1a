// fieldwork: the module's front header, for other modules (cli, server, report).
// It owns the sample frame, AAPOR case dispositions and outcome rates, the Dillman
// follow-up schedule and the store-backed fieldwork log (log.h); it reads forms only
// to tell complete from partial interviews, and knows nothing of output formats or
// terminals.
#pragma once

#include "fieldwork/dispositions.h"  // IWYU pragma: export
#include "fieldwork/frame.h"         // IWYU pragma: export
#include "fieldwork/log.h"           // IWYU pragma: export
#include "fieldwork/rates.h"         // IWYU pragma: export
#include "fieldwork/schedule.h"      // IWYU pragma: export
#include "fieldwork/status.h"        // IWYU pragma: export
