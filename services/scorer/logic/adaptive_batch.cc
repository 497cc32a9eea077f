#include "services/scorer/logic/adaptive_batch.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace arxiv_digest {

int AdaptiveBatchSize(int batch_size, size_t paper_count, bool adaptive,
                      int threshold) {
  const int base = std::max(batch_size, 1);
  if (!adaptive || threshold <= 0 ||
      paper_count <= static_cast<size_t>(threshold)) {
    return base;
  }
  // Python: math.ceil(math.log(n / t, 2) + 1); math.log(x, 2) is
  // log(x) / log(2).
  const double ratio =
      static_cast<double>(paper_count) / static_cast<double>(threshold);
  const double scale = std::ceil(std::log(ratio) / std::log(2.0) + 1.0);
  // Bounded so an absurd paper count cannot overflow the product.
  const double size = std::min(static_cast<double>(base) * scale, 1e6);
  return std::max(1, static_cast<int>(size));
}

std::vector<std::vector<Paper>> SplitIntoBatches(
    const std::vector<Paper>& papers, int batch_size) {
  std::vector<std::vector<Paper>> batches;
  const size_t size =
      batch_size < 1 ? papers.size() : static_cast<size_t>(batch_size);
  for (size_t i = 0; i < papers.size(); i += size) {
    const auto first = static_cast<std::ptrdiff_t>(i);
    const auto last =
        static_cast<std::ptrdiff_t>(std::min(papers.size(), i + size));
    batches.emplace_back(papers.begin() + first, papers.begin() + last);
  }
  return batches;
}

}  // namespace arxiv_digest
