// ODK instance XML files (Collect's instances/, Briefcase exports) into the store:
// see odk_import.h. Reading and checking are form/odk_instance.h's; this file finds
// the files, turns instances into submissions, edits into amendments, and media
// into attachments.
#include "exchange/odk_import.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "base/date.h"
#include "base/file.h"
#include "exchange/import.h"
#include "exchange/import_context_internal.h"
#include "exchange/media.h"
#include "exchange/odk_crypto.h"
#include "exchange/values_internal.h"
#include "form/instance_xml.h"
#include "form/odk_instance.h"

namespace ngosurvey::exchange {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxSubmissionBytes = uint64_t{64} << 20;

bool HasExtension(const fs::path& path, std::string_view ext) {
  std::string name = path.filename().string();
  if (name.size() <= ext.size()) return false;
  std::string tail = name.substr(name.size() - ext.size());
  std::transform(tail.begin(), tail.end(), tail.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == ext;
}

// Answers that count when comparing with what is stored.
store::Answers Comparable(const store::Answers& answers) {
  store::Answers out;
  for (const auto& [path, a] : answers) {
    if (a.state != form::AnswerState::kMissing && a.state != form::AnswerState::kNotAsked) {
      out.emplace(path, a);
    }
  }
  return out;
}

// The changes that turn `before` into `after`.
std::vector<store::AnswerChange> Diff(const store::Answers& before, const store::Answers& after) {
  std::vector<store::AnswerChange> changes;
  for (const auto& [path, answer] : after) {
    auto it = before.find(path);
    if (it == before.end() || !(it->second == answer)) changes.push_back({path, answer});
  }
  for (const auto& [path, answer] : before) {
    if (!after.count(path)) changes.push_back({path, std::nullopt});
  }
  return changes;
}

// The time of a dateTime answer (start, end) with the offset it was written with, if
// it has one.
std::optional<date::ZonedTime> AnswerTime(const form::Form& form, const store::Answers& answers,
                                          form::QuestionType type) {
  for (const form::Question& q : form.questions) {
    if (q.type != type || q.parent >= 0) continue;
    auto it = answers.find(q.name);
    if (it == answers.end() || it->second.state != form::AnswerState::kAnswered) continue;
    if (auto time = date::ParseIsoDateTime(it->second.value)) return time;
  }
  return std::nullopt;
}

// The interviewer as the CSV import takes it: the username question (ODK Collect
// fills it from its settings), else the form's interviewer field (a top-level
// question named `interviewer`).
std::string InterviewerOf(const form::Form& form, const store::Answers& answers) {
  for (bool username : {true, false}) {
    for (const form::Question& q : form.questions) {
      if (q.parent >= 0) continue;
      if (username ? q.type != form::QuestionType::kUsername : q.name != "interviewer") continue;
      auto it = answers.find(q.name);
      if (it != answers.end() && it->second.state == form::AnswerState::kAnswered &&
          !it->second.value.empty()) {
        return it->second.value;
      }
    }
  }
  return "";
}

// An encrypted submission: the manifest in `bytes` read, its files (beside it in
// `folder`) decrypted with `key`, and the decrypted XML read against the form; its
// media as attachments.
Result<std::pair<form::OdkInstance, std::vector<store::Attachment>>> OpenEncrypted(
    const form::OdkInstanceReader& reader, const std::string& bytes,
    const form::OdkInstanceOptions& read_options, const PrivateKey& key, const fs::path& folder,
    const std::string& file) {
  form::OdkInstance manifest = NGO_TRY(reader.Read(bytes, read_options));
  auto read_file = [&](const std::string& name) -> Result<std::string> {
    return ReadFile((folder / name).string());
  };
  DecryptedSubmission plain = NGO_TRY(DecryptSubmission(manifest, key, read_file, file));
  form::OdkInstanceOptions inner = read_options;
  inner.file = file + " (decrypted " + manifest.encrypted->encrypted_xml_file + ")";
  form::OdkInstance instance = NGO_TRY(reader.Read(plain.xml, inner));
  if (instance.encrypted || instance.instance_id != manifest.instance_id) {
    return MakeError("ODC004",
                     "the decrypted submission's instanceID " + instance.instance_id +
                         " is not the manifest's " + manifest.instance_id,
                     Location{.file = file});
  }
  std::vector<store::Attachment> media;
  for (auto& [name, data] : plain.media) {
    store::Attachment a;
    a.name = name;
    a.content_type = ContentTypeForName(name);
    a.data = std::move(data);
    media.push_back(std::move(a));
  }
  return std::pair(std::move(instance), std::move(media));
}

}  // namespace

Result<std::vector<std::string>> FindOdkSubmissions(const std::string& path) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    return MakeError("IO001", "cannot read: no such file or folder", Location{.file = path});
  }
  std::vector<std::string> found;
  if (fs::is_regular_file(status)) {
    found.push_back(path);
    return found;
  }
  if (!fs::is_directory(status)) {
    return MakeError("IO001", "cannot read: not a file or folder", Location{.file = path});
  }
  fs::recursive_directory_iterator it(path, fs::directory_options::none, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it->is_regular_file() && HasExtension(it->path(), ".xml")) {
      found.push_back(it->path().string());
    }
  }
  if (error) {
    return MakeError("IO001", "cannot read the folder: " + error.message(), Location{.file = path});
  }
  std::sort(found.begin(), found.end());
  if (found.empty()) {
    return MakeError("ODI001", "no ODK submission (.xml file) under this folder",
                     Location{.file = path});
  }
  return found;
}

// Long on purpose: all-or-nothing: every file read and checked before the writer commits; steps
// share it.
// NOLINTNEXTLINE(readability-function-size)
Result<OdkImportReport> ImportOdkSubmissions(const form::Form& form,
                                             const store::FormVersion& version,
                                             const std::string& path,
                                             const OdkImportOptions& options,
                                             store::ImportWriter* writer) {
  std::vector<std::string> files = NGO_TRY(FindOdkSubmissions(path));
  OdkImportReport report;
  form::OdkInstanceReader reader(form);
  form::OdkInstanceOptions read_options;
  read_options.refused_codes = form::RefusedCodes(form);
  read_options.dont_know_codes = form::DontKnowCodes(form);
  // Relevance, to tell an irrelevant question's empty element (not asked) from an
  // unanswered one (missing), as the CSV import does.
  ImportContext context(form);
  Expressions expressions = CompileExpressions(form, context, &report.warnings);
  form::expr::Evaluator evaluator;
  // Answers as this import leaves them, by instance id (stored ones read once), and
  // the edits' instance ids -> the submission they change.
  std::map<std::string, store::Answers> current;
  std::map<std::string, std::string> edited_as;
  std::map<std::string, std::string> added_from;  // instance id -> its file
  auto reject = [&](Error error) { report.rejected.push_back(std::move(error)); };
  // After a rejection nothing will be stored: the files are still all read and
  // checked, but the writer (which refuses everything after a failed call) is left.
  auto writing = [&] { return report.rejected.empty(); };

  for (const std::string& file : files) {
    Location here{.file = file};
    auto bytes = ReadFile(file, kMaxSubmissionBytes);
    if (!bytes) {
      reject(bytes.error());
      continue;
    }
    read_options.file = file;
    auto head = form::ReadOdkInstanceHead(*bytes, read_options);
    if (!head) {
      reject(head.error());
      continue;
    }
    // A form without a version in its settings has an XForm without one, so its
    // submissions carry none, though the store names its version by the workbook's hash.
    const bool same_version = head->version == version.version ||
                              (form.settings.version.empty() && head->version.empty());
    if (head->form_id != version.form_id || !same_version) {
      reject(Error{"ODI004",
                   "the submission is for form \"" + head->form_id + "\" version \"" +
                       head->version + "\", not \"" + version.form_id + "\" version \"" +
                       version.version + "\"",
                   here});
      continue;
    }
    std::optional<form::OdkInstance> instance;
    std::vector<store::Attachment> media;
    fs::path folder = fs::path(file).parent_path();
    if (head->encrypted) {
      if (!options.private_key) {
        reject(Error{"ODI005",
                     "an encrypted submission: give the form's private key (--private-key)", here});
        continue;
      }
      auto opened = OpenEncrypted(reader, *bytes, read_options, *options.private_key, folder, file);
      if (!opened) {
        reject(opened.error());
        continue;
      }
      instance = std::move(opened->first);
      media = std::move(opened->second);
    } else {
      auto read = reader.Read(*bytes, read_options);
      if (!read) {
        reject(read.error());
        continue;
      }
      instance = std::move(*read);
      // The submission's files, read from beside it.
      for (const std::string& name : instance->attachments) {
        std::string media_path = (folder / name).string();
        std::error_code exists_error;
        if (!fs::is_regular_file(media_path, exists_error)) continue;  // reported below
        auto data = ReadFile(media_path);
        if (!data) {
          reject(data.error());
          continue;
        }
        store::Attachment a;
        a.name = name;
        a.content_type = ContentTypeForName(name);
        a.data = std::move(*data);
        media.push_back(std::move(a));
      }
    }
    ++report.found;
    MarkNotAsked(form, expressions, context, evaluator, &instance->answers);
    bool missing = false;
    for (const std::string& name : instance->attachments) {
      bool have = std::any_of(media.begin(), media.end(),
                              [&](const store::Attachment& a) { return a.name == name; });
      if (!have) {
        reject(Error{"ODI002", "attachment \"" + name + "\" is not beside the submission", here});
        missing = true;
      }
    }
    if (missing) continue;

    // Which submission this is: an edit of an earlier one, or itself.
    std::string target = instance->instance_id;
    bool edit = false;
    if (!instance->deprecated_id.empty()) {
      std::string earlier = instance->deprecated_id;
      if (auto alias = edited_as.find(earlier); alias != edited_as.end()) earlier = alias->second;
      bool known = current.count(earlier) > 0;
      if (!known && writing()) {
        // Find also finds a submission by an instanceID it has had (an earlier edit's,
        // kept as an InstanceAlias), under its own: an edit of an edit.
        auto stored = NGO_TRY(writer->Find(earlier));
        if (stored && stored->status == store::SubmissionStatus::kComplete) {
          earlier = stored->instance_id;
          current.emplace(earlier, stored->answers);
          known = true;
        }
      }
      if (known) {
        target = earlier;
        edit = true;
      } else {
        report.warnings.AddWarning("ODI010",
                                   "meta/deprecatedID " + instance->deprecated_id +
                                       " is not stored: the edit is stored as a new submission",
                                   here);
      }
    }
    for (store::Attachment& a : media) a.instance_id = target;
    bool changed = false;  // stored or amended: its files count as added

    if (edit) {
      if (edited_as.count(instance->instance_id)) continue;  // the same edit twice
      if (writing()) {
        // The same edit imported before: the submission already has its instanceID.
        auto seen = NGO_TRY(writer->Find(instance->instance_id));
        if (seen && seen->instance_id == target) {
          edited_as[instance->instance_id] = target;
          ++report.unchanged;
          continue;
        }
      }
      store::Answers& before = current[target];
      store::Amendment amendment;
      amendment.instance_id = target;
      amendment.who = "odk import";
      amendment.reason = "ODK edit: submission " + instance->instance_id + " replaces " +
                         instance->deprecated_id + " (meta/deprecatedID)";
      amendment.changes = Diff(before, instance->answers);
      // The edit's instanceID stays the submission's (InstanceAlias), so that an edit of
      // this edit (its meta/deprecatedID) finds the submission in a later import too.
      amendment.alias = instance->instance_id;
      edited_as[instance->instance_id] = target;
      if (auto amended = writing() ? writer->Amend(amendment) : Ok(); !amended) {
        Error error = amended.error();
        error.where = here;
        reject(error);
        continue;
      }
      if (amendment.changes.empty()) {
        ++report.unchanged;
      } else {
        ++report.edits;
        changed = true;
        before = instance->answers;
      }
    } else {
      auto already = current.find(target);
      std::optional<store::Answers> stored_answers;
      if (already != current.end()) {
        stored_answers = already->second;
      } else if (!writing()) {
        // nothing is compared once the import is refused
      } else if (auto stored = NGO_TRY(writer->Find(target)); stored) {
        stored_answers = stored->answers;
      }
      if (stored_answers) {
        if (Comparable(*stored_answers) != Comparable(instance->answers)) {
          std::string where = added_from.count(target) ? " in " + added_from[target] : "";
          reject(Error{"ODI003",
                       "instance id " + target + " is already stored" + where +
                           " with other answers; it is not overwritten",
                       here});
          continue;
        }
        ++report.unchanged;
      } else {
        store::Submission s;
        s.instance_id = target;
        s.form_id = version.form_id;
        s.form_version = version.version;
        s.status = store::SubmissionStatus::kComplete;
        s.wave = options.wave.value_or(store::Wave::kMain);
        s.answers = instance->answers;
        s.interviewer = InterviewerOf(form, s.answers);
        std::optional<date::ZonedTime> start_time =
            AnswerTime(form, s.answers, form::QuestionType::kStart);
        std::optional<date::ZonedTime> end_time =
            AnswerTime(form, s.answers, form::QuestionType::kEnd);
        std::optional<int64_t> start, end;
        if (start_time) {
          start = start_time->millis;
          s.started_offset_minutes = start_time->offset_minutes;
        }
        if (end_time) {
          end = end_time->millis;
          s.ended_offset_minutes = end_time->offset_minutes;
        }
        if (!start || !end) {
          std::error_code time_error;
          auto written = fs::last_write_time(file, time_error);
          int64_t mtime = time_error
                              ? 0
                              : std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::file_clock::to_sys(written).time_since_epoch())
                                    .count();
          if (!start && end) s.started_offset_minutes = s.ended_offset_minutes;
          if (!start) start = end.value_or(mtime);
          if (!end) end = std::max(*start, mtime);
        }
        s.started_at_ms = *start;
        s.ended_at_ms = *end;
        if (auto added = writing() ? writer->Add(s) : Ok(); !added) {
          Error error = added.error();
          error.where = here;
          reject(error);
          continue;
        }
        ++report.stored;
        changed = true;
        current.emplace(target, instance->answers);
        added_from.emplace(target, file);
      }
    }
    for (const store::Attachment& a : media) {
      if (auto added = writing() ? writer->AddAttachment(a) : Ok(); !added) {
        Error error = added.error();
        error.where = here;
        reject(error);
        break;
      }
      if (changed) ++report.attachments;
    }
  }
  return report;
}

}  // namespace ngosurvey::exchange
