// exchange: ODK Central's submissions ZIP ("Download all submissions" with files,
// or GET .../submissions.csv.zip) read for an import. Central writes (its
// lib/data/briefcase.js):
//   FORMID.csv               the main table, ODK layout (import.h)
//   FORMID-REPEAT.csv        one per repeat, rows linked by PARENT_KEY; two repeats of
//                            the same name are FORMID-REPEAT~1.csv, FORMID-REPEAT~2.csv
//                            in the form's depth-first order
//   media/NAME               the files the submissions name (photos, audio, audit.csv)
// The form id in the file names need not be the form's (a renamed form, a copy):
// the main table is the one CSV whose stem starts every other CSV's name.
//
// The tables are checked and stored by ImportRows as a CSV import is; the files go
// with the submission whose upload question names them (AttachMedia). A file an
// answer names that the ZIP lacks is a warning (IMP032): Central exports what it
// received, and a submission whose upload never arrived says so in its
// AttachmentsPresent / AttachmentsExpected columns.
//
// Errors: ZIP001-ZIP003 (base/zip_archive.h), IMP040 no main table or more than
// one candidate, IMP041 a CSV that names no repeat of the form, CSV0xx in a table.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/zip_archive.h"
#include "exchange/import.h"
#include "form/form.h"
#include "store/store.h"

namespace ngosurvey::exchange {

struct CentralZip {
  csv::Table main;                           // its `file` is "ZIP!FORMID.csv"
  std::vector<RepeatTable> repeats;          // each with its begin_repeat's name
  std::map<std::string, std::string> media;  // media/NAME -> bytes, by NAME
};

// Reads the archive in `data` (named `file` in errors) for `form`.
Result<CentralZip> ReadCentralZip(std::string_view data, const std::string& file,
                                  const form::Form& form, ZipLimits limits = {});

// A writer that passes everything to `inner` and, after each submission it adds,
// adds the media files its upload questions (image, audio, video, file,
// background-audio) name, from `media`. Names it cannot find are IMP032 warnings in
// `warnings`; `attached()` counts the files added.
class MediaAttachingWriter final : public store::ImportWriter {
 public:
  MediaAttachingWriter(const form::Form& form, const std::map<std::string, std::string>& media,
                       store::ImportWriter* inner, Diagnostics* warnings);
  Result<std::optional<store::Submission>> Find(const std::string& instance_id) override;
  Status Add(const store::Submission& submission) override;
  Status AddAttachment(const store::Attachment& attachment) override;
  Status Amend(const store::Amendment& amendment) override;
  Status SetReview(const store::Review& review) override;
  Status Commit() override;
  size_t attached() const { return attached_; }

 private:
  const std::map<std::string, std::string>& media_;
  store::ImportWriter* inner_;
  Diagnostics* warnings_;
  std::map<std::string, bool> upload_paths_;  // "/data/grp/photo" -> true
  size_t attached_ = 0;
};

}  // namespace ngosurvey::exchange
