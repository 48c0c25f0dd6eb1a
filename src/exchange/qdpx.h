// exchange: the codings of an open question as a REFI-QDA project (.qdpx), the
// exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA Project
// Exchange 1.0, namespace urn:QDA-XML:project:1.0; docs/formats/qdpx.md).
//
// The .qdpx is a zip holding project.qde, whose parts ngosurvey writes are:
//   Users      one User per coder (reconciled codes are not written: as the CSV
//              export, they stay with `code reconcile`)
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

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "exchange/codings.h"
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

// --- Reading a project back (code import FILE.qdpx) ---------------------------
// project.qde as read: users, codes, text sources with their selections and
// codings (other parts of the standard are skipped). Lines are project.qde's.
struct QdpxCoding {
  std::string user_guid;  // creatingUser
  std::string code_guid;  // CodeRef targetGUID
  int line = 0;
};
struct QdpxSelection {
  int64_t start = 0, end = 0;  // code points, end exclusive
  std::vector<QdpxCoding> codings;
  int line = 0;
};
struct QdpxSource {
  std::string guid, name, text, plain_text_path;
  std::vector<QdpxSelection> selections;
  std::vector<QdpxCoding> codings;  // codings of the whole source
  int line = 0;
};
struct QdpxCode {
  std::string guid, name, description;
  int line = 0;
};
struct QdpxProject {
  std::map<std::string, std::string> users;  // guid -> name (the guid when unnamed)
  std::vector<QdpxCode> codes;               // every Code, nested ones included
  std::vector<QdpxSource> sources;
};

// Parses project.qde (`file` names it in errors). QDP001 for XML that is not
// well-formed, a DOCTYPE, a missing required attribute, a position that is not a
// whole number, or no Project element.
Result<QdpxProject> ReadQdpxProject(std::string_view project_qde, const std::string& file);

// Reads a .qdpx and stores its codings of `options.question` as ImportCodings stores
// a CSV (the same checks, all or nothing). Each TextSource must be named by the
// instance id of a completed answer to the question and hold its exact text (so
// that positions mean the same); each Coding names a User (the coder) and a Code,
// matched to a theme by the "ngosurvey theme: ID" line of its Description, else by
// a theme id or label equal to its name. Errors: ZIP0xx, QDP001 (project.qde),
// QDP002 an unknown source, QDP003 a source whose text differs from the stored
// answer (or is kept in a file), QDP004 a Coding without a known user or code,
// then ImportCodings' COD0xx, each located at the element in project.qde.
Result<CodingImportResult> ImportQdpx(store::Store& store, std::string_view qdpx,
                                      const std::string& file, const CodingImportOptions& options);

}  // namespace ngosurvey::exchange
