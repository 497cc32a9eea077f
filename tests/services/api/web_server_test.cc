// The digest web site over real HTTP (cpp-httplib client) and in headless
// Chromium: profiles, dates with versions, the publisher's HTML with its
// table of contents and arXiv links, JSON, Markdown and the Atom feed.
#include "services/api/adapters/web_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <pugixml.hpp>

#include "services/publisher/logic/html_renderer.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

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
    ASSERT_TRUE(
        redis_
            ->Set(keys::DigestVersion("default", "2025-04-08", 2, "html"),
                  html_)
            .ok());
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
  EXPECT_EQ(r->body, html_);
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
