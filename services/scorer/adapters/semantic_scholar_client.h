// The h-index stage's Semantic Scholar source (logic/semantic_scholar.h) on
// the Graph API's batch endpoints: one paper-batch request for the papers
// of a read that are not cached, one author-batch request for their
// uncached authors. Every replica shares one request budget (a Redis token
// bucket: 1 request/s without a key), taken before every attempt, retries
// included; 429 waits for Retry-After, and answers are cached in Redis, so
// a day only pays for new papers and authors. A malformed entry in a reply
// is logged, counted ("malformed") and taken as unknown, not cached.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/logic/semantic_scholar.h"
#include "services/scorer/logic/semantic_scholar_protocol.h"

namespace arxiv_digest {

struct SemanticScholarOptions {
  std::string base_url = "https://api.semanticscholar.org";  // S2_API_URL
  std::string api_key;  // S2_API_KEY; sent as x-api-key when set
  // Shared by all replicas; 0 = 1/s without a key, 10/s with one.
  double requests_per_second = 0;
  std::chrono::hours cache_ttl{24 * 7};
  // S2 learns of new arXiv papers within days: "unknown" is kept shorter.
  std::chrono::hours unknown_ttl{24};
  int max_attempts = 4;
  // A longer Retry-After skips the stage for this read instead of
  // blocking a scorer slot.
  std::chrono::milliseconds max_retry_after{60000};
  // After a failed lookup S2 is not asked again for this long (the stages
  // are skipped at once), so an outage or a machine without network does
  // not cost every read the retries.
  std::chrono::milliseconds failure_cooldown{600000};
};

// The Redis keys: a paper's cached author ids, an author's cached h-index
// (README: arxiv:s2:paper:<id>, arxiv:s2:author:<id>) and the request
// budget every replica shares.
std::string S2PaperCacheKey(const std::string& arxiv_id);
std::string S2AuthorCacheKey(const std::string& author_id);
std::string S2RequestBudgetKey();

// From the environment: S2_API_URL, S2_API_KEY.
SemanticScholarOptions SemanticScholarOptionsFromEnv();

class SemanticScholarClient : public SemanticScholarSource {
 public:
  // on_request(outcome), for metrics: per request "ok", "error" (HTTP or
  // transport) or "garbage" (unusable reply), per paper "cache_hit", per
  // malformed entry of a usable reply "malformed".
  SemanticScholarClient(
      HttpClient& http, RedisClient& redis, SemanticScholarOptions options,
      Clock& clock = SystemClock(),
      std::function<void(const std::string&)> on_request = {});

  absl::StatusOr<std::map<std::string, S2Paper>> LookupPapers(
      const std::vector<Paper>& papers) override;

 private:
  absl::StatusOr<std::map<std::string, S2Paper>> Lookup(
      const std::vector<Paper>& papers);
  absl::StatusOr<std::string> Post(const std::string& path,
                                   const std::string& body);
  // Takes one request from the shared budget, waiting (bounded) for it.
  absl::Status WaitForBudget();
  // Logs and reports each malformed entry of a reply to a request for
  // `ids`; returns their indices and reasons.
  std::map<size_t, std::string> Malformed(
      const std::vector<S2MalformedEntry>& malformed,
      const std::vector<std::string>& ids, const char* kind);
  // MGET of keys; missing entries are nullopt.
  absl::StatusOr<std::vector<std::optional<std::string>>> CacheGet(
      const std::vector<std::string>& keys);
  void CachePut(const std::string& key, const std::string& value,
                std::chrono::hours ttl);
  void Report(const std::string& outcome) {
    if (on_request_) on_request_(outcome);
  }

  HttpClient& http_;
  RedisClient& redis_;
  SemanticScholarOptions options_;
  Clock& clock_;
  std::function<void(const std::string&)> on_request_;
  std::optional<std::chrono::steady_clock::time_point> cooldown_until_;
};

}  // namespace arxiv_digest
