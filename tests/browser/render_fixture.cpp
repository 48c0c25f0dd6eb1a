// render_fixture OUT [FORMAT]: tabulates a fixed synthetic dataset shaped like the
// reference study (14 NGOs in Cambodia, 13 in Viet Nam; labels in Khmer and
// Vietnamese, one with HTML specials) through the public analysis/ and report/
// headers and writes the tables to OUT in FORMAT (md, csv, html, xlsx, tex;
// default html). Two tables: one with disclosure flags only, one with suppression.
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/table.h"
#include "form/answer.h"
#include "report/table_render.h"

namespace {

using ngosurvey::Status;
using ngosurvey::form::Answer;
namespace analysis = ngosurvey::analysis;
namespace report = ngosurvey::report;

// `runs` of (answer, times), in respondent order (14 KH first, then 13 VN).
ngosurvey::Result<analysis::Column> Build(std::string name, std::string label,
                                          analysis::ColumnKind kind,
                                          std::vector<std::string> options,
                                          std::vector<std::string> option_labels,
                                          const std::vector<std::pair<Answer, int>>& runs) {
  analysis::ColumnBuilder builder(std::move(name), kind, std::move(options));
  for (const auto& [answer, times] : runs) {
    for (int i = 0; i < times; ++i) NGO_TRY(builder.Append(answer));
  }
  analysis::Column column = std::move(builder).Finish();
  column.label = std::move(label);
  column.option_labels = std::move(option_labels);
  return column;
}

ngosurvey::Result<analysis::Dataset> StudyLikeData() {
  using analysis::ColumnKind;
  analysis::Dataset data;
  NGO_TRY(data.AddColumn(NGO_TRY(Build(
      "country", "Country", ColumnKind::kSingle, {"KH", "VN"}, {"Cambodia (កម្ពុជា)", "Việt Nam"},
      {{Answer::Answered("KH"), 14}, {Answer::Answered("VN"), 13}}))));
  // KH: 6 yes, 8 no; VN: 2 yes (a small count), 10 no, 1 refused.
  NGO_TRY(data.AddColumn(
      NGO_TRY(Build("training", "Staff trained on trafficking <law> & \"victim identification\"",
                    ColumnKind::kSingle, {"yes", "no"}, {"Có / បាទ", "Không / ទេ"},
                    {{Answer::Answered("yes"), 6},
                     {Answer::Answered("no"), 8},
                     {Answer::Answered("yes"), 2},
                     {Answer::Answered("no"), 10},
                     {Answer::Refused(), 1}}))));
  // Services (select_multiple): legal aid is rare in Viet Nam (1 NGO).
  NGO_TRY(
      data.AddColumn(NGO_TRY(Build("services", "Services provided to victims", ColumnKind::kMulti,
                                   {"shelter", "legal", "health", "reintegration"},
                                   {"Nơi tạm trú an toàn (safe shelter)", "ជំនួយផ្នែកច្បាប់ (legal aid)",
                                    "Chăm sóc y tế", "ការធ្វើសមាហរណកម្មឡើងវិញ (reintegration)"},
                                   {{Answer::Answered("shelter legal health"), 4},
                                    {Answer::Answered("shelter reintegration"), 5},
                                    {Answer::Answered("legal"), 3},
                                    {Answer::Answered("health reintegration"), 2},
                                    {Answer::Answered("shelter health reintegration"), 6},
                                    {Answer::Answered("legal health"), 1},
                                    {Answer::Answered("health"), 5},
                                    {Answer::DontKnow(), 1}}))));
  // Paid staff: KH 1..14; VN 12 answers and one don't know.
  std::vector<std::pair<Answer, int>> staff;
  for (int i = 1; i <= 14; ++i) staff.push_back({Answer::Answered(std::to_string(i)), 1});
  for (int i = 0; i < 12; ++i) staff.push_back({Answer::Answered(std::to_string(8 + i % 5)), 1});
  staff.push_back({Answer::DontKnow(), 1});
  NGO_TRY(data.AddColumn(NGO_TRY(
      Build("staff", "Số nhân viên / ចំនួនបុគ្គលិក (paid staff)", ColumnKind::kNumber, {}, {}, staff))));
  return data;
}

analysis::RowSpec Row(std::string item) {
  analysis::RowSpec row;
  row.item = std::move(item);
  return row;
}

ngosurvey::Result<std::vector<analysis::TableResult>> Tables() {
  analysis::Dataset data = NGO_TRY(StudyLikeData());
  analysis::TableSpec flagged;
  flagged.id = "table2";
  flagged.title = "Training and services of NGOs, by country";
  flagged.notes = {"Synthetic data shaped like the reference study's Tables 2 and 5."};
  flagged.by = {"country"};
  flagged.total = true;
  flagged.rows = {Row("training"), Row("services"), Row("staff")};
  analysis::TableSpec suppressed = flagged;
  suppressed.id = "table2-suppressed";
  suppressed.title = "The same table with small cells suppressed";
  suppressed.suppress = true;
  suppressed.min_base = 5;
  suppressed.rows = {Row("services")};
  std::vector<analysis::TableResult> out;
  out.push_back(NGO_TRY(analysis::Tabulate(data, flagged)));
  out.push_back(NGO_TRY(analysis::Tabulate(data, suppressed)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: render_fixture OUT [md|csv|html|xlsx|tex]\n");
    return 2;
  }
  auto format = report::ParseTableFormat(argc == 3 ? argv[2] : "html");
  if (!format) {
    std::fprintf(stderr, "%s\n", format.error().ToString().c_str());
    return 2;
  }
  auto tables = Tables();
  if (!tables) {
    std::fprintf(stderr, "%s\n", tables.error().ToString().c_str());
    return 1;
  }
  report::RenderOptions options;
  options.banner = "SYNTHETIC DATA";
  Status written = report::WriteTables(*tables, *format, argv[1], options);
  if (!written) {
    std::fprintf(stderr, "%s\n", written.error().ToString().c_str());
    return 1;
  }
  return 0;
}
