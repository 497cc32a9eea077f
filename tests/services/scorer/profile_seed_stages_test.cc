// Every reader's seed-stage settings honoured by the scorer: a configs/
// folder whose profile "audio" (configs/profiles/audio/) has its own
// h_cutoff, followed authors (authors.txt, "Name, id"), author_match_score,
// title_retry, title instruction (postfix_prompt_title.txt) and adaptive
// batch settings. A run of each profile goes through the real scorer worker
// with the service's own context wiring (scorer_slots.h ProfileLlms and
// MakeContext), a real redis-server, the local Semantic Scholar stub and a
// recording LLM. Every assertion names the default profile's value that
// would make it fail if the audio run were scored with it (and the other
// way round).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/contract/paper_fate.h"
#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "services/scorer/adapters/scorer_slots.h"
#include "services/scorer/adapters/scorer_worker.h"
#include "services/scorer/adapters/semantic_scholar_client.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_test.h"
#include "tests/support/s2_stub.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_configs.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
namespace stage = contract::fate_stage;

constexpr char kDefaultRun[] = "2025-04-22-0000def0";
constexpr char kAudioRun[] = "2025-04-22-0000a0d1";
constexpr int kPapersPerRun = 12;

// The profiles' settings, written below into the two config.ini files.
// default: h_cutoff 20, title_retry 1, title batch 8, abstract batch 4, no
// adaptive sizes, author_match_score 20, follows s2-def.
// audio: h_cutoff 5, title_retry 3, title batch 3, abstract batch 2,
// adaptive sizes above 4 papers, author_match_score 7.5, follows s2-aud.
constexpr char kDefaultIni[] =
    "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = 4\n"
    "run_author_match = true\nauthor_match_score = 20\n"
    "run_title_filter = true\ntitle_batch_size = 8\ntitle_retry = 1\n"
    "adaptive_batch_size = false\nadaptive_threshold = 32\n"
    "[FILTERING]\narxiv_category = cs.CL\nrelevance_cutoff = 8\n"
    "novelty_cutoff = 7\nh_cutoff = 20\n";
constexpr char kAudioIni[] =
    "[SELECTION]\nmodel = gpt-4o-mini\nabstract_batch_size = 2\n"
    "author_match_score = 7.5\ntitle_batch_size = 3\ntitle_retry = 3\n"
    "adaptive_batch_size = true\nadaptive_threshold = 4\n"
    "[FILTERING]\narxiv_category = cs.SD\nh_cutoff = 5\n";
constexpr char kAudioTitleInstruction[] =
    "## Instruction\n\nList the arXiv ids of the papers that are not about "
    "audio or speech, as [\"ID1\", \"ID2\"]. Nothing else.";

// One prompt the LLM got, with the model of the client that sent it.
struct LlmCall {
  std::string model;
  std::string prompt;
  bool title = false;
  std::vector<std::string> ids;
};

// The chat client of one profile call setup: records every prompt; title
// prompts get an unusable reply (no list), so every title batch is tried
// title_retry + 1 times and then passed on; abstract prompts get the stub
// LLM's scores.
class RecordingLlm : public LlmClient {
 public:
  RecordingLlm(std::string model, std::vector<LlmCall>& log)
      : model_(std::move(model)), log_(log) {}
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    LlmCall call{model_, prompt, testing::IsTitlePrompt(prompt),
                 testing::ExtractPromptArxivIds(prompt)};
    ChatCompletion c;
    c.content = call.title ? "I would rather not say."
                           : testing::StubReplyContent(call.ids);
    const testing::StubUsage u = testing::StubUsageFor(prompt, c.content);
    c.usage = TokenUsage{u.prompt_tokens, u.completion_tokens, 0};
    log_.push_back(std::move(call));
    return c;
  }

 private:
  std::string model_;
  std::vector<LlmCall>& log_;
};

std::string PaperId(const std::string& run, int i) {
  return absl::StrCat(run == kDefaultRun ? "2504.1" : "2504.2", 1000 + i);
}

class ProfileSeedStagesTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
    WriteConfigs();
    absl::StatusOr<std::map<std::string, Config>> loaded =
        LoadProfiles(configs_);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    profiles_ = *std::move(loaded);
    ASSERT_EQ(profiles_.count("audio"), 1u);
    StartS2();
    if (HasFatalFailure()) return;
    for (const char* run : {kDefaultRun, kAudioRun}) AddRun(run);
    ASSERT_TRUE(redis_
                    ->HSet(keys::Run(kAudioRun),
                           {{contract::manifest_field::kProfile, "audio"}})
                    .ok());
    ScoreBothRuns();
  }
  void TearDown() override { unsetenv("S2_API_URL"); }

  // configs/ with the shipped prompts, and configs/profiles/audio/ with
  // only what differs: config.ini, authors.txt, postfix_prompt_title.txt.
  void WriteConfigs() {
    configs_ = testing::TempDir("profile-seed-");
    testing::CopyShippedPrompts(configs_);
    std::ofstream(configs_ + "/config.ini") << kDefaultIni;
    std::ofstream(configs_ + "/authors.txt")
        << "# followed by the default reader\nDana Default, s2-def\n";
    const fs::path audio = fs::path(configs_) / "profiles" / "audio";
    fs::create_directories(audio);
    std::ofstream(audio / "config.ini") << kAudioIni;
    std::ofstream(audio / "authors.txt") << "Aldo Audio, s2-aud\n";
    std::ofstream(audio / "postfix_prompt_title.txt")
        << kAudioTitleInstruction << "\n";
  }

  // S2 knows every paper with one author: paper 0 by s2-def, paper 1 by
  // s2-aud (both h-index 40), paper 2 by an author of h-index 10, paper 3
  // by one of h-index 3, the rest by authors of h-index 40. The paper
  // author names never match authors.txt: a match can only be by id.
  void StartS2() {
    auto s2 = testing::S2Stub::Start();
    ASSERT_TRUE(s2.ok()) << s2.status();
    s2_ = *std::move(s2);
    s2_->AddAuthor("s2-def", 40);
    s2_->AddAuthor("s2-aud", 40);
    s2_->AddAuthor("s2-mid", 10);
    s2_->AddAuthor("s2-low", 3);
    s2_->AddAuthor("s2-senior", 40);
    // The shared budget is 1 request/s without a key; the stub gives the
    // token back as each request arrives, so no lookup waits for the clock.
    auto watcher = RedisClient::Connect(server_->url());
    ASSERT_TRUE(watcher.ok()) << watcher.status();
    watcher_ = *std::move(watcher);
    s2_->set_on_request([this](const std::string&) {
      (void)watcher_->Command({"DEL", S2RequestBudgetKey()});
    });
    ASSERT_EQ(setenv("S2_API_URL", s2_->base_url().c_str(), 1), 0);
  }

  // The run's papers as the fetcher leaves them: the run's paper hash and
  // one papers-stream entry each.
  void AddRun(const std::string& run) {
    const char* authors[] = {"s2-def", "s2-aud", "s2-mid", "s2-low"};
    for (int i = 0; i < kPapersPerRun; ++i) {
      Paper p;
      p.arxiv_id = PaperId(run, i);
      p.title = absl::StrCat("Paper title ", i);
      p.authors = {absl::StrCat("Writer ", i)};
      p.abstract = "An abstract.";
      p.position = i;
      s2_->AddPaper(p.arxiv_id, {i < 4 ? authors[i] : "s2-senior"});
      ASSERT_TRUE(
          redis_->HSet(keys::RunPapers(run), {{p.arxiv_id, PaperToJson(p)}})
              .ok());
      ASSERT_TRUE(redis_
                      ->XAdd(keys::PapersStream(), contract::EncodePaperEntry(
                                                       {*RunId::Parse(run), p}))
                      .ok());
    }
  }

  // The scorer's own wiring (scorer_slots.cc MakeSlot): one LLM client per
  // profile call setup, each run's context built by MakeContext from its
  // profile's config.
  void ScoreBothRuns() {
    ProfileLlms llms(
        *redis_, [this](const OpenAiClientOptions& o, const SelectionConfig&) {
          return std::make_unique<RecordingLlm>(o.request.model, calls_);
        });
    ScorerMetrics metrics(std::make_shared<prometheus::Registry>());
    ScorerWorkerOptions o;
    o.block = std::chrono::milliseconds(50);
    o.batch_fill = std::chrono::milliseconds(0);
    ScorerWorker worker(
        *redis_, profiles_,
        [this, &llms](Config c) {
          LlmClient* llm = &llms.For(c);
          return MakeContext(/*lexical=*/false, llm, *redis_, std::move(c));
        },
        metrics, o);
    ASSERT_TRUE(worker.Init().ok());
    int handled = 0;
    for (int step = 0; step < 5 && handled < 2 * kPapersPerRun; ++step) {
      absl::StatusOr<int> n = worker.Step();
      ASSERT_TRUE(n.ok()) << n.status();
      handled += *n;
    }
    ASSERT_EQ(handled, 2 * kPapersPerRun);
  }

  std::map<std::string, contract::PaperFate> Fates(const std::string& run) {
    std::map<std::string, contract::PaperFate> out;
    auto fates = redis_->HGetAll(keys::RunFates(run));
    EXPECT_TRUE(fates.ok()) << fates.status();
    if (!fates.ok()) return out;
    for (const auto& [id, json] : *fates) {
      auto f = contract::DecodePaperFate(json);
      EXPECT_TRUE(f.ok()) << f.status();
      if (f.ok()) out[id] = *f;
    }
    return out;
  }

  std::map<std::string, Score> Scores(const std::string& run) {
    std::map<std::string, Score> out;
    auto entries = redis_->Command({"XRANGE", keys::ScoresStream(), "-", "+"});
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (!entries.ok()) return out;
    for (const RedisReply& e : entries->elements) {
      contract::StreamFields fields;
      const RedisReply& raw = e.elements[1];
      for (size_t i = 0; i + 1 < raw.elements.size(); i += 2) {
        fields.emplace_back(raw.elements[i].str, raw.elements[i + 1].str);
      }
      auto decoded = contract::DecodeScoresEntry(fields);
      EXPECT_TRUE(decoded.ok()) << decoded.status();
      if (!decoded.ok()) continue;
      const auto* score = std::get_if<contract::ScoreEntry>(&*decoded);
      if (score != nullptr && score->run_id.str() == run) {
        out[score->score.arxiv_id] = score->score;
      }
    }
    return out;
  }

  // The run's LLM calls of one stage, in the order made.
  std::vector<LlmCall> Calls(const std::string& run, bool title) const {
    std::vector<LlmCall> out;
    for (const LlmCall& c : calls_) {
      if (c.title == title && !c.ids.empty() &&
          absl::StartsWith(c.ids.front(), PaperId(run, 0).substr(0, 6))) {
        out.push_back(c);
      }
    }
    return out;
  }

  // Batch sizes in call order, one per distinct prompt (a retried title
  // batch sends the same prompt again).
  static std::vector<size_t> BatchSizes(const std::vector<LlmCall>& calls) {
    std::vector<size_t> sizes;
    std::string last;
    for (const LlmCall& c : calls) {
      if (c.prompt == last) continue;
      sizes.push_back(c.ids.size());
      last = c.prompt;
    }
    return sizes;
  }

  std::string configs_;
  std::map<std::string, Config> profiles_;
  std::unique_ptr<testing::S2Stub> s2_;
  std::unique_ptr<RedisClient> watcher_;
  std::vector<LlmCall> calls_;
};

TEST_F(ProfileSeedStagesTest, HIndexStageDropsByEachProfilesOwnCutoff) {
  const auto def = Fates(kDefaultRun);
  const auto audio = Fates(kAudioRun);
  ASSERT_EQ(def.size(), static_cast<size_t>(kPapersPerRun));
  ASSERT_EQ(audio.size(), static_cast<size_t>(kPapersPerRun));
  // Paper 2's best author has h-index 10: below the default's 20, dropped.
  // (Audio's h_cutoff 5 here would keep it.)
  const contract::PaperFate& d2 = def.at(PaperId(kDefaultRun, 2));
  EXPECT_EQ(d2.stage, stage::kHIndex);
  EXPECT_TRUE(d2.dropped);
  EXPECT_EQ(d2.best_h_index, 10);
  EXPECT_NE(d2.reason.find("<20"), std::string::npos) << d2.reason;
  // Kept by audio's own h_cutoff 5. (The default's 20 would drop it.)
  const contract::PaperFate& a2 = audio.at(PaperId(kAudioRun, 2));
  EXPECT_EQ(a2.stage, stage::kAbstract);
  EXPECT_EQ(a2.best_h_index, 10);
  // h-index 3 is below both cut-offs; audio's reason names its own 5
  // (the default's would say "<20").
  const contract::PaperFate& a3 = audio.at(PaperId(kAudioRun, 3));
  EXPECT_EQ(a3.stage, stage::kHIndex);
  EXPECT_TRUE(a3.dropped);
  EXPECT_NE(a3.reason.find("<5"), std::string::npos) << a3.reason;
  EXPECT_EQ(def.at(PaperId(kDefaultRun, 3)).stage, stage::kHIndex);
  int def_dropped = 0, audio_dropped = 0;
  for (const auto& [id, f] : def) def_dropped += f.stage == stage::kHIndex;
  for (const auto& [id, f] : audio) audio_dropped += f.stage == stage::kHIndex;
  EXPECT_EQ(def_dropped, 2);
  EXPECT_EQ(audio_dropped, 1);  // 2 with the default's cut-off
}

TEST_F(ProfileSeedStagesTest, FollowedAuthorsAreEachProfilesOwnById) {
  const auto def_fates = Fates(kDefaultRun);
  const auto audio_fates = Fates(kAudioRun);
  const auto def = Scores(kDefaultRun);
  const auto audio = Scores(kAudioRun);
  ASSERT_EQ(def.size(), static_cast<size_t>(kPapersPerRun));
  ASSERT_EQ(audio.size(), static_cast<size_t>(kPapersPerRun));
  // Default: paper 0 (s2-def, its authors.txt) is matched, scored 20.
  const Score& d0 = def.at(PaperId(kDefaultRun, 0));
  EXPECT_TRUE(d0.author_match);
  EXPECT_DOUBLE_EQ(d0.author_match_score, 20.0);
  EXPECT_EQ(def_fates.at(PaperId(kDefaultRun, 0)).reason,
            "followed author (Semantic Scholar id)");
  // s2-aud is not the default reader's (would fail with audio's authors).
  EXPECT_FALSE(def.at(PaperId(kDefaultRun, 1)).author_match);
  // Audio: paper 1 (s2-aud, profiles/audio/authors.txt), at audio's 7.5.
  // The default's authors.txt would match paper 0 instead, and its
  // author_match_score would give 20.
  const Score& a1 = audio.at(PaperId(kAudioRun, 1));
  EXPECT_TRUE(a1.author_match);
  EXPECT_DOUBLE_EQ(a1.author_match_score, 7.5);
  EXPECT_EQ(audio_fates.at(PaperId(kAudioRun, 1)).stage, stage::kAuthorMatch);
  EXPECT_EQ(audio_fates.at(PaperId(kAudioRun, 1)).reason,
            "followed author (Semantic Scholar id)");
  EXPECT_FALSE(audio.at(PaperId(kAudioRun, 0)).author_match);
  EXPECT_EQ(audio_fates.at(PaperId(kAudioRun, 0)).stage, stage::kAbstract);
  int def_matched = 0, audio_matched = 0;
  for (const auto& [id, s] : def) def_matched += s.author_match;
  for (const auto& [id, s] : audio) audio_matched += s.author_match;
  EXPECT_EQ(def_matched, 1);
  EXPECT_EQ(audio_matched, 1);
}

TEST_F(ProfileSeedStagesTest, TitlePromptsEndWithEachProfilesOwnInstruction) {
  std::ifstream shipped(configs_ + "/postfix_prompt_title.txt");
  std::string def_instruction((std::istreambuf_iterator<char>(shipped)),
                              std::istreambuf_iterator<char>());
  while (!def_instruction.empty() && def_instruction.back() == '\n') {
    def_instruction.pop_back();
  }
  ASSERT_FALSE(def_instruction.empty());
  const auto def = Calls(kDefaultRun, /*title=*/true);
  const auto audio = Calls(kAudioRun, /*title=*/true);
  ASSERT_FALSE(def.empty());
  ASSERT_FALSE(audio.empty());
  for (const LlmCall& c : def) {
    EXPECT_TRUE(absl::EndsWith(c.prompt, "\n\n" + def_instruction));
    EXPECT_EQ(c.model, "gpt-4o");
  }
  // The audio folder's own file, not configs/postfix_prompt_title.txt.
  for (const LlmCall& c : audio) {
    EXPECT_TRUE(
        absl::EndsWith(c.prompt, absl::StrCat("\n\n", kAudioTitleInstruction)))
        << c.prompt.substr(c.prompt.size() - 200);
    EXPECT_EQ(c.prompt.find(def_instruction), std::string::npos);
    EXPECT_EQ(c.model, "gpt-4o-mini");
  }
}

TEST_F(ProfileSeedStagesTest, UnusableTitleRepliesAreTriedTitleRetryPlusOne) {
  // Every title reply is unusable: each batch is sent title_retry + 1
  // times, then passed on to the abstract stage.
  for (const auto& [run, attempts] :
       {std::pair<const char*, int>{kDefaultRun, 2}, {kAudioRun, 4}}) {
    std::map<std::string, int> per_prompt;
    for (const LlmCall& c : Calls(run, /*title=*/true)) ++per_prompt[c.prompt];
    ASSERT_EQ(per_prompt.size(), 2u) << run;  // two title batches each
    // Default: 1 + 1 (audio's 3 would give 4); audio: 3 + 1 (the
    // default's 1 would give 2).
    for (const auto& [prompt, n] : per_prompt) EXPECT_EQ(n, attempts) << run;
  }
  // Nothing lost: the passed-on papers were scored from their abstracts.
  const auto audio = Fates(kAudioRun);
  const contract::PaperFate& a4 = audio.at(PaperId(kAudioRun, 4));
  EXPECT_EQ(a4.stage, stage::kAbstract);
  EXPECT_NE(a4.reason.find("title stage failed"), std::string::npos)
      << a4.reason;
}

TEST_F(ProfileSeedStagesTest, BatchSizesFollowEachProfilesAdaptiveSettings) {
  // Default: 9 papers enter the title stage (12 - 1 matched - 2 h-index),
  // fixed sizes: titles 8 + 1, abstracts 4 + 4 + 1. With audio's adaptive
  // settings (threshold 4) they would grow x3 (titles 9, abstracts 9).
  EXPECT_EQ(BatchSizes(Calls(kDefaultRun, true)), (std::vector<size_t>{8, 1}));
  EXPECT_EQ(BatchSizes(Calls(kDefaultRun, false)),
            (std::vector<size_t>{4, 4, 1}));
  // Audio: 10 papers enter (12 - 1 matched - 1 h-index); 10 > threshold
  // 4, so x ceil(log2(10 / 4) + 1) = x3: titles 9 + 1, abstracts 6 + 4.
  // The default's adaptive_batch_size = false (or its threshold 32) would
  // give titles 3+3+3+1 and abstracts 2+2+2+2+2.
  EXPECT_EQ(BatchSizes(Calls(kAudioRun, true)), (std::vector<size_t>{9, 1}));
  EXPECT_EQ(BatchSizes(Calls(kAudioRun, false)), (std::vector<size_t>{6, 4}));
  for (const LlmCall& c : Calls(kAudioRun, false)) {
    EXPECT_EQ(c.model, "gpt-4o-mini");
  }
  for (const LlmCall& c : Calls(kDefaultRun, false)) {
    EXPECT_EQ(c.model, "gpt-4o");
  }
}

}  // namespace
}  // namespace arxiv_digest
