#include "services/scorer/adapters/scorer_metrics.h"

namespace arxiv_digest {

ScorerMetrics::ScorerMetrics(const std::shared_ptr<prometheus::Registry>& reg)
    : registry(reg),
      papers(prometheus::BuildCounter()
                 .Name("arxiv_scorer_papers_total")
                 .Help("Papers whose score was appended, by outcome")
                 .Register(*reg)),
      llm_requests(prometheus::BuildCounter()
                       .Name("arxiv_scorer_llm_requests_total")
                       .Help("LLM chat-completion requests by outcome")
                       .Register(*reg)),
      llm_duration(
          prometheus::BuildHistogram()
              .Name("arxiv_scorer_llm_request_duration_seconds")
              .Help("Duration of one LLM request")
              .Register(*reg)
              .Add({},
                   prometheus::Histogram::BucketBoundaries{
                       0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80})),
      llm_retries(prometheus::BuildCounter()
                      .Name("arxiv_scorer_llm_retries_total")
                      .Help("LLM request attempts that failed and were retried")
                      .Register(*reg)
                      .Add({})),
      tokens(prometheus::BuildCounter()
                 .Name("arxiv_scorer_tokens_total")
                 .Help("LLM tokens by kind")
                 .Register(*reg)),
      dead_lettered(prometheus::BuildCounter()
                        .Name("arxiv_scorer_dead_lettered_total")
                        .Help("Paper entries moved to the dead-letter stream")
                        .Register(*reg)
                        .Add({})),
      reply_parse_errors(prometheus::BuildCounter()
                             .Name("arxiv_scorer_reply_parse_errors_total")
                             .Help("Unusable lines in LLM replies")
                             .Register(*reg)
                             .Add({})),
      batches(prometheus::BuildCounter()
                  .Name("arxiv_scorer_batches_total")
                  .Help("Batches handled, by outcome")
                  .Register(*reg)),
      s2_requests(prometheus::BuildCounter()
                      .Name("arxiv_scorer_s2_requests_total")
                      .Help("Semantic Scholar lookups, by outcome")
                      .Register(*reg)),
      stage_skipped(prometheus::BuildCounter()
                        .Name("arxiv_scorer_s2_stage_skipped_total")
                        .Help("Reads whose Semantic Scholar stages (h-index, "
                              "author ids) were skipped")
                        .Register(*reg)
                        .Add({})) {}

}  // namespace arxiv_digest
