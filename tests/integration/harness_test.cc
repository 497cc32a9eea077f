// Self-tests of the loopback harness: if these fail, the end-to-end test's
// verdict means nothing.
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/support/feed_server.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {
namespace {

RedisServerOptions AppendOnly() {
  RedisServerOptions options;
  options.appendonly = true;
  return options;
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ----------------------------------------------------------------- Subprocess

TEST(SubprocessTest, CapturesOutputAndExitCode) {
  auto p =
      Subprocess::Start({.binary = "/bin/sh",
                         .args = {"-c", "echo out-$FOO; echo err >&2; exit 3"},
                         .env = {{"FOO", "bar"}}});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->WaitFor(std::chrono::seconds(10)), 3);
  EXPECT_EQ((*p)->ReadStdout(), "out-bar\n");
  EXPECT_EQ((*p)->ReadStderr(), "err\n");
  EXPECT_FALSE((*p)->Running());
}

TEST(SubprocessTest, UnsetsEnvironment) {
  setenv("HARNESS_TEST_SECRET", "leak", 1);
  auto p = Subprocess::Start({.binary = "/bin/sh",
                              .args = {"-c", "echo \"[$HARNESS_TEST_SECRET]\""},
                              .unset_env = {"HARNESS_TEST_SECRET"}});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->WaitFor(std::chrono::seconds(10)), 0);
  EXPECT_EQ((*p)->ReadStdout(), "[]\n");
  unsetenv("HARNESS_TEST_SECRET");
}

TEST(SubprocessTest, SignalEndsProcessAndTimeoutReportsRunning) {
  auto p = Subprocess::Start({.binary = "/bin/sleep", .args = {"30"}});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE((*p)->Running());
  EXPECT_EQ((*p)->WaitFor(std::chrono::milliseconds(20)), std::nullopt);
  (*p)->Signal(SIGTERM);
  EXPECT_EQ((*p)->WaitFor(std::chrono::seconds(10)), 128 + SIGTERM);
}

TEST(SubprocessTest, MissingBinaryIsAnError) {
  auto p = Subprocess::Start({.binary = "/nonexistent/binary"});
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("cannot execute"));
}

// ---------------------------------------------------------------- RedisServer

TEST(RedisServerTest, StartsOnLoopbackAndAnswers) {
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  EXPECT_GT((*redis)->port(), 0);
  EXPECT_EQ((*redis)->url(),
            absl::StrCat("redis://127.0.0.1:", (*redis)->port()));
  auto client = RedisClient::Connect((*redis)->port());
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE(client
                  ->Command({"HSET", "arxiv:run:r1", "status", "fetched",
                             "date", "2025-04-08"})
                  .ok());
  auto status = client->HGet("arxiv:run:r1", "status");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, std::optional<std::string>("fetched"));
  auto missing = client->HGet("arxiv:run:r1", "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, std::nullopt);
  auto all = client->HGetAll("arxiv:run:r1");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)["date"], "2025-04-08");
}

TEST(RedisServerTest, StreamHelpersCountEntriesAndPending) {
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  auto client = RedisClient::Connect((*redis)->port());
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->Command({"XADD", "s", "*", "k", "v"}).ok());
  }
  auto group = client->Command({"XGROUP", "CREATE", "s", "g", "0"});
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->str, "OK");
  auto read = client->Command(
      {"XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(client->XLen("s").value_or(-1), 3);
  EXPECT_EQ(client->XPendingCount("s", "g").value_or(-1), 2);
  auto err = client->Command({"XLEN"});  // wrong arity: an error reply
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RedisServerTest, RestartWithAppendOnlyKeepsData) {
  auto redis = RedisServer::Start(AppendOnly());
  ASSERT_TRUE(redis.ok()) << redis.status();
  const int port = (*redis)->port();
  ASSERT_TRUE(RedisCommand(port, {"SET", "survivor", "1"}).ok());
  ASSERT_TRUE((*redis)->Stop().ok());
  EXPECT_FALSE((*redis)->Running());
  EXPECT_FALSE(RedisClient::Connect(port).ok());
  ASSERT_TRUE((*redis)->Restart().ok()) << (*redis)->Log();
  EXPECT_EQ((*redis)->port(), port);
  auto got = RedisCommand(port, {"GET", "survivor"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str, "1");

  // A crash (SIGKILL) loses nothing either: appendfsync always.
  ASSERT_TRUE(RedisCommand(port, {"SET", "crash", "2"}).ok());
  (*redis)->Kill();
  ASSERT_TRUE((*redis)->Restart().ok()) << (*redis)->Log();
  got = RedisCommand(port, {"GET", "crash"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str, "2");
}

TEST(RedisServerTest, RestartWithoutPersistenceStartsEmpty) {
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  ASSERT_TRUE(RedisCommand((*redis)->port(), {"SET", "k", "v"}).ok());
  ASSERT_TRUE((*redis)->Restart().ok()) << (*redis)->Log();
  auto got = RedisCommand((*redis)->port(), {"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->IsNil());
}

TEST(RedisServerTest, DestructorRemovesDataDir) {
  std::string dir;
  {
    auto redis = RedisServer::Start(AppendOnly());
    ASSERT_TRUE(redis.ok()) << redis.status();
    dir = (*redis)->dir();
    EXPECT_TRUE(std::filesystem::exists(dir));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// ----------------------------------------------------------------- FeedServer

class FeedServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("feeds-");
    std::ofstream(dir_ + "/cs.CL+cs.CV+cs.MM+cs.LG+cs.SI.xml") << kFeed;
  }
  void TearDown() override { RemoveTree(dir_); }

  static constexpr char kFeed[] = "<rss version=\"2.0\"><channel/></rss>";
  std::string dir_;
};

TEST_F(FeedServerTest, ServesFilesByNameAnd404sOthers) {
  auto feeds = FeedServer::Start(dir_);
  ASSERT_TRUE(feeds.ok()) << feeds.status();
  EXPECT_EQ((*feeds)->base_url(),
            absl::StrCat("http://127.0.0.1:", (*feeds)->port(), "/rss/"));
  httplib::Client cli("127.0.0.1", (*feeds)->port());
  auto res = cli.Get("/rss/cs.CL+cs.CV+cs.MM+cs.LG+cs.SI");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, kFeed);
  EXPECT_THAT(res->get_header_value("Content-Type"),
              HasSubstr("application/rss+xml"));

  res = cli.Get("/rss/cs.AI");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = cli.Get("/rss/..%2Fetc%2Fpasswd");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  // The traversal attempt decodes to a path with '/', which no route
  // matches: httplib's own 404, not counted as a feed request.
  EXPECT_EQ((*feeds)->requests(), 2);
  EXPECT_EQ((*feeds)->requests_for("cs.CL+cs.CV+cs.MM+cs.LG+cs.SI"), 1);
}

TEST_F(FeedServerTest, OverridesReplaceAFeedUntilCleared) {
  auto feeds = FeedServer::Start(dir_);
  ASSERT_TRUE(feeds.ok()) << feeds.status();
  const std::string name = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI";
  (*feeds)->SetOverride(name, {.status = 503, .body = "busy"});
  httplib::Client cli("127.0.0.1", (*feeds)->port());
  auto res = cli.Get("/rss/" + name);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->body, "busy");
  (*feeds)->SetOverride(name, {.status = 200,
                               .body = "<html>maintenance</html>",
                               .content_type = "text/html"});
  res = cli.Get("/rss/" + name);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "<html>maintenance</html>");
  (*feeds)->ClearOverride(name);
  res = cli.Get("/rss/" + name);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, kFeed);
}

// ----------------------------------------------------------------- OpenAiStub

constexpr char kPrompt[] =
    "You are a helpful paper reading assistant.\n\n## Papers\n\n"
    "ArXiv ID: 2504.03933\nTitle: A\nAuthors: X\nAbstract: a\n\n"
    "ArXiv ID: 2504.04444\nTitle: B\nAuthors: Y\nAbstract: b\n\n"
    "ArXiv ID: 2504.04711\nTitle: C\nAuthors: Z\nAbstract: c\n\n"
    "## Relevant Topics";

std::string RequestBody(std::string_view prompt) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("model");
  w.String("gpt-4o");
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  w.Key("role");
  w.String("user");
  w.Key("content");
  w.String(prompt.data(), static_cast<rapidjson::SizeType>(prompt.size()));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

httplib::Result Post(const OpenAiStub& stub, const std::string& key,
                     std::string_view prompt = kPrompt) {
  httplib::Client cli("127.0.0.1", stub.port());
  cli.set_read_timeout(std::chrono::seconds(10));
  return cli.Post("/v1/chat/completions",
                  {{"Authorization", absl::StrCat("Bearer ", key)}},
                  RequestBody(prompt), "application/json");
}

// The message content of a completion; fails the test on a bad shape.
std::string ContentOf(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  EXPECT_FALSE(doc.HasParseError()) << body;
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto choices = doc.FindMember("choices");
  if (choices == doc.MemberEnd() || !choices->value.IsArray() ||
      choices->value.Empty()) {
    ADD_FAILURE() << "no choices: " << body;
    return "";
  }
  const auto& choice = choices->value[0];
  auto msg = choice.FindMember("message");
  if (msg == choice.MemberEnd() || !msg->value.IsObject()) return "";
  auto content = msg->value.FindMember("content");
  if (content == msg->value.MemberEnd() || !content->value.IsString()) {
    return "";
  }
  return content->value.GetString();
}

TEST(StubScoreTest, DeterministicInRangeAndSpread) {
  EXPECT_EQ(StubScoreFor("2504.03933").relevance,
            StubScoreFor("2504.03933").relevance);
  int passing = 0;
  for (int i = 0; i < 1000; ++i) {
    const StubScore s = StubScoreFor(absl::StrCat("2504.", 10000 + i));
    ASSERT_GE(s.relevance, 1);
    ASSERT_LE(s.relevance, 10);
    ASSERT_GE(s.novelty, 1);
    ASSERT_LE(s.novelty, 10);
    if (s.relevance >= 7 && s.novelty >= 6) ++passing;
  }
  // Roughly 20% pass the e2e cutoffs: a digest neither empty nor everything.
  EXPECT_GT(passing, 100);
  EXPECT_LT(passing, 350);
}

TEST(OpenAiStubTest, ScoresEveryPromptIdAsJsonl) {
  auto stub = OpenAiStub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  EXPECT_EQ((*stub)->base_url(),
            absl::StrCat("http://127.0.0.1:", (*stub)->port(), "/v1"));
  auto res = Post(**stub, (*stub)->api_key());
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string content = ContentOf(res->body);
  const std::vector<std::string> lines = absl::StrSplit(content, '\n');
  ASSERT_EQ(lines.size(), 3u) << content;
  const char* ids[] = {"2504.03933", "2504.04444", "2504.04711"};
  for (size_t i = 0; i < 3; ++i) {
    rapidjson::Document line;
    line.Parse(lines[i].c_str());
    ASSERT_FALSE(line.HasParseError()) << lines[i];
    const StubScore want = StubScoreFor(ids[i]);
    EXPECT_STREQ(line["ARXIVID"].GetString(), ids[i]);
    EXPECT_EQ(line["RELEVANCE"].GetInt(), want.relevance);
    EXPECT_EQ(line["NOVELTY"].GetInt(), want.novelty);
    EXPECT_EQ(line["COMMENT"].GetString(), want.comment);
  }
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  const StubUsage want = StubUsageFor(kPrompt, content);
  const auto& usage = doc["usage"];
  EXPECT_EQ(usage["prompt_tokens"].GetInt64(), want.prompt_tokens);
  EXPECT_EQ(usage["completion_tokens"].GetInt64(), want.completion_tokens);
  EXPECT_EQ(usage["total_tokens"].GetInt64(), want.total_tokens());
  EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"].GetInt64(),
            want.cached_tokens);
  EXPECT_STREQ(doc["model"].GetString(), "gpt-4o");
  EXPECT_EQ((*stub)->requests(), 1);
  EXPECT_EQ((*stub)->scored_replies(), 1);
  EXPECT_THAT((*stub)->scored_ids(),
              ElementsAre("2504.03933", "2504.04444", "2504.04711"));
  EXPECT_THAT((*stub)->models_requested(), ElementsAre("gpt-4o"));
}

TEST(OpenAiStubTest, RejectsWrongKeyWithOpenAiError) {
  auto stub = OpenAiStub::Start({.api_key = "right"});
  ASSERT_TRUE(stub.ok()) << stub.status();
  auto res = Post(**stub, "wrong");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["error"]["code"].GetString(), "invalid_api_key");
  EXPECT_TRUE((*stub)->scored_ids().empty());

  httplib::Client cli("127.0.0.1", (*stub)->port());
  res = cli.Post("/v1/chat/completions", {{"Authorization", "Bearer right"}},
                 "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

TEST(OpenAiStubTest, PlaysScriptedFailuresInOrder) {
  auto stub = OpenAiStub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  OpenAiStub& s = **stub;
  s.PushFailure(
      {.kind = StubFailureKind::kRateLimited, .retry_after_seconds = 7});
  s.PushFailure({.kind = StubFailureKind::kServerError});
  s.PushFailure({.kind = StubFailureKind::kUnauthorized});
  s.PushFailure({.kind = StubFailureKind::kGarbageBody});
  s.PushFailure({.kind = StubFailureKind::kFencedReply});
  s.PushFailure({.kind = StubFailureKind::kOmitIds, .omit_count = 2});
  s.PushFailure({.kind = StubFailureKind::kDropConnection});
  EXPECT_EQ(s.pending_failures(), 7u);

  auto res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "7");
  EXPECT_THAT(res->body, HasSubstr("rate_limit_exceeded"));

  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_THAT(res->body, HasSubstr("server_error"));

  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);

  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  rapidjson::Document garbage;
  garbage.Parse(res->body.c_str());
  EXPECT_TRUE(garbage.HasParseError());

  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const std::string fenced = ContentOf(res->body);
  EXPECT_THAT(fenced, HasSubstr("```jsonl\n{\"ARXIVID\":\"2504.03933\""));
  EXPECT_THAT(fenced, HasSubstr("Here are the scores"));

  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const std::string omitted = ContentOf(res->body);
  EXPECT_THAT(omitted, HasSubstr("2504.03933"));
  EXPECT_THAT(omitted, ::testing::Not(HasSubstr("2504.04444")));

  res = Post(s, s.api_key());
  EXPECT_FALSE(res) << "expected a dropped connection, got status "
                    << res->status;

  // Script exhausted: back to normal.
  res = Post(s, s.api_key());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);

  EXPECT_EQ(s.requests(), 8);
  EXPECT_EQ(s.scored_replies(), 3);  // fenced, omitting, normal
  EXPECT_EQ(s.score_counts()["2504.03933"], 3);
  EXPECT_EQ(s.score_counts()["2504.04444"], 2);
  EXPECT_EQ(s.pending_failures(), 0u);
}

TEST(OpenAiStubTest, CountsRepliesPerClientTag) {
  auto stub = OpenAiStub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  EXPECT_EQ((*stub)->base_url("scorer-a"),
            absl::StrCat("http://127.0.0.1:", (*stub)->port(), "/scorer-a/v1"));
  httplib::Client cli("127.0.0.1", (*stub)->port());
  const httplib::Headers auth = {
      {"Authorization", absl::StrCat("Bearer ", (*stub)->api_key())}};
  for (const char* path :
       {"/scorer-a/v1/chat/completions", "/scorer-a/v1/chat/completions",
        "/scorer-b/v1/chat/completions", "/v1/chat/completions"}) {
    auto res = cli.Post(path, auth, RequestBody(kPrompt), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path;
  }
  auto res = cli.Post("/a/b/v1/chat/completions", auth, RequestBody(kPrompt),
                      "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  const std::map<std::string, int64_t> want = {
      {"", 1}, {"scorer-a", 2}, {"scorer-b", 1}};
  EXPECT_EQ((*stub)->scored_replies_by_client(), want);
}

TEST(OpenAiStubTest, ObservesConcurrentRequests) {
  auto stub = OpenAiStub::Start({.latency = std::chrono::milliseconds(300)});
  ASSERT_TRUE(stub.ok()) << stub.status();
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      auto res = Post(**stub, (*stub)->api_key());
      if (res && res->status == 200) ok.fetch_add(1);
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_GE((*stub)->max_concurrent(), 2);
  EXPECT_EQ((*stub)->score_counts()["2504.04711"], 4);
}

}  // namespace
}  // namespace arxiv_digest::testing
