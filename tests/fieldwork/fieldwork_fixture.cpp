// Test-only: `fieldwork_fixture DB FORM.xlsx SPEC...` stores FORM.xlsx (the
// examples/ngo_profile.xlsx form) in the store DB and, for each SPEC
// ORG,INTERVIEWER,YYYY-MM-DD,ANSWERED[,pretest], one completed interview of ORG that
// ended on that day at 10:00 UTC and answers the first ANSWERED (0-9) of the form's
// nine required questions outside its repeat that are asked (org_type_other is not
// asked); the others are refused. Everything goes through the public store.h.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "store/store.h"

using namespace ngosurvey;
using namespace ngosurvey::store;
using form::Answer;

namespace {

constexpr const char* kRequired[] = {
    "organisation/org_name", "organisation/year_founded", "organisation/org_type",
    "location/province",     "location/district",         "staff/staff_paid",
    "staff/staff_volunteer", "programme_count",           "has_website"};

// Days since 1970-01-01 of a YYYY-MM-DD date (civil-from-days inverse).
int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

Status Build(const std::string& db, const std::string& form_path,
             const std::vector<std::string>& specs) {
  auto bytes = NGO_TRY(ReadFile(form_path));
  auto store = NGO_TRY(OpenStore(db));
  NGO_TRY(store->PutForm({"ngo_profile", "2026112501", "NGO profile", bytes, "", 0}));
  int n = 0;
  for (const std::string& spec : specs) {
    std::vector<std::string> f;
    std::stringstream in(spec);
    for (std::string part; std::getline(in, part, ',');) f.push_back(part);
    if (f.size() < 4) return MakeError("USAGE", "bad spec " + spec);
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(f[2].c_str(), "%d-%u-%u", &y, &m, &d) != 3) {
      return MakeError("USAGE", "bad date in " + spec);
    }
    int answered = std::atoi(f[3].c_str());
    Submission s;
    char id[64];
    std::snprintf(id, sizeof id, "uuid:00000000-0000-4000-8000-%012d", ++n);
    s.instance_id = id;
    s.form_id = "ngo_profile";
    s.form_version = "2026112501";
    s.status = SubmissionStatus::kComplete;
    s.wave = f.size() > 4 && f[4] == "pretest" ? Wave::kPretest : Wave::kMain;
    s.org_id = f[0];
    s.interviewer = f[1];
    int64_t day_ms = DaysFromCivil(y, m, d) * 86400000;
    s.started_at_ms = day_ms + 9 * 3600000;
    s.ended_at_ms = day_ms + 10 * 3600000;
    s.answers["organisation/org_type_other"] = Answer::NotAsked("");
    for (int i = 0; i < 9; ++i) {
      s.answers[kRequired[i]] = i < answered ? Answer::Answered("1") : Answer::Refused();
    }
    NGO_TRY(store->CreateSubmission(s));
  }
  return Ok();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: fieldwork_fixture DB FORM.xlsx ORG,WHO,DATE,ANSWERED[,pretest]...\n");
    return 2;
  }
  std::vector<std::string> specs(argv + 3, argv + argc);
  Status status = Build(argv[1], argv[2], specs);
  if (!status) {
    std::fprintf(stderr, "fieldwork_fixture: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
