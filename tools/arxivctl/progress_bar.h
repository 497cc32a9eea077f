// The text progress bar of `rescore --watch` / `watch`.
#pragma once

#include <cstdint>
#include <string>

namespace arxiv_digest::arxivctl {

// "[##########----------]  50% 10/20 running: scoring" (width = bar cells).
std::string RenderProgressBar(int64_t done, int64_t total,
                              const std::string& state,
                              const std::string& message, int width = 30);

}  // namespace arxiv_digest::arxivctl
