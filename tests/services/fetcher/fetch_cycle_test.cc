// The fetch cycle over fakes: a feed source reading the bundled real days
// (or scripted failures), a writer that records the calls in order, and
// in-memory seen/date stores.
#include "services/fetcher/logic/fetch_cycle.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "services/fetcher/logic/empty_day.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using testing::MapFeedSource;
using testing::MemoryFeedDateStore;
using testing::MemorySeenStore;
using testing::RecordingWriter;

Config SampleConfig() {
  Config c;
  c.filtering.arxiv_categories = testing::SampleDayCategories();
  c.filtering.announce_types = {"new", "cross"};
  c.filtering.force_primary = true;
  return c;
}

std::string FixedId(const std::string& date) { return date + "-test"; }

void LoadDay(MapFeedSource& source, const std::string& date) {
  for (const std::string& cat : testing::SampleDayCategories()) {
    source.feeds[cat] =
        testing::ReadRepoFile("data/sample/" + date + "/" + cat + ".xml");
  }
}

// Everything one cycle needs, with the state that outlives a cycle (seen
// papers, feed dates) shared between cycles like Redis would be.
struct Harness {
  Config config = SampleConfig();
  MapFeedSource source;
  RecordingWriter writer;
  MemorySeenStore seen;
  MemoryFeedDateStore dates;
  std::map<std::string, int64_t> errors;  // "category/kind" -> count
  int64_t skipped_seen = 0;

  absl::StatusOr<RunManifest> Run(bool force = false) {
    writer.Clear();
    FetchObserver observer;
    observer.on_feed_error = [this](const std::string& c, const std::string& k,
                                    int64_t n) { errors[c + "/" + k] += n; };
    observer.on_skipped_seen = [this](int64_t n) { skipped_seen += n; };
    FetchCycle cycle(config, source, writer, seen, dates, &FixedId, observer);
    return cycle.RunOnce(force);
  }
};

TEST(FetchCycleTest, WholeRealDayIsWrittenPapersFirstManifestLast) {
  Harness h;
  LoadDay(h.source, "2025-04-08");
  std::map<std::string, int> per_category;
  FetchObserver observer;
  observer.on_paper = [&](const std::string& c, const Paper&) {
    ++per_category[c];
  };
  FetchCycle cycle(h.config, h.source, h.writer, h.seen, h.dates, &FixedId,
                   observer);
  absl::StatusOr<RunManifest> run = cycle.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();

  EXPECT_EQ(run->run_id, "2025-04-08-test");
  EXPECT_EQ(run->date, "2025-04-08");
  EXPECT_EQ(run->status, run_status::kFetched);
  EXPECT_EQ(run->reason, "");
  EXPECT_EQ(run->skipped_seen, 0);
  EXPECT_EQ(run->total_papers, 871 + 23);
  EXPECT_EQ(run->papers_to_score, static_cast<int64_t>(h.writer.papers.size()));
  EXPECT_GE(run->scanned_papers, run->papers_to_score);
  ASSERT_GT(h.writer.papers.size(), 400u);
  EXPECT_EQ(h.writer.calls.front(), "begin");
  EXPECT_EQ(h.writer.calls.back(), "finish");
  EXPECT_EQ(h.writer.begun.status, run_status::kFetching);
  EXPECT_EQ(h.writer.finished.status, run_status::kFetched);
  std::set<std::string> ids;
  for (size_t i = 0; i < h.writer.papers.size(); ++i) {
    EXPECT_TRUE(ids.insert(h.writer.papers[i].arxiv_id).second)
        << "duplicate " << h.writer.papers[i].arxiv_id;
    EXPECT_EQ(h.writer.papers[i].position, static_cast<int64_t>(i));
  }
  int observed = 0;
  for (const auto& [c, n] : per_category) observed += n;
  EXPECT_EQ(observed, static_cast<int>(h.writer.papers.size()));
  // What the run covered is remembered: delivered papers, feed dates and
  // (for the HTTP source) validators.
  EXPECT_EQ(h.seen.versions.size(), h.writer.papers.size());
  EXPECT_EQ(h.dates.dates.at("cs.SD+eess.AS"), "2025-04-08");
  EXPECT_EQ(h.source.committed, testing::SampleDayCategories());
}

TEST(FetchCycleTest, EmptyWeekendFeedIsNoAnnouncementsWithSkipDaysReason) {
  Harness h;
  h.source.feeds["cs"] = testing::ReadRssFixture(
      "xlr-aex_albatros__arxiv_cs_empty_weekend_2026-03-29.xml");
  h.config.filtering.arxiv_categories = {"cs"};
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->status, run_status::kNoAnnouncements);
  EXPECT_EQ(run->date, "2026-03-29");
  EXPECT_EQ(run->reason,
            "no announcements on Sunday 2026-03-29 (feed skipDays: Saturday, "
            "Sunday)");
  EXPECT_EQ(run->total_papers, 0);
  EXPECT_TRUE(h.writer.papers.empty());
  EXPECT_EQ(h.writer.calls, (std::vector<std::string>{"begin", "finish"}));
  EXPECT_EQ(h.writer.finished.reason, run->reason);
  // The empty day is recorded, so the next hourly cycle says "not updated".
  absl::StatusOr<RunManifest> again = h.Run();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(again->reason, kReasonNotUpdated);
}

// The same day fetched again (the hourly loop, a restarted replica): the
// channel date equals the last run's, so an explicit "not updated" run and
// no papers; --force delivers the day again.
TEST(FetchCycleTest, SameFeedDateAsLastRunIsNotUpdated) {
  Harness h;
  LoadDay(h.source, "2025-04-08");
  ASSERT_TRUE(h.Run().ok());
  size_t first = h.writer.papers.size();
  absl::StatusOr<RunManifest> again = h.Run();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(again->reason, "feed not updated since the last run");
  EXPECT_EQ(again->date, "2025-04-08");
  EXPECT_EQ(again->papers_to_score, 0);
  EXPECT_EQ(h.writer.calls, (std::vector<std::string>{"begin", "finish"}));

  absl::StatusOr<RunManifest> forced = h.Run(/*force=*/true);
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(forced->status, run_status::kFetched);
  EXPECT_EQ(h.writer.papers.size(), first);
  EXPECT_EQ(forced->skipped_seen, 0);
  // Forced fetches are unconditional.
  EXPECT_FALSE(h.source.conditional.back());
}

TEST(FetchCycleTest, NotModifiedFeedsAreNotUpdated) {
  Harness h;
  LoadDay(h.source, "2025-04-08");
  ASSERT_TRUE(h.Run().ok());
  h.source.not_modified = {"cs.CL+cs.CV+cs.MM+cs.LG+cs.SI", "cs.SD+eess.AS"};
  h.dates.dates.clear();  // 304 alone must be enough
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->status, run_status::kNoAnnouncements);
  EXPECT_EQ(run->reason, kReasonNotUpdated);
}

// Two consecutive real days through one memory: replacements of day-1
// papers are recognised by their version-less id.
TEST(FetchCycleTest, CrossDayDeduplicationOnTwoRealDays) {
  Harness h;
  h.config.filtering.announce_types = {"new", "cross", "replace",
                                       "replace-cross"};
  LoadDay(h.source, "2025-04-08");
  absl::StatusOr<RunManifest> day1 = h.Run();
  ASSERT_TRUE(day1.ok()) << day1.status();
  std::map<std::string, int> day1_versions;
  for (const Paper& p : h.writer.papers) day1_versions[p.arxiv_id] = p.version;

  LoadDay(h.source, "2025-04-15");
  absl::StatusOr<RunManifest> day2 = h.Run();
  ASSERT_TRUE(day2.ok()) << day2.status();
  EXPECT_EQ(day2->status, run_status::kFetched);
  EXPECT_EQ(day2->date, "2025-04-15");
  // Every day-2 paper also delivered on day 1 is a new version: scored again.
  std::vector<std::string> again;
  for (const Paper& p : h.writer.papers) {
    auto it = day1_versions.find(p.arxiv_id);
    if (it == day1_versions.end()) continue;
    again.push_back(p.arxiv_id);
    EXPECT_GT(p.version, it->second) << p.arxiv_id;
  }
  EXPECT_GE(again.size(), 5u);
  EXPECT_EQ(day2->skipped_seen, 0);
  int64_t day2_papers = day2->papers_to_score;

  // The same day-2 feed once more after its date key was lost (e.g. a new
  // Redis without the key but with the seen papers): nothing is delivered
  // twice and the run says why.
  h.dates.dates.clear();
  absl::StatusOr<RunManifest> day2_again = h.Run();
  ASSERT_TRUE(day2_again.ok()) << day2_again.status();
  EXPECT_EQ(day2_again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(day2_again->skipped_seen, day2_papers);
  EXPECT_EQ(day2_again->reason,
            "all " + std::to_string(day2_papers) +
                " selected papers were already delivered by earlier runs");
  EXPECT_EQ(h.skipped_seen, day2_papers);
}

// Without replacements in announce_type, a paper delivered before is never
// scored again, whatever its version.
TEST(FetchCycleTest, DeliveredPaperIsSkippedWithoutReplaceTypes) {
  Harness h;
  LoadDay(h.source, "2025-04-15");
  std::vector<FetchedFeed> feeds = testing::LoadSampleDay("2025-04-15");
  Selection sel = SelectPapers(feeds, h.config.filtering);
  ASSERT_GT(sel.papers.size(), 3u);
  // Delivered earlier: one at a lower version, one at the same version.
  h.seen.versions[sel.papers[0].arxiv_id] = sel.papers[0].version;
  h.seen.versions[sel.papers[1].arxiv_id] = 0;
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->skipped_seen, 2);
  EXPECT_EQ(run->papers_to_score, static_cast<int64_t>(sel.papers.size()) - 2);
  EXPECT_EQ(h.writer.papers.front().arxiv_id, sel.papers[2].arxiv_id);
  EXPECT_EQ(h.writer.papers.front().position, 0);

  // With replacements asked for, the lower version is scored again.
  Harness r;
  r.config.filtering.announce_types = {"new", "cross", "replace"};
  LoadDay(r.source, "2025-04-15");
  r.seen.versions[sel.papers[0].arxiv_id] = sel.papers[0].version;
  r.seen.versions[sel.papers[1].arxiv_id] = 0;
  absl::StatusOr<RunManifest> rerun = r.Run();
  ASSERT_TRUE(rerun.ok());
  EXPECT_EQ(rerun->skipped_seen, 1);
}

TEST(FetchCycleTest, UnreadableSeenStoreFailsTheRunBeforeWriting) {
  Harness h;
  LoadDay(h.source, "2025-04-08");
  h.seen.fail_lookup = absl::UnavailableError("redis down");
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_FALSE(run.ok());
  EXPECT_TRUE(h.writer.calls.empty());
}

// A feed that cannot be fetched or is not RSS fails the run before anything
// is written; the error names the category and the metric names the kind.
TEST(FetchCycleTest, BadFeedFailsBeforeWriting) {
  std::string good =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  struct Case {
    absl::StatusOr<std::string> second;
    std::string expect;
    std::string kind;
  };
  std::vector<Case> cases = {
      {absl::UnavailableError("HTTP 503"), "HTTP 503", "fetch"},
      {good.substr(0, 600), "malformed", "malformed_xml"},
      {std::string("<html><body>Service unavailable</body></html>"),
       "unsupported feed format", "html_page"},
      {std::string("<!DOCTYPE html><html><head><title>Error</title><body><p>"
                   "Rate exceeded.<br></body></html>"),
       "root element <html>", "html_page"},
      {std::string("\x89PNG\r\n\x1a\n\0\0garbage", 16), "malformed",
       "malformed_xml"},
      {std::string("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"),
       "unsupported feed format", "unsupported_format"},
  };
  for (const Case& c : cases) {
    Harness h;
    h.source.feeds["cs.SD+eess.AS"] = good;
    h.source.feeds["cs.LG"] = c.second;
    h.config.filtering.arxiv_categories = {"cs.SD+eess.AS", "cs.LG"};
    absl::StatusOr<RunManifest> run = h.Run();
    ASSERT_FALSE(run.ok()) << c.expect;
    EXPECT_NE(run.status().message().find("feed cs.LG"), std::string::npos)
        << run.status();
    EXPECT_NE(run.status().message().find(c.expect), std::string::npos)
        << run.status();
    EXPECT_TRUE(h.writer.calls.empty());
    EXPECT_EQ(h.errors,
              (std::map<std::string, int64_t>{{"cs.LG/" + c.kind, 1}}))
        << c.expect;
  }
}

// A feed cut in transfer: its complete items are delivered now, it is not
// marked done, and the next cycle delivers only what was missing.
TEST(FetchCycleTest, TruncatedFeedIsUsedAndFetchedAgain) {
  Harness h;
  LoadDay(h.source, "2025-04-08");
  const std::string big = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI";
  std::string full = *h.source.feeds[big];
  h.source.feeds[big] = full.substr(0, full.size() / 2);
  absl::StatusOr<RunManifest> partial = h.Run();
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->status, run_status::kFetched);
  EXPECT_EQ(h.errors[big + "/malformed_xml"], 1);
  EXPECT_EQ(h.errors[big + "/invalid_item"], 1);  // the cut item
  int64_t first = partial->papers_to_score;
  EXPECT_EQ(h.dates.dates.count(big), 0u);
  EXPECT_EQ(h.dates.dates.at("cs.SD+eess.AS"), "2025-04-08");
  EXPECT_EQ(h.source.committed, std::vector<std::string>{"cs.SD+eess.AS"});

  h.source.feeds[big] = full;
  absl::StatusOr<RunManifest> rest = h.Run();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->status, run_status::kFetched);
  EXPECT_GT(rest->papers_to_score, 0);

  Harness whole;
  LoadDay(whole.source, "2025-04-08");
  absl::StatusOr<RunManifest> once = whole.Run();
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(first + rest->papers_to_score, once->papers_to_score);
}

TEST(FetchCycleTest, InvalidUtf8IsReplacedAndCounted) {
  Harness h;
  std::string xml =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  size_t at = xml.find("Determined blind source");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 10, "Determ\xC3\x28\xFF\xE2\x82");  // bad 2-byte, 0xFF, cut €
  h.source.feeds["cs.SD+eess.AS"] = xml;
  h.config.filtering.arxiv_categories = {"cs.SD+eess.AS"};
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(h.errors["cs.SD+eess.AS/invalid_utf8"], 3);
  EXPECT_EQ(h.writer.papers.front().title.rfind(
                "Determ\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD", 0),
            0u)
      << h.writer.papers.front().title;
}

TEST(FetchCycleTest, WriterErrorStopsTheRunWithoutAManifest) {
  Harness h;
  h.source.feeds["cs.SD+eess.AS"] =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  h.writer.fail_on_append = absl::UnavailableError("redis down");
  h.config.filtering.arxiv_categories = {"cs.SD+eess.AS"};
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(h.writer.calls, (std::vector<std::string>{"begin", "paper"}));
  // Nothing is remembered: the next cycle delivers the day.
  EXPECT_TRUE(h.seen.versions.empty());
  EXPECT_TRUE(h.dates.dates.empty());
}

TEST(FetchCycleTest, NothingSelectedIsNoAnnouncementsWithReason) {
  Harness h;
  h.source.feeds["cs.SD+eess.AS"] =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  h.config.filtering.arxiv_categories = {"cs.SD+eess.AS"};
  h.config.filtering.announce_types = {"replace-cross"};
  h.config.filtering.force_primary = true;
  absl::StatusOr<RunManifest> run = h.Run();
  ASSERT_TRUE(run.ok());
  if (run->papers_to_score == 0) {
    EXPECT_EQ(run->status, run_status::kNoAnnouncements);
    EXPECT_EQ(run->reason,
              "none of the 23 announced papers matched "
              "announce_type=replace-cross with force_primary");
  }
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
