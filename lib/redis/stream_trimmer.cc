#include "lib/redis/stream_trimmer.h"

#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

struct ParsedId {
  uint64_t ms = 0;
  uint64_t seq = 0;
};

std::optional<ParsedId> ParseId(const std::string& id) {
  size_t dash = id.find('-');
  ParsedId p;
  if (dash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(id).substr(0, dash), &p.ms) ||
      !absl::SimpleAtoi(absl::string_view(id).substr(dash + 1), &p.seq)) {
    return std::nullopt;
  }
  return p;
}

// The id right after `id`: entries below it are at or before `id`.
std::optional<std::string> NextId(const std::string& id) {
  std::optional<ParsedId> p = ParseId(id);
  if (!p) return std::nullopt;
  if (p->seq == std::numeric_limits<uint64_t>::max()) {
    return absl::StrCat(p->ms + 1, "-0");
  }
  return absl::StrCat(p->ms, "-", p->seq + 1);
}

// A flat [key, value, ...] RESP2 map as one field's string value.
std::optional<std::string> MapField(const RedisReply& map,
                                    std::string_view name) {
  for (size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].str == name) return map.elements[i + 1].str;
  }
  return std::nullopt;
}

}  // namespace

bool StreamIdLess(const std::string& a, const std::string& b) {
  std::optional<ParsedId> pa = ParseId(a);
  std::optional<ParsedId> pb = ParseId(b);
  if (!pa || !pb) return false;
  return pa->ms != pb->ms ? pa->ms < pb->ms : pa->seq < pb->seq;
}

std::optional<std::string> AckFloor(const std::vector<GroupProgress>& groups) {
  std::optional<std::string> floor;
  for (const GroupProgress& g : groups) {
    std::optional<std::string> need = g.oldest_pending_id;
    if (!need) need = NextId(g.last_delivered_id);
    // A group we cannot read blocks all trimming: never guess.
    if (!need || !ParseId(*need)) return std::nullopt;
    if (!floor || StreamIdLess(*need, *floor)) floor = need;
  }
  return floor;
}

std::optional<std::string> TrimFloor(const std::vector<GroupProgress>& groups,
                                     const std::optional<std::string>& age) {
  std::optional<std::string> acked = AckFloor(groups);
  if (!groups.empty() && !acked) return std::nullopt;  // unreadable group
  if (!age || !ParseId(*age)) return acked;
  // By age, but never past an entry some group holds pending.
  std::string cut = *age;
  for (const GroupProgress& g : groups) {
    if (g.oldest_pending_id && StreamIdLess(*g.oldest_pending_id, cut)) {
      cut = *g.oldest_pending_id;
    }
  }
  if (!acked || StreamIdLess(*acked, cut)) return cut;
  return acked;
}

StreamTrimmer::StreamTrimmer(RedisClient& redis,
                             std::vector<StreamTrimPolicy> policies,
                             Clock& clock)
    : redis_(redis), policies_(std::move(policies)), clock_(clock) {}

std::vector<StreamTrimPolicy> StreamTrimmer::DefaultPolicies(
    std::chrono::milliseconds max_age, int64_t dead_letter_max_len) {
  return {{keys::PapersStream(), max_age},
          {keys::ScoresStream(), max_age},
          {keys::RunsStream(), max_age},
          {keys::TriggersStream(), max_age},
          {keys::DeadLetterStream(), max_age, dead_letter_max_len}};
}

absl::StatusOr<std::vector<StreamTrimResult>> StreamTrimmer::TrimOnce() {
  std::vector<StreamTrimResult> results;
  for (const StreamTrimPolicy& policy : policies_) {
    absl::StatusOr<int64_t> trimmed = TrimStream(policy);
    if (!trimmed.ok()) return trimmed.status();
    results.push_back({policy.stream, *trimmed});
  }
  return results;
}

absl::StatusOr<std::optional<std::vector<GroupProgress>>> StreamTrimmer::Groups(
    const std::string& stream) {
  absl::StatusOr<RedisReply> exists = redis_.Command({"EXISTS", stream});
  if (!exists.ok()) return exists.status();
  if (exists->integer == 0) return std::nullopt;
  absl::StatusOr<RedisReply> info = redis_.Command({"XINFO", "GROUPS", stream});
  if (!info.ok()) return info.status();
  std::vector<GroupProgress> groups;
  for (const RedisReply& g : info->elements) {
    std::optional<std::string> name = MapField(g, "name");
    std::optional<std::string> last = MapField(g, "last-delivered-id");
    if (!name || !last) {
      return absl::InternalError(
          absl::StrCat("XINFO GROUPS ", stream, ": unexpected reply"));
    }
    GroupProgress progress{*last, std::nullopt};
    absl::StatusOr<std::vector<RedisClient::PendingEntry>> pending =
        redis_.XPendingRange(stream, *name, "-", "+", 1);
    if (!pending.ok()) return pending.status();
    if (!pending->empty()) progress.oldest_pending_id = pending->front().id;
    groups.push_back(std::move(progress));
  }
  return groups;
}

absl::StatusOr<int64_t> StreamTrimmer::TrimStream(
    const StreamTrimPolicy& policy) {
  absl::StatusOr<std::optional<std::vector<GroupProgress>>> groups =
      Groups(policy.stream);
  if (!groups.ok()) return groups.status();
  if (!groups->has_value()) return 0;  // no such stream
  int64_t trimmed = 0;
  auto xtrim = [&](const std::vector<std::string>& args) -> absl::Status {
    absl::StatusOr<RedisReply> r = redis_.Command(args);
    if (!r.ok()) return r.status();
    trimmed += r->integer;
    return absl::OkStatus();
  };
  std::optional<std::string> age_floor;
  if (policy.max_age.count() > 0) {
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            clock_.Now().time_since_epoch())
            .count();
    const int64_t min_ms = now_ms - policy.max_age.count();
    if (min_ms > 0) age_floor = absl::StrCat(min_ms, "-0");
  }
  if (std::optional<std::string> floor = TrimFloor(**groups, age_floor)) {
    if (absl::Status s = xtrim({"XTRIM", policy.stream, "MINID", *floor});
        !s.ok()) {
      return s;
    }
  }
  if (!(*groups)->empty()) return trimmed;
  if (policy.max_len_cap > 0) {
    if (absl::Status s = xtrim({"XTRIM", policy.stream, "MAXLEN", "~",
                                std::to_string(policy.max_len_cap)});
        !s.ok()) {
      return s;
    }
  }
  return trimmed;
}

}  // namespace arxiv_digest
