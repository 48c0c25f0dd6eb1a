// Runs the data-driven expression cases in tests/expr/*.test. Format (one
// directive per line; '#' starts a comment line):
//
//   set NAME[:TYPE] = VALUE        an answer (TYPE: string number date datetime time
//                                  select_one select_multiple); VALUE runs to the end
//                                  of the line and may be empty
//   repeat NAME in REPEAT[:TYPE] = V1 | V2 | ...   one value per repeat instance
//   label NAME CHOICE = LABEL      a choice label for jr:choice-name
//   instance ID = FIELD,FIELD,...  a secondary instance; `item = V,V,...` adds rows
//   current = VALUE                the current node's value (., current(), once())
//   position = N                   the current repeat position
//   clock = ISO-DATE-TIME          the clock (default 2024-03-15T10:30:00+07:00)
//   reset                          forget all of the above
//
//   expr: EXPRESSION               a case, followed by one of
//   value: TEXT                    string() of the result must equal TEXT
//   error: CODE at OFFSET          Parse/Bind/Evaluate fails with CODE at OFFSET
//   and optionally, before them,
//   kind: string|number|boolean|date|datetime|nodeset
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "base/testing/source_dir.h"
#include "form/expr/expr.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

std::optional<TypeHint> ParseHint(const std::string& s) {
  static const std::map<std::string, TypeHint> kHints = {
      {"string", TypeHint::kString},
      {"number", TypeHint::kNumber},
      {"date", TypeHint::kDate},
      {"datetime", TypeHint::kDateTime},
      {"time", TypeHint::kTime},
      {"select_one", TypeHint::kSelectOne},
      {"select_multiple", TypeHint::kSelectMultiple}};
  auto it = kHints.find(s);
  if (it == kHints.end()) return std::nullopt;
  return it->second;
}

const char* KindName(ValueKind k) {
  switch (k) {
    case ValueKind::kString:
      return "string";
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kBoolean:
      return "boolean";
    case ValueKind::kDate:
      return "date";
    case ValueKind::kDateTime:
      return "datetime";
    case ValueKind::kNodeSet:
      return "nodeset";
  }
  return "?";
}

std::vector<std::string> SplitOn(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    parts.push_back(
        Trim(s.substr(start, at == std::string::npos ? std::string::npos : at - start)));
    if (at == std::string::npos) break;
    start = at + sep.size();
  }
  return parts;
}

// Splits "NAME[:TYPE]".
std::pair<std::string, TypeHint> NameAndHint(const std::string& s, const std::string& where) {
  size_t colon = s.find(':');
  if (colon == std::string::npos) return {s, TypeHint::kUnknown};
  auto hint = ParseHint(s.substr(colon + 1));
  if (!hint) ADD_FAILURE() << where << ": unknown type " << s.substr(colon + 1);
  return {s.substr(0, colon), hint.value_or(TypeHint::kUnknown)};
}

class CaseFile {
 public:
  explicit CaseFile(std::string path) : path_(std::move(path)) { Reset(); }

  void Reset() {
    clock_ = std::make_unique<FixedClock>(1710473400000, 420);
    ctx_ = std::make_unique<MapContext>(clock_.get(), 99);
    last_instance_.clear();
    instances_.clear();
  }

  int Run() {
    std::ifstream in(path_);
    EXPECT_TRUE(in.good()) << path_;
    std::string line;
    int line_no = 0;
    int cases = 0;
    std::string expression;
    int expr_line = 0;
    std::string kind;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string where = path_ + ":" + std::to_string(line_no);
      std::string trimmed = Trim(line);
      if (trimmed.empty() || trimmed[0] == '#') continue;
      if (trimmed.rfind("expr:", 0) == 0) {
        EXPECT_TRUE(expression.empty()) << where << ": previous expr has no value/error line";
        expression = line.substr(line.find("expr:") + 5);
        if (!expression.empty() && expression[0] == ' ') expression.erase(0, 1);
        expr_line = line_no;
        kind.clear();
        continue;
      }
      if (trimmed.rfind("kind:", 0) == 0) {
        kind = Trim(trimmed.substr(5));
        continue;
      }
      if (trimmed.rfind("value:", 0) == 0 || trimmed.rfind("error:", 0) == 0) {
        if (expr_line == 0) {
          ADD_FAILURE() << where << ": value/error without expr";
          continue;
        }
        std::string rest = line.substr(line.find(':') + 1);
        if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
        Check(path_ + ":" + std::to_string(expr_line), expression, kind, trimmed[0] == 'v', rest);
        ++cases;
        expression.clear();
        expr_line = 0;
        continue;
      }
      Directive(trimmed, where);
    }
    EXPECT_EQ(expr_line, 0) << path_ << ": last expr has no value/error line";
    return cases;
  }

 private:
  void Directive(const std::string& line, const std::string& where) {
    if (line == "reset") {
      Reset();
      return;
    }
    size_t eq = line.find(" = ");
    std::string head = eq == std::string::npos
                           ? Trim(line.substr(0, line.size() - (line.back() == '=' ? 1 : 0)))
                           : line.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : line.substr(eq + 3);
    if (eq == std::string::npos && line.back() != '=') {
      ADD_FAILURE() << where << ": cannot read directive: " << line;
      return;
    }
    if (head.rfind("set ", 0) == 0) {
      auto [name, hint] = NameAndHint(Trim(head.substr(4)), where);
      ctx_->Set(name, value, hint);
    } else if (head.rfind("repeat ", 0) == 0) {
      std::vector<std::string> words = SplitOn(Trim(head.substr(7)), " in ");
      if (words.size() != 2) {
        ADD_FAILURE() << where << ": repeat NAME in REPEAT = ...";
        return;
      }
      auto [repeat, hint] = NameAndHint(words[1], where);
      std::vector<std::string> values =
          value.empty() ? std::vector<std::string>{} : SplitOn(value, "|");
      ctx_->SetRepeated(words[0], repeat, values, hint);
    } else if (head.rfind("label ", 0) == 0) {
      std::vector<std::string> words = SplitOn(Trim(head.substr(6)), " ");
      if (words.size() != 2) {
        ADD_FAILURE() << where << ": label NAME CHOICE = LABEL";
        return;
      }
      ctx_->AddChoiceLabel(words[0], words[1], value);
    } else if (head.rfind("instance ", 0) == 0) {
      last_instance_ = Trim(head.substr(9));
      SecondaryInstance inst;
      inst.fields = SplitOn(value, ",");
      instances_[last_instance_] = inst;
      ctx_->AddInstance(last_instance_, inst);
    } else if (head == "item") {
      if (last_instance_.empty()) {
        ADD_FAILURE() << where << ": item before instance";
        return;
      }
      SecondaryInstance& inst = instances_[last_instance_];
      inst.items.push_back(SplitOn(value, ","));
      EXPECT_EQ(inst.items.back().size(), inst.fields.size()) << where;
      ctx_->AddInstance(last_instance_, inst);
    } else if (head == "current") {
      ctx_->SetCurrent(value);
    } else if (head == "position") {
      ctx_->SetPosition(std::stoi(value));
    } else if (head == "clock") {
      auto dt = ParseIsoDateTime(value);
      if (!dt) {
        ADD_FAILURE() << where << ": bad clock " << value;
        return;
      }
      clock_->Set(static_cast<int64_t>(dt->millis));
      *clock_ = FixedClock(static_cast<int64_t>(dt->millis), dt->tz_minutes);
    } else {
      ADD_FAILURE() << where << ": unknown directive: " << line;
    }
  }

  void Check(const std::string& where, const std::string& expression, const std::string& kind,
             bool expect_value, const std::string& expected) {
    SCOPED_TRACE(where + ": " + expression);
    Result<Value> result = tl::unexpected(Error{});
    std::string text;
    auto bound = Compile(expression, *ctx_);
    if (!bound) {
      result = tl::unexpected(bound.error());
    } else {
      result = evaluator_.Evaluate(*bound, *ctx_);
      if (result) text = evaluator_.ToString(*result, *ctx_);
    }
    if (expect_value) {
      if (!result) {
        ADD_FAILURE() << "expected value '" << expected << "' but got "
                      << result.error().ToString();
        return;
      }
      EXPECT_EQ(text, expected);
      if (!kind.empty()) {
        EXPECT_EQ(KindName(result->kind), kind);
      }
      return;
    }
    // "E052 at 4"
    std::vector<std::string> parts = SplitOn(expected, " at ");
    if (parts.size() != 2) {
      ADD_FAILURE() << "error line must read 'CODE at OFFSET'";
      return;
    }
    if (result) {
      ADD_FAILURE() << "expected error " << expected << " but got value '" << text << "'";
      return;
    }
    EXPECT_EQ(result.error().code, parts[0]) << result.error().ToString();
    EXPECT_EQ(std::to_string(result.error().where.expr_offset), parts[1])
        << result.error().ToString();
  }

  std::string path_;
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<MapContext> ctx_;
  std::string last_instance_;
  std::map<std::string, SecondaryInstance> instances_;
  Evaluator evaluator_;
};

TEST(ExpressionCasesTest, EveryCaseFilePasses) {
  std::filesystem::path dir =
      std::filesystem::path(::ngosurvey::testing::SourceDir()) / "tests" / "expr";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 5u) << "no case files in " << dir;
  int total = 0;
  for (const auto& file : files) {
    int cases = CaseFile(file.string()).Run();
    EXPECT_GT(cases, 0) << file;
    total += cases;
  }
  // Guards against a reader that silently skips everything.
  EXPECT_GE(total, 300);
  RecordProperty("cases", total);
}

}  // namespace
}  // namespace ngosurvey::form::expr
