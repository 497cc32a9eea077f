// The interfaces through which the publish use case (publish_run.h) does
// I/O. adapters/ implements them on Redis and the output folder; tests pass
// fakes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/publisher/logic/digest_assembly.h"

namespace arxiv_digest {

// A run's manifest, its papers, scores and token usage, and its publication.
class RunRepository {
 public:
  virtual ~RunRepository() = default;
  // A run that does not exist reads as a manifest with an empty status; a
  // manifest with a field that fails validation reads with `invalid` set.
  virtual absl::StatusOr<RunState> LoadManifest(const std::string& run_id) = 0;
  // How many papers have a result (score or unscored) so far.
  virtual absl::StatusOr<int64_t> CountScores(const std::string& run_id) = 0;
  // Papers, scores, usage and the scorer's fate records of the run's papers
  // (RunRecords::fates; bounded by the run's paper count and a cap).
  virtual absl::StatusOr<RunRecords> LoadRecords(const std::string& run_id) = 0;
  // Nothing will make the run publishable: status failed with `error`.
  virtual absl::Status MarkFailed(const std::string& run_id,
                                  const std::string& error) = 0;
  // Writes `fields` (the published record, status published included, see
  // AssembledDigest::manifest_fields, plus the file paths) in one write, so
  // a reader that sees "published" also sees every other field.
  virtual absl::Status MarkPublished(
      const std::string& run_id,
      const std::vector<std::pair<std::string, std::string>>& fields) = 0;
  // Keeps publisher replicas from publishing one run twice. The lock
  // expires by itself, so a replica that dies holding it delays the run
  // only briefly. False: another replica holds it.
  virtual absl::StatusOr<bool> TryLockPublish(const std::string& run_id) = 0;
  virtual void ReleasePublish(const std::string& run_id) = 0;
};

// Where digest versions go: files in the output folder, Redis copies.
class DigestStore {
 public:
  virtual ~DigestStore() = default;
  // Versions of one (profile, date) are numbered under this lock, so two
  // runs of one day never take the same number. False: held by another.
  virtual absl::StatusOr<bool> TryLockVersions(const std::string& profile,
                                               const std::string& date,
                                               const std::string& owner) = 0;
  virtual void ReleaseVersions(const std::string& profile,
                               const std::string& date) = 0;
  // 1 + the number of versions stored for (profile, date).
  virtual absl::StatusOr<int> NextVersion(const std::string& profile,
                                          const std::string& date) = 0;
  // Stores every output of the digest and its version bookkeeping. Returns
  // the manifest fields naming the files written (e.g. md_path -> path).
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  Store(const AssembledDigest& digest) = 0;
};

}  // namespace arxiv_digest
