// Test-only: `store_fixture DB` writes a small store through the public interface
// (three submissions in two forms, repeats, every answer state, one amendment), at
// a fixed clock so that its contents are the same on every run.
#include <cstdio>

#include "store/store.h"

using namespace ngosurvey;
using namespace ngosurvey::store;
using form::Answer;

namespace {

Status Build(const std::string& path) {
  static FixedClock clock(1764054000000);  // 2025-11-25T07:00:00Z
  OpenOptions options;
  options.clock = &clock;
  auto db = NGO_TRY(OpenStore(path, options));
  NGO_TRY(db->PutForm({"ngo_staff", "2025-11", "NGO staff survey", "xlsx bytes v1", "", 0}));
  NGO_TRY(db->PutForm({"org_profile", "1", "Organisation profile", "xlsx bytes", "", 0}));

  Submission a;
  a.instance_id = "uuid:11111111-1111-4111-8111-111111111111";
  a.form_id = "ngo_staff";
  a.form_version = "2025-11";
  a.org_id = "org-03";
  a.interviewer = "sokha";
  a.language = "km";
  a.started_at_ms = 1764054000000;
  a.started_offset_minutes = 420;  // begun at 14:00 in Phnom Penh
  a.answers["role"] = Answer::Answered("outreach");
  a.answers["services"] = Answer::Answered("shelter legal");
  a.answers["programs[1]/name"] = Answer::Answered("hotline");
  a.answers["programs[2]/name"] = Answer::Answered("safe house");
  a.answers["salary"] = Answer::Refused();
  a.answers["victims_count"] = Answer::DontKnow();
  a.answers["funding_other"] = Answer::NotAsked("kept aside, never exported");
  a.answers["comments"] = Answer::Missing();
  NGO_TRY(db->CreateSubmission(a));
  NGO_TRY(db->CompleteSubmission(a.instance_id, 1764055800000, 420));
  clock.Set(1764060000000);
  NGO_TRY(db->Amend({a.instance_id,
                     "supervisor-lina",
                     "respondent corrected on callback",
                     {{"programs[2]/name", Answer::Answered("safe house (Phnom Penh)")}}}));

  Submission b = a;
  b.instance_id = "uuid:22222222-2222-4222-8222-222222222222";
  b.wave = Wave::kPretest;
  b.language = "";  // unknown, as for an import
  b.started_at_ms = 1764050000000;
  b.started_offset_minutes.reset();  // no offset known: shown in UTC
  b.answers = {{"role", Answer::Answered("manager")}};
  NGO_TRY(db->CreateSubmission(b));

  Submission c;
  c.instance_id = "uuid:33333333-3333-4333-8333-333333333333";
  c.form_id = "org_profile";
  c.form_version = "1";
  c.org_id = "org-09";
  c.interviewer = "minh";
  c.started_at_ms = 1764056000000;
  c.answers["founded"] = Answer::Answered("2004-05-01");
  NGO_TRY(db->CreateSubmission(c));
  return Ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: store_fixture DB\n");
    return 2;
  }
  Status built = Build(argv[1]);
  if (!built) {
    std::fprintf(stderr, "store_fixture: %s\n", built.error().ToString().c_str());
    return 1;
  }
  return 0;
}
