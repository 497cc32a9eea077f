#include "services/api/adapters/web_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lib/core/ids.h"
#include "lib/http_transport/server_limits.h"
#include "lib/log/log.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_store.h"
#include "services/api/logic/web_pages.h"

namespace arxiv_digest::api {
namespace {

void Error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(
      absl::StrCat("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                   "<title>",
                   status, "</title></head><body><h1>", status, "</h1><p>",
                   XmlEscape(message),
                   "</p><p><a href=\"/\">All profiles</a></p></body></html>\n"),
      "text/html; charset=utf-8");
}

// A stored digest that does not unpack is damaged data (500, logged by the
// store), not a Redis outage (503).
bool IsDamagedDigest(const absl::Status& s) {
  return absl::IsDataLoss(s) || absl::IsResourceExhausted(s);
}

std::vector<std::string> AllProfiles(const ProfileCatalog& catalog,
                                     DigestStore& store) {
  std::vector<std::string> names = catalog.List();
  if (absl::StatusOr<std::vector<std::string>> more =
          store.ProfilesWithDigests();
      more.ok()) {
    for (const std::string& p : *more) {
      if (std::find(names.begin(), names.end(), p) == names.end()) {
        names.push_back(p);
      }
    }
  }
  return names;
}

absl::StatusOr<std::vector<DigestListing>> Listings(DigestStore& store,
                                                    const std::string& profile,
                                                    int limit) {
  absl::StatusOr<std::vector<std::string>> dates =
      store.Dates(profile, "", "", limit);
  if (!dates.ok()) return dates.status();
  std::vector<DigestListing> out;
  for (const std::string& date : *dates) {
    absl::StatusOr<std::vector<VersionMeta>> versions =
        store.Versions(profile, date);
    if (!versions.ok()) return versions.status();
    if (versions->empty()) continue;
    const VersionMeta& v = versions->back();
    out.push_back(DigestListing{date, v.version, v.relevant_papers,
                                v.published_at, v.run_id});
  }
  return out;
}

}  // namespace

WebServer::WebServer(RedisPool& pool, const ProfileCatalog& profiles,
                     ApiMetrics& metrics, WebServerOptions options)
    : pool_(pool),
      profiles_(profiles),
      metrics_(metrics),
      options_(std::move(options)) {}

WebServer::~WebServer() { Stop(); }

absl::StatusOr<int> WebServer::Start() {
  server_ = std::make_unique<httplib::Server>();
  // Slow or many clients never starve the pages (lib/http_transport).
  ApplyServerLimits(*server_);

  server_->Get("/", [this](const httplib::Request&, httplib::Response& res) {
    absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
    if (!redis.ok()) return Error(res, 503, "Redis is unavailable");
    DigestStore store(**redis);
    res.set_content(RenderProfilesPage(AllProfiles(profiles_, store)),
                    "text/html; charset=utf-8");
  });

  // /p/<profile>/ and /p/<profile>/<leaf>; leaf = feed.atom or
  // <date>[.json|.md]. One handler, so the routing rules sit together.
  server_->Get(R"(/p/([^/]+)/(.*))", [this](const httplib::Request& req,
                                            httplib::Response& res) {
    std::string profile = req.matches[1];
    std::string leaf = req.matches[2];
    if (!ids::IsValidProfileName(profile)) {
      return Error(res, 404, "No such profile.");
    }
    absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
    if (!redis.ok()) return Error(res, 503, "Redis is unavailable");
    DigestStore store(**redis);
    std::vector<std::string> all = AllProfiles(profiles_, store);
    if (std::find(all.begin(), all.end(), profile) == all.end()) {
      return Error(res, 404, absl::StrCat("Unknown profile ", profile, "."));
    }
    if (leaf.empty()) {
      absl::StatusOr<std::vector<DigestListing>> list =
          Listings(store, profile, 0);
      if (!list.ok()) return Error(res, 503, "Redis is unavailable");
      res.set_content(RenderDatesPage(profile, *list),
                      "text/html; charset=utf-8");
      return;
    }
    if (leaf == "feed.atom") {
      absl::StatusOr<std::vector<DigestListing>> list =
          Listings(store, profile, options_.feed_entries);
      if (!list.ok()) return Error(res, 503, "Redis is unavailable");
      std::string base = options_.base_url;
      if (base.empty()) {
        std::string host = req.get_header_value("Host");
        base = absl::StrCat("http://", host.empty() ? "localhost" : host);
      }
      std::vector<FeedDigest> digests;
      for (DigestListing& listing : *list) {
        FeedDigest digest;
        absl::StatusOr<std::optional<std::string>> json = store.Text(
            profile, listing.date, listing.latest_version, true, "json");
        if (!json.ok() && !IsDamagedDigest(json.status())) {
          return Error(res, 503, "Redis is unavailable");
        }
        if (json.ok() && json->has_value()) {
          // An unreadable digest JSON still gets its day's entry.
          if (absl::StatusOr<std::vector<DigestPaperView>> papers =
                  ParseDigestPapers(**json);
              papers.ok()) {
            digest.papers = *std::move(papers);
          }
        }
        digest.listing = std::move(listing);
        digests.push_back(std::move(digest));
      }
      res.set_content(
          RenderAtomFeed(profile, base, digests,
                         absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                                          absl::UTCTimeZone())),
          "application/atom+xml; charset=utf-8");
      return;
    }
    std::string date = leaf;
    std::string ext = "html";
    std::string type = "text/html; charset=utf-8";
    if (size_t dot = leaf.rfind('.'); dot != std::string::npos) {
      date = leaf.substr(0, dot);
      ext = leaf.substr(dot + 1);
      if (ext == "json") {
        type = "application/json; charset=utf-8";
      } else if (ext == "md") {
        type = "text/markdown; charset=utf-8";
      } else if (ext != "html") {
        return Error(res, 404, "Unknown format.");
      }
    }
    if (!ids::IsValidDate(date)) return Error(res, 404, "No such page.");
    absl::StatusOr<std::vector<VersionMeta>> versions =
        store.Versions(profile, date);
    if (!versions.ok()) return Error(res, 503, "Redis is unavailable");
    if (versions->empty()) {
      return Error(res, 404,
                   absl::StrCat("No digest for ", profile, " on ", date, "."));
    }
    int version = versions->back().version;
    if (req.has_param("v")) {
      int v = 0;
      if (!absl::SimpleAtoi(req.get_param_value("v"), &v) ||
          std::none_of(versions->begin(), versions->end(),
                       [v](const VersionMeta& m) { return m.version == v; })) {
        return Error(res, 404, "No such version.");
      }
      version = v;
    }
    absl::StatusOr<std::optional<std::string>> text = store.Text(
        profile, date, version, version == versions->back().version, ext);
    if (!text.ok() && IsDamagedDigest(text.status())) {
      return Error(res, 500, "This digest is stored damaged.");
    }
    if (!text.ok()) return Error(res, 503, "Redis is unavailable");
    if (!text->has_value())
      return Error(res, 404, "Not rendered in this format.");
    if (ext != "html") return res.set_content(**text, type);
    absl::StatusOr<std::vector<std::string>> dates =
        store.Dates(profile, "", "", 0);
    if (!dates.ok()) return Error(res, 503, "Redis is unavailable");
    DigestPageNav nav{profile, date, FindDayNeighbours(*dates, date), all};
    res.set_content(DecorateDigestPage(**text, nav), type);
  });

  server_->set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) {
        std::string route = req.path == "/" ? "index"
                            : req.path.find("feed.atom") != std::string::npos
                                ? "feed"
                            : req.path.rfind("/p/", 0) == 0 ? "profile"
                                                            : "other";
        metrics_.RecordWeb(route, res.status);
      });

  int port =
      options_.port == 0
          ? server_->bind_to_any_port(options_.host)
          : (server_->bind_to_port(options_.host, options_.port) ? options_.port
                                                                 : -1);
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("web: cannot bind ", options_.host, ":", options_.port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // A stop() issued before the accept loop starts would be lost: wait.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void WebServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace arxiv_digest::api
