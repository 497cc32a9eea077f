#include "services/scorer/adapters/redis_score_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

// KEYS = entries, ARGV[1] = TTL seconds, ARGV[i + 1] = value of KEYS[i].
// A script rather than N round trips; SET ... EX gives each entry its own
// expiry, refreshed only when that entry is written again.
constexpr char kStoreScript[] =
    "for i = 1, #KEYS do "
    "redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ARGV[1]) end "
    "return #KEYS";

// An LLM's score of the abstract, the only thing worth caching.
bool IsLlmVerdict(const Score& s) {
  return s.scored && !s.filtered && !s.prefiltered && !s.author_match;
}

}  // namespace

RedisScoreCache::RedisScoreCache(RedisClient& redis, const std::string& model,
                                 const std::string& prompt_fingerprint,
                                 std::chrono::seconds ttl)
    : redis_(redis),
      model_(model),
      fingerprint_(prompt_fingerprint),
      ttl_(std::max(ttl, std::chrono::seconds(1))) {}

std::string RedisScoreCache::KeyFor(const Paper& p) const {
  return keys::ScoreCacheEntry(model_, fingerprint_,
                               absl::StrCat(p.arxiv_id, "v", p.version));
}

std::map<std::string, Score> RedisScoreCache::Lookup(
    const std::vector<Paper>& papers) {
  std::map<std::string, Score> hits;
  if (papers.empty()) return hits;
  std::vector<std::string> args = {"MGET"};
  for (const Paper& p : papers) args.push_back(KeyFor(p));
  absl::StatusOr<RedisReply> r = redis_.Command(args);
  if (!r.ok()) {
    LogWarning("score cache lookup failed",
               {{"error", std::string(r.status().message())}});
    return hits;
  }
  for (size_t i = 0; i < r->elements.size() && i < papers.size(); ++i) {
    if (r->elements[i].IsNil()) continue;
    absl::StatusOr<Score> s = ScoreFromJson(r->elements[i].str);
    // Only LLM verdicts count as hits (see Store).
    if (s.ok() && s->arxiv_id == papers[i].arxiv_id && IsLlmVerdict(*s)) {
      hits[papers[i].arxiv_id] = *std::move(s);
    }
  }
  return hits;
}

void RedisScoreCache::Store(const std::vector<Paper>& papers,
                            const std::vector<Score>& scores) {
  const size_t n = std::min(papers.size(), scores.size());
  // A stage's decision (h-index or title drop, author match, pre-filter,
  // unscored) is not the LLM's score of the abstract: cached, it would
  // come back as one, and a filtered 0/0 could reach a digest.
  std::vector<size_t> kept;
  for (size_t i = 0; i < n; ++i) {
    if (IsLlmVerdict(scores[i])) kept.push_back(i);
  }
  if (kept.empty()) return;
  std::vector<std::string> args = {"EVAL", kStoreScript,
                                   std::to_string(kept.size())};
  for (size_t i : kept) args.push_back(KeyFor(papers[i]));
  args.push_back(std::to_string(ttl_.count()));
  for (size_t i : kept) {
    Score s = scores[i];
    s.cached = false;
    args.push_back(ScoreToJson(s));
  }
  if (absl::Status st = redis_.Command(args).status(); !st.ok()) {
    LogWarning("score cache store failed",
               {{"error", std::string(st.message())}});
  }
}

}  // namespace arxiv_digest
