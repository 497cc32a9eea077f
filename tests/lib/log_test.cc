// lib/log: JSON lines under LOG_FORMAT=json (numbers as numbers, fatal
// errors included) and LOG_LEVEL refused when it is not a level.
#include "lib/log/log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <string>

namespace arxiv_digest {
namespace {

// Sets LOG_FORMAT/LOG_LEVEL for one test and restores text logging after.
class LogTest : public ::testing::Test {
 protected:
  void Init(const char* format, const char* level) {
    setenv("LOG_FORMAT", format, 1);
    setenv("LOG_LEVEL", level, 1);
    status_ = InitLogging("logtest");
  }
  void TearDown() override {
    unsetenv("LOG_FORMAT");
    unsetenv("LOG_LEVEL");
    (void)InitLogging("arxiv-digest");
  }
  absl::Status status_;
};

rapidjson::Document ParseLine(const std::string& out) {
  rapidjson::Document doc;
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line: " << out;
  doc.Parse(out.data(), out.size() - 1);
  EXPECT_FALSE(doc.HasParseError()) << out;
  EXPECT_TRUE(doc.IsObject()) << out;
  return doc;
}

TEST_F(LogTest, JsonLineHasNumbersAsNumbers) {
  Init("json", "");
  ASSERT_TRUE(status_.ok()) << status_;
  ::testing::internal::CaptureStderr();
  LogInfo("scorer started", {{"consumer", "host-12"},
                             {"max_in_flight", std::to_string(4)},
                             {"arxiv_id", "2504.00001"},
                             {"padded", "0042"},
                             {"seconds", 1.5},
                             {"count", 7},
                             {"lexical", true}});
  rapidjson::Document doc = ParseLine(::testing::internal::GetCapturedStderr());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["level"].GetString(), "INFO");
  EXPECT_STREQ(doc["service"].GetString(), "logtest");
  EXPECT_STREQ(doc["msg"].GetString(), "scorer started");
  EXPECT_STREQ(doc["consumer"].GetString(), "host-12");
  ASSERT_TRUE(doc["max_in_flight"].IsInt());
  EXPECT_EQ(doc["max_in_flight"].GetInt(), 4);
  // An arXiv id looks like a decimal but is not a number; a zero-padded
  // string is an identifier.
  ASSERT_TRUE(doc["arxiv_id"].IsString());
  ASSERT_TRUE(doc["padded"].IsString());
  ASSERT_TRUE(doc["seconds"].IsDouble());
  EXPECT_DOUBLE_EQ(doc["seconds"].GetDouble(), 1.5);
  EXPECT_EQ(doc["count"].GetInt(), 7);
  EXPECT_TRUE(doc["lexical"].IsTrue());
}

TEST_F(LogTest, FatalErrorIsAJsonLineUnderJsonFormat) {
  Init("json", "error");  // fatal lines ignore LOG_LEVEL
  ::testing::internal::CaptureStderr();
  LogFatal("configuration error: [SELECTION] model: empty",
           {{"exit_code", 2}, {"usage", "usage: x\n  --a\n"}});
  rapidjson::Document doc = ParseLine(::testing::internal::GetCapturedStderr());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["level"].GetString(), "FATAL");
  EXPECT_STREQ(doc["msg"].GetString(),
               "configuration error: [SELECTION] model: empty");
  EXPECT_EQ(doc["exit_code"].GetInt(), 2);
  EXPECT_STREQ(doc["usage"].GetString(), "usage: x\n  --a\n");
}

TEST_F(LogTest, FatalErrorKeepsThePlainFormatInText) {
  Init("", "");
  ::testing::internal::CaptureStderr();
  LogFatal("bad flag --x", {{"exit_code", 2}, {"usage", "usage: x\n"}});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "logtest: bad flag --x\nusage: x\n");
}

TEST_F(LogTest, BadLogLevelIsRefusedNamingItAndTheAcceptedValues) {
  Init("json", "verbose");
  ASSERT_FALSE(status_.ok());
  EXPECT_EQ(status_.message(),
            "LOG_LEVEL: 'verbose' is not one of debug, info, warning, error");
  // Logging is still set up as asked, so the error can be logged as JSON.
  EXPECT_TRUE(LogIsJson());
}

TEST_F(LogTest, BadLogFormatIsRefusedNamingIt) {
  Init("jsno", "");
  ASSERT_FALSE(status_.ok());
  EXPECT_EQ(status_.message(), "LOG_FORMAT: 'jsno' is not one of json, text");
  Init("text", "");
  EXPECT_TRUE(status_.ok()) << status_;
  Init("JSON", "");
  EXPECT_TRUE(status_.ok()) << status_;
  EXPECT_TRUE(LogIsJson());
}

TEST_F(LogTest, LevelsFilterAndAreCaseInsensitive) {
  Init("", "WARNING");
  ASSERT_TRUE(status_.ok()) << status_;
  ::testing::internal::CaptureStderr();
  LogInfo("hidden");
  LogWarning("shown", {{"n", "3"}});
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find(" WARN logtest: shown n=3\n"), std::string::npos) << out;
  EXPECT_TRUE(ParseLogLevel("debug").ok());
  EXPECT_TRUE(ParseLogLevel("").ok());
  EXPECT_FALSE(ParseLogLevel("2").ok());
}

}  // namespace
}  // namespace arxiv_digest
