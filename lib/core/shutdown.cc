#include "lib/core/shutdown.h"

#include <atomic>
#include <csignal>

namespace arxiv_digest {
namespace {
std::atomic<bool> g_shutdown{false};
void OnSignal(int) { g_shutdown.store(true); }
}  // namespace

void InstallShutdownHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool ShutdownRequested() { return g_shutdown.load(); }
void RequestShutdown() { g_shutdown.store(true); }

}  // namespace arxiv_digest
