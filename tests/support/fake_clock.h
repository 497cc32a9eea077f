// Test clock: SleepFor returns at once after advancing both times, and every
// requested sleep is recorded so tests can assert on backoff schedules.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "lib/core/clock.h"

namespace arxiv_digest {

class FakeClock : public Clock {
 public:
  // Default start: 2024-01-01T00:00:00Z, a fixed instant so time-dependent
  // output is reproducible.
  explicit FakeClock(std::chrono::system_clock::time_point start =
                         std::chrono::system_clock::time_point(
                             std::chrono::seconds(1704067200)))
      : now_(start) {}

  std::chrono::system_clock::time_point Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  std::chrono::steady_clock::time_point Monotonic() override {
    std::lock_guard<std::mutex> lock(mu_);
    return monotonic_;
  }
  void SleepFor(std::chrono::milliseconds duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
    AdvanceLocked(duration);
  }

  // Moves both times forward without recording a sleep.
  void Advance(std::chrono::milliseconds duration) {
    std::lock_guard<std::mutex> lock(mu_);
    AdvanceLocked(duration);
  }
  // Sets the wall time; the monotonic time is unaffected (as with a real
  // clock adjustment).
  void SetNow(std::chrono::system_clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = now;
  }
  // Every SleepFor argument so far, in call order. Not to be read while
  // another thread sleeps on this clock.
  const std::vector<std::chrono::milliseconds>& sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  // Sum of all recorded sleeps.
  std::chrono::milliseconds total_slept() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::chrono::milliseconds total{0};
    for (const auto& s : sleeps_) total += s;
    return total;
  }

 private:
  void AdvanceLocked(std::chrono::milliseconds duration) {
    if (duration.count() <= 0) return;
    now_ += duration;
    monotonic_ += duration;
  }

  mutable std::mutex mu_;
  std::chrono::system_clock::time_point now_;
  std::chrono::steady_clock::time_point monotonic_{};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace arxiv_digest
