#include "services/scorer/logic/semantic_scholar_protocol.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/json/json_util.h"

namespace arxiv_digest {
namespace {

// S2 replies are flat; anything deeper is garbage.
constexpr int kMaxDepth = 8;
// Far above any real h-index; a larger one is garbage.
constexpr int64_t kMaxHIndex = 100000;
// S2 author ids are short numbers. The bound and the character set keep an
// id usable as a Redis key part and inside the ","-joined cache value.
constexpr size_t kMaxAuthorIdLength = 64;

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

bool IsAuthorId(std::string_view id) {
  if (id.empty() || id.size() > kMaxAuthorIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// The author ids of one non-null paper entry, or why it is malformed. One
// bad author makes the whole entry malformed: using the others could
// understate the paper's best h-index and drop it.
absl::StatusOr<std::vector<std::string>> PaperEntryAuthors(
    const rapidjson::Value& entry) {
  if (!entry.IsObject()) return absl::InvalidArgumentError("not an object");
  auto authors = entry.FindMember("authors");
  if (authors == entry.MemberEnd()) {
    return absl::InvalidArgumentError("no authors");
  }
  if (!authors->value.IsArray()) {
    return absl::InvalidArgumentError("authors is not an array");
  }
  std::vector<std::string> ids;
  size_t i = 0;
  for (const rapidjson::Value& a : authors->value.GetArray()) {
    const size_t n = i++;
    if (!a.IsObject()) {
      return absl::InvalidArgumentError(
          absl::StrCat("author ", n, " is not an object"));
    }
    auto id = a.FindMember("authorId");
    if (id == a.MemberEnd()) {
      return absl::InvalidArgumentError(
          absl::StrCat("author ", n, " has no authorId"));
    }
    if (id->value.IsNull()) continue;  // S2 has no profile for this author
    if (!id->value.IsString()) {
      return absl::InvalidArgumentError(
          absl::StrCat("author ", n, ": authorId is not a string"));
    }
    std::string_view value(id->value.GetString(), id->value.GetStringLength());
    if (!IsAuthorId(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("author ", n, ": authorId is not an S2 id"));
    }
    ids.emplace_back(value);
  }
  return ids;
}

// The h-index of one non-null author entry (nullopt: S2 sent null), or why
// it is malformed.
absl::StatusOr<std::optional<int>> AuthorEntryHIndex(
    const rapidjson::Value& entry) {
  if (!entry.IsObject()) return absl::InvalidArgumentError("not an object");
  auto h = entry.FindMember("hIndex");
  if (h == entry.MemberEnd()) return absl::InvalidArgumentError("no hIndex");
  if (h->value.IsNull()) return std::optional<int>();
  if (!h->value.IsInt64()) {
    return absl::InvalidArgumentError("hIndex is not an integer");
  }
  const int64_t value = h->value.GetInt64();
  if (value < 0 || value > kMaxHIndex) {
    return absl::InvalidArgumentError(
        absl::StrCat("hIndex ", value, " is out of range"));
  }
  return std::optional<int>(static_cast<int>(value));
}

}  // namespace

std::string S2PaperBatchBody(const std::vector<std::string>& arxiv_ids) {
  return IdsBody(arxiv_ids, "ARXIV:");
}

std::string S2AuthorBatchBody(const std::vector<std::string>& author_ids) {
  return IdsBody(author_ids, "");
}

absl::StatusOr<S2PaperBatchReply> ParseS2PaperBatch(std::string_view body,
                                                    size_t expected) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseArray(body, expected, "paper batch");
  if (!doc.ok()) return doc.status();
  S2PaperBatchReply out;
  out.authors.reserve(expected);
  for (const rapidjson::Value& entry : doc->GetArray()) {
    if (entry.IsNull()) {
      out.authors.emplace_back(std::nullopt);
      continue;
    }
    absl::StatusOr<std::vector<std::string>> ids = PaperEntryAuthors(entry);
    if (!ids.ok()) {
      out.malformed.push_back(S2MalformedEntry{
          out.authors.size(), std::string(ids.status().message())});
      out.authors.emplace_back(std::nullopt);
      continue;
    }
    out.authors.emplace_back(*std::move(ids));
  }
  return out;
}

absl::StatusOr<S2AuthorBatchReply> ParseS2AuthorBatch(std::string_view body,
                                                      size_t expected) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseArray(body, expected, "author batch");
  if (!doc.ok()) return doc.status();
  S2AuthorBatchReply out;
  out.h_indices.reserve(expected);
  for (const rapidjson::Value& entry : doc->GetArray()) {
    if (entry.IsNull()) {
      out.h_indices.emplace_back(std::nullopt);
      continue;
    }
    absl::StatusOr<std::optional<int>> h = AuthorEntryHIndex(entry);
    if (!h.ok()) {
      out.malformed.push_back(S2MalformedEntry{
          out.h_indices.size(), std::string(h.status().message())});
      out.h_indices.emplace_back(std::nullopt);
      continue;
    }
    out.h_indices.push_back(*h);
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
