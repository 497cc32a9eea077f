// The seed tool's batch sizes (DaizeDong filter_gpt.get_batch_size): with
// [SELECTION] adaptive_batch_size, a stage facing many papers sends larger
// batches, so the static prompt is paid for fewer times. Pure.
#pragma once

#include <cstddef>
#include <vector>

#include "lib/core/paper.h"

namespace arxiv_digest {

// batch_size x ceil(log2(paper_count / threshold) + 1) when adaptive is on,
// threshold > 0 and paper_count > threshold; batch_size otherwise. Never
// below 1. Same floating-point steps as the seed tool (log(x) / log(2)), so
// the boundaries fall where they fell there.
int AdaptiveBatchSize(int batch_size, size_t paper_count, bool adaptive,
                      int threshold);

// Consecutive batches of at most batch_size papers (batch_size < 1 = one
// batch), in input order: only the last one can be short.
std::vector<std::vector<Paper>> SplitIntoBatches(
    const std::vector<Paper>& papers, int batch_size);

}  // namespace arxiv_digest
