#include "lib/text/markup_escape.h"

namespace arxiv_digest {
namespace {

std::string Escape(std::string_view text, bool drop_xml_controls) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
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
        out += "&#39;";
        break;
      default:
        if (drop_xml_controls && static_cast<unsigned char>(c) < 0x20 &&
            c != '\t' && c != '\n' && c != '\r') {
          continue;
        }
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) { return Escape(text, false); }
std::string XmlEscape(std::string_view text) { return Escape(text, true); }

}  // namespace arxiv_digest
