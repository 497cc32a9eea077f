// A scorer replica talks to a hostile LLM endpoint while a whole day is in
// the stream (issue 12): a reply dripping one byte every 100 ms, a 50 MB
// reply, a 307 redirect to another host. The hostile replica must stay
// small, never send the key to the other host, and stop within a few
// seconds of SIGTERM even mid-reply; its batches stay pending, a healthy
// replica takes them over, and the digest is the fault-free one with every
// paper scored by the (healthy) stub exactly once.
#include <sys/socket.h>

#include <atomic>
#include <fstream>
#include <mutex>

#include "absl/strings/ascii.h"
#include "tests/chaos/chaos_harness.h"
#include "tests/support/raw_tcp_server.h"

namespace arxiv_digest::testing::chaos {
namespace {

enum class Hostility { kSlowDrip, kHugeReply, kRedirect };

std::string ReadHead(int fd) {
  std::string head;
  char buf[1024];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
  }
  return head;
}

bool Write(int fd, const std::string& s) {
  return RawTcpServer::WriteAll(fd, s.data(), s.size());
}

// The hostile endpoint, plus the "other host" a redirect points to (which
// records what it was sent).
class HostileLlm {
 public:
  explicit HostileLlm(Hostility kind)
      : kind_(kind),
        server_(
            [this](int fd, const std::atomic<bool>& stop) { Serve(fd, stop); }),
        other_([this](int fd, const std::atomic<bool>&) {
          std::string head = ReadHead(fd);
          {
            std::lock_guard<std::mutex> lock(mu_);
            other_heads_.push_back(std::move(head));
          }
          Write(fd,
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n");
        }) {}

  absl::Status Start() {
    absl::StatusOr<int> port = server_.Start();
    if (!port.ok()) return port.status();
    port_ = *port;
    absl::StatusOr<int> other = other_.Start();
    if (!other.ok()) return other.status();
    other_port_ = *other;
    return absl::OkStatus();
  }
  void Stop() {
    server_.Stop();
    other_.Stop();
  }

  std::string base_url() const {
    return absl::StrCat("http://127.0.0.1:", port_, "/v1");
  }
  int requests() const { return requests_.load(); }  // chat completions
  std::string first_head() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_head_;
  }
  std::vector<std::string> other_heads() {
    std::lock_guard<std::mutex> lock(mu_);
    return other_heads_;
  }

 private:
  void Serve(int fd, const std::atomic<bool>& stop) {
    std::string head = ReadHead(fd);
    if (!absl::StartsWith(head, "POST ")) {
      // The scorer's start-up probe (GET <base>/models) passes: the
      // endpoint looks healthy until the calls that cost money.
      Write(fd,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Content-Length: 11\r\nConnection: close\r\n\r\n{\"data\":[]}");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (first_head_.empty()) first_head_ = head;
    }
    ++requests_;
    switch (kind_) {
      case Hostility::kSlowDrip: {
        if (!Write(fd,
                   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n")) {
          return;
        }
        // Up to 2 minutes, longer than any sane test: only the client's
        // shutdown (or the test's end) stops it.
        for (int i = 0; i < 1200 && !stop; ++i) {
          if (!Write(fd, "1\r\n \r\n")) return;
          std::this_thread::sleep_for(milliseconds(100));
        }
        return;
      }
      case Hostility::kHugeReply: {
        // Chunked, so no Content-Length warns the client: 50 MB streamed.
        if (!Write(fd,
                   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n")) {
          return;
        }
        const std::string chunk =
            absl::StrCat("10000\r\n", std::string(0x10000, '['), "\r\n");
        for (int i = 0; i < 800 && !stop; ++i) {  // 800 x 64 KiB = 50 MiB
          if (!Write(fd, chunk)) return;
        }
        Write(fd, "0\r\n\r\n");
        return;
      }
      case Hostility::kRedirect:
        Write(fd, absl::StrCat("HTTP/1.1 307 Temporary Redirect\r\nLocation: "
                               "http://127.0.0.1:",
                               other_port_,
                               "/v1/chat/completions\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n"));
        return;
    }
  }

  Hostility kind_;
  RawTcpServer server_, other_;
  int port_ = 0, other_port_ = 0;
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::string first_head_;                // guarded by mu_
  std::vector<std::string> other_heads_;  // guarded by mu_
};

// VmRSS of a process in KiB (0 if unreadable).
int64_t RssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v(line);
    if (absl::ConsumePrefix(&v, "VmRSS:")) {
      int64_t kib = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::StripSuffix(
                               absl::StripAsciiWhitespace(v), "kB")),
                           &kib)) {
        return kib;
      }
    }
  }
  return 0;
}

class HostileLlmTest : public ::testing::TestWithParam<Hostility> {
 protected:
  static void SetUpTestSuite() {
    clean_ = new PublishedDigest(FaultFreeDigest());
  }
  static void TearDownTestSuite() {
    delete clean_;
    clean_ = nullptr;
  }
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
    if (llm_) llm_->Stop();
  }

  static PublishedDigest* clean_;
  std::unique_ptr<HostileLlm> llm_;
  std::unique_ptr<ChaosEnv> env_;
};
PublishedDigest* HostileLlmTest::clean_ = nullptr;

TEST_P(HostileLlmTest, HostileReplicaStopsPromptlyAndTheDigestIsFaultFree) {
  ASSERT_TRUE(clean_ != nullptr && !clean_->json.empty())
      << "the fault-free run failed";
  llm_ = std::make_unique<HostileLlm>(GetParam());
  ASSERT_TRUE(llm_->Start().ok());
  env_ = std::make_unique<ChaosEnv>(
      ChaosOptions{.max_in_flight = 2, .claim_idle_ms = 1500});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  ASSERT_NE(env_->StartPublisher(), nullptr);
  Subprocess* hostile = env_->StartScorer(
      "scorer-hostile", {{"OPENAI_BASE_URL", llm_->base_url()}});
  ASSERT_NE(hostile, nullptr);
  env_->WaitForStreamReaders(3);
  const std::string run_id = env_->FetchOnce();
  ASSERT_FALSE(run_id.empty());

  // Both slots are in a hostile call (a redirect: the other host was hit).
  ASSERT_TRUE(env_->WaitUntil(
      [&] {
        return GetParam() == Hostility::kRedirect ? !llm_->other_heads().empty()
                                                  : llm_->requests() >= 2;
      },
      seconds(20)))
      << hostile->Describe(4000);
  if (GetParam() == Hostility::kHugeReply) {
    // Let a few 50 MB replies arrive; the cap (4 MiB) keeps it small.
    env_->WaitUntil([&] { return llm_->requests() >= 6; }, seconds(10));
    EXPECT_TRUE(hostile->Running()) << hostile->Describe(4000);
    EXPECT_LT(RssKib(hostile->pid()), 128 * 1024)
        << "a 50 MB reply must never be held in memory";
  }
  EXPECT_EQ(env_->stub().requests(), 0);

  const auto signalled = std::chrono::steady_clock::now();
  hostile->Signal(SIGTERM);
  const std::optional<int> rc = hostile->WaitFor(seconds(15));
  const auto took = std::chrono::steady_clock::now() - signalled;
  EXPECT_EQ(rc, 0) << hostile->Describe(4000);
  EXPECT_LT(took, seconds(5))
      << "SIGTERM took "
      << std::chrono::duration_cast<milliseconds>(took).count() << " ms";

  if (GetParam() == Hostility::kRedirect) {
    const std::string key = absl::AsciiStrToLower(env_->stub().api_key());
    EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(llm_->first_head()),
                                  "authorization: bearer " + key))
        << "the endpoint itself gets the key";
    for (const std::string& head : llm_->other_heads()) {
      const std::string lower = absl::AsciiStrToLower(head);
      EXPECT_FALSE(absl::StrContains(lower, "authorization")) << head;
      EXPECT_FALSE(absl::StrContains(lower, key)) << head;
    }
  }

  // A healthy replica takes the pending batches over.
  ASSERT_NE(env_->StartScorer("scorer-healthy"), nullptr);
  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(90));
  ExpectFaultFreeDigest(*env_, got, *clean_);
  EXPECT_TRUE(ScoredMoreThanOnce(env_->stub()).empty())
      << "a paper was paid for twice at the healthy endpoint";
}

INSTANTIATE_TEST_SUITE_P(Chaos, HostileLlmTest,
                         ::testing::Values(Hostility::kSlowDrip,
                                           Hostility::kHugeReply,
                                           Hostility::kRedirect),
                         [](const ::testing::TestParamInfo<Hostility>& info) {
                           switch (info.param) {
                             case Hostility::kSlowDrip:
                               return "SlowDrip";
                             case Hostility::kHugeReply:
                               return "HugeReply50MB";
                             case Hostility::kRedirect:
                               return "RedirectToAnotherHost";
                           }
                           return "Unknown";
                         });

}  // namespace
}  // namespace arxiv_digest::testing::chaos
