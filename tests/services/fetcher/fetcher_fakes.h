// In-memory fakes of the fetcher's ports (feeds, run writer, seen store,
// feed dates) for the logic tests. Header-only, test code only.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest::testing {

class MapFeedSource : public FeedSource {
 public:
  std::map<std::string, absl::StatusOr<std::string>> feeds;
  std::set<std::string> not_modified;  // answer 304 to conditional fetches
  std::vector<std::string> requested;
  std::vector<bool> conditional;
  std::vector<std::string> committed;
  absl::StatusOr<FeedFetch> FetchFeed(const std::string& category,
                                      bool is_conditional) override {
    requested.push_back(category);
    conditional.push_back(is_conditional);
    if (is_conditional && not_modified.count(category) > 0) {
      return FeedFetch{true, ""};
    }
    auto it = feeds.find(category);
    if (it == feeds.end()) return absl::NotFoundError("no such feed");
    if (!it->second.ok()) return it->second.status();
    return FeedFetch{false, *it->second};
  }
  absl::Status CommitFeeds(const std::vector<std::string>& c) override {
    committed.insert(committed.end(), c.begin(), c.end());
    return absl::OkStatus();
  }
};

class RecordingWriter : public contract::RunWriter {
 public:
  std::vector<std::string> calls;
  std::vector<Paper> papers;
  RunManifest begun, finished;
  absl::Status fail_on_append = absl::OkStatus();
  absl::Status BeginRun(const RunManifest& m) override {
    calls.push_back("begin");
    begun = m;
    return absl::OkStatus();
  }
  absl::Status AppendPaper(const std::string& run_id, const Paper& p) override {
    calls.push_back("paper");
    EXPECT_EQ(run_id, begun.run_id);
    papers.push_back(p);
    return fail_on_append;
  }
  absl::Status FinishRun(const RunManifest& m) override {
    calls.push_back("finish");
    finished = m;
    return absl::OkStatus();
  }
  // Not used by the fetcher's logic (the api requests fetches; failed
  // triggers are the adapter's): recorded so a stray call shows up.
  absl::Status RequestFetch(const RunManifest& m) override {
    calls.push_back("request " + m.run_id);
    return absl::OkStatus();
  }
  absl::Status FailRun(const std::string& run_id,
                       const std::string& error) override {
    calls.push_back("fail " + run_id + ": " + error);
    return absl::OkStatus();
  }
  void Clear() {
    calls.clear();
    papers.clear();
    begun = finished = RunManifest{};
  }
};

class MemorySeenStore : public SeenStore {
 public:
  std::map<std::string, int> versions;
  absl::Status fail_lookup = absl::OkStatus();
  absl::StatusOr<std::map<std::string, int>> DeliveredVersions(
      const std::vector<std::string>& ids) override {
    if (!fail_lookup.ok()) return fail_lookup;
    std::map<std::string, int> out;
    for (const std::string& id : ids) {
      auto it = versions.find(id);
      if (it != versions.end()) out[id] = it->second;
    }
    return out;
  }
  absl::Status MarkDelivered(const std::vector<Paper>& papers) override {
    for (const Paper& p : papers) {
      int& v = versions[p.arxiv_id];
      v = std::max(v, p.version);
    }
    return absl::OkStatus();
  }
};

class MemoryFeedDateStore : public FeedDateStore {
 public:
  std::map<std::string, std::string> dates;
  absl::StatusOr<std::optional<std::string>> LastFeedDate(
      const std::string& category) override {
    auto it = dates.find(category);
    if (it == dates.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  absl::Status SetLastFeedDate(const std::string& category,
                               const std::string& date) override {
    dates[category] = date;
    return absl::OkStatus();
  }
};

}  // namespace arxiv_digest::testing
