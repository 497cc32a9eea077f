#include "services/fetcher/adapters/arxiv_backfill_source.h"

#include <algorithm>
#include <cstddef>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/backfill.h"

namespace arxiv_digest {

ArxivBackfillSource::ArxivBackfillSource(HttpClient& http, std::string api_url,
                                         std::string oai_url)
    : http_(http), api_url_(std::move(api_url)), oai_url_(std::move(oai_url)) {}

absl::StatusOr<std::string> ArxivBackfillSource::Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/atom+xml, text/xml");
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, " answered HTTP ", response->status));
  }
  return std::move(response->body);
}

absl::StatusOr<AtomResponse> ArxivBackfillSource::FetchIds(
    const std::vector<std::string>& ids) {
  AtomResponse all;
  for (size_t start = 0; start < ids.size(); start += kIdsPerRequest) {
    const size_t end = std::min(ids.size(), start + kIdsPerRequest);
    std::vector<std::string> chunk(
        ids.begin() + static_cast<std::ptrdiff_t>(start),
        ids.begin() + static_cast<std::ptrdiff_t>(end));
    absl::StatusOr<std::string> body = Get(AtomIdListUrl(api_url_, chunk));
    if (!body.ok()) return body.status();
    absl::StatusOr<AtomResponse> page = ParseArxivAtom(*body);
    if (!page.ok()) return page.status();
    for (Paper& p : page->papers) all.papers.push_back(std::move(p));
    for (std::string& e : page->entry_errors) {
      all.entry_errors.push_back(std::move(e));
    }
    all.invalid_utf8 += page->invalid_utf8;
  }
  all.total_results = static_cast<int64_t>(all.papers.size());
  return all;
}

absl::StatusOr<OaiHarvest> ArxivBackfillSource::HarvestDates(
    const std::string& from, const std::string& until,
    const std::vector<std::string>& sets) {
  OaiHarvest harvest;
  std::vector<std::string> targets =
      sets.empty() ? std::vector<std::string>{""} : sets;
  for (const std::string& set : targets) {
    std::string url = OaiListRecordsUrl(oai_url_, from, until, set);
    std::set<std::string> tokens_seen;
    for (int page = 0;; ++page) {
      if (page >= kMaxPages) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "OAI-PMH set '", set, "': more than ", kMaxPages, " pages"));
      }
      absl::StatusOr<std::string> body = Get(url);
      if (!body.ok()) return body.status();
      absl::StatusOr<OaiResponse> parsed = ParseOaiPmh(*body);
      if (!parsed.ok()) return parsed.status();
      ++harvest.pages;
      for (OaiRecord& r : parsed->records) {
        harvest.records.push_back(std::move(r));
      }
      for (std::string& e : parsed->record_errors) {
        harvest.record_errors.push_back(std::move(e));
      }
      harvest.deleted_records += parsed->deleted_records;
      harvest.invalid_utf8 += parsed->invalid_utf8;
      if (parsed->resumption_token.empty()) break;
      if (!tokens_seen.insert(parsed->resumption_token).second) {
        return absl::DataLossError(
            absl::StrCat("OAI-PMH resumption token repeated: '",
                         parsed->resumption_token, "'"));
      }
      LogInfo("OAI-PMH next page",
              {{"set", set},
               {"page", std::to_string(page + 2)},
               {"records_so_far", std::to_string(harvest.records.size())}});
      url = OaiResumeUrl(oai_url_, parsed->resumption_token);
    }
  }
  return harvest;
}

}  // namespace arxiv_digest
