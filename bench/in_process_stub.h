// The OpenAI stub's answers without HTTP, for the benchmarks that run the
// scorer's code in process: the same replies and token counts as
// tests/support's stub server (testing::StubAnswerFor), counted per call.
#pragma once

#include <cstdint>
#include <string>

#include "services/scorer/logic/scoring_backend.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest::bench {

// A stub answer as the LLM client returns it.
ChatCompletion ToChatCompletion(testing::StubAnswer answer);

class InProcessStub : public LlmClient {
 public:
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override;

  int64_t calls = 0;
  TokenUsage usage;  // summed over calls
};

}  // namespace arxiv_digest::bench
