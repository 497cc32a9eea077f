#include "services/api/adapters/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#ifdef ARXIV_API_HAVE_REFLECTION
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#endif

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bool ReflectionAvailable() {
#ifdef ARXIV_API_HAVE_REFLECTION
  return true;
#else
  return false;
#endif
}

GrpcServer::~GrpcServer() { Shutdown(std::chrono::milliseconds(0)); }

absl::StatusOr<int> GrpcServer::Start(grpc::Service& service,
                                      const GrpcServerOptions& options) {
  std::shared_ptr<grpc::ServerCredentials> creds =
      grpc::InsecureServerCredentials();
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return absl::InvalidArgumentError(
          "TLS needs both a certificate and a key");
    }
    absl::StatusOr<std::string> cert = ReadPem(options.tls_cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(options.tls_key_file);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(ssl);
  }
  grpc::EnableDefaultHealthCheckService(true);
#ifdef ARXIV_API_HAVE_REFLECTION
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
#endif
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.address, creds, &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  builder.SetMaxSendMessageSize(options.max_send_bytes);
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("gRPC: cannot listen on ", options.address));
  }
  if (grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService()) {
    health->SetServingStatus(kServiceName, true);
    health->SetServingStatus("", true);
  }
  return port;
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  if (!server_) return;
  if (grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService()) {
    health->SetServingStatus(false);
  }
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  server_.reset();
}

}  // namespace arxiv_digest::api
