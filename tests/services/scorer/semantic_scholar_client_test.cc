// The Semantic Scholar source against the S2 stub (tests/support/s2_stub.h)
// and a real redis-server: batched lookups, the Redis cache and how long it
// keeps answers, one malformed entry in a batch reply, the shared request
// budget (retries included), Retry-After, garbage and an unreachable API.
#include "services/scorer/adapters/semantic_scholar_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lib/http_transport/httplib_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

using testing::S2Stub;
using testing::S2StubFailure;

constexpr int64_t kDay = 24 * 3600;

Paper P(const std::string& id) {
  Paper p;
  p.arxiv_id = id;
  return p;
}

// A started S2 stub without papers (each suite adds its own), options
// pointing at it and the Redis helpers the cache assertions need.
class S2ClientTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    RedisTest::SetUp();
    if (HasFatalFailure()) return;
    auto stub = S2Stub::Start();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
  }

  // The default TTLs and retries; the budget is its own test.
  SemanticScholarOptions Options() {
    SemanticScholarOptions o;
    o.base_url = stub_->base_url();
    o.requests_per_second = 1000;
    return o;
  }

  // The key's remaining TTL in seconds (-2 absent, -1 no TTL).
  int64_t Ttl(const std::string& key) {
    auto r = redis_->Command({"TTL", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer : -3;
  }

  bool Exists(const std::string& key) {
    auto r = redis_->Command({"EXISTS", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && r->integer == 1;
  }

  std::unique_ptr<S2Stub> stub_;
  HttplibClient http_;
  FakeClock clock_;
};

// ---- Lookups, the cache, Retry-After, garbage and outages.

class SemanticScholarClientTest : public S2ClientTest {
 protected:
  void SetUp() override {
    S2ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stub_->AddPaper("2504.00001", {"11", "12"});
    stub_->AddPaper("2504.00002", {"12", "13"});
    stub_->AddAuthor("11", 5);
    stub_->AddAuthor("12", 31);  // "13" unknown to S2
  }
};

TEST_F(SemanticScholarClientTest, BatchesLookupsAndCachesThem) {
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  auto found =
      client.LookupPapers({P("2504.00001"), P("2504.00002"), P("2504.00003")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(stub_->paper_requests(), 1);
  EXPECT_EQ(stub_->author_requests(), 1);
  ASSERT_EQ(found->size(), 2u);  // 2504.00003 is unknown to S2
  EXPECT_EQ(BestHIndex(found->at("2504.00001")), 31);
  const S2Paper& second = found->at("2504.00002");
  ASSERT_EQ(second.authors.size(), 2u);
  EXPECT_EQ(second.authors[1].author_id, "13");
  EXPECT_FALSE(second.authors[1].h_index.has_value());
  EXPECT_TRUE(stub_->last_api_key().empty());

  // A second replica (same Redis) pays nothing for the same papers.
  SemanticScholarClient other(http_, *redis_, Options(), clock_);
  auto again = other.LookupPapers({P("2504.00001"), P("2504.00003")});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->size(), 1u);
  EXPECT_EQ(stub_->paper_requests(), 1);
  EXPECT_EQ(stub_->author_requests(), 1);
}

TEST_F(SemanticScholarClientTest, SendsTheApiKeyHeader) {
  SemanticScholarOptions o = Options();
  o.api_key = "s2-secret";
  SemanticScholarClient client(http_, *redis_, o, clock_);
  ASSERT_TRUE(client.LookupPapers({P("2504.00001")}).ok());
  EXPECT_EQ(stub_->last_api_key(), "s2-secret");
}

TEST_F(SemanticScholarClientTest, WaitsForRetryAfterOn429) {
  stub_->PushFailure(S2StubFailure::kRateLimited);
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  auto found = client.LookupPapers({P("2504.00001")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(stub_->paper_requests(), 2);
  EXPECT_GE(clock_.total_slept(), std::chrono::milliseconds(1000));
}

TEST_F(SemanticScholarClientTest, GarbageAndOutagesAreErrorsNotCached) {
  stub_->PushFailure(S2StubFailure::kGarbage);
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  EXPECT_FALSE(client.LookupPapers({P("2504.00001")}).ok());
  EXPECT_EQ(stub_->paper_requests(), 1);
  // Within the cool-down S2 is not asked at all.
  EXPECT_EQ(client.LookupPapers({P("2504.00001")}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(stub_->paper_requests(), 1);
  // Nothing cached from the failure: after it, the next read asks again.
  clock_.Advance(std::chrono::minutes(11));
  auto found = client.LookupPapers({P("2504.00001")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->size(), 1u);

  SemanticScholarOptions down = Options();
  down.base_url = "http://127.0.0.1:1";
  down.max_attempts = 1;
  SemanticScholarClient unreachable(http_, *redis_, down, clock_);
  EXPECT_FALSE(unreachable.LookupPapers({P("2504.00009")}).ok());
}

// 1 request/s across every client on the same Redis: a lookup needs a
// paper and an author request, so the second waits for the budget. On the
// fake clock no real time passes, so it keeps waiting and then gives up
// (the stage is skipped) instead of exceeding the budget.
TEST_F(SemanticScholarClientTest, RequestBudgetIsSharedThroughRedis) {
  SemanticScholarOptions o = Options();
  o.requests_per_second = 0;  // 1/s without a key
  SemanticScholarClient client(http_, *redis_, o, clock_);
  absl::StatusOr<std::map<std::string, S2Paper>> r =
      client.LookupPapers({P("2504.00001")});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(stub_->paper_requests(), 1);
  EXPECT_EQ(stub_->author_requests(), 0);
  ASSERT_FALSE(clock_.sleeps().empty());
  EXPECT_GE(clock_.sleeps().front(), std::chrono::milliseconds(500));
  EXPECT_LE(clock_.sleeps().front(), std::chrono::milliseconds(1000));
  // Another replica on the same Redis is held back the same way.
  SemanticScholarClient other(http_, *redis_, o, clock_);
  EXPECT_FALSE(other.LookupPapers({P("2504.00002")}).ok());
  EXPECT_EQ(stub_->paper_requests(), 1);
}

// ---- How long answers stay in Redis (README: 7 days, unknowns 1 day): S2
// learns of new arXiv papers and authors within days, so "unknown" is
// asked again sooner than a known answer.

using S2CacheTtlTest = S2ClientTest;

TEST_F(S2CacheTtlTest, KnownAnswersLastSevenDaysUnknownsOneDay) {
  stub_->AddPaper("2504.00001", {"11", "13"});
  stub_->AddAuthor("11", 5);  // "13" unknown to S2; 2504.00003 too
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  ASSERT_TRUE(client.LookupPapers({P("2504.00001"), P("2504.00003")}).ok());

  // A few seconds of slack for a slow machine between SET and TTL.
  auto expect_ttl = [&](const std::string& key, int64_t want) {
    const int64_t ttl = Ttl(key);
    EXPECT_LE(ttl, want) << key;
    EXPECT_GE(ttl, want - 5) << key;
  };
  expect_ttl(S2PaperCacheKey("2504.00001"), 7 * kDay);
  expect_ttl(S2PaperCacheKey("2504.00003"), kDay);
  expect_ttl(S2AuthorCacheKey("11"), 7 * kDay);
  expect_ttl(S2AuthorCacheKey("13"), kDay);
}

// ---- One malformed entry in a batch reply costs only that entry: it is
// treated as unknown, counted ("malformed") and not cached, while the
// other entries of the batch are used.

using S2MalformedEntryTest = S2ClientTest;

TEST_F(S2MalformedEntryTest, OnlyTheMalformedEntriesAreUnknown) {
  stub_->AddPaper("2504.00001", {"11", "12"});
  stub_->AddPaper("2504.00002", {"14"});
  stub_->AddPaper("2504.00003", {"15"});
  // Paper 2's authors are not an array; author 12's hIndex is a string.
  stub_->SetRawPaperEntry("2504.00002", R"({"paperId":"x","authors":"14"})");
  stub_->AddAuthor("11", 5);
  stub_->AddAuthor("12", 31);
  stub_->SetRawAuthorEntry("12", R"({"authorId":"12","hIndex":"31"})");
  stub_->AddAuthor("15", 44);

  std::vector<std::string> outcomes;
  SemanticScholarClient client(
      http_, *redis_, Options(), clock_,
      [&outcomes](const std::string& outcome) { outcomes.push_back(outcome); });
  auto found =
      client.LookupPapers({P("2504.00001"), P("2504.00002"), P("2504.00003")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(stub_->paper_requests(), 1);
  EXPECT_EQ(stub_->author_requests(), 1);

  // Paper 2 is unusable (its stages are skipped) and says why; the rest of
  // the batch is used, author 12 without an h-index, which paper 1's notes
  // say.
  ASSERT_EQ(found->count("2504.00002"), 1u);
  const S2Paper& second = found->at("2504.00002");
  EXPECT_FALSE(second.usable);
  EXPECT_TRUE(second.authors.empty());
  ASSERT_EQ(second.notes.size(), 1u);
  EXPECT_NE(second.notes[0].find("Semantic Scholar entry unreadable"),
            std::string::npos)
      << second.notes[0];
  ASSERT_EQ(found->count("2504.00003"), 1u);
  EXPECT_TRUE(found->at("2504.00003").notes.empty());
  EXPECT_EQ(BestHIndex(found->at("2504.00003")), 44);
  ASSERT_EQ(found->count("2504.00001"), 1u);
  const S2Paper& first = found->at("2504.00001");
  ASSERT_EQ(first.authors.size(), 2u);
  EXPECT_EQ(first.authors[0].h_index, 5);
  EXPECT_EQ(first.authors[1].author_id, "12");
  EXPECT_FALSE(first.authors[1].h_index.has_value());
  ASSERT_EQ(first.notes.size(), 1u);
  EXPECT_NE(first.notes[0].find("Semantic Scholar author 12 unreadable"),
            std::string::npos)
      << first.notes[0];
  EXPECT_NE(first.notes[0].find("no h-index"), std::string::npos);

  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "malformed"), 2);
  // Garbage is not remembered as "unknown": the next read asks again.
  EXPECT_TRUE(Exists(S2PaperCacheKey("2504.00001")));
  EXPECT_TRUE(Exists(S2AuthorCacheKey("11")));
  EXPECT_FALSE(Exists(S2PaperCacheKey("2504.00002")));
  EXPECT_FALSE(Exists(S2AuthorCacheKey("12")));
}

// A reply that is not an array of the right length still fails the batch
// (and the stages are skipped for the whole read).
TEST_F(S2MalformedEntryTest, AWrongLengthReplyStillFailsTheBatch) {
  stub_->SetRawPaperEntry("2504.00001", "null,null");
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  EXPECT_EQ(client.LookupPapers({P("2504.00001")}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Exists(S2PaperCacheKey("2504.00001")));
}

// ---- The shared request budget (1 request/s across replicas, a token
// bucket in Redis) is taken before every attempt, retries included: 5xx
// retries of several replicas cannot exceed it. The S2 stub looks at the
// bucket in Redis when each request arrives.

class S2RetryBudgetTest : public S2ClientTest {
 protected:
  void SetUp() override {
    S2ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stub_->AddPaper("2504.00001", {"11"});
    stub_->AddAuthor("11", 40);
    // The stub's thread gets its own connection.
    auto watcher = RedisClient::Connect(server_->url());
    ASSERT_TRUE(watcher.ok()) << watcher.status();
    watcher_ = *std::move(watcher);
  }

  // Records, for every request that reaches the stub, whether the budget
  // was taken just before it (the bucket exists in Redis). With `free`,
  // the bucket is then removed, as if a second had passed, so the next
  // attempt finds the budget free and need not wait.
  void WatchBudget(bool free) {
    stub_->set_on_request([this, free](const std::string&) {
      auto exists = watcher_->Command({"EXISTS", S2RequestBudgetKey()});
      std::lock_guard<std::mutex> lock(mu_);
      took_budget_.push_back(exists.ok() && exists->integer == 1);
      if (free) (void)watcher_->Command({"DEL", S2RequestBudgetKey()});
    });
  }

  std::vector<bool> took_budget() {
    std::lock_guard<std::mutex> lock(mu_);
    return took_budget_;
  }

  SemanticScholarOptions Options() {
    SemanticScholarOptions o = S2ClientTest::Options();
    o.requests_per_second = 0;  // 1/s without a key, shared through Redis
    return o;
  }

  std::unique_ptr<RedisClient> watcher_;
  std::mutex mu_;
  std::vector<bool> took_budget_;
};

TEST_F(S2RetryBudgetTest, EveryRetryOfA503TakesTheBudget) {
  stub_->PushFailure(S2StubFailure::kUnavailable);
  stub_->PushFailure(S2StubFailure::kUnavailable);
  WatchBudget(/*free=*/true);
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  auto found = client.LookupPapers({P("2504.00001")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(BestHIndex(found->at("2504.00001")), 40);
  EXPECT_EQ(stub_->paper_requests(), 3);  // 503, 503, 200
  EXPECT_EQ(stub_->author_requests(), 1);
  EXPECT_EQ(took_budget(), std::vector<bool>({true, true, true, true}));
  EXPECT_EQ(clock_.sleeps().size(), 2u);  // the two backoffs
}

TEST_F(S2RetryBudgetTest, RetryAfterA429IsWaitedForAndTakesTheBudget) {
  stub_->PushFailure(S2StubFailure::kRateLimited);  // Retry-After: 1
  WatchBudget(/*free=*/true);
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  auto found = client.LookupPapers({P("2504.00001")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(took_budget(), std::vector<bool>({true, true, true}));
  ASSERT_EQ(clock_.sleeps().size(), 1u);
  EXPECT_EQ(clock_.sleeps()[0], std::chrono::milliseconds(1000));
}

// The first attempt used the second's budget and no real time passes on
// the fake clock: the retry of the 503 waits for the budget (and in the
// end gives up, so the stage is skipped) instead of being sent.
TEST_F(S2RetryBudgetTest, RetryIsNotSentWhileTheBudgetIsUsed) {
  stub_->PushFailure(S2StubFailure::kUnavailable);
  WatchBudget(/*free=*/false);
  SemanticScholarClient client(http_, *redis_, Options(), clock_);
  auto found = client.LookupPapers({P("2504.00001")});
  EXPECT_EQ(found.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(stub_->paper_requests(), 1);
  EXPECT_EQ(stub_->author_requests(), 0);
  // After the backoff, the budget waits (each at most the 1 s period).
  ASSERT_GT(clock_.sleeps().size(), 2u);
  for (size_t i = 1; i < clock_.sleeps().size(); ++i) {
    EXPECT_LE(clock_.sleeps()[i], std::chrono::milliseconds(1000)) << i;
  }
}

}  // namespace
}  // namespace arxiv_digest
