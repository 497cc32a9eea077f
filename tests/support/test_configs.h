// A configs/ folder for tests: the shipped prompt files plus a config.ini
// for the bundled sample day, with the cutoffs and output folder a test
// needs. One writer, so every end-to-end test runs the same settings.
#pragma once

#include <string>

namespace arxiv_digest::testing {

struct TestConfigOptions {
  std::string output_path;  // [OUTPUT] output_path
  int relevance_cutoff = 7;
  int novelty_cutoff = 6;
  int batch_size = 8;
  int max_in_flight = 4;
  // Appended verbatim to [SELECTION] (e.g. "score_cache_ttl_days = 0\n").
  std::string extra_selection;
};

// The sample day's feeds (data/sample/<date>/<feed>.xml).
inline constexpr char kSampleFeeds[] =
    "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI,cs.SD+eess.AS";

// Copies the shipped prompt files (configs/*.txt) and model_prices.ini
// into `dir` (created when missing, files overwritten): the part of a test
// or benchmark configs/ folder that is always the shipped one.
void CopyShippedPrompts(const std::string& dir);

// Writes the folder (a fresh TempDir) and returns its path.
std::string WriteTestConfigs(const TestConfigOptions& options);

}  // namespace arxiv_digest::testing
