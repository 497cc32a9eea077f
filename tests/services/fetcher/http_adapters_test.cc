// The fetcher's HTTP adapters against a scripted loopback server: retries,
// Retry-After, timeouts and the User-Agent (PoliteHttpClient), conditional
// GET (HttpFeedSource), and the backfill endpoints (Atom id_list, OAI-PMH
// paging with a resumption token).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/http_transport/httplib_client.h"
#include "services/fetcher/adapters/arxiv_backfill_source.h"
#include "services/fetcher/adapters/http_feed_source.h"
#include "services/fetcher/adapters/polite_http_client.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"
#include "tests/services/fetcher/scripted_http_server.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using testing::ScriptedAnswer;
using testing::ScriptedHttpServer;
using testing::Sequence;

struct Counting {
  std::map<std::string, int> outcomes;
  HttpObserver observer() {
    HttpObserver o;
    o.on_attempt = [this](const std::string& outcome, double) {
      ++outcomes[outcome];
    };
    return o;
  }
};

class CountingGate : public RequestGate {
 public:
  int acquired = 0, released = 0;
  absl::Status Acquire() override {
    ++acquired;
    return absl::OkStatus();
  }
  void Release() override { ++released; }
};

HttpRequest Get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  return r;
}

TEST(PoliteHttpClientTest, RetryAfterOn429And503IsHonoured) {
  ScriptedHttpServer server(Sequence({
      {429, "slow down", {{"Retry-After", "7"}}},
      {503, "busy", {{"Retry-After", "Tue, 08 Apr 2025 00:00:05 GMT"}}},
      {200, "<rss/>"},
  }));
  HttplibClient inner;
  FakeClock clock;
  clock.SetNow(std::chrono::system_clock::time_point(
      std::chrono::seconds(1744070400)));  // 2025-04-08 00:00:00 GMT
  CountingGate gate;
  Counting counts;
  PoliteHttpClient http(inner, &gate, clock, RetryPolicy{}, counts.observer());
  absl::StatusOr<HttpResponse> r = http.Send(Get(server.url("/rss/cs.LG")));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(clock.sleeps(),
            (std::vector<milliseconds>{milliseconds(7000), milliseconds(0)}));
  // The HTTP-date was 5 s after "now" + the 7 s slept.
  EXPECT_EQ(counts.outcomes,
            (std::map<std::string, int>{
                {"ok", 1}, {"rate_limited", 1}, {"unavailable", 1}}));
  EXPECT_EQ(gate.acquired, 3);
  EXPECT_EQ(gate.released, 3);
}

TEST(PoliteHttpClientTest, ServerErrorsBackOffAndAreBounded) {
  ScriptedHttpServer server(Sequence({{500, "oops"}}));
  HttplibClient inner;
  FakeClock clock;
  Counting counts;
  RetryPolicy retry;
  retry.max_attempts = 4;  // the first try and 3 retries
  PoliteHttpClient http(inner, nullptr, clock, retry, counts.observer());
  absl::StatusOr<HttpResponse> r = http.Send(Get(server.url("/x")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);  // the last answer, for the caller to report
  EXPECT_EQ(server.requests().size(), 4u);
  EXPECT_EQ(clock.sleeps(),
            (std::vector<milliseconds>{milliseconds(2000), milliseconds(4000),
                                       milliseconds(8000)}));
  EXPECT_EQ(counts.outcomes["server_error"], 4);
}

TEST(PoliteHttpClientTest, HugeRetryAfterAndClientErrorsAreNotRetried) {
  ScriptedHttpServer server(Sequence({{429, "", {{"Retry-After", "3600"}}}}));
  HttplibClient inner;
  FakeClock clock;
  PoliteHttpClient http(inner, nullptr, clock, RetryPolicy{});
  absl::StatusOr<HttpResponse> r = http.Send(Get(server.url("/x")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_EQ(server.requests().size(), 1u);

  ScriptedHttpServer missing(Sequence({{404, "no"}}));
  r = http.Send(Get(missing.url("/x")));
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(missing.requests().size(), 1u);
}

TEST(PoliteHttpClientTest, TransportErrorsAndTimeoutsAreRetried) {
  FakeClock clock;
  Counting counts;
  RetryPolicy retry;
  retry.max_attempts = 3;
  HttpClientOptions options;
  options.connect_timeout = milliseconds(500);
  options.read_timeout = milliseconds(300);
  HttplibClient inner(options);
  PoliteHttpClient http(inner, nullptr, clock, retry, counts.observer());
  // Nothing listens on port 1.
  absl::StatusOr<HttpResponse> r = http.Send(Get("http://127.0.0.1:1/x"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(counts.outcomes["transport_error"], 3);

  ScriptedHttpServer slow(
      Sequence({{200, "late", {}, milliseconds(800)}, {200, "<rss/>"}}));
  r = http.Send(Get(slow.url("/x")));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "<rss/>");
  EXPECT_EQ(counts.outcomes["timeout"], 1);
}

// Times out `failures` times, then grants the slot.
class TimedOutGate : public RequestGate {
 public:
  int failures = 1;
  int acquired = 0, released = 0;
  absl::Status Acquire() override {
    ++acquired;
    if (failures-- > 0) {
      return absl::DeadlineExceededError("waited 600 s for the slot");
    }
    return absl::OkStatus();
  }
  void Release() override { ++released; }
};

// The gate already waited its bound: the request is not sent, and not
// retried (which would wait the bound again per attempt).
TEST(PoliteHttpClientTest, GateTimeoutIsReturnedWithoutRetrying) {
  ScriptedHttpServer server(Sequence({{200, "<rss/>"}}));
  HttplibClient inner;
  FakeClock clock;
  TimedOutGate gate;
  Counting counts;
  PoliteHttpClient http(inner, &gate, clock, RetryPolicy{}, counts.observer());
  absl::StatusOr<HttpResponse> r = http.Send(Get(server.url("/x")));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.status().message(), "waited 600 s for the slot");
  EXPECT_EQ(gate.acquired, 1);
  EXPECT_EQ(gate.released, 0);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_EQ(counts.outcomes, (std::map<std::string, int>{{"gate_timeout", 1}}));

  // The next request starts afresh (the failure is per call).
  r = http.Send(Get(server.url("/x")));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(gate.acquired, 2);
  EXPECT_EQ(gate.released, 1);
  EXPECT_EQ(counts.outcomes["ok"], 1);
}

TEST(PoliteHttpClientTest, FileUrlsBypassGateAndCounts) {
  FakeClock clock;
  CountingGate gate;
  Counting counts;
  HttplibClient inner;
  PoliteHttpClient http(inner, &gate, clock, RetryPolicy{}, counts.observer());
  const std::string path =
      std::string(ARXIV_DIGEST_SOURCE_DIR) + "/data/sample/2025-04-08";
  (void)http.Send(Get("file://" + path + "/cs.SD+eess.AS.xml"));
  EXPECT_EQ(gate.acquired, 0);
  EXPECT_TRUE(counts.outcomes.empty());
}

TEST(PoliteHttpClientTest, UserAgentNamesTheProjectAndContact) {
  EXPECT_EQ(ArxivUserAgent(""),
            "arxiv-digest/0.1 (+https://github.com/arxiv-digest)");
  EXPECT_EQ(ArxivUserAgent("me@example.org"),
            "arxiv-digest/0.1 (+https://github.com/arxiv-digest; "
            "mailto:me@example.org)");
  ScriptedHttpServer server(Sequence({{200, "<rss/>"}}));
  HttpClientOptions options;
  options.user_agent = ArxivUserAgent("me@example.org");
  HttplibClient inner(options);
  ASSERT_TRUE(inner.Send(Get(server.url("/x"))).ok());
  EXPECT_EQ(server.requests().at(0).headers.at("User-Agent"),
            options.user_agent);
}

class MemoryValidators : public HttpValidatorStore {
 public:
  std::map<std::string, HttpValidators> by_url;
  absl::StatusOr<HttpValidators> Get(const std::string& url) override {
    auto it = by_url.find(url);
    return it == by_url.end() ? HttpValidators{} : it->second;
  }
  absl::Status Put(const std::string& url, const HttpValidators& v) override {
    by_url[url] = v;
    return absl::OkStatus();
  }
};

TEST(HttpFeedSourceTest, ConditionalGetAfterCommitOnly) {
  const std::string feed =
      testing::ReadRepoFile("data/sample/2025-04-08/cs.SD+eess.AS.xml");
  ScriptedHttpServer server([&](const testing::SeenRequest& req) {
    auto inm = req.headers.find("If-None-Match");
    if (inm != req.headers.end() && inm->second == "\"v1\"") {
      return ScriptedAnswer{304, "", {{"ETag", "\"v1\""}}};
    }
    return ScriptedAnswer{200,
                          feed,
                          {{"ETag", "\"v1\""},
                           {"Last-Modified", "Tue, 08 Apr 2025 04:02:04 GMT"}}};
  });
  HttplibClient http;
  MemoryValidators validators;
  HttpFeedSource source(http, server.url("/rss/"), &validators);
  absl::StatusOr<FeedFetch> first = source.FetchFeed("cs.SD+eess.AS", true);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->not_modified);
  EXPECT_EQ(first->body, feed);
  // Not committed (the run failed, say): fetched in full again.
  absl::StatusOr<FeedFetch> again = source.FetchFeed("cs.SD+eess.AS", true);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->not_modified);
  ASSERT_TRUE(source.CommitFeeds({"cs.SD+eess.AS"}).ok());
  EXPECT_EQ(validators.by_url.begin()->second.etag, "\"v1\"");
  absl::StatusOr<FeedFetch> third = source.FetchFeed("cs.SD+eess.AS", true);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_TRUE(third->not_modified);
  std::vector<testing::SeenRequest> reqs = server.requests();
  EXPECT_EQ(reqs.back().headers.at("If-Modified-Since"),
            "Tue, 08 Apr 2025 04:02:04 GMT");
  // --force: unconditional.
  absl::StatusOr<FeedFetch> forced = source.FetchFeed("cs.SD+eess.AS", false);
  ASSERT_TRUE(forced.ok());
  EXPECT_FALSE(forced->not_modified);
  EXPECT_EQ(server.requests().back().headers.count("If-None-Match"), 0u);
}

TEST(HttpFeedSourceTest, NonOkStatusIsAnError) {
  ScriptedHttpServer server(Sequence({{502, "bad gateway"}}));
  HttplibClient http;
  HttpFeedSource source(http, server.url("/rss/"));
  absl::StatusOr<FeedFetch> r = source.FetchFeed("cs.LG", true);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("HTTP 502"));
}

std::string OaiFixture(const std::string& name) {
  return testing::ReadRepoFile("tests/fixtures/arxiv/oai-pmh/" + name);
}

// Two pages joined by a resumption token, as ListRecords pages them.
TEST(ArxivBackfillSourceTest, OaiPagingFollowsResumptionTokens) {
  std::string page1 =
      OaiFixture("hepcrawl__oai_listrecords_arXiv_hep-ex_2017-12-14.xml");
  page1.insert(page1.find("</ListRecords>"),
               "<resumptionToken cursor=\"0\" completeListSize=\"6\">"
               "tok|3</resumptionToken>");
  std::string page2 =
      OaiFixture("hepcrawl__oai_listrecords_arXiv_hep-th_2017-12-14.xml");
  page2.insert(page2.find("</ListRecords>"),
               "<resumptionToken cursor=\"3\" completeListSize=\"6\"/>");
  ScriptedHttpServer server([&](const testing::SeenRequest& req) {
    auto token = req.params.find("resumptionToken");
    if (token == req.params.end()) return ScriptedAnswer{200, page1};
    if (token->second == "tok|3") return ScriptedAnswer{200, page2};
    return ScriptedAnswer{200,
                          "<OAI-PMH><error code=\"badResumptionToken\"/>"
                          "</OAI-PMH>"};
  });
  HttplibClient http;
  ArxivBackfillSource source(http, server.url("/api/query"),
                             server.url("/oai"));
  absl::StatusOr<OaiHarvest> h =
      source.HarvestDates("2017-12-14", "2017-12-14", {"physics:hep-ex"});
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->pages, 2);
  EXPECT_EQ(h->records.size(), 6u);
  std::vector<testing::SeenRequest> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].path, "/oai");
  EXPECT_EQ(reqs[0].params.at("verb"), "ListRecords");
  EXPECT_EQ(reqs[0].params.at("metadataPrefix"), "arXiv");
  EXPECT_EQ(reqs[0].params.at("from"), "2017-12-14");
  EXPECT_EQ(reqs[0].params.at("set"), "physics:hep-ex");
  // A resumed request carries the token only (OAI-PMH 2.0, 3.5).
  EXPECT_EQ(reqs[1].params.at("resumptionToken"), "tok|3");
  EXPECT_EQ(reqs[1].params.count("metadataPrefix"), 0u);
}

TEST(ArxivBackfillSourceTest, OaiRepeatedTokenStops) {
  std::string page =
      OaiFixture("hepcrawl__oai_listrecords_arXiv_hep-ex_2017-12-14.xml");
  page.insert(page.find("</ListRecords>"),
              "<resumptionToken>same</resumptionToken>");
  ScriptedHttpServer server(Sequence({{200, page}}));
  HttplibClient http;
  ArxivBackfillSource source(http, server.url("/api"), server.url("/oai"));
  absl::StatusOr<OaiHarvest> h =
      source.HarvestDates("2017-12-14", "2017-12-14", {"cs"});
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(std::string(h.status().message()), HasSubstr("repeated"));
}

TEST(ArxivBackfillSourceTest, AtomIdList) {
  std::string atom = testing::ReadRepoFile(
      "tests/fixtures/arxiv/atom/joe-antognini_zoia__arxiv_response_oldapi_"
      "2020.xml");
  ScriptedHttpServer server(Sequence({{200, atom}}));
  HttplibClient http;
  ArxivBackfillSource source(http, server.url("/api/query"),
                             server.url("/oai"));
  absl::StatusOr<AtomResponse> r =
      source.FetchIds({"1910.02986", "2001.00001"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->papers.empty());
  std::vector<testing::SeenRequest> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/api/query");
  EXPECT_EQ(reqs[0].params.at("id_list"), "1910.02986,2001.00001");
  EXPECT_EQ(reqs[0].params.at("max_results"), "2");
}

}  // namespace
}  // namespace arxiv_digest
