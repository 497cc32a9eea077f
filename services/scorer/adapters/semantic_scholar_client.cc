#include "services/scorer/adapters/semantic_scholar_client.h"

#include <algorithm>
#include <cstddef>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/http/retry_policy.h"
#include "lib/http/retrying_http_client.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "lib/redis/rate_limiter.h"
#include "services/scorer/logic/semantic_scholar_protocol.h"

namespace arxiv_digest {
namespace {

std::string EnvOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::move(fallback);
}

template <typename T>
std::vector<std::vector<T>> Chunks(const std::vector<T>& items, size_t size) {
  std::vector<std::vector<T>> out;
  for (size_t i = 0; i < items.size(); i += size) {
    const auto first = static_cast<std::ptrdiff_t>(i);
    const auto last =
        static_cast<std::ptrdiff_t>(std::min(items.size(), i + size));
    out.emplace_back(items.begin() + first, items.begin() + last);
  }
  return out;
}

// One attempt through the shared request budget. RetryingHttpClient sends
// every attempt, retries included, through this, so a 5xx retry is spaced
// like a first request across all replicas (the fetcher's GatedHttpClient
// does the same for arXiv).
class BudgetedHttpClient : public HttpClient {
 public:
  BudgetedHttpClient(HttpClient& inner,
                     std::function<absl::Status()> take_budget)
      : inner_(inner), take_budget_(std::move(take_budget)) {}

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    // The budget wait is bounded already: another attempt would only wait
    // it again, so the call ends here (the stage is skipped).
    if (absl::Status s = take_budget_(); !s.ok()) {
      return NotRetryable(std::move(s));
    }
    return inner_.Send(request);
  }

 private:
  HttpClient& inner_;
  std::function<absl::Status()> take_budget_;
};

}  // namespace

std::string S2PaperCacheKey(const std::string& arxiv_id) {
  return keys::Prefix() + "s2:paper:" + arxiv_id;
}
std::string S2AuthorCacheKey(const std::string& author_id) {
  return keys::Prefix() + "s2:author:" + author_id;
}
std::string S2RequestBudgetKey() {
  return keys::Prefix() + "s2-limit:requests";
}

SemanticScholarOptions SemanticScholarOptionsFromEnv() {
  SemanticScholarOptions o;
  o.base_url = EnvOr("S2_API_URL", o.base_url);
  o.api_key = EnvOr("S2_API_KEY", "");
  return o;
}

SemanticScholarClient::SemanticScholarClient(
    HttpClient& http, RedisClient& redis, SemanticScholarOptions options,
    Clock& clock, std::function<void(const std::string&)> on_request)
    : http_(http),
      redis_(redis),
      options_(std::move(options)),
      clock_(clock),
      on_request_(std::move(on_request)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') {
    options_.base_url.pop_back();
  }
}

absl::Status SemanticScholarClient::WaitForBudget() {
  const double rps = options_.requests_per_second > 0
                         ? options_.requests_per_second
                         : (options_.api_key.empty() ? 1.0 : 10.0);
  RedisTokenBucket bucket(
      redis_, S2RequestBudgetKey(), 1.0,
      std::chrono::milliseconds(static_cast<int64_t>(1000.0 / rps)));
  // Bounded: a budget that never frees up skips the stage, never hangs.
  for (int i = 0; i < 120; ++i) {
    absl::StatusOr<std::chrono::milliseconds> wait = bucket.TryAcquire(1);
    if (!wait.ok()) return wait.status();
    if (wait->count() <= 0) return absl::OkStatus();
    clock_.SleepFor(*wait);
  }
  return absl::ResourceExhaustedError(
      "Semantic Scholar request budget stayed exhausted");
}

absl::StatusOr<std::string> SemanticScholarClient::Post(
    const std::string& path, const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.url = options_.base_url + path;
  request.content_type = "application/json";
  request.body = body;
  if (!options_.api_key.empty()) {
    request.headers.emplace_back("x-api-key", options_.api_key);
  }
  RetryPolicy policy;
  policy.max_attempts = options_.max_attempts;
  policy.base_backoff = std::chrono::milliseconds(1000);
  policy.max_backoff = std::chrono::milliseconds(8000);
  policy.max_retry_after = options_.max_retry_after;
  policy.jitter = 0.5;
  BudgetedHttpClient budgeted(http_, [this] { return WaitForBudget(); });
  RetryingHttpClient retrying(budgeted, policy, clock_);
  absl::StatusOr<HttpResponse> response = retrying.Send(request);
  if (!response.ok()) {
    Report("error");
    return response.status();
  }
  if (response->status != 200) {
    Report("error");
    return absl::UnavailableError(absl::StrCat(
        "Semantic Scholar answered HTTP ", response->status, " for ", path));
  }
  return std::move(response->body);
}

absl::StatusOr<std::vector<std::optional<std::string>>>
SemanticScholarClient::CacheGet(const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> out(keys.size());
  if (keys.empty()) return out;
  std::vector<std::string> args = {"MGET"};
  args.insert(args.end(), keys.begin(), keys.end());
  absl::StatusOr<RedisReply> reply = redis_.Command(args);
  if (!reply.ok()) return reply.status();
  for (size_t i = 0; i < keys.size() && i < reply->elements.size(); ++i) {
    if (!reply->elements[i].IsNil()) out[i] = reply->elements[i].str;
  }
  return out;
}

void SemanticScholarClient::CachePut(const std::string& key,
                                     const std::string& value,
                                     std::chrono::hours ttl) {
  // A failed write only costs a lookup next time.
  (void)redis_.Command(
      {"SET", key, value, "EX",
       std::to_string(
           std::chrono::duration_cast<std::chrono::seconds>(ttl).count())});
}

std::map<size_t, std::string> SemanticScholarClient::Malformed(
    const std::vector<S2MalformedEntry>& malformed,
    const std::vector<std::string>& ids, const char* kind) {
  std::map<size_t, std::string> indices;
  for (const S2MalformedEntry& m : malformed) {
    if (m.index >= ids.size()) continue;
    indices.emplace(m.index, m.reason);
    Report("malformed");
    LogWarning("Semantic Scholar entry malformed; taken as unknown",
               {{kind, ids[m.index]}, {"reason", m.reason}});
  }
  return indices;
}

absl::StatusOr<std::map<std::string, S2Paper>>
SemanticScholarClient::LookupPapers(const std::vector<Paper>& papers) {
  if (cooldown_until_ && clock_.Monotonic() < *cooldown_until_) {
    return absl::UnavailableError(
        "Semantic Scholar failed recently; not asked again yet");
  }
  absl::StatusOr<std::map<std::string, S2Paper>> found = Lookup(papers);
  if (found.ok()) {
    cooldown_until_.reset();
  } else if (found.status().code() != absl::StatusCode::kResourceExhausted) {
    cooldown_until_ = clock_.Monotonic() + options_.failure_cooldown;
  }
  return found;
}

absl::StatusOr<std::map<std::string, S2Paper>> SemanticScholarClient::Lookup(
    const std::vector<Paper>& papers) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const Paper& p : papers) {
    if (seen.insert(p.arxiv_id).second) ids.push_back(p.arxiv_id);
  }
  // 1. Each paper's author ids: cache, then one paper-batch request.
  std::map<std::string, std::optional<std::vector<std::string>>> authors_of;
  // arxiv id / author id -> why its entry was unusable (for the fates).
  std::map<std::string, std::string> malformed_paper, malformed_author;
  std::vector<std::string> paper_keys;
  paper_keys.reserve(ids.size());
  for (const std::string& id : ids) paper_keys.push_back(S2PaperCacheKey(id));
  absl::StatusOr<std::vector<std::optional<std::string>>> cached =
      CacheGet(paper_keys);
  if (!cached.ok()) return cached.status();
  std::vector<std::string> missing;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::optional<std::optional<std::vector<std::string>>> hit;
    if ((*cached)[i]) hit = DecodeCachedAuthors(*(*cached)[i]);
    if (hit) {
      authors_of[ids[i]] = *std::move(hit);
      Report("cache_hit");
    } else {
      missing.push_back(ids[i]);
    }
  }
  for (const std::vector<std::string>& chunk :
       Chunks(missing, kS2MaxPaperBatch)) {
    absl::StatusOr<std::string> body =
        Post(kS2PaperBatchPath, S2PaperBatchBody(chunk));
    if (!body.ok()) return body.status();
    absl::StatusOr<S2PaperBatchReply> parsed =
        ParseS2PaperBatch(*body, chunk.size());
    if (!parsed.ok()) {
      Report("garbage");
      return parsed.status();
    }
    Report("ok");
    const std::map<size_t, std::string> bad =
        Malformed(parsed->malformed, chunk, "paper");
    for (size_t i = 0; i < chunk.size(); ++i) {
      const std::optional<std::vector<std::string>>& authors =
          parsed->authors[i];
      // Garbage is not remembered as "unknown": the next read asks again.
      if (auto b = bad.find(i); b != bad.end()) {
        malformed_paper[chunk[i]] = b->second;
      } else {
        CachePut(S2PaperCacheKey(chunk[i]), EncodeCachedAuthors(authors),
                 authors ? options_.cache_ttl : options_.unknown_ttl);
      }
      authors_of[chunk[i]] = authors;
    }
  }
  // 2. Every author's h-index: cache, then one author-batch request.
  std::vector<std::string> author_ids;
  std::set<std::string> seen_authors;
  for (const auto& [id, authors] : authors_of) {
    if (!authors) continue;
    for (const std::string& a : *authors) {
      if (seen_authors.insert(a).second) author_ids.push_back(a);
    }
  }
  std::map<std::string, std::optional<int>> h_of;
  std::vector<std::string> author_keys;
  author_keys.reserve(author_ids.size());
  for (const std::string& a : author_ids)
    author_keys.push_back(S2AuthorCacheKey(a));
  cached = CacheGet(author_keys);
  if (!cached.ok()) return cached.status();
  std::vector<std::string> missing_authors;
  for (size_t i = 0; i < author_ids.size(); ++i) {
    std::optional<std::optional<int>> hit;
    if ((*cached)[i]) hit = DecodeCachedHIndex(*(*cached)[i]);
    if (hit) {
      h_of[author_ids[i]] = *hit;
    } else {
      missing_authors.push_back(author_ids[i]);
    }
  }
  for (const std::vector<std::string>& chunk :
       Chunks(missing_authors, kS2MaxAuthorBatch)) {
    absl::StatusOr<std::string> body =
        Post(kS2AuthorBatchPath, S2AuthorBatchBody(chunk));
    if (!body.ok()) return body.status();
    absl::StatusOr<S2AuthorBatchReply> parsed =
        ParseS2AuthorBatch(*body, chunk.size());
    if (!parsed.ok()) {
      Report("garbage");
      return parsed.status();
    }
    Report("ok");
    const std::map<size_t, std::string> bad =
        Malformed(parsed->malformed, chunk, "author");
    for (size_t i = 0; i < chunk.size(); ++i) {
      const std::optional<int>& h = parsed->h_indices[i];
      if (auto b = bad.find(i); b != bad.end()) {
        malformed_author[chunk[i]] = b->second;
      } else {
        CachePut(S2AuthorCacheKey(chunk[i]), EncodeCachedHIndex(h),
                 h ? options_.cache_ttl : options_.unknown_ttl);
      }
      h_of[chunk[i]] = h;
    }
  }
  std::map<std::string, S2Paper> out;
  for (const auto& [id, authors] : authors_of) {
    if (auto bad = malformed_paper.find(id); bad != malformed_paper.end()) {
      S2Paper& p = out[id];
      p.usable = false;
      p.notes.push_back(absl::StrCat("Semantic Scholar entry unreadable (",
                                     bad->second, ")"));
      continue;
    }
    if (!authors) continue;  // unknown to S2: absent
    S2Paper& p = out[id];
    for (const std::string& a : *authors) {
      p.authors.push_back(S2Author{a, h_of[a]});
      if (auto bad = malformed_author.find(a); bad != malformed_author.end()) {
        p.notes.push_back(absl::StrCat("Semantic Scholar author ", a,
                                       " unreadable (", bad->second,
                                       "): no h-index"));
      }
    }
  }
  return out;
}

}  // namespace arxiv_digest
