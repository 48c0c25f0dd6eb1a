#include "report/agreement_render.h"

#include <gtest/gtest.h>

namespace ngosurvey::report {
namespace {

AgreementReport Sample() {
  AgreementReport report;
  report.question = "difficulties";
  report.codebook_version = "2026-12-05";
  analysis::CodeAgreement funding;
  funding.code = "funding";
  funding.n_units = 10;
  funding.n_coders = 2;
  funding.percent_agreement = 0.6;
  funding.cohen_kappa = 1.0 / 11.0;
  funding.fleiss_kappa = 0.047619047619047616;
  funding.krippendorff_alpha = 0.095238095238095233;
  funding.alpha_lo = -0.5;
  funding.alpha_hi = 0.75;
  analysis::CodeAgreement never;
  never.code = "never";
  never.n_units = 10;
  never.n_coders = 2;
  never.percent_agreement = 1.0;
  analysis::CodeAgreement overall = funding;
  overall.code = "(overall)";
  report.rows = {funding, never, overall};
  report.labels = {"Funding <money>", "Never | used", ""};
  return report;
}

TEST(AgreementRenderTest, CsvLayoutIsExactlyCodeStatisticValue) {
  EXPECT_EQ(RenderAgreement(Sample(), AgreementFormat::kCsv),
            "code,statistic,value\n"
            "funding,n_units,10\n"
            "funding,n_coders,2\n"
            "funding,percent_agreement,0.59999999999999998\n"
            "funding,cohen_kappa,0.090909090909090912\n"
            "funding,fleiss_kappa,0.047619047619047616\n"
            "funding,krippendorff_alpha,0.095238095238095233\n"
            "funding,alpha_lo,-0.5\n"
            "funding,alpha_hi,0.75\n"
            "never,n_units,10\n"
            "never,n_coders,2\n"
            "never,percent_agreement,1\n"
            "never,cohen_kappa,\n"
            "never,fleiss_kappa,\n"
            "never,krippendorff_alpha,\n"
            "never,alpha_lo,\n"
            "never,alpha_hi,\n"
            "(overall),n_units,10\n"
            "(overall),n_coders,2\n"
            "(overall),percent_agreement,0.59999999999999998\n"
            "(overall),cohen_kappa,0.090909090909090912\n"
            "(overall),fleiss_kappa,0.047619047619047616\n"
            "(overall),krippendorff_alpha,0.095238095238095233\n"
            "(overall),alpha_lo,-0.5\n"
            "(overall),alpha_hi,0.75\n");
}

TEST(AgreementRenderTest, MarkdownAndHtml) {
  AgreementReport report = Sample();
  report.banner = "SYNTHETIC DATA";
  std::string md = RenderAgreement(report, AgreementFormat::kMarkdown);
  EXPECT_NE(md.find("**SYNTHETIC DATA**"), std::string::npos);
  EXPECT_NE(md.find("| funding | Funding <money> | 10 | 2 | 0.600 | 0.091 | 0.048 | 0.095 | -0.500 "
                    "to 0.750 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| never | Never \\| used | 10 | 2 | 1.000 | – | – | – | – |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Codebook version 2026-12-05."), std::string::npos);
  std::string html = RenderAgreement(report, AgreementFormat::kHtml);
  EXPECT_NE(html.find("<td>Funding &lt;money&gt;</td>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">(overall)</th>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"banner\">SYNTHETIC DATA</p>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(ParseAgreementFormat("md"), AgreementFormat::kMarkdown);
  EXPECT_EQ(ParseAgreementFormat("xlsx"), std::nullopt);
}

}  // namespace
}  // namespace ngosurvey::report
