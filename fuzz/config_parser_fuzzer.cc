// libFuzzer target: arbitrary bytes as config.ini (ParseIni +
// ConfigFromIni) and authors.txt (see config_parser_fuzz.h). Build and run
// with scripts/fuzz.sh; seeds in fuzz/corpus/config/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/config_parser_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string failure = arxiv_digest::fuzz::RunConfigParsers(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
