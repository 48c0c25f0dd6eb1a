// POST /submission (OpenRosa 1.0 form submission API, as ODK Collect sends it): a
// multipart/form-data body with the instance XML in the part named
// xml_submission_file and the files it names in other parts; large submissions
// come in several POSTs of the same XML, the later ones adding files.
//
// What is stored, in one transaction before 201 is sent (shared with the other
// submissions arriving at the same time: group_commit.h): the submission (complete,
// its answers read by form/odk_instance.h against the form version named in the
// XML, submitted_by the account), the XML itself as the attachment
// "submission.xml" (kept as received: an encrypted envelope stays encrypted), and
// the files the instance names. The same instanceID again:
//   - the same XML: 202 (stored once); files not yet stored are added;
//   - another XML: 409.
// meta/deprecatedID names the submission this one edits (ODK Collect's "edit
// finalized form"): its answers are amended to the new ones, an audit entry per
// changed answer (who: the account; why: the edit and the new instanceID), and
// the new XML is kept beside it as "edit-<instanceID>.xml".
#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "base/date.h"
#include "form/instance_xml.h"
#include "form/odk_instance.h"
#include "server/multipart.h"
#include "server/routes.h"

namespace ngosurvey::server {
namespace {

constexpr const char* kXmlName = "submission.xml";

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

Response OpenRosa(int status, const std::string& message) {
  return Response::Xml(status, OpenRosaMessage(message));
}

Response StoreFailure(const Error& error) {
  if (error.code == "ST002") return OpenRosa(404, error.message);
  if (error.code == "ST010") return OpenRosa(403, error.message);
  if (error.code == "ST001") return OpenRosa(400, error.message);
  if (error.code == "ST003" || error.code == "ST009") return OpenRosa(409, error.message);
  return OpenRosa(500, "the server could not store the submission (" + error.code + ")");
}

// The UTC offset of the device that filled the form: the one its start or end
// answer was written with ("2024-03-05T09:12:44.123+07:00", as ODK Collect and the
// browser app write them), so that the receipt is shown, and counted on a day, in
// the local time where the interview happened.
std::optional<int> DeviceOffset(const form::Form& form, const store::Answers& answers,
                                form::QuestionType preferred) {
  for (form::QuestionType type :
       {preferred, preferred == form::QuestionType::kEnd ? form::QuestionType::kStart
                                                         : form::QuestionType::kEnd}) {
    for (const form::Question& q : form.questions) {
      if (q.type != type || q.parent >= 0) continue;
      auto it = answers.find(q.name);
      if (it == answers.end() || it->second.state != form::AnswerState::kAnswered) continue;
      if (auto time = date::ParseIsoDateTime(it->second.value); time && time->offset_minutes) {
        return time->offset_minutes;
      }
    }
  }
  return std::nullopt;
}

// What a received submission's answers say about it: the organisation (the question
// named org_id outside repeats, wherever its group puts it, "grp_intro/org_id", as
// the imports read it) and the device's UTC offset of its times.
void ReadFromAnswers(const form::Form& form, store::Submission* s) {
  for (const auto& [path, answer] : s->answers) {
    if (path.find('[') != std::string::npos) continue;
    size_t slash = path.rfind('/');
    if (path.compare(slash == std::string::npos ? 0 : slash + 1, std::string::npos, "org_id") !=
        0) {
      continue;
    }
    s->org_id = answer.value;
    break;
  }
  s->started_offset_minutes = DeviceOffset(form, s->answers, form::QuestionType::kStart);
  s->ended_offset_minutes = DeviceOffset(form, s->answers, form::QuestionType::kEnd);
}

}  // namespace

Result<std::shared_ptr<const Router::LoadedForm>> Router::LoadForm(const std::string& form_id,
                                                                   const std::string& version) {
  auto key = std::make_pair(form_id, version);
  {
    std::lock_guard lock(forms_mu_);
    if (auto it = forms_.find(key); it != forms_.end()) return it->second;
  }
  store::FormVersion workbook = NGO_TRY(store_.GetForm(form_id, version));
  Diagnostics diags;
  auto loaded = std::make_shared<LoadedForm>();
  loaded->form = NGO_TRY(form::LoadForm(workbook.xlsx, form_id + ".xlsx", &diags));
  loaded->reader = std::make_unique<form::OdkInstanceReader>(loaded->form);
  if (auto compiled = interview::CompileForm(loaded->form)) loaded->compiled = *compiled;
  std::lock_guard lock(forms_mu_);
  auto [it, added] = forms_.emplace(key, loaded);
  return std::shared_ptr<const LoadedForm>(it->second);
}

Response Router::Submit(const Request& request, const store::User& user) {
  auto boundary = MultipartBoundary(request.Header("content-type"));
  if (!boundary) return OpenRosa(400, boundary.error().message);
  auto parts = ParseMultipart(request.body, *boundary);
  if (!parts) return OpenRosa(400, parts.error().message);
  const MultipartPart* xml_part = nullptr;
  for (const MultipartPart& p : *parts) {
    if (p.name == "xml_submission_file") xml_part = &p;
  }
  if (xml_part == nullptr) return OpenRosa(400, "the request has no xml_submission_file part");
  std::string_view xml = xml_part->content;
  form::OdkInstanceOptions read_options;
  read_options.file = "xml_submission_file";
  auto head = form::ReadOdkInstanceHead(xml, read_options);
  if (!head) return OpenRosa(400, head.error().ToString());
  auto loaded = LoadForm(head->form_id, head->version);
  if (!loaded) {
    if (loaded.error().code == "ST002") {
      return OpenRosa(
          404, "no form \"" + head->form_id + "\" version " + head->version + " on this server");
    }
    return StoreFailure(loaded.error());
  }
  if (Status allowed = store::Authorize(user, store::Action::kSubmit, head->form_id); !allowed) {
    return OpenRosa(403, allowed.error().message);
  }
  // Refused and don't know come as the form's codes (as the browser app and the
  // imports write them).
  read_options.refused_codes = form::RefusedCodes((*loaded)->form);
  read_options.dont_know_codes = form::DontKnowCodes((*loaded)->form);
  auto instance = (*loaded)->reader->Read(xml, read_options);
  if (!instance) return OpenRosa(400, instance.error().ToString());
  if (!instance->encrypted) {
    if (auto refused = CheckReceivedAnswers(**loaded, instance->answers)) return *refused;
  }

  // The files of this POST that the instance names (the encrypted parts of an envelope
  // included); other parts are ignored, as ODK Central does.
  std::vector<std::string> wanted = instance->attachments;
  if (instance->encrypted) {
    wanted = instance->encrypted->media;
    wanted.push_back(instance->encrypted->encrypted_xml_file);
  }
  std::vector<store::Attachment> files;
  for (const MultipartPart& p : *parts) {
    if (&p == xml_part || p.filename.empty()) continue;
    if (std::find(wanted.begin(), wanted.end(), p.filename) == wanted.end()) continue;
    store::Attachment a;
    a.instance_id = instance->instance_id;
    a.name = p.filename;
    a.content_type = p.content_type;
    a.data = std::string(p.content);
    files.push_back(std::move(a));
  }
  std::string xml_sha = Sha256Hex(xml);

  if (!instance->deprecated_id.empty()) return Edit(*instance, xml, std::move(files), user);

  auto existing = store_.GetSubmission(instance->instance_id);
  if (existing) {
    auto stored = store_.ListAttachments(instance->instance_id);
    if (!stored) return StoreFailure(stored.error());
    bool same = std::any_of(stored->begin(), stored->end(), [&](const store::Attachment& a) {
      return a.name == kXmlName && a.sha256 == xml_sha;
    });
    if (!same) {
      return OpenRosa(
          409, "submission " + instance->instance_id + " was received before with other contents");
    }
    if (!files.empty()) {
      if (Status put = store_.PutAttachments(files); !put) return StoreFailure(put.error());
    }
    return OpenRosa(202, "Already received: " + instance->instance_id + " is stored.");
  }
  if (existing.error().code != "ST002") return StoreFailure(existing.error());

  int64_t now = clock_->NowMillis();
  store::Submission s;
  s.instance_id = instance->instance_id;
  s.form_id = head->form_id;
  s.form_version = head->version;
  s.status = store::SubmissionStatus::kComplete;
  s.started_at_ms = now;
  s.ended_at_ms = now;
  s.interviewer = user.name;
  s.submitted_by = user.name;
  s.answers = std::move(instance->answers);
  ReadFromAnswers((*loaded)->form, &s);
  store::SubmissionBatch batch;
  batch.submissions.push_back(std::move(s));
  store::Attachment original;
  original.instance_id = instance->instance_id;
  original.name = kXmlName;
  original.content_type = "text/xml";
  original.data = std::string(xml);
  batch.attachments.push_back(std::move(original));
  for (store::Attachment& a : files) batch.attachments.push_back(std::move(a));
  // Committed with the other submissions waiting now (group_commit.h): one
  // transaction, one fsync; 201 only once it is durable.
  Status created = committer_->Commit(std::move(batch));
  if (!created) {
    // Another request stored the same instanceID meanwhile: answer as a retry.
    if (created.error().code == "ST003") return Submit(request, user);
    return StoreFailure(created.error());
  }
  Response r = OpenRosa(201, "Form received: " + instance->instance_id + " is stored.");
  r.headers.emplace_back("Location", options_.base_url + "/api/v1/forms/" + head->form_id +
                                         "/submissions/" + instance->instance_id);
  return r;
}

// meta/deprecatedID: the edit of a stored submission (see the top of this file).
Response Router::Edit(form::OdkInstance& instance, std::string_view xml,
                      std::vector<store::Attachment> files, const store::User& user) {
  auto old = store_.GetSubmission(instance.deprecated_id);
  if (!old) {
    if (old.error().code == "ST002") {
      return OpenRosa(404,
                      "the edited submission " + instance.deprecated_id + " is not on this server");
    }
    return StoreFailure(old.error());
  }
  if (old->form_id != instance.form_id) {
    return OpenRosa(409, "submission " + instance.deprecated_id + " is of another form");
  }
  if (Status allowed =
          store::Authorize(user, store::Action::kReadSubmission, old->form_id, old->submitted_by);
      !allowed) {
    return OpenRosa(403, allowed.error().message);
  }
  store::Amendment amendment;
  amendment.instance_id = old->instance_id;
  amendment.who = user.name;
  amendment.reason =
      "edited in an ODK client (meta/deprecatedID; new instanceID " + instance.instance_id + ")";
  for (auto& [path, answer] : instance.answers) amendment.changes.push_back({path, answer});
  for (const auto& [path, answer] : old->answers) {
    if (!instance.answers.count(path)) amendment.changes.push_back({path, std::nullopt});
  }
  Status amended = store_.Amend(amendment);
  // ST007: nothing changes (a retry of an edit already applied).
  if (!amended && amended.error().code != "ST007") return StoreFailure(amended.error());
  std::string suffix = instance.instance_id.substr(5);  // after "uuid:"
  store::Attachment edit_xml;
  edit_xml.instance_id = old->instance_id;
  edit_xml.name = "edit-" + suffix + ".xml";
  edit_xml.content_type = "text/xml";
  edit_xml.data = std::string(xml);
  files.push_back(std::move(edit_xml));
  for (store::Attachment& a : files) a.instance_id = old->instance_id;
  if (Status put = store_.PutAttachments(files); !put) return StoreFailure(put.error());
  return OpenRosa(amended ? 201 : 202,
                  "Edit received: " + old->instance_id + " now has the edited answers.");
}

}  // namespace ngosurvey::server
