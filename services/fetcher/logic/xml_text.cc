#include "services/fetcher/logic/xml_text.h"

#include "absl/strings/ascii.h"
#include "services/fetcher/logic/rss_parser.h"

namespace arxiv_digest {

std::string_view XmlLocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string XmlElementText(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

pugi::xml_node XmlChild(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && XmlLocalName(child) == local) {
      return child;
    }
  }
  return pugi::xml_node();
}

std::string CollapseFeedText(std::string_view text) {
  std::string cleaned = CleanFeedText(text);
  std::string out;
  out.reserve(cleaned.size());
  for (char c : cleaned) {
    if (absl::ascii_isspace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace arxiv_digest
