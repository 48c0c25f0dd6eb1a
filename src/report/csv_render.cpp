// The long CSV layout of tables, one statistic per line:
//
//   item,option,group,statistic,value[,table]
//
// per option and group:   n (the base), count, percent (rounded text), prop,
//                         wilson_lo/hi, cp_lo/hi, jeffreys_lo/hi, ac_lo/hi,
//                         prop_of_mentions (select_multiple), flags (when any)
//                         (a weighted table: n and count unweighted, percent and prop
//                         weighted, then se, deff, ci_lo, ci_hi (the design-based
//                         interval) and n_weighted instead of the binomial intervals)
// per option, per pair:   fisher_p, fisher_p_holm, fisher_p_bh (group "KH-VN"); a weighted
//                         table: rao_scott_p, rao_scott_p_holm, rao_scott_p_bh
// per item (option ""):   fisher_p of the r x c table (group: the groups joined by -),
//                         then (an extension, when fisher_p has a value) fisher_method:
//                         exact, monte_carlo or asymptotic, and with monte_carlo
//                         fisher_replicates (B)
// per item and group:     n_total, n_missing, n_refused, n_dont_know, n_not_asked,
//                         n_answered; mentions_total (select_multiple); for numeric
//                         items n, mean, sd, median, min, max (a weighted table: mean,
//                         sd and median weighted, se after mean, n_weighted after n)
//
// Reals are printed %.17g (round-trip exact); a statistic that cannot be computed
// (a base of 0) has an empty value; a suppressed cell prints only n and flags.
#include <fmt/format.h>

#include <algorithm>

#include "base/csv.h"
#include "report/table_render.h"

namespace ngosurvey::report {
namespace {

using analysis::Cell;
using analysis::FormatRoundTrip;
using analysis::ItemKind;
using analysis::TableResult;

class LongWriter {
 public:
  LongWriter(std::string* out, const RenderOptions& options, const TableResult& table)
      : out_(out), options_(options), table_(table) {}

  void Line(const std::string& item, const std::string& option, const std::string& group,
            std::string_view statistic, const std::string& value) {
    std::vector<std::string> fields = {item, option, group, std::string(statistic), value};
    if (options_.csv_table_column) fields.push_back(table_.id);
    csv::AppendRow(fields, out_);
  }

 private:
  std::string* out_;
  const RenderOptions& options_;
  const TableResult& table_;
};

std::string Real(const std::optional<double>& value) {
  return value ? FormatRoundTrip(*value) : std::string();
}

std::string Flags(const Cell& cell) {
  std::string flags;
  auto add = [&](bool on, const char* name) {
    if (on) flags += (flags.empty() ? "" : ";") + std::string(name);
  };
  add(cell.small_count, "small_count");
  add(cell.small_base, "small_base");
  add(cell.suppressed, "suppressed");
  return flags;
}

void CellLines(LongWriter& w, const std::string& item, const std::string& option,
               const std::string& group, const Cell& cell) {
  w.Line(item, option, group, "n", std::to_string(cell.base));
  if (!cell.suppressed) {
    w.Line(item, option, group, "count", std::to_string(cell.count));
    w.Line(item, option, group, "percent", cell.percent);
    w.Line(item, option, group, "prop", Real(cell.prop));
    if (cell.design) {
      const analysis::DesignCell& d = *cell.design;
      bool any = cell.base > 0;
      w.Line(item, option, group, "se", any ? FormatRoundTrip(d.se) : "");
      w.Line(item, option, group, "deff", Real(d.deff));
      w.Line(item, option, group, "ci_lo", d.interval ? FormatRoundTrip(d.interval->lower) : "");
      w.Line(item, option, group, "ci_hi", d.interval ? FormatRoundTrip(d.interval->upper) : "");
      w.Line(item, option, group, "n_weighted", FormatRoundTrip(d.n_weighted));
      std::string flags = Flags(cell);
      if (!flags.empty()) w.Line(item, option, group, "flags", flags);
      return;
    }
    auto interval = [&](const std::optional<analysis::Interval>& ci, const char* lo,
                        const char* hi) {
      w.Line(item, option, group, lo, ci ? FormatRoundTrip(ci->lower) : "");
      w.Line(item, option, group, hi, ci ? FormatRoundTrip(ci->upper) : "");
    };
    interval(cell.wilson, "wilson_lo", "wilson_hi");
    interval(cell.clopper_pearson, "cp_lo", "cp_hi");
    interval(cell.jeffreys, "jeffreys_lo", "jeffreys_hi");
    interval(cell.agresti_coull, "ac_lo", "ac_hi");
  }
  std::string flags = Flags(cell);
  if (!flags.empty()) w.Line(item, option, group, "flags", flags);
}

std::string Joined(const std::vector<std::string>& groups) {
  std::string out;
  for (const std::string& g : groups) out += (out.empty() ? "" : "-") + g;
  return out;
}

}  // namespace

std::string RenderCsvLong(const std::vector<TableResult>& tables, const RenderOptions& options) {
  std::string out;
  std::vector<std::string> header = {"item", "option", "group", "statistic", "value"};
  if (options.csv_table_column) header.push_back("table");
  csv::AppendRow(header, &out);
  for (const TableResult& table : tables) {
    LongWriter w(&out, options, table);
    for (const analysis::ItemResult& item : table.items) {
      for (const analysis::OptionRow& option : item.options) {
        for (size_t c = 0; c < table.columns.size(); ++c) {
          const std::string& group = table.columns[c].key;
          CellLines(w, item.item, option.option, group, option.cells[c]);
          if (c < option.mention_cells.size() && !option.mention_cells[c].suppressed) {
            w.Line(item.item, option.option, group, "prop_of_mentions",
                   Real(option.mention_cells[c].prop));
          }
        }
        for (const analysis::GroupTest& test : option.tests) {
          std::string group = Joined(test.groups);
          std::string name = test.rao_scott ? "rao_scott_p" : "fisher_p";
          w.Line(item.item, option.option, group, name, Real(test.p));
          w.Line(item.item, option.option, group, name + "_holm", Real(test.p_holm));
          w.Line(item.item, option.option, group, name + "_bh", Real(test.p_bh));
        }
      }
      if (item.item_test) {
        const analysis::GroupTest& test = *item.item_test;
        std::string group = Joined(test.groups);
        if (test.rao_scott) {
          w.Line(item.item, "", group, "rao_scott_p", Real(test.p));
        } else {
          w.Line(item.item, "", group, "fisher_p", Real(test.p));
        }
        if (test.p && !test.rao_scott) {
          w.Line(item.item, "", group, "fisher_method",
                 std::string(analysis::FisherMethodName(test.method)));
          if (test.method == analysis::FisherMethod::kMonteCarlo) {
            w.Line(item.item, "", group, "fisher_replicates", std::to_string(test.replicates));
          }
        }
      }
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const std::string& group = table.columns[c].key;
        const analysis::Nonresponse& nr = item.nonresponse[c];
        w.Line(item.item, "", group, "n_total", std::to_string(nr.total));
        w.Line(item.item, "", group, "n_missing", std::to_string(nr.missing));
        w.Line(item.item, "", group, "n_refused", std::to_string(nr.refused));
        w.Line(item.item, "", group, "n_dont_know", std::to_string(nr.dont_know));
        w.Line(item.item, "", group, "n_not_asked", std::to_string(nr.not_asked));
        w.Line(item.item, "", group, "n_answered", std::to_string(nr.answered));
        if (item.kind == ItemKind::kMulti && c < item.mentions_total.size()) {
          w.Line(item.item, "", group, "mentions_total", std::to_string(item.mentions_total[c]));
        }
        if (item.kind == ItemKind::kNumeric && c < item.numeric.size()) {
          const analysis::NumericCell& cell = item.numeric[c];
          if (cell.suppressed) {
            w.Line(item.item, "", group, "flags", "small_base;suppressed");
            continue;
          }
          const bool has_mean = std::find(item.statistics.begin(), item.statistics.end(), "mean") !=
                                item.statistics.end();
          for (const std::string& stat : item.statistics) {
            // The layout puts a weighted mean's se right after its mean (below).
            if (stat == "se") {
              if (!has_mean && cell.mean_se) w.Line(item.item, "", group, "se", Real(cell.mean_se));
              continue;
            }
            std::string value;
            if (stat == "n") value = std::to_string(cell.n);
            if (stat == "mean") value = Real(cell.mean);
            if (stat == "sd") value = Real(cell.sd);
            if (stat == "median") value = Real(cell.median);
            if (stat == "min") value = Real(cell.min);
            if (stat == "max") value = Real(cell.max);
            w.Line(item.item, "", group, stat, value);
            if (stat == "mean" && cell.mean_se)
              w.Line(item.item, "", group, "se", Real(cell.mean_se));
            if (stat == "n" && cell.n_weighted) {
              w.Line(item.item, "", group, "n_weighted", Real(cell.n_weighted));
            }
          }
        }
      }
    }
  }
  return out;
}

}  // namespace ngosurvey::report
