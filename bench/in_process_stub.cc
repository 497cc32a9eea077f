#include "bench/in_process_stub.h"

#include <utility>

namespace arxiv_digest::bench {

ChatCompletion ToChatCompletion(testing::StubAnswer answer) {
  ChatCompletion c;
  c.content = std::move(answer.content);
  c.usage =
      TokenUsage{answer.usage.prompt_tokens, answer.usage.completion_tokens,
                 answer.usage.cached_tokens};
  return c;
}

absl::StatusOr<ChatCompletion> InProcessStub::Complete(
    const std::string& prompt) {
  ChatCompletion c = ToChatCompletion(testing::StubAnswerFor(prompt));
  ++calls;
  usage += c.usage;
  return c;
}

}  // namespace arxiv_digest::bench
