// `ngosurvey expr ...`: try the expression engine from the shell, and print its
// function table (docs/expressions.md is `ngosurvey expr functions --format md`).
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "form/expr/expr.h"

namespace ngosurvey::cli {
namespace {

using form::expr::TypeHint;

struct ExprOptions {
  std::string expression;
  std::vector<std::string> sets;
  std::string now;
  std::string format = "text";
};

std::optional<TypeHint> HintNamed(std::string_view s) {
  if (s == "string" || s == "text") return TypeHint::kString;
  if (s == "number" || s == "integer" || s == "decimal") return TypeHint::kNumber;
  if (s == "date") return TypeHint::kDate;
  if (s == "datetime") return TypeHint::kDateTime;
  if (s == "time") return TypeHint::kTime;
  if (s == "select_one") return TypeHint::kSelectOne;
  if (s == "select_multiple") return TypeHint::kSelectMultiple;
  return std::nullopt;
}

void RunEval(CommandContext& ctx, const ExprOptions& opts) {
  std::unique_ptr<FixedClock> fixed;
  if (!opts.now.empty()) {
    // Reuse the engine's own date parser: date-time('...') of the option.
    form::expr::MapContext probe;
    auto bound = form::expr::Compile("decimal-date-time('" + opts.now + "')", probe);
    form::expr::Evaluator ev;
    auto days = bound ? ev.EvaluateNumber(*bound, probe) : Result<double>(0.0);
    if (!bound || !days || *days != *days) {
      *ctx.err << "error: --now must be an ISO date-time such as 2024-03-15T10:30:00+07:00\n";
      ctx.exit_status = ExitStatus::kUsage;
      return;
    }
    int offset = 0;
    size_t t = opts.now.find('T');
    if (t != std::string::npos) {
      size_t sign = opts.now.find_first_of("+-", t);
      if (sign != std::string::npos && sign + 3 <= opts.now.size()) {
        int h = std::stoi(opts.now.substr(sign + 1, 2));
        int m = opts.now.size() >= sign + 6 ? std::stoi(opts.now.substr(sign + 4, 2)) : 0;
        offset = (opts.now[sign] == '-' ? -1 : 1) * (h * 60 + m);
      }
    }
    fixed = std::make_unique<FixedClock>(static_cast<int64_t>(*days * 86400000.0 + 0.5), offset);
  }
  form::expr::MapContext answers(fixed.get(),
                                 static_cast<uint64_t>(SystemClock::Instance().NowMillis()));
  for (const std::string& set : opts.sets) {
    size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      *ctx.err << "error: --set wants name=value or name:type=value, not '" << set << "'\n";
      ctx.exit_status = ExitStatus::kUsage;
      return;
    }
    std::string name = set.substr(0, eq);
    TypeHint hint = TypeHint::kUnknown;
    if (size_t colon = name.find(':'); colon != std::string::npos) {
      auto named = HintNamed(name.substr(colon + 1));
      if (!named) {
        *ctx.err << "error: unknown type '" << name.substr(colon + 1)
                 << "' (string, number, date, datetime, time, select_one, select_multiple)\n";
        ctx.exit_status = ExitStatus::kUsage;
        return;
      }
      hint = *named;
      name = name.substr(0, colon);
    }
    answers.Set(name, set.substr(eq + 1), hint);
  }
  auto bound = form::expr::Compile(opts.expression, answers);
  if (!bound) {
    ctx.exit_status = ReportError(ctx, bound.error());
    return;
  }
  form::expr::Evaluator evaluator;
  auto value = evaluator.EvaluateString(*bound, answers);
  if (!value) {
    ctx.exit_status = ReportError(ctx, value.error());
    return;
  }
  *ctx.out << *value << "\n";
}

}  // namespace

void RegisterExprCommands(CLI::App& root, CommandContext& ctx) {
  CLI::App* expr = AddGroup(root, "expr", "Evaluate ODK XPath expressions; list the functions");

  AddCommand(
      *expr, "eval", "Evaluate an expression and print its value (errors show a caret; exit 1)",
      [&ctx](CLI::App& eval) {
        auto opts = std::make_shared<ExprOptions>();
        eval.add_option("expression", opts->expression, "The expression, e.g. \"${age} >= 18\"")
            ->required();
        eval.add_option(
            "--set", opts->sets,
            "An answer: name=value or name:type=value (type: string, number, date, datetime, "
            "time, select_one, select_multiple); repeatable");
        eval.add_option("--now", opts->now,
                        "The clock for today() and now(), e.g. 2024-03-15T10:30:00+07:00");
        eval.callback([&ctx, opts] { RunEval(ctx, *opts); });
      });

  AddCommand(*expr, "functions", "Print the function table (--format md is docs/expressions.md)",
             [&ctx](CLI::App& functions) {
               auto opts = std::make_shared<ExprOptions>();
               functions.add_option("--format", opts->format, "md or text")
                   ->check(CLI::IsMember({"md", "text"}));
               functions.callback([&ctx, opts] {
                 *ctx.out << (opts->format == "md" ? form::expr::FunctionsMarkdown()
                                                   : form::expr::FunctionsText());
               });
             });
}

}  // namespace ngosurvey::cli
