// Request validation of every RPC (logic/request_validation.h,
// logic/trigger_run.h, logic/digest_view.h) on the gRPC messages as the
// adapter converts them (adapters/proto_views.h): each error is
// INVALID_ARGUMENT (or NOT_FOUND) with the message clients see, naming the
// field and the value. Ids, dates, run ids and profile names are checked by
// lib/core/ids.h, whose wording follows the field and value. No I/O.
#include "services/api/logic/request_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "services/api/adapters/proto_views.h"
#include "services/api/logic/digest_view.h"
#include "services/api/logic/trigger_run.h"

namespace arxiv_digest::api {
namespace {

constexpr char kToday[] = "2025-04-10";

void ExpectInvalid(const absl::Status& s, const std::string& message) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message(), message);
}

absl::Status RescoreError(const v1::RescoreRequest& req,
                          RescoreLimits limits = {}) {
  return ValidateRescore(RescoreArgsOf(req), kToday, limits).status();
}

v1::RescoreRequest Ids(const std::vector<std::string>& ids) {
  v1::RescoreRequest req;
  for (const std::string& id : ids) req.mutable_papers()->add_arxiv_ids(id);
  return req;
}

v1::RescoreRequest Dates(const std::string& from, const std::string& to) {
  v1::RescoreRequest req;
  req.mutable_dates()->set_from_date(from);
  req.mutable_dates()->set_to_date(to);
  return req;
}

TEST(RescoreValidationTest, Ids) {
  v1::RescoreRequest empty;
  empty.mutable_papers();
  ExpectInvalid(RescoreError(empty), "papers: the id list is empty");
  RescoreLimits two;
  two.max_ids = 2;
  ExpectInvalid(
      RescoreError(Ids({"2504.00001", "2504.00002", "2504.00003"}), two),
      "papers: at most 2 ids per request");
  ExpectInvalid(RescoreError(Ids({"2504.00001", "x", "2504.1"})),
                "papers: not arXiv ids: 'x', '2504.1'");

  auto ok =
      ValidateRescore(RescoreArgsOf(Ids({"2504.00002v3", "2504.00001",
                                         "2504.00002", "hep-th/9901001v1"})),
                      kToday, {});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->kind, RescoreTarget::Kind::kIds);
  // Without versions, de-duplicated, request order kept.
  EXPECT_EQ(ok->ids, (std::vector<std::string>{"2504.00002", "2504.00001",
                                               "hep-th/9901001"}));
}

TEST(RescoreValidationTest, RunIdAndNoTarget) {
  v1::RescoreRequest req;
  ExpectInvalid(RescoreError(req),
                "one of papers, run_id or dates is required");
  req.set_run_id("");
  ExpectInvalid(RescoreError(req), "run_id is required");
  req.set_run_id("a:b");
  ExpectInvalid(RescoreError(req),
                "run_id: 'a:b' is not a run id ([A-Za-z0-9._-], at most 100, "
                "no '..')");
  req.set_run_id("2025-04-08-d2");
  auto ok = ValidateRescore(RescoreArgsOf(req), kToday, {});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->kind, RescoreTarget::Kind::kRun);
  EXPECT_EQ(ok->run_id, "2025-04-08-d2");
}

TEST(RescoreValidationTest, DateRanges) {
  ExpectInvalid(RescoreError(Dates("2025-4-1", "")),
                "dates.from_date: '2025-4-1' is not a date (YYYY-MM-DD, a real "
                "day)");
  ExpectInvalid(RescoreError(Dates("2025-04-01", "2025-02-30")),
                "dates.to_date: '2025-02-30' is not a date (YYYY-MM-DD, a real "
                "day)");
  ExpectInvalid(RescoreError(Dates("2025-04-01", "2025-04-11")),
                "dates.to_date: 2025-04-11 is in the future");
  ExpectInvalid(RescoreError(Dates("2025-04-08", "2025-04-07")),
                "dates: from_date is after to_date");
  // The cap counts days in [from, to]: 31 are fine, 32 are not.
  ExpectInvalid(RescoreError(Dates("2025-03-01", "2025-04-01")),
                "dates: at most 31 days per request");
  EXPECT_TRUE(ValidateRescore(RescoreArgsOf(Dates("2025-03-01", "2025-03-31")),
                              kToday, {})
                  .ok());

  auto one_day =
      ValidateRescore(RescoreArgsOf(Dates("2025-04-10", "")), kToday, {});
  ASSERT_TRUE(one_day.ok()) << one_day.status();
  EXPECT_EQ(one_day->kind, RescoreTarget::Kind::kDates);
  EXPECT_EQ(one_day->from_date, "2025-04-10");
  EXPECT_EQ(one_day->to_date, "2025-04-10");  // defaults to from_date
}

TEST(RescoreValidationTest, TopicsOverrideCap) {
  v1::RescoreRequest req = Ids({"2504.00001"});
  RescoreLimits limits;
  limits.max_topics_bytes = 4;
  req.set_topics_override("12345");
  ExpectInvalid(RescoreError(req, limits), "topics_override: at most 4 bytes");
  req.set_topics_override("1234");
  EXPECT_TRUE(ValidateRescore(RescoreArgsOf(req), kToday, limits).ok());
}

TEST(RequestValidationTest, RunIdsAndProfiles) {
  ExpectInvalid(ValidateRunIdField("job_id", ""), "job_id is required");
  // Long values are cut in the message (60 characters, then "...").
  ExpectInvalid(ValidateRunIdField("run_id", std::string(120, 'x') + ":"),
                "run_id: '" + std::string(60, 'x') +
                    "...' is not a run id ([A-Za-z0-9._-], at most 100, no "
                    "'..')");
  ExpectInvalid(ValidateRunIdField("job_id", "../x"),
                "job_id: '../x' is not a run id ([A-Za-z0-9._-], at most 100, "
                "no '..')");
  EXPECT_TRUE(ValidateRunIdField("run_id", "2025-04-08-r0a1b2c3d").ok());

  EXPECT_EQ(*NormalizeProfileName(""), "default");
  EXPECT_EQ(*NormalizeProfileName("alice"), "alice");
  ExpectInvalid(NormalizeProfileName("../x").status(),
                "profile: '../x' is not a profile name ([a-z0-9_-], 1 to 64)");
  absl::Status unknown = UnknownProfileError("zed", {"default", "alice"});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "unknown profile 'zed' (known: default, alice)");
}

TEST(TriggerRunTest, ValidatesAndDescribesWhatIsWritten) {
  v1::TriggerRunRequest req;
  req.add_categories("cs.LG");
  req.add_categories("cs LG");
  auto validate = [&] {
    return ValidateTriggerRun(CategoriesOf(req), req.date(), kToday);
  };
  ExpectInvalid(validate().status(),
                "categories: 'cs LG' is not an arXiv category (e.g. cs.LG or "
                "cs.CL+cs.LG)");
  req.clear_categories();
  req.add_categories("cs.CL+cs.LG");
  req.add_categories("math-ph");
  req.set_date("2025-04-11");
  ExpectInvalid(validate().status(), "date: 2025-04-11 is in the future");
  req.set_date("2025-4-9");
  ExpectInvalid(validate().status(),
                "date: '2025-4-9' is not a date (YYYY-MM-DD, a real day)");
  req.set_date("2025-04-09");
  absl::StatusOr<TriggerRequest> t = validate();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->categories,
            (std::vector<std::string>{"cs.CL+cs.LG", "math-ph"}));
  t->requested_at = "2025-04-10T06:00:00Z";
  t->requested_by = "ops";
  RunId id = MakeRunId(t->date, run_id_tag::kTrigger, 1);
  EXPECT_EQ(id.str(), "2025-04-09-t00000001");
  RunManifest m = TriggerManifest(id, *t);
  // What the run writer's RequestFetch puts on the wire: the same fields,
  // in the same order, as the api wrote before the contract codec.
  using Fields = contract::FieldValues;
  EXPECT_EQ(contract::EncodeManifest(m, contract::kTriggerFields),
            (Fields{{"run_id", "2025-04-09-t00000001"},
                    {"status", "requested"},
                    {"requested_at", "2025-04-10T06:00:00Z"},
                    {"requested_by", "ops"},
                    {"categories", "cs.CL+cs.LG,math-ph"},
                    {"date", "2025-04-09"}}));
  EXPECT_EQ(contract::EncodeTriggerEntry({id, t->categories, t->date}),
            (contract::StreamFields{{"run_id", "2025-04-09-t00000001"},
                                    {"categories", "cs.CL+cs.LG,math-ph"},
                                    {"date", "2025-04-09"}}));
  // No categories and no date: the fetcher's configured feeds, today.
  absl::StatusOr<TriggerRequest> plain = ValidateTriggerRun({}, "", kToday);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->categories.empty());
  EXPECT_FALSE(plain->date.has_value());
  EXPECT_EQ(
      TriggerManifest(MakeRunId(plain->date, run_id_tag::kTrigger, 2), *plain)
          .date,
      "");
  // A catch-up of the missed days stands alone.
  absl::StatusOr<TriggerRequest> missing =
      ValidateTriggerRun({}, "", kToday, /*missing_days=*/true);
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(TriggerManifest(MakeRunId(std::nullopt, run_id_tag::kTrigger, 3),
                            *missing)
                .kind,
            "catch_up");
  EXPECT_EQ(ValidateTriggerRun({"cs.LG"}, "", kToday, true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateTriggerRun({}, "2025-04-09", kToday, true).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DigestRequestTest, GetAndListArguments) {
  EXPECT_TRUE(ValidateGetDigest("", 0).ok());
  ExpectInvalid(ValidateGetDigest("2025-13-01", 0),
                "date: '2025-13-01' is not a date (YYYY-MM-DD, a real day)");
  // Reads may name any real day.
  EXPECT_TRUE(ValidateGetDigest("2030-01-01", 0).ok());
  ExpectInvalid(ValidateGetDigest("2030-01-01", -1),
                "version: must be >= 0 (0 = latest)");

  EXPECT_TRUE(ValidateListDigests("", "").ok());
  ExpectInvalid(ValidateListDigests("x", ""),
                "from_date: 'x' is not a date (YYYY-MM-DD, a real day)");
  ExpectInvalid(ValidateListDigests("2025-04-08", "2025-04-8"),
                "to_date: '2025-04-8' is not a date (YYYY-MM-DD, a real day)");
  ExpectInvalid(ValidateListDigests("2025-04-08", "2025-04-07"),
                "from_date is after to_date");
  EXPECT_TRUE(ValidateListDigests("2025-04-08", "2025-04-08").ok());
}

TEST(DigestViewTest, ChoosesVersionsAndDescribesThem) {
  std::vector<VersionMeta> versions = {{1, "r1", 3, "t1"}, {2, "r2", 5, "t2"}};
  EXPECT_EQ(*ChooseVersion(versions, 0, "alice", "2025-04-08"), 1u);
  EXPECT_EQ(*ChooseVersion(versions, 1, "alice", "2025-04-08"), 0u);
  absl::Status missing =
      ChooseVersion(versions, 7, "alice", "2025-04-08").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(),
            "version 7 of the 2025-04-08 digest of profile 'alice' does not "
            "exist (latest is 2)");
  EXPECT_EQ(ChooseVersion({}, 0, "alice", "2025-04-08").status().message(),
            "no digest for profile 'alice' on 2025-04-08");

  EXPECT_STREQ(FormatExt(v1::DIGEST_FORMAT_UNSPECIFIED), "md");
  EXPECT_STREQ(FormatExt(v1::DIGEST_FORMAT_MARKDOWN), "md");
  EXPECT_STREQ(FormatExt(v1::DIGEST_FORMAT_JSON), "json");
  EXPECT_STREQ(FormatExt(v1::DIGEST_FORMAT_HTML), "html");

  v1::Digest d = DigestOf("alice", "2025-04-08", versions[0],
                          v1::DIGEST_FORMAT_UNSPECIFIED, "text");
  EXPECT_EQ(d.format(), v1::DIGEST_FORMAT_MARKDOWN);
  EXPECT_EQ(d.version(), 1);
  EXPECT_EQ(d.run_id(), "r1");
  EXPECT_EQ(d.relevant_papers(), 3);
  EXPECT_EQ(d.content(), "text");

  v1::DigestSummary s = SummaryOf("alice", "2025-04-08", versions);
  EXPECT_EQ(s.version(), 2);
  EXPECT_EQ(s.versions(), 2);
  EXPECT_EQ(s.run_id(), "r2");
  EXPECT_EQ(s.relevant_papers(), 5);
  EXPECT_EQ(s.published_at(), "t2");
}

}  // namespace
}  // namespace arxiv_digest::api
