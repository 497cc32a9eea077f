// Escaping text for HTML and XML (the digest page, the web page, the Atom
// feed): & < > " ' become entities. One implementation for every service.
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest {

std::string HtmlEscape(std::string_view text);

// HtmlEscape, and control characters XML 1.0 forbids (all below 0x20 but
// tab, newline and carriage return) are dropped, so the document parses.
std::string XmlEscape(std::string_view text);

}  // namespace arxiv_digest
