// The contract of fieldwork_log.h (sample frame and contact log), run against every
// back end: the in-memory store must behave exactly like the SQLite one.
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

FrameEntry Entry(const std::string& id, const std::string& name, const std::string& country,
                 const std::string& city = "") {
  FrameEntry e;
  e.org_id = id;
  e.name = name;
  e.stratum = country;
  e.address = "1 Main St";
  e.contact_person = "Ms Dara";
  if (!city.empty()) e.extra = {{"city", city}};
  return e;
}

FrameImport ThreeOrgs() {
  FrameImport import;
  import.source = "frame.csv";
  import.stratum_column = "country";
  import.has_address_column = true;
  import.has_contact_person_column = true;
  import.has_disposition_column = true;
  import.extra_columns = {"city"};
  import.entries = {Entry("KH01", "Center A", "KH", "Phnom Penh"),
                    Entry("KH02", "Center B", "KH", "Battambang"),
                    Entry("VN01", "Org C", "VN", "Ha Noi")};
  import.entries[2].disposition = "4.10";
  return import;
}

ContactRecord Contact(const std::string& org, const std::string& date,
                      const std::string& outcome = "no-reply", const std::string& code = "3.11") {
  ContactRecord c;
  c.org_id = org;
  c.date = date;
  c.mode = "visit";
  c.outcome = outcome;
  c.disposition = code;
  c.note = "met the guard";
  c.by = "sokha";
  return c;
}

template <typename BackEnd>
class FieldworkLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.clock = &clock_;
    auto opened = OpenStore(BackEnd::Location(dir_), options_);
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
  }
  StoredFrame Frame() {
    auto frame = store_->ReadFrame();
    EXPECT_TRUE(frame) << frame.error().ToString();
    return frame ? *frame : StoredFrame{};
  }

  TempDir dir_;
  FixedClock clock_{1700000000000};
  OpenOptions options_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(FieldworkLogTest, BackEnds, BackEndNames);

TYPED_TEST(FieldworkLogTest, EmptyStoreHasNoFrameAndNoContacts) {
  StoredFrame frame = this->Frame();
  EXPECT_EQ(frame.stratum_column, "");
  EXPECT_TRUE(frame.entries.empty());
  auto contacts = this->store_->ListContacts();
  ASSERT_TRUE(contacts);
  EXPECT_TRUE(contacts->empty());
}

TYPED_TEST(FieldworkLogTest, FrameRoundTrips) {
  auto result = this->store_->ImportFrame(ThreeOrgs());
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->added, 3);
  EXPECT_EQ(result->unchanged, 0);
  EXPECT_TRUE(result->updated.empty());
  EXPECT_TRUE(result->kept.empty());

  StoredFrame frame = this->Frame();
  EXPECT_EQ(frame.stratum_column, "country");
  EXPECT_TRUE(frame.has_address_column);
  EXPECT_TRUE(frame.has_disposition_column);
  EXPECT_EQ(frame.extra_columns, std::vector<std::string>{"city"});
  ASSERT_EQ(frame.entries.size(), 3u);
  FrameEntry want = Entry("VN01", "Org C", "VN", "Ha Noi");
  want.disposition = "4.10";
  want.position = 3;
  want.updated_at_ms = 1700000000000;
  EXPECT_EQ(frame.entries[2], want);
  EXPECT_EQ(frame.entries[0].org_id, "KH01");
  EXPECT_EQ(frame.entries[1].position, 2);
}

TYPED_TEST(FieldworkLogTest, ReimportIsIdempotentAndChangedRowsAreUpdated) {
  ASSERT_TRUE(this->store_->ImportFrame(ThreeOrgs()));
  StoredFrame before = this->Frame();
  this->clock_.Set(1700000009000);
  auto again = this->store_->ImportFrame(ThreeOrgs());
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_TRUE(again->updated.empty());
  EXPECT_EQ(this->Frame().entries, before.entries) << "same rows: nothing changes";

  // A file with a changed row, a new row, one row missing, no address column and a
  // new extra column.
  FrameImport changed;
  changed.stratum_column = "country";
  changed.has_contact_person_column = true;
  changed.extra_columns = {"city", "phone"};
  changed.entries = {Entry("KH02", "Center B (new name)", "KH", "Battambang"),
                     Entry("VN01", "Org C", "VN", "Hue"), Entry("LA01", "Org D", "LA")};
  changed.entries[0].address = "ignored: the file has no address column";
  changed.entries[0].extra.emplace_back("phone", "+855 12");
  auto result = this->store_->ImportFrame(changed);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->added, 1);
  EXPECT_EQ(result->unchanged, 0);
  using Updated = std::vector<std::pair<std::string, std::vector<std::string>>>;
  EXPECT_EQ(result->updated, (Updated{{"KH02", {"name", "phone"}}, {"VN01", {"city"}}}));
  EXPECT_EQ(result->kept, std::vector<std::string>{"KH01"});

  StoredFrame frame = this->Frame();
  EXPECT_EQ(frame.extra_columns, (std::vector<std::string>{"city", "phone"}));
  ASSERT_EQ(frame.entries.size(), 4u);
  const FrameEntry& kh02 = frame.entries[1];
  EXPECT_EQ(kh02.name, "Center B (new name)");
  EXPECT_EQ(kh02.address, "1 Main St") << "a column the file lacks is kept";
  EXPECT_EQ(kh02.updated_at_ms, 1700000009000);
  EXPECT_EQ(kh02.extra, (std::vector<std::pair<std::string, std::string>>{{"city", "Battambang"},
                                                                          {"phone", "+855 12"}}));
  EXPECT_EQ(frame.entries[0].name, "Center A") << "KH01 kept as it was";
  EXPECT_EQ(frame.entries[0].updated_at_ms, 1700000000000);
  EXPECT_EQ(frame.entries[0].extra, (std::vector<std::pair<std::string, std::string>>{
                                        {"city", "Phnom Penh"}, {"phone", ""}}))
      << "every entry lists every column";
  EXPECT_EQ(frame.entries[2].disposition, "4.10") << "no disposition column: kept";
  EXPECT_EQ(frame.entries[3].org_id, "LA01");
  EXPECT_EQ(frame.entries[3].position, 4);
}

TYPED_TEST(FieldworkLogTest, ImportIsAllOrNothing) {
  FrameImport bad = ThreeOrgs();
  bad.entries.push_back(Entry("KH01", "Again", "KH"));
  auto result = this->store_->ImportFrame(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "ST001");
  EXPECT_TRUE(this->Frame().entries.empty());

  ASSERT_TRUE(this->store_->ImportFrame(ThreeOrgs()));
  FrameImport other = ThreeOrgs();
  other.stratum_column = "stratum";
  other.entries[0].name = "would change";
  auto mismatch = this->store_->ImportFrame(other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, "ST003");
  EXPECT_EQ(this->Frame().entries[0].name, "Center A");

  FrameImport standard = ThreeOrgs();
  standard.extra_columns = {"name"};
  EXPECT_EQ(this->store_->ImportFrame(standard).error().code, "ST001");
}

TYPED_TEST(FieldworkLogTest, ContactsAreCheckedAndKeptInOrder) {
  Store& store = *this->store_;
  ASSERT_TRUE(store.ImportFrame(ThreeOrgs()));
  this->clock_.Set(1700000001000);
  auto first = store.AddContact(Contact("KH01", "2026-03-02"));
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->recorded_at_ms, 1700000001000);

  ContactRecord appointment = Contact("KH01", "2026-03-02", "appointment", "2.25");
  appointment.appointment = "2026-03-05";
  appointment.mode = "phone";
  ASSERT_TRUE(store.AddContact(appointment)) << "same day as the previous contact is fine";
  ASSERT_TRUE(store.AddContact(Contact("KH02", "2026-02-20", "refusal", "2.11")));

  auto before_previous = store.AddContact(Contact("KH01", "2026-03-01"));
  ASSERT_FALSE(before_previous);
  EXPECT_EQ(before_previous.error().code, "ST008");
  EXPECT_EQ(before_previous.error().message,
            "contact date 2026-03-01 is before the latest contact with 'KH01' (2026-03-02)");
  EXPECT_EQ(store.AddContact(Contact("XX99", "2026-03-02")).error().code, "ST002");
  EXPECT_EQ(store.AddContact(Contact("KH01", "2026-02-30")).error().code, "ST001");
  ContactRecord bad_mode = Contact("KH01", "2026-03-09");
  bad_mode.mode = "fax";
  EXPECT_EQ(store.AddContact(bad_mode).error().code, "ST001");
  ContactRecord bad_appointment = Contact("KH01", "2026-03-09");
  bad_appointment.appointment = "soon";
  EXPECT_EQ(store.AddContact(bad_appointment).error().code, "ST001");

  auto all = store.ListContacts();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u) << "refused contacts left nothing behind";
  EXPECT_EQ((*all)[1].seq, 2);
  EXPECT_EQ((*all)[1].appointment, std::optional<std::string>("2026-03-05"));
  EXPECT_EQ((*all)[1].mode, "phone");
  EXPECT_EQ((*all)[2].org_id, "KH02");
  EXPECT_EQ((*all)[0].appointment, std::nullopt);
  EXPECT_EQ((*all)[0].note, "met the guard");
  EXPECT_EQ((*all)[0].by, "sokha");
  auto kh02 = store.ListContacts("KH02");
  ASSERT_TRUE(kh02);
  ASSERT_EQ(kh02->size(), 1u);
  EXPECT_EQ((*kh02)[0].outcome, "refusal");
  EXPECT_EQ((*kh02)[0].disposition, "2.11");
  EXPECT_EQ((*kh02)[0].seq, 3);
}

}  // namespace
}  // namespace ngosurvey::store
