// Token prices of the supported models and the digest's cost formatting.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Cost in US dollars, unrounded; the digest rounds only when printing.
struct Cost {
  double prompt = 0;
  double completion = 0;
  bool known_model = false;  // false: no price for the model, costs are 0
};

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

// For the digest header: empty when `model` has a price in `prices`, else
// "no known price for <model>" (the cost cells then show 0).
std::string NoKnownPriceNote(const PriceTable& prices, std::string_view model);

// configs/model_prices.ini: one [model] section with prompt, completion and
// cached prices each; sections override or extend `base`. Errors name the
// model and key.
absl::StatusOr<PriceTable> ParsePriceTable(const std::string& ini_text,
                                           const PriceTable& base);

// Cached prompt tokens are billed at the cached price, the rest of the
// prompt at the prompt price (cached is clamped to the prompt count). An
// unknown model (FindModelPrice nullopt) costs 0 with known_model=false.
Cost ComputeCost(const PriceTable& prices, std::string_view model,
                 const TokenUsage& usage);
// With DefaultPriceTable().
Cost ComputeCost(std::string_view model, const TokenUsage& usage);

// What Python prints for str(round(x, 2)): "0.13", "0.2", "0.0", "1.0".
std::string FormatPythonRound2(double value);

// What Python prints for repr(x) of a float: "20.0", "0.1", "1e+16".
std::string FormatPythonFloat(double value);

}  // namespace arxiv_digest
