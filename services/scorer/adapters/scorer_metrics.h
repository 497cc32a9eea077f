// The scorer's Prometheus metrics, registered once per process.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

namespace arxiv_digest {

struct ScorerMetrics {
  explicit ScorerMetrics(const std::shared_ptr<prometheus::Registry>& registry);

  std::shared_ptr<prometheus::Registry> registry;
  // outcome: scored, cached, unscored, prefiltered, author_match, filtered.
  prometheus::Family<prometheus::Counter>& papers;
  // outcome: ok, rate_limited, server_error, timeout, transport_error,
  // auth_error, bad_response.
  prometheus::Family<prometheus::Counter>& llm_requests;
  prometheus::Histogram& llm_duration;
  prometheus::Counter& llm_retries;  // failed attempts that were retried
  // kind: prompt, completion, cached.
  prometheus::Family<prometheus::Counter>& tokens;
  prometheus::Counter& dead_lettered;
  prometheus::Counter& reply_parse_errors;
  // outcome: ok, failed.
  prometheus::Family<prometheus::Counter>& batches;
  // Semantic Scholar lookups by outcome: ok, error, garbage (a reply
  // unusable as a whole), malformed (one unusable entry), cache_hit.
  prometheus::Family<prometheus::Counter>& s2_requests;
  // Reads whose Semantic Scholar stages were skipped (S2 down/garbage).
  prometheus::Counter& stage_skipped;
};

}  // namespace arxiv_digest
