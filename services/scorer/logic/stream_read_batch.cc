#include "services/scorer/logic/stream_read_batch.h"

#include <algorithm>

namespace arxiv_digest {

int StreamReadBatch(const SelectionConfig& selection) {
  const int abstract = std::max(selection.abstract_batch_size, 1);
  const bool title = selection.run_title_filter && selection.run_openai;
  if (!title && !selection.adaptive_batch_size) return abstract;
  const int base =
      title ? std::max(abstract, std::max(selection.title_batch_size, 1))
            : abstract;
  // Room for several of the largest batches the adaptive sizes give a
  // typical day (x5 at 257-512 papers with threshold 32).
  const int factor = selection.adaptive_batch_size ? 16 : 4;
  return std::min(base * factor, kMaxStreamReadBatch);
}

}  // namespace arxiv_digest
