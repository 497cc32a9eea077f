// The Semantic Scholar source against the S2 stub (tests/support/s2_stub.h)
// and a real redis-server: batched lookups, the Redis cache, the shared
// request budget, Retry-After, garbage and an unreachable API.
#include "services/scorer/adapters/semantic_scholar_client.h"

#include <gtest/gtest.h>

#include "lib/http_transport/httplib_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

using testing::S2Stub;
using testing::S2StubFailure;

Paper P(const std::string& id) {
  Paper p;
  p.arxiv_id = id;
  return p;
}

class SemanticScholarClientTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    RedisTest::SetUp();
    if (HasFatalFailure()) return;
    auto stub = S2Stub::Start();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
    stub_->AddPaper("2504.00001", {"11", "12"});
    stub_->AddPaper("2504.00002", {"12", "13"});
    stub_->AddAuthor("11", 5);
    stub_->AddAuthor("12", 31);  // "13" unknown to S2
  }

  SemanticScholarOptions Options() {
    SemanticScholarOptions o;
    o.base_url = stub_->base_url();
    o.requests_per_second = 1000;  // the budget is its own test
    return o;
  }

  std::unique_ptr<S2Stub> stub_;
  HttplibClient http_;
  FakeClock clock_;
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

}  // namespace
}  // namespace arxiv_digest
