// The one Redis implementation of contract::RunWriter, for the fetcher and
// the api. Keys from lib/redis/keys.h, fields from lib/contract. What it
// writes (the same as the services' own writers did):
//   BeginRun     HSET arxiv:run:<id> <fields> [created_at]
//   AppendPaper  HSET arxiv:run:<id>:papers <arxiv_id> <paper JSON>, then
//                XADD arxiv:papers {run_id, arxiv_id, paper}
//   AppendPapers one HSET of all papers, then one XADD per paper
//   FinishRun    fetched run: HSET manifest + fetched_at, SET
//                arxiv:latest-run; derived run: HSET status. Then XADD
//                arxiv:runs {run_id, status}.
//   RequestFetch HSET manifest (status requested), XADD arxiv:triggers
//   FailRun      HSET {status: failed, error}
// Every key written is given the run TTL (EXPIRE, [RETENTION] run_days;
// 30 days unless told): a run that is never finished still goes. The
// publisher sets it again on the run's keys when it finishes a run.
#pragma once

#include <chrono>

#include "lib/contract/run_writer.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest::contract {

class RedisRunWriter : public RunWriter {
 public:
  // `clock` stamps created_at / fetched_at (epoch seconds).
  explicit RedisRunWriter(RedisClient& redis, Clock& clock = SystemClock());
  // `run_ttl` = [RETENTION] run_days (at least one second).
  RedisRunWriter(RedisClient& redis, Clock& clock,
                 std::chrono::seconds run_ttl);

  // 30 days, the default of [RETENTION] run_days.
  static constexpr std::chrono::seconds kDefaultRunTtl{30 * 24 * 3600};

  absl::Status BeginRun(const RunManifest& manifest) override;
  absl::Status AppendPaper(const std::string& run_id,
                           const Paper& paper) override;
  absl::Status AppendPapers(const std::string& run_id,
                            const std::vector<Paper>& papers) override;
  absl::Status FinishRun(const RunManifest& manifest) override;
  absl::Status RequestFetch(const RunManifest& manifest) override;
  absl::Status FailRun(const std::string& run_id,
                       const std::string& error) override;

 private:
  // EXPIRE key run_ttl_.
  absl::Status Expire(const std::string& key);

  RedisClient& redis_;
  Clock& clock_;
  std::chrono::seconds run_ttl_;
};

}  // namespace arxiv_digest::contract
