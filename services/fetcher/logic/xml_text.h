// pugixml helpers shared by the arXiv parsers (OAI-PMH, ...). Pure logic.
#pragma once

#include <string>
#include <string_view>

#include "pugixml.hpp"

namespace arxiv_digest {

// "arXiv:id" -> "id": arXiv responses bind namespaces differently across
// API generations, so elements are matched by local name.
std::string_view XmlLocalName(const pugi::xml_node& node);

// All character data of an element (text and CDATA chunks joined).
std::string XmlElementText(const pugi::xml_node& node);

// First child element with this local name, or an empty node.
pugi::xml_node XmlChild(const pugi::xml_node& node, std::string_view local);

// CleanFeedText, then every whitespace run made one space: the API and
// OAI-PMH hard-wrap titles and abstracts at ~80 columns.
std::string CollapseFeedText(std::string_view text);

}  // namespace arxiv_digest
