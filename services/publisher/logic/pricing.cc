#include "services/publisher/logic/pricing.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/config/config.h"

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

const PriceTable& DefaultPriceTable() {
  // The Python tool's prices (USD per 1M tokens); configs/model_prices.ini
  // overrides and extends them.
  static const auto* table = new PriceTable{
      {"gpt-4o", {2.5, 10, 1.25}},   {"gpt-4o-mini", {0.15, 0.6, 0.075}},
      {"gpt-4.1", {2, 8, 0.5}},      {"gpt-4.1-mini", {0.4, 1.6, 0.1}},
      {"o3-mini", {1.1, 4.4, 0.55}}, {"deepseek-chat", {0.27, 1.1, 0.07}},
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

Cost ComputeCost(const PriceTable& prices, std::string_view model,
                 const TokenUsage& usage) {
  auto it = prices.find(model);
  if (it == prices.end()) return Cost{};
  const ModelPrice& price = it->second;
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
