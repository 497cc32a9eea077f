#include "services/scorer/logic/title_stage.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "lib/prompt/title_prompt.h"
#include "services/scorer/logic/adaptive_batch.h"
#include "services/scorer/logic/title_reply_parser.h"

namespace arxiv_digest {

bool IsTransientCallError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<TitleStageResult> LlmTitleStage::Filter(
    const std::vector<Paper>& papers, int batch_size) {
  TitleStageResult result;
  for (const std::vector<Paper>& batch : SplitIntoBatches(papers, batch_size)) {
    std::vector<std::string> titles;
    std::set<std::string> in_batch;
    for (const Paper& p : batch) {
      titles.push_back(PaperToTitleString(p));
      in_batch.insert(p.arxiv_id);
    }
    const std::string prompt = BuildTitlePrompt(prompts_, titles);
    std::optional<std::set<std::string>> drop;
    for (int attempt = 0; attempt <= retries_ && !drop; ++attempt) {
      absl::StatusOr<ChatCompletion> reply = llm_.Complete(prompt);
      if (!reply.ok()) {
        if (IsTransientCallError(reply.status())) return reply.status();
        result.errors.push_back(
            absl::StrCat("title call failed: ", reply.status().message()));
        continue;
      }
      result.calls.push_back(reply->usage);
      absl::StatusOr<TitleReply> parsed = ParseTitleReply(reply->content);
      if (!parsed.ok()) {
        result.errors.push_back(std::string(parsed.status().message()));
        continue;
      }
      drop.emplace();
      for (const std::string& id : parsed->ids) {
        if (in_batch.count(id)) {
          drop->insert(id);
        } else {
          result.errors.push_back(
              absl::StrCat("title reply names a paper not in the batch: ", id));
        }
      }
    }
    for (const Paper& p : batch) {
      if (drop && drop->count(p.arxiv_id)) {
        Score s;
        s.arxiv_id = p.arxiv_id;
        s.comment = kTitleFilteredComment;
        s.filtered = true;
        result.dropped.push_back(std::move(s));
      } else {
        if (!drop) result.passed_on.push_back(p.arxiv_id);
        result.kept.push_back(p);
      }
    }
  }
  return result;
}

}  // namespace arxiv_digest
