// The scorer's start-up check of the LLM endpoint and key, so a wrong
// OPENAI_BASE_URL or OPENAI_API_KEY stops the replica at once with an error
// that says what to fix, instead of burning the day on retries.
//
// The probe is GET <base>/models with the key: free (no tokens), served by
// OpenAI and the compatible servers (Ollama, vLLM, llama.cpp, LM Studio,
// LiteLLM, DeepSeek), and a 401/403 there is a rejected key. A server
// without /models (404/405/...) gets POST <base>/chat/completions with the
// empty object {}: a real chat endpoint refuses it with 400/422 (it exists;
// no tokens are spent), a wrong base URL answers 404, a wrong key 401.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "services/scorer/adapters/openai_client.h"

namespace arxiv_digest {

// What the probe's messages call the settings it checks: a profile with
// its own provider names [SELECTION] base_url / api_key_env, and every
// message starts with "profile '<name>': " when `profile` is set.
struct LlmProbeNames {
  std::string profile;  // empty = no prefix
  std::string base_url = "OPENAI_BASE_URL";
  std::string api_key = "OPENAI_API_KEY";
};

// OK (the endpoint and key work), or FailedPrecondition whose message names
// the URL (no secrets), the HTTP status or errno and the setting to fix
// (OPENAI_BASE_URL, OPENAI_API_KEY, or `names`). A model missing from a
// /models list is logged as a warning naming [SELECTION] model (lists are
// not always complete: aliases, tags). 429 and 5xx count as reachable.
absl::Status ProbeLlm(HttpClient& http, const OpenAiClientOptions& llm,
                      const LlmProbeNames& names = {});

// One distinct endpoint to probe: a (base URL, key, model) of the
// profiles, through the transport of the first profile naming it.
struct LlmProbeTarget {
  HttpClient* http = nullptr;  // borrowed
  OpenAiClientOptions llm;
  LlmProbeNames names;
};

// --probe-llm: fail = exit 2 when the probe fails (by hand); ready = keep
// running, not ready on /readyz, probe again until it passes (Kubernetes);
// off = no probe. "" = ready when KUBERNETES_SERVICE_HOST is set, else fail.
enum class LlmProbeMode { kFail, kReady, kOff };
absl::StatusOr<LlmProbeMode> ParseLlmProbeMode(const std::string& flag,
                                               bool under_kubernetes);

// The start-up gate. kOff: ready at once. kFail: the probe's error, if any.
// kReady: `ready` stays false while the probe fails, which is logged once,
// then probed again every `interval` until it passes or stop() (returns OK
// either way). `ready` is true when this returns OK and stop() is false.
absl::Status AwaitLlm(HttpClient& http, const OpenAiClientOptions& llm,
                      LlmProbeMode mode, Clock& clock,
                      std::chrono::milliseconds interval,
                      std::atomic<bool>& ready,
                      const std::function<bool()>& stop);

// The same gate over several endpoints: each is probed once (a passed one
// is not probed again); kFail returns the first failure; kReady waits
// until all have passed.
absl::Status AwaitLlms(const std::vector<LlmProbeTarget>& targets,
                       LlmProbeMode mode, Clock& clock,
                       std::chrono::milliseconds interval,
                       std::atomic<bool>& ready,
                       const std::function<bool()>& stop);

}  // namespace arxiv_digest
