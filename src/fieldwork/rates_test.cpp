#include "fieldwork/rates.h"

#include <gtest/gtest.h>

#include <string>

#include "base/testing/source_dir.h"

namespace ngosurvey::fieldwork {
namespace {

using RC = RateCategory;

DispositionCounts Counts(int64_t i, int64_t p, int64_t r, int64_t nc, int64_t o, int64_t uh,
                         int64_t uo, int64_t ne) {
  DispositionCounts c;
  c.Add(RC::kComplete, i);
  c.Add(RC::kPartial, p);
  c.Add(RC::kRefusal, r);
  c.Add(RC::kNonContact, nc);
  c.Add(RC::kOther, o);
  c.Add(RC::kUnknownHousehold, uh);
  c.Add(RC::kUnknownOther, uo);
  c.Add(RC::kNotEligible, ne);
  return c;
}

ESpec Fixed(double e) { return ESpec{ESpec::Method::kFixed, e}; }
ESpec Proportional() { return ESpec{ESpec::Method::kProportional, 1.0}; }

constexpr double kNA = -1;  // "cannot be computed" in the tables below

struct WorkedExample {
  const char* name;
  DispositionCounts counts;
  ESpec e_spec;
  double e;  // expected e, or kNA
  // RR1..RR6, COOP1..COOP4, REF1..REF3, CON1..CON3, as in Measure order.
  double expected[kMeasureCount];
};

// Each row computed by hand from AAPOR's formulas (see docs/fieldwork.md):
//
// A: I=20 P=5 R=10 NC=5 O=5 UH=10 UO=5 NE=10, e = 0.5.
//    I+P = 25, R+NC+O = 20, UH+UO = 15; all-unknowns denominator 60,
//    e-denominator 25+20+0.5*15 = 52.5, known-eligible denominator 45.
//    RR1 20/60  RR2 25/60  RR3 20/52.5  RR4 25/52.5  RR5 20/45  RR6 25/45
//    COOP1 20/(25+10+5)=20/40  COOP2 25/40  COOP3 20/(25+10)=20/35  COOP4 25/35
//    REF1 10/60  REF2 10/52.5  REF3 10/45
//    CON1 (25+10+5)/(40+5+15)=40/60  CON2 40/(45+7.5)=40/52.5  CON3 40/45
// A': the same counts, proportional e = (20+5+10+5+5)/(45+10) = 45/55 = 9/11.
//    e-denominator 45 + 15*9/11 = 630/11; RR3 = 20*11/630 = 220/630,
//    RR4 = 275/630, REF2 = 110/630, CON2 = 440/630; the rest as in A.
// B: only completes, I=10 (and NE=2, e proportional = 10/12): every response,
//    cooperation and contact rate is 10/10 = 1, every refusal rate 0/10 = 0.
// C: nothing at all: every denominator is zero and proportional e is 0/0.
// D: only unknowns, UH=2 UO=2, proportional e undefined (no known-eligibility case):
//    RR1 = RR2 = 0/4 = 0, REF1 = 0/4, CON1 = 0/(0+0+4) = 0; RR5, RR6, REF3, COOP*,
//    CON3 have denominator 0; RR3, RR4, REF2, CON2 need e: cannot be computed.
// E: only non-contacts, NC=4, e fixed 1: COOP1-4 denominators (I+P)+R+O = 0 and
//    (I+P)+R = 0; every other rate is 0/4 = 0.
// F: I=5 R=5 UH=10, e = 0: RR1 5/20, RR3 5/(10+0) = 0.5, RR5 5/10, REF1 5/20,
//    REF2 5/10, REF3 5/10, COOP1 = COOP3 = 5/10, CON1 10/20, CON2 10/10, CON3 10/10.
// G: the reference study's Viet Nam, read as: 13 complete (1.1), 2 declined as
//    "not an NGO" (4.10), 5 not interviewed for lack of access to staff, as
//    non-contacts (2.20). Proportional e = 18/20 = 0.9 (no unknowns, so it does not
//    matter): RR1..RR6 = 13/18, COOP = 13/13 = 1, REF = 0/18, CON = 13/18.
// G': the same with the 2 decliners counted as refusals (2.11) instead:
//    I=13 R=2 NC=5: RR = 13/20, COOP1..4 = 13/15, REF = 2/20, CON = 15/20.
// H: UH=3 NE=2: proportional e = 0/2 = 0 is defined, yet the e-denominators
//    (I+P)+(R+NC+O)+0*3 = 0 and (I+P)+R+O+NC+0*3 = 0: RR3, RR4, REF2, CON2 cannot be
//    computed although e can; RR1 = RR2 = REF1 = CON1 = 0/3 = 0; the rest 0/0.
// I: only partials and refusals, P=2 R=1, e fixed 1: RR1 = 0/3, RR2 = 2/3 (every
//    even RR the same), COOP1 = COOP3 = 0/3, COOP2 = COOP4 = 2/3, REF = 1/3, CON = 3/3.
const WorkedExample kExamples[] = {
    {"A",
     Counts(20, 5, 10, 5, 5, 10, 5, 10),
     Fixed(0.5),
     0.5,
     {20.0 / 60, 25.0 / 60, 20 / 52.5, 25 / 52.5, 20.0 / 45, 25.0 / 45,  //
      20.0 / 40, 25.0 / 40, 20.0 / 35, 25.0 / 35,                        //
      10.0 / 60, 10 / 52.5, 10.0 / 45,                                   //
      40.0 / 60, 40 / 52.5, 40.0 / 45}},
    {"A'",
     Counts(20, 5, 10, 5, 5, 10, 5, 10),
     Proportional(),
     9.0 / 11,
     {20.0 / 60, 25.0 / 60, 220.0 / 630, 275.0 / 630, 20.0 / 45, 25.0 / 45,  //
      20.0 / 40, 25.0 / 40, 20.0 / 35, 25.0 / 35,                            //
      10.0 / 60, 110.0 / 630, 10.0 / 45,                                     //
      40.0 / 60, 440.0 / 630, 40.0 / 45}},
    {"B",
     Counts(10, 0, 0, 0, 0, 0, 0, 2),
     Proportional(),
     10.0 / 12,
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1}},
    {"C",
     Counts(0, 0, 0, 0, 0, 0, 0, 0),
     Proportional(),
     kNA,
     {kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA}},
    {"D",
     Counts(0, 0, 0, 0, 0, 2, 2, 0),
     Proportional(),
     kNA,
     {0, 0, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, 0, kNA, kNA, 0, kNA, kNA}},
    {"E",
     Counts(0, 0, 0, 4, 0, 0, 0, 0),
     Fixed(1),
     1,
     {0, 0, 0, 0, 0, 0, kNA, kNA, kNA, kNA, 0, 0, 0, 0, 0, 0}},
    {"F",
     Counts(5, 0, 5, 0, 0, 10, 0, 0),
     Fixed(0),
     0,
     {5.0 / 20, 5.0 / 20, 0.5, 0.5, 0.5, 0.5,  //
      0.5, 0.5, 0.5, 0.5,                      //
      5.0 / 20, 0.5, 0.5,                      //
      10.0 / 20, 1, 1}},
    {"G",
     Counts(13, 0, 0, 5, 0, 0, 0, 2),
     Proportional(),
     0.9,
     {13.0 / 18, 13.0 / 18, 13.0 / 18, 13.0 / 18, 13.0 / 18, 13.0 / 18,  //
      1, 1, 1, 1,                                                        //
      0, 0, 0,                                                           //
      13.0 / 18, 13.0 / 18, 13.0 / 18}},
    {"G'",
     Counts(13, 0, 2, 5, 0, 0, 0, 0),
     Proportional(),
     1,
     {0.65, 0.65, 0.65, 0.65, 0.65, 0.65,          //
      13.0 / 15, 13.0 / 15, 13.0 / 15, 13.0 / 15,  //
      0.1, 0.1, 0.1,                               //
      0.75, 0.75, 0.75}},
    {"H",
     Counts(0, 0, 0, 0, 0, 3, 0, 2),
     Proportional(),
     0,
     {0, 0, kNA, kNA, kNA, kNA, kNA, kNA, kNA, kNA, 0, kNA, kNA, 0, kNA, kNA}},
    {"I",
     Counts(0, 2, 1, 0, 0, 0, 0, 0),
     Fixed(1),
     1,
     {0, 2.0 / 3, 0, 2.0 / 3, 0, 2.0 / 3,  //
      0, 2.0 / 3, 0, 2.0 / 3,              //
      1.0 / 3, 1.0 / 3, 1.0 / 3,           //
      1, 1, 1}},
};

TEST(RatesTest, WorkedExamplesFromAaporFormulas) {
  for (const WorkedExample& ex : kExamples) {
    SCOPED_TRACE(ex.name);
    OutcomeRates rates = ComputeRates(ex.counts, ex.e_spec);
    if (ex.e == kNA) {
      EXPECT_FALSE(rates.e.has_value());
      EXPECT_FALSE(rates.e_reason.empty());
    } else {
      ASSERT_TRUE(rates.e.has_value());
      EXPECT_NEAR(*rates.e, ex.e, 1e-12);
    }
    for (const MeasureInfo& info : Measures()) {
      SCOPED_TRACE(std::string(info.name));
      const RateValue& got = rates[info.measure];
      double want = ex.expected[static_cast<size_t>(info.measure)];
      if (want == kNA) {
        EXPECT_FALSE(got.value.has_value()) << "got " << got.value.value_or(-99);
        EXPECT_FALSE(got.reason.empty());
      } else {
        ASSERT_TRUE(got.value.has_value()) << got.reason;
        EXPECT_NEAR(*got.value, want, 1e-12);
        EXPECT_TRUE(got.reason.empty());
      }
    }
  }
}

TEST(RatesTest, ReasonsSayWhy) {
  OutcomeRates d = ComputeRates(Counts(0, 0, 0, 0, 0, 2, 2, 0), Proportional());
  EXPECT_EQ(d[Measure::kRR5].reason, "denominator is zero");
  EXPECT_EQ(d[Measure::kRR3].reason, "proportional e is undefined: no case of known eligibility");
  // With a fixed e the same counts give RR3 = 0 / (0 + 0 + 0.25*4) = 0.
  OutcomeRates fixed = ComputeRates(Counts(0, 0, 0, 0, 0, 2, 2, 0), Fixed(0.25));
  ASSERT_TRUE(fixed[Measure::kRR3].value.has_value());
  EXPECT_EQ(*fixed[Measure::kRR3].value, 0);
  // e = 0 removes the unknowns: RR3 = 0 / 0, cannot be computed.
  OutcomeRates zero = ComputeRates(Counts(0, 0, 0, 0, 0, 2, 2, 0), Fixed(0));
  EXPECT_FALSE(zero[Measure::kRR3].value.has_value());
}

TEST(RatesTest, OrderingHoldsOnMixedCounts) {
  // Properties AAPOR states: RR1 <= RR3 <= RR5 for e in [0, 1], and the same for the
  // even-numbered rates; RR(n) <= RR(n+1).
  OutcomeRates r = ComputeRates(Counts(7, 3, 4, 2, 1, 5, 6, 3), Fixed(0.7));
  EXPECT_LE(*r[Measure::kRR1].value, *r[Measure::kRR3].value);
  EXPECT_LE(*r[Measure::kRR3].value, *r[Measure::kRR5].value);
  EXPECT_LE(*r[Measure::kRR2].value, *r[Measure::kRR4].value);
  EXPECT_LE(*r[Measure::kRR4].value, *r[Measure::kRR6].value);
  EXPECT_LT(*r[Measure::kRR1].value, *r[Measure::kRR2].value);
  EXPECT_LE(*r[Measure::kCON1].value, *r[Measure::kCON2].value);
}

TEST(RatesTest, ParseESpec) {
  auto p = ParseESpec("proportional");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->method, ESpec::Method::kProportional);
  EXPECT_EQ(p->MethodName(), "proportional");
  auto f = ParseESpec("0.8");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->method, ESpec::Method::kFixed);
  EXPECT_DOUBLE_EQ(f->value, 0.8);
  ASSERT_TRUE(ParseESpec("1"));
  ASSERT_TRUE(ParseESpec("0"));
  for (const char* bad : {"", "1.5", "-0.1", "half", "0.8x", "nan", "inf"}) {
    SCOPED_TRACE(bad);
    auto e = ParseESpec(bad);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "FW020");
  }
  EXPECT_EQ(ParseESpec("2").error().message,
            "--e must be 'proportional' or a number from 0 to 1, not '2'");
}

TEST(RatesTest, MeasureTableIsInEnumOrder) {
  ASSERT_EQ(Measures().size(), static_cast<size_t>(kMeasureCount));
  for (size_t i = 0; i < Measures().size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(Measures()[i].measure), i);
  }
  EXPECT_EQ(Describe(Measure::kCOOP3).name, "COOP3");
  EXPECT_TRUE(Describe(Measure::kCON2).uses_e);
  EXPECT_FALSE(Describe(Measure::kCON3).uses_e);
}

csv::Table FrameTable(std::vector<std::vector<std::string>> rows) {
  csv::Table t;
  t.file = "frame.csv";
  t.header = {"org_id", "name", "country", "disposition", "size"};
  int line = 2;
  for (auto& row : rows) {
    t.rows.push_back(row);
    t.row_lines.push_back(line++);
  }
  return t;
}

TEST(RatesByGroupTest, GroupsSortedThenOverall) {
  csv::Table t = FrameTable({{"V1", "a", "VN", "1.1", "small"},
                             {"K1", "b", "KH", "1.1", "large"},
                             {"V2", "c", "VN", "4.10", "small"},
                             {"V3", "d", "VN", "2.11", "large"},
                             {"V4", "e", "VN", "3.20", "small"}});
  Diagnostics diags;
  auto frame = ParseFrame(t, &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  auto groups = RatesByGroup(*frame, "country", Proportional());
  ASSERT_TRUE(groups) << groups.error().ToString();
  ASSERT_EQ(groups->size(), 3u);
  EXPECT_EQ((*groups)[0].group, "KH");
  EXPECT_EQ((*groups)[1].group, "VN");
  EXPECT_EQ((*groups)[2].group, "overall");
  const OutcomeRates& vn = (*groups)[1].rates;
  EXPECT_EQ(vn.counts[RC::kComplete], 1);
  EXPECT_EQ(vn.counts[RC::kRefusal], 1);
  EXPECT_EQ(vn.counts[RC::kUnknownOther], 1);
  EXPECT_EQ(vn.counts[RC::kNotEligible], 1);
  // VN: e = 2/3 from VN's own cases; RR3 = 1 / (1 + 1 + (2/3)*1) = 3/8.
  EXPECT_NEAR(*vn.e, 2.0 / 3, 1e-12);
  EXPECT_NEAR(*vn[Measure::kRR3].value, 3.0 / 8, 1e-12);
  // Overall: I=2 R=1 UO=1 NE=1, e = 3/4; RR3 = 2 / (3 + 0.75) = 8/15.
  const OutcomeRates& all = (*groups)[2].rates;
  EXPECT_EQ(all.counts.Total(), 5);
  EXPECT_NEAR(*all[Measure::kRR3].value, 8.0 / 15, 1e-12);

  // Any column groups, extra ones included.
  auto by_size = RatesByGroup(*frame, "size", Fixed(1));
  ASSERT_TRUE(by_size);
  ASSERT_EQ(by_size->size(), 3u);
  EXPECT_EQ((*by_size)[0].group, "large");
  // No grouping: just the overall row.
  auto overall = RatesByGroup(*frame, "", Fixed(1));
  ASSERT_TRUE(overall);
  ASSERT_EQ(overall->size(), 1u);
  EXPECT_EQ(overall->front().group, "overall");
}

TEST(RatesByGroupTest, Errors) {
  Diagnostics diags;
  auto frame =
      ParseFrame(FrameTable({{"V1", "a", "VN", "1.1", ""}, {"V2", "b", "VN", "", ""}}), &diags);
  ASSERT_TRUE(frame);
  auto missing = RatesByGroup(*frame, "country", Proportional());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().ToString(),
            "frame.csv:3:4: FW011: case 'V2' has no final disposition; rates need one for every "
            "case");
  auto bad_by = RatesByGroup(*frame, "region", Proportional());
  ASSERT_FALSE(bad_by);
  EXPECT_EQ(bad_by.error().ToString(), "frame.csv: FW012: no column 'region' in the sample frame");

  csv::Table no_disp;
  no_disp.file = "f.csv";
  no_disp.header = {"org_id", "name", "country"};
  no_disp.rows = {{"A", "a", "KH"}};
  no_disp.row_lines = {2};
  auto f2 = ParseFrame(no_disp, &diags);
  ASSERT_TRUE(f2);
  auto no_col = RatesByGroup(*f2, "", Proportional());
  ASSERT_FALSE(no_col);
  EXPECT_EQ(no_col.error().code, "FW010");
}

// The reference study's frame under both readings of the two Vietnamese decliners.
// Hand counts from study/frame.csv:
//   disposition:  KH I=25; VN I=13 NC=5 (VN-U1..U5, 2.20) NE=2 (VN-X1/X2, 4.10)
//     VN: RR1 = 13/18, REF1 = 0/18, COOP1 = 13/13; overall RR1 = 38/43
//   decliners as refusals (X1/X2 -> 2.11): VN I=13 R=2 NC=5:
//     RR1 = 13/20 = 0.65, REF1 = 2/20, COOP1 = 13/15, CON1 = 15/20; e = 20/20 = 1;
//     overall I=38 R=2 NC=5: RR1 = 38/45
//   every alternative (U1..U5 too -> 2.11): VN I=13 R=7: RR1 = 0.65, REF1 = 7/20,
//     CON1 = 20/20, COOP1 = 13/20.
TEST(AlternativeRatesTest, StudyDeclinersAsRefusalsAndAsNotEligible) {
  Diagnostics diags;
  auto frame =
      ReadFrame(std::string(::ngosurvey::testing::SourceDir()) + "/study/frame.csv", &diags);
  ASSERT_TRUE(frame) << frame.error().ToString();
  auto find = [](const std::vector<GroupRates>& groups, const std::string& name) {
    for (const GroupRates& g : groups) {
      if (g.group == name) return g.rates;
    }
    ADD_FAILURE() << "no group " << name;
    return OutcomeRates{};
  };

  auto main_reading = RatesByGroup(*frame, "country", Proportional());
  ASSERT_TRUE(main_reading);
  OutcomeRates vn = find(*main_reading, "VN");
  EXPECT_EQ(vn.counts[RC::kNotEligible], 2);
  EXPECT_DOUBLE_EQ(*vn[Measure::kRR1].value, 13.0 / 18);
  EXPECT_DOUBLE_EQ(*vn[Measure::kREF1].value, 0);
  EXPECT_DOUBLE_EQ(*find(*main_reading, "overall")[Measure::kRR1].value, 38.0 / 43);

  const std::vector<std::string> decliners = {"VN-X1", "VN-X2"};
  auto alt =
      AlternativeRatesByGroup(*frame, "country", Proportional(), "disposition_alt", decliners);
  ASSERT_TRUE(alt) << alt.error().ToString();
  OutcomeRates vn_alt = find(*alt, "VN");
  EXPECT_EQ(vn_alt.counts[RC::kRefusal], 2);
  EXPECT_EQ(vn_alt.counts[RC::kNonContact], 5);
  EXPECT_EQ(vn_alt.counts[RC::kNotEligible], 0);
  EXPECT_DOUBLE_EQ(*vn_alt.e, 1);
  EXPECT_DOUBLE_EQ(*vn_alt[Measure::kRR1].value, 0.65);
  EXPECT_DOUBLE_EQ(*vn_alt[Measure::kREF1].value, 0.1);
  EXPECT_DOUBLE_EQ(*vn_alt[Measure::kCOOP1].value, 13.0 / 15);
  EXPECT_DOUBLE_EQ(*vn_alt[Measure::kCON1].value, 0.75);
  EXPECT_DOUBLE_EQ(*find(*alt, "overall")[Measure::kRR1].value, 38.0 / 45);
  EXPECT_DOUBLE_EQ(*find(*alt, "KH")[Measure::kRR1].value, 1) << "KH has no alternatives";

  auto every = AlternativeRatesByGroup(*frame, "country", Proportional(), "disposition_alt");
  ASSERT_TRUE(every);
  OutcomeRates vn_every = find(*every, "VN");
  EXPECT_EQ(vn_every.counts[RC::kRefusal], 7);
  EXPECT_DOUBLE_EQ(*vn_every[Measure::kRR1].value, 0.65);
  EXPECT_DOUBLE_EQ(*vn_every[Measure::kREF1].value, 0.35);
  EXPECT_DOUBLE_EQ(*vn_every[Measure::kCOOP1].value, 0.65);
  EXPECT_DOUBLE_EQ(*vn_every[Measure::kCON1].value, 1);
}

TEST(AlternativeRatesTest, Errors) {
  Diagnostics diags;
  auto table = csv::ParseTable(
      "org_id,name,country,disposition,alt\nA,a,KH,1.1,\nB,b,KH,4.10,2.2\n", "f.csv");
  auto frame = ParseFrame(*table, &diags);
  ASSERT_TRUE(frame);
  EXPECT_EQ(AlternativeDispositions(*frame, "nope").error().code, "FW012");
  auto bad = AlternativeDispositions(*frame, "alt");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().ToString(),
            "f.csv:3:5: FW003: unknown disposition code '2.2' in column 'alt' (did you mean "
            "'2.20'?)");
  const std::vector<std::string> no_alt = {"A"};
  EXPECT_EQ(AlternativeDispositions(*frame, "alt", no_alt).error().ToString(),
            "f.csv:2:5: FW013: case 'A' has no alternative code in column 'alt'");
  const std::vector<std::string> unknown = {"Z"};
  EXPECT_EQ(AlternativeDispositions(*frame, "alt", unknown).error().code, "FW013");
  const DispositionOverride bogus[] = {{"Z", FindDisposition("2.11")}};
  EXPECT_EQ(WithDispositions(*frame, bogus).error().code, "FW013");
  const DispositionOverride b_refused[] = {{"B", FindDisposition("2.11")}};
  auto changed = WithDispositions(*frame, b_refused);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->cases[1].disposition->code, "2.11");
  EXPECT_EQ(frame->cases[1].disposition->code, "4.10") << "the original is untouched";
}

}  // namespace
}  // namespace ngosurvey::fieldwork
