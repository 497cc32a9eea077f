// The digest's cost: token usage priced with the price table
// (lib/config/model_prices.h, which the scorer checks too) and its
// formatting.
#pragma once

#include <string>
#include <string_view>

#include "lib/config/model_prices.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Cost in US dollars, unrounded; the digest rounds only when printing.
struct Cost {
  double prompt = 0;
  double completion = 0;
  bool known_model = false;  // false: no price for the model, costs are 0
};

// For the digest header: empty when `model` has a price in `prices`, else
// "no known price for <model>" (the cost cells then show 0).
std::string NoKnownPriceNote(const PriceTable& prices, std::string_view model);

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
