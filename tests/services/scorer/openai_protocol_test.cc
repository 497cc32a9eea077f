#include "services/scorer/logic/openai_protocol.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace arxiv_digest {
namespace {

using ::testing::HasSubstr;

TEST(OpenAiProtocolTest, RequestLikeThePythonTool) {
  ChatRequestOptions options;
  options.model = "gpt-4o";
  const std::string body =
      BuildChatCompletionRequest(options, "Line \"one\"\nArXiv ID: 2504.1 é");
  EXPECT_EQ(
      body,
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"Line \"one\"\nArXiv ID: 2504.1 é"}],"temperature":0.0,"seed":0})");
}

TEST(OpenAiProtocolTest, RequestOptions) {
  ChatRequestOptions options;
  options.model = "o3-mini";
  options.send_temperature = false;
  options.max_tokens = 4096;
  options.json_mode = true;
  const std::string body = BuildChatCompletionRequest(options, "p");
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << body;
  EXPECT_FALSE(doc.HasMember("temperature"));
  ASSERT_TRUE(doc.HasMember("max_tokens"));
  EXPECT_EQ(doc["max_tokens"].GetInt(), 4096);
  ASSERT_TRUE(doc.HasMember("response_format"));
  EXPECT_STREQ(doc["response_format"]["type"].GetString(), "json_object");
  EXPECT_EQ(doc["seed"].GetInt(), 0);
}

// Shape of a real api.openai.com response (gpt-4o, 2025).
constexpr char kOpenAiResponse[] = R"({
  "id": "chatcmpl-BPnA9dmMn6cXWv8bJpW7m3fQ9sEIq",
  "object": "chat.completion",
  "created": 1745300000,
  "model": "gpt-4o-2024-08-06",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "```jsonl\n{\"ARXIVID\": \"2504.14960\", \"COMMENT\": \"x\", \"RELEVANCE\": 9, \"NOVELTY\": 7}\n```",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 5310,
    "completion_tokens": 412,
    "total_tokens": 5722,
    "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_f5bdcc3276"
})";

TEST(OpenAiProtocolTest, ParsesRealShapedResponseWithCachedTokens) {
  absl::StatusOr<ChatCompletion> c =
      ParseChatCompletionResponse(kOpenAiResponse);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->content, HasSubstr("\"ARXIVID\": \"2504.14960\""));
  EXPECT_EQ(c->model, "gpt-4o-2024-08-06");
  EXPECT_EQ(c->finish_reason, "stop");
  EXPECT_EQ(c->usage, (TokenUsage{5310, 412, 1920}));
}

TEST(OpenAiProtocolTest, CachedTokensAreOptional) {
  // Compatible servers (vLLM, llama.cpp, Ollama) send no details or null.
  for (const char* details : {"", R"(, "prompt_tokens_details": null)",
                              R"(, "prompt_tokens_details": {})"}) {
    const std::string body =
        std::string(
            R"({"model": "local", "choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "length"}], "usage": {"prompt_tokens": 10, "completion_tokens": 2)") +
        details + "}}";
    absl::StatusOr<ChatCompletion> c = ParseChatCompletionResponse(body);
    ASSERT_TRUE(c.ok()) << c.status() << " " << body;
    EXPECT_EQ(c->content, "hi");
    EXPECT_EQ(c->finish_reason, "length");
    EXPECT_EQ(c->usage, (TokenUsage{10, 2, 0}));
  }
}

// DeepSeek reports its prompt cache at the top of usage (hit + miss =
// prompt tokens), not in prompt_tokens_details.
TEST(OpenAiProtocolTest, DeepSeekCacheHitTokensAreCachedTokens) {
  absl::StatusOr<ChatCompletion> c = ParseChatCompletionResponse(
      R"({"model": "deepseek-chat", "choices": [{"message": {"role": )"
      R"("assistant", "content": "ok"}, "finish_reason": "stop"}], "usage": )"
      R"({"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": )"
      R"(1050, "prompt_cache_hit_tokens": 768, "prompt_cache_miss_tokens": )"
      R"(232}})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->usage, (TokenUsage{1000, 50, 768}));
}

TEST(OpenAiProtocolTest, CachedTokensNeverExceedPromptTokens) {
  absl::StatusOr<ChatCompletion> c = ParseChatCompletionResponse(
      R"({"choices": [{"message": {"content": "ok"}}], "usage": )"
      R"({"prompt_tokens": 10, "completion_tokens": 1, )"
      R"("prompt_tokens_details": {"cached_tokens": 99}}})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->usage.cached_tokens, 10);
}

TEST(OpenAiProtocolTest, ErrorBodyMessageIsInTheStatus) {
  absl::StatusOr<ChatCompletion> c = ParseChatCompletionResponse(R"({
    "error": {
      "message": "Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 5310.",
      "type": "tokens",
      "param": null,
      "code": "rate_limit_exceeded"
    }
  })");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("Rate limit reached for gpt-4o"));
  EXPECT_THAT(c.status().message(), HasSubstr("rate_limit_exceeded"));

  absl::StatusOr<ChatCompletion> plain =
      ParseChatCompletionResponse(R"({"error": "model not loaded"})");
  ASSERT_FALSE(plain.ok());
  EXPECT_THAT(plain.status().message(), HasSubstr("model not loaded"));
}

TEST(OpenAiProtocolTest, MissingPartsAreNamed) {
  struct Case {
    const char* body;
    const char* expected;
  } cases[] = {
      {"not json", "not JSON"},
      {"[1]", "not a JSON object"},
      {R"({"choices": []})", "choices is missing or empty"},
      {R"({"choices": [{}]})", "choices[0].message is missing"},
      {R"({"choices": [{"message": {"content": 5}}]})",
       "choices[0].message.content"},
      {R"({"choices": [{"message": {"content": null, "refusal": "I can't."}}]})",
       "refused: I can't."},
      {R"({"choices": [{"message": {"content": "x"}}]})", "usage is missing"},
      {R"({"choices": [{"message": {"content": "x"}}], "usage": {"completion_tokens": 1}})",
       "usage.prompt_tokens is missing"},
      {R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": 1, "completion_tokens": "2"}})",
       "usage.completion_tokens is not a non-negative integer"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ChatCompletion> r = ParseChatCompletionResponse(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_THAT(r.status().message(), HasSubstr(c.expected)) << c.body;
  }
}

}  // namespace
}  // namespace arxiv_digest
