#include "services/publisher/adapters/run_publisher.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

RunPublisher::RunPublisher(RedisClient& redis, const Config& config,
                           std::string output_path, PublisherMetrics& metrics)
    : redis_(redis),
      config_(config),
      output_path_(std::move(output_path)),
      metrics_(metrics) {}

absl::StatusOr<bool> RunPublisher::TryPublish(const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> manifest =
      redis_.HGetAll(keys::Run(run_id));
  if (!manifest.ok()) return manifest.status();
  if (Field(*manifest, "status") != run_status::kFetched) return false;
  int64_t expected = ToInt(*manifest, "papers_to_score");
  absl::StatusOr<int64_t> have = redis_.HLen(keys::RunScores(run_id));
  if (!have.ok()) return have.status();
  if (expected < 0 || *have < expected) return false;

  absl::StatusOr<bool> locked = redis_.SetIfAbsent(
      keys::RunPublishLock(run_id), "1", std::chrono::minutes(2));
  if (!locked.ok()) return locked.status();
  if (!*locked) return false;  // another replica is on it

  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::map<std::string, std::string>> papers =
      redis_.HGetAll(keys::RunPapers(run_id));
  absl::StatusOr<std::map<std::string, std::string>> scores =
      redis_.HGetAll(keys::RunScores(run_id));
  absl::StatusOr<std::map<std::string, std::string>> usage =
      redis_.HGetAll(keys::RunUsage(run_id));
  for (const auto* r : {&papers, &scores, &usage}) {
    if (!r->ok()) {
      redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
      return r->status();
    }
  }

  std::vector<ScoredPaper> scored;
  int64_t unscored = 0;     // the LLM never answered for them
  int64_t prefiltered = 0;  // left out by the lexical pre-filter
  for (const auto& [arxiv_id, score_json] : *scores) {
    auto p = papers->find(arxiv_id);
    absl::StatusOr<Score> score = ScoreFromJson(score_json);
    absl::StatusOr<Paper> paper = p == papers->end()
                                      ? absl::StatusOr<Paper>(absl::NotFoundError(
                                            "score for a paper not in the run"))
                                      : PaperFromJson(p->second);
    if (!score.ok() || !paper.ok()) {
      LogError("skipping unreadable run data",
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
  header.date = Field(*manifest, "date");
  header.model = Field(*manifest, "model");
  if (header.model.empty()) header.model = config_.selection.model;
  header.usage = total;
  header.total_papers = ToInt(*manifest, "total_papers");
  header.scanned_papers = ToInt(*manifest, "scanned_papers");

  std::vector<ScoredPaper> ranked =
      SelectAndRank(std::move(scored), config_.filtering);
  std::string markdown = RenderDigestMarkdown(
      header, ranked, BuildDigestPromptSection(config_.prompts));
  std::string json = RenderDigestJson(ranked);
  std::string html = RenderDigestHtml(header, ranked);

  std::string dir = output_path_;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  std::vector<std::pair<std::string, std::string>> done = {
      {"status", run_status::kPublished},
      {"relevant_papers", std::to_string(ranked.size())},
      {"unscored_papers", std::to_string(unscored)},
      {"prefiltered_papers", std::to_string(prefiltered)},
      {"prompt_tokens", std::to_string(total.prompt_tokens)},
      {"completion_tokens", std::to_string(total.completion_tokens)},
      {"cached_tokens", std::to_string(total.cached_tokens)}};
  struct Output {
    bool enabled;
    const char* ext;
    const std::string* text;
    const char* field;
  };
  for (const Output& o :
       {Output{config_.output.dump_md, "md", &markdown, "md_path"},
        Output{config_.output.dump_json, "json", &json, "json_path"},
        Output{true, "html", &html, "html_path"}}) {
    if (!o.enabled) continue;
    std::string path = absl::StrCat(dir, header.date, ".", o.ext);
    if (absl::Status s = WriteFileAtomically(path, *o.text); !s.ok()) {
      metrics_.publish_errors.Increment();
      redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
      return s;
    }
    done.emplace_back(o.field, path);
    if (absl::Status s = redis_.Set(keys::Digest("default", header.date, o.ext),
                                    *o.text);
        !s.ok()) {
      redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
      return s;
    }
  }
  Cost cost = ComputeCost(header.model, total);
  done.emplace_back("cost_usd", absl::StrCat(cost.prompt + cost.completion));
  // The status flip comes last: "published" means every file is in place.
  if (absl::Status s = redis_.HSet(keys::Run(run_id), done); !s.ok()) {
    redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
    return s;
  }
  metrics_.digests_published.Increment();
  metrics_.relevant_papers.Set(static_cast<double>(ranked.size()));
  metrics_.cost_usd.Increment(cost.prompt + cost.completion);
  metrics_.publish_duration.Observe(std::chrono::duration<double>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
  if (!cost.known_model) {
    LogWarning("no price for the model; cost shown as 0",
               {{"model", header.model}});
  }
  LogInfo("digest published",
          {{"run_id", run_id},
           {"date", header.date},
           {"relevant_papers", std::to_string(ranked.size())},
           {"unscored_papers", std::to_string(unscored)},
      {"prefiltered_papers", std::to_string(prefiltered)},
           {"markdown", absl::StrCat(dir, header.date, ".md")}});
  return true;
}

}  // namespace arxiv_digest
