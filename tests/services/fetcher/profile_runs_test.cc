// One fetch, many readers, on the whole real day 2025-04-08: the union of
// the profiles' feeds is fetched once, the daily run holds the default
// profile's selection and every other profile gets a child run with exactly
// what its own settings select, recorded before the daily run is finished.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/contract/run_manifest.h"
#include "services/fetcher/logic/fetch_cycle.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/profile_feeds.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using testing::MapFeedSource;
using testing::MemoryFeedDateStore;
using testing::MemorySeenStore;

constexpr char kMain[] = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI";
constexpr char kAudio[] = "cs.SD+eess.AS";

// Every run written, by id, with the order of the calls across runs.
class RunsWriter : public contract::RunWriter {
 public:
  struct Run {
    RunManifest begun, finished;
    std::vector<Paper> papers;
  };
  std::map<std::string, Run> runs;
  std::vector<std::string> finished_order;
  absl::Status BeginRun(const RunManifest& m) override {
    runs[m.run_id].begun = m;
    return absl::OkStatus();
  }
  absl::Status AppendPaper(const std::string& id, const Paper& p) override {
    runs[id].papers.push_back(p);
    return absl::OkStatus();
  }
  absl::Status FinishRun(const RunManifest& m) override {
    runs[m.run_id].finished = m;
    finished_order.push_back(m.run_id);
    return absl::OkStatus();
  }
  absl::Status RequestFetch(const RunManifest&) override {
    return absl::InternalError("not used");
  }
  absl::Status FailRun(const std::string&, const std::string&) override {
    return absl::InternalError("not used");
  }
};

class MemoryProfileRunIndex : public ProfileRunIndex {
 public:
  // daily run -> profile -> child; `finished_before` = runs finished when
  // the record was written.
  std::map<std::string, std::map<std::string, std::string>> children;
  RunsWriter* writer = nullptr;
  size_t finished_before = 0;
  absl::Status RecordProfileRun(const std::string& daily,
                                const std::string& profile,
                                const std::string& child) override {
    children[daily][profile] = child;
    finished_before = writer->finished_order.size();
    return absl::OkStatus();
  }
};

std::string DailyId(const std::string& date) { return date + "-d1234567"; }
std::string ChildId(const std::string& date) {
  static int n = 0;
  return date + "-p" + std::to_string(10000000 + n++);
}

FilteringConfig DefaultFiltering() {
  FilteringConfig f;
  f.arxiv_categories = {kMain};
  f.announce_types = {"new", "cross"};
  f.force_primary = true;
  return f;
}

// The second reader: the audio feed (spelled with spaces), new papers only.
FilteringConfig AudioFiltering() {
  FilteringConfig f;
  f.arxiv_categories = {"cs.SD + eess.AS"};
  f.announce_types = {"new"};
  f.force_primary = true;
  return f;
}

struct Harness {
  Config config;
  MapFeedSource source;
  RunsWriter writer;
  MemorySeenStore seen, audio_seen;
  MemoryFeedDateStore dates;
  MemoryProfileRunIndex index;

  Harness() {
    config.filtering = DefaultFiltering();
    for (const std::string& cat : testing::SampleDayCategories()) {
      source.feeds[cat] =
          testing::ReadRepoFile("data/sample/2025-04-08/" + cat + ".xml");
    }
    index.writer = &writer;
  }
  absl::StatusOr<RunManifest> Run(bool force = false) {
    FetchCycle cycle(config, source, writer, seen, dates, &DailyId);
    cycle.ServeProfiles({ProfileReader{"audio", AudioFiltering(), &audio_seen}},
                        index, &ChildId);
    return cycle.RunOnce(force);
  }
};

std::vector<std::string> Ids(const std::vector<Paper>& papers) {
  std::vector<std::string> ids;
  for (const Paper& p : papers) ids.push_back(p.arxiv_id);
  return ids;
}

TEST(ProfileFeedsTest, UnionHasEveryEntryOnceInFirstSeenOrder) {
  FilteringConfig a = DefaultFiltering(), b = AudioFiltering();
  b.arxiv_categories.push_back(kMain);
  b.arxiv_categories.push_back("cs.RO");
  EXPECT_EQ(UnionFeedEntries({&a, &b}),
            (std::vector<std::string>{kMain, kAudio, "cs.RO"}));
  EXPECT_EQ(FeedEntryKey(" cs.SD +\teess.AS "), kAudio);
}

TEST(ProfileRunsTest, OneFetchOfTheUnionAndEachProfileGetsItsOwnSelection) {
  Harness h;
  absl::StatusOr<RunManifest> daily = h.Run();
  ASSERT_TRUE(daily.ok()) << daily.status();

  // Each feed requested once, the default's first.
  EXPECT_EQ(h.source.requested, (std::vector<std::string>{kMain, kAudio}));

  // The daily run: the default profile's feed only.
  std::vector<FetchedFeed> day = testing::LoadSampleDay("2025-04-08");
  ASSERT_EQ(day.size(), 2u);
  Selection main_only = SelectPapers({day[0]}, DefaultFiltering());
  EXPECT_EQ(daily->run_id, "2025-04-08-d1234567");
  EXPECT_EQ(daily->kind, "");
  EXPECT_EQ(daily->status, run_status::kFetched);
  EXPECT_EQ(daily->total_papers, main_only.total_items);
  EXPECT_EQ(Ids(h.writer.runs.at(daily->run_id).papers), Ids(main_only.papers));

  // The audio child: exactly what its own settings select.
  ASSERT_EQ(h.index.children.size(), 1u);
  const std::string child_id = h.index.children.at(daily->run_id).at("audio");
  const RunsWriter::Run& child = h.writer.runs.at(child_id);
  Selection audio = SelectPapers({FetchedFeed{"cs.SD + eess.AS", day[1].feed}},
                                 AudioFiltering());
  ASSERT_FALSE(audio.papers.empty());
  EXPECT_EQ(Ids(child.papers), Ids(audio.papers));
  for (const Paper& p : child.papers) {
    EXPECT_EQ(p.announce_type, "new") << p.arxiv_id;
    EXPECT_EQ(p.feed, "cs.SD + eess.AS");
  }
  // Fewer than the default's filtering would give the same feed.
  EXPECT_LT(child.papers.size(),
            SelectPapers({day[1]}, DefaultFiltering()).papers.size());
  EXPECT_EQ(child.begun.kind, contract::run_kind::kProfile);
  EXPECT_EQ(child.begun.parent_run, daily->run_id);
  EXPECT_EQ(child.begun.profile, "audio");
  EXPECT_EQ(child.begun.date, "2025-04-08");
  EXPECT_EQ(child.finished.status, run_status::kFetched);
  EXPECT_EQ(child.finished.papers_to_score,
            static_cast<int64_t>(child.papers.size()));
  // Recorded before the daily run was announced: the api's fan-out, which
  // reacts to that announcement, finds the profile done.
  EXPECT_EQ(h.index.finished_before, 1u);
  EXPECT_EQ(h.writer.finished_order.back(), daily->run_id);
  // Each reader remembers its own deliveries; both feeds' dates recorded.
  EXPECT_EQ(h.seen.versions.size(), main_only.papers.size());
  EXPECT_EQ(h.audio_seen.versions.size(), audio.papers.size());
  EXPECT_EQ(h.dates.dates.size(), 2u);
}

TEST(ProfileRunsTest, PaperDeliveredToTheDefaultReaderStillReachesAProfile) {
  Harness h;
  std::vector<FetchedFeed> day = testing::LoadSampleDay("2025-04-08");
  // The default reader already got every paper of the day (e.g. it also
  // reads the audio feed): the audio reader has not.
  for (const FetchedFeed& f : day) {
    for (const Paper& p : f.feed.items) h.seen.versions[p.arxiv_id] = 9;
  }
  absl::StatusOr<RunManifest> daily = h.Run();
  ASSERT_TRUE(daily.ok()) << daily.status();
  EXPECT_EQ(daily->status, run_status::kNoAnnouncements);
  const std::string child_id = h.index.children.at(daily->run_id).at("audio");
  EXPECT_EQ(h.writer.runs.at(child_id).finished.status, run_status::kFetched);
  EXPECT_FALSE(h.writer.runs.at(child_id).papers.empty());

  // The next day's feeds again (new dates forgotten): now the audio reader
  // has them too, so its child is empty and says so.
  h.dates.dates.clear();
  h.source.requested.clear();
  absl::StatusOr<RunManifest> again = h.Run();
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(h.index.children.size(), 1u);  // same daily id in this fake
  const std::string second = h.index.children.at(again->run_id).at("audio");
  EXPECT_NE(second, child_id);
  EXPECT_EQ(h.writer.runs.at(second).finished.status,
            run_status::kNoAnnouncements);
  EXPECT_TRUE(h.writer.runs.at(second).papers.empty());
}

TEST(ProfileRunsTest, WithoutUpdatedFeedsNoProfileRunIsWritten) {
  Harness h;
  ASSERT_TRUE(h.Run().ok());
  const size_t runs = h.writer.runs.size();
  absl::StatusOr<RunManifest> again = h.Run();  // same channel dates
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(h.writer.runs.size(), runs);  // the daily run id is reused here
}

}  // namespace
}  // namespace arxiv_digest
