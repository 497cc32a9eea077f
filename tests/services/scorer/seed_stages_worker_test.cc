// One scorer replica with the seed tool's stages on, against a real
// redis-server, the S2 stub and the stub LLM's reply functions: h-index and
// title drops are recorded as fates before the scores, title calls appear
// as usage entries, and every paper gets exactly one score.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "absl/strings/str_cat.h"
#include "lib/contract/paper_fate.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "services/scorer/adapters/redis_scorer_ports.h"
#include "services/scorer/adapters/scorer_worker.h"
#include "services/scorer/logic/title_stage.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;

// The stub LLM's answers in process: title prompts get the deterministic
// drop list, abstract prompts the JSONL scores.
class StubLlm : public LlmClient {
 public:
  int title_calls = 0, abstract_calls = 0;
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    const auto ids = testing::ExtractPromptArxivIds(prompt);
    const bool title = testing::IsTitlePrompt(prompt);
    ++(title ? title_calls : abstract_calls);
    ChatCompletion c;
    c.content = title ? testing::StubTitleReplyContent(ids)
                      : testing::StubReplyContent(ids);
    const testing::StubUsage u = testing::StubUsageFor(prompt, c.content);
    c.usage = TokenUsage{u.prompt_tokens, u.completion_tokens, 0};
    return c;
  }
};

class SeedStagesWorkerTest : public testing::RedisTest {};

TEST_F(SeedStagesWorkerTest, HIndexAndTitleDropsAreRecordedAsFates) {
  auto s2 = testing::S2Stub::Start();
  ASSERT_TRUE(s2.ok()) << s2.status();
  const std::string run = "2025-04-22-0000abcd";
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    Paper p;
    p.arxiv_id = absl::StrCat("2504.", 10000 + i);
    p.title = absl::StrCat("Title ", i);
    p.authors = {"A"};
    p.abstract = "X";
    ids.push_back(p.arxiv_id);
    // Paper 0's best author has h-index 5: below h_cutoff 20.
    (*s2)->AddPaper(p.arxiv_id, {absl::StrCat("a", i)});
    (*s2)->AddAuthor(absl::StrCat("a", i), i == 0 ? 5 : 40);
    ASSERT_TRUE(redis_
                    ->XAdd(keys::PapersStream(),
                           contract::EncodePaperEntry({*RunId::Parse(run), p}))
                    .ok());
  }
  ASSERT_EQ(setenv("S2_API_URL", (*s2)->base_url().c_str(), 1), 0);
  std::map<std::string, Config> profiles;
  Config& config = profiles["default"];
  config.selection.run_title_filter = true;
  config.selection.title_batch_size = 8;
  config.selection.abstract_batch_size = 4;
  config.filtering.h_cutoff = 20;
  config.filtering.relevance_cutoff = 8;
  config.filtering.novelty_cutoff = 7;
  StubLlm llm;
  ScorerMetrics metrics(std::make_shared<prometheus::Registry>());
  ScorerWorkerOptions o;
  o.block = std::chrono::milliseconds(50);
  o.batch_fill = std::chrono::milliseconds(0);
  ScorerWorker worker(
      *redis_, profiles,
      [&llm](Config c) {
        auto ctx = std::make_unique<ScoringContext>();
        ctx->backend = std::make_unique<LlmScoringBackend>(
            c.prompts, "gpt-4o", 3, llm, true, c.selection.title_retry);
        ctx->config = std::move(c);
        return ctx;
      },
      metrics, o);
  ASSERT_TRUE(worker.Init().ok());
  absl::StatusOr<int> handled = worker.Step();
  unsetenv("S2_API_URL");
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 12);  // one read holds the whole run
  EXPECT_EQ((*s2)->paper_requests(), 1);
  EXPECT_EQ((*s2)->author_requests(), 1);

  auto fates = redis_->HGetAll(keys::RunFates(run));
  ASSERT_TRUE(fates.ok()) << fates.status();
  ASSERT_EQ(fates->size(), 12u);
  int title_dropped = 0;
  for (const std::string& id : ids) {
    auto f = contract::DecodePaperFate(fates->at(id));
    ASSERT_TRUE(f.ok()) << f.status();
    if (id == "2504.10000") {
      EXPECT_EQ(f->stage, stage::kHIndex);
      EXPECT_EQ(f->best_h_index, 5);
      continue;
    }
    EXPECT_EQ(f->best_h_index, 40);
    const bool stub_drops =
        testing::StubScoreFor(id).relevance < testing::kStubTitleDropBelow;
    EXPECT_EQ(f->stage, stub_drops ? stage::kTitle : stage::kAbstract) << id;
    if (stub_drops) ++title_dropped;
  }
  EXPECT_EQ(llm.title_calls, 2);  // 11 papers in batches of 8
  // Survivors packed into batches of 4.
  EXPECT_EQ(llm.abstract_calls, (11 - title_dropped + 3) / 4);

  int scores = 0, usage = 0;
  auto entries = redis_->Command({"XRANGE", keys::ScoresStream(), "-", "+"});
  ASSERT_TRUE(entries.ok());
  for (const RedisReply& e : entries->elements) {
    const RedisReply& fields = e.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      if (fields.elements[i].str != contract::stream_field::kType) continue;
      const std::string& type = fields.elements[i + 1].str;
      if (type == contract::score_entry_type::kScore) ++scores;
      if (type == contract::score_entry_type::kUsage) ++usage;
    }
  }
  EXPECT_EQ(scores, 12);
  EXPECT_EQ(usage, llm.title_calls + llm.abstract_calls);
}

}  // namespace
}  // namespace arxiv_digest
