#include "form/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "form/expr/errors.h"

namespace ngosurvey::form {
namespace {

constexpr Severity kE = Severity::kError;
constexpr Severity kW = Severity::kWarning;

constexpr std::array kCatalogue = {
    DiagnosticInfo{"X001", kE,
                   "The file is not an .xlsx workbook, or the zip archive is damaged or truncated.",
                   "Save the form from Excel or LibreOffice as \"Excel Workbook (.xlsx)\" (or "
                   "\"Excel 97-2003 (.xls)\"); .ods is not read."},
    DiagnosticInfo{
        "X002", kE,
        "A part every workbook needs (such as xl/workbook.xml) is missing from the archive.",
        "Open the file in a spreadsheet program and save it again as .xlsx."},
    DiagnosticInfo{
        "X003", kE,
        "A part of the workbook is not well-formed XML (part name, line and column given).",
        "Re-save the workbook from a spreadsheet program; a file edited by hand or by a script is "
        "damaged."},
    DiagnosticInfo{
        "X004", kE,
        "A part decompresses to more than the size limit (a damaged file or a zip bomb).",
        "Check the file's origin; an XLSForm is a few hundred kilobytes at most."},
    DiagnosticInfo{
        "X005", kE, "A cell holds more text than the limit.",
        "Shorten the cell; long texts belong in a media file or a note split over rows."},
    DiagnosticInfo{"X006", kE,
                   "A row number, cell reference or shared-string index in a sheet is invalid.",
                   "Re-save the workbook from a spreadsheet program."},
    DiagnosticInfo{"X007", kE,
                   "The file is not a legacy Excel 97-2003 (.xls) workbook, or it is damaged or "
                   "truncated (the reason, and the sheet and cell when known, are given).",
                   "Open the file in a spreadsheet program and save it again, as .xlsx or as "
                   "\"Excel 97-2003 (.xls)\"; a file with the .xls name must be an Excel file."},
    DiagnosticInfo{"X008", kE, "The .xls workbook is encrypted (password-protected).",
                   "Open it with its password in a spreadsheet program and save it without one."},
    DiagnosticInfo{"X009", kE, "The workbook is in the format of Excel 4.0 or older (BIFF2-4).",
                   "Open it in a spreadsheet program and save it as .xlsx (or as Excel 97-2003 "
                   ".xls)."},
    DiagnosticInfo{"X010", kE,
                   "The sheets of the .xls workbook span more cells than the limit (rows times "
                   "columns from A1 to each sheet's last cell: a damaged or hostile file).",
                   "Check the file's origin; re-save it from a spreadsheet program after "
                   "deleting the empty rows and columns below and right of the form."},

    DiagnosticInfo{"E001", kE, "The workbook has no sheet named \"survey\".",
                   "Name the questionnaire sheet \"survey\" (any case)."},
    DiagnosticInfo{"E002", kE,
                   "The survey sheet has no \"type\" or no \"name\" column in its first row.",
                   "Put the column headers (type, name, label, ...) in row 1 of the survey sheet."},
    DiagnosticInfo{"E003", kE,
                   "The type cell is empty on a row that has content, or names an unknown type.",
                   "Use a type of the XLSForm specification (text, integer, select_one LIST, "
                   "begin_group, ...)."},
    DiagnosticInfo{
        "E004", kE, "A question, group or repeat has no name.",
        "Give every row a name: letters, digits, '_', '-', '.', starting with a letter or '_'."},
    DiagnosticInfo{"E005", kE, "A name is not a valid XML element name.",
                   "Start with a letter or '_'; use only letters, digits, '_', '-' and '.'; no "
                   "spaces or ':'."},
    DiagnosticInfo{"E006", kE,
                   "Two questions in the same group (or both at the top level) have the same name.",
                   "Rename one of them; names must be unique among siblings."},
    DiagnosticInfo{"E007", kE, "An end group or end repeat row has no matching begin row.",
                   "Remove the extra end row, or add the begin row it closes."},
    DiagnosticInfo{"E008", kE, "A begin group or begin repeat row is never closed.",
                   "Add the matching end group / end repeat row."},
    DiagnosticInfo{
        "E009", kE,
        "An end row closes the wrong kind of block (end repeat for a group or the reverse).",
        "Match each begin group with end group and each begin repeat with end repeat."},
    DiagnosticInfo{"E010", kE, "A select or rank question does not name its choice list.",
                   "Write the list name after the type: \"select_one yes_no\"."},
    DiagnosticInfo{
        "E011", kE, "A select question names a choice list the choices sheet does not have.",
        "Add the list to the choices sheet, or correct the list name (the message suggests one)."},
    DiagnosticInfo{"E012", kE, "An expression refers to ${name}, but no question has that name.",
                   "Correct the name (the message suggests the closest one) or add the question."},
    DiagnosticInfo{"E013", kE,
                   "An expression refers to ${name}, but several questions have that name.",
                   "Give the questions distinct names so that ${name} means one of them."},
    DiagnosticInfo{
        "E014", kE, "Two choices in the same list have the same name.",
        "Rename one, or set allow_choice_duplicates to yes in settings if that is intended."},
    DiagnosticInfo{"E015", kE, "A choice row has a list name but no choice name.",
                   "Fill in the name column of the choice (the value stored in the data)."},
    DiagnosticInfo{"E016", kE, "A choice list has no choices with a name.",
                   "Add choices to the list, or remove the rows."},
    DiagnosticInfo{"E017", kE,
                   "No longer reported (a choice row without a list name is warning W113, as "
                   "pyxform skips the row).",
                   "Nothing: the code is kept so that it keeps its meaning."},
    DiagnosticInfo{"E018", kE,
                   "A question shown to the interviewer has no label, no hint and no media "
                   "(image, audio or video).",
                   "Add a label (in every language of the form)."},
    DiagnosticInfo{"E019", kE,
                   "Calculations depend on each other in a circle (the cycle is listed).",
                   "Break the cycle: one of the calculations must not use the others."},
    DiagnosticInfo{"E020", kE,
                   "No longer reported (a choice_filter column the choices sheet lacks is warning "
                   "W110, as pyxform accepts it).",
                   "Nothing: the code is kept so that it keeps its meaning."},
    DiagnosticInfo{"E021", kE,
                   "Select questions need choice lists, but the workbook has no choices sheet.",
                   "Add a sheet named \"choices\" with list_name, name and label columns."},
    DiagnosticInfo{"E022", kE, "The choices sheet has no \"list_name\" or no \"name\" column.",
                   "Put list_name, name and label in row 1 of the choices sheet."},
    DiagnosticInfo{"E023", kE,
                   "or_other is written after a type that is not select_one or select_multiple.",
                   "Remove or_other, or change the type to a select."},
    DiagnosticInfo{"E024", kE, "A calculate row has no calculation.",
                   "Write the expression in the calculation column, or change the type."},
    DiagnosticInfo{"E025", kE,
                   "No longer reported (repeat_count on a row that is not a repeat is warning "
                   "W112, as pyxform accepts it).",
                   "Nothing: the code is kept so that it keeps its meaning."},
    DiagnosticInfo{"E026", kE,
                   "A select has or_other and a choice_filter; pyxform refuses the pair.",
                   "Add an \"other\" choice to the list (and a text question relevant when it is "
                   "selected) instead of or_other."},
    DiagnosticInfo{"E027", kE,
                   "A choice of a list used by a select_multiple has a space in its name (answers "
                   "are space-separated).",
                   "Replace the space with '_' in the choice name."},
    DiagnosticInfo{"E028", kE,
                   "An audit row has a name other than \"audit\" (the XForms spec fixes it).",
                   "Leave the name of the audit row empty or write \"audit\"."},
    DiagnosticInfo{"E029", kE,
                   "A question, group or repeat is named \"meta\", which XForms reserve for the "
                   "form's metadata.",
                   "Rename it."},
    DiagnosticInfo{"E030", kE,
                   "Two repeats have the same name, or a repeat has the name of the form's root "
                   "element; repeat names must be unique in the whole form.",
                   "Rename one of the repeats."},
    DiagnosticInfo{"E031", kE,
                   "A select_one_external names a list the external_choices sheet does not have, "
                   "or there is no such sheet.",
                   "Add the list to the external_choices sheet (list_name, name, label and the "
                   "filter columns)."},
    DiagnosticInfo{"E032", kE,
                   "A select_one_from_file or select_multiple_from_file names a file without one "
                   ".csv, .xml or .geojson extension.",
                   "Name the file with its extension: \"districts.csv\"."},
    DiagnosticInfo{"E033", kE,
                   "Two headers of a sheet give the same column as written (\"label\" twice, or "
                   "\"name\" and its alias \"value\"); pyxform refuses the form.",
                   "Delete or rename one of the columns."},
    DiagnosticInfo{"E034", kE,
                   "A parameters cell is not key=value pairs separated by spaces, commas or "
                   "semicolons (\"${x}\", \"step=\"); pyxform refuses the form.",
                   "Write the parameters as key=value, e.g. \"start=0 end=10 step=1\"."},
    DiagnosticInfo{"E035", kE,
                   "A parameter the question's type does not take, or a value it cannot have "
                   "(a range's step larger than the range, randomize=maybe, a seed without "
                   "randomize, max-pixels=big...); pyxform refuses the form.",
                   "Use the parameters xlsform.org lists for the type, with the values it "
                   "gives."},
    DiagnosticInfo{"E036", kE,
                   "Two secondary instances of the XForm would have the same id: a choice list, "
                   "a select_one_from_file's file (its name without extension) and an "
                   "xml-external or csv-external question each make one; pyxform refuses the "
                   "form.",
                   "Rename the file, the choice list or the question so that the names differ."},
    DiagnosticInfo{"E037", kE,
                   "A translatable column's header has \"::\" twice (\"label::fr::en\", or two "
                   "headers run together); pyxform fails on it.",
                   "Split the header into one column per language: \"label::fr\", "
                   "\"label::en\"."},

    DiagnosticInfo{"E060", kE,
                   "The entities sheet has a column pyxform does not know (the columns are "
                   "list_name, label, entity_id, create_if, update_if), with a value in it.",
                   "Check the column's spelling, or delete the column."},
    DiagnosticInfo{"E061", kE,
                   "An entities row has no list_name, or one that is not an XML name, that "
                   "contains a period or that begins with two underscores.",
                   "Name the entity list as ODK Central names it: a letter or underscore, then "
                   "letters, digits, underscores or hyphens (\"trees\", \"households\")."},
    DiagnosticInfo{"E062", kE, "Two rows of the entities sheet declare the same entity list.",
                   "Keep one row per entity list."},
    DiagnosticInfo{"E063", kE,
                   "An entities row creates entities (no entity_id, or a create_if) but has no "
                   "label: ODK Central needs a label for every new entity.",
                   "Give the row a label, e.g. ${name} or concat(${first}, ' ', ${last})."},
    DiagnosticInfo{"E064", kE,
                   "An entities row has an update_if but no entity_id: an update needs the id of "
                   "the entity to update.",
                   "Add an entity_id (e.g. ${tree_id}, a select_one_from_file of the list), or "
                   "delete the update_if."},
    DiagnosticInfo{"E065", kE,
                   "An entities row has an entity_id and a create_if but no update_if: creating "
                   "or updating (an upsert) needs both conditions.",
                   "Add an update_if, or delete the create_if (an entity_id alone updates)."},
    DiagnosticInfo{"E066", kE,
                   "A survey row has a save_to but the form declares no entity (no entities "
                   "sheet, or one without rows).",
                   "Add an entities sheet with a row for the entity list, or clear the save_to "
                   "cell."},
    DiagnosticInfo{"E067", kE,
                   "A begin or end row of a group or repeat has a save_to: only questions can be "
                   "saved as entity properties.",
                   "Move the save_to to a question of the group or repeat."},
    DiagnosticInfo{"E068", kE,
                   "A save_to is not a property name ODK Central accepts: empty after its list "
                   "prefix, more than one '#', \"name\" or \"label\" (any case), beginning "
                   "with two underscores, or not an XML name.",
                   "Write the property as \"property\" or \"list#property\", with a name that "
                   "begins with a letter or underscore (\"species\", \"trees#height\")."},
    DiagnosticInfo{"E069", kE, "Two survey rows save to the same property of the same entity list.",
                   "Rename one of the save_to properties, or clear one cell."},
    DiagnosticInfo{"E070", kE,
                   "A save_to's \"list#\" prefix names an entity list the entities sheet does "
                   "not declare.",
                   "Check the prefix's spelling, or add a row for the list to the entities "
                   "sheet."},
    DiagnosticInfo{"E071", kE,
                   "The form declares several entity lists and a save_to does not say which one "
                   "it belongs to.",
                   "Prefix the property with its list and '#': \"households#address\"."},
    DiagnosticInfo{"E072", kE,
                   "An entity list's references (save_to cells, ${} in its entities row) are in "
                   "repeats that do not nest: one entity cannot be in both (pyxform's placement "
                   "rule).",
                   "Keep each entity's save_to questions and referenced questions in one repeat "
                   "(and the groups and repeats around it), or declare one list per repeat."},
    DiagnosticInfo{"E073", kE,
                   "Several entity lists would share a group, repeat or the survey: each "
                   "container holds at most one meta/entity, and pyxform finds none free for "
                   "this one.",
                   "Put each list's save_to questions in a group (or repeat) of their own."},
    DiagnosticInfo{"E074", kE,
                   "An entities row updates entities (entity_id) but the form has no instance "
                   "of the list: ODK Validate refuses the XForm (instance('LIST') does not "
                   "exist).",
                   "Attach the entity list: a select_one_from_file LIST.csv, a csv-external "
                   "named as the list, or a pulldata('LIST', ...) call."},
    DiagnosticInfo{"E075", kE,
                   "An osm question names a list of tags (osm LIST) that the workbook's osm "
                   "sheet does not have (pyxform fails on such a form).",
                   "Add the list to the osm sheet (list_name, name: the tag's key, label), or "
                   "write plain osm."},

    DiagnosticInfo{"W101", kW,
                   "A sheet's name is close to survey, choices or settings but not equal.",
                   "Rename the sheet (\"survery\" -> \"survey\") or it is ignored."},
    DiagnosticInfo{
        "W102", kW,
        "A translated column has no text on some rows that have text in another language.",
        "Add the missing translations; interviewers in that language see the default text."},
    DiagnosticInfo{
        "W103", kW, "The question type loads, but the ngosurvey interview cannot run it yet.",
        "Keep it for other tools, or use a supported type for interviews run by ngosurvey."},
    DiagnosticInfo{
        "W104", kW,
        "A column header is close to a known XLSForm column but not equal; it is ignored.",
        "Correct the spelling (\"relevent\" -> \"relevant\")."},
    DiagnosticInfo{"W105", kW,
                   "Two columns of a sheet name one language of one column in different "
                   "spellings (\"label::English\" and \"label::English (en)\"); the later "
                   "one is ignored. The same header twice is error E033.",
                   "Delete or rename one of the columns."},
    DiagnosticInfo{"W106", kW, "A group or repeat contains no questions.",
                   "Add questions to it or remove the begin and end rows."},
    DiagnosticInfo{"W107", kW, "A choice list is not used by any question.",
                   "Remove it, or check the list name of the select that should use it."},
    DiagnosticInfo{"W108", kW,
                   "A name that other questions may refer to contains '-' or '.', which XPath "
                   "reads as an operator in paths.",
                   "Prefer letters, digits and '_' in names."},
    DiagnosticInfo{"W109", kW,
                   "A survey row has content but no type, name or label; it is skipped as a "
                   "comment (as pyxform does).",
                   "Delete the row, or give it a type, name and label if it is a question."},
    DiagnosticInfo{
        "W110", kW,
        "A choice_filter uses a column the choices sheet does not have: it is empty for every "
        "choice.",
        "Add the column to the choices sheet (e.g. \"province\"), or correct the filter."},
    DiagnosticInfo{"W111", kW,
                   "An expression has a bare word that names no question: XPath reads it as a path "
                   "to nothing (an empty node-set), so a comparison with it is false.",
                   "Quote a literal ('yes'), or write ${name} for a question."},
    DiagnosticInfo{"W112", kW,
                   "repeat_count is set on a row that is not begin repeat; it is ignored.",
                   "Move repeat_count to the begin repeat row."},
    DiagnosticInfo{"W113", kW,
                   "A choice row (or an osm sheet's tag row) has a name or a label but no list "
                   "name; it is skipped (as pyxform does).",
                   "Fill in the list_name column if the choice belongs to a list, or delete the "
                   "row."},
    DiagnosticInfo{"W114", kW,
                   "A sheet has more than 60 empty rows in a row: pyxform stops reading it there, "
                   "so the rows below are ignored.",
                   "Delete the empty rows if the rows below belong to the form."},
};

}  // namespace

std::span<const DiagnosticInfo> DiagnosticCatalogue() { return kCatalogue; }

const DiagnosticInfo* FindDiagnostic(std::string_view code) {
  for (const DiagnosticInfo& info : kCatalogue) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

std::string DiagnosticsMarkdown() {
  std::string out =
      "# Form diagnostics\n\n"
      "Every problem `ngosurvey form check` reports has a stable code. Messages have the form\n"
      "`FILE:SHEET!CELL: CODE: message`; for expressions the expression follows with a caret\n"
      "under the offending place. Errors make a form invalid (exit status 1); warnings do not,\n"
      "unless `--strict` is given.\n\n"
      "This page is generated from `src/form/diagnostics.cpp` and the expression engine's\n"
      "catalogue (`ngosurvey form diagnostics`); a test keeps it up to date.\n\n"
      "| Code | Severity | Meaning | Fix |\n|---|---|---|---|\n";
  for (const DiagnosticInfo& info : kCatalogue) {
    out += fmt::format("| {} | {} | {} | {} |\n", info.code,
                       info.severity == Severity::kError ? "error" : "warning", info.meaning,
                       info.fix);
  }
  out +=
      "\n## Expression errors\n\n"
      "Reported for relevant, constraint, calculation, required, read_only, choice_filter,\n"
      "repeat_count, trigger and default cells, with a caret under the offending token.\n\n"
      "| Code | Message template |\n|---|---|\n";
  for (const expr::ErrorSpec& spec : expr::ErrorCatalogue()) {
    std::string message(spec.message);
    std::replace(message.begin(), message.end(), '|', '/');
    out += fmt::format("| {} | {} |\n", spec.id, message);
  }
  return out;
}

}  // namespace ngosurvey::form
