#include "services/scorer/logic/scorer_flags.h"

#include "absl/strings/str_cat.h"

namespace arxiv_digest {

const char kScorerUsage[] =
    "usage: scorer [--configs DIR] [--consumer NAME] [--admin-port N]\n"
    "              [--claim-idle-ms N] [--max-deliveries N]\n"
    "              [--batch-fill-ms N]  (wait to fill a partial batch; 300)\n"
    "Environment: REDIS_URL, OPENAI_API_KEY, OPENAI_BASE_URL,\n"
    "  OPENAI_EXTRA_HEADERS, SCORER_BACKEND=openai (default) | lexical\n"
    "  (built-in local scorer, no API key or network needed)\n";

std::set<std::string> ScorerValueFlags() {
  return {"--consumer", "--claim-idle-ms", "--max-deliveries",
          "--batch-fill-ms"};
}

absl::StatusOr<ScorerFlags> ReadScorerFlags(
    const ParsedFlags& flags, const std::string& default_consumer) {
  ScorerFlags f;
  f.consumer = flags.Get("--consumer", default_consumer);
  // Checked here (not only when the admin server starts) so that every bad
  // number is reported the same way: the message alone, no usage.
  for (auto [name, value] : {std::pair{"--admin-port", &f.admin_port},
                             std::pair{"--claim-idle-ms", &f.claim_idle_ms},
                             std::pair{"--max-deliveries", &f.max_deliveries},
                             std::pair{"--batch-fill-ms", &f.batch_fill_ms}}) {
    absl::StatusOr<int> v = flags.GetInt(name, *value);
    if (!v.ok()) return v.status();
    // 0 is documented for --claim-idle-ms (never claim) and
    // --max-deliveries (no limit); a negative number would switch those
    // limits off without saying so.
    if (*v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be at least 0 (got ", *v, ")"));
    }
    *value = *v;
  }
  return f;
}

absl::StatusOr<std::string> ChooseBackend(const std::string& backend_env,
                                          const std::string& api_key) {
  std::string name = backend_env.empty() ? "openai" : backend_env;
  if (name != "openai" && name != "lexical") {
    return absl::InvalidArgumentError(
        absl::StrCat("SCORER_BACKEND: '", name, "' is not openai or lexical"));
  }
  if (name == "openai" && api_key.empty()) {
    return absl::InvalidArgumentError(
        "OPENAI_API_KEY: not set (or set SCORER_BACKEND=lexical for the "
        "built-in local scorer)");
  }
  return name;
}

bool LlmConfigUsable(const std::string& backend, const std::string& api_key,
                     const std::string& base_url) {
  if (backend == "lexical") return true;
  return backend == "openai" && !api_key.empty() && !base_url.empty();
}

}  // namespace arxiv_digest
