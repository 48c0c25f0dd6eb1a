// The function table's internals (internal to form/expr): each function's id, for
// the evaluator's dispatch, next to its public FunctionInfo.
#pragma once

#include <string_view>

#include "form/expr/expr.h"

namespace ngosurvey::form::expr {

enum class FuncId : uint8_t {
  kAbs,
  kAcos,
  kAsin,
  kAtan,
  kAtan2,
  kBoolean,
  kBooleanFromString,
  kCeiling,
  kCoalesce,
  kConcat,
  kContains,
  kCos,
  kCount,
  kCountNonEmpty,
  kCountSelected,
  kCurrent,
  kDate,
  kDateTime,
  kDecimalDateTime,
  kDecimalTime,
  kEndsWith,
  kExp,
  kExp10,
  kFalse,
  kFloor,
  kFormatDate,
  kFormatDateTime,
  kIf,
  kIndexedRepeat,
  kInstance,
  kInt,
  kChoiceName,
  kJoin,
  kLast,
  kLog,
  kLog10,
  kMax,
  kMin,
  kNormalizeSpace,
  kNot,
  kNow,
  kNumber,
  kOnce,
  kPi,
  kPosition,
  kPow,
  kPulldata,
  kRandom,
  kRegex,
  kRound,
  kSelected,
  kSelectedAt,
  kSin,
  kSqrt,
  kStartsWith,
  kString,
  kStringLength,
  kSubstr,
  kSubstring,
  kSubstringAfter,
  kSubstringBefore,
  kSum,
  kTan,
  kToday,
  kTranslate,
  kTrue,
  kUuid,
};

// The evaluator's dispatch: a call goes to its family's function
// (Evaluator::State::EvalLogic, EvalSelect...), then to its case there.
enum class FuncFamily : uint8_t { kLogic, kSelect, kString, kText, kNumber, kNodeSet, kDate };

struct FunctionDef {
  FuncId id;
  FuncFamily family;
  bool is_volatile;  // may change between evaluations with the same answers
  FunctionInfo info;
};

// The entry for `name` (prefix included, e.g. "jr:choice-name"), or nullptr.
const FunctionDef* FindFunctionDef(std::string_view name);

// "1 argument", "2 or 3 arguments", "at least 2 arguments" for E051 messages.
std::string ArityText(const FunctionInfo& info);

// Fills the context that the table's examples are evaluated against (documented
// at the top of docs/expressions.md). `clock` must outlive the context.
void FillExampleContext(MapContext* ctx);
// 2024-03-15T10:30:00+07:00, the example context's clock.
FixedClock ExampleClock();

}  // namespace ngosurvey::form::expr
