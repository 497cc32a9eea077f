// Token prices per model: the built-in table, configs/model_prices.ini on
// top, and the startup check that every profile's model has a price. In
// lib/config because two services need it: the publisher prices each
// digest with it, and the scorer, which spends the tokens, refuses to start
// on a model the publisher could not price.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/config/config.h"

namespace arxiv_digest {

// USD per 1M tokens.
struct ModelPrice {
  double prompt = 0;      // prompt tokens that were not cached
  double completion = 0;  // completion tokens
  double cached = 0;      // cached prompt tokens
};
using PriceTable = std::map<std::string, ModelPrice, std::less<>>;

// Built in: the same list prices as the shipped configs/model_prices.ini
// (OpenAI gpt-4o/4.1/5 families, o3, o3-mini, o4-mini, DeepSeek, and the
// older models the seed tools used).
const PriceTable& DefaultPriceTable();

// The price of `model`: its own entry, else the entry of the same name
// without a provider prefix ("openai/gpt-4o", as OpenRouter spells it) or a
// snapshot suffix ("gpt-4o-2024-08-06", "gpt-4-0613"). nullopt = no known
// price.
std::optional<ModelPrice> FindModelPrice(const PriceTable& prices,
                                         std::string_view model);

// configs/model_prices.ini: one [model] section with prompt, completion and
// cached prices each; sections override or extend `base`. Errors name the
// model and key.
absl::StatusOr<PriceTable> ParsePriceTable(const std::string& ini_text,
                                           const PriceTable& base);

// DefaultPriceTable() overridden and extended by
// <configs_dir>/model_prices.ini; a missing file gives DefaultPriceTable(),
// a malformed one is an error naming the model and key.
absl::StatusOr<PriceTable> LoadPriceTable(const std::string& configs_dir);

// One message per profile whose [SELECTION] model has no price in
// `prices`, naming the profile and the setting.
std::vector<std::string> UnpricedProfileModels(
    const std::map<std::string, Config>& profiles, const PriceTable& prices);

// InvalidArgument naming the first profile whose model has no price, and
// how to give it one. A digest header that cannot say what a run cost is a
// conflict in the reader's settings, found at startup rather than weeks
// later. Self-hosted OpenAI-compatible servers serve models under any name
// and cost nothing per token: they get a section with zero prices in
// configs/model_prices.ini.
absl::Status RequirePricedModels(const std::map<std::string, Config>& profiles,
                                 const PriceTable& prices);

// LoadPriceTable(configs_dir), then RequirePricedModels: the startup and
// --check-config check of the services that spend or price tokens.
absl::Status CheckProfilePrices(const std::string& configs_dir,
                                const std::map<std::string, Config>& profiles);

}  // namespace arxiv_digest
