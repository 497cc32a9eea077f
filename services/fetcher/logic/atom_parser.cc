#include "services/fetcher/logic/atom_parser.h"

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "pugixml.hpp"
#include "services/fetcher/logic/rss_parser.h"
#include "services/fetcher/logic/utf8_sanitizer.h"
#include "services/fetcher/logic/xml_text.h"

namespace arxiv_digest {
namespace {

int64_t ToInt(const std::string& text, int64_t fallback) {
  std::string trimmed(absl::StripAsciiWhitespace(text));
  if (trimmed.empty()) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(trimmed.c_str(), &end, 10);
  return (end != nullptr && *end == '\0') ? v : fallback;
}

void AddCategory(std::string category, std::vector<std::string>& out) {
  if (category.empty()) return;
  for (const std::string& c : out) {
    if (c == category) return;
  }
  out.push_back(std::move(category));
}

absl::StatusOr<Paper> ParseEntry(const pugi::xml_node& entry) {
  Paper paper;
  std::string id_text;
  std::string primary;
  std::vector<std::string> categories;
  for (pugi::xml_node child : entry.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = XmlLocalName(child);
    if (name == "id") {
      id_text = XmlElementText(child);
    } else if (name == "title") {
      paper.title = CollapseFeedText(XmlElementText(child));
    } else if (name == "summary") {
      paper.abstract = CollapseFeedText(XmlElementText(child));
    } else if (name == "author") {
      std::string author =
          CollapseFeedText(XmlElementText(XmlChild(child, "name")));
      if (!author.empty()) paper.authors.push_back(std::move(author));
    } else if (name == "primary_category") {
      primary = child.attribute("term").value();
    } else if (name == "category") {
      AddCategory(child.attribute("term").value(), categories);
    }
  }
  ArxivIdMatch id = FindArxivId(id_text);
  if (id.id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no arXiv id in <id> \"", id_text, "\""));
  }
  paper.arxiv_id = id.id;
  paper.version = id.version > 0 ? id.version : 1;
  if (paper.title.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arXiv:", paper.arxiv_id, " has no title"));
  }
  // Paper.categories[0] is the primary everywhere else in the system.
  AddCategory(primary, paper.categories);
  for (std::string& c : categories) AddCategory(std::move(c), paper.categories);
  return paper;
}

}  // namespace

absl::StatusOr<AtomResponse> ParseArxivAtom(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size());
  if (!result) {
    return absl::InvalidArgumentError(
        absl::StrFormat("malformed feed XML: %s at offset %d",
                        result.description(), result.offset));
  }
  pugi::xml_node root = doc.document_element();
  if (XmlLocalName(root) != "feed") {
    std::string name = root.name();
    SanitizeUtf8(name);
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported feed format: root element <", name, ">"));
  }
  AtomResponse response;
  int index = 0;
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = XmlLocalName(child);
    if (name == "totalResults") {
      response.total_results = ToInt(XmlElementText(child), -1);
    } else if (name == "startIndex") {
      response.start_index = ToInt(XmlElementText(child), 0);
    } else if (name == "itemsPerPage") {
      response.items_per_page = ToInt(XmlElementText(child), 0);
    } else if (name == "entry") {
      ++index;
      // The API reports bad queries as a single entry whose id points at
      // .../api/errors#...; that is a failed request, not a paper.
      std::string id = XmlElementText(XmlChild(child, "id"));
      if (id.find("/api/errors") != std::string::npos) {
        std::string summary =
            CollapseFeedText(XmlElementText(XmlChild(child, "summary")));
        SanitizeUtf8(summary);
        return absl::InvalidArgumentError(
            absl::StrCat("arXiv API error: ", summary));
      }
      absl::StatusOr<Paper> paper = ParseEntry(child);
      if (paper.ok()) {
        response.invalid_utf8 += SanitizePaperText(*paper);
        response.papers.push_back(*std::move(paper));
      } else {
        std::string message(paper.status().message());
        response.invalid_utf8 += SanitizeUtf8(message);
        response.entry_errors.push_back(
            absl::StrCat("entry ", index, ": ", message));
      }
    }
  }
  return response;
}

}  // namespace arxiv_digest
