// SIGTERM/SIGINT handling shared by the long-running services: the signal
// only sets a flag; loops poll it between bounded blocking calls.
#pragma once

namespace arxiv_digest {

void InstallShutdownHandlers();
bool ShutdownRequested();
void RequestShutdown();

}  // namespace arxiv_digest
