// Fills a store with SYNTHETIC complete submissions for the supervisor's
// submissions-table benchmark (bench/supervisor.sh, issue 16): N submissions of a
// form already published (`ngosurvey form publish`), from 20 interviewer accounts
// (int01..int20), 500 organisations, started over 60 days from 2026-01-01, 16
// answers each, stored by CreateSubmissions in batches of 20,000 (one transaction
// each), then REVIEWS of them reviewed (approved, needs checking, rejected in turn)
// by the supervisor "sup". Deterministic: the same arguments make the same store.
//
//   supervisor_fill STORE FORM_ID VERSION N REVIEWS
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/review.h"
#include "store/store.h"

namespace {

using ngosurvey::form::Answer;
using namespace ngosurvey::store;

// A splitmix64 step: a fixed, portable stream of numbers.
uint64_t Next(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string InstanceId(uint64_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "uuid:%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(i >> 16), static_cast<unsigned long long>(i));
  return buf;
}

int Fail(const std::string& what, const ngosurvey::Error& error) {
  std::fprintf(stderr, "supervisor_fill: %s: %s %s\n", what.c_str(), error.code.c_str(),
               error.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: supervisor_fill STORE FORM_ID VERSION N REVIEWS\n");
    return 2;
  }
  const std::string form_id = argv[2], version = argv[3];
  const int64_t n = std::atoll(argv[4]), reviews = std::atoll(argv[5]);
  auto opened = OpenStore(argv[1]);
  if (!opened) return Fail("open", opened.error());
  Store& store = **opened;

  constexpr int64_t kDayMs = 86400000;
  constexpr int64_t kStart = 1767225600000;  // 2026-01-01T00:00:00Z
  constexpr int64_t kBatch = 20000;
  uint64_t rng = 20261206;
  for (int64_t first = 0; first < n; first += kBatch) {
    SubmissionBatch batch;
    for (int64_t i = first; i < n && i < first + kBatch; ++i) {
      Submission s;
      s.instance_id = InstanceId(static_cast<uint64_t>(i));
      s.form_id = form_id;
      s.form_version = version;
      s.status = SubmissionStatus::kComplete;
      char who[8];
      std::snprintf(who, sizeof who, "int%02d", static_cast<int>(Next(rng) % 20) + 1);
      s.submitted_by = who;
      s.interviewer = who;
      s.org_id = "org" + std::to_string(Next(rng) % 500);
      s.started_at_ms = kStart + static_cast<int64_t>(Next(rng) % (60 * kDayMs));
      s.ended_at_ms = s.started_at_ms + 1800000;
      s.answers["org_name"] = Answer::Answered("Synthetic NGO " + s.org_id);
      s.answers["country"] = Answer::Answered(Next(rng) % 2 ? "kh" : "vn");
      s.answers["province"] = Answer::Answered("Province " + std::to_string(Next(rng) % 25));
      s.answers["founded"] = Answer::Answered(std::to_string(1990 + Next(rng) % 30));
      s.answers["staff"] = Answer::Answered(std::to_string(Next(rng) % 200));
      s.answers["volunteers"] = Answer::Answered(std::to_string(Next(rng) % 100));
      s.answers["budget"] = Answer::Answered(std::to_string(Next(rng) % 1000000) + ".5");
      s.answers["sector"] = Answer::Answered("health");
      s.answers["services"] = Answer::Answered("health legal");
      s.answers["registered"] = Answer::Answered(Next(rng) % 2 ? "yes" : "no");
      s.answers["visit_date"] = Answer::Answered("2026-01-15");
      s.answers["respondent"] = Answer::Answered("Respondent " + std::to_string(i));
      s.answers["position"] = Answer::Answered("Programme officer");
      s.answers["cases"] = Answer::Answered(std::to_string(Next(rng) % 300));
      s.answers["challenges"] = Answer::Answered("Funding and coordination (synthetic text)");
      s.answers["remarks"] = Answer::Refused();
      batch.submissions.push_back(std::move(s));
    }
    if (auto st = store.CreateSubmissions(batch); !st) return Fail("store", st.error());
  }
  const ReviewStatus kStatuses[] = {ReviewStatus::kApproved, ReviewStatus::kNeedsChecking,
                                    ReviewStatus::kRejected};
  for (int64_t r = 0; r < reviews && r < n; ++r) {
    Review review;
    review.instance_id = InstanceId(static_cast<uint64_t>(r * (n / reviews)));
    review.status = kStatuses[r % 3];
    review.who = "sup";
    review.comment = r % 2 ? "" : "checked by phone (synthetic)";
    if (auto done = store.SetReview(review); !done) return Fail("review", done.error());
  }
  std::printf("stored %lld submissions, %lld reviews\n", static_cast<long long>(n),
              static_cast<long long>(reviews));
  return 0;
}
