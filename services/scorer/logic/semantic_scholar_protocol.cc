#include "services/scorer/logic/semantic_scholar_protocol.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/json/json_util.h"

namespace arxiv_digest {
namespace {

// S2 replies are flat; anything deeper is garbage.
constexpr int kMaxDepth = 8;

std::string IdsBody(const std::vector<std::string>& ids,
                    std::string_view prefix) {
  std::vector<std::string> quoted;
  quoted.reserve(ids.size());
  for (const std::string& id : ids) {
    quoted.push_back(JsonQuote(
        absl::StrCat(absl::string_view(prefix.data(), prefix.size()), id)));
  }
  return absl::StrCat("{\"ids\":[", absl::StrJoin(quoted, ","), "]}");
}

absl::StatusOr<rapidjson::Document> ParseArray(std::string_view body,
                                               size_t expected,
                                               const char* what) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, kMaxDepth);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Semantic Scholar ", what, ": ", doc.status().message()));
  }
  if (!doc->IsArray() || doc->Size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("Semantic Scholar ", what,
                                                   ": expected an array of ",
                                                   expected, " entries"));
  }
  return doc;
}

}  // namespace

std::string S2PaperBatchBody(const std::vector<std::string>& arxiv_ids) {
  return IdsBody(arxiv_ids, "ARXIV:");
}

std::string S2AuthorBatchBody(const std::vector<std::string>& author_ids) {
  return IdsBody(author_ids, "");
}

absl::StatusOr<std::vector<std::optional<std::vector<std::string>>>>
ParseS2PaperBatch(std::string_view body, size_t expected) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseArray(body, expected, "paper batch");
  if (!doc.ok()) return doc.status();
  std::vector<std::optional<std::vector<std::string>>> out;
  out.reserve(expected);
  for (const rapidjson::Value& entry : doc->GetArray()) {
    if (entry.IsNull()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    if (!entry.IsObject()) {
      return absl::InvalidArgumentError(
          "Semantic Scholar paper batch: an entry is not an object");
    }
    auto authors = entry.FindMember("authors");
    if (authors == entry.MemberEnd() || !authors->value.IsArray()) {
      return absl::InvalidArgumentError(
          "Semantic Scholar paper batch: an entry has no authors array");
    }
    std::vector<std::string> ids;
    for (const rapidjson::Value& a : authors->value.GetArray()) {
      if (!a.IsObject()) continue;
      if (std::optional<std::string> id = GetString(a, "authorId");
          id && !id->empty()) {
        ids.push_back(*std::move(id));
      }
    }
    out.emplace_back(std::move(ids));
  }
  return out;
}

absl::StatusOr<std::vector<std::optional<int>>> ParseS2AuthorBatch(
    std::string_view body, size_t expected) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseArray(body, expected, "author batch");
  if (!doc.ok()) return doc.status();
  std::vector<std::optional<int>> out;
  out.reserve(expected);
  for (const rapidjson::Value& entry : doc->GetArray()) {
    if (entry.IsNull()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    if (!entry.IsObject()) {
      return absl::InvalidArgumentError(
          "Semantic Scholar author batch: an entry is not an object");
    }
    std::optional<int64_t> h = GetInt(entry, "hIndex");
    if (h && (*h < 0 || *h > 100000)) h.reset();
    out.emplace_back(h ? std::optional<int>(static_cast<int>(*h))
                       : std::nullopt);
  }
  return out;
}

std::string EncodeCachedAuthors(
    const std::optional<std::vector<std::string>>& authors) {
  return authors ? absl::StrCat("a:", absl::StrJoin(*authors, ",")) : "-";
}

std::optional<std::optional<std::vector<std::string>>> DecodeCachedAuthors(
    std::string_view value) {
  if (value == "-") return std::optional<std::vector<std::string>>();
  if (value.substr(0, 2) != "a:") return std::nullopt;
  value.remove_prefix(2);
  std::vector<std::string> ids;
  if (!value.empty()) {
    ids = absl::StrSplit(absl::string_view(value.data(), value.size()), ',');
  }
  return std::optional<std::vector<std::string>>(std::move(ids));
}

std::string EncodeCachedHIndex(const std::optional<int>& h_index) {
  return h_index ? absl::StrCat(*h_index) : "-";
}

std::optional<std::optional<int>> DecodeCachedHIndex(std::string_view value) {
  if (value == "-") return std::optional<int>();
  int h = 0;
  if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &h) ||
      h < 0) {
    return std::nullopt;
  }
  return std::optional<int>(h);
}

}  // namespace arxiv_digest
