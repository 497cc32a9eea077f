#include "services/fetcher/logic/fetcher_options.h"

#include "absl/status/statusor.h"
#include "lib/core/flags.h"
#include "services/fetcher/logic/backfill.h"

namespace arxiv_digest {

const char kFetcherUsage[] =
    "usage: fetcher [--configs DIR] [--once] [--force] [--interval-seconds N]\n"
    "               [--ids ID,ID,...] [--from YYYY-MM-DD [--until "
    "YYYY-MM-DD]]\n"
    "               [--admin-port N] [--admin-host H]\n"
    "  --once    fetch once, print run_id=…, status=…, date=… (and reason=…), "
    "exit\n"
    "  --force   re-run: ignore the last run's feed date, conditional GET and\n"
    "            de-duplication against papers already delivered\n"
    "  --ids     backfill: score these papers (arXiv query API), then exit\n"
    "  --from/--until  backfill: the configured categories' papers announced\n"
    "            in that date range (OAI-PMH), then exit\n"
    "Without --once it fetches every --interval-seconds and, in between,\n"
    "serves TriggerRun requests of the api (stream arxiv:triggers);\n"
    "  --triggers-only  serve only those (when something else schedules\n"
    "                   the daily fetch, e.g. a CronJob with --once)\n"
    "  --consumer NAME  its name in the fetchers group (default host-pid)\n"
    "Environment: REDIS_URL, ARXIV_RSS_URL (http(s):// or file:// base),\n"
    "             ARXIV_API_URL, ARXIV_OAI_URL\n";

namespace {

ParsedFetcherOptions Fail(std::string message, bool show_usage = false) {
  ParsedFetcherOptions out;
  out.error = FetcherOptionsError{std::move(message), show_usage};
  return out;
}

}  // namespace

const std::set<std::string>& FetcherValueFlags() {
  static const std::set<std::string> flags = {
      "--configs", "--admin-port", "--admin-host", "--interval-seconds",
      "--ids",     "--from",       "--until",      "--consumer"};
  return flags;
}

const std::set<std::string>& FetcherSwitchFlags() {
  static const std::set<std::string> flags = {"--once", "--force",
                                              "--triggers-only", "--help"};
  return flags;
}

ParsedFetcherOptions ParseFetcherOptions(int argc, char** argv) {
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags(argc, argv, 1, FetcherValueFlags(), FetcherSwitchFlags());
  if (!flags.ok()) {
    return Fail(std::string(flags.status().message()), /*show_usage=*/true);
  }
  return FetcherOptionsFromFlags(*flags);
}

ParsedFetcherOptions FetcherOptionsFromFlags(const ParsedFlags& flags) {
  FetcherOptions o;
  if (flags.Has("--help")) {
    // Nothing else is checked: --help always answers.
    o.help = true;
    return ParsedFetcherOptions{std::move(o), std::nullopt};
  }
  absl::StatusOr<int> admin_port = flags.GetInt("--admin-port", 9101);
  absl::StatusOr<int> interval = flags.GetInt("--interval-seconds", 3600);
  if (!admin_port.ok()) return Fail(std::string(admin_port.status().message()));
  if (*admin_port < 0) return Fail("--admin-port must be at least 0");
  if (!interval.ok() || *interval <= 0) {
    return Fail("--interval-seconds must be a positive integer");
  }
  o.admin_port = *admin_port;
  o.interval = std::chrono::seconds(*interval);
  if (!flags.Get("--ids").empty()) {
    absl::StatusOr<std::vector<std::string>> ids =
        ParseIdList(flags.Get("--ids"));
    if (!ids.ok()) return Fail(std::string(ids.status().message()));
    o.ids = *std::move(ids);
  }
  o.from = flags.Get("--from");
  o.until = flags.Get("--until");
  if (!o.until.empty() && o.from.empty()) return Fail("--until needs --from");
  if (!o.from.empty()) {
    if (o.until.empty()) o.until = o.from;
    if (absl::Status s = ValidateDateRange(o.from, o.until); !s.ok()) {
      return Fail(std::string(s.message()));
    }
  }
  if (!o.ids.empty() && !o.from.empty()) {
    return Fail("--ids and --from are exclusive");
  }
  o.configs = flags.Get("--configs", "configs");
  o.admin_host = flags.Get("--admin-host", "0.0.0.0");
  if (flags.values.count("--consumer") > 0) {
    o.consumer = flags.Get("--consumer");
  }
  o.once = flags.Has("--once") || o.backfill();
  o.force = flags.Has("--force");
  o.triggers_only = flags.Has("--triggers-only") && !o.once;
  return ParsedFetcherOptions{std::move(o), std::nullopt};
}

}  // namespace arxiv_digest
