// Where each digest format goes in the output folder, per [OUTPUT] layout:
//   default: <date>.md, <date>.v2.md, <profile>/<date>.json, ...
//   seed:    the Python tool's md/YYYY-MM/YYYY-MM-DD-output.md and
//            json/YYYY-MM/YYYY-MM-DD-output.json (html/ alike), plus the
//            latest copies output.md / output.json / output.html that
//            GitHub Pages workflows of the Python tool read. Like that tool,
//            a later version of a day replaces the day's file (every version
//            stays readable through the api); another profile than the
//            default gets the same tree under <profile>/.
// Every name is relative and stays inside the output folder for a valid
// profile and date (PublishRun validates both; the store checks again).
#pragma once

#include <string>

namespace arxiv_digest {

inline constexpr char kLayoutDefault[] = "default";
inline constexpr char kLayoutSeed[] = "seed";

struct OutputFileNames {
  std::string file_name;  // the dated file
  // Also written when the date is the profile's newest ("" = none).
  std::string latest_copy;
};

// `format` is md, json or html; `layout` is kLayoutDefault or kLayoutSeed
// (anything else is treated as the default).
OutputFileNames DigestOutputFileNames(const std::string& layout,
                                      const std::string& profile,
                                      const std::string& date, int version,
                                      const std::string& format);

}  // namespace arxiv_digest
