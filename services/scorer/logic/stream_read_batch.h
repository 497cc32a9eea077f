// How many papers one read of the papers stream takes. Without the seed
// stages a read is one abstract batch (one LLM call), as before. With the
// title stage or adaptive batch sizes a read must hold several (adapted)
// batches, so title survivors can be re-packed into full abstract batches
// instead of leaving holes. Pure.
#pragma once

#include "lib/config/config.h"

namespace arxiv_digest {

// Reads are capped: a slot holds its read pending (heartbeat-renewed) while
// it makes the read's calls one after another.
inline constexpr int kMaxStreamReadBatch = 256;

int StreamReadBatch(const SelectionConfig& selection);

}  // namespace arxiv_digest
