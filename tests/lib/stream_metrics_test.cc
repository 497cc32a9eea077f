// The stream backlog gauges against a real redis-server: what XLEN and
// XINFO GROUPS say must be what the registry exports.
#include "lib/metrics/stream_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <optional>
#include <thread>

#include "lib/redis/redis_client.h"
#include "tests/support/metric_samples.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class StreamMetricsTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
  }

  void Add(const std::string& stream, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(redis_->XAdd(stream, {{"i", std::to_string(i)}}).ok());
    }
  }

  std::shared_ptr<prometheus::Registry> registry_ =
      std::make_shared<prometheus::Registry>();
};

TEST_F(StreamMetricsTest, LengthPendingAndLagFollowTheGroup) {
  ASSERT_TRUE(redis_->EnsureGroup("papers", "scorers").ok());
  Add("papers", 5);
  StreamMetrics metrics(registry_, server_->url(),
                        {{"papers", "scorers"}, {"dead", ""}});
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(testing::MetricSample(*registry_, "arxiv_stream_length",
                                  {{"stream", "papers"}}),
            5);
  // A stream nobody wrote is simply empty.
  EXPECT_EQ(testing::MetricSample(*registry_, "arxiv_stream_length",
                                  {{"stream", "dead"}}),
            0);
  const std::map<std::string, std::string> group = {{"stream", "papers"},
                                                    {"group", "scorers"}};
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_stream_pending_entries", group),
      0);
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_stream_lag_entries", group), 5);

  // Two read, one of them acknowledged: 1 pending, 3 never delivered.
  auto read = redis_->XReadGroup("scorers", "c1", "papers", 2,
                                 std::chrono::milliseconds(0));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 2u);
  ASSERT_TRUE(redis_->XAck("papers", "scorers", {read->front().id}).ok());
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_stream_pending_entries", group),
      1);
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_stream_lag_entries", group), 3);
  EXPECT_EQ(testing::MetricSample(
                *registry_, "arxiv_stream_metrics_refresh_errors_total", {}),
            0);
}

TEST_F(StreamMetricsTest, MissingGroupHasNoSampleRatherThanAZero) {
  Add("scores", 2);
  StreamMetrics metrics(registry_, server_->url(), {{"scores", "publishers"}});
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(testing::MetricSample(*registry_, "arxiv_stream_length",
                                  {{"stream", "scores"}}),
            2);
  EXPECT_EQ(testing::MetricSample(*registry_, "arxiv_stream_pending_entries",
                                  {{"group", "publishers"}}),
            std::nullopt);

  // Once the group appears, so do its gauges.
  ASSERT_TRUE(redis_->EnsureGroup("scores", "publishers").ok());
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_stream_lag_entries",
                            {{"stream", "scores"}, {"group", "publishers"}}),
      2);
}

TEST_F(StreamMetricsTest, BackgroundThreadRefreshesAndCountsRedisOutages) {
  ASSERT_TRUE(redis_->EnsureGroup("papers", "scorers").ok());
  Add("papers", 3);
  StreamMetrics metrics(registry_, server_->url(), {{"papers", "scorers"}},
                        std::chrono::milliseconds(50));
  metrics.Start();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (testing::MetricSample(*registry_, "arxiv_stream_length",
                               {{"stream", "papers"}}) != 3.0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(testing::MetricSample(*registry_, "arxiv_stream_length",
                                  {{"stream", "papers"}}),
            3);

  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_FALSE(metrics.Refresh().ok());
  EXPECT_GE(testing::MetricSample(
                *registry_, "arxiv_stream_metrics_refresh_errors_total", {}),
            1);
}

// Redis' memory next to its maxmemory (ArxivRedisMemoryHigh); a Redis
// without a limit reports 0, which the alert ignores.
TEST_F(StreamMetricsTest, ExportsRedisMemoryAndMaxmemory) {
  ASSERT_TRUE(redis_->Command({"CONFIG", "SET", "maxmemory", "100mb"}).ok());
  StreamMetrics metrics(registry_, server_->url(), {});
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_redis_maxmemory_bytes", {}),
      100.0 * 1024 * 1024);
  std::optional<double> used =
      testing::MetricSample(*registry_, "arxiv_redis_used_memory_bytes", {});
  ASSERT_TRUE(used.has_value());
  EXPECT_GT(*used, 0);
  EXPECT_LT(*used, 100.0 * 1024 * 1024);

  ASSERT_TRUE(redis_->Command({"CONFIG", "SET", "maxmemory", "0"}).ok());
  ASSERT_TRUE(metrics.Refresh().ok());
  EXPECT_EQ(
      testing::MetricSample(*registry_, "arxiv_redis_maxmemory_bytes", {}),
      0.0);
}

}  // namespace
}  // namespace arxiv_digest
