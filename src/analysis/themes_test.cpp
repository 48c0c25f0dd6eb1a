// Themes as items: which codes count, the hierarchy, states, and a small table checked
// by hand (counts, bases, Wilson interval, Fisher's exact test).
#include "analysis/themes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "form/testing/form_rows.h"

namespace ngosurvey::analysis {
namespace {

using form::Answer;
using store::AnswerCoding;
using store::CodedSegment;

form::Codebook Book() {
  auto book = form::ParseCodebook(
      "version = \"1\"\n"
      "languages = [\"en\", \"vi\"]\n"
      "[[theme]]\nid = \"resources\"\nlabel = { en = \"Resources\", vi = \"Nguồn lực\" }\n"
      "[[theme]]\nid = \"funding\"\nparent = \"resources\"\n"
      "label = { en = \"Funding\", vi = \"Tài chính\" }\n"
      "[[theme]]\nid = \"staff\"\nparent = \"resources\"\nlabel = \"Staff\"\n"
      "[[theme]]\nid = \"stigma\"\nlabel = \"Stigma\"\n",
      "book.toml");
  EXPECT_TRUE(book) << book.error().ToString();
  return *book;
}

AnswerCoding Coding(std::string id, std::string coder, std::vector<std::string> codes) {
  AnswerCoding c;
  c.instance_id = std::move(id);
  c.question = "difficulties";
  c.coder = std::move(coder);
  for (std::string& code : codes) c.segments.push_back({std::move(code), {}, {}});
  if (c.segments.empty()) c.segments.push_back({"", {}, {}});
  return c;
}

TEST(ThemesTest, ItemNames) {
  EXPECT_EQ(ThemeItemName("difficulties"), "themes(difficulties)");
  EXPECT_EQ(ThemeItemQuestion("themes(difficulties)"), "difficulties");
  EXPECT_FALSE(ThemeItemQuestion("difficulties"));
  EXPECT_FALSE(ThemeItemQuestion("themes()"));
  EXPECT_FALSE(ThemeItemQuestion("themes(a b)"));
  EXPECT_FALSE(ThemeItemQuestion("themes(difficulties"));
}

TEST(ThemesTest, ReconciledCodesWinThenTheNamedCoderThenAgreement) {
  std::vector<AnswerCoding> codings = {
      Coding("uuid:1", "lan", {"funding"}),
      Coding("uuid:1", "sokha", {"staff"}),
      Coding("uuid:1", store::kReconciledCoder, {"funding", "staff"}),
      Coding("uuid:2", "lan", {"stigma"}),
      Coding("uuid:2", "sokha", {"stigma"}),
      Coding("uuid:3", "sokha", {}),
  };
  auto agreed = CountedThemes(codings, "");
  ASSERT_TRUE(agreed) << agreed.error().ToString();
  EXPECT_EQ(agreed->at("uuid:1"), (std::vector<std::string>{"funding", "staff"}));
  EXPECT_EQ(agreed->at("uuid:2"), (std::vector<std::string>{"stigma"}));
  EXPECT_TRUE(agreed->at("uuid:3").empty());  // read, no code

  auto lan = CountedThemes(codings, "lan");
  ASSERT_TRUE(lan);
  EXPECT_EQ(lan->at("uuid:1"), (std::vector<std::string>{"funding", "staff"}));  // reconciled
  EXPECT_EQ(lan->count("uuid:3"), 0u);  // lan did not code it

  // A disagreement nobody reconciled: an error naming the answer and both coders.
  codings.push_back(Coding("uuid:4", "lan", {"funding"}));
  codings.push_back(Coding("uuid:4", "sokha", {"funding", "stigma"}));
  auto disagree = CountedThemes(codings, "");
  ASSERT_FALSE(disagree);
  EXPECT_EQ(disagree.error().code, "THM001");
  EXPECT_NE(disagree.error().message.find("uuid:4"), std::string::npos);
  EXPECT_NE(disagree.error().message.find("lan: funding; sokha: funding stigma"),
            std::string::npos);
  auto named = CountedThemes(codings, "sokha");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->at("uuid:4"), (std::vector<std::string>{"funding", "stigma"}));
}

TEST(ThemesTest, SegmentsCountOnceAsTheirTheme) {
  AnswerCoding c = Coding("uuid:1", "lan", {});
  c.segments = {{"funding", 0, 4}, {"funding", 6, 9}, {"staff", 2, 3}};
  auto counted = CountedThemes({c}, "");
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->at("uuid:1"), (std::vector<std::string>{"funding", "staff"}));
}

// KH: four answers coded, one answered but not coded; VN: three coded, one refusal.
struct Fixture {
  Dataset data;
  form::Codebook book = Book();
  OpenAnswers answers;
  std::vector<AnswerCoding> codings;

  Fixture() {
    std::vector<std::string> country = {"KH", "KH", "KH", "KH", "KH", "VN", "VN", "VN", "VN"};
    ColumnBuilder builder("country", ColumnKind::kSingle, {"KH", "VN"});
    for (const std::string& c : country) EXPECT_TRUE(builder.Append(Answer::Answered(c)));
    EXPECT_TRUE(data.AddColumn(std::move(builder).Finish()));
    answers.question = "difficulties";
    answers.label = "Major difficulties";
    for (int i = 1; i <= 9; ++i) {
      answers.instance_ids.push_back("uuid:" + std::to_string(i));
      answers.answers.push_back(i == 9 ? Answer::Refused()
                                       : Answer::Answered("answer " + std::to_string(i)));
    }
    codings = {
        Coding("uuid:1", "lan", {"funding"}), Coding("uuid:2", "lan", {"funding", "staff"}),
        Coding("uuid:3", "lan", {"funding"}), Coding("uuid:3", "sokha", {"staff"}),
        Coding("uuid:3", store::kReconciledCoder, {"funding"}), Coding("uuid:4", "lan", {}),
        // uuid:5 answered, not coded
        Coding("uuid:6", "sokha", {"staff"}), Coding("uuid:7", "lan", {}),
        Coding("uuid:8", "lan", {"stigma"}),
        Coding("pretest:1", "lan", {"stigma"}),  // not a row of the data: ignored
    };
  }
};

TEST(ThemesTest, ColumnHasTheThemesWithTheHierarchyAndStates) {
  Fixture f;
  auto column = BuildThemeColumn(f.book, f.answers, f.codings, {});
  ASSERT_TRUE(column) << column.error().ToString();
  EXPECT_EQ(column->name, "themes(difficulties)");
  EXPECT_EQ(column->label, "Major difficulties");
  EXPECT_EQ(column->options,
            (std::vector<std::string>{"resources", "funding", "staff", "stigma", "(no theme)"}));
  EXPECT_EQ(column->option_labels,
            (std::vector<std::string>{"Resources", "Resources: Funding", "Resources: Staff",
                                      "Stigma", "No theme"}));
  const auto& bits = column->planes[0];
  EXPECT_EQ(bits[0], 0b00011);  // funding and its parent
  EXPECT_EQ(bits[1], 0b00111);
  EXPECT_EQ(bits[2], 0b00011);  // reconciled: funding
  EXPECT_EQ(bits[3], 0b10000);  // no theme
  EXPECT_EQ(bits[4], kCodeMissing);
  EXPECT_EQ(bits[5], 0b00101);
  EXPECT_EQ(bits[8], kCodeRefused);

  ThemeItemOptions vi;
  vi.language = "vi";
  auto labels = BuildThemeColumn(f.book, f.answers, f.codings, vi);
  ASSERT_TRUE(labels);
  EXPECT_EQ(labels->option_labels[1], "Nguồn lực: Tài chính");
  EXPECT_EQ(labels->option_labels[2], "Nguồn lực: Staff");  // the default language's

  f.codings.push_back(Coding("uuid:7", "sokha", {"unknown_theme"}));
  f.codings.push_back(Coding("uuid:7", store::kReconciledCoder, {"unknown_theme"}));
  auto unknown = BuildThemeColumn(f.book, f.answers, f.codings, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "THM002");
}

TEST(ThemesTest, TableCountsNgosMentioningEachThemeCheckedByHand) {
  Fixture f;
  ThemeInputs inputs;
  inputs.codebook = &f.book;
  inputs.answers["difficulties"] = f.answers;
  inputs.codings["difficulties"] = f.codings;
  ASSERT_TRUE(AddThemeColumns({{"themes(difficulties)", "difficulties", ""}}, inputs, &f.data));
  TableSpec spec;
  spec.id = "q";
  spec.by = {"country"};
  spec.total = true;
  RowSpec row;
  row.item = "themes(difficulties)";
  spec.rows = {row};
  auto table = Tabulate(f.data, spec);
  ASSERT_TRUE(table) << table.error().ToString();
  const ItemResult& item = table->items[0];
  EXPECT_EQ(item.kind, ItemKind::kMulti);
  ASSERT_EQ(item.options.size(), 5u);
  // Funding: KH answers 1, 2 and 3 of the 4 coded; VN none of 3.
  const OptionRow& funding = item.options[1];
  EXPECT_EQ(funding.cells[0].count, 3u);
  EXPECT_EQ(funding.cells[0].base, 4u);
  EXPECT_EQ(funding.cells[0].percent, "75.0");
  EXPECT_EQ(funding.cells[1].count, 0u);
  EXPECT_EQ(funding.cells[1].base, 3u);
  EXPECT_EQ(funding.cells[2].count, 3u);
  EXPECT_EQ(funding.cells[2].base, 7u);
  // Resources (the parent): KH 1, 2, 3; VN 6 (staff).
  EXPECT_EQ(item.options[0].cells[0].count, 3u);
  EXPECT_EQ(item.options[0].cells[1].count, 1u);
  // No theme: KH 4, VN 7.
  EXPECT_EQ(item.options[4].cells[0].count, 1u);
  EXPECT_EQ(item.options[4].cells[1].count, 1u);
  // Wilson's interval for 3 of 4 by its formula (z = 1.959964).
  double z = 1.959963984540054, n = 4, p = 0.75;
  double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  ASSERT_TRUE(funding.cells[0].wilson);
  EXPECT_NEAR(funding.cells[0].wilson->lower, centre - half, 1e-12);
  EXPECT_NEAR(funding.cells[0].wilson->upper, centre + half, 1e-12);
  // Fisher's exact test of [[3, 1], [0, 3]] by hand: with 3 mentions among 7 answers and 4
  // in KH, P(X = x) = C(3,x) C(4,4-x) / C(7,4) = 1, 12, 18, 4 (/35) for x = 0..3; the
  // tables as likely as the observed one or less are x = 0 and x = 3: p = 5/35.
  ASSERT_FALSE(funding.tests.empty());
  ASSERT_TRUE(funding.tests[0].p);
  EXPECT_NEAR(*funding.tests[0].p, 5.0 / 35.0, 1e-12);
  // Nonresponse: KH one answer not coded (missing), VN one refusal.
  EXPECT_EQ(item.nonresponse[0].missing, 1u);
  EXPECT_EQ(item.nonresponse[0].answered, 4u);
  EXPECT_EQ(item.nonresponse[1].refused, 1u);
}

TEST(ThemesTest, QuotesAreTheThemesSegmentsDrawnWithASeed) {
  Fixture f;
  // Segments: uuid:1 "answer 1" coded funding on "answer" and staff on "1".
  f.codings[0].segments = {{"funding", 0, 6}, {"staff", 7, 8}};
  f.answers.answers[0] = Answer::Answered("answer 1");
  // uuid:2: two funding segments, one overlapping the other, and staff whole.
  f.answers.answers[1] = Answer::Answered("Tài chính thiếu, lương thấp");
  f.codings[1].segments = {{"funding", 0, 9}, {"funding", 4, 15}, {"staff", {}, {}}};
  QuoteOptions options;
  options.per_theme = 5;
  auto quotes = SelectQuotes(f.book, f.answers, f.codings, options);
  ASSERT_TRUE(quotes) << quotes.error().ToString();
  ASSERT_EQ(quotes->size(), 4u);  // every theme but (no theme)
  const ThemeQuotes& funding = (*quotes)[1];
  EXPECT_EQ(funding.theme, "funding");
  EXPECT_EQ(funding.label, "Resources: Funding");
  EXPECT_EQ(funding.mentioned, 3u);  // uuid:1, 2, 3
  ASSERT_EQ(funding.quotes.size(), 3u);
  std::map<std::string, std::string> by_id;
  for (const ThemeQuote& q : funding.quotes) by_id[q.instance_id] = q.text;
  EXPECT_EQ(by_id.at("uuid:1"), "answer");           // its segment
  EXPECT_EQ(by_id.at("uuid:2"), "Tài chính thiếu");  // overlapping segments once
  EXPECT_EQ(by_id.at("uuid:3"), "answer 3");         // whole-answer code
  // The parent quotes its children's segments: uuid:1's funding and staff segments.
  for (const ThemeQuote& q : (*quotes)[0].quotes) {
    if (q.instance_id == "uuid:1") {
      EXPECT_EQ(q.text, "answer … 1");
    }
    if (q.instance_id == "uuid:2") {
      EXPECT_EQ(q.text, "Tài chính thiếu, lương thấp");
    }
  }
  EXPECT_EQ((*quotes)[3].theme, "stigma");
  ASSERT_EQ((*quotes)[3].quotes.size(), 1u);
  EXPECT_EQ((*quotes)[3].quotes[0].instance_id, "uuid:8");

  // A seeded draw: the same seed the same quotes, in the same order; one per theme.
  options.per_theme = 1;
  std::set<std::string> drawn;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    options.seed = seed;
    auto a = SelectQuotes(f.book, f.answers, f.codings, options);
    auto b = SelectQuotes(f.book, f.answers, f.codings, options);
    ASSERT_TRUE(a && b);
    ASSERT_EQ((*a)[1].quotes.size(), 1u);
    EXPECT_EQ((*a)[1].quotes[0].instance_id, (*b)[1].quotes[0].instance_id);
    drawn.insert((*a)[1].quotes[0].instance_id);
  }
  EXPECT_EQ(drawn.size(), 3u);  // every answer mentioning funding is drawn by some seed
}

TEST(ThemesTest, AThemeOfAnotherQuestionIsNoOption) {
  auto book = form::ParseCodebook(
      "version = \"1\"\nquestions = [\"difficulties\", \"factors\"]\n"
      "[[theme]]\nid = \"funding\"\nlabel = \"Funding\"\nquestions = [\"difficulties\"]\n"
      "[[theme]]\nid = \"partners\"\nlabel = \"Partners\"\nquestions = [\"factors\"]\n",
      "book.toml");
  ASSERT_TRUE(book) << book.error().ToString();
  Fixture f;
  std::vector<AnswerCoding> codings = {Coding("uuid:1", "lan", {"funding"})};
  auto column = BuildThemeColumn(*book, f.answers, codings, {});
  ASSERT_TRUE(column) << column.error().ToString();
  EXPECT_EQ(column->options, (std::vector<std::string>{"funding", "(no theme)"}));
  codings.push_back(Coding("uuid:2", "lan", {"partners"}));
  auto other = BuildThemeColumn(*book, f.answers, codings, {});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "THM002");
  EXPECT_NE(other.error().message.find("other questions"), std::string::npos);
}

TEST(ThemesTest, SpecUsesAreCheckedAgainstTheForm) {
  auto form = form::testing::MakeForm({{"type", "name", "label"},
                                       {"text", "difficulties", "Difficulties"},
                                       {"integer", "staff", "Staff"},
                                       {"begin_repeat", "programs", "Programs"},
                                       {"text", "program_note", "Note"},
                                       {"end_repeat", "", ""}});
  ASSERT_TRUE(form) << form.error().ToString();
  auto spec_with = [](std::string item, std::string coder) {
    TableSpec spec;
    spec.file = "t.toml";
    RowSpec row;
    row.item = std::move(item);
    row.coder = std::move(coder);
    row.line = 7;
    spec.rows = {row};
    return spec;
  };
  auto uses =
      ThemeItemsOf(*form, {spec_with("themes(difficulties)", "lan"), spec_with("staff", "")});
  ASSERT_TRUE(uses) << uses.error().ToString();
  ASSERT_EQ(uses->size(), 1u);
  EXPECT_EQ((*uses)[0].coder, "lan");
  auto overridden = ThemeItemsOf(*form, {spec_with("themes(difficulties)", "lan")}, "sokha");
  ASSERT_TRUE(overridden);
  EXPECT_EQ((*overridden)[0].coder, "sokha");
  for (const char* bad : {"themes(staff)", "themes(program_note)", "themes(nothing)"}) {
    auto refused = ThemeItemsOf(*form, {spec_with(bad, "")});
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, "T002");
    EXPECT_EQ(refused.error().where.row, 7);
  }
  auto two = ThemeItemsOf(*form, {spec_with("themes(difficulties)", "lan"),
                                  spec_with("themes(difficulties)", "sokha")});
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, "TS003");
}

csv::Table Table(std::vector<std::vector<std::string>> rows) {
  csv::Table table;
  table.file = "data.csv";
  table.header = rows.front();
  for (size_t r = 1; r < rows.size(); ++r) {
    table.rows.push_back(rows[r]);
    table.row_lines.push_back(static_cast<int>(r) + 1);
  }
  return table;
}

TEST(ThemesTest, InputsFromACsvExportAndACodingsFile) {
  auto form = form::testing::MakeForm(
      {{"type", "name", "label", "relevant"},
       {"select_one yn", "works", "Works?", ""},
       {"text", "difficulties", "Difficulties", "${works} = 'yes'"},
       {"integer", "staff", "Staff", ""}},
      {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}});
  ASSERT_TRUE(form) << form.error().ToString();
  csv::Table data = Table({{"works", "difficulties", "staff", "instance_id"},
                           {"yes", "Không đủ tiền", "3", "uuid:1"},
                           {"no", "", "2", "uuid:2"},
                           {"yes", "", "4", "uuid:3"},
                           {"yes", "refused", "1", "uuid:4"}});
  form::Codebook book = Book();
  LoadDataOptions load;
  Diagnostics diags;
  std::string codings =
      "instance_id,question,coder,code,start,end\n"
      "uuid:1,difficulties,lan,funding,0,5\n"
      "uuid:1,difficulties,(reconciled),funding,,\n";
  auto inputs = ThemeInputsFromTable(*form, data, {{"themes(difficulties)", "difficulties", ""}},
                                     book, codings, "codings.csv", load, &diags);
  ASSERT_TRUE(inputs) << inputs.error().ToString();
  const OpenAnswers& answers = inputs->answers.at("difficulties");
  EXPECT_EQ(answers.instance_ids,
            (std::vector<std::string>{"uuid:1", "uuid:2", "uuid:3", "uuid:4"}));
  EXPECT_EQ(answers.answers[0], Answer::Answered("Không đủ tiền"));
  EXPECT_EQ(answers.answers[1], Answer::NotAsked());  // works = no
  EXPECT_EQ(answers.answers[2], Answer::Missing());
  EXPECT_EQ(answers.answers[3], Answer::Refused());
  ASSERT_EQ(inputs->codings.at("difficulties").size(), 2u);

  struct Bad {
    std::string row, code;
    int column;
  };
  for (const Bad& bad : {Bad{"uuid:9,difficulties,lan,funding,,", "COD003", 1},
                         Bad{"uuid:2,difficulties,lan,funding,,", "COD003", 1},
                         Bad{"uuid:1,staff,lan,funding,,", "COD002", 2},
                         Bad{"uuid:1,difficulties,lan,nothing,,", "COD004", 4},
                         Bad{"uuid:1,difficulties,lan,funding,0,14", "COD005", 6}}) {
    auto refused = ThemeInputsFromTable(*form, data, {}, book,
                                        std::string(store::kCodingsHeader) + "\n" + bad.row + "\n",
                                        "codings.csv", load, &diags);
    ASSERT_FALSE(refused) << bad.row;
    EXPECT_EQ(refused.error().code, bad.code) << refused.error().ToString();
    EXPECT_EQ(refused.error().where.file, "codings.csv");
    EXPECT_EQ(refused.error().where.row, 2);
    EXPECT_EQ(refused.error().where.column, bad.column) << bad.row;
  }
}

}  // namespace
}  // namespace ngosurvey::analysis
