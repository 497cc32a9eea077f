#include "lib/contract/stream_entries.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/contract/run_manifest.h"
#include "lib/core/string_view.h"
#include "lib/json/json_util.h"

namespace arxiv_digest::contract {
namespace {

namespace f = stream_field;

std::optional<std::string> FieldOf(const StreamFields& fields,
                                   std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> Required(const StreamFields& fields,
                                     std::string_view name) {
  std::optional<std::string> v = FieldOf(fields, name);
  if (!v)
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(name), ": missing"));
  return *std::move(v);
}

absl::StatusOr<RunId> RequiredRunId(const StreamFields& fields) {
  absl::StatusOr<std::string> v = Required(fields, f::kRunId);
  if (!v.ok()) return v.status();
  return RunId::Parse(*v, f::kRunId);
}

// A version-less arXiv id: the key of papers and scores.
absl::Status CheckPlainArxivId(std::string_view field, std::string_view id) {
  absl::StatusOr<ArxivId> parsed = ArxivId::Parse(id, field);
  if (!parsed.ok()) return parsed.status();
  if (parsed->version() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(field), ": '", AsAbsl(id), "' must be version-less"));
  }
  return absl::OkStatus();
}

// "<field>: <message>" for errors of the JSON decoders.
absl::Status InField(std::string_view field, const absl::Status& s) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(field), ": ", s.message()));
}

}  // namespace

absl::Status CheckJsonBounds(std::string_view field, std::string_view json,
                             size_t max_bytes) {
  if (json.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(field), ": JSON of ", json.size(),
                     " bytes (at most ", max_bytes, ")"));
  }
  if (absl::Status s = CheckJsonNesting(json, kMaxJsonDepth); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(field), ": ", s.message()));
  }
  return absl::OkStatus();
}

StreamFields EncodePaperEntry(const PaperEntry& entry) {
  return {{std::string(f::kRunId), entry.run_id.str()},
          {std::string(f::kArxivId), entry.paper.arxiv_id},
          {std::string(f::kPaper), PaperToJson(entry.paper)}};
}

absl::StatusOr<PaperEntry> DecodePaperEntry(const StreamFields& fields) {
  absl::StatusOr<RunId> run_id = RequiredRunId(fields);
  if (!run_id.ok()) return run_id.status();
  absl::StatusOr<std::string> id = Required(fields, f::kArxivId);
  if (!id.ok()) return id.status();
  if (absl::Status s = CheckPlainArxivId(f::kArxivId, *id); !s.ok()) return s;
  absl::StatusOr<std::string> json = Required(fields, f::kPaper);
  if (!json.ok()) return json.status();
  if (absl::Status s = CheckJsonBounds(f::kPaper, *json, kMaxPaperJsonBytes);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Paper> paper = PaperFromJson(*json);
  if (!paper.ok()) return InField(f::kPaper, paper.status());
  if (paper->arxiv_id != *id) {
    return absl::InvalidArgumentError(
        absl::StrCat(f::kPaper, ": arxiv_id '", paper->arxiv_id.substr(0, 60),
                     "' differs from the entry's '", *id, "'"));
  }
  return PaperEntry{*std::move(run_id), *std::move(paper)};
}

StreamFields EncodeScoreEntry(const ScoreEntry& entry) {
  return {{std::string(f::kType), std::string(score_entry_type::kScore)},
          {std::string(f::kRunId), entry.run_id.str()},
          {std::string(f::kArxivId), entry.score.arxiv_id},
          {std::string(f::kModel), entry.model},
          {std::string(f::kScore), ScoreToJson(entry.score)}};
}

StreamFields EncodeUsageEntry(const UsageEntry& entry) {
  return {{std::string(f::kType), std::string(score_entry_type::kUsage)},
          {std::string(f::kRunId), entry.run_id.str()},
          {std::string(f::kCallId), entry.call_id},
          {std::string(f::kModel), entry.model},
          {std::string(f::kUsage), UsageToJson(entry.usage)}};
}

absl::StatusOr<ScoresEntry> DecodeScoresEntry(const StreamFields& fields) {
  absl::StatusOr<std::string> type = Required(fields, f::kType);
  if (!type.ok()) return type.status();
  absl::StatusOr<RunId> run_id = RequiredRunId(fields);
  if (!run_id.ok()) return run_id.status();
  std::string model = FieldOf(fields, f::kModel).value_or("");
  if (*type == score_entry_type::kScore) {
    absl::StatusOr<std::string> id = Required(fields, f::kArxivId);
    if (!id.ok()) return id.status();
    if (absl::Status s = CheckPlainArxivId(f::kArxivId, *id); !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> json = Required(fields, f::kScore);
    if (!json.ok()) return json.status();
    if (absl::Status s = CheckJsonBounds(f::kScore, *json, kMaxSmallJsonBytes);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<Score> score = ScoreFromJson(*json);
    if (!score.ok()) return InField(f::kScore, score.status());
    if (score->arxiv_id.empty()) score->arxiv_id = *id;
    if (score->arxiv_id != *id) {
      return absl::InvalidArgumentError(
          absl::StrCat(f::kScore, ": arxiv_id '", score->arxiv_id.substr(0, 60),
                       "' differs from the entry's '", *id, "'"));
    }
    return ScoresEntry(
        ScoreEntry{*std::move(run_id), std::move(model), *std::move(score)});
  }
  if (*type == score_entry_type::kUsage) {
    absl::StatusOr<std::string> call = Required(fields, f::kCallId);
    if (!call.ok()) return call.status();
    if (call->empty() || call->size() > 200) {
      return absl::InvalidArgumentError(
          absl::StrCat(f::kCallId, ": must have 1 to 200 characters"));
    }
    absl::StatusOr<std::string> json = Required(fields, f::kUsage);
    if (!json.ok()) return json.status();
    if (absl::Status s = CheckJsonBounds(f::kUsage, *json, kMaxSmallJsonBytes);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<TokenUsage> usage = UsageFromJson(*json);
    if (!usage.ok()) return InField(f::kUsage, usage.status());
    return ScoresEntry(UsageEntry{*std::move(run_id), *std::move(call),
                                  std::move(model), *usage});
  }
  return absl::InvalidArgumentError(absl::StrCat(
      f::kType, ": '", type->substr(0, 60), "' is not score or usage"));
}

StreamFields EncodeRunEntry(const RunEntry& entry) {
  return {{std::string(f::kRunId), entry.run_id.str()},
          {std::string(f::kStatus), entry.status}};
}

absl::StatusOr<RunEntry> DecodeRunEntry(const StreamFields& fields) {
  absl::StatusOr<RunId> run_id = RequiredRunId(fields);
  if (!run_id.ok()) return run_id.status();
  // Older entries may lack the status: the manifest is the truth anyway.
  std::string status = FieldOf(fields, f::kStatus).value_or("");
  if (!status.empty() && !IsKnownRunStatus(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        f::kStatus, ": '", status.substr(0, 60), "' is not a run status"));
  }
  return RunEntry{*std::move(run_id), std::move(status)};
}

StreamFields EncodeTriggerEntry(const TriggerEntry& entry) {
  StreamFields fields = {
      {std::string(f::kRunId), entry.run_id.str()},
      {std::string(f::kCategories), absl::StrJoin(entry.categories, ",")},
      {std::string(f::kDate), entry.date ? entry.date->str() : ""}};
  if (entry.missing_days) fields.emplace_back(f::kMissingDays, "1");
  return fields;
}

absl::StatusOr<TriggerEntry> DecodeTriggerEntry(const StreamFields& fields) {
  absl::StatusOr<RunId> run_id = RequiredRunId(fields);
  if (!run_id.ok()) return run_id.status();
  TriggerEntry t{*std::move(run_id), {}, std::nullopt};
  std::string categories = FieldOf(fields, f::kCategories).value_or("");
  if (categories.size() > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat(f::kCategories, ": longer than 4096 bytes"));
  }
  for (absl::string_view c :
       absl::StrSplit(categories, ',', absl::SkipEmpty())) {
    c = absl::StripAsciiWhitespace(c);
    if (!c.empty()) t.categories.emplace_back(c);
  }
  std::string date = FieldOf(fields, f::kDate).value_or("");
  if (!date.empty()) {
    absl::StatusOr<Date> d = Date::Parse(date, f::kDate);
    if (!d.ok()) return d.status();
    t.date = *d;
  }
  std::string missing = FieldOf(fields, f::kMissingDays).value_or("0");
  if (missing != "0" && missing != "1") {
    return absl::InvalidArgumentError(
        absl::StrCat(f::kMissingDays, ": expected 0 or 1"));
  }
  t.missing_days = missing == "1";
  if (t.missing_days && (t.date || !t.categories.empty())) {
    return absl::InvalidArgumentError(absl::StrCat(
        f::kMissingDays, ": not combined with a date or categories"));
  }
  return t;
}

StreamFields EncodeDeadLetterEntry(const DeadLetterEntry& entry) {
  StreamFields out = {{std::string(f::kSourceStream), entry.source_stream},
                      {std::string(f::kSourceId), entry.source_id},
                      {std::string(f::kReason), entry.reason},
                      {std::string(f::kConsumer), entry.consumer}};
  const size_t n = std::min(entry.original.size(), kMaxDeadLetterFields);
  for (size_t i = 0; i < n; ++i) {
    const auto& [k, v] = entry.original[i];
    out.emplace_back(k.substr(0, kMaxDeadLetterValueBytes),
                     v.substr(0, kMaxDeadLetterValueBytes));
  }
  return out;
}

absl::StatusOr<DeadLetterEntry> DecodeDeadLetterEntry(
    const StreamFields& fields) {
  DeadLetterEntry d;
  for (std::string_view name :
       {f::kSourceStream, f::kSourceId, f::kReason, f::kConsumer}) {
    if (!FieldOf(fields, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(name), ": missing"));
    }
  }
  // The four own fields come first; everything after is the original.
  if (fields.size() < 4) {
    return absl::InvalidArgumentError("dead-letter entry: too few fields");
  }
  d.source_stream = *FieldOf(fields, f::kSourceStream);
  d.source_id = *FieldOf(fields, f::kSourceId);
  d.reason = *FieldOf(fields, f::kReason);
  d.consumer = *FieldOf(fields, f::kConsumer);
  d.original.assign(fields.begin() + 4, fields.end());
  return d;
}

}  // namespace arxiv_digest::contract
