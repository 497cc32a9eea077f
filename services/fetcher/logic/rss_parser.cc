#include "services/fetcher/logic/rss_parser.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/text/utf8.h"
#include "pugixml.hpp"
#include "services/fetcher/logic/utf8_sanitizer.h"
#include "services/fetcher/logic/xml_text.h"

namespace arxiv_digest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// std::string_view helpers: Debian's Abseil is built with its own
// absl::string_view, so absl's string functions do not take std::string_view.
std::string_view TrimLeft(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && absl::ascii_isspace(s[n])) ++n;
  return s.substr(n);
}

std::string_view Trim(std::string_view s) {
  s = TrimLeft(s);
  size_t n = s.size();
  while (n > 0 && absl::ascii_isspace(s[n - 1])) --n;
  return s.substr(0, n);
}

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at = s.find(sep); at != std::string_view::npos;
       at = s.find(sep, start)) {
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(a[i]) != absl::ascii_tolower(b[i])) return false;
  }
  return true;
}

// Length of a new-style id number "2504.03650" at the start of s, else 0.
size_t NewStyleLength(std::string_view s) {
  if (s.size() < 9) return 0;
  for (int i = 0; i < 4; ++i) {
    if (!IsDigit(s[i])) return 0;
  }
  if (s[4] != '.') return 0;
  size_t n = 5;
  while (n < s.size() && IsDigit(s[n])) ++n;
  size_t digits = n - 5;
  return (digits == 4 || digits == 5) ? n : 0;
}

// Length of an old-style id "math/0601001" or "math.AG/0601001" at the start
// of s, else 0.
size_t OldStyleLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && (IsLower(s[n]) || s[n] == '-')) ++n;
  if (n == 0) return 0;
  if (n < s.size() && s[n] == '.') {  // subject class, e.g. ".AG"
    size_t k = n + 1;
    while (k < s.size() && absl::ascii_isupper(s[k])) ++k;
    if (k == n + 1) return 0;
    n = k;
  }
  if (n >= s.size() || s[n] != '/') return 0;
  ++n;
  size_t start = n;
  while (n < s.size() && IsDigit(s[n])) ++n;
  return n - start == 7 ? n : 0;
}

// Parses an optional "vN" suffix at the start of s; returns N or 0.
int VersionAt(std::string_view s) {
  if (s.size() < 2 || s[0] != 'v' || !IsDigit(s[1])) return 0;
  int v = 0;
  for (size_t i = 1; i < s.size() && IsDigit(s[i]) && v < 100000; ++i) {
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Decodes one HTML entity at s (s[0] == '&'); returns the characters
// consumed, 0 when it is not an entity we know (then '&' stays literal).
size_t DecodeEntity(std::string_view s, std::string& out) {
  size_t semi = s.find(';');
  if (semi == std::string_view::npos || semi > 10) return 0;
  std::string_view name = s.substr(1, semi - 1);
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) {
      out += text;
      return semi + 1;
    }
  }
  if (name.size() < 2 || name[0] != '#') return 0;
  bool hex = name[1] == 'x' || name[1] == 'X';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return 0;
  uint32_t cp = 0;
  for (char c : digits) {
    int d;
    if (IsDigit(c)) {
      d = c - '0';
    } else if (hex && absl::ascii_isxdigit(c)) {
      d = absl::ascii_tolower(c) - 'a' + 10;
    } else {
      return 0;
    }
    cp = cp * (hex ? 16 : 10) + d;
    if (cp > 0x10FFFF) return 0;
  }
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  AppendUtf8(cp, out);
  return semi + 1;
}

// Length of an HTML tag at s (s[0] == '<') that a feed sanitizer may have
// left in the text, else 0. Only common inline/block tag names count, and
// attributes only when they look like attributes (contain '='): otherwise
// maths such as "$a<b and c>d$" would lose text, which the Python tool's
// blanket "<[^<]+?>" regex did.
size_t HtmlTagLength(std::string_view s) {
  static constexpr std::array<std::string_view, 24> kTags = {
      "a",    "abbr", "b",   "big",    "br",     "code", "div", "em",
      "font", "i",    "li",  "ol",     "p",      "pre",  "s",   "small",
      "span", "sub",  "sup", "strike", "strong", "tt",   "u",   "ul"};
  size_t n = 1;
  if (n < s.size() && s[n] == '/') ++n;
  size_t name_start = n;
  while (n < s.size() && absl::ascii_isalpha(s[n])) ++n;
  std::string_view name = s.substr(name_start, n - name_start);
  bool known = false;
  for (std::string_view tag : kTags) {
    known = known || EqualsIgnoreCase(name, tag);
  }
  if (!known) return 0;
  if (n < s.size() && s[n] == '>') return n + 1;
  if (n + 1 < s.size() && s[n] == '/' && s[n + 1] == '>') return n + 2;
  if (n >= s.size() || !absl::ascii_isspace(s[n])) return 0;
  size_t close = s.find_first_of("<>", n);
  if (close == std::string_view::npos || s[close] != '>') return 0;
  std::string_view attrs = s.substr(n, close - n);
  bool blank = Trim(attrs).empty() || Trim(attrs) == "/";
  bool has_value = attrs.find('=') != std::string_view::npos;
  return (blank || has_value) ? close + 1 : 0;
}

// The "arXiv:ID vN Announce Type: T \nAbstract:" header of a description.
struct DescriptionParts {
  ArxivIdMatch id;
  std::string announce_type;
  std::string_view abstract;  // raw text after the header
};

DescriptionParts SplitDescription(std::string_view description) {
  DescriptionParts parts;
  std::string_view text = TrimLeft(description);
  if (!text.starts_with("arXiv:")) {
    parts.abstract = text;
    return parts;
  }
  size_t line_end = text.find('\n');
  std::string_view header = text.substr(0, line_end);
  parts.id = FindArxivId(header);
  constexpr std::string_view kType = "Announce Type:";
  if (size_t at = header.find(kType); at != std::string_view::npos) {
    std::string_view rest = TrimLeft(header.substr(at + kType.size()));
    size_t end = 0;
    while (end < rest.size() && !absl::ascii_isspace(rest[end])) ++end;
    parts.announce_type = std::string(rest.substr(0, end));
  }
  constexpr std::string_view kAbstract = "Abstract:";
  if (size_t at = text.find(kAbstract); at != std::string_view::npos) {
    parts.abstract = text.substr(at + kAbstract.size());
  } else if (line_end != std::string_view::npos) {
    parts.abstract = text.substr(line_end + 1);
  }
  return parts;
}

// Builds one Paper from an <item>; on failure returns the reason.
absl::StatusOr<Paper> ParseItem(const pugi::xml_node& item) {
  Paper paper;
  std::string description;
  std::string guid;
  std::string link;
  std::vector<std::string> creators;
  for (pugi::xml_node child : item.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = XmlLocalName(child);
    if (name == "title") {
      paper.title = CleanFeedText(XmlElementText(child));
    } else if (name == "description") {
      description = XmlElementText(child);
    } else if (name == "guid") {
      guid = XmlElementText(child);
    } else if (name == "link") {
      link = XmlElementText(child);
    } else if (name == "category") {
      std::string category(Trim(XmlElementText(child)));
      if (!category.empty()) paper.categories.push_back(std::move(category));
    } else if (name == "announce_type") {
      paper.announce_type = std::string(Trim(XmlElementText(child)));
    } else if (name == "creator") {
      creators.push_back(XmlElementText(child));
    }
  }

  DescriptionParts parts = SplitDescription(description);
  // The description header carries the version; the guid does too; the link
  // usually does not, so it comes last.
  ArxivIdMatch id = parts.id;
  if (id.id.empty()) id = FindArxivId(guid);
  if (id.id.empty()) id = FindArxivId(link);
  if (id.id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no arXiv id in description, guid or link (title: \"",
                     paper.title, "\")"));
  }
  paper.arxiv_id = id.id;
  paper.version = id.version > 0 ? id.version : 1;
  if (paper.title.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arXiv:", paper.arxiv_id, " has no title"));
  }
  if (paper.announce_type.empty()) paper.announce_type = parts.announce_type;
  paper.abstract = CleanFeedText(parts.abstract);
  for (const std::string& list : creators) {
    for (std::string& author : SplitAuthors(CleanFeedText(list))) {
      paper.authors.push_back(std::move(author));
    }
  }
  return paper;
}

// Name of the first element in text that pugixml could not parse, so an
// HTML error page (rarely well-formed XML) is reported as such.
std::string SniffRootName(std::string_view xml) {
  size_t pos = 0;
  while (pos < xml.size()) {
    pos = xml.find('<', pos);
    if (pos == std::string_view::npos || pos + 1 >= xml.size()) return "";
    char next = xml[pos + 1];
    if (next == '?' || next == '!') {  // declaration, doctype, comment
      ++pos;
      continue;
    }
    size_t end = pos + 1;
    while (end < xml.size() && !absl::ascii_isspace(xml[end]) &&
           xml[end] != '>' && xml[end] != '/') {
      ++end;
    }
    return std::string(xml.substr(pos + 1, end - pos - 1));
  }
  return "";
}

absl::Status UnsupportedRoot(std::string_view root) {
  if (root == "RDF" || root.ends_with(":RDF")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unsupported feed format: RDF/RSS 1.0 (root element <",
        std::string(root),
        ">); only RSS 2.0 as served by rss.arxiv.org is supported"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unsupported feed format: root element <", std::string(root), ">"));
}

}  // namespace

ArxivIdMatch FindArxivId(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    // An id starts at the beginning or after a separator, never inside a
    // longer token (e.g. the "2025" of a date in a URL query).
    if (i > 0 && (absl::ascii_isalnum(text[i - 1]) || text[i - 1] == '.' ||
                  text[i - 1] == '-')) {
      continue;
    }
    std::string_view rest = text.substr(i);
    size_t n = NewStyleLength(rest);
    if (n == 0) n = OldStyleLength(rest);
    if (n == 0) continue;
    // Reject "2504.036501" style overruns: the id must end at a boundary
    // or a version suffix.
    int version = VersionAt(rest.substr(n));
    if (version == 0 && n < rest.size() && absl::ascii_isalnum(rest[n])) {
      continue;
    }
    return ArxivIdMatch{std::string(rest.substr(0, n)), version};
  }
  return ArxivIdMatch{};
}

std::string CleanFeedText(std::string_view text) {
  std::string untagged;
  untagged.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '<') {
      if (size_t n = HtmlTagLength(text.substr(i)); n > 0) {
        i += n;
        continue;
      }
    }
    untagged += text[i++];
  }
  std::string out;
  out.reserve(untagged.size());
  for (size_t i = 0; i < untagged.size();) {
    char c = untagged[i];
    if (c == '&') {
      if (size_t n = DecodeEntity(std::string_view(untagged).substr(i), out);
          n > 0) {
        i += n;
        continue;
      }
    }
    out += (c == '\n' || c == '\r') ? ' ' : c;
    ++i;
  }
  return std::string(Trim(out));
}

std::vector<std::string> SplitAuthors(std::string_view creators) {
  std::vector<std::string> authors;
  for (std::string_view part : SplitOn(creators, ',')) {
    std::string_view name = Trim(part);
    if (!name.empty()) authors.emplace_back(name);
  }
  return authors;
}

std::string DateFromRfc822(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  std::string_view s = Trim(text);
  // Optional "Tue," weekday.
  if (size_t comma = s.find(','); comma != std::string_view::npos) {
    s = TrimLeft(s.substr(comma + 1));
  }
  std::vector<std::string_view> fields;
  for (std::string_view field : SplitOn(s, ' ')) {
    if (!field.empty()) fields.push_back(field);
  }
  if (fields.size() < 3) return "";
  std::string_view day = fields[0], month = fields[1], year = fields[2];
  if (day.empty() || day.size() > 2 || year.size() != 4) return "";
  for (char c : day) {
    if (!IsDigit(c)) return "";
  }
  for (char c : year) {
    if (!IsDigit(c)) return "";
  }
  int month_index = -1;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (EqualsIgnoreCase(month, kMonths[m])) {
      month_index = static_cast<int>(m);
    }
  }
  if (month_index < 0) return "";
  int d = day.size() == 1 ? day[0] - '0' : (day[0] - '0') * 10 + day[1] - '0';
  if (d < 1 || d > kDays[month_index]) return "";
  return absl::StrFormat("%s-%02d-%02d", std::string(year), month_index + 1, d);
}

namespace {

// Reads the <channel> header fields and items of a parsed document.
void ReadChannel(const pugi::xml_node& channel, Feed& feed) {
  feed.title = CleanFeedText(XmlElementText(channel.child("title")));
  feed.pub_date_raw =
      std::string(Trim(XmlElementText(channel.child("pubDate"))));
  feed.date = DateFromRfc822(feed.pub_date_raw);
  for (pugi::xml_node day : channel.child("skipDays").children("day")) {
    feed.skip_days.emplace_back(Trim(XmlElementText(day)));
  }
  SanitizeUtf8(feed.title);
  SanitizeUtf8(feed.pub_date_raw);
  for (std::string& day : feed.skip_days) SanitizeUtf8(day);
}

void AddItem(const pugi::xml_node& item, int index, Feed& feed) {
  absl::StatusOr<Paper> paper = ParseItem(item);
  if (paper.ok()) {
    feed.invalid_utf8 += SanitizePaperText(*paper);
    feed.items.push_back(*std::move(paper));
  } else {
    std::string message(paper.status().message());
    feed.invalid_utf8 += SanitizeUtf8(message);
    feed.item_errors.push_back(absl::StrCat("item ", index, ": ", message));
  }
}

// Start of the next "<item>" / "<item ...>" tag at or after `from`.
size_t FindItemStart(std::string_view xml, size_t from) {
  for (size_t at = xml.find("<item", from); at != std::string_view::npos;
       at = xml.find("<item", at + 1)) {
    size_t after = at + 5;
    if (after < xml.size() &&
        (xml[after] == '>' || absl::ascii_isspace(xml[after]))) {
      return at;
    }
  }
  return std::string_view::npos;
}

// A malformed RSS document, read the way a human would: the channel header
// before the first <item>, then each <item>...</item> as its own document.
// One broken item (or a transfer cut in the middle of one) then costs that
// item only. Returns false when not even the header can be read.
bool RecoverRssItems(std::string_view xml, Feed& feed) {
  size_t first = FindItemStart(xml, 0);
  std::string header(xml.substr(0, first));
  if (first == std::string_view::npos) {
    // No item at all: only a cut inside the header lands here; an empty
    // channel would have parsed. Nothing trustworthy to return.
    return false;
  }
  header += "</channel></rss>";
  pugi::xml_document head;
  if (!head.load_buffer(header.data(), header.size())) return false;
  pugi::xml_node channel = head.document_element().child("channel");
  if (std::string_view(head.document_element().name()) != "rss" || !channel) {
    return false;
  }
  ReadChannel(channel, feed);
  int index = 0;
  for (size_t at = first; at != std::string_view::npos;) {
    ++index;
    size_t close = xml.find("</item>", at);
    size_t next = FindItemStart(xml, at + 1);
    if (close == std::string_view::npos ||
        (next != std::string_view::npos && next < close)) {
      feed.item_errors.push_back(
          absl::StrCat("item ", index, ": no closing </item> (truncated)"));
      at = next;
      continue;
    }
    std::string_view chunk = xml.substr(at, close + 7 - at);
    pugi::xml_document doc;
    pugi::xml_parse_result result = doc.load_buffer(chunk.data(), chunk.size());
    if (result) {
      AddItem(doc.document_element(), index, feed);
    } else {
      feed.item_errors.push_back(absl::StrFormat(
          "item %d: malformed XML: %s at offset %d", index,
          result.description(), static_cast<int64_t>(at + result.offset)));
    }
    at = next;
  }
  return true;
}

}  // namespace

absl::StatusOr<Feed> ParseRssFeed(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result result = doc.load_buffer(xml.data(), xml.size());
  if (!result) {
    std::string root = SniffRootName(xml);
    std::string error = absl::StrFormat("malformed feed XML: %s at offset %d",
                                        result.description(), result.offset);
    if (EqualsIgnoreCase(root, "html")) {
      return absl::InvalidArgumentError(
          "unsupported feed format: root element <html>");
    }
    if (root == "rss") {
      Feed feed;
      if (RecoverRssItems(xml, feed) && !feed.items.empty()) {
        feed.xml_error = std::move(error);
        return feed;
      }
    }
    SanitizeUtf8(error);
    return absl::InvalidArgumentError(error);
  }
  pugi::xml_node root = doc.document_element();
  std::string_view root_name = root.name();
  if (root_name != "rss") {
    std::string name(root_name);
    SanitizeUtf8(name);
    return UnsupportedRoot(name);
  }
  pugi::xml_node channel = root.child("channel");
  if (!channel) {
    return absl::InvalidArgumentError(
        "unsupported feed format: <rss> without <channel>");
  }

  Feed feed;
  ReadChannel(channel, feed);
  int index = 0;
  for (pugi::xml_node item : channel.children("item")) {
    AddItem(item, ++index, feed);
  }
  return feed;
}

}  // namespace arxiv_digest
