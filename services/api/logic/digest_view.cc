#include "services/api/logic/digest_view.h"

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "services/publisher/logic/paper_fates.h"

namespace arxiv_digest::api {

absl::StatusOr<size_t> ChooseVersion(const std::vector<VersionMeta>& versions,
                                     int requested, const std::string& profile,
                                     const std::string& date) {
  if (versions.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no digest for profile '", profile, "' on ", date));
  }
  if (requested == 0) return versions.size() - 1;
  for (size_t i = versions.size(); i-- > 0;) {
    if (versions[i].version == requested) return i;
  }
  return absl::NotFoundError(absl::StrCat(
      "version ", requested, " of the ", date, " digest of profile '", profile,
      "' does not exist (latest is ", versions.back().version, ")"));
}

DayNeighbours FindDayNeighbours(const std::vector<std::string>& dates,
                                const std::string& date) {
  DayNeighbours out;
  for (const std::string& d : dates) {
    if (d < date && (out.previous.empty() || d > out.previous)) {
      out.previous = d;
    }
    if (d > date && (out.next.empty() || d < out.next)) out.next = d;
  }
  return out;
}

absl::StatusOr<std::vector<DigestPaperView>> ParseDigestPapers(
    std::string_view json) {
  // The publisher wrote it, but Redis is shared: parse as untrusted.
  absl::StatusOr<rapidjson::Document> doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError("digest JSON is not an object");
  }
  std::vector<DigestPaperView> papers;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    // The run's paper fates (paper_fates.h), not a paper.
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) ==
        kFatesMember) {
      continue;
    }
    const rapidjson::Value& v = it->value;
    if (!v.IsObject()) continue;
    std::optional<std::string> title = GetString(v, "title");
    if (!title) continue;
    DigestPaperView p;
    p.arxiv_id = GetString(v, "arxiv_id")
                     .value_or(std::string(it->name.GetString(),
                                           it->name.GetStringLength()));
    p.title = *std::move(title);
    p.authors =
        GetStringArray(v, "authors").value_or(std::vector<std::string>{});
    p.abstract = GetString(v, "abstract").value_or("");
    p.comment = GetString(v, "COMMENT").value_or("");
    std::optional<int64_t> relevance = GetInt(v, "RELEVANCE");
    std::optional<int64_t> novelty = GetInt(v, "NOVELTY");
    p.author_match = !relevance && !novelty;
    p.relevance = static_cast<int>(relevance.value_or(0));
    p.novelty = static_cast<int>(novelty.value_or(0));
    papers.push_back(std::move(p));
  }
  return papers;
}

}  // namespace arxiv_digest::api
