#include "base/escape.h"

#include "base/text.h"

namespace ngosurvey::text {

namespace {

std::string EscapeHtmlAs(std::string_view input, bool apostrophes, bool whitespace_references) {
  std::string out;
  out.reserve(input.size() + input.size() / 8);
  size_t pos = 0;
  while (pos < input.size()) {
    auto byte = static_cast<unsigned char>(input[pos]);
    if (byte < 0x80) {
      ++pos;
      switch (byte) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += apostrophes ? "&#39;" : "'";
          break;
        case '\t':
        case '\n':
        case '\r':
          if (whitespace_references) {
            out += byte == '\t' ? "&#9;" : byte == '\n' ? "&#10;" : "&#13;";
          } else {
            out += static_cast<char>(byte);
          }
          break;
        default:
          out += (byte < 0x20 || byte == 0x7F) ? ' ' : static_cast<char>(byte);
      }
      continue;
    }
    size_t start = pos;
    char32_t cp = DecodeOne(input, &pos);
    if (cp == 0xFFFD && input.substr(start, pos - start) != "\xEF\xBF\xBD") {
      out += "\xEF\xBF\xBD";  // a malformed byte
    } else {
      out.append(input.substr(start, pos - start));
    }
  }
  return out;
}

}  // namespace

std::string EscapeHtml(std::string_view text) { return EscapeHtmlAs(text, true, false); }

std::string EscapeHtmlKeepApostrophes(std::string_view text) {
  return EscapeHtmlAs(text, false, false);
}

std::string EscapeXmlKeepingPositions(std::string_view text) {
  return EscapeHtmlAs(text, true, true);
}

std::string EscapeMarkdownCell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeMarkdownText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '|' || c == '\\' || c == '*' || c == '`') {
      out += '\\';
      out += c;
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeLatex(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '<':
        out += "\\textless{}";
        break;
      case '>':
        out += "\\textgreater{}";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    }
  }
  return out;
}

void AppendCsvField(std::string_view field, std::string* out, char delimiter) {
  const char specials[] = {delimiter, '"', '\r', '\n'};
  bool needs =
      field.find_first_of(std::string_view(specials, sizeof specials)) != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' ')) ||
      field.starts_with("\xEF\xBB\xBF");
  if (!needs) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string EscapeCsv(std::string_view field, char delimiter) {
  std::string out;
  AppendCsvField(field, &out, delimiter);
  return out;
}

}  // namespace ngosurvey::text
