#include "lib/core/clock.h"

#include <algorithm>
#include <thread>

#include "lib/core/shutdown.h"

namespace arxiv_digest {
namespace {

// The shutdown flag is polled at this interval while sleeping: the signal
// handler only sets a flag, so a sleep cannot be woken directly.
constexpr std::chrono::milliseconds kShutdownPoll{100};

class RealClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point Monotonic() override {
    return std::chrono::steady_clock::now();
  }
  void SleepFor(std::chrono::milliseconds duration) override {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (!ShutdownRequested()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= end) return;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          end - now, kShutdownPoll));
    }
  }
};

}  // namespace

Clock& SystemClock() {
  // Never destroyed: threads may still sleep on it during static teardown.
  static Clock* const clock = new RealClock();
  return *clock;
}

}  // namespace arxiv_digest
