#include "services/scorer/adapters/redis_score_cache.h"

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

std::string FieldFor(const Paper& p) {
  return absl::StrCat(p.arxiv_id, "v", p.version);
}

}  // namespace

RedisScoreCache::RedisScoreCache(RedisClient& redis, const std::string& model,
                                 const std::string& prompt_fingerprint,
                                 std::chrono::seconds ttl)
    : redis_(redis),
      key_(keys::ScoreCache(model, prompt_fingerprint)),
      ttl_(ttl) {}

std::map<std::string, Score> RedisScoreCache::Lookup(
    const std::vector<Paper>& papers) {
  std::map<std::string, Score> hits;
  if (papers.empty()) return hits;
  std::vector<std::string> args = {"HMGET", key_};
  for (const Paper& p : papers) args.push_back(FieldFor(p));
  absl::StatusOr<RedisReply> r = redis_.Command(args);
  if (!r.ok()) {
    LogWarning("score cache lookup failed",
               {{"error", std::string(r.status().message())}});
    return hits;
  }
  for (size_t i = 0; i < r->elements.size() && i < papers.size(); ++i) {
    if (r->elements[i].IsNil()) continue;
    absl::StatusOr<Score> s = ScoreFromJson(r->elements[i].str);
    if (s.ok() && s->arxiv_id == papers[i].arxiv_id && s->scored) {
      hits[papers[i].arxiv_id] = *std::move(s);
    }
  }
  return hits;
}

void RedisScoreCache::Store(const std::vector<Paper>& papers,
                            const std::vector<Score>& scores) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (size_t i = 0; i < papers.size() && i < scores.size(); ++i) {
    Score s = scores[i];
    s.cached = false;
    fields.emplace_back(FieldFor(papers[i]), ScoreToJson(s));
  }
  if (fields.empty()) return;
  absl::Status st = redis_.HSet(key_, fields);
  if (st.ok()) {
    st =
        redis_.Command({"EXPIRE", key_, std::to_string(ttl_.count())}).status();
  }
  if (!st.ok()) {
    LogWarning("score cache store failed",
               {{"error", std::string(st.message())}});
  }
}

}  // namespace arxiv_digest
