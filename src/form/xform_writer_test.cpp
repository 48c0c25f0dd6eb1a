// Golden tests of the XForm writer on small forms built from rows. The expected
// XML is what pyxform 4.5.0 writes for the same rows (xls2xform, checked by hand
// with tools/xform-compare while writing these tests), in the writer's layout.
#include "form/xform_writer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "form/diagnostics.h"
#include "form/testing/form_rows.h"

namespace ngosurvey::form {
namespace {

using testing::MakeForm;
using testing::Rows;

std::string XForm(const Rows& survey, const Rows& choices = {}, const Rows& settings = {},
                  const XFormOptions& options = {}) {
  Diagnostics diags;
  Result<Form> form = MakeForm(survey, choices, settings, &diags);
  EXPECT_TRUE(form.has_value());
  EXPECT_FALSE(diags.has_errors()) << (diags.items().empty() ? "" : diags.items()[0].ToString());
  if (!form) return "";
  Result<std::string> xml = WriteXForm(*form, options);
  EXPECT_TRUE(xml.has_value()) << (xml ? "" : xml.error().message);
  return xml ? *xml : "";
}

// The XForm of rows with an entities sheet (ODK entities).
std::string EntityXForm(const Rows& survey, const Rows& entities, const Rows& choices = {}) {
  Diagnostics diags;
  Result<Form> form = testing::MakeFormWithEntities(survey, entities, choices, &diags);
  EXPECT_TRUE(form.has_value());
  EXPECT_FALSE(diags.has_errors()) << (diags.items().empty() ? "" : diags.items()[0].ToString());
  if (!form) return "";
  Result<std::string> xml = WriteXForm(*form);
  EXPECT_TRUE(xml.has_value()) << (xml ? "" : xml.error().message);
  return xml ? *xml : "";
}

bool Has(const std::string& xml, std::string_view part) {
  return xml.find(part) != std::string::npos;
}

// `part` in `xml` read without its line breaks and indentation.
bool HasFlat(const std::string& xml, std::string_view part) {
  std::string flat;
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '\n') {
      flat += xml[i];
      continue;
    }
    while (i + 1 < xml.size() && xml[i + 1] == ' ') ++i;
  }
  return Has(flat, part);
}

TEST(XFormWriter, WholeDocumentOfAPlainForm) {
  std::string xml =
      XForm({{"type", "name", "label", "hint", "required"},
             {"text", "village", "Village", "As on the map", "yes"},
             {"select_one yn", "school", "School in ${village}?", "", ""}},
            {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}},
            {{"form_id"}, {"villages"}});
  EXPECT_EQ(xml,
            R"x(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>villages</h:title>
    <model odk:xforms-version="1.0.0">
      <instance>
        <data id="villages">
          <village/>
          <school/>
          <meta>
            <instanceID/>
          </meta>
        </data>
      </instance>
      <instance id="yn">
        <root>
          <item><name>yes</name><label>Yes</label></item>
          <item><name>no</name><label>No</label></item>
        </root>
      </instance>
      <bind nodeset="/data/village" type="string" required="true()"/>
      <bind nodeset="/data/school" type="string"/>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/village">
      <label>Village</label>
      <hint>As on the map</hint>
    </input>
    <select1 ref="/data/school">
      <label>School in <output value=" /data/village "/>?</label>
      <itemset nodeset="instance('yn')/root/item">
        <value ref="name"/>
        <label ref="label"/>
      </itemset>
    </select1>
  </h:body>
</h:html>
)x");
}

// The Form of rows with an osm sheet (an `osm LIST` question's tags).
Result<Form> OsmForm(const Rows& survey, const Rows& osm, Diagnostics* diags) {
  Workbook wb;
  wb.file = "test.xlsx";
  wb.sheets.push_back(testing::MakeSheet("survey", survey));
  wb.sheets.push_back(testing::MakeSheet("osm", osm));
  return BuildForm(wb, diags);
}

// pyxform 4.5.0's output for these rows (tests/test_osm.py's layout): the tags in the
// upload control after its label and hint, duplicates and rows without a label kept.
TEST(XFormWriter, OsmTagsAreWrittenInTheUploadControl) {
  Diagnostics diags;
  auto form = OsmForm({{"type", "name", "label", "hint"},
                       {"osm building", "building", "Building?", "a hint"},
                       {"osm", "footprint", "Footprint?", ""}},
                      {{"list name", "name", "label"},
                       {"building", "name", "Name"},
                       {"building", "levels", "Levels"},
                       {"building", "roof", ""},
                       {"building", "name", "Again"},
                       {"rooms", "room:type", "Type"},
                       {"", "stray", "Stray"}},
                      &diags);
  ASSERT_TRUE(form.has_value());
  EXPECT_FALSE(diags.has_errors()) << (diags.items().empty() ? "" : diags.items()[0].ToString());
  // A row without a list name is skipped, as pyxform skips it, with W113.
  auto w113 = std::find_if(diags.items().begin(), diags.items().end(),
                           [](const auto& item) { return item.error.code == "W113"; });
  ASSERT_NE(w113, diags.items().end());
  EXPECT_EQ(w113->error.message, "tag \"stray\" has no list name; the row is skipped");
  ASSERT_EQ(form->osm_lists.size(), 2u);
  Result<std::string> xml = WriteXForm(*form);
  ASSERT_TRUE(xml.has_value()) << xml.error().message;
  EXPECT_TRUE(HasFlat(
      *xml, R"x(<upload ref="/data/building" mediatype="osm/*"><label>Building?</label>)x"
            R"x(<hint>a hint</hint><tag key="name"><label>Name</label></tag>)x"
            R"x(<tag key="levels"><label>Levels</label></tag><tag key="roof"><label/></tag>)x"
            R"x(<tag key="name"><label>Again</label></tag></upload>)x"))
      << *xml;
  EXPECT_TRUE(HasFlat(
      *xml,
      R"x(<upload ref="/data/footprint" mediatype="osm/*"><label>Footprint?</label></upload>)x"));
  EXPECT_FALSE(Has(*xml, "room:type"));  // a list no question names is written nowhere
  EXPECT_FALSE(Has(*xml, "<itext>"));
}

// Translated tag labels: pyxform refers to "/NAME:label" but writes no such text (its
// XForm then names texts it does not have); ngosurvey writes the texts too.
TEST(XFormWriter, TranslatedOsmTagLabelsGetTheirTexts) {
  Diagnostics diags;
  auto form = OsmForm({{"type", "name", "label::English (en)", "label::French (fr)"},
                       {"osm building", "building", "Building?", "Bâtiment ?"}},
                      {{"list_name", "name", "label::English (en)", "label::French (fr)"},
                       {"building", "name", "Name", "Nom"},
                       {"building", "levels", "Levels", ""},
                       {"building", "roof", "", ""}},
                      &diags);
  ASSERT_TRUE(form.has_value());
  Result<std::string> xml = WriteXForm(*form);
  ASSERT_TRUE(xml.has_value()) << xml.error().message;
  EXPECT_TRUE(HasFlat(*xml, R"x(<tag key="name"><label ref="jr:itext('/name:label')"/></tag>)x"));
  EXPECT_TRUE(HasFlat(*xml, R"x(<tag key="roof"><label/></tag>)x"));
  EXPECT_TRUE(Has(*xml, R"x(<text id="/name:label"><value>Name</value></text>)x")) << *xml;
  EXPECT_TRUE(Has(*xml, R"x(<text id="/name:label"><value>Nom</value></text>)x"));
  EXPECT_TRUE(Has(*xml, R"x(<text id="/levels:label"><value>-</value></text>)x"));
}

// pyxform fails on an `osm LIST` whose list the osm sheet lacks (when it has rows):
// E075. Without an osm sheet, `osm LIST` is a plain osm question, as for pyxform.
TEST(XFormWriter, OsmListTheSheetLacksIsRefused) {
  Diagnostics diags;
  auto form = OsmForm({{"type", "name", "label"}, {"osm rooms", "room", "Room"}},
                      {{"list_name", "name", "label"}, {"building", "name", "Name"}}, &diags);
  ASSERT_TRUE(diags.has_errors());
  auto e075 = std::find_if(diags.items().begin(), diags.items().end(),
                           [](const auto& item) { return item.error.code == "E075"; });
  ASSERT_NE(e075, diags.items().end());
  EXPECT_NE(e075->error.message.find("the osm sheet has no list \"rooms\""), std::string::npos);
  std::string xml = XForm({{"type", "name", "label"}, {"osm rooms", "room", "Room"}});
  EXPECT_TRUE(
      HasFlat(xml, R"x(<upload ref="/data/room" mediatype="osm/*"><label>Room</label></upload>)x"));
}

TEST(XFormWriter, TranslatedTextsGoToItextWithDashesForMissingLanguages) {
  std::string xml = XForm({{"type", "name", "label::English (en)", "label::French (fr)",
                            "constraint", "constraint_message::English (en)"},
                           {"integer", "age", "Age", "Âge", ". > 0", "Positive"},
                           {"note", "only_en", "Only English", "", "", ""}},
                          {}, {{"form_id", "default_language"}, {"ages", "English (en)"}});
  EXPECT_TRUE(Has(xml, R"x(<translation lang="English (en)" default="true()">)x"));
  EXPECT_TRUE(Has(xml, R"x(<translation lang="French (fr)">)x"));
  EXPECT_TRUE(Has(xml, R"x(<text id="/data/age:label"><value>Âge</value></text>)x"));
  // French has no constraint message and no label for the note: pyxform writes "-".
  EXPECT_TRUE(Has(xml, R"x(<text id="/data/age:jr:constraintMsg"><value>-</value></text>)x"));
  EXPECT_TRUE(Has(xml, R"x(<text id="/data/only_en:label"><value>-</value></text>)x"));
  EXPECT_TRUE(Has(xml, R"x(jr:constraintMsg="jr:itext('/data/age:jr:constraintMsg')")x"));
  EXPECT_TRUE(Has(xml, R"x(<label ref="jr:itext('/data/age:label')"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/only_en" type="string" readonly="true()"/>)x"));
}

TEST(XFormWriter, PlainConstraintMessageIsAnAttributeUnlessItHasAReference) {
  std::string xml = XForm({{"type", "name", "label", "constraint", "constraint_message"},
                           {"integer", "a", "A", ". > 0", "Positive"},
                           {"integer", "b", "B", ". > ${a}", "More than ${a}"}});
  EXPECT_TRUE(Has(xml, R"x(constraint=". &gt; 0" jr:constraintMsg="Positive")x"));
  EXPECT_TRUE(Has(xml, R"x(jr:constraintMsg="jr:itext('/data/b:jr:constraintMsg')")x"));
  EXPECT_TRUE(Has(xml, R"x(<translation lang="default" default="true()">)x"));
  EXPECT_TRUE(Has(xml, R"x(<value>More than <output value=" /data/a "/></value>)x"));
}

TEST(XFormWriter, RepeatsGetATemplateAndRelativePaths) {
  std::string xml =
      XForm({{"type", "name", "label", "relevant", "repeat_count", "choice_filter", "calculation"},
             {"integer", "n", "How many?", "", "", ""},
             {"begin_repeat", "member", "Member", "", "${n}", ""},
             {"text", "m_name", "Name", "", "", ""},
             {"select_one r", "m_region", "Region", "${m_name} != ''", "", ""},
             {"select_one d", "m_district", "District", "", "", "r = ${m_region}"},
             {"begin_repeat", "child", "Child", "", "${n} - 1", ""},
             {"text", "c_name", "Child of ${m_name}", "", "", ""},
             {"end_repeat", "", "", "", "", ""},
             {"end_repeat", "", "", "", "", ""},
             {"calculate", "names", "", "", "", "", "count(${m_name})"}},
            {{"list_name", "name", "label", "r"},
             {"r", "n", "North", ""},
             {"d", "n1", "North One", "n"}});
  // pyxform: the repeat's count is a ${reference}, used directly; an expression
  // gets a generated calculate NAME_count before the repeat.
  EXPECT_TRUE(Has(xml, R"x(<repeat nodeset="/data/member" jr:count=" /data/n ">)x"));
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/member/child_count" type="string" readonly="true()" calculate=" /data/n  - 1"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<repeat nodeset="/data/member/child" jr:count=" ../child_count ">)x"));
  // References within the same repeat are relative; in a choice filter with current().
  EXPECT_TRUE(Has(xml, R"x(relevant=" ../m_name  != ''")x"));
  EXPECT_TRUE(
      Has(xml, R"x(<itemset nodeset="instance('d')/root/item[r =  current()/../m_region ]">)x"));
  EXPECT_TRUE(Has(xml, R"x(<label>Child of <output value=" ../../m_name "/></label>)x"));
  // From outside the repeat: absolute.
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/names" type="string" calculate="count( /data/member/m_name )"/>)x"));
  // Template then one instance; the nested repeat is a template inside the template
  // and plain inside the instance.
  EXPECT_TRUE(Has(xml, R"x(<member jr:template="">
            <m_name/>
            <m_region/>
            <m_district/>
            <child_count/>
            <child jr:template="">
              <c_name/>
            </child>
          </member>
          <member>
            <m_name/>
            <m_region/>
            <m_district/>
            <child_count/>
            <child>
              <c_name/>
            </child>
          </member>)x"));
}

TEST(XFormWriter, ReferencesInAGroupOfARepeatGoUpToTheGroupOnly) {
  // pyxform's get_path_relative_to_lcar: a repeat must hold both, but the path goes up
  // only to their lowest common group or repeat.
  std::string xml = XForm({{"type", "name", "label", "relevant"},
                           {"begin_repeat", "r", "R", ""},
                           {"text", "top", "Top", ""},
                           {"begin_group", "g", "G", ""},
                           {"integer", "a", "A", ""},
                           {"integer", "b", "B", "${a} > 1"},
                           {"begin_group", "g2", "G2", "${b} > 0"},
                           {"text", "c", "C", "${a} > 2 and ${top} != ''"},
                           {"end_group", "", "", ""},
                           {"end_group", "", "", ""},
                           {"end_repeat", "", "", ""}});
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r/g/b" type="int" relevant=" ../a  &gt; 1"/>)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r/g/g2" relevant=" ../b  &gt; 0"/>)x")) << xml;
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/r/g/g2/c" type="string" relevant=" ../../a  &gt; 2 and  ../../../top  != ''"/>)x"))
      << xml;
}

TEST(XFormWriter, ARepeatInAGroupOfATemplateGetsATemplateAndAnInstance) {
  // pyxform writes a group inside a repeat's template as it writes one outside any
  // repeat (Section.xml_instance), so the repeat in it appears twice there.
  std::string xml = XForm({{"type", "name", "label"},
                           {"begin_repeat", "r", "R"},
                           {"begin_group", "g", "G"},
                           {"begin_repeat", "rr", "RR"},
                           {"text", "c", "C"},
                           {"end_repeat", "", ""},
                           {"end_group", "", ""},
                           {"end_repeat", "", ""}});
  EXPECT_TRUE(HasFlat(xml,
                      R"x(<r jr:template=""><g><rr jr:template=""><c/></rr><rr><c/></rr></g></r>)x"
                      R"x(<r><g><rr><c/></rr></g></r>)x"))
      << xml;
}

TEST(XFormWriter, RepeatCountOutsideARepeatIsWrittenAsPyxformWritesIt) {
  // pyxform puts jr:count on any control: on a group with its NAME_count calculate as
  // for a repeat, on a question as written (clients ignore both; W112 says so).
  Diagnostics diags;
  Result<Form> form = MakeForm({{"type", "name", "label", "repeat_count"},
                                {"integer", "n", "N", ""},
                                {"begin_group", "h", "H", "${n} + 1"},
                                {"text", "q", "Q", ""},
                                {"end_group", "", "", ""},
                                {"text", "t", "T", "4"}},
                               {}, {}, &diags);
  ASSERT_TRUE(form.has_value());
  Result<std::string> xml = WriteXForm(*form);
  ASSERT_TRUE(xml.has_value());
  EXPECT_TRUE(Has(
      *xml,
      R"x(<bind nodeset="/data/h_count" type="string" readonly="true()" calculate=" /data/n  + 1"/>)x"))
      << *xml;
  EXPECT_TRUE(Has(*xml, R"x(<group jr:count=" /data/h_count " ref="/data/h">)x")) << *xml;
  EXPECT_TRUE(Has(*xml, R"x(<input ref="/data/t" jr:count="4">)x")) << *xml;
}

TEST(XFormWriter, UriMetadataTypesKeepTheirSpellingInThePreloadParameter) {
  std::string xml = XForm({{"type", "name", "label"},
                           {"uri:deviceid", "device", ""},
                           {"deviceid", "device2", ""},
                           {"uri:username", "user", ""}});
  EXPECT_TRUE(Has(
      xml,
      R"x(nodeset="/data/device" type="string" jr:preload="property" jr:preloadParams="uri:deviceid")x"))
      << xml;
  EXPECT_TRUE(Has(
      xml,
      R"x(nodeset="/data/device2" type="string" jr:preload="property" jr:preloadParams="deviceid")x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(jr:preloadParams="uri:username")x")) << xml;
}

TEST(XFormWriter, RankOrOtherAddsASpecifyQuestion) {
  std::string xml = XForm({{"type", "name", "label"}, {"rank yn or_other", "q1", "Q?"}},
                          {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}});
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/q1_other" type="string" relevant="selected(../q1, 'other')"/>)x"))
      << xml;
}

TEST(XFormWriter, PyxformsColumnAliasesAndTemplateAttributes) {
  // `rows` and `autoplay` are pyxform's aliases of control::, `noAppErrorString` of
  // bind::jr:noAppErrorString; an instance:: attribute of a repeat is on its instance
  // copy only, not on its jr:template (pyxform's generate_repeating_template).
  std::string xml =
      XForm({{"type", "name", "label", "rows", "autoplay", "noAppErrorString", "instance::kind"},
             {"text", "story", "Story", "12", "", "", ""},
             {"integer", "launch", "Launch", "", "", "No app.", ""},
             {"begin_repeat", "r", "R", "", "", "", "member"},
             {"text", "q", "Q", "", "audio", "", ""},
             {"end_repeat", "", "", "", "", "", ""}});
  EXPECT_TRUE(Has(xml, R"x(<input ref="/data/story" rows="12">)x")) << xml;
  EXPECT_TRUE(Has(xml, R"x(<input ref="/data/r/q" autoplay="audio">)x")) << xml;
  EXPECT_TRUE(
      Has(xml, R"x(<bind nodeset="/data/launch" type="int" jr:noAppErrorString="No app."/>)x"))
      << xml;
  EXPECT_TRUE(HasFlat(xml, R"x(<r jr:template=""><q/></r><r kind="member"><q/></r>)x")) << xml;
}

TEST(XFormWriter, AMissingTranslationsPlaceholderComesAfterTheLanguagesMedia) {
  // pyxform's _add_empty_translations adds "-" after what the language has.
  std::string xml =
      XForm({{"type", "name", "label::English (en)", "label::French (fr)", "image::English (en)"},
             {"note", "n", "", "Bonjour", "hello.jpg"}});
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<text id="/data/n:label"><value form="image">jr://images/hello.jpg</value><value>-</value></text>)x"))
      << xml;
}

TEST(XFormWriter, OrOtherAddsAChoiceAndASpecifyQuestion) {
  std::string xml =
      XForm({{"type", "name", "label"}, {"select_multiple src or_other", "source", "Sources"}},
            {{"list_name", "name", "label"}, {"src", "farm", "Farming"}});
  EXPECT_TRUE(Has(xml, "<item><name>other</name><label>Other</label></item>"));
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/source_other" type="string" relevant="selected(../source, 'other')"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<input ref="/data/source_other">
      <label>Specify other.</label>)x"));
}

TEST(XFormWriter, ChoiceColumnsWhoseHeaderIsNoXmlNameStayOutOfTheItems) {
  // kobocat's tutorial.xls has a "tutorial notes" column on its choices sheet.
  std::string xml = XForm({{"type", "name", "label"}, {"select_one yn", "ok", "OK?"}},
                          {{"list_name", "name", "label", "tutorial notes", "region"},
                           {"yn", "yes", "Yes", "a note to the authors", "north"}});
  EXPECT_TRUE(Has(xml, "<item><name>yes</name><label>Yes</label><region>north</region></item>"))
      << xml;
  EXPECT_FALSE(Has(xml, "tutorial")) << xml;
}

// What AppendEscaped should make of `text`, one character at a time.
std::string EscapedSlowly(std::string_view text, bool attribute) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (attribute && c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

TEST(XFormWriter, EscapesEveryPlaceOfShortAndLongTexts) {
  // The writer looks for characters to escape 16 bytes at a time and tests a text's
  // last 16 bytes again: one at every place around those blocks, in a label (text)
  // and in a constraint (an attribute value).
  Rows survey = {{"type", "name", "label", "constraint"}};
  std::vector<std::pair<std::string, std::string>> expected;
  for (int n = 0; n < 40; ++n) {
    std::string label = std::string(static_cast<size_t>(n), 'a') + "<&>\"" +
                        std::string(static_cast<size_t>(n % 17), 'b');
    std::string constraint = ". != '" + std::string(static_cast<size_t>(n), 'c') + "<" +
                             std::string(static_cast<size_t>(n % 19), 'd') + "'";
    survey.push_back({"text", "q" + std::to_string(n), label, constraint});
    expected.emplace_back("<label>" + EscapedSlowly(label, false) + "</label>",
                          "constraint=\"" + EscapedSlowly(constraint, true) + "\"");
  }
  std::string xml = XForm(survey);
  for (const auto& [label, constraint] : expected) {
    EXPECT_TRUE(Has(xml, label)) << label;
    EXPECT_TRUE(Has(xml, constraint)) << constraint;
  }
}

TEST(XFormWriter, LegacySingleColonBindColumnsAreRead) {
  // tutorial.xls again: bind:relevant and bind:constraint, no "::" in the row.
  std::string xml = XForm({{"type", "name", "label", "bind:relevant", "bind:constraint"},
                           {"integer", "age", "Age", "", ". >= 5"},
                           {"integer", "months", "Months", "${age} < 5", ""}});
  EXPECT_TRUE(Has(xml, R"x(constraint=". &gt;= 5")x")) << xml;
  EXPECT_TRUE(Has(xml, R"x(relevant=" /data/age  &lt; 5")x")) << xml;
}

// Found by comparing with pyxform on 200 public forms (issue 20, docs/xform.md).
TEST(XFormWriter, NoDefaultTranslationWhenEveryColumnNamesALanguage) {
  // pyxform marks only its default_language ("default" or the setting) as default.
  std::string xml =
      XForm({{"type", "name", "label::English", "label::Khmer"}, {"text", "a", "A", "ក"}});
  EXPECT_TRUE(Has(xml, R"x(<translation lang="English">)x")) << xml;
  EXPECT_FALSE(Has(xml, "default=")) << xml;
  std::string plain = XForm({{"type", "name", "label", "label::Khmer"}, {"text", "a", "A", "ក"}});
  EXPECT_TRUE(Has(plain, R"x(<translation lang="default" default="true()">)x")) << plain;
}

TEST(XFormWriter, LanguageIsNamedAsTheColumnsSpellIt) {
  std::string xml =
      XForm({{"type", "name", "label::English(en)", "hint::English(en)"}, {"text", "a", "A", "H"}});
  EXPECT_TRUE(Has(xml, R"x(<translation lang="English(en)">)x")) << xml;
  // Spelt two ways: one language, named canonically (docs/xform.md, differences).
  std::string two = XForm(
      {{"type", "name", "label::English(en)", "hint::English (en)"}, {"text", "a", "A", "H"}});
  EXPECT_TRUE(Has(two, R"x(<translation lang="English (en)">)x")) << two;
}

TEST(XFormWriter, TypesWithAConstraintAndHintOfTheirOwn) {
  std::string xml = XForm({{"type", "name", "label", "constraint"},
                           {"phone number", "phone", "Phone", ""},
                           {"percentage", "share", "Share", ""},
                           {"number of days in last month", "days", "Days", ". < 10"}});
  EXPECT_TRUE(
      Has(xml, R"x(<bind nodeset="/data/phone" type="string" constraint="regex(., '^\d*$')"/>)x"))
      << xml;
  EXPECT_TRUE(Has(xml, "<hint>Enter numbers only.</hint>")) << xml;
  EXPECT_TRUE(Has(xml, R"x(constraint="0 &lt;= . and . &lt;= 100")x")) << xml;
  // The row's own constraint wins; the type's hint stays.
  EXPECT_TRUE(Has(xml, R"x(constraint=". &lt; 10")x")) << xml;
  EXPECT_TRUE(Has(xml, "<hint>Enter a number 0-31.</hint>")) << xml;
  // In a translated form the type's hint stays plain, as pyxform writes it.
  std::string translated =
      XForm({{"type", "name", "label::English", "label::Khmer"}, {"phone number", "p", "P", "ទ"}});
  EXPECT_TRUE(Has(translated, "<hint>Enter numbers only.</hint>")) << translated;
}

TEST(XFormWriter, TriggerOnAGroupIsIgnoredAsPyxformDoes) {
  std::string xml = XForm({{"type", "name", "label", "trigger"},
                           {"text", "a", "A", ""},
                           {"begin_group", "g", "G", "${a}"},
                           {"text", "b", "B", ""},
                           {"end_group", "", "", ""}});
  EXPECT_FALSE(Has(xml, "setvalue")) << xml;
}

TEST(XFormWriter, PublicKeyLineBreaksAreWrittenAsSpaces) {
  std::string xml = XForm({{"type", "name", "label"}, {"text", "a", "A"}}, {},
                          {{"public_key"}, {"MIIBIjAN\nBgkqhkiG\r\n9w0B"}});
  EXPECT_TRUE(Has(xml, R"x(base64RsaPublicKey="MIIBIjAN BgkqhkiG 9w0B")x")) << xml;
}

TEST(XFormWriter, SelectOneExternalIsAnInputWithAQuery) {
  Workbook wb;
  wb.file = "test.xlsx";
  wb.sheets.push_back(testing::MakeSheet(
      "survey", {{"type", "name", "label", "choice_filter"},
                 {"select_one states", "state", "State", ""},
                 {"select_one_external counties", "county", "County", "state=${state}"},
                 {"select_one_external cities", "city", "City", ""}}));
  wb.sheets.push_back(
      testing::MakeSheet("choices", {{"list_name", "name", "label"}, {"states", "tx", "Texas"}}));
  wb.sheets.push_back(
      testing::MakeSheet("external_choices", {{"list_name", "name", "label", "state"},
                                              {"counties", "king", "King", "tx"},
                                              {"cities", "dumont", "Dumont", "tx"}}));
  Diagnostics diags;
  Result<Form> form = BuildForm(wb, &diags);
  ASSERT_TRUE(form.has_value());
  ASSERT_FALSE(diags.has_errors()) << diags.items()[0].ToString();
  Result<std::string> written = WriteXForm(*form, {});
  ASSERT_TRUE(written.has_value()) << written.error().message;
  const std::string& xml = *written;
  EXPECT_TRUE(Has(
      xml,
      R"x(<input ref="/data/county" query="instance('counties')/root/item[state= /data/state ]">)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<input ref="/data/city" query="instance('cities')/root/item">)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/county" type="string"/>)x")) << xml;
  EXPECT_FALSE(Has(xml, "<instance id=\"counties\">")) << xml;
}

// Parameters as pyxform writes them: read through form/parameters.h (values lowercase,
// commas and spaces around '='), a geopoint's accuracies, a geotrace's incremental, the
// geo types' allow-mock-accuracy bind and a range's tick labels from a choice list.
TEST(XFormWriter, ParametersAsPyxformWritesThem) {
  std::string xml =
      XForm({{"type", "name", "label", "appearance", "parameters"},
             {"geopoint", "where", "Where", "",
              "capture-accuracy=5, warning-accuracy = 10.5 "
              "allow-mock-accuracy=FALSE"},
             {"geotrace", "path", "Path", "", "incremental=yes"},
             {"range", "level", "Level", "vertical", "start=10 end=0 step=2 tick_labelset=levels"},
             {"select_one colour", "colour", "Colour", "", "Randomize=TRUE"}},
            {{"list_name", "name", "label"},
             {"colour", "red", "Red"},
             {"levels", "2", "Low"},
             {"levels", "10", "High"}},
            {});
  EXPECT_TRUE(Has(
      xml, R"x(<bind nodeset="/data/where" type="geopoint" odk:allow-mock-accuracy="false"/>)x"))
      << xml;
  EXPECT_TRUE(Has(
      xml,
      R"x(<input ref="/data/where" accuracyThreshold="5" unacceptableAccuracyThreshold="10.5">)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<input ref="/data/path" incremental="true">)x")) << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<label>Level</label><itemset nodeset="instance('levels')/root/item"><value ref="name"/><label ref="label"/></itemset></range>)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<itemset nodeset="randomize(instance('colour')/root/item)">)x")) << xml;
}

TEST(XFormWriter, TableListGroupGetsPyxformsGeneratedRows) {
  std::string xml =
      XForm({{"type", "name", "label", "hint", "appearance"},
             {"begin group", "tbl", "Table", "Tick one a row", "table-list compact"},
             {"select_one yn", "q1", "Q1", "", ""},
             {"select_one yn", "q2", "Q2", "", "minimal"},
             {"end group", "", "", "", ""}},
            {{"list_name", "name", "label"}, {"yn", "yes", "Yes"}, {"yn", "no", "No"}});
  EXPECT_TRUE(HasFlat(xml, R"x(<group appearance="field-list compact" ref="/data/tbl">)x")) << xml;
  EXPECT_TRUE(HasFlat(xml,
                      "<tbl><generated_table_list_label_2/><reserved_name_for_field_list_labels_3/>"
                      "<q1/><q2/></tbl>"))
      << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<bind nodeset="/data/tbl/generated_table_list_label_2" type="string" readonly="true()"/>)x"))
      << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<input ref="/data/tbl/generated_table_list_label_2"><label>Table</label><hint>Tick one a row</hint></input>)x"))
      << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<select1 ref="/data/tbl/reserved_name_for_field_list_labels_3" appearance="label"><label> </label>)x"))
      << xml;
  EXPECT_TRUE(HasFlat(xml, R"x(<select1 ref="/data/tbl/q1" appearance="list-nolabel">)x")) << xml;
  EXPECT_TRUE(HasFlat(xml, R"x(<select1 ref="/data/tbl/q2" appearance="list-nolabel">)x")) << xml;
}

// pyxform's tests/example_xls/simple_loop.xls, with %(label)s and a nested group.
TEST(XFormWriter, LoopOverAListIsAGroupPerChoice) {
  std::string xml =
      XForm({{"type", "name", "label::English", "hint::English"},
             {"begin loop over my_columns", "my_table", "My Table", ""},
             {"integer", "count", "How many are there in this group?", "In %(label)s"},
             {"begin group", "more", "More", ""},
             {"text", "why", "Why %(label)s?", ""},
             {"end group", "", "", ""},
             {"end loop", "", "", ""}},
            {{"list name", "name", "label::English"},
             {"my_columns", "col1", "Column 1"},
             {"my_columns", "col2", "Column 2"},
             {"my_columns", "none", "None"}});
  EXPECT_TRUE(HasFlat(xml,
                      "<my_table><col1><count/><more><why/></more></col1>"
                      "<col2><count/><more><why/></more></col2></my_table>"))
      << xml;
  EXPECT_TRUE(
      HasFlat(xml, R"x(<text id="/data/my_table/col1:label"><value>Column 1</value></text>)x"))
      << xml;
  EXPECT_TRUE(HasFlat(
      xml, R"x(<text id="/data/my_table/col2/count:hint"><value>In Column 2</value></text>)x"))
      << xml;
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/my_table/col2/count" type="int"/>)x")) << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<group ref="/data/my_table"><label ref="jr:itext('/data/my_table:label')"/><group ref="/data/my_table/col1"><label ref="jr:itext('/data/my_table/col1:label')"/><input ref="/data/my_table/col1/count">)x"))
      << xml;
  // Rows deeper than the loop's children are copied as written (pyxform).
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<text id="/data/my_table/col1/more/why:label"><value>Why %(label)s?</value></text>)x"))
      << xml;
  EXPECT_FALSE(Has(xml, "/data/my_table/none")) << xml;
  EXPECT_FALSE(Has(xml, "<count/></my_table>")) << xml;
}

// kobocat's transportation.xls: the loop's list is also an or_other select's, so
// pyxform's added "other" gets its group too.
TEST(XFormWriter, LoopOverAnOrOtherListHasAnOtherGroup) {
  std::string xml = XForm({{"type", "name", "label"},
                           {"select_multiple modes or_other", "modes", "Modes"},
                           {"begin loop over modes", "each", "Each"},
                           {"integer", "trips", "Trips by %(label)s"},
                           {"end loop", "", ""}},
                          {{"list_name", "name", "label"}, {"modes", "taxi", "Taxi"}});
  EXPECT_TRUE(HasFlat(xml, "<each><taxi><trips/></taxi><other><trips/></other></each>")) << xml;
  EXPECT_TRUE(HasFlat(
      xml,
      R"x(<group ref="/data/each/other"><label>Other</label><input ref="/data/each/other/trips"><label>Trips by Other</label>)x"))
      << xml;
}

// pyxform's widgets.xls: "trigger" has no bind, "acknowledge" a string one.
TEST(XFormWriter, TriggerTypeHasNoBindUnlikeAcknowledge) {
  std::string xml = XForm({{"type", "name", "label", "relevant"},
                           {"trigger", "t", "Push", ""},
                           {"acknowledge", "a", "OK", ""},
                           {"trigger", "r", "Push", "${a} = 'OK'"}});
  EXPECT_FALSE(Has(xml, R"x(<bind nodeset="/data/t")x")) << xml;
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/a" type="string"/>)x")) << xml;
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r" relevant=" /data/a  = 'OK'"/>)x")) << xml;
  EXPECT_TRUE(HasFlat(xml, R"x(<trigger ref="/data/t"><label>Push</label></trigger>)x")) << xml;
}

TEST(XFormWriter, MetadataPreloadsInstanceNameSubmissionAndDefaults) {
  std::string xml =
      XForm({{"type", "name", "label", "default", "calculation", "trigger"},
             {"start", "start", "", "", "", ""},
             {"deviceid", "device", "", "", "", ""},
             {"text", "who", "Who", "anonymous", "", ""},
             {"date", "when", "When", "today()", "", ""},
             {"integer", "stamp", "Stamp", "", "once(now())", "${who}"}},
            {},
            {{"form_id", "version", "instance_name", "submission_url", "public_key"},
             {"meta_test", "7", "concat(${who}, '-')", "https://example.org/submit", "KEY"}});
  EXPECT_TRUE(Has(
      xml,
      R"x(<submission action="https://example.org/submit" method="post" base64RsaPublicKey="KEY"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<data id="meta_test" version="7">)x"));
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/start" type="dateTime" jr:preload="timestamp" jr:preloadParams="start"/>)x"));
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/device" type="string" jr:preload="property" jr:preloadParams="deviceid"/>)x"));
  EXPECT_TRUE(Has(xml, "<who>anonymous</who>"));
  // A default that is an expression is a setvalue when the form first loads.
  EXPECT_TRUE(Has(xml, "<when/>"));
  EXPECT_TRUE(Has(
      xml, R"x(<setvalue ref="/data/when" event="odk-instance-first-load" value="today()"/>)x"));
  // trigger: the calculation moves to a setvalue in the triggering control.
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/stamp" type="int"/>)x"));
  EXPECT_TRUE(Has(
      xml, R"x(<setvalue ref="/data/stamp" event="xforms-value-changed" value="once(now())"/>)x"));
  EXPECT_TRUE(Has(
      xml,
      R"x(<bind nodeset="/data/meta/instanceName" type="string" calculate="concat( /data/who , '-')"/>)x"));
}

TEST(XFormWriter, ControlsOfEveryKind) {
  std::string xml = XForm({{"type", "name", "label", "parameters", "appearance"},
                           {"range", "r", "Range", "start=0 end=5 step=0.5", ""},
                           {"range", "r2", "Range 2", "", ""},
                           {"rank pr", "rank", "Rank", "", ""},
                           {"image", "photo", "Photo", "max-pixels=1024", "annotate"},
                           {"acknowledge", "ok", "OK", "", ""},
                           {"begin_group", "g", "Group", "", "field-list"},
                           {"geopoint", "where", "Where", "", ""},
                           {"end_group", "", "", "", ""},
                           {"select_one_from_file villages.csv", "v", "Village", "", ""}},
                          {{"list_name", "name", "label"}, {"pr", "a", "A"}, {"pr", "b", "B"}});
  EXPECT_TRUE(Has(xml, R"x(<range ref="/data/r" end="5" start="0" step="0.5">)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r" type="decimal"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<range ref="/data/r2" end="10" start="1" step="1">)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r2" type="int"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<odk:rank ref="/data/rank">)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/rank" type="odk:rank"/>)x"));
  EXPECT_TRUE(
      Has(xml, R"x(<upload ref="/data/photo" mediatype="image/*" appearance="annotate">)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/photo" type="binary" orx:max-pixels="1024"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<trigger ref="/data/ok">)x"));
  EXPECT_TRUE(Has(xml, R"x(<group appearance="field-list" ref="/data/g">)x"));
  EXPECT_TRUE(Has(xml, R"x(<instance id="villages" src="jr://file-csv/villages.csv"/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<itemset nodeset="instance('villages')/root/item">)x"));
}

TEST(XFormWriter, MediaAndChoiceTranslationsUseItext) {
  std::string xml =
      XForm({{"type", "name", "label", "image"}, {"select_one c", "color", "Colour", "colour.png"}},
            {{"list_name", "name", "label::en", "label::fr"},
             {"c", "red", "Red", "Rouge"},
             {"c", "blue", "Blue", ""}});
  EXPECT_TRUE(Has(
      xml,
      R"x(<text id="/data/color:label"><value>Colour</value><value form="image">jr://images/colour.png</value></text>)x"));
  EXPECT_TRUE(Has(xml, "<item><itextId>c-0</itextId><name>red</name></item>"));
  EXPECT_TRUE(Has(xml, R"x(<text id="c-1"><value>-</value></text>)x"));
  EXPECT_TRUE(Has(xml, R"x(<label ref="jr:itext(itextId)"/>)x"));
}

TEST(XFormWriter, PulldataFilesAndLastSavedAreInstances) {
  // pulldata() is not in ngosurvey's function table yet: build without the
  // expression check, as the writer may still be given such a form.
  Workbook wb;
  wb.file = "test.xlsx";
  wb.sheets.push_back(testing::MakeSheet(
      "survey", {{"type", "name", "label", "calculation", "default"},
                 {"text", "hh_id", "Household", "", ""},
                 {"calculate", "hh_size", "", "pulldata('households', 'size', 'id', ${hh_id})", ""},
                 {"text", "village", "Village", "", "${last-saved#village}"}}));
  Diagnostics diags;
  LoadOptions options;
  options.check_expressions = false;
  Result<Form> form = BuildForm(wb, &diags, options);
  ASSERT_TRUE(form.has_value());
  Result<std::string> xml = WriteXForm(*form);
  ASSERT_TRUE(xml.has_value());
  EXPECT_TRUE(Has(*xml, R"x(<instance id="households" src="jr://file-csv/households.csv"/>)x"));
  EXPECT_TRUE(Has(*xml, R"x(<instance id="__last-saved" src="jr://instance/last-saved"/>)x"));
  EXPECT_TRUE(Has(*xml, R"x(value=" instance('__last-saved')/data/village ")x"));
}

TEST(XFormWriter, UnknownReferenceIsAnErrorNamingTheRow) {
  Form form =
      *MakeForm({{"type", "name", "label", "relevant"}, {"text", "a", "A", "${nowhere} = 1"}});
  Result<std::string> xml = WriteXForm(form);
  ASSERT_FALSE(xml.has_value());
  EXPECT_EQ(xml.error().code, code::kUnknownReference);
  EXPECT_EQ(xml.error().where.row, 2);
}

TEST(XFormWriter, FormIdFallsBackOnTheFileNameThenData) {
  // The reader fills form_id from the file name ("test"); a model without one (from
  // JSON, or built by hand) takes the option, then "data", as pyxform does.
  EXPECT_TRUE(Has(XForm({{"type", "name", "label"}, {"text", "a", "A"}}), R"x(<data id="test">)x"));
  Form form = *MakeForm({{"type", "name", "label"}, {"text", "a", "A"}});
  form.settings.form_id.clear();
  EXPECT_TRUE(Has(*WriteXForm(form, {"survey_2"}), R"x(<data id="survey_2">)x"));
  EXPECT_TRUE(Has(*WriteXForm(form), R"x(<data id="data">)x"));
}

}  // namespace
}  // namespace ngosurvey::form

namespace ngosurvey::form {
namespace {

TEST(XFormWriter, EntityCreatedFromTheSurveyMeta) {
  std::string xml =
      EntityXForm({{"type", "name", "label", "save_to"},
                   {"text", "tree", "Tree", "species"},
                   {"integer", "height", "Height", "height"}},
                  {{"list_name", "label"}, {"trees", "concat(${tree}, ' ', ${height})"}});
  EXPECT_EQ(xml,
            R"x(<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:entities="http://www.opendatakit.org/xforms/entities">
  <h:head>
    <h:title>test</h:title>
    <model odk:xforms-version="1.0.0" entities:entities-version="2024.1.0">
      <instance>
        <data id="test">
          <tree/>
          <height/>
          <meta>
            <entity dataset="trees" create="1" id="">
              <label/>
            </entity>
            <instanceID/>
          </meta>
        </data>
      </instance>
      <bind nodeset="/data/tree" type="string" entities:saveto="species"/>
      <bind nodeset="/data/height" type="int" entities:saveto="height"/>
      <bind nodeset="/data/meta/entity/@id" type="string" readonly="true()"/>
      <setvalue ref="/data/meta/entity/@id" event="odk-instance-first-load" value="uuid()"/>
      <bind nodeset="/data/meta/entity/label" type="string" readonly="true()" calculate="concat( /data/tree , ' ',  /data/height )"/>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/tree">
      <label>Tree</label>
    </input>
    <input ref="/data/height">
      <label>Height</label>
    </input>
  </h:body>
</h:html>
)x");
}

TEST(XFormWriter, EntityUpdateReadsItsVersionsFromTheListsInstance) {
  std::string xml = EntityXForm({{"type", "name", "label", "save_to"},
                                 {"csv-external", "trees", "", ""},
                                 {"text", "tid", "Tree id", ""},
                                 {"integer", "height", "Height", "height"},
                                 {"integer", "c", "C", ""}},
                                {{"list_name", "entity_id", "create_if", "update_if"},
                                 {"trees", "${tid}", "${c} = 1", "${c} = 2"}});
  EXPECT_TRUE(HasFlat(xml, R"x(<entity dataset="trees" create="1" update="1" baseVersion="" )x"
                           R"x(trunkVersion="" branchId="" id=""/>)x"));
  EXPECT_TRUE(HasFlat(xml, R"x(<bind nodeset="/data/meta/entity/@create" type="string" )x"
                           R"x(readonly="true()" calculate=" /data/c  = 1"/>)x"));
  EXPECT_TRUE(HasFlat(xml, R"x(<bind nodeset="/data/meta/entity/@update" type="string" )x"
                           R"x(readonly="true()" calculate=" /data/c  = 2"/>)x"));
  for (const auto& [attribute, field] :
       {std::pair{"baseVersion", "__version"}, std::pair{"trunkVersion", "__trunkVersion"},
        std::pair{"branchId", "__branchId"}}) {
    EXPECT_TRUE(Has(xml, std::string(R"x(<bind nodeset="/data/meta/entity/@)x") + attribute +
                             R"x(" type="string" readonly="true()" calculate="instance('trees')/)x"
                             R"x(root/item[name= /data/tid ]/)x" +
                             field + R"x("/>)x"))
        << attribute;
  }
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/meta/entity/@id" type="string" readonly="true()" )x"
                       R"x(calculate=" /data/tid "/>)x"));
  // The id comes from entity_id: no uuid(), and no label without a label cell.
  EXPECT_FALSE(Has(xml, "uuid()"));
  EXPECT_FALSE(Has(xml, "/data/meta/entity/label"));
}

TEST(XFormWriter, EntityInARepeatIsOnePerInstance) {
  std::string xml = EntityXForm({{"type", "name", "label", "save_to"},
                                 {"begin_repeat", "r", "R", ""},
                                 {"text", "tree", "Tree", "species"},
                                 {"end_repeat", "", "", ""}},
                                {{"list_name", "label"}, {"trees", "${tree}"}});
  EXPECT_TRUE(Has(xml, R"x(entities:entities-version="2025.1.0")x"));
  // In the template and the first instance, before the survey's meta.
  EXPECT_TRUE(HasFlat(xml,
                      R"x(<r jr:template=""><tree/><meta><entity dataset="trees" create="1" )x"
                      R"x(id=""><label/></entity></meta></r><r><tree/><meta><entity )x"
                      R"x(dataset="trees" create="1" id=""><label/></entity></meta></r><meta>)x"
                      R"x(<instanceID/></meta>)x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r/meta/entity/label" type="string" )x"
                       R"x(readonly="true()" calculate=" ../../../tree "/>)x"));
  EXPECT_TRUE(Has(xml, R"x(<setvalue ref="/data/r/meta/entity/@id" )x"
                       R"x(event="odk-instance-first-load" value="uuid()"/>)x"));
  EXPECT_TRUE(HasFlat(xml, R"x(</input><setvalue ref="/data/r/meta/entity/@id" )x"
                           R"x(event="odk-new-repeat" value="uuid()"/></repeat>)x"));
}

TEST(XFormWriter, EntityUpdateInARepeatReadsItsVersionsRelatively) {
  std::string xml = EntityXForm({{"type", "name", "label"},
                                 {"csv-external", "trees", ""},
                                 {"begin_repeat", "r", "R"},
                                 {"text", "tid", "Tree id"},
                                 {"end_repeat", "", ""}},
                                {{"list_name", "entity_id"}, {"trees", "${tid}"}});
  EXPECT_TRUE(Has(xml, R"x(calculate="instance('trees')/root/item[name= current()/../../../tid )x"
                       R"x(]/__version")x"));
  EXPECT_TRUE(Has(xml, R"x(<bind nodeset="/data/r/meta/entity/@id" type="string" )x"
                       R"x(readonly="true()" calculate=" ../../../tid "/>)x"));
  EXPECT_FALSE(Has(xml, "setvalue"));
}

TEST(XFormWriter, FormWithoutEntitiesDeclaresNoEntitiesNamespace) {
  std::string xml = XForm({{"type", "name", "label"}, {"text", "q", "Q"}});
  EXPECT_FALSE(Has(xml, "entities"));
}

}  // namespace
}  // namespace ngosurvey::form
