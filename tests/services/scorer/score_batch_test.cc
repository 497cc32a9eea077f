// The scorer's use case with fakes of its ports (no Redis): what is
// appended, in which order and with which call ids and labels, and what
// happens to the run's entries when something fails.
#include "services/scorer/logic/score_batch.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

class FakeBackend : public ScoringBackend {
 public:
  absl::Status fail = absl::OkStatus();
  int calls = 0;
  std::vector<std::string> seen;  // ids sent, over all calls
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) override {
    ++calls;
    if (!fail.ok()) return fail;
    BatchOutcome out;
    for (const Paper& p : papers) {
      seen.push_back(p.arxiv_id);
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.relevance = 9;
      // The paper whose id ends in 9 never comes back from the "LLM".
      s.scored = p.arxiv_id.back() != '9';
      out.scores.push_back(s);
    }
    out.calls = {TokenUsage{50, 5, 0}, TokenUsage{20, 2, 10}};
    out.reply_errors = {"garbage line"};
    return out;
  }
  std::string model() const override { return "fake-model"; }
};

class FakeCache : public ScoreCache {
 public:
  std::map<std::string, Score> hits;
  std::map<std::string, Score> Lookup(
      const std::vector<Paper>& papers) override {
    std::map<std::string, Score> out;
    for (const Paper& p : papers) {
      if (hits.count(p.arxiv_id)) out[p.arxiv_id] = hits[p.arxiv_id];
    }
    return out;
  }
  void Store(const std::vector<Paper>&, const std::vector<Score>&) override {}
};

class FakeSink : public ScoreSink {
 public:
  struct Record {
    std::string type, run_id, model, id;  // id: arxiv id or call id
    Score score;
  };
  std::vector<Record> records;
  absl::Status fail = absl::OkStatus();
  absl::Status AppendScore(const std::string& run_id, const std::string& model,
                           const Score& score) override {
    if (!fail.ok()) return fail;
    records.push_back({"score", run_id, model, score.arxiv_id, score});
    return absl::OkStatus();
  }
  absl::Status AppendUsage(const std::string& run_id,
                           const std::string& call_id, const std::string& model,
                           const TokenUsage&) override {
    if (!fail.ok()) return fail;
    records.push_back({"usage", run_id, model, call_id, {}});
    return absl::OkStatus();
  }
  std::vector<contract::PaperFate> fates;
  size_t fates_at = 0;  // records appended before the fates
  absl::Status RecordFates(
      const std::string&,
      const std::vector<contract::PaperFate>& batch_fates) override {
    if (!fail.ok()) return fail;
    fates_at = records.size();
    fates.insert(fates.end(), batch_fates.begin(), batch_fates.end());
    return absl::OkStatus();
  }
};

class FakeRunInfo : public RunInfo {
 public:
  std::optional<int> stored;
  std::optional<int> stored_by_other;  // another replica wins the race
  std::vector<Paper> papers;
  int loads = 0, stores = 0, papers_reads = 0;
  absl::StatusOr<std::optional<int>> LoadPrefilterThreshold(
      const std::string&) override {
    ++loads;
    return stored;
  }
  absl::StatusOr<bool> StorePrefilterThresholdIfAbsent(const std::string&,
                                                       int threshold) override {
    ++stores;
    if (stored_by_other) {
      stored = stored_by_other;
      return false;
    }
    stored = threshold;
    return true;
  }
  absl::StatusOr<std::vector<Paper>> RunPapers(const std::string&) override {
    ++papers_reads;
    return papers;
  }
};

// Contexts by run id; a run not listed has an unknown profile.
class FakeContexts : public RunContexts {
 public:
  std::map<std::string, std::unique_ptr<ScoringContext>> by_run;
  absl::StatusOr<ScoringContext*> ForRun(const std::string& run_id) override {
    auto it = by_run.find(run_id);
    if (it == by_run.end()) {
      return absl::NotFoundError("run " + run_id + " asks for unknown profile");
    }
    return it->second.get();
  }
};

// Forwards to a backend the test owns.
class Forwarding : public ScoringBackend {
 public:
  explicit Forwarding(ScoringBackend& inner) : inner_(inner) {}
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& p) override {
    return inner_.ScoreBatch(p);
  }
  std::string model() const override { return inner_.model(); }

 private:
  ScoringBackend& inner_;
};

Paper MakePaper(const std::string& id, const std::string& abstract = "X") {
  Paper p;
  p.arxiv_id = id;
  p.title = "T";
  p.authors = {"A B"};
  p.abstract = abstract;
  return p;
}

RunBatch Batch(const std::string& run, std::vector<std::string> arxiv_ids) {
  RunBatch b{run, {}};
  for (size_t i = 0; i < arxiv_ids.size(); ++i) {
    b.work.push_back(
        RunWork{absl::StrCat(100 + i, "-0"), MakePaper(arxiv_ids[i])});
  }
  return b;
}

class ScoreBatchTest : public ::testing::Test {
 protected:
  ScoringContext& AddRun(const std::string& run) {
    auto ctx = std::make_unique<ScoringContext>();
    ctx->backend = std::make_unique<Forwarding>(backend_);
    ScoringContext& ref = *ctx;
    contexts_.by_run[run] = std::move(ctx);
    return ref;
  }
  RunDisposition Score(const RunBatch& batch) {
    return ScoreRun(batch, contexts_, run_info_, sink_, observer_);
  }
  void SetUp() override {
    observer_.on_paper = [this](const std::string&,
                                const arxiv_digest::Score& s,
                                std::string_view label) {
      labels_[s.arxiv_id] = std::string(label);
    };
    observer_.on_batch = [this](std::string_view o) {
      batches_.push_back(std::string(o));
    };
    observer_.on_reply_error = [this](const std::string&,
                                      const std::string& e) {
      reply_errors_.push_back(e);
    };
    observer_.on_prefilter_threshold = [this](const std::string&, int t) {
      thresholds_.push_back(t);
    };
  }

  FakeBackend backend_;
  FakeSink sink_;
  FakeRunInfo run_info_;
  FakeContexts contexts_;
  ScoreObserver observer_;
  std::map<std::string, std::string> labels_;
  std::vector<std::string> batches_, reply_errors_;
  std::vector<int> thresholds_;
};

TEST_F(ScoreBatchTest, UsageFirstWithCallIdsThenScoresThenAck) {
  AddRun("run-a");
  RunDisposition d = Score(Batch("run-a", {"2504.00001", "2504.00002"}));
  ASSERT_TRUE(d.error.ok()) << d.error;
  EXPECT_EQ(d.ack, (std::vector<std::string>{"100-0", "101-0"}));
  EXPECT_TRUE(d.keep.empty());
  EXPECT_TRUE(d.give_ups.empty());
  ASSERT_EQ(sink_.records.size(), 4u);
  EXPECT_EQ(sink_.records[0].type, "usage");
  EXPECT_EQ(sink_.records[0].id, "100-0#0");
  EXPECT_EQ(sink_.records[1].id, "100-0#1");
  EXPECT_EQ(sink_.records[2].type, "score");
  EXPECT_EQ(sink_.records[2].id, "2504.00001");
  EXPECT_EQ(sink_.records[3].id, "2504.00002");
  for (const auto& r : sink_.records) {
    EXPECT_EQ(r.run_id, "run-a");
    EXPECT_EQ(r.model, "fake-model");
  }
  EXPECT_EQ(batches_, std::vector<std::string>{"ok"});
  EXPECT_EQ(reply_errors_, std::vector<std::string>{"garbage line"});
}

TEST_F(ScoreBatchTest, EachScoreGetsItsOutcomeLabel) {
  ScoringContext& ctx = AddRun("run-a");
  ctx.config.selection.run_author_match = true;
  ctx.config.authors = {FollowedAuthor{"Ada Lovelace", ""}};
  auto cache = std::make_unique<FakeCache>();
  arxiv_digest::Score hit;
  hit.arxiv_id = "2504.00003";
  hit.relevance = 5;
  cache->hits[hit.arxiv_id] = hit;
  ctx.cache = std::move(cache);
  ctx.lexical = std::make_unique<LexicalScorer>("transformers");
  ctx.config.selection.prefilter_keep_share = 0.5;
  // The run's agreed threshold 0 lets every paper past the pre-filter
  // (BelowTheAgreedThresholdIsPrefiltered covers the other side).
  run_info_.stored = 0;
  RunBatch batch =
      Batch("run-a", {"2504.00001", "2504.00002", "2504.00003", "2504.00009"});
  batch.work[0].paper.authors = {"Ada Lovelace"};
  RunDisposition d = Score(batch);
  ASSERT_TRUE(d.error.ok()) << d.error;
  EXPECT_EQ(labels_["2504.00001"], "author_match");
  EXPECT_EQ(labels_["2504.00002"], "scored");
  EXPECT_EQ(labels_["2504.00003"], "cached");
  EXPECT_EQ(labels_["2504.00009"], "unscored");
  EXPECT_EQ(backend_.seen,
            (std::vector<std::string>{"2504.00002", "2504.00009"}));

  arxiv_digest::Score filtered;
  filtered.scored = false;
  filtered.prefiltered = true;
  EXPECT_EQ(OutcomeLabel(filtered), "prefiltered");
  arxiv_digest::Score dropped;  // by the h-index or title stage
  dropped.filtered = true;
  EXPECT_EQ(OutcomeLabel(dropped), "filtered");
}

TEST_F(ScoreBatchTest, BelowTheAgreedThresholdIsPrefiltered) {
  ScoringContext& ctx = AddRun("run-a");
  ctx.lexical = std::make_unique<LexicalScorer>("transformers");
  ctx.config.selection.prefilter_keep_share = 0.5;
  run_info_.stored = 1000;  // no paper reaches it
  RunDisposition d = Score(Batch("run-a", {"2504.00001"}));
  ASSERT_TRUE(d.error.ok());
  EXPECT_EQ(labels_["2504.00001"], "prefiltered");
  EXPECT_EQ(backend_.calls, 0);
  EXPECT_EQ(run_info_.papers_reads, 0) << "a stored threshold is used as is";
  EXPECT_EQ(d.ack, std::vector<std::string>{"100-0"});
}

TEST_F(ScoreBatchTest, PrefilterThresholdIsComputedOnceAndReused) {
  ScoringContext& ctx = AddRun("run-a");
  ctx.lexical = std::make_unique<LexicalScorer>("transformers attention");
  ctx.config.selection.prefilter_keep_share = 0.5;
  run_info_.papers = {MakePaper("2504.00001", "transformers attention"),
                      MakePaper("2504.00002", "cooking recipes"),
                      MakePaper("2504.00003", "attention transformers"),
                      MakePaper("2504.00004", "gardening")};
  ASSERT_TRUE(Score(Batch("run-a", {"2504.00001"})).error.ok());
  ASSERT_TRUE(Score(Batch("run-a", {"2504.00002"})).error.ok());
  EXPECT_EQ(run_info_.papers_reads, 1);
  EXPECT_EQ(run_info_.stores, 1);
  EXPECT_EQ(run_info_.loads, 1);
  ASSERT_EQ(thresholds_.size(), 1u);
  ASSERT_TRUE(run_info_.stored.has_value());
  EXPECT_EQ(ctx.prefilter_threshold, *run_info_.stored);
  EXPECT_EQ(thresholds_[0], *run_info_.stored);
}

// Two replicas computing at once: the one stored first is used by both.
TEST_F(ScoreBatchTest, AThresholdStoredFirstByAnotherReplicaWins) {
  ScoringContext& ctx = AddRun("run-a");
  ctx.lexical = std::make_unique<LexicalScorer>("transformers");
  ctx.config.selection.prefilter_keep_share = 0.5;
  run_info_.papers = {MakePaper("2504.00001")};
  run_info_.stored_by_other = 7;
  absl::StatusOr<int> t =
      AgreedPrefilterThreshold("run-a", ctx, run_info_, observer_);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 7);
  EXPECT_EQ(ctx.prefilter_threshold, 7);
  EXPECT_EQ(run_info_.loads, 2);
}

TEST_F(ScoreBatchTest, UnknownProfileGivesUpThatRunOnly) {
  AddRun("run-a");
  RunDisposition lost = Score(Batch("run-x", {"2504.00001", "2504.00002"}));
  EXPECT_EQ(lost.error.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(lost.ack.empty());
  EXPECT_TRUE(lost.keep.empty());
  ASSERT_EQ(lost.give_ups.size(), 2u);
  EXPECT_EQ(lost.give_ups[1].entry_id, "101-0");
  EXPECT_EQ(lost.give_ups[1].run_id, "run-x");
  ASSERT_TRUE(lost.give_ups[1].unscored.has_value());
  EXPECT_EQ(lost.give_ups[1].unscored->arxiv_id, "2504.00002");
  EXPECT_NE(lost.give_ups[1].unscored->error.find("unknown profile"),
            std::string::npos);
  EXPECT_TRUE(sink_.records.empty());

  RunDisposition ok = Score(Batch("run-a", {"2504.00003"}));
  EXPECT_TRUE(ok.error.ok());
  EXPECT_EQ(ok.ack, std::vector<std::string>{"100-0"});
}

TEST_F(ScoreBatchTest, BackendFailureLeavesEntriesPending) {
  AddRun("run-a");
  backend_.fail = absl::UnavailableError("provider down");
  RunDisposition d = Score(Batch("run-a", {"2504.00001", "2504.00002"}));
  EXPECT_EQ(d.error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(d.keep, (std::vector<std::string>{"100-0", "101-0"}));
  EXPECT_TRUE(d.ack.empty());
  EXPECT_TRUE(d.give_ups.empty());
  EXPECT_FALSE(d.pause);
  EXPECT_TRUE(sink_.records.empty());
  EXPECT_EQ(batches_, std::vector<std::string>{"failed"});

  backend_.fail = absl::PermissionDeniedError("bad key");
  d = Score(Batch("run-a", {"2504.00001"}));
  EXPECT_EQ(d.keep, std::vector<std::string>{"100-0"});
  EXPECT_TRUE(d.pause) << "a rejected key pauses the worker";
}

TEST_F(ScoreBatchTest, SinkFailureLeavesEntriesPending) {
  AddRun("run-a");
  sink_.fail = absl::UnavailableError("redis gone");
  RunDisposition d = Score(Batch("run-a", {"2504.00001"}));
  EXPECT_EQ(d.keep, std::vector<std::string>{"100-0"});
  EXPECT_TRUE(d.ack.empty());
}

TEST_F(ScoreBatchTest, FatesAfterUsageBeforeScoresAdaptiveSizesFromTheRun) {
  ScoringContext& ctx = AddRun("run-a");
  ctx.config.selection.adaptive_batch_size = true;
  ctx.config.selection.adaptive_threshold = 2;
  ctx.config.selection.abstract_batch_size = 1;
  ctx.config.filtering.relevance_cutoff = 8;
  // 8 papers in the run: 1 x ceil(log2(8 / 2) + 1) = 3 per call.
  for (int i = 0; i < 8; ++i) run_info_.papers.push_back(MakePaper("x"));
  RunDisposition d = Score(
      Batch("run-a", {"2504.00001", "2504.00002", "2504.00003", "2504.00009"}));
  ASSERT_TRUE(d.error.ok()) << d.error;
  EXPECT_EQ(backend_.calls, 2);  // 3 + 1
  ASSERT_EQ(sink_.fates.size(), 4u);
  EXPECT_EQ(sink_.fates_at, 4u);  // after 2 x 2 usage records
  ASSERT_EQ(sink_.records.size(), 8u);
  EXPECT_EQ(sink_.records[4].type, "score");
  EXPECT_EQ(sink_.fates[0].stage, contract::fate_stage::kAbstract);
  EXPECT_FALSE(sink_.fates[0].dropped);
  EXPECT_EQ(sink_.fates[3].stage, contract::fate_stage::kUnscored);
}

TEST_F(ScoreBatchTest, WithoutAdaptiveSizesTheRunIsNotCounted) {
  AddRun("run-a");
  ASSERT_TRUE(Score(Batch("run-a", {"2504.00001"})).error.ok());
  EXPECT_EQ(run_info_.papers_reads, 0);
}

}  // namespace
}  // namespace arxiv_digest
