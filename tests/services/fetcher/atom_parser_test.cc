// ParseArxivAtom on real arXiv query-API responses (2026 and the 2020
// layout) and on the API's error entry.
#include "services/fetcher/logic/atom_parser.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/fetcher/logic/xml_text.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::arxiv_digest::testing::ReadRepoFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Atom(const std::string& name) {
  return ReadRepoFile("tests/fixtures/arxiv/atom/" + name);
}

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(AtomParserTest, CurrentApiResponse) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(
      Atom("CrSamson_brevio-ai__arxiv_cs_lg_api_2026-04-30.xml"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_results, 364218);
  EXPECT_EQ(r->start_index, 0);
  EXPECT_EQ(r->items_per_page, 20);
  ASSERT_EQ(r->papers.size(), 20u);
  EXPECT_TRUE(r->entry_errors.empty());
  const Paper& first = r->papers[0];
  EXPECT_EQ(first.arxiv_id, "2604.26951");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.title,
            "Turning the TIDE: Cross-Architecture Distillation for Diffusion "
            "Large Language Models");
  EXPECT_THAT(first.authors,
              ElementsAre("Gongbo Zhang", "Wen Wang", "Ye Tian", "Li Yuan"));
  EXPECT_THAT(first.categories, ElementsAre("cs.CL", "cs.AI", "cs.LG"));
  EXPECT_THAT(first.abstract, StartsWith("Diffusion large language models"));
  EXPECT_EQ(first.announce_type, "");
  EXPECT_EQ(r->papers[1].arxiv_id, "2604.26942");
  EXPECT_THAT(r->papers[1].authors,
              ElementsAre("Shayan Hundrieser", "Insung Kong",
                          "Johannes Schmidt-Hieber"));
}

TEST(AtomParserTest, ParagraphBreaksBecomeOneSpace) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(
      Atom("CrSamson_brevio-ai__arxiv_cs_lg_api_2026-04-30.xml"));
  ASSERT_TRUE(r.ok()) << r.status();
  bool found = false;
  for (const Paper& p : r->papers) {
    EXPECT_THAT(p.abstract, ::testing::Not(HasSubstr("\n"))) << p.arxiv_id;
    EXPECT_THAT(p.abstract, ::testing::Not(HasSubstr("  "))) << p.arxiv_id;
    if (p.arxiv_id == "2604.26837") {
      found = true;
      EXPECT_THAT(p.abstract,
                  HasSubstr("the benefits of sparsity. We present SPIN"));
    }
  }
  EXPECT_TRUE(found);
}

// Titles, abstracts and author names go through the same normalisation as
// the OAI-PMH parser (xml_text's CollapseFeedText, not a copy of it), and
// elements match by local name whatever the namespace prefix.
TEST(AtomParserTest, TextIsNormalisedLikeTheOtherArxivParsers) {
  const std::string title = "  A  <b>bold</b>\n    claim &amp; proof  ";
  const std::string summary = "First line\n  second\tline.\n\n  Next.";
  const std::string xml =
      "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"><a:entry>"
      "<a:id>http://arxiv.org/abs/2504.01234v3</a:id>"
      "<a:title><![CDATA[" +
      title +
      "]]></a:title>"
      "<a:summary><![CDATA[" +
      summary +
      "]]></a:summary>"
      "<a:author><a:name>\n  Ada\n  Lovelace </a:name></a:author>"
      "</a:entry></a:feed>";
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(xml);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->papers.size(), 1u) << ::testing::PrintToString(r->entry_errors);
  const Paper& p = r->papers[0];
  EXPECT_EQ(p.arxiv_id, "2504.01234");
  EXPECT_EQ(p.version, 3);
  EXPECT_EQ(p.title, CollapseFeedText(title));
  EXPECT_EQ(p.abstract, CollapseFeedText(summary));
  EXPECT_EQ(p.abstract, "First line second line. Next.");
  EXPECT_THAT(p.authors, ElementsAre("Ada Lovelace"));
}

// The error entry is recognised with a namespace prefix too (its <id> and
// <summary> are looked up by local name, like every other element).
TEST(AtomParserTest, PrefixedApiErrorEntryIsAnError) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(
      "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"><a:entry>"
      "<a:id>http://arxiv.org/api/errors#incorrect_id_format_for_1</a:id>"
      "<a:title>Error</a:title>"
      "<a:summary>incorrect id format\n  for 1</a:summary>"
      "</a:entry></a:feed>");
  EXPECT_EQ(Message(r.status()), "arXiv API error: incorrect id format for 1");
}

TEST(AtomParserTest, PrimaryCategoryComesFirst) {
  absl::StatusOr<AtomResponse> r =
      ParseArxivAtom(Atom("d00ksky_arXiv_feed__cache_AI_25.xml"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->papers.size(), 25u);
  EXPECT_EQ(r->total_results, 53844);
  EXPECT_EQ(r->papers[0].arxiv_id, "2501.02842");
  EXPECT_THAT(r->papers[0].categories, ElementsAre("cs.IR", "cs.LG"));
  EXPECT_EQ(r->papers[0].title, "Foundations of GenIR");
}

TEST(AtomParserTest, OldApiLayoutWithWrappedText) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(
      Atom("joe-antognini_zoia__arxiv_response_oldapi_2020.xml"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_results, 1);
  ASSERT_EQ(r->papers.size(), 1u);
  const Paper& p = r->papers[0];
  EXPECT_EQ(p.arxiv_id, "1601.00001");
  EXPECT_EQ(p.title,
            "Inelastic effects in molecular transport junctions: The probe "
            "technique at high bias");
  EXPECT_THAT(p.abstract,
              StartsWith("We extend the Landauer-B\\\"uttiker probe formalism "
                         "for conductances to the high bias regime,"));
  EXPECT_THAT(p.abstract, ::testing::EndsWith("far-from-equilibrium."));
  EXPECT_THAT(p.authors, ElementsAre("Michael Kilgour", "Dvira Segal"));
  EXPECT_THAT(p.categories, ElementsAre("cond-mat.mes-hall"));
}

TEST(AtomParserTest, ApiErrorEntryIsAnError) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(R"(<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345v</summary>
  </entry>
</feed>)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(r.status()),
            "arXiv API error: incorrect id format for 1234.12345v");
}

TEST(AtomParserTest, EmptyResultIsNotAnError) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(
      R"(<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <opensearch:totalResults>0</opensearch:totalResults></feed>)");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_results, 0);
  EXPECT_TRUE(r->papers.empty());
}

TEST(AtomParserTest, RejectsOtherDocuments) {
  absl::StatusOr<AtomResponse> rss = ParseArxivAtom(ReadRepoFile(
      "tests/fixtures/arxiv/rss/jmamath_distill__arxiv_cs_lg_truncated.xml"));
  ASSERT_FALSE(rss.ok());
  EXPECT_EQ(Message(rss.status()),
            "unsupported feed format: root element <rss>");

  std::string xml = Atom("CrSamson_brevio-ai__arxiv_cs_lg_api_2026-04-30.xml");
  absl::StatusOr<AtomResponse> cut =
      ParseArxivAtom(xml.substr(0, xml.size() / 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_THAT(Message(cut.status()), StartsWith("malformed feed XML: "));
}

TEST(AtomParserTest, EntryWithoutIdIsSkippedAndReported) {
  absl::StatusOr<AtomResponse> r = ParseArxivAtom(R"(
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://example.org/x</id><title>No id</title></entry>
  <entry><id>http://arxiv.org/abs/2504.00001v3</id><title>Ok</title></entry>
</feed>)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->papers.size(), 1u);
  EXPECT_EQ(r->papers[0].version, 3);
  ASSERT_EQ(r->entry_errors.size(), 1u);
  EXPECT_THAT(r->entry_errors[0], StartsWith("entry 1: no arXiv id"));
}

}  // namespace
}  // namespace arxiv_digest
