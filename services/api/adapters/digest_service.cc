#include "services/api/adapters/digest_service.h"

#include <atomic>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/api/logic/abuse_limits.h"
#include "services/api/logic/run_view.h"

namespace arxiv_digest::api {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A stream of one job's progress: one message whenever the progress
// changes, ending after the done/failed message. Only one party acts on
// the reactor at a time (a scheduled poll, or the write it started), so
// Finish is called exactly once and OnDone cannot race a poll.
class WatchReactor final : public grpc::ServerWriteReactor<v1::JobProgress> {
 public:
  WatchReactor(DigestService& service, std::string job_id)
      : service_(service), job_id_(std::move(job_id)) {
    service_.metrics().active_watches.Increment();
  }

  // Starts polling for `subject`, or ends at once over the stream caps.
  void Begin(std::string subject) {
    if (!service_.AcquireWatch(subject)) {
      service_.metrics().RecordLimited("watch");
      FinishNow(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("too many open WatchJob streams (at most ",
                       service_.watch_limits().per_client, " per client, ",
                       service_.watch_limits().total, " in all); ",
                       RetryIn(std::chrono::seconds(1)))));
      return;
    }
    subject_ = std::move(subject);
    service_.scheduler().Schedule(std::chrono::milliseconds(0),
                                  [this](bool stopping) { Poll(stopping); });
  }

  void FinishNow(const grpc::Status& status) {
    code_ = status.error_code();
    Finish(status);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      FinishNow(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
      return;
    }
    if (IsTerminalState(last_.state())) {
      FinishNow(grpc::Status::OK);
      return;
    }
    service_.scheduler().Schedule(service_.poll_interval(),
                                  [this](bool stopping) { Poll(stopping); });
  }

  void OnCancel() override { cancelled_ = true; }

  void OnDone() override {
    if (subject_) service_.ReleaseWatch(*subject_);
    service_.metrics().active_watches.Decrement();
    service_.metrics().RecordRpc("WatchJob", CodeName(), SecondsSince(start_));
    delete this;
  }

 private:
  std::string CodeName() const {
    return absl::StatusCodeToString(static_cast<absl::StatusCode>(code_));
  }

  void Poll(bool stopping) {
    if (stopping) {
      FinishNow(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "server shutting down"));
      return;
    }
    if (cancelled_) {
      FinishNow(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    const std::chrono::milliseconds lifetime =
        service_.watch_limits().max_lifetime;
    if (lifetime.count() > 0 && Clock::now() - start_ >= lifetime) {
      FinishNow(grpc::Status(
          grpc::StatusCode::DEADLINE_EXCEEDED,
          absl::StrCat("WatchJob streams end after ", lifetime.count() / 1000,
                       " s; watch again to go on")));
      return;
    }
    absl::StatusOr<v1::JobProgress> p = service_.api().Progress(job_id_);
    if (!p.ok()) {
      FinishNow(ToGrpcStatus(p.status()));
      return;
    }
    if (sent_any_ && p->state() == last_.state() &&
        p->papers_done() == last_.papers_done() &&
        p->papers_total() == last_.papers_total() &&
        p->run_status() == last_.run_status()) {
      service_.scheduler().Schedule(service_.poll_interval(),
                                    [this](bool stopping) { Poll(stopping); });
      return;
    }
    sent_any_ = true;
    last_ = *std::move(p);
    StartWrite(&last_);
  }

  DigestService& service_;
  std::string job_id_;
  std::optional<std::string> subject_;  // set while holding a stream place
  Clock::time_point start_ = Clock::now();
  std::atomic<bool> cancelled_{false};
  bool sent_any_ = false;
  v1::JobProgress last_;  // the message being written; kept until done
  grpc::StatusCode code_ = grpc::StatusCode::OK;
};

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

DigestService::DigestService(DigestApi& api, const TokenTable* tokens,
                             ApiMetrics& metrics, WatchScheduler& scheduler,
                             std::chrono::milliseconds poll_interval,
                             WatchLimits watch_limits)
    : api_(api),
      tokens_(tokens),
      metrics_(metrics),
      scheduler_(scheduler),
      poll_interval_(poll_interval),
      watch_limits_(watch_limits) {}

bool DigestService::AcquireWatch(const std::string& subject) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  int& mine = watches_[subject];
  if ((watch_limits_.total > 0 && watches_total_ >= watch_limits_.total) ||
      (watch_limits_.per_client > 0 && mine >= watch_limits_.per_client)) {
    if (mine == 0) watches_.erase(subject);
    return false;
  }
  ++mine;
  ++watches_total_;
  return true;
}

void DigestService::ReleaseWatch(const std::string& subject) {
  std::lock_guard<std::mutex> lock(watch_mu_);
  auto it = watches_.find(subject);
  if (it == watches_.end()) return;
  --watches_total_;
  if (--it->second <= 0) watches_.erase(it);
}

absl::StatusOr<ApiClient> DigestService::Authenticate(
    grpc::CallbackServerContext* ctx, Access access, const char* method) {
  std::optional<std::string_view> authorization;
  const auto& md = ctx->client_metadata();
  if (auto it = md.find("authorization"); it != md.end()) {
    authorization = std::string_view(it->second.data(), it->second.size());
  }
  absl::StatusOr<ApiClient> client =
      Authorize(tokens_, authorization, access, method);
  if (!client.ok()) {
    // The peer and method only: the token itself is never logged.
    LogWarning("request refused",
               {{"method", method},
                {"peer", ctx->peer()},
                {"code", absl::StatusCodeToString(client.status().code())}});
  }
  return client;
}

template <typename Body>
grpc::ServerUnaryReactor* DigestService::Unary(grpc::CallbackServerContext* ctx,
                                               const char* method,
                                               Access access, Body body) {
  Clock::time_point start = Clock::now();
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::Status status;
  absl::StatusOr<ApiClient> client = Authenticate(ctx, access, method);
  if (!client.ok()) {
    status = client.status();
  } else {
    status = body(*client);
  }
  if (!status.ok() && status.code() != absl::StatusCode::kNotFound &&
      status.code() != absl::StatusCode::kInvalidArgument &&
      status.code() != absl::StatusCode::kUnauthenticated &&
      status.code() != absl::StatusCode::kPermissionDenied &&
      status.code() != absl::StatusCode::kResourceExhausted &&
      status.code() != absl::StatusCode::kFailedPrecondition) {
    LogError("request failed",
             {{"method", method}, {"error", std::string(status.message())}});
  }
  metrics_.RecordRpc(method, absl::StatusCodeToString(status.code()),
                     SecondsSince(start));
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// Copies the body's StatusOr value into the response message.
#define ARXIV_API_UNARY(method, access, call)                      \
  return Unary(ctx, method, access, [&](const ApiClient& client) { \
    (void)client;                                                  \
    auto result = (call);                                          \
    if (!result.ok()) return result.status();                      \
    *resp = *std::move(result);                                    \
    return absl::OkStatus();                                       \
  })

grpc::ServerUnaryReactor* DigestService::TriggerRun(
    grpc::CallbackServerContext* ctx, const v1::TriggerRunRequest* req,
    v1::TriggerRunResponse* resp) {
  ARXIV_API_UNARY("TriggerRun", Access::kMutate,
                  api_.TriggerRun(client, *req, ctx->peer()));
}

grpc::ServerUnaryReactor* DigestService::GetRun(
    grpc::CallbackServerContext* ctx, const v1::GetRunRequest* req,
    v1::Run* resp) {
  ARXIV_API_UNARY("GetRun", Access::kRead, api_.GetRun(*req));
}

grpc::ServerUnaryReactor* DigestService::GetDigest(
    grpc::CallbackServerContext* ctx, const v1::GetDigestRequest* req,
    v1::Digest* resp) {
  ARXIV_API_UNARY("GetDigest", Access::kRead, api_.GetDigest(*req));
}

grpc::ServerUnaryReactor* DigestService::ListDigests(
    grpc::CallbackServerContext* ctx, const v1::ListDigestsRequest* req,
    v1::ListDigestsResponse* resp) {
  ARXIV_API_UNARY("ListDigests", Access::kRead, api_.ListDigests(*req));
}

grpc::ServerUnaryReactor* DigestService::Rescore(
    grpc::CallbackServerContext* ctx, const v1::RescoreRequest* req,
    v1::RescoreResponse* resp) {
  // A dry run writes nothing and costs nothing: readers may ask for one.
  ARXIV_API_UNARY("Rescore", req->dry_run() ? Access::kRead : Access::kMutate,
                  api_.Rescore(client, *req, ctx->peer()));
}

grpc::ServerUnaryReactor* DigestService::ExplainPaper(
    grpc::CallbackServerContext* ctx, const v1::ExplainPaperRequest* req,
    v1::PaperFate* resp) {
  // A reader's question about a published run: a read token is enough.
  ARXIV_API_UNARY("ExplainPaper", Access::kRead, api_.ExplainPaper(*req));
}

grpc::ServerUnaryReactor* DigestService::ListProfiles(
    grpc::CallbackServerContext* ctx, const v1::ListProfilesRequest* req,
    v1::ListProfilesResponse* resp) {
  ARXIV_API_UNARY("ListProfiles", Access::kRead, api_.ListProfiles());
}

#undef ARXIV_API_UNARY

grpc::ServerWriteReactor<v1::JobProgress>* DigestService::WatchJob(
    grpc::CallbackServerContext* ctx, const v1::WatchJobRequest* req) {
  auto* reactor = new WatchReactor(*this, req->job_id());
  absl::StatusOr<ApiClient> client =
      Authenticate(ctx, Access::kRead, "WatchJob");
  if (!client.ok()) {
    reactor->FinishNow(ToGrpcStatus(client.status()));
  } else {
    reactor->Begin(LimitSubject(*client, ctx->peer()));
  }
  return reactor;
}

}  // namespace arxiv_digest::api
