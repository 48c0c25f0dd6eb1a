// Exports as KoboToolbox, ODK Central and Ona write them (issue 14), in and out.
// Each case is a small form and export written here, SYNTHETIC, in the layout of the
// public source named beside it (whose files are not copied: licences).
#include <gtest/gtest.h>
#include <readstat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "base/file.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/values_internal.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::exchange {
namespace {

using form::Answer;
using form::testing::MakeForm;
using form::testing::Rows;

const std::string kU1 = "uuid:11111111-1111-4111-8111-111111111111";
const std::string kU2 = "uuid:22222222-2222-4222-8222-222222222222";
const std::string kU3 = "uuid:33333333-3333-4333-8333-333333333333";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ngolayouts-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A form, its stored version and an empty store.
struct Case {
  form::Form form;
  store::FormVersion version;
  std::unique_ptr<store::Store> store = std::move(*store::OpenStore("memory:"));

  Case(const Rows& survey, const Rows& choices) {
    Diagnostics diags;
    auto made = MakeForm(survey, choices, {{"form_id", "version"}, {"layouts", "1"}}, &diags);
    EXPECT_TRUE(made) << made.error().ToString();
    EXPECT_FALSE(diags.has_errors()) << diags.items().front().error.ToString();
    form = *made;
    version = {form.settings.form_id, form.settings.version, form.title, "xlsx bytes", "", 0};
  }

  Result<ImportPlan> Plan(std::string_view main_csv,
                          const std::vector<std::pair<std::string, std::string>>& repeats = {}) {
    csv::Table main = NGO_TRY(csv::ParseTable(main_csv, "main.csv"));
    std::vector<RepeatTable> tables;
    for (const auto& [name, text] : repeats) {
      tables.push_back({name, NGO_TRY(csv::ParseTable(text, name + ".csv"))});
    }
    return PlanImport(form, version, main, tables, {}, *store);
  }
};

std::string FirstReason(const ImportPlan& plan) {
  return plan.rejected.empty() ? "" : plan.rejected[0].reasons[0].ToString();
}

// formpack's tests/fixtures/or_other (select_one and select_multiple with or_other),
// in a group and in a repeat.
const Rows kOtherSurvey = {
    {"type", "name", "label"},
    {"begin_group", "grp", "Group"},
    {"select_one emperors or_other", "fav", "Favourite emperor"},
    {"select_multiple emperors or_other", "favs", "Favourite emperors"},
    {"end_group", "", ""},
    {"begin_repeat", "visits", "Visits"},
    {"select_one emperors or_other", "seen", "Emperor seen"},
    {"end_repeat", "", ""},
};
const Rows kOtherChoices = {
    {"list_name", "name", "label"},
    {"emperors", "julius", "Julius Caesar"},
    {"emperors", "augustus", "Augustus"},
};

// Kobo's CSV export ("XML values and headers", groups in headers, "/" separator;
// formpack's test_select_or_other has the column order: the select, its 0/1
// columns with "/other", then "q_other"), with Kobo's metadata columns.
const std::string kKoboOtherMain =
    "grp/fav,grp/fav_other,grp/favs,grp/favs/julius,grp/favs/augustus,grp/favs/other,"
    "grp/favs_other,_id,_uuid,_submission_time,_validation_status,_notes,_status,_submitted_by,"
    "__version__,_tags,_index\n"
    "other,Nero ,julius other,1,0,1,\"Commodus\nand Nerva\",101,11111111-1111-4111-8111-"
    "111111111111,2024-03-01T10:00:00,,,submitted_via_web,ana,vABC,,1\n"
    "augustus,,julius,1,0,0,,102,22222222-2222-4222-8222-222222222222,2024-03-01T11:00:00,,,"
    "submitted_via_web,ana,vABC,,2\n";
const std::string kKoboOtherVisits =
    "seen,seen_other,_index,_parent_index,_parent_table_name,_submission__id,_submission__uuid\n"
    "other,Tiberius the younger,1,1,layouts,101,11111111-1111-4111-8111-111111111111\n"
    "julius,,2,1,layouts,101,11111111-1111-4111-8111-111111111111\n";

TEST(PlatformLayoutsTest, KoboOrOtherExportKeepsTheSpecifyTexts) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(kKoboOtherMain, {{"visits", kKoboOtherVisits}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "kobo");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  ASSERT_EQ(plan->batch.submissions.size(), 2u);
  const store::Answers& a = plan->batch.submissions[0].answers;
  EXPECT_EQ(a.at("grp/fav"), Answer::Answered("other"));
  EXPECT_EQ(a.at("grp/fav_other"), Answer::Answered("Nero ")) << "kept as typed, not trimmed";
  EXPECT_EQ(a.at("grp/favs"), Answer::Answered("julius other"));
  EXPECT_EQ(a.at("grp/favs_other"), Answer::Answered("Commodus\nand Nerva"));
  EXPECT_EQ(a.at("visits[1]/seen_other"), Answer::Answered("Tiberius the younger"));
  EXPECT_EQ(a.count("visits[2]/seen_other"), 0u);
  EXPECT_EQ(plan->batch.submissions[0].interviewer, "ana");
  EXPECT_EQ(plan->batch.submissions[1].answers.count("grp/fav_other"), 0u);
}

TEST(PlatformLayoutsTest, SpecifyTextWithoutOtherChosenIsKeptWithAWarning) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan("meta/instanceID,grp/fav,grp/fav_other\n" + kU1 + ",julius,stale text\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  EXPECT_EQ(plan->batch.submissions[0].answers.at("grp/fav_other"), Answer::Answered("stale text"));
  ASSERT_EQ(plan->warnings.items().size(), 1u);
  EXPECT_EQ(plan->warnings.items()[0].error.code, "IMP030");
  EXPECT_EQ(plan->warnings.items()[0].error.where.column, 3);
}

// ODK Central's CSV: groups joined by '-' in older exports (also "/"), the specify
// text as the generated field "q_other".
TEST(PlatformLayoutsTest, CentralOrOtherColumnsWithHyphens) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(
      "SubmissionDate,grp-fav,grp-fav_other,grp-favs,grp-favs_other,meta-instanceID,KEY,"
      "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,"
      "DeviceID,Edits,FormVersion\n"
      "2024-03-01T10:00:00.000Z,other,Nero,augustus other,Otho," +
      kU1 + "," + kU1 + ",5,ana,0,0,,approved,collect:abc,0,1\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "odk");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Answers& a = plan->batch.submissions[0].answers;
  EXPECT_EQ(a.at("grp/fav_other"), Answer::Answered("Nero"));
  EXPECT_EQ(a.at("grp/favs_other"), Answer::Answered("Otho"));
}

std::map<std::string, std::vector<std::string>> StringValues(const std::string& path, bool stata) {
  struct Read {
    std::vector<std::string> names;
    std::map<std::string, std::vector<std::string>> values;
  } read;
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_variable_handler(
      parser, [](int, readstat_variable_t* var, const char*, void* ctx) -> int {
        static_cast<Read*>(ctx)->names.push_back(readstat_variable_get_name(var));
        return READSTAT_HANDLER_OK;
      });
  readstat_set_value_handler(
      parser, [](int, readstat_variable_t* var, readstat_value_t value, void* ctx) -> int {
        auto* r = static_cast<Read*>(ctx);
        if (readstat_value_type(value) == READSTAT_TYPE_STRING) {
          const char* s = readstat_string_value(value);
          r->values[r->names[readstat_variable_get_index(var)]].push_back(s ? s : "");
        }
        return READSTAT_HANDLER_OK;
      });
  readstat_error_t error = stata ? readstat_parse_dta(parser, path.c_str(), &read)
                                 : readstat_parse_sav(parser, path.c_str(), &read);
  readstat_parser_free(parser);
  EXPECT_EQ(error, READSTAT_OK) << path;
  return read.values;
}

std::set<std::string> VariableNames(const std::string& path, bool stata) {
  std::set<std::string> names;
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_variable_handler(
      parser, [](int, readstat_variable_t* var, const char*, void* ctx) -> int {
        static_cast<std::set<std::string>*>(ctx)->insert(readstat_variable_get_name(var));
        return READSTAT_HANDLER_OK;
      });
  readstat_error_t error = stata ? readstat_parse_dta(parser, path.c_str(), &names)
                                 : readstat_parse_sav(parser, path.c_str(), &names);
  readstat_parser_free(parser);
  EXPECT_EQ(error, READSTAT_OK) << path;
  return names;
}

TEST(PlatformLayoutsTest, SpecifyTextsAreExportedAndOurCsvReimportsToTheSameStore) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(kKoboOtherMain, {{"visits", kKoboOtherVisits}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  TempDir dir;
  auto result = ExportSubmissions(c.form, plan->batch.submissions, {}, dir.File("out.csv"));
  ASSERT_TRUE(result) << result.error().ToString();
  auto main = csv::ReadTable(dir.File("out.csv"));
  auto visits = csv::ReadTable(dir.File("out-visits.csv"));
  ASSERT_TRUE(main && visits);
  // Kobo's order: the select, its 0/1 columns, then the specify text (after the six
  // metadata columns KEY, FormVersion, wave, org, interviewer, _validation_status).
  std::vector<std::string> questions(main->header.begin() + 6, main->header.end());
  EXPECT_EQ(questions,
            (std::vector<std::string>{"grp/fav", "grp/fav_other", "grp/favs", "grp/favs/julius",
                                      "grp/favs/augustus", "grp/favs/other", "grp/favs_other"}));
  auto column = [](const csv::Table& t, const std::string& name) {
    auto index = t.ColumnIndex(name);
    EXPECT_TRUE(index) << name << " in " << t.file;
    return index.value_or(0);
  };
  ASSERT_EQ(visits->rows.size(), 2u);
  EXPECT_EQ(column(*main, "grp/fav_other"), column(*main, "grp/fav") + 1);
  EXPECT_EQ(column(*main, "grp/favs_other"), column(*main, "grp/favs/other") + 1);
  EXPECT_EQ(main->rows[0][column(*main, "grp/fav_other")], "Nero ");
  EXPECT_EQ(main->rows[0][column(*main, "grp/favs_other")], "Commodus\nand Nerva");
  EXPECT_EQ(main->rows[0][column(*main, "grp/favs/other")], "1");
  EXPECT_EQ(main->rows[1][column(*main, "grp/fav_other")], "");
  EXPECT_EQ(visits->rows[0][column(*visits, "visits/seen_other")], "Tiberius the younger");

  // ngosurvey's own CSV imports into a fresh store with identical answers.
  Case again(kOtherSurvey, kOtherChoices);
  auto reimport =
      PlanImport(again.form, again.version, *main, {{"visits", *visits}}, {}, *again.store);
  ASSERT_TRUE(reimport) << reimport.error().ToString();
  ASSERT_TRUE(reimport->rejected.empty()) << FirstReason(*reimport);
  ASSERT_EQ(reimport->batch.submissions.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(reimport->batch.submissions[i].answers, plan->batch.submissions[i].answers) << i;
  }

  // Stata and SPSS: a string variable with its label; the codebook lists it.
  for (bool stata : {true, false}) {
    ExportOptions options;
    options.format = stata ? ExportFormat::kDta : ExportFormat::kSav;
    std::string out = dir.File(stata ? "out.dta" : "out.sav");
    auto written = ExportSubmissions(c.form, plan->batch.submissions, options, out);
    ASSERT_TRUE(written) << written.error().ToString();
    auto values = StringValues(out, stata);
    ASSERT_EQ(values["fav_other"].size(), 2u) << stata;
    // ReadStat's reader strips trailing spaces (SPSS pads strings with them).
    EXPECT_EQ(values["fav_other"][0], "Nero");
    ASSERT_EQ(values["favs_other"].size(), 2u) << stata;
    EXPECT_EQ(values["favs_other"][0], "Commodus\nand Nerva");
    // The 0/1 column of option "other" yields the name to the text.
    EXPECT_EQ(VariableNames(out, stata).count("favs_other_2"), 1u);
    auto repeat = StringValues(dir.File(stata ? "out-visits.dta" : "out-visits.sav"), stata);
    ASSERT_EQ(repeat["seen_other"].size(), 2u) << stata;
    EXPECT_EQ(repeat["seen_other"][0], "Tiberius the younger");
    std::string codebook = *ReadFile(dir.File("out-codebook.md"));
    EXPECT_NE(codebook.find("grp/favs_other"), std::string::npos);
    EXPECT_NE(codebook.find("Favourite emperors: other, specify"), std::string::npos);
    EXPECT_NE(codebook.find("favs includes 'other'"), std::string::npos);
  }
}

TEST(PlatformLayoutsTest, BareHeadersAreNamesMadeUnique) {
  Case c(
      {
          {"type", "name", "label"},
          {"begin_group", "a", "A"},
          {"text", "name", "Name"},
          {"end_group", "", ""},
          {"begin_group", "b", "B"},
          {"text", "name", "Name"},
          {"select_multiple emperors or_other", "favs", "Favourites"},
          {"end_group", "", ""},
      },
      kOtherChoices);
  auto plan =
      c.Plan("meta/instanceID,a/name,b/name,b/favs,b/favs_other\n" + kU1 + ",x,y,other,Otho\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  TempDir dir;
  ExportOptions options;
  options.headers = HeaderStyle::kBare;
  auto result = ExportSubmissions(c.form, plan->batch.submissions, options, dir.File("o.csv"));
  ASSERT_TRUE(result) << result.error().ToString();
  auto main = csv::ReadTable(dir.File("o.csv"));
  ASSERT_TRUE(main);
  std::vector<std::string> questions(main->header.begin() + 6, main->header.end());
  EXPECT_EQ(questions, (std::vector<std::string>{"name", "name_2", "favs", "favs/julius",
                                                 "favs/augustus", "favs/other", "favs_other"}));
  EXPECT_EQ(main->rows[0][7], "y");
  EXPECT_FALSE(ParseHeaderStyle("groups"));
  EXPECT_EQ(ParseHeaderStyle("groups").error().code, "EXP005");
}

// A supervisor's review goes out as KoboToolbox's _validation_status (its uid), after
// the interviewer; a submission nobody reviewed has it empty.
TEST(PlatformLayoutsTest, ReviewStatusIsKobosValidationStatusColumn) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(kKoboOtherMain, {{"visits", kKoboOtherVisits}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_EQ(plan->batch.submissions.size(), 2u);
  TempDir dir;
  ExportOptions options;
  options.validation_status[plan->batch.submissions[0].instance_id] =
      "validation_status_not_approved";
  auto result = ExportSubmissions(c.form, plan->batch.submissions, options, dir.File("o.csv"));
  ASSERT_TRUE(result) << result.error().ToString();
  auto main = csv::ReadTable(dir.File("o.csv"));
  ASSERT_TRUE(main);
  ASSERT_EQ(main->header[5], "_validation_status");
  EXPECT_EQ(main->header[4], "interviewer");
  std::map<std::string, std::string> got;
  for (const auto& row : main->rows) got[row[0]] = row[5];
  EXPECT_EQ(got, (std::map<std::string, std::string>{
                     {plan->batch.submissions[0].instance_id, "validation_status_not_approved"},
                     {plan->batch.submissions[1].instance_id, ""}}));
}

// Kobo writes a geopoint as its column and "_NAME_latitude"... beside it (in a group:
// "grp/_NAME_latitude"; formpack's restaurant_profile test), media as the file name
// and "NAME_URL" (formpack's test_media_types_include_media_url, also "audit_URL").
// Central writes a geopoint only in parts: "NAME-Latitude", "-Longitude", "-Altitude",
// "-Accuracy".
const Rows kGeoSurvey = {
    {"type", "name", "label"},       {"audit", "audit", ""},
    {"begin_group", "geo", "Where"}, {"geopoint", "geolocation", "Location"},
    {"image", "photo", "Photo"},     {"end_group", "", ""},
};

TEST(PlatformLayoutsTest, KoboGeopointPartsAndMediaUrlsBesideTheirQuestion) {
  Case c(kGeoSurvey, {});
  auto plan = c.Plan(
      "audit,audit_URL,geo/geolocation,geo/_geolocation_latitude,geo/_geolocation_longitude,"
      "geo/_geolocation_altitude,geo/_geolocation_precision,geo/photo,geo/photo_URL,_uuid,"
      "_geolocation,_attachments\n"
      "audit.csv,https://kc.example.org/media/audit.csv,11.5 104.9 12 5,11.5,104.9,12,5,"
      "p 1).jpg,https://kc.example.org/media/p_1.jpg,11111111-1111-4111-8111-111111111111,"
      "\"[11.5, 104.9]\",[]\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Answers& a = plan->batch.submissions[0].answers;
  EXPECT_EQ(a.at("geo/geolocation"), Answer::Answered("11.5 104.9 12 5"));
  EXPECT_EQ(a.at("geo/photo"), Answer::Answered("p 1).jpg"));
  EXPECT_EQ(a.at("audit"), Answer::Answered("audit.csv"));
}

TEST(PlatformLayoutsTest, CentralGeopointGivenOnlyInParts) {
  Case c(kGeoSurvey, {});
  auto plan = c.Plan(
      "geo-geolocation-Latitude,geo-geolocation-Longitude,geo-geolocation-Altitude,"
      "geo-geolocation-Accuracy,geo-photo,meta-instanceID,KEY\n"
      "11.5,104.9,12,5,p.jpg," +
      kU1 + "," + kU1 +
      "\n"
      ",,,,," +
      kU2 + "," + kU2 + "\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  EXPECT_EQ(plan->batch.submissions[0].answers.at("geo/geolocation"),
            Answer::Answered("11.5 104.9 12 5"));
  EXPECT_EQ(plan->batch.submissions[1].answers.at("geo/geolocation"), Answer::Missing());
}

// A name used at the top and again inside a repeat: each file's bare column is the
// question of that file's level.
TEST(PlatformLayoutsTest, BareColumnNamesResolveAtTheFilesLevel) {
  Case c(
      {
          {"type", "name", "label"},
          {"text", "name", "Household head"},
          {"begin_repeat", "members", "Members"},
          {"text", "name", "Member"},
          {"integer", "age", "Age"},
          {"end_repeat", "", ""},
      },
      {});
  auto plan = c.Plan("name,_uuid,_index\nSok,11111111-1111-4111-8111-111111111111,1\n",
                     {{"members", "name,age,_index,_parent_index\nDara,34,1,1\nMaly,7,2,1\n"}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Answers& a = plan->batch.submissions[0].answers;
  EXPECT_EQ(a.at("name"), Answer::Answered("Sok"));
  EXPECT_EQ(a.at("members[2]/name"), Answer::Answered("Maly"));
}

// Answers are stored as written: a trailing space or a line break is data; a number
// with a space around it is not a number (refused, not silently changed).
TEST(PlatformLayoutsTest, ValuesAreNotTrimmed) {
  Case c({{"type", "name", "label"}, {"text", "note_text", "Text"}, {"integer", "n", "N"}}, {});
  auto plan =
      c.Plan("meta/instanceID,note_text,n\n" + kU1 + ",\" two lines\n\",3\n" + kU2 + ",x, 4\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->batch.submissions.at(0).answers.at("note_text"),
            Answer::Answered(" two lines\n"));
  ASSERT_EQ(plan->rejected.size(), 1u);
  EXPECT_EQ(plan->rejected[0].reasons[0].code, "IMP012");
  EXPECT_EQ(plan->rejected[0].reasons[0].where.column, 3);
}

// Ona's CSV export writes "n/a" for a value that was not asked (onadata's settings:
// NA_REP = "n/a") and has columns only it writes (_xform_id_string, _duration...).
TEST(PlatformLayoutsTest, OnaNotApplicableIsNoValue) {
  Case c(
      {
          {"type", "name", "label", "relevant"},
          {"integer", "age", "Age", ""},
          {"text", "school", "School", "${age} < 18"},
      },
      {});
  auto plan = c.Plan(
      "age,school,_id,_uuid,_submission_time,_xform_id_string,_duration,_total_media,"
      "_media_count,_media_all_received\n"
      "40,n/a,1,11111111-1111-4111-8111-111111111111,2024-03-01T10:00:00,layouts,30,0,0,True\n"
      "12,n/a,2,22222222-2222-4222-8222-222222222222,2024-03-01T10:00:00,layouts,30,0,0,True\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "ona");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  EXPECT_EQ(plan->batch.submissions[0].answers.at("school"), Answer::NotAsked());
  EXPECT_EQ(plan->batch.submissions[1].answers.at("school"), Answer::Missing());

  // Outside an Ona export, "n/a" is a text like any other.
  auto kobo = c.Plan("age,school,_uuid\n12,n/a,11111111-1111-4111-8111-111111111111\n");
  ASSERT_TRUE(kobo) << kobo.error().ToString();
  EXPECT_EQ(kobo->batch.submissions[0].answers.at("school"), Answer::Answered("n/a"));
}

}  // namespace
}  // namespace ngosurvey::exchange

namespace ngosurvey::exchange {
namespace {

// Ona's CSV export flattens repeats into the main file: "children[1]/name",
// "children[2]/name" (nested: "children[1]/toys[1]/toy"), as many as the row with
// the most instances; a row with fewer leaves the rest empty (or "n/a").
TEST(PlatformLayoutsTest, OnaFlattenedRepeatsBecomeInstances) {
  Case c(
      {
          {"type", "name", "label"},
          {"text", "hh", "Household"},
          {"begin_group", "roster", "Roster"},
          {"begin_repeat", "children", "Children"},
          {"text", "name", "Name"},
          {"select_multiple emperors or_other", "likes", "Likes"},
          {"begin_repeat", "toys", "Toys"},
          {"text", "toy", "Toy"},
          {"end_repeat", "", ""},
          {"end_repeat", "", ""},
          {"end_group", "", ""},
      },
      kOtherChoices);
  auto plan = c.Plan(
      "hh,roster/children[1]/name,roster/children[1]/likes,roster/children[1]/likes/julius,"
      "roster/children[1]/likes/augustus,roster/children[1]/likes/other,"
      "roster/children[1]/likes_other,roster/children[1]/toys[1]/toy,"
      "roster/children[2]/name,roster/children[2]/likes,roster/children[2]/likes/julius,"
      "roster/children[2]/likes/augustus,roster/children[2]/likes/other,"
      "roster/children[2]/likes_other,roster/children[2]/toys[1]/toy,_uuid\n"
      "A,Dara,julius other,True,False,True,Nero,ball,Maly,augustus,False,True,False,n/a,n/a," +
      kU1.substr(5) +
      "\n"
      "B,Sophea,julius,True,False,False,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a," +
      kU2.substr(5) + "\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "ona");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Answers& a = plan->batch.submissions[0].answers;
  EXPECT_EQ(a.at("roster/children[1]/name"), Answer::Answered("Dara"));
  EXPECT_EQ(a.at("roster/children[1]/likes"), Answer::Answered("julius other"));
  EXPECT_EQ(a.at("roster/children[1]/likes_other"), Answer::Answered("Nero"));
  EXPECT_EQ(a.at("roster/children[1]/toys[1]/toy"), Answer::Answered("ball"));
  EXPECT_EQ(a.at("roster/children[2]/name"), Answer::Answered("Maly"));
  EXPECT_EQ(a.count("roster/children[2]/toys[1]/toy"), 0u) << "an instance with no value";
  const store::Answers& b = plan->batch.submissions[1].answers;
  EXPECT_EQ(b.at("roster/children[1]/name"), Answer::Answered("Sophea"));
  EXPECT_EQ(b.count("roster/children[2]/name"), 0u);

  // An indexed column that is no question of the repeat is refused, named as written.
  auto bad = c.Plan("hh,roster/children[1]/nickname,_uuid\nA,x," + kU1.substr(5) + "\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "IMP001");
  EXPECT_EQ(bad.error().where.column, 2);
  EXPECT_NE(bad.error().message.find("'roster/children[1]/nickname'"), std::string::npos)
      << bad.error().message;
}

// Kobo's exports (formpack's long_names fixture) write start and end with an hour-only
// zone offset, "2017-03-13T11:25:31.707-04": ISO 8601, as "-04:00".
TEST(PlatformLayoutsTest, HourOnlyZoneOffsets) {
  EXPECT_EQ(ParseDateTimeMillis("1970-01-01T00:00:00-04"),
            ParseDateTimeMillis("1970-01-01T04:00:00Z"));
  EXPECT_EQ(ParseDateTimeMillis("1970-01-01T00:00:00.707+07"), int64_t{-7 * 3600000 + 707});
  EXPECT_EQ(ParseDateTimeMillis("1970-01-01T00:00:00+0730"), int64_t{-(7 * 60 + 30) * 60000});
  EXPECT_FALSE(ParseDateTimeMillis("1970-01-01T00:00:00+7"));
  EXPECT_FALSE(ParseDateTimeMillis("1970-01-01T00:00:00+07:"));
}

}  // namespace
}  // namespace ngosurvey::exchange
