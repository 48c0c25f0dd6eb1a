#include "study/published_audit.h"

#include <gtest/gtest.h>

#include <string>

#include "base/csv.h"

namespace ngosurvey::study {
namespace {

PrintedNumber P(std::string_view text) {
  auto n = ParsePrintedNumber(text);
  EXPECT_TRUE(n.has_value()) << text;
  return n.value_or(PrintedNumber{});
}

TEST(PrintedNumberTest, PrecisionComesFromTheText) {
  EXPECT_EQ(P("50").decimals, 0);
  EXPECT_EQ(P("50").scaled, 50);
  EXPECT_EQ(P("50.0").decimals, 1);
  EXPECT_EQ(P("50.0").scaled, 500);
  EXPECT_EQ(P("0.0").scaled, 0);
  EXPECT_EQ(P("0.0").decimals, 1);
  EXPECT_EQ(P("7.25").decimals, 2);
  EXPECT_EQ(P(" 7.7 ").text, "7.7");
}

TEST(PrintedNumberTest, RefusesWhatIsNotAPlainNumber) {
  for (std::string_view bad : {"", " ", "abc", "7,7", "-7.7", "+7", "7.7%", "1e2", ".5", "5.",
                               "1.2.3", "1.2345678", "1234567890123456", "No response"}) {
    EXPECT_FALSE(ParsePrintedNumber(bad).has_value()) << bad;
  }
}

TEST(RoundingTest, HalfUpOnTheExactFraction) {
  // 1/8 = 12.5% exactly: half-up gives 13 at no decimals (banker's rounding would give 12).
  EXPECT_EQ(RoundHalfUpScaled(100, 8, 0), 13);
  EXPECT_EQ(RoundHalfUpScaled(100, 8, 1), 125);
  // 3/8 = 37.5 -> 38 (half-to-even would give 38 too), 5/8 = 62.5 -> 63 (even: 62).
  EXPECT_EQ(RoundHalfUpScaled(500, 8, 0), 63);
  // 1/16 = 6.25% -> 6.3 at one decimal; binary floating point sees 6.25 exactly, but
  // 0.1 + 0.2 style errors must not matter: 7/16 = 43.75 -> 43.8.
  EXPECT_EQ(RoundHalfUpScaled(100, 16, 1), 63);
  EXPECT_EQ(RoundHalfUpScaled(700, 16, 1), 438);
  // 1/14 = 7.142857... -> 7.1; 1/13 = 7.6923... -> 7.7.
  EXPECT_EQ(RoundHalfUpScaled(100, 14, 1), 71);
  EXPECT_EQ(RoundHalfUpScaled(100, 13, 1), 77);
  EXPECT_EQ(RoundHalfUpScaled(0, 13, 1), 0);
  EXPECT_EQ(RoundHalfUpScaled(1300, 13, 1), 1000);
}

TEST(FormatScaledTest, KeepsThePrintedDecimals) {
  EXPECT_EQ(FormatScaled(429, 1), "42.9");
  EXPECT_EQ(FormatScaled(0, 1), "0.0");
  EXPECT_EQ(FormatScaled(5, 2), "0.05");
  EXPECT_EQ(FormatScaled(50, 0), "50");
  EXPECT_EQ(FormatScaled(10075, 2), "100.75");
}

TEST(FitPercentTest, OneEighthPrintedAsThirteen) {
  Fit fit = FitPercent(P("13"), 8);
  EXPECT_TRUE(fit.consistent);
  EXPECT_EQ(fit.nearest_count, 1);
  EXPECT_EQ(fit.nearest_value, "13");
  // 12 is what round-half-even would print; no count of 8 gives 12 half-up.
  Fit twelve = FitPercent(P("12"), 8);
  EXPECT_FALSE(twelve.consistent);
  EXPECT_EQ(twelve.nearest_count, 1);
  EXPECT_EQ(twelve.nearest_value, "13");
}

TEST(FitPercentTest, SevenPointOneIsOneFourteenthNotOneThirteenth) {
  EXPECT_TRUE(FitPercent(P("7.1"), 14).consistent);
  EXPECT_EQ(FitPercent(P("7.1"), 14).nearest_count, 1);
  Fit thirteen = FitPercent(P("7.1"), 13);
  EXPECT_FALSE(thirteen.consistent);
  EXPECT_EQ(thirteen.nearest_count, 1);
  EXPECT_EQ(thirteen.nearest_value, "7.7");
  EXPECT_TRUE(FitPercent(P("7.7"), 13).consistent);
  EXPECT_FALSE(FitPercent(P("7.7"), 14).consistent);
}

TEST(FitPercentTest, ZeroAndHundredFitEveryBase) {
  for (int64_t n = 1; n <= 40; ++n) {
    EXPECT_TRUE(FitPercent(P("0"), n).consistent) << n;
    EXPECT_TRUE(FitPercent(P("0.0"), n).consistent) << n;
    EXPECT_TRUE(FitPercent(P("100"), n).consistent) << n;
    EXPECT_EQ(FitPercent(P("100"), n).nearest_count, n);
    EXPECT_EQ(FitPercent(P("0.0"), n).nearest_count, 0);
  }
  // Above 100 nothing fits; the nearest is all of them.
  Fit over = FitPercent(P("100.1"), 13);
  EXPECT_FALSE(over.consistent);
  EXPECT_EQ(over.nearest_count, 13);
  EXPECT_EQ(over.nearest_value, "100.0");
}

TEST(FitPercentTest, PrecisionDecides) {
  // 6/14 = 42.857...: "43" fits at no decimals, "43.0" does not.
  EXPECT_TRUE(FitPercent(P("43"), 14).consistent);
  EXPECT_FALSE(FitPercent(P("43.0"), 14).consistent);
  // 8/14 = 57.142...: "57" and "57.1" fit, "57.2" does not.
  EXPECT_TRUE(FitPercent(P("57"), 14).consistent);
  EXPECT_TRUE(FitPercent(P("57.1"), 14).consistent);
  EXPECT_FALSE(FitPercent(P("57.2"), 14).consistent);
  // 3/13 = 23.0769...: "23" fits; "23.0" does not (23.1 would).
  EXPECT_TRUE(FitPercent(P("23"), 13).consistent);
  EXPECT_FALSE(FitPercent(P("23.0"), 13).consistent);
  EXPECT_EQ(FitPercent(P("23.0"), 13).nearest_value, "23.1");
}

TEST(FitPercentTest, ExactHalfBoundaries) {
  // 7/16 = 43.75 exactly prints "43.8" half-up, never "43.7".
  EXPECT_TRUE(FitPercent(P("43.8"), 16).consistent);
  EXPECT_FALSE(FitPercent(P("43.7"), 16).consistent);
  // 1/40 = 2.5 -> "3"; "2" is unreachable with 40 (0/40 = 0, 1/40 -> 3).
  EXPECT_TRUE(FitPercent(P("3"), 40).consistent);
  EXPECT_FALSE(FitPercent(P("2"), 40).consistent);
  // Nearest ties go to the smaller count: 50 with N=3 sits halfway between
  // 1/3 (33.3) and 2/3 (66.7).
  Fit half = FitPercent(P("50"), 3);
  EXPECT_FALSE(half.consistent);
  EXPECT_EQ(half.nearest_count, 1);
  EXPECT_EQ(half.nearest_value, "33");
}

TEST(FitPercentTest, StudyCellFortyThreePointEight) {
  // Table 1 KH "Years working: 1-4 years" = 43.8 with N = 14: 6/14 = 42.9, 7/14 = 50.0.
  Fit fit = FitPercent(P("43.8"), 14);
  EXPECT_FALSE(fit.consistent);
  EXPECT_EQ(fit.nearest_count, 6);
  EXPECT_EQ(fit.nearest_value, "42.9");
}

TEST(SmallestCountTest, LowestCountThatPrintsTheValue) {
  EXPECT_EQ(SmallestCount(P("7.7"), 13), 1);
  EXPECT_EQ(SmallestCount(P("0.0"), 13), 0);
  EXPECT_EQ(SmallestCount(P("100"), 13), 13);
  EXPECT_EQ(SmallestCount(P("7.1"), 13), std::nullopt);
  // With N = 300, 1/300 = 0.33 and 2/300 = 0.67: "1" at no decimals needs k = 2 (0.67 -> 1)
  // and k = 4 (1.33 -> 1); the smallest is 2.
  EXPECT_EQ(SmallestCount(P("1"), 300), 2);
}

TEST(FitMeanTest, GrimTest) {
  // Any mean printed without decimals comes from some total.
  EXPECT_TRUE(FitMean(P("92"), 14).consistent);
  EXPECT_EQ(FitMean(P("92"), 14).nearest_count, 1288);
  // One decimal over 14 values: totals step by 1/14 = 0.0714..., so some means are
  // impossible: 3.5 = 49/14 fits; 3.6 (50/14 = 3.571 -> 3.6) fits; 3.65 -> 3.7? 51/14 = 3.643
  // -> 3.6, 52/14 = 3.714 -> 3.7, so "3.7" fits and nothing prints "3.65".
  EXPECT_TRUE(FitMean(P("3.5"), 14).consistent);
  EXPECT_TRUE(FitMean(P("3.7"), 14).consistent);
  // Two decimals over 13 values: 1/13 = 0.0769..., so 2.30 (30/13 = 2.3077 -> 2.31) misses:
  // 29/13 = 2.2308 -> 2.23, 30/13 -> 2.31.
  Fit miss = FitMean(P("2.30"), 13);
  EXPECT_FALSE(miss.consistent);
  EXPECT_EQ(miss.nearest_count, 30);
  EXPECT_EQ(miss.nearest_value, "2.31");
}

// --- the bases file -------------------------------------------------------

constexpr char kBases[] = R"(
format = "ngosurvey-bases/1"
candidate_bases = [10, 30]

[tables.1]
base = { KH = 14, VN = 13 }

[tables.1.items.presence]
response = "binary"
base = { KH = 25 }

[tables.1.items.years]
response = "single"

[tables.1.items.employees]
response = "mean"

[tables.2]
base = { KH = 14, VN = 13 }

[tables.2.items.partner]
response = "binary"

[tables.2.items.funding]
response = "multiple"
options.special = { base = { VN = 20 } }
)";

BasesSpec Bases(std::string_view text = kBases) {
  auto spec = ParseBases(text, "bases.toml");
  EXPECT_TRUE(spec.has_value()) << (spec ? "" : spec.error().ToString());
  return spec.value_or(BasesSpec{});
}

TEST(BasesTest, InheritsTableItemOption) {
  BasesSpec spec = Bases();
  EXPECT_EQ(spec.candidate_min, 10);
  EXPECT_EQ(spec.candidate_max, 30);
  EXPECT_EQ(spec.BaseFor("1", "presence", "value", "KH"), 25);
  EXPECT_EQ(spec.BaseFor("1", "presence", "value", "VN"), 13);
  EXPECT_EQ(spec.BaseFor("1", "years", "a", "KH"), 14);
  EXPECT_EQ(spec.BaseFor("2", "funding", "special", "VN"), 20);
  EXPECT_EQ(spec.BaseFor("2", "funding", "other", "VN"), 13);
  EXPECT_EQ(spec.BaseFor("1", "years", "a", "LA"), std::nullopt);
  EXPECT_EQ(spec.BaseFor("3", "years", "a", "KH"), std::nullopt);
  ASSERT_NE(spec.FindItem("1", "employees"), nullptr);
  EXPECT_EQ(spec.FindItem("1", "employees")->response, ResponseKind::kMean);
}

TEST(BasesTest, MalformedTomlNamesTheLine) {
  auto spec =
      ParseBases("format = \"ngosurvey-bases/1\"\n[tables.1]\nbase = { KH = 14,\n", "b.toml");
  ASSERT_FALSE(spec.has_value());
  EXPECT_EQ(spec.error().code, "AUD005");
  EXPECT_EQ(spec.error().where.file, "b.toml");
  EXPECT_GE(spec.error().where.row, 3);
}

TEST(BasesTest, ContentErrorsNameTheLine) {
  struct Case {
    const char* text;
    int line;
    const char* needle;
  } cases[] = {
      {"[tables.1]\nbase = { KH = 0 }\n", 2, "base for KH"},
      {"[tables.1]\nbase = { KH = \"14\" }\n", 2, "base for KH"},
      {"[tables.1]\nbases = { KH = 14 }\n", 2, "unknown key 'bases'"},
      {"[tables.1.items.x]\nresponse = \"several\"\n", 2, "several"},
      {"[tables.1.items.x]\nbase = { KH = 3 }\n", 1, "no response kind"},
      {"candidate_bases = [30, 10]\n[tables.1]\n", 1, "candidate_bases"},
      {"format = \"other/2\"\n[tables.1]\n", 1, "format"},
  };
  for (const Case& c : cases) {
    auto spec = ParseBases(c.text, "b.toml");
    ASSERT_FALSE(spec.has_value()) << c.text;
    EXPECT_EQ(spec.error().code, "AUD006") << c.text;
    EXPECT_EQ(spec.error().where.row, c.line) << c.text << spec.error().ToString();
    EXPECT_NE(spec.error().message.find(c.needle), std::string::npos) << spec.error().message;
  }
}

// --- the audit on small tables ---------------------------------------------

constexpr char kHeader[] =
    "table,table_title,item_id,item_label,option_id,option_label,country,published_value,unit,"
    "base_note\n";

Result<AuditReport> Audit(const std::string& rows, std::string_view bases = kBases) {
  auto table = csv::ParseTable(std::string(kHeader) + rows, "t.csv");
  EXPECT_TRUE(table.has_value()) << (table ? "" : table.error().ToString());
  if (!table) return tl::unexpected(table.error());
  auto spec = ParseBases(bases, "bases.toml");
  if (!spec) return tl::unexpected(spec.error());
  return AuditPublished(*table, *spec);
}

TEST(AuditTest, VerdictsNearestAndOtherBases) {
  auto report = Audit(
      "1,T,presence,P,value,v,KH,56,pct,x\n"
      "1,T,years,Y,a,A,KH,43.8,pct,x\n"
      "1,T,years,Y,b,B,KH,35.7,pct,x\n"
      "1,T,employees,E,value,v,VN,33,mean,x\n");
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  ASSERT_EQ(report->cells.size(), 4u);
  const CellAudit& presence = report->cells[0];
  EXPECT_EQ(presence.base, 25);
  EXPECT_EQ(presence.verdict, Verdict::kConsistent);
  EXPECT_EQ(presence.nearest_count, 14);
  EXPECT_EQ(presence.nearest_value, "56");
  // 56 at no decimals: 14/25 exactly, 8/14 = 57.1 no; within 10..30 also 16 (9/16 = 56.25),
  // 18 (10/18 = 55.6), 23 (13/23 = 56.5 -> 57? no: 56.52 -> 57), 27 (15/27 = 55.56 -> 56).
  const CellAudit& years = report->cells[1];
  EXPECT_EQ(years.verdict, Verdict::kInconsistent);
  EXPECT_EQ(years.nearest_count, 6);
  EXPECT_EQ(years.nearest_value, "42.9");
  EXPECT_EQ(years.other_bases, std::vector<int64_t>{16});
  EXPECT_EQ(report->cells[3].verdict, Verdict::kConsistent);
  EXPECT_EQ(report->cells[3].nearest_count, 429);  // 429/13 = 33.0 -> 33
  EXPECT_EQ(report->CountFindings(FindingKind::kInconsistentCell), 1u);
}

TEST(AuditTest, OtherBasesOfFiftySix) {
  auto report = Audit("1,T,presence,P,value,v,KH,56,pct,x\n");
  ASSERT_TRUE(report.has_value());
  // k/N*100 in [55.5, 56.5) for N in 10..30 (N = 25 itself excluded): 9/16 = 56.25,
  // 10/18 = 55.56, 14/25 excluded, 15/27 = 55.56, and nothing else.
  EXPECT_EQ(report->cells[0].other_bases, (std::vector<int64_t>{16, 18, 27}));
}

TEST(AuditTest, SwappedCountriesAreTransposed) {
  auto report = Audit(
      "2,T,partner,P,value,v,KH,61.5,pct,x\n"
      "2,T,partner,P,value,v,VN,28.6,pct,x\n");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->CountFindings(FindingKind::kInconsistentCell), 2u);
  ASSERT_EQ(report->CountFindings(FindingKind::kTransposed), 1u);
  EXPECT_EQ(report->CountFindings(FindingKind::kOtherBase), 0u);
  const Finding& f = report->findings[2];
  EXPECT_EQ(f.kind, FindingKind::kTransposed);
  EXPECT_EQ(f.cells, (std::vector<size_t>{0, 1}));
  EXPECT_NE(f.message.find("swapped"), std::string::npos);
}

TEST(AuditTest, FindingsSpeakTheCataloguesLanguages) {
  auto report = Audit(
      "2,T,partner,P,value,v,KH,61.5,pct,x\n"
      "2,T,partner,P,value,v,VN,28.6,pct,x\n");
  ASSERT_TRUE(report.has_value());
  const Finding& f = report->findings[2];
  EXPECT_EQ(f.Message("en"), f.message);
  const std::string vi = f.Message("vi");
  // The same numbers, in Vietnamese words.
  EXPECT_NE(vi.find("Bảng 2 partner KH = 61.5"), std::string::npos) << vi;
  EXPECT_NE(vi.find("bị đổi chỗ"), std::string::npos) << vi;
  EXPECT_EQ(vi.find("swapped"), std::string::npos) << vi;
  EXPECT_EQ(FindingKindName(FindingKind::kTransposed, "vi"), "các ô bị đổi chỗ");
  EXPECT_EQ(FindingKindName(FindingKind::kTransposed), "transposed cells");
  // A finding made by hand has no translations: its message in any language.
  Finding by_hand;
  by_hand.message = "as written";
  EXPECT_EQ(by_hand.Message("vi"), "as written");
}

TEST(AuditTest, FitsTheOtherCountrysBaseWithoutASwap) {
  auto report = Audit(
      "2,T,funding,F,own,O,KH,61.5,pct,x\n"
      "2,T,funding,F,own,O,VN,38.5,pct,x\n");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->CountFindings(FindingKind::kTransposed), 0u);
  ASSERT_EQ(report->CountFindings(FindingKind::kOtherBase), 1u);
  EXPECT_EQ(report->findings.back().cells, (std::vector<size_t>{0, 1}));
}

TEST(AuditTest, WholeColumnOnAnotherBase) {
  auto report = Audit(
      "2,T,funding,F,a,A,KH,7.7,pct,x\n"
      "2,T,funding,F,b,B,KH,15.4,pct,x\n"
      "2,T,funding,F,c,C,KH,0.0,pct,x\n"
      "2,T,funding,F,a,A,VN,7.7,pct,x\n");
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->CountFindings(FindingKind::kColumnBase), 1u);
  // The column finding explains the cells; no per-cell other-base finding repeats it.
  EXPECT_EQ(report->CountFindings(FindingKind::kOtherBase), 0u);
  for (const Finding& f : report->findings) {
    if (f.kind != FindingKind::kColumnBase) continue;
    EXPECT_EQ(f.country, "KH");
    EXPECT_EQ(f.cells, (std::vector<size_t>{0, 1, 2}));
    EXPECT_NE(f.message.find("N = 13, 26"), std::string::npos) << f.message;
  }
}

TEST(AuditTest, SingleChoiceSumBeyondRounding) {
  // 69.2 + 30.8 + 30.8 = 130.8 and 0 + 0: even lowered by rounding it is far over 100, and the
  // fewest counts are 9 + 4 + 4 = 17 of 13.
  auto report = Audit(
      "1,T,years,Y,a,A,VN,69.2,pct,x\n"
      "1,T,years,Y,b,B,VN,30.8,pct,x\n"
      "1,T,years,Y,c,C,VN,30.8,pct,x\n"
      "1,T,years,Y,d,D,VN,0,pct,x\n");
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->CountFindings(FindingKind::kSumOver100), 1u);
  const Finding& f = report->findings.back();
  EXPECT_NE(f.message.find("add to 130.8"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("at least 130.65"), std::string::npos) << f.message;
  // The zeros cannot be lowered below 0: only 0.05 x 3 comes off.
  EXPECT_NE(f.message.find("(0.15 in all)"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("17 of N = 13"), std::string::npos) << f.message;
}

TEST(AuditTest, SumWithinRoundingToleranceIsFine) {
  // 30.8 + 30.8 + 38.5 = 100.1, but 30.75 + 30.75 + 38.45 = 99.95 <= 100, and 4 + 4 + 5 = 13.
  auto report = Audit(
      "1,T,years,Y,a,A,VN,30.8,pct,x\n"
      "1,T,years,Y,b,B,VN,30.8,pct,x\n"
      "1,T,years,Y,c,C,VN,38.5,pct,x\n");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->CountFindings(FindingKind::kSumOver100), 0u);
  // The boundary: 0.0 + 38.5 + 61.6 = 100.1, lowest 0 + 38.45 + 61.55 = 100.00 exactly: not over.
  auto edge = Audit(
      "1,T,years,Y,a,A,VN,0.0,pct,x\n"
      "1,T,years,Y,b,B,VN,38.5,pct,x\n"
      "1,T,years,Y,c,C,VN,61.6,pct,x\n");
  ASSERT_TRUE(edge.has_value());
  EXPECT_EQ(edge->CountFindings(FindingKind::kSumOver100), 0u);
  // One more tenth and it is over: 21.4 + 43.8 + 35.7 = 100.9, lowest 100.75.
  auto over = Audit(
      "1,T,years,Y,a,A,KH,21.4,pct,x\n"
      "1,T,years,Y,b,B,KH,43.8,pct,x\n"
      "1,T,years,Y,c,C,KH,35.7,pct,x\n");
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->CountFindings(FindingKind::kSumOver100), 1u);
}

TEST(AuditTest, SumOfCountsOverTheBase) {
  // 38 + 38 + 31 = 107 with N = 13: over 100 even lowered by rounding (105.5), and the
  // fewest counts are 5 + 5 + 4 = 14.
  auto report = Audit(
      "1,T,years,Y,a,A,VN,38,pct,x\n"
      "1,T,years,Y,b,B,VN,38,pct,x\n"
      "1,T,years,Y,c,C,VN,31,pct,x\n");
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->CountFindings(FindingKind::kSumOver100), 1u);
  EXPECT_NE(report->findings.back().message.find("at least 105.5"), std::string::npos)
      << report->findings.back().message;
  EXPECT_NE(report->findings.back().message.find("14 of N = 13"), std::string::npos)
      << report->findings.back().message;
}

TEST(AuditTest, SumOfCountsOverTheBaseWithinRounding) {
  // N = 30: 33 + 33 + 33 + 3 = 102, lowest 32.5 * 3 + 2.5 = 100, not over by rounding; but the
  // fewest counts are 10 + 10 + 10 + 1 = 31 of 30 (10/30 = 33.3 -> 33, 1/30 = 3.3 -> 3).
  constexpr char kThirty[] = R"(
[tables.3]
base = { VN = 30 }
[tables.3.items.x]
response = "single"
)";
  auto report = Audit(
      "3,T,x,X,a,A,VN,33,pct,x\n"
      "3,T,x,X,b,B,VN,33,pct,x\n"
      "3,T,x,X,c,C,VN,33,pct,x\n"
      "3,T,x,X,d,D,VN,3,pct,x\n",
      kThirty);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  ASSERT_EQ(report->CountFindings(FindingKind::kSumOver100), 1u);
  const std::string& message = report->findings.back().message;
  EXPECT_EQ(message.find("at least"), std::string::npos) << message;
  EXPECT_NE(message.find("31 of N = 30"), std::string::npos) << message;
}

TEST(AuditTest, ImpossibleMean) {
  constexpr char kMeanBases[] = R"(
[tables.1]
base = { VN = 13 }
[tables.1.items.employees]
response = "mean"
)";
  auto report = Audit("1,T,employees,E,value,v,VN,2.30,mean,x\n", kMeanBases);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->cells[0].verdict, Verdict::kInconsistent);
  EXPECT_EQ(report->CountFindings(FindingKind::kImpossibleMean), 1u);
}

TEST(AuditTest, NoResponseIsANonCell) {
  auto report = Audit("2,T,funding,F,value,v,KH,,pct,no response\n");
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->cells[0].verdict, Verdict::kNoResponse);
  EXPECT_TRUE(report->findings.empty());
  std::string csv = RenderAuditCsv(*report);
  EXPECT_NE(csv.find("\n2,funding,value,KH,,14,no_response,,,\n"), std::string::npos) << csv;
}

struct BadInput {
  const char* rows;
  const char* code;
  int line;
  int column;
};

TEST(AuditTest, BadInputNamesRowAndColumn) {
  const BadInput cases[] = {
      {"1,T,years,Y,a,A,KH,4x.8,pct,x\n", "AUD002", 2, 8},
      {"1,T,yeers,Y,a,A,KH,43.8,pct,x\n", "AUD003", 2, 3},
      {"9,T,years,Y,a,A,KH,43.8,pct,x\n", "AUD003", 2, 1},
      {"1,T,years,Y,a,A,LA,43.8,pct,x\n", "AUD004", 2, 7},
      {"1,T,years,Y,a,A,KH,,pct,x\n", "AUD007", 2, 8},
      {"1,T,years,Y,a,A,KH,43.8,share,x\n", "AUD008", 2, 9},
      {"1,T,years,Y,a,A,KH,43.8,mean,x\n", "AUD008", 2, 9},
      {"1,T,years,Y,a,A,KH,43.8,pct,x\n1,T,years,Y,a,A,KH,43.8,pct,x\n", "AUD009", 3, 5},
  };
  for (const BadInput& c : cases) {
    auto report = Audit(c.rows);
    ASSERT_FALSE(report.has_value()) << c.rows;
    EXPECT_EQ(report.error().code, c.code) << report.error().ToString();
    EXPECT_EQ(report.error().where.file, "t.csv");
    EXPECT_EQ(report.error().where.row, c.line) << report.error().ToString();
    EXPECT_EQ(report.error().where.column, c.column) << report.error().ToString();
  }
  auto hint = Audit("1,T,yeers,Y,a,A,KH,43.8,pct,x\n");
  ASSERT_FALSE(hint.has_value());
  EXPECT_NE(hint.error().message.find("did you mean 'years'"), std::string::npos);
}

TEST(AuditTest, MissingColumn) {
  auto table = csv::ParseTable("table,item_id,option_id,country,unit,base_note\n", "t.csv");
  ASSERT_TRUE(table.has_value());
  auto report = AuditPublished(*table, Bases());
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, "AUD001");
  EXPECT_NE(report.error().message.find("published_value"), std::string::npos);
}

TEST(RenderTest, CsvHeaderAndRows) {
  auto report = Audit(
      "1,T,years,Y,a,A,KH,43.8,pct,x\n"
      "1,T,years,Y,b,B,KH,35.7,pct,x\n");
  ASSERT_TRUE(report.has_value());
  std::string csv = RenderAuditCsv(*report);
  EXPECT_EQ(csv,
            "table,item_id,option_id,country,published_value,base,consistent,nearest_count,"
            "nearest_percent,consistent_bases\n"
            "1,years,a,KH,43.8,14,no,6,42.9,16\n"
            "1,years,b,KH,35.7,14,yes,5,35.7,28\n");
}

TEST(RenderTest, MarkdownAndHtmlCarryTheFindings) {
  auto report = Audit(
      "2,T<x>,partner,P,value,v,KH,61.5,pct,x\n"
      "2,T<x>,partner,P,value,v,VN,28.6,pct,x\n");
  ASSERT_TRUE(report.has_value());
  std::string md = RenderAuditMarkdown(*report);
  EXPECT_NE(md.find("| **inconsistent with their base** | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("### Transposed cells (1)"), std::string::npos) << md;
  std::string html = RenderAuditHtml(*report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external requests
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("T&lt;x&gt;"), std::string::npos);
  EXPECT_EQ(html.find("T<x>"), std::string::npos);
  EXPECT_NE(html.find("class=\"inconsistent\""), std::string::npos);
}

TEST(RenderTest, FormatNames) {
  EXPECT_EQ(ParseAuditFormat("md"), AuditFormat::kMarkdown);
  EXPECT_EQ(ParseAuditFormat("csv"), AuditFormat::kCsv);
  EXPECT_EQ(ParseAuditFormat("html"), AuditFormat::kHtml);
  EXPECT_EQ(ParseAuditFormat("pdf"), std::nullopt);
}

}  // namespace
}  // namespace ngosurvey::study
