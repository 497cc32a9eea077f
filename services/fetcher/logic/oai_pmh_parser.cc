#include "services/fetcher/logic/oai_pmh_parser.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "pugixml.hpp"
#include "services/fetcher/logic/rss_parser.h"
#include "services/fetcher/logic/utf8_sanitizer.h"
#include "services/fetcher/logic/xml_text.h"

namespace arxiv_digest {
namespace {

std::string Trimmed(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// "Keitel" + "Christoph H." (+ "Jr") -> "Christoph H. Keitel Jr", the order
// the RSS feed and the Atom API print names in.
std::string AuthorName(const pugi::xml_node& author) {
  std::string keyname =
      CollapseFeedText(XmlElementText(XmlChild(author, "keyname")));
  std::string forenames =
      CollapseFeedText(XmlElementText(XmlChild(author, "forenames")));
  std::string suffix =
      CollapseFeedText(XmlElementText(XmlChild(author, "suffix")));
  std::string name = forenames.empty() ? keyname : forenames + " " + keyname;
  if (!suffix.empty()) name += " " + suffix;
  return name;
}

absl::StatusOr<OaiRecord> ParseRecord(const pugi::xml_node& header,
                                      const pugi::xml_node& arxiv) {
  OaiRecord record;
  record.datestamp = Trimmed(XmlElementText(XmlChild(header, "datestamp")));
  Paper& paper = record.paper;
  std::string id_text = XmlElementText(XmlChild(arxiv, "id"));
  if (id_text.empty()) {
    id_text = XmlElementText(XmlChild(header, "identifier"));
  }
  ArxivIdMatch id = FindArxivId(id_text);
  if (id.id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no arXiv id in <id> \"", Trimmed(id_text), "\""));
  }
  paper.arxiv_id = id.id;
  paper.version = id.version > 0 ? id.version : 1;
  paper.title = CollapseFeedText(XmlElementText(XmlChild(arxiv, "title")));
  if (paper.title.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arXiv:", paper.arxiv_id, " has no title"));
  }
  paper.abstract =
      CollapseFeedText(XmlElementText(XmlChild(arxiv, "abstract")));
  record.created = Trimmed(XmlElementText(XmlChild(arxiv, "created")));
  record.updated = Trimmed(XmlElementText(XmlChild(arxiv, "updated")));
  for (pugi::xml_node author : XmlChild(arxiv, "authors").children()) {
    if (author.type() != pugi::node_element ||
        XmlLocalName(author) != "author") {
      continue;
    }
    std::string name = AuthorName(author);
    if (!name.empty()) paper.authors.push_back(std::move(name));
  }
  std::string categories = XmlElementText(XmlChild(arxiv, "categories"));
  for (absl::string_view c : absl::StrSplit(
           categories, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    paper.categories.emplace_back(c);
  }
  return record;
}

}  // namespace

absl::StatusOr<OaiResponse> ParseOaiPmh(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size());
  if (!result) {
    return absl::InvalidArgumentError(
        absl::StrFormat("malformed OAI-PMH XML: %s at offset %d",
                        result.description(), result.offset));
  }
  pugi::xml_node root = doc.document_element();
  if (XmlLocalName(root) != "OAI-PMH") {
    std::string name = root.name();
    SanitizeUtf8(name);
    return absl::InvalidArgumentError(absl::StrCat(
        "unsupported OAI-PMH response: root element <", name, ">"));
  }
  OaiResponse response;
  if (pugi::xml_node error = XmlChild(root, "error")) {
    std::string code = error.attribute("code").value();
    if (code == "noRecordsMatch") return response;
    std::string text = CollapseFeedText(XmlElementText(error));
    std::string message = absl::StrCat("OAI-PMH error ", code, ": ", text);
    SanitizeUtf8(message);
    return absl::InvalidArgumentError(message);
  }
  pugi::xml_node list = XmlChild(root, "ListRecords");
  int index = 0;
  for (pugi::xml_node child : list.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = XmlLocalName(child);
    if (name == "resumptionToken") {
      response.resumption_token = Trimmed(XmlElementText(child));
      if (pugi::xml_attribute size = child.attribute("completeListSize")) {
        response.complete_list_size = size.as_llong(-1);
      }
      continue;
    }
    if (name != "record") continue;
    ++index;
    pugi::xml_node header = XmlChild(child, "header");
    if (std::string_view(header.attribute("status").value()) == "deleted") {
      ++response.deleted_records;
      continue;
    }
    pugi::xml_node arxiv = XmlChild(XmlChild(child, "metadata"), "arXiv");
    if (!arxiv) {
      response.record_errors.push_back(absl::StrCat(
          "record ", index, ": no <metadata><arXiv> (wrong metadataPrefix?)"));
      continue;
    }
    absl::StatusOr<OaiRecord> record = ParseRecord(header, arxiv);
    if (record.ok()) {
      response.invalid_utf8 += SanitizePaperText(record->paper);
      response.invalid_utf8 += SanitizeUtf8(record->created) +
                               SanitizeUtf8(record->updated) +
                               SanitizeUtf8(record->datestamp);
      response.records.push_back(*std::move(record));
    } else {
      std::string message(record.status().message());
      response.invalid_utf8 += SanitizeUtf8(message);
      response.record_errors.push_back(
          absl::StrCat("record ", index, ": ", message));
    }
  }
  response.invalid_utf8 += SanitizeUtf8(response.resumption_token);
  return response;
}

}  // namespace arxiv_digest
