#include "services/fetcher/logic/backfill.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/core/ids.h"

namespace arxiv_digest {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string> SplitEntry(const std::string& entry) {
  std::vector<std::string> out;
  for (absl::string_view c : absl::StrSplit(entry, '+', absl::SkipEmpty())) {
    std::string category(absl::StripAsciiWhitespace(c));
    if (!category.empty()) out.push_back(std::move(category));
  }
  return out;
}

// Groups whose archives are their own OAI-PMH set; every other archive is a
// sub-set of "physics".
bool IsTopLevelArchive(const std::string& archive) {
  static const char* kTop[] = {"cs",    "econ",  "eess", "math",
                               "q-bio", "q-fin", "stat"};
  for (const char* t : kTop) {
    if (archive == t) return true;
  }
  return false;
}

// A real day (Date::Parse), with the message the fetcher has always
// printed.
absl::StatusOr<Date> FlagDate(const char* flag, const std::string& text) {
  absl::StatusOr<Date> day = Date::Parse(text, flag);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": '", text, "' is not a YYYY-MM-DD date"));
  }
  return day;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseIdList(const std::string& text) {
  std::vector<std::string> ids;
  for (absl::string_view raw : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    absl::string_view entry = absl::StripAsciiWhitespace(raw);
    if (entry.empty()) continue;
    // The whole entry must be the id (optionally with vN or "arXiv:").
    absl::string_view bare = entry;
    absl::ConsumePrefix(&bare, "arXiv:");
    absl::StatusOr<ArxivId> id =
        ArxivId::Parse(std::string_view(bare.data(), bare.size()), "--ids");
    if (!id.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--ids: '", entry, "' is not an arXiv id"));
    }
    if (!Contains(ids, id->str())) ids.push_back(id->str());
  }
  if (ids.empty()) return absl::InvalidArgumentError("--ids: no ids given");
  return ids;
}

absl::Status ValidateDateRange(const std::string& from,
                               const std::string& until) {
  absl::StatusOr<Date> first = FlagDate("--from", from);
  if (!first.ok()) return first.status();
  absl::StatusOr<Date> last = FlagDate("--until", until);
  if (!last.ok()) return last.status();
  if (*last < *first) {
    return absl::InvalidArgumentError(
        absl::StrCat("--until ", until, " is before --from ", from));
  }
  return absl::OkStatus();
}

std::string UrlEncode(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string AtomIdListUrl(const std::string& api_base,
                          const std::vector<std::string>& ids) {
  std::vector<std::string> encoded;
  encoded.reserve(ids.size());
  for (const std::string& id : ids) encoded.push_back(UrlEncode(id));
  return absl::StrCat(api_base, "?id_list=", absl::StrJoin(encoded, ","),
                      "&max_results=", ids.size());
}

std::string OaiListRecordsUrl(const std::string& oai_base,
                              const std::string& from, const std::string& until,
                              const std::string& set) {
  std::string url = absl::StrCat(
      oai_base, "?verb=ListRecords&metadataPrefix=arXiv&from=", UrlEncode(from),
      "&until=", UrlEncode(until));
  if (!set.empty()) absl::StrAppend(&url, "&set=", UrlEncode(set));
  return url;
}

std::string OaiResumeUrl(const std::string& oai_base,
                         const std::string& token) {
  return absl::StrCat(oai_base,
                      "?verb=ListRecords&resumptionToken=", UrlEncode(token));
}

std::vector<std::string> OaiSetsFor(const std::vector<std::string>& entries) {
  std::vector<std::string> sets;
  for (const std::string& entry : entries) {
    for (const std::string& category : SplitEntry(entry)) {
      std::string archive = category.substr(0, category.find('.'));
      std::string set =
          IsTopLevelArchive(archive) ? archive : "physics:" + archive;
      if (!Contains(sets, set)) sets.push_back(set);
    }
  }
  return sets;
}

HarvestSelection FeedsFromOaiRecords(const std::vector<OaiRecord>& records,
                                     const std::vector<std::string>& entries,
                                     const std::string& from,
                                     const std::string& until) {
  HarvestSelection out;
  std::vector<std::vector<std::string>> split;
  for (const std::string& entry : entries) {
    split.push_back(SplitEntry(entry));
    FetchedFeed feed;
    feed.category = entry;
    feed.feed.date = until;
    out.feeds.push_back(std::move(feed));
  }
  std::set<std::string> taken;
  for (const OaiRecord& record : records) {
    if (!taken.insert(record.paper.arxiv_id).second) continue;
    const std::vector<std::string>& cats = record.paper.categories;
    size_t match = split.size();
    for (size_t e = 0; e < split.size() && match == split.size(); ++e) {
      for (const std::string& c : cats) {
        if (Contains(split[e], c)) {
          match = e;
          break;
        }
      }
    }
    if (match == split.size()) {
      ++out.unmatched;
      continue;
    }
    Paper paper = record.paper;
    bool primary = !cats.empty() && Contains(split[match], cats.front());
    // Dates compare as strings in YYYY-MM-DD form. A record created after
    // `until` (clock skew between datestamp and created) still counts new.
    bool is_new = record.created.empty() || record.created >= from;
    paper.announce_type = is_new ? (primary ? "new" : "cross")
                                 : (primary ? "replace" : "replace-cross");
    out.feeds[match].feed.items.push_back(std::move(paper));
  }
  return out;
}

}  // namespace arxiv_digest
