#include "lib/core/flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace arxiv_digest {

std::string ParsedFlags::Get(const std::string& name,
                             const std::string& def) const {
  auto it = values.find(name);
  return it == values.end() ? def : it->second;
}

absl::StatusOr<int> ParsedFlags::GetInt(const std::string& name,
                                        int def) const {
  auto it = values.find(name);
  if (it == values.end()) return def;
  int v = 0;
  if (!absl::SimpleAtoi(it->second, &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": '", it->second, "' is not an integer"));
  }
  return v;
}

absl::StatusOr<ParsedFlags> ParseFlags(
    int argc, char** argv, int first, const std::set<std::string>& value_flags,
    const std::set<std::string>& switch_flags) {
  ParsedFlags flags;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      flags.positional.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (switch_flags.count(name)) {
      if (has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, " takes no value"));
      }
      flags.switches.insert(name);
    } else if (value_flags.count(name)) {
      if (!has_value) {
        if (i + 1 >= argc) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, " needs a value"));
        }
        value = argv[++i];
      }
      flags.values[name] = value;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", name));
    }
  }
  return flags;
}

}  // namespace arxiv_digest
