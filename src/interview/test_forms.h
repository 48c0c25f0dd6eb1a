// The interview's tests and benchmark build forms from rows of text with the
// shared builder (form/testing/form_rows.h).
#pragma once

#include "form/testing/form_rows.h"

namespace ngosurvey::interview::testing {

using form::testing::MakeForm;
using form::testing::MakeSheet;
using form::testing::Rows;

}  // namespace ngosurvey::interview::testing
