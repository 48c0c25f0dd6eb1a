// A study folder: the files that make one survey-based assessment study, named by
// its `study.toml` (docs/formats/study.md), and everything read from them. The
// reference study (study/) is one; a new wave or another country's study is
// another folder with its own study.toml.
//
//   title      = "..."                     the report's title (or { en = "...", vi = "..." })
//   instrument = "instrument.xlsx"         the XLSForm
//   tables     = "tables.toml"             table specs (docs/formats/table-spec.md)
//   frame      = "frame.csv"               optional: the sample frame with final dispositions
//   unit       = "household"               what a respondent is (default "organisation")
//   mode       = "face to face"            optional: how the instrument was administered
//   [design]   weight, strata, cluster, fpc, lonely_psu   every table's sampling design
//   data       = "synthetic/x.csv"         responses (CSV export layout)
//   repeats    = { members = "x-members.csv" }   optional: each repeat's CSV (default
//                                          DATA-REPEAT.csv beside the data, as export names it)
//   synthetic  = true                      the data are synthetic: say so everywhere
//   published  = "published_tables.csv"   optional: published cells to compare with
//   bases      = "bases.toml"              with `published`: their bases (audit)
//   group      = "country"                 the column the tables group by
//   [synth]    seed = 1, fixed = { consent = "yes" }   for `ngosurvey synth`
//   codebook   = "codebook.toml"           optional: the themes of the open questions
//   codings    = "codings.csv"             with codebook: their codings (codings-csv.md)
//   coder      = "lan"                     optional: whose codes the theme items count
//   qualitative = "qualitative.toml"       optional: table specs of the report's qualitative
//                                          section (theme items; quotes by theme)
//   pseudonym_key = "pseudonym.key"        with quotes: the key of their pseudonyms
//
// Paths are relative to the folder. Errors name study.toml and the line: "SD001"
// malformed TOML, "SD002" a missing or mistyped key, an unknown key, or a file that
// does not exist.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "analysis/table.h"
#include "base/diagnostic.h"
#include "base/error.h"
#include "fieldwork/frame.h"
#include "form/codebook.h"
#include "form/form.h"
#include "study/published_audit.h"
#include "study/synth.h"

namespace ngosurvey::study {

// What one respondent of a study is, for the report's sentences: "organisation",
// "household", "person"... with its plural, per language code ("en", "km", "vi").
// A known English name (KnownUnitWords) brings its Khmer and Vietnamese words; a
// study may give its own (`[unit]` with `en = ["household", "households"]`).
struct UnitWords {
  std::map<std::string, std::pair<std::string, std::string>> by_language;  // one, other
  // The words in `language`, else English.
  const std::string& One(std::string_view language = "en") const;
  const std::string& Other(std::string_view language = "en") const;
  // (one, other) in `language`, else English.
  const std::pair<std::string, std::string>& In(std::string_view language) const;
  // "1 household", "3 households".
  std::string Count(size_t n, std::string_view language = "en") const;
};

// The words of a known unit ("organisation", "household", "person", "respondent",
// "school", "health facility", "village", "business"); nullopt for another name.
std::optional<UnitWords> KnownUnitWords(std::string_view english);

struct StudyConfig {
  std::string dir;          // the folder, as given
  std::string config_file;  // dir + "/study.toml"
  std::string title;
  // A text of the study's own per language code when study.toml gives a table
  // (`title = { en = "...", vi = "..." }`); `title`, `mode` and `notes` hold the English.
  std::map<std::string, std::string> title_by_language, mode_by_language;
  std::map<std::string, std::map<std::string, std::string>> notes_by_language;  // by section
  std::string instrument, tables, frame, data;  // resolved paths; frame may be empty
  // The CSV of each repeat named in study.toml (resolved); a repeat not named has
  // analysis::DefaultRepeatPath(data, name).
  std::map<std::string, std::string> repeats;
  std::string published, bases;  // resolved; empty when not set
  std::string network;           // resolved; the network spec, may be empty
  // The qualitative coding of open questions (analysis/themes.h): the codebook and the
  // codings CSV (resolved; both or neither), and whose codes count (empty: the agreed).
  std::string codebook, codings, coder;
  std::string qualitative;    // resolved; table specs of the qualitative section, may be empty
  std::string pseudonym_key;  // resolved; the key quotes are attributed with (base/pseudonym.h)
  bool synthetic = false;
  std::string group = "country";
  uint64_t seed = 1;
  std::map<std::string, std::string> fixed;  // [synth] fixed answers
  std::string source;                        // citation of the study, for the report
  UnitWords unit;                            // default: organisation
  std::string mode;                          // "face to face", "by telephone"...; may be empty
  // [design]: the sampling design of every table whose spec sets none.
  analysis::DesignSpec design;
  // [notes]: a sentence of the study's own per report section ("design", "fieldwork",
  // "nonresponse", "network").
  std::map<std::string, std::string> notes;
};

Result<StudyConfig> ReadStudyConfig(const std::string& dir);

// Everything but the responses, read and checked: the form (its diagnostics in
// `form_diagnostics`; an invalid form is an error), the specs, the frame, and the
// audit of the published tables when the study has them.
struct StudyInputs {
  StudyConfig config;
  form::Form form;
  Diagnostics form_diagnostics;
  std::vector<analysis::TableSpec> specs;
  std::optional<fieldwork::Frame> frame;  // when study.toml names one
  Diagnostics frame_diagnostics;
  std::optional<AuditReport> audit;
  // The coordination network's spec (analysis/network.h) when study.toml names one.
  std::optional<analysis::NetworkSpec> network;
  // The codebook of the open questions' themes when study.toml names one.
  std::optional<form::Codebook> codebook;
  // The qualitative section's table specs when study.toml names them.
  std::vector<analysis::TableSpec> qualitative_specs;
};

Result<StudyInputs> LoadStudyInputs(const std::string& dir);

// The CSV file of every repeat of the form: study.toml's `repeats`, else the default
// beside the data.
std::map<std::string, std::string> RepeatFiles(const StudyInputs& inputs);

// True when a frame case's final disposition counts as a complete interview (I).
bool IsCompletedInterview(const fieldwork::FrameCase& c);

// The frame's completed interviews, in frame order, as respondents to synthesise.
std::vector<SynthRespondent> CompletedInterviews(const StudyInputs& inputs);

// Synthesises the study's data from its inputs and config (seed, fixed answers).
Result<SynthResult> SynthesizeStudy(const StudyInputs& inputs);

}  // namespace ngosurvey::study
