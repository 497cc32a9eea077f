// The score cache in a real redis-server: keyed by paper version, prompt
// fingerprint and model; unscored results are never cached.
#include "services/scorer/adapters/redis_score_cache.h"

#include <gtest/gtest.h>

#include "lib/json/json_util.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

Paper P(const std::string& id, int version) {
  Paper p;
  p.arxiv_id = id;
  p.version = version;
  return p;
}

Score S(const std::string& id, int r) {
  Score s;
  s.arxiv_id = id;
  s.relevance = r;
  s.novelty = r;
  return s;
}

TEST(RedisScoreCacheTest, HitsOnlyForTheSameVersionPromptAndModel) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  RedisScoreCache cache(*redis, "gpt-4o", "fp1", std::chrono::hours(1));
  cache.Store({P("2504.00001", 1), P("2504.00002", 1)},
              {S("2504.00001", 9), S("2504.00002", 4)});

  auto hits = cache.Lookup(
      {P("2504.00001", 1), P("2504.00002", 2), P("2504.00003", 1)});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits.at("2504.00001").relevance, 9);

  RedisScoreCache other_prompt(*redis, "gpt-4o", "fp2", std::chrono::hours(1));
  EXPECT_TRUE(other_prompt.Lookup({P("2504.00001", 1)}).empty());
  RedisScoreCache other_model(*redis, "gpt-4o-mini", "fp1",
                              std::chrono::hours(1));
  EXPECT_TRUE(other_model.Lookup({P("2504.00001", 1)}).empty());

  auto ttl =
      redis->Command({"TTL", "arxiv:score-cache:gpt-4o:fp1:2504.00001v1"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 3500);
}

// Issue 12: writing the cache must not keep old entries alive.
TEST(RedisScoreCacheTest, EachEntryExpiresOnItsOwnWhileTheCacheIsWritten) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  RedisScoreCache cache(*redis, "m", "f", std::chrono::hours(1));
  cache.Store({P("2504.00001", 1)}, {S("2504.00001", 9)});
  const std::string old_key = "arxiv:score-cache:m:f:2504.00001v1";
  // As if written long ago: 5 s left.
  ASSERT_TRUE(redis->Command({"EXPIRE", old_key, "5"}).ok());
  cache.Store({P("2504.00002", 1), P("2504.00003", 2)},
              {S("2504.00002", 3), S("2504.00003", 4)});
  EXPECT_LE(redis->Command({"TTL", old_key})->integer, 5);
  EXPECT_GT(
      redis->Command({"TTL", "arxiv:score-cache:m:f:2504.00003v2"})->integer,
      3500);
  // Gone once its own TTL ran out, while the others stay readable.
  ASSERT_TRUE(redis->Command({"PEXPIRE", old_key, "0"}).ok());
  auto hits = cache.Lookup(
      {P("2504.00001", 1), P("2504.00002", 1), P("2504.00003", 2)});
  EXPECT_EQ(hits.size(), 2u);
  EXPECT_FALSE(hits.count("2504.00001"));
}

// The pre-issue-12 hash is not read (it only expires).
TEST(RedisScoreCacheTest, OldHashLayoutIsIgnored) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  ASSERT_TRUE(redis
                  ->HSet("arxiv:score-cache:m:f",
                         {{"2504.00001v1", ScoreToJson(S("2504.00001", 9))}})
                  .ok());
  RedisScoreCache cache(*redis, "m", "f", std::chrono::hours(1));
  EXPECT_TRUE(cache.Lookup({P("2504.00001", 1)}).empty());
}

TEST(RedisScoreCacheTest, CorruptEntriesAndDeadRedisAreMisses) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  ASSERT_TRUE(redis->Set("arxiv:score-cache:m:f:2504.00001v1", "{broken").ok());
  RedisScoreCache cache(*redis, "m", "f", std::chrono::hours(1));
  EXPECT_TRUE(cache.Lookup({P("2504.00001", 1)}).empty());
  (*server)->Kill();
  EXPECT_TRUE(cache.Lookup({P("2504.00001", 1)}).empty());
  cache.Store({P("2504.00001", 1)}, {S("2504.00001", 5)});  // must not crash
}

// Only the LLM's scores of abstracts are cached: a stage's decision (an
// h-index or title drop's filtered 0/0, an author match, a pre-filtered or
// unscored paper) must never come back as an LLM score.
TEST(RedisScoreCacheTest, StageDecisionsAreNeverCachedAsLlmScores) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  RedisScoreCache cache(*redis, "m", "f", std::chrono::hours(1));
  Score filtered = S("2504.00002", 0);
  filtered.filtered = true;
  Score author = S("2504.00003", 0);
  author.author_match = true;
  Score prefiltered = S("2504.00004", 1);
  prefiltered.scored = false;
  prefiltered.prefiltered = true;
  Score unscored = S("2504.00005", 0);
  unscored.scored = false;
  const std::vector<Paper> papers = {P("2504.00001", 1), P("2504.00002", 1),
                                     P("2504.00003", 1), P("2504.00004", 1),
                                     P("2504.00005", 1)};
  cache.Store(papers,
              {S("2504.00001", 9), filtered, author, prefiltered, unscored});
  std::map<std::string, Score> hits = cache.Lookup(papers);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits.begin()->first, "2504.00001");
  // A filtered entry already in Redis (another writer) is a miss too.
  ASSERT_TRUE(
      redis->Set("arxiv:score-cache:m:f:2504.00002v1", ScoreToJson(filtered))
          .ok());
  EXPECT_TRUE(cache.Lookup({P("2504.00002", 1)}).empty());
}

}  // namespace
}  // namespace arxiv_digest
