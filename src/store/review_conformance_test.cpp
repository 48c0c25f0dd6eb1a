// The contract of review.h (reviews of submissions, their audit entries, the
// submissions table's filters, sorts and keyset pages) and Authorize's kReview,
// run against every back end (back_ends_test_util.h): memory, SQLite and
// PostgreSQL.
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

template <typename BackEnd>
class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->PutForm(TestForm()));
    ASSERT_TRUE(store_->PutForm(TestForm("household", "1", "PK\x03\x04 household")));
  }
  // A complete submission `n` started at `started`, sent by `by`.
  void Complete(int n, int64_t started, const std::string& by,
                const std::string& form = "ngo_staff", const std::string& org = "org-7") {
    Submission s = TestDraft(Uuid(n), started, form);
    s.status = SubmissionStatus::kComplete;
    s.ended_at_ms = started + 60000;
    s.submitted_by = by;
    s.org_id = org;
    ASSERT_TRUE(store_->CreateSubmission(s));
  }
  std::vector<std::string> Ids(const SubmissionQuery& query) {
    auto rows = store_->QuerySubmissions(query);
    EXPECT_TRUE(rows) << rows.error().ToString();
    std::vector<std::string> out;
    if (rows) {
      for (const SubmissionRow& row : *rows) out.push_back(row.instance_id);
    }
    return out;
  }
  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(ReviewTest, BackEnds, BackEndNames);

TYPED_TEST(ReviewTest, ReviewIsKeptReplacedAndEveryChangeAudited) {
  this->Complete(1, 1000, "sokha");
  auto none = this->store_->GetReview(Uuid(1));
  ASSERT_TRUE(none) << none.error().ToString();
  EXPECT_FALSE(none->has_value());

  this->clock_.Set(1700000005000);
  auto set = this->store_->SetReview(
      {Uuid(1), ReviewStatus::kNeedsChecking, "age 7 for a director?", "lan", 0});
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(set->at_ms, 1700000005000);
  this->clock_.Set(1700000009000);
  ASSERT_TRUE(
      this->store_->SetReview({Uuid(1), ReviewStatus::kApproved, "called back: 71", "lan"}));

  auto now = this->store_->GetReview(Uuid(1));
  ASSERT_TRUE(now && now->has_value());
  EXPECT_EQ(**now,
            (Review{Uuid(1), ReviewStatus::kApproved, "called back: 71", "lan", 1700000009000}));
  auto audit = this->store_->ReadAudit(Uuid(1));
  ASSERT_TRUE(audit) << audit.error().ToString();
  ASSERT_EQ(audit->size(), 3u) << "received complete, then two reviews";
  const AuditEntry& first = (*audit)[1];
  EXPECT_EQ(first.field, "_validation_status");
  EXPECT_EQ(first.who, "lan");
  EXPECT_EQ(first.at_ms, 1700000005000);
  EXPECT_FALSE(first.old_answer.has_value());
  EXPECT_EQ(first.new_answer, form::Answer::Answered("needs_checking"));
  EXPECT_EQ(first.reason, "age 7 for a director?");
  const AuditEntry& second = (*audit)[2];
  EXPECT_EQ(second.old_answer, form::Answer::Answered("needs_checking"));
  EXPECT_EQ(second.new_answer, form::Answer::Answered("approved"));
  EXPECT_EQ(second.reason, "called back: 71");
  auto verified = this->store_->VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << verified->problem;

  auto listed = this->store_->ListReviews("ngo_staff");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0], **now);
  EXPECT_TRUE(this->store_->ListReviews("household")->empty());
}

// An import's reviews (a Kobo export's _validation_status): set with the batch, in
// its transaction, through CreateSubmissions and through a streaming import; a bad
// one (a draft, an unknown submission) stores nothing of the batch.
TYPED_TEST(ReviewTest, ImportsCarryReviewsAllOrNothing) {
  Store& store = *this->store_;
  Submission received = TestDraft(Uuid(1), 1000);
  received.status = SubmissionStatus::kComplete;
  received.ended_at_ms = 2000;
  SubmissionBatch batch;
  batch.submissions = {received};
  batch.reviews = {{Uuid(1), ReviewStatus::kRejected, "", "import", 0}};
  ASSERT_TRUE(store.CreateSubmissions(batch));
  auto review = store.GetReview(Uuid(1));
  ASSERT_TRUE(review && review->has_value()) << "set with its submission";
  EXPECT_EQ(**review, (Review{Uuid(1), ReviewStatus::kRejected, "", "import", 1700000000000}));
  auto audit = store.ReadAudit(Uuid(1));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 2u) << "completion, then the review";
  EXPECT_EQ((*audit)[1].field, "_validation_status");

  Submission draft = TestDraft(Uuid(2), 1100);
  Submission other = received;
  other.instance_id = Uuid(3);
  for (const Review& bad : {Review{Uuid(2), ReviewStatus::kApproved, "", "import", 0},
                            Review{Uuid(9), ReviewStatus::kApproved, "", "import", 0},
                            Review{Uuid(3), ReviewStatus::kApproved, "", "", 0}}) {
    SubmissionBatch refused;
    refused.submissions = {draft, other};
    refused.reviews = {bad};
    EXPECT_FALSE(store.CreateSubmissions(refused)) << bad.instance_id;
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer) << writer.error().ToString();
    Status streamed = (*writer)->Add(draft);
    if (streamed) streamed = (*writer)->Add(other);
    if (streamed) streamed = (*writer)->SetReview(bad);
    if (streamed) streamed = (*writer)->Commit();
    EXPECT_FALSE(streamed) << bad.instance_id;
  }
  EXPECT_EQ(store.ListSubmissions()->size(), 1u) << "nothing of a refused batch is kept";

  {
    // A writer holds the store until it is destroyed.
    auto writer = store.BeginImport(std::nullopt);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Add(other));
    ASSERT_TRUE((*writer)->SetReview({Uuid(3), ReviewStatus::kNeedsChecking, "", "import", 0}));
    ASSERT_TRUE((*writer)->Commit());
  }
  EXPECT_EQ((*store.GetReview(Uuid(3)))->status, ReviewStatus::kNeedsChecking);
  EXPECT_TRUE(store.VerifyAudit()->ok());
}

TYPED_TEST(ReviewTest, BadReviewsAreRefusedAndChangeNothing) {
  this->Complete(1, 1000, "sokha");
  ASSERT_TRUE(this->store_->CreateSubmission(TestDraft(Uuid(2), 2000)));
  auto draft = this->store_->SetReview({Uuid(2), ReviewStatus::kApproved, "", "lan"});
  ASSERT_FALSE(draft);
  EXPECT_EQ(draft.error().code, "ST006");
  auto unknown = this->store_->SetReview({Uuid(9), ReviewStatus::kApproved, "", "lan"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "ST002");
  auto nobody = this->store_->SetReview({Uuid(1), ReviewStatus::kApproved, "", ""});
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, "ST001");
  auto long_comment =
      this->store_->SetReview({Uuid(1), ReviewStatus::kApproved, std::string(10001, 'x'), "lan"});
  ASSERT_FALSE(long_comment);
  EXPECT_EQ(long_comment.error().code, "ST001");
  auto not_utf8 = this->store_->SetReview({Uuid(1), ReviewStatus::kApproved, "\xff", "lan"});
  ASSERT_FALSE(not_utf8);
  EXPECT_EQ(not_utf8.error().code, "ST001");
  EXPECT_FALSE(this->store_->GetReview(Uuid(1))->has_value());
  EXPECT_EQ(this->store_->ReadAudit()->size(), 1u) << "only the completion of submission 1";
}

TYPED_TEST(ReviewTest, TableFiltersSortsAndPagesWithoutRepeatsOrGaps) {
  // Six submissions: two senders, two forms, two organisations, one draft.
  this->Complete(1, 3000, "sokha");
  this->Complete(2, 1000, "dara", "ngo_staff", "org-2");
  this->Complete(3, 2000, "sokha", "household");
  this->Complete(4, 2000, "dara");
  this->Complete(5, 5000, "lan", "household", "org-2");
  Submission draft = TestDraft(Uuid(6), 4000);
  draft.submitted_by = "dara";
  ASSERT_TRUE(this->store_->CreateSubmission(draft));
  for (auto [n, status, comment] : {std::tuple{4, ReviewStatus::kRejected, "duplicate"},
                                    std::tuple{1, ReviewStatus::kApproved, ""}}) {
    auto set = this->store_->SetReview({Uuid(n), status, comment, "lan"});
    ASSERT_TRUE(set) << set.error().ToString();
  }

  SubmissionQuery all;
  EXPECT_EQ(this->Ids(all),
            (std::vector<std::string>{Uuid(2), Uuid(3), Uuid(4), Uuid(1), Uuid(6), Uuid(5)}))
      << "by start, then instance id";
  SubmissionQuery down;
  down.descending = true;
  EXPECT_EQ(this->Ids(down),
            (std::vector<std::string>{Uuid(5), Uuid(6), Uuid(1), Uuid(4), Uuid(3), Uuid(2)}));

  SubmissionQuery by;
  by.sort = SubmissionSort::kSubmittedBy;
  EXPECT_EQ(this->Ids(by),
            (std::vector<std::string>{Uuid(2), Uuid(4), Uuid(6), Uuid(5), Uuid(1), Uuid(3)}));
  SubmissionQuery review;
  review.sort = SubmissionSort::kReview;
  review.descending = true;
  EXPECT_EQ(this->Ids(review),
            (std::vector<std::string>{Uuid(4), Uuid(1), Uuid(6), Uuid(5), Uuid(3), Uuid(2)}))
      << "rejected, approved, then the unreviewed";

  // Every sort, both directions, pages of 2: the same rows as one page, in order.
  for (SubmissionSort sort :
       {SubmissionSort::kStarted, SubmissionSort::kSubmittedBy, SubmissionSort::kForm,
        SubmissionSort::kOrg, SubmissionSort::kStatus, SubmissionSort::kReview}) {
    for (bool descending : {false, true}) {
      SubmissionQuery q;
      q.sort = sort;
      q.descending = descending;
      std::vector<std::string> whole = this->Ids(q);
      std::vector<std::string> paged;
      q.limit = 2;
      for (int guard = 0; guard < 10; ++guard) {
        auto rows = this->store_->QuerySubmissions(q);
        ASSERT_TRUE(rows) << rows.error().ToString();
        for (const SubmissionRow& row : *rows) paged.push_back(row.instance_id);
        if (rows->size() < 2) break;
        q.after = SubmissionQuery::After{SortKey(rows->back(), sort), rows->back().instance_id};
      }
      EXPECT_EQ(paged, whole) << SubmissionSortName(sort) << (descending ? " desc" : "");
      EXPECT_EQ(whole.size(), 6u);
    }
  }

  SubmissionQuery filtered;
  filtered.form_id = "ngo_staff";
  filtered.submitted_by = "dara";
  EXPECT_EQ(this->Ids(filtered), (std::vector<std::string>{Uuid(2), Uuid(4), Uuid(6)}));
  filtered.status = SubmissionStatus::kComplete;
  EXPECT_EQ(this->Ids(filtered), (std::vector<std::string>{Uuid(2), Uuid(4)}));
  SubmissionQuery unreviewed;
  unreviewed.review = "none";
  unreviewed.started_from_ms = 2000;
  unreviewed.started_before_ms = 5000;
  EXPECT_EQ(this->Ids(unreviewed), (std::vector<std::string>{Uuid(3), Uuid(6)}));
  SubmissionQuery rejected;
  rejected.review = "rejected";
  auto rows = this->store_->QuerySubmissions(rejected);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].submitted_by, "dara");
  EXPECT_EQ((*rows)[0].form_version, "1");
  EXPECT_EQ((*rows)[0].ended_at_ms, 2000 + 60000);
  ASSERT_TRUE((*rows)[0].review.has_value());
  EXPECT_EQ((*rows)[0].review->comment, "duplicate");
}

TYPED_TEST(ReviewTest, MalformedQueriesAreRefused) {
  SubmissionQuery q;
  q.limit = 0;
  EXPECT_EQ(this->store_->QuerySubmissions(q).error().code, "ST001");
  q.limit = 1001;
  EXPECT_EQ(this->store_->QuerySubmissions(q).error().code, "ST001");
  q.limit = 10;
  q.review = "maybe";
  EXPECT_EQ(this->store_->QuerySubmissions(q).error().code, "ST001");
  q.review.reset();
  q.after = SubmissionQuery::After{"yesterday", Uuid(1)};
  EXPECT_EQ(this->store_->QuerySubmissions(q).error().code, "ST001");
}

TYPED_TEST(ReviewTest, CopyStoreMovesReviewsAndTheirAudit) {
  this->Complete(1, 1000, "sokha");
  ASSERT_TRUE(this->store_->SetReview({Uuid(1), ReviewStatus::kRejected, "no consent", "lan"}));
  auto to = OpenStore("memory:");
  ASSERT_TRUE(to);
  auto copied = CopyStore(*this->store_, **to);
  ASSERT_TRUE(copied) << copied.error().ToString();
  EXPECT_EQ(copied->reviews, 1u);
  auto review = (*to)->GetReview(Uuid(1));
  ASSERT_TRUE(review && review->has_value());
  EXPECT_EQ((*review)->comment, "no consent");
  SubmissionQuery rejected;
  rejected.review = "rejected";
  EXPECT_EQ((*to)->QuerySubmissions(rejected)->size(), 1u);
  // And back into an empty store of this back end's kind.
  TempDir dir;
  auto back = OpenStore(TypeParam::Location(dir));
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_TRUE(CopyStore(**to, **back));
  EXPECT_EQ((*back)->QuerySubmissions(rejected)->size(), 1u)
      << "review_status is written with the review";
}

TEST(ReviewNames, RoundTripAndKoboUids) {
  for (ReviewStatus s :
       {ReviewStatus::kApproved, ReviewStatus::kNeedsChecking, ReviewStatus::kRejected}) {
    EXPECT_EQ(*ParseReviewStatus(ReviewStatusName(s)), s);
  }
  EXPECT_EQ(*ParseReviewStatus("needs checking"), ReviewStatus::kNeedsChecking);
  EXPECT_EQ(ParseReviewStatus("on_hold").error().code, "ST001");
  EXPECT_EQ(KoboValidationStatus(ReviewStatus::kApproved), "validation_status_approved");
  EXPECT_EQ(KoboValidationStatus(ReviewStatus::kNeedsChecking), "validation_status_on_hold");
  EXPECT_EQ(KoboValidationStatus(ReviewStatus::kRejected), "validation_status_not_approved");
  EXPECT_EQ(*ParseSubmissionSort("submitted_by"), SubmissionSort::kSubmittedBy);
  EXPECT_EQ(ParseSubmissionSort("answers").error().code, "ST001");
}

TEST(Authorize, OnlySupervisorsAndAdminsReviewTheirForms) {
  User u;
  u.name = "x";
  u.all_forms = false;
  u.forms = {"ngo_staff"};
  for (Role role : {Role::kInterviewer, Role::kAnalyst}) {
    u.role = role;
    auto refused = Authorize(u, Action::kReview, "ngo_staff");
    ASSERT_FALSE(refused) << RoleName(role);
    EXPECT_EQ(refused.error().code, "ST010");
    EXPECT_NE(refused.error().message.find("review"), std::string::npos);
  }
  u.role = Role::kSupervisor;
  EXPECT_TRUE(Authorize(u, Action::kReview, "ngo_staff"));
  EXPECT_FALSE(Authorize(u, Action::kReview, "household")) << "not its form";
  u.disabled = true;
  EXPECT_FALSE(Authorize(u, Action::kReview, "ngo_staff"));
  u.disabled = false;
  u.role = Role::kAdmin;
  EXPECT_TRUE(Authorize(u, Action::kReview, "household"));
}

}  // namespace
}  // namespace ngosurvey::store
