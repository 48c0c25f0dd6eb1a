// server: what `form publish` stores for a workbook: the form version (the
// workbook's bytes), the XForm written by form/xform_writer.h, and the media files
// the XForm refers to (jr://images/NAME, jr://audio/..., jr://video/...,
// jr://file/..., jr://file-csv/...), read from the folder beside the workbook
// named after it with "-media" (FORM.xlsx -> FORM-media/NAME), as ODK Collect lays
// out a form's media.
//
// Error codes (besides the IO1xx of reading files and the form's diagnostics):
//   SV003 the form cannot be published: it has errors (Diagnostics hold them), or
//         its settings lack form_id or version
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/error.h"
#include "store/store.h"

namespace ngosurvey::server {

struct Publication {
  store::FormVersion workbook;
  store::PublishedForm published;
  // Media the XForm refers to that are not in the media folder (published
  // without them; clients show the form without the picture or sound).
  std::vector<std::string> missing_media;
};

// Reads and checks the workbook at `xlsx_path` (its diagnostics into `diags`),
// writes its XForm and collects its media. Changes nothing anywhere.
Result<Publication> PreparePublication(const std::string& xlsx_path, Diagnostics* diags);

// The media file names an XForm refers to, sorted, without repeats.
std::vector<std::string> MediaReferences(const std::string& xform);

}  // namespace ngosurvey::server
