// exchange: the files of exported submissions (store attachments,
// docs/formats/attachments.md) written beside an export: OUT-media/NAME for an
// export to OUT.EXT, as ODK Central's submissions ZIP keeps them in media/.
#pragma once

#include <cstddef>
#include <string>

#include "base/error.h"
#include "store/store.h"

namespace ngosurvey::exchange {

// The MIME type ODK clients send for a file name, by its extension
// ("1710.jpg" -> "image/jpeg"); "application/octet-stream" when unknown.
std::string ContentTypeForName(const std::string& name);

// "out/demo.csv" -> "out/demo-media".
std::string MediaFolderFor(const std::string& output);

// Writes every attachment of the submissions `filter` selects into `folder`, each
// under its name; when two submissions have a file of the same name with other
// bytes, the later one (in ListSubmissions order) is written as UUID-NAME (the
// instance id without "uuid:"). The folder is written whole or not at all: the files
// go to a temporary folder beside it, which then replaces `folder`. Nothing is
// written (and `folder` is left as it was) when there is no attachment. Returns the
// number of files written.
Result<size_t> WriteMediaFolder(const store::Store& store, const store::SubmissionFilter& filter,
                                const std::string& folder);

}  // namespace ngosurvey::exchange
