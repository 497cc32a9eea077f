// One scorer replica's loop against a real redis-server: read, score,
// append, ack; take over a dead replica's entries; dead-letter what can
// never succeed.
#include "services/scorer/adapters/scorer_worker.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class FakeBackend : public ScoringBackend {
 public:
  absl::Status fail = absl::OkStatus();
  int calls = 0;
  std::function<void()> during_call;  // runs while the "LLM call" is on
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) override {
    ++calls;
    if (during_call) during_call();
    if (!fail.ok()) return fail;
    BatchOutcome out;
    for (const Paper& p : papers) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.relevance = 9;
      s.novelty = 8;
      s.comment = "fake";
      out.scores.push_back(s);
    }
    out.calls.push_back(TokenUsage{50, 5, 0});
    return out;
  }
  std::string model() const override { return "fake-model"; }
};

// Hands the test's fake to the worker's per-run contexts without giving
// up ownership.
class ForwardingBackend : public ScoringBackend {
 public:
  explicit ForwardingBackend(ScoringBackend& inner) : inner_(inner) {}
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& p) override {
    return inner_.ScoreBatch(p);
  }
  std::string model() const override { return inner_.model(); }

 private:
  ScoringBackend& inner_;
};

class ScorerWorkerTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
    profiles_["default"].selection.abstract_batch_size = 4;
    Config vision;
    vision.profile = "vision";
    vision.prompts.topics = "vision topics";
    profiles_["vision"] = vision;
    metrics_ = std::make_unique<ScorerMetrics>(
        std::make_shared<prometheus::Registry>());
  }

  std::string AddPaper(const std::string& run, int i) {
    Paper p;
    p.arxiv_id = absl::StrCat("2504.", 10000 + i);
    p.title = "T";
    p.authors = {"A"};
    p.abstract = "X";
    p.position = i;
    return *redis_->XAdd(
        keys::PapersStream(),
        {{"run_id", run}, {"arxiv_id", p.arxiv_id}, {"paper", PaperToJson(p)}});
  }

  std::unique_ptr<ScorerWorker> MakeWorker(const std::string& consumer,
                                           ScoringBackend& backend,
                                           std::chrono::milliseconds claim_idle,
                                           int max_deliveries = 5,
                                           RedisClient* keepalive = nullptr) {
    ScorerWorkerOptions o;
    o.consumer = consumer;
    o.block = std::chrono::milliseconds(50);
    o.batch_fill = batch_fill_;
    o.claim_idle = claim_idle;
    o.max_deliveries = max_deliveries;
    o.auth_error_pause = std::chrono::milliseconds(0);
    auto w = std::make_unique<ScorerWorker>(
        *redis_, profiles_,
        [this, &backend](Config c) {
          contexts_made_.push_back(c);
          auto ctx = std::make_unique<ScoringContext>();
          ctx->backend = std::make_unique<ForwardingBackend>(backend);
          ctx->config = std::move(c);
          return ctx;
        },
        *metrics_, o, SystemClock(), keepalive);
    EXPECT_TRUE(w->Init().ok());
    return w;
  }

  std::vector<StreamEntry> Scores() {
    auto r = redis_->Command({"XRANGE", keys::ScoresStream(), "-", "+"});
    std::vector<StreamEntry> out;
    for (const RedisReply& e : r->elements) {
      StreamEntry se;
      se.id = e.elements[0].str;
      for (size_t i = 0; i + 1 < e.elements[1].elements.size(); i += 2) {
        se.fields.emplace_back(e.elements[1].elements[i].str,
                               e.elements[1].elements[i + 1].str);
      }
      out.push_back(se);
    }
    return out;
  }
  // Redis measures idle time in real milliseconds: a claim_idle of 0 (1 ms
  // for the stream consumer) needs the entry to have been idle that long.
  static void LetEntriesIdle() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int64_t Pending() {
    auto r =
        redis_->Command({"XPENDING", keys::PapersStream(), keys::kScorerGroup});
    return r->elements.empty() ? 0 : r->elements[0].integer;
  }

  std::chrono::milliseconds batch_fill_{50};
  std::map<std::string, Config> profiles_;
  std::vector<Config> contexts_made_;
  std::unique_ptr<ScorerMetrics> metrics_;
};

TEST_F(ScorerWorkerTest, ScoresAreAppendedThenAcked) {
  FakeBackend backend;
  auto worker = MakeWorker("c1", backend, std::chrono::minutes(1));
  for (int i = 0; i < 6; ++i) AddPaper("run-a", i);
  int handled = 0;
  for (int step = 0; step < 5 && handled < 6; ++step)
    handled += *worker->Step();
  EXPECT_EQ(handled, 6);
  EXPECT_EQ(backend.calls, 2);  // batches of 4 and 2
  EXPECT_EQ(Pending(), 0);
  std::vector<StreamEntry> scores = Scores();
  int score_entries = 0, usage_entries = 0;
  for (const StreamEntry& e : scores) {
    EXPECT_EQ(e.Field("run_id"), "run-a");
    if (e.Field("type") == "score") {
      ++score_entries;
      absl::StatusOr<Score> s = ScoreFromJson(*e.Field("score"));
      ASSERT_TRUE(s.ok());
      EXPECT_EQ(s->relevance, 9);
      EXPECT_EQ(e.Field("model"), "fake-model");
    } else if (e.Field("type") == "usage") {
      ++usage_entries;
      EXPECT_TRUE(e.Field("call_id").has_value());
    }
  }
  EXPECT_EQ(score_entries, 6);
  EXPECT_EQ(usage_entries, 2);
}

// Papers trickling in one by one (as the fetcher appends them) are topped
// up into one full batch instead of one LLM call each.
TEST_F(ScorerWorkerTest, PartialBatchesAreToppedUpWhilePapersArrive) {
  FakeBackend backend;
  batch_fill_ = std::chrono::milliseconds(3000);
  auto worker = MakeWorker("c1", backend, std::chrono::minutes(1));
  // Only while the fetcher is still appending is there anything to wait for.
  ASSERT_TRUE(redis_->HSet(keys::Run("run-f"), {{"status", "fetching"}}).ok());
  AddPaper("run-f", 0);
  std::thread trickle([this] {
    auto redis = RedisClient::Connect(server_->url());
    for (int i = 1; i < 4; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      Paper p;
      p.arxiv_id = absl::StrCat("2504.", 10000 + i);
      p.title = "T";
      p.authors = {"A"};
      p.abstract = "X";
      ASSERT_TRUE((*redis)
                      ->XAdd(keys::PapersStream(), {{"run_id", "run-f"},
                                                    {"arxiv_id", p.arxiv_id},
                                                    {"paper", PaperToJson(p)}})
                      .ok());
    }
  });
  absl::StatusOr<int> handled = worker->Step();
  trickle.join();
  ASSERT_TRUE(handled.ok());
  EXPECT_EQ(*handled, 4);
  EXPECT_EQ(backend.calls, 1) << "one call for the whole batch";
  EXPECT_EQ(Pending(), 0);

  // A run whose manifest is complete ("fetched") is not waited for: its
  // last partial batch goes out at once.
  ASSERT_TRUE(redis_->HSet(keys::Run("run-g"), {{"status", "fetched"}}).ok());
  AddPaper("run-g", 7);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(*worker->Step(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(backend.calls, 2);
}

// Entries a dead replica read but never acked are taken over once idle.
TEST_F(ScorerWorkerTest, IdleEntriesOfADeadReplicaAreTakenOver) {
  for (int i = 0; i < 3; ++i) AddPaper("run-b", i);
  ASSERT_TRUE(
      redis_->EnsureGroup(keys::PapersStream(), keys::kScorerGroup).ok());
  auto stolen = redis_->XReadGroup(keys::kScorerGroup, "dead-replica",
                                   keys::PapersStream(), 10,
                                   std::chrono::milliseconds(0));
  ASSERT_EQ(stolen->size(), 3u);
  EXPECT_EQ(Pending(), 3);

  FakeBackend backend;
  // A long idle threshold leaves them alone...
  auto patient = MakeWorker("c1", backend, std::chrono::minutes(10));
  EXPECT_EQ(*patient->Step(), 0);
  EXPECT_EQ(Pending(), 3);
  // ...a zero threshold (the entries are "idle enough") takes them over.
  auto rescuer = MakeWorker("c2", backend, std::chrono::milliseconds(0));
  EXPECT_EQ(*rescuer->Step(), 3);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Scores().size(), 3u + 1u);  // three scores and one usage entry
}

TEST_F(ScorerWorkerTest, FailedBatchStaysPendingThenIsDeadLettered) {
  AddPaper("run-c", 1);
  FakeBackend backend;
  backend.fail = absl::UnavailableError("provider down");
  auto worker = MakeWorker("c1", backend, std::chrono::milliseconds(0),
                           /*max_deliveries=*/2);
  // Delivery 1 (read) and 2 (claim) fail and leave the entry pending.
  EXPECT_EQ(*worker->Step(), 1);
  EXPECT_EQ(Pending(), 1);
  LetEntriesIdle();
  EXPECT_EQ(*worker->Step(), 1);
  EXPECT_EQ(Pending(), 1);
  EXPECT_TRUE(Scores().empty());
  // Delivery 3 exceeds max_deliveries: dead-lettered with its reason and an
  // unscored result so the run can still complete.
  LetEntriesIdle();
  EXPECT_EQ(*worker->Step(), 1);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(backend.calls, 2);
  auto dead = redis_->Command({"XRANGE", keys::DeadLetterStream(), "-", "+"});
  ASSERT_EQ(dead->elements.size(), 1u);
  std::vector<StreamEntry> scores = Scores();
  ASSERT_EQ(scores.size(), 1u);
  absl::StatusOr<Score> s = ScoreFromJson(*scores[0].Field("score"));
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->scored);
  EXPECT_NE(s->error.find("dead-lettered"), std::string::npos);
}

TEST_F(ScorerWorkerTest, MalformedEntriesAreDeadLetteredAtOnce) {
  ASSERT_TRUE(
      redis_->EnsureGroup(keys::PapersStream(), keys::kScorerGroup).ok());
  ASSERT_TRUE(redis_
                  ->XAdd(keys::PapersStream(),
                         {{"run_id", "r"}, {"paper", "{not json"}})
                  .ok());
  ASSERT_TRUE(redis_->XAdd(keys::PapersStream(), {{"paper", "{}"}}).ok());
  FakeBackend backend;
  auto worker = MakeWorker("c1", backend, std::chrono::minutes(1));
  EXPECT_EQ(*worker->Step(), 2);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(backend.calls, 0);
  auto dead = redis_->Command({"XRANGE", keys::DeadLetterStream(), "-", "+"});
  ASSERT_EQ(dead->elements.size(), 2u);
}

// Each run is scored in its profile's context, with the run's topics
// override; a run naming an unknown profile is dead-lettered at once.
TEST_F(ScorerWorkerTest, RunsAreScoredWithTheirProfileAndTopics) {
  ASSERT_TRUE(redis_->HSet(keys::Run("run-v"), {{"profile", "vision"}}).ok());
  ASSERT_TRUE(
      redis_->HSet(keys::Run("run-o"), {{"topics_override", "only MoE"}}).ok());
  ASSERT_TRUE(redis_->HSet(keys::Run("run-x"), {{"profile", "nobody"}}).ok());
  AddPaper("run-v", 1);
  AddPaper("run-o", 2);
  AddPaper("run-x", 3);
  FakeBackend backend;
  auto worker = MakeWorker("c1", backend, std::chrono::minutes(1));
  EXPECT_EQ(*worker->Step(), 3);
  EXPECT_EQ(Pending(), 0);
  ASSERT_EQ(contexts_made_.size(), 2u);
  EXPECT_EQ(contexts_made_[0].profile, "vision");
  EXPECT_EQ(contexts_made_[0].prompts.topics, "vision topics");
  EXPECT_EQ(contexts_made_[1].profile, "default");
  EXPECT_EQ(contexts_made_[1].prompts.topics, "only MoE");
  EXPECT_EQ(backend.calls, 2);
  auto dead = redis_->Command({"XRANGE", keys::DeadLetterStream(), "-", "+"});
  ASSERT_EQ(dead->elements.size(), 1u);
  int unscored = 0;
  for (const StreamEntry& e : Scores()) {
    if (e.Field("run_id") == "run-x") {
      absl::StatusOr<Score> s = ScoreFromJson(*e.Field("score"));
      ASSERT_TRUE(s.ok());
      EXPECT_FALSE(s->scored);
      EXPECT_NE(s->error.find("unknown profile"), std::string::npos);
      ++unscored;
    }
  }
  EXPECT_EQ(unscored, 1);
}

// An entry over the delivery limit is given up before its paper is parsed
// (it may be the poison that crashed a replica), with the unscored result
// taken from the raw run_id and arxiv_id fields.
TEST_F(ScorerWorkerTest, OverDeliveredPoisonIsGivenUpWithoutParsing) {
  ASSERT_TRUE(
      redis_->EnsureGroup(keys::PapersStream(), keys::kScorerGroup).ok());
  ASSERT_TRUE(redis_
                  ->XAdd(keys::PapersStream(), {{"run_id", "run-p"},
                                                {"arxiv_id", "2504.00042"},
                                                {"paper", "[[[[[[[[[["}})
                  .ok());
  for (int i = 0; i < 3; ++i) {  // three replicas died on it
    ASSERT_TRUE(
        redis_
            ->XReadGroup(keys::kScorerGroup, "dead", keys::PapersStream(), 10,
                         std::chrono::milliseconds(0), i == 0 ? ">" : "0")
            .ok());
  }
  LetEntriesIdle();
  FakeBackend backend;
  auto worker = MakeWorker("c1", backend, std::chrono::milliseconds(0),
                           /*max_deliveries=*/2);
  EXPECT_EQ(*worker->Step(), 1);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(backend.calls, 0);
  auto dead = redis_->Command({"XRANGE", keys::DeadLetterStream(), "-", "+"});
  ASSERT_EQ(dead->elements.size(), 1u);
  std::vector<StreamEntry> scores = Scores();
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_EQ(scores[0].Field("run_id"), "run-p");
  absl::StatusOr<Score> s = ScoreFromJson(*scores[0].Field("score"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->arxiv_id, "2504.00042");
  EXPECT_FALSE(s->scored);
}

// A slow but legitimate LLM call keeps its entries: the heartbeat renews
// their idle time, so another replica's claim finds nothing to take over
// (and does not pay for the same call again). Without it, it would.
TEST_F(ScorerWorkerTest, SlowCallIsNotTakenOverWhileInFlight) {
  auto thief = RedisClient::Connect(server_->url());
  ASSERT_TRUE(thief.ok());
  auto keepalive = RedisClient::Connect(server_->url());
  ASSERT_TRUE(keepalive.ok());
  const auto claim_idle = std::chrono::milliseconds(150);
  for (bool renew : {true, false}) {
    FakeBackend backend;
    int stolen = -1;
    backend.during_call = [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      auto claimed =
          (*thief)->XAutoClaim(keys::PapersStream(), keys::kScorerGroup,
                               "thief", claim_idle, "0-0", 10);
      ASSERT_TRUE(claimed.ok());
      stolen = static_cast<int>(claimed->entries.size());
    };
    auto worker = MakeWorker(renew ? "c1" : "c2", backend, claim_idle, 5,
                             renew ? keepalive->get() : nullptr);
    AddPaper(renew ? "run-k" : "run-l", 1);
    EXPECT_EQ(*worker->Step(), 1);
    EXPECT_EQ(backend.calls, 1);
    EXPECT_EQ(stolen, renew ? 0 : 1) << (renew ? "renewed" : "not renewed");
    EXPECT_EQ(Pending(), 0);
  }
}

// With Redis gone, a step fails with a status (the loop backs off) and
// works again once Redis is back; nothing is lost in between.
TEST_F(ScorerWorkerTest, DeadRedisIsAnErrorNotACrash) {
  FakeBackend backend;
  auto worker = MakeWorker("c1", backend, std::chrono::minutes(1));
  server_->Kill();
  absl::StatusOr<int> step = worker->Step();
  EXPECT_FALSE(step.ok());
  ASSERT_TRUE(server_->Restart().ok());
  // The restarted server (no persistence here) lost the group; the worker
  // re-creates it by itself.
  EXPECT_EQ(*worker->Step(), 0);
  AddPaper("run-d", 1);
  int handled = 0;
  for (int i = 0; i < 3 && handled == 0; ++i) {
    absl::StatusOr<int> s = worker->Step();
    if (s.ok()) handled += *s;
  }
  EXPECT_EQ(handled, 1);
}

}  // namespace
}  // namespace arxiv_digest
