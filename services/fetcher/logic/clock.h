// Time as the fetcher's policies see it. Adapters (rate limiter, retries,
// lock) take a Clock& so tests advance a fake clock instead of sleeping.
#pragma once

#include <chrono>

namespace arxiv_digest {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

}  // namespace arxiv_digest
