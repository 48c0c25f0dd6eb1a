// The reference study as an acceptance test: its synthetic data are made by the
// synthesiser, tabulated by the ordinary tabulation engine, and compared with the
// published cells. The synthesiser's own account of which cells it met is checked
// against what tabulation finds, so neither can fool the other.
#include "study/study_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "base/csv.h"
#include "base/escape.h"
#include "base/file.h"
#include "base/testing/source_dir.h"
#include "base/words.h"
#include "report/table_render.h"
#include "study/study.h"
#include "study/synth.h"

namespace ngosurvey::study {
namespace {

const std::string kStudy = std::string(::ngosurvey::testing::SourceDir()) + "/study";
// A study of someone else's: households, a stratified cluster sample, no published
// tables (examples/household/README.md).
const std::string kHousehold =
    std::string(::ngosurvey::testing::SourceDir()) + "/examples/household";

class TempFolder {
 public:
  TempFolder() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("ngosurvey-study-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A copy of the study folder to break.
void CopyStudy(const TempFolder& dir) {
  std::filesystem::copy(
      kStudy, dir.str(),
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

void Replace(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = *ReadFile(path);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  ASSERT_TRUE(WriteFileAtomic(path, text));
}

TEST(StudyTest, ConfigNamesTheStudyFiles) {
  auto config = ReadStudyConfig(kStudy);
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_TRUE(config->synthetic);
  EXPECT_EQ(config->group, "country");
  EXPECT_EQ(config->fixed.at("consent"), "yes");
  EXPECT_TRUE(config->instrument.ends_with("instrument.xlsx"));
}

TEST(StudyTest, SynthesisIsDeterministicAndTheShippedDataAreItsOutput) {
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  auto first = SynthesizeStudy(*inputs);
  auto second = SynthesizeStudy(*inputs);
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_TRUE(second);
  EXPECT_TRUE(SynthCsv(*first) == SynthCsv(*second));
  EXPECT_EQ(first->rows.size(), 38u);  // 25 Cambodian + 13 Vietnamese NGOs interviewed
  for (const auto& row : first->rows) EXPECT_EQ(row.front(), "SYNTHETIC");
  // study/synthetic/ must be exactly what `ngosurvey synth study/` writes today.
  auto shipped = ReadFile(inputs->config.data);
  ASSERT_TRUE(shipped) << shipped.error().ToString();
  EXPECT_TRUE(*shipped == SynthCsv(*first))
      << inputs->config.data << " is not what synthesis gives today: run `ngosurvey synth study/`";
  // And so are the codings of its open answers.
  EXPECT_EQ(first->codings_csv, second->codings_csv);
  auto codings = ReadFile(inputs->config.codings);
  ASSERT_TRUE(codings) << codings.error().ToString();
  EXPECT_TRUE(*codings == first->codings_csv)
      << inputs->config.codings
      << " is not what synthesis gives today: run `ngosurvey synth study/`";
  // Another seed gives other respondents but the same published figures.
  inputs->config.seed += 1;
  auto other = SynthesizeStudy(*inputs);
  ASSERT_TRUE(other);
  EXPECT_FALSE(SynthCsv(*other) == SynthCsv(*first));
}

TEST(StudyTest, TabulatedSyntheticDataReproduceEveryReachablePublishedCell) {
  TempFolder dir;
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  auto synth = SynthesizeStudy(*inputs);
  ASSERT_TRUE(synth) << synth.error().ToString();
  inputs->config.data = dir.Path("data.csv");
  ASSERT_TRUE(WriteFileAtomic(inputs->config.data, SynthCsv(*synth)));
  // The targets point into inputs->audit: keep a copy of the verdicts by position.
  std::vector<std::pair<bool, bool>> reachable_met;
  for (const auto& t : synth->targets) reachable_met.push_back({t.reachable, t.met});

  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->tables.size(), 10u);
  ASSERT_EQ(report->comparisons.size(), reachable_met.size());
  size_t reproduced = 0, unreachable = 0;
  for (size_t i = 0; i < reachable_met.size(); ++i) {
    const CellComparison& cmp = report->comparisons[i];
    const auto& p = *cmp.published;
    auto [reachable, met] = reachable_met[i];
    std::string where = "table " + p.table + " " + p.item_id + "/" + p.option_id + " " + p.country;
    ASSERT_TRUE(cmp.item) << where << ": no table row shows it";
    if (reachable && met) {
      EXPECT_TRUE(cmp.match) << where << ": published " << p.published_value << ", tabulated "
                             << cmp.reproduced;
      reproduced += cmp.match;
    }
    if (!reachable) {
      EXPECT_FALSE(cmp.match) << where << ": no count of its base gives it, yet it matched";
      ++unreachable;
    }
    if (cmp.cell) {
      // The table's base is the audit's base for every published percentage.
      EXPECT_EQ(static_cast<int64_t>(cmp.cell->base), p.base) << where;
    }
  }
  // Most of the study is reproducible; a regression in synthesis or tabulation
  // would show here as a drop.
  EXPECT_GT(reproduced, 150u);
  EXPECT_EQ(unreachable, report->inputs.audit->CountVerdict(Verdict::kInconsistent));
}

TEST(StudyTest, ReportSaysSyntheticAndHasEveryTable) {
  TempFolder dir;
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs);
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  std::string html = RenderStudyReportHtml(*report);
  std::string md = RenderStudyReportMarkdown(*report);
  EXPECT_NE(html.find("class=\"synthetic-banner\""), std::string::npos);
  EXPECT_TRUE(md.starts_with("> **SYNTHETIC DATA"));
  for (const auto& table : report->tables) {
    EXPECT_NE(html.find(table.title.substr(0, 20)), std::string::npos) << table.title;
    EXPECT_NE(md.find("## " + table.title), std::string::npos) << table.title;
  }
  // As recorded, then each group of cases the frame lets be read another way: the
  // two organisations that declined as "not NGOs" (4.10 or 2.11), and the five
  // unexplained non-interviews (2.20 or 2.11).
  ASSERT_EQ(report->fieldwork.size(), 3u);
  EXPECT_NE(html.find("Read as 2.11 Refusal instead of 4.10"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // self-contained: no external requests
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

TEST(StudyTest, ReportDrawsTheCoordinationNetwork) {
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs);
  ASSERT_TRUE(inputs->network) << "study.toml names network.toml";
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_TRUE(report->network);
  const analysis::Network& net = *report->network;
  // Every organisation of the frame is a node, whether it responded or not.
  size_t in_frame = 0, responded = 0;
  for (const auto& node : net.nodes) {
    in_frame += node.in_frame;
    responded += node.responded;
  }
  ASSERT_TRUE(report->inputs.frame);
  EXPECT_EQ(in_frame, report->inputs.frame->cases.size());
  EXPECT_EQ(responded, report->respondents);
  // Agencies are national: no agency node is shared by the two countries.
  for (const auto& tie : net.ties) {
    EXPECT_EQ(net.nodes[tie.from].country, net.nodes[tie.to].country)
        << net.nodes[tie.from].id << " -> " << net.nodes[tie.to].id;
    EXPECT_EQ(tie.kind, "government");
  }
  // Countries, then overall; the overall network holds every tie.
  ASSERT_EQ(report->network_scopes.size(), 3u);
  EXPECT_EQ(report->network_scopes[0].scope, "KH");
  EXPECT_EQ(report->network_scopes[2].scope, "overall");
  EXPECT_EQ(report->network_scopes[2].tie_count, static_cast<int>(net.ties.size()));
  std::string html = RenderStudyReportHtml(*report);
  std::string md = RenderStudyReportMarkdown(*report);
  size_t section = html.find("<section id=\"network\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_NE(html.find("href=\"#network\""), std::string::npos);
  // One titled mark per organisation in the drawing.
  size_t marks = 0;
  for (size_t at = html.find("<title>", section); at != std::string::npos;
       at = html.find("<title>", at + 1)) {
    marks += html.compare(at, 7, "<title>") == 0;
  }
  EXPECT_EQ(marks, net.nodes.size());  // the drawing's own title is <title id=...>
  EXPECT_NE(md.find("## Coordination network"), std::string::npos);
  EXPECT_NE(md.find("(SYNTHETIC DATA)"), std::string::npos);
}

// The qualitative section (study/qualitative.toml): the three open questions' themes by
// country from the SYNTHETIC codings, the coders' agreement and quotes by pseudonym only.
TEST(StudyTest, ReportHasTheQualitativeSection) {
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  std::vector<std::string> org_ids, names;
  for (const auto& c : inputs->frame->cases) {
    org_ids.push_back(c.org_id);
    names.push_back(c.name);
  }
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->qualitative_tables.size(), 3u);
  ASSERT_EQ(report->qualitative.size(), 3u);
  const analysis::TableResult& difficulties = report->qualitative_tables[1];
  EXPECT_EQ(difficulties.items[0].item, "themes(major_difficulties)");
  // Its options are the difficulties' themes only, then (no theme).
  EXPECT_EQ(difficulties.items[0].options.front().option, "difficulties");
  EXPECT_EQ(difficulties.items[0].options.back().option, "(no theme)");
  for (const auto& option : difficulties.items[0].options)
    EXPECT_NE(option.option, "partner_commitment");
  // Every answer is coded (and reconciled where the coders differ): no answer is missing.
  for (const auto& nr : difficulties.items[0].nonresponse) EXPECT_EQ(nr.missing, 0u);
  const QualitativeItem& item = report->qualitative[1];
  EXPECT_EQ(item.coders, (std::vector<std::string>{"coder_a", "coder_b"}));
  EXPECT_GT(item.reconciled, 0u);
  ASSERT_FALSE(item.agreement.empty());
  EXPECT_EQ(item.agreement.back().code, "(overall)");
  ASSERT_TRUE(item.agreement.back().krippendorff_alpha);
  EXPECT_GT(*item.agreement.back().krippendorff_alpha, 0.5);
  EXPECT_LT(*item.agreement.back().krippendorff_alpha, 1.0);
  size_t quotes = 0;
  for (const ThemeQuoteBlock& block : item.quotes) {
    EXPECT_LE(block.quotes.size(), 2u);
    for (const QuotedAnswer& q : block.quotes) {
      ++quotes;
      EXPECT_TRUE(q.pseudonym.starts_with("org-")) << q.pseudonym;
      EXPECT_FALSE(q.text.empty());
    }
  }
  EXPECT_GT(quotes, 5u);

  std::string html = RenderStudyReportHtml(*report);
  std::string md = RenderStudyReportMarkdown(*report);
  for (const std::string* doc : {&html, &md}) {
    EXPECT_NE(doc->find("Qualitative findings"), std::string::npos);
    EXPECT_NE(doc->find("SYNTHETIC"), std::string::npos);
    EXPECT_NE(doc->find("Krippendorff"), std::string::npos);
    // Attributed by pseudonym only: no organisation's id or name appears beside a quote.
    size_t section =
        doc->find(doc == &html ? "<section id=\"qualitative\">" : "## Qualitative findings");
    ASSERT_NE(section, std::string::npos);
    size_t end = doc->find(doc == &html ? "<section id=\"network\">" : "## Coordination", section);
    std::string qualitative = doc->substr(section, end == std::string::npos ? end : end - section);
    for (const std::string& id : org_ids) {
      EXPECT_EQ(qualitative.find(id + ")"), std::string::npos) << id;
      EXPECT_EQ(qualitative.find("— " + id), std::string::npos) << id;
    }
    for (const std::string& name : names) EXPECT_EQ(qualitative.find(name), std::string::npos);
  }
  EXPECT_NE(html.find("<blockquote class=\"quote\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"#qualitative\""), std::string::npos);
}

// Quotes are HTML-escaped, and the key of their pseudonyms is required.
TEST(StudyTest, QuotesAreEscapedAndNeedAPseudonymKey) {
  TempFolder dir;
  CopyStudy(dir);
  Replace(dir.Path("codebook.toml"), "example = \"Some officials are paid by the traffickers.\"",
          "example = \"Officials <script>alert(1)</script> & \\\"friends\\\" are paid.\"");
  auto inputs = LoadStudyInputs(dir.str());
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  auto synth = SynthesizeStudy(*inputs);
  ASSERT_TRUE(synth) << synth.error().ToString();
  ASSERT_TRUE(WriteFileAtomic(inputs->config.data, SynthCsv(*synth)));
  ASSERT_TRUE(WriteFileAtomic(inputs->config.codings, synth->codings_csv));
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  bool quoted = false;
  for (const auto& item : report->qualitative) {
    for (const auto& block : item.quotes)
      quoted |= block.theme == "corruption" && !block.quotes.empty();
  }
  ASSERT_TRUE(quoted) << "no quote of corruption to check the escaping with";
  std::string html = RenderStudyReportHtml(*report);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"),
            std::string::npos);

  Replace(dir.Path("study.toml"), "pseudonym_key = \"synthetic/pseudonym_SYNTHETIC.key\"", "");
  auto keyless = LoadStudyInputs(dir.str());
  ASSERT_FALSE(keyless);
  EXPECT_EQ(keyless.error().code, "SD002");
  EXPECT_NE(keyless.error().message.find("pseudonym"), std::string::npos);
}

TEST(StudyTest, RatesDifferBetweenTheTwoReadings) {
  auto inputs = LoadStudyInputs(kStudy);
  ASSERT_TRUE(inputs);
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report);
  auto rr1 = [&](size_t scenario, std::string_view group) {
    for (const auto& g : report->fieldwork[scenario].groups) {
      if (g.group == group) return g.rates[fieldwork::Measure::kRR1].value.value_or(-1);
    }
    return -1.0;
  };
  // As recorded, IOM and UNIAP are not eligible: VN RR1 = 13 / 18. Read as refusals,
  // 13 / 20. Cambodia is unchanged.
  EXPECT_NEAR(rr1(0, "VN"), 13.0 / 18.0, 1e-12);
  EXPECT_NEAR(rr1(1, "VN"), 13.0 / 20.0, 1e-12);
  EXPECT_DOUBLE_EQ(rr1(0, "KH"), rr1(1, "KH"));
}

TEST(StudyTest, BadStudyFilesNameWhereAndWriteNothing) {
  TempFolder dir;
  CopyStudy(dir);
  Replace(dir.Path("published_tables.csv"), ",KH,56,pct,", ",KH,56%,pct,");
  auto written = WriteStudyReport(dir.str(), dir.Path("out"), NullProgress::Instance());
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, "AUD002");
  EXPECT_EQ(written.error().where.row, 2);
  EXPECT_TRUE(written.error().where.file.ends_with("published_tables.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("out/report.html")));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("out/report.md")));
}

TEST(StudyTest, MissingKeyAndMissingFileAreNamed) {
  TempFolder dir;
  CopyStudy(dir);
  Replace(dir.Path("study.toml"), "tables = \"tables.toml\"", "tables = \"no-such-file.toml\"");
  auto config = ReadStudyConfig(dir.str());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "SD002");
  EXPECT_NE(config.error().message.find("no-such-file.toml"), std::string::npos);
  EXPECT_GT(config.error().where.row, 1);

  Replace(dir.Path("study.toml"), "tables = \"no-such-file.toml\"", "");
  config = ReadStudyConfig(dir.str());
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("missing key 'tables'"), std::string::npos);
}

// A study folder whose codebook and codings (study.toml) give a table of themes: the
// answers' themes counted by country from the codings file, its (reconciled) rows winning.
TEST(StudyTest, ThemesOfAnOpenQuestionFromTheStudysCodingsFile) {
  TempFolder dir;
  CopyStudy(dir);
  auto data = csv::ReadTable(dir.Path("synthetic/ngo_trafficking_roles_SYNTHETIC.csv"));
  ASSERT_TRUE(data);
  size_t id = *data->ColumnIndex("instance_id"), country = *data->ColumnIndex("country");
  size_t answer = *data->ColumnIndex("major_difficulties");
  std::vector<std::string> kh, vn;
  for (const auto& row : data->rows) {
    if (!row[answer].empty()) (row[country] == "KH" ? kh : vn).push_back(row[id]);
  }
  ASSERT_GE(kh.size(), 3u);
  ASSERT_GE(vn.size(), 2u);
  ASSERT_TRUE(WriteFileAtomic(dir.Path("codebook.toml"),
                              "version = \"1\"\n[[theme]]\nid = \"resources\"\nlabel = "
                              "\"Resources\"\n[[theme]]\nid = \"funding\"\nparent = "
                              "\"resources\"\nlabel = \"Funding\"\n[[theme]]\nid = "
                              "\"stigma\"\nlabel = \"Stigma\"\n"));
  std::string codings = "instance_id,question,coder,code,start,end\n";
  codings += kh[0] + ",major_difficulties,lan,funding,0,9\n";
  codings += kh[1] + ",major_difficulties,lan,funding,,\n";
  codings += kh[1] + ",major_difficulties,sokha,stigma,,\n";
  codings += kh[1] + ",major_difficulties,(reconciled),stigma,,\n";
  codings += kh[2] + ",major_difficulties,lan,,,\n";
  codings += vn[0] + ",major_difficulties,sokha,stigma,,\n";
  ASSERT_TRUE(WriteFileAtomic(dir.Path("codings.csv"), codings));
  // The study's own codebook replaced, its qualitative section left out.
  Replace(dir.Path("study.toml"), "codings = \"synthetic/codings_SYNTHETIC.csv\"",
          "codings = \"codings.csv\"");
  Replace(dir.Path("study.toml"), "qualitative = \"qualitative.toml\"", "");
  std::string tables = *ReadFile(dir.Path("tables.toml"));
  tables +=
      "\n[[table]]\nid = \"Q1\"\ntitle = \"Major difficulties\"\nby = \"country\"\n"
      "[[table.row]]\nitem = \"themes(major_difficulties)\"\n";
  ASSERT_TRUE(WriteFileAtomic(dir.Path("tables.toml"), tables));
  auto inputs = LoadStudyInputs(dir.str());
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  const analysis::TableResult& table = report->tables.back();
  ASSERT_EQ(table.id, "Q1");
  const analysis::ItemResult& item = table.items[0];
  ASSERT_EQ(item.options.size(), 4u);  // resources, funding, stigma, (no theme)
  ASSERT_EQ(table.columns[0].key, "KH");
  EXPECT_EQ(item.options[1].cells[0].count, 1u);  // funding: kh[0]; kh[1] reconciled as stigma
  EXPECT_EQ(item.options[1].cells[0].base, 3u);
  EXPECT_EQ(item.options[0].cells[0].count, 1u);  // resources, through funding
  EXPECT_EQ(item.options[2].cells[0].count, 1u);  // stigma: kh[1]
  EXPECT_EQ(item.options[3].cells[0].count, 1u);  // no theme: kh[2]
  EXPECT_EQ(item.options[2].cells[1].count, 1u);  // stigma: vn[0]
  EXPECT_EQ(item.options[2].cells[1].base, 1u);
  EXPECT_EQ(item.nonresponse[0].missing, kh.size() - 3);  // answered, not coded

  // A codings row for an answer the data do not have: named at its line, nothing written.
  ASSERT_TRUE(WriteFileAtomic(dir.Path("codings.csv"),
                              codings + "uuid:nobody,major_difficulties,lan,funding,,\n"));
  auto written = WriteStudyReport(dir.str(), dir.Path("out"), NullProgress::Instance());
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, "COD003");
  EXPECT_TRUE(written.error().where.file.ends_with("codings.csv"));
  EXPECT_EQ(written.error().where.row, 8);
  EXPECT_FALSE(std::filesystem::exists(dir.Path("out/report.html")));
}

TEST(StudyTest, DataThatDoNotFitTheFormAreNamedByRowAndColumn) {
  TempFolder dir;
  CopyStudy(dir);
  auto config = ReadStudyConfig(dir.str());
  ASSERT_TRUE(config);
  std::string text = *ReadFile(config->data);
  // The first data row's country becomes a value that is not an option.
  size_t line2 = text.find('\n') + 1;
  size_t kh = text.find(",KH,", line2);
  ASSERT_NE(kh, std::string::npos);
  text.replace(kh, 4, ",XX,");
  ASSERT_TRUE(WriteFileAtomic(config->data, text));
  auto written = WriteStudyReport(dir.str(), dir.Path("out"), NullProgress::Instance());
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().where.row, 2);
  EXPECT_GT(written.error().where.column, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.Path("out/report.html")));
}

TEST(OtherStudyTest, ShippedDataAreWhatSynthesisWritesWithoutPublishedTables) {
  auto inputs = LoadStudyInputs(kHousehold);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  EXPECT_FALSE(inputs->audit);
  auto synth = SynthesizeStudy(*inputs);
  ASSERT_TRUE(synth) << synth.error().ToString();
  EXPECT_TRUE(synth->targets.empty());
  size_t completed = 0;
  for (const auto& c : inputs->frame->cases) completed += IsCompletedInterview(c);
  EXPECT_EQ(synth->rows.size(), completed);
  auto shipped = ReadFile(inputs->config.data);
  ASSERT_TRUE(shipped) << shipped.error().ToString();
  EXPECT_TRUE(*shipped == SynthCsv(*synth))
      << inputs->config.data << " is not what synthesis gives today: run `ngosurvey synth "
      << kHousehold << "`";
  // The roster: as many members as each household's size (the repeat's repeat_count),
  // each linked to its household, in the file study.toml names.
  ASSERT_EQ(synth->repeats.size(), 1u);
  const SynthRepeat& members = synth->repeats[0];
  EXPECT_EQ(members.name, "members");
  std::map<std::string, size_t> listed;
  for (const auto& row : members.rows) {
    EXPECT_EQ(row.front(), "SYNTHETIC");
    ++listed[row[row.size() - 2]];  // PARENT_KEY
  }
  size_t size_column =
      std::find(synth->header.begin(), synth->header.end(), "hh_size") - synth->header.begin();
  ASSERT_LT(size_column, synth->header.size());
  for (const auto& household : synth->rows) {
    EXPECT_EQ(std::to_string(listed[household[1]]), household[size_column]) << household[1];
  }
  auto shipped_members = ReadFile(RepeatFiles(*inputs).at("members"));
  ASSERT_TRUE(shipped_members) << shipped_members.error().ToString();
  EXPECT_TRUE(*shipped_members == SynthRepeatCsv(members))
      << "the roster is not what synthesis gives today: run `ngosurvey synth " << kHousehold << "`";
}

TEST(OtherStudyTest, ReportHasNumbersInEveryTableAndNoneOfTheReferenceStudysWords) {
  auto inputs = LoadStudyInputs(kHousehold);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance());
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->tables.size(), 6u);  // H1-H3 of households, M1-M3 of the roster
  // M1 and M2 count the members (every member of the roster in M1's Total column), M3
  // the households, with items computed over their members.
  auto synth = SynthesizeStudy(*LoadStudyInputs(kHousehold));
  ASSERT_TRUE(synth) << synth.error().ToString();
  const size_t roster = synth->repeats.at(0).rows.size();
  EXPECT_EQ(report->tables[3].items[0].nonresponse.back().total, roster);
  EXPECT_EQ(report->tables[5].items[0].nonresponse.back().total, report->respondents);
  EXPECT_EQ(report->tables[5].items[0].kind, analysis::ItemKind::kNumeric);
  for (const auto& table : report->tables) {
    // study.toml's [design] reaches every table: weighted, with design-based figures.
    EXPECT_TRUE(table.design.used()) << table.id;
    ASSERT_FALSE(table.items.empty()) << table.id;
    for (const auto& item : table.items) {
      bool has_figure = !item.options.empty() || !item.numeric.empty();
      EXPECT_TRUE(has_figure) << table.id << " " << item.item;
      for (const auto& option : item.options) {
        for (const auto& cell : option.cells) EXPECT_TRUE(cell.design) << item.item;
      }
    }
  }
  std::string html = RenderStudyReportHtml(*report);
  std::string md = RenderStudyReportMarkdown(*report);
  for (const std::string& page : {html, md}) {
    for (std::string_view leak :
         {"NGO", "published", "audit", "victims", "organisation", "Every published cell"}) {
      EXPECT_EQ(page.find(leak), std::string::npos) << "the reference study's words: " << leak;
    }
  }
  EXPECT_NE(html.find("households"), std::string::npos);
  EXPECT_NE(html.find("administered face to face"), std::string::npos);
  EXPECT_NE(html.find("Sampling design: weights <code>weight</code>"), std::string::npos);
  EXPECT_NE(html.find("Refusals were recorded as -99"), std::string::npos);  // [notes]
  // Each table's own section, with its rows (not an empty header).
  for (const auto& table : report->tables) {
    EXPECT_NE(html.find(text::EscapeHtml(table.title)), std::string::npos) << table.title;
    EXPECT_NE(md.find(table.title), std::string::npos) << table.title;
  }
  EXPECT_NE(html.find("Sources of income"), std::string::npos);
  EXPECT_NE(html.find("Own business"), std::string::npos);  // a choice label as a row
  EXPECT_NE(md.find("Own business"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  // A weighted mean shows its linearised standard error, in both formats.
  const analysis::NumericCell* size = nullptr;
  for (const auto& item : report->tables[0].items) {
    if (item.item == "hh_size") size = &item.numeric[0];
  }
  ASSERT_TRUE(size && size->mean_se);
  EXPECT_NE(html.find("<th scope=\"row\">se</th>"), std::string::npos);
  EXPECT_NE(md.find("(se "), std::string::npos);
}

TEST(OtherStudyTest, ReportInAnotherLanguageOfTheForm) {
  auto inputs = LoadStudyInputs(kHousehold);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  StudyReportOptions options;
  options.language = "vi";
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance(), options);
  ASSERT_TRUE(report) << report.error().ToString();
  std::string html = RenderStudyReportHtml(*report);
  EXPECT_NE(html.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_NE(html.find("Kinh doanh"), std::string::npos);  // "Own business" in Vietnamese
  EXPECT_EQ(html.find("Own business"), std::string::npos);
  // The roster's questions and choices too.
  EXPECT_NE(html.find("Giới tính"), std::string::npos);
  EXPECT_NE(html.find("Thành phố trong nước"), std::string::npos);
  EXPECT_EQ(html.find("A city in the country"), std::string::npos);
}

// The text a reader sees on a page: HTML without its tags, styles and entities, but
// with the words of its title, data-label and aria-label attributes (tooltips and the
// narrow layout's labels); Markdown as it is.
std::string VisibleText(std::string_view page) {
  std::string out;
  size_t at = 0;
  auto unescape = [](std::string text) {
    for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"&lt;", "<"},
                            {"&gt;", ">"},
                            {"&quot;", "\""},
                            {"&#39;", "'"},
                            {"&#x27;", "'"},
                            {"&amp;", "&"}}) {
      for (size_t i = text.find(from); i != std::string::npos; i = text.find(from, i)) {
        text.replace(i, from.size(), to);
        i += to.size();
      }
    }
    return text;
  };
  while (at < page.size()) {
    size_t open = page.find('<', at);
    out += unescape(
        std::string(page.substr(at, open == std::string_view::npos ? page.npos : open - at)));
    if (open == std::string_view::npos) break;
    if (page.substr(open).starts_with("<style")) {
      size_t end = page.find("</style>", open);
      at = end == std::string_view::npos ? page.size() : end + 8;
      continue;
    }
    size_t close = page.find('>', open);
    std::string_view tag = page.substr(open, close - open);
    for (std::string_view attribute : {" title=\"", " data-label=\"", " aria-label=\""}) {
      size_t a = tag.find(attribute);
      if (a == std::string_view::npos) continue;
      size_t start = a + attribute.size();
      out += "\n" + unescape(std::string(tag.substr(start, tag.find('"', start) - start))) + "\n";
    }
    out += "\n";
    at = close == std::string_view::npos ? page.size() : close + 1;
  }
  return out;
}

// The English words of the tool's catalogue (base/words.h) that show on `page` although
// the catalogue has them in `language`: each stretch of an English text between its
// "{}" with three letters or more, found as whole words, unless its translation keeps
// it (a name: "Fisher", "Holm"). `names` are the data's identifiers (the form's
// question names, a design's columns) and `texts` the study's own texts in any language
// (labels of the form, titles and notes of the specs and of study.toml: English where
// the study gives no translation), which are not words of the tool.
std::vector<std::string> EnglishWordsOn(std::string_view page, std::string_view language,
                                        const std::vector<std::string>& names,
                                        std::vector<std::string> texts) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto word_char = [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '_'; };
  std::string text = VisibleText(page);
  std::sort(texts.begin(), texts.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& own : texts) {
    if (own.size() < 3) continue;
    for (size_t at = text.find(own); at != std::string::npos; at = text.find(own, at)) {
      text.replace(at, own.size(), "#");
    }
  }
  for (const std::string& name : names) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      bool starts = at == 0 || !word_char(text[at - 1]);
      bool ends = at + name.size() >= text.size() || !word_char(text[at + name.size()]);
      if (starts && ends) text.replace(at, name.size(), std::string(name.size(), '#'));
    }
  }
  std::vector<std::string> found;
  for (const words::Entry& e : words::Catalogue()) {
    std::string_view translated = words::Pattern(e.word, language);
    if (translated == e.en) continue;  // no translation: nothing to leak
    size_t from = 0;
    while (from <= e.en.size()) {
      size_t hole = e.en.find("{}", from);
      std::string_view part =
          e.en.substr(from, hole == std::string_view::npos ? e.en.npos : hole - from);
      from = hole == std::string_view::npos ? e.en.size() + 1 : hole + 2;
      while (!part.empty() && !letter(part.front())) part.remove_prefix(1);
      while (!part.empty() && !letter(part.back()) && part.back() != ')') part.remove_suffix(1);
      if (std::count_if(part.begin(), part.end(), letter) < 3) continue;
      if (translated.find(part) != std::string_view::npos) continue;  // a name it keeps
      for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        bool starts = at == 0 || !word_char(text[at - 1]);
        bool ends = at + part.size() >= text.size() || !word_char(text[at + part.size()]);
        if (starts && ends) {
          size_t line = text.rfind('\n', at);
          line = line == std::string::npos ? 0 : line + 1;
          found.push_back(std::string(e.key) + ": \"" + std::string(part) + "\" in \"" +
                          text.substr(line, std::min<size_t>(text.find('\n', at) - line, 160)) +
                          "\"");
          break;
        }
      }
    }
  }
  return found;
}

TEST(OtherStudyTest, TheReportAndTablesSpeakTheLanguageAskedFor) {
  for (std::string language : {"vi", "km"}) {
    SCOPED_TRACE(language);
    auto inputs = LoadStudyInputs(kHousehold);
    ASSERT_TRUE(inputs) << inputs.error().ToString();
    StudyReportOptions options;
    options.language = language;
    auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance(), options);
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_EQ(report->words_language, language);
    std::string html = RenderStudyReportHtml(*report);
    std::string md = RenderStudyReportMarkdown(*report);
    // The tables as `tabulate --lang` prints them, in both text formats.
    report::RenderOptions render;
    render.language = language;
    auto tables_html = report::RenderTables(report->tables, report::TableFormat::kHtml, render);
    auto tables_md = report::RenderTables(report->tables, report::TableFormat::kMarkdown, render);
    ASSERT_TRUE(tables_html && tables_md);
    std::vector<std::string> names;
    for (const form::Question& q : report->inputs.form.questions) names.push_back(q.name);
    const analysis::DesignSpec& design = report->inputs.config.design;
    for (const std::string& column : {design.weight, design.strata, design.cluster, design.fpc}) {
      if (!column.empty()) names.push_back(column);
    }
    // The study's own texts, in every language it has them (English where not translated).
    std::vector<std::string> texts;
    const form::Form& form = report->inputs.form;
    for (const form::Question& q : form.questions) {
      for (const auto& [code, label] : q.label) texts.push_back(label);
    }
    for (const form::ChoiceList& list : form.choice_lists) {
      for (const form::Choice& choice : list.choices) {
        for (const auto& [code, label] : choice.label) texts.push_back(label);
      }
    }
    texts.push_back(form.title);
    for (const auto& [key, value] : form.settings.values) texts.push_back(value);
    for (const form::Language& l : form.languages) texts.push_back(l.name);
    auto add_all = [&](const std::map<std::string, std::string>& by_language) {
      for (const auto& [code, text] : by_language) texts.push_back(text);
    };
    const StudyConfig& config = report->inputs.config;
    add_all(config.title_by_language);
    add_all(config.mode_by_language);
    for (const auto& [section, by_language] : config.notes_by_language) add_all(by_language);
    auto specs = analysis::ReadTableSpecs(config.tables);
    ASSERT_TRUE(specs);
    for (const analysis::TableSpec& spec : *specs) {
      add_all(spec.title_by_language);
      texts.push_back(spec.title);
      for (const auto& [code, notes] : spec.notes_by_language)
        texts.insert(texts.end(), notes.begin(), notes.end());
      texts.insert(texts.end(), spec.notes.begin(), spec.notes.end());
      for (const analysis::RowSpec& row : spec.rows) {
        add_all(row.label_by_language);
        texts.push_back(row.label);
      }
    }
    for (const auto& [name, page] : {std::pair<std::string, std::string*>{"report.html", &html},
                                     {"report.md", &md},
                                     {"tables.html", &*tables_html},
                                     {"tables.md", &*tables_md}}) {
      for (const std::string& leak : EnglishWordsOn(*page, language, names, texts))
        ADD_FAILURE() << name << " prints the English of " << leak;
      // Still SYNTHETIC on every page (a word readers of any language search for).
      if (name.starts_with("report")) {
        EXPECT_NE(page->find("SYNTHETIC"), std::string::npos);
      }
    }
    // The words are the catalogue's: a word of each kind, in this language.
    for (words::Word word : {words::Word::kTableNonresponse, words::Word::kReportStudyDesign,
                             words::Word::kStatMean}) {
      EXPECT_NE(html.find(words::Text(word, language)), std::string::npos) << words::Key(word);
    }
    EXPECT_NE(md.find(words::Text(words::Word::kTableItem, language)), std::string::npos);
  }
  // Only Vietnamese titles are given (examples/household/tables.toml): Khmer keeps English.
  auto inputs = LoadStudyInputs(kHousehold);
  ASSERT_TRUE(inputs);
  StudyReportOptions options;
  options.language = "Vietnamese";  // a name of the form's language works as its code
  auto report = BuildStudyReport(std::move(*inputs), NullProgress::Instance(), options);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->words_language, "vi");
  EXPECT_EQ(report->tables[1].title, "Bảng H2. Các nguồn thu nhập");
  std::string html = RenderStudyReportHtml(*report);
  EXPECT_NE(html.find("<h1>" + report->inputs.config.title_by_language.at("vi") + "</h1>"),
            std::string::npos);
  EXPECT_NE(html.find(report->inputs.config.unit.Count(report->respondents, "vi")),
            std::string::npos)
      << "the unit in Vietnamese";
  EXPECT_NE(html.find(report->inputs.config.notes_by_language.at("nonresponse").at("vi")),
            std::string::npos);
}

TEST(OtherStudyTest, PerLanguageTextsOfTheStudyAndItsSpecs) {
  TempFolder dir;
  std::filesystem::copy(
      kHousehold, dir.str(),
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  auto config = ReadStudyConfig(dir.str());
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->mode, "face to face");  // `mode = { en = ..., vi = ... }`: the English
  EXPECT_EQ(config->mode_by_language.at("vi"), "trực tiếp");
  EXPECT_TRUE(config->title.starts_with("Household migration survey"));
  // A table of languages without English is refused at its line.
  Replace(dir.Path("study.toml"), "mode = { en = \"face to face\", ", "mode = { ");
  config = ReadStudyConfig(dir.str());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "SD002");
  EXPECT_NE(config.error().message.find("English"), std::string::npos);
  EXPECT_GT(config.error().where.row, 1);

  auto specs = analysis::ParseTableSpecs(
      "[[table]]\nid = \"T\"\ntitle = { en = \"Income\", vi = \"Thu nhập\" }\n"
      "notes = { en = [\"A note\"], vi = \"Ghi chú\" }\n"
      "[[table.row]]\nitem = \"q\"\nlabel = { en = \"Q\", km = \"សំណួរ\" }\n",
      "t.toml");
  ASSERT_TRUE(specs) << specs.error().ToString();
  analysis::TableSpec spec = specs->at(0);
  EXPECT_EQ(spec.title, "Income");
  EXPECT_EQ(spec.notes, std::vector<std::string>{"A note"});
  analysis::UseLanguage("vi", &spec);
  EXPECT_EQ(spec.title, "Thu nhập");
  EXPECT_EQ(spec.notes, std::vector<std::string>{"Ghi chú"});
  EXPECT_EQ(spec.rows[0].label, "Q");  // no Vietnamese label: the English
  analysis::UseLanguage("km", &spec);
  EXPECT_EQ(spec.rows[0].label, "សំណួរ");
  auto bad = analysis::ParseTableSpecs(
      "[[table]]\nid = \"T\"\ntitle = { vi = \"Thu nhập\" }\n[[table.row]]\nitem = \"q\"\n",
      "t.toml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "TS002");
  EXPECT_EQ(bad.error().where.row, 3);
}

TEST(OtherStudyTest, UnitWordsAndBadUnitsAreNamed) {
  auto known = KnownUnitWords("household");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->Count(1), "1 household");
  EXPECT_EQ(known->Count(3), "3 households");
  EXPECT_EQ(known->Count(3, "vi"), "3 hộ gia đình");
  EXPECT_EQ(known->Count(3, "fr"), "3 households");  // a language without words: English
  EXPECT_FALSE(KnownUnitWords("ship"));

  TempFolder dir;
  std::filesystem::copy(
      kHousehold, dir.str(),
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  Replace(dir.Path("study.toml"), "unit = \"household\"", "unit = \"ship\"");
  auto config = ReadStudyConfig(dir.str());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "SD002");
  EXPECT_NE(config.error().message.find("ship"), std::string::npos);
  EXPECT_GT(config.error().where.row, 1);

  Replace(dir.Path("study.toml"), "unit = \"ship\"",
          "unit = { en = [\"ship\", \"ships\"], vi = [\"tàu\", \"tàu\"] }");
  config = ReadStudyConfig(dir.str());
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->unit.Count(2), "2 ships");
  EXPECT_EQ(config->unit.Count(2, "vi"), "2 tàu");

  Replace(dir.Path("study.toml"), "strata = \"province\"", "strata = 3");
  config = ReadStudyConfig(dir.str());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "SD002");
}

}  // namespace
}  // namespace ngosurvey::study
