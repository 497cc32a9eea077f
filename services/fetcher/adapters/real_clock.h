// The wall clock and a real sleep, for production wiring.
#pragma once

#include "services/fetcher/logic/clock.h"

namespace arxiv_digest {

class RealClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() override;
  void SleepFor(std::chrono::milliseconds duration) override;
};

}  // namespace arxiv_digest
