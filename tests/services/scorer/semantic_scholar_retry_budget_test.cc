// The shared Semantic Scholar request budget (1 request/s across replicas,
// a token bucket in Redis) is taken before every attempt, retries
// included: 5xx retries of several replicas cannot exceed it. The S2 stub
// looks at the bucket in Redis when each request arrives.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "lib/http_transport/httplib_client.h"
#include "services/scorer/adapters/semantic_scholar_client.h"
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

class S2RetryBudgetTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    RedisTest::SetUp();
    if (HasFatalFailure()) return;
    auto stub = S2Stub::Start();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
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
    SemanticScholarOptions o;
    o.base_url = stub_->base_url();
    o.requests_per_second = 0;  // 1/s without a key, shared through Redis
    return o;
  }

  std::unique_ptr<S2Stub> stub_;
  std::unique_ptr<RedisClient> watcher_;
  std::mutex mu_;
  std::vector<bool> took_budget_;
  HttplibClient http_;
  FakeClock clock_;
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
