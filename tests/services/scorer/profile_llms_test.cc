// Each run is scored with its own profile's model and provider options:
// the slot's LLM clients per call setup (scorer_slots.h ProfileLlms), the
// contexts built from them, and the profile settings that cannot differ.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/scorer_slots.h"
#include "services/scorer/adapters/scoring_context.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

// Answers every prompt with nothing; remembers its options and prompts.
class RecordingLlm : public LlmClient {
 public:
  explicit RecordingLlm(OpenAiClientOptions o) : options(std::move(o)) {}
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    prompts.push_back(prompt);
    ChatCompletion c;
    c.content = "[]";
    return c;
  }
  OpenAiClientOptions options;
  std::vector<std::string> prompts;
};

class ProfileLlmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::RedisServer>> s =
        testing::RedisServer::Start({});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    absl::StatusOr<std::unique_ptr<RedisClient>> c =
        RedisClient::Connect(server_->url());
    ASSERT_TRUE(c.ok()) << c.status();
    redis_ = *std::move(c);
  }
  LlmClientFactory Factory() {
    return [this](const OpenAiClientOptions& o, const SelectionConfig&) {
      auto llm = std::make_unique<RecordingLlm>(o);
      made_.push_back(llm.get());
      return llm;
    };
  }
  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::vector<RecordingLlm*> made_;
};

Config Mini() {
  Config c;
  c.selection.model = "gpt-4o-mini";
  c.selection.abstract_batch_size = 2;
  c.selection.max_tokens = 700;
  c.selection.json_mode = true;
  c.selection.send_temperature = false;
  c.selection.limit_per_minute = 100;
  return c;
}

TEST_F(ProfileLlmsTest, EachProfileCallsItsOwnModelWithItsOwnOptions) {
  ProfileLlms llms(*redis_, Factory());
  Config reader;  // gpt-4o, the defaults
  Config mini = Mini();
  LlmClient& a = llms.For(reader);
  LlmClient& b = llms.For(mini);
  EXPECT_NE(&a, &b);
  EXPECT_EQ(&llms.For(reader), &a);  // one client per setup
  Config mini_other_topics = mini;
  mini_other_topics.prompts.topics = "other interests";
  EXPECT_EQ(&llms.For(mini_other_topics), &b);
  ASSERT_EQ(made_.size(), 2u);
  EXPECT_EQ(made_[0]->options.request.model, "gpt-4o");
  EXPECT_EQ(made_[1]->options.request.model, "gpt-4o-mini");
  EXPECT_EQ(made_[1]->options.request.max_tokens, 700);
  EXPECT_TRUE(made_[1]->options.request.json_mode);
  EXPECT_FALSE(made_[1]->options.request.send_temperature);

  // The call goes to that profile's client, through gpt-4o-mini's own
  // shared request bucket (keys::LlmLimit(model)).
  ASSERT_TRUE(b.Complete("hello").ok());
  EXPECT_EQ(made_[1]->prompts.size(), 1u);
  EXPECT_TRUE(made_[0]->prompts.empty());
  absl::StatusOr<RedisReply> exists =
      redis_->Command({"EXISTS", keys::LlmLimit("gpt-4o-mini") + ":requests"});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 1);
  exists = redis_->Command({"EXISTS", keys::LlmLimit("gpt-4o") + ":requests"});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 0);
}

TEST_F(ProfileLlmsTest, ContextNamesTheModelItsClientCalls) {
  ProfileLlms llms(*redis_, Factory());
  Config mini = Mini();
  mini.selection.score_cache_ttl_days = 0;
  std::unique_ptr<ScoringContext> context =
      MakeContext(false, &llms.For(mini), *redis_, mini);
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->backend->model(), "gpt-4o-mini");
  EXPECT_EQ(context->config.selection.abstract_batch_size, 2);
  Paper p;
  p.arxiv_id = "2504.00001";
  p.title = "A title";
  p.abstract = "An abstract";
  ASSERT_TRUE(context->backend->ScoreBatch({p}).ok());
  ASSERT_EQ(made_.size(), 1u);
  EXPECT_EQ(made_[0]->options.request.model, "gpt-4o-mini");
  EXPECT_FALSE(made_[0]->prompts.empty());
}

TEST(CheckProfileLlmSettingsTest, SameModelMustShareItsLimits) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Config();
  profiles["mini"] = Mini();
  EXPECT_TRUE(CheckProfileLlmSettings(profiles).ok());
  Config mini2 = Mini();
  mini2.selection.abstract_batch_size = 7;  // free to differ
  profiles["mini2"] = mini2;
  EXPECT_TRUE(CheckProfileLlmSettings(profiles).ok());
  profiles["mini2"].selection.tokens_per_minute = 5000;
  absl::Status s = CheckProfileLlmSettings(profiles);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("profile 'mini2'"), std::string::npos) << s;
  EXPECT_NE(s.message().find("tokens_per_minute"), std::string::npos) << s;
  EXPECT_NE(s.message().find("'mini'"), std::string::npos) << s;
}

// A read splits into whole batches of every profile: the least common
// multiple of their read sizes, or the largest past the cap.
TEST_F(ProfileLlmsTest, ReadsHoldWholeBatchesOfEveryProfile) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Config();  // abstract batches of 5
  ScoringContexts only_default(*redis_, profiles, {});
  EXPECT_EQ(only_default.read_batch(), 5);
  Config big;
  big.selection.abstract_batch_size = 12;
  profiles["big"] = big;
  ScoringContexts with_big(*redis_, profiles, {});
  EXPECT_EQ(with_big.read_batch(), 60);  // 5 and 12 both divide it
  Config odd;
  odd.selection.abstract_batch_size = 7;
  profiles["odd"] = odd;
  ScoringContexts past_cap(*redis_, profiles, {});
  EXPECT_EQ(past_cap.read_batch(), 12);  // 420 > 256: the largest
}

}  // namespace
}  // namespace arxiv_digest
