// The fetch cycle over fakes: a feed source reading the bundled real day
// (or scripted failures) and a writer that records the calls in order.
#include "services/fetcher/logic/fetch_cycle.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

class MapFeedSource : public FeedSource {
 public:
  std::map<std::string, absl::StatusOr<std::string>> feeds;
  std::vector<std::string> requested;
  absl::StatusOr<std::string> FetchFeed(const std::string& category) override {
    requested.push_back(category);
    auto it = feeds.find(category);
    if (it == feeds.end()) return absl::NotFoundError("no such feed");
    return it->second;
  }
};

class RecordingWriter : public RunWriter {
 public:
  std::vector<std::string> calls;
  std::vector<Paper> papers;
  RunManifest begun, finished;
  absl::Status fail_on_append = absl::OkStatus();
  absl::Status BeginRun(const RunManifest& m) override {
    calls.push_back("begin");
    begun = m;
    return absl::OkStatus();
  }
  absl::Status AppendPaper(const std::string& run_id, const Paper& p) override {
    calls.push_back("paper");
    EXPECT_EQ(run_id, begun.run_id);
    papers.push_back(p);
    return fail_on_append;
  }
  absl::Status FinishRun(const RunManifest& m) override {
    calls.push_back("finish");
    finished = m;
    return absl::OkStatus();
  }
};

Config SampleConfig() {
  Config c;
  c.filtering.arxiv_categories = testing::SampleDayCategories();
  c.filtering.announce_types = {"new", "cross"};
  c.filtering.force_primary = true;
  return c;
}

std::string FixedId(const std::string& date) { return date + "-test"; }

TEST(FetchCycleTest, WholeRealDayIsWrittenPapersFirstManifestLast) {
  MapFeedSource source;
  for (const std::string& cat : testing::SampleDayCategories()) {
    source.feeds[cat] =
        testing::ReadRepoFile("data/sample/2025-04-08/" + cat + ".xml");
  }
  RecordingWriter writer;
  Config config = SampleConfig();
  std::map<std::string, int> per_category;
  FetchObserver observer;
  observer.on_paper = [&](const std::string& c, const Paper&) {
    ++per_category[c];
  };
  FetchCycle cycle(config, source, writer, &FixedId, observer);
  absl::StatusOr<RunManifest> run = cycle.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();

  EXPECT_EQ(run->run_id, "2025-04-08-test");
  EXPECT_EQ(run->date, "2025-04-08");
  EXPECT_EQ(run->status, run_status::kFetched);
  EXPECT_EQ(run->total_papers, 871 + 23);
  EXPECT_EQ(run->papers_to_score, static_cast<int64_t>(writer.papers.size()));
  EXPECT_GE(run->scanned_papers, run->papers_to_score);
  ASSERT_GT(writer.papers.size(), 400u);
  EXPECT_EQ(writer.calls.front(), "begin");
  EXPECT_EQ(writer.calls.back(), "finish");
  EXPECT_EQ(writer.begun.status, run_status::kFetching);
  EXPECT_EQ(writer.finished.status, run_status::kFetched);
  std::set<std::string> ids;
  for (size_t i = 0; i < writer.papers.size(); ++i) {
    EXPECT_TRUE(ids.insert(writer.papers[i].arxiv_id).second)
        << "duplicate " << writer.papers[i].arxiv_id;
    EXPECT_EQ(writer.papers[i].position, static_cast<int64_t>(i));
  }
  int observed = 0;
  for (const auto& [c, n] : per_category) observed += n;
  EXPECT_EQ(observed, static_cast<int>(writer.papers.size()));
}

TEST(FetchCycleTest, EmptyWeekendFeedIsNoAnnouncements) {
  MapFeedSource source;
  source.feeds["cs"] =
      testing::ReadRssFixture("xlr-aex_albatros__arxiv_cs_empty_weekend_2026-03-29.xml");
  RecordingWriter writer;
  Config config = SampleConfig();
  config.filtering.arxiv_categories = {"cs"};
  FetchCycle cycle(config, source, writer, &FixedId);
  absl::StatusOr<RunManifest> run = cycle.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->status, run_status::kNoAnnouncements);
  EXPECT_EQ(run->total_papers, 0);
  EXPECT_TRUE(writer.papers.empty());
  EXPECT_EQ(writer.calls, (std::vector<std::string>{"begin", "finish"}));
}

// A feed that cannot be fetched or parsed fails the run before anything is
// written, and the error names the category.
TEST(FetchCycleTest, BadFeedFailsBeforeWriting) {
  std::string good =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  struct Case {
    absl::StatusOr<std::string> second;
    std::string expect;
  };
  std::vector<Case> cases = {
      {absl::UnavailableError("HTTP 503"), "HTTP 503"},
      {good.substr(0, good.size() / 2), "malformed"},
      {std::string("<html><body>Service unavailable</body></html>"),
       "unsupported feed format"},
  };
  for (const Case& c : cases) {
    MapFeedSource source;
    source.feeds["cs.SD+eess.AS"] = good;
    source.feeds["cs.LG"] = c.second;
    RecordingWriter writer;
    Config config = SampleConfig();
    config.filtering.arxiv_categories = {"cs.SD+eess.AS", "cs.LG"};
    std::vector<std::string> errors;
    FetchObserver observer;
    observer.on_feed_error = [&](const std::string& cat, const std::string&) {
      errors.push_back(cat);
    };
    FetchCycle cycle(config, source, writer, &FixedId, observer);
    absl::StatusOr<RunManifest> run = cycle.RunOnce();
    ASSERT_FALSE(run.ok());
    EXPECT_NE(run.status().message().find("feed cs.LG"), std::string::npos)
        << run.status();
    EXPECT_NE(run.status().message().find(c.expect), std::string::npos)
        << run.status();
    EXPECT_TRUE(writer.calls.empty());
    EXPECT_EQ(errors, std::vector<std::string>{"cs.LG"});
  }
}

TEST(FetchCycleTest, WriterErrorStopsTheRunWithoutAManifest) {
  MapFeedSource source;
  source.feeds["cs.SD+eess.AS"] =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  RecordingWriter writer;
  writer.fail_on_append = absl::UnavailableError("redis down");
  Config config = SampleConfig();
  config.filtering.arxiv_categories = {"cs.SD+eess.AS"};
  FetchCycle cycle(config, source, writer, &FixedId);
  absl::StatusOr<RunManifest> run = cycle.RunOnce();
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(writer.calls, (std::vector<std::string>{"begin", "paper"}));
}

TEST(RandomRunIdTest, DatePrefixAndUnique) {
  std::string a = RandomRunId("2025-04-08");
  std::string b = RandomRunId("2025-04-08");
  EXPECT_EQ(a.rfind("2025-04-08-", 0), 0u);
  EXPECT_EQ(a.size(), std::string("2025-04-08-").size() + 8);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace arxiv_digest
