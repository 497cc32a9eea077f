// How long Semantic Scholar answers stay in Redis (README: 7 days, unknowns
// 1 day): S2 learns of new arXiv papers and authors within days, so
// "unknown" is asked again sooner than a known answer.
#include <gtest/gtest.h>

#include "lib/http_transport/httplib_client.h"
#include "services/scorer/adapters/semantic_scholar_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

using testing::S2Stub;

constexpr int64_t kDay = 24 * 3600;

Paper P(const std::string& id) {
  Paper p;
  p.arxiv_id = id;
  return p;
}

class S2CacheTtlTest : public testing::RedisTest {
 protected:
  // The key's remaining TTL in seconds (-2 absent, -1 no TTL).
  int64_t Ttl(const std::string& key) {
    auto r = redis_->Command({"TTL", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer : -3;
  }
};

TEST_F(S2CacheTtlTest, KnownAnswersLastSevenDaysUnknownsOneDay) {
  auto stub = S2Stub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  (*stub)->AddPaper("2504.00001", {"11", "13"});
  (*stub)->AddAuthor("11", 5);  // "13" unknown to S2; 2504.00003 too
  SemanticScholarOptions o;     // the default TTLs
  o.base_url = (*stub)->base_url();
  o.requests_per_second = 1000;
  HttplibClient http;
  FakeClock clock;
  SemanticScholarClient client(http, *redis_, o, clock);
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

}  // namespace
}  // namespace arxiv_digest
