#include "tests/support/test_configs.h"

#include <filesystem>
#include <fstream>

#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {

void CopyShippedPrompts(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  for (const auto& entry :
       fs::directory_iterator(ARXIV_DIGEST_SOURCE_DIR "/configs")) {
    if (entry.path().extension() == ".txt" ||
        entry.path().filename() == "model_prices.ini") {
      fs::copy_file(entry.path(), fs::path(dir) / entry.path().filename(),
                    fs::copy_options::overwrite_existing);
    }
  }
}

std::string WriteTestConfigs(const TestConfigOptions& o) {
  const std::string dir = TempDir("configs-");
  CopyShippedPrompts(dir);
  std::ofstream(dir + "/config.ini")
      << "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = " << o.batch_size
      << "\nabstract_retry = 3\nrun_author_match = false\nmax_in_flight = "
      << o.max_in_flight << "\n"
      << o.extra_selection << "\n[FILTERING]\narxiv_category = " << kSampleFeeds
      << "\nannounce_type = new,cross\nforce_primary = true\n"
         "relevance_cutoff = "
      << o.relevance_cutoff << "\nnovelty_cutoff = " << o.novelty_cutoff
      << "\n\n[OUTPUT]\noutput_path = " << o.output_path
      << "\ndump_json = true\ndump_md = true\npush_to_slack = false\n";
  return dir;
}

}  // namespace arxiv_digest::testing
