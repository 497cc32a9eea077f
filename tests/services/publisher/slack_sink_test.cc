// SlackSink against a local webhook server (cpp-httplib over loopback):
// the posted JSON, retries on 429 (Retry-After) and 5xx with backoff, no
// retry on other 4xx, and the webhook URL kept out of errors.
#include "services/publisher/adapters/slack_sink.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <deque>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/json/json_util.h"
#include "tests/support/fake_clock.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest {
namespace {

struct Scripted {
  int status = 200;
  std::string retry_after;
};

class WebhookServer {
 public:
  WebhookServer() {
    server_.Post("/services/T0/B0/secret", [this](const httplib::Request& req,
                                                  httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      bodies_.push_back(req.body);
      content_types_.push_back(req.get_header_value("Content-Type"));
      Scripted next;
      if (!script_.empty()) {
        next = script_.front();
        script_.pop_front();
      }
      res.status = next.status;
      if (!next.retry_after.empty()) {
        res.set_header("Retry-After", next.retry_after);
      }
      res.set_content(next.status == 200 ? "ok" : "invalid_payload",
                      "text/plain");
    });
    port_ = *testing::StartHttpServer(server_, thread_);
  }
  ~WebhookServer() { testing::StopHttpServer(&server_, thread_); }

  std::string url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/services/T0/B0/secret");
  }
  void Script(std::vector<Scripted> s) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.assign(s.begin(), s.end());
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard<std::mutex> lock(mu_);
    return content_types_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::deque<Scripted> script_;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
};

PublishedDigest MakeDigest(int papers) {
  PublishedDigest d;
  d.run_id = "2025-04-08-abc";
  d.profile = "alice";
  d.date = "2025-04-08";
  d.version = 2;
  for (int i = 0; i < papers; ++i) {
    ScoredPaper sp;
    sp.paper.arxiv_id = absl::StrCat("2504.0010", i);
    sp.paper.title =
        i == 0 ? "Attention <is> all | you & need" : absl::StrCat("Paper ", i);
    sp.score.relevance = 9;
    sp.score.novelty = 7;
    d.ranked.push_back(sp);
  }
  return d;
}

class SlackSinkTest : public ::testing::Test {
 protected:
  SlackSink MakeSink(SlackSinkOptions options = {}) {
    options.webhook_url = server_.url();
    options.top_papers = 3;
    return SlackSink(http_, options, clock_);
  }
  const std::vector<std::chrono::milliseconds>& sleeps() const {
    return clock_.sleeps();
  }

  WebhookServer server_;
  HttplibClient http_;
  FakeClock clock_;
};

TEST_F(SlackSinkTest, PostsTopPapersWithLinks) {
  SlackSinkOptions options;
  options.digest_base_url = "https://digest.example.org";
  ASSERT_TRUE(MakeSink(options).Deliver(MakeDigest(5)).ok());
  auto bodies = server_.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(server_.content_types()[0], "application/json");
  auto doc = ParseJson(bodies[0]);
  ASSERT_TRUE(doc.ok()) << bodies[0];
  std::string text = GetString(*doc, "text").value_or("");
  EXPECT_NE(
      text.find(
          "*arXiv digest 2025-04-08* (alice), version 2: 5 relevant papers"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("1. <https://arxiv.org/abs/2504.00100|Attention &lt;is&gt; "
                "all / you &amp; need> (relevance 9, novelty 7)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("3. <https://arxiv.org/abs/2504.00102|Paper 2>"),
            std::string::npos);
  EXPECT_EQ(text.find("2504.00103"), std::string::npos);
  EXPECT_NE(text.find("…and 2 more"), std::string::npos);
  EXPECT_NE(
      text.find("<https://digest.example.org/p/alice/2025-04-08|Full digest>"),
      std::string::npos);
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(SlackSinkTest, RetriesRateLimitAndServerErrors) {
  server_.Script({{429, "2"}, {503, ""}, {500, ""}, {200, ""}});
  ASSERT_TRUE(MakeSink().Deliver(MakeDigest(1)).ok());
  EXPECT_EQ(server_.bodies().size(), 4u);
  ASSERT_EQ(sleeps().size(), 3u);
  EXPECT_EQ(sleeps()[0], std::chrono::seconds(2));  // Retry-After
  EXPECT_EQ(sleeps()[1], std::chrono::seconds(2));  // backoff doubled
  EXPECT_EQ(sleeps()[2], std::chrono::seconds(4));
}

TEST_F(SlackSinkTest, GivesUpAfterMaxAttempts) {
  server_.Script({{500, ""}, {500, ""}, {500, ""}, {500, ""}, {500, ""}});
  absl::Status s = MakeSink().Deliver(MakeDigest(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(server_.bodies().size(), 4u);
  EXPECT_EQ(s.message(), "slack: giving up after 4 attempts: HTTP 500");
  EXPECT_EQ(s.message().find("secret"), std::string::npos) << s.message();
}

// A Retry-After beyond max_backoff is waited for only max_backoff (Slack
// asking for an hour must not hold the publisher for an hour).
TEST_F(SlackSinkTest, LongRetryAfterIsCappedAtMaxBackoff) {
  server_.Script({{429, "3600"}, {200, ""}});
  SlackSinkOptions options;
  options.max_backoff = std::chrono::seconds(30);
  ASSERT_TRUE(MakeSink(options).Deliver(MakeDigest(1)).ok());
  EXPECT_EQ(server_.bodies().size(), 2u);
  ASSERT_EQ(sleeps().size(), 1u);
  EXPECT_EQ(sleeps()[0], std::chrono::seconds(30));
}

TEST_F(SlackSinkTest, ClientErrorsAreNotRetried) {
  server_.Script({{400, ""}});
  absl::Status s = MakeSink().Deliver(MakeDigest(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("HTTP 400"), std::string::npos);
  EXPECT_EQ(server_.bodies().size(), 1u);
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(SlackSinkTest, UnreachableWebhookIsRetriedThenUnavailable) {
  SlackSinkOptions options;
  options.webhook_url = "http://127.0.0.1:1/services/T0/B0/secret";
  options.max_attempts = 2;
  SlackSink sink(http_, options, clock_);
  absl::Status s = sink.Deliver(MakeDigest(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sleeps().size(), 1u);
  EXPECT_EQ(s.message().find("secret"), std::string::npos) << s.message();
}

// An empty digest posts nothing (as the Python tool), unless notify_empty
// asks for a short notice.
TEST_F(SlackSinkTest, EmptyDigestPostsNothingUnlessNotifyEmpty) {
  ASSERT_TRUE(MakeSink().Deliver(MakeDigest(0)).ok());
  EXPECT_TRUE(server_.bodies().empty());
  SlackSinkOptions options;
  options.notify_empty = true;
  ASSERT_TRUE(MakeSink(options).Deliver(MakeDigest(0)).ok());
  auto bodies = server_.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  auto doc = ParseJson(bodies[0]);
  ASSERT_TRUE(doc.ok()) << bodies[0];
  EXPECT_EQ(GetString(*doc, "text").value_or(""),
            "*arXiv digest 2025-04-08* (alice), version 2: no papers today");
}

}  // namespace
}  // namespace arxiv_digest
