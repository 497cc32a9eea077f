#include "services/api/adapters/profile_catalog.h"

#include <algorithm>

#include "lib/config/profiles.h"

namespace arxiv_digest::api {

std::vector<std::string> ProfileCatalog::List() const {
  return ListProfileNames(configs_dir_);
}

bool ProfileCatalog::Exists(const std::string& name) const {
  std::vector<std::string> all = List();
  return std::find(all.begin(), all.end(), name) != all.end();
}

}  // namespace arxiv_digest::api
