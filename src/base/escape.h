// Escaping text for the formats ngosurvey writes: HTML, Markdown, LaTeX and CSV.
// The one home of each rule; every renderer, codebook and generated page calls
// these. All functions are pure and take and return UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace ngosurvey::text {

// Escapes & < > " ' so that the result is safe in element content and in quoted
// attribute values. Malformed UTF-8 becomes U+FFFD, and C0 control characters other
// than tab and line breaks (and DEL) become spaces: HTML and SVG forbid them.
std::string EscapeHtml(std::string_view text);
// EscapeHtml with apostrophes kept as written: for text that only goes in element
// content or double-quoted attribute values, where an apostrophe is plain text
// (the export codebook's page, whose bytes predate EscapeHtml).
std::string EscapeHtmlKeepApostrophes(std::string_view text);
// EscapeHtml for XML whose text positions matter (REFI-QDA offsets in code points):
// tab, LF and CR become character references, which an XML reader keeps as they are
// (written raw, "\r\n" would come back as "\n" and shift every later position).
std::string EscapeXmlKeepingPositions(std::string_view text);

// A Markdown table cell: '|' becomes "\|" and line breaks (CR, LF) become spaces, so
// the text stays in its cell; everything else is kept as written.
std::string EscapeMarkdownCell(std::string_view text);

// Markdown text that must read literally (the published-tables audit, whose cells
// quote other documents): '\', '|', '*' and '`' are backslash-escaped, '<' becomes
// "&lt;" (no inline HTML), line breaks become spaces. Underscores are kept: inside
// identifiers they are not emphasis in CommonMark.
std::string EscapeMarkdownText(std::string_view text);

// LaTeX: the ten special characters, plus < and > (which print as other glyphs in
// OT1 fonts); control characters become spaces.
std::string EscapeLatex(std::string_view text);

// RFC 4180: appends `field`, quoted when it needs it (the delimiter, a quote, CR or
// LF, a leading or trailing space, or a leading U+FEFF, which a reader would take for
// a byte-order mark), with inner quotes doubled.
void AppendCsvField(std::string_view field, std::string* out, char delimiter = ',');
std::string EscapeCsv(std::string_view field, char delimiter = ',');

}  // namespace ngosurvey::text
