// GetDigest, ListDigests and ListProfiles over real gRPC.
#include <gtest/gtest.h>

#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

class DigestRpcsTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedDigest("default", "2025-04-07", 1, "r7", 3, "seven");
    SeedDigest("default", "2025-04-08", 1, "r8", 5, "eight-one");
    SeedDigest("default", "2025-04-08", 2, "r8b", 4, "eight-two");
    SeedDigest("alice", "2025-04-08", 1, "r8a", 2, "alice-eight");
  }

  grpc::Status Get(const std::string& profile, const std::string& date,
                   int version, v1::DigestFormat format, v1::Digest* out) {
    v1::GetDigestRequest req;
    req.set_profile(profile);
    req.set_date(date);
    req.set_version(version);
    req.set_format(format);
    return stub_->GetDigest(Ctx(kReaderToken).get(), req, out);
  }
};

TEST_F(DigestRpcsTest, LatestVersionByDefaultOlderStillReadable) {
  v1::Digest d;
  ASSERT_TRUE(Get("", "2025-04-08", 0, v1::DIGEST_FORMAT_UNSPECIFIED, &d).ok());
  EXPECT_EQ(d.profile(), "default");
  EXPECT_EQ(d.version(), 2);
  EXPECT_EQ(d.content(), "md:eight-two");
  EXPECT_EQ(d.format(), v1::DIGEST_FORMAT_MARKDOWN);
  EXPECT_EQ(d.run_id(), "r8b");
  EXPECT_EQ(d.relevant_papers(), 4);

  ASSERT_TRUE(Get("default", "2025-04-08", 1, v1::DIGEST_FORMAT_JSON, &d).ok());
  EXPECT_EQ(d.version(), 1);
  EXPECT_EQ(d.content(), "json:eight-one");
  EXPECT_EQ(d.run_id(), "r8");

  ASSERT_TRUE(Get("default", "2025-04-08", 2, v1::DIGEST_FORMAT_HTML, &d).ok());
  EXPECT_NE(d.content().find("<h1>eight-two</h1>"), std::string::npos);
}

TEST_F(DigestRpcsTest, EmptyDateMeansLatestDate) {
  v1::Digest d;
  ASSERT_TRUE(Get("alice", "", 0, v1::DIGEST_FORMAT_MARKDOWN, &d).ok());
  EXPECT_EQ(d.date(), "2025-04-08");
  EXPECT_EQ(d.content(), "md:alice-eight");
}

TEST_F(DigestRpcsTest, Errors) {
  v1::Digest d;
  grpc::Status s =
      Get("nobody", "2025-04-08", 0, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("unknown profile 'nobody'"),
            std::string::npos)
      << s.error_message();

  s = Get("bad/name", "2025-04-08", 0, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  s = Get("default", "2025-04-09", 0, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(
      s.error_message().find("no digest for profile 'default' on 2025-04-09"),
      std::string::npos);

  s = Get("default", "2025-04-08", 3, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("latest is 2"), std::string::npos);

  s = Get("default", "2025-04-08", -1, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  s = Get("default", "April 8", 0, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // A profile folder without digests yet.
  std::filesystem::create_directories(configs_ + "/profiles/carol");
  s = Get("carol", "", 0, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("no digests yet"), std::string::npos);
}

// Values written by publishers before gzip storage (plain text, and for the
// oldest ones only the unversioned "latest" key) still read after upgrade.
TEST_F(DigestRpcsTest, PlainDigestsFromOlderPublishersStillRead) {
  ASSERT_TRUE(redis_
                  ->Set(keys::DigestVersion("default", "2025-04-07", 1, "md"),
                        "# plain v1")
                  .ok());
  v1::Digest d;
  ASSERT_TRUE(
      Get("default", "2025-04-07", 1, v1::DIGEST_FORMAT_MARKDOWN, &d).ok());
  EXPECT_EQ(d.content(), "# plain v1");

  ASSERT_TRUE(
      redis_->Del(keys::DigestVersion("default", "2025-04-07", 1, "json"))
          .ok());
  ASSERT_TRUE(
      redis_->Set(keys::Digest("default", "2025-04-07", "json"), "{\"old\":1}")
          .ok());
  ASSERT_TRUE(Get("default", "2025-04-07", 1, v1::DIGEST_FORMAT_JSON, &d).ok());
  EXPECT_EQ(d.content(), "{\"old\":1}");
}

// A stored value that is not valid gzip is reported as lost data, with the
// digest named, not as an outage or an empty digest.
TEST_F(DigestRpcsTest, DamagedStoredDigestIsDataLoss) {
  std::string packed = PackStoredText("# a digest long enough to cut short");
  ASSERT_TRUE(redis_
                  ->Set(keys::DigestVersion("default", "2025-04-07", 1, "md"),
                        packed.substr(0, packed.size() / 2))
                  .ok());
  v1::Digest d;
  grpc::Status s =
      Get("default", "2025-04-07", 1, v1::DIGEST_FORMAT_MARKDOWN, &d);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_NE(s.error_message().find("2025-04-07 digest v1 (md) of profile "
                                   "'default' is unreadable"),
            std::string::npos)
      << s.error_message();
  // The other formats of the same version are unaffected.
  ASSERT_TRUE(Get("default", "2025-04-07", 1, v1::DIGEST_FORMAT_JSON, &d).ok());
  EXPECT_EQ(d.content(), "json:seven");
}

TEST_F(DigestRpcsTest, ListDigestsNewestFirstWithRange) {
  v1::ListDigestsRequest req;
  v1::ListDigestsResponse resp;
  ASSERT_TRUE(stub_->ListDigests(Ctx(kReaderToken).get(), req, &resp).ok());
  ASSERT_EQ(resp.digests_size(), 2);
  EXPECT_EQ(resp.digests(0).date(), "2025-04-08");
  EXPECT_EQ(resp.digests(0).version(), 2);
  EXPECT_EQ(resp.digests(0).versions(), 2);
  EXPECT_EQ(resp.digests(0).run_id(), "r8b");
  EXPECT_EQ(resp.digests(0).relevant_papers(), 4);
  EXPECT_EQ(resp.digests(0).published_at(), "2025-04-08T07:00:00Z");
  EXPECT_EQ(resp.digests(1).date(), "2025-04-07");

  req.set_from_date("2025-04-07");
  req.set_to_date("2025-04-07");
  ASSERT_TRUE(stub_->ListDigests(Ctx(kReaderToken).get(), req, &resp).ok());
  ASSERT_EQ(resp.digests_size(), 1);
  EXPECT_EQ(resp.digests(0).date(), "2025-04-07");

  req.set_from_date("2025-04-09");
  req.set_to_date("2025-04-01");
  grpc::Status s = stub_->ListDigests(Ctx(kReaderToken).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  req.Clear();
  req.set_profile("ghost");
  s = stub_->ListDigests(Ctx(kReaderToken).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DigestRpcsTest, ListProfiles) {
  v1::ListProfilesResponse resp;
  ASSERT_TRUE(stub_
                  ->ListProfiles(Ctx(kReaderToken).get(),
                                 v1::ListProfilesRequest(), &resp)
                  .ok());
  ASSERT_EQ(resp.profiles_size(), 2);
  EXPECT_EQ(resp.profiles(0), "default");
  EXPECT_EQ(resp.profiles(1), "alice");
}

}  // namespace
}  // namespace arxiv_digest::api::testing
