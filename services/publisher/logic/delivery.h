// Where a published digest goes besides the output folder and Redis:
// Slack, e-mail, ... Each sink is called once per published digest version;
// a failing sink is logged and counted, never blocks the others. The
// interface lives in logic/ because the publish use case calls it; the
// sinks themselves are adapters.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

struct PublishedDigest {
  std::string run_id;
  std::string profile = "default";
  std::string date;  // YYYY-MM-DD
  int version = 1;
  std::string markdown;
  std::string json;
  std::string html;
  std::vector<ScoredPaper> ranked;  // digest order
  // How the run's papers were selected (selection_summary.h); empty for a
  // run without fate records. Messages show it under their summary line.
  std::string selection_summary;
};

class DigestSink {
 public:
  virtual ~DigestSink() = default;
  virtual std::string name() const = 0;  // for logs and metric labels
  virtual absl::Status Deliver(const PublishedDigest& digest) = 0;
};

// The delivery sinks of a profile (Slack, e-mail, ...); may be empty.
using SinksForProfile =
    std::function<std::vector<DigestSink*>(const std::string& profile)>;

}  // namespace arxiv_digest
