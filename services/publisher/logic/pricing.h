// Token prices of the supported models and the digest's cost formatting.
#pragma once

#include <string>
#include <string_view>

#include "lib/core/paper.h"

namespace arxiv_digest {

// Cost in US dollars, unrounded; the digest rounds only when printing.
struct Cost {
  double prompt = 0;
  double completion = 0;
  bool known_model = false;  // false: no price for the model, costs are 0
};

// Prices per 1M tokens. Cached prompt tokens are billed at the cached price,
// the rest of the prompt at the prompt price.
Cost ComputeCost(std::string_view model, const TokenUsage& usage);

// What Python prints for str(round(x, 2)): "0.13", "0.2", "0.0", "1.0".
std::string FormatPythonRound2(double value);

// What Python prints for repr(x) of a float: "20.0", "0.1", "1e+16".
std::string FormatPythonFloat(double value);

}  // namespace arxiv_digest
