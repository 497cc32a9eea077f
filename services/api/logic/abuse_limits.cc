#include "services/api/logic/abuse_limits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/core/ids.h"
#include "lib/core/string_view.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {

std::string LimitSubject(const ApiClient& client, std::string_view peer) {
  if (client.name != kAnonymousClient || peer.empty()) return client.name;
  std::string_view host = peer;
  // "ipv6:[::1]:5678" keeps its brackets; the port follows the last colon.
  const size_t colon = host.rfind(':');
  const size_t scheme = host.find(':');
  if (colon != std::string_view::npos && colon != scheme) {
    host = host.substr(0, colon);
  }
  return absl::StrCat(kAnonymousClient, "@", AsAbsl(host));
}

std::chrono::milliseconds FullRefill(std::chrono::seconds interval, int burst) {
  constexpr int64_t kYearSeconds = int64_t{365} * 24 * 3600;
  const int64_t seconds =
      std::min<int64_t>(kYearSeconds, std::max<int64_t>(0, interval.count()) *
                                          std::max(0, burst));
  return std::chrono::seconds(seconds);
}

std::string RetryIn(std::chrono::milliseconds wait) {
  const int64_t seconds = std::max<int64_t>(1, (wait.count() + 999) / 1000);
  return absl::StrCat("retry in ", seconds, " s");
}

absl::Status LimitReached(std::string_view what, std::string_view subject,
                          std::chrono::milliseconds wait) {
  return absl::ResourceExhaustedError(
      absl::StrCat(AsAbsl(what), " of client '", AsAbsl(subject), "' reached; ",
                   RetryIn(wait)));
}

absl::Status CheckRescoreRequest(const RescoreTarget& target,
                                 const RescoreResult& planned,
                                 const AbuseLimits& limits,
                                 int max_range_days) {
  if (limits.max_papers_per_request > 0 &&
      planned.papers > limits.max_papers_per_request) {
    return absl::InvalidArgumentError(
        absl::StrCat("Rescore of ", planned.papers, " papers; at most ",
                     limits.max_papers_per_request, " papers per request"));
  }
  if (limits.max_tokens_per_request > 0 &&
      planned.estimated_prompt_tokens > limits.max_tokens_per_request) {
    return absl::InvalidArgumentError(
        absl::StrCat("Rescore of about ", planned.estimated_prompt_tokens,
                     " prompt tokens; at most ", limits.max_tokens_per_request,
                     " per request"));
  }
  if (target.kind == RescoreTarget::Kind::kIds && !planned.dates.empty()) {
    // Dates are in ascending order (PlanJobs); an undated source counts as
    // no span rather than as an error.
    auto [first, last] =
        std::minmax_element(planned.dates.begin(), planned.dates.end());
    if (ids::IsValidDate(*first) && ids::IsValidDate(*last)) {
      const int days = DaysBetween(*first, *last) + 1;
      if (days > max_range_days) {
        return absl::InvalidArgumentError(absl::StrCat(
            "papers: the ids span ", days, " days (", *first, " to ", *last,
            "); at most ", max_range_days, " days per request"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest::api
