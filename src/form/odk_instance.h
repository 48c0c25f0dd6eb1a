// One ODK submission (the instance XML that ODK Collect, Enketo, ODK Web Forms and
// ODK Central produce for a form) read against its form: the form id and version
// of the root element, meta/instanceID, meta/deprecatedID, meta/instanceName, the
// answers keyed by answer path (form/answer.h: "age", "household/size",
// "programs[2]/name"), and the attachment file names that upload questions
// (image, audio, video, file, background-audio, audit) reference. An encrypted
// submission's envelope (base64EncryptedKey, media/file, encryptedXmlFile,
// base64EncryptedElementSignature) is read as such: its answers are inside the
// encrypted file. The format, with what is accepted and refused, is documented in
// docs/formats/odk-instance.md.
//
// Grammar (as the XForm of form/xform_writer.h defines the primary instance):
//   instance  := <ROOT id="FORM_ID" [version="V"] ...> element* </ROOT>
//   element   := <QUESTION>text</QUESTION>            a question's value
//              | <GROUP> element* </GROUP>            a group (its questions)
//              | <REPEAT> element* </REPEAT>          one instance of a repeat, in order
//              | <meta> <instanceID/> <deprecatedID/> <instanceName/> <audit/> ... </meta>
//   envelope  := <ROOT id= [version=] encrypted="yes"> <base64EncryptedKey/>
//                <meta><instanceID/></meta> <media><file/></media>* <encryptedXmlFile/>
//                <base64EncryptedElementSignature/> </ROOT>
// Element names are matched by their local name (any namespace prefix). Values are
// typed by their question: integer, decimal and range numbers, ISO dates, times and
// date-times, geopoints, choice names of the question's list (space-separated for
// select_multiple and rank); an empty element is a missing answer; elements with
// jr:template, pyxform's generated NAME_count elements, KoboToolbox's formhub and
// __version__ and unknown meta children are skipped; the specify-other text of an
// or_other select is kept as the answer NAME_other.
//
// Hostile input is refused before it costs anything: a DOCTYPE (and so every entity
// declaration, internal or external) is refused, so no entity is ever expanded or
// fetched; the document, each text node and the nesting depth are limited.
//
// Two parsers, one verdict. expat, a conforming XML parser, is the reference: it
// decides every document and places every error. Most submissions are read by a
// faster pass first (pugixml's in-memory parse, about eight times expat's speed
// here), but only documents within a subset where the two cannot disagree: valid
// UTF-8 without control characters, no DOCTYPE, comment, CDATA section or
// processing instruction, no reference but the five predefined entities, ASCII
// names, no duplicate attribute. Anything else, and anything the fast pass refuses,
// is read again by expat, whose result (instance or error) is the answer.
// ReadExact reads with expat alone, for the tests and the fuzz target that check
// the two agree.
//
// Error codes (Error::where: the file given in the options, line and column;
// the message names the element by its path, "/data/programs[2]/age"):
//   OI001 not well-formed XML (expat's reason)
//   OI002 a DOCTYPE or entity declaration (refused: entity expansion, external
//         entities)
//   OI003 too large: the document or one text node over its limit
//   OI004 nested deeper than the limit
//   OI005 the root: no id attribute, or another form id or version than the form's
//   OI006 an element that is not a question of the form at that place
//   OI007 a value that does not fit its question's type
//   OI008 a value that is not a choice of the question's list
//   OI009 meta/instanceID missing, or not "uuid:" followed by a UUID (also
//         deprecatedID when present)
//   OI010 a question (not a repeat) given twice
//   OI011 an encrypted envelope without its key, file or signature, or with a
//         media or file name that is not a plain file name
//   OI012 a begin loop's elements (not read yet)
//   OI013 an attachment name that is not a plain file name (a path, "..")
// Thread-safety: an OdkInstanceReader is immutable after construction; Read may be
// called from several threads at once (each thread keeps one expat parser, reset
// between documents, and one set of working buffers).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/answer.h"
#include "form/form.h"

namespace ngosurvey::form {

// Where an encrypted submission's parts are (ODK's encrypted-form manifest).
struct EncryptedEnvelope {
  std::string xmlns;                 // the root's namespace, "" when none was given
  std::string base64_encrypted_key;  // the RSA-OAEP-wrapped AES-256 key, base64
  std::vector<std::string> media;    // the encrypted media file names, in order
  std::string encrypted_xml_file;    // "submission.xml.enc"
  std::string base64_signature;      // base64EncryptedElementSignature

  friend bool operator==(const EncryptedEnvelope&, const EncryptedEnvelope&) = default;
};

struct OdkInstance {
  std::string root;  // the root element's name ("data")
  std::string form_id, version;
  std::string instance_id;    // meta/instanceID ("uuid:..."); required
  std::string deprecated_id;  // meta/deprecatedID: the submission this one edits
  std::string instance_name;  // meta/instanceName
  std::map<std::string, Answer> answers;
  // File names referenced by upload questions, in document order, each once.
  std::vector<std::string> attachments;
  std::optional<EncryptedEnvelope> encrypted;  // set for an encrypted envelope

  friend bool operator==(const OdkInstance&, const OdkInstance&) = default;
};

// The root element's id and version and whether it is an encrypted envelope, read
// without the form (to choose the form version to read the rest against).
struct OdkInstanceHead {
  std::string root, form_id, version;
  bool encrypted = false;
};

struct OdkInstanceOptions {
  std::string file;  // the name used in error locations
  size_t max_bytes = size_t{64} << 20;
  size_t max_text_bytes = size_t{1} << 20;  // one value (as the CSV import's cells)
  int max_depth = 64;
  // Values that mean refused / don't know (the form's missing_refused and
  // missing_dont_know codes: RefusedCodes, DontKnowCodes in instance_xml.h): such a value alone
  // becomes a refused / dont_know answer instead of being checked against the type.
  std::vector<std::string> refused_codes, dont_know_codes;
};

// Reads the root element only (OI001-OI005 as Read).
Result<OdkInstanceHead> ReadOdkInstanceHead(std::string_view xml,
                                            const OdkInstanceOptions& options = {});

// Reads instances of one form. Construction indexes the form's elements once, so
// that reading many submissions costs only the parse.
class OdkInstanceReader {
 public:
  // `form` must outlive the reader.
  explicit OdkInstanceReader(const Form& form);
  ~OdkInstanceReader();
  OdkInstanceReader(const OdkInstanceReader&) = delete;
  OdkInstanceReader& operator=(const OdkInstanceReader&) = delete;

  // The instance, or the first problem found (nothing partial). The root's id must
  // be the form's form_id (when the settings give one) and its version the form's
  // version (when the settings give one); an envelope's answers are left empty.
  Result<OdkInstance> Read(std::string_view xml, const OdkInstanceOptions& options = {}) const;

  // Read with expat alone: the same result as Read, more slowly (see above).
  Result<OdkInstance> ReadExact(std::string_view xml, const OdkInstanceOptions& options = {}) const;

  struct Index;  // the form's elements by parent and name (odk_instance.cpp)

 private:
  const Form& form_;
  std::unique_ptr<Index> index_;
};

// OdkInstanceReader(form).Read(xml, options).
Result<OdkInstance> ReadOdkInstance(std::string_view xml, const Form& form,
                                    const OdkInstanceOptions& options = {});

// True for a plain file name: not empty, at most 255 bytes, no '/', '\\' or NUL,
// not "." or "..". Attachment and media names must be plain names.
bool IsPlainFileName(std::string_view name);

}  // namespace ngosurvey::form
