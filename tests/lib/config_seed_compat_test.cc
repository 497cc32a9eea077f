// Issue 14 part 1: the Python tools' real configs/ folders load unchanged
// (tests/fixtures/anchor-configs/, verbatim copies), every known key of both
// tools is accepted and every unknown one is warned about.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/config/config.h"
#include "lib/config/profiles.h"
#include "lib/prompt/prompt_builder.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

const std::string kAnchors =
    std::string(ARXIV_DIGEST_SOURCE_DIR) + "/tests/fixtures/anchor-configs";
const std::string kTatsu = kAnchors + "/tatsu-lab-gpt_paper_assistant/configs";
const std::string kDaize =
    kAnchors + "/DaizeDong-ChatGPT-ArXiv-Paper-Assistant/configs";

std::string ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool HasWarning(const Config& c, const std::string& part) {
  return std::any_of(
      c.warnings.begin(), c.warnings.end(),
      [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

absl::StatusOr<Config> FromIni(const std::string& text) {
  absl::StatusOr<IniFile> ini = ParseIni(text);
  if (!ini.ok()) return ini.status();
  return ConfigFromIni(*ini);
}

// A writable copy of an anchor folder (both configs/ and prompts/).
fs::path CopyAnchor(const std::string& anchor, const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("seed_compat_" + name);
  fs::remove_all(dir);
  fs::copy(fs::path(kAnchors) / anchor, dir, fs::copy_options::recursive);
  return dir;
}

TEST(SeedCompatTest, TatsuFolderLoadsWithItsOwnKeyNames) {
  absl::StatusOr<Config> c = LoadConfig(kTatsu);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.model, "gpt-4-1106-preview");
  EXPECT_EQ(c->selection.abstract_batch_size, 5);  // batch_size
  EXPECT_EQ(c->filtering.h_cutoff, 15);            // hcutoff
  EXPECT_TRUE(c->selection.run_author_match);      // [FILTERING] author_match
  EXPECT_DOUBLE_EQ(c->selection.author_match_score, 15.0);
  EXPECT_TRUE(c->selection.run_openai);
  EXPECT_EQ(c->filtering.arxiv_categories, std::vector<std::string>{"cs.CL"});
  EXPECT_TRUE(c->filtering.force_primary);
  EXPECT_EQ(c->filtering.relevance_cutoff, 3);
  EXPECT_EQ(c->filtering.novelty_cutoff, 3);
  EXPECT_TRUE(c->output.push_to_slack);
  EXPECT_EQ(c->authors.size(), 8u);
  EXPECT_EQ(c->authors[0].name, "Tatsunori B. Hashimoto");
  EXPECT_EQ(c->authors[0].id, "3056528");
  // No score_criteria.txt: tatsu's own prompt order, and no cache-friendly
  // reordering (that layout already sends base and topics first).
  EXPECT_TRUE(c->prompts.score_criteria.empty());
  EXPECT_EQ(c->prompts.layout, PromptLayout::kTatsu);
  EXPECT_FALSE(c->selection.cache_friendly_prompt);
  EXPECT_EQ(c->prompt_paths.count("score_criteria"), 0u);
  // debug_messages and dump_debug_file are true there: accepted, warned.
  EXPECT_TRUE(HasWarning(*c, "[OUTPUT] debug_messages"));
  EXPECT_TRUE(HasWarning(*c, "[OUTPUT] dump_debug_file"));
  EXPECT_FALSE(HasWarning(*c, "unknown setting"))
      << absl::StrJoin(c->warnings, "\n");
}

// tatsu's filter_papers.run_on_batch: "\n".join([base_prompt,
// criterion + "\n", "\n\n".join(papers) + "\n", postfix_prompt]) with the
// files as f.read() returns them. The loader drops trailing newlines of each
// file, so the only difference is the postfix file's final newline.
TEST(SeedCompatTest, TatsuPromptIsAssembledAsTatsuDid) {
  absl::StatusOr<Config> c = LoadConfig(kTatsu);
  ASSERT_TRUE(c.ok()) << c.status();
  const std::vector<std::string> papers = {
      "ArXiv ID: 2501.00001\nTitle: A\nAuthors: X and Y\nAbstract: a",
      "ArXiv ID: 2501.00002\nTitle: B\nAuthors: Z\nAbstract: b"};
  std::string expected =
      absl::StrJoin({ReadRaw(kTatsu + "/base_prompt.txt"),
                     ReadRaw(kTatsu + "/paper_topics.txt") + "\n",
                     absl::StrJoin(papers, "\n\n") + "\n",
                     ReadRaw(kTatsu + "/postfix_prompt.txt")},
                    "\n");
  ASSERT_EQ(expected.back(), '\n');
  expected.pop_back();
  EXPECT_EQ(BuildScoringPrompt(c->prompts, papers), expected);
  // The digest's prompt section shows the same order.
  const std::string section = BuildDigestPromptSection(c->prompts);
  EXPECT_LT(section.find("Relevant: papers that discuss specific methods"),
            section.find("[PAPER LIST HERE]"));
  EXPECT_LT(section.find("[PAPER LIST HERE]"),
            section.find("Write the response in JSONL format"));
}

// tatsu's paper_to_string joins the authors with " and ".
TEST(SeedCompatTest, TatsuPaperStringJoinsAuthorsWithAnd) {
  Paper paper;
  paper.arxiv_id = "2501.00001";
  paper.title = "T";
  paper.authors = {"A B", "C D", "E F"};
  paper.abstract = "x";
  EXPECT_EQ(PaperToPromptString(paper, PromptLayout::kTatsu),
            "ArXiv ID: 2501.00001\nTitle: T\nAuthors: A B and C D and E F\n"
            "Abstract: x");
  EXPECT_EQ(PaperToPromptString(paper),
            "ArXiv ID: 2501.00001\nTitle: T\nAuthors: A B, C D, E F\n"
            "Abstract: x");
}

TEST(SeedCompatTest, DaizeDongFolderLoadsWithPromptsFromTheSiblingFolder) {
  absl::StatusOr<Config> c = LoadConfig(kDaize);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.model, "gpt-4o");
  EXPECT_EQ(c->filtering.arxiv_categories,
            (std::vector<std::string>{"cs.LG", "cs.AI"}));
  EXPECT_EQ(c->filtering.announce_types,
            (std::vector<std::string>{"new", "cross"}));
  EXPECT_FALSE(c->filtering.force_primary);
  EXPECT_EQ(c->filtering.h_cutoff, 20);
  EXPECT_EQ(c->filtering.relevance_cutoff, 8);
  EXPECT_EQ(c->filtering.novelty_cutoff, 7);
  EXPECT_TRUE(c->selection.run_author_match);
  EXPECT_DOUBLE_EQ(c->selection.author_match_score, 20);
  EXPECT_TRUE(c->selection.run_openai);
  EXPECT_TRUE(c->selection.run_title_filter);
  EXPECT_TRUE(c->selection.run_abstract_filter);
  EXPECT_EQ(c->selection.limit_per_minute, 10);
  EXPECT_EQ(c->selection.title_batch_size, 8);
  EXPECT_EQ(c->selection.abstract_batch_size, 4);
  EXPECT_TRUE(c->selection.adaptive_batch_size);
  EXPECT_EQ(c->selection.adaptive_threshold, 32);
  EXPECT_EQ(c->selection.title_retry, 3);
  EXPECT_EQ(c->selection.abstract_retry, 3);
  EXPECT_FALSE(c->output.push_to_slack);
  EXPECT_EQ(c->prompts.layout, PromptLayout::kReference);
  EXPECT_TRUE(c->selection.cache_friendly_prompt);
  const std::string prompts = kAnchors +
                              "/DaizeDong-ChatGPT-ArXiv-Paper-Assistant/"
                              "prompts/";
  // Verbatim but for the trailing newline (these files have none).
  EXPECT_EQ(c->prompts.base, ReadRaw(prompts + "base_prompt.txt"));
  EXPECT_EQ(c->prompts.topics, ReadRaw(prompts + "paper_topics.txt"));
  EXPECT_EQ(c->prompts.postfix,
            ReadRaw(prompts + "postfix_prompt_abstract.txt"));
  EXPECT_EQ(c->prompts.title_postfix.rfind("## Instruction", 0), 0u);
  EXPECT_EQ(c->prompts.score_criteria.rfind("## Scoring Criteria", 0), 0u);
  EXPECT_NE(c->prompt_paths.at("postfix_prompt")
                .find("prompts/postfix_prompt_abstract.txt"),
            std::string::npos);
  EXPECT_NE(c->prompt_paths.at("postfix_prompt_title")
                .find("prompts/postfix_prompt_title.txt"),
            std::string::npos);
  EXPECT_GE(c->authors.size(), 5u);
  EXPECT_TRUE(c->warnings.empty()) << absl::StrJoin(c->warnings, "\n");
}

// The later config.ini of the same tool: -1 = no limit, and sections for
// features this project does not have are named in one warning each.
TEST(SeedCompatTest, LaterDaizeDongConfigLoads) {
  fs::path dir = CopyAnchor("DaizeDong-ChatGPT-ArXiv-Paper-Assistant", "later");
  std::string ini = ReadRaw((dir / "configs/config.ini").string());
  const std::string from = "limit_per_minute = 10";
  ASSERT_NE(ini.find(from), std::string::npos);
  ini.replace(ini.find(from), from.size(), "limit_per_minute = -1");
  ini +=
      "\n\n[MONTHLY_SUMMARY]\nenabled = true\nmodel = gpt-5\n"
      "[HOTSPOTS]\nenabled = true\n";
  std::ofstream(dir / "configs/config.ini") << ini;
  absl::StatusOr<Config> c = LoadConfig((dir / "configs").string());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.limit_per_minute, 0);
  EXPECT_EQ(c->selection.model, "gpt-4o");  // not [MONTHLY_SUMMARY]'s
  EXPECT_TRUE(HasWarning(*c, "[MONTHLY_SUMMARY]"));
  EXPECT_TRUE(HasWarning(*c, "[HOTSPOTS]"));
  EXPECT_EQ(c->warnings.size(), 2u) << absl::StrJoin(c->warnings, "\n");
}

TEST(SeedCompatTest, MinusOneMeansNoLimitOtherNegativesAreRefused) {
  absl::StatusOr<Config> c = FromIni(
      "[SELECTION]\nlimit_per_minute = -1\ntokens_per_minute = -1\n"
      "[FILTERING]\narxiv_category = cs.LG\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.limit_per_minute, 0);
  EXPECT_EQ(c->selection.tokens_per_minute, 0);
  for (const char* setting : {"limit_per_minute", "tokens_per_minute"}) {
    absl::StatusOr<Config> bad = FromIni(absl::StrCat(
        "[SELECTION]\n", setting, " = -2\n[FILTERING]\narxiv_category = x\n"));
    ASSERT_FALSE(bad.ok()) << setting;
    EXPECT_NE(
        bad.status().message().find(absl::StrCat("[SELECTION] ", setting)),
        std::string::npos)
        << bad.status();
  }
  // Limits that never meant "none" with -1 stay refused.
  for (const char* setting : {"max_tokens", "abstract_retry"}) {
    EXPECT_FALSE(FromIni(absl::StrCat("[SELECTION]\n", setting,
                                      " = -1\n[FILTERING]\narxiv_category = "
                                      "x\n"))
                     .ok())
        << setting;
  }
}

TEST(SeedCompatTest, UnknownKeysAreWarnedNamingSectionAndKey) {
  absl::StatusOr<Config> c = FromIni(
      "[SELECTION]\nmodel = m\nmodle = typo\n[FILTERING]\narxiv_category = "
      "cs.LG\n[EXTRA]\nfoo = 1\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(HasWarning(*c, "[SELECTION] modle: unknown setting"));
  EXPECT_TRUE(HasWarning(*c, "[EXTRA] foo: unknown setting"));
  EXPECT_EQ(c->warnings.size(), 2u) << absl::StrJoin(c->warnings, "\n");
}

TEST(SeedCompatTest, CanonicalKeyWinsOverTatsuAlias) {
  absl::StatusOr<Config> c = FromIni(
      "[SELECTION]\nbatch_size = 3\nabstract_batch_size = 7\n"
      "[FILTERING]\narxiv_category = cs.LG\nhcutoff = 5\nh_cutoff = 9\n"
      "author_match = true\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.abstract_batch_size, 7);
  EXPECT_EQ(c->filtering.h_cutoff, 9);
  EXPECT_TRUE(c->selection.run_author_match);
  EXPECT_TRUE(c->warnings.empty()) << absl::StrJoin(c->warnings, "\n");
}

TEST(SeedCompatTest, NumSamplesOtherThanOneIsRefused) {
  ASSERT_TRUE(
      FromIni("[FILTERING]\narxiv_category = cs.LG\nnum_samples = 1\n").ok());
  absl::StatusOr<Config> c =
      FromIni("[FILTERING]\narxiv_category = cs.LG\nnum_samples = 3\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("[FILTERING] num_samples"),
            std::string::npos)
      << c.status();
}

TEST(SeedCompatTest, DebugSwitchesOffAreSilent) {
  absl::StatusOr<Config> c = FromIni(
      "[FILTERING]\narxiv_category = cs.LG\n[OUTPUT]\ndebug_messages = "
      "false\ndump_debug_file = false\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->warnings.empty()) << absl::StrJoin(c->warnings, "\n");
}

TEST(SeedCompatTest, CacheFriendlyAskedForInTatsuLayoutIsWarned) {
  fs::path dir = CopyAnchor("tatsu-lab-gpt_paper_assistant", "cache");
  std::ofstream(dir / "configs/config.ini", std::ios::app)
      << "\n[SELECTION]\ncache_friendly_prompt = true\n";
  absl::StatusOr<Config> c = LoadConfig((dir / "configs").string());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->selection.cache_friendly_prompt);
  EXPECT_TRUE(HasWarning(*c, "[SELECTION] cache_friendly_prompt"));
}

TEST(SeedCompatTest, ShippedConfigsAreUnchanged) {
  absl::StatusOr<Config> c =
      LoadConfig(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->prompts.layout, PromptLayout::kReference);
  EXPECT_TRUE(c->selection.cache_friendly_prompt);
  EXPECT_EQ(c->selection.limit_per_minute, 0);
  EXPECT_TRUE(c->warnings.empty()) << absl::StrJoin(c->warnings, "\n");
  for (const char* piece :
       {"base_prompt", "postfix_prompt", "score_criteria", "paper_topics"}) {
    ASSERT_EQ(c->prompt_paths.count(piece), 1u) << piece;
    EXPECT_NE(c->prompt_paths.at(piece).find(absl::StrCat("configs/", piece)),
              std::string::npos)
        << c->prompt_paths.at(piece);
  }
}

TEST(SeedCompatTest, ProfileWarningsNameTheProfileAndAreNotRepeated) {
  fs::path dir = CopyAnchor("tatsu-lab-gpt_paper_assistant", "profiles");
  fs::create_directories(dir / "configs/profiles/alice");
  std::ofstream(dir / "configs/profiles/alice/config.ini")
      << "[SELECTION]\nbatch_size = 2\nfancy = 1\n";
  absl::StatusOr<std::map<std::string, Config>> profiles =
      LoadProfiles((dir / "configs").string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Config& alice = profiles->at("alice");
  EXPECT_EQ(alice.selection.abstract_batch_size, 2);
  EXPECT_EQ(alice.prompts.layout, PromptLayout::kTatsu);
  EXPECT_FALSE(alice.selection.cache_friendly_prompt);
  ASSERT_EQ(alice.warnings.size(), 1u) << absl::StrJoin(alice.warnings, "\n");
  EXPECT_EQ(alice.warnings[0],
            "profile alice: [SELECTION] fancy: unknown setting, ignored");
  // A profile with its own criteria file uses the reference layout.
  std::ofstream(dir / "configs/profiles/alice/score_criteria.txt")
      << "## Scoring Criteria\n";
  profiles = LoadProfiles((dir / "configs").string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(profiles->at("alice").prompts.layout, PromptLayout::kReference);
  EXPECT_EQ(profiles->at("default").prompts.layout, PromptLayout::kTatsu);
}

}  // namespace
}  // namespace arxiv_digest
