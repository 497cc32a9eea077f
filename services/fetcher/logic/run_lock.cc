#include "services/fetcher/logic/run_lock.h"

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {

absl::StatusOr<RunManifest> RunExclusive(
    FetchLock& lock, const std::string& name, std::chrono::seconds ttl,
    const std::function<absl::StatusOr<RunManifest>()>& body) {
  absl::StatusOr<bool> taken = lock.TryAcquire(name, ttl);
  if (!taken.ok()) {
    return absl::Status(
        taken.status().code(),
        absl::StrCat("fetch lock ", name, ": ", taken.status().message()));
  }
  if (!*taken) {
    RunManifest locked;
    locked.status = kStatusLocked;
    locked.reason =
        absl::StrCat("another fetcher replica holds the lock '", name, "'");
    LogInfo("fetch skipped: another fetcher replica is running it",
            {{"lock", name}});
    return locked;
  }
  absl::StatusOr<RunManifest> result = body();
  if (absl::Status s = lock.Release(name); !s.ok()) {
    // The expiry frees it anyway; the next cycle waits at most the TTL.
    LogWarning("could not release the fetch lock",
               {{"lock", name}, {"error", std::string(s.message())}});
  }
  return result;
}

}  // namespace arxiv_digest
