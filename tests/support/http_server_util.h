// Shared start/stop of the cpp-httplib servers the test harness runs.
#pragma once

#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

// Binds 127.0.0.1:0, runs the accept loop on `thread` and returns the port
// once the server is accepting (httplib 0.11 has no wait_until_ready; a
// stop() issued before the loop starts would be lost, so this waits).
absl::StatusOr<int> StartHttpServer(httplib::Server& server,
                                    std::thread& thread);

// Stops the server and joins the thread; idempotent, null-safe.
void StopHttpServer(httplib::Server* server, std::thread& thread);

}  // namespace arxiv_digest::testing
