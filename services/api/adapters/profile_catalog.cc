#include "services/api/adapters/profile_catalog.h"

#include <algorithm>
#include <filesystem>

#include "services/api/logic/validation.h"

namespace arxiv_digest::api {

std::vector<std::string> ProfileCatalog::List() const {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(configs_dir_) / "profiles";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && IsValidProfileName(name) && name != "default") {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  names.insert(names.begin(), "default");
  return names;
}

bool ProfileCatalog::Exists(const std::string& name) const {
  std::vector<std::string> all = List();
  return std::find(all.begin(), all.end(), name) != all.end();
}

}  // namespace arxiv_digest::api
