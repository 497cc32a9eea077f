#include "lib/redis/stream_consumer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/contract/stream_entries.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

bool IsNoGroup(const absl::Status& s) {
  return s.message().find("NOGROUP") != std::string_view::npos;
}

}  // namespace

absl::Status StreamHandler::OnGiveUp(const StreamEntry& /*entry*/,
                                     const std::string& /*reason*/) {
  return absl::OkStatus();
}

bool StreamHandler::WantsMore(const std::vector<StreamEntry>& /*so_far*/) {
  return true;
}

StreamConsumer::StreamConsumer(RedisClient& redis,
                               StreamConsumerOptions options, Clock& clock,
                               StreamConsumerObserver observer)
    : redis_(redis),
      options_(std::move(options)),
      clock_(clock),
      observer_(std::move(observer)) {}

absl::Status StreamConsumer::Init() {
  return redis_.EnsureGroup(options_.stream, options_.group,
                            options_.group_start_id);
}

absl::StatusOr<std::vector<StreamEntry>> StreamConsumer::Read(
    StreamHandler& handler, Source& source) {
  if (own_pending_) {
    source = Source::kOwnPending;
    absl::StatusOr<std::vector<StreamEntry>> own = redis_.XReadGroup(
        options_.group, options_.consumer, options_.stream, options_.batch,
        std::chrono::milliseconds(0), own_cursor_);
    if (!own.ok()) return own.status();
    if (!own->empty()) {
      own_cursor_ = own->back().id;
      return own;
    }
    own_pending_ = false;  // the pass is complete
    own_cursor_ = "0";
  }
  if (options_.claim_idle.count() > 0) {
    source = Source::kClaimed;
    absl::StatusOr<RedisClient::AutoClaimResult> claimed =
        redis_.XAutoClaim(options_.stream, options_.group, options_.consumer,
                          options_.claim_idle, claim_cursor_, options_.batch);
    if (!claimed.ok()) return claimed.status();
    claim_cursor_ = claimed->next_cursor.empty() ? "0-0" : claimed->next_cursor;
    if (!claimed->entries.empty()) {
      LogInfo("took over idle entries",
              {{"stream", options_.stream},
               {"consumer", options_.consumer},
               {"count", std::to_string(claimed->entries.size())}});
      if (observer_.on_claimed) {
        observer_.on_claimed(static_cast<int>(claimed->entries.size()));
      }
      return std::move(claimed->entries);
    }
  }
  source = Source::kFresh;
  return ReadFresh(handler);
}

absl::StatusOr<std::vector<StreamEntry>> StreamConsumer::ReadFresh(
    StreamHandler& handler) {
  absl::StatusOr<std::vector<StreamEntry>> read =
      redis_.XReadGroup(options_.group, options_.consumer, options_.stream,
                        options_.batch, options_.block);
  if (!read.ok() || read->empty() || options_.fill_wait.count() <= 0) {
    return read;
  }
  // Top up a partial batch for a short while (producers often append one
  // entry at a time): fewer, fuller handler calls. What was read is already
  // ours (pending), so an error here just hands over what we have.
  const auto deadline = clock_.Monotonic() + options_.fill_wait;
  while (static_cast<int>(read->size()) < options_.batch &&
         handler.WantsMore(*read)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock_.Monotonic());
    if (left.count() <= 0) break;
    absl::StatusOr<std::vector<StreamEntry>> more = redis_.XReadGroup(
        options_.group, options_.consumer, options_.stream,
        options_.batch - static_cast<int>(read->size()), left);
    if (!more.ok() || more->empty()) break;
    read->insert(read->end(), std::make_move_iterator(more->begin()),
                 std::make_move_iterator(more->end()));
  }
  return read;
}

absl::StatusOr<std::map<std::string, int64_t>> StreamConsumer::DeliveryCounts(
    const std::vector<StreamEntry>& entries) {
  std::map<std::string, int64_t> counts;
  // One ranged XPENDING over this consumer's list covers the batch (its ids
  // are in order); other own entries in the range may push some out of the
  // COUNT, so those are asked one by one.
  const int count = static_cast<int>(entries.size()) * 2 + 64;
  absl::StatusOr<std::vector<RedisClient::PendingEntry>> range =
      redis_.XPendingRange(options_.stream, options_.group, entries.front().id,
                           entries.back().id, count, options_.consumer);
  if (!range.ok()) return range.status();
  for (const RedisClient::PendingEntry& p : *range) {
    counts[p.id] = p.deliveries;
  }
  std::vector<std::string> missing;
  for (const StreamEntry& e : entries) {
    if (!counts.count(e.id)) missing.push_back(e.id);
  }
  if (!missing.empty()) {
    absl::StatusOr<std::map<std::string, int64_t>> rest =
        redis_.PendingDeliveries(options_.stream, options_.group, missing);
    if (!rest.ok()) return rest.status();
    counts.insert(rest->begin(), rest->end());
  }
  return counts;
}

absl::Status StreamConsumer::DeadLetter(const StreamEntry& entry,
                                        const std::string& reason) {
  if (!options_.dead_letter_stream.empty()) {
    contract::DeadLetterEntry dead;
    dead.source_stream = options_.stream;
    dead.source_id = entry.id;
    dead.reason = reason;
    dead.consumer = options_.consumer;
    dead.original = entry.fields;
    absl::StatusOr<std::string> id = redis_.XAdd(
        options_.dead_letter_stream, contract::EncodeDeadLetterEntry(dead));
    if (!id.ok()) return id.status();
  }
  LogError(
      "entry dead-lettered",
      {{"stream", options_.stream}, {"entry", entry.id}, {"reason", reason}});
  if (observer_.on_dead_letter) observer_.on_dead_letter(reason);
  return absl::OkStatus();
}

absl::StatusOr<int> StreamConsumer::Process(StreamHandler& handler,
                                            std::vector<StreamEntry> entries,
                                            Source source) {
  const int total = static_cast<int>(entries.size());
  std::vector<std::string> ack;
  // On a failure half-way, what is already done is still acked (best
  // effort), so it is not redone; the rest stays pending.
  auto fail = [&](absl::Status error) {
    redis_.XAck(options_.stream, options_.group, ack).IgnoreError();
    return error;
  };
  // The count is checked before the handler (or any parser) sees an entry.
  // A fresh entry (XREADGROUP >) has been delivered exactly once.
  if (options_.max_deliveries > 0 && source != Source::kFresh) {
    absl::StatusOr<std::map<std::string, int64_t>> counts =
        DeliveryCounts(entries);
    if (!counts.ok()) return counts.status();
    std::vector<StreamEntry> within;
    for (StreamEntry& e : entries) {
      auto it = counts->find(e.id);
      if (it == counts->end() || it->second <= options_.max_deliveries) {
        within.push_back(std::move(e));
        continue;
      }
      std::string reason =
          absl::StrCat("delivered ", it->second, " times without success");
      if (absl::Status s = handler.OnGiveUp(e, reason); !s.ok()) {
        return fail(s);
      }
      if (absl::Status s = DeadLetter(e, reason); !s.ok()) return fail(s);
      ack.push_back(e.id);
    }
    entries = std::move(within);
  }
  if (!entries.empty()) {
    absl::StatusOr<std::vector<EntryOutcome>> outcomes =
        handler.Handle(entries);
    if (outcomes.ok() && outcomes->size() != entries.size()) {
      outcomes = absl::InternalError(
          absl::StrCat("handler returned ", outcomes->size(), " outcomes for ",
                       entries.size(), " entries"));
    }
    if (!outcomes.ok()) return fail(outcomes.status());
    for (size_t i = 0; i < entries.size(); ++i) {
      const EntryOutcome& o = (*outcomes)[i];
      switch (o.disposition) {
        case Disposition::kAck:
          ack.push_back(entries[i].id);
          break;
        case Disposition::kKeepPending:
          break;
        case Disposition::kDeadLetter:
          if (absl::Status s = DeadLetter(entries[i], o.reason); !s.ok()) {
            return fail(s);
          }
          ack.push_back(entries[i].id);
          break;
      }
    }
  }
  if (absl::Status s = redis_.XAck(options_.stream, options_.group, ack);
      !s.ok()) {
    return s;
  }
  return total;
}

absl::StatusOr<int> StreamConsumer::Step(StreamHandler& handler) {
  Source source = Source::kFresh;
  absl::StatusOr<std::vector<StreamEntry>> entries = Read(handler, source);
  if (!entries.ok() && IsNoGroup(entries.status())) {
    // Redis came back without our group (restarted without persistence, or
    // the stream was deleted): re-create it instead of failing forever.
    LogWarning("consumer group missing; re-creating it",
               {{"stream", options_.stream}, {"group", options_.group}});
    own_pending_ = true;
    own_cursor_ = "0";
    claim_cursor_ = "0-0";
    if (absl::Status s = Init(); !s.ok()) return s;
    return 0;
  }
  if (!entries.ok()) {
    own_pending_ = true;
    own_cursor_ = "0";
    return entries.status();
  }
  if (entries->empty()) return 0;
  absl::StatusOr<int> handled = Process(handler, *std::move(entries), source);
  if (!handled.ok()) {
    // What we read may not have been acked: re-read it from the start of
    // our pending list next time.
    own_pending_ = true;
    own_cursor_ = "0";
  }
  return handled;
}

void StreamConsumer::Run(StreamHandler& handler,
                         const std::function<bool()>& stop) {
  while (!stop()) {
    absl::StatusOr<int> handled = Step(handler);
    if (!handled.ok()) {
      LogError("stream step failed; retrying",
               {{"stream", options_.stream},
                {"error", std::string(handled.status().message())}});
      clock_.SleepFor(options_.error_backoff);
    }
  }
}

absl::StatusOr<std::vector<std::string>> StreamConsumer::KeepAlive(
    const std::vector<std::string>& ids) {
  return KeepAlive(redis_, ids);
}

absl::StatusOr<std::vector<std::string>> StreamConsumer::KeepAlive(
    RedisClient& redis, const std::vector<std::string>& ids) {
  // XCLAIM with min-idle 0 would take an entry from whoever owns it, so
  // first keep only the ids that are still ours.
  std::vector<std::string> ours;
  for (const std::string& id : ids) {
    absl::StatusOr<std::vector<RedisClient::PendingEntry>> p =
        redis.XPendingRange(options_.stream, options_.group, id, id, 1,
                            options_.consumer);
    if (!p.ok()) return p.status();
    if (!p->empty()) ours.push_back(id);
  }
  return redis.XClaimJustId(options_.stream, options_.group, options_.consumer,
                            std::chrono::milliseconds(0), ours);
}

}  // namespace arxiv_digest
