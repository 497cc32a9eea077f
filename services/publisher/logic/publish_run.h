// The publish use case: decides whether a run can be published, then loads
// it, assembles the digest (digest_assembly.h), stores it, flips the run's
// status to published last and hands the digest to the delivery sinks.
// Safe to call for any run at any time: incomplete or already published
// runs are left alone, and locks keep publisher replicas from racing.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "services/publisher/logic/delivery.h"
#include "services/publisher/logic/digest_assembly.h"
#include "services/publisher/logic/pricing.h"
#include "services/publisher/logic/publish_ports.h"

namespace arxiv_digest {

enum class PublishOutcome {
  kPublished,         // this call published a new digest version
  kAlreadyPublished,  // nothing to do: the run is published
  kWaiting,           // not fetched yet, or scores still missing
  kNotPublishable,    // no announcements, failed, an unknown profile, or
                      // a manifest that fails validation (marked failed)
  kLocked,            // another replica is publishing it (or its date)
};

// What the use case reports for metrics (they live in the adapter layer).
struct PublishObserver {
  std::function<void()> on_store_failed;
  // From loading the run's records to the status flip.
  std::function<void(const AssembledDigest&, std::chrono::duration<double>)>
      on_published;
  std::function<void(const std::string& sink, const absl::Status& result)>
      on_delivery;
};

class PublishRun {
 public:
  // Everything is borrowed and must outlive this object. `sinks` may be
  // empty (no delivery).
  PublishRun(RunRepository& runs, DigestStore& store,
             const std::map<std::string, Config>& profiles,
             const PriceTable& prices, SinksForProfile sinks, Clock& clock,
             PublishObserver observer = {});

  // Errors leave the run as it was (status fetched, locks released), so a
  // later call retries it. An invalid run id is an InvalidArgument error.
  absl::StatusOr<PublishOutcome> Publish(const std::string& run_id);

 private:
  // With both locks held: load, assemble, store, flip the status.
  absl::StatusOr<AssembledDigest> StoreLocked(const RunState& run,
                                              const std::string& profile,
                                              const Config& config);
  void Deliver(const AssembledDigest& assembled);
  // Logs `error`, marks the run failed with it: kNotPublishable.
  absl::StatusOr<PublishOutcome> Unpublishable(const std::string& run_id,
                                               const std::string& error);

  RunRepository& runs_;
  DigestStore& store_;
  const std::map<std::string, Config>& profiles_;
  const PriceTable& prices_;
  SinksForProfile sinks_;
  Clock& clock_;
  PublishObserver observer_;
};

// UnpricedProfileModels and RequirePricedModels, the startup check that
// every profile's model has a price: lib/config/model_prices.h.

}  // namespace arxiv_digest
