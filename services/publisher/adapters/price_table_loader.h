// The price table the publisher uses: the built-in one, overridden and
// extended by <configs>/model_prices.ini when that file exists.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {

// A missing file gives DefaultPriceTable(); a malformed one is an error
// naming the model and key.
absl::StatusOr<PriceTable> LoadPriceTable(const std::string& configs_dir);

}  // namespace arxiv_digest
