// The api's pure logic: input validation, the token table and the
// authorisation decision, manifest views, job planning, web pages and the
// Atom feed (parsed back as XML).
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "lib/contract/digest_meta.h"
#include "lib/core/ids.h"
#include "services/api/logic/auth.h"
#include "services/api/logic/rescore_plan.h"
#include "services/api/logic/run_view.h"
#include "services/api/logic/validation.h"
#include "services/api/logic/web_pages.h"

namespace arxiv_digest::api {
namespace {

// Ids, dates, run ids and profile names are lib/core/ids.h's (tested in
// tests/lib/ids_test.cc); these are the api's checks built on them.
TEST(ValidationTest, Dates) {
  EXPECT_TRUE(ValidatePastDate("d", "2025-04-10", "2025-04-10").ok());
  EXPECT_TRUE(ValidatePastDate("d", "2024-02-29", "2025-04-10").ok());
  EXPECT_EQ(ValidatePastDate("d", "2025-04-11", "2025-04-10").message(),
            "d: 2025-04-11 is in the future");
  absl::Status bad = ValidatePastDate("d", "2025-02-29", "2025-04-10");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("d: '2025-02-29'"), std::string::npos) << bad;
  EXPECT_EQ(DaysBetween("2025-03-30", "2025-04-02"), 3);
  EXPECT_EQ(DaysBetween("2025-04-02", "2025-03-30"), -3);
  EXPECT_EQ(contract::DigestIndexScore("2025-04-08"), 20250408);
  EXPECT_EQ(contract::DigestIndexScore("2025-4-8"), 0);
}

TEST(ValidationTest, Categories) {
  for (const char* ok : {"cs.LG", "cs.CL+cs.LG", "math-ph", "hep-th",
                         "cond-mat.mes-hall", "q-bio.NC", "econ", "stat.ML"}) {
    EXPECT_TRUE(IsValidCategory(ok)) << ok;
  }
  for (const char* bad : {"", "cs.", ".LG", "cs LG", "CS.LG", "cs.LG+",
                          "+cs.LG", "cs..LG", "cs.LG;rm", "cs/LG"}) {
    EXPECT_FALSE(IsValidCategory(bad)) << bad;
  }
}

TEST(AuthLogicTest, ParseAndDecide) {
  auto table = TokenTable::Parse(
      "# comment\n\n  tok-operator-0001 operator ci  "
      "\ntok-reader-000022\treader "
      "web\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->Find("tok-reader-000022")->name, "web");
  EXPECT_FALSE(table->Find("tok-reader-00002").has_value());
  EXPECT_FALSE(table->Find("tok-reader-0000222").has_value());

  auto op =
      Authorize(&*table, "Bearer tok-operator-0001", Access::kMutate, "M");
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(op->name, "ci");
  EXPECT_EQ(Authorize(&*table, "Bearer tok-reader-000022", Access::kMutate, "M")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Authorize(&*table, std::nullopt, Access::kRead, "M").status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Authorize(nullptr, std::nullopt, Access::kRead, "M")->name,
            kAnonymousClient);
  EXPECT_EQ(
      Authorize(nullptr, std::nullopt, Access::kMutate, "M").status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST(AuthLogicTest, BadFilesNameTheLineNotTheToken) {
  auto bad_role = TokenTable::Parse(
      "ok-token-0123456789 operator a\nsecret-xyz-0123456789 admin b\n");
  ASSERT_FALSE(bad_role.ok());
  EXPECT_NE(bad_role.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(bad_role.status().message().find("secret-xyz-0123456789"),
            std::string::npos);
  EXPECT_FALSE(TokenTable::Parse("only-two-fields-0123 operator\n").ok());
  EXPECT_FALSE(TokenTable::Parse("same-token-0123456789 reader a\n"
                                 "same-token-0123456789 operator b\n")
                   .ok());
}

TEST(AuthLogicTest, FieldsInTheWrongOrderNeverPrintTheToken) {
  // Role first, token second: the token sits where the role belongs.
  for (const char* line : {"operator secret-xyz-0123456789 alice\n",
                           "alice operator secret-xyz-0123456789\n",
                           "alice secret-xyz-0123456789 operator\n"}) {
    auto bad = TokenTable::Parse(std::string("# c\n") + line);
    ASSERT_FALSE(bad.ok()) << line;
    std::string message(bad.status().message());
    EXPECT_EQ(message.find("secret-xyz"), std::string::npos) << message;
    EXPECT_NE(message.find("line 2"), std::string::npos) << message;
    EXPECT_NE(message.find("token role client-name"), std::string::npos)
        << message;
  }
}

TEST(AuthLogicTest, TokensShorterThan16AreRefusedNamingLineAndClient) {
  auto weak = TokenTable::Parse(
      "ok-token-0123456789 operator a\nfifteen-chars-x reader bob\n");
  ASSERT_FALSE(weak.ok());
  std::string message(weak.status().message());
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("'bob'"), std::string::npos) << message;
  EXPECT_NE(message.find("16"), std::string::npos) << message;
  EXPECT_EQ(message.find("fifteen-chars-x"), std::string::npos) << message;
  EXPECT_TRUE(TokenTable::Parse("sixteen-chars-xy reader bob\n").ok());
}

TEST(RunViewTest, StatesFromManifest) {
  RunManifest m;
  m.status = run_status::kRequested;
  EXPECT_EQ(ProgressOf(m, 0).state, "queued");
  m.status = run_status::kFetched;
  m.papers_to_score = 4;
  JobProgressView p = ProgressOf(m, 1);
  EXPECT_EQ(p.state, "running");
  EXPECT_EQ(p.message, "scoring");
  EXPECT_DOUBLE_EQ(p.fraction, 0.25);
  EXPECT_EQ(p.papers_total, 4);
  EXPECT_EQ(p.papers_done, 1);
  m.status = run_status::kPublished;
  EXPECT_EQ(ProgressOf(m, 4).state, "done");
  m.status = run_status::kNoAnnouncements;
  m.reason = "feed not updated";
  EXPECT_EQ(ProgressOf(m, 0).state, "done");
  EXPECT_EQ(ProgressOf(m, 0).message, "no announcements: feed not updated");
  m.status = run_status::kFailed;
  m.error = "boom";
  EXPECT_EQ(ProgressOf(m, 0).state, "failed");
  EXPECT_EQ(ProgressOf(m, 0).message, "boom");
  EXPECT_TRUE(IsTerminalState("failed"));
  EXPECT_FALSE(IsTerminalState("running"));
  // The api's run ids, now made by lib/core/ids.h.
  EXPECT_EQ(
      MakeRunId(*Date::Parse("2025-04-08"), run_id_tag::kRescore, 0xabc).str(),
      "2025-04-08-r00000abc");
  EXPECT_EQ(MakeRunId(std::nullopt, run_id_tag::kTrigger, 1).str(),
            "pending-t00000001");
}

TEST(RescorePlanTest, GroupsByDateDedupsAndRenumbers) {
  auto paper = [](const char* id, int pos) {
    Paper p;
    p.arxiv_id = id;
    p.position = pos;
    return p;
  };
  std::vector<SourcePaper> in = {{"r2", "2025-04-08", paper("b", 7)},
                                 {"r1", "2025-04-07", paper("a", 3)},
                                 {"r2", "2025-04-08", paper("c", 9)},
                                 {"r3", "2025-04-08", paper("b", 1)}};
  std::vector<PlannedJob> jobs = PlanJobs(in);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].date, "2025-04-07");
  EXPECT_EQ(jobs[1].parent_run, "r2");
  ASSERT_EQ(jobs[1].papers.size(), 2u);
  EXPECT_EQ(jobs[1].papers[0].arxiv_id, "b");
  EXPECT_EQ(jobs[1].papers[0].position, 0);
  EXPECT_EQ(jobs[1].papers[1].arxiv_id, "c");
  EXPECT_EQ(jobs[1].papers[1].position, 1);
  EXPECT_EQ(EstimatePromptTokens(4003), 1000);
}

TEST(WebPagesTest, AtomFeedIsValidEscapedXml) {
  // Digests whose papers are unknown: one entry per day.
  std::vector<FeedDigest> list = {
      {{"2025-04-08", 2, 5, "2025-04-08T07:00:00Z", "r"}, {}},
      {{"2025-04-07", 1, 3, "", "r"}, {}}};
  std::string feed =
      RenderAtomFeed("a<b&c", "http://h:1", list, "2025-04-10T00:00:00Z");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(feed.c_str())) << feed;
  pugi::xml_node root = doc.child("feed");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_STREQ(root.child_value("title"), "arXiv digest: a<b&c");
  EXPECT_STREQ(root.child_value("updated"), "2025-04-08T07:00:00Z");
  int entries = 0;
  for (pugi::xml_node e : root.children("entry")) {
    ++entries;
    EXPECT_NE(std::string(e.child("link").attribute("href").value())
                  .find("http://h:1/p/a<b&c/2025-04-0"),
              std::string::npos);
  }
  EXPECT_EQ(entries, 2);
  EXPECT_NE(feed.find("<updated>2025-04-07T00:00:00Z</updated>"),
            std::string::npos);
}

TEST(WebPagesTest, PagesEscapeAndLinkVersions) {
  std::string page = RenderDatesPage(
      "alice", {{"2025-04-08", 3, 5, "", ""}, {"2025-04-07", 1, 2, "", ""}});
  EXPECT_NE(page.find("href=\"/p/alice/2025-04-08?v=2\""), std::string::npos);
  EXPECT_NE(page.find("href=\"/p/alice/2025-04-08.json\""), std::string::npos);
  EXPECT_EQ(page.find("2025-04-07?v=1"), std::string::npos);
  EXPECT_LT(page.find("2025-04-08"), page.find("2025-04-07"));
  std::string index = RenderProfilesPage({"default", "<script>"});
  EXPECT_EQ(index.find("<script>"), std::string::npos);
  EXPECT_NE(index.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest::api
