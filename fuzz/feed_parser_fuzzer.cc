// libFuzzer target: arbitrary bytes through the RSS, Atom and OAI-PMH
// parsers. Build and run with scripts/fuzz.sh (clang, -fsanitize=fuzzer).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/feed_parser_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string failure = arxiv_digest::fuzz::RunFeedParsers(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
