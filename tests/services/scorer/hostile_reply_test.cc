// LLM replies built to hurt the scorer (issue 12): JSON nested hundreds of
// thousands of levels deep must give errors, not a stack overflow, and the
// transport limits come from [SELECTION].
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scorer/adapters/llm_transport.h"
#include "services/scorer/logic/openai_protocol.h"
#include "services/scorer/logic/reply_parser.h"

namespace arxiv_digest {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// About 1 MB of brackets: the recursive RapidJSON parser needs far more
// than an 8 MB stack for this.
constexpr size_t kLevels = 500000;

std::string NestedArrays(size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

std::string NestedObjects(size_t levels) {
  std::string out;
  out.reserve(levels * 7);
  for (size_t i = 0; i < levels; ++i) out += "{\"a\":";
  out += "1";
  out.append(levels, '}');
  return out;
}

const char kGoodLine[] =
    R"({"ARXIVID": "2504.14960", "COMMENT": "ok", "RELEVANCE": 9, "NOVELTY": 7})";

TEST(HostileReplyTest, DeepArrayInsideAnObjectIsAnError) {
  const ParsedReply r =
      ParseScoringReply(std::string(kGoodLine) +
                        "\n{\"ARXIVID\": " + NestedArrays(kLevels) + "}\n");
  ASSERT_THAT(r.scores, SizeIs(1));  // the good line survives
  EXPECT_EQ(r.scores[0].arxiv_id, "2504.14960");
  EXPECT_THAT(r.errors, Not(IsEmpty()));
}

TEST(HostileReplyTest, DeepObjectsAreAnError) {
  const ParsedReply r = ParseScoringReply(NestedObjects(kLevels / 3));
  EXPECT_THAT(r.scores, IsEmpty());
  EXPECT_THAT(r.errors, Not(IsEmpty()));
}

// json_mode wrappers ({"papers": [...]}) are rescanned: a bomb inside one
// must not crash the rescan either.
TEST(HostileReplyTest, DeepObjectsInsideAWrapperAreAnError) {
  const ParsedReply r =
      ParseScoringReply("{\"papers\": [" + std::string(kGoodLine) + ", " +
                        NestedObjects(kLevels / 3) + "]}");
  ASSERT_THAT(r.scores, SizeIs(1));
  EXPECT_EQ(r.scores[0].arxiv_id, "2504.14960");
}

TEST(HostileReplyTest, ChatCompletionDepthBombsAreErrors) {
  absl::StatusOr<ChatCompletion> arrays =
      ParseChatCompletionResponse(NestedArrays(kLevels));
  ASSERT_FALSE(arrays.ok());
  EXPECT_THAT(arrays.status().message(), HasSubstr("not a JSON object"));

  EXPECT_FALSE(ParseChatCompletionResponse(NestedObjects(kLevels / 3)).ok());

  absl::StatusOr<ChatCompletion> choices = ParseChatCompletionResponse(
      "{\"choices\": " + NestedArrays(kLevels) + "}");
  ASSERT_FALSE(choices.ok());
  EXPECT_THAT(choices.status().message(), HasSubstr("choices[0].message"));
}

TEST(LlmTransportOptionsTest, LimitsComeFromSelection) {
  SelectionConfig selection;
  EXPECT_EQ(selection.max_reply_bytes, 4194304);
  EXPECT_EQ(selection.llm_timeout_seconds, 120);
  selection.max_reply_bytes = 1000;
  selection.llm_timeout_seconds = 3;
  const HttpClientOptions o = LlmTransportOptionsFor(selection);
  EXPECT_EQ(o.max_reply_bytes, 1000u);
  EXPECT_EQ(o.total_deadline, std::chrono::seconds(3));
  EXPECT_EQ(o.read_timeout, std::chrono::seconds(3));
  EXPECT_EQ(o.connect_timeout, std::chrono::seconds(3));
  selection.llm_timeout_seconds = 120;
  EXPECT_EQ(LlmTransportOptionsFor(selection).connect_timeout,
            std::chrono::seconds(10));
}

}  // namespace
}  // namespace arxiv_digest
