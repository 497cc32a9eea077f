// libFuzzer target: arbitrary bytes as an LLM answer, both as the HTTP body
// of a chat completion and as the reply content (see reply_parser_fuzz.h).
// Build and run with scripts/fuzz.sh; seeds in fuzz/corpus/reply/.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/reply_parser_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string failure = arxiv_digest::fuzz::RunReplyParsers(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
