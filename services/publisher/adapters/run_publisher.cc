#include "services/publisher/adapters/run_publisher.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/prompt/prompt_builder.h"
#include "lib/redis/keys.h"
#include "services/publisher/logic/html_renderer.h"
#include "services/publisher/logic/json_renderer.h"
#include "services/publisher/logic/markdown_renderer.h"
#include "services/publisher/logic/pricing.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {
namespace {

int64_t ToInt(const std::map<std::string, std::string>& m,
              const std::string& key) {
  auto it = m.find(key);
  int64_t v = 0;
  if (it == m.end() || !absl::SimpleAtoi(it->second, &v)) return -1;
  return v;
}

std::string Field(const std::map<std::string, std::string>& m,
                  const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text) {
  std::error_code ec;
  std::filesystem::path target(path);
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create ", target.parent_path().string(), ": ", ec.message()));
    }
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", tmp, ": ", ec.message()));
  }
  return absl::OkStatus();
}

RunPublisher::RunPublisher(RedisClient& redis,
                           const std::map<std::string, Config>& profiles,
                           std::string output_path, PublisherMetrics& metrics,
                           SinksForProfile sinks, const PriceTable& prices)
    : redis_(redis),
      profiles_(profiles),
      output_path_(std::move(output_path)),
      metrics_(metrics),
      sinks_(std::move(sinks)),
      prices_(prices) {}

absl::Status RunPublisher::StoreVersion(
    const PublishedDigest& d,
    std::vector<std::pair<std::string, std::string>>& done) {
  auto profile_it = profiles_.find(d.profile);
  const OutputConfig& output = profile_it->second.output;
  // Default profile: <output>/<date>.md like the Python tool; others in a
  // folder per profile; later versions get ".v<n>" before the extension.
  std::string dir = output_path_;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  if (d.profile != kDefaultProfile) dir += d.profile + "/";
  std::string stem =
      d.version > 1 ? absl::StrCat(d.date, ".v", d.version) : d.date;
  struct Output {
    bool enabled;
    const char* ext;
    const std::string* text;
    const char* field;
  };
  for (const Output& o :
       {Output{output.dump_md, "md", &d.markdown, "md_path"},
        Output{output.dump_json, "json", &d.json, "json_path"},
        Output{true, "html", &d.html, "html_path"}}) {
    if (o.enabled) {
      std::string path = absl::StrCat(dir, stem, ".", o.ext);
      if (absl::Status s = WriteFileAtomically(path, *o.text); !s.ok()) {
        return s;
      }
      done.emplace_back(o.field, path);
    }
    // Redis keeps every format regardless, for the API and the web page.
    for (const std::string& key :
         {keys::DigestVersion(d.profile, d.date, d.version, o.ext),
          keys::Digest(d.profile, d.date, o.ext)}) {
      if (absl::Status s = redis_.Set(key, *o.text); !s.ok()) return s;
    }
  }
  std::string meta = absl::StrCat(
      "{\"run_id\":", JsonQuote(d.run_id), ",\"version\":", d.version,
      ",\"relevant_papers\":", d.ranked.size(), ",\"published_at\":",
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count(),
      "}");
  if (absl::Status s = redis_.HSet(keys::DigestMeta(d.profile, d.date),
                                   {{absl::StrCat("v", d.version), meta}});
      !s.ok()) {
    return s;
  }
  std::string score = d.date;  // YYYY-MM-DD -> YYYYMMDD
  score.erase(std::remove(score.begin(), score.end(), '-'), score.end());
  if (absl::Status s = redis_
                           .Command({"ZADD", keys::DigestIndex(d.profile),
                                     score.empty() ? "0" : score, d.date})
                           .status();
      !s.ok()) {
    return s;
  }
  return redis_.Command({"SADD", keys::Profiles(), d.profile}).status();
}

absl::StatusOr<bool> RunPublisher::TryPublish(const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> manifest =
      redis_.HGetAll(keys::Run(run_id));
  if (!manifest.ok()) return manifest.status();
  if (Field(*manifest, "status") != run_status::kFetched) return false;
  int64_t expected = ToInt(*manifest, "papers_to_score");
  absl::StatusOr<int64_t> have = redis_.HLen(keys::RunScores(run_id));
  if (!have.ok()) return have.status();
  if (expected < 0 || *have < expected) return false;

  std::string profile = Field(*manifest, "profile");
  if (profile.empty()) profile = kDefaultProfile;
  auto profile_it = profiles_.find(profile);
  if (profile_it == profiles_.end()) {
    // Nothing will make this run publishable here: say so on the run.
    LogError("run names an unknown profile",
             {{"run_id", run_id}, {"profile", profile}});
    if (absl::Status s = redis_.HSet(
            keys::Run(run_id),
            {{"status", run_status::kFailed},
             {"error", absl::StrCat("unknown profile '", profile, "'")}});
        !s.ok()) {
      return s;
    }
    return false;
  }
  const Config config = WithTopicsOverride(profile_it->second,
                                           Field(*manifest, "topics_override"));
  std::string date = Field(*manifest, "date");

  absl::StatusOr<bool> locked = redis_.SetIfAbsent(
      keys::RunPublishLock(run_id), "1", std::chrono::minutes(2));
  if (!locked.ok()) return locked.status();
  if (!*locked) return false;  // another replica is on it
  // Versions of one (profile, date) are numbered under a second lock.
  const std::string version_lock =
      absl::StrCat(keys::DigestMeta(profile, date), ":lock");
  absl::StatusOr<bool> version_locked =
      redis_.SetIfAbsent(version_lock, run_id, std::chrono::minutes(2));
  auto unlock = [&] {
    redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
    if (version_locked.ok() && *version_locked) {
      redis_.Del(version_lock).IgnoreError();
    }
  };
  if (!version_locked.ok() || !*version_locked) {
    unlock();
    return version_locked.ok() ? absl::StatusOr<bool>(false)
                               : version_locked.status();
  }

  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::map<std::string, std::string>> papers =
      redis_.HGetAll(keys::RunPapers(run_id));
  absl::StatusOr<std::map<std::string, std::string>> scores =
      redis_.HGetAll(keys::RunScores(run_id));
  absl::StatusOr<std::map<std::string, std::string>> usage =
      redis_.HGetAll(keys::RunUsage(run_id));
  absl::StatusOr<int64_t> versions =
      redis_.HLen(keys::DigestMeta(profile, date));
  for (const absl::Status& st :
       {papers.status(), scores.status(), usage.status(), versions.status()}) {
    if (!st.ok()) {
      unlock();
      return st;
    }
  }

  std::vector<ScoredPaper> scored;
  int64_t unscored = 0;     // the LLM never answered for them
  int64_t prefiltered = 0;  // left out by the lexical pre-filter
  for (const auto& [arxiv_id, score_json] : *scores) {
    auto p = papers->find(arxiv_id);
    absl::StatusOr<Score> score = ScoreFromJson(score_json);
    absl::StatusOr<Paper> paper =
        p == papers->end() ? absl::StatusOr<Paper>(absl::NotFoundError(
                                 "score for a paper not in the run"))
                           : PaperFromJson(p->second);
    if (!score.ok() || !paper.ok()) {
      LogError(
          "skipping unreadable run data",
          {{"run_id", run_id},
           {"arxiv_id", arxiv_id},
           {"error", std::string(!score.ok() ? score.status().message()
                                             : paper.status().message())}});
      continue;
    }
    if (score->prefiltered) {
      ++prefiltered;
    } else if (!score->scored) {
      ++unscored;
    }
    scored.push_back(ScoredPaper{*std::move(paper), *std::move(score)});
  }
  TokenUsage total;
  for (const auto& [call_id, json] : *usage) {
    if (absl::StatusOr<TokenUsage> u = UsageFromJson(json); u.ok()) total += *u;
  }

  DigestHeader header;
  header.date = date;
  header.model = Field(*manifest, "model");
  if (header.model.empty()) header.model = config.selection.model;
  header.usage = total;
  header.total_papers = ToInt(*manifest, "total_papers");
  header.scanned_papers = ToInt(*manifest, "scanned_papers");
  header.prices = &prices_;

  PublishedDigest digest;
  digest.run_id = run_id;
  digest.profile = profile;
  digest.date = date;
  digest.version = static_cast<int>(*versions) + 1;
  digest.ranked = SelectAndRank(std::move(scored), config.filtering);
  digest.markdown = RenderDigestMarkdown(
      header, digest.ranked, BuildDigestPromptSection(config.prompts));
  digest.json = RenderDigestJson(digest.ranked);
  digest.html = RenderDigestHtml(header, digest.ranked);

  std::vector<std::pair<std::string, std::string>> done = {
      {"status", run_status::kPublished},
      {"profile", profile},
      {"digest_version", std::to_string(digest.version)},
      {"relevant_papers", std::to_string(digest.ranked.size())},
      {"unscored_papers", std::to_string(unscored)},
      {"prefiltered_papers", std::to_string(prefiltered)},
      {"prompt_tokens", std::to_string(total.prompt_tokens)},
      {"completion_tokens", std::to_string(total.completion_tokens)},
      {"cached_tokens", std::to_string(total.cached_tokens)}};
  if (absl::Status s = StoreVersion(digest, done); !s.ok()) {
    metrics_.publish_errors.Increment();
    unlock();
    return s;
  }
  Cost cost = ComputeCost(prices_, header.model, total);
  done.emplace_back("cost_usd", absl::StrCat(cost.prompt + cost.completion));
  // The status flip comes last: "published" means everything is in place.
  if (absl::Status s = redis_.HSet(keys::Run(run_id), done); !s.ok()) {
    unlock();
    return s;
  }
  redis_.Del(version_lock).IgnoreError();
  metrics_.digests_published.Increment();
  metrics_.relevant_papers.Set(static_cast<double>(digest.ranked.size()));
  metrics_.cost_usd.Increment(cost.prompt + cost.completion);
  metrics_.publish_duration.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
  if (!cost.known_model) {
    LogWarning("no price for the model; cost shown as 0",
               {{"model", header.model}});
  }
  LogInfo("digest published",
          {{"run_id", run_id},
           {"profile", profile},
           {"date", date},
           {"version", std::to_string(digest.version)},
           {"relevant_papers", std::to_string(digest.ranked.size())},
           {"unscored_papers", std::to_string(unscored)}});
  // Delivery after the fact: a failing Slack or mail server never holds
  // back the digest itself, and one sink's failure does not stop another.
  std::vector<DigestSink*> sinks;
  if (sinks_) sinks = sinks_(profile);
  for (DigestSink* sink : sinks) {
    if (absl::Status s = sink->Deliver(digest); !s.ok()) {
      metrics_.delivery_errors.Add({{"sink", sink->name()}}).Increment();
      LogError("delivery failed", {{"run_id", run_id},
                                   {"sink", sink->name()},
                                   {"error", std::string(s.message())}});
    } else {
      metrics_.deliveries.Add({{"sink", sink->name()}}).Increment();
    }
  }
  return true;
}

}  // namespace arxiv_digest
