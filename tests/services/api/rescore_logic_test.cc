// The Rescore use case (logic/rescore.h) with a fake RescoreStore, no
// Redis: which runs a target reads, the jobs it plans, the manifests it
// writes, dry runs without side effects, and the fan-out's decisions.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "lib/contract/run_manifest.h"
#include "lib/json/json_util.h"
#include "services/api/adapters/proto_views.h"
#include "services/api/logic/fanout_plan.h"
#include "services/api/logic/rescore.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Id(int n) { return absl::StrFormat("2504.%05d", n); }

// Runs in memory. RunsWithPapers answers in reverse id order so the logic
// must sort; every write is recorded.
class FakeRescoreStore : public RescoreStore {
 public:
  // A run whose papers are Id(first)..Id(first+count-1), stored in reverse
  // position order (hash order is arbitrary in Redis too).
  void AddRun(const std::string& run_id, const std::string& date, int first,
              int count, const std::string& kind = "",
              const std::string& status = "published") {
    RunManifest m;
    m.run_id = run_id;
    m.date = date;
    m.status = status;
    m.total_papers = 900;
    m.scanned_papers = 500;
    m.kind = kind;
    manifests[run_id] = m;
    std::vector<Paper>& papers = this->papers[run_id];
    for (int i = count - 1; i >= 0; --i) {
      Paper p;
      p.arxiv_id = Id(first + i);
      p.title = absl::StrFormat("Paper %d of %s", first + i, run_id);
      p.position = 10 + i;  // not 0-based: jobs renumber
      papers.push_back(p);
    }
  }

  absl::StatusOr<std::vector<RunRef>> RunsWithPapers() override {
    ++reads;
    std::vector<RunRef> out;
    for (const auto& [id, list] : papers) {
      out.push_back(RunRef{id, manifests[id].date, manifests[id].kind});
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  absl::StatusOr<std::optional<RunManifest>> GetManifest(
      const std::string& run_id) override {
    ++reads;
    auto it = manifests.find(run_id);
    if (it == manifests.end()) return std::optional<RunManifest>();
    return std::optional<RunManifest>(it->second);
  }
  absl::StatusOr<std::vector<Paper>> PapersOfRun(
      const std::string& run_id) override {
    ++reads;
    auto it = papers.find(run_id);
    return it == papers.end() ? std::vector<Paper>() : it->second;
  }
  absl::StatusOr<std::map<std::string, Paper>> FindPapers(
      const std::string& run_id, const std::vector<std::string>& ids) override {
    ++reads;
    asked.push_back(run_id);
    std::map<std::string, Paper> out;
    for (const Paper& p : papers[run_id]) {
      if (std::find(ids.begin(), ids.end(), p.arxiv_id) != ids.end()) {
        out.emplace(p.arxiv_id, p);
      }
    }
    return out;
  }
  absl::Status WriteJob(const JobRecord& job) override {
    written.push_back(job);
    return absl::OkStatus();
  }

  std::map<std::string, RunManifest> manifests;
  std::map<std::string, std::vector<Paper>> papers;
  std::vector<JobRecord> written;
  std::vector<std::string> asked;  // FindPapers calls, in order
  int reads = 0;
};

// A job's manifest as the run writer puts it on the wire (BeginRun of a
// derived run), looked up by field name.
Fields Wire(const RunManifest& m) { return contract::EncodeDerivedRun(m); }
std::string Get(const RunManifest& m, const std::string& key) {
  for (const auto& [k, v] : Wire(m)) {
    if (k == key) return v;
  }
  return "<absent>";
}

class RescoreLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.AddRun("2025-04-07-d1", "2025-04-07", 1, 3);
    store_.AddRun("2025-04-08-d2", "2025-04-08", 11, 4);
    // A rescore child of the 8th with newer-looking papers: never a source
    // for ids or ranges.
    store_.AddRun("2025-04-08-r0", "2025-04-08", 11, 2, "rescore");
  }

  absl::StatusOr<RescoreResult> Create(const RescoreTarget& target,
                                       const RescoreOptions& options = {}) {
    return CreateRescoreJobs(store_, target, options, [this] {
      ++random_calls_;
      return next_random_++;
    });
  }

  FakeRescoreStore store_;
  uint32_t next_random_ = 0xa0000001;
  int random_calls_ = 0;
};

TEST_F(RescoreLogicTest, ByRunPlansOneJobWithItsManifest) {
  RescoreOptions options;
  options.profile = "alice";
  options.topics_override = "## Relevant Topics\n1. Robotics\n";
  options.requested_by = "ops";
  options.requested_at = "2025-04-10T06:00:00Z";
  auto result = Create(FanOutTarget("2025-04-08-d2"), options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->job_ids, std::vector<std::string>{"2025-04-08-ra0000001"});
  EXPECT_EQ(result->dates, std::vector<std::string>{"2025-04-08"});
  EXPECT_EQ(result->papers, 4);

  ASSERT_EQ(store_.written.size(), 1u);
  const JobRecord& job = store_.written[0];
  EXPECT_EQ(job.manifest.run_id, "2025-04-08-ra0000001");
  EXPECT_EQ(job.manifest.profile, "alice");
  const Fields expected = {{"run_id", "2025-04-08-ra0000001"},
                           {"date", "2025-04-08"},
                           {"status", "fetching"},
                           {"kind", "rescore"},
                           {"parent_run", "2025-04-08-d2"},
                           {"profile", "alice"},
                           {"total_papers", "900"},
                           {"scanned_papers", "500"},
                           {"papers_to_score", "4"},
                           {"requested_at", "2025-04-10T06:00:00Z"},
                           {"requested_by", "ops"},
                           {"skipped_seen", "0"},
                           {"topics_override", options.topics_override}};
  // kDerivedRunFields in order (skipped_seen: a child says how many papers
  // its reader already had), then topics_override.
  EXPECT_EQ(Wire(job.manifest), expected);
  ASSERT_EQ(job.papers.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(job.papers[i].arxiv_id, Id(11 + i));  // feed order
    EXPECT_EQ(job.papers[i].position, i);           // renumbered
  }
}

TEST_F(RescoreLogicTest, ByRunErrors) {
  auto missing = Create(FanOutTarget("nope"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "run 'nope' does not exist");

  store_.manifests["2025-04-09-d3"].date = "2025-04-09";
  store_.manifests["2025-04-09-d3"].status = "fetching";
  auto empty = Create(FanOutTarget("2025-04-09-d3"));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(empty.status().message(),
            "run '2025-04-09-d3' has no papers (status fetching)");
  EXPECT_TRUE(store_.written.empty());
}

TEST_F(RescoreLogicTest, ByIdsUsesNewestFetchedRunAndRequestOrder) {
  // Id(12) is also in an older fetched run: the newest one wins.
  store_.AddRun("2025-04-05-d0", "2025-04-05", 12, 1);
  RescoreTarget target;
  target.kind = RescoreTarget::Kind::kIds;
  target.ids = {Id(13), Id(2), Id(12)};
  auto result = Create(target);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->dates,
            (std::vector<std::string>{"2025-04-07", "2025-04-08"}));
  ASSERT_EQ(store_.written.size(), 2u);
  EXPECT_EQ(Get(store_.written[0].manifest, "parent_run"), "2025-04-07-d1");
  EXPECT_EQ(Get(store_.written[1].manifest, "parent_run"), "2025-04-08-d2");
  ASSERT_EQ(store_.written[1].papers.size(), 2u);
  EXPECT_EQ(store_.written[1].papers[0].arxiv_id, Id(13));
  EXPECT_EQ(store_.written[1].papers[1].arxiv_id, Id(12));
  EXPECT_EQ(store_.written[1].papers[1].title, "Paper 12 of 2025-04-08-d2");
  // Newest fetched run first; the rescore child is never asked; the search
  // stops once every id is found.
  EXPECT_EQ(store_.asked,
            (std::vector<std::string>{"2025-04-08-d2", "2025-04-07-d1"}));
}

TEST_F(RescoreLogicTest, ByIdsListsEveryUnknownId) {
  RescoreTarget target;
  target.kind = RescoreTarget::Kind::kIds;
  target.ids = {Id(1), Id(99), Id(98)};
  auto result = Create(target);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(result.status().message(),
            "unknown arXiv ids (not in any fetched run): 2504.00098, "
            "2504.00099");
  EXPECT_TRUE(store_.written.empty());
}

TEST_F(RescoreLogicTest, ByDatesOneJobPerDateFromFetchedRunsOnly) {
  store_.AddRun("2025-04-01-d", "2025-04-01", 50, 2);  // outside the range
  RescoreTarget target;
  target.kind = RescoreTarget::Kind::kDates;
  target.from_date = "2025-04-07";
  target.to_date = "2025-04-08";
  RescoreOptions options;
  options.kind = "profile";
  auto result = Create(target, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->papers, 7);
  ASSERT_EQ(result->job_ids.size(), 2u);
  EXPECT_EQ(result->job_ids[0], "2025-04-07-pa0000001");  // 'p': profile
  EXPECT_EQ(result->job_ids[1], "2025-04-08-pa0000002");
  EXPECT_EQ(Get(store_.written[1].manifest, "kind"), "profile");
  EXPECT_EQ(Get(store_.written[1].manifest, "topics_override"), "<absent>");
  EXPECT_EQ(Get(store_.written[1].manifest, "papers_to_score"), "4");

  target.from_date = target.to_date = "2025-04-02";
  auto none = Create(target);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(none.status().message(),
            "no fetched papers between 2025-04-02 and 2025-04-02");
}

TEST_F(RescoreLogicTest, DryRunCountsAndEstimatesWithoutWriting) {
  RescoreTarget target;
  target.kind = RescoreTarget::Kind::kDates;
  target.from_date = "2025-04-07";
  target.to_date = "2025-04-08";
  RescoreOptions options;
  options.dry_run = true;
  options.topics_override = "xyz";
  auto result = Create(target, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->job_ids.empty());
  EXPECT_EQ(result->papers, 7);
  EXPECT_EQ(result->dates,
            (std::vector<std::string>{"2025-04-07", "2025-04-08"}));
  int64_t bytes = 3;  // the topics override
  for (const char* run : {"2025-04-07-d1", "2025-04-08-d2"}) {
    std::vector<Paper> papers = store_.papers[run];
    SortByPosition(papers);
    for (size_t i = 0; i < papers.size(); ++i) {
      papers[i].position = static_cast<int64_t>(i);
      bytes += static_cast<int64_t>(PaperToJson(papers[i]).size());
    }
  }
  EXPECT_EQ(result->estimated_prompt_tokens, bytes / 4);
  EXPECT_TRUE(store_.written.empty());
  EXPECT_EQ(random_calls_, 0);
}

TEST(RescorePlanTest, RunSelection) {
  std::vector<RunRef> runs = {{"b", "2025-04-08", ""},
                              {"a", "2025-04-08", ""},
                              {"c", "2025-04-09", "rescore"},
                              {"d", "2025-04-07", ""},
                              {"e", "2025-04-10", ""}};
  auto ids = [](const std::vector<RunRef>& v) {
    std::vector<std::string> out;
    for (const RunRef& r : v) out.push_back(r.run_id);
    return out;
  };
  EXPECT_EQ(ids(RunsForIds(runs)),
            (std::vector<std::string>{"e", "a", "b", "d"}));
  EXPECT_EQ(ids(RunsForDates(runs, "2025-04-08", "2025-04-09")),
            (std::vector<std::string>{"a", "b"}));
}

TEST(RescorePlanTest, ResponseAndOptions) {
  v1::RescoreRequest req;
  req.set_topics_override("t");
  req.set_dry_run(true);
  RescoreOptions o = RescoreOptionsFor("alice", req.topics_override(),
                                       req.dry_run(), "ops", "now");
  EXPECT_EQ(o.profile, "alice");
  EXPECT_EQ(o.kind, "rescore");
  EXPECT_TRUE(o.dry_run);
  EXPECT_EQ(o.topics_override, "t");
  EXPECT_EQ(o.requested_by, "ops");

  RescoreResult r;
  r.job_ids = {"j1", "j2"};
  r.dates = {"d1", "d2"};
  r.papers = 5;
  r.estimated_prompt_tokens = 9;
  v1::RescoreResponse resp = RescoreResponseOf(r, false);
  EXPECT_EQ(resp.job_id(), "j1");
  EXPECT_EQ(resp.job_ids_size(), 2);
  EXPECT_EQ(resp.papers(), 5);
  EXPECT_EQ(resp.estimated_prompt_tokens(), 9);
  EXPECT_FALSE(resp.dry_run());
  EXPECT_EQ(RescoreResponseOf(RescoreResult{}, true).job_id(), "");
}

TEST(FanoutPlanTest, OnlyFetchedDailyRunsFanOutToNonDefaultProfiles) {
  auto manifest = [](const char* status, const char* kind = "") {
    RunManifest m;
    m.status = status;
    m.kind = kind;
    return m;
  };
  EXPECT_TRUE(ShouldFanOut(manifest("fetched")));
  EXPECT_TRUE(ShouldFanOut(manifest("published")));
  EXPECT_FALSE(ShouldFanOut(manifest("fetching")));
  EXPECT_FALSE(ShouldFanOut(manifest("fetched", "profile")));
  EXPECT_FALSE(ShouldFanOut(manifest("fetched", "rescore")));
  EXPECT_FALSE(ShouldFanOut(RunManifest()));
  EXPECT_FALSE(NeedsChildRun("default"));
  EXPECT_TRUE(NeedsChildRun("alice"));
  RescoreOptions o = FanOutOptions("bob", "t0");
  EXPECT_EQ(o.kind, "profile");
  EXPECT_EQ(o.profile, "bob");
  EXPECT_EQ(o.requested_by, "profile-fanout");
  EXPECT_FALSE(o.dry_run);
  EXPECT_EQ(JobIdKind(o.kind), 'p');
  EXPECT_EQ(JobIdKind("rescore"), 'r');
}

}  // namespace
}  // namespace arxiv_digest::api
