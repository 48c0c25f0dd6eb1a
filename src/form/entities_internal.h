// ODK entities in XLSForms, internal to form/: the checks that tie the entities
// sheet (read by xlsform_reader.cpp into Form::entities) to the survey's save_to
// cells and ${} references, and the placement of each entity's meta/entity.
#pragma once

#include <string_view>

#include "base/diagnostic.h"
#include "form/form.h"

namespace ngosurvey::form {

// After the survey and the entities sheet are read: splits each Question::save_to
// ("list#property" or "property") into save_to_list and save_to, checks them
// (E066-E071), places every EntityDeclaration in the container pyxform puts its
// meta/entity in (EntityDeclaration::container; E072, E073) and checks that an
// updated list has an instance in the XForm (E074). Appends every problem to `diags`.
void PlaceEntities(Form* form, Diagnostics* diags);

// An XML element name as pyxform accepts one (the ASCII letters, digits, '_', '-',
// '.' and any non-ASCII byte; not starting with a digit, '-' or '.').
bool IsValidName(std::string_view name);

}  // namespace ngosurvey::form
