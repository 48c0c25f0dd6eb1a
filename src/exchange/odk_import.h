// exchange: ODK submissions into the store. Reads the instance XML files that ODK
// Collect and ODK Briefcase leave on disk, with the media files beside each, checks
// each against the form (form/odk_instance.h) and stores them with their files, all
// or nothing (docs/exchange.md, "ODK submissions").
//
// Layouts found under a path:
//   one .xml file                    its media: the other files of its folder
//   ODK Collect's instances/         NAME/NAME.xml, media beside it in NAME/
//   an ODK Briefcase export          uuid.../submission.xml, media beside it
// Every *.xml file below the path is a submission (folders are walked in name
// order); the files beside an XML are its media, and those its upload questions
// name are stored with it (as attachments). A file an answer names but that is
// missing is reported (ODI002); files nobody names are left.
//
// A submission whose meta/deprecatedID names one already stored (or one of the
// same import) is an edit: its answers replace the earlier submission's as an
// amendment (one audit entry per changed answer, who "odk import", the reason
// naming both instance ids), and its files join the earlier submission's; the
// earlier instance id stays the submission's id and the edit's is kept as another of
// its ids (Amendment::alias), so that an edit of the edit finds the submission, in
// this import or a later one. An edit of an unknown submission is stored as a new one
// (warning ODI010).
//
// Errors (each names the file; the reader's OI0xx name the element and line):
//   ODI001 no submission (no .xml file) under the path
//   ODI002 an attachment the submission names is not beside it
//   ODI003 the instance id is stored with other answers (never overwritten), or
//          appears twice in the import with other answers
//   ODI004 the form id or version is not the form's
//   ODI005 an encrypted submission and no private key
//   ODC001-ODC005 an encrypted submission that does not decrypt (odk_crypto.h)
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

class PrivateKey;  // exchange/odk_crypto.h

struct OdkImportOptions {
  std::optional<store::Wave> wave;  // default main
  // The form's private key: encrypted submissions (ODK's manifest beside its .enc
  // files, exchange/odk_crypto.h) are decrypted with it, their signature checked,
  // and read as the others. Without it they are refused (ODI005). Not owned.
  const PrivateKey* private_key = nullptr;
};

struct OdkImportReport {
  size_t found = 0;             // XML submissions read
  size_t stored = 0;            // new submissions added
  size_t edits = 0;             // deprecatedID edits stored as amendments
  size_t unchanged = 0;         // already stored with the same answers
  size_t attachments = 0;       // files added
  std::vector<Error> rejected;  // every problem; nothing may be committed when set
  Diagnostics warnings;         // ODI010
};

// The XML submissions under `path` (a file or a folder), in the order they are read.
Result<std::vector<std::string>> FindOdkSubmissions(const std::string& path);

// Reads every submission under `path` against `form` (stored as `version`) and adds
// the valid ones, their files and their edits to `writer`. Never commits: the caller
// commits when report.rejected is empty, else destroys the writer. An error result
// is a problem with the path itself (ODI001, IO0xx) or the store.
Result<OdkImportReport> ImportOdkSubmissions(const form::Form& form,
                                             const store::FormVersion& version,
                                             const std::string& path,
                                             const OdkImportOptions& options,
                                             store::ImportWriter* writer);

}  // namespace ngosurvey::exchange
