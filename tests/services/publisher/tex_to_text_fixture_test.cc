// TexToText (lib/text) over every paper of a real digest, read with the
// publisher's scored-JSON reader.
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "lib/text/tex_to_text.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

// Every paper of a real digest: no TeX accent command survives in names
// and no math delimiter in titles.
TEST(TexToTextTest, ScoredFixtureHasNoAccentCommandsLeft) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/scored-2025-04-22.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text.str());
  ASSERT_TRUE(papers.ok()) << papers.status();
  int converted = 0;
  for (const ScoredPaper& p : *papers) {
    for (const std::string& author : p.paper.authors) {
      std::string name = TexToText(author);
      EXPECT_EQ(name.find('\\'), std::string::npos) << author;
      if (name != author) ++converted;
    }
    EXPECT_EQ(TexToText(p.paper.abstract).find("$"), std::string::npos)
        << p.paper.arxiv_id;
  }
  EXPECT_GE(converted, 5);  // Yamaç, Vulić, Nicolè, Viégas, Tinós
}

}  // namespace
}  // namespace arxiv_digest
