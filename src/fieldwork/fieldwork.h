// fieldwork: the module's front header, for other modules (cli, server, and the
// store-backed contact log to come). It owns the sample frame, AAPOR case
// dispositions and outcome rates, and the Dillman follow-up schedule; it must not
// know about questionnaire content, output formats or terminals.
#pragma once

#include "fieldwork/dispositions.h"  // IWYU pragma: export
#include "fieldwork/frame.h"         // IWYU pragma: export
#include "fieldwork/rates.h"         // IWYU pragma: export
#include "fieldwork/schedule.h"      // IWYU pragma: export
