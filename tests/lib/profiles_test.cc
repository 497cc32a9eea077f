#include "lib/config/profiles.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

class ProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("profiles_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::copy(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "configs", dir_,
             fs::copy_options::recursive);
  }
  void Write(const fs::path& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  fs::path dir_;
};

TEST_F(ProfilesTest, DefaultOnlyWithoutProfilesFolder) {
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_EQ(profiles->at("default").profile, "default");
}

TEST_F(ProfilesTest, ProfileOverridesSettingsAndFilesFallBack) {
  Write(
      "profiles/vision/config.ini",
      "[FILTERING]\nrelevance_cutoff = 5\n[SELECTION]\nmodel = gpt-4o-mini\n");
  Write("profiles/vision/paper_topics.txt",
        "## Relevant Topics\n\n1. Vision\n\n");
  Write("profiles/vision/authors.txt", "Fei-Fei Li, 123\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 2u);
  const Config& def = profiles->at("default");
  const Config& vision = profiles->at("vision");
  EXPECT_EQ(vision.profile, "vision");
  EXPECT_EQ(vision.filtering.relevance_cutoff, 5);
  EXPECT_EQ(vision.filtering.novelty_cutoff, def.filtering.novelty_cutoff);
  EXPECT_EQ(vision.selection.model, "gpt-4o-mini");
  EXPECT_EQ(vision.filtering.arxiv_categories, def.filtering.arxiv_categories);
  EXPECT_EQ(vision.prompts.topics, "## Relevant Topics\n\n1. Vision");
  EXPECT_EQ(vision.prompts.base, def.prompts.base);
  ASSERT_EQ(vision.authors.size(), 1u);
  EXPECT_EQ(vision.authors[0].name, "Fei-Fei Li");
}

TEST_F(ProfilesTest, BadProfilesAreNamed) {
  Write("profiles/Bad Name/config.ini", "");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_NE(profiles.status().message().find("Bad Name"), std::string::npos);

  fs::remove_all(dir_ / "profiles");
  Write("profiles/ml/config.ini", "[FILTERING]\nnovelty_cutoff = lots\n");
  profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_NE(profiles.status().message().find("profile ml"), std::string::npos);
  EXPECT_NE(profiles.status().message().find("novelty_cutoff"),
            std::string::npos);
}

// A profile that turns the title stage on needs the stage's instruction,
// as the default profile does; else its title prompts end with nothing.
TEST_F(ProfilesTest, TitleStageWithoutItsInstructionNamesProfileAndSetting) {
  fs::remove(dir_ / "postfix_prompt_title.txt");
  ASSERT_TRUE(LoadProfiles(dir_.string()).ok()) << "the default has it off";
  Write("profiles/fast/config.ini", "[SELECTION]\nrun_title_filter = true\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(profiles.status().message(),
            "profile fast: [SELECTION] run_title_filter: needs "
            "postfix_prompt_title.txt");
}

TEST_F(ProfilesTest, TitleStageInstructionIsInheritedOrTheProfilesOwn) {
  Write("profiles/fast/config.ini", "[SELECTION]\nrun_title_filter = true\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Config& fast = profiles->at("fast");
  EXPECT_TRUE(fast.selection.run_title_filter);
  EXPECT_FALSE(fast.prompts.title_postfix.empty());
  EXPECT_EQ(fast.prompts.title_postfix,
            profiles->at("default").prompts.title_postfix);

  // Without the default's file, the profile's own one is enough.
  fs::remove(dir_ / "postfix_prompt_title.txt");
  Write("profiles/fast/postfix_prompt_title.txt", "List the ids to drop.\n");
  profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(profiles->at("fast").prompts.title_postfix,
            "List the ids to drop.");
}

TEST(WithTopicsOverrideTest, ReplacesOnlyTheTopics) {
  Config c;
  c.prompts.topics = "old";
  c.prompts.base = "base";
  EXPECT_EQ(WithTopicsOverride(c, "new topics\n").prompts.topics, "new topics");
  EXPECT_EQ(WithTopicsOverride(c, "new").prompts.base, "base");
  EXPECT_EQ(WithTopicsOverride(c, "").prompts.topics, "old");
  EXPECT_TRUE(IsValidProfileName("ml-lab_2"));
  EXPECT_FALSE(IsValidProfileName("../etc"));
  EXPECT_FALSE(IsValidProfileName(""));
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(ListProfileNamesTest, DefaultFirstThenSortedValidFolders) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(::testing::TempDir()) / "list_profiles";
  fs::remove_all(dir);
  for (const char* name : {"zeta", "alpha", "Bad Name", "default"}) {
    fs::create_directories(dir / "profiles" / name);
  }
  std::ofstream(dir / "profiles" / "not-a-folder") << "x";
  EXPECT_EQ(ListProfileNames(dir.string()),
            (std::vector<std::string>{"default", "alpha", "zeta"}));
  EXPECT_EQ(ListProfileNames((dir / "missing").string()),
            std::vector<std::string>{"default"});
}

}  // namespace
}  // namespace arxiv_digest
