// The digest web site over real HTTP (cpp-httplib client) and in headless
// Chromium: profiles, dates with versions, the publisher's HTML with its
// table of contents and arXiv links, JSON, Markdown and the Atom feed.
#include "services/api/adapters/web_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>

#include "services/api/logic/web_pages.h"
#include "services/publisher/logic/html_renderer.h"
#include "services/publisher/logic/json_renderer.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

std::vector<ScoredPaper> ReferencePapers() {
  absl::StatusOr<std::vector<ScoredPaper>> papers =
      ParseScoredJson(arxiv_digest::testing::ReadFileOrEmpty(
          std::string(ARXIV_DIGEST_SOURCE_DIR) +
          "/tests/fixtures/reference/scored-2025-04-22.json"));
  EXPECT_TRUE(papers.ok()) << papers.status();
  return papers.ok() ? *papers : std::vector<ScoredPaper>{};
}

class WebServerTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    // Version 1: a placeholder; version 2: the publisher's real HTML.
    SeedDigest("default", "2025-04-07", 1, "r7", 2, "seven");
    SeedDigest("default", "2025-04-08", 1, "r8", 5, "first version");
    SeedDigest("default", "2025-04-08", 2, "r8b", 2, "second version");
    DigestHeader header;
    header.date = "2025-04-08";
    header.model = "gpt-4o";
    header.total_papers = 900;
    header.scanned_papers = 500;
    std::vector<ScoredPaper> ranked;
    for (int i = 0; i < 2; ++i) {
      ScoredPaper sp;
      sp.paper.arxiv_id = PaperId(100 + i);
      sp.paper.title = i == 0 ? "Graph Transformers <Revisited> & Scaled"
                              : "Sparse Attention for Long Documents";
      sp.paper.authors = {"Ada Lovelace", "Alan Turing"};
      sp.paper.abstract = "We study attention.";
      sp.score.arxiv_id = sp.paper.arxiv_id;
      sp.score.relevance = 9 - i;
      sp.score.novelty = 8;
      sp.score.comment = "Matches topic 1.";
      ranked.push_back(sp);
    }
    html_ = RenderDigestHtml(header, ranked);
    StoreDigestText("default", "2025-04-08", 2, "html", html_);
    WebServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    web_ = std::make_unique<WebServer>(*pool_, *catalog_, *metrics_, options);
    auto port = web_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    web_port_ = *port;
    http_ = std::make_unique<httplib::Client>("127.0.0.1", web_port_);
    http_->set_read_timeout(10, 0);
  }
  void TearDown() override {
    if (web_) web_->Stop();
    ApiFixture::TearDown();
  }

  httplib::Result Get(const std::string& path) {
    return http_->Get(path.c_str());
  }

  std::string html_;
  std::unique_ptr<WebServer> web_;
  int web_port_ = 0;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(WebServerTest, IndexAndDatesPages) {
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("href=\"/p/default/\""), std::string::npos);
  EXPECT_NE(r->body.find("href=\"/p/alice/\""), std::string::npos);

  r = Get("/p/default/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(r->body.find("2025-04-08"), r->body.find("2025-04-07"));
  EXPECT_NE(r->body.find("href=\"/p/default/2025-04-08?v=1\""),
            std::string::npos);
  EXPECT_NE(r->body.find("href=\"/p/default/feed.atom\""), std::string::npos);
}

TEST_F(WebServerTest, DigestFormatsAndVersions) {
  auto r = Get("/p/default/2025-04-08");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // The publisher's page, with the site's feed link and navigation added.
  EXPECT_EQ(r->body, DecorateDigestPage(html_, DigestPageNav{
                                                   "default",
                                                   "2025-04-08",
                                                   {"2025-04-07", ""},
                                                   {"default", "alice"},
                                               }));
  EXPECT_NE(r->body.find("<link rel=\"alternate\" "
                         "type=\"application/atom+xml\""),
            std::string::npos);
  EXPECT_NE(r->body.find("rel=\"prev\" href=\"/p/default/2025-04-07\""),
            std::string::npos);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  r = Get("/p/default/2025-04-08?v=1");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("first version"), std::string::npos);
  r = Get("/p/default/2025-04-08.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "json:second version");
  EXPECT_EQ(r->get_header_value("Content-Type"),
            "application/json; charset=utf-8");
  r = Get("/p/default/2025-04-08.md?v=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "md:first version");

  for (const char* missing :
       {"/p/default/2025-04-09", "/p/default/2025-04-08?v=9",
        "/p/default/2025-04-08.pdf", "/p/nobody/", "/p/default/notadate",
        "/p/..%2F/2025-04-08", "/nothing"}) {
    auto m = Get(missing);
    ASSERT_TRUE(m) << missing;
    EXPECT_EQ(m->status, 404) << missing;
  }
}

// A damaged stored value is a 500 naming the damage, not "Redis is
// unavailable"; the feed still lists that day.
TEST_F(WebServerTest, DamagedStoredDigestIsServerError) {
  ASSERT_TRUE(redis_
                  ->Set(keys::DigestVersion("default", "2025-04-08", 2, "json"),
                        std::string("\x1f\x8bnot gzip", 10))
                  .ok());
  auto r = Get("/p/default/2025-04-08.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("stored damaged"), std::string::npos) << r->body;
  r = Get("/p/default/2025-04-08.md?v=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = Get("/p/default/feed.atom");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("/p/default/2025-04-08"), std::string::npos);
}

TEST_F(WebServerTest, AtomFeedIsValidAndLinksDigests) {
  auto r = Get("/p/default/feed.atom");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"),
            "application/atom+xml; charset=utf-8");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r->body.c_str())) << r->body;
  std::vector<std::string> links;
  for (pugi::xml_node e : doc.child("feed").children("entry")) {
    links.push_back(e.child("link").attribute("href").value());
  }
  ASSERT_EQ(links.size(), 2u);
  std::string base =
      absl::StrCat("http://127.0.0.1:", web_port_, "/p/default/");
  EXPECT_EQ(links[0], base + "2025-04-08");
  EXPECT_EQ(links[1], base + "2025-04-07");
}

// A day whose stored JSON is a real digest: one entry per paper, with
// the TeX of names and abstracts made readable.
TEST_F(WebServerTest, AtomFeedHasOneEntryPerPaper) {
  std::vector<ScoredPaper> ranked = ReferencePapers();
  ASSERT_EQ(ranked.size(), 29u);
  SeedDigest("default", "2025-04-22", 1, "r22", 29, "x");
  StoreDigestText("default", "2025-04-22", 1, "json", RenderDigestJson(ranked));
  auto r = Get("/p/default/feed.atom");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r->body.c_str())) << r->body;
  std::vector<pugi::xml_node> entries;
  for (pugi::xml_node e : doc.child("feed").children("entry")) {
    entries.push_back(e);
  }
  ASSERT_EQ(entries.size(), 29u + 2u);  // + the two days without JSON
  for (size_t i = 0; i < ranked.size(); ++i) {
    EXPECT_EQ(std::string(entries[i].child("link").attribute("href").value()),
              "https://arxiv.org/abs/" + ranked[i].paper.arxiv_id);
    EXPECT_FALSE(std::string(entries[i].child_value("summary")).empty());
  }
  EXPECT_NE(r->body.find("<name>Mehmet Yamaç</name>"), std::string::npos);
}

// Headless Chromium at 390 px (a phone): the real digest of 2025-04-22 with
// its prompt section, as the web site serves it, must not scroll sideways.
// New headless Chromium keeps windows at least 500 px wide, so the page is
// measured inside a 390 px iframe of a local wrapper page.
TEST_F(WebServerTest, ChromiumNoHorizontalScrollAt390px) {
  const std::string chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    GTEST_SKIP() << "chromium not installed (apt-get install chromium): "
                    "the 390 px layout check needs it";
  }
  std::vector<ScoredPaper> ranked = ReferencePapers();
  ASSERT_FALSE(ranked.empty());
  // Categories as a feed gives them, so the category chips are measured.
  ranked[0].paper.categories = {"cs.LG", "cs.AI", "cs.CL", "stat.ML"};
  const std::string reference = arxiv_digest::testing::ReadFileOrEmpty(
      std::string(ARXIV_DIGEST_SOURCE_DIR) +
      "/tests/fixtures/reference/digest-2025-04-22.md");
  const std::string marker = "# Paper Selection Prompt\n\n";
  const size_t prompt_at = reference.find(marker);
  ASSERT_NE(prompt_at, std::string::npos);
  DigestHeader header;
  header.date = "2025-04-22";
  header.model = "gpt-4o-2024-08-06-with-a-long-deployment-name";
  header.usage = {.prompt_tokens = 51438, .completion_tokens = 7285};
  header.total_papers = 791;
  header.scanned_papers = 462;
  SeedDigest("default", "2025-04-22", 1, "r22", 29, "x");
  StoreDigestText(
      "default", "2025-04-22", 1, "html",
      RenderDigestHtml(header, ranked,
                       reference.substr(prompt_at + marker.size())));
  auto r = Get("/p/default/2025-04-22");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  ASSERT_NE(r->body.find("Paper Selection Prompt"), std::string::npos);

  std::string dir = arxiv_digest::testing::TempDir("api-chromium-390-");
  {
    std::ofstream page(dir + "/page.html", std::ios::binary);
    page << r->body;
    std::ofstream wrapper(dir + "/phone.html", std::ios::binary);
    wrapper << R"(<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="page.html" style="width:390px;height:800px;border:0"></iframe>
<script>
window.addEventListener("load", function () {
  var f = document.getElementById("f");
  var e = f.contentDocument.documentElement;
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "scrollWidth=" + e.scrollWidth + ";clientWidth=" +
      e.clientWidth + ";innerWidth=" + f.contentWindow.innerWidth + ";";
  document.body.appendChild(out);
});
</script></body></html>)";
  }
  arxiv_digest::testing::SubprocessOptions o;
  o.binary = chromium;
  o.args = {"--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--allow-file-access-from-files",
            "--user-data-dir=" + dir + "/profile",
            "--window-size=800,900",
            "--dump-dom",
            "file://" + dir + "/phone.html"};
  o.env["HOME"] = dir;
  auto p = arxiv_digest::testing::Subprocess::Start(o);
  ASSERT_TRUE(p.ok()) << p.status();
  std::optional<int> code = (*p)->WaitFor(std::chrono::seconds(90));
  ASSERT_EQ(code, 0) << (*p)->Describe(4000);
  const std::string dom = (*p)->ReadStdout();
  // The probe's text, not the script's source that spells the same names.
  const size_t probe = dom.find("<pre id=\"probe\">");
  ASSERT_NE(probe, std::string::npos) << dom.substr(0, 2000);
  const std::string result = dom.substr(probe);
  auto number = [&](const std::string& name) {
    size_t at = result.find(name + "=");
    if (at == std::string::npos) return -1;
    return std::atoi(result.c_str() + at + name.size() + 1);
  };
  ASSERT_EQ(number("innerWidth"), 390) << result;
  EXPECT_GT(number("scrollWidth"), 0) << result;
  EXPECT_LE(number("scrollWidth"), 390) << result;
  // Nothing wider than the visible area (a vertical scrollbar may take
  // some of the 390 px).
  EXPECT_LE(number("scrollWidth"), number("clientWidth")) << result;
  arxiv_digest::testing::RemoveTree(dir);
}

// Headless Chromium renders the digest page; the DOM must contain the
// table of contents, the arXiv links and the escaped title, and the
// screenshot must be a real picture of the page.
TEST_F(WebServerTest, ChromiumRendersDigestPage) {
  const std::string chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    GTEST_SKIP()
        << "chromium not installed (scripts/install_deps.sh installs it)";
  }
  std::string dir = arxiv_digest::testing::TempDir("api-chromium-");
  std::string url =
      absl::StrCat("http://127.0.0.1:", web_port_, "/p/default/2025-04-08");
  auto run = [&](std::vector<std::string> extra) {
    arxiv_digest::testing::SubprocessOptions o;
    o.binary = chromium;
    o.args = {"--headless",
              "--no-sandbox",
              "--disable-gpu",
              "--disable-quic",
              "--no-first-run",
              "--disable-background-networking",
              "--disable-component-update",
              "--disable-sync",
              "--disable-dev-shm-usage",
              "--user-data-dir=" + dir + "/profile",
              "--window-size=1200,1600"};
    o.args.insert(o.args.end(), extra.begin(), extra.end());
    o.args.push_back(url);
    o.env["HOME"] = dir;
    auto p = arxiv_digest::testing::Subprocess::Start(o);
    EXPECT_TRUE(p.ok()) << p.status();
    std::optional<int> code = (*p)->WaitFor(std::chrono::seconds(90));
    EXPECT_EQ(code, 0) << (*p)->Describe(4000);
    return (*p)->ReadStdout();
  };
  std::string dom = run({"--dump-dom"});
  EXPECT_NE(dom.find("Table of contents"), std::string::npos) << dom;
  EXPECT_NE(dom.find("href=\"https://arxiv.org/abs/2504.00100\""),
            std::string::npos);
  EXPECT_NE(dom.find("Graph Transformers &lt;Revisited&gt; &amp; Scaled"),
            std::string::npos);
  EXPECT_NE(dom.find("Sparse Attention for Long Documents"), std::string::npos);

  std::string png = dir + "/page.png";
  run({"--screenshot=" + png});
  std::string bytes = arxiv_digest::testing::ReadFileOrEmpty(png);
  ASSERT_GT(bytes.size(), 24u) << "no screenshot";
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at]))
            << 24) |
           (static_cast<unsigned char>(bytes[at + 1]) << 16) |
           (static_cast<unsigned char>(bytes[at + 2]) << 8) |
           static_cast<unsigned char>(bytes[at + 3]);
  };
  EXPECT_EQ(be32(16), 1200u);  // IHDR width
  EXPECT_EQ(be32(20), 1600u);  // IHDR height
  // A blank 1200x1600 page compresses to a few KB; text and tables don't.
  EXPECT_GT(bytes.size(), 20000u);
  arxiv_digest::testing::RemoveTree(dir);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
