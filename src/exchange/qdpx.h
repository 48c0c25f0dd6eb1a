// exchange: the codings of an open question as a REFI-QDA project (.qdpx), the
// exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA Project
// Exchange 1.0, namespace urn:QDA-XML:project:1.0; docs/formats/qdpx.md).
//
// The .qdpx is a zip holding project.qde, whose parts ngosurvey writes are:
//   Users      one User per coder (the reconciled codes under "(reconciled)")
//   CodeBook   the codebook's themes as Codes, nested as the hierarchy is, each
//              with its label (in the chosen language) and its definition,
//              inclusion, exclusion and example as the Description
//   Sources    one TextSource per answered, completed submission: the answer as
//              PlainTextContent (so that no Sources/ file is needed), named by its
//              instance id; each coded segment a PlainTextSelection (start and end
//              in Unicode code points, end exclusive, the whole answer 0..length)
//              with one Coding per coder who applied the code (creatingUser)
// GUIDs are made from SHA-256 of what they stand for (a coder's name, a theme's
// id, an instance id, a segment), so exporting the same codings twice gives the
// same file and a project coming back can be matched to the store.
// A coder's "read, no code" has no REFI-QDA form and is not written.
#pragma once

#include <string>

#include "base/error.h"
#include "form/codebook.h"
#include "store/store.h"

namespace ngosurvey::exchange {

struct QdpxExportOptions {
  std::string question;       // required: the coded open question
  std::string language;       // the codebook's language for code names ("" = its default)
  std::string project_name;   // default: "ngosurvey: QUESTION"
  int64_t created_at_ms = 0;  // creationDateTime of the project (0: not written)
};

// The project.qde XML of `question`'s answers and codings.
Result<std::string> QdpxProjectXml(const store::Store& store, const form::Codebook& codebook,
                                   const QdpxExportOptions& options);

// The .qdpx bytes: a zip with project.qde.
Result<std::string> ExportQdpx(const store::Store& store, const form::Codebook& codebook,
                               const QdpxExportOptions& options);

}  // namespace ngosurvey::exchange
