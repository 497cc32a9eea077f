#include "services/publisher/logic/pricing.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

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

std::string NoKnownPriceNote(const PriceTable& prices, std::string_view model) {
  if (FindModelPrice(prices, model).has_value()) return "";
  return absl::StrCat("no known price for ", std::string(model));
}

Cost ComputeCost(const PriceTable& prices, std::string_view model,
                 const TokenUsage& usage) {
  const std::optional<ModelPrice> found = FindModelPrice(prices, model);
  if (!found.has_value()) return Cost{};
  const ModelPrice& price = *found;
  // A provider never reports more cached than prompt tokens; if one did,
  // the uncached share must not turn negative.
  const int64_t cached_tokens =
      std::clamp<int64_t>(usage.cached_tokens, 0, usage.prompt_tokens);
  const double cached = static_cast<double>(cached_tokens);
  const double uncached =
      static_cast<double>(usage.prompt_tokens - cached_tokens);
  Cost cost;
  // tokens * price / 1e6 rather than tokens * (price / 1e6): price / 1e6
  // is inexact, and an extra rounding step can move a .xx5 total.
  cost.prompt = cached * price.cached / 1e6 + uncached * price.prompt / 1e6;
  cost.completion =
      static_cast<double>(usage.completion_tokens) * price.completion / 1e6;
  cost.known_model = true;
  return cost;
}

Cost ComputeCost(std::string_view model, const TokenUsage& usage) {
  return ComputeCost(DefaultPriceTable(), model, usage);
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
