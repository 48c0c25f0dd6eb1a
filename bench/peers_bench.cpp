// The ngosurvey side of bench/peers/run.sh (see bench/README.md, "Peers"):
//
//   peers_bench generate ROWS DIR
//       writes the workload of tabulate_workload.h as a CSV export DIR/data.csv
//       (grp, s0..s99, m0..m29, x0..x9; select_multiple answers space-separated as in
//       ODK exports; refused as 99, missing as an empty cell) and its XLSForm's sheets
//       as DIR/form/survey.csv and DIR/form/choices.csv (tools/xlsform-from-csv makes
//       the .xlsx). An answered select_multiple with no option ticked cannot be told
//       from a missing one in a CSV export: it is written empty, so it reads as missing.
//
//   peers_bench compute FORM.xlsx DATA.csv REPS [CANON.csv]
//       loads the CSV as `tabulate --refused 99 --no-cache` does (the streaming
//       loader, LoadCsvFile, on two threads), then times CountByGroup over every item by grp with
//       two threads, and one two-thread memory pass over the same bytes, REPS times each. Prints
//       one "name value" line per figure (seconds, bytes); medians. With CANON.csv, writes the
//       counts (item,option,group,count,base,mean: count and answered base of every option in every
//       group, n and mean of every decimal) that bench/peers/peers.py checks the peers against.
//
//   peers_bench load FORM.xlsx DATA.csv THREADS
//       the CSV load of `compute` alone on THREADS threads (for profiling the loader);
//       prints the rows and the load time.
//
//   peers_bench cached FORM.xlsx DATA.csv
//       loads as `tabulate --refused 99` does with its binary cache (in $XDG_CACHE_HOME/ngosurvey:
//       mapped when it matches, else the CSV is parsed and the cache written), then one
//       CountByGroup; prints the load time and whether the cache was used.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/csv_cache.h"
#include "analysis/csv_load.h"
#include "analysis/group_counts.h"
#include "analysis/load_data.h"
#include "base/csv.h"
#include "base/file.h"
#include "form/form.h"
#include "tabulate_workload.h"

namespace ngosurvey::analysis {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int Generate(size_t rows, const std::string& dir) {
  std::filesystem::create_directories(dir + "/form");
  Dataset data = bench::MakeWorkload(rows);
  const auto& columns = data.columns();

  std::string survey = "type,name,label\n", choices = "list_name,name,label\n";
  for (const Column& c : columns) {
    std::string type = c.kind == ColumnKind::kNumber  ? "decimal"
                       : c.kind == ColumnKind::kMulti ? "select_multiple opts"
                       : c.name == "grp"              ? "select_one groups"
                                                      : "select_one codes";
    survey += type + "," + c.name + ",Item " + c.name + "\n";
  }
  for (const char* g : {"g1", "g2", "g3", "g4", "g5"})
    choices += std::string("groups,") + g + ",Group " + g + "\n";
  for (int code = 1; code <= 6; ++code)
    choices += "codes," + std::to_string(code) + ",Code " + std::to_string(code) + "\n";
  for (const char* o : {"a", "b", "c", "d", "e"})
    choices += std::string("opts,") + o + ",Option " + o + "\n";
  for (auto [name, text] : {std::pair{"survey.csv", &survey}, std::pair{"choices.csv", &choices}}) {
    Status written = WriteFileAtomic(dir + "/form/" + name, *text);
    if (!written) {
      std::fprintf(stderr, "error: %s\n", written.error().message.c_str());
      return 3;
    }
  }

  std::string path = dir + "/data.csv";
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) {
    std::perror(path.c_str());
    return 3;
  }
  std::string buffer;
  for (size_t i = 0; i < columns.size(); ++i) buffer += (i ? "," : "") + columns[i].name;
  buffer += '\n';
  for (size_t row = 0; row < rows; ++row) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i) buffer += ',';
      const Column& c = columns[i];
      if (c.kind == ColumnKind::kNumber) {
        if (c.states[row] != kCodeAnswered) continue;
        char text[32];
        auto end =
            std::to_chars(text, text + sizeof text, c.numbers[row], std::chars_format::fixed, 3)
                .ptr;
        buffer.append(text, end);
        continue;
      }
      uint8_t code = c.planes[0][row];
      if (code == kCodeRefused) {
        buffer += "99";
      } else if (code >= kCodeNotAsked) {
        // missing: an empty cell
      } else if (c.kind == ColumnKind::kSingle) {
        buffer += c.options[code];
      } else {
        bool first = true;
        for (int bit = 0; bit < static_cast<int>(c.options.size()); ++bit) {
          if (!(code >> bit & 1)) continue;
          if (!first) buffer += ' ';
          buffer += c.options[bit];
          first = false;
        }
      }
    }
    buffer += '\n';
    if (buffer.size() > (size_t{1} << 22)) {
      std::fwrite(buffer.data(), 1, buffer.size(), out);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), out);
  if (std::fclose(out) != 0) {
    std::perror(path.c_str());
    return 3;
  }
  return 0;
}

// The canonical counts of bench/peers/peers.py from the kernel's result.
std::string Canonical(const Dataset& data, int group, const GroupedCounts& counts) {
  const Column& groups = data.column(group);
  std::string out = "item,option,group,count,base,mean\n";
  for (const ColumnCounts& c : counts.columns) {
    const Column& column = data.column(c.column);
    for (int g = 0; g < counts.group_count && g < static_cast<int>(groups.options.size()); ++g) {
      const std::string prefix = column.name + ",";
      if (column.kind == ColumnKind::kNumber) {
        const NumberSummary& s = c.numbers[g];
        char mean[64];
        std::snprintf(mean, sizeof mean, "%.17g", s.n ? s.sum / static_cast<double>(s.n) : 0.0);
        out +=
            prefix + "mean," + groups.options[g] + "," + std::to_string(s.n) + ",," + mean + "\n";
        continue;
      }
      uint64_t base = StateCount(c, column.kind, g, form::AnswerState::kAnswered);
      for (int o = 0; o < static_cast<int>(column.options.size()); ++o) {
        uint64_t n = column.kind == ColumnKind::kSingle ? SingleOptionCount(c, g, o)
                                                        : MultiOptionCount(c, g, o);
        out += prefix + column.options[o] + "," + groups.options[g] + "," + std::to_string(n) +
               "," + std::to_string(base) + ",\n";
      }
    }
  }
  return out;
}

// The workload's form, or a message on stderr.
std::optional<form::Form> LoadFormOrSay(const std::string& path, Diagnostics* diags) {
  auto form = form::LoadFormFile(path, diags);
  if (!form) {
    std::fprintf(stderr, "error: %s\n", form.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*form);
}

// How every run loads the workload: refused written as 99 (as peers.py reads it).
LoadDataOptions PeerLoadOptions() {
  LoadDataOptions options;
  options.refused_codes = {"99"};
  return options;
}

// Both cores, as the peers use them.
CsvLoadSettings TwoThreads() {
  CsvLoadSettings settings;
  settings.threads = 2;
  return settings;
}

// Every column but the grouping one: what the peers count.
std::vector<int> ItemColumns(const Dataset& data, int group) {
  std::vector<int> items;
  for (int i = 0; i < static_cast<int>(data.columns().size()); ++i) {
    if (i != group) items.push_back(i);
  }
  return items;
}

int Compute(const std::string& form_path, const std::string& data_path, int reps,
            const std::string& canon_path) {
  Diagnostics diags;
  std::optional<form::Form> form = LoadFormOrSay(form_path, &diags);
  if (!form) return 1;
  auto start = Clock::now();
  LoadDataOptions options = PeerLoadOptions();
  CsvLoadSettings settings = TwoThreads();
  auto data = LoadCsvFile(*form, data_path, options, &diags, settings);
  if (!data) {
    std::fprintf(stderr, "error: %s\n", data.error().message.c_str());
    return 1;
  }
  double load = Seconds(start);

  int group = data->Find("grp");
  std::vector<int> items = ItemColumns(*data, group);
  std::vector<double> count_times, pass_times;
  uint64_t checksum = 0;
  for (int rep = 0; rep < reps; ++rep) {
    start = Clock::now();
    auto counts = CountByGroup(*data, group, items, 2);
    count_times.push_back(Seconds(start));
    if (!counts) {
      std::fprintf(stderr, "error: %s\n", counts.error().message.c_str());
      return 1;
    }
    checksum += counts->columns.size();
    if (rep == 0 && !canon_path.empty()) {
      Status written = WriteFileAtomic(canon_path, Canonical(*data, group, *counts));
      if (!written) {
        std::fprintf(stderr, "error: %s\n", written.error().message.c_str());
        return 3;
      }
    }
    start = Clock::now();
    checksum += bench::MemoryPass(*data);
    pass_times.push_back(Seconds(start));
  }
  std::printf("rows %zu\n", data->rows());
  std::printf("dataset_bytes %zu\n", data->ByteSize());
  std::printf("load_s %.4f\n", load);
  std::printf("count_by_group_s %.4f\n", Median(count_times));
  std::printf("memory_pass_s %.4f\n", Median(pass_times));
  std::printf("checksum %llu\n", static_cast<unsigned long long>(checksum % 1000));
  return 0;
}

// The CSV load alone (as compute loads), on THREADS threads: for profiling the loader.
int Load(const std::string& form_path, const std::string& data_path, int threads) {
  Diagnostics diags;
  std::optional<form::Form> form = LoadFormOrSay(form_path, &diags);
  if (!form) return 1;
  auto start = Clock::now();
  CsvLoadSettings settings;
  settings.threads = threads;
  auto data = LoadCsvFile(*form, data_path, PeerLoadOptions(), &diags, settings);
  if (!data) {
    std::fprintf(stderr, "error: %s\n", data.error().message.c_str());
    return 1;
  }
  std::printf("rows %zu\n", data->rows());
  std::printf("load_s %.4f\n", Seconds(start));
  return 0;
}

int Cached(const std::string& form_path, const std::string& data_path) {
  Diagnostics diags;
  std::optional<form::Form> form = LoadFormOrSay(form_path, &diags);
  if (!form) return 1;
  auto start = Clock::now();
  LoadDataOptions options = PeerLoadOptions();
  CsvLoadSettings settings = TwoThreads();
  CachedLoad cache;
  auto data = LoadCsvWithCache(*form, form_path, data_path, options, &diags, settings, &cache);
  if (!data) {
    std::fprintf(stderr, "error: %s\n", data.error().message.c_str());
    return 1;
  }
  double load = Seconds(start);
  int group = data->Find("grp");
  std::vector<int> items = ItemColumns(*data, group);
  start = Clock::now();
  auto counts = CountByGroup(*data, group, items, 2);
  if (!counts) {
    std::fprintf(stderr, "error: %s\n", counts.error().message.c_str());
    return 1;
  }
  double count = Seconds(start);
  std::printf("rows %zu\n", data->rows());
  std::printf("dataset_bytes %zu\n", data->ByteSize());
  std::printf("from_cache %d\n", cache.from_cache ? 1 : 0);
  std::printf("cache_written %d\n", cache.cache_written ? 1 : 0);
  std::printf("load_s %.4f\n", load);
  std::printf("count_by_group_s %.4f\n", count);
  return 0;
}

}  // namespace
}  // namespace ngosurvey::analysis

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "generate") {
    return ngosurvey::analysis::Generate(std::stoull(args[1]), args[2]);
  }
  if (args.size() == 3 && args[0] == "cached") return ngosurvey::analysis::Cached(args[1], args[2]);
  if (args.size() == 4 && args[0] == "load") {
    return ngosurvey::analysis::Load(args[1], args[2], std::stoi(args[3]));
  }
  if ((args.size() == 4 || args.size() == 5) && args[0] == "compute") {
    return ngosurvey::analysis::Compute(args[1], args[2], std::stoi(args[3]),
                                        args.size() == 5 ? args[4] : "");
  }
  std::fprintf(stderr,
               "usage: peers_bench generate ROWS DIR\n"
               "       peers_bench compute FORM.xlsx DATA.csv REPS [CANON.csv]\n"
               "       peers_bench cached FORM.xlsx DATA.csv\n"
               "       peers_bench load FORM.xlsx DATA.csv THREADS\n");
  return 2;
}
