// The fetcher's Redis adapters against a real redis-server: delivered
// papers (TTL, versions, restarts), feed dates, HTTP validators, the fetch
// lock and the shared arXiv request slot.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "lib/core/clock.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/redis_run_writer.h"
#include "services/fetcher/adapters/redis_feed_state.h"
#include "services/fetcher/adapters/redis_fetch_lock.h"
#include "services/fetcher/adapters/redis_run_date_index.h"
#include "services/fetcher/adapters/redis_seen_store.h"
#include "services/fetcher/adapters/request_gate.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/logic/run_recorder.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

class RedisAdaptersTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }
  void Start(testing::RedisServerOptions options) {
    absl::StatusOr<std::unique_ptr<testing::RedisServer>> s =
        testing::RedisServer::Start(options);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    redis_ = Connect();
  }
  std::unique_ptr<RedisClient> Connect() {
    absl::StatusOr<std::unique_ptr<RedisClient>> c =
        RedisClient::Connect(server_->url());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }
  long long Integer(const std::vector<std::string>& cmd) {
    absl::StatusOr<RedisReply> r = redis_->Command(cmd);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer : -99;
  }

  // XRANGE of a stream: each entry's field/value pairs, in order.
  std::vector<std::vector<std::pair<std::string, std::string>>> Entries(
      const std::string& stream) {
    std::vector<std::vector<std::pair<std::string, std::string>>> out;
    absl::StatusOr<RedisReply> r =
        redis_->Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    for (const RedisReply& entry : r->elements) {
      std::vector<std::pair<std::string, std::string>> fields;
      const std::vector<RedisReply>& kv = entry.elements.at(1).elements;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        fields.emplace_back(kv[i].str, kv[i + 1].str);
      }
      out.push_back(std::move(fields));
    }
    return out;
  }

  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
};

Paper P(const std::string& id, int version) {
  Paper p;
  p.arxiv_id = id;
  p.version = version;
  return p;
}

TEST_F(RedisAdaptersTest, SeenStoreVersionsTtlAndBatches) {
  RedisSeenStore seen(*redis_, std::chrono::hours(24 * 30));
  std::vector<Paper> papers;
  for (int i = 0; i < 1203; ++i) {
    papers.push_back(P("2504." + std::to_string(10000 + i), 1 + i % 3));
  }
  papers.push_back(P("math/0601001", 2));
  ASSERT_TRUE(seen.MarkDelivered(papers).ok());
  long long ttl = Integer({"TTL", keys::Seen("2504.10000")});
  EXPECT_GT(ttl, 30LL * 24 * 3600 - 60);
  EXPECT_LE(ttl, 30LL * 24 * 3600);
  // An older version never lowers what was delivered.
  ASSERT_TRUE(seen.MarkDelivered({P("math/0601001", 1)}).ok());

  std::vector<std::string> ids = {"math/0601001", "2504.10001", "2504.99999"};
  for (const Paper& p : papers) ids.push_back(p.arxiv_id);
  absl::StatusOr<std::map<std::string, int>> v = seen.DeliveredVersions(ids);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->size(), papers.size());
  EXPECT_EQ(v->at("math/0601001"), 2);
  EXPECT_EQ(v->at("2504.10001"), 2);
  EXPECT_EQ(v->count("2504.99999"), 0u);
}

TEST_F(RedisAdaptersTest, SeenPapersSurviveARedisRestart) {
  testing::RedisServerOptions options;
  options.appendonly = true;
  Start(options);
  {
    RedisSeenStore seen(*redis_, std::chrono::hours(24));
    ASSERT_TRUE(seen.MarkDelivered({P("2504.03998", 1)}).ok());
  }
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  redis_ = Connect();
  RedisSeenStore seen(*redis_, std::chrono::hours(24));
  absl::StatusOr<std::map<std::string, int>> v =
      seen.DeliveredVersions({"2504.03998"});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->count("2504.03998"), 1u);
  EXPECT_GT(Integer({"TTL", keys::Seen("2504.03998")}), 0);
}

TEST_F(RedisAdaptersTest, FeedDatesAndValidators) {
  RedisFeedDateStore dates(*redis_);
  absl::StatusOr<std::optional<std::string>> none = dates.LastFeedDate("cs.LG");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(dates.SetLastFeedDate("cs.LG", "2025-04-08").ok());
  EXPECT_EQ(dates.LastFeedDate("cs.LG")->value_or(""), "2025-04-08");

  RedisValidatorStore validators(*redis_);
  const std::string url = "https://rss.arxiv.org/rss/cs.LG";
  ASSERT_TRUE(
      validators.Put(url, {"\"abc\"", "Tue, 08 Apr 2025 04:02:04 GMT"}).ok());
  absl::StatusOr<HttpValidators> v = validators.Get(url);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->etag, "\"abc\"");
  EXPECT_EQ(v->last_modified, "Tue, 08 Apr 2025 04:02:04 GMT");
  ASSERT_TRUE(validators.Put(url, {"", "Wed, 09 Apr 2025 04:00:00 GMT"}).ok());
  v = validators.Get(url);
  EXPECT_EQ(v->etag, "");  // replaced, not merged
  EXPECT_EQ(Integer({"EXISTS", keys::HttpCache(url)}), 1);
}

TEST_F(RedisAdaptersTest, FetchLockIsExclusiveAndOwned) {
  std::unique_ptr<RedisClient> other_client = Connect();
  RedisFetchLock mine(*redis_), other(*other_client);
  EXPECT_TRUE(*mine.TryAcquire("today", std::chrono::seconds(600)));
  EXPECT_FALSE(*other.TryAcquire("today", std::chrono::seconds(600)));
  long long ttl = Integer({"TTL", keys::FetchLock("today")});
  EXPECT_GT(ttl, 590);
  // A replica that never held it cannot free it.
  ASSERT_TRUE(other.Release("today").ok());
  EXPECT_EQ(Integer({"EXISTS", keys::FetchLock("today")}), 1);
  ASSERT_TRUE(mine.Release("today").ok());
  EXPECT_TRUE(*other.TryAcquire("today", std::chrono::seconds(600)));
  // Expiry frees a lock whose holder died.
  ASSERT_TRUE(redis_->Command({"PEXPIRE", keys::FetchLock("today"), "1"}).ok());
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_TRUE(*mine.TryAcquire("today", std::chrono::seconds(600)));
  // Its late release must not free the new holder's lock.
  ASSERT_TRUE(other.Release("today").ok());
  EXPECT_EQ(Integer({"EXISTS", keys::FetchLock("today")}), 1);
}

// Two replicas (two connections, two threads) each sending four requests:
// never two at once, and at least min_interval between one request's end
// and the next one's start.
TEST_F(RedisAdaptersTest, RequestGateSerialisesReplicasWithInterval) {
  const milliseconds interval(150);
  std::mutex mu;
  std::vector<std::pair<std::chrono::steady_clock::time_point,
                        std::chrono::steady_clock::time_point>>
      spans;
  std::atomic<int> in_flight{0}, max_in_flight{0};
  auto replica = [&] {
    std::unique_ptr<RedisClient> client = Connect();
    Clock& clock = SystemClock();
    RedisRequestGate::Options o;
    o.key = keys::RateLimit("arxiv.org");
    o.min_interval = interval;
    o.hold = std::chrono::seconds(10);
    o.poll = milliseconds(10);
    RedisRequestGate gate(*client, clock, o);
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(gate.Acquire().ok());
      auto start = std::chrono::steady_clock::now();
      int now = ++in_flight;
      max_in_flight = std::max(max_in_flight.load(), now);
      std::this_thread::sleep_for(milliseconds(20));  // the "request"
      --in_flight;
      auto end = std::chrono::steady_clock::now();
      gate.Release();
      std::lock_guard<std::mutex> lock(mu);
      spans.emplace_back(start, end);
    }
  };
  std::thread a(replica), b(replica);
  a.join();
  b.join();
  EXPECT_EQ(max_in_flight.load(), 1);
  ASSERT_EQ(spans.size(), 8u);
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) {
    auto gap = std::chrono::duration_cast<milliseconds>(spans[i].first -
                                                        spans[i - 1].second);
    // Redis expiry has ~1 ms resolution.
    EXPECT_GE(gap.count(), interval.count() - 5) << "request " << i;
  }
}

// A slot held by a stuck replica: the wait is bounded (on a fake clock, so
// the test does not sleep) and reported.
TEST_F(RedisAdaptersTest, RequestGateWaitIsBounded) {
  ASSERT_TRUE(redis_
                  ->Command({"SET", keys::RateLimit("arxiv.org"), "stuck", "PX",
                             "600000"})
                  .ok());
  FakeClock clock;
  RedisRequestGate::Options o;
  o.key = keys::RateLimit("arxiv.org");
  o.max_wait = std::chrono::seconds(30);
  o.poll = milliseconds(250);
  RedisRequestGate gate(*redis_, clock, o);
  absl::Status s = gate.Acquire();
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  EXPECT_GE(clock.total_slept(), std::chrono::seconds(30));
  EXPECT_LE(clock.total_slept(), std::chrono::seconds(31));
  EXPECT_EQ(clock.sleeps().front(), milliseconds(250));
}

// A fetched run as the fetcher writes it through lib's one run writer: the
// keys, fields and stream entries the scorers, the publisher and the api
// read (spelled out here, independently of lib/contract).
TEST_F(RedisAdaptersTest, RecordedRunLayout) {
  FakeClock clock;
  clock.SetNow(
      std::chrono::system_clock::time_point(std::chrono::seconds(1744070400)));
  contract::RedisRunWriter writer(*redis_, clock);
  RedisSeenStore seen(*redis_, std::chrono::hours(24));
  RunRecorder recorder(
      writer, seen, [](const std::string& date) { return date + "-0000abcd"; });
  RunPlan plan;
  plan.date = "2025-04-08";
  plan.total_papers = 5;
  plan.scanned_papers = 3;
  plan.papers = {P("2504.00001", 1), P("2504.00002", 2)};
  absl::StatusOr<RunManifest> run = recorder.Record(plan);
  ASSERT_TRUE(run.ok()) << run.status();
  const std::string id = "2025-04-08-0000abcd";
  EXPECT_EQ(run->run_id, id);

  absl::StatusOr<std::map<std::string, std::string>> manifest =
      redis_->HGetAll(keys::Run(id));
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(*manifest,
            (std::map<std::string, std::string>{{"run_id", id},
                                                {"date", "2025-04-08"},
                                                {"status", "fetched"},
                                                {"total_papers", "5"},
                                                {"scanned_papers", "3"},
                                                {"papers_to_score", "2"},
                                                {"skipped_seen", "0"},
                                                {"reason", ""},
                                                {"created_at", "1744070400"},
                                                {"fetched_at", "1744070400"}}));
  absl::StatusOr<std::map<std::string, std::string>> papers =
      redis_->HGetAll(keys::RunPapers(id));
  ASSERT_TRUE(papers.ok());
  ASSERT_EQ(papers->size(), 2u);
  Paper first = P("2504.00001", 1);
  first.position = 0;
  EXPECT_EQ(papers->at("2504.00001"), PaperToJson(first));

  auto entries = Entries(keys::PapersStream());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0], (std::vector<std::pair<std::string, std::string>>{
                            {"run_id", id},
                            {"arxiv_id", "2504.00001"},
                            {"paper", PaperToJson(first)}}));
  EXPECT_EQ(redis_->Get(keys::LatestRun())->value_or(""), id);
  EXPECT_EQ(Entries(keys::RunsStream()),
            (std::vector<std::vector<std::pair<std::string, std::string>>>{
                {{"run_id", id}, {"status", "fetched"}}}));
  // Delivered papers are remembered after the run.
  EXPECT_EQ(seen.DeliveredVersions({"2504.00002"})->at("2504.00002"), 2);
}

TEST_F(RedisAdaptersTest, TriggerListenerDecodesEntries) {
  TriggerListener triggers(*redis_, "f-1");
  ASSERT_TRUE(triggers.Init().ok());
  const milliseconds wait(10);
  ASSERT_TRUE(
      redis_
          ->XAdd(keys::TriggersStream(), {{"run_id", "2025-04-07-t00000001"},
                                          {"categories", "cs.LG, math.CO"},
                                          {"date", "2025-04-07"}})
          .ok());
  absl::StatusOr<std::optional<FetchTrigger>> t = triggers.Next(wait);
  ASSERT_TRUE(t.ok() && t->has_value()) << t.status();
  EXPECT_EQ((*t)->run_id, "2025-04-07-t00000001");
  EXPECT_EQ((*t)->categories, (std::vector<std::string>{"cs.LG", "math.CO"}));
  EXPECT_EQ((*t)->date, "2025-04-07");
  EXPECT_EQ((*t)->error, "");
  ASSERT_TRUE(triggers.Ack(**t).ok());

  // A run id with a bad date: handed on with the reason, to fail the run.
  ASSERT_TRUE(
      redis_
          ->XAdd(keys::TriggersStream(),
                 {{"run_id", "pending-t00000002"}, {"date", "2025-13-01"}})
          .ok());
  t = triggers.Next(wait);
  ASSERT_TRUE(t.ok() && t->has_value()) << t.status();
  EXPECT_EQ((*t)->run_id, "pending-t00000002");
  EXPECT_NE((*t)->error.find("2025-13-01"), std::string::npos) << (*t)->error;
  ASSERT_TRUE(triggers.Ack(**t).ok());

  // No run to report on: acked and skipped.
  ASSERT_TRUE(
      redis_->XAdd(keys::TriggersStream(), {{"categories", "cs.LG"}}).ok());
  t = triggers.Next(wait);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(t->has_value());
  absl::StatusOr<RedisReply> pending = redis_->Command(
      {"XPENDING", keys::TriggersStream(), keys::kFetcherGroup});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements.at(0).integer, 0);
}

// Known dates are the fetcher's recorded runs plus the default profile's
// published digests; the record is bounded and garbage members are skipped.
TEST_F(RedisAdaptersTest, RunDateIndexJoinsRunsAndDigestsAndPrunes) {
  RedisRunDateIndex index(*redis_, /*retention_days=*/30);
  Date apr2 = *Date::Parse("2025-04-02");
  ASSERT_TRUE(index.RecordRunDate(*Date::Parse("2025-02-03")).ok());
  ASSERT_TRUE(index.RecordRunDate(apr2).ok());  // prunes February
  EXPECT_EQ(Integer({"ZCARD", keys::FetchedDates()}), 1);
  Integer({"ZADD", keys::DigestIndex("default"), "20250404", "2025-04-04"});
  Integer({"ZADD", keys::DigestIndex("default"), "20250405", "<b>x</b>"});
  Integer({"ZADD", keys::DigestIndex("other"), "20250403", "2025-04-03"});
  absl::StatusOr<std::set<std::string>> known =
      index.KnownDates(*Date::Parse("2025-03-25"), *Date::Parse("2025-04-08"));
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(*known, (std::set<std::string>{"2025-04-02", "2025-04-04"}));
}

}  // namespace
}  // namespace arxiv_digest
