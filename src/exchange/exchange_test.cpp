#include <fmt/format.h>
#include <gtest/gtest.h>
#include <readstat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "base/date.h"
#include "base/file.h"
#include "base/testing/source_dir.h"
#include "base/text.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/pseudonymise.h"
#include "exchange/values_internal.h"

namespace ngosurvey::exchange {
namespace {

const std::string kData = std::string(::ngosurvey::testing::SourceDir()) + "/tests/data/exchange/";
const std::string kU1 = "uuid:11111111-1111-4111-8111-111111111111";
const std::string kU2 = "uuid:22222222-2222-4222-8222-222222222222";
const std::string kU3 = "uuid:33333333-3333-4333-8333-333333333333";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ngoexchange-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct Fixture {
  form::Form form;
  store::FormVersion version;
  std::unique_ptr<store::Store> store;

  Fixture() {
    auto bytes = ReadFile(kData + "form.xlsx");
    EXPECT_TRUE(bytes);
    Diagnostics diags;
    auto loaded = form::LoadForm(*bytes, "form.xlsx", &diags);
    EXPECT_TRUE(loaded) << loaded.error().ToString();
    EXPECT_FALSE(diags.has_errors());
    form = *loaded;
    version = {form.settings.form_id, form.settings.version, form.title, *bytes, "", 0};
    store = std::move(*store::OpenStore("memory:"));
  }

  Result<ImportPlan> Plan(const std::string& main, const std::string& programs = "") {
    csv::Table table = *csv::ReadTable(kData + main);
    std::vector<RepeatTable> repeats;
    if (!programs.empty()) repeats.push_back({"programs", *csv::ReadTable(kData + programs)});
    return PlanImport(form, version, table, repeats, {}, *store);
  }
};

TEST(ExchangeNamesTest, ValidUniqueAndWithinTheLimits) {
  std::vector<std::string> stata, spss;
  std::string long_a = "number_of_partner_organisations_working_with_us_in_2025";
  std::string long_b = "number_of_partner_organisations_working_with_us_in_2026";
  EXPECT_EQ(StataName(long_a, &stata), "number_of_partner_organisations_");
  EXPECT_EQ(StataName(long_b, &stata), "number_of_partner_organisation_2");
  EXPECT_EQ(StataName("2nd-visit", &stata), "v2nd_visit");
  EXPECT_EQ(StataName("in", &stata), "in_") << "Stata reserved word";
  EXPECT_EQ(StataName("ថវិកា", &stata), "v_") << "non-ASCII letters become '_'";
  EXPECT_EQ(StataName("KEY", &stata), "KEY");
  EXPECT_EQ(StataName("key", &stata), "key_2") << "case-insensitive collisions";
  EXPECT_EQ(SpssName(long_a, &spss), long_a) << "SPSS allows 64 bytes";
  EXPECT_EQ(SpssName("_uuid", &spss), "v_uuid") << "SPSS names start with a letter";
  EXPECT_EQ(SpssName("with", &spss), "with_") << "SPSS reserved word";
  EXPECT_EQ(SpssName("a.b.", &spss), "a.b");
  for (const auto& n : stata) EXPECT_LE(n.size(), 32u) << n;
}

TEST(ExchangeValuesTest, DatesTimesAndNumbers) {
  EXPECT_EQ(*ParseDateTimeMillis("1960-01-01"), -3653 * int64_t{86400000});
  EXPECT_FALSE(ParseDateTimeMillis("2026-02-30"));
  EXPECT_EQ(*ParseDateTimeMillis("1970-01-01T07:00:00.250+07:00"), 250);
  EXPECT_EQ(*ParseDateTimeMillis("1970-01-01 00:00:01Z"), 1000);
  EXPECT_EQ(*ParseDateTimeMillis("1970-01-02"), 86400000);
  EXPECT_FALSE(ParseDateTimeMillis("2026-03-02T25:00:00"));
  EXPECT_FALSE(ParseDateTimeMillis("2026-03-02T10:00:00+7"));
  EXPECT_EQ(*ParseTimeMillis("00:01:02.5"), 62500);
  EXPECT_TRUE(IsInteger("-12"));
  EXPECT_FALSE(IsInteger("1.0"));
  EXPECT_FALSE(IsInteger("-"));
  EXPECT_EQ(*ParseNumber("120000.50"), 120000.5);
  EXPECT_FALSE(ParseNumber("1e999"));
  EXPECT_FALSE(ParseNumber("12 "));
}

TEST(ExchangePseudonymTest, KeyedStableAndIndependentlyChecked) {
  // Expected values from Python's hmac module (hmac.new(key, b"org:KH07", sha256)).
  std::string key = "0123456789abcdef-test-key";
  EXPECT_EQ(Pseudonym(key, "org", "KH07"), "org-0925ed5b8b7c9b83");
  EXPECT_EQ(Pseudonym(key, "int", "sokha"), "int-91076030347c17e6");
  EXPECT_NE(Pseudonym(key + "x", "org", "KH07"), Pseudonym(key, "org", "KH07"));
  EXPECT_EQ(Pseudonym(key, "org", ""), "");
}

TEST(ExchangeImportTest, OdkExportWithRepeatAndSelectMultiple) {
  Fixture f;
  auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "odk");
  ASSERT_TRUE(plan->rejected.empty()) << plan->rejected[0].reasons[0].ToString();
  ASSERT_EQ(plan->batch.submissions.size(), 3u);
  const store::Submission& s1 = plan->batch.submissions[0];
  EXPECT_EQ(s1.instance_id, kU1);
  EXPECT_EQ(s1.org_id, "KH07");
  // The interviewer is the username question's answer, not SubmitterName (the
  // account, often a team's: kept as metadata).
  EXPECT_EQ(s1.interviewer, "sokha");
  EXPECT_EQ(store::AccountOf(s1), "Field team");
  // Times keep the offset written (2026-03-02T08:00:00.000+07:00).
  EXPECT_EQ(s1.started_offset_minutes, 420);
  EXPECT_EQ(s1.ended_offset_minutes, 420);
  EXPECT_EQ(date::FormatLocalDateTime(s1.started_at_ms, s1.started_offset_minutes),
            "2026-03-02T08:00:00.000+07:00");
  // ReviewState "approved" is the store's review.
  ASSERT_EQ(plan->batch.reviews.size(), 3u);
  EXPECT_EQ(plan->batch.reviews[0].instance_id, kU1);
  EXPECT_EQ(plan->batch.reviews[0].status, store::ReviewStatus::kApproved);
  EXPECT_EQ(plan->batch.reviews[0].who, "import");
  EXPECT_EQ(s1.answers.at("profile/staff_n"), form::Answer::Answered("25"));
  EXPECT_EQ(s1.answers.at("services"), form::Answer::Answered("shelter legal"));
  EXPECT_EQ(s1.answers.at("programs[1]/program_name"), form::Answer::Answered("Hotline ១២៣៤"));
  EXPECT_EQ(s1.answers.at("programs[2]/program_staff"), form::Answer::Refused());
  const store::Submission& s2 = plan->batch.submissions[1];
  EXPECT_EQ(s2.answers.at("profile/staff_n"), form::Answer::Refused());
  EXPECT_EQ(s2.answers.at("profile/budget_usd"), form::Answer::DontKnow());
  EXPECT_EQ(s2.answers.at("profile/shelter_beds"), form::Answer::NotAsked()) << "has_shelter = no";
  EXPECT_EQ(s2.answers.at("programs[1]/program_active"), form::Answer::DontKnow());
  const store::Submission& s3 = plan->batch.submissions[2];
  EXPECT_EQ(s3.answers.at("services"), form::Answer::Refused());
  EXPECT_EQ(s3.answers.at("founded"), form::Answer::Missing());
  EXPECT_EQ(s3.answers.at("remarks"), form::Answer::Answered("line one\nline two"));
  EXPECT_EQ(*s1.ended_at_ms - s1.started_at_ms, 40 * 60 * 1000);

  // Stored, the same file again adds nothing; a changed value is a conflict.
  ASSERT_TRUE(f.store->CreateSubmissions(plan->batch));
  auto again = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_TRUE(again->batch.submissions.empty());
  auto conflict = f.Plan("bad/conflict.csv");
  ASSERT_TRUE(conflict);
  ASSERT_EQ(conflict->rejected.size(), 1u);
  EXPECT_EQ(conflict->rejected[0].reasons[0].code, "IMP019");
  EXPECT_NE(
      conflict->rejected[0].reasons[0].message.find("profile/staff_n: stored '25', file '26'"),
      std::string::npos)
      << conflict->rejected[0].reasons[0].message;
}

TEST(ExchangeImportTest, KoboExportLinksRepeatsByIndex) {
  Fixture f;
  auto plan = f.Plan("kobo/main.csv", "kobo/programs.csv");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(plan->layout, "kobo");
  ASSERT_TRUE(plan->rejected.empty()) << plan->rejected[0].reasons[0].ToString();
  ASSERT_EQ(plan->batch.submissions.size(), 2u);
  const store::Submission& s = plan->batch.submissions[0];
  EXPECT_EQ(s.instance_id, "uuid:44444444-4444-4444-8444-444444444444");
  EXPECT_EQ(s.interviewer, "dara") << "username, not _submitted_by (a shared account)";
  EXPECT_EQ(store::AccountOf(s), "kobo_team");
  EXPECT_EQ(s.started_offset_minutes, 420);
  EXPECT_EQ(s.answers.at("programs[2]/program_active"), form::Answer::Refused());
  EXPECT_EQ(s.answers.at("programs[2]/program_staff"), form::Answer::Missing());
  EXPECT_EQ(plan->batch.submissions[1].answers.at("services"), form::Answer::Answered("none"));
}

TEST(ExchangeImportTest, EveryBadCellIsReportedWithItsPlace) {
  Fixture f;
  auto plan = f.Plan("bad/bad_values.csv");
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->batch.submissions.empty());
  std::vector<std::string> got;
  for (const RejectedRow& row : plan->rejected) {
    for (const Error& e : row.reasons) got.push_back(e.where.ToString() + " " + e.code);
  }
  std::vector<std::string> want = {
      "bad_values.csv:2:15 IMP014", "bad_values.csv:2:5 IMP013",  "bad_values.csv:2:6 IMP012",
      "bad_values.csv:3:10 IMP015", "bad_values.csv:3:4 IMP015",  "bad_values.csv:3:6 IMP015",
      "bad_values.csv:3:9 IMP015",  "bad_values.csv:4:10 IMP016", "bad_values.csv:5:10 IMP013",
      "bad_values.csv:5:21 IMP011", "bad_values.csv:6:10 IMP016", "bad_values.csv:6:21 IMP010"};
  for (std::string& g : got) g = g.substr(g.find("bad_values.csv"));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
  EXPECT_FALSE(plan->warnings.items().empty()) << "shelter_beds given where not relevant";
  EXPECT_EQ(plan->warnings.items()[0].error.code, "IMP030");
}

// Instance ids are compared exactly (case too) among thousands of rows: a repeated
// id names the line of its first row; an id that differs only in its capitals is
// another id.
TEST(ExchangeImportTest, RepeatedInstanceIdsAmongThousands) {
  Fixture f;
  csv::Table table = *csv::ReadTable(kData + "kobo/main.csv");
  const size_t uuid = *table.ColumnIndex("_uuid"), index = *table.ColumnIndex("_index");
  const std::vector<std::string> first = table.rows[0];
  table.rows.clear();
  table.row_lines.clear();
  auto add = [&](const std::string& id) {
    std::vector<std::string> row = first;
    row[uuid] = id;
    row[index] = std::to_string(table.rows.size() + 1);
    table.rows.push_back(row);
    table.row_lines.push_back(static_cast<int>(table.rows.size()) + 1);
  };
  auto id_of = [](int i) { return fmt::format("{:08x}-abcd-4000-8000-{:012x}", i, i * 7919); };
  for (int i = 0; i < 3000; ++i) add(id_of(i));
  std::string capitals = id_of(17);
  std::transform(capitals.begin(), capitals.end(), capitals.begin(), ::toupper);
  add(capitals);     // line 3002: another id
  add(id_of(2500));  // line 3003: the id of line 2502
  auto plan = PlanImport(f.form, f.version, table, {}, {}, *f.store);
  ASSERT_TRUE(plan) << plan.error().ToString();
  ASSERT_EQ(plan->rejected.size(), 1u);
  ASSERT_EQ(plan->rejected[0].reasons.size(), 1u);
  EXPECT_EQ(plan->rejected[0].reasons[0].code, "IMP011");
  EXPECT_NE(
      plan->rejected[0].reasons[0].message.find("uuid:" + id_of(2500) + " is also on line 2502"),
      std::string::npos)
      << plan->rejected[0].reasons[0].message;
  EXPECT_EQ(plan->rejected[0].line, 3003);
  EXPECT_EQ(plan->batch.submissions.size(), 3001u);
}

TEST(ExchangeImportTest, FileLevelProblems) {
  Fixture f;
  auto other = f.Plan("bad/other_form.csv");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "IMP001");
  EXPECT_EQ(other.error().where.column, 2);
  EXPECT_NE(other.error().message.find("another form"), std::string::npos) << other.error().message;
  EXPECT_EQ(f.Plan("bad/header_only.csv").error().code, "IMP005");
  auto orphan = f.Plan("odk/main.csv", "bad/orphan_programs.csv");
  ASSERT_TRUE(orphan);
  ASSERT_EQ(orphan->rejected.size(), 1u);
  EXPECT_EQ(orphan->rejected[0].reasons[0].code, "IMP018");
}

TEST(ExchangeExportTest, CsvInTheOdkLayoutRoundTrips) {
  Fixture f;
  auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(plan);
  ASSERT_TRUE(f.store->CreateSubmissions(plan->batch));
  auto subs = f.store->ListSubmissions();
  TempDir dir;
  ExportOptions options;
  auto result = ExportSubmissions(f.form, *subs, options, dir.File("out.csv"));
  ASSERT_TRUE(result) << result.error().ToString();
  std::vector<std::string> files = {dir.File("out.csv"), dir.File("out-programs.csv"),
                                    dir.File("out-codebook.md"), dir.File("out-codebook.html")};
  EXPECT_EQ(result->files, files);
  auto programs = csv::ReadTable(dir.File("out-programs.csv"));
  ASSERT_TRUE(programs);
  ASSERT_EQ(programs->rows.size(), 3u);
  EXPECT_EQ(programs->rows[1][0], kU1 + "/programs[2]");
  EXPECT_EQ(programs->rows[1][1], kU1);
  EXPECT_EQ(programs->rows[1][4], "refused");
  auto main = csv::ReadTable(dir.File("out.csv"));
  ASSERT_TRUE(main);
  auto col = [&](const std::string& name) { return *main->ColumnIndex(name); };
  EXPECT_EQ(main->rows[0][col("services/legal")], "1");
  EXPECT_EQ(main->rows[0][col("services/health")], "0");
  EXPECT_EQ(main->rows[2][col("services/legal")], "refused");
  EXPECT_EQ(main->rows[1][col("profile/shelter_beds")], "") << "not asked";

  // Our own export imports into a fresh store with the same answers.
  Fixture g;
  csv::Table table = *main;
  auto reimport = PlanImport(g.form, g.version, table, {{"programs", *programs}}, {}, *g.store);
  ASSERT_TRUE(reimport) << reimport.error().ToString();
  EXPECT_EQ(reimport->layout, "ngosurvey");
  ASSERT_TRUE(reimport->rejected.empty()) << reimport->rejected[0].reasons[0].ToString();
  ASSERT_EQ(reimport->batch.submissions.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(reimport->batch.submissions[i].answers, plan->batch.submissions[i].answers) << i;
    EXPECT_EQ(reimport->batch.submissions[i].org_id, plan->batch.submissions[i].org_id);
  }
}

TEST(ExchangeExportTest, PseudonymisedExportDropsSensitiveAndDerivedColumns) {
  Fixture f;
  auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(plan);
  TempDir dir;
  ExportOptions options;
  options.pseudonym_key = "0123456789abcdef-test-key";
  auto result = ExportSubmissions(f.form, plan->batch.submissions, options, dir.File("p.csv"));
  ASSERT_TRUE(result) << result.error().ToString();
  auto main = csv::ReadTable(dir.File("p.csv"));
  ASSERT_TRUE(main);
  EXPECT_FALSE(main->ColumnIndex("remarks")) << "sensitive";
  EXPECT_FALSE(main->ColumnIndex("org_label")) << "computed from org_id";
  EXPECT_EQ(main->rows[0][*main->ColumnIndex("org_id")], "org-0925ed5b8b7c9b83");
  EXPECT_EQ(main->rows[0][*main->ColumnIndex("org")], "org-0925ed5b8b7c9b83");
  EXPECT_EQ(main->rows[0][*main->ColumnIndex("username")], "int-91076030347c17e6");
  std::string all = *ReadFile(dir.File("p.csv"));
  EXPECT_EQ(all.find("KH07"), std::string::npos);
  EXPECT_EQ(all.find("sokha"), std::string::npos);
}

TEST(ExchangeExportTest, UnknownLanguageAndFormat) {
  Fixture f;
  ExportOptions options;
  options.language = "fr";
  auto result = ExportSubmissions(f.form, {}, options, "/nonexistent/x.csv");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "EXP002");
  EXPECT_EQ(ParseExportFormat("xls").error().code, "EXP001");
}

TEST(ExchangeExportTest, MultiFileExportIsAllOrNothing) {
  // The codebook's path is taken by a folder: the data files (main and repeat) are
  // written first, then the export fails; none of its files may be left behind.
  Fixture f;
  auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(plan);
  TempDir dir;
  std::filesystem::create_directory(dir.File("out-codebook.html"));
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kDta, ExportFormat::kXlsx}) {
    ExportOptions options;
    options.format = format;
    auto result = ExportSubmissions(f.form, plan->batch.submissions, options, dir.File("out.csv"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "IO004");
    EXPECT_EQ(result.error().where.file, dir.File("out-codebook.html"));
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(dir.File(""))) {
      left.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(left, std::vector<std::string>{"out-codebook.html"}) << static_cast<int>(format);
  }
  // A repeat file's path taken by a folder fails before anything is written.
  std::filesystem::remove(dir.File("out-codebook.html"));
  std::filesystem::create_directory(dir.File("out-programs.csv"));
  auto result = ExportSubmissions(f.form, plan->batch.submissions, {}, dir.File("out.csv"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where.file, dir.File("out-programs.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("out.csv")));
}

// The variable labels of a written .dta or .sav, by variable name, read back with
// ReadStat's own parser.
std::map<std::string, std::string> VariableLabels(const std::string& path, bool stata) {
  std::map<std::string, std::string> labels;
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_variable_handler(
      parser, [](int, readstat_variable_t* var, const char*, void* ctx) -> int {
        const char* label = readstat_variable_get_label(var);
        (*static_cast<std::map<std::string, std::string>*>(ctx))[readstat_variable_get_name(var)] =
            label ? label : "";
        return READSTAT_HANDLER_OK;
      });
  readstat_error_t error = stata ? readstat_parse_dta(parser, path.c_str(), &labels)
                                 : readstat_parse_sav(parser, path.c_str(), &labels);
  readstat_parser_free(parser);
  EXPECT_EQ(error, READSTAT_OK) << path;
  return labels;
}

TEST(ExchangeExportTest, LongLabelsAreCutOnACharacterBoundary) {
  // Arabic letters are 2 bytes and Khmer ones 3: 80 and 255 bytes fall inside a
  // character at some offset; every offset 0-2 is tried.
  for (std::string lead : {"", "a", "ab"}) {
    Fixture f;
    std::string arabic, khmer;
    for (int i = 0; i < 150; ++i) arabic += "\u0645";  // U+0645, 2 bytes
    for (int i = 0; i < 100; ++i) khmer += "\u1780";   // U+1780, 3 bytes
    form::Question* remarks = nullptr;
    for (form::Question& q : f.form.questions) {
      if (q.name == "remarks") remarks = &q;
      if (q.name == "org_id") {
        for (auto& [lang, text] : q.label) text = lead + arabic;
      }
    }
    ASSERT_NE(remarks, nullptr);
    for (auto& [lang, text] : remarks->label) text = lead + khmer;
    auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
    ASSERT_TRUE(plan);
    TempDir dir;
    for (bool stata : {true, false}) {
      ExportOptions options;
      options.format = stata ? ExportFormat::kDta : ExportFormat::kSav;
      std::string out = dir.File(stata ? "out.dta" : "out.sav");
      auto result = ExportSubmissions(f.form, plan->batch.submissions, options, out);
      ASSERT_TRUE(result) << result.error().ToString();
      std::map<std::string, std::string> labels = VariableLabels(out, stata);
      size_t limit = stata ? 80 : 255;
      for (const char* name : {"org_id", "remarks"}) {
        std::string full = lead + (std::string(name) == "org_id" ? arabic : khmer);
        ASSERT_EQ(labels.count(name), 1u) << name;
        const std::string& got = labels[name];
        EXPECT_TRUE(text::IsValidUtf8(got)) << name << " " << stata << " lead " << lead.size();
        EXPECT_EQ(full.compare(0, got.size(), got), 0) << name;  // a prefix of the text
        EXPECT_LE(got.size(), limit) << name;
        // The longest such prefix: one more character would not fit.
        size_t next = got.size();
        text::DecodeOne(full, &next);
        EXPECT_GT(next, limit) << name << " " << stata << " lead " << lead.size();
      }
    }
  }
}

TEST(ExchangeExportTest, StreamsFromTheSqliteStoreLikeTheListedSubmissions) {
  // ExportStream over Store::ForEachSubmission writes the same bytes as the
  // in-memory path over ListSubmissions, repeats included.
  Fixture f;
  TempDir dir;
  auto db = store::OpenStore(dir.File("s.db"));
  ASSERT_TRUE(db) << db.error().ToString();
  auto plan = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(plan);
  ASSERT_TRUE((*db)->CreateSubmissions(plan->batch));
  auto listed = (*db)->ListSubmissions();
  ASSERT_TRUE(listed);
  ASSERT_TRUE(ExportSubmissions(f.form, *listed, {}, dir.File("a.csv")));
  const store::Store& s = **db;
  auto streamed = ExportStream(
      f.form, [&](const store::SubmissionVisitor& visit) { return s.ForEachSubmission({}, visit); },
      {}, dir.File("b.csv"));
  ASSERT_TRUE(streamed) << streamed.error().ToString();
  EXPECT_EQ(streamed->submissions, 3u);
  for (const char* suffix : {".csv", "-programs.csv", "-codebook.md"}) {
    auto a = ReadFile(dir.File(std::string("a") + suffix));
    auto b = ReadFile(dir.File(std::string("b") + suffix));
    ASSERT_TRUE(a && b) << suffix;
    std::string a_text = *a, b_text = *b;
    if (std::string(suffix) == "-codebook.md") continue;  // names its own file
    EXPECT_EQ(a_text, b_text) << suffix;
  }
  auto programs = csv::ReadTable(dir.File("b-programs.csv"));
  ASSERT_TRUE(programs);
  EXPECT_EQ(programs->rows.size(), 3u);
}

TEST(ExchangeImportTest, StreamingImportCommitsAllOrNothing) {
  Fixture f;
  TempDir dir;
  auto db = store::OpenStore(dir.File("s.db"));
  ASSERT_TRUE(db);
  csv::Table main = *csv::ReadTable(kData + "odk/main.csv");
  std::vector<RepeatTable> repeats = {{"programs", *csv::ReadTable(kData + "odk/programs.csv")}};
  auto run = [&](bool commit, size_t chunk_rows) -> Result<ImportReport> {
    auto writer = NGO_TRY((*db)->BeginImport(f.version));
    csv::Table chunk;
    chunk.file = main.file;
    chunk.header = main.header;
    ImportReport report = NGO_TRY(ImportRows(f.form, f.version, TableRowSource(main, chunk_rows),
                                             &chunk, repeats, {}, writer.get()));
    if (commit) NGO_TRY(writer->Commit());
    return report;
  };
  // Not committed (as when rows were rejected): nothing is kept, not even the form.
  auto dropped = run(false, 1);
  ASSERT_TRUE(dropped) << dropped.error().ToString();
  EXPECT_EQ(dropped->stored, 3u);
  EXPECT_TRUE((*db)->ListSubmissions()->empty());
  EXPECT_TRUE((*db)->ListForms()->empty());
  // One row per chunk: repeat rows still find their parents across chunks.
  auto kept = run(true, 1);
  ASSERT_TRUE(kept) << kept.error().ToString();
  EXPECT_TRUE(kept->rejected.empty());
  auto stored = (*db)->ListSubmissions();
  ASSERT_EQ(stored->size(), 3u);
  auto planned = f.Plan("odk/main.csv", "odk/programs.csv");
  ASSERT_TRUE(planned);
  for (const store::Submission& p : planned->batch.submissions) {
    auto got = (*db)->GetSubmission(p.instance_id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->answers, p.answers) << p.instance_id;
  }
  // Again: every row already stored with the same answers; nothing added.
  auto again = run(true, 2);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_TRUE((*db)->VerifyAudit()->ok());
}

}  // namespace
}  // namespace ngosurvey::exchange
