// Backfill logic: command-line input, request URLs, OAI-PMH sets, records
// mapped onto the configured feeds, and the backfill runs over fakes.
#include "services/fetcher/logic/backfill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/fetcher/logic/backfill_cycle.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(BackfillInputTest, IdList) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseIdList(" 2504.01234, arXiv:2504.05678v2,math/0601001,2504.01234v3");
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_THAT(*ids, ElementsAre("2504.01234", "2504.05678", "math/0601001"));
  for (const char* bad : {"2504.1", "hello", "2504.01234;DROP", ",,"}) {
    EXPECT_FALSE(ParseIdList(bad).ok()) << bad;
  }
  EXPECT_THAT(std::string(ParseIdList("2504.01234,xyz").status().message()),
              HasSubstr("'xyz'"));
}

TEST(BackfillInputTest, DateRange) {
  EXPECT_TRUE(ValidateDateRange("2025-04-07", "2025-04-08").ok());
  EXPECT_TRUE(ValidateDateRange("2025-04-08", "2025-04-08").ok());
  EXPECT_FALSE(ValidateDateRange("2025-04-09", "2025-04-08").ok());
  EXPECT_THAT(
      std::string(ValidateDateRange("04/07/2025", "2025-04-08").message()),
      HasSubstr("--from"));
  EXPECT_FALSE(ValidateDateRange("2025-04-07", "2025-13-01").ok());
  EXPECT_FALSE(
      ValidateDateRange("2025-02-29", "2025-03-01").ok());  // no leap day
  EXPECT_TRUE(ValidateDateRange("2024-02-29", "2024-03-01").ok());
}

TEST(BackfillUrlTest, AtomAndOai) {
  EXPECT_EQ(AtomIdListUrl("http://h/api/query", {"2504.01234", "math/0601001"}),
            "http://h/api/query?id_list=2504.01234,math%2F0601001"
            "&max_results=2");
  EXPECT_EQ(OaiListRecordsUrl("https://oaipmh.arxiv.org/oai", "2025-04-07",
                              "2025-04-08", "physics:hep-th"),
            "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv"
            "&from=2025-04-07&until=2025-04-08&set=physics%3Ahep-th");
  EXPECT_EQ(OaiResumeUrl("http://h/oai", "6096761|1001"),
            "http://h/oai?verb=ListRecords&resumptionToken=6096761%7C1001");
}

TEST(BackfillUrlTest, OaiSets) {
  EXPECT_THAT(OaiSetsFor({"cs.CL+cs.CV+cs.MM+cs.LG+cs.SI", "cs.SD+eess.AS"}),
              ElementsAre("cs", "eess"));
  EXPECT_THAT(
      OaiSetsFor({"hep-th", "physics.plasm-ph+quant-ph", "math.AG", "stat.ML"}),
      ElementsAre("physics:hep-th", "physics:physics", "physics:quant-ph",
                  "math", "stat"));
}

OaiRecord Record(const std::string& id, std::vector<std::string> cats,
                 const std::string& created) {
  OaiRecord r;
  r.paper.arxiv_id = id;
  r.paper.title = "T " + id;
  r.paper.categories = std::move(cats);
  r.created = created;
  return r;
}

TEST(BackfillMappingTest, AnnounceTypesFromDatesAndCategories) {
  std::vector<OaiRecord> records = {
      Record("2504.00001", {"cs.LG", "stat.ML"}, "2025-04-07"),  // new
      Record("2504.00002", {"stat.ML", "cs.LG"}, "2025-04-08"),  // cross
      Record("2503.00003", {"cs.LG"}, "2025-03-01"),             // replace
      Record("2503.00004", {"math.OC", "cs.LG"}, "2025-03-02"),  // r-cross
      Record("2504.00005", {"hep-th"}, "2025-04-07"),            // unmatched
      Record("2504.00001", {"cs.LG"}, "2025-04-07"),             // duplicate
      Record("2504.00006", {"eess.AS", "cs.SD"}, "2025-04-07"),  // 2nd entry
  };
  HarvestSelection s = FeedsFromOaiRecords(
      records, {"cs.LG+cs.CL", "cs.SD+eess.AS"}, "2025-04-07", "2025-04-08");
  ASSERT_EQ(s.feeds.size(), 2u);
  EXPECT_EQ(s.unmatched, 1);
  std::vector<std::string> types;
  for (const Paper& p : s.feeds[0].feed.items) types.push_back(p.announce_type);
  EXPECT_THAT(types, ElementsAre("new", "cross", "replace", "replace-cross"));
  ASSERT_EQ(s.feeds[1].feed.items.size(), 1u);
  EXPECT_EQ(s.feeds[1].feed.items[0].announce_type, "new");
  EXPECT_EQ(s.feeds[0].feed.date, "2025-04-08");
}

class FakeBackfillSource : public BackfillSource {
 public:
  absl::StatusOr<AtomResponse> atom = AtomResponse{};
  absl::StatusOr<OaiHarvest> harvest = OaiHarvest{};
  std::vector<std::string> asked_ids, asked_sets;
  absl::StatusOr<AtomResponse> FetchIds(
      const std::vector<std::string>& ids) override {
    asked_ids = ids;
    return atom;
  }
  absl::StatusOr<OaiHarvest> HarvestDates(
      const std::string&, const std::string&,
      const std::vector<std::string>& sets) override {
    asked_sets = sets;
    return harvest;
  }
};

std::string FixedId(const std::string& date) { return date + "-bf"; }

// Ids through the real Atom fixture: requested order kept, missing ids
// counted, delivered papers scored again (that is what the user asked).
TEST(BackfillCycleTest, IdsUseTheAtomFixture) {
  absl::StatusOr<AtomResponse> atom = ParseArxivAtom(testing::ReadRepoFile(
      "tests/fixtures/arxiv/atom/"
      "CrSamson_brevio-ai__arxiv_cs_lg_api_2026-04-30.xml"));
  ASSERT_TRUE(atom.ok()) << atom.status();
  ASSERT_GE(atom->papers.size(), 3u);
  FakeBackfillSource source;
  source.atom = *atom;
  Config config;
  config.filtering.arxiv_categories = {"cs.LG"};
  testing::RecordingWriter writer;
  testing::MemorySeenStore seen;
  std::string a = atom->papers[2].arxiv_id, b = atom->papers[0].arxiv_id;
  seen.versions[a] = 99;
  std::map<std::string, int64_t> errors;
  FetchObserver observer;
  observer.on_feed_error = [&](const std::string& c, const std::string& k,
                               int64_t n) { errors[c + "/" + k] += n; };
  BackfillCycle cycle(config, source, writer, seen, &FixedId, observer);
  absl::StatusOr<RunManifest> run =
      cycle.RunIds({a, "2504.99999", b}, "2026-05-01");
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->status, run_status::kFetched);
  EXPECT_EQ(run->date, "2026-05-01");
  EXPECT_EQ(run->run_id, "2026-05-01-bf");
  EXPECT_EQ(run->papers_to_score, 2);
  EXPECT_EQ(run->total_papers, 3);
  ASSERT_EQ(writer.papers.size(), 2u);
  EXPECT_EQ(writer.papers[0].arxiv_id, a);
  EXPECT_EQ(writer.papers[1].arxiv_id, b);
  EXPECT_EQ(writer.papers[1].position, 1);
  EXPECT_EQ(writer.papers[0].feed, "id_list");
  EXPECT_EQ(errors["id_list/not_found"], 1);

  source.atom = absl::InvalidArgumentError("arXiv API error: bad id");
  ASSERT_FALSE(cycle.RunIds({"2504.1"}, "2026-05-01").ok());
  EXPECT_EQ(errors["id_list/api_error"], 1);
}

// A date range through the real OAI-PMH fixtures, with the usual filters
// and de-duplication.
TEST(BackfillCycleTest, DatesUseTheOaiFixtures) {
  FakeBackfillSource source;
  OaiHarvest harvest;
  for (const char* name :
       {"hepcrawl__oai_listrecords_arXiv_hep-ex_2017-12-14.xml",
        "hepcrawl__oai_listrecords_arXiv_hep-th_2017-12-14.xml"}) {
    absl::StatusOr<OaiResponse> r = ParseOaiPmh(testing::ReadRepoFile(
        std::string("tests/fixtures/arxiv/oai-pmh/") + name));
    ASSERT_TRUE(r.ok()) << r.status();
    for (OaiRecord& rec : r->records) harvest.records.push_back(rec);
    harvest.pages++;
  }
  source.harvest = harvest;
  Config config;
  config.filtering.arxiv_categories = {"hep-ex+physics.ins-det", "hep-th"};
  config.filtering.announce_types = {"new", "cross", "replace",
                                     "replace-cross"};
  config.filtering.force_primary = false;
  testing::RecordingWriter writer;
  testing::MemorySeenStore seen;
  BackfillCycle cycle(config, source, writer, seen, &FixedId);
  absl::StatusOr<RunManifest> run =
      cycle.RunDates("2017-12-14", "2017-12-14", false);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(
      source.asked_sets,
      ElementsAre("physics:hep-ex", "physics:physics", "physics:hep-th"));
  EXPECT_EQ(run->date, "2017-12-14");
  EXPECT_EQ(run->status, run_status::kFetched);
  EXPECT_GT(run->papers_to_score, 0);
  EXPECT_LE(run->papers_to_score, 6);
  for (const Paper& p : writer.papers) {
    // Every fixture paper was first submitted before the harvested day.
    EXPECT_TRUE(p.announce_type == "replace" ||
                p.announce_type == "replace-cross")
        << p.arxiv_id << " " << p.announce_type;
  }
  // The same range again: everything was delivered.
  absl::StatusOr<RunManifest> again =
      cycle.RunDates("2017-12-14", "2017-12-14", false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(again->skipped_seen, run->papers_to_score);
  // --force delivers it again.
  absl::StatusOr<RunManifest> forced =
      cycle.RunDates("2017-12-14", "2017-12-14", true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->papers_to_score, run->papers_to_score);
  // Nothing in the categories: an explicit reason.
  source.harvest = OaiHarvest{};
  absl::StatusOr<RunManifest> empty =
      cycle.RunDates("2017-12-16", "2017-12-17", false);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->status, run_status::kNoAnnouncements);
  EXPECT_THAT(empty->reason, HasSubstr("no announcements between 2017-12-16"));
}

}  // namespace
}  // namespace arxiv_digest
