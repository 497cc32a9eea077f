// Which profiles exist: "default" (the configs folder itself) plus every
// sub-folder of <configs>/profiles/ with a valid name. Read on each call so
// a new profile folder is picked up without a restart.
#pragma once

#include <string>
#include <vector>

namespace arxiv_digest::api {

class ProfileCatalog {
 public:
  explicit ProfileCatalog(std::string configs_dir)
      : configs_dir_(std::move(configs_dir)) {}
  virtual ~ProfileCatalog() = default;

  // "default" first, then the folder names sorted.
  virtual std::vector<std::string> List() const;
  bool Exists(const std::string& name) const;

 private:
  std::string configs_dir_;
};

}  // namespace arxiv_digest::api
