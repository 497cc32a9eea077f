// OAI-PMH ListRecords (metadataPrefix=arXiv) on the three real responses in
// tests/fixtures/arxiv/oai-pmh/, plus the protocol's paging and errors.
#include "services/fetcher/logic/oai_pmh_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Fixture(const std::string& name) {
  return testing::ReadRepoFile("tests/fixtures/arxiv/oai-pmh/" + name);
}

constexpr char kPlasma[] =
    "CharlesAHunt_agentgraph__oai_listrecords_arXiv_plasm-ph_2026-01-05.xml";
constexpr char kHepEx[] =
    "hepcrawl__oai_listrecords_arXiv_hep-ex_2017-12-14.xml";
constexpr char kHepTh[] =
    "hepcrawl__oai_listrecords_arXiv_hep-th_2017-12-14.xml";

TEST(OaiPmhParserTest, NewEndpointRecords) {
  absl::StatusOr<OaiResponse> r = ParseOaiPmh(Fixture(kPlasma));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->records.size(), 3u);
  EXPECT_TRUE(r->record_errors.empty());
  EXPECT_EQ(r->resumption_token, "");
  const OaiRecord& first = r->records[0];
  EXPECT_EQ(first.paper.arxiv_id, "2504.11237");
  EXPECT_EQ(first.paper.version, 1);
  EXPECT_EQ(first.paper.title, "Periodic table for highly charged ions");
  EXPECT_THAT(first.paper.authors,
              ElementsAre("Chunhai Lyu", "Christoph H. Keitel",
                          "Zolt\xC3\xA1n Harman"));
  EXPECT_THAT(first.paper.categories,
              ElementsAre("physics.atom-ph", "physics.optics",
                          "physics.plasm-ph", "quant-ph"));
  EXPECT_EQ(first.created, "2025-04-15");
  EXPECT_EQ(first.updated, "2026-01-05");
  EXPECT_EQ(first.datestamp, "2026-01-05");
  // &#39; decoded, no hard wraps.
  EXPECT_EQ(first.paper.abstract.rfind("Mendeleev's periodic table", 0), 0u);
  EXPECT_EQ(first.paper.announce_type, "");
}

TEST(OaiPmhParserTest, OldEndpointRecordsAreUnwrapped) {
  for (const char* name : {kHepEx, kHepTh}) {
    absl::StatusOr<OaiResponse> r = ParseOaiPmh(Fixture(name));
    ASSERT_TRUE(r.ok()) << name << ": " << r.status();
    ASSERT_EQ(r->records.size(), 3u) << name;
    for (const OaiRecord& rec : r->records) {
      EXPECT_FALSE(rec.paper.arxiv_id.empty());
      EXPECT_FALSE(rec.paper.title.empty());
      EXPECT_FALSE(rec.paper.authors.empty());
      EXPECT_FALSE(rec.paper.categories.empty());
      EXPECT_EQ(rec.paper.abstract.find('\n'), std::string::npos);
      EXPECT_EQ(rec.paper.title.find("  "), std::string::npos);
      EXPECT_FALSE(rec.created.empty());
    }
  }
  absl::StatusOr<OaiResponse> ex = ParseOaiPmh(Fixture(kHepEx));
  EXPECT_EQ(ex->records[0].paper.arxiv_id, "1706.05371");
  EXPECT_EQ(ex->records[0].paper.title,
            "Evaluation of Silicon Photomultipliers for use as Photosensors "
            "in Liquid Xenon Detectors");
  EXPECT_THAT(ex->records[0].paper.categories,
              ElementsAre("physics.ins-det", "hep-ex"));
  EXPECT_EQ(ex->records[0].paper.authors.front(), "Tyler Anderson");
}

// The fixtures are single pages; a resumption token is spliced in the way
// the server writes it.
TEST(OaiPmhParserTest, ResumptionTokenAndListSize) {
  std::string xml = Fixture(kHepEx);
  size_t end = xml.find("</ListRecords>");
  ASSERT_NE(end, std::string::npos);
  xml.insert(end,
             "<resumptionToken cursor=\"0\" completeListSize=\"6\">"
             " 6096761|1001 </resumptionToken>");
  absl::StatusOr<OaiResponse> r = ParseOaiPmh(xml);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->resumption_token, "6096761|1001");
  EXPECT_EQ(r->complete_list_size, 6);
  // The last page carries an empty token element.
  xml = Fixture(kHepEx);
  xml.insert(xml.find("</ListRecords>"),
             "<resumptionToken cursor=\"3\" completeListSize=\"6\"/>");
  r = ParseOaiPmh(xml);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->resumption_token, "");
}

TEST(OaiPmhParserTest, ErrorsAndEmptyDays) {
  const char* kNoRecords =
      "<?xml version=\"1.0\"?><OAI-PMH "
      "xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2025-04-"
      "06T00:00:00Z</responseDate><request>x</request><error "
      "code=\"noRecordsMatch\">No records</error></OAI-PMH>";
  absl::StatusOr<OaiResponse> empty = ParseOaiPmh(kNoRecords);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->records.empty());

  absl::StatusOr<OaiResponse> bad = ParseOaiPmh(
      "<OAI-PMH><error code=\"badResumptionToken\">expired</error></OAI-PMH>");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "OAI-PMH error badResumptionToken: expired");

  EXPECT_THAT(
      std::string(
          ParseOaiPmh("<html><body>503</body></html>").status().message()),
      HasSubstr("root element <html>"));
  EXPECT_THAT(
      std::string(
          ParseOaiPmh(Fixture(kPlasma).substr(0, 3000)).status().message()),
      HasSubstr("malformed OAI-PMH XML"));
}

TEST(OaiPmhParserTest, DeletedAndBrokenRecordsAreCountedNotFatal) {
  std::string xml = Fixture(kHepTh);
  size_t first = xml.find("<record>");
  ASSERT_NE(first, std::string::npos);
  xml.insert(first,
             "<record><header status=\"deleted\"><identifier>oai:arXiv.org:"
             "1234.5678</identifier></header></record>"
             "<record><header><identifier>oai:arXiv.org:1712.00001"
             "</identifier></header><metadata><arXiv><id>1712.00001</id>"
             "<title></title></arXiv></metadata></record>"
             "<record><header><identifier>x</identifier></header><metadata>"
             "<oai_dc/></metadata></record>");
  absl::StatusOr<OaiResponse> r = ParseOaiPmh(xml);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->records.size(), 3u);
  EXPECT_EQ(r->deleted_records, 1);
  ASSERT_EQ(r->record_errors.size(), 2u);
  EXPECT_THAT(r->record_errors[0], HasSubstr("has no title"));
  EXPECT_THAT(r->record_errors[1], HasSubstr("no <metadata><arXiv>"));
}

}  // namespace
}  // namespace arxiv_digest
