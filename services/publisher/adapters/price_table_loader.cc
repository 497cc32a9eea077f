#include "services/publisher/adapters/price_table_loader.h"

#include <fstream>
#include <sstream>

namespace arxiv_digest {

absl::StatusOr<PriceTable> LoadPriceTable(const std::string& configs_dir) {
  std::ifstream in(configs_dir + "/model_prices.ini");
  if (!in) return DefaultPriceTable();
  std::stringstream text;
  text << in.rdbuf();
  return ParsePriceTable(text.str(), DefaultPriceTable());
}

}  // namespace arxiv_digest
