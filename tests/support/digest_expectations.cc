#include "tests/support/digest_expectations.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "pugixml.hpp"
#include "rapidjson/document.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest::testing {

namespace {

// "oai:arXiv.org:2504.03998v1" -> "2504.03998".
std::string VersionlessId(absl::string_view raw) {
  absl::ConsumePrefix(&raw, "oai:arXiv.org:");
  absl::ConsumePrefix(&raw, "https://arxiv.org/abs/");
  absl::ConsumePrefix(&raw, "http://arxiv.org/abs/");
  const size_t v = raw.rfind('v');
  if (v != std::string_view::npos && v + 1 < raw.size() &&
      std::all_of(raw.begin() + v + 1, raw.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    raw = raw.substr(0, v);
  }
  return std::string(raw);
}

std::string Trimmed(const char* s) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(s)));
}

}  // namespace

// Minimal reading of the RSS, on purpose not the fetcher's parser: the
// announce type from <arxiv:announce_type> (or "Announce Type: X" in the
// description), the primary category = the first <category>, the id from
// <guid> (or <link>).
ExpectedRun ExpectedFromFeeds(const std::string& dir,
                              const std::vector<std::string>& feeds,
                              const std::set<std::string>& announce_types) {
  ExpectedRun run;
  std::set<std::string> seen;
  for (const std::string& feed : feeds) {
    const std::string path = absl::StrCat(dir, "/", feed, ".xml");
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
    EXPECT_TRUE(parsed) << path << ": " << parsed.description();
    const std::vector<std::string> cats = absl::StrSplit(feed, '+');
    for (pugi::xml_node item :
         doc.child("rss").child("channel").children("item")) {
      ++run.total_papers;
      std::string type = Trimmed(item.child_value("arxiv:announce_type"));
      if (type.empty()) {
        const std::string desc = item.child_value("description");
        const size_t at = desc.find("Announce Type: ");
        if (at != std::string::npos) {
          const size_t start = at + strlen("Announce Type: ");
          type = desc.substr(start, desc.find_first_of(" \n", start) - start);
        }
      }
      if (announce_types.count(type) == 0) continue;
      pugi::xml_node category = item.child("category");
      if (category &&
          std::find(cats.begin(), cats.end(),
                    Trimmed(category.child_value())) == cats.end()) {
        continue;  // force_primary: primary category not in this feed
      }
      ++run.scanned_papers;
      std::string guid = Trimmed(item.child_value("guid"));
      const std::string id = VersionlessId(
          guid.empty() ? Trimmed(item.child_value("link")) : guid);
      if (!seen.insert(id).second) continue;
      run.kept.push_back({id, feed, static_cast<int64_t>(run.kept.size())});
    }
  }
  return run;
}

std::set<std::string> KeptIds(const ExpectedRun& run) {
  std::set<std::string> ids;
  for (const KeptPaper& p : run.kept) ids.insert(p.id);
  return ids;
}

// The digest order: relevance+novelty desc, relevance desc, feed order.
std::vector<std::string> ExpectedDigestOrder(const ExpectedRun& run,
                                             int relevance_cutoff,
                                             int novelty_cutoff,
                                             std::string_view salt) {
  std::vector<std::tuple<int, int, int64_t, std::string>> keyed;
  for (const KeptPaper& p : run.kept) {
    const StubScore s = StubScoreFor(p.id, salt);
    if (s.relevance < relevance_cutoff || s.novelty < novelty_cutoff) continue;
    keyed.emplace_back(-(s.relevance + s.novelty), -s.relevance, p.position,
                       p.id);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> ids;
  for (const auto& k : keyed) ids.push_back(std::get<3>(k));
  return ids;
}

namespace {

std::optional<std::string> JsonString(const rapidjson::Value& o,
                                      const char* k) {
  auto m = o.FindMember(k);
  if (m == o.MemberEnd() || !m->value.IsString()) return std::nullopt;
  return std::string(m->value.GetString(), m->value.GetStringLength());
}
std::optional<int64_t> JsonInt(const rapidjson::Value& o, const char* k) {
  auto m = o.FindMember(k);
  if (m == o.MemberEnd() || !m->value.IsInt64()) return std::nullopt;
  return m->value.GetInt64();
}

}  // namespace

// The digest JSON: {id: {SCORE, ARXIVID, COMMENT, RELEVANCE, NOVELTY,
// authors, title, abstract, arxiv_id}} in digest order.
std::vector<DigestEntry> ParseDigestJson(const std::string& text) {
  std::vector<DigestEntry> out;
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    ADD_FAILURE() << "digest JSON is not a JSON object: "
                  << text.substr(0, 500);
    return out;
  }
  for (const auto& m : doc.GetObject()) {
    DigestEntry e;
    e.key.assign(m.name.GetString(), m.name.GetStringLength());
    // The fates member (every paper's fate, not a digest entry).
    if (e.key == "fates") continue;
    if (!m.value.IsObject()) {
      ADD_FAILURE() << "digest entry " << e.key << " is not an object";
      continue;
    }
    e.score = JsonInt(m.value, "SCORE");
    e.relevance = JsonInt(m.value, "RELEVANCE");
    e.novelty = JsonInt(m.value, "NOVELTY");
    e.arxivid = JsonString(m.value, "ARXIVID");
    e.arxiv_id = JsonString(m.value, "arxiv_id");
    e.comment = JsonString(m.value, "COMMENT");
    e.title = JsonString(m.value, "title");
    out.push_back(std::move(e));
  }
  return out;
}

// Ids of the "## N. [Title](https://arxiv.org/abs/ID) ..." headings, in order.
std::vector<std::string> MarkdownPaperOrder(const std::string& md) {
  static constexpr absl::string_view kLink = "](https://arxiv.org/abs/";
  std::vector<std::string> ids;
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    if (!absl::StartsWith(line, "## ")) continue;
    const size_t at = line.find(kLink);
    if (at == std::string_view::npos) continue;
    const size_t start = at + kLink.size();
    const size_t end = line.find(')', start);
    if (end == std::string_view::npos) continue;
    ids.emplace_back(line.substr(start, end - start));
  }
  return ids;
}

// The integer after "<label>: " on its own line, if any.
std::optional<int64_t> MarkdownCount(const std::string& md,
                                     std::string_view label) {
  const std::string prefix = absl::StrCat(std::string(label), ": ");
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    if (!absl::ConsumePrefix(&line, prefix)) continue;
    int64_t n;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &n)) {
      return n;
    }
  }
  return std::nullopt;
}

// A readable account of how `got` differs from `want` (gtest cuts long
// vectors): first differing position, ids missing, ids not expected.
std::string DescribeOrderDiff(const std::vector<std::string>& got,
                              const std::vector<std::string>& want) {
  if (got == want) return "identical";
  std::string out =
      absl::StrCat("got ", got.size(), " ids, want ", want.size(), ". ");
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const std::string g = i < got.size() ? got[i] : "(end)";
    const std::string w = i < want.size() ? want[i] : "(end)";
    if (g != w) {
      const StubScore gs = StubScoreFor(g), ws = StubScoreFor(w);
      absl::StrAppend(&out, "First difference at #", i + 1, ": got ", g, " (",
                      gs.relevance, "/", gs.novelty, "), want ", w, " (",
                      ws.relevance, "/", ws.novelty, "). ");
      break;
    }
  }
  const std::set<std::string> g(got.begin(), got.end());
  const std::set<std::string> w(want.begin(), want.end());
  std::vector<std::string> missing, extra;
  std::set_difference(w.begin(), w.end(), g.begin(), g.end(),
                      std::back_inserter(missing));
  std::set_difference(g.begin(), g.end(), w.begin(), w.end(),
                      std::back_inserter(extra));
  absl::StrAppend(&out, "Missing: [", absl::StrJoin(missing, ", "),
                  "]. Unexpected: [", absl::StrJoin(extra, ", "), "].");
  if (g.size() != got.size()) absl::StrAppend(&out, " Duplicates present.");
  return out;
}

}  // namespace arxiv_digest::testing
