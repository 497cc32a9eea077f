#include "services/scorer/adapters/scoring_context.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/contract/run_manifest.h"
#include "lib/redis/keys.h"
#include "services/scorer/logic/stream_read_batch.h"

namespace arxiv_digest {
namespace {
// Runs are short-lived; forgetting old ones bounds memory in a long-lived
// replica (a forgotten run is simply looked up again).
constexpr size_t kMaxRunsKept = 64;
}  // namespace

ScoringContexts::ScoringContexts(RedisClient& redis,
                                 const std::map<std::string, Config>& profiles,
                                 ScoringContextFactory factory)
    : redis_(redis), profiles_(profiles), factory_(std::move(factory)) {}

const Config& ScoringContexts::default_config() const {
  return profiles_.at(kDefaultProfile);
}

int ScoringContexts::read_batch() const {
  // A multiple of every profile's read size, so a read of one run splits
  // into whole batches of that run's profile (no partial call per read);
  // past the cap, the largest (every profile still gets its batch size).
  int largest = 1;
  int64_t common = 1;
  for (const auto& [name, config] : profiles_) {
    const int batch = StreamReadBatch(config.selection);
    largest = std::max(largest, batch);
    if (common > 0) common = std::lcm(common, static_cast<int64_t>(batch));
    if (common > kMaxStreamReadBatch) common = 0;
  }
  return common > 0 ? static_cast<int>(common) : largest;
}

absl::StatusOr<ScoringContext*> ScoringContexts::ForRun(
    const std::string& run_id) {
  auto it = by_run_.find(run_id);
  if (it != by_run_.end()) return it->second.get();
  absl::StatusOr<RedisReply> fields = redis_.Command(
      {"HMGET", keys::Run(run_id), contract::manifest_field::kProfile,
       contract::manifest_field::kTopicsOverride});
  if (!fields.ok()) return fields.status();
  std::string profile = kDefaultProfile;
  std::string topics_override;
  if (fields->elements.size() == 2) {
    if (!fields->elements[0].IsNil() && !fields->elements[0].str.empty()) {
      profile = fields->elements[0].str;
    }
    if (!fields->elements[1].IsNil()) topics_override = fields->elements[1].str;
  }
  auto p = profiles_.find(profile);
  if (p == profiles_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "run ", run_id, " asks for unknown profile '", profile, "'"));
  }
  if (by_run_.size() >= kMaxRunsKept) by_run_.clear();
  auto& slot = by_run_[run_id];
  slot = factory_(WithTopicsOverride(p->second, topics_override));
  if (slot != nullptr && slot->s2 == nullptr) slot->s2 = s2_;
  return slot.get();
}

}  // namespace arxiv_digest
