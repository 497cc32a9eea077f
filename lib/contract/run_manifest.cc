#include "lib/contract/run_manifest.h"

#include <cmath>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/core/ids.h"
#include "lib/core/string_view.h"

namespace arxiv_digest::contract {
namespace {

namespace f = manifest_field;

absl::Status Bad(std::string_view field, std::string_view value,
                 std::string_view expected) {
  std::string shown(value.substr(0, 60));
  if (value.size() > 60) shown += "...";
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(field), ": '", shown, "' is not ", AsAbsl(expected)));
}

absl::Status ReadCount(std::string_view field, const std::string& value,
                       int64_t& out) {
  // Digits only: SimpleAtoi would also take " 1" and "+1".
  bool digits = !value.empty() && value.size() <= 18;
  for (char c : value) digits = digits && c >= '0' && c <= '9';
  int64_t n = 0;
  if (!digits || !absl::SimpleAtoi(value, &n)) {
    return Bad(field, value, "a non-negative integer");
  }
  out = n;
  return absl::OkStatus();
}

// One field: how to print it from a manifest and read it into one.
struct FieldCodec {
  std::string_view name;
  std::function<std::string(const RunManifest&)> encode;
  std::function<absl::Status(const std::string&, RunManifest&)> decode;
};

FieldCodec Text(std::string_view name, std::string RunManifest::*member) {
  return {name, [member](const RunManifest& m) { return m.*member; },
          [member](const std::string& v, RunManifest& m) {
            m.*member = v;
            return absl::OkStatus();
          }};
}

FieldCodec Count(std::string_view name, int64_t RunManifest::*member) {
  return {name,
          [member](const RunManifest& m) { return std::to_string(m.*member); },
          [name, member](const std::string& v, RunManifest& m) {
            return ReadCount(name, v, m.*member);
          }};
}

FieldCodec Tokens(std::string_view name, int64_t TokenUsage::*member) {
  return {name,
          [member](const RunManifest& m) {
            return std::to_string(m.tokens.*member);
          },
          [name, member](const std::string& v, RunManifest& m) {
            return ReadCount(name, v, m.tokens.*member);
          }};
}

// An optional typed value: empty is allowed (not yet known).
template <typename T>
FieldCodec Typed(std::string_view name, std::string RunManifest::*member) {
  return {name, [member](const RunManifest& m) { return m.*member; },
          [name, member](const std::string& v, RunManifest& m) {
            if (!v.empty()) {
              absl::StatusOr<T> parsed = T::Parse(v, name);
              if (!parsed.ok()) return parsed.status();
            }
            m.*member = v;
            return absl::OkStatus();
          }};
}

const std::vector<FieldCodec>& Codecs() {
  static const std::vector<FieldCodec>* codecs = new std::vector<FieldCodec>{
      Typed<RunId>(f::kRunId, &RunManifest::run_id),
      {f::kDate, [](const RunManifest& m) { return m.date; },
       [](const std::string& v, RunManifest& m) {
         if (!v.empty() && v != kUnknownDate) {
           absl::StatusOr<Date> d = Date::Parse(v, f::kDate);
           if (!d.ok()) return d.status();
         }
         m.date = v;
         return absl::OkStatus();
       }},
      {f::kStatus, [](const RunManifest& m) { return m.status; },
       [](const std::string& v, RunManifest& m) {
         if (!IsKnownRunStatus(v)) {
           return Bad(f::kStatus, v, "a run status");
         }
         m.status = v;
         return absl::OkStatus();
       }},
      Count(f::kTotalPapers, &RunManifest::total_papers),
      Count(f::kScannedPapers, &RunManifest::scanned_papers),
      Count(f::kPapersToScore, &RunManifest::papers_to_score),
      Count(f::kSkippedSeen, &RunManifest::skipped_seen),
      Text(f::kReason, &RunManifest::reason),
      Count(f::kCreatedAt, &RunManifest::created_at),
      Count(f::kFetchedAt, &RunManifest::fetched_at),
      {f::kKind, [](const RunManifest& m) { return m.kind; },
       [](const std::string& v, RunManifest& m) {
         if (v != run_kind::kFetched && v != run_kind::kRescore &&
             v != run_kind::kProfile) {
           return Bad(f::kKind, v, "a run kind (rescore, profile)");
         }
         m.kind = v;
         return absl::OkStatus();
       }},
      Typed<RunId>(f::kParentRun, &RunManifest::parent_run),
      Typed<ProfileName>(f::kProfile, &RunManifest::profile),
      Text(f::kTopicsOverride, &RunManifest::topics_override),
      Text(f::kRequestedAt, &RunManifest::requested_at),
      Text(f::kRequestedBy, &RunManifest::requested_by),
      {f::kCategories,
       [](const RunManifest& m) { return absl::StrJoin(m.categories, ","); },
       [](const std::string& v, RunManifest& m) {
         m.categories = absl::StrSplit(v, ',', absl::SkipEmpty());
         return absl::OkStatus();
       }},
      Text(f::kError, &RunManifest::error),
      Text(f::kModel, &RunManifest::model),
      Count(f::kDigestVersion, &RunManifest::digest_version),
      Count(f::kRelevantPapers, &RunManifest::relevant_papers),
      Count(f::kUnscoredPapers, &RunManifest::unscored_papers),
      Count(f::kPrefilteredPapers, &RunManifest::prefiltered_papers),
      Tokens(f::kPromptTokens, &TokenUsage::prompt_tokens),
      Tokens(f::kCompletionTokens, &TokenUsage::completion_tokens),
      Tokens(f::kCachedTokens, &TokenUsage::cached_tokens),
      {f::kCostUsd,
       [](const RunManifest& m) { return absl::StrCat(m.cost_usd); },
       [](const std::string& v, RunManifest& m) {
         double d = 0;
         // SimpleAtod skips spaces; a written cost never has any.
         if (v.find_first_of(" \t\r\n") != std::string::npos ||
             !absl::SimpleAtod(v, &d) || !std::isfinite(d) || d < 0) {
           return Bad(f::kCostUsd, v, "a non-negative number");
         }
         m.cost_usd = d;
         return absl::OkStatus();
       }},
  };
  return *codecs;
}

const FieldCodec* Find(std::string_view name) {
  for (const FieldCodec& c : Codecs()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

bool IsKnownRunStatus(std::string_view status) {
  for (std::string_view known :
       {run_status::kRequested, run_status::kFetching, run_status::kFetched,
        run_status::kPublished, run_status::kNoAnnouncements,
        run_status::kFailed}) {
    if (status == known) return true;
  }
  return false;
}

FieldValues EncodeManifest(const RunManifest& manifest,
                           std::span<const std::string_view> fields) {
  FieldValues out;
  out.reserve(fields.size());
  for (std::string_view name : fields) {
    if (const FieldCodec* c = Find(name)) {
      out.emplace_back(std::string(name), c->encode(manifest));
    }
  }
  return out;
}

FieldValues EncodeManifest(const RunManifest& manifest) {
  FieldValues out;
  for (const FieldCodec& c : Codecs()) {
    out.emplace_back(std::string(c.name), c.encode(manifest));
  }
  return out;
}

FieldValues EncodeDerivedRun(const RunManifest& manifest) {
  FieldValues out = EncodeManifest(manifest, kDerivedRunFields);
  if (!manifest.topics_override.empty()) {
    out.emplace_back(std::string(manifest_field::kTopicsOverride),
                     manifest.topics_override);
  }
  return out;
}

absl::StatusOr<RunManifest> DecodeManifest(
    const std::map<std::string, std::string>& hash) {
  RunManifest m;
  for (const auto& [name, value] : hash) {
    const FieldCodec* c = Find(name);
    if (c == nullptr) continue;  // written by a newer service, or by hand
    if (absl::Status s = c->decode(value, m); !s.ok()) return s;
  }
  return m;
}

}  // namespace arxiv_digest::contract
