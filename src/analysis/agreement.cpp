// Agreement coefficients (agreement.h; formulas in docs/statistics.md).
//
// Codings become, per code, a histogram of unit patterns (m coders judged the
// answer, k of them gave the code): every coefficient of a present/absent code is
// a function of that histogram, so the work is one pass over the codings plus a
// few operations per pattern, and a bootstrap resample is a multinomial draw of
// pattern counts.
#include "analysis/agreement.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace ngosurvey::analysis {

namespace {

// A units x 2 (absent, present) histogram: weights[tri(m, k)] units had m coders,
// k of whom gave the code.
inline size_t Tri(size_t m, size_t k) { return m * (m + 1) / 2 + k; }

struct Pattern {
  int64_t m = 0;
  int64_t k = 0;
  int64_t weight = 0;
};

// The coefficients of a present/absent judgement from its patterns (m >= 2 only).
NominalAgreement BinaryAgreement(const std::vector<Pattern>& patterns) {
  NominalAgreement out;
  int64_t units = 0;
  long double agree = 0;     // sum over units of the share of agreeing pairs
  long double disagree = 0;  // sum over units of 2 k (m - k) / (m - 1)
  int64_t n = 0, n1 = 0;
  for (const Pattern& p : patterns) {
    if (p.weight == 0) continue;
    const int64_t m = p.m, k = p.k, w = p.weight;
    units += w;
    n += w * m;
    n1 += w * k;
    agree += static_cast<long double>(w) *
             (static_cast<long double>(k * (k - 1) + (m - k) * (m - k - 1)) /
              static_cast<long double>(m * (m - 1)));
    disagree += static_cast<long double>(w) * static_cast<long double>(2 * k * (m - k)) /
                static_cast<long double>(m - 1);
  }
  out.n_units = units;
  if (units == 0) return out;
  long double pa = agree / static_cast<long double>(units);
  out.percent_agreement = static_cast<double>(pa);
  const int64_t n0 = n - n1;
  if (n0 == 0 || n1 == 0) return out;  // one category only: no chance agreement to correct
  // Fleiss: Pe = (n0^2 + n1^2) / n^2, 1 - Pe = 2 n0 n1 / n^2.
  long double nn = static_cast<long double>(n);
  long double pe =
      (static_cast<long double>(n0) * n0 + static_cast<long double>(n1) * n1) / (nn * nn);
  out.fleiss_kappa = static_cast<double>((pa - pe) / (1.0L - pe));
  out.krippendorff_alpha = static_cast<double>(
      1.0L - (nn - 1.0L) * disagree /
                 (2.0L * static_cast<long double>(n0) * static_cast<long double>(n1)));
  return out;
}

// R's quantile type 7 of sorted values.
double Quantile7(const std::vector<double>& sorted, double p) {
  double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  size_t lo = static_cast<size_t>(std::floor(h));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Percentile interval of alpha over multinomial resamples of the patterns.
void BootstrapAlpha(const std::vector<Pattern>& patterns, const AgreementOptions& options,
                    std::mt19937_64& rng, CodeAgreement* out) {
  std::vector<Pattern> live;
  int64_t total = 0;
  for (const Pattern& p : patterns) {
    if (p.weight > 0) {
      live.push_back(p);
      total += p.weight;
    }
  }
  if (total == 0) return;
  std::vector<double> alphas;
  alphas.reserve(static_cast<size_t>(options.replicates));
  std::vector<Pattern> sample = live;
  for (int r = 0; r < options.replicates; ++r) {
    int64_t left = total;
    int64_t weight_left = total;
    for (size_t i = 0; i < live.size(); ++i) {
      int64_t drawn = 0;
      if (i + 1 == live.size()) {
        drawn = left;
      } else if (left > 0) {
        double p = static_cast<double>(live[i].weight) / static_cast<double>(weight_left);
        drawn = std::binomial_distribution<int64_t>(left, std::min(1.0, p))(rng);
      }
      sample[i].weight = drawn;
      left -= drawn;
      weight_left -= live[i].weight;
    }
    NominalAgreement a = BinaryAgreement(sample);
    if (a.krippendorff_alpha) alphas.push_back(*a.krippendorff_alpha);
  }
  if (alphas.empty()) return;
  std::sort(alphas.begin(), alphas.end());
  double tail = (1.0 - options.level) / 2.0;
  out->alpha_lo = Quantile7(alphas, tail);
  out->alpha_hi = Quantile7(alphas, 1.0 - tail);
}

uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char ch : text) hash = (hash ^ ch) * 1099511628211ull;
  return hash;
}

// Largest pattern table the histogram may take (entries over all codes).
constexpr size_t kMaxPatternEntries = size_t{1} << 26;

}  // namespace

NominalAgreement ComputeNominalAgreement(const AgreementTable& table) {
  NominalAgreement out;
  const size_t k = static_cast<size_t>(std::max(table.categories, 0));
  if (k == 0) return out;
  std::vector<long double> category_totals(k, 0);
  long double units = 0, agree = 0, disagree = 0, n = 0;
  for (size_t row = 0; row < table.rows(); ++row) {
    const int64_t* counts = &table.counts[row * k];
    long double w = table.weights.empty() ? 1.0L : static_cast<long double>(table.weights[row]);
    if (w == 0) continue;
    int64_t m = 0, same = 0;
    for (size_t c = 0; c < k; ++c) {
      m += counts[c];
      same += counts[c] * (counts[c] - 1);
    }
    if (m < 2) continue;
    units += w;
    n += w * static_cast<long double>(m);
    for (size_t c = 0; c < k; ++c) category_totals[c] += w * static_cast<long double>(counts[c]);
    agree += w * static_cast<long double>(same) / static_cast<long double>(m * (m - 1));
    disagree += w * static_cast<long double>(m * (m - 1) - same) / static_cast<long double>(m - 1);
  }
  out.n_units = static_cast<int64_t>(units);
  if (units == 0) return out;
  long double pa = agree / units;
  out.percent_agreement = static_cast<double>(pa);
  long double squares = 0;
  for (long double t : category_totals) squares += t * t;
  long double spread = n * n - squares;  // n^2 (1 - Pe)
  if (spread <= 0) return out;
  long double pe = squares / (n * n);
  out.fleiss_kappa = static_cast<double>((pa - pe) / (1.0L - pe));
  out.krippendorff_alpha = static_cast<double>(1.0L - (n - 1.0L) * disagree / spread);
  return out;
}

std::optional<double> CohenKappa(const std::vector<int64_t>& table, int categories) {
  if (categories <= 0 || table.size() != static_cast<size_t>(categories) * categories)
    return std::nullopt;
  const size_t k = static_cast<size_t>(categories);
  __int128 total = 0, diagonal = 0, chance = 0;
  std::vector<__int128> rows(k, 0), cols(k, 0);
  for (size_t r = 0; r < k; ++r) {
    for (size_t c = 0; c < k; ++c) {
      rows[r] += table[r * k + c];
      cols[c] += table[r * k + c];
      total += table[r * k + c];
      if (r == c) diagonal += table[r * k + c];
    }
  }
  for (size_t c = 0; c < k; ++c) chance += rows[c] * cols[c];
  // kappa = (N * diag - sum rows*cols) / (N^2 - sum rows*cols)
  __int128 den = total * total - chance;
  if (total == 0 || den == 0) return std::nullopt;
  __int128 num = total * diagonal - chance;
  return static_cast<double>(static_cast<long double>(num) / static_cast<long double>(den));
}

// Long on purpose: one pass over the codings fills the tables that every coefficient then reads.
// NOLINTNEXTLINE(readability-function-size)
Result<std::vector<CodeAgreement>> ComputeCodingAgreement(const std::vector<Coding>& codings,
                                                          size_t n_units, size_t n_coders,
                                                          const std::vector<std::string>& codes,
                                                          const AgreementOptions& options) {
  if (options.replicates < 0 || options.replicates > 1000000 || !(options.level > 0.0) ||
      !(options.level < 1.0)) {
    return MakeError("AG002",
                     "bootstrap replicates must be 0 to 1,000,000 and the level between 0 and 1");
  }
  const size_t n_codes = codes.size();
  // Codings by unit (counting sort), checking every index on the way.
  std::vector<uint32_t> start(n_units + 1, 0);
  for (size_t i = 0; i < codings.size(); ++i) {
    const Coding& c = codings[i];
    if (c.unit >= n_units || c.coder >= n_coders || c.code < kNoCode ||
        (c.code != kNoCode && static_cast<size_t>(c.code) >= n_codes)) {
      return MakeError("AG001", "coding " + std::to_string(i + 1) + " (unit " +
                                    std::to_string(c.unit) + ", coder " + std::to_string(c.coder) +
                                    ", code " + std::to_string(c.code) + ") is out of range");
    }
    ++start[c.unit + 1];
  }
  if (codings.size() > UINT32_MAX) return MakeError("AG002", "more than 4,294,967,295 codings");
  for (size_t u = 0; u < n_units; ++u) start[u + 1] += start[u];
  std::vector<uint32_t> order(codings.size());
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < codings.size(); ++i)
      order[next[codings[i].unit]++] = static_cast<uint32_t>(i);
  }

  // Coders per unit, to size the pattern table.
  std::vector<uint32_t> coder_stamp(n_coders, 0);
  std::vector<uint32_t> unit_coders(n_units, 0);
  size_t max_m = 0;
  for (size_t u = 0; u < n_units; ++u) {
    uint32_t m = 0;
    for (uint32_t j = start[u]; j < start[u + 1]; ++j) {
      uint32_t coder = codings[order[j]].coder;
      if (coder_stamp[coder] != u + 1) {
        coder_stamp[coder] = static_cast<uint32_t>(u + 1);
        ++m;
      }
    }
    unit_coders[u] = m;
    max_m = std::max<size_t>(max_m, m);
  }
  const size_t tri_size = Tri(max_m, max_m) + 1;
  if (tri_size * (n_codes + 1) > kMaxPatternEntries) {
    return MakeError("AG002", std::to_string(max_m) + " coders on one answer with " +
                                  std::to_string(n_codes) + " codes is beyond the supported size");
  }

  // hist[code * tri_size + Tri(m, k)]: answers with m coders of which k gave the code
  // (k >= 1 here; k = 0 is what remains of units_by_m).
  std::vector<int64_t> hist(n_codes * tri_size, 0);
  std::vector<int64_t> units_by_m(max_m + 1, 0);
  std::vector<char> pairable_coder(n_coders, 0);
  // present[code * n_coders + coder]: pairable answers where the coder gave the code
  // (for Cohen's kappa).
  std::vector<int64_t> present(n_codes * n_coders, 0);
  std::vector<uint32_t> code_stamp(n_codes * n_coders, 0);
  std::vector<uint32_t> code_count(n_codes, 0);
  std::vector<uint32_t> touched;
  std::fill(coder_stamp.begin(), coder_stamp.end(), 0);
  for (size_t u = 0; u < n_units; ++u) {
    const size_t m = unit_coders[u];
    if (m < 2) continue;
    ++units_by_m[m];
    touched.clear();
    const uint32_t stamp = static_cast<uint32_t>(u + 1);
    for (uint32_t j = start[u]; j < start[u + 1]; ++j) {
      const Coding& c = codings[order[j]];
      pairable_coder[c.coder] = 1;
      if (c.code == kNoCode) continue;
      size_t slot = static_cast<size_t>(c.code) * n_coders + c.coder;
      if (code_stamp[slot] == stamp) continue;  // the same code on another segment
      code_stamp[slot] = stamp;
      ++present[slot];
      if (code_count[c.code]++ == 0) touched.push_back(static_cast<uint32_t>(c.code));
    }
    for (uint32_t code : touched) {
      ++hist[code * tri_size + Tri(m, code_count[code])];
      code_count[code] = 0;
    }
  }
  std::vector<size_t> coders_used;
  for (size_t c = 0; c < n_coders; ++c) {
    if (pairable_coder[c]) coders_used.push_back(c);
  }
  int64_t pairable_units = 0;
  for (int64_t count : units_by_m) pairable_units += count;

  std::vector<CodeAgreement> out;
  out.reserve(n_codes + 1);
  std::vector<std::vector<Pattern>> patterns_of;  // per row of `out`
  patterns_of.reserve(n_codes + 1);
  std::vector<Pattern> overall_patterns(tri_size);
  std::vector<int64_t> overall_cohen(4, 0);
  for (size_t code = 0; code <= n_codes; ++code) {
    const bool overall = code == n_codes;
    std::vector<Pattern> patterns(tri_size);
    if (!overall) {
      for (size_t m = 2; m <= max_m; ++m) {
        int64_t with_code = 0;
        for (size_t k = 1; k <= m; ++k) {
          Pattern& p = patterns[Tri(m, k)];
          p.m = static_cast<int64_t>(m);
          p.k = static_cast<int64_t>(k);
          p.weight = hist[code * tri_size + Tri(m, k)];
          with_code += p.weight;
        }
        Pattern& none = patterns[Tri(m, 0)];
        none.m = static_cast<int64_t>(m);
        none.weight = units_by_m[m] - with_code;
      }
      for (size_t i = 0; i < tri_size; ++i) {
        overall_patterns[i].m = patterns[i].m;
        overall_patterns[i].k = patterns[i].k;
        overall_patterns[i].weight += patterns[i].weight;
      }
    }
    const std::vector<Pattern>& use = overall ? overall_patterns : patterns;
    CodeAgreement row;
    row.code = overall ? kOverallCode : codes[code];
    row.n_units = pairable_units;
    row.n_coders = static_cast<int64_t>(coders_used.size());
    NominalAgreement a = BinaryAgreement(use);
    row.percent_agreement = a.percent_agreement;
    row.fleiss_kappa = a.fleiss_kappa;
    row.krippendorff_alpha = a.krippendorff_alpha;
    if (coders_used.size() == 2) {
      // Every pairable answer was coded by both: table rows = first coder
      // (absent, present), columns = second coder.
      std::vector<int64_t> t(4, 0);
      if (overall) {
        t = overall_cohen;
      } else {
        int64_t both = hist[code * tri_size + Tri(2, 2)];
        int64_t first = present[code * n_coders + coders_used[0]];
        int64_t second = present[code * n_coders + coders_used[1]];
        t = {pairable_units - first - second + both, second - both, first - both, both};
        for (size_t i = 0; i < 4; ++i) overall_cohen[i] += t[i];
      }
      row.cohen_kappa = CohenKappa(t, 2);
    }
    out.push_back(std::move(row));
    if (overall) {
      patterns_of.push_back(overall_patterns);
    } else {
      patterns_of.push_back(std::move(patterns));
    }
  }
  // The bootstraps, the bulk of the work, on every core: each code draws from its own
  // stream (seeded from its name), so the intervals do not depend on the threads.
  if (options.replicates > 0) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < out.size(); i = next++) {
        std::mt19937_64 rng(options.seed ^ Fnv1a(out[i].code));
        BootstrapAlpha(patterns_of[i], options, rng, &out[i]);
      }
    };
    size_t threads =
        std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), out.size());
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  return out;
}

Result<std::vector<CodeAgreement>> ComputeQuestionAgreement(const store::Store& store,
                                                            const std::string& question,
                                                            const form::Codebook* codebook,
                                                            const AgreementOptions& options) {
  std::vector<store::AnswerCoding> codings = NGO_TRY(store.ListCodings(question));
  return ComputeAnswerCodingsAgreement(codings, question, codebook, options);
}

Result<std::vector<CodeAgreement>> ComputeAnswerCodingsAgreement(
    const std::vector<store::AnswerCoding>& codings, const std::string& question,
    const form::Codebook* codebook, const AgreementOptions& options) {
  std::vector<std::string> codes;
  if (codebook != nullptr) {
    for (const form::Theme& theme : codebook->themes) {
      if (codebook->AppliesTo(theme.id, question)) codes.push_back(theme.id);
    }
  } else {
    std::set<std::string> used;
    for (const store::AnswerCoding& c : codings) {
      if (c.coder == store::kReconciledCoder) continue;
      for (const store::CodedSegment& s : c.segments) {
        if (!s.code.empty()) used.insert(s.code);
      }
    }
    codes.assign(used.begin(), used.end());
  }
  std::map<std::string, int32_t> code_index;
  for (size_t i = 0; i < codes.size(); ++i) code_index.emplace(codes[i], static_cast<int32_t>(i));
  std::map<std::string, uint32_t> units, coders;
  std::vector<Coding> flat;
  for (const store::AnswerCoding& c : codings) {
    if (c.coder == store::kReconciledCoder) continue;
    uint32_t unit = units.emplace(c.instance_id, static_cast<uint32_t>(units.size())).first->second;
    uint32_t coder = coders.emplace(c.coder, static_cast<uint32_t>(coders.size())).first->second;
    for (const store::CodedSegment& s : c.segments) {
      int32_t code = kNoCode;
      if (!s.code.empty()) {
        auto it = code_index.find(s.code);
        if (it == code_index.end()) {
          return MakeError("AG003", "code '" + s.code + "' of coder '" + c.coder + "' on " +
                                        c.instance_id + " is not in the codebook (version " +
                                        codebook->version + ")");
        }
        code = it->second;
      }
      flat.push_back({unit, coder, code});
    }
  }
  return ComputeCodingAgreement(flat, units.size(), coders.size(), codes, options);
}

}  // namespace ngosurvey::analysis
