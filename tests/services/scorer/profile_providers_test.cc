// Each profile's own LLM provider in the scorer: its rate-limit buckets per
// (base URL, model), its key checked at startup, each distinct endpoint
// probed once with errors naming the profile and setting, and its own call
// limits (transport per llm_timeout_seconds / max_reply_bytes).
#include "services/scorer/adapters/profile_providers.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "lib/redis/keys.h"
#include "services/scorer/adapters/scorer_slots.h"
#include "tests/support/fake_clock.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest {
namespace {

using testing::OpenAiStub;

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

// A profile at `base_url` ("" = the deployment's OPENAI_BASE_URL).
Config Profile(const std::string& model, const std::string& base_url = "",
               const std::string& key_env = "OPENAI_API_KEY",
               const std::string& key = "sk-default") {
  Config c;
  c.env.openai_base_url = "https://api.openai.com/v1";
  c.selection.model = model;
  c.selection.base_url = base_url;
  c.selection.api_key_env = key_env;
  c.llm.base_url = base_url.empty() ? c.env.openai_base_url : base_url;
  c.llm.api_key = key;
  return c;
}

TEST(LlmLimitKeyTest, DefaultProviderKeepsItsBucketsOthersGetTheirOwn) {
  EXPECT_EQ(LlmLimitKey(Profile("gpt-4o")), keys::LlmLimit("gpt-4o"));
  // The same provider spelt with a trailing slash is the same provider.
  EXPECT_EQ(LlmLimitKey(Profile("gpt-4o", "https://api.openai.com/v1/")),
            keys::LlmLimit("gpt-4o"));
  const std::string a = LlmLimitKey(Profile("gpt-4o", "http://a.example/v1"));
  const std::string b = LlmLimitKey(Profile("gpt-4o", "http://b.example/v1"));
  EXPECT_NE(a, keys::LlmLimit("gpt-4o"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind(keys::LlmLimit("gpt-4o@"), 0), 0u) << a;
  // Credentials in a URL never end up in a Redis key.
  const std::string secret =
      LlmLimitKey(Profile("m", "https://u:SECRET@c.example/v1"));
  EXPECT_FALSE(Contains(secret, "SECRET")) << secret;
  EXPECT_FALSE(Contains(secret, "c.example")) << secret;
}

// The score cache and the buckets share the key: a model name at another
// provider never reads the default provider's cached scores.
TEST(ProviderModelKeyTest, ModelNameForTheDefaultProviderHashedForOthers) {
  EXPECT_EQ(ProviderModelKey(Profile("gpt-4o")), "gpt-4o");
  const std::string other =
      ProviderModelKey(Profile("gpt-4o", "http://a.example/v1"));
  EXPECT_EQ(other.rfind("gpt-4o@", 0), 0u) << other;
  EXPECT_EQ(LlmLimitKey(Profile("gpt-4o", "http://a.example/v1")),
            keys::LlmLimit(other));
}

TEST(CheckProfileLlmSettingsTest, LimitsAreSharedPerBaseUrlAndModel) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Profile("gpt-4o-mini");
  profiles["default"].selection.limit_per_minute = 100;
  // Same model at another provider: limits of its own.
  profiles["local"] = Profile("gpt-4o-mini", "http://127.0.0.1:8000/v1");
  profiles["local"].selection.limit_per_minute = 5;
  EXPECT_TRUE(CheckProfileLlmSettings(profiles).ok());
  // Same model at the same provider (trailing slash or not): must agree.
  profiles["local2"] = Profile("gpt-4o-mini", "http://127.0.0.1:8000/v1/");
  profiles["local2"].selection.limit_per_minute = 7;
  absl::Status s = CheckProfileLlmSettings(profiles);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(Contains(s.message(), "profile 'local2'")) << s;
  EXPECT_TRUE(Contains(s.message(), "limit_per_minute")) << s;
  EXPECT_TRUE(Contains(s.message(), "'local'")) << s;
  EXPECT_TRUE(Contains(s.message(), "http://127.0.0.1:8000/v1")) << s;
}

TEST(CheckProfileProvidersTest, EveryProfilesKeyVariableMustBeSet) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Profile("gpt-4o", "", "OPENAI_API_KEY", "");
  // The default's OPENAI_API_KEY is ChooseBackend's to report, as before.
  EXPECT_TRUE(CheckProfileProviders(profiles).ok());
  profiles["audio"] =
      Profile("gpt-4o-mini", "http://a.example/v1", "AUDIO_KEY", "sk-a");
  EXPECT_TRUE(CheckProfileProviders(profiles).ok());
  profiles["audio"].llm.api_key = "";
  absl::Status s = CheckProfileProviders(profiles);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "profile 'audio'")) << s;
  EXPECT_TRUE(Contains(s.message(), "[SELECTION] api_key_env")) << s;
  EXPECT_TRUE(Contains(s.message(), "AUDIO_KEY")) << s;
  EXPECT_TRUE(Contains(s.message(), "SCORER_BACKEND=lexical")) << s;
  // A default profile reading another variable is named like any other.
  profiles.erase("audio");
  profiles["default"].selection.api_key_env = "MY_KEY";
  s = CheckProfileProviders(profiles);
  EXPECT_TRUE(Contains(s.message(), "profile 'default'")) << s;
  EXPECT_TRUE(Contains(s.message(), "MY_KEY")) << s;
}

TEST(ProfileProbeTargetsTest, EachBaseUrlKeyAndModelOnce) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Profile("gpt-4o");
  profiles["alpha"] = Profile("gpt-4o");  // same endpoint: not again
  profiles["beta"] = Profile("gpt-4o-mini");
  profiles["gamma"] =
      Profile("gpt-4o-mini", "http://g.example/v1", "GAMMA_KEY", "sk-g");
  profiles["gamma"].selection.llm_timeout_seconds = 7;
  LlmTransports transports;
  std::vector<LlmProbeTarget> targets =
      ProfileProbeTargets(profiles, transports);
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].names.profile, "default");
  EXPECT_EQ(targets[0].names.base_url, "OPENAI_BASE_URL");
  EXPECT_EQ(targets[0].names.api_key, "OPENAI_API_KEY");
  EXPECT_EQ(targets[1].names.profile, "beta");
  EXPECT_EQ(targets[1].llm.request.model, "gpt-4o-mini");
  EXPECT_EQ(targets[2].names.profile, "gamma");
  EXPECT_EQ(targets[2].llm.base_url, "http://g.example/v1");
  EXPECT_EQ(targets[2].llm.api_key, "sk-g");
  EXPECT_EQ(targets[2].names.base_url, "[SELECTION] base_url");
  EXPECT_EQ(targets[2].names.api_key, "[SELECTION] api_key_env (GAMMA_KEY)");
  // gamma's probe goes through a transport with its own deadline.
  EXPECT_NE(targets[2].http, targets[0].http);
  EXPECT_EQ(targets[1].http, targets[0].http);
  EXPECT_EQ(transports.size(), 2u);
}

// Two real stubs with different keys: the probe sends each profile's key
// to its own endpoint, and a wrong one is reported naming the profile and
// the setting to fix.
TEST(AwaitLlmsTest, ProbesEveryProfilesEndpointWithItsOwnKey) {
  auto a = OpenAiStub::Start({.api_key = "key-a"});
  auto b = OpenAiStub::Start({.api_key = "key-b"});
  ASSERT_TRUE(a.ok() && b.ok());
  std::map<std::string, Config> profiles;
  profiles["default"] = Profile("gpt-4o", "", "OPENAI_API_KEY", "key-a");
  profiles["default"].env.openai_base_url = (*a)->base_url();
  profiles["default"].llm.base_url = (*a)->base_url();
  profiles["audio"] =
      Profile("gpt-4o-mini", (*b)->base_url(), "AUDIO_KEY", "key-b");
  LlmTransports transports;
  FakeClock clock;
  std::atomic<bool> ready{false};
  absl::Status s =
      AwaitLlms(ProfileProbeTargets(profiles, transports), LlmProbeMode::kFail,
                clock, std::chrono::seconds(30), ready, [] { return false; });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE(ready.load());
  // Each stub answers 401 to any key but its own, so passing means each
  // endpoint got its profile's key; the probe is not a billed call.
  EXPECT_EQ((*a)->requests(), 0);
  EXPECT_EQ((*b)->requests(), 0);

  profiles["audio"].llm.api_key = "key-a";  // the wrong provider's key
  ready = false;
  s = AwaitLlms(ProfileProbeTargets(profiles, transports), LlmProbeMode::kFail,
                clock, std::chrono::seconds(30), ready, [] { return false; });
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_TRUE(Contains(s.message(), "profile 'audio'")) << s;
  EXPECT_TRUE(Contains(s.message(), "[SELECTION] api_key_env (AUDIO_KEY)"))
      << s;
  EXPECT_FALSE(Contains(s.message(), "key-a")) << s;
  EXPECT_FALSE(ready.load());

  // A profile at an endpoint without the API names [SELECTION] base_url.
  profiles["audio"].llm.api_key = "key-b";
  profiles["audio"].llm.base_url =
      "http://127.0.0.1:" + std::to_string((*b)->port()) + "/nothing";
  s = AwaitLlms(ProfileProbeTargets(profiles, transports), LlmProbeMode::kFail,
                clock, std::chrono::seconds(30), ready, [] { return false; });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.message(), "profile 'audio'")) << s;
  EXPECT_TRUE(Contains(s.message(), "[SELECTION] base_url")) << s;
}

// A profile's llm_timeout_seconds bounds its own calls: 1 s against a stub
// that takes 3 s fails after about 1 s, while the other profile's client
// (the default 120 s) is on a transport of its own.
TEST(OpenAiClientFactoryTest, EachProfileCallsWithItsOwnTimeout) {
  auto stub = OpenAiStub::Start({.api_key = "key-a"});
  ASSERT_TRUE(stub.ok());
  LlmTransports transports;
  LlmClientFactory factory = OpenAiClientFactory(transports, {}, {});
  Config quick = Profile("gpt-4o-mini", (*stub)->base_url(), "K", "key-a");
  quick.selection.llm_timeout_seconds = 1;
  Config patient = Profile("gpt-4o", (*stub)->base_url(), "K", "key-a");
  OpenAiClientOptions quick_options = LlmOptionsFor(quick);
  quick_options.max_attempts = 1;  // one timed-out attempt is the point
  std::unique_ptr<LlmClient> quick_llm =
      factory(quick_options, quick.selection);
  std::unique_ptr<LlmClient> patient_llm =
      factory(LlmOptionsFor(patient), patient.selection);
  EXPECT_EQ(transports.size(), 2u);

  (*stub)->SetLatency(std::chrono::seconds(3));
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ChatCompletion> late =
      quick_llm->Complete("ArXiv ID: 2504.00001\nTitle: t\nAbstract: a\n");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(late.ok());
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(2500));

  (*stub)->SetLatency(std::chrono::milliseconds(0));
  absl::StatusOr<ChatCompletion> on_time =
      patient_llm->Complete("ArXiv ID: 2504.00001\nTitle: t\nAbstract: a\n");
  EXPECT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_EQ((*stub)->models_requested().back(), "gpt-4o");

  // A key the provider refuses names the profile's own setting.
  Config refused = Profile("gpt-4o", (*stub)->base_url(), "K", "key-b");
  absl::StatusOr<ChatCompletion> denied =
      factory(LlmOptionsFor(refused), refused.selection)->Complete("hi");
  ASSERT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      Contains(denied.status().message(), "check [SELECTION] api_key_env (K)"))
      << denied.status();
}

}  // namespace
}  // namespace arxiv_digest
