#include "services/publisher/logic/pricing.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace arxiv_digest {
namespace {

struct ModelPrice {
  std::string_view model;
  double prompt;      // per 1M prompt tokens that were not cached
  double completion;  // per 1M completion tokens
  double cached;      // per 1M cached prompt tokens
};

// The Python tool's price table (USD per 1M tokens).
constexpr std::array<ModelPrice, 6> kPrices = {{
    {"gpt-4o", 2.5, 10, 1.25},
    {"gpt-4o-mini", 0.15, 0.6, 0.075},
    {"gpt-4.1", 2, 8, 0.5},
    {"gpt-4.1-mini", 0.4, 1.6, 0.1},
    {"o3-mini", 1.1, 4.4, 0.55},
    {"deepseek-chat", 0.27, 1.1, 0.07},
}};

// Python's float repr switches to exponent notation outside [1e-4, 1e16).
std::string ScientificPythonStyle(double value) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value,
                                       std::chars_format::scientific);
  if (ec != std::errc()) return "nan";
  // to_chars writes at least two exponent digits ("1e+16", "1.5e-05"),
  // exactly like Python.
  return std::string(buf, end);
}

}  // namespace

Cost ComputeCost(std::string_view model, const TokenUsage& usage) {
  for (const ModelPrice& price : kPrices) {
    if (price.model != model) continue;
    const double cached = static_cast<double>(usage.cached_tokens);
    const double uncached =
        static_cast<double>(usage.prompt_tokens - usage.cached_tokens);
    Cost cost;
    // tokens * price / 1e6 rather than tokens * (price / 1e6): price / 1e6
    // is inexact, and an extra rounding step can move a .xx5 total.
    cost.prompt = cached * price.cached / 1e6 + uncached * price.prompt / 1e6;
    cost.completion =
        static_cast<double>(usage.completion_tokens) * price.completion / 1e6;
    cost.known_model = true;
    return cost;
  }
  return Cost{};
}

std::string FormatPythonFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    return ScientificPythonStyle(value);
  }
  char buf[64];
  // Shortest digits that round-trip, like Python's repr.
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
  if (ec != std::errc()) return "nan";
  std::string text(buf, end);
  if (text.find('.') == std::string::npos) text += ".0";
  return text;
}

std::string FormatPythonRound2(double value) {
  if (!std::isfinite(value)) return FormatPythonFloat(value);
  // Python's round(x, 2) rounds the exact binary value correctly (ties to
  // even), which is what glibc's printf does too: 1.005 is really
  // 1.00499999999999989..., so both give 1.0.
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.2f", value);
  const double rounded = std::strtod(buf, nullptr);
  return FormatPythonFloat(rounded);
}

}  // namespace arxiv_digest
