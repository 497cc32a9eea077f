// The HTTP transport options of the scorer's LLM calls: the hard limits of
// [SELECTION] max_reply_bytes and llm_timeout_seconds.
#pragma once

#include "lib/config/config.h"
#include "lib/http_transport/httplib_client.h"

namespace arxiv_digest {

// Reply cap = max_reply_bytes; whole-call deadline = llm_timeout_seconds,
// which also bounds the connect and per-read timeouts.
HttpClientOptions LlmTransportOptionsFor(const SelectionConfig& selection);

}  // namespace arxiv_digest
