// A real api stack for tests: redis-server, a configs folder with an extra
// profile, the DigestApi/DigestService on a real gRPC server over loopback
// (port 0) and helpers that seed runs and digests the way the fetcher and
// publisher write them.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "arxiv_digest.grpc.pb.h"
#include "lib/contract/digest_meta.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stored_text.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_api.h"
#include "services/api/adapters/digest_service.h"
#include "services/api/adapters/grpc_server.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/redis_pool.h"
#include "services/api/adapters/watch_scheduler.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::api::testing {

inline constexpr char kToday[] = "2025-04-10";
inline constexpr char kOperatorToken[] = "op-token-0123456789";
inline constexpr char kReaderToken[] = "rd-token-0123456789";
inline constexpr char kOtherOperatorToken[] = "op2-token-0123456789";

// Paper ids used by the seeding helpers: "2504.<5 digits>".
inline std::string PaperId(int n) { return absl::StrFormat("2504.%05d", n); }

class ApiFixture : public ::testing::Test {
 protected:
  // Subclasses may change these before SetUp runs the stack.
  bool with_tokens_ = true;
  DigestApiOptions api_options_;
  WatchLimits watch_limits_;

  void SetUp() override {
    auto server = arxiv_digest::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = *std::move(server);
    auto client = RedisClient::Connect(redis_server_->url());
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);

    configs_ = arxiv_digest::testing::TempDir("api-configs-");
    std::filesystem::copy(
        std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs", configs_,
        std::filesystem::copy_options::recursive |
            std::filesystem::copy_options::overwrite_existing);
    std::filesystem::create_directories(configs_ + "/profiles/alice");
    std::ofstream(configs_ + "/profiles/alice/paper_topics.txt")
        << "## Relevant Topics\n1. Graph neural networks\n";

    if (with_tokens_) {
      auto table = TokenTable::Parse(absl::StrCat(
          "# test tokens\n", kOperatorToken, " operator ops\n", kReaderToken,
          " reader bob\n", kOtherOperatorToken, " operator ops2\n"));
      ASSERT_TRUE(table.ok()) << table.status();
      tokens_ = *std::move(table);
    }
    pool_ = std::make_unique<RedisPool>(redis_server_->url());
    registry_ = std::make_shared<prometheus::Registry>();
    metrics_ = std::make_unique<ApiMetrics>(registry_);
    catalog_ = std::make_unique<ProfileCatalog>(configs_);
    api_ = std::make_unique<DigestApi>(
        *pool_, *catalog_, *metrics_, clock_, [this] { return next_random_++; },
        api_options_);
    scheduler_ = std::make_unique<WatchScheduler>();
    service_ = std::make_unique<DigestService>(
        *api_, &tokens_, *metrics_, *scheduler_, std::chrono::milliseconds(50),
        watch_limits_);
    grpc_ = std::make_unique<GrpcServer>();
    GrpcServerOptions options;
    options.address = "127.0.0.1:0";
    auto port = grpc_->Start(*service_, options);
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::DigestService::NewStub(channel_);
  }

  void TearDown() override {
    if (scheduler_) scheduler_->Stop();
    if (grpc_) grpc_->Shutdown(std::chrono::seconds(2));
    if (!configs_.empty()) arxiv_digest::testing::RemoveTree(configs_);
  }

  // A client context with a deadline (every call has one) and a token.
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
    if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
  }

  // A fetched daily run (or any kind) with papers PaperId(first..first+n-1).
  void SeedRun(const std::string& run_id, const std::string& date, int first,
               int n, const std::string& status = "fetched",
               const std::string& kind = "") {
    std::vector<std::pair<std::string, std::string>> m = {
        {"run_id", run_id},        {"date", date},
        {"status", status},        {"total_papers", "900"},
        {"scanned_papers", "500"}, {"papers_to_score", std::to_string(n)},
        {"prompt_tokens", "1200"}, {"completion_tokens", "300"},
        {"cached_tokens", "100"},  {"cost_usd", "0.25"}};
    if (!kind.empty()) m.emplace_back("kind", kind);
    ASSERT_TRUE(redis_->HSet(keys::Run(run_id), m).ok());
    for (int i = 0; i < n; ++i) {
      Paper p;
      p.arxiv_id = PaperId(first + i);
      p.title = absl::StrCat("Paper ", first + i);
      p.authors = {"Ada Lovelace", "Alan Turing"};
      p.abstract = "An abstract about graphs and language models.";
      p.categories = {"cs.LG"};
      p.feed = "cs.LG";
      p.position = 10 + i;  // not 0-based, so renumbering is visible
      ASSERT_TRUE(
          redis_->HSet(keys::RunPapers(run_id), {{p.arxiv_id, PaperToJson(p)}})
              .ok());
    }
  }

  // One rendering of a digest version, stored as the publisher stores it
  // (gzip, versioned key only).
  void StoreDigestText(const std::string& profile, const std::string& date,
                       int version, const std::string& ext,
                       const std::string& text) {
    ASSERT_TRUE(redis_
                    ->Set(keys::DigestVersion(profile, date, version, ext),
                          PackStoredText(text))
                    .ok());
  }

  // One published digest version, the way the publisher stores it.
  void SeedDigest(const std::string& profile, const std::string& date,
                  int version, const std::string& run_id, int relevant,
                  const std::string& body) {
    for (const char* ext : {"md", "json", "html"}) {
      std::string text = std::string(ext) == "html"
                             ? absl::StrCat("<!DOCTYPE html><html><body><h1>",
                                            body, "</h1></body></html>")
                             : absl::StrCat(ext, ":", body);
      StoreDigestText(profile, date, version, ext, text);
    }
    ASSERT_TRUE(
        redis_
            ->HSet(keys::DigestMeta(profile, date),
                   {{contract::DigestMetaField(version),
                     contract::EncodeDigestMeta(contract::DigestVersionMeta{
                         version, run_id, relevant,
                         absl::StrCat(date, "T07:00:00Z")})}})
            .ok());
    std::string score =
        absl::StrCat(date.substr(0, 4), date.substr(5, 2), date.substr(8, 2));
    ASSERT_TRUE(
        redis_->Command({"ZADD", keys::DigestIndex(profile), score, date})
            .ok());
    ASSERT_TRUE(redis_->Command({"SADD", keys::Profiles(), profile}).ok());
  }

  std::map<std::string, std::string> HGetAll(const std::string& key) {
    auto m = redis_->HGetAll(key);
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? *m : std::map<std::string, std::string>{};
  }

  // Stream entries with all their fields.
  std::vector<StreamEntry> Stream(const std::string& stream) {
    std::vector<StreamEntry> out;
    auto r = redis_->Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    for (const RedisReply& e : r->elements) {
      StreamEntry entry;
      entry.id = e.elements[0].str;
      for (size_t i = 0; i + 1 < e.elements[1].elements.size(); i += 2) {
        entry.fields.emplace_back(e.elements[1].elements[i].str,
                                  e.elements[1].elements[i + 1].str);
      }
      out.push_back(std::move(entry));
    }
    return out;
  }

  std::string Metrics() {
    std::string out;
    for (const auto& family : registry_->Collect()) {
      for (const auto& m : family.metric) {
        std::string labels;
        for (const auto& l : m.label) {
          absl::StrAppend(&labels, l.name, "=", l.value, ",");
        }
        absl::StrAppend(&out, family.name, "{", labels, "} ", m.counter.value,
                        "\n");
      }
    }
    return out;
  }

  std::unique_ptr<arxiv_digest::testing::RedisServer> redis_server_;
  std::unique_ptr<RedisClient> redis_;
  std::string configs_;
  TokenTable tokens_;
  std::unique_ptr<RedisPool> pool_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<ApiMetrics> metrics_;
  std::unique_ptr<ProfileCatalog> catalog_;
  std::atomic<uint32_t> next_random_{0xa0000001};
  // kToday at 06:00 UTC: today's date and requested_at of new runs.
  FakeClock clock_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1744264800))};
  std::unique_ptr<DigestApi> api_;
  std::unique_ptr<WatchScheduler> scheduler_;
  std::unique_ptr<DigestService> service_;
  std::unique_ptr<GrpcServer> grpc_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DigestService::Stub> stub_;
};

}  // namespace arxiv_digest::api::testing
