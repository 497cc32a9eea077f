#include "services/fetcher/adapters/redis_run_writer.h"

#include <chrono>

#include "lib/json/json_util.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

std::vector<std::pair<std::string, std::string>> ManifestFields(
    const RunManifest& m) {
  return {{"run_id", m.run_id},
          {"date", m.date},
          {"status", m.status},
          {"total_papers", std::to_string(m.total_papers)},
          {"scanned_papers", std::to_string(m.scanned_papers)},
          {"papers_to_score", std::to_string(m.papers_to_score)},
          {"skipped_seen", std::to_string(m.skipped_seen)},
          {"reason", m.reason}};
}

std::string NowSeconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

}  // namespace

RedisRunWriter::RedisRunWriter(RedisClient& redis) : redis_(redis) {}

absl::Status RedisRunWriter::BeginRun(const RunManifest& manifest) {
  auto fields = ManifestFields(manifest);
  fields.emplace_back("created_at", NowSeconds());
  return redis_.HSet(keys::Run(manifest.run_id), fields);
}

absl::Status RedisRunWriter::AppendPaper(const std::string& run_id,
                                         const Paper& paper) {
  std::string json = PaperToJson(paper);
  // The hash is what the publisher renders from; the stream is the work
  // queue of the scorers. Both writes are idempotent per (run, paper) for
  // readers: the hash field is overwritten, scores are keyed the same way.
  if (absl::Status s =
          redis_.HSet(keys::RunPapers(run_id), {{paper.arxiv_id, json}});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> id = redis_.XAdd(
      keys::PapersStream(),
      {{"run_id", run_id}, {"arxiv_id", paper.arxiv_id}, {"paper", json}});
  return id.status();
}

absl::Status RedisRunWriter::FinishRun(const RunManifest& manifest) {
  auto fields = ManifestFields(manifest);
  fields.emplace_back("fetched_at", NowSeconds());
  if (absl::Status s = redis_.HSet(keys::Run(manifest.run_id), fields);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = redis_.Set(keys::LatestRun(), manifest.run_id);
      !s.ok()) {
    return s;
  }
  return redis_
      .XAdd(keys::RunsStream(),
            {{"run_id", manifest.run_id}, {"status", manifest.status}})
      .status();
}

}  // namespace arxiv_digest
