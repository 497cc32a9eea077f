// What the seed tool's selection stages cost and keep, against the seed
// tool's own figures (the header of its real digest of the same day,
// tests/fixtures/reference/digest-<day>.md), on every bundled day.
//
// Baselines: the seed tool's header, and its own control flow replayed on
// the same answers (bench/seed_tool_replay.h). Our configurations, all
// through the scorer's own code in process
// (feeds -> fetcher parser and selection with the shipped configs/ ->
// stage_pipeline's ScorePapers per stream read, sizes as the scorer
// computes them):
//   off      every paper's abstract to the LLM, batches of 5 (the shipped
//            defaults: no title stage, no adaptive sizes, no pre-filter);
//   seed     the seed tool's config.ini: title stage (batch 8, retry 3),
//            abstract batch 4, adaptive sizes (threshold 32), its prompt
//            order; h-index off (no recorded Semantic Scholar answers);
//   seed+pf  seed plus the lexical pre-filter (prefilter_keep_share).
// The LLM is the test stub's reply and token functions (tokens =
// ceil(bytes / 4), cached = the static head before "## Papers" in
// 128-token steps from 1024 tokens). Title prompts are answered by one of
// two deterministic title models:
//   stub     tests/support's StubTitleReplyContent (drops ids whose stub
//            relevance is < 4: about 30%, never a paper the stub scores
//            into the digest);
//   lexical  the lexical scorer on the title alone: drops titles with no
//            topic keyword at all (relevance below --title-min).
// Recall is the share of the reference digest's picks (that this day's
// selection contains) still reaching the abstract stage: GPT-4o's own
// picks, which its title stage kept by construction.
//
//   bench_stage_tokens [--days 2025-04-08,2025-04-15] [--keep-share 0.5]
//                      [--title-min 2] [--out DIR]
//                      [--llm-url https://api.openai.com/v1 [--model M]]
// With --llm-url a real model answers (key from OPENAI_API_KEY): the seed
// tool replayed, the seed stages and seed+pf are measured on its choices
// and its provider's token counts.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/in_process_stub.h"
#include "bench/report.h"
#include "bench/sample_day.h"
#include "bench/seed_tool_replay.h"
#include "lib/config/config.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/prompt/prompt_builder.h"
#include "lib/prompt/seed_prompt.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/scorer/adapters/llm_transport.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/logic/adaptive_batch.h"
#include "services/scorer/logic/lexical_scorer.h"
#include "services/scorer/logic/prefilter.h"
#include "services/scorer/logic/stage_pipeline.h"
#include "services/scorer/logic/stream_read_batch.h"
#include "tests/support/digest_expectations.h"
#include "tests/support/openai_stub.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::bench {
namespace {

// gpt-4o in configs/model_prices.ini, $ per million tokens.
constexpr double kPromptPrice = 2.5;
constexpr double kCachedPrice = 1.25;
constexpr double kCompletionPrice = 10;

enum class TitleModel { kStub, kLexical, kLexicalTop };

// An in-process LLM answering like the stub and counting tokens per stage.
class StageLlm : public LlmClient {
 public:
  StageLlm(TitleModel model, const LexicalScorer& lexical,
           const std::map<std::string, const Paper*>& papers, int title_min,
           const std::set<std::string>* keep = nullptr)
      : model_(model),
        lexical_(lexical),
        papers_(papers),
        title_min_(title_min),
        keep_(keep) {}

  // With a live model (--llm-url) its answers and its provider's token
  // counts replace the stub's.
  void set_live(LlmClient* live) { live_ = live; }

  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override {
    const std::vector<std::string> ids = testing::ExtractPromptArxivIds(prompt);
    const bool title = testing::IsTitlePrompt(prompt);
    ChatCompletion c;
    if (live_ != nullptr) {
      absl::StatusOr<ChatCompletion> answer = live_->Complete(prompt);
      if (!answer.ok()) return answer.status();
      c = *std::move(answer);
    } else {
      // The stub's own answer, but for the lexical title models.
      testing::StubAnswer a;
      if (title && model_ != TitleModel::kStub) {
        a.content = LexicalTitleReply(ids);
        a.usage = testing::StubUsageFor(prompt, a.content);
      } else {
        a = testing::StubAnswerFor(prompt);
      }
      c = ToChatCompletion(std::move(a));
    }
    (title ? title_usage : abstract_usage) += c.usage;
    ++(title ? title_calls : abstract_calls);
    if (!title) {
      for (const std::string& id : ids) reached_abstract.insert(id);
    }
    return c;
  }

  int64_t title_calls = 0, abstract_calls = 0;
  TokenUsage title_usage, abstract_usage;
  std::set<std::string> reached_abstract;

 private:
  std::string LexicalTitleReply(const std::vector<std::string>& ids) {
    std::vector<std::string> drop;
    if (model_ == TitleModel::kLexicalTop) {
      for (const std::string& id : ids) {
        if (keep_ != nullptr && !keep_->count(id)) {
          drop.push_back(absl::StrCat("\"", id, "\""));
        }
      }
      return absl::StrCat("[", absl::StrJoin(drop, ", "), "]");
    }
    for (const std::string& id : ids) {
      auto p = papers_.find(id);
      if (p == papers_.end()) continue;
      Paper title_only;
      title_only.title = p->second->title;
      if (lexical_.ScorePaper(title_only).relevance < title_min_) {
        drop.push_back(absl::StrCat("\"", id, "\""));
      }
    }
    return absl::StrCat("[", absl::StrJoin(drop, ", "), "]");
  }

  TitleModel model_;
  const LexicalScorer& lexical_;
  const std::map<std::string, const Paper*>& papers_;
  int title_min_;
  const std::set<std::string>* keep_;
  LlmClient* live_ = nullptr;
};

// The ids a title model keeping only the top `share` of the day would keep:
// ranked by the lexical scorer on the title alone, ties in feed order.
std::set<std::string> TopTitles(const std::vector<Paper>& papers,
                                const LexicalScorer& lexical, double share) {
  std::vector<std::pair<int, size_t>> ranked;
  for (size_t i = 0; i < papers.size(); ++i) {
    Paper title_only;
    title_only.title = papers[i].title;
    ranked.emplace_back(-lexical.ScorePaper(title_only).relevance, i);
  }
  std::sort(ranked.begin(), ranked.end());
  const auto keep = static_cast<size_t>(
      std::ceil(share * static_cast<double>(papers.size())));
  std::set<std::string> out;
  for (size_t k = 0; k < keep && k < ranked.size(); ++k) {
    out.insert(papers[ranked[k].second].arxiv_id);
  }
  return out;
}

// The seed tool's header of its digest of that day: prompt and completion
// tokens and total cost ("| **Token** | 51438 | 7285 | ...").
struct SeedHeader {
  int64_t prompt = 0, completion = 0;
  std::string cost;
};

SeedHeader ReadSeedHeader(const std::string& md) {
  SeedHeader h;
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    if (cells.size() < 5) continue;
    for (std::string& c : cells) c = std::string(absl::StripAsciiWhitespace(c));
    if (cells[1] == "**Token**") {
      (void)absl::SimpleAtoi(cells[2], &h.prompt);
      (void)absl::SimpleAtoi(cells[3], &h.completion);
    } else if (cells[1] == "**Cost**") {
      h.cost = cells[4];
    }
  }
  return h;
}

enum class Order { kCacheFriendly, kSeed, kReference };

struct Variant {
  std::string name;
  bool seed_stages = false;
  double keep_share = 0;
  TitleModel title = TitleModel::kStub;
  Order order = Order::kCacheFriendly;
  double title_keep = 1;  // kLexicalTop: share of the day the titles keep
  // The seed tool's own control flow (bench/seed_tool_replay.h) instead of
  // the scorer's ScorePapers, on the same title model and stub answers.
  bool replay = false;
};

struct Result {
  int64_t title_calls = 0, abstract_calls = 0;
  TokenUsage title_usage, abstract_usage;
  int64_t to_title = 0, to_abstract = 0;
  int64_t reference_kept = 0;
  TokenUsage total() const {
    TokenUsage t = title_usage;
    t += abstract_usage;
    return t;
  }
  double cost() const {
    const TokenUsage t = total();
    return ((t.prompt_tokens - t.cached_tokens) * kPromptPrice +
            t.cached_tokens * kCachedPrice +
            t.completion_tokens * kCompletionPrice) /
           1e6;
  }
};

Config VariantConfig(const Config& shipped, const Variant& v) {
  Config c = shipped;
  c.selection.run_author_match = false;  // as bench_prefilter: all to LLM
  c.selection.prefilter_keep_share = v.keep_share;
  if (v.seed_stages) {
    // The seed tool's config.ini (../shared/fixtures/anchor-configs/
    // DaizeDong-ChatGPT-ArXiv-Paper-Assistant/configs/config.ini).
    c.selection.run_title_filter = true;
    c.selection.title_batch_size = 8;
    c.selection.title_retry = 3;
    c.selection.abstract_batch_size = 4;
    c.selection.abstract_retry = 3;
    c.selection.adaptive_batch_size = true;
    c.selection.adaptive_threshold = 32;
  }
  return c;
}

Result RunVariant(const std::vector<Paper>& papers, const Config& shipped,
                  const LexicalScorer& lexical,
                  const std::set<std::string>& reference, const Variant& v,
                  int title_min, LlmClient* live) {
  const Config config = VariantConfig(shipped, v);
  std::map<std::string, const Paper*> by_id;
  for (const Paper& p : papers) by_id[p.arxiv_id] = &p;
  const std::set<std::string> keep =
      v.title == TitleModel::kLexicalTop
          ? TopTitles(papers, lexical, v.title_keep)
          : std::set<std::string>();
  StageLlm llm(v.title, lexical, by_id, title_min, &keep);
  llm.set_live(live);
  if (v.replay) {
    const SeedReplayResult replay = ReplaySeedTool(papers, config, llm);
    Result r;
    r.title_calls = replay.title_calls;
    r.abstract_calls = replay.abstract_calls;
    r.title_usage = replay.title_usage;
    r.abstract_usage = replay.abstract_usage;
    r.to_title = static_cast<int64_t>(papers.size());
    r.to_abstract = static_cast<int64_t>(replay.reached_abstract.size());
    for (const std::string& id : reference) {
      if (replay.reached_abstract.count(id)) ++r.reference_kept;
    }
    return r;
  }
  LlmScoringBackend backend(
      config.prompts, config.selection.model, config.selection.abstract_retry,
      llm, v.order == Order::kCacheFriendly, config.selection.title_retry);
  if (v.order == Order::kSeed)
    backend.set_prompt_builder(BuildSeedScoringPrompt);
  std::optional<Prefilter> filter;
  PrefilterFn prefilter;
  int64_t prefiltered = 0;
  if (v.keep_share > 0) {
    std::vector<int> relevances;
    for (const Paper& p : papers) {
      relevances.push_back(lexical.ScorePaper(p).relevance);
    }
    filter.emplace(lexical, PrefilterThreshold(relevances, v.keep_share));
    prefilter = [&](const Paper& p) {
      std::optional<Score> s = filter->Apply(p);
      if (s) ++prefiltered;
      return s;
    };
  }
  const SelectionConfig& sel = config.selection;
  SelectionStages stages;
  stages.prefilter = prefilter;
  stages.title = backend.title_stage();
  // As the scorer's StagesFor: base sizes, each stage sized by the papers
  // entering it, scaled from the read to the whole day.
  stages.title_batch_size = sel.title_batch_size;
  stages.abstract_batch_size = sel.abstract_batch_size;
  stages.adaptive = sel.adaptive_batch_size;
  stages.adaptive_threshold = sel.adaptive_threshold;
  stages.run_papers = static_cast<int64_t>(papers.size());
  // One replica's reads, in stream order.
  const size_t read = static_cast<size_t>(StreamReadBatch(sel));
  for (size_t i = 0; i < papers.size(); i += read) {
    std::vector<Paper> chunk(
        papers.begin() + i, papers.begin() + std::min(papers.size(), i + read));
    absl::StatusOr<BatchOutcome> out =
        ScorePapers(chunk, config, backend, nullptr, stages);
    if (!out.ok()) {
      std::fprintf(stderr, "ScorePapers: %s\n",
                   std::string(out.status().message()).c_str());
      std::exit(1);
    }
  }
  Result r;
  r.title_calls = llm.title_calls;
  r.abstract_calls = llm.abstract_calls;
  r.title_usage = llm.title_usage;
  r.abstract_usage = llm.abstract_usage;
  r.to_title =
      v.seed_stages ? static_cast<int64_t>(papers.size()) - prefiltered : 0;
  r.to_abstract = static_cast<int64_t>(llm.reached_abstract.size());
  for (const std::string& id : reference) {
    if (llm.reached_abstract.count(id)) ++r.reference_kept;
  }
  return r;
}

int Main(int argc, char** argv) {
  std::vector<std::string> days = absl::StrSplit(
      FlagValue(argc, argv, "--days", "2025-04-08,2025-04-15"), ',');
  double keep_share = 0.5;
  int title_min = 2;
  if (!absl::SimpleAtod(FlagValue(argc, argv, "--keep-share", "0.5"),
                        &keep_share) ||
      !absl::SimpleAtoi(FlagValue(argc, argv, "--title-min", "2"),
                        &title_min)) {
    return 2;
  }
  absl::StatusOr<Config> config =
      LoadConfig(ARXIV_DIGEST_SOURCE_DIR "/configs");
  if (!config.ok()) {
    std::fprintf(stderr, "configs: %s\n",
                 std::string(config.status().message()).c_str());
    return 1;
  }
  if (config->prompts.title_postfix.empty()) {
    std::fprintf(stderr, "configs/postfix_prompt_title.txt is missing\n");
    return 1;
  }
  const LexicalScorer lexical(config->prompts.topics);
  // Each "replayed" row runs the seed tool's own control flow on the same
  // title model and stub answers as the rows after it, so the ratio to it
  // is ours vs theirs on equal decisions.
  const std::vector<Variant> variants = {
      {"off (batch 5)", false, 0, TitleModel::kStub, Order::kCacheFriendly},
      {"seed tool replayed, stub titles", true, 0, TitleModel::kStub,
       Order::kSeed, 1, true},
      {"seed, stub titles", true, 0, TitleModel::kStub, Order::kSeed},
      {"seed tool replayed, lexical titles", true, 0, TitleModel::kLexical,
       Order::kSeed, 1, true},
      {"seed, lexical titles", true, 0, TitleModel::kLexical, Order::kSeed},
      {"seed, lexical titles, cache-friendly order", true, 0,
       TitleModel::kLexical, Order::kCacheFriendly},
      {"seed, lexical titles, reference order", true, 0, TitleModel::kLexical,
       Order::kReference},
      {absl::StrCat("seed+pf ", keep_share, ", stub titles"), true, keep_share,
       TitleModel::kStub, Order::kSeed},
      {absl::StrCat("seed+pf ", keep_share, ", lexical titles"), true,
       keep_share, TitleModel::kLexical, Order::kSeed},
  };

  // --llm-url: a real OpenAI-compatible endpoint answers both stages
  // (OPENAI_API_KEY from the environment), so the seed stages and the seed
  // tool's own flow are measured on a real model's choices. Each day then
  // costs about three times the seed tool's bill.
  std::string llm_url = FlagValue(argc, argv, "--llm-url", "");
  // "--llm-url stub": the test stub over real HTTP, to check the live path
  // offline (its rows must equal the in-process stub-title rows).
  std::unique_ptr<testing::OpenAiStub> stub;
  if (llm_url == "stub") {
    absl::StatusOr<std::unique_ptr<testing::OpenAiStub>> started =
        testing::OpenAiStub::Start({});
    if (!started.ok()) {
      std::fprintf(stderr, "stub: %s\n",
                   std::string(started.status().message()).c_str());
      return 1;
    }
    stub = *std::move(started);
    llm_url = stub->base_url();
    setenv("OPENAI_API_KEY", stub->api_key().c_str(), 1);
  }
  std::unique_ptr<HttplibClient> live_http;
  std::unique_ptr<LlmClient> live;
  std::vector<Variant> live_variants;
  if (!llm_url.empty()) {
    config->selection.model =
        FlagValue(argc, argv, "--model", config->selection.model);
    live_http = std::make_unique<HttplibClient>(
        LlmTransportOptionsFor(config->selection));
    OpenAiClientOptions options;
    options.base_url = llm_url;
    const char* key = std::getenv("OPENAI_API_KEY");
    options.api_key = key != nullptr ? key : "";
    options.request.model = config->selection.model;
    options.shutdown_requested = [] { return false; };
    live = std::make_unique<OpenAiClient>(*live_http, std::move(options));
    const std::string tag =
        absl::StrCat(" (live ", config->selection.model, ")");
    live_variants = {
        {"seed tool replayed" + tag, true, 0, TitleModel::kStub, Order::kSeed,
         1, true},
        {"seed" + tag, true, 0, TitleModel::kStub, Order::kSeed},
        {absl::StrCat("seed+pf ", keep_share, tag), true, keep_share,
         TitleModel::kStub, Order::kSeed},
    };
  }

  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "stage_tokens");
  json.Key("days");
  json.StartArray();
  Table table({"day", "configuration", "papers to title / abstract",
               "LLM calls (title + abstract)", "prompt tokens", "cached",
               "completion", "cost (gpt-4o)", "vs seed tool's prompt tokens",
               "vs seed tool replayed (same answers)", "reference picks kept"});
  for (const std::string& day : days) {
    const Selection selection = SelectSampleDay(day, *config);
    const std::string md = testing::ReadFileOrEmpty(
        absl::StrCat(ARXIV_DIGEST_SOURCE_DIR,
                     "/tests/fixtures/reference/digest-", day, ".md"));
    const SeedHeader seed = ReadSeedHeader(md);
    std::set<std::string> selected;
    for (const Paper& p : selection.papers) selected.insert(p.arxiv_id);
    std::set<std::string> reference;
    for (const std::string& id : testing::MarkdownPaperOrder(md)) {
      if (selected.count(id)) reference.insert(id);
    }
    table.AddRow({day, "seed tool (its digest header)", "", "",
                  absl::StrCat(seed.prompt), "", absl::StrCat(seed.completion),
                  seed.cost, "1.00", "", "(its own picks)"});
    json.StartObject();
    json.Key("day");
    json.String(day.c_str());
    json.Key("papers_to_score");
    json.Int64(static_cast<int64_t>(selection.papers.size()));
    json.Key("seed_tool_prompt_tokens");
    json.Int64(seed.prompt);
    json.Key("seed_tool_completion_tokens");
    json.Int64(seed.completion);
    json.Key("reference_picks_in_selection");
    json.Int64(static_cast<int64_t>(reference.size()));
    json.Key("configurations");
    json.StartArray();
    std::map<TitleModel, int64_t> replayed;  // prompt tokens per title model
    for (const Variant& v : live ? live_variants : variants) {
      const Result r = RunVariant(selection.papers, *config, lexical, reference,
                                  v, title_min, live.get());
      const TokenUsage t = r.total();
      const double ratio =
          seed.prompt > 0 ? static_cast<double>(t.prompt_tokens) / seed.prompt
                          : 0;
      if (v.replay) replayed[v.title] = t.prompt_tokens;
      double vs_replay = 0;
      if (v.seed_stages && replayed.count(v.title) && replayed[v.title] > 0) {
        vs_replay = static_cast<double>(t.prompt_tokens) /
                    static_cast<double>(replayed[v.title]);
      }
      table.AddRow({day, v.name,
                    absl::StrCat(v.seed_stages ? absl::StrCat(r.to_title) : "-",
                                 " / ", r.to_abstract),
                    absl::StrCat(r.title_calls, " + ", r.abstract_calls),
                    absl::StrCat(t.prompt_tokens),
                    absl::StrCat(t.cached_tokens),
                    absl::StrCat(t.completion_tokens), "$" + Fixed(r.cost(), 2),
                    Fixed(ratio, 2),
                    vs_replay > 0 ? Fixed(vs_replay, 2) : std::string("-"),
                    absl::StrCat(r.reference_kept, " / ", reference.size())});
      json.StartObject();
      json.Key("name");
      json.String(v.name.c_str());
      json.Key("papers_to_title");
      json.Int64(r.to_title);
      json.Key("papers_to_abstract");
      json.Int64(r.to_abstract);
      json.Key("title_calls");
      json.Int64(r.title_calls);
      json.Key("abstract_calls");
      json.Int64(r.abstract_calls);
      json.Key("title_prompt_tokens");
      json.Int64(r.title_usage.prompt_tokens);
      json.Key("prompt_tokens");
      json.Int64(t.prompt_tokens);
      json.Key("cached_tokens");
      json.Int64(t.cached_tokens);
      json.Key("completion_tokens");
      json.Int64(t.completion_tokens);
      json.Key("cost_usd");
      json.Double(r.cost());
      json.Key("prompt_tokens_vs_seed_tool");
      json.Double(ratio);
      json.Key("prompt_tokens_vs_seed_replay");
      json.Double(vs_replay);
      json.Key("reference_picks_kept");
      json.Int64(r.reference_kept);
      json.EndObject();
    }
    // How selective must the title stage be to spend what the seed tool
    // spent (and half of it with the pre-filter)? The largest share a
    // lexical title model may keep within that budget, and what it keeps.
    for (const bool pf : {false, true}) {
      if (live) break;  // a stand-in title model: offline only
      const double budget = (pf ? 0.5 : 1.0) * static_cast<double>(seed.prompt);
      std::optional<std::pair<Variant, Result>> best;
      for (int pct = 100; pct >= 5; pct -= 5) {
        Variant v{"",
                  true,
                  pf ? keep_share : 0,
                  TitleModel::kLexicalTop,
                  Order::kSeed,
                  pct / 100.0};
        const Result r = RunVariant(selection.papers, *config, lexical,
                                    reference, v, title_min, nullptr);
        if (static_cast<double>(r.total().prompt_tokens) <= budget) {
          v.name = absl::StrCat(
              pf ? absl::StrCat("seed+pf ", keep_share) : std::string("seed"),
              ", titles keep top ", pct, "% (largest within ",
              pf ? "0.5x " : "", "the seed tool's tokens)");
          best.emplace(v, r);
          break;
        }
      }
      if (!best) continue;
      const Result& r = best->second;
      const TokenUsage t = r.total();
      table.AddRow(
          {day, best->first.name,
           absl::StrCat(r.to_title, " / ", r.to_abstract),
           absl::StrCat(r.title_calls, " + ", r.abstract_calls),
           absl::StrCat(t.prompt_tokens), absl::StrCat(t.cached_tokens),
           absl::StrCat(t.completion_tokens), "$" + Fixed(r.cost(), 2),
           Fixed(static_cast<double>(t.prompt_tokens) / seed.prompt, 2), "-",
           absl::StrCat(r.reference_kept, " / ", reference.size())});
      json.StartObject();
      json.Key("name");
      json.String(best->first.name.c_str());
      json.Key("title_keep_share");
      json.Double(best->first.title_keep);
      json.Key("prompt_tokens");
      json.Int64(t.prompt_tokens);
      json.Key("llm_calls");
      json.Int64(r.title_calls + r.abstract_calls);
      json.Key("cost_usd");
      json.Double(r.cost());
      json.Key("reference_picks_kept");
      json.Int64(r.reference_kept);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    std::printf(
        "%s: %zu papers to score; the seed tool's digest: %lld prompt tokens; "
        "%zu of its picks in this selection\n",
        day.c_str(), selection.papers.size(),
        static_cast<long long>(seed.prompt), reference.size());
  }
  json.EndArray();
  json.EndObject();
  std::printf("\n### Selection stages vs the seed tool\n\n%s",
              table.Markdown().c_str());
  WriteJsonResult(argc, argv, "stage_tokens", buffer);
  return 0;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  return arxiv_digest::bench::Main(argc, argv);
}
