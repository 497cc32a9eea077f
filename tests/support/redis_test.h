// GoogleTest fixture for adapter tests against real Redis: a fresh
// redis-server on a free loopback port per test and one lib RedisClient
// connected to it. A derived SetUp calls RedisTest::SetUp() first and
// returns if it failed (HasFatalFailure()).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stored_text.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest::testing {

class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto client = ::arxiv_digest::RedisClient::Connect(server_->url());
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
  }

  // A digest version's text as the publisher stores it (gzip), unpacked;
  // nullopt when the key is absent. Fails the test on a damaged value.
  std::optional<std::string> StoredDigest(const std::string& profile,
                                          const std::string& date, int version,
                                          const std::string& ext) {
    auto stored = redis_->Get(keys::DigestVersion(profile, date, version, ext));
    EXPECT_TRUE(stored.ok()) << stored.status();
    if (!stored.ok() || !stored->has_value()) return std::nullopt;
    EXPECT_TRUE(IsPackedText(**stored)) << "stored without compression";
    auto text = UnpackStoredText(**stored);
    EXPECT_TRUE(text.ok()) << text.status();
    if (!text.ok()) return std::nullopt;
    return *std::move(text);
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<::arxiv_digest::RedisClient> redis_;
};

}  // namespace arxiv_digest::testing
