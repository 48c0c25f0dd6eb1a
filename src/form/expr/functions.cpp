// The function table: every ODK XPath function the engine evaluates, with its arity,
// signature, one line of documentation and an example whose result a test checks.
// docs/expressions.md is generated from this table (FunctionsMarkdown()).
#include <algorithm>
#include <array>

#include "base/date.h"
#include "form/expr/functions_internal.h"
#include "form/expr/value_internal.h"

namespace ngosurvey::form::expr {

namespace {

constexpr int kAny = -1;

// Alphabetical by name (Functions() promises it; a test checks it).
const FunctionDef kFunctions[] = {
    {FuncId::kAbs,
     FuncFamily::kNumber,
     false,
     {"abs", 1, 1, "abs(x: number) -> number", "Absolute value.", "abs(-3.5)", "3.5"}},
    {FuncId::kAcos,
     FuncFamily::kNumber,
     false,
     {"acos", 1, 1, "acos(x: number) -> number", "Arc cosine, in radians.", "acos(1)", "0"}},
    {FuncId::kAsin,
     FuncFamily::kNumber,
     false,
     {"asin", 1, 1, "asin(x: number) -> number", "Arc sine, in radians.", "asin(0)", "0"}},
    {FuncId::kAtan,
     FuncFamily::kNumber,
     false,
     {"atan", 1, 1, "atan(x: number) -> number", "Arc tangent, in radians.", "atan(0)", "0"}},
    {FuncId::kAtan2,
     FuncFamily::kNumber,
     false,
     {"atan2", 2, 2, "atan2(y: number, x: number) -> number",
      "Angle of the point (x, y), in radians.", "atan2(0, 1)", "0"}},
    {FuncId::kBoolean,
     FuncFamily::kLogic,
     false,
     {"boolean", 1, 1, "boolean(x: any) -> boolean",
      "XPath truth: a non-empty string, a non-zero number, a non-empty node-set (one node: its "
      "value is non-empty).",
      "boolean('no')", "true"}},
    {FuncId::kBooleanFromString,
     FuncFamily::kLogic,
     false,
     {"boolean-from-string", 1, 1, "boolean-from-string(s: string) -> boolean",
      "True for 'true' or '1', false for anything else.", "boolean-from-string('1')", "true"}},
    {FuncId::kCeiling,
     FuncFamily::kNumber,
     false,
     {"ceiling", 1, 1, "ceiling(x: number) -> number", "Smallest integer not less than x.",
      "ceiling(2.1)", "3"}},
    {FuncId::kCoalesce,
     FuncFamily::kLogic,
     false,
     {"coalesce", 2, kAny, "coalesce(a: any, b: any, ...) -> any",
      "The first argument whose string value is not empty.", "coalesce(${blank}, 'none')", "none"}},
    {FuncId::kConcat,
     FuncFamily::kString,
     false,
     {"concat", 0, kAny, "concat(a: any, ...) -> string",
      "The arguments' string values joined together.", "concat('a', 1, true())", "a1true"}},
    {FuncId::kContains,
     FuncFamily::kString,
     false,
     {"contains", 2, 2, "contains(s: string, part: string) -> boolean",
      "True when s contains part.", "contains('Phnom Penh', 'Penh')", "true"}},
    {FuncId::kCos,
     FuncFamily::kNumber,
     false,
     {"cos", 1, 1, "cos(x: number) -> number", "Cosine of x radians.", "cos(0)", "1"}},
    {FuncId::kCount,
     FuncFamily::kNodeSet,
     false,
     {"count", 1, 1, "count(nodes: node-set) -> number",
      "Number of nodes, e.g. of a repeat's instances.", "count(${members})", "3"}},
    {FuncId::kCountNonEmpty,
     FuncFamily::kNodeSet,
     false,
     {"count-non-empty", 1, 1, "count-non-empty(nodes: node-set) -> number",
      "Number of nodes whose value is not empty.", "count-non-empty(${member_age})", "3"}},
    {FuncId::kCountSelected,
     FuncFamily::kSelect,
     false,
     {"count-selected", 1, 1, "count-selected(answer: string) -> number",
      "Number of choices selected in a select_multiple answer.", "count-selected(${fruits})", "2"}},
    {FuncId::kCurrent,
     FuncFamily::kNodeSet,
     false,
     {"current", 0, 0, "current() -> node",
      "The node the expression belongs to (in a choice filter: the question, not the choice).",
      "current() * 2", "14"}},
    {FuncId::kDate,
     FuncFamily::kDate,
     false,
     {"date", 1, 1, "date(x: string|number) -> date",
      "A date from 'YYYY-MM-DD' text (the date part of a date-time) or from days since 1970-01-01.",
      "date(0)", "1970-01-01"}},
    {FuncId::kDateTime,
     FuncFamily::kDate,
     false,
     {"date-time", 1, 1, "date-time(x: string|number) -> dateTime",
      "A date-time from ISO 8601 text or from (fractional) days since 1970-01-01 UTC.",
      "date-time(0.5)", "1970-01-01T12:00:00.000+00:00"}},
    {FuncId::kDecimalDateTime,
     FuncFamily::kDate,
     false,
     {"decimal-date-time", 1, 1, "decimal-date-time(x: dateTime) -> number",
      "Fractional days since 1970-01-01T00:00Z.", "decimal-date-time('1970-01-02T12:00:00Z')",
      "1.5"}},
    {FuncId::kDecimalTime,
     FuncFamily::kDate,
     false,
     {"decimal-time", 1, 1, "decimal-time(t: time) -> number",
      "A time of day as a fraction of a day (as written; the zone is not applied).",
      "decimal-time('18:00:00')", "0.75"}},
    {FuncId::kEndsWith,
     FuncFamily::kString,
     false,
     {"ends-with", 2, 2, "ends-with(s: string, suffix: string) -> boolean",
      "True when s ends with suffix.", "ends-with('survey.xlsx', '.xlsx')", "true"}},
    {FuncId::kExp,
     FuncFamily::kNumber,
     false,
     {"exp", 1, 1, "exp(x: number) -> number", "e to the power x.", "exp(0)", "1"}},
    {FuncId::kExp10,
     FuncFamily::kNumber,
     false,
     {"exp10", 1, 1, "exp10(x: number) -> number", "10 to the power x.", "exp10(2)", "100"}},
    {FuncId::kFalse,
     FuncFamily::kLogic,
     false,
     {"false", 0, 0, "false() -> boolean", "The boolean false.", "false()", "false"}},
    {FuncId::kFloor,
     FuncFamily::kNumber,
     false,
     {"floor", 1, 1, "floor(x: number) -> number", "Largest integer not greater than x.",
      "floor(-2.5)", "-3"}},
    {FuncId::kFormatDate,
     FuncFamily::kDate,
     false,
     {"format-date", 2, 2, "format-date(d: date, format: string) -> string",
      "Formats a date: %Y %y %m %n %b %d %e %a (and the time codes of format-date-time); '' for an "
      "invalid date.",
      "format-date('2024-03-05', '%d/%m/%Y %b %a')", "05/03/2024 Mar Tue"}},
    {FuncId::kFormatDateTime,
     FuncFamily::kDate,
     false,
     {"format-date-time", 2, 2, "format-date-time(d: dateTime, format: string) -> string",
      "Formats a date-time in its own zone: the codes of format-date plus %H %h %M %S %3.",
      "format-date-time('2024-03-15T10:30:05+07:00', '%H:%M:%S')", "10:30:05"}},
    {FuncId::kIf,
     FuncFamily::kLogic,
     false,
     {"if", 3, 3, "if(condition: boolean, then: any, else: any) -> any",
      "then when the condition is true, else otherwise (only one branch is evaluated).",
      "if(${age} >= 18, 'adult', 'child')", "adult"}},
    {FuncId::kIndexedRepeat,
     FuncFamily::kNodeSet,
     false,
     {"indexed-repeat", 3, 7,
      "indexed-repeat(value: node, repeat: node, n: number, [repeat2, n2, [repeat3, n3]]) -> "
      "string",
      "The value of a question in the n-th instance (1-based) of a repeat, for up to three nested "
      "repeats; '' when there is no such instance.",
      "indexed-repeat(${member_age}, ${members}, 2)", "8"}},
    {FuncId::kInstance,
     FuncFamily::kNodeSet,
     false,
     {"instance", 1, 1, "instance(id: string) -> node-set",
      "A secondary instance (a choice list) for paths like instance('id')/root/item[name = "
      "'x']/label.",
      "instance('districts')/root/item[name = 'd2']/label", "Takhmao"}},
    {FuncId::kInt,
     FuncFamily::kNumber,
     false,
     {"int", 1, 1, "int(x: number) -> number", "x truncated towards zero.", "int(-3.7)", "-3"}},
    {FuncId::kJoin,
     FuncFamily::kString,
     false,
     {"join", 2, kAny, "join(separator: string, values: node-set|any, ...) -> string",
      "Every value of the node-sets (and other arguments) joined with the separator.",
      "join(', ', ${member_age})", "34, 8, 61"}},
    {FuncId::kChoiceName,
     FuncFamily::kSelect,
     false,
     {"jr:choice-name", 2, 2, "jr:choice-name(choice: string, question: string) -> string",
      "The label, in the current language, of a choice of the select question named in the second "
      "argument (a quoted ${name} or path); '' if not a choice.",
      "jr:choice-name('mango', '${fruits}')", "Mango"}},
    {FuncId::kLast,
     FuncFamily::kNodeSet,
     false,
     {"last", 0, 0, "last() -> number", "In a predicate: the number of nodes being filtered.",
      "instance('districts')/root/item[position() = last()]/name", "d3"}},
    {FuncId::kLog,
     FuncFamily::kNumber,
     false,
     {"log", 1, 1, "log(x: number) -> number", "Natural logarithm.", "log(1)", "0"}},
    {FuncId::kLog10,
     FuncFamily::kNumber,
     false,
     {"log10", 1, 1, "log10(x: number) -> number", "Base-10 logarithm.", "log10(1000)", "3"}},
    {FuncId::kMax,
     FuncFamily::kNumber,
     false,
     {"max", 1, kAny, "max(x: node-set|number, ...) -> number",
      "Largest of all values given; NaN if any is empty or not a number, or if there are none.",
      "max(${member_age})", "61"}},
    {FuncId::kMin,
     FuncFamily::kNumber,
     false,
     {"min", 1, kAny, "min(x: node-set|number, ...) -> number",
      "Smallest of all values given; NaN if any is empty or not a number, or if there are none.",
      "min(3, 1, 2)", "1"}},
    {FuncId::kNormalizeSpace,
     FuncFamily::kText,
     false,
     {"normalize-space", 0, 1, "normalize-space(s: string) -> string",
      "Trims spaces and collapses runs of white space into one space.",
      "normalize-space('  a   b ')", "a b"}},
    {FuncId::kNot,
     FuncFamily::kLogic,
     false,
     {"not", 1, 1, "not(x: boolean) -> boolean", "Boolean negation.", "not(${age} > 40)", "true"}},
    {FuncId::kNow,
     FuncFamily::kDate,
     true,
     {"now", 0, 0, "now() -> dateTime", "The current date and time, in the clock's zone.", "now()",
      "2024-03-15T10:30:00.000+07:00"}},
    {FuncId::kNumber,
     FuncFamily::kNumber,
     false,
     {"number", 0, 1, "number(x: any) -> number",
      "XPath number: '' and text that is not a plain decimal are NaN; true is 1; a date is days "
      "since 1970-01-01.",
      "number('12.50')", "12.5"}},
    {FuncId::kOnce,
     FuncFamily::kLogic,
     true,
     {"once", 1, 1, "once(x: any) -> any",
      "The current node's value if it has one, otherwise x (so a value is computed only once).",
      "once(uuid())", "7"}},
    {FuncId::kPi,
     FuncFamily::kNumber,
     false,
     {"pi", 0, 0, "pi() -> number", "The number pi.", "round(pi(), 4)", "3.1416"}},
    {FuncId::kPosition,
     FuncFamily::kNodeSet,
     false,
     {"position", 0, 1, "position(node?: node) -> number",
      "1-based position of the current repeat instance (position(..)), or of the node in a "
      "predicate.",
      "position(..)", "2"}},
    {FuncId::kPow,
     FuncFamily::kNumber,
     false,
     {"pow", 2, 2, "pow(x: number, y: number) -> number", "x to the power y.", "pow(2, 10)",
      "1024"}},
    {FuncId::kPulldata,
     FuncFamily::kString,
     false,
     {"pulldata", 4, 4,
      "pulldata(file: string, column: string, key_column: string, key: string) -> string",
      "ODK's lookup in a CSV file attached to the form. ngosurvey does not carry the form's "
      "media files, so it is always '' here (the XForm keeps the call for ODK).",
      "pulldata('fruits', 'price', 'name', 'mango')", ""}},
    {FuncId::kRandom,
     FuncFamily::kNumber,
     true,
     {"random", 0, 0, "random() -> number", "A random number in [0, 1).", "random() < 1", "true"}},
    {FuncId::kRegex,
     FuncFamily::kText,
     false,
     {"regex", 2, 2, "regex(s: string, pattern: string) -> boolean",
      "True when the ECMAScript regular expression matches somewhere in s (anchor with ^ and $).",
      "regex('012 345 678', '^0[0-9 ]{8,10}$')", "true"}},
    {FuncId::kRound,
     FuncFamily::kNumber,
     false,
     {"round", 1, 2, "round(x: number, digits?: number) -> number",
      "Rounds half up; with digits, to that many decimal places (half away from zero).",
      "round(2.675, 2)", "2.68"}},
    {FuncId::kSelected,
     FuncFamily::kSelect,
     false,
     {"selected", 2, 2, "selected(answer: string, choice: string) -> boolean",
      "True when the space-separated answer contains the choice name.",
      "selected(${fruits}, 'mango')", "true"}},
    {FuncId::kSelectedAt,
     FuncFamily::kSelect,
     false,
     {"selected-at", 2, 2, "selected-at(answer: string, n: number) -> string",
      "The n-th (0-based) choice of a space-separated answer; '' when out of range.",
      "selected-at(${fruits}, 1)", "mango"}},
    {FuncId::kSin,
     FuncFamily::kNumber,
     false,
     {"sin", 1, 1, "sin(x: number) -> number", "Sine of x radians.", "sin(0)", "0"}},
    {FuncId::kSqrt,
     FuncFamily::kNumber,
     false,
     {"sqrt", 1, 1, "sqrt(x: number) -> number", "Square root; NaN for negative x.", "sqrt(16)",
      "4"}},
    {FuncId::kStartsWith,
     FuncFamily::kString,
     false,
     {"starts-with", 2, 2, "starts-with(s: string, prefix: string) -> boolean",
      "True when s starts with prefix.", "starts-with('KH-01', 'KH')", "true"}},
    {FuncId::kString,
     FuncFamily::kString,
     false,
     {"string", 0, 1, "string(x: any) -> string",
      "XPath string: numbers without exponent, booleans as true/false, dates as YYYY-MM-DD, a "
      "node-set as its first node.",
      "string(1 div 4)", "0.25"}},
    {FuncId::kStringLength,
     FuncFamily::kString,
     false,
     {"string-length", 0, 1, "string-length(s: string) -> number",
      "Number of characters (Unicode code points, not bytes).", "string-length('ភាសាខ្មែរ')", "9"}},
    {FuncId::kSubstr,
     FuncFamily::kText,
     false,
     {"substr", 2, 3, "substr(s: string, start: number, end?: number) -> string",
      "Characters from 0-based start up to (not including) end.", "substr('Việt Nam', 0, 4)",
      "Việt"}},
    {FuncId::kSubstring,
     FuncFamily::kText,
     false,
     {"substring", 2, 3, "substring(s: string, start: number, length?: number) -> string",
      "XPath substring: characters from 1-based start, length of them.", "substring('12345', 2, 3)",
      "234"}},
    {FuncId::kSubstringAfter,
     FuncFamily::kString,
     false,
     {"substring-after", 2, 2, "substring-after(s: string, sep: string) -> string",
      "The part of s after the first sep; '' if sep does not occur.",
      "substring-after('2024-03-15', '-')", "03-15"}},
    {FuncId::kSubstringBefore,
     FuncFamily::kString,
     false,
     {"substring-before", 2, 2, "substring-before(s: string, sep: string) -> string",
      "The part of s before the first sep; '' if sep does not occur.",
      "substring-before('2024-03-15', '-')", "2024"}},
    {FuncId::kSum,
     FuncFamily::kNodeSet,
     false,
     {"sum", 1, 1, "sum(nodes: node-set) -> number",
      "Sum of the nodes' numeric values; NaN if any is empty.", "sum(${member_age})", "103"}},
    {FuncId::kTan,
     FuncFamily::kNumber,
     false,
     {"tan", 1, 1, "tan(x: number) -> number", "Tangent of x radians.", "tan(0)", "0"}},
    {FuncId::kToday,
     FuncFamily::kDate,
     true,
     {"today", 0, 0, "today() -> date", "Today's date in the clock's zone.", "today()",
      "2024-03-15"}},
    {FuncId::kTranslate,
     FuncFamily::kText,
     false,
     {"translate", 3, 3, "translate(s: string, from: string, to: string) -> string",
      "Replaces each character of from by the one at the same place in to (deletes it if to is "
      "shorter).",
      "translate('a-b-c', '-', '_')", "a_b_c"}},
    {FuncId::kTrue,
     FuncFamily::kLogic,
     false,
     {"true", 0, 0, "true() -> boolean", "The boolean true.", "true()", "true"}},
    {FuncId::kUuid,
     FuncFamily::kText,
     true,
     {"uuid", 0, 1, "uuid(length?: number) -> string",
      "A random version 4 UUID; with a length, that many random letters and digits.",
      "string-length(uuid())", "36"}},
};

}  // namespace

std::span<const FunctionInfo> Functions() {
  static const std::vector<FunctionInfo> infos = [] {
    std::vector<FunctionInfo> out;
    for (const FunctionDef& def : kFunctions) out.push_back(def.info);
    return out;
  }();
  return infos;
}

const FunctionDef* FindFunctionDef(std::string_view name) {
  auto it = std::lower_bound(
      std::begin(kFunctions), std::end(kFunctions), name,
      [](const FunctionDef& def, std::string_view n) { return def.info.name < n; });
  if (it != std::end(kFunctions) && it->info.name == name) return &*it;
  return nullptr;
}

const FunctionInfo* FindFunction(std::string_view name) {
  const FunctionDef* def = FindFunctionDef(name);
  // Point into Functions(), so callers can compare entries by address.
  return def ? &Functions()[static_cast<size_t>(def - std::begin(kFunctions))] : nullptr;
}

std::string ArityText(const FunctionInfo& info) {
  auto plural = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (info.max_args == kAny) return "at least " + plural(info.min_args);
  if (info.min_args == info.max_args) return plural(info.min_args);
  if (info.max_args == info.min_args + 1) {
    return std::to_string(info.min_args) + " or " + plural(info.max_args);
  }
  return std::to_string(info.min_args) + " to " + plural(info.max_args);
}

FixedClock ExampleClock() {
  // 2024-03-15T10:30:00+07:00 = 03:30 UTC.
  int64_t days = date::DaysFromCivil(2024, 3, 15);
  return FixedClock(days * 86400000LL + (3 * 60 + 30) * 60000LL, 7 * 60);
}

void FillExampleContext(MapContext* ctx) {
  ctx->Set("fruits", "apple mango", TypeHint::kSelectMultiple);
  ctx->AddChoiceLabel("fruits", "apple", "Apple");
  ctx->AddChoiceLabel("fruits", "mango", "Mango");
  ctx->AddChoiceLabel("fruits", "banana", "Banana");
  ctx->Set("age", "34", TypeHint::kNumber);
  ctx->Set("name", "Sokha", TypeHint::kString);
  ctx->Set("dob", "1990-05-17", TypeHint::kDate);
  ctx->Set("blank", "", TypeHint::kString);
  ctx->SetRepeated("member_age", "members", {"34", "8", "61"}, TypeHint::kNumber);
  SecondaryInstance districts;
  districts.fields = {"name", "label", "province"};
  districts.items = {
      {"d1", "Phnom Penh Centre", "p1"}, {"d2", "Takhmao", "p2"}, {"d3", "Chbar Ampov", "p1"}};
  ctx->AddInstance("districts", std::move(districts));
  ctx->SetCurrent("7");
  ctx->SetPosition(2);
}

}  // namespace ngosurvey::form::expr
