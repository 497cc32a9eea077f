// The identifier value types: accept/reject tables (including every case of
// the scorer's and the api's former IsValidArxivId), calendar validity,
// run ids of every producer, and errors that name the field.
#include "lib/core/ids.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/config/profiles.h"

namespace arxiv_digest {
namespace {

TEST(ArxivIdTest, AcceptsNewAndOldStyleWithOptionalVersion) {
  struct Case {
    const char* in;
    const char* id;
    int version;
  };
  for (const Case& c : {
           // services/scorer reply_parser_test.cc
           Case{"2504.14960", "2504.14960", 0},
           Case{"0704.0001", "0704.0001", 0},
           Case{"hep-th/9901001", "hep-th/9901001", 0},
           Case{"math.GT/0309136", "math.GT/0309136", 0},
           // services/api api_logic_test.cc
           Case{"2504.14960v2", "2504.14960", 2},
           Case{"math.GT/0309136v1", "math.GT/0309136", 1},
           Case{"2504.14960v12", "2504.14960", 12},
           Case{"cond-mat/0101001v3", "cond-mat/0101001", 3},
       }) {
    absl::StatusOr<ArxivId> id = ArxivId::Parse(c.in);
    ASSERT_TRUE(id.ok()) << c.in << ": " << id.status();
    EXPECT_EQ(id->str(), c.id) << c.in;
    EXPECT_EQ(id->version(), c.version) << c.in;
    EXPECT_EQ(id->WithVersion(), c.in);
    EXPECT_TRUE(ids::IsValidArxivId(c.in)) << c.in;
  }
}

TEST(ArxivIdTest, RejectsMalformed) {
  for (const char* bad :
       {// scorer cases
        "", "2504.149", "N/A", "hep-th/99010", "HEP-TH/9901001",
        // api cases
        "2504.149601", "2504.14960v", "abcd.12345", "hep-th/99", "2504.14960 ",
        // more
        "2504.14960v0", "2504.14960vx", "v2", "/9901001", "-th/9901001",
        "math.gt/0309136", "math.GTX/0309136", "2504-14960", "2504.14960v2v3",
        "../2504.14960", "hep-th/9901001/x"}) {
    EXPECT_FALSE(ArxivId::Parse(bad).ok()) << bad;
    EXPECT_FALSE(ids::IsValidArxivId(bad)) << bad;
  }
}

TEST(ArxivIdTest, ErrorNamesFieldAndQuotesTruncatedValue) {
  absl::Status s = ArxivId::Parse("nope", "ids[3]").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ids[3]: 'nope'"), std::string::npos) << s;
  std::string huge(5000, 'x');
  s = ArxivId::Parse(huge).status();
  EXPECT_NE(s.message().find("arxiv_id: '"), std::string::npos) << s;
  EXPECT_LT(s.message().size(), 200u);
}

TEST(ArxivIdTest, EqualityIncludesVersion) {
  EXPECT_EQ(*ArxivId::Parse("2504.14960"), *ArxivId::Parse("2504.14960"));
  EXPECT_NE(*ArxivId::Parse("2504.14960"), *ArxivId::Parse("2504.14960v1"));
  EXPECT_LT(*ArxivId::Parse("2504.00001"), *ArxivId::Parse("2504.14960"));
}

TEST(DateTest, RealCalendarDaysOnly) {
  for (const char* ok :
       {"2024-02-29", "2025-04-08", "2000-02-29", "1999-12-31"}) {
    absl::StatusOr<Date> d = Date::Parse(ok);
    ASSERT_TRUE(d.ok()) << ok;
    EXPECT_EQ(d->str(), ok);
    EXPECT_TRUE(ids::IsValidDate(ok));
  }
  EXPECT_EQ(Date::Parse("2024-02-29")->day(), absl::CivilDay(2024, 2, 29));
  for (const char* bad :
       {"2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10",
        "2025-4-8", "2025-04-08 ", "abcd-ef-gh", "", "2025/04/08", "+025-04-08",
        "2025-04-0a"}) {
    EXPECT_FALSE(Date::Parse(bad).ok()) << bad;
    EXPECT_FALSE(ids::IsValidDate(bad)) << bad;
  }
  absl::Status s = Date::Parse("2025-02-29", "from_date").status();
  EXPECT_NE(s.message().find("from_date: '2025-02-29'"), std::string::npos)
      << s;
}

TEST(DateTest, OrderAndCivilDayRoundTrip) {
  EXPECT_LT(*Date::Parse("2025-04-08"), *Date::Parse("2025-04-09"));
  EXPECT_EQ(Date::FromCivilDay(absl::CivilDay(2025, 4, 8)).str(), "2025-04-08");
  EXPECT_EQ(Date::FromCivilDay(absl::CivilDay(2025, 4, 8)),
            *Date::Parse("2025-04-08"));
}

TEST(RunIdTest, AcceptsEveryProducersFormat) {
  for (const char* ok :
       {"2025-04-08-0a1b2c3d",           // fetcher RandomRunId
        "unknown-date-0a1b2c3d",         // fetcher, feed without a date
        "2025-04-08-r0a1b2c3d",          // api rescore
        "2025-04-08-p0a1b2c3d",          // api profile fan-out child
        "2025-04-09-ta0000001",          // api trigger
        "pending-ta0000001",             // api trigger without a date
        "r1", "run-f", "2025-04-08-d2",  // tests
        "a.b_c-D9"}) {
    EXPECT_TRUE(RunId::Parse(ok).ok()) << ok;
    EXPECT_TRUE(ids::IsValidRunId(ok)) << ok;
  }
  for (const std::string& bad :
       {std::string(), std::string("a/b"), std::string(".."),
        std::string("a..b"), std::string("../x"), std::string("a b"),
        std::string("a\tb"), std::string("a:b"), std::string("a*"),
        std::string(101, 'a'), std::string("-x"), std::string(".x"),
        std::string("a\nb")}) {
    EXPECT_FALSE(RunId::Parse(bad).ok()) << bad;
    EXPECT_FALSE(ids::IsValidRunId(bad)) << bad;
  }
  EXPECT_TRUE(RunId::Parse(std::string(100, 'a')).ok());
  absl::Status s = RunId::Parse("a/b", "parent_run").status();
  EXPECT_NE(s.message().find("parent_run: 'a/b'"), std::string::npos) << s;
}

TEST(RunIdTest, DateWhenTheIdStartsWithOne) {
  EXPECT_EQ(RunId::Parse("2025-04-08-r0a1b2c3d")->date(),
            *Date::Parse("2025-04-08"));
  EXPECT_EQ(RunId::Parse("pending-ta0000001")->date(), std::nullopt);
  EXPECT_EQ(RunId::Parse("2025-02-30-x")->date(), std::nullopt);
  EXPECT_EQ(RunId::Parse("2025-04-08")->date(), std::nullopt);
}

TEST(RunIdTest, MakeRunIdMatchesTheExistingFormats) {
  std::optional<Date> day = *Date::Parse("2025-04-08");
  EXPECT_EQ(MakeRunId(day, run_id_tag::kFetch, 0x0a1b2c3d).str(),
            "2025-04-08-0a1b2c3d");
  EXPECT_EQ(MakeRunId(std::nullopt, run_id_tag::kFetch, 7).str(),
            "unknown-date-00000007");
  EXPECT_EQ(MakeRunId(day, run_id_tag::kRescore, 0xa0000001).str(),
            "2025-04-08-ra0000001");
  EXPECT_EQ(MakeRunId(day, run_id_tag::kProfile, 1).str(),
            "2025-04-08-p00000001");
  EXPECT_EQ(MakeRunId(std::nullopt, run_id_tag::kTrigger, 0xa0000001).str(),
            "pending-ta0000001");
  EXPECT_EQ(MakeRunId(day, 'x', 1).str(), "2025-04-08-00000001");
  // Every generated id passes the rule.
  EXPECT_TRUE(
      RunId::Parse(MakeRunId(day, run_id_tag::kTrigger, ~0u).str()).ok());
}

TEST(ProfileNameTest, RuleSharedWithProfiles) {
  for (const char* ok : {"default", "alice_2", "a-b", "x",
                         "abcdefghijklmnopqrstuvwxyz0123456789"}) {
    EXPECT_TRUE(ProfileName::Parse(ok).ok()) << ok;
    EXPECT_TRUE(IsValidProfileName(ok)) << ok;  // lib/config/profiles.h
  }
  for (const std::string& bad :
       {std::string(), std::string("../x"), std::string("a:b"),
        std::string("Alice"), std::string("a b"), std::string("a/b"),
        std::string(65, 'a')}) {
    EXPECT_FALSE(ProfileName::Parse(bad).ok()) << bad;
    EXPECT_FALSE(ids::IsValidProfileName(bad)) << bad;
    EXPECT_FALSE(IsValidProfileName(bad)) << bad;
  }
  EXPECT_TRUE(IsValidProfileName(std::string(64, 'a')));
  EXPECT_EQ(ProfileName::Default().str(), kDefaultProfile);
  absl::Status s = ProfileName::Parse("Bob", "profiles[1]").status();
  EXPECT_NE(s.message().find("profiles[1]: 'Bob'"), std::string::npos) << s;
}

}  // namespace
}  // namespace arxiv_digest
