#include "services/publisher/logic/output_layout.h"

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

TEST(OutputLayoutTest, DefaultLayoutIsUnchanged) {
  OutputFileNames n =
      DigestOutputFileNames(kLayoutDefault, "default", "2025-04-08", 1, "md");
  EXPECT_EQ(n.file_name, "2025-04-08.md");
  EXPECT_EQ(n.latest_copy, "");
  n = DigestOutputFileNames(kLayoutDefault, "strict", "2025-04-08", 2, "json");
  EXPECT_EQ(n.file_name, "strict/2025-04-08.v2.json");
  EXPECT_EQ(n.latest_copy, "");
}

// The paths of DaizeDong/ChatGPT-ArXiv-Paper-Assistant's environment.py:
// out/md/YYYY-MM/YYYY-MM-DD-output.md, out/json/... and out/output.md.
TEST(OutputLayoutTest, SeedLayoutIsThePythonTools) {
  OutputFileNames n =
      DigestOutputFileNames(kLayoutSeed, "default", "2025-04-08", 1, "md");
  EXPECT_EQ(n.file_name, "md/2025-04/2025-04-08-output.md");
  EXPECT_EQ(n.latest_copy, "output.md");
  n = DigestOutputFileNames(kLayoutSeed, "default", "2025-12-31", 3, "json");
  EXPECT_EQ(n.file_name, "json/2025-12/2025-12-31-output.json");
  EXPECT_EQ(n.latest_copy, "output.json");
  n = DigestOutputFileNames(kLayoutSeed, "strict", "2025-04-08", 1, "html");
  EXPECT_EQ(n.file_name, "strict/html/2025-04/2025-04-08-output.html");
  EXPECT_EQ(n.latest_copy, "strict/output.html");
}

}  // namespace
}  // namespace arxiv_digest
