// The shared Redis client against a real redis-server on loopback.
#include "lib/redis/redis_client.h"

#include <gtest/gtest.h>

#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class RedisClientTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
  }
};

TEST(ParseRedisUrlTest, HostPortPasswordDb) {
  absl::StatusOr<RedisEndpoint> ep =
      ParseRedisUrl("redis://:s3cret@db.local:6380/3");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "db.local");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->password, "s3cret");
  EXPECT_EQ(ep->db, 3);
  EXPECT_FALSE(ParseRedisUrl("http://x").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://h:notaport").ok());
}

TEST(ParseRedisUrlTest, AclUserAndPercentEncodedPassword) {
  absl::StatusOr<RedisEndpoint> ep =
      ParseRedisUrl("redis://arxiv:p%40ss:w%2Frd@redis:6379/0");
  ASSERT_TRUE(ep.ok()) << ep.status();
  EXPECT_EQ(ep->user, "arxiv");
  EXPECT_EQ(ep->password, "p@ss:w/rd");
  EXPECT_EQ(ep->host, "redis");
  // A literal '@' in the password works too: the last '@' ends it.
  ep = ParseRedisUrl("redis://arxiv:a@b@redis:6380");
  ASSERT_TRUE(ep.ok()) << ep.status();
  EXPECT_EQ(ep->password, "a@b");
  EXPECT_EQ(ep->port, 6380);
  // No ':' in the user information: a password for the default user.
  ep = ParseRedisUrl("redis://only-a-password@redis");
  ASSERT_TRUE(ep.ok()) << ep.status();
  EXPECT_EQ(ep->user, "");
  EXPECT_EQ(ep->password, "only-a-password");
  ep = ParseRedisUrl("redis://redis:6379");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->user, "");
  EXPECT_EQ(ep->password, "");
}

TEST(ParseRedisUrlTest, TlsUrlSaysToUseTheStunnelSidecar) {
  absl::StatusOr<RedisEndpoint> ep =
      ParseRedisUrl("rediss://arxiv:hunter2-pw@cache.example:6380");
  ASSERT_FALSE(ep.ok());
  const std::string message(ep.status().message());
  EXPECT_NE(message.find("stunnel"), std::string::npos) << message;
  EXPECT_NE(message.find("redis://[user:password@]127.0.0.1:6380"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(ParseRedisUrlTest, BadUserInformationIsRefusedWithoutThePassword) {
  for (const char* url : {"redis://arxiv:hunter2-pw%zz@cache.example",
                          "redis://arxiv:hunter2-pw%4@cache.example",
                          "redis://arxiv:@cache.example"}) {
    absl::StatusOr<RedisEndpoint> ep = ParseRedisUrl(url);
    ASSERT_FALSE(ep.ok()) << url;
    const std::string message(ep.status().message());
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("REDIS_URL"), std::string::npos) << message;
  }
}

TEST(ParseRedisUrlTest, ErrorsNeverShowThePassword) {
  for (const char* url : {"rediss://:hunter2-pw@cache.example:6380",
                          "redis://user:hunter2-pw@cache.example:notaport",
                          "redis://:hunter2-pw@cache.example:6379/x"}) {
    absl::StatusOr<RedisEndpoint> ep = ParseRedisUrl(url);
    ASSERT_FALSE(ep.ok()) << url;
    std::string message(ep.status().message());
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("REDIS_URL"), std::string::npos) << message;
    EXPECT_NE(message.find(":***@cache.example"), std::string::npos) << message;
  }
}

TEST_F(RedisClientTest, StreamsConsumerGroupLifecycle) {
  ASSERT_TRUE(redis_->EnsureGroup("s", "g").ok());
  ASSERT_TRUE(redis_->EnsureGroup("s", "g").ok()) << "existing group is fine";
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(redis_
                    ->XAdd("s", {{"n", std::to_string(i)},
                                 {"bin", std::string("a\0b", 3)}})
                    .ok());
  }
  auto first =
      redis_->XReadGroup("g", "c1", "s", 2, std::chrono::milliseconds(100));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->at(0).Field("n"), "0");
  EXPECT_EQ(first->at(0).Field("bin"), std::string("a\0b", 3));
  EXPECT_FALSE(first->at(0).Field("missing").has_value());

  // c1 acks one; the other stays pending and can be taken over by c2.
  ASSERT_TRUE(redis_->XAck("s", "g", {first->at(0).id}).ok());
  auto deliveries = redis_->PendingDeliveries("s", "g", {first->at(1).id});
  ASSERT_TRUE(deliveries.ok());
  EXPECT_EQ(deliveries->at(first->at(1).id), 1);
  auto claimed = redis_->XAutoClaim("s", "g", "c2",
                                    std::chrono::milliseconds(0), "0-0", 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->entries.size(), 1u);
  EXPECT_EQ(claimed->entries[0].id, first->at(1).id);
  deliveries = redis_->PendingDeliveries("s", "g", {first->at(1).id});
  EXPECT_EQ(deliveries->at(first->at(1).id), 2);

  auto rest =
      redis_->XReadGroup("g", "c2", "s", 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->at(0).Field("n"), "2");
  auto empty =
      redis_->XReadGroup("g", "c2", "s", 10, std::chrono::milliseconds(50));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(RedisClientTest, HashesStringsAndLocks) {
  ASSERT_TRUE(redis_->HSet("h", {{"a", "1"}, {"b", "2"}}).ok());
  ASSERT_TRUE(redis_->HSet("h", {{"a", "3"}}).ok());
  EXPECT_EQ(*redis_->HLen("h"), 2);
  EXPECT_EQ(redis_->HGet("h", "a")->value(), "3");
  EXPECT_FALSE(redis_->HGet("h", "zz")->has_value());
  EXPECT_EQ(redis_->HGetAll("h")->at("b"), "2");
  ASSERT_TRUE(redis_->Set("k", "v").ok());
  EXPECT_EQ(redis_->Get("k")->value(), "v");
  EXPECT_TRUE(*redis_->SetIfAbsent("lock", "1", std::chrono::seconds(5)));
  EXPECT_FALSE(*redis_->SetIfAbsent("lock", "1", std::chrono::seconds(5)));
  ASSERT_TRUE(redis_->Del("lock").ok());
  EXPECT_TRUE(*redis_->SetIfAbsent("lock", "1", std::chrono::seconds(5)));
}

TEST_F(RedisClientTest, ServerErrorsAreStatuses) {
  ASSERT_TRUE(redis_->Set("str", "x").ok());
  auto wrong_type = redis_->HLen("str");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("WRONGTYPE"), std::string::npos);
}

// A dead Redis gives Unavailable, and the client reconnects once it is back.
TEST_F(RedisClientTest, DeadRedisIsUnavailableThenReconnects) {
  ASSERT_TRUE(redis_->Set("k", "v").ok());
  server_->Kill();
  // The first call fails on the dead socket, the next one on connect.
  EXPECT_EQ(redis_->Set("k", "w").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(redis_->Set("k", "w").code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(redis_->Set("k", "back").ok());
  EXPECT_EQ(redis_->Get("k")->value(), "back");
}

// A Redis locked down as in deploy/: requirepass for the default user and
// an ACL user of its own. REDIS_URL's user and password are honoured, and
// a wrong one fails with the server's reason but never the password.
class RedisAuthTest : public RedisClientTest {
 protected:
  void SetUp() override {
    RedisClientTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(
        redis_
            ->Command({"ACL", "SETUSER", "arxiv", "on", ">user-secret-1234",
                       "~*", "&*", "+@all", "-@admin"})
            .ok());
    ASSERT_TRUE(
        redis_->Command({"CONFIG", "SET", "requirepass", "default-secret-99"})
            .ok());
  }

  std::string Url(const std::string& userinfo) const {
    return "redis://" + userinfo +
           "@127.0.0.1:" + std::to_string(server_->port());
  }
};

TEST_F(RedisAuthTest, AclUserAndDefaultPasswordAreHonoured) {
  auto as_user = RedisClient::Connect(Url("arxiv:user-secret-1234") + "/0");
  ASSERT_TRUE(as_user.ok()) << as_user.status();
  ASSERT_TRUE((*as_user)->Set("k", "v").ok());
  auto who = (*as_user)->Command({"ACL", "WHOAMI"});
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->str, "arxiv");
  // The ACL keeps the application user away from admin commands.
  EXPECT_FALSE((*as_user)->Command({"CONFIG", "GET", "maxmemory"}).ok());

  auto as_default = RedisClient::Connect(Url(":default-secret-99"));
  ASSERT_TRUE(as_default.ok()) << as_default.status();
  EXPECT_EQ((*as_default)->Get("k")->value(), "v");
}

TEST_F(RedisAuthTest, WrongOrMissingPasswordFailsWithoutShowingIt) {
  auto wrong = RedisClient::Connect(Url("arxiv:hunter2-wrong"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  const std::string message(wrong.status().message());
  EXPECT_NE(message.find("user 'arxiv'"), std::string::npos) << message;
  EXPECT_NE(message.find("WRONGPASS"), std::string::npos) << message;
  EXPECT_NE(message.find("REDIS_URL"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;

  // Without a password the connection opens, but Redis refuses commands.
  auto anonymous = RedisClient::Connect("redis://127.0.0.1:" +
                                        std::to_string(server_->port()));
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  absl::Status set = (*anonymous)->Set("k", "v");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.message().find("NOAUTH"), std::string::npos) << set;
}

TEST(RedisConnectTest, RefusedConnectionIsUnavailable) {
  auto port = testing::PickFreeLoopbackPort();
  ASSERT_TRUE(port.ok());
  auto client =
      RedisClient::Connect("redis://127.0.0.1:" + std::to_string(*port));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace arxiv_digest
