// The shared stream consumer against a real redis-server. The consumer's own
// waiting runs on a FakeClock; Redis' idle times are real, so the claim
// tests use an idle threshold of a few milliseconds and short real sleeps.
#include "lib/redis/stream_consumer.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "lib/contract/stream_entries.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

constexpr char kStream[] = "s";
constexpr char kGroup[] = "g";
constexpr char kDeadLetters[] = "dl";

// A handler whose behaviour each test scripts.
class ScriptedHandler : public StreamHandler {
 public:
  std::function<absl::StatusOr<std::vector<EntryOutcome>>(
      const std::vector<StreamEntry>&)>
      handle = [](const std::vector<StreamEntry>& entries) {
        return std::vector<EntryOutcome>(entries.size());  // all kAck
      };
  std::function<bool(const std::vector<StreamEntry>&)> wants_more =
      [](const std::vector<StreamEntry>&) { return true; };
  absl::Status give_up_status;

  std::vector<std::vector<StreamEntry>> calls;  // every Handle argument
  std::vector<std::pair<std::string, std::string>> given_up;  // id, reason
  int wants_more_calls = 0;

  absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) override {
    calls.push_back(entries);
    return handle(entries);
  }
  absl::Status OnGiveUp(const StreamEntry& entry,
                        const std::string& reason) override {
    given_up.emplace_back(entry.id, reason);
    return give_up_status;
  }
  bool WantsMore(const std::vector<StreamEntry>& so_far) override {
    ++wants_more_calls;
    return wants_more(so_far);
  }
};

std::vector<EntryOutcome> All(size_t n, Disposition d) {
  std::vector<EntryOutcome> out(n);
  for (EntryOutcome& o : out) o.disposition = d;
  return out;
}

class StreamConsumerTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
  }

  StreamConsumerOptions Options(const std::string& consumer = "c1") {
    StreamConsumerOptions o;
    o.stream = kStream;
    o.group = kGroup;
    o.consumer = consumer;
    o.block = milliseconds(10);
    o.claim_idle = milliseconds(0);
    o.max_deliveries = 0;
    return o;
  }

  std::string Add(const std::string& n) {
    absl::StatusOr<std::string> id = redis_->XAdd(kStream, {{"n", n}});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }

  std::vector<RedisClient::PendingEntry> Pending() {
    auto p = redis_->XPendingRange(kStream, kGroup, "-", "+", 100);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : std::vector<RedisClient::PendingEntry>{};
  }

  std::vector<StreamEntry> DeadLetters() {
    auto r = redis_->Command({"XRANGE", kDeadLetters, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<StreamEntry> out;
    if (!r.ok()) return out;
    for (const RedisReply& e : r->elements) {
      StreamEntry entry;
      entry.id = e.elements[0].str;
      const RedisReply& kv = e.elements[1];
      for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
        entry.fields.emplace_back(kv.elements[i].str, kv.elements[i + 1].str);
      }
      out.push_back(std::move(entry));
    }
    return out;
  }

  static std::vector<std::string> Values(const std::vector<StreamEntry>& es) {
    std::vector<std::string> out;
    out.reserve(es.size());
    for (const StreamEntry& e : es) out.push_back(e.Field("n").value_or("?"));
    return out;
  }

  FakeClock clock_;
};

TEST_F(StreamConsumerTest, AcksOnlyAfterHandlerReturnedAck) {
  StreamConsumer consumer(*redis_, Options(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  Add("b");
  ScriptedHandler handler;
  size_t pending_during_handle = 0;
  handler.handle = [&](const std::vector<StreamEntry>& entries) {
    pending_during_handle = Pending().size();
    return All(entries.size(), Disposition::kAck);
  };
  absl::StatusOr<int> handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 2);
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(pending_during_handle, 2u) << "acked before the side effect";
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, KeepPendingStaysPendingAndIsRedelivered) {
  StreamConsumerOptions options = Options();
  options.claim_idle = milliseconds(5);
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>& entries) {
    return All(entries.size(), Disposition::kKeepPending);
  };
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(Pending().size(), 1u);

  std::this_thread::sleep_for(milliseconds(20));  // Redis idle time is real
  handler.handle = [](const std::vector<StreamEntry>& entries) {
    return All(entries.size(), Disposition::kAck);
  };
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(handler.calls.size(), 2u);
  EXPECT_EQ(Values(handler.calls[1]), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, HandlerErrorLeavesAllPendingAndOwnPassRereads) {
  // claim_idle 0: only the own-pending pass can bring them back.
  StreamConsumer consumer(*redis_, Options(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  Add("b");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&)
      -> absl::StatusOr<std::vector<EntryOutcome>> {
    return absl::UnavailableError("llm down");
  };
  EXPECT_FALSE(consumer.Step(handler).ok());
  EXPECT_EQ(Pending().size(), 2u);

  handler.handle = [](const std::vector<StreamEntry>& entries) {
    return All(entries.size(), Disposition::kAck);
  };
  absl::StatusOr<int> handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  ASSERT_EQ(handler.calls.size(), 2u);
  EXPECT_EQ(Values(handler.calls[1]), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, OutcomeCountMismatchIsAnErrorAndAcksNothing) {
  StreamConsumer consumer(*redis_, Options(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  Add("b");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&) {
    return All(1, Disposition::kAck);
  };
  EXPECT_FALSE(consumer.Step(handler).ok());
  EXPECT_EQ(Pending().size(), 2u);
}

TEST_F(StreamConsumerTest, KeptEntriesDoNotStarveNewOnesInTheOwnPass) {
  StreamConsumer consumer(*redis_, Options(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&)
      -> absl::StatusOr<std::vector<EntryOutcome>> {
    return absl::UnavailableError("fail once");
  };
  EXPECT_FALSE(consumer.Step(handler).ok());
  Add("b");
  handler.handle = [](const std::vector<StreamEntry>& entries) {
    std::vector<EntryOutcome> out(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].Field("n") == "a") {
        out[i].disposition = Disposition::kKeepPending;
      }
    }
    return out;
  };
  ASSERT_TRUE(consumer.Step(handler).ok());  // own pass: a, kept
  ASSERT_TRUE(consumer.Step(handler).ok());  // pass done: fresh b
  ASSERT_EQ(handler.calls.size(), 3u);
  EXPECT_EQ(Values(handler.calls[1]), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Values(handler.calls[2]), (std::vector<std::string>{"b"}));
}

TEST_F(StreamConsumerTest, DeadLettersAfterMaxDeliveriesBeforeTheHandler) {
  StreamConsumerOptions options = Options();
  options.max_deliveries = 2;
  options.dead_letter_stream = kDeadLetters;
  std::vector<std::string> reasons;
  StreamConsumerObserver observer;
  observer.on_dead_letter = [&](const std::string& r) { reasons.push_back(r); };
  StreamConsumer consumer(*redis_, options, clock_, observer);
  ASSERT_TRUE(consumer.Init().ok());
  const std::string id = Add("poison");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&)
      -> absl::StatusOr<std::vector<EntryOutcome>> {
    return absl::InternalError("crashes every time");
  };
  EXPECT_FALSE(consumer.Step(handler).ok());  // delivery 1
  EXPECT_FALSE(consumer.Step(handler).ok());  // delivery 2
  EXPECT_TRUE(handler.given_up.empty());
  EXPECT_TRUE(DeadLetters().empty());

  absl::StatusOr<int> handled = consumer.Step(handler);  // delivery 3
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  EXPECT_EQ(handler.calls.size(), 2u) << "handler saw the entry a third time";
  ASSERT_EQ(handler.given_up.size(), 1u);
  EXPECT_EQ(handler.given_up[0].first, id);
  EXPECT_EQ(handler.given_up[0].second, "delivered 3 times without success");
  std::vector<StreamEntry> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].Field("source_id"), id);
  EXPECT_EQ(reasons,
            (std::vector<std::string>{"delivered 3 times without success"}));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, GiveUpErrorKeepsTheEntryPending) {
  StreamConsumerOptions options = Options();
  options.max_deliveries = 1;
  options.dead_letter_stream = kDeadLetters;
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("poison");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&)
      -> absl::StatusOr<std::vector<EntryOutcome>> {
    return absl::InternalError("boom");
  };
  handler.give_up_status = absl::UnavailableError("cannot record unscored");
  EXPECT_FALSE(consumer.Step(handler).ok());
  EXPECT_FALSE(consumer.Step(handler).ok());
  EXPECT_EQ(handler.given_up.size(), 1u);
  EXPECT_TRUE(DeadLetters().empty());
  EXPECT_EQ(Pending().size(), 1u);
}

TEST_F(StreamConsumerTest, HandlerDeadLetterOutcomeParksAndAcks) {
  StreamConsumerOptions options = Options();
  options.dead_letter_stream = kDeadLetters;
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("ok");
  const std::string bad = Add("bad");
  const std::string kept = Add("kept");
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&) {
    std::vector<EntryOutcome> out(3);
    out[1] = {Disposition::kDeadLetter, "malformed entry: no paper field"};
    out[2].disposition = Disposition::kKeepPending;
    return out;
  };
  absl::StatusOr<int> handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 3);
  std::vector<StreamEntry> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].Field("source_id"), bad);
  EXPECT_EQ(dead[0].Field("reason"), "malformed entry: no paper field");
  std::vector<RedisClient::PendingEntry> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, kept);
}

TEST_F(StreamConsumerTest, DeadLetterEntryFieldsAreBounded) {
  StreamConsumerOptions options = Options();
  options.dead_letter_stream = kDeadLetters;
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  // A poison entry: one huge value and more fields than are copied.
  std::vector<std::pair<std::string, std::string>> fields = {
      {"a", "short"},
      {"big", std::string(contract::kMaxDeadLetterValueBytes * 4, 'x')}};
  for (size_t i = 0; fields.size() < contract::kMaxDeadLetterFields + 5; ++i) {
    fields.emplace_back("f" + std::to_string(i), "v");
  }
  const std::string id = *redis_->XAdd(kStream, fields);
  ScriptedHandler handler;
  handler.handle = [](const std::vector<StreamEntry>&) {
    return std::vector<EntryOutcome>{{Disposition::kDeadLetter, "why"}};
  };
  ASSERT_TRUE(consumer.Step(handler).ok());
  std::vector<StreamEntry> dead = DeadLetters();
  ASSERT_EQ(dead.size(), 1u);
  absl::StatusOr<contract::DeadLetterEntry> d =
      contract::DecodeDeadLetterEntry(dead[0].fields);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->source_stream, kStream);
  EXPECT_EQ(d->source_id, id);
  EXPECT_EQ(d->reason, "why");
  EXPECT_EQ(d->consumer, "c1");
  ASSERT_EQ(d->original.size(), contract::kMaxDeadLetterFields);
  EXPECT_EQ(d->original[0], fields[0]);
  EXPECT_EQ(d->original[1].second.size(), contract::kMaxDeadLetterValueBytes);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, ClaimsAnotherConsumersIdleEntry) {
  StreamConsumerOptions options = Options("c2");
  options.claim_idle = milliseconds(5);
  int claimed = 0;
  StreamConsumerObserver observer;
  observer.on_claimed = [&](int n) { claimed += n; };
  StreamConsumer consumer(*redis_, options, clock_, observer);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  // A replica that read the entry and died.
  ASSERT_TRUE(
      redis_->XReadGroup(kGroup, "dead", kStream, 10, milliseconds(0)).ok());
  std::this_thread::sleep_for(milliseconds(20));
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"a"}));
  EXPECT_EQ(claimed, 1);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(StreamConsumerTest, KeepAliveRenewsIdleTimeAndPreventsAClaim) {
  StreamConsumerOptions slow_options = Options("slow");
  StreamConsumer slow(*redis_, slow_options, clock_);
  ASSERT_TRUE(slow.Init().ok());
  const std::string id = Add("long call");
  ScriptedHandler slow_handler;
  slow_handler.handle = [](const std::vector<StreamEntry>& entries) {
    return All(entries.size(), Disposition::kKeepPending);  // still working
  };
  ASSERT_TRUE(slow.Step(slow_handler).ok());

  StreamConsumerOptions other_options = Options("other");
  other_options.claim_idle = milliseconds(300);
  StreamConsumer other(*redis_, other_options, clock_);
  ScriptedHandler other_handler;

  std::this_thread::sleep_for(milliseconds(350));
  absl::StatusOr<std::vector<std::string>> renewed = slow.KeepAlive({id});
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(*renewed, std::vector<std::string>{id});
  std::vector<RedisClient::PendingEntry> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_LT(pending[0].idle, milliseconds(300));
  EXPECT_EQ(pending[0].deliveries, 1) << "KeepAlive is not a delivery";
  ASSERT_TRUE(other.Step(other_handler).ok());
  EXPECT_TRUE(other_handler.calls.empty()) << "renewed entry was taken over";

  // Without a renewal it is taken over, and KeepAlive no longer takes it
  // back from the new owner.
  std::this_thread::sleep_for(milliseconds(350));
  ASSERT_TRUE(other.Step(other_handler).ok());
  EXPECT_EQ(other_handler.calls.size(), 1u);
  renewed = slow.KeepAlive({id});
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_TRUE(renewed->empty());
}

TEST_F(StreamConsumerTest, RecreatesTheGroupAfterTheStreamWasDeleted) {
  StreamConsumer consumer(*redis_, Options(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());  // own pass done
  ASSERT_TRUE(redis_->Del(kStream).ok());
  absl::StatusOr<int> handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 0);
  Add("after");
  handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 1);
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"after"}));
}

TEST_F(StreamConsumerTest, GroupStartDollarSkipsOlderEntries) {
  Add("old");
  StreamConsumerOptions options = Options();
  options.group_start_id = "$";
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("new");
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());  // own pass: nothing
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"new"}));
}

class StreamConsumerFillTest : public StreamConsumerTest {
 protected:
  StreamConsumerOptions FillOptions() {
    StreamConsumerOptions o = Options();
    o.batch = 3;
    o.fill_wait = milliseconds(1000);
    return o;
  }
};

TEST_F(StreamConsumerFillTest, TopsUpAPartialBatchWhileTheHandlerWantsMore) {
  StreamConsumer consumer(*redis_, FillOptions(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());  // own pass: nothing
  Add("1");
  // The producer appends one entry at a time, while we wait.
  handler.wants_more = [&](const std::vector<StreamEntry>& so_far) {
    Add(std::to_string(so_far.size() + 1));
    return true;
  };
  absl::StatusOr<int> handled = consumer.Step(handler);
  ASSERT_TRUE(handled.ok()) << handled.status();
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]),
            (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(handler.wants_more_calls, 2);
}

TEST_F(StreamConsumerFillTest, NoTopUpWhenTheHandlerWantsNoMore) {
  StreamConsumer consumer(*redis_, FillOptions(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());
  Add("1");
  handler.wants_more = [&](const std::vector<StreamEntry>&) {
    Add("2");
    return false;  // e.g. the run is fetched: nothing more will come
  };
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"1"}));
}

TEST_F(StreamConsumerFillTest, NoTopUpAfterTheFillWaitElapsed) {
  StreamConsumer consumer(*redis_, FillOptions(), clock_);
  ASSERT_TRUE(consumer.Init().ok());
  ScriptedHandler handler;
  ASSERT_TRUE(consumer.Step(handler).ok());
  Add("1");
  handler.wants_more = [&](const std::vector<StreamEntry>&) {
    Add("2");
    clock_.Advance(milliseconds(1001));
    return true;
  };
  ASSERT_TRUE(consumer.Step(handler).ok());
  ASSERT_EQ(handler.calls.size(), 1u);
  EXPECT_EQ(Values(handler.calls[0]), (std::vector<std::string>{"1"}));
}

TEST_F(StreamConsumerTest, RunBacksOffOnTheClockAfterAFailedStep) {
  StreamConsumerOptions options = Options();
  options.error_backoff = milliseconds(700);
  StreamConsumer consumer(*redis_, options, clock_);
  ASSERT_TRUE(consumer.Init().ok());
  Add("a");
  ScriptedHandler handler;
  int failures = 0;
  handler.handle = [&](const std::vector<StreamEntry>& entries)
      -> absl::StatusOr<std::vector<EntryOutcome>> {
    if (++failures <= 2) return absl::UnavailableError("down");
    return All(entries.size(), Disposition::kAck);
  };
  consumer.Run(handler, [&] { return handler.calls.size() >= 3; });
  EXPECT_EQ(clock_.sleeps(),
            (std::vector<milliseconds>{milliseconds(700), milliseconds(700)}));
  EXPECT_TRUE(Pending().empty());
}

}  // namespace
}  // namespace arxiv_digest
