#include "form/describe.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "base/words.h"
#include "form/expr/ast_internal.h"
#include "form/expr/expr.h"

namespace ngosurvey::form {
namespace {

using expr::AstKind;
using expr::AstNode;
using expr::BinaryOp;
using words::Word;

// Binding strength, to put parentheses where the words would otherwise mislead:
// "(a or b) and c". XPath's order, with = and < on one level.
// Binding strength, loosest first: an operand that binds looser than its parent
// needs parentheses.
enum class Precedence {
  kOr = 1,
  kAnd,
  kCompare,
  kAdditive,
  kMultiplicative,
  kUnary,
  kUnion,
  kPrimary
};

Precedence PrecedenceOf(const AstNode& node) {
  if (node.kind == AstKind::kNegate) return Precedence::kUnary;
  if (node.kind != AstKind::kBinary) return Precedence::kPrimary;
  switch (node.op) {
    case BinaryOp::kOr:
      return Precedence::kOr;
    case BinaryOp::kAnd:
      return Precedence::kAnd;
    case BinaryOp::kEq:
    case BinaryOp::kNe:
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return Precedence::kCompare;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return Precedence::kAdditive;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return Precedence::kMultiplicative;
    case BinaryOp::kUnion:
      return Precedence::kUnion;
  }
  return Precedence::kPrimary;
}

// "{} is {}", "{} is less than {}"... (base/words.h); nullopt for other operators.
std::optional<Word> ComparisonWords(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return Word::kDescIs;
    case BinaryOp::kNe:
      return Word::kDescIsNot;
    case BinaryOp::kLt:
      return Word::kDescLessThan;
    case BinaryOp::kLe:
      return Word::kDescAtMost;
    case BinaryOp::kGt:
      return Word::kDescMoreThan;
    case BinaryOp::kGe:
      return Word::kDescAtLeast;
    default:
      return std::nullopt;
  }
}

class Describer {
 public:
  Describer(const Form& form, std::string_view lang, const expr::ParsedExprData& tree)
      : form_(form), lang_(lang), words_(words::CatalogueLanguage(lang)), tree_(tree) {}

  std::string Root() { return Node(tree_.root); }
  bool RootIsOr() const {
    const AstNode& root = tree_.nodes[tree_.root];
    return root.kind == AstKind::kBinary && root.op == BinaryOp::kOr;
  }

 private:
  const AstNode& At(int index) const { return tree_.nodes[index]; }

  // The question a node names (${name}, or a path whose last step names one).
  const Question* QuestionOf(int index) const {
    const AstNode& node = At(index);
    if (node.kind == AstKind::kDollarRef) return form_.FindQuestion(node.text);
    if (node.kind == AstKind::kPath && node.head < 0 && !node.steps.empty() &&
        node.steps.back().axis == expr::AstStep::Axis::kChild) {
      return form_.FindQuestion(node.steps.back().name);
    }
    return nullptr;
  }

  // A question by its name: the variable name a codebook lists it under. (Its
  // label is often a whole sentence; repeated in every condition it would bury
  // the condition.)
  static std::string QuestionWords(const Question& q) { return q.name; }

  // A string literal; with the choice's label when it is compared with a select.
  std::string Literal(const std::string& value, const Question* select) const {
    std::string out = "'" + value + "'";
    if (select == nullptr || select->list_name.empty()) return out;
    const ChoiceList* list = form_.FindChoiceList(select->list_name);
    const Choice* choice = list ? list->Find(value) : nullptr;
    if (choice == nullptr) return out;
    std::string label = form_.Text(choice->label, lang_);
    if (!label.empty() && label != value) out += " (\"" + label + "\")";
    return out;
  }

  // A child, in parentheses when it binds more loosely than its parent.
  std::string Operand(int index, Precedence parent) {
    std::string words = Node(index);
    return PrecedenceOf(At(index)) < parent ? "(" + words + ")" : words;
  }

  // `index` as the second operand of something about `subject` (a string literal
  // compared with a select gets its choice label).
  std::string Against(int index, const Question* subject, Precedence parent) {
    const AstNode& node = At(index);
    if (node.kind == AstKind::kString) return Literal(node.text, subject);
    return Operand(index, parent);
  }

  static bool IsEmptyString(const AstNode& node) {
    return node.kind == AstKind::kString && node.text.empty();
  }

  std::string Binary(const AstNode& node) {
    int left = node.children[0], right = node.children[1];
    if (node.op == BinaryOp::kAnd || node.op == BinaryOp::kOr) {
      Precedence mine = PrecedenceOf(node);
      return Say(node.op == BinaryOp::kAnd ? Word::kWordAnd : Word::kWordOr,
                 {Operand(left, mine), Operand(right, mine)});
    }
    if (std::optional<Word> words = ComparisonWords(node.op)) {
      // `x = ''` and `x != ''`: whether x has an answer.
      if ((node.op == BinaryOp::kEq || node.op == BinaryOp::kNe) && IsEmptyString(At(right))) {
        return Say(node.op == BinaryOp::kEq ? Word::kDescNotAnswered : Word::kDescAnswered,
                   {Operand(left, Precedence::kCompare)});
      }
      return Say(*words, {Operand(left, Precedence::kCompare),
                          Against(right, QuestionOf(left), Precedence::kAdditive)});
    }
    Precedence mine = PrecedenceOf(node);
    return Operand(left, mine) + " " + expr::BinaryOpText(node.op) + " " +
           Operand(right, static_cast<Precedence>(static_cast<int>(mine) + 1));
  }

  std::string Call(const AstNode& node) {
    const std::string& name = node.text;
    const std::vector<int>& args = node.children;
    if (name == "selected" && args.size() == 2) {
      // On a select_one, selected() is equality.
      const Question* subject = QuestionOf(args[0]);
      bool single = subject != nullptr && subject->type == QuestionType::kSelectOne;
      return Say(single ? Word::kDescIs : Word::kDescIncludes,
                 {Operand(args[0], Precedence::kCompare),
                  Against(args[1], subject, Precedence::kCompare)});
    }
    if (name == "not" && args.size() == 1) {
      const AstNode& inner = At(args[0]);
      if (inner.kind == AstKind::kCall && inner.text == "selected" && inner.children.size() == 2) {
        return Say(
            Word::kDescNotIncludes,
            {Operand(inner.children[0], Precedence::kCompare),
             Against(inner.children[1], QuestionOf(inner.children[0]), Precedence::kCompare)});
      }
      return Say(Word::kDescNot, {Node(args[0])});
    }
    if (name == "count-selected" && args.size() == 1) {
      return Say(Word::kDescCountSelected, {Operand(args[0], Precedence::kPrimary)});
    }
    if (name == "string-length" && args.size() == 1) {
      return Say(Word::kDescLength, {Operand(args[0], Precedence::kPrimary)});
    }
    if ((name == "true" || name == "false" || name == "today" || name == "now") && args.empty()) {
      return name;
    }
    std::string out = name + "(";
    for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + Node(args[i]);
    return out + ")";
  }

  std::string Path(int index) {
    const AstNode& node = At(index);
    if (node.head < 0 && !node.absolute && node.steps.size() == 1 &&
        node.steps[0].axis == expr::AstStep::Axis::kSelf && node.steps[0].predicates.empty()) {
      return Say(Word::kDescTheAnswer);
    }
    if (const Question* q = QuestionOf(index);
        q != nullptr && node.steps.back().predicates.empty()) {
      return QuestionWords(*q);
    }
    if (node.length > 0) return tree_.text.substr(node.offset, node.length);
    return Say(Word::kDescExpression);
  }

  std::string Node(int index) {
    const AstNode& node = At(index);
    switch (node.kind) {
      case AstKind::kNumber: {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, node.number);
        return ec == std::errc() ? std::string(buffer, end) : std::to_string(node.number);
      }
      case AstKind::kString:
        return Literal(node.text, nullptr);
      case AstKind::kDollarRef: {
        const Question* q = form_.FindQuestion(node.text);
        return q ? QuestionWords(*q) : node.text;
      }
      case AstKind::kBinary:
        return Binary(node);
      case AstKind::kNegate:
        return "-" + Operand(node.children[0], Precedence::kUnary);
      case AstKind::kCall:
        return Call(node);
      case AstKind::kPath:
        return Path(index);
      case AstKind::kFilter: {
        std::string out = Operand(node.children[0], Precedence::kPrimary);
        for (int predicate : node.predicates) out = Say(Word::kDescWhere, {out, Node(predicate)});
        return out;
      }
    }
    return Say(Word::kDescExpression);
  }

  // The tool's words in the form language's catalogue language (base/words.h).
  std::string Say(Word word, std::initializer_list<std::string_view> args = {}) const {
    return words::Text(word, words_, args);
  }

  const Form& form_;
  std::string_view lang_;
  std::string_view words_;
  const expr::ParsedExprData& tree_;
};

}  // namespace

std::string DescribeExpression(const Form& form, std::string_view expression,
                               std::string_view lang) {
  auto parsed = expr::Parse(expression);
  if (!parsed || parsed->data().root < 0) return std::string(expression);
  return Describer(form, lang, parsed->data()).Root();
}

std::string DescribeRelevance(const Form& form, const Question& question, std::string_view lang) {
  // Outermost container first: the order an interviewer meets the conditions in. A
  // condition that nested groups repeat is said once.
  std::vector<const Question*> chain = form.RelevanceChain(question);
  std::vector<std::string_view> distinct;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (std::find(distinct.begin(), distinct.end(), (*it)->relevant) == distinct.end()) {
      distinct.push_back((*it)->relevant);
    }
  }
  const std::string_view lang_words = words::CatalogueLanguage(lang);
  std::string out;
  for (std::string_view condition : distinct) {
    auto parsed = expr::Parse(condition);
    std::string words(condition);
    bool is_or = true;  // unknown shape: parenthesise when joined
    if (parsed && parsed->data().root >= 0) {
      Describer describer(form, lang, parsed->data());
      words = describer.Root();
      is_or = describer.RootIsOr();
    }
    std::string part = distinct.size() > 1 && is_or ? "(" + words + ")" : words;
    out = out.empty() ? part : words::Text(Word::kWordAnd, lang_words, {out, part});
  }
  return out.empty() ? out : words::Text(Word::kDescAskedIf, lang_words, {out});
}

}  // namespace ngosurvey::form
