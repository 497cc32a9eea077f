// The backfill endpoints over HTTP: the arXiv query API for id lists (Atom,
// in chunks) and OAI-PMH ListRecords for date ranges (every page, following
// resumption tokens). Give it the PoliteHttpClient: both are arXiv.
#pragma once

#include <string>

#include "lib/http/http_client.h"
#include "services/fetcher/logic/backfill_cycle.h"

namespace arxiv_digest {

class ArxivBackfillSource : public BackfillSource {
 public:
  // api_url: ARXIV_API_URL; oai_url: ARXIV_OAI_URL.
  ArxivBackfillSource(HttpClient& http, std::string api_url,
                      std::string oai_url);
  absl::StatusOr<AtomResponse> FetchIds(
      const std::vector<std::string>& ids) override;
  absl::StatusOr<OaiHarvest> HarvestDates(
      const std::string& from, const std::string& until,
      const std::vector<std::string>& sets) override;

  // Ids per API request (long id_lists make long URLs).
  static constexpr size_t kIdsPerRequest = 50;
  // Guard against a server that hands out tokens forever.
  static constexpr int kMaxPages = 2000;

 private:
  absl::StatusOr<std::string> Get(const std::string& url);

  HttpClient& http_;
  std::string api_url_;
  std::string oai_url_;
};

}  // namespace arxiv_digest
