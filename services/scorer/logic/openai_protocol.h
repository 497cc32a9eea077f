// JSON of the OpenAI-compatible /chat/completions endpoint: the request the
// scorer sends and the parts of the response it uses. Pure, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct ChatRequestOptions {
  std::string model;
  // Some reasoning models reject "temperature"; the caller may leave it out.
  bool send_temperature = true;
  double temperature = 0.0;
  int max_tokens = 0;      // 0 = omit
  bool json_mode = false;  // response_format {"type": "json_object"}
};

// {"model", "messages": [{"role": "user", "content": prompt}],
//  "temperature", "seed": 0, ...}: like the Python tool, one user message,
// temperature 0 and a fixed seed for repeatable scores.
std::string BuildChatCompletionRequest(const ChatRequestOptions& options,
                                       std::string_view user_prompt);

struct ChatCompletion {
  std::string content;  // choices[0].message.content
  // cached_tokens: OpenAI's usage.prompt_tokens_details.cached_tokens or
  // DeepSeek's usage.prompt_cache_hit_tokens (0 when neither is sent).
  TokenUsage usage;
  std::string model;          // the model that answered (may be empty)
  std::string finish_reason;  // "stop", "length", ... (may be empty)
};

// Parses a response body. An OpenAI error body {"error": {"message": ...}}
// gives an error status carrying that message; a body without the content
// or the usage counts gives an error naming what is missing.
absl::StatusOr<ChatCompletion> ParseChatCompletionResponse(
    std::string_view body);

}  // namespace arxiv_digest
