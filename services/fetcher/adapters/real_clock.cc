#include "services/fetcher/adapters/real_clock.h"

#include <thread>

namespace arxiv_digest {

std::chrono::system_clock::time_point RealClock::Now() {
  return std::chrono::system_clock::now();
}

void RealClock::SleepFor(std::chrono::milliseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

}  // namespace arxiv_digest
