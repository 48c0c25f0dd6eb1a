// LoadFromStore: the states the interviews recorded reach the dataset unchanged,
// pretest interviews and drafts are left out unless asked for, and a grouping
// column can come from the submissions' metadata.
#include "analysis/load_store.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "analysis/table.h"
#include "base/file.h"
#include "base/testing/source_dir.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;

std::string Uuid(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "uuid:00000000-0000-4000-8000-%012x", n);
  return buf;
}

class LoadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("memory:");
    ASSERT_TRUE(opened) << opened.error().ToString();
    db_ = std::move(*opened);
    auto bytes =
        ReadFile(std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/tabulate/form.xlsx");
    ASSERT_TRUE(bytes);
    store::FormVersion form;
    form.form_id = form_id_;
    form.version = version_;
    form.title = "tabulate test form";
    form.xlsx = *bytes;
    ASSERT_TRUE(db_->PutForm(form));
  }

  void Add(int n, store::Wave wave, store::SubmissionStatus status, const std::string& org,
           std::map<std::string, Answer> answers) {
    store::Submission s;
    s.instance_id = Uuid(n);
    s.form_id = form_id_;
    s.form_version = version_;
    s.wave = wave;
    s.status = status;
    s.org_id = org;
    s.interviewer = "sokha";
    s.started_at_ms = 1000 + n;
    if (status == store::SubmissionStatus::kComplete) s.ended_at_ms = 2000 + n;
    for (auto& [path, answer] : answers) s.answers[path] = answer;
    Status created = db_->CreateSubmission(s);
    ASSERT_TRUE(created) << created.error().ToString();
  }

  std::unique_ptr<store::Store> db_;
  std::string form_id_ = "tabulate_test", version_ = "1";
};

TEST_F(LoadStoreTest, StatesArriveAsRecordedAndPretestIsLeftOut) {
  using W = store::Wave;
  using S = store::SubmissionStatus;
  Add(1, W::kMain, S::kComplete, "KH01",
      {{"country", Answer::Answered("KH")},
       {"prog/training", Answer::Answered("yes")},
       {"prog/staff", Answer::Refused()},
       {"prog/media", Answer::Answered("no")}});
  Add(2, W::kMain, S::kComplete, "KH02",
      {{"country", Answer::Answered("KH")},
       {"prog/training", Answer::Answered("no")},
       {"prog/staff", Answer::Answered("12")},
       {"prog/media", Answer::NotAsked("yes")}});
  Add(3, W::kPretest, S::kComplete, "VN01",
      {{"country", Answer::Answered("VN")}, {"prog/training", Answer::DontKnow()}});
  Add(4, W::kMain, S::kDraft, "VN02", {{"country", Answer::Answered("VN")}});

  Diagnostics diags;
  auto loaded = LoadFromStore(*db_, {}, &diags);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(loaded->data.rows(), 2u);
  EXPECT_EQ(loaded->pretest_left_out, 1u);
  EXPECT_EQ(loaded->drafts_left_out, 1u);

  TableSpec spec;
  spec.id = "t";
  spec.by = {"country"};
  spec.rows.push_back({.item = "training"});
  spec.rows.push_back({.item = "media"});
  spec.rows.push_back({.item = "staff", .statistics = {"n", "mean"}});
  auto table = Tabulate(loaded->data, spec);
  ASSERT_TRUE(table) << table.error().ToString();
  ASSERT_EQ(table->columns.size(), 2u);                 // the country options: KH and VN
  EXPECT_EQ(table->items[0].nonresponse[1].total, 0u);  // the VN interviews were not counted
  const auto& media = table->items[1].nonresponse[0];
  EXPECT_EQ(media.answered, 1u);
  EXPECT_EQ(media.not_asked, 1u);  // the kept-aside "yes" is not data
  const auto& staff = table->items[2];
  EXPECT_EQ(staff.nonresponse[0].refused, 1u);
  EXPECT_EQ(staff.numeric[0].n, 1u);
  EXPECT_DOUBLE_EQ(*staff.numeric[0].mean, 12.0);

  StoreDataOptions with_pretest;
  with_pretest.include_pretest = true;
  with_pretest.extra_single = {"org"};
  auto all = LoadFromStore(*db_, with_pretest, &diags);
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->data.rows(), 3u);
  int org = all->data.Find("org");
  ASSERT_GE(org, 0);
  int training = all->data.Find("training");
  spec.by = {"country"};
  spec.rows = {{.item = "training"}};
  auto with = Tabulate(all->data, spec);
  ASSERT_TRUE(with);
  ASSERT_EQ(with->columns.size(), 2u);
  EXPECT_EQ(with->items[0].nonresponse[1].dont_know, 1u);  // VN's pretest don't know
  (void)training;
}

TEST_F(LoadStoreTest, UnknownOptionNamesTheSubmission) {
  Add(1, store::Wave::kMain, store::SubmissionStatus::kComplete, "KH01",
      {{"country", Answer::Answered("KH")}, {"prog/training", Answer::Answered("perhaps")}});
  Diagnostics diags;
  auto loaded = LoadFromStore(*db_, {}, &diags);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find(Uuid(1)), std::string::npos) << loaded.error().ToString();
  EXPECT_NE(loaded.error().message.find("training"), std::string::npos);
}

TEST_F(LoadStoreTest, SeveralFormsNeedAName) {
  auto bytes =
      ReadFile(std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/tabulate/form.xlsx");
  store::FormVersion other;
  other.form_id = "other_form";
  other.version = "1";
  other.xlsx = *bytes;
  ASSERT_TRUE(db_->PutForm(other));
  Diagnostics diags;
  auto loaded = LoadFromStore(*db_, {}, &diags);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, "D010");
  StoreDataOptions named;
  named.form_id = form_id_;
  EXPECT_TRUE(LoadFromStore(*db_, named, &diags));
}

// One row per instance of a repeat, each with its household's fields and metadata;
// instances in their numbers' order (10 after 2), states as recorded.
TEST(LoadStoreRepeatTest, InstancesCarryTheirParentsFields) {
  auto db = std::move(*store::OpenStore("memory:"));
  auto bytes =
      ReadFile(std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/exchange/form.xlsx");
  ASSERT_TRUE(bytes);
  store::FormVersion form;
  form.form_id = "exchange_demo";
  form.version = "1";
  form.xlsx = *bytes;
  ASSERT_TRUE(db->PutForm(form));
  auto add = [&](int n, const std::string& org, std::map<std::string, Answer> answers) {
    store::Submission s;
    s.instance_id = Uuid(n);
    s.form_id = "exchange_demo";
    s.form_version = "1";
    s.status = store::SubmissionStatus::kComplete;
    s.org_id = org;
    s.interviewer = "sokha";
    s.started_at_ms = 1000 + n;
    s.ended_at_ms = 2000 + n;
    s.answers = std::move(answers);
    Status created = db->CreateSubmission(s);
    ASSERT_TRUE(created) << created.error().ToString();
  };
  add(1, "KH07",
      {{"country", Answer::Answered("KH")},
       {"programs[1]/program_active", Answer::Answered("yes")},
       {"programs[2]/program_active", Answer::Answered("no")},
       {"programs[10]/program_active", Answer::Refused()},
       {"programs[10]/program_staff", Answer::Answered("3")}});
  add(2, "VN12", {{"country", Answer::Answered("VN")}});  // no programme
  add(3, "VN13",
      {{"country", Answer::Answered("VN")}, {"programs[1]/program_staff", Answer::Answered("4")}});

  StoreDataOptions options;
  options.repeat = "programs";
  options.extra_single = {"org"};
  Diagnostics diags;
  auto loaded = LoadFromStore(*db, options, &diags);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  const Dataset& data = loaded->data;
  ASSERT_EQ(data.rows(), 4u);
  const Column& country = data.column(data.Find("country"));
  const Column& active = data.column(data.Find("program_active"));
  const Column& staff = data.column(data.Find("program_staff"));
  const Column& org = data.column(data.Find("org"));
  EXPECT_EQ(country.planes[0], (std::vector<uint8_t>{0, 0, 0, 1}));  // KH, KH, KH, VN
  EXPECT_EQ(active.planes[0], (std::vector<uint8_t>{0, 1, kCodeRefused, kCodeMissing}));
  EXPECT_EQ(staff.states,
            (std::vector<uint8_t>{kCodeMissing, kCodeMissing, kCodeAnswered, kCodeAnswered}));
  EXPECT_EQ(staff.numbers[2], 3.0);
  EXPECT_EQ(org.options, (std::vector<std::string>{"KH07", "VN13"}));
  EXPECT_EQ(data.Find("staff_n") >= 0, true);  // the household's questions too

  options.repeat = "country";
  auto not_a_repeat = LoadFromStore(*db, options, &diags);
  ASSERT_FALSE(not_a_repeat);
  EXPECT_EQ(not_a_repeat.error().code, "D004");
}

}  // namespace
}  // namespace ngosurvey::analysis
