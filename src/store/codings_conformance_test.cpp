// The contract of codings.h (codings of open answers and their reconciliation), run
// against every back end: the in-memory store must behave exactly like the SQLite one.
#include <gtest/gtest.h>

#include <memory>

#include "store/back_ends_test_util.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using testing::BackEndNames;
using testing::BackEnds;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

CodedSegment Whole(const std::string& code) {
  return CodedSegment{code, std::nullopt, std::nullopt};
}
CodedSegment Part(const std::string& code, int64_t start, int64_t end) {
  return CodedSegment{code, start, end};
}

AnswerCoding Coding(const std::string& instance, const std::string& coder,
                    std::vector<CodedSegment> segments,
                    const std::string& question = "difficulties") {
  AnswerCoding c;
  c.instance_id = instance;
  c.question = question;
  c.coder = coder;
  c.segments = std::move(segments);
  return c;
}

template <typename BackEnd>
class CodingLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->PutForm(TestForm()));
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(store_->CreateSubmission(TestDraft(Uuid(i), 1000 + i)));
  }
  std::vector<AnswerCoding> List(const std::string& question = "difficulties",
                                 const std::string& coder = "") {
    auto list = store_->ListCodings(question, coder);
    EXPECT_TRUE(list) << list.error().ToString();
    return list ? *list : std::vector<AnswerCoding>{};
  }

  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(CodingLogTest, BackEnds, BackEndNames);

TYPED_TEST(CodingLogTest, StoresSortedSegmentsAndListsByInstanceThenCoder) {
  ASSERT_TRUE(this->store_->PutCodings(
      {Coding(Uuid(2), "lan",
              {Part("funding", 10, 20), Whole("staff"), Part("funding", 0, 5), Whole("staff")}),
       Coding(Uuid(1), "sokha", {Whole("")}), Coding(Uuid(1), "lan", {Whole("funding")}),
       Coding(Uuid(1), "lan", {Whole("other")}, "other_question")}));
  auto all = this->List();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].instance_id, Uuid(1));
  EXPECT_EQ(all[0].coder, "lan");
  EXPECT_EQ(all[1].coder, "sokha");
  EXPECT_EQ(all[1].segments, (std::vector<CodedSegment>{Whole("")}));
  EXPECT_EQ(all[2].instance_id, Uuid(2));
  // Sorted by code, then start (a whole answer before segments), repeats dropped.
  EXPECT_EQ(all[2].segments, (std::vector<CodedSegment>{Part("funding", 0, 5),
                                                        Part("funding", 10, 20), Whole("staff")}));
  EXPECT_EQ(all[2].coded_at_ms, 1700000000000);
  EXPECT_EQ(this->List("difficulties", "lan").size(), 2u);
  EXPECT_EQ(this->List("other_question").size(), 1u);
  EXPECT_TRUE(this->List("nothing").empty());
}

TYPED_TEST(CodingLogTest, PutReplacesOnlyTheNamedAnswerAndCoder) {
  ASSERT_TRUE(this->store_->PutCodings(
      {Coding(Uuid(1), "lan", {Whole("funding")}), Coding(Uuid(2), "lan", {Whole("staff")})}));
  this->clock_.Set(1700000005000);
  ASSERT_TRUE(this->store_->PutCodings({Coding(Uuid(1), "lan", {Whole("")})}));
  auto all = this->List();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].segments, (std::vector<CodedSegment>{Whole("")}));
  EXPECT_EQ(all[0].coded_at_ms, 1700000005000);
  EXPECT_EQ(all[1].segments, (std::vector<CodedSegment>{Whole("staff")}));
  EXPECT_EQ(all[1].coded_at_ms, 1700000000000);
}

TYPED_TEST(CodingLogTest, BadRequestsStoreNothing) {
  auto expect_refused = [&](std::vector<AnswerCoding> batch, const std::string& code) {
    auto put = this->store_->PutCodings(batch);
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().code, code) << put.error().message;
    EXPECT_TRUE(this->List().empty());
  };
  AnswerCoding good = Coding(Uuid(1), "lan", {Whole("funding")});
  expect_refused({good, Coding(Uuid(9), "lan", {Whole("funding")})}, "ST002");
  expect_refused({good, Coding(Uuid(2), "", {Whole("funding")})}, "ST001");
  expect_refused({good, Coding(Uuid(2), kReconciledCoder, {Whole("funding")})}, "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {Part("funding", 5, 5)})}, "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {Part("funding", -1, 5)})}, "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {CodedSegment{"funding", 1, std::nullopt}})},
                 "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {Whole(""), Whole("funding")})}, "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {Part("", 0, 3)})}, "ST001");
  expect_refused({good, Coding(Uuid(2), "lan", {})}, "ST001");
  expect_refused({good, Coding(Uuid(1), "lan", {Whole("staff")})}, "ST001");  // named twice
}

TYPED_TEST(CodingLogTest, ReconcileStoresAgreedCodesAndAuditsWhoDecided) {
  ASSERT_TRUE(this->store_->PutCodings(
      {Coding(Uuid(1), "lan", {Whole("funding")}), Coding(Uuid(1), "sokha", {Whole("staff")})}));
  Reconciliation r;
  r.instance_id = Uuid(1);
  r.question = "difficulties";
  r.segments = {Whole("staff"), Part("funding", 3, 9)};
  r.who = "dara";
  r.reason = "both readings hold";
  ASSERT_TRUE(this->store_->Reconcile(r));
  auto reconciled = this->List("difficulties", kReconciledCoder);
  ASSERT_EQ(reconciled.size(), 1u);
  EXPECT_EQ(reconciled[0].segments,
            (std::vector<CodedSegment>{Part("funding", 3, 9), Whole("staff")}));
  EXPECT_EQ(this->List().size(), 3u);  // the coders' own codings are kept

  auto audit = this->store_->ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  const AuditEntry& entry = audit->back();
  EXPECT_EQ(entry.field, "codes:difficulties");
  EXPECT_EQ(entry.who, "dara");
  EXPECT_EQ(entry.reason, "both readings hold");
  EXPECT_FALSE(entry.old_answer);
  ASSERT_TRUE(entry.new_answer);
  EXPECT_EQ(entry.new_answer->value, "funding@3-9 staff");

  // The same again changes nothing; a change is audited with the old codes.
  auto same = this->store_->Reconcile(r);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, "ST007");
  r.segments = {Whole("staff")};
  r.reason = "funding was about salaries";
  ASSERT_TRUE(this->store_->Reconcile(r));
  audit = this->store_->ReadAudit(Uuid(1));
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ(audit->back().old_answer->value, "funding@3-9 staff");
  EXPECT_EQ(audit->back().new_answer->value, "staff");
  auto verified = this->store_->VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());

  Reconciliation nobody = r;
  nobody.who = "";
  EXPECT_EQ(this->store_->Reconcile(nobody).error().code, "ST005");
  Reconciliation unknown = r;
  unknown.instance_id = Uuid(9);
  EXPECT_EQ(this->store_->Reconcile(unknown).error().code, "ST002");
  EXPECT_EQ(this->store_->ReadAudit(Uuid(1))->size(), 2u);
}

}  // namespace
}  // namespace ngosurvey::store
