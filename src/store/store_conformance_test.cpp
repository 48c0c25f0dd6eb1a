// The contract of store.h, run against every back end (back_ends_test_util.h): the
// in-memory store must behave exactly like the SQLite one, since other modules test
// against it, and the PostgreSQL one like both.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "store/back_ends_test_util.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::BackEndNames;
using testing::BackEnds;
using testing::MemoryBackEnd;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

template <typename BackEnd>
class StoreConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->PutForm(TestForm()));
  }

  // Creates a completed submission with two answers.
  void MakeComplete(const std::string& id) {
    Submission s = TestDraft(id);
    s.answers["age"] = Answer::Answered("34");
    s.answers["programs[1]/name"] = Answer::Answered("shelter");
    ASSERT_TRUE(store_->CreateSubmission(s));
    ASSERT_TRUE(store_->CompleteSubmission(id, 5000));
  }

  Store& store() { return *store_; }

  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(StoreConformanceTest, BackEnds, BackEndNames);

TYPED_TEST(StoreConformanceTest, FormVersionsRoundTrip) {
  Store& store = this->store();
  auto got = store.GetForm("ngo_staff", "1");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->xlsx, TestForm().xlsx);
  EXPECT_EQ(got->title, "NGO staff survey");
  EXPECT_EQ(got->uploaded_at_ms, 1700000000000);
  EXPECT_EQ(got->xlsx_sha256, internal::Sha256Hex(TestForm().xlsx));

  this->clock_.Set(1700000005000);
  ASSERT_TRUE(store.PutForm(TestForm("ngo_staff", "2", std::string("v2\0bytes", 8))));
  ASSERT_TRUE(store.PutForm(TestForm("other", "1")));
  auto v2 = store.GetForm("ngo_staff", "2");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->xlsx, std::string("v2\0bytes", 8)) << "blobs keep NUL bytes";
  EXPECT_EQ(v2->uploaded_at_ms, 1700000005000);

  auto versions = store.ListForms("ngo_staff");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, "1");
  EXPECT_EQ((*versions)[1].version, "2");
  EXPECT_TRUE((*versions)[0].xlsx.empty()) << "listings carry no bytes";
  EXPECT_FALSE((*versions)[0].xlsx_sha256.empty());
  auto all = store.ListForms();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

TYPED_TEST(StoreConformanceTest, SameFormVersionWithOtherBytesIsRefused) {
  Store& store = this->store();
  EXPECT_TRUE(store.PutForm(TestForm())) << "the same bytes again is fine";
  auto clash = store.PutForm(TestForm("ngo_staff", "1", "different bytes"));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, "ST003");
  EXPECT_EQ(store.GetForm("ngo_staff", "1")->xlsx, TestForm().xlsx);
  EXPECT_EQ(store.ListForms()->size(), 1u);

  EXPECT_EQ(store.PutForm(TestForm("", "1")).error().code, "ST001");
  EXPECT_EQ(store.PutForm(TestForm("x", "")).error().code, "ST001");
  EXPECT_EQ(store.GetForm("ngo_staff", "9").error().code, "ST002");
}

TYPED_TEST(StoreConformanceTest, SubmissionRoundTripsWithRepeatsAndStates) {
  Store& store = this->store();
  Submission s = TestDraft(Uuid(1));
  s.wave = Wave::kPretest;
  s.answers["name"] = Answer::Answered("ស្រីពៅ");  // Khmer text
  s.answers["services"] = Answer::Answered("shelter legal");
  s.answers["income"] = Answer::Refused();
  s.answers["staff_count"] = Answer::DontKnow();
  s.answers["funding_detail"] = Answer::NotAsked("kept aside");
  s.answers["programs[1]/name"] = Answer::Answered("hotline");
  s.answers["programs[2]/name"] = Answer::Missing();
  s.answers["programs[2]/staff[3]/role"] = Answer::Answered("lawyer");
  ASSERT_TRUE(store.CreateSubmission(s));

  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got) << got.error().ToString();
  Submission want = s;
  want.updated_at_ms = 1700000000000;
  EXPECT_EQ(*got, want);
  EXPECT_EQ(store.GetSubmission(Uuid(2)).error().code, "ST002");
}

TYPED_TEST(StoreConformanceTest, CreateSubmissionChecksItsInput) {
  Store& store = this->store();
  EXPECT_EQ(store.CreateSubmission(TestDraft("not-a-uuid")).error().code, "ST001");
  EXPECT_EQ(store.CreateSubmission(TestDraft(Uuid(1), 0, "ngo_staff", "7")).error().code, "ST002");
  Submission bad_answer = TestDraft(Uuid(1));
  bad_answer.answers["age"] = Answer{"", form::AnswerState::kAnswered};
  EXPECT_EQ(store.CreateSubmission(bad_answer).error().code, "ST001");
  Submission bad_path = TestDraft(Uuid(1));
  bad_path.answers["programs[0]/name"] = Answer::Answered("x");
  EXPECT_EQ(store.CreateSubmission(bad_path).error().code, "ST001");
  Submission draft_with_end = TestDraft(Uuid(1));
  draft_with_end.ended_at_ms = 5;
  EXPECT_EQ(store.CreateSubmission(draft_with_end).error().code, "ST001");
  EXPECT_TRUE(store.ListSubmissions()->empty()) << "nothing of the failed calls was kept";

  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(1))));
  EXPECT_EQ(store.CreateSubmission(TestDraft(Uuid(1))).error().code, "ST003");
}

// Submission `n` of the "ngo_census" form version 2, complete, with a Vietnamese
// answer and a refused one inside a repeat.
Submission CompleteCensus(int n) {
  Submission s = TestDraft(Uuid(n), 100 + n, "ngo_census", "2");
  s.status = SubmissionStatus::kComplete;
  s.ended_at_ms = 200 + n;
  s.answers["name"] = Answer::Answered("Tổ chức " + std::to_string(n));
  s.answers["programs[1]/name"] = Answer::Refused();
  // A platform's metadata columns, in its order (not sorted), with quotes, a
  // backslash, a comma, braces and an empty value.
  s.metadata = {{"_id", std::to_string(n)},
                {"_uuid", Uuid(n).substr(5)},
                {"_submission_time", "2024-03-0" + std::to_string(n % 10) + "T10:00:00"},
                {"_notes", "said \"no\", \\ then {yes}"},
                {"_tags", ""},
                {"programs[1]/_index", std::to_string(n)}};
  return s;
}

// What an export writes: the columns of the submissions a filter selects, each once,
// by smallest position then name, whichever back end.
TYPED_TEST(StoreConformanceTest, MetadataColumnsOfTheFilteredSubmissions) {
  Store& store = this->store();
  ASSERT_TRUE(store.PutForm(TestForm("other", "1")));
  Submission a = TestDraft(Uuid(1));
  a.metadata = {{"_id", "1"}, {"_uuid", "x"}, {"_submission_time", "t"}};
  Submission b = TestDraft(Uuid(2));
  b.metadata = {{"_id", "2"},
                {"_uuid", "y"},
                {"_submission_time", "t"},
                {"_index", "2"},
                {"members[1]/_index", "1"}};
  b.wave = Wave::kPretest;
  Submission c = TestDraft(Uuid(3), 1000, "other");
  c.metadata = {{"SubmissionDate", "d"}, {"DeviceID", "e"}};
  Submission d = TestDraft(Uuid(4));
  d.metadata = {{"_status", "s"}, {"_id", "4"}};
  for (const Submission& s : {a, b, c, d}) {
    auto created = store.CreateSubmission(s);
    ASSERT_TRUE(created) << created.error().ToString();
  }
  auto columns = [&](SubmissionFilter filter) {
    auto got = store.MetadataColumns(filter);
    EXPECT_TRUE(got) << got.error().ToString();
    return got ? *got : std::vector<std::string>{"error"};
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(columns({.form_id = "ngo_staff"}),
            (Names{"_id", "_status", "_uuid", "_submission_time", "_index", "members[1]/_index"}));
  EXPECT_EQ(columns({.form_id = "ngo_staff", .include_pretest = false}),
            (Names{"_id", "_status", "_uuid", "_submission_time"}));
  EXPECT_EQ(columns({.form_id = "other"}), (Names{"SubmissionDate", "DeviceID"}));
  EXPECT_EQ(columns({.form_id = "ngo_staff", .status = SubmissionStatus::kComplete}), Names{});
  EXPECT_EQ(columns({.form_id = "ngo_staff", .limit = 1}).size(), 6u) << "limit is ignored";
  EXPECT_EQ(store::MetadataColumnsOf({a, b, c, d}).size(), 8u);
}

TYPED_TEST(StoreConformanceTest, MetadataKeepItsOrderAndIsChecked) {
  Store& store = this->store();
  Submission draft = TestDraft(Uuid(1));
  draft.metadata = {{"SubmitterID", "7"}, {"DeviceID", "collect:ab12"}, {"Edits", "0"}};
  ASSERT_TRUE(store.CreateSubmission(draft));
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->metadata, draft.metadata);
  ASSERT_TRUE(store.CompleteSubmission(Uuid(1), 5000));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->metadata, draft.metadata) << "completion keeps them";
  auto listed = store.ListSubmissions();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].metadata, draft.metadata);

  for (auto bad :
       {std::vector<MetadataField>{{"_id", "1"}, {"_id", "2"}},
        std::vector<MetadataField>{{"", "1"}}, std::vector<MetadataField>{{"_notes", "\xff"}}}) {
    Submission s = TestDraft(Uuid(2));
    s.metadata = bad;
    auto refused = store.CreateSubmission(s);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "ST001");
    EXPECT_NE(refused.error().message.find("metadata"), std::string::npos)
        << refused.error().message;
    SubmissionBatch batch;
    batch.submissions = {CompleteCensus(3), s};
    batch.form = TestForm("ngo_census", "2", "PK\x03\x04 census");
    EXPECT_FALSE(store.CreateSubmissions(batch));
  }
  EXPECT_EQ(store.ListSubmissions()->size(), 1u) << "refused submissions leave nothing";
}

// Schema 11: the UTC offsets the start and end times were written with come back
// from every way a submission is stored and read; none is none, not zero.
TYPED_TEST(StoreConformanceTest, UtcOffsetsOfTheTimesAreKept) {
  Store& store = this->store();
  Submission draft = TestDraft(Uuid(1));
  draft.started_offset_minutes = 420;
  ASSERT_TRUE(store.CreateSubmission(draft));
  auto beyond = store.CompleteSubmission(Uuid(1), 5000, 19 * 60);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, "ST001");
  EXPECT_EQ(store.GetSubmission(Uuid(1))->status, SubmissionStatus::kDraft);
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->started_offset_minutes, 420);
  EXPECT_EQ(got->ended_offset_minutes, std::nullopt);
  ASSERT_TRUE(store.CompleteSubmission(Uuid(1), 5000, 345));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->ended_offset_minutes, 345);

  Submission received = TestDraft(Uuid(2), 2000);
  received.status = SubmissionStatus::kComplete;
  received.ended_at_ms = 3000;
  received.started_offset_minutes = -570;
  received.ended_offset_minutes = 0;
  {
    auto writer = store.BeginImport(TestForm());
    ASSERT_TRUE(writer) << writer.error().ToString();
    ASSERT_TRUE((*writer)->Add(received));
    ASSERT_TRUE((*writer)->Commit());
  }
  Submission plain = TestDraft(Uuid(3), 4000);
  ASSERT_TRUE(store.CreateSubmission(plain));
  auto listed = store.ListSubmissions();
  ASSERT_TRUE(listed) << listed.error().ToString();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].started_offset_minutes, 420);
  EXPECT_EQ((*listed)[1].started_offset_minutes, -570);
  EXPECT_EQ((*listed)[1].ended_offset_minutes, 0) << "Z is a known offset of zero";
  EXPECT_EQ((*listed)[2].started_offset_minutes, std::nullopt);
  EXPECT_EQ((*listed)[2].ended_offset_minutes, std::nullopt);
  SubmissionQuery query;
  query.form_id = "ngo_staff";
  auto rows = store.QuerySubmissions(query);
  ASSERT_TRUE(rows) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].started_offset_minutes, -570);
  EXPECT_EQ((*rows)[1].ended_offset_minutes, 0);
  EXPECT_EQ((*rows)[2].started_offset_minutes, std::nullopt);

  for (int bad : {1081, -1081}) {
    Submission s = TestDraft(Uuid(4));
    s.started_offset_minutes = bad;
    auto refused = store.CreateSubmission(s);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "ST001");
  }
  Submission draft_end = TestDraft(Uuid(4));
  draft_end.ended_offset_minutes = 60;
  EXPECT_FALSE(store.CreateSubmission(draft_end)) << "an end offset without an end time";
  EXPECT_EQ(store.ListSubmissions()->size(), 3u);
}

TYPED_TEST(StoreConformanceTest, BatchesAreStoredWholeOrNotAtAll) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(9))));
  SubmissionBatch batch;
  batch.form = TestForm("ngo_census", "2", "PK\x03\x04 census");
  batch.submissions = {CompleteCensus(1), CompleteCensus(2),
                       CompleteCensus(9)};  // 9 is already stored
  auto clash = store.CreateSubmissions(batch);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, "ST003");
  EXPECT_NE(clash.error().message.find(Uuid(9)), std::string::npos) << clash.error().message;
  EXPECT_EQ(store.ListSubmissions()->size(), 1u) << "nothing of the failed batch was kept";
  EXPECT_EQ(store.ListForms("ngo_census")->size(), 0u) << "nor its form";
  EXPECT_EQ(store.ReadAudit()->size(), 0u);

  batch.submissions = {CompleteCensus(1), CompleteCensus(1)};  // named twice
  EXPECT_EQ(store.CreateSubmissions(batch).error().code, "ST003");
  batch.submissions = {CompleteCensus(1), TestDraft(Uuid(3), 0, "ngo_census", "7")};
  EXPECT_EQ(store.CreateSubmissions(batch).error().code, "ST002");
  EXPECT_EQ(store.ListSubmissions()->size(), 1u);

  batch.submissions = {CompleteCensus(1), CompleteCensus(2)};
  ASSERT_TRUE(store.CreateSubmissions(batch));
  EXPECT_EQ(store.ListForms("ngo_census")->size(), 1u);
  auto got = store.GetSubmission(Uuid(2));
  ASSERT_TRUE(got) << got.error().ToString();
  Submission want = CompleteCensus(2);
  want.updated_at_ms = 1700000000000;
  EXPECT_EQ(*got, want);
  auto trail = store.ReadAudit();
  ASSERT_EQ(trail->size(), 2u) << "each complete submission starts its trail";
  EXPECT_EQ((*trail)[1].instance_id, Uuid(2));
  EXPECT_TRUE(store.VerifyAudit()->ok());

  SubmissionBatch other_bytes;
  other_bytes.form = TestForm("ngo_census", "2", "PK\x03\x04 changed");
  other_bytes.submissions = {CompleteCensus(5)};
  EXPECT_EQ(store.CreateSubmissions(other_bytes).error().code, "ST003");
  EXPECT_EQ(store.GetSubmission(Uuid(5)).error().code, "ST002");
  EXPECT_TRUE(store.CreateSubmissions(SubmissionBatch{})) << "an empty batch is fine";
}

TYPED_TEST(StoreConformanceTest, StreamingImportsKeepAllOrNothing) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(9))));
  FormVersion census = TestForm("ngo_census", "2", "PK\x03\x04 census");
  {
    // Destroyed without Commit: nothing is kept, not even the form.
    auto writer = store.BeginImport(census);
    ASSERT_TRUE(writer) << writer.error().ToString();
    ASSERT_TRUE((*writer)->Add(CompleteCensus(1)));
    auto found = (*writer)->Find(Uuid(1));
    ASSERT_TRUE(found);
    ASSERT_TRUE(found->has_value()) << "the writer sees what it added";
    EXPECT_EQ((*found)->answers, CompleteCensus(1).answers);
    EXPECT_FALSE((*(*writer)->Find(Uuid(4))).has_value());
    EXPECT_TRUE((*(*writer)->Find(Uuid(9))).has_value()) << "and what was stored before";
  }
  EXPECT_EQ(store.ListSubmissions()->size(), 1u);
  EXPECT_EQ(store.ListForms("ngo_census")->size(), 0u);
  {
    // An instance id already stored fails at Add or at Commit; nothing is kept.
    auto writer = store.BeginImport(census);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Add(CompleteCensus(1)));
    Status added = (*writer)->Add(CompleteCensus(9));
    Status committed = added ? (*writer)->Commit() : added;
    ASSERT_FALSE(committed);
    EXPECT_EQ(committed.error().code, "ST003");
  }
  EXPECT_EQ(store.ListSubmissions()->size(), 1u);
  {
    auto writer = store.BeginImport(census);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Add(CompleteCensus(1)));
    ASSERT_TRUE((*writer)->Add(CompleteCensus(2)));
    ASSERT_TRUE((*writer)->Commit());
  }
  auto got = store.GetSubmission(Uuid(2));
  ASSERT_TRUE(got) << got.error().ToString();
  Submission want = CompleteCensus(2);
  want.updated_at_ms = 1700000000000;
  EXPECT_EQ(*got, want);
  EXPECT_EQ(store.ReadAudit()->size(), 2u) << "each complete submission starts its trail";
  EXPECT_TRUE(store.VerifyAudit()->ok());
}

TYPED_TEST(StoreConformanceTest, ForEachSubmissionMatchesListSubmissions) {
  Store& store = this->store();
  this->MakeComplete(Uuid(2));
  this->MakeComplete(Uuid(1));
  Submission draft = TestDraft(Uuid(3), 50);
  draft.metadata = {{"_id", "3"}, {"KEY_extra", "x"}};
  draft.answers["b"] = Answer::NotAsked();
  draft.answers["a"] = Answer::DontKnow();
  ASSERT_TRUE(store.CreateSubmission(draft));
  for (SubmissionFilter filter :
       {SubmissionFilter{}, SubmissionFilter{.status = SubmissionStatus::kComplete}}) {
    auto listed = store.ListSubmissions(filter);
    ASSERT_TRUE(listed);
    std::vector<Submission> visited;
    ASSERT_TRUE(store.ForEachSubmission(
        filter, [&](const Submission& s, const std::vector<AnswerView>& answers) {
          EXPECT_TRUE(s.answers.empty());
          Submission copy = s;
          for (const AnswerView& a : answers) {
            copy.answers.emplace(std::string(a.path), Answer{std::string(a.value), a.state});
          }
          EXPECT_TRUE(std::is_sorted(
              answers.begin(), answers.end(),
              [](const AnswerView& x, const AnswerView& y) { return x.path < y.path; }));
          visited.push_back(copy);
          return Ok();
        }));
    EXPECT_EQ(visited, *listed);
  }
  auto stopped = store.ForEachSubmission({}, [](const Submission&, const std::vector<AnswerView>&) {
    return Status(MakeError("X001", "stop"));
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, "X001");
}

TYPED_TEST(StoreConformanceTest, DraftSavesApplyInOrderAndAllOrNothing) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(1))));
  this->clock_.Set(1700000001000);
  ASSERT_TRUE(store.SaveDraft(Uuid(1), {{"age", Answer::Answered("30")},
                                        {"programs[1]/name", Answer::Answered("a")},
                                        {"programs[2]/name", Answer::Answered("b")}}));
  ASSERT_TRUE(store.SaveDraft(
      Uuid(1), {{"age", Answer::Answered("31")}, {"programs[2]/name", std::nullopt}}));
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->answers, (Answers{{"age", Answer::Answered("31")},
                                   {"programs[1]/name", Answer::Answered("a")}}));
  EXPECT_EQ(got->updated_at_ms, 1700000001000);

  // A save whose last change is bad keeps none of its changes.
  auto bad =
      store.SaveDraft(Uuid(1), {{"age", Answer::Answered("99")}, {"x y", Answer::Answered("1")}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "ST001");
  auto twice =
      store.SaveDraft(Uuid(1), {{"age", Answer::Answered("98")}, {"age", Answer::Answered("97")}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "ST001");
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.at("age"), Answer::Answered("31"));
  EXPECT_EQ(store.SaveDraft(Uuid(9), {{"age", Answer::Answered("1")}}).error().code, "ST002");
  EXPECT_TRUE(store.ReadAudit()->empty()) << "drafts leave no audit entries";
}

TYPED_TEST(StoreConformanceTest, LanguageIsKeptThroughSavesCompletionAndListings) {
  Store& store = this->store();
  Submission s = TestDraft(Uuid(1));
  s.language = "km";
  ASSERT_TRUE(store.CreateSubmission(s));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->language, "km");

  // A save without a language keeps it; a save with one changes it, with its answers.
  ASSERT_TRUE(store.SaveDraft(Uuid(1), {{"age", Answer::Answered("30")}}));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->language, "km");
  this->clock_.Set(1700000002000);
  ASSERT_TRUE(store.SaveDraft(Uuid(1), {{"age", Answer::Answered("31")}}, "vi"));
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->language, "vi");
  EXPECT_EQ(got->answers.at("age"), Answer::Answered("31"));
  EXPECT_EQ(got->updated_at_ms, 1700000002000);
  // A language alone (switched, then the interview stopped) is a save too.
  ASSERT_TRUE(store.SaveDraft(Uuid(1), {}, "en"));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->language, "en");
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.size(), 1u);

  // A failed save changes neither the answers nor the language.
  auto bad = store.SaveDraft(Uuid(1), {{"x y", Answer::Answered("1")}}, "km");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "ST001");
  EXPECT_EQ(store.GetSubmission(Uuid(1))->language, "en");

  ASSERT_TRUE(store.CompleteSubmission(Uuid(1), 4242));
  auto frozen = store.SaveDraft(Uuid(1), {}, "vi");
  ASSERT_FALSE(frozen);
  EXPECT_EQ(frozen.error().code, "ST004");

  // Imports carry it too, empty (unknown) or not.
  SubmissionBatch batch;
  batch.submissions = {TestDraft(Uuid(2), 2000), TestDraft(Uuid(3), 3000)};
  batch.submissions[1].language = "vi";
  batch.submissions[1].status = SubmissionStatus::kComplete;
  batch.submissions[1].ended_at_ms = 3500;
  ASSERT_TRUE(store.CreateSubmissions(batch));
  {
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer) << writer.error().ToString();
    Submission imported = TestDraft(Uuid(4), 4000);
    imported.language = "km";
    ASSERT_TRUE((*writer)->Add(imported));
    auto found = (*writer)->Find(Uuid(4));
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->language, "km");
    ASSERT_TRUE((*writer)->Commit());
  }

  auto listed = store.ListSubmissions();
  ASSERT_TRUE(listed) << listed.error().ToString();
  std::vector<std::string> languages;
  for (const Submission& l : *listed) languages.push_back(l.language);
  EXPECT_EQ(languages, (std::vector<std::string>{"en", "", "vi", "km"}));
  std::vector<std::string> walked;
  ASSERT_TRUE(store.ForEachSubmission({}, [&](const Submission& w, const std::vector<AnswerView>&) {
    walked.push_back(w.language);
    return Ok();
  }));
  EXPECT_EQ(walked, languages);
  Submission want = s;
  want.language = "en";
  want.status = SubmissionStatus::kComplete;
  want.ended_at_ms = 4242;
  want.answers = {{"age", Answer::Answered("31")}};
  want.updated_at_ms = 1700000002000;
  EXPECT_EQ(*store.GetSubmission(Uuid(1)), want) << "the whole submission, language included";
  want.language = "km";
  EXPECT_NE(*store.GetSubmission(Uuid(1)), want) << "operator== compares the language";
}

TYPED_TEST(StoreConformanceTest, CompletionIsAuditedAndFreezesDrafts) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(1))));
  ASSERT_TRUE(store.CompleteSubmission(Uuid(1), 4242));
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, SubmissionStatus::kComplete);
  EXPECT_EQ(got->ended_at_ms, 4242);

  auto again = store.CompleteSubmission(Uuid(1), 5000);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "ST004");
  auto save = store.SaveDraft(Uuid(1), {{"age", Answer::Answered("1")}});
  ASSERT_FALSE(save);
  EXPECT_EQ(save.error().code, "ST004");
  EXPECT_TRUE(store.GetSubmission(Uuid(1))->answers.empty());

  auto audit = store.ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].field, "status");
  EXPECT_EQ((*audit)[0].who, "sokha");
  EXPECT_EQ((*audit)[0].old_answer, Answer::Answered("draft"));
  EXPECT_EQ((*audit)[0].new_answer, Answer::Answered("complete"));
  EXPECT_EQ((*audit)[0].seq, 1);
  EXPECT_EQ((*audit)[0].prev_hash, internal::kGenesisHash);
}

TYPED_TEST(StoreConformanceTest, SubmissionReceivedCompleteStartsItsTrail) {
  Store& store = this->store();
  Submission s = TestDraft(Uuid(3));
  s.status = SubmissionStatus::kComplete;
  s.ended_at_ms = 9000;
  ASSERT_TRUE(store.CreateSubmission(s));
  auto audit = store.ReadAudit(Uuid(3));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_FALSE((*audit)[0].old_answer.has_value());
  EXPECT_EQ((*audit)[0].reason, "submission received complete");
}

TYPED_TEST(StoreConformanceTest, AmendmentsRecordWhoWhenWhatAndWhy) {
  Store& store = this->store();
  this->MakeComplete(Uuid(1));
  this->clock_.Set(1700000009000);
  Amendment change{Uuid(1),
                   "supervisor-lina",
                   "respondent corrected her age on callback",
                   {{"age", Answer::Answered("43")},
                    {"programs[1]/name", Answer::Answered("shelter")},  // unchanged: not recorded
                    {"programs[2]/name", Answer::Answered("legal aid")},
                    {"income", Answer::Refused()}}};
  ASSERT_TRUE(store.Amend(change));
  auto got = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->answers.at("age"), Answer::Answered("43"));
  EXPECT_EQ(got->answers.at("programs[2]/name"), Answer::Answered("legal aid"));
  EXPECT_EQ(got->answers.at("income"), Answer::Refused());
  EXPECT_EQ(got->updated_at_ms, 1700000009000);

  auto audit = store.ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 4u);  // completion + three changed answers
  const AuditEntry& age = (*audit)[1];
  EXPECT_EQ(age.seq, 2);
  EXPECT_EQ(age.field, "age");
  EXPECT_EQ(age.who, "supervisor-lina");
  EXPECT_EQ(age.at_ms, 1700000009000);
  EXPECT_EQ(age.old_answer, Answer::Answered("34"));
  EXPECT_EQ(age.new_answer, Answer::Answered("43"));
  EXPECT_EQ(age.reason, "respondent corrected her age on callback");
  EXPECT_EQ(age.prev_hash, (*audit)[0].hash);
  EXPECT_EQ((*audit)[2].field, "programs[2]/name");
  EXPECT_FALSE((*audit)[2].old_answer.has_value());
  EXPECT_EQ((*audit)[3].field, "income");

  ASSERT_TRUE(store.Amend(
      {Uuid(1), "lina", "duplicate repeat instance", {{"programs[2]/name", std::nullopt}}}));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->answers.count("programs[2]/name"), 0u);
  auto last = store.ReadAudit(Uuid(1))->back();
  EXPECT_EQ(last.old_answer, Answer::Answered("legal aid"));
  EXPECT_FALSE(last.new_answer.has_value());

  auto verified = store.VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << verified->problem;
  EXPECT_EQ(verified->entries_checked, 5);
}

TYPED_TEST(StoreConformanceTest, RefusedAmendmentsChangeNothing) {
  Store& store = this->store();
  this->MakeComplete(Uuid(1));
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(2))));
  auto before = store.GetSubmission(Uuid(1));
  ASSERT_TRUE(before);

  auto code_of = [&](const Amendment& a) { return store.Amend(a).error().code; };
  EXPECT_EQ(code_of({Uuid(1), "lina", "", {{"age", Answer::Answered("1")}}}), "ST005");
  EXPECT_EQ(code_of({Uuid(1), "lina", "  \n", {{"age", Answer::Answered("1")}}}), "ST005");
  EXPECT_EQ(code_of({Uuid(1), "", "typo", {{"age", Answer::Answered("1")}}}), "ST005");
  EXPECT_EQ(code_of({Uuid(2), "lina", "typo", {{"age", Answer::Answered("1")}}}), "ST006");
  EXPECT_EQ(code_of({Uuid(9), "lina", "typo", {{"age", Answer::Answered("1")}}}), "ST002");
  EXPECT_EQ(code_of({Uuid(1), "lina", "typo", {{"age", Answer::Answered("34")}}}), "ST007");
  EXPECT_EQ(code_of({Uuid(1),
                     "lina",
                     "typo",
                     {{"age", Answer::Answered("1")}, {"bad path", Answer::Answered("1")}}}),
            "ST001");

  EXPECT_EQ(*store.GetSubmission(Uuid(1)), *before);
  EXPECT_EQ(store.ReadAudit()->size(), 1u) << "only the completion entry";
}

// ODK's edit of an edit: an amendment's alias (the edit's own instanceID) stays the
// submission's, found by GetSubmission under the submission's own instanceID.
TYPED_TEST(StoreConformanceTest, AmendmentAliasesFindTheSubmission) {
  Store& store = this->store();
  this->MakeComplete(Uuid(1));
  this->MakeComplete(Uuid(2));
  Amendment edit{Uuid(1), "odk import", "ODK edit", {{"age", Answer::Answered("35")}}, Uuid(11)};
  ASSERT_TRUE(store.Amend(edit));
  // An edit that changes nothing keeps its instanceID too.
  ASSERT_TRUE(store.Amend({Uuid(1), "odk import", "ODK edit", {}, Uuid(12)}));
  ASSERT_TRUE(store.Amend(edit)) << "the same alias again is kept once";
  for (const std::string& id : {Uuid(1), Uuid(11), Uuid(12)}) {
    auto got = store.GetSubmission(id);
    ASSERT_TRUE(got) << id << ": " << got.error().ToString();
    EXPECT_EQ(got->instance_id, Uuid(1));
    EXPECT_EQ(got->answers.at("age"), Answer::Answered("35"));
  }
  auto before = store.ReadContents();
  ASSERT_TRUE(before);
  auto code_of = [&](const Amendment& a) { return store.Amend(a).error().code; };
  EXPECT_EQ(code_of({Uuid(2), "odk import", "ODK edit", {}, Uuid(11)}), "ST003");
  EXPECT_EQ(code_of({Uuid(1), "odk import", "ODK edit", {}, Uuid(2)}), "ST003");
  EXPECT_EQ(code_of({Uuid(1), "odk import", "ODK edit", {}, Uuid(1)}), "ST001");
  EXPECT_EQ(code_of({Uuid(1), "odk import", "ODK edit", {}}), "ST007");
  EXPECT_EQ(store.GetSubmission(Uuid(13)).error().code, "ST002");
  auto after = store.ReadContents();
  ASSERT_TRUE(after);
  EXPECT_EQ(internal::FirstDifference(*before, *after), "") << "refused aliases change nothing";
  EXPECT_EQ(after->aliases, (std::vector<InstanceAlias>{{Uuid(11), Uuid(1)}, {Uuid(12), Uuid(1)}}));

  // An import's batch: a new submission and an edit of its edit.
  SubmissionBatch batch;
  Submission s = TestDraft(Uuid(3));
  s.status = SubmissionStatus::kComplete;
  s.ended_at_ms = 2000;
  s.answers["age"] = Answer::Answered("50");
  batch.submissions.push_back(s);
  batch.amendments.push_back({Uuid(3), "odk import", "ODK edit", {}, Uuid(31)});
  batch.amendments.push_back(
      {Uuid(3), "odk import", "ODK edit", {{"age", Answer::Answered("51")}}, Uuid(32)});
  ASSERT_TRUE(store.CreateSubmissions(batch));
  auto got = store.GetSubmission(Uuid(32));
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->instance_id, Uuid(3));
  EXPECT_EQ(got->answers.at("age"), Answer::Answered("51"));
  SubmissionBatch clash;
  clash.amendments.push_back({Uuid(2), "odk import", "ODK edit", {}, Uuid(31)});
  EXPECT_EQ(store.CreateSubmissions(clash).error().code, "ST003");
  EXPECT_EQ(store.ReadContents()->aliases.size(), 4u);
}

TYPED_TEST(StoreConformanceTest, ListingFiltersAndOrders) {
  Store& store = this->store();
  ASSERT_TRUE(store.PutForm(TestForm("ngo_staff", "2", "v2")));
  ASSERT_TRUE(store.PutForm(TestForm("other", "1")));
  Submission a = TestDraft(Uuid(1), 300);
  Submission b = TestDraft(Uuid(2), 100, "ngo_staff", "2");
  b.wave = Wave::kPretest;
  Submission c = TestDraft(Uuid(3), 200, "other", "1");
  c.org_id = "org-9";
  Submission d = TestDraft(Uuid(4), 100);
  for (const Submission& s : {a, b, c, d}) {
    auto created = store.CreateSubmission(s);
    ASSERT_TRUE(created) << created.error().ToString();
  }
  ASSERT_TRUE(store.CompleteSubmission(Uuid(1), 400));

  auto ids = [&](const SubmissionFilter& filter) {
    std::vector<std::string> out;
    auto list = store.ListSubmissions(filter);
    EXPECT_TRUE(list) << list.error().ToString();
    for (const Submission& s : *list) out.push_back(s.instance_id);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{Uuid(2), Uuid(4), Uuid(3), Uuid(1)})) << "by start time, then id";
  EXPECT_EQ(ids({.form_id = "ngo_staff"}), (V{Uuid(2), Uuid(4), Uuid(1)}));
  EXPECT_EQ(ids({.form_id = "ngo_staff", .form_version = "1"}), (V{Uuid(4), Uuid(1)}));
  EXPECT_EQ(ids({.status = SubmissionStatus::kComplete}), (V{Uuid(1)}));
  EXPECT_EQ(ids({.status = SubmissionStatus::kDraft}), (V{Uuid(2), Uuid(4), Uuid(3)}));
  EXPECT_EQ(ids({.wave = Wave::kPretest}), (V{Uuid(2)}));
  EXPECT_EQ(ids({.wave = Wave::kMain}), (V{Uuid(4), Uuid(3), Uuid(1)}));
  EXPECT_EQ(ids({.include_pretest = false}), (V{Uuid(4), Uuid(3), Uuid(1)}));
  EXPECT_EQ(ids({.wave = Wave::kPretest, .include_pretest = false}), (V{Uuid(2)}))
      << "an explicit wave wins";
  EXPECT_EQ(ids({.org_id = "org-9"}), (V{Uuid(3)}));
  EXPECT_TRUE(ids({.form_id = "nothing"}).empty());
}

TYPED_TEST(StoreConformanceTest, OldSubmissionsStayWithTheirFormVersion) {
  Store& store = this->store();
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(1))));
  ASSERT_TRUE(store.PutForm(TestForm("ngo_staff", "2", "v2 bytes")));
  ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(2), 1000, "ngo_staff", "2")));
  EXPECT_EQ(store.GetSubmission(Uuid(1))->form_version, "1");
  EXPECT_EQ(store.GetSubmission(Uuid(2))->form_version, "2");
  EXPECT_EQ(store.GetForm("ngo_staff", "1")->xlsx, TestForm().xlsx);
}

TYPED_TEST(StoreConformanceTest, ThreadsSharingOneStoreKeepEverything) {
  Store& store = this->store();
  constexpr int kThreads = 4;
  constexpr int kSaves = 25;
  for (int t = 0; t < kThreads; ++t) ASSERT_TRUE(store.CreateSubmission(TestDraft(Uuid(t + 1))));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSaves; ++i) {
        auto saved = store.SaveDraft(
            Uuid(t + 1),
            {{"q" + std::to_string(i), Answer::Answered(std::to_string(t * 100 + i))}});
        if (!saved) ++failures;
      }
      if (!store.CompleteSubmission(Uuid(t + 1), 1)) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    auto s = store.GetSubmission(Uuid(t + 1));
    ASSERT_TRUE(s);
    ASSERT_EQ(s->answers.size(), size_t{kSaves});
    EXPECT_EQ(s->answers.at("q7"), Answer::Answered(std::to_string(t * 100 + 7)));
  }
  auto verified = store.VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(verified->entries_checked, kThreads);
}

TYPED_TEST(StoreConformanceTest, ReadOnlyStoreRefusesWrites) {
  // Writes through a read-only handle fail with IO104 and change nothing.
  OpenOptions ro = this->options_;
  ro.read_only = true;
  std::unique_ptr<Store> reader;
  if constexpr (std::is_same_v<TypeParam, MemoryBackEnd>) {
    reader = std::move(*OpenStore("memory:", ro));
  } else {
    auto opened = OpenStore(TypeParam::Location(this->dir_), ro);
    ASSERT_TRUE(opened) << opened.error().ToString();
    reader = std::move(*opened);
  }
  auto put = reader->PutForm(TestForm("x", "1"));
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, "IO104");
  EXPECT_EQ(reader->CreateSubmission(TestDraft(Uuid(1))).error().code, "IO104");
}

// Several writers, each with its own Store on the same store (processes, or servers
// on one database), race to create the same instance ids: each id is stored exactly
// once (the others get ST003), every writer's own submissions are all kept, and the
// audit chain they appended to together still verifies. The in-memory back end has
// no shared storage: its writers share one Store object.
TYPED_TEST(StoreConformanceTest, RacingWritersStoreEachInstanceIdOnce) {
  constexpr int kWriters = 4;
  constexpr int kShared = 40;  // instance ids every writer tries
  constexpr int kOwn = 10;     // instance ids of one writer only
  std::vector<std::unique_ptr<Store>> stores;
  if constexpr (!std::is_same_v<TypeParam, MemoryBackEnd>) {
    for (int w = 0; w < kWriters; ++w) {
      auto opened = OpenStore(TypeParam::Location(this->dir_), this->options_);
      ASSERT_TRUE(opened) << opened.error().ToString();
      stores.push_back(std::move(*opened));
    }
  }
  auto writer_store = [&](int w) -> Store& { return stores.empty() ? this->store() : *stores[w]; };
  std::vector<std::vector<std::string>> outcomes(kWriters, std::vector<std::string>(kShared));
  std::atomic<int> own_failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Store& store = writer_store(w);
      for (int i = 0; i < kShared; ++i) {
        Submission s = TestDraft(Uuid(i + 1));
        s.status = SubmissionStatus::kComplete;
        s.ended_at_ms = 2000;
        s.interviewer = "writer" + std::to_string(w);
        s.answers["age"] = Answer::Answered(std::to_string(w));
        auto created = store.CreateSubmission(s);
        outcomes[w][i] = created ? "ok" : created.error().code;
        if (i % 4 == 0) {
          Submission own = TestDraft(Uuid(1000 + w * kOwn + i / 4));
          own.status = SubmissionStatus::kComplete;
          own.ended_at_ms = 3000;
          if (!store.CreateSubmission(own)) ++own_failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(own_failures.load(), 0);
  Store& store = this->store();
  for (int i = 0; i < kShared; ++i) {
    int stored = 0;
    int winner = -1;
    for (int w = 0; w < kWriters; ++w) {
      if (outcomes[w][i] == "ok") {
        ++stored;
        winner = w;
      } else {
        EXPECT_EQ(outcomes[w][i], "ST003") << "writer " << w << ", submission " << i + 1;
      }
    }
    ASSERT_EQ(stored, 1) << "submission " << i + 1 << " was stored by " << stored << " writers";
    auto s = store.GetSubmission(Uuid(i + 1));
    ASSERT_TRUE(s) << s.error().ToString();
    EXPECT_EQ(s->interviewer, "writer" + std::to_string(winner)) << "the winner's submission";
    EXPECT_EQ(s->answers.at("age"), Answer::Answered(std::to_string(winner)));
  }
  auto all = store.ListSubmissions();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), size_t{kShared + kWriters * kOwn});
  auto verified = store.VerifyAudit();
  ASSERT_TRUE(verified) << verified.error().ToString();
  EXPECT_TRUE(verified->ok()) << verified->problem;
  EXPECT_EQ(verified->entries_checked, kShared + kWriters * kOwn) << "one entry per submission";
}

// Every back end, given the same calls at the same clock, produces the same audit
// trail, hashes included: the chain is a property of the data, not of the back end.
void ExpectSameAuditChain(const std::vector<std::string>& locations) {
  FixedClock clock(1700000000000);
  OpenOptions options;
  options.clock = &clock;
  std::vector<std::vector<AuditEntry>> trails;
  for (const std::string& location : locations) {
    clock.Set(1700000000000);
    auto store = OpenStore(location, options);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->PutForm(TestForm()));
    Submission s = TestDraft(Uuid(1));
    s.answers["age"] = Answer::Answered("20");
    ASSERT_TRUE((*store)->CreateSubmission(s));
    ASSERT_TRUE((*store)->CompleteSubmission(Uuid(1), 10));
    clock.Set(1700000000777);
    ASSERT_TRUE((*store)->Amend({Uuid(1), "lina", "typo", {{"age", Answer::Answered("21")}}}));
    trails.push_back(*(*store)->ReadAudit());
  }
  ASSERT_EQ(trails[0].size(), 2u);
  for (size_t i = 1; i < trails.size(); ++i) EXPECT_EQ(trails[0], trails[i]) << locations[i];
}

TEST(StoreBackEndsTest, SameCallsGiveTheSameAuditChain) {
  TempDir dir;
  ExpectSameAuditChain({"memory:", dir.File("same.db")});
}

TEST(StoreBackEndsPostgresTest, SameCallsGiveTheSameAuditChain) {
  TempDir dir;
  ExpectSameAuditChain({"memory:", dir.File("same.db"), testing::PostgresSchemaLocation(dir)});
}

}  // namespace
}  // namespace ngosurvey::store
