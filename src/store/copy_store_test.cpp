// CopyStore (ngosurvey store migrate): a SQLite store holding every kind of row is
// copied into an empty store of each back end; the copy must hold exactly the
// original's rows (compared both ways: whole contents, and through every reading
// method), keep verifying its audit chain, go on working, and refuse a second copy.
#include <gtest/gtest.h>

#include <string>

#include "store/back_ends_test_util.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace ngosurvey::store {
namespace {

using form::Answer;
using testing::BackEndNames;
using testing::BackEnds;
using testing::TempDir;
using testing::TestDraft;
using testing::TestForm;
using testing::Uuid;

// A SQLite store with two form versions (one workbook with NUL bytes), drafts in two
// languages, complete and amended submissions, a pretest, a reconciliation, a
// sample frame with an extra column, contacts, codings with segments and
// attachments (the same bytes under two names). SYNTHETIC.
void FillSource(Store& db, FixedClock& clock) {
  ASSERT_TRUE(db.PutForm(TestForm()));
  clock.Set(1700000001000);
  ASSERT_TRUE(db.PutForm(TestForm("ngo_staff", "2", std::string("PK\0\x01v2", 6))));
  Submission draft = TestDraft(Uuid(1), 1100);
  draft.language = "km";
  draft.answers["age"] = Answer::Answered("41");
  draft.answers["programs[1]/name"] = Answer::Answered("ផ្ទះសុវត្ថិភាព");
  draft.answers["salary"] = Answer::Refused();
  ASSERT_TRUE(db.CreateSubmission(draft));
  Submission pretest = TestDraft(Uuid(2), 1200, "ngo_staff", "2");
  pretest.wave = Wave::kPretest;
  pretest.answers["age"] = Answer::DontKnow();
  ASSERT_TRUE(db.CreateSubmission(pretest));
  ASSERT_TRUE(db.CompleteSubmission(Uuid(2), 2200));
  Submission received = TestDraft(Uuid(3), 1300);
  received.status = SubmissionStatus::kComplete;
  received.ended_at_ms = 2300;
  received.started_offset_minutes = 420;  // as written: "...+07:00"
  received.ended_offset_minutes = -330;
  received.answers["age"] = Answer::Answered("29");
  received.metadata = {
      {"_id", "271"}, {"_submission_time", "2024-01-02T03:04:05"}, {"programs[1]/_index", "1"}};
  received.answers["difficulties"] = Answer::Answered("no funding and no staff");
  received.answers["comments"] = Answer::NotAsked("kept aside");
  ASSERT_TRUE(db.CreateSubmission(received));
  clock.Set(1700000002000);
  ASSERT_TRUE(db.Amend({Uuid(3), "lina", "typo", {{"age", Answer::Answered("30")}}}));
  ASSERT_TRUE(db.Amend({Uuid(3), "lina", "withdrawn", {{"comments", std::nullopt}}}));
  // An ODK edit's instanceID, kept as the submission's (schema 12).
  ASSERT_TRUE(db.Amend({Uuid(3), "odk import", "ODK edit", {}, Uuid(33)}));

  FrameImport frame;
  frame.source = "frame.csv";
  frame.stratum_column = "country";
  frame.has_address_column = true;
  frame.extra_columns = {"city", "size"};
  for (const char* id : {"KH01", "KH02", "VN01"}) {
    FrameEntry e;
    e.org_id = id;
    e.name = std::string("Org ") + id;
    e.stratum = std::string(id).substr(0, 2);
    e.address = "1 Main St";
    e.extra = {{"city", "Phnom Penh"}, {"size", "12"}};
    frame.entries.push_back(e);
  }
  ASSERT_TRUE(db.ImportFrame(frame));
  ContactRecord contact;
  contact.org_id = "KH01";
  contact.date = "2025-11-03";
  contact.mode = "phone";
  contact.outcome = "appointment";
  contact.disposition = "3.11";
  contact.appointment = "2025-11-10";
  contact.by = "sokha";
  ASSERT_TRUE(db.AddContact(contact));
  contact.org_id = "VN01";
  contact.appointment.reset();
  contact.note = "no answer";
  ASSERT_TRUE(db.AddContact(contact));

  AnswerCoding a{Uuid(3), "difficulties", "dara", {{"FUND", 0, 10}, {"STAFF", 15, 23}}, 0};
  AnswerCoding b{Uuid(3), "difficulties", "mey", {{"FUND", std::nullopt, std::nullopt}}, 0};
  AnswerCoding c{Uuid(1), "other", "dara", {{"", std::nullopt, std::nullopt}}, 0};
  ASSERT_TRUE(db.PutCodings({a, b, c}));
  clock.Set(1700000003000);
  ASSERT_TRUE(db.Reconcile({Uuid(3), "difficulties", {{"FUND", 0, 10}}, "lina", "agreed"}));
  std::string photo("\xff\xd8\xff\xe0 not really a JPEG \0 with a NUL", 36);
  ASSERT_TRUE(db.PutAttachments({{Uuid(3), "1710.jpg", "image/jpeg", photo},
                                 {Uuid(3), "audit.csv", "text/csv", "event,start\n"},
                                 {Uuid(1), "same-bytes.jpg", "image/jpeg", photo}}));

  // The collection server's data: two accounts (one limited to two forms, one
  // disabled), two published versions (media with a NUL byte), a submission sent by
  // an account, and two reads in the access log.
  User sokha;
  sokha.name = "sokha";
  sokha.all_forms = false;
  sokha.forms = {"ngo_staff", "other"};
  sokha.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  sokha.digest_realm = "ngosurvey";
  sokha.digest_ha1 = "0123456789abcdef0123456789abcdef";
  ASSERT_TRUE(db.AddUser(sokha));
  User lan = sokha;
  lan.name = "lan";
  lan.role = Role::kSupervisor;
  lan.all_forms = true;
  lan.forms.clear();
  lan.disabled = true;
  ASSERT_TRUE(db.AddUser(lan));
  PublishedForm v1{"ngo_staff", "1", "", "<h:html>v1</h:html>", "", {}, 0};
  v1.media.push_back({"logo.png", std::string("PNG\0bytes", 9), ""});
  ASSERT_TRUE(db.PublishForm(TestForm(), v1));
  clock.Set(1700000004000);
  PublishedForm v2{"ngo_staff", "2", "", "<h:html>v2</h:html>", "", {}, 0};
  ASSERT_TRUE(db.PublishForm(TestForm("ngo_staff", "2", std::string("PK\0\x01v2", 6)), v2));
  Submission sent = TestDraft(Uuid(4), 1400);
  sent.submitted_by = "sokha";
  ASSERT_TRUE(db.CreateSubmission(sent));
  ASSERT_TRUE(db.RecordAccess({0, 0, "lan", "list_submissions", "ngo_staff", "", "page 1"}));
  ASSERT_TRUE(db.RecordAccess({0, 0, "sokha", "read_attachment", "ngo_staff", Uuid(3), "a.jpg"}));
}

template <typename BackEnd>
class CopyStoreTest : public ::testing::Test {};
TYPED_TEST_SUITE(CopyStoreTest, BackEnds, BackEndNames);

TYPED_TEST(CopyStoreTest, CopyHoldsEveryRowAndNothingElse) {
  TempDir dir;
  FixedClock clock(1700000000000);
  OpenOptions options;
  options.clock = &clock;
  auto source = OpenStore(dir.File("source.db"), options);
  ASSERT_TRUE(source) << source.error().ToString();
  FillSource(**source, clock);
  if (this->HasFatalFailure()) return;
  auto target = OpenStore(TypeParam::Location(dir), options);
  ASSERT_TRUE(target) << target.error().ToString();

  clock.Set(1800000000000);  // nothing of the copy may take the time of copying
  auto copied = CopyStore(**source, **target);
  ASSERT_TRUE(copied) << copied.error().ToString();
  EXPECT_EQ(copied->forms, 2u);
  EXPECT_EQ(copied->submissions, 4u);
  EXPECT_EQ(copied->audit_entries, 5u);  // 2 completions, 2 amendments, 1 reconciliation
  EXPECT_EQ(copied->frame_entries, 3u);
  EXPECT_EQ(copied->contacts, 2u);
  EXPECT_EQ(copied->codings, 4u);
  EXPECT_EQ(copied->attachments, 3u);
  EXPECT_EQ(copied->users, 2u);
  EXPECT_EQ(copied->published_forms, 2u);
  EXPECT_EQ(copied->access_entries, 2u);

  // Both ways: the whole contents are equal (every row of each is in the other).
  auto from = (*source)->ReadContents();
  auto to = (*target)->ReadContents();
  ASSERT_TRUE(from && to);
  EXPECT_EQ(from->forms, to->forms);
  EXPECT_EQ(from->submissions, to->submissions);
  EXPECT_EQ(from->audit, to->audit);
  EXPECT_EQ(from->frame, to->frame);
  EXPECT_EQ(from->contacts, to->contacts);
  EXPECT_EQ(from->codings, to->codings);
  EXPECT_EQ(from->attachments, to->attachments);
  EXPECT_EQ(from->users, to->users);
  EXPECT_EQ(from->published, to->published);
  EXPECT_EQ(from->access_log, to->access_log);
  EXPECT_EQ(from->aliases.size(), 1u);
  EXPECT_EQ(from->aliases, to->aliases);
  EXPECT_TRUE(*from == *to);
  EXPECT_EQ(to->forms[1].xlsx, std::string("PK\0\x01v2", 6));

  // And through the reading methods every command uses.
  Store& s = **source;
  Store& t = **target;
  SubmissionFilter all;
  EXPECT_EQ(*s.ListSubmissions(all), *t.ListSubmissions(all));
  EXPECT_EQ(*s.ReadAudit(), *t.ReadAudit());
  EXPECT_EQ(t.GetSubmission(Uuid(1))->language, "km");
  EXPECT_EQ(t.GetSubmission(Uuid(1))->status, SubmissionStatus::kDraft);
  EXPECT_EQ(t.ListForms()->size(), 2u);
  EXPECT_EQ(*s.ReadFrame(), *t.ReadFrame());
  EXPECT_EQ(*s.ListContacts(), *t.ListContacts());
  EXPECT_EQ(*s.ListCodings("difficulties"), *t.ListCodings("difficulties"));
  EXPECT_EQ(*s.ListAttachments(Uuid(3)), *t.ListAttachments(Uuid(3)));
  EXPECT_EQ(*s.GetAttachment(Uuid(1), "same-bytes.jpg"),
            *t.GetAttachment(Uuid(1), "same-bytes.jpg"));
  EXPECT_EQ(*s.ListUsers(), *t.ListUsers());
  EXPECT_EQ(t.GetUser("sokha")->forms, (std::vector<std::string>{"ngo_staff", "other"}));
  EXPECT_TRUE(t.GetUser("lan")->disabled);
  EXPECT_EQ(*s.ListPublishedForms(), *t.ListPublishedForms());
  EXPECT_EQ(t.GetPublishedForm("ngo_staff")->version, "2") << "the latest stays the latest";
  EXPECT_EQ(*s.GetPublishedForm("ngo_staff", "1"), *t.GetPublishedForm("ngo_staff", "1"));
  EXPECT_EQ(t.GetPublishedForm("ngo_staff", "1")->media[0].bytes, std::string("PNG\0bytes", 9));
  EXPECT_EQ(*s.ReadAccessLog(), *t.ReadAccessLog());
  EXPECT_EQ(t.GetSubmission(Uuid(4))->submitted_by, "sokha");
  SubmissionFilter sent;
  sent.submitted_by = "sokha";
  EXPECT_EQ(t.ListSubmissions(sent)->size(), 1u);
  auto verified = t.VerifyAudit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << verified->problem;
  EXPECT_EQ(verified->entries_checked, 5);

  // A second copy into the now non-empty target is refused and changes nothing.
  auto again = CopyStore(s, t);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "ST003") << again.error().ToString();
  EXPECT_NE(again.error().message.find("4 submissions"), std::string::npos)
      << again.error().message;
  EXPECT_TRUE(*t.ReadContents() == *to);

  // The copy goes on: its chain extends from the copied head, drafts still save.
  ASSERT_TRUE(t.Amend({Uuid(2), "lina", "callback", {{"age", Answer::Answered("52")}}}));
  ASSERT_TRUE(t.SaveDraft(Uuid(1), {{"age", Answer::Answered("42")}}));
  ASSERT_TRUE(t.CompleteSubmission(Uuid(1), 9000));
  auto after = t.VerifyAudit();
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->ok()) << after->problem;
  EXPECT_EQ(after->entries_checked, 7);
  ContactRecord next = (*t.ListContacts("KH01"))[0];
  next.date = "2025-11-10";
  auto added = t.AddContact(next);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->seq, 3) << "contact numbers continue after the copied ones";
  auto read = t.RecordAccess({0, 0, "lan", "list_submissions", "ngo_staff", "", "page 2"});
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->seq, 3) << "access log numbers continue after the copied ones";
  PublishedForm v3{"ngo_staff", "3", "", "<h:html>v3</h:html>", "", {}, 0};
  ASSERT_TRUE(t.PublishForm(TestForm("ngo_staff", "3", "PK v3"), v3));
  EXPECT_EQ(t.GetPublishedForm("ngo_staff")->version, "3");
  User dara = *t.GetUser("sokha");
  dara.name = "dara";
  EXPECT_TRUE(t.AddUser(dara));
  EXPECT_EQ(t.AddUser(dara).error().code, "ST003");
}

}  // namespace
}  // namespace ngosurvey::store
