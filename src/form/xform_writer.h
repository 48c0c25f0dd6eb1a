// Form -> ODK XForm (XML), the document ODK Collect, Enketo and ODK Web Forms read.
// The output is what pyxform (the reference XLSForm converter) writes for the same
// workbook, up to formatting, attribute order and the order of binds; every known
// difference is listed, with its reason, in docs/xform.md.
//
// What it writes (pyxform's rules, see docs/xform.md for the details):
//  - h:head/h:title, model with odk:xforms-version, a submission element when the
//    settings give submission_url, public_key, auto_send or auto_delete;
//  - itext: one translation per language (the language as written in the column
//    header, "default" for columns without one), for every translated label, hint,
//    guidance hint, constraint and required message, media and choice label, with
//    "-" where a language lacks a text that another has;
//  - the primary instance (root "data", id = form_id, version), repeats as a
//    jr:template plus one instance, static defaults, meta/instanceID (unless
//    omit_instanceID) and meta/instanceName (settings instance_name);
//  - one secondary instance per choice list (itextId or inline label, the extra
//    columns used by choice filters) and per select_one_from_file file;
//  - binds (type, relevant, constraint, required, readonly, calculate, messages,
//    jr:preload for metadata, bind:: columns) and setvalue actions (dynamic
//    defaults, trigger);
//  - the body: input, select1, select, odk:rank, trigger, upload, range, group,
//    repeat (jr:count, through a generated NAME_count when not a plain ${ref}).
// ${name} becomes the absolute path, or, when a repeat holds both the reference and
// the referring element, the path relative to their lowest common group or repeat,
// as pyxform does.
//
// Preconditions: a Form that LoadForm built without errors. On a form with errors
// the writer still returns a document or an Error, never crashes.
// Thread-safety: pure function of its arguments.
#pragma once

#include <string>

#include "base/error.h"
#include "form/form.h"

namespace ngosurvey::form {

struct XFormOptions {
  // The form id when the settings have no form_id (pyxform: the file name without
  // its extension); "data" when empty too.
  std::string fallback_id;
};

// The XForm as UTF-8 XML. Errors (F-codes of form/diagnostics.h): a ${name} that
// names no element or several (X-form reference), and what pyxform also refuses
// when it writes (an or_other select with a choice filter).
Result<std::string> WriteXForm(const Form& form, const XFormOptions& options = {});

}  // namespace ngosurvey::form
