// The contract of server_data.h (accounts, published forms, the access log, the
// role rules) and of submitted_by and keyset pagination in SubmissionFilter, run
// against every back end (back_ends_test_util.h): memory, SQLite and PostgreSQL.
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

User TestUser(const std::string& name, Role role = Role::kInterviewer,
              std::vector<std::string> forms = {}) {
  User u;
  u.name = name;
  u.role = role;
  u.all_forms = forms.empty();
  u.forms = std::move(forms);
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.digest_realm = "ngosurvey";
  u.digest_ha1 = "0123456789abcdef0123456789abcdef";
  return u;
}

PublishedForm TestPublished(const std::string& xform = "<h:html>v1</h:html>",
                            std::vector<MediaFile> media = {}) {
  PublishedForm p;
  p.form_id = "ngo_staff";
  p.version = "1";
  p.xform = xform;
  p.media = std::move(media);
  return p;
}

template <typename BackEnd>
class ServerDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
  }
  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(ServerDataTest, BackEnds, BackEndNames);

TYPED_TEST(ServerDataTest, AddsGetsListsAndUpdatesUsers) {
  ASSERT_TRUE(this->store_->AddUser(TestUser("sokha", Role::kInterviewer, {"b", "a", "b"})));
  ASSERT_TRUE(this->store_->AddUser(TestUser("lan", Role::kSupervisor)));
  auto sokha = this->store_->GetUser("sokha");
  ASSERT_TRUE(sokha) << sokha.error().ToString();
  EXPECT_FALSE(sokha->all_forms);
  EXPECT_EQ(sokha->forms, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sokha->created_at_ms, 1700000000000);
  auto users = this->store_->ListUsers();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "lan");
  EXPECT_TRUE((*users)[0].all_forms);
  EXPECT_TRUE((*users)[0].forms.empty());
  EXPECT_EQ((*users)[1], *sokha);

  this->clock_.Set(1700000009000);
  User changed = *sokha;
  changed.disabled = true;
  changed.all_forms = true;
  changed.digest_ha1 = "ffffffffffffffffffffffffffffffff";
  ASSERT_TRUE(this->store_->UpdateUser(changed));
  auto after = this->store_->GetUser("sokha");
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->disabled);
  EXPECT_TRUE(after->all_forms);
  EXPECT_TRUE(after->forms.empty());
  EXPECT_EQ(after->digest_ha1, "ffffffffffffffffffffffffffffffff");
  EXPECT_EQ(after->created_at_ms, 1700000000000);
  EXPECT_EQ(after->updated_at_ms, 1700000009000);
}

TYPED_TEST(ServerDataTest, RefusesBadOrDuplicateUsersAndChangesNothing) {
  ASSERT_TRUE(this->store_->AddUser(TestUser("sokha")));
  auto expect = [&](Status status, const std::string& code) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, code) << status.error().message;
  };
  expect(this->store_->AddUser(TestUser("sokha", Role::kAdmin)), "ST003");
  expect(this->store_->AddUser(TestUser("")), "ST001");
  expect(this->store_->AddUser(TestUser("a:b")), "ST001");
  expect(this->store_->AddUser(TestUser("l\xc3\xa2n")), "ST001");
  expect(this->store_->AddUser(TestUser(std::string(65, 'x'))), "ST001");
  User no_hash = TestUser("dara");
  no_hash.password_hash.clear();
  expect(this->store_->AddUser(no_hash), "ST001");
  User bad_ha1 = TestUser("dara");
  bad_ha1.digest_ha1 = "0123456789ABCDEF0123456789ABCDEF";
  expect(this->store_->AddUser(bad_ha1), "ST001");
  User empty_form = TestUser("dara", Role::kInterviewer, {""});
  expect(this->store_->AddUser(empty_form), "ST001");
  expect(this->store_->UpdateUser(TestUser("nobody")), "ST002");
  auto nobody = this->store_->GetUser("nobody");
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, "ST002");
  auto users = this->store_->ListUsers();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].role, Role::kInterviewer);
}

TYPED_TEST(ServerDataTest, PublishesOnceAndTheSameFileAgainIsANoOp) {
  auto first = this->store_->PublishForm(
      TestForm(), TestPublished("<h:html>v1</h:html>", {{"b.png", "BBB", ""}, {"a.jpg", "A", ""}}));
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(*first, PublishOutcome::kPublished);
  // The workbook is stored as PutForm stores it.
  auto workbook = this->store_->GetForm("ngo_staff", "1");
  ASSERT_TRUE(workbook);
  EXPECT_EQ(workbook->xlsx, TestForm().xlsx);

  auto published = this->store_->GetPublishedForm("ngo_staff");
  ASSERT_TRUE(published) << published.error().ToString();
  EXPECT_EQ(published->xform, "<h:html>v1</h:html>");
  EXPECT_EQ(published->title, "NGO staff survey");
  // As `printf '<h:html>v1</h:html>' | md5sum` prints it.
  EXPECT_EQ(published->xform_md5, "62f417a8abf7641e6e172bb9dbd121db");
  ASSERT_EQ(published->media.size(), 2u);
  EXPECT_EQ(published->media[0].name, "a.jpg");
  // MD5("A"), as `printf A | md5sum` prints it.
  EXPECT_EQ(published->media[0].md5, "7fc56270e7a70fa81a5935b72eacbe29");
  EXPECT_EQ(published->media[1].bytes, "BBB");

  this->clock_.Set(1700000005000);
  auto again = this->store_->PublishForm(
      TestForm(), TestPublished("<h:html>v1</h:html>", {{"a.jpg", "A", ""}, {"b.png", "BBB", ""}}));
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(*again, PublishOutcome::kUnchanged);
  EXPECT_EQ(this->store_->GetPublishedForm("ngo_staff")->published_at_ms, 1700000000000);

  // Another XForm, other media, or another workbook under the same version: ST003.
  for (auto attempt :
       {this->store_->PublishForm(TestForm(), TestPublished("<h:html>v2</h:html>")),
        this->store_->PublishForm(TestForm(),
                                  TestPublished("<h:html>v1</h:html>", {{"a.jpg", "A", ""}})),
        this->store_->PublishForm(TestForm("ngo_staff", "1", "PK other bytes"), TestPublished())}) {
    ASSERT_FALSE(attempt);
    EXPECT_EQ(attempt.error().code, "ST003") << attempt.error().message;
  }
  EXPECT_EQ(this->store_->GetPublishedForm("ngo_staff")->xform, "<h:html>v1</h:html>");
}

TYPED_TEST(ServerDataTest, LatestVersionIsServedAndListed) {
  ASSERT_TRUE(this->store_->PublishForm(TestForm(), TestPublished()));
  PublishedForm v2 = TestPublished("<h:html>v2</h:html>", {{"logo.png", "PNG", ""}});
  v2.version = "2";
  ASSERT_TRUE(this->store_->PublishForm(TestForm("ngo_staff", "2", "PK v2"), v2));
  PublishedForm other = TestPublished("<h:html>other</h:html>");
  other.form_id = "another";
  ASSERT_TRUE(this->store_->PublishForm(TestForm("another", "1"), other));

  EXPECT_EQ(this->store_->GetPublishedForm("ngo_staff")->version, "2");
  EXPECT_EQ(this->store_->GetPublishedForm("ngo_staff", "1")->xform, "<h:html>v1</h:html>");
  auto missing = this->store_->GetPublishedForm("ngo_staff", "9");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "ST002");
  auto list = this->store_->ListPublishedForms();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].form_id, "another");
  EXPECT_EQ((*list)[1].version, "2");
  EXPECT_TRUE((*list)[1].xform.empty());
  ASSERT_EQ((*list)[1].media.size(), 1u);
  EXPECT_TRUE((*list)[1].media[0].bytes.empty());
  EXPECT_EQ((*list)[1].media[0].md5.size(), 32u);
}

TYPED_TEST(ServerDataTest, RefusesMalformedPublicationsAndStoresNothing) {
  auto expect_refused = [&](const PublishedForm& published) {
    auto result = this->store_->PublishForm(TestForm(), published);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "ST001") << result.error().message;
    auto forms = this->store_->ListForms();
    ASSERT_TRUE(forms);
    EXPECT_TRUE(forms->empty());
  };
  for (const char* name : {"../x.png", "a/b.png", "..", "", "a\\b", "tab\tname"}) {
    expect_refused(TestPublished("<x/>", {{name, "x", ""}}));
  }
  expect_refused(TestPublished("<x/>", {{"a.png", "1", ""}, {"a.png", "2", ""}}));
  expect_refused(TestPublished(""));
  PublishedForm wrong_version = TestPublished();
  wrong_version.version = "2";
  expect_refused(wrong_version);
}

TYPED_TEST(ServerDataTest, AccessLogIsAppendedInOrder) {
  auto first =
      this->store_->RecordAccess({0, 0, "lan", "list_submissions", "ngo_staff", "", "page 1"});
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->at_ms, 1700000000000);
  this->clock_.Set(1700000001000);
  ASSERT_TRUE(this->store_->RecordAccess(
      {0, 0, "sokha", "read_attachment", "ngo_staff", Uuid(1), "a.jpg"}));
  auto bad = this->store_->RecordAccess({0, 0, "", "read", "", "", ""});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "ST001");
  auto all = this->store_->ReadAccessLog();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], *first);
  EXPECT_EQ((*all)[1].seq, 2);
  EXPECT_EQ((*all)[1].detail, "a.jpg");
  auto sokha = this->store_->ReadAccessLog("sokha");
  ASSERT_TRUE(sokha);
  ASSERT_EQ(sokha->size(), 1u);
  EXPECT_EQ((*sokha)[0].instance_id, Uuid(1));
}

TYPED_TEST(ServerDataTest, SessionsAreKeptFoundEndedAndExpiredOnesDropped) {
  ASSERT_TRUE(this->store_->AddUser(TestUser("sokha")));
  const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  ASSERT_TRUE(this->store_->CreateSession({a, "sokha", 0, 1700000060000}));
  auto found = this->store_->GetSession(a);
  ASSERT_TRUE(found) << found.error().ToString();
  EXPECT_EQ(*found, (Session{a, "sokha", 1700000000000, 1700000060000}));
  auto expect = [&](Status status, const std::string& code) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, code) << status.error().message;
  };
  expect(this->store_->CreateSession({a, "sokha", 0, 1700000090000}), "ST003");
  expect(this->store_->CreateSession({b, "nobody", 0, 1700000090000}), "ST002");
  expect(this->store_->CreateSession({"ABC", "sokha", 0, 1700000090000}), "ST001");
  expect(this->store_->CreateSession({std::string(64, 'A'), "sokha", 0, 1700000090000}), "ST001");
  expect(this->store_->CreateSession({b, "sokha", 0, 1700000000000}), "ST001");  // not after now
  // Once `a` has expired, the next login drops it; a live one stays.
  this->clock_.Set(1700000070000);
  ASSERT_TRUE(this->store_->CreateSession({b, "sokha", 0, 1700000100000}));
  EXPECT_EQ(this->store_->GetSession(a).error().code, "ST002");
  ASSERT_TRUE(this->store_->CreateSession({c, "sokha", 0, 1700000100000}));
  EXPECT_TRUE(this->store_->GetSession(b));
  ASSERT_TRUE(this->store_->DeleteSession(b));
  EXPECT_EQ(this->store_->GetSession(b).error().code, "ST002");
  EXPECT_TRUE(this->store_->DeleteSession(b)) << "ending an ended session is not an error";
  EXPECT_EQ(this->store_->GetSession(c)->user, "sokha");
}

TYPED_TEST(ServerDataTest, SubmittedByIsKeptFilteredAndPagesFollowListOrder) {
  ASSERT_TRUE(this->store_->PutForm(TestForm()));
  for (int i = 1; i <= 5; ++i) {
    Submission s = TestDraft(Uuid(i), i <= 2 ? 1000 : 2000);  // two share a start time...
    s.submitted_by = i % 2 ? "sokha" : "dara";
    ASSERT_TRUE(this->store_->CreateSubmission(s));
  }
  EXPECT_EQ(this->store_->GetSubmission(Uuid(2))->submitted_by, "dara");
  SubmissionFilter mine;
  mine.submitted_by = "sokha";
  auto sokha = this->store_->ListSubmissions(mine);
  ASSERT_TRUE(sokha);
  ASSERT_EQ(sokha->size(), 3u);
  EXPECT_EQ((*sokha)[1].instance_id, Uuid(3));

  // Pages of two, each after the previous page's last (started_at_ms, instance_id).
  std::vector<std::string> seen;
  SubmissionFilter page;
  page.limit = 2;
  for (int pages = 0; pages < 10; ++pages) {
    auto got = this->store_->ListSubmissions(page);
    ASSERT_TRUE(got);
    if (got->empty()) break;
    EXPECT_LE(got->size(), 2u);
    for (const Submission& s : *got) seen.push_back(s.instance_id);
    page.after = SubmissionFilter::Position{got->back().started_at_ms, got->back().instance_id};
  }
  EXPECT_EQ(seen, (std::vector<std::string>{Uuid(1), Uuid(2), Uuid(3), Uuid(4), Uuid(5)}));

  Submission bad = TestDraft(Uuid(9));
  bad.submitted_by = "not a name";
  auto refused = this->store_->CreateSubmission(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "ST001");
}

TEST(Authorize, RolesAsIssue15Writes) {
  auto allowed = [](const User& u, Action a, const std::string& form,
                    std::optional<std::string> by = std::nullopt) {
    return static_cast<bool>(Authorize(u, a, form, by));
  };
  User interviewer = TestUser("sokha", Role::kInterviewer, {"ngo_staff"});
  EXPECT_TRUE(allowed(interviewer, Action::kDownloadForm, "ngo_staff"));
  EXPECT_TRUE(allowed(interviewer, Action::kSubmit, "ngo_staff"));
  EXPECT_FALSE(allowed(interviewer, Action::kSubmit, "other_form"));
  EXPECT_TRUE(allowed(interviewer, Action::kReadSubmission, "ngo_staff", "sokha"));
  EXPECT_FALSE(allowed(interviewer, Action::kReadSubmission, "ngo_staff", "dara"));
  EXPECT_FALSE(allowed(interviewer, Action::kReadSubmission, "ngo_staff", ""));
  EXPECT_FALSE(allowed(interviewer, Action::kReadFieldworkLog, ""));
  EXPECT_FALSE(allowed(interviewer, Action::kManageUsers, ""));
  EXPECT_EQ(ReadableSubmitter(interviewer), std::optional<std::string>("sokha"));

  User supervisor = TestUser("lan", Role::kSupervisor, {"ngo_staff"});
  EXPECT_TRUE(allowed(supervisor, Action::kReadSubmission, "ngo_staff", "dara"));
  EXPECT_TRUE(allowed(supervisor, Action::kReadSensitive, "ngo_staff"));
  EXPECT_TRUE(allowed(supervisor, Action::kReadFieldworkLog, ""));
  EXPECT_FALSE(allowed(supervisor, Action::kReadSubmission, "other_form", "dara"));
  EXPECT_FALSE(allowed(supervisor, Action::kManageForms, ""));
  EXPECT_EQ(ReadableSubmitter(supervisor), std::nullopt);

  User analyst = TestUser("vy", Role::kAnalyst);
  EXPECT_TRUE(allowed(analyst, Action::kReadSubmission, "any_form", "dara"));
  EXPECT_FALSE(allowed(analyst, Action::kReadSensitive, "any_form"));
  EXPECT_FALSE(allowed(analyst, Action::kSubmit, "any_form"));
  EXPECT_FALSE(allowed(analyst, Action::kDownloadForm, "any_form"));

  User admin = TestUser("root", Role::kAdmin, {"ngo_staff"});
  for (Action a : {Action::kManageUsers, Action::kManageForms, Action::kReadSensitive,
                   Action::kSubmit, Action::kReadFieldworkLog}) {
    EXPECT_TRUE(allowed(admin, a, "other_form"));
  }
  admin.disabled = true;
  auto refused = Authorize(admin, Action::kDownloadForm, "ngo_staff");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "ST010");
  EXPECT_NE(refused.error().message.find("disabled"), std::string::npos);
}

TEST(Roles, NamesRoundTripAndUnknownIsRefused) {
  for (Role r : {Role::kAdmin, Role::kSupervisor, Role::kInterviewer, Role::kAnalyst}) {
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(ParseRole("root").error().code, "ST001");
}

}  // namespace
}  // namespace ngosurvey::store
