// The DigestService's behaviour, one method per RPC, independent of gRPC:
// each loads from Redis, asks logic/ (request validation, rescore planning,
// digest versions) and writes; plus the Rescore rate limit. The gRPC
// layer (digest_service.h) adds authentication, metrics and status codes.
// Thread-safe: every call borrows its own Redis connection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "arxiv_digest.pb.h"
#include "lib/core/clock.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/redis_pool.h"
#include "services/api/logic/abuse_limits.h"
#include "services/api/logic/auth.h"
#include "services/api/logic/request_validation.h"

namespace arxiv_digest::api {

class ApiMetrics;

struct DigestApiOptions {
  // Rescore token bucket per client: `rescore_burst` jobs, refilled at
  // rescore_burst per rescore_period. 0 disables the limit.
  int rescore_burst = 5;
  std::chrono::milliseconds rescore_period{std::chrono::minutes(10)};
  int max_range_days = 31;  // Rescore date ranges and the days ids span
  int max_ids = 500;        // Rescore id lists
  // TriggerRun and dry-run rate limits, Rescore work ceilings and budgets,
  // concurrent Rescores: off (0) unless set (the api's flags set them).
  AbuseLimits abuse;
  size_t max_topics_bytes = size_t{64} * 1024;
  int max_list = 1000;  // ListDigests entries
  // [RETENTION] run_days: expiry of the runs TriggerRun and Rescore write.
  std::chrono::seconds run_ttl{std::chrono::hours(24 * 30)};

  RescoreLimits limits() const {
    return RescoreLimits{max_range_days, max_ids, max_topics_bytes};
  }
};

// The random part of new run ids (tests pass a counter).
using RunIdRandom = std::function<uint32_t()>;
// A thread-safe Mersenne Twister seeded from std::random_device.
RunIdRandom RealRunIdRandom();

class DigestApi {
 public:
  // `clock` gives today's date (UTC) for request checks and the
  // requested_at of new runs.
  DigestApi(RedisPool& pool, const ProfileCatalog& profiles,
            ApiMetrics& metrics, Clock& clock, RunIdRandom random,
            DigestApiOptions options = {});

  // `peer` (gRPC's ctx->peer()) names anonymous callers in the limits.
  // Over a limit: RESOURCE_EXHAUSTED with "retry in N s".
  absl::StatusOr<v1::TriggerRunResponse> TriggerRun(
      const ApiClient& client, const v1::TriggerRunRequest& req,
      std::string_view peer = "");
  absl::StatusOr<v1::Run> GetRun(const v1::GetRunRequest& req);
  absl::StatusOr<v1::RescoreResponse> Rescore(const ApiClient& client,
                                              const v1::RescoreRequest& req,
                                              std::string_view peer = "");
  absl::StatusOr<v1::Digest> GetDigest(const v1::GetDigestRequest& req);
  absl::StatusOr<v1::ListDigestsResponse> ListDigests(
      const v1::ListDigestsRequest& req);
  absl::StatusOr<v1::ListProfilesResponse> ListProfiles();
  // One paper's fate in one run ("why is paper X missing?"): reads only
  // that paper's fields of the run's hashes and, once the run is
  // published, its digest JSON. INVALID_ARGUMENT for a bad id, NOT_FOUND
  // for an unknown run or a paper that is not part of it.
  absl::StatusOr<v1::PaperFate> ExplainPaper(
      const v1::ExplainPaperRequest& req);

  // One WatchJob poll: the job's progress; INVALID_ARGUMENT for a bad id,
  // NOT_FOUND when the run does not exist.
  absl::StatusOr<v1::JobProgress> Progress(const std::string& job_id);

 private:
  // "default" for empty; INVALID_ARGUMENT / NOT_FOUND otherwise.
  absl::StatusOr<std::string> ResolveProfile(const std::string& profile,
                                             bool allow_redis_only);

  // One token of the rate limit `what` from the Redis bucket `key` (`burst`
  // tokens, all refilled over `refill`; burst 0 = off): OK or
  // RESOURCE_EXHAUSTED naming `subject` and the wait, counted under the
  // metric label `label`.
  absl::Status TakeToken(RedisClient& redis, const std::string& key, int burst,
                         std::chrono::milliseconds refill,
                         std::string_view what, std::string_view subject,
                         const char* label);
  // The checks between planning a Rescore and writing it.
  absl::Status AdmitRescore(RedisClient& redis, const RescoreTarget& target,
                            const RescoreResult& planned, bool dry_run,
                            const std::string& subject);

  RedisPool& pool_;
  const ProfileCatalog& profiles_;
  ApiMetrics& metrics_;
  Clock& clock_;
  RunIdRandom random_;
  DigestApiOptions options_;
  std::atomic<int> rescores_running_{0};
};

}  // namespace arxiv_digest::api
