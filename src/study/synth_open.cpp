// SYNTHETIC open answers and their codings (synth.h, SynthesizeOpenAnswers).
#include <algorithm>
#include <set>

#include "base/csv.h"
#include "base/text.h"
#include "store/codings.h"
#include "store/codings_csv.h"
#include "study/synth.h"

namespace ngosurvey::study {
namespace {

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// splitmix64: the same sequence on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // 0 .. n-1 (n > 0); the modulo bias is below 2^-50 for the small n used here.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  // True with probability per_mille / 1000.
  bool Chance(int per_mille) { return static_cast<int>(Next() % 1000) < per_mille; }

 private:
  uint64_t state_;
};

store::AnswerCoding Coding(const std::string& instance, const std::string& question,
                           const std::string& coder) {
  store::AnswerCoding c;
  c.instance_id = instance;
  c.question = question;
  c.coder = coder;
  return c;
}

std::set<std::string> Themes(const store::AnswerCoding& c) {
  std::set<std::string> out;
  for (const auto& s : c.segments) {
    if (!s.code.empty()) out.insert(s.code);
  }
  return out;
}

}  // namespace

Result<std::string> SynthesizeOpenAnswers(const form::Codebook& codebook, SynthResult* data,
                                          uint64_t seed) {
  auto column = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t c = 0; c < data->header.size(); ++c) {
      if (data->header[c] == name) return c;
    }
    return std::nullopt;
  };
  std::optional<size_t> id_column = column("instance_id");
  if (!id_column) return MakeError("SY003", "the synthetic data have no instance_id column");
  Random random(seed ^ Fnv1a("open answers"));
  std::vector<store::AnswerCoding> codings;
  for (const std::string& question : codebook.questions) {
    std::optional<size_t> answer_column = column(question);
    if (!answer_column) {
      return MakeError("SY001", "the codebook codes '" + question +
                                    "', which is not a question of the synthetic data");
    }
    // The themes an answer can have: those of the question without sub-themes, each
    // with an example to say it.
    std::vector<const form::Theme*> leaves;
    for (const form::Theme& theme : codebook.themes) {
      if (codebook.AppliesTo(theme.id, question) && codebook.Children(theme.id).empty() &&
          !theme.example.Get(codebook.DefaultLanguage()).empty()) {
        leaves.push_back(&theme);
      }
    }
    if (leaves.empty()) {
      return MakeError("SY001", "the codebook has no theme with an example for '" + question + "'");
    }
    for (std::vector<std::string>& row : data->rows) {
      std::string& cell = row[*answer_column];
      if (cell.empty()) continue;  // not asked: the synthesis left it empty
      const std::string& instance = row[*id_column];
      store::AnswerCoding first = Coding(instance, question, kSynthCoders[0]);
      store::AnswerCoding second = Coding(instance, question, kSynthCoders[1]);
      std::string text = "SYNTHETIC answer:";
      if (random.Chance(100)) {  // one answer in ten says nothing codable
        text += " nothing to add.";
        first.segments.push_back({"", std::nullopt, std::nullopt});
      } else {
        // 1 to 3 distinct themes, in a random order (a partial Fisher-Yates shuffle).
        std::vector<const form::Theme*> pool = leaves;
        size_t count = std::min(pool.size(), 1 + random.Below(3));
        for (size_t k = 0; k < count; ++k) {
          std::swap(pool[k], pool[k + random.Below(pool.size() - k)]);
          const form::Theme& theme = *pool[k];
          std::string sentence = theme.example.Get(codebook.DefaultLanguage());
          text += " ";
          int64_t start = static_cast<int64_t>(text::CodePointCount(text));
          text += sentence;
          int64_t end = static_cast<int64_t>(text::CodePointCount(text));
          first.segments.push_back({theme.id, start, end});
        }
      }
      cell = text;
      // The second coder codes whole answers and errs now and then: misses a theme
      // (12%), adds one the answer does not say (8%).
      for (const store::CodedSegment& s : first.segments) {
        if (s.code.empty() || !random.Chance(120)) second.segments.push_back({s.code, {}, {}});
      }
      if (random.Chance(80)) {
        const form::Theme& extra = *leaves[random.Below(leaves.size())];
        second.segments.push_back({extra.id, std::nullopt, std::nullopt});
      }
      std::set<std::string> agreed = Themes(first);
      std::set<std::string> said = Themes(second);
      second.segments.clear();
      for (const std::string& code : said) second.segments.push_back({code, {}, {}});
      if (second.segments.empty()) second.segments.push_back({"", std::nullopt, std::nullopt});
      std::sort(first.segments.begin(), first.segments.end());
      codings.push_back(first);
      codings.push_back(second);
      if (agreed != said) {
        // Reconciled in review: the themes the answer says, whole-answer codes.
        store::AnswerCoding reconciled = Coding(instance, question, store::kReconciledCoder);
        for (const std::string& code : agreed) reconciled.segments.push_back({code, {}, {}});
        if (reconciled.segments.empty())
          reconciled.segments.push_back({"", std::nullopt, std::nullopt});
        codings.push_back(std::move(reconciled));
      }
    }
  }
  std::sort(codings.begin(), codings.end(), [](const auto& a, const auto& b) {
    return std::tie(a.question, a.instance_id, a.coder) <
           std::tie(b.question, b.instance_id, b.coder);
  });
  return store::CodingsToCsv(codings);
}

}  // namespace ngosurvey::study
