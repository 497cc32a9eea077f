// GoogleTest fixture for adapter tests against real Redis: a fresh
// redis-server on a free loopback port per test and one lib RedisClient
// connected to it. A derived SetUp calls RedisTest::SetUp() first and
// returns if it failed (HasFatalFailure()).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "lib/redis/redis_client.h"
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

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<::arxiv_digest::RedisClient> redis_;
};

}  // namespace arxiv_digest::testing
