#include "lib/prompt/prompt_builder.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

std::string ReadFile(const std::string& relative_path) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/" + relative_path,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << relative_path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The Python tool read the prompt files with .strip()-like handling of the
// final newline; the lead's config loader does the same.
std::string ReadPromptFile(const std::string& name) {
  std::string text = ReadFile("configs/" + name);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

PromptTexts LoadRepoPrompts() {
  PromptTexts prompts;
  prompts.base = ReadPromptFile("base_prompt.txt");
  prompts.postfix = ReadPromptFile("postfix_prompt.txt");
  prompts.score_criteria = ReadPromptFile("score_criteria.txt");
  prompts.topics = ReadPromptFile("paper_topics.txt");
  return prompts;
}

TEST(PromptBuilderTest, DigestSectionMatchesReferenceDigestByteForByte) {
  const std::string digest =
      ReadFile("tests/fixtures/reference/digest-2025-04-22.md");
  const std::string marker = "# Paper Selection Prompt\n\n";
  const size_t pos = digest.rfind(marker);
  ASSERT_NE(pos, std::string::npos);
  const std::string expected = digest.substr(pos + marker.size());

  const std::string actual = BuildDigestPromptSection(LoadRepoPrompts());
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual, expected);
}

TEST(PromptBuilderTest, ScoringPromptPlacesPapersBetweenCriteriaAndTopics) {
  PromptTexts prompts{"BASE", "POSTFIX", "CRITERIA", "TOPICS"};
  EXPECT_EQ(BuildScoringPrompt(prompts, {"P1", "P2"}),
            "BASE\n\nPOSTFIX\n\nCRITERIA\n\n## Papers\n\nP1\n\nP2\n\nTOPICS");
}

TEST(PromptBuilderTest, PaperStringLayout) {
  Paper paper;
  paper.arxiv_id = "2504.14960";
  paper.title = "A Title";
  paper.authors = {"Ada Lovelace", "Alan Turing"};
  paper.abstract = "Short abstract.";
  EXPECT_EQ(PaperToPromptString(paper),
            "ArXiv ID: 2504.14960\nTitle: A Title\nAuthors: Ada Lovelace, "
            "Alan Turing\nAbstract: Short abstract.");
}

TEST(PromptBuilderTest, NoAuthorsGivesEmptyAuthorsLine) {
  Paper paper;
  paper.arxiv_id = "1";
  EXPECT_EQ(PaperToPromptString(paper),
            "ArXiv ID: 1\nTitle: \nAuthors: \nAbstract: ");
}

std::string AbstractOf(const std::string& prompt_string) {
  const std::string marker = "\nAbstract: ";
  return prompt_string.substr(prompt_string.find(marker) + marker.size());
}

TEST(PromptBuilderTest, AsciiAbstractIsCutAt4000Characters) {
  Paper paper;
  paper.abstract = std::string(3999, 'a') + "bcd";
  const std::string abstract = AbstractOf(PaperToPromptString(paper));
  EXPECT_EQ(abstract, std::string(3999, 'a') + "b");
}

TEST(PromptBuilderTest, AbstractOfExactly4000CharactersIsKept) {
  Paper paper;
  paper.abstract = std::string(4000, 'x');
  EXPECT_EQ(AbstractOf(PaperToPromptString(paper)), paper.abstract);
}

TEST(PromptBuilderTest, MultiByteAbstractIsCutAtCodePointsNotBytes) {
  // "é" is 2 bytes, "€" 3 bytes, "𝔼" 4 bytes: 4000 code points are far more
  // than 4000 bytes, and Python keeps them all.
  std::string abstract;
  for (int i = 0; i < 1000; ++i) abstract += "é€𝔼a";  // 4 points, 10 bytes
  abstract += "TAIL";
  Paper paper;
  paper.abstract = abstract;
  const std::string cut = AbstractOf(PaperToPromptString(paper));
  EXPECT_EQ(cut.size(), 10000u);
  EXPECT_EQ(cut, abstract.substr(0, 10000));
}

TEST(PromptBuilderTest, CutNeverSplitsAMultiByteCharacter) {
  // 3999 ASCII then a 4-byte character as the 4000th point, then more.
  Paper paper;
  paper.abstract = std::string(3999, 'a') + "𝔼" + "€z";
  const std::string cut = AbstractOf(PaperToPromptString(paper));
  EXPECT_EQ(cut, std::string(3999, 'a') + "𝔼");

  // The 4001st point is multi-byte: it is dropped whole.
  paper.abstract = std::string(4000, 'a') + "€";
  EXPECT_EQ(AbstractOf(PaperToPromptString(paper)), std::string(4000, 'a'));
}

TEST(PromptBuilderTest, CombiningMarksCountAsSeparateCodePoints) {
  // "e" + U+0301 is two code points for Python, so it can be split there
  // (exactly what the reference tool sent).
  Paper paper;
  paper.abstract = std::string(3999, 'a') + "e\xCC\x81";
  EXPECT_EQ(AbstractOf(PaperToPromptString(paper)),
            std::string(3999, 'a') + "e");
}

}  // namespace
}  // namespace arxiv_digest
