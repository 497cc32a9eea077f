// A scorer replica whose h-index stage cannot reach Semantic Scholar (or
// gets a garbage reply) skips the stage for the read: every paper is still
// scored, none is dropped by h-index, and the skip is counted in
// arxiv_scorer_s2_stage_skipped_total on the worker's registry.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "lib/contract/paper_fate.h"
#include "lib/contract/stream_entries.h"
#include "lib/redis/keys.h"
#include "services/scorer/adapters/scorer_worker.h"
#include "tests/support/fake_clock.h"
#include "tests/support/metric_samples.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

class StubLlm : public LlmClient {
 public:
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    ChatCompletion c;
    c.content =
        testing::StubReplyContent(testing::ExtractPromptArxivIds(prompt));
    c.usage = TokenUsage{100, 10, 0};
    return c;
  }
};

class S2StageSkippedMetricTest : public testing::RedisTest {
 protected:
  // Runs one read of 4 papers with h_cutoff 20 against S2 at `s2_url`.
  void RunOneRead(const std::string& s2_url) {
    for (int i = 0; i < 4; ++i) {
      Paper p;
      p.arxiv_id = absl::StrCat("2504.", 20000 + i);
      p.title = absl::StrCat("Title ", i);
      p.authors = {"A"};
      p.abstract = "X";
      ids_.push_back(p.arxiv_id);
      ASSERT_TRUE(
          redis_
              ->XAdd(keys::PapersStream(),
                     contract::EncodePaperEntry({*RunId::Parse(kRun), p}))
              .ok());
    }
    ASSERT_EQ(setenv("S2_API_URL", s2_url.c_str(), 1), 0);
    std::map<std::string, Config> profiles;
    Config& config = profiles["default"];
    config.selection.abstract_batch_size = 4;
    config.filtering.h_cutoff = 20;
    ScorerWorkerOptions o;
    o.block = std::chrono::milliseconds(50);
    o.batch_fill = std::chrono::milliseconds(0);
    // Retry waits pass on the fake clock.
    ScorerWorker worker(
        *redis_, profiles,
        [this](Config c) {
          auto ctx = std::make_unique<ScoringContext>();
          ctx->backend = std::make_unique<LlmScoringBackend>(
              c.prompts, "gpt-4o", 3, llm_, true, c.selection.title_retry);
          ctx->config = std::move(c);
          return ctx;
        },
        metrics_, o, clock_);
    ASSERT_TRUE(worker.Init().ok());
    absl::StatusOr<int> handled = worker.Step();
    unsetenv("S2_API_URL");
    ASSERT_TRUE(handled.ok()) << handled.status();
    EXPECT_EQ(*handled, 4);
  }

  // `outcome`: how the S2 request was counted.
  void ExpectSkippedAndNothingLost(const std::string& outcome) {
    EXPECT_EQ(testing::MetricSample(*metrics_.registry,
                                    "arxiv_scorer_s2_stage_skipped_total", {}),
              1.0);
    EXPECT_EQ(testing::MetricSample(*metrics_.registry,
                                    "arxiv_scorer_s2_requests_total",
                                    {{"outcome", outcome}}),
              1.0);
    auto fates = redis_->HGetAll(keys::RunFates(kRun));
    ASSERT_TRUE(fates.ok()) << fates.status();
    ASSERT_EQ(fates->size(), 4u);
    for (const std::string& id : ids_) {
      auto f = contract::DecodePaperFate(fates->at(id));
      ASSERT_TRUE(f.ok()) << f.status();
      EXPECT_NE(f->stage, contract::fate_stage::kHIndex) << id;
      EXPECT_EQ(f->stage, contract::fate_stage::kAbstract) << id;
    }
  }

  static constexpr char kRun[] = "2025-04-22-0000abce";
  std::vector<std::string> ids_;
  StubLlm llm_;
  FakeClock clock_;
  ScorerMetrics metrics_{std::make_shared<prometheus::Registry>()};
};

TEST_F(S2StageSkippedMetricTest, UnreachableS2SkipsTheStageAndIsCounted) {
  // Nothing listens on port 1.
  RunOneRead("http://127.0.0.1:1");
  if (HasFatalFailure()) return;
  ExpectSkippedAndNothingLost("error");
}

TEST_F(S2StageSkippedMetricTest, GarbageReplySkipsTheStageAndIsCounted) {
  auto stub = testing::S2Stub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  (*stub)->PushFailure(testing::S2StubFailure::kGarbage);
  RunOneRead((*stub)->base_url());
  if (HasFatalFailure()) return;
  EXPECT_EQ((*stub)->paper_requests(), 1);
  ExpectSkippedAndNothingLost("garbage");
}

}  // namespace
}  // namespace arxiv_digest
