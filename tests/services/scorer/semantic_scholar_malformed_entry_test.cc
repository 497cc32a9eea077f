// One malformed entry in a Semantic Scholar batch reply costs only that
// entry: it is treated as unknown, counted ("malformed") and not cached,
// while the other entries of the batch are used.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "lib/http_transport/httplib_client.h"
#include "services/scorer/adapters/semantic_scholar_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

using testing::S2Stub;

Paper P(const std::string& id) {
  Paper p;
  p.arxiv_id = id;
  return p;
}

class S2MalformedEntryTest : public testing::RedisTest {
 protected:
  bool Exists(const std::string& key) {
    auto r = redis_->Command({"EXISTS", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() && r->integer == 1;
  }
};

TEST_F(S2MalformedEntryTest, OnlyTheMalformedEntriesAreUnknown) {
  auto stub = S2Stub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  S2Stub& s2 = **stub;
  s2.AddPaper("2504.00001", {"11", "12"});
  s2.AddPaper("2504.00002", {"14"});
  s2.AddPaper("2504.00003", {"15"});
  // Paper 2's authors are not an array; author 12's hIndex is a string.
  s2.SetRawPaperEntry("2504.00002", R"({"paperId":"x","authors":"14"})");
  s2.AddAuthor("11", 5);
  s2.AddAuthor("12", 31);
  s2.SetRawAuthorEntry("12", R"({"authorId":"12","hIndex":"31"})");
  s2.AddAuthor("15", 44);

  std::vector<std::string> outcomes;
  SemanticScholarOptions o;
  o.base_url = s2.base_url();
  o.requests_per_second = 1000;
  HttplibClient http;
  FakeClock clock;
  SemanticScholarClient client(
      http, *redis_, o, clock,
      [&outcomes](const std::string& outcome) { outcomes.push_back(outcome); });
  auto found =
      client.LookupPapers({P("2504.00001"), P("2504.00002"), P("2504.00003")});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(s2.paper_requests(), 1);
  EXPECT_EQ(s2.author_requests(), 1);

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
  auto stub = S2Stub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  (*stub)->SetRawPaperEntry("2504.00001", "null,null");
  SemanticScholarOptions o;
  o.base_url = (*stub)->base_url();
  o.requests_per_second = 1000;
  HttplibClient http;
  FakeClock clock;
  SemanticScholarClient client(http, *redis_, o, clock);
  EXPECT_EQ(client.LookupPapers({P("2504.00001")}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Exists(S2PaperCacheKey("2504.00001")));
}

}  // namespace
}  // namespace arxiv_digest
