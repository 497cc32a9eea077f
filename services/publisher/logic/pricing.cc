#include "services/publisher/logic/pricing.h"

#include <algorithm>
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
