// The ODK instance XML of a set of answers (docs/formats/odk-instance.md): what a
// browser interview sends to `POST /submission`, as ODK Collect and Enketo would for
// the same form. The inverse of ReadOdkInstance (odk_instance.h) for everything that
// layout can say: reading the result back gives the same answers, except not_asked
// ones, which are left out (an absent element), as ODK clients leave out what was
// not relevant. Refused and don't know are written as the form's first code
// (RefusedCodes, DontKnowCodes). Needs no XML library, so the WebAssembly engine
// has it too.
//
// Errors: IX001 an answer path the form does not have (a question not at that
// place, a group given a value); IX002 an instance ID that is not "uuid:" + a UUID.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/answer.h"
#include "form/form.h"

namespace ngosurvey::form {

struct InstanceXmlOptions {
  std::string instance_id;    // meta/instanceID: "uuid:..." (required)
  std::string deprecated_id;  // meta/deprecatedID of an edit, or ""
  std::string instance_name;  // meta/instanceName, or ""
};

// The document: the root named as the XForm names it (settings `name`, else "data")
// with the form's id and version, the answers in form order (groups as elements,
// each repeat instance an element, in instance order), then meta.
// The values that stand for refused and don't know in ODK instances and imports:
// the settings missing_refused and missing_dont_know (comma-separated lists), by
// default "refused" and "dont_know". The first is the one WriteInstanceXml writes;
// ReadOdkInstance and the imports take any of them (OdkInstanceOptions).
std::vector<std::string> RefusedCodes(const Form& form);
std::vector<std::string> DontKnowCodes(const Form& form);

// True for "uuid:" followed by a UUID in its 8-4-4-4-12 hexadecimal form, as
// meta/instanceID and meta/deprecatedID must be.
bool IsInstanceId(std::string_view id);

Result<std::string> WriteInstanceXml(const Form& form, const std::map<std::string, Answer>& answers,
                                     const InstanceXmlOptions& options);

}  // namespace ngosurvey::form
