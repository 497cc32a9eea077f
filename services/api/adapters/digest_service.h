// The gRPC DigestService on the callback API: per call it authenticates
// the bearer token, runs the DigestApi method, maps the absl::Status onto
// the gRPC code and records metrics. WatchJob streams poll through the
// WatchScheduler and end promptly when it stops (server shutdown).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "arxiv_digest.grpc.pb.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_api.h"
#include "services/api/adapters/watch_scheduler.h"
#include "services/api/logic/auth.h"

namespace arxiv_digest::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// WatchJob streams open at once in this process (per client and in
// total; 0 = no cap) and how long one may stay open (0 = until the job
// ends). Over a cap the stream ends at once with RESOURCE_EXHAUSTED; at
// its lifetime with DEADLINE_EXCEEDED (watch again to go on).
struct WatchLimits {
  int per_client = 0;
  int total = 0;
  std::chrono::milliseconds max_lifetime{0};
};

class DigestService final : public v1::DigestService::CallbackService {
 public:
  // `tokens` null or empty: no tokens configured (reads open, mutations
  // refused). Everything passed in must outlive the service.
  DigestService(
      DigestApi& api, const TokenTable* tokens, ApiMetrics& metrics,
      WatchScheduler& scheduler,
      std::chrono::milliseconds poll_interval = std::chrono::milliseconds(500),
      WatchLimits watch_limits = {});

  grpc::ServerUnaryReactor* TriggerRun(grpc::CallbackServerContext* ctx,
                                       const v1::TriggerRunRequest* req,
                                       v1::TriggerRunResponse* resp) override;
  grpc::ServerUnaryReactor* GetRun(grpc::CallbackServerContext* ctx,
                                   const v1::GetRunRequest* req,
                                   v1::Run* resp) override;
  grpc::ServerUnaryReactor* GetDigest(grpc::CallbackServerContext* ctx,
                                      const v1::GetDigestRequest* req,
                                      v1::Digest* resp) override;
  grpc::ServerUnaryReactor* ListDigests(grpc::CallbackServerContext* ctx,
                                        const v1::ListDigestsRequest* req,
                                        v1::ListDigestsResponse* resp) override;
  grpc::ServerUnaryReactor* Rescore(grpc::CallbackServerContext* ctx,
                                    const v1::RescoreRequest* req,
                                    v1::RescoreResponse* resp) override;
  grpc::ServerUnaryReactor* ListProfiles(
      grpc::CallbackServerContext* ctx, const v1::ListProfilesRequest* req,
      v1::ListProfilesResponse* resp) override;
  grpc::ServerUnaryReactor* ExplainPaper(grpc::CallbackServerContext* ctx,
                                         const v1::ExplainPaperRequest* req,
                                         v1::PaperFate* resp) override;
  grpc::ServerWriteReactor<v1::JobProgress>* WatchJob(
      grpc::CallbackServerContext* ctx,
      const v1::WatchJobRequest* req) override;

  // Used by the stream reactor.
  DigestApi& api() { return api_; }
  ApiMetrics& metrics() { return metrics_; }
  WatchScheduler& scheduler() { return scheduler_; }
  std::chrono::milliseconds poll_interval() const { return poll_interval_; }
  const WatchLimits& watch_limits() const { return watch_limits_; }
  // A place for one more stream of `subject`, if the caps allow; every
  // true must be matched by one ReleaseWatch.
  bool AcquireWatch(const std::string& subject);
  void ReleaseWatch(const std::string& subject);

 private:
  absl::StatusOr<ApiClient> Authenticate(grpc::CallbackServerContext* ctx,
                                         Access access, const char* method);
  // Runs `body` after authentication and finishes the call.
  template <typename Body>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx,
                                  const char* method, Access access, Body body);

  DigestApi& api_;
  const TokenTable* tokens_;
  ApiMetrics& metrics_;
  WatchScheduler& scheduler_;
  std::chrono::milliseconds poll_interval_;
  WatchLimits watch_limits_;
  std::mutex watch_mu_;
  std::map<std::string, int> watches_;  // by subject; guarded by watch_mu_
  int watches_total_ = 0;               // guarded by watch_mu_
};

}  // namespace arxiv_digest::api
