// The compiled form of the interview engine: nodes (the form's questions plus the
// synthetic "_other" texts of or_other selects), bound expressions and the
// dependency graph. Private to src/interview.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "form/expr/expr.h"
#include "form/form.h"
#include "interview/interview.h"

namespace ngosurvey::interview {

struct Node {
  int question = -1;  // index in Form::questions; -1 for a synthetic "_other" text
  form::QuestionType type = form::QuestionType::kText;
  std::string name;
  int parent = -1;                 // node index of the enclosing group or repeat
  std::vector<int> children;       // groups and repeats
  int subtree_end = 0;             // one past the last descendant's node index
  std::vector<int> repeats;        // enclosing repeats, outermost first (self included)
  int key_len = 0;                 // repeats.size(): the length of a cell key
  std::vector<std::string> steps;  // path steps from the root (self included)
  std::vector<bool> step_is_repeat;
  std::string plain_path;  // "programme/programme_name" (no indexes)
  form::expr::TypeHint hint = form::expr::TypeHint::kString;

  form::expr::BoundExpr relevant, constraint, calculation, required, default_expr;
  form::expr::BoundExpr repeat_count, choice_filter;
  std::string default_literal;  // a default that is not an expression
  bool required_constant = false;
  bool has_required_expr = false;
  bool displayed = false;  // shown on a screen (input, note, acknowledge)
  // The innermost repeat that holds this node (a repeat's own node: the one around
  // it), -1 at the top level; and its place at that level in form order: displayed
  // nodes and repeats (one place each, their questions are of another level) count;
  // a group has its first question's place. What Screen::position and
  // repeat_position show.
  int level = -1;
  int ordinal = 1;
  bool input = false;       // holds an answer given by the interviewer
  bool supported = true;    // the engine can capture it (else IV007)
  bool field_list = false;  // a group shown on one screen
  bool can_refuse = true, can_dont_know = true;
  int list = -1;  // index in Form::choice_lists, -1 when none
  bool list_has_refused = false, list_has_dont_know = false;
  // Synthetic "_other": the texts shown.
  form::Translations other_label;

  // Nodes whose relevance, calculation, repeat_count or choice_filter read this node, and
  // (structurally) its children: what to re-evaluate when its value or relevance
  // changes.
  std::vector<int> dependents;
  int rank = 0;  // position in the topological order of evaluation
};

struct CompiledFormData {
  const form::Form* form = nullptr;
  std::vector<Node> nodes;
  std::unordered_map<std::string, int> by_name;          // first node of each name
  std::unordered_map<std::string, int> by_plain_path;    // "g/r/q" -> node
  std::vector<form::expr::SecondaryInstance> instances;  // one per choice list
  std::string refused_code = "refused", dont_know_code = "dont_know";
  // Places of the stable counter (Screen::position): displayed nodes and repeats at
  // the top level, and per repeat node, at its level.
  int top_level_places = 0;
  std::unordered_map<int, int> repeat_question_count;
  std::vector<int> order;  // node indexes in topological (rank) order
};

}  // namespace ngosurvey::interview
