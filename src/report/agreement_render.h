// Renders agreement among coders (analysis/agreement.h) for `ngosurvey agreement`:
// Markdown, CSV and a self-contained HTML page. Formats only; computes nothing.
//
// CSV layout (a public interface, docs/cli.md): the header `code,statistic,value`,
// then for each code in the codebook's order and last `(overall)`, one row per
// statistic in the order n_units, n_coders, percent_agreement, cohen_kappa,
// fleiss_kappa, krippendorff_alpha, alpha_lo, alpha_hi. Counts print as integers,
// reals with "%.17g", and a coefficient that cannot be computed is empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/agreement.h"

namespace ngosurvey::report {

enum class AgreementFormat { kMarkdown, kCsv, kHtml };

// "md", "csv", "html"; nullopt otherwise.
std::optional<AgreementFormat> ParseAgreementFormat(std::string_view name);

struct AgreementReport {
  std::string question;
  std::string codebook_version;               // "" when no codebook was given
  std::vector<analysis::CodeAgreement> rows;  // per code, then "(overall)"
  std::vector<std::string> labels;            // a label per row ("" for none); may be empty
  std::string banner;                         // e.g. "SYNTHETIC DATA"; shown when set
  int replicates = 1000;
  double level = 0.95;
};

// The statistics of the CSV, in order.
const std::vector<std::string_view>& AgreementStatistics();

std::string RenderAgreement(const AgreementReport& report, AgreementFormat format);

}  // namespace ngosurvey::report
