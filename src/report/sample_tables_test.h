// Test fixture shared by the renderers' tests: TableResults built by hand, with the
// statistics computed by analysis/stats (never typed in), Khmer and Vietnamese
// labels, labels with HTML/LaTeX specials, a small-count cell, a suppressed cell
// with its complementary cell, a numeric item, and two groups plus a Total.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/stats.h"
#include "analysis/table.h"

namespace ngosurvey::report::testing {

inline constexpr int kMinCount = 3;

inline analysis::Cell MakeCell(uint64_t count, uint64_t base) {
  analysis::Cell cell;
  cell.count = count;
  cell.base = base;
  if (base > 0) {
    cell.prop = static_cast<double>(count) / static_cast<double>(base);
    auto percent = analysis::RoundPercentHalfUp(count, base, 1);
    EXPECT_TRUE(percent);
    cell.percent = *percent;
    auto wilson = analysis::WilsonInterval(count, base);
    EXPECT_TRUE(wilson);
    cell.wilson = *wilson;
    cell.clopper_pearson = *analysis::ClopperPearsonInterval(count, base);
    cell.jeffreys = *analysis::JeffreysInterval(count, base);
    cell.agresti_coull = *analysis::AgrestiCoullInterval(count, base);
  }
  cell.small_count = count > 0 && count < kMinCount;
  return cell;
}

inline analysis::Nonresponse MakeNonresponse(uint64_t total, uint64_t refused, uint64_t dont_know) {
  analysis::Nonresponse nr;
  nr.total = total;
  nr.refused = refused;
  nr.dont_know = dont_know;
  nr.answered = total - refused - dont_know;
  return nr;
}

// An option with cells {KH, VN, Total} = {k_kh/n_kh, k_vn/n_vn, sum/sum} and the
// KH-VN Fisher test.
inline analysis::OptionRow MakeOption(std::string name, std::string label, uint64_t k_kh,
                                      uint64_t n_kh, uint64_t k_vn, uint64_t n_vn) {
  analysis::OptionRow row;
  row.option = std::move(name);
  row.label = std::move(label);
  row.cells = {MakeCell(k_kh, n_kh), MakeCell(k_vn, n_vn), MakeCell(k_kh + k_vn, n_kh + n_vn)};
  analysis::GroupTest test;
  test.groups = {"KH", "VN"};
  auto fisher = analysis::FisherExact2x2(k_kh, n_kh - k_kh, k_vn, n_vn - k_vn);
  EXPECT_TRUE(fisher);
  test.p = fisher->p_value;
  row.tests.push_back(test);
  return row;
}

// Fills Holm and BH across the options of an item, as analysis does.
inline void AdjustItem(analysis::ItemResult* item) {
  std::vector<double> p;
  for (const auto& option : item->options) p.push_back(*option.tests[0].p);
  auto holm = analysis::AdjustPValues(p, analysis::PAdjustMethod::kHolm);
  auto bh = analysis::AdjustPValues(p, analysis::PAdjustMethod::kBenjaminiHochberg);
  EXPECT_TRUE(holm && bh);
  for (size_t i = 0; i < p.size(); ++i) {
    item->options[i].tests[0].p_holm = (*holm)[i];
    item->options[i].tests[0].p_bh = (*bh)[i];
  }
}

// Labels with characters that HTML and LaTeX must escape.
inline constexpr const char* kTrainingLabel =
    "Staff trained <on> trafficking & \"victims\" (50% _of_ $1 #2 {a} ~ ^)";
inline constexpr const char* kYesLabel = "Có / បាទ";                 // Vietnamese and Khmer "yes"
inline constexpr const char* kShelterLabel = "Nơi tạm trú an toàn";  // Vietnamese: safe shelter
inline constexpr const char* kLegalLabel = "ជំនួយផ្នែកច្បាប់";            // Khmer: legal aid
inline constexpr const char* kStaffLabel = "Số nhân viên (ចំនួនបុគ្គលិក)";
inline constexpr const char* kBanner = "SYNTHETIC DATA";

// Two groups (KH 14, VN 13) and a Total; three items:
//   training (single): VN yes 2/12 is a small count, VN has one refusal;
//   services (multi): VN legal 1/13 suppressed, Total legal suppressed as its
//     complement;
//   staff (numeric): KH suppressed because of a small base, one VN don't know.
inline analysis::TableResult SampleTable() {
  analysis::TableResult table;
  table.id = "table2";
  table.title = "Services of NGOs by country — Dịch vụ / សេវាកម្ម";
  table.notes = {"Source: synthetic data shaped like the reference study's Table 2."};
  table.by = {"country"};
  table.columns = {
      {"KH", "Cambodia (កម្ពុជា)", false}, {"VN", "Việt Nam", false}, {"total", "Total", true}};
  table.min_count = kMinCount;
  table.min_base = 5;
  table.suppress = true;

  analysis::ItemResult training;
  training.item = "training";
  training.label = kTrainingLabel;
  training.kind = analysis::ItemKind::kSingle;
  training.options.push_back(MakeOption("yes", kYesLabel, 6, 14, 2, 12));
  training.options.push_back(MakeOption("no", "No", 8, 14, 10, 12));
  AdjustItem(&training);
  training.nonresponse = {MakeNonresponse(14, 0, 0), MakeNonresponse(13, 1, 0),
                          MakeNonresponse(27, 1, 0)};
  analysis::GroupTest rxc;
  rxc.groups = {"KH", "VN"};
  auto fisher = analysis::FisherExact({{6, 2}, {8, 10}});
  EXPECT_TRUE(fisher);
  rxc.p = fisher->p_value;
  training.item_test = rxc;
  table.items.push_back(training);

  analysis::ItemResult services;
  services.item = "services";
  services.label = "Services provided";
  services.kind = analysis::ItemKind::kMulti;
  services.denominator = analysis::DenominatorRule::kAll;
  services.options.push_back(MakeOption("shelter", kShelterLabel, 9, 14, 7, 13));
  services.options.push_back(MakeOption("legal", kLegalLabel, 4, 14, 1, 13));
  AdjustItem(&services);
  services.options[1].cells[1].suppressed = true;  // 1 of 13: primary
  services.options[1].cells[2].suppressed = true;  // the Total would reveal it
  services.nonresponse = {MakeNonresponse(14, 0, 0), MakeNonresponse(13, 0, 0),
                          MakeNonresponse(27, 0, 0)};
  services.mentions_total = {13, 8, 21};
  table.items.push_back(services);

  analysis::ItemResult staff;
  staff.item = "staff";
  staff.label = kStaffLabel;
  staff.kind = analysis::ItemKind::kNumeric;
  staff.statistics = {"n", "mean", "sd", "median", "min", "max"};
  analysis::NumericCell kh{.n = 4,
                           .mean = 7.5,
                           .sd = 4.18,
                           .median = 7.5,
                           .min = 1,
                           .max = 14,
                           .small_base = true,
                           .suppressed = true};
  analysis::NumericCell vn{.n = 12, .mean = 10.25, .sd = 0.5, .median = 10, .min = 10, .max = 11};
  analysis::NumericCell total{
      .n = 16, .mean = 9.5625, .sd = 2.4, .median = 10, .min = 1, .max = 14};
  staff.numeric = {kh, vn, total};
  staff.nonresponse = {MakeNonresponse(14, 10, 0), MakeNonresponse(13, 0, 1),
                       MakeNonresponse(27, 10, 1)};
  table.items.push_back(staff);
  return table;
}

// A second table whose id needs cleaning as a sheet name and a file-system-ish
// title, with one group column only (no tests).
inline analysis::TableResult SecondTable() {
  analysis::TableResult table;
  table.id = "Q3/Q4: [services]*?";
  table.title = "One column <only>";
  table.columns = {{"all", "All", false}};
  analysis::ItemResult item;
  item.item = "q3";
  item.label = "Works with police";
  analysis::OptionRow yes;
  yes.option = "yes";
  yes.label = "Yes";
  yes.cells = {MakeCell(20, 27)};
  item.options.push_back(yes);
  item.nonresponse = {MakeNonresponse(27, 0, 0)};
  table.items.push_back(item);
  return table;
}

}  // namespace ngosurvey::report::testing
