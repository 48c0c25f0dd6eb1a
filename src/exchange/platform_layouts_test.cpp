// Exports as KoboToolbox, ODK Central and Ona write them (issue 14), in and out.
// Each case is a small form and export written here, SYNTHETIC, in the layout of the
// public source named beside it (whose files are not copied: licences).
#include <gtest/gtest.h>
#include <readstat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "base/date.h"
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
  // No username question or column: no interviewer; _submitted_by is the account.
  EXPECT_EQ(plan->batch.submissions[0].interviewer, "");
  EXPECT_EQ(store::AccountOf(plan->batch.submissions[0]), "ana");
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

// The numbers of one variable of a .dta file, in row order.
std::vector<double> NumericValues(const std::string& path, const std::string& variable) {
  struct Read {
    std::string wanted;
    int index = -1;
    std::vector<double> values;
  } read{variable, -1, {}};
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_variable_handler(
      parser, [](int index, readstat_variable_t* var, const char*, void* ctx) -> int {
        auto* r = static_cast<Read*>(ctx);
        if (r->wanted == readstat_variable_get_name(var)) r->index = index;
        return READSTAT_HANDLER_OK;
      });
  readstat_set_value_handler(
      parser, [](int, readstat_variable_t* var, readstat_value_t value, void* ctx) -> int {
        auto* r = static_cast<Read*>(ctx);
        if (readstat_variable_get_index(var) == r->index &&
            readstat_value_type(value) == READSTAT_TYPE_DOUBLE) {
          r->values.push_back(readstat_double_value(value));
        }
        return READSTAT_HANDLER_OK;
      });
  readstat_error_t error = readstat_parse_dta(parser, path.c_str(), &read);
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
  // Kobo's order: the select, its 0/1 columns, then the specify text (after
  // ngosurvey's KEY, FormVersion, wave, org, interviewer, and before Kobo's own
  // metadata columns, _validation_status among them).
  std::vector<std::string> questions(main->header.begin() + 5, main->header.begin() + 12);
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
  EXPECT_EQ(questions,
            (std::vector<std::string>{"name", "name_2", "favs", "favs/julius", "favs/augustus",
                                      "favs/other", "favs_other", "meta/instanceID"}));
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
  // With Kobo's metadata columns it sits where Kobo's export has it, after
  // _submission_time; without them, after interviewer.
  auto column = main->ColumnIndex("_validation_status");
  ASSERT_TRUE(column);
  EXPECT_EQ(main->header[*column - 1], "_submission_time");
  EXPECT_EQ(main->header[*column + 1], "_notes");
  std::map<std::string, std::string> got;
  for (const auto& row : main->rows) got[row[0]] = row[*column];
  EXPECT_EQ(got, (std::map<std::string, std::string>{
                     {plan->batch.submissions[0].instance_id, "validation_status_not_approved"},
                     {plan->batch.submissions[1].instance_id, ""}}));
  for (auto& s : plan->batch.submissions) s.metadata.clear();
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, options, dir.File("p.csv")));
  auto plain = csv::ReadTable(dir.File("p.csv"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->header[4], "interviewer");
  EXPECT_EQ(plain->header[5], "_validation_status");
}

// Kobo's metadata columns (formpack's export with kpi's copy_fields: _id, _uuid,
// _submission_time, _validation_status, _notes, _status, _submitted_by, __version__,
// _tags, then _index; a repeat sheet's _index, _parent_index, _parent_table_name,
// _submission__*) are kept with each submission as written and exported back after
// the answers, so that every column of Kobo's file comes back with its values.
TEST(PlatformLayoutsTest, KoboMetadataColumnsAreKeptAndExportedBack) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(kKoboOtherMain, {{"visits", kKoboOtherVisits}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  ASSERT_EQ(plan->batch.submissions.size(), 2u);
  const std::string u1 = kU1.substr(5);
  EXPECT_EQ(plan->batch.submissions[0].metadata, (std::vector<store::MetadataField>{
                                                     {"_id", "101"},
                                                     {"_uuid", u1},
                                                     {"_submission_time", "2024-03-01T10:00:00"},
                                                     {"_notes", ""},
                                                     {"_status", "submitted_via_web"},
                                                     {"_submitted_by", "ana"},
                                                     {"__version__", "vABC"},
                                                     {"_tags", ""},
                                                     {"_index", "1"},
                                                     {"visits[1]/_index", "1"},
                                                     {"visits[1]/_parent_index", "1"},
                                                     {"visits[1]/_parent_table_name", "layouts"},
                                                     {"visits[1]/_submission__id", "101"},
                                                     {"visits[1]/_submission__uuid", u1},
                                                     {"visits[2]/_index", "2"},
                                                     {"visits[2]/_parent_index", "1"},
                                                     {"visits[2]/_parent_table_name", "layouts"},
                                                     {"visits[2]/_submission__id", "101"},
                                                     {"visits[2]/_submission__uuid", u1},
                                                 }))
      << "_validation_status is the store's review, not metadata";
  EXPECT_EQ(plan->batch.submissions[1].metadata.size(), 9u) << "no visits";

  for (HeaderStyle style : {HeaderStyle::kPath, HeaderStyle::kBare}) {
    TempDir dir;
    ExportOptions options;
    options.headers = style;
    ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, options, dir.File("o.csv")));
    auto main = csv::ReadTable(dir.File("o.csv"));
    auto visits = csv::ReadTable(dir.File("o-visits.csv"));
    ASSERT_TRUE(main && visits);
    std::vector<std::string> tail(main->header.end() - 10, main->header.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"_id", "_uuid", "_submission_time",
                                              "_validation_status", "_notes", "_status",
                                              "_submitted_by", "__version__", "_tags", "_index"}))
        << "after the answers, in Kobo's order (the review where Kobo has it)";
    // Every column of Kobo's files is in ours with the same values, row by row (the
    // question columns named in the export's header style: Kobo's file has group paths
    // in the main file and names in the repeat's).
    auto original = csv::ParseTable(kKoboOtherMain, "kobo.csv");
    auto original_visits = csv::ParseTable(kKoboOtherVisits, "visits.csv");
    ASSERT_TRUE(original && original_visits);
    for (auto [theirs, ours] : {std::pair{&*original, &*main}, {&*original_visits, &*visits}}) {
      ASSERT_EQ(ours->rows.size(), theirs->rows.size());
      for (size_t col = 0; col < theirs->header.size(); ++col) {
        std::string name = theirs->header[col];
        if (style == HeaderStyle::kBare && name.rfind("grp/", 0) == 0) name = name.substr(4);
        if (style == HeaderStyle::kPath && theirs == &*original_visits && name[0] != '_') {
          name = "visits/" + name;
        }
        auto at = ours->ColumnIndex(name);
        ASSERT_TRUE(at) << name << " is missing from " << ours->file;
        for (size_t row = 0; row < theirs->rows.size(); ++row) {
          EXPECT_EQ(ours->rows[row][*at], theirs->rows[row][col]) << name << " row " << row;
        }
      }
    }
    // Imported again: the same answers and metadata.
    Case again(kOtherSurvey, kOtherChoices);
    auto reimport =
        PlanImport(again.form, again.version, *main, {{"visits", *visits}}, {}, *again.store);
    ASSERT_TRUE(reimport) << reimport.error().ToString();
    ASSERT_TRUE(reimport->rejected.empty()) << FirstReason(*reimport);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(reimport->batch.submissions[i].answers, plan->batch.submissions[i].answers);
      EXPECT_EQ(reimport->batch.submissions[i].metadata, plan->batch.submissions[i].metadata);
    }
  }

  // Stata and SPSS: string variables with a label; the codebook lists them.
  TempDir dir;
  for (bool stata : {true, false}) {
    ExportOptions options;
    options.format = stata ? ExportFormat::kDta : ExportFormat::kSav;
    std::string out = dir.File(stata ? "m.dta" : "m.sav");
    ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, options, out));
    auto values = StringValues(out, stata);
    EXPECT_EQ(values["v_submission_time"],
              (std::vector<std::string>{"2024-03-01T10:00:00", "2024-03-01T11:00:00"}))
        << stata;
    EXPECT_EQ(values["v_id"], (std::vector<std::string>{"101", "102"})) << stata;
    auto repeat = StringValues(dir.File(stata ? "m-visits.dta" : "m-visits.sav"), stata);
    EXPECT_EQ(repeat["v_parent_table_name"], (std::vector<std::string>{"layouts", "layouts"}));
    std::string codebook = *ReadFile(dir.File("m-codebook.md"));
    EXPECT_NE(codebook.find("Platform metadata: _submission_time"), std::string::npos);
  }

  // A pseudonymised export leaves them out (_submitted_by names a person).
  ExportOptions pseudonymised;
  pseudonymised.pseudonym_key = std::string(32, 'k');
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, pseudonymised, dir.File("p.csv")));
  auto p = csv::ReadTable(dir.File("p.csv"));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->ColumnIndex("_submitted_by"));
  EXPECT_FALSE(p->ColumnIndex("_id"));
}

// Kobo's _validation_status (its uid, as ngosurvey's export writes it, or its label)
// becomes the store's review, set in the import's transaction; anything else refuses
// the row.
TEST(PlatformLayoutsTest, KoboValidationStatusBecomesTheReview) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan("grp/fav,_uuid,_validation_status\njulius," + kU1.substr(5) +
                     ",validation_status_on_hold\naugustus," + kU2.substr(5) +
                     ",Not Approved\njulius," + kU3.substr(5) + ",\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  ASSERT_EQ(plan->batch.reviews.size(), 2u);
  EXPECT_EQ(plan->batch.reviews[0].instance_id, kU1);
  EXPECT_EQ(plan->batch.reviews[0].status, store::ReviewStatus::kNeedsChecking);
  EXPECT_EQ(plan->batch.reviews[0].who, "import");
  EXPECT_EQ(plan->batch.reviews[1].status, store::ReviewStatus::kRejected);
  EXPECT_TRUE(plan->batch.submissions[0].metadata.size() == 1u &&
              plan->batch.submissions[0].metadata[0].column == "_uuid")
      << "the review is not also kept as metadata";
  ASSERT_TRUE(c.store->CreateSubmissions(plan->batch));
  auto review = c.store->GetReview(kU2);
  ASSERT_TRUE(review && *review);
  EXPECT_EQ((*review)->status, store::ReviewStatus::kRejected);
  EXPECT_FALSE(*c.store->GetReview(kU3)) << "an empty cell: not reviewed";
  EXPECT_EQ(c.store->ReadAudit(kU1)->back().field, "_validation_status");

  auto bad = c.Plan("grp/fav,_uuid,_validation_status\njulius," + kU1.substr(5) + ",maybe\n");
  ASSERT_TRUE(bad) << bad.error().ToString();
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(bad->rejected[0].reasons[0].code, "IMP013");
  EXPECT_EQ(bad->rejected[0].reasons[0].where.column, 3);
}

// ODK Central's ReviewState (received, hasIssues, edited, approved, rejected, or
// empty) becomes the store's review as Kobo's _validation_status does; it is kept as
// written, so that an export in Central's layout gives it back: the store's review
// where there is one, else the state that came (received, edited). Round trip: the
// export re-imported gives the same reviews and the same states.
TEST(PlatformLayoutsTest, CentralReviewStateBecomesTheReviewAndGoesBack) {
  Case c(kOtherSurvey, kOtherChoices);
  const std::string kU4 = "uuid:44444444-4444-4444-8444-444444444444";
  const std::string kU5 = "uuid:55555555-5555-4555-8555-555555555555";
  const std::string kU6 = "uuid:66666666-6666-4666-8666-666666666666";
  std::string central =
      "SubmissionDate,grp-fav,meta-instanceID,KEY,SubmitterID,SubmitterName,"
      "AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n";
  const std::vector<std::pair<std::string, std::string>> states = {
      {kU1, "approved"}, {kU2, "hasIssues"}, {kU3, "rejected"},
      {kU4, "received"}, {kU5, "edited"},    {kU6, ""}};
  for (const auto& [id, state] : states) {
    central += "2024-03-01T10:00:00.000Z,julius," + id + "," + id + ",5,team,0,0,," + state +
               ",collect:abc,0,1\n";
  }
  auto plan = c.Plan(central);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "odk");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  std::map<std::string, store::ReviewStatus> reviews;
  for (const store::Review& r : plan->batch.reviews) {
    reviews[r.instance_id] = r.status;
    EXPECT_EQ(r.who, "import");
  }
  EXPECT_EQ(reviews,
            (std::map<std::string, store::ReviewStatus>{{kU1, store::ReviewStatus::kApproved},
                                                        {kU2, store::ReviewStatus::kNeedsChecking},
                                                        {kU3, store::ReviewStatus::kRejected}}))
      << "received, edited and empty are no review";
  ASSERT_TRUE(c.store->CreateSubmissions(plan->batch));
  EXPECT_EQ(c.store->ReadAudit(kU2)->back().field, "_validation_status");

  // A supervisor approves the edited one; the export says so in ReviewState, and keeps
  // received and empty as they came.
  ASSERT_TRUE(c.store->SetReview({kU5, store::ReviewStatus::kApproved, "checked", "lan", 0}));
  auto export_csv = [&](const store::Store& from, const std::string& path) {
    ExportOptions options;
    auto stored = from.ListReviews();
    EXPECT_TRUE(stored);
    for (const store::Review& r : *stored) {
      options.validation_status[r.instance_id] = store::KoboValidationStatus(r.status);
    }
    auto submissions = from.ListSubmissions();
    EXPECT_TRUE(submissions);
    auto written = ExportSubmissions(c.form, *submissions, options, path);
    EXPECT_TRUE(written) << written.error().ToString();
    return csv::ReadTable(path);
  };
  TempDir dir;
  auto out = export_csv(*c.store, dir.File("central.csv"));
  ASSERT_TRUE(out) << out.error().ToString();
  auto state_column = out->ColumnIndex("ReviewState");
  ASSERT_TRUE(state_column);
  std::map<std::string, std::string> written;
  for (const auto& row : out->rows) written[row[0]] = row[*state_column];
  EXPECT_EQ(written, (std::map<std::string, std::string>{{kU1, "approved"},
                                                         {kU2, "hasIssues"},
                                                         {kU3, "rejected"},
                                                         {kU4, "received"},
                                                         {kU5, "approved"},
                                                         {kU6, ""}}));

  // Re-imported into a fresh store: the same reviews, and the same file again.
  Case fresh(kOtherSurvey, kOtherChoices);
  auto again = PlanImport(fresh.form, fresh.version, *out, {}, {}, *fresh.store);
  ASSERT_TRUE(again) << again.error().ToString();
  ASSERT_TRUE(again->rejected.empty()) << FirstReason(*again);
  ASSERT_TRUE(fresh.store->CreateSubmissions(again->batch));
  std::map<std::string, store::ReviewStatus> before, after;
  auto reviews_before = c.store->ListReviews();
  auto reviews_after = fresh.store->ListReviews();
  ASSERT_TRUE(reviews_before && reviews_after);
  for (const store::Review& r : *reviews_before) before[r.instance_id] = r.status;
  for (const store::Review& r : *reviews_after) after[r.instance_id] = r.status;
  EXPECT_EQ(after, before);
  EXPECT_EQ(after.size(), 4u);
  auto round = export_csv(*fresh.store, dir.File("round.csv"));
  ASSERT_TRUE(round) << round.error().ToString();
  EXPECT_EQ(round->header, out->header);
  EXPECT_EQ(round->rows, out->rows);

  // Anything else refuses the row; so does a _validation_status that says otherwise.
  auto bad = c.Plan("meta-instanceID,grp-fav,ReviewState\n" + kU1 + ",julius,Approved\n");
  ASSERT_TRUE(bad) << bad.error().ToString();
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(bad->rejected[0].reasons[0].code, "IMP013");
  EXPECT_EQ(bad->rejected[0].reasons[0].where.column, 3);
  Case empty(kOtherSurvey, kOtherChoices);
  auto conflict = empty.Plan("meta-instanceID,grp-fav,_validation_status,ReviewState\n" + kU1 +
                             ",julius,validation_status_approved,rejected\n" + kU2 +
                             ",julius,validation_status_approved,received\n");
  ASSERT_TRUE(conflict) << conflict.error().ToString();
  ASSERT_EQ(conflict->rejected.size(), 1u);
  EXPECT_EQ(conflict->rejected[0].instance_id, kU1);
  EXPECT_NE(conflict->rejected[0].reasons[0].message.find("two different reviews"),
            std::string::npos);
  ASSERT_EQ(conflict->batch.reviews.size(), 1u) << "received: no review, the other stands";
  EXPECT_EQ(conflict->batch.reviews[0].status, store::ReviewStatus::kApproved);
}

// Times as Kobo and ODK Central write them ("2024-03-05T09:12:44.123+07:00") keep
// their offset: the answers as written, the store's start and end with the offset,
// so that they are shown in local time. The interviewer is the `username` column (a
// form without a username question), never _submitted_by, a shared account kept as
// metadata and exported back.
TEST(PlatformLayoutsTest, KoboTimesKeepTheirOffsetAndUsernameIsTheInterviewer) {
  Case c(
      {
          {"type", "name", "label"},
          {"start", "start", ""},
          {"end", "end", ""},
          {"text", "note_text", "Note"},
      },
      {});
  const std::string kobo =
      "start,end,note_text,username,_id,_uuid,_submission_time,_submitted_by\n"
      "2024-03-05T23:40:00.000+07:00,2024-03-06T00:10:00.000+07:00,a,sokha,1," +
      kU1.substr(5) +
      ",2024-03-05T17:20:00,ngo_team\n"
      "2024-03-05T09:12:44.123-04,2024-03-05T09:30:00.000Z,b,,2," +
      kU2.substr(5) + ",2024-03-05T13:40:00,ngo_team\n";
  auto plan = c.Plan(kobo);
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Submission& a = plan->batch.submissions[0];
  EXPECT_EQ(a.answers.at("start"), Answer::Answered("2024-03-05T23:40:00.000+07:00"))
      << "the text as written";
  EXPECT_EQ(a.started_offset_minutes, 420);
  EXPECT_EQ(a.ended_offset_minutes, 420);
  EXPECT_EQ(date::FormatIsoDateTimeUtc(a.started_at_ms), "2024-03-05T16:40:00.000Z");
  EXPECT_EQ(date::FormatLocalDateTime(*a.ended_at_ms, a.ended_offset_minutes),
            "2024-03-06T00:10:00.000+07:00");
  EXPECT_EQ(date::LocalDayOfMillis(*a.ended_at_ms, a.ended_offset_minutes),
            date::DaysFromCivil(2024, 3, 6))
      << "the local day, not the UTC day (the 5th)";
  EXPECT_EQ(a.interviewer, "sokha");
  EXPECT_EQ(store::AccountOf(a), "ngo_team");
  const store::Submission& b = plan->batch.submissions[1];
  EXPECT_EQ(b.started_offset_minutes, -240) << "Kobo's hour-only offset";
  EXPECT_EQ(b.ended_offset_minutes, 0) << "Z";
  EXPECT_EQ(b.interviewer, "") << "no username: not the shared account";
  EXPECT_EQ(store::AccountOf(b), "ngo_team");

  // Exported: the times as written, _submitted_by and username back as they came.
  TempDir dir;
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, {}, dir.File("o.csv")));
  auto main = csv::ReadTable(dir.File("o.csv"));
  ASSERT_TRUE(main) << main.error().ToString();
  auto at = [&](std::string_view column) {
    auto col = main->ColumnIndex(column);
    EXPECT_TRUE(col) << column;
    return col ? main->rows[1][*col] : std::string();
  };
  EXPECT_EQ(at("start"), "2024-03-05T09:12:44.123-04");
  EXPECT_EQ(at("_submitted_by"), "ngo_team");
  EXPECT_EQ(at("username"), "");
  EXPECT_EQ(main->rows[0][*main->ColumnIndex("username")], "sokha");
  EXPECT_EQ(main->rows[0][*main->ColumnIndex("interviewer")], "sokha");
  // Stata's %tc holds the local time as written: 2024-03-05 23:40 (+07:00) is
  // 1,962,834,000,000 ms after 1960-01-01 plus 23:40 of the day.
  ExportOptions stata;
  stata.format = ExportFormat::kDta;
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, stata, dir.File("o.dta")));
  std::vector<double> starts = NumericValues(dir.File("o.dta"), "start");
  ASSERT_EQ(starts.size(), 2u);
  const double day_ms = 86400000.0;
  const double stata_day =
      double(date::DaysFromCivil(2024, 3, 5) - date::DaysFromCivil(1960, 1, 1));
  EXPECT_EQ(starts[0], stata_day * day_ms + (23 * 60 + 40) * 60000.0);
  EXPECT_EQ(starts[1], stata_day * day_ms + ((9 * 60 + 12) * 60 + 44) * 1000.0 + 123);
}

// Kobo's literacy widget (a select_multiple with appearance "literacy"): formpack's
// FormLiteracyTestField writes the first three numbers of the answer as
// "q/Word at flash", "q/Duration of exercise", "q/Total words attempted" before the
// question's column, which holds the words read incorrectly (with their 0/1 columns).
// They are kept as the submission's metadata and written back where formpack puts
// them.
TEST(PlatformLayoutsTest, KoboLiteracyWidgetParametersAreKept) {
  Case c(
      {
          {"type", "name", "label", "appearance"},
          {"select_multiple words", "passage", "Read the passage", "literacy"},
      },
      {{"list_name", "name", "label"},
       {"words", "1", "Мама"},
       {"words", "2", "мыла"},
       {"words", "3", "раму"}});
  const std::string kobo =
      "passage/Word at flash,passage/Duration of exercise,passage/Total words attempted,"
      "passage,passage/1,passage/2,passage/3,_id,_uuid\n"
      "2,16,3,1 3,1,0,1,7," +
      kU1.substr(5) + "\n";
  auto plan = c.Plan(kobo);
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  const store::Submission& s = plan->batch.submissions[0];
  EXPECT_EQ(s.answers.at("passage"), Answer::Answered("1 3"));
  EXPECT_EQ(s.metadata, (std::vector<store::MetadataField>{{"passage/Word at flash", "2"},
                                                           {"passage/Duration of exercise", "16"},
                                                           {"passage/Total words attempted", "3"},
                                                           {"_id", "7"},
                                                           {"_uuid", kU1.substr(5)}}));
  TempDir dir;
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, {}, dir.File("o.csv")));
  auto main = csv::ReadTable(dir.File("o.csv"));
  auto original = csv::ParseTable(kobo, "kobo.csv");
  ASSERT_TRUE(main && original);
  std::vector<std::string> ours(main->header.begin() + 6, main->header.end());
  EXPECT_EQ(ours, original->header) << "formpack's order, before the question";
  std::vector<std::string> row(main->rows[0].begin() + 6, main->rows[0].end());
  EXPECT_EQ(row, original->rows[0]);
}

// ODK Central's columns are kept too, in its order (FormVersion is ngosurvey's own
// column, written from the stored version).
TEST(PlatformLayoutsTest, CentralMetadataColumnsAreKept) {
  Case c(kOtherSurvey, kOtherChoices);
  auto plan = c.Plan(
      "SubmissionDate,grp-fav,meta-instanceID,KEY,SubmitterID,SubmitterName,"
      "AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion\n"
      "2024-03-01T10:00:00.000Z,julius," +
      kU1 + "," + kU1 + ",5,ana,0,0,,hasIssues,collect:abc,1,1\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  EXPECT_EQ(plan->batch.submissions[0].metadata,
            (std::vector<store::MetadataField>{{"SubmissionDate", "2024-03-01T10:00:00.000Z"},
                                               {"meta-instanceID", kU1},
                                               {"SubmitterID", "5"},
                                               {"SubmitterName", "ana"},
                                               {"AttachmentsPresent", "0"},
                                               {"AttachmentsExpected", "0"},
                                               {"Status", ""},
                                               {"ReviewState", "hasIssues"},
                                               {"DeviceID", "collect:abc"},
                                               {"Edits", "1"}}));
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

  // Exported back beside their question, as Kobo writes them.
  TempDir dir;
  ASSERT_TRUE(ExportSubmissions(c.form, plan->batch.submissions, {}, dir.File("o.csv")));
  auto main = csv::ReadTable(dir.File("o.csv"));
  ASSERT_TRUE(main);
  std::vector<std::string> ours(main->header.begin() + 6, main->header.end());
  EXPECT_EQ(ours, (std::vector<std::string>{
                      "audit", "audit_URL", "geo/geolocation", "geo/_geolocation_latitude",
                      "geo/_geolocation_longitude", "geo/_geolocation_altitude",
                      "geo/_geolocation_precision", "geo/photo", "geo/photo_URL", "_uuid",
                      "_geolocation", "_attachments"}));
  EXPECT_EQ(main->rows[0][main->header.size() - 3], kU1.substr(5));
  EXPECT_EQ(main->rows[0][main->header.size() - 2], "[11.5, 104.9]");
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

// formhub's and older Ona exports (onadata's csv_export/tutorial.csv) have none of Ona's
// metadata columns but write "n/a" all the same: "n/a" where it cannot be a value (a
// number, a choice of a list without such a choice, an option column's 0/1) says so.
TEST(PlatformLayoutsTest, OnaNotApplicableWithoutOnasColumns) {
  Case c(
      {
          {"type", "name", "label"},
          {"integer", "age", "Age"},
          {"text", "school", "School"},
          {"select_multiple langs", "langs", "Languages"},
      },
      {{"list_name", "name", "label"}, {"langs", "km", "Khmer"}, {"langs", "vi", "Vietnamese"}});
  auto plan = c.Plan(
      "age,school,langs/km,langs/vi,meta/instanceID\n"
      "n/a,n/a,n/a,n/a,uuid:11111111-1111-4111-8111-111111111111\n"
      "40,Lycee,1,0,uuid:22222222-2222-4222-8222-222222222222\n");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "ona");
  ASSERT_TRUE(plan->rejected.empty()) << FirstReason(*plan);
  EXPECT_EQ(plan->batch.submissions[0].answers.at("age"), Answer::Missing());
  EXPECT_EQ(plan->batch.submissions[0].answers.at("school"), Answer::Missing());
  EXPECT_EQ(plan->batch.submissions[1].answers.at("langs"), Answer::Answered("km"));

  // Only a text column holding "n/a": a text like any other.
  auto text =
      c.Plan("age,school,meta/instanceID\n12,n/a,uuid:11111111-1111-4111-8111-111111111111\n");
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_EQ(text->layout, "odk");
  EXPECT_EQ(text->batch.submissions[0].answers.at("school"), Answer::Answered("n/a"));
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
