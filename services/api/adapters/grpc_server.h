// The api's gRPC server: the DigestService, the standard health service
// (grpc.health.v1.Health, "arxiv_digest.v1.DigestService" SERVING while
// up) and server reflection when libgrpc++_reflection is available.
// Plaintext unless a certificate and key are given.
#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace arxiv_digest::api {

struct GrpcServerOptions {
  std::string address = "0.0.0.0:50051";  // host:port, port 0 = ephemeral
  std::string tls_cert_file;              // PEM; both set = TLS
  std::string tls_key_file;
  // Largest message accepted from a client (requests are small: ids,
  // topics) and sent to one (a digest's HTML); bigger ones fail the call
  // with RESOURCE_EXHAUSTED before they are buffered.
  int max_receive_bytes = 1 << 20;
  int max_send_bytes = 32 << 20;
};

inline constexpr char kServiceName[] = "arxiv_digest.v1.DigestService";

class GrpcServer {
 public:
  GrpcServer() = default;
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Returns the bound port. `service` must outlive the server.
  absl::StatusOr<int> Start(grpc::Service& service,
                            const GrpcServerOptions& options);
  // Marks the service NOT_SERVING, then shuts down: calls still running
  // after `grace` are cancelled. Idempotent.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  std::unique_ptr<grpc::Server> server_;
};

// Whether this build serves reflection.
bool ReflectionAvailable();

}  // namespace arxiv_digest::api
