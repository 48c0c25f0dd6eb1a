#include "store/store.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <random>

#include "store/memory/memory_store_internal.h"
#include "store/postgres/connection_internal.h"
#include "store/postgres/postgres_store_internal.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/store_internal.h"

namespace ngosurvey::store {

std::string_view StatusName(SubmissionStatus status) {
  return status == SubmissionStatus::kComplete ? "complete" : "draft";
}

std::string_view WaveName(Wave wave) { return wave == Wave::kPretest ? "pretest" : "main"; }

Result<SubmissionStatus> ParseStatus(std::string_view name) {
  if (name == "draft") return SubmissionStatus::kDraft;
  if (name == "complete") return SubmissionStatus::kComplete;
  return MakeError("ST001", "unknown submission status \"" + std::string(name) +
                                "\" (expected draft or complete)");
}

Result<Wave> ParseWave(std::string_view name) {
  if (name == "pretest") return Wave::kPretest;
  if (name == "main") return Wave::kMain;
  return MakeError("ST001",
                   "unknown wave \"" + std::string(name) + "\" (expected pretest or main)");
}

Status Store::ForEachSubmission(const SubmissionFilter& filter,
                                const SubmissionVisitor& visit) const {
  std::vector<Submission> all = NGO_TRY(ListSubmissions(filter));
  std::vector<AnswerView> views;
  for (Submission& s : all) {
    Answers answers = std::move(s.answers);
    s.answers.clear();
    views.clear();
    for (const auto& [path, answer] : answers) views.push_back({path, answer.state, answer.value});
    NGO_TRY(visit(s, views));
  }
  return Ok();
}

std::vector<std::string> MetadataColumnsOf(const std::vector<Submission>& submissions) {
  std::map<std::string_view, size_t> first;  // column -> smallest position
  for (const Submission& s : submissions) {
    for (size_t i = 0; i < s.metadata.size(); ++i) {
      auto [it, inserted] = first.emplace(s.metadata[i].column, i);
      if (!inserted) it->second = std::min(it->second, i);
    }
  }
  std::vector<std::pair<size_t, std::string_view>> order;
  for (const auto& [column, position] : first) order.emplace_back(position, column);
  std::sort(order.begin(), order.end());
  std::vector<std::string> out;
  for (const auto& [position, column] : order) out.emplace_back(column);
  return out;
}

Result<std::vector<std::string>> Store::MetadataColumns(const SubmissionFilter& filter) const {
  SubmissionFilter all = filter;
  all.after.reset();
  all.limit = 0;
  std::vector<Submission> heads;
  NGO_TRY(ForEachSubmission(all, [&](const Submission& s, const std::vector<AnswerView>&) {
    if (!s.metadata.empty()) heads.emplace_back().metadata = s.metadata;
    return Ok();
  }));
  return MetadataColumnsOf(heads);
}

namespace {

// BeginImport's default: the batch in memory, stored by CreateSubmissions.
class BatchImportWriter final : public ImportWriter {
 public:
  BatchImportWriter(Store& store, const std::optional<FormVersion>& form) : store_(store) {
    batch_.form = form;
  }
  Result<std::optional<Submission>> Find(const std::string& instance_id) override {
    if (auto it = added_.find(instance_id); it != added_.end()) {
      return std::optional<Submission>(batch_.submissions[it->second]);
    }
    auto stored = store_.GetSubmission(instance_id);
    if (!stored) {
      if (stored.error().code == "ST002") return std::optional<Submission>();
      return tl::unexpected(stored.error());
    }
    return std::optional<Submission>(std::move(*stored));
  }
  Status Add(const Submission& submission) override {
    if (!added_.emplace(submission.instance_id, batch_.submissions.size()).second) {
      return MakeError("ST003", "submission " + submission.instance_id + " is named twice");
    }
    batch_.submissions.push_back(submission);
    return Ok();
  }
  Status AddAttachment(const Attachment& attachment) override {
    batch_.attachments.push_back(attachment);
    return Ok();
  }
  Status Amend(const Amendment& amendment) override {
    batch_.amendments.push_back(amendment);
    return Ok();
  }
  Status SetReview(const Review& review) override {
    batch_.reviews.push_back(review);
    return Ok();
  }
  Status Commit() override { return store_.CreateSubmissions(batch_); }

 private:
  Store& store_;
  SubmissionBatch batch_;
  std::map<std::string, size_t> added_;
};

}  // namespace

Result<std::unique_ptr<ImportWriter>> Store::BeginImport(const std::optional<FormVersion>& form) {
  return std::unique_ptr<ImportWriter>(std::make_unique<BatchImportWriter>(*this, form));
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const OpenOptions& options) {
  if (location == "memory:") return memory::OpenMemoryStore(options);
  if (postgres::IsPostgresLocation(location)) return postgres::OpenPostgresStore(location, options);
  static constexpr std::string_view kSqlitePrefix = "sqlite:";
  std::string path = location;
  if (location.rfind(kSqlitePrefix, 0) == 0) path = location.substr(kSqlitePrefix.size());
  if (path.empty()) return MakeError("IO101", "no database file given");
  if (path.find("://") != std::string::npos) {
    return MakeError("IO101",
                     "unsupported store location \"" + location +
                         "\" (expected a file path, sqlite:PATH, postgresql://... or memory:)");
  }
  return sqlite::OpenSqliteStore(path, options);
}

std::string DisplayLocation(const std::string& location) {
  return postgres::IsPostgresLocation(location) ? postgres::RedactedLocation(location) : location;
}

Result<CopySummary> CopyStore(const Store& from, Store& to) {
  StoreContents contents = NGO_TRY(from.ReadContents());
  NGO_TRY(to.LoadContents(contents));
  StoreContents copied = NGO_TRY(to.ReadContents());
  if (std::string diff = internal::FirstDifference(contents, copied); !diff.empty()) {
    return MakeError("IO107", "the copy differs from the original store (" + diff + ")");
  }
  AuditVerification verified = NGO_TRY(to.VerifyAudit());
  if (!verified.ok()) {
    return MakeError("IO107", "the copy's audit trail does not verify: " + verified.problem);
  }
  return internal::Summarise(contents);
}

std::string NewInstanceId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~uint64_t{0xf000}) | 0x4000;                      // version 4
  lo = (lo & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "uuid:";
  for (int i = 0; i < 32; ++i) {
    uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += kHex[(word >> shift) & 0xf];
  }
  return out;
}

std::string WorkbookVersion(std::string_view xlsx) {
  return "sha256-" + internal::Sha256Hex(xlsx).substr(0, 16);
}

std::string AccountOf(const Submission& s) {
  if (!s.submitted_by.empty()) return s.submitted_by;
  for (std::string_view column : {"SubmitterName", "_submitted_by"}) {
    for (const MetadataField& field : s.metadata) {
      if (field.column == column && !field.value.empty()) return field.value;
    }
  }
  return "";
}

bool IsValidInstanceId(std::string_view id) {
  static constexpr std::string_view kPrefix = "uuid:";
  if (id.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view uuid = id.substr(kPrefix.size());
  if (uuid.size() != 36) return false;
  for (size_t i = 0; i < uuid.size(); ++i) {
    char c = uuid[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace ngosurvey::store
