// The operators' view, checked against a real Prometheus: the four real
// service binaries run one real announcement day (redis-server, the bundled
// RSS files over HTTP, the OpenAI-compatible stub, a Slack webhook stub)
// while /usr/bin/prometheus scrapes their admin ports every second and
// evaluates deploy/prometheus's rules; arxivctl then reads the run through
// the api and re-scores it, so the api's gRPC series, the score cache and
// a failed delivery exist too. Then every PromQL expression of the Grafana
// dashboard and of the rules is sent to Prometheus' HTTP API: each must
// parse, and each must return data, so a renamed metric or a typo in a
// panel fails here rather than as an empty graph in production.
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "lib/json/json_util.h"
#include "tests/support/feed_server.h"
#include "tests/support/http_server_util.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_and_feeds.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_processes.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kSampleDir[] = ARXIV_DIGEST_SOURCE_DIR "/data/sample/2025-04-08";
constexpr char kDashboard[] =
    ARXIV_DIGEST_SOURCE_DIR "/deploy/grafana/arxiv-digest.json";
constexpr char kRulesDir[] = ARXIV_DIGEST_SOURCE_DIR "/deploy/prometheus/rules";
constexpr char kPrometheus[] = "/usr/bin/prometheus";
constexpr char kPromtool[] = "/usr/bin/promtool";
constexpr char kArxivctl[] = ARXIV_DIGEST_BINARY_DIR "/tools/arxivctl/arxivctl";
// The api's operator token (tokens are at least 16 characters).
constexpr char kToken[] = "prom-test-operator";

// Metrics the dashboard or the rules use that no service exports yet. An
// expression using one is still sent to Prometheus (it must parse) but is
// not required to return data. The test fails once such a metric shows up,
// so this list cannot go stale: delete the entry when its wiring lands.
const std::map<std::string, std::string>& AwaitingWiring() {
  static const auto* m = new std::map<std::string, std::string>{};
  return *m;
}

// A Slack incoming webhook: the first digest is accepted, every later one
// refused with Slack's 400 (a permanent error the sink does not retry), so
// both arxiv_publisher_deliveries_total and ..._delivery_errors_total exist.
class SlackWebhookStub {
 public:
  ~SlackWebhookStub() { StopHttpServer(&server_, thread_); }

  absl::StatusOr<std::string> Start() {
    server_.Post("/services/T0/B0/x",
                 [this](const httplib::Request&, httplib::Response& res) {
                   if (posts_++ == 0) {
                     res.set_content("ok", "text/plain");
                   } else {
                     res.status = 400;
                     res.set_content("invalid_payload", "text/plain");
                   }
                 });
    absl::StatusOr<int> port = StartHttpServer(server_, thread_);
    if (!port.ok()) return port.status();
    return absl::StrCat("http://127.0.0.1:", *port, "/services/T0/B0/x");
  }
  int posts() const { return posts_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::atomic<int> posts_{0};
};

// What Grafana substitutes before a query reaches Prometheus.
std::string SubstituteGrafanaVariables(std::string expr) {
  return absl::StrReplaceAll(expr, {{"$__rate_interval", "30s"},
                                    {"${__rate_interval}", "30s"},
                                    {"$__interval", "15s"},
                                    {"$__range", "1h"},
                                    {"$namespace", ".*"},
                                    {"${namespace}", ".*"},
                                    {"$instance", ".*"},
                                    {"${instance}", ".*"}});
}

// The metric names a PromQL expression selects: identifiers that are not
// functions, aggregations, keywords, label names (inside {} or by (...)) or
// durations. Small on purpose: it serves this test's own expressions.
std::set<std::string> MetricNames(std::string_view expr) {
  static const std::set<std::string> kKeywords = {
      "and",         "or",           "unless",  "bool",     "offset",
      "by",          "without",      "on",      "ignoring", "group_left",
      "group_right", "inf",          "nan",     "sum",      "min",
      "max",         "avg",          "group",   "stddev",   "stdvar",
      "count",       "count_values", "bottomk", "topk",     "quantile"};
  static const std::set<std::string> kGrouping = {
      "by", "without", "on", "ignoring", "group_left", "group_right"};
  auto is_start = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  };
  auto is_part = [&](char c) {
    return is_start(c) || std::isdigit(static_cast<unsigned char>(c));
  };
  std::set<std::string> names;
  size_t i = 0;
  auto skip_until = [&](char close) {
    while (i < expr.size() && expr[i] != close) {
      if (expr[i] == '"' || expr[i] == '\'') {
        const char q = expr[i++];
        while (i < expr.size() && expr[i] != q) i += expr[i] == '\\' ? 2 : 1;
      }
      ++i;
    }
    ++i;
  };
  while (i < expr.size()) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      ++i;
      skip_until(c);
    } else if (c == '{') {
      ++i;
      skip_until('}');
    } else if (c == '[') {
      ++i;
      skip_until(']');
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      while (i < expr.size() && (is_part(expr[i]) || expr[i] == '.')) ++i;
    } else if (is_start(c)) {
      size_t start = i;
      while (i < expr.size() && is_part(expr[i])) ++i;
      std::string word(expr.substr(start, i - start));
      size_t next = i;
      while (next < expr.size() && std::isspace(expr[next])) ++next;
      const bool call = next < expr.size() && expr[next] == '(';
      if (kGrouping.count(word) && call) {
        i = next + 1;
        skip_until(')');  // a list of label names
      } else if (!call && !kKeywords.count(word)) {
        names.insert(word);
      }
    } else {
      ++i;
    }
  }
  return names;
}

// Every "expr" of every panel target, rows' nested panels included.
void CollectDashboardExprs(
    const rapidjson::Value& panels, const std::string& path,
    std::vector<std::pair<std::string, std::string>>& out) {
  if (!panels.IsArray()) return;
  for (const rapidjson::Value& panel : panels.GetArray()) {
    if (!panel.IsObject()) continue;
    const std::string title = GetString(panel, "title").value_or("?");
    if (panel.HasMember("panels")) {
      CollectDashboardExprs(panel["panels"], path + title + " / ", out);
    }
    if (!panel.HasMember("targets") || !panel["targets"].IsArray()) continue;
    for (const rapidjson::Value& target : panel["targets"].GetArray()) {
      if (!target.IsObject()) continue;
      std::optional<std::string> expr = GetString(target, "expr");
      if (!expr || expr->empty()) continue;
      out.emplace_back(absl::StrCat("dashboard panel '", path, title, "' ",
                                    GetString(target, "refId").value_or("")),
                       *expr);
    }
  }
}

struct QueryResult {
  bool ok = false;    // HTTP 200 and status "success"
  std::string error;  // Prometheus' error text, or the transport error
  size_t series = 0;  // vector/matrix length, 1 for a scalar
};

std::string CopyConfigs() {
  const std::string dir = TempDir("prom-configs-");
  for (const auto& entry :
       fs::directory_iterator(ARXIV_DIGEST_SOURCE_DIR "/configs")) {
    fs::copy_file(entry.path(), fs::path(dir) / entry.path().filename());
  }
  return dir;
}

class PrometheusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ServicesBuilt({"fetcher", "scorer", "publisher", "api"}));
    ASSERT_TRUE(fs::exists(kArxivctl)) << kArxivctl << " is not built";
    // scripts/install_deps.sh installs Debian's prometheus package: missing
    // it is a broken machine, not a reason to skip.
    ASSERT_TRUE(fs::exists(kPrometheus))
        << kPrometheus << " missing: apt-get install prometheus";
    work_ = TempDir("prom-e2e-");
    logs_ = work_ + "/logs";
    fs::create_directories(logs_);
    fs::create_directories(work_ + "/out");
    configs_ = CopyConfigs();

    // Sized like production (maxmemory with noeviction), so the Redis
    // memory panel and alert have both of their series.
    RedisServerOptions redis_options;
    redis_options.extra_args = {"--maxmemory", "1gb", "--maxmemory-policy",
                                "noeviction"};
    auto servers = StartRedisAndFeeds(kSampleDir, redis_options);
    ASSERT_TRUE(servers.ok()) << servers.status();
    redis_ = std::move(servers->redis);
    feeds_ = std::move(servers->feeds);
    // Latency spreads the LLM requests over histogram buckets and time.
    auto stub = OpenAiStub::Start({.latency = milliseconds(20)});
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = std::move(*stub);
    absl::StatusOr<std::string> webhook = slack_.Start();
    ASSERT_TRUE(webhook.ok()) << webhook.status();
    slack_url_ = *webhook;
    services_ = ServiceProcesses(
        {.configs = configs_,
         .log_dir = logs_,
         .env = StandardServiceEnv(redis_->url(), stub_->api_key(),
                                   stub_->base_url(), feeds_->base_url())});
  }

  void TearDown() override {
    if (HasFailure()) services_.ReportFailure(work_, 3000);
    services_.Clear();
    stub_.reset();
    feeds_.reset();
    redis_.reset();
    RemoveTree(configs_);
    if (!HasFailure()) RemoveTree(work_);
  }

  // Prometheus, promtool, arxivctl: plain text logs.
  Subprocess* Start(const std::string& binary, const std::string& name,
                    std::vector<std::string> args) {
    return services_.StartBinary(binary, name, std::move(args),
                                 {{"LOG_FORMAT", ""}});
  }

  // A service on a port picked here, so Prometheus' config can name it.
  Subprocess* StartService(const std::string& service, const std::string& name,
                           int admin_port, std::vector<std::string> extra) {
    Subprocess* p =
        services_.Start({.service = service,
                         .args = std::move(extra),
                         .name = name,
                         .env = {{"OPENAI_BASE_URL", stub_->base_url(name)},
                                 {"SLACK_WEBHOOK_URL", slack_url_},
                                 {"LOG_FORMAT", "json"}},
                         .admin_port = admin_port});
    // Every service here is long-running (the fetcher in its own loop).
    if (p != nullptr) daemons_.push_back(p);
    return p;
  }

  // prometheus.yml for this stack: the same job names as
  // deploy/prometheus/prometheus.yml, the rules of deploy/prometheus/rules.
  std::string WritePrometheusConfig(
      const std::map<std::string, std::vector<int>>& jobs) {
    std::string yml =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "  evaluation_interval: 1s\nrule_files:\n";
    for (const auto& entry : fs::directory_iterator(kRulesDir)) {
      if (entry.path().extension() == ".yml") {
        absl::StrAppend(&yml, "  - ", entry.path().string(), "\n");
        rule_files_.push_back(entry.path().string());
      }
    }
    absl::StrAppend(&yml, "scrape_configs:\n");
    for (const auto& [job, ports] : jobs) {
      std::vector<std::string> targets;
      for (int p : ports)
        targets.push_back(absl::StrCat("'127.0.0.1:", p, "'"));
      absl::StrAppend(&yml, "  - job_name: ", job,
                      "\n    static_configs:\n      - targets: [",
                      absl::StrJoin(targets, ", "), "]\n");
    }
    const std::string path = work_ + "/prometheus.yml";
    std::ofstream(path) << yml;
    return path;
  }

  QueryResult Query(const std::string& expr) {
    httplib::Client client("127.0.0.1", prometheus_port_);
    client.set_read_timeout(10, 0);
    QueryResult r;
    auto res = client.Post("/api/v1/query", httplib::Params{{"query", expr}});
    if (!res) {
      r.error = absl::StrCat("HTTP error ", static_cast<int>(res.error()));
      return r;
    }
    absl::StatusOr<rapidjson::Document> doc = ParseJson(res->body);
    if (!doc.ok()) {
      r.error = absl::StrCat("unparseable answer: ", res->body.substr(0, 300));
      return r;
    }
    if (GetString(*doc, "status") != "success") {
      r.error = GetString(*doc, "error").value_or(res->body.substr(0, 300));
      return r;
    }
    r.ok = true;
    const rapidjson::Value& data = (*doc)["data"];
    const std::string type = GetString(data, "resultType").value_or("");
    if (type == "scalar" || type == "string") {
      r.series = 1;
    } else if (data.HasMember("result") && data["result"].IsArray()) {
      r.series = data["result"].Size();
    }
    return r;
  }

  // Until `expr` returns data (Prometheus scrapes and evaluates every 1s).
  bool WaitForData(const std::string& expr, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      QueryResult r = Query(expr);
      if (r.ok && r.series > 0) return true;
      std::this_thread::sleep_for(milliseconds(250));
    }
    return false;
  }

  // Until `n` connections sit in XREADGROUP, so the fetch does not race the
  // scorers joining their group.
  void WaitForStreamReaders(int n, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = RedisCommand(redis_->port(), {"CLIENT", "LIST"});
      if (list.ok()) {
        int readers = 0;
        for (absl::string_view line : absl::StrSplit(list->str, '\n')) {
          if (absl::StrContains(line, " cmd=xreadgroup")) ++readers;
        }
        if (readers >= n) return;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  std::string WaitForPublishedRun(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto runs = RedisCommand(redis_->port(), {"KEYS", "arxiv:run:*"});
      if (runs.ok()) {
        for (const RedisReply& key : runs->elements) {
          if (std::count(key.str.begin(), key.str.end(), ':') != 2) continue;
          auto status =
              RedisCommand(redis_->port(), {"HGET", key.str, "status"});
          if (status.ok() && status->str == "published") return key.str;
        }
      }
      for (Subprocess* p : daemons_) {
        if (!p->Running()) {
          ADD_FAILURE() << "a service exited during the run: "
                        << p->Describe(2000);
          return "";
        }
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
    return "";
  }

  // The value of `key=` on the process' stdout once it printed it, or "".
  static std::string WaitForStdoutValue(Subprocess* p, const std::string& key,
                                        milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline && p->Running()) {
      for (absl::string_view line : absl::StrSplit(p->ReadStdout(), '\n')) {
        if (absl::ConsumePrefix(&line, key) &&
            absl::ConsumePrefix(&line, "=")) {
          return std::string(line);
        }
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    return "";
  }

  // arxivctl against the api, as an operator would run it; its exit code.
  int Arxivctl(const std::string& grpc_address, std::vector<std::string> args) {
    std::vector<std::string> all = {"--server", grpc_address, "--token",
                                    kToken,     "--timeout",  "20"};
    all.insert(all.end(), args.begin(), args.end());
    Subprocess* p = Start(kArxivctl, absl::StrCat("arxivctl-", ++ctl_calls_),
                          std::move(all));
    if (p == nullptr) return -1;
    std::optional<int> code = p->WaitFor(seconds(60));
    if (!code.has_value()) ADD_FAILURE() << p->Describe();
    return code.value_or(-1);
  }

  std::string work_, logs_, configs_;
  SlackWebhookStub slack_;
  std::string slack_url_;
  int ctl_calls_ = 0;
  std::vector<std::string> rule_files_;
  int prometheus_port_ = 0;
  std::vector<Subprocess*> daemons_;  // must run until the test ends
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<FeedServer> feeds_;
  std::unique_ptr<OpenAiStub> stub_;
  ServiceProcesses services_;
};

TEST_F(PrometheusTest, DashboardAndRulesReturnDataDuringARealDay) {
  std::map<std::string, int> ports;
  for (const char* name :
       {"fetcher", "scorer-a", "scorer-b", "publisher", "api", "prometheus"}) {
    absl::StatusOr<int> port = PickFreeLoopbackPort();
    ASSERT_TRUE(port.ok()) << port.status();
    ports[name] = *port;
  }
  prometheus_port_ = ports["prometheus"];

  // Prometheus first, so it sees the whole cycle from the first scrape.
  const std::string config = WritePrometheusConfig(
      {{"arxiv-fetcher", {ports["fetcher"]}},
       {"arxiv-scorer", {ports["scorer-a"], ports["scorer-b"]}},
       {"arxiv-publisher", {ports["publisher"]}},
       {"arxiv-api", {ports["api"]}}});
  if (fs::exists(kPromtool)) {
    Subprocess* check =
        Start(kPromtool, "promtool-config", {"check", "config", config});
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->WaitFor(seconds(30)), 0) << check->Describe();
  }
  Subprocess* prometheus = Start(
      kPrometheus, "prometheus",
      {absl::StrCat("--config.file=", config),
       absl::StrCat("--storage.tsdb.path=", work_, "/tsdb"),
       absl::StrCat("--web.listen-address=127.0.0.1:", prometheus_port_)});
  ASSERT_NE(prometheus, nullptr);
  {
    httplib::Client client("127.0.0.1", prometheus_port_);
    const auto deadline = std::chrono::steady_clock::now() + seconds(30);
    bool ready = false;
    while (!ready && std::chrono::steady_clock::now() < deadline) {
      auto res = client.Get("/-/ready");
      ready = res && res->status == 200;
      if (!ready) std::this_thread::sleep_for(milliseconds(100));
      ASSERT_TRUE(prometheus->Running()) << prometheus->Describe();
    }
    ASSERT_TRUE(ready) << "prometheus not ready in 30s";
  }

  ASSERT_NE(StartService("publisher", "publisher", ports["publisher"],
                         {"--output-path", work_ + "/out"}),
            nullptr);
  for (const char* scorer : {"scorer-a", "scorer-b"}) {
    ASSERT_NE(
        StartService("scorer", scorer, ports[scorer], {"--consumer", scorer}),
        nullptr);
  }
  // The api: gRPC and web on ports it picks (it prints them), admin on ours.
  const std::string tokens = work_ + "/tokens";
  std::ofstream(tokens) << kToken << " operator ops\n";
  // The api refuses a tokens file that others can read.
  std::filesystem::permissions(tokens, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
  Subprocess* api = StartService(
      "api", "api", ports["api"],
      {"--grpc-port", "0", "--grpc-host", "127.0.0.1", "--web-port", "0",
       "--web-host", "127.0.0.1", "--tokens", tokens});
  ASSERT_NE(api, nullptr);
  const std::string grpc_port =
      WaitForStdoutValue(api, "grpc_port", seconds(20));
  ASSERT_FALSE(grpc_port.empty()) << api->Describe();
  const std::string grpc_address = absl::StrCat("127.0.0.1:", grpc_port);
  const std::string web_port = WaitForStdoutValue(api, "web_port", seconds(5));
  ASSERT_FALSE(web_port.empty()) << api->Describe();
  WaitForStreamReaders(2, seconds(20));
  // Not --once: the fetcher's loop runs a cycle at once and then keeps its
  // admin port up, so Prometheus scrapes its counters after the cycle, as
  // it does on Kubernetes (a long-running fetcher Deployment).
  Subprocess* fetcher = StartService("fetcher", "fetcher", ports["fetcher"],
                                     {"--interval-seconds", "86400"});
  ASSERT_NE(fetcher, nullptr);

  const std::string run_key = WaitForPublishedRun(seconds(180));
  ASSERT_FALSE(run_key.empty()) << "no run was published";
  const std::string run_id(absl::StripPrefix(run_key, "arxiv:run:"));

  // The api's series: reads (OK), a run that does not exist (NOT_FOUND), a
  // web page, and a rescore of the day followed to its end (WatchJob). The
  // rescore's papers come from the score cache and its digest (version 2)
  // is the one the webhook stub refuses.
  EXPECT_EQ(Arxivctl(grpc_address, {"status", run_id}), 0);
  EXPECT_EQ(Arxivctl(grpc_address, {"digest", "list"}), 0);
  EXPECT_EQ(Arxivctl(grpc_address, {"status", "2025-04-08-00000000"}), 3);
  {
    httplib::Client web("127.0.0.1", std::stoi(web_port));
    auto res = web.Get("/");
    ASSERT_TRUE(res) << "web page: HTTP error "
                     << static_cast<int>(res.error());
    EXPECT_EQ(res->status, 200);
  }
  EXPECT_EQ(Arxivctl(grpc_address, {"rescore", "--run", run_id, "--watch",
                                    "--watch-timeout", "60"}),
            0);
  ASSERT_TRUE(WaitForData("arxiv_publisher_delivery_errors_total", seconds(30)))
      << "the second digest was not delivered (webhook posts: "
      << slack_.posts() << ")";

  // Prometheus has the end state once the publisher's counter shows the
  // digest; a few more evaluations let the recording rules catch up.
  ASSERT_TRUE(
      WaitForData("arxiv_publisher_digests_published_total >= 1", seconds(30)))
      << "prometheus never scraped the published digest";
  ASSERT_TRUE(
      WaitForData("arxiv:publisher_llm_cost_usd:increase1d", seconds(30)))
      << "recording rules from " << kRulesDir << " never evaluated";
  std::this_thread::sleep_for(seconds(3));
  // Every target up: a scrape failure would make "no data" ambiguous.
  QueryResult down = Query("up == 0");
  ASSERT_TRUE(down.ok) << down.error;
  EXPECT_EQ(down.series, 0u) << "a target is down";
  EXPECT_EQ(Query(R"(up{job=~"arxiv-.*"})").series, 5u);

  // The expressions: dashboard targets, then Prometheus' own view of the
  // rules it loaded (so a rule file it rejected shows up as missing).
  std::vector<std::pair<std::string, std::string>> exprs;
  absl::StatusOr<rapidjson::Document> dashboard =
      ParseJson(ReadFileOrEmpty(kDashboard));
  ASSERT_TRUE(dashboard.ok()) << kDashboard << ": " << dashboard.status();
  ASSERT_TRUE(dashboard->HasMember("panels"));
  CollectDashboardExprs((*dashboard)["panels"], "", exprs);
  const size_t dashboard_exprs = exprs.size();
  ASSERT_GT(dashboard_exprs, 20u);

  httplib::Client client("127.0.0.1", prometheus_port_);
  auto rules_res = client.Get("/api/v1/rules");
  ASSERT_TRUE(rules_res && rules_res->status == 200);
  absl::StatusOr<rapidjson::Document> rules = ParseJson(rules_res->body);
  ASSERT_TRUE(rules.ok()) << rules.status();
  std::vector<std::pair<std::string, std::string>> alerts;
  std::set<std::string> groups;
  for (const rapidjson::Value& group : (*rules)["data"]["groups"].GetArray()) {
    groups.insert(GetString(group, "name").value_or(""));
    for (const rapidjson::Value& rule : group["rules"].GetArray()) {
      const std::string name = GetString(rule, "name").value_or("?");
      const std::string query = GetString(rule, "query").value_or("");
      EXPECT_NE(GetString(rule, "health"), "err")
          << name << ": " << GetString(rule, "lastError").value_or("");
      if (GetString(rule, "type") == "alerting") {
        alerts.emplace_back("alert " + name, query);
      } else {
        exprs.emplace_back("recording rule " + name, query);
        // The recorded series itself, as the dashboard and alerts read it.
        exprs.emplace_back("recorded series " + name, name);
      }
    }
  }
  EXPECT_TRUE(groups.count("arxiv-digest.recording"));
  EXPECT_TRUE(groups.count("arxiv-digest.alerts"));
  EXPECT_GE(alerts.size(), 5u);

  std::vector<std::string> not_checked;
  auto awaiting = [&](const std::string& expr) {
    std::vector<std::string> reasons;
    for (const std::string& m : MetricNames(expr)) {
      auto it = AwaitingWiring().find(m);
      if (it != AwaitingWiring().end()) {
        reasons.push_back(m + ": " + it->second);
      }
    }
    return reasons;
  };

  for (const auto& [where, raw] : exprs) {
    const std::string expr = SubstituteGrafanaVariables(raw);
    QueryResult r = Query(expr);
    EXPECT_TRUE(r.ok) << where << " does not evaluate: " << r.error << "\n  "
                      << expr;
    if (!r.ok) continue;
    std::vector<std::string> reasons = awaiting(expr);
    if (!reasons.empty()) {
      not_checked.push_back(where + " (" + absl::StrJoin(reasons, "; ") + ")");
      continue;
    }
    EXPECT_GT(r.series, 0u) << where << " returned no data:\n  " << expr;
  }

  // An alert's expression is empty while all is well (it selects trouble),
  // so for alerts: the whole expression must evaluate, and each metric it
  // selects must have data, which is what a typo or a rename would break.
  for (const auto& [where, expr] : alerts) {
    QueryResult r = Query(expr);
    EXPECT_TRUE(r.ok) << where << " does not evaluate: " << r.error << "\n  "
                      << expr;
    const std::set<std::string> names = MetricNames(expr);
    EXPECT_FALSE(names.empty()) << where << ": no metric found in " << expr;
    for (const std::string& name : names) {
      if (AwaitingWiring().count(name)) {
        not_checked.push_back(where + " selector " + name + " (" +
                              AwaitingWiring().at(name) + ")");
        continue;
      }
      EXPECT_GT(Query(name).series, 0u)
          << where << ": its metric " << name << " has no data";
    }
  }

  // The awaiting list must not outlive the wiring.
  for (const auto& [name, reason] : AwaitingWiring()) {
    EXPECT_EQ(Query(name).series, 0u)
        << name << " now has data: remove it from AwaitingWiring()";
  }

  if (fs::exists(kPromtool)) {
    std::vector<std::string> args = {"check", "rules"};
    args.insert(args.end(), rule_files_.begin(), rule_files_.end());
    Subprocess* check = Start(kPromtool, "promtool-rules", args);
    ASSERT_NE(check, nullptr);
    EXPECT_EQ(check->WaitFor(seconds(30)), 0) << check->Describe();
  }

  std::cerr << "prometheus: " << dashboard_exprs << " dashboard expressions, "
            << exprs.size() - dashboard_exprs << " recording-rule queries and "
            << alerts.size() << " alerts evaluated against real data; "
            << not_checked.size()
            << " checked for parsing only, awaiting wiring:\n";
  for (const std::string& s : not_checked) std::cerr << "  - " << s << "\n";
}

TEST(PromqlMetricNamesTest, FindsSelectorsNotFunctionsOrLabels) {
  EXPECT_EQ(MetricNames(R"(histogram_quantile(0.95, sum by (le, job) )"
                        R"((rate(a_bucket{x="y,z"}[5m]))))"),
            std::set<std::string>{"a_bucket"});
  EXPECT_EQ(MetricNames("increase(a_total[2h]) > 0 or (a_total > 0 unless "
                        "a_total offset 5m) and on (instance) b:rec"),
            (std::set<std::string>{"a_total", "b:rec"}));
  EXPECT_EQ(MetricNames(R"(up{job=~"arxiv-.*"} == 0)"),
            std::set<std::string>{"up"});
}

}  // namespace
}  // namespace arxiv_digest::testing
