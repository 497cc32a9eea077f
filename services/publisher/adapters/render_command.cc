#include "services/publisher/adapters/render_command.h"

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/config/config.h"
#include "lib/prompt/prompt_builder.h"
#include "services/publisher/logic/html_renderer.h"
#include "services/publisher/logic/json_renderer.h"
#include "services/publisher/logic/markdown_renderer.h"

namespace arxiv_digest {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitIo = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "usage: publisher render --scored FILE.json --date YYYY-MM-DD\n"
    "         --model MODEL --prompt-tokens N --completion-tokens N\n"
    "         [--cached-tokens N] --total-papers N --scanned-papers N\n"
    "         [--configs DIR] --out FILE.md [--json-out FILE.json]\n"
    "         [--html-out FILE.html]\n"
    "       publisher render --help | --version\n"
    "\n"
    "Renders a digest from a scored JSON dump (already in digest order)\n"
    "without Redis or an LLM. --configs (default \"configs\") must hold\n"
    "base_prompt.txt, postfix_prompt.txt, score_criteria.txt and\n"
    "paper_topics.txt.\n";

// Flags that take a value; anything else is a usage error.
constexpr std::string_view kKnownFlags[] = {"scored",
                                            "date",
                                            "model",
                                            "prompt-tokens",
                                            "completion-tokens",
                                            "cached-tokens",
                                            "total-papers",
                                            "scanned-papers",
                                            "configs",
                                            "out",
                                            "json-out",
                                            "html-out"};

struct UsageError {
  std::string message;
};

// What ParseFlags found besides the flags with values.
enum class Request { kRender, kHelp, kVersion };

// Parses "--flag VALUE" / "--flag=VALUE" pairs. Returns nullopt on success.
std::optional<UsageError> ParseFlags(int argc, char** argv,
                                     std::map<std::string, std::string>& flags,
                                     Request& request) {
  int i = 1;
  if (i < argc && std::string(argv[i]) == "render") ++i;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      request = Request::kHelp;
      return std::nullopt;
    }
    if (arg == "--version") {
      request = Request::kVersion;
      return std::nullopt;
    }
    if (arg.rfind("--", 0) != 0) {
      return UsageError{absl::StrCat("unexpected argument '", arg, "'")};
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    bool known = false;
    for (std::string_view f : kKnownFlags) known = known || f == name;
    if (!known) return UsageError{absl::StrCat("unknown flag --", name)};
    if (!value) {
      if (i + 1 >= argc) {
        return UsageError{absl::StrCat("--", name, " needs a value")};
      }
      value = argv[++i];
    }
    if (flags.count(name)) {
      return UsageError{absl::StrCat("--", name, " given twice")};
    }
    flags[name] = *value;
  }
  return std::nullopt;
}

std::optional<UsageError> RequireString(
    const std::map<std::string, std::string>& flags, const std::string& name,
    std::string& out) {
  const auto it = flags.find(name);
  if (it == flags.end() || it->second.empty()) {
    return UsageError{absl::StrCat("missing required flag --", name)};
  }
  out = it->second;
  return std::nullopt;
}

// A non-negative integer flag; `required` false means absent -> 0.
std::optional<UsageError> ReadCount(
    const std::map<std::string, std::string>& flags, const std::string& name,
    bool required, int64_t& out) {
  out = 0;
  const auto it = flags.find(name);
  if (it == flags.end()) {
    if (!required) return std::nullopt;
    return UsageError{absl::StrCat("missing required flag --", name)};
  }
  if (!absl::SimpleAtoi(it->second, &out) || out < 0) {
    return UsageError{absl::StrCat("--", name, ": '", it->second,
                                   "' is not a non-negative integer")};
  }
  return std::nullopt;
}

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return buf.str();
}

absl::Status WriteWholeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  out << text;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// Prompt files are used without their final newline(s), as PromptTexts
// documents; the digest joins the pieces with blank lines itself.
absl::StatusOr<std::string> ReadPromptFile(const std::string& dir,
                                           const std::string& name) {
  absl::StatusOr<std::string> text =
      ReadWholeFile(absl::StrCat(dir, "/", name));
  if (!text.ok()) return text.status();
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) {
    text->pop_back();
  }
  return text;
}

// Reads the four prompt files directly: LoadConfig would also demand
// config.ini, which an offline render does not need.
absl::StatusOr<PromptTexts> ReadPrompts(const std::string& dir) {
  PromptTexts prompts;
  const std::pair<const char*, std::string*> files[] = {
      {"base_prompt.txt", &prompts.base},
      {"postfix_prompt.txt", &prompts.postfix},
      {"score_criteria.txt", &prompts.score_criteria},
      {"paper_topics.txt", &prompts.topics}};
  for (const auto& [name, target] : files) {
    absl::StatusOr<std::string> text = ReadPromptFile(dir, name);
    if (!text.ok()) return text.status();
    *target = *std::move(text);
  }
  return prompts;
}

struct Options {
  std::string scored_path;
  std::string configs_dir = "configs";
  std::string out_path;
  std::string json_out_path;
  std::string html_out_path;
  DigestHeader header;
};

std::optional<UsageError> BuildOptions(
    const std::map<std::string, std::string>& flags, Options& o) {
  std::optional<UsageError> e;
  if ((e = RequireString(flags, "scored", o.scored_path))) return e;
  if ((e = RequireString(flags, "date", o.header.date))) return e;
  if (!IsIsoDate(o.header.date)) {
    return UsageError{
        absl::StrCat("--date: '", o.header.date, "' is not YYYY-MM-DD")};
  }
  if ((e = RequireString(flags, "model", o.header.model))) return e;
  TokenUsage& u = o.header.usage;
  if ((e = ReadCount(flags, "prompt-tokens", true, u.prompt_tokens))) return e;
  if ((e = ReadCount(flags, "completion-tokens", true, u.completion_tokens))) {
    return e;
  }
  if ((e = ReadCount(flags, "cached-tokens", false, u.cached_tokens))) return e;
  if (u.cached_tokens > u.prompt_tokens) {
    return UsageError{"--cached-tokens: larger than --prompt-tokens"};
  }
  if ((e = ReadCount(flags, "total-papers", true, o.header.total_papers))) {
    return e;
  }
  if ((e = ReadCount(flags, "scanned-papers", true, o.header.scanned_papers))) {
    return e;
  }
  if (flags.count("configs")) {
    if ((e = RequireString(flags, "configs", o.configs_dir))) return e;
  }
  if ((e = RequireString(flags, "out", o.out_path))) return e;
  if (flags.count("json-out")) {
    if ((e = RequireString(flags, "json-out", o.json_out_path))) return e;
  }
  if (flags.count("html-out")) {
    if ((e = RequireString(flags, "html-out", o.html_out_path))) return e;
  }
  return std::nullopt;
}

}  // namespace

int RunRenderCommand(int argc, char** argv, std::string_view version_line,
                     std::ostream& out, std::ostream& err) {
  std::map<std::string, std::string> flags;
  Request request = Request::kRender;
  Options o;
  std::optional<UsageError> usage = ParseFlags(argc, argv, flags, request);
  if (request == Request::kHelp) {
    out << kUsage;
    return kExitOk;
  }
  if (request == Request::kVersion) {
    out << version_line << "\n";
    return kExitOk;
  }
  if (!usage) usage = BuildOptions(flags, o);
  if (usage) {
    err << "publisher render: " << usage->message << "\n" << kUsage;
    return kExitUsage;
  }

  absl::StatusOr<std::string> scored_text = ReadWholeFile(o.scored_path);
  if (!scored_text.ok()) {
    err << "publisher render: " << scored_text.status().message() << "\n";
    return kExitIo;
  }
  absl::StatusOr<std::vector<ScoredPaper>> papers =
      ParseScoredJson(*scored_text);
  if (!papers.ok()) {
    err << "publisher render: " << o.scored_path << ": "
        << papers.status().message() << "\n";
    return kExitIo;
  }
  absl::StatusOr<PromptTexts> prompts = ReadPrompts(o.configs_dir);
  if (!prompts.ok()) {
    err << "publisher render: " << prompts.status().message() << "\n";
    return kExitIo;
  }

  const std::string markdown = RenderDigestMarkdown(
      o.header, *papers, BuildDigestPromptSection(*prompts));
  std::vector<std::pair<std::string, std::string>> outputs = {
      {o.out_path, markdown}};
  if (!o.json_out_path.empty()) {
    outputs.emplace_back(o.json_out_path, RenderDigestJson(*papers));
  }
  if (!o.html_out_path.empty()) {
    outputs.emplace_back(o.html_out_path, RenderDigestHtml(o.header, *papers));
  }
  for (const auto& [path, text] : outputs) {
    if (absl::Status st = WriteWholeFile(path, text); !st.ok()) {
      err << "publisher render: " << st.message() << "\n";
      return kExitIo;
    }
  }
  out << "wrote " << o.out_path << " (" << papers->size() << " papers)\n";
  return kExitOk;
}

}  // namespace arxiv_digest
