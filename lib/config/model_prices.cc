#include "lib/config/model_prices.h"

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace arxiv_digest {

const PriceTable& DefaultPriceTable() {
  // USD per 1M tokens {prompt, completion, cached}: the providers' public
  // list prices (standard tier) as of 2025-10, the same as the shipped
  // configs/model_prices.ini, which overrides and extends them. Models
  // without prompt caching bill cached tokens at the prompt price.
  static const auto* table = new PriceTable{
      {"gpt-4o", {2.5, 10, 1.25}},
      {"gpt-4o-mini", {0.15, 0.6, 0.075}},
      {"gpt-4.1", {2, 8, 0.5}},
      {"gpt-4.1-mini", {0.4, 1.6, 0.1}},
      {"gpt-4.1-nano", {0.1, 0.4, 0.025}},
      {"o3", {2, 8, 0.5}},
      {"o3-mini", {1.1, 4.4, 0.55}},
      {"o4-mini", {1.1, 4.4, 0.275}},
      {"gpt-5", {1.25, 10, 0.125}},
      {"gpt-5-mini", {0.25, 2, 0.025}},
      {"gpt-5-nano", {0.05, 0.4, 0.005}},
      {"deepseek-chat", {0.28, 0.42, 0.028}},
      {"deepseek-reasoner", {0.28, 0.42, 0.028}},
      // The models tatsu-lab's tool priced (filter_papers.calc_price).
      {"gpt-4-1106-preview", {10, 30, 10}},
      {"gpt-4-turbo", {10, 30, 10}},
      {"gpt-4", {30, 60, 30}},
      {"gpt-3.5-turbo", {0.5, 1.5, 0.5}},
  };
  return *table;
}

absl::StatusOr<PriceTable> ParsePriceTable(const std::string& ini_text,
                                           const PriceTable& base) {
  absl::StatusOr<IniFile> ini = ParseIni(ini_text);
  if (!ini.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model_prices.ini: ", ini.status().message()));
  }
  PriceTable table = base;
  for (const auto& [model, values] : *ini) {
    ModelPrice price;
    auto it = table.find(model);
    if (it != table.end()) price = it->second;
    for (const auto& [key, value] : values) {
      double v = 0;
      if (!absl::SimpleAtod(value, &v) || v < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("model_prices.ini [", model, "] ", key, ": '", value,
                         "' is not a non-negative number"));
      }
      if (key == "prompt") {
        price.prompt = v;
      } else if (key == "completion") {
        price.completion = v;
      } else if (key == "cached") {
        price.cached = v;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("model_prices.ini [", model, "] ", key,
                         ": unknown key (prompt, completion, cached)"));
      }
    }
    table[model] = price;
  }
  return table;
}

namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "gpt-4o-2024-08-06" -> "gpt-4o", "gpt-4-0613" -> "gpt-4"; anything else
// unchanged. Providers answer with the snapshot they served.
std::string_view WithoutSnapshotSuffix(std::string_view model) {
  if (model.size() > 11 && model[model.size() - 11] == '-' &&
      AllDigits(model.substr(model.size() - 10, 4)) &&
      model[model.size() - 6] == '-' &&
      AllDigits(model.substr(model.size() - 5, 2)) &&
      model[model.size() - 3] == '-' &&
      AllDigits(model.substr(model.size() - 2))) {
    return model.substr(0, model.size() - 11);
  }
  if (model.size() > 5 && model[model.size() - 5] == '-' &&
      AllDigits(model.substr(model.size() - 4))) {
    return model.substr(0, model.size() - 5);
  }
  return model;
}

}  // namespace

std::optional<ModelPrice> FindModelPrice(const PriceTable& prices,
                                         std::string_view model) {
  if (auto it = prices.find(model); it != prices.end()) return it->second;
  if (size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model = model.substr(slash + 1);
    if (auto it = prices.find(model); it != prices.end()) return it->second;
  }
  const std::string_view base = WithoutSnapshotSuffix(model);
  if (base.size() != model.size()) {
    if (auto it = prices.find(base); it != prices.end()) return it->second;
  }
  return std::nullopt;
}

absl::StatusOr<PriceTable> LoadPriceTable(const std::string& configs_dir) {
  std::ifstream in(configs_dir + "/model_prices.ini");
  if (!in) return DefaultPriceTable();
  std::stringstream text;
  text << in.rdbuf();
  return ParsePriceTable(text.str(), DefaultPriceTable());
}

std::vector<std::string> UnpricedProfileModels(
    const std::map<std::string, Config>& profiles, const PriceTable& prices) {
  std::vector<std::string> warnings;
  for (const auto& [name, config] : profiles) {
    const std::string& model = config.selection.model;
    if (FindModelPrice(prices, model).has_value()) continue;
    warnings.push_back(absl::StrCat(
        "profile '", name, "': [SELECTION] model: '", model,
        "' has no price in configs/model_prices.ini (add a [", model,
        "] section with prompt, completion and cached USD per million "
        "tokens; 0 for a self-hosted model)"));
  }
  return warnings;
}

absl::Status RequirePricedModels(const std::map<std::string, Config>& profiles,
                                 const PriceTable& prices) {
  std::vector<std::string> unpriced = UnpricedProfileModels(profiles, prices);
  if (unpriced.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(unpriced.front());
}

absl::Status CheckProfilePrices(const std::string& configs_dir,
                                const std::map<std::string, Config>& profiles) {
  absl::StatusOr<PriceTable> prices = LoadPriceTable(configs_dir);
  if (!prices.ok()) return prices.status();
  return RequirePricedModels(profiles, *prices);
}

}  // namespace arxiv_digest
