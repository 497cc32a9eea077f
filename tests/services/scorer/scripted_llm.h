// An LlmClient that answers from a script: each call records its prompt
// and returns the next scripted reply (or error), with fixed usage. For the
// scorer's pure logic tests (stage pipeline, scoring backend).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest::testing {

class ScriptedLlm : public LlmClient {
 public:
  std::deque<absl::StatusOr<std::string>> replies;
  std::vector<std::string> prompts;
  TokenUsage usage{100, 10, 0};  // reported by every call

  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    prompts.push_back(prompt);
    if (replies.empty()) return absl::InternalError("no scripted reply left");
    absl::StatusOr<std::string> next = replies.front();
    replies.pop_front();
    if (!next.ok()) return next.status();
    ChatCompletion c;
    c.content = *next;
    c.usage = usage;
    return c;
  }
};

}  // namespace arxiv_digest::testing
