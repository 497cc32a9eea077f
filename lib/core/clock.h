// One clock interface for every service: wall time, monotonic time and an
// interruptible sleep. Code that waits or stamps times takes a Clock& so
// tests can pass a FakeClock (tests/support/fake_clock.h) instead of
// sleeping.
#pragma once

#include <chrono>

namespace arxiv_digest {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() = 0;
  virtual std::chrono::steady_clock::time_point Monotonic() = 0;
  // Sleeps for `duration`, returning early once shutdown was requested
  // (lib/core/shutdown.h) so SIGTERM is honoured within ~100 ms.
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

Clock& SystemClock();  // the real clock, one per process

}  // namespace arxiv_digest
