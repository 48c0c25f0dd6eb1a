// The entities sheet and save_to read into the Form, their checks and the placement of
// each entity's meta/entity. The verdicts are pyxform 4.5.0's on the same rows (its
// tests/entities/test_entities.py, and tests/forms/parity/entities_* for whole files).
#include <gtest/gtest.h>

#include <algorithm>

#include "form/diagnostics.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeFormWithEntities;
using testing::Rows;

// The codes of the errors, in order.
std::vector<std::string> ErrorCodes(const Diagnostics& diags) {
  std::vector<std::string> codes;
  for (const Diagnostic& d : diags.items()) {
    if (d.severity == Severity::kError) codes.push_back(d.error.code);
  }
  return codes;
}

// The first error (warnings may come before it).
Error FirstError(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.items()) {
    if (d.severity == Severity::kError) return d.error;
  }
  return Error{};
}

struct Built {
  Form form;
  Diagnostics diags;
};

Built Build(const Rows& survey, const Rows& entities, const Rows& choices = {}) {
  Built built;
  Result<Form> form = MakeFormWithEntities(survey, entities, choices, &built.diags);
  EXPECT_TRUE(form.has_value());
  if (form) built.form = std::move(*form);
  return built;
}

int QuestionIndex(const Form& form, std::string_view name) {
  const Question* q = form.FindQuestion(name);
  return q == nullptr ? -100 : q->index;
}

TEST(Entities, SheetAndSaveToAreReadIntoTheModel) {
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"text", "tree", "Tree", "species"},
                   {"integer", "height", "Height", "trees#height"}},
                  {{"List Name", "label", "create_if"}, {"trees", "${tree}", "${height} > 1"}});
  EXPECT_TRUE(ErrorCodes(b.diags).empty()) << FirstError(b.diags).ToString();
  ASSERT_EQ(b.form.entities.size(), 1U);
  const EntityDeclaration& e = b.form.entities[0];
  EXPECT_EQ(e.row, 2);
  EXPECT_EQ(e.list_name, "trees");
  EXPECT_EQ(e.label, "${tree}");
  EXPECT_EQ(e.create_if, "${height} > 1");
  EXPECT_TRUE(e.creates());
  EXPECT_FALSE(e.updates());
  EXPECT_EQ(e.container, EntityDeclaration::kRootContainer);
  const Question* height = b.form.FindQuestion("height");
  ASSERT_NE(height, nullptr);
  EXPECT_EQ(height->save_to, "height");  // the prefix is taken off
  EXPECT_EQ(height->save_to_list, "trees");
  EXPECT_EQ(b.form.FindQuestion("tree")->save_to_list, "trees");
  EXPECT_EQ(b.form.EntitiesVersion(), "2024.1.0");
}

TEST(Entities, FormWithoutEntitiesHasNoVersion) {
  Built b = Build({{"type", "name", "label"}, {"text", "tree", "Tree"}}, {});
  EXPECT_TRUE(b.form.entities.empty());
  EXPECT_EQ(b.form.EntitiesVersion(), "");
}

TEST(Entities, ModesNeedTheirColumns) {
  Rows survey = {{"type", "name", "label"}, {"csv-external", "trees", ""}, {"text", "q", "Q"}};
  // entity_id decides an update; create needs a label; upsert needs both conditions.
  EXPECT_EQ(ErrorCodes(Build(survey, {{"list_name"}, {"trees"}}).diags),
            std::vector<std::string>{code::kEntityWithoutLabel});
  EXPECT_EQ(
      ErrorCodes(Build(survey, {{"list_name", "update_if", "label"}, {"trees", "1", "x"}}).diags),
      std::vector<std::string>{code::kEntityUpdateWithoutId});
  EXPECT_EQ(ErrorCodes(Build(survey,
                             {{"list_name", "entity_id", "create_if"}, {"trees", "${q}", "true()"}})
                           .diags),
            std::vector<std::string>{code::kEntityUpsertWithoutUpdateIf});
  Built upsert = Build(survey, {{"list_name", "entity_id", "create_if", "update_if", "label"},
                                {"trees", "${q}", "true()", "false()", "${q}"}});
  EXPECT_TRUE(ErrorCodes(upsert.diags).empty());
  EXPECT_TRUE(upsert.form.entities[0].creates());
  EXPECT_TRUE(upsert.form.entities[0].updates());
}

TEST(Entities, ListNamesAsPyxformChecksThem) {
  Rows survey = {{"type", "name", "label"}, {"text", "q", "Q"}};
  for (const char* bad : {"tree.list", "__trees", "1trees"}) {
    Built b = Build(survey, {{"list_name", "label"}, {bad, "${q}"}});
    EXPECT_EQ(ErrorCodes(b.diags), std::vector<std::string>{code::kEntityListName}) << bad;
  }
  Built missing = Build(survey, {{"list_name", "label"}, {"", "${q}"}});
  EXPECT_EQ(ErrorCodes(missing.diags), std::vector<std::string>{code::kEntityListName});
  Built twice = Build(survey, {{"list_name", "label"}, {"trees", "${q}"}, {"trees", "${q}"}});
  EXPECT_EQ(ErrorCodes(twice.diags), std::vector<std::string>{code::kDuplicateEntityList});
  EXPECT_EQ(FirstError(twice.diags).where.row, 3);
}

TEST(Entities, UnknownColumnIsRefusedOnlyWithAValue) {
  Rows survey = {{"type", "name", "label"}, {"text", "q", "Q"}};
  Built with_value = Build(survey, {{"list_name", "label", "what"}, {"trees", "${q}", "!"}});
  EXPECT_EQ(ErrorCodes(with_value.diags), std::vector<std::string>{code::kEntitiesColumn});
  EXPECT_EQ(FirstError(with_value.diags).where.column, 3);
  EXPECT_TRUE(
      ErrorCodes(Build(survey, {{"list_name", "label", "what"}, {"trees", "${q}", ""}}).diags)
          .empty());
  EXPECT_TRUE(
      ErrorCodes(Build(survey, {{"dataset", "label", "repeat"}, {"trees", "${q}", "x"}}).diags)
          .empty());
}

TEST(Entities, ReferencesOfTheEntitiesSheetMustNameQuestions) {
  Built b = Build({{"type", "name", "label"}, {"text", "q", "Q"}},
                  {{"list_name", "label"}, {"trees", "${qq}"}});
  EXPECT_EQ(ErrorCodes(b.diags), std::vector<std::string>{code::kUnknownReference});
  EXPECT_EQ(FirstError(b.diags).where.sheet, "entities");
  EXPECT_EQ(FirstError(b.diags).where.row, 2);
  EXPECT_EQ(FirstError(b.diags).where.column, 2);
}

TEST(Entities, SaveToRules) {
  Rows entities = {{"list_name", "label"}, {"trees", "${q}"}};
  auto codes_for = [&](const std::string& type, const std::string& save_to) {
    return ErrorCodes(Build({{"type", "name", "label", "save_to"},
                             {type, "q", "Q", save_to},
                             {"end_group", "", "", ""}},
                            entities)
                          .diags);
  };
  EXPECT_EQ(codes_for("begin_group", "x"), std::vector<std::string>{code::kSaveToOnContainer});
  for (const char* bad : {"Name", "LABEL", "__version", "2x", "trees#", "trees#a#b"}) {
    Built b = Build({{"type", "name", "label", "save_to"}, {"text", "q", "Q", bad}}, entities);
    EXPECT_EQ(ErrorCodes(b.diags), std::vector<std::string>{code::kBadSaveTo}) << bad;
  }
  Built end_row = Build({{"type", "name", "label", "save_to"},
                         {"begin_repeat", "r", "R", ""},
                         {"text", "q", "Q", ""},
                         {"end_repeat", "", "", "x"}},
                        entities);
  EXPECT_EQ(ErrorCodes(end_row.diags), std::vector<std::string>{code::kSaveToOnContainer});
  EXPECT_EQ(FirstError(end_row.diags).where.row, 4);
  Built twice = Build(
      {{"type", "name", "label", "save_to"}, {"text", "q", "Q", "a"}, {"text", "r", "R", "a"}},
      entities);
  EXPECT_EQ(ErrorCodes(twice.diags), std::vector<std::string>{code::kDuplicateSaveTo});
  Built unknown_list =
      Build({{"type", "name", "label", "save_to"}, {"text", "q", "Q", "plants#a"}}, entities);
  EXPECT_EQ(ErrorCodes(unknown_list.diags), std::vector<std::string>{code::kSaveToUnknownList});
  Built no_sheet = Build({{"type", "name", "label", "save_to"}, {"text", "q", "Q", "a"}}, {});
  EXPECT_EQ(ErrorCodes(no_sheet.diags), std::vector<std::string>{code::kSaveToWithoutEntities});
  Built no_prefix = Build({{"type", "name", "label", "save_to"}, {"text", "q", "Q", "a"}},
                          {{"list_name", "label"}, {"trees", "T"}, {"plots", "P"}});
  EXPECT_EQ(ErrorCodes(no_prefix.diags), std::vector<std::string>{code::kSaveToWithoutList});
}

TEST(Entities, PlacedInTheRepeatOfTheirSaveTo) {
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"begin_repeat", "r", "R", ""},
                   {"begin_group", "g", "G", ""},
                   {"text", "q", "Q", "a"},
                   {"end_group", "", "", ""},
                   {"end_repeat", "", "", ""}},
                  {{"list_name", "label"}, {"trees", "${q}"}});
  EXPECT_TRUE(ErrorCodes(b.diags).empty());
  // The save_to's own container, the group inside the repeat.
  EXPECT_EQ(b.form.entities[0].container, QuestionIndex(b.form, "g"));
  EXPECT_EQ(b.form.EntitiesVersion(), "2025.1.0");
}

TEST(Entities, OneEntityOutsideRepeatsGoesToTheSurveyMeta) {
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"begin_group", "g", "G", ""},
                   {"text", "q", "Q", "a"},
                   {"end_group", "", "", ""}},
                  {{"list_name", "label"}, {"trees", "${q}"}});
  EXPECT_TRUE(ErrorCodes(b.diags).empty());
  EXPECT_EQ(b.form.entities[0].container, EntityDeclaration::kRootContainer);
}

TEST(Entities, TwoListsEachInTheirContainer) {
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"begin_group", "h", "H", ""},
                   {"text", "a", "A", "households#a"},
                   {"end_group", "", "", ""},
                   {"begin_repeat", "m", "M", ""},
                   {"text", "b", "B", "people#b"},
                   {"end_repeat", "", "", ""}},
                  {{"list_name", "label"}, {"households", "${a}"}, {"people", "${b}"}});
  EXPECT_TRUE(ErrorCodes(b.diags).empty());
  EXPECT_EQ(b.form.entities[0].container, QuestionIndex(b.form, "h"));
  EXPECT_EQ(b.form.entities[1].container, QuestionIndex(b.form, "m"));
  EXPECT_EQ(b.form.EntitiesVersion(), "2025.1.0");
}

TEST(Entities, TwoListsInOneContainerHaveNoRoom) {
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"text", "a", "A", "e1#p"},
                   {"text", "b", "B", "e2#p"}},
                  {{"list_name", "label"}, {"e1", "${a}"}, {"e2", "${b}"}});
  EXPECT_EQ(ErrorCodes(b.diags), std::vector<std::string>{code::kEntityWithoutContainer});
  EXPECT_EQ(FirstError(b.diags).where.row, 3);  // the later row
  Built unreferenced = Build({{"type", "name", "label"}, {"text", "a", "A"}},
                             {{"list_name", "label"}, {"e1", "'E1'"}, {"e2", "'E2'"}});
  EXPECT_EQ(ErrorCodes(unreferenced.diags),
            std::vector<std::string>{code::kEntityWithoutContainer});
}

TEST(Entities, ReferencesInSiblingRepeatsConflict) {
  Rows survey = {{"type", "name", "label", "save_to"},
                 {"begin_repeat", "r1", "R1", ""},
                 {"text", "a", "A", "pa"},
                 {"end_repeat", "", "", ""},
                 {"begin_repeat", "r2", "R2", ""},
                 {"text", "b", "B", ""},
                 {"end_repeat", "", "", ""}};
  Built saved = Build(survey, {{"list_name", "label"}, {"trees", "${b}"}});
  EXPECT_EQ(ErrorCodes(saved.diags), std::vector<std::string>{code::kEntityScopeConflict});
  // A reference in an enclosing scope is fine: the repeat is inside the survey.
  Built nested = Build({{"type", "name", "label", "save_to"},
                        {"text", "a", "A", ""},
                        {"begin_repeat", "r1", "R1", ""},
                        {"text", "b", "B", "pb"},
                        {"end_repeat", "", "", ""}},
                       {{"list_name", "label"}, {"trees", "concat(${a}, ${b})"}});
  EXPECT_TRUE(ErrorCodes(nested.diags).empty());
  EXPECT_EQ(nested.form.entities[0].container, QuestionIndex(nested.form, "r1"));
}

TEST(Entities, SaveToAboveItsScopeGetsNoMetaEntityAsInPyxform) {
  // pyxform 4.5.0 accepts this form and writes no meta/entity (the save_to at the top
  // asks for the survey, the label's reference puts the scope in the repeat).
  Built b = Build({{"type", "name", "label", "save_to"},
                   {"text", "a", "A", "pa"},
                   {"begin_repeat", "r1", "R1", ""},
                   {"text", "b", "B", ""},
                   {"end_repeat", "", "", ""}},
                  {{"list_name", "label"}, {"trees", "${b}"}});
  EXPECT_TRUE(ErrorCodes(b.diags).empty());
  EXPECT_EQ(b.form.entities[0].container, EntityDeclaration::kNoContainer);
  EXPECT_EQ(b.form.EntitiesVersion(), "2024.1.0");
}

TEST(Entities, UpdateNeedsAnInstanceOfTheList) {
  Rows entities = {{"list_name", "entity_id"}, {"trees", "${q}"}};
  Built bare = Build({{"type", "name", "label"}, {"text", "q", "Q"}}, entities);
  EXPECT_EQ(ErrorCodes(bare.diags), std::vector<std::string>{code::kEntityUpdateWithoutList});
  for (const Rows& survey :
       {Rows{{"type", "name", "label"}, {"text", "q", "Q"}, {"csv-external", "trees", ""}},
        Rows{{"type", "name", "label"}, {"select_one_from_file trees.csv", "q", "Q"}},
        // pulldata('trees', ...) makes trees.csv an instance of the XForm too.
        Rows{{"type", "name", "label", "calculation"},
             {"text", "q", "Q", ""},
             {"calculate", "height", "", "pulldata('trees', 'height', 'id', ${q})"}}}) {
    EXPECT_TRUE(ErrorCodes(Build(survey, entities).diags).empty());
  }
}

}  // namespace
}  // namespace ngosurvey::form
