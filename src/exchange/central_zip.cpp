#include "exchange/central_zip.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "exchange/media.h"
#include "form/answer.h"

namespace ngosurvey::exchange {
namespace {

using form::QuestionType;

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// "uploads" for an answer path "uploads[2]/photo" -> "/data/uploads/photo": the form's
// Question::path of the question it answers.
std::string QuestionPathOf(std::string_view answer_path) {
  auto steps = form::ParseAnswerPath(answer_path);
  if (!steps) return {};
  std::string path = "/data";
  for (const form::PathStep& step : *steps) path += "/" + step.name;
  return path;
}

bool IsUpload(QuestionType type) {
  return type == QuestionType::kImage || type == QuestionType::kAudio ||
         type == QuestionType::kVideo || type == QuestionType::kFile ||
         type == QuestionType::kBackgroundAudio;
}

}  // namespace

Result<CentralZip> ReadCentralZip(std::string_view data, const std::string& file,
                                  const form::Form& form, ZipLimits limits) {
  auto archive = ZipArchive::Open(data, file, limits);
  if (!archive) return tl::unexpected(archive.error());
  const std::vector<std::string>& names = (*archive)->names();

  // The tables: CSV entries at the top level.
  std::vector<size_t> tables;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].find('/') == std::string::npos && EndsWith(names[i], ".csv")) {
      tables.push_back(i);
    }
  }
  // The main table: the one whose stem (without ".csv") + "-" starts every other.
  std::vector<size_t> mains;
  for (size_t candidate : tables) {
    std::string stem = names[candidate].substr(0, names[candidate].size() - 4) + "-";
    bool starts_all = std::all_of(tables.begin(), tables.end(), [&](size_t other) {
      return other == candidate || names[other].rfind(stem, 0) == 0;
    });
    if (starts_all) mains.push_back(candidate);
  }
  if (mains.size() != 1) {
    std::string listed;
    for (size_t t : tables) listed += (listed.empty() ? "" : ", ") + names[t];
    return MakeError("IMP040",
                     mains.empty()
                         ? fmt::format("no main table: ODK Central's ZIP has FORMID.csv and "
                                       "FORMID-REPEAT.csv for each repeat; this one has {}",
                                       listed.empty() ? "no CSV file at its top level" : listed)
                         : fmt::format("more than one table could be the main one ({})", listed),
                     {file});
  }
  std::string stem = names[mains[0]].substr(0, names[mains[0]].size() - 4) + "-";

  std::set<std::string> repeat_names;
  for (const form::Question& q : form.questions) {
    if (q.is_repeat()) repeat_names.insert(q.name);
  }

  CentralZip out;
  auto parse = [&](size_t index) -> Result<csv::Table> {
    auto bytes = (*archive)->ReadEntry(index);
    if (!bytes) return tl::unexpected(bytes.error());
    return csv::ParseTable(*bytes, file + "!" + names[index], ImportCsvOptions());
  };
  for (size_t t : tables) {
    auto table = parse(t);
    if (!table) return tl::unexpected(table.error());
    if (t == mains[0]) {
      out.main = std::move(*table);
      continue;
    }
    // FORMID-REPEAT.csv or FORMID-REPEAT~N.csv.
    std::string repeat = names[t].substr(stem.size(), names[t].size() - stem.size() - 4);
    if (size_t tilde = repeat.rfind('~'); tilde != std::string::npos) {
      std::string_view n = std::string_view(repeat).substr(tilde + 1);
      if (!n.empty() &&
          std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
        repeat.resize(tilde);
    }
    if (repeat_names.count(repeat) == 0) {
      return MakeError(
          "IMP041",
          fmt::format("{} names no repeat of form '{}' (its repeats: {})", names[t],
                      form.settings.form_id,
                      repeat_names.empty() ? std::string("none")
                                           : fmt::format("{}", fmt::join(repeat_names, ", "))),
          {file});
    }
    out.repeats.push_back({repeat, std::move(*table)});
  }
  // The files: media/NAME (one level, as Central writes them).
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.rfind("media/", 0) != 0 || EndsWith(name, "/")) continue;
    std::string base = name.substr(6);
    if (base.empty() || base.find('/') != std::string::npos) continue;
    auto bytes = (*archive)->ReadEntry(i);
    if (!bytes) return tl::unexpected(bytes.error());
    out.media.emplace(std::move(base), std::move(*bytes));
  }
  return out;
}

MediaAttachingWriter::MediaAttachingWriter(const form::Form& form,
                                           const std::map<std::string, std::string>& media,
                                           store::ImportWriter* inner, Diagnostics* warnings)
    : media_(media), inner_(inner), warnings_(warnings) {
  for (const form::Question& q : form.questions) {
    if (IsUpload(q.type)) upload_paths_.emplace(q.path, true);
  }
}

Result<std::optional<store::Submission>> MediaAttachingWriter::Find(
    const std::string& instance_id) {
  return inner_->Find(instance_id);
}

Status MediaAttachingWriter::Add(const store::Submission& submission) {
  NGO_TRY(inner_->Add(submission));
  std::set<std::string> added;  // a file two questions name is stored once
  for (const auto& [path, answer] : submission.answers) {
    if (answer.state != form::AnswerState::kAnswered) continue;
    if (upload_paths_.count(QuestionPathOf(path)) == 0) continue;
    if (!added.insert(answer.value).second) continue;
    auto file = media_.find(answer.value);
    if (file == media_.end()) {
      warnings_->AddWarning(
          "IMP032",
          fmt::format("submission {}: {} names the file \"{}\", which the ZIP's media/ folder "
                      "does not have; the answer is kept without its file",
                      submission.instance_id, path, answer.value),
          Location{});
      continue;
    }
    store::Attachment attachment;
    attachment.instance_id = submission.instance_id;
    attachment.name = answer.value;
    attachment.content_type = ContentTypeForName(answer.value);
    attachment.data = file->second;
    NGO_TRY(inner_->AddAttachment(attachment));
    ++attached_;
  }
  return Ok();
}

Status MediaAttachingWriter::AddAttachment(const store::Attachment& attachment) {
  return inner_->AddAttachment(attachment);
}

Status MediaAttachingWriter::SetReview(const store::Review& review) {
  return inner_->SetReview(review);
}

Status MediaAttachingWriter::Amend(const store::Amendment& amendment) {
  return inner_->Amend(amendment);
}

Status MediaAttachingWriter::Commit() { return inner_->Commit(); }

}  // namespace ngosurvey::exchange
