#include "tools/arxivctl/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace arxiv_digest::arxivctl {

std::string RenderProgressBar(int64_t done, int64_t total,
                              const std::string& state,
                              const std::string& message, int width) {
  double fraction =
      total > 0 ? std::clamp(static_cast<double>(done) / total, 0.0, 1.0) : 0.0;
  if (state == "done") fraction = 1.0;
  int filled = static_cast<int>(fraction * width + 0.5);
  std::string bar(filled, '#');
  bar.append(width - filled, '-');
  std::string out = absl::StrFormat("[%s] %3d%% %d/%d %s", bar,
                                    static_cast<int>(fraction * 100 + 0.5),
                                    done, total, state);
  if (!message.empty()) out += ": " + message;
  return out;
}

}  // namespace arxiv_digest::arxivctl
