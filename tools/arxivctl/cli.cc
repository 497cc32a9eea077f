#include "tools/arxivctl/cli.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "arxiv_digest.grpc.pb.h"
#include "lib/app/build_info.h"
#include "lib/core/flags.h"
#include "tools/arxivctl/progress_bar.h"

namespace arxiv_digest::arxivctl {
namespace {

constexpr char kUsage[] =
    "usage: arxivctl [--server HOST:PORT] [--token T] [--timeout S] [--tls]\n"
    "                [--ca-cert PEM] <command> [options]\n"
    "\n"
    "Commands:\n"
    "  trigger        queue a fetch (categories, date)\n"
    "  backfill       fetch the missed announcement days (--missing)\n"
    "  status RUN     show a run: status, counts, tokens, cost, progress\n"
    "  why RUN PAPER  why a paper is in or missing from a run's digest\n"
    "  rescore        re-score papers by ids, run or date range\n"
    "  watch JOB      follow a job until it is done\n"
    "  digest get     print or save a digest\n"
    "  digest list    list a profile's digests\n"
    "  profiles       list the profiles\n"
    "Run 'arxivctl <command> --help' for a command's options.\n"
    "\n"
    "Global options:\n"
    "  --server HOST:PORT  api address (env ARXIVCTL_SERVER, default\n"
    "                      localhost:50051)\n"
    "  --token T           bearer token (env ARXIVCTL_TOKEN)\n"
    "  --timeout S         deadline of each call in seconds (default 30)\n"
    "  --tls               use TLS; --ca-cert PEM for a private CA\n"
    "  --version           print the version and exit\n"
    "Exit codes: 0 ok, 1 server error, 2 usage, 3 not found, 4 auth.\n";

constexpr char kTriggerUsage[] =
    "usage: arxivctl trigger [--categories cs.LG,cs.CL+cs.LG] [--date "
    "YYYY-MM-DD]\n"
    "Queues a fetch for the fetcher and prints the run id. Without options:\n"
    "today's announcements of the configured categories. Needs an operator\n"
    "token.\n";
constexpr char kBackfillUsage[] =
    "usage: arxivctl backfill --missing\n"
    "Asks the fetcher to backfill, through OAI-PMH, the announcement days\n"
    "(Monday to Friday) of the last two weeks that have neither a run nor a\n"
    "published digest, as it does after every daily run, and prints the run\n"
    "id that reports what was backfilled. For explicit dates use\n"
    "'arxivctl trigger --date D'. Needs an operator token.\n";
constexpr char kStatusUsage[] =
    "usage: arxivctl status RUN_ID\n"
    "Prints the run's status (fetching, fetched, published, no_announcements,\n"
    "failed...), paper counts, how many papers each selection stage kept\n"
    "and dropped, tokens, cost and scoring progress.\n";
constexpr char kWhyUsage[] =
    "usage: arxivctl why RUN_ID ARXIV_ID\n"
    "Prints what happened to the paper in the run: the stage that decided\n"
    "(author_match, h_index, prefilter, cache, title, abstract, unscored,\n"
    "cutoff, no_record), kept or dropped and why, the best h-index when\n"
    "looked up, and its rank when it is in the digest. Exits 3 when the run\n"
    "or the paper is not found.\n";
constexpr char kRescoreUsage[] =
    "usage: arxivctl rescore (--ids ID,ID... | --run RUN_ID | --from DATE "
    "[--to DATE])\n"
    "                        [--profile NAME] [--topics-file FILE] "
    "[--dry-run]\n"
    "                        [--watch] [--watch-timeout S]\n"
    "Re-scores already fetched papers; each date becomes one job (a new run)\n"
    "and a new digest version. --topics-file replaces the profile's topics "
    "for\n"
    "this job. --dry-run only reports the paper count and a token estimate.\n"
    "--watch follows the jobs with a progress bar. Needs an operator token\n"
    "(a reader token is enough for --dry-run).\n";
constexpr char kWatchUsage[] =
    "usage: arxivctl watch JOB_ID [--watch-timeout S]\n"
    "Follows a job (run) with a progress bar until it is done or failed;\n"
    "exits 1 when it failed.\n";
constexpr char kDigestGetUsage[] =
    "usage: arxivctl digest get [--profile NAME] [--date YYYY-MM-DD]\n"
    "                           [--format markdown|json|html] [--version N]\n"
    "                           [-o FILE]\n"
    "Prints (or writes to FILE) a digest. Defaults: profile default, the\n"
    "latest date, markdown, the latest version (0).\n";
constexpr char kDigestListUsage[] =
    "usage: arxivctl digest list [--profile NAME] [--from DATE] [--to DATE]\n"
    "Lists digests newest first: date, latest version, versions, relevant\n"
    "papers, run id.\n";
constexpr char kProfilesUsage[] =
    "usage: arxivctl profiles\nLists the profiles (\"default\" first).\n";

struct Global {
  std::string server;
  std::string token;
  int timeout_seconds = 30;
  bool tls = false;
  std::string ca_cert;
};

int ExitFor(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitUsage;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitAuth;
    default:
      return kExitServer;
  }
}

const char* CodeName(grpc::StatusCode code) {
  static const std::map<grpc::StatusCode, const char*> names = {
      {grpc::StatusCode::CANCELLED, "CANCELLED"},
      {grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
      {grpc::StatusCode::DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
      {grpc::StatusCode::NOT_FOUND, "NOT_FOUND"},
      {grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, "RESOURCE_EXHAUSTED"},
      {grpc::StatusCode::FAILED_PRECONDITION, "FAILED_PRECONDITION"},
      {grpc::StatusCode::UNAVAILABLE, "UNAVAILABLE"},
      {grpc::StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED"},
      {grpc::StatusCode::INTERNAL, "INTERNAL"}};
  auto it = names.find(code);
  return it == names.end() ? "ERROR" : it->second;
}

int Report(const grpc::Status& s, std::ostream& err) {
  err << "arxivctl: " << CodeName(s.error_code()) << ": " << s.error_message()
      << "\n";
  return ExitFor(s);
}

int Usage(std::ostream& err, const std::string& problem, const char* usage) {
  err << "arxivctl: " << problem << "\n" << usage;
  return kExitUsage;
}

class Client {
 public:
  explicit Client(const Global& g) : g_(g) {
    std::shared_ptr<grpc::ChannelCredentials> creds =
        grpc::InsecureChannelCredentials();
    if (g.tls) {
      grpc::SslCredentialsOptions ssl;
      if (!g.ca_cert.empty()) {
        std::ifstream in(g.ca_cert);
        std::ostringstream s;
        s << in.rdbuf();
        ssl.pem_root_certs = s.str();
      }
      creds = grpc::SslCredentials(ssl);
    }
    stub_ = v1::DigestService::NewStub(grpc::CreateChannel(g.server, creds));
  }

  // Every call has a deadline; the token goes only into the metadata.
  std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 0) const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::seconds(seconds > 0 ? seconds : g_.timeout_seconds));
    if (!g_.token.empty()) {
      ctx->AddMetadata("authorization", "Bearer " + g_.token);
    }
    return ctx;
  }
  v1::DigestService::Stub& stub() { return *stub_; }

 private:
  Global g_;
  std::unique_ptr<v1::DigestService::Stub> stub_;
};

// Follows one job; 0 when done, 1 when failed, else the call's exit code.
int Watch(Client& client, const std::string& job_id, int timeout_seconds,
          std::ostream& out, std::ostream& err) {
  v1::WatchJobRequest req;
  req.set_job_id(job_id);
  auto ctx = client.Ctx(timeout_seconds);
  auto reader = client.stub().WatchJob(ctx.get(), req);
  bool tty = &err == &std::cerr && isatty(STDERR_FILENO);
  v1::JobProgress p, last;
  while (reader->Read(&p)) {
    last = p;
    std::string bar = RenderProgressBar(p.papers_done(), p.papers_total(),
                                        p.state(), p.message());
    if (tty) {
      err << "\r\033[K" << job_id << " " << bar << std::flush;
    } else {
      err << job_id << " " << bar << "\n";
    }
  }
  if (tty) err << "\n";
  grpc::Status s = reader->Finish();
  if (!s.ok()) return Report(s, err);
  out << job_id << ": " << last.state();
  if (!last.message().empty()) out << " (" << last.message() << ")";
  out << "\n";
  return last.state() == "done" ? kExitOk : kExitServer;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// Parses a command's options (args[0] is the command name).
absl::StatusOr<ParsedFlags> ParseCommand(
    std::vector<std::string> args, const std::set<std::string>& values,
    const std::set<std::string>& switches) {
  std::vector<char*> argv;
  for (std::string& a : args) {
    if (a == "-o") a = "--output";
    argv.push_back(a.data());
  }
  return ParseFlags(static_cast<int>(argv.size()), argv.data(), 1, values,
                    switches);
}

int Trigger(Client& client, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kTriggerUsage, kExitOk;
  auto flags = ParseCommand(args, {"--categories", "--date"}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kTriggerUsage);
  if (!flags->positional.empty()) {
    return Usage(err, "unexpected argument " + flags->positional[0],
                 kTriggerUsage);
  }
  v1::TriggerRunRequest req;
  for (absl::string_view c :
       absl::StrSplit(flags->Get("--categories"), ',', absl::SkipEmpty())) {
    req.add_categories(std::string(c));
  }
  req.set_date(flags->Get("--date"));
  v1::TriggerRunResponse resp;
  grpc::Status s = client.stub().TriggerRun(client.Ctx().get(), req, &resp);
  if (!s.ok()) return Report(s, err);
  out << resp.run_id() << "\n";
  return kExitOk;
}

int Backfill(Client& client, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kBackfillUsage, kExitOk;
  auto flags = ParseCommand(args, {}, {"--missing"});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kBackfillUsage);
  if (!flags->positional.empty()) {
    return Usage(err, "unexpected argument " + flags->positional[0],
                 kBackfillUsage);
  }
  if (!flags->Has("--missing")) {
    return Usage(err, "backfill needs --missing", kBackfillUsage);
  }
  v1::TriggerRunRequest req;
  req.set_missing_days(true);
  v1::TriggerRunResponse resp;
  grpc::Status s = client.stub().TriggerRun(client.Ctx().get(), req, &resp);
  if (!s.ok()) return Report(s, err);
  out << resp.run_id() << "\n";
  return kExitOk;
}

int Status(Client& client, const std::vector<std::string>& args,
           std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kStatusUsage, kExitOk;
  auto flags = ParseCommand(args, {}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kStatusUsage);
  if (flags->positional.size() != 1) {
    return Usage(err, "status needs exactly one RUN_ID", kStatusUsage);
  }
  v1::GetRunRequest req;
  req.set_run_id(flags->positional[0]);
  v1::Run run;
  grpc::Status s = client.stub().GetRun(client.Ctx().get(), req, &run);
  if (!s.ok()) return Report(s, err);
  out << "run_id: " << run.run_id() << "\n"
      << "date: " << run.date() << "\n"
      << "status: " << run.status() << "\n";
  if (run.status() == "no_announcements") {
    out << "note: no announcements"
        << (run.reason().empty() ? "" : " (" + run.reason() + ")") << "\n";
  }
  if (!run.kind().empty()) {
    out << "kind: " << run.kind() << "\nparent_run: " << run.parent_run()
        << "\n";
  }
  out << "profile: " << run.profile() << "\n"
      << "total_papers: " << run.total_papers() << "\n"
      << "scanned_papers: " << run.scanned_papers() << "\n"
      << "papers_to_score: " << run.papers_to_score() << "\n"
      << "papers_scored: " << run.papers_scored() << "\n"
      << "progress: " << static_cast<int>(run.progress() * 100 + 0.5) << "%\n"
      << "relevant_papers: " << run.relevant_papers() << "\n";
  // Where the papers went, stage by stage (`arxivctl why` for one paper).
  for (const v1::StageFates& s : run.stage_fates()) {
    out << "stage " << s.stage() << ": kept " << s.kept() << ", dropped "
        << s.dropped() << "\n";
  }
  if (run.unreadable_fates() > 0) {
    out << "unreadable_fates: " << run.unreadable_fates() << "\n";
  }
  out << "prompt_tokens: " << run.prompt_tokens() << "\n"
      << "completion_tokens: " << run.completion_tokens() << "\n"
      << "cached_tokens: " << run.cached_tokens() << "\n"
      << "cost_usd: " << run.cost_usd() << "\n";
  if (!run.error().empty()) out << "error: " << run.error() << "\n";
  return kExitOk;
}

int Why(Client& client, const std::vector<std::string>& args, std::ostream& out,
        std::ostream& err) {
  if (WantsHelp(args)) return out << kWhyUsage, kExitOk;
  auto flags = ParseCommand(args, {}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kWhyUsage);
  if (flags->positional.size() != 2) {
    return Usage(err, "why needs a RUN_ID and an ARXIV_ID", kWhyUsage);
  }
  v1::ExplainPaperRequest req;
  req.set_run_id(flags->positional[0]);
  req.set_arxiv_id(flags->positional[1]);
  v1::PaperFate fate;
  grpc::Status s = client.stub().ExplainPaper(client.Ctx().get(), req, &fate);
  if (!s.ok()) return Report(s, err);
  const char* verdict = fate.in_digest() ? "in the digest"
                        : fate.dropped() ? "dropped"
                        : fate.published()
                            ? "not in the digest"
                            : "kept so far (the run is not published yet)";
  out << "run_id: " << fate.run_id() << "\n"
      << "arxiv_id: " << fate.arxiv_id() << "\n"
      << "stage: " << fate.stage() << "\n"
      << "verdict: " << verdict << "\n";
  if (fate.in_digest()) out << "rank: " << fate.rank() << "\n";
  out << "reason: " << fate.reason() << "\n";
  if (fate.has_best_h_index()) {
    out << "best_h_index: " << fate.best_h_index() << "\n";
  }
  if (!fate.recorded()) out << "note: the scorer left no record\n";
  return kExitOk;
}

int Rescore(Client& client, const std::vector<std::string>& args,
            std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kRescoreUsage, kExitOk;
  auto flags = ParseCommand(args,
                            {"--ids", "--run", "--from", "--to", "--profile",
                             "--topics-file", "--watch-timeout"},
                            {"--dry-run", "--watch"});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kRescoreUsage);
  int targets = flags->values.count("--ids") + flags->values.count("--run") +
                flags->values.count("--from");
  if (targets != 1) {
    return Usage(err, "give exactly one of --ids, --run or --from",
                 kRescoreUsage);
  }
  if (flags->values.count("--to") && !flags->values.count("--from")) {
    return Usage(err, "--to needs --from", kRescoreUsage);
  }
  absl::StatusOr<int> watch_timeout = flags->GetInt("--watch-timeout", 3600);
  if (!watch_timeout.ok()) {
    return Usage(err, std::string(watch_timeout.status().message()),
                 kRescoreUsage);
  }
  v1::RescoreRequest req;
  if (flags->values.count("--ids")) {
    for (absl::string_view id :
         absl::StrSplit(flags->Get("--ids"), ',', absl::SkipEmpty())) {
      req.mutable_papers()->add_arxiv_ids(std::string(id));
    }
    if (req.papers().arxiv_ids().empty()) {
      return Usage(err, "--ids is empty", kRescoreUsage);
    }
  } else if (flags->values.count("--run")) {
    req.set_run_id(flags->Get("--run"));
  } else {
    req.mutable_dates()->set_from_date(flags->Get("--from"));
    req.mutable_dates()->set_to_date(flags->Get("--to"));
  }
  req.set_profile(flags->Get("--profile"));
  if (std::string path = flags->Get("--topics-file"); !path.empty()) {
    std::ifstream in(path);
    if (!in)
      return Usage(err, "cannot read --topics-file " + path, kRescoreUsage);
    std::ostringstream s;
    s << in.rdbuf();
    req.set_topics_override(s.str());
  }
  req.set_dry_run(flags->Has("--dry-run"));
  v1::RescoreResponse resp;
  grpc::Status s = client.stub().Rescore(client.Ctx().get(), req, &resp);
  if (!s.ok()) return Report(s, err);
  if (resp.dry_run()) {
    out << "dry run: " << resp.papers() << " papers in " << resp.dates_size()
        << " job(s), about " << resp.estimated_prompt_tokens()
        << " prompt tokens\n";
    for (const std::string& d : resp.dates()) out << "date: " << d << "\n";
    return kExitOk;
  }
  for (int i = 0; i < resp.job_ids_size(); ++i) {
    out << "job: " << resp.job_ids(i)
        << (i < resp.dates_size() ? " date: " + resp.dates(i) : "") << "\n";
  }
  out << "papers: " << resp.papers() << "\n";
  if (!flags->Has("--watch")) return kExitOk;
  int worst = kExitOk;
  for (const std::string& job : resp.job_ids()) {
    int rc = Watch(client, job, *watch_timeout, out, err);
    if (rc != kExitOk) worst = rc;
  }
  return worst;
}

int WatchCommand(Client& client, const std::vector<std::string>& args,
                 std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kWatchUsage, kExitOk;
  auto flags = ParseCommand(args, {"--watch-timeout"}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kWatchUsage);
  if (flags->positional.size() != 1) {
    return Usage(err, "watch needs exactly one JOB_ID", kWatchUsage);
  }
  absl::StatusOr<int> timeout = flags->GetInt("--watch-timeout", 3600);
  if (!timeout.ok())
    return Usage(err, std::string(timeout.status().message()), kWatchUsage);
  return Watch(client, flags->positional[0], *timeout, out, err);
}

int DigestGet(Client& client, const std::vector<std::string>& args,
              std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kDigestGetUsage, kExitOk;
  auto flags = ParseCommand(
      args, {"--profile", "--date", "--format", "--version", "--output"}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kDigestGetUsage);
  if (!flags->positional.empty()) {
    return Usage(err, "unexpected argument " + flags->positional[0],
                 kDigestGetUsage);
  }
  v1::GetDigestRequest req;
  req.set_profile(flags->Get("--profile"));
  req.set_date(flags->Get("--date"));
  std::string format = flags->Get("--format", "markdown");
  if (format == "markdown" || format == "md") {
    req.set_format(v1::DIGEST_FORMAT_MARKDOWN);
  } else if (format == "json") {
    req.set_format(v1::DIGEST_FORMAT_JSON);
  } else if (format == "html") {
    req.set_format(v1::DIGEST_FORMAT_HTML);
  } else {
    return Usage(err, "--format must be markdown, json or html",
                 kDigestGetUsage);
  }
  absl::StatusOr<int> version = flags->GetInt("--version", 0);
  if (!version.ok() || *version < 0) {
    return Usage(err, "--version must be a number >= 0", kDigestGetUsage);
  }
  req.set_version(*version);
  v1::Digest digest;
  grpc::Status s = client.stub().GetDigest(client.Ctx().get(), req, &digest);
  if (!s.ok()) return Report(s, err);
  if (std::string path = flags->Get("--output"); !path.empty()) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << digest.content();
    if (!file) {
      err << "arxivctl: cannot write " << path << "\n";
      return kExitServer;
    }
    err << "wrote " << path << " (" << digest.profile() << " " << digest.date()
        << " v" << digest.version() << ")\n";
    return kExitOk;
  }
  out << digest.content();
  if (!digest.content().empty() && digest.content().back() != '\n') out << "\n";
  return kExitOk;
}

int DigestList(Client& client, const std::vector<std::string>& args,
               std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kDigestListUsage, kExitOk;
  auto flags = ParseCommand(args, {"--profile", "--from", "--to"}, {});
  if (!flags.ok())
    return Usage(err, std::string(flags.status().message()), kDigestListUsage);
  v1::ListDigestsRequest req;
  req.set_profile(flags->Get("--profile"));
  req.set_from_date(flags->Get("--from"));
  req.set_to_date(flags->Get("--to"));
  v1::ListDigestsResponse resp;
  grpc::Status s = client.stub().ListDigests(client.Ctx().get(), req, &resp);
  if (!s.ok()) return Report(s, err);
  out << "DATE        VERSION  VERSIONS  RELEVANT  RUN\n";
  for (const v1::DigestSummary& d : resp.digests()) {
    char line[256];
    snprintf(line, sizeof(line), "%-10s  %7d  %8d  %8d  %s\n", d.date().c_str(),
             d.version(), d.versions(), d.relevant_papers(),
             d.run_id().c_str());
    out << line;
  }
  return kExitOk;
}

int Profiles(Client& client, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err) {
  if (WantsHelp(args)) return out << kProfilesUsage, kExitOk;
  v1::ListProfilesResponse resp;
  grpc::Status s = client.stub().ListProfiles(client.Ctx().get(),
                                              v1::ListProfilesRequest(), &resp);
  if (!s.ok()) return Report(s, err);
  for (const std::string& p : resp.profiles()) out << p << "\n";
  return kExitOk;
}

std::string Env(const char* name, const std::string& def = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : def;
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Global g;
  g.server = Env("ARXIVCTL_SERVER", "localhost:50051");
  g.token = Env("ARXIVCTL_TOKEN");
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 && a != "-h") break;
    std::string name = a, value;
    bool has_value = false;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (name == "--help" || name == "-h") {
      out << kUsage;
      return kExitOk;
    }
    if (name == "--version") {
      out << VersionLine("arxivctl") << "\n";
      return kExitOk;
    }
    if (name == "--tls") {
      g.tls = true;
      continue;
    }
    if (name != "--server" && name != "--token" && name != "--timeout" &&
        name != "--ca-cert") {
      return Usage(err, "unknown option " + name, kUsage);
    }
    if (!has_value) {
      if (i + 1 >= argc) return Usage(err, name + " needs a value", kUsage);
      value = argv[++i];
    }
    if (name == "--server") g.server = value;
    if (name == "--token") g.token = value;
    if (name == "--ca-cert") g.ca_cert = value;
    if (name == "--timeout" && (!absl::SimpleAtoi(value, &g.timeout_seconds) ||
                                g.timeout_seconds <= 0)) {
      return Usage(err, "--timeout needs a positive number of seconds", kUsage);
    }
  }
  if (i >= argc) return Usage(err, "no command given", kUsage);
  std::vector<std::string> args(argv + i, argv + argc);
  std::string command = args[0];
  if (command == "help") {
    out << kUsage;
    return kExitOk;
  }
  if (command == "digest") {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
      if (args.size() >= 2)
        return out << kDigestGetUsage << kDigestListUsage, kExitOk;
      return Usage(err, "digest needs 'get' or 'list'", kDigestGetUsage);
    }
    command = "digest " + args[1];
    args.erase(args.begin());
  }
  using Handler = int (*)(Client&, const std::vector<std::string>&,
                          std::ostream&, std::ostream&);
  static const std::map<std::string, Handler> handlers = {
      {"trigger", &Trigger},      {"backfill", &Backfill},
      {"status", &Status},        {"why", &Why},
      {"rescore", &Rescore},      {"watch", &WatchCommand},
      {"digest get", &DigestGet}, {"digest list", &DigestList},
      {"profiles", &Profiles}};
  auto it = handlers.find(command);
  if (it == handlers.end()) {
    return Usage(err, "unknown command '" + command + "'", kUsage);
  }
  Client client(g);
  return it->second(client, args, out, err);
}

}  // namespace arxiv_digest::arxivctl
