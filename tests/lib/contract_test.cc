// The typed contract: manifest and stream-entry codecs round-trip, every
// validation error names its field, unknown fields are ignored, and
// hostile JSON is rejected before it reaches the parser.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"

namespace arxiv_digest::contract {
namespace {

Paper SamplePaper() {
  Paper p;
  p.arxiv_id = "2504.14960";
  p.version = 2;
  p.title = "A title";
  p.authors = {"A. Author", "B. Author"};
  p.abstract = "Abstract text.";
  p.announce_type = "new";
  p.categories = {"cs.LG", "cs.AI"};
  p.feed = "cs.LG";
  p.position = 3;
  return p;
}

RunManifest FullManifest() {
  RunManifest m;
  m.run_id = "2025-04-08-r0a1b2c3d";
  m.date = "2025-04-08";
  m.total_papers = 120;
  m.scanned_papers = 80;
  m.papers_to_score = 40;
  m.status = run_status::kPublished;
  m.reason = "";
  m.skipped_seen = 2;
  m.created_at = 1744070400;
  m.fetched_at = 1744070460;
  m.kind = "rescore";
  m.parent_run = "2025-04-08-0a1b2c3d";
  m.profile = "vision";
  m.topics_override = "only MoE, please";
  m.requested_at = "2025-04-08T10:00:00Z";
  m.requested_by = "ops";
  m.categories = {"cs.LG", "cs.CL"};
  m.error = "";
  m.model = "gpt-4o";
  m.digest_version = 3;
  m.relevant_papers = 7;
  m.unscored_papers = 1;
  m.prefiltered_papers = 5;
  m.tokens = TokenUsage{1000, 200, 300};
  m.cost_usd = 0.25;
  return m;
}

std::map<std::string, std::string> AsHash(const FieldValues& fields) {
  return std::map<std::string, std::string>(fields.begin(), fields.end());
}

TEST(RunManifestTest, FullRoundTrip) {
  RunManifest m = FullManifest();
  absl::StatusOr<RunManifest> back = DecodeManifest(AsHash(EncodeManifest(m)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, m);
}

TEST(RunManifestTest, FetchFieldsAreTheFetchersOrder) {
  RunManifest m = FullManifest();
  m.status = run_status::kFetched;
  FieldValues fields = EncodeManifest(m, kFetchFields);
  FieldValues expected = {{"run_id", m.run_id},     {"date", "2025-04-08"},
                          {"status", "fetched"},    {"total_papers", "120"},
                          {"scanned_papers", "80"}, {"papers_to_score", "40"},
                          {"skipped_seen", "2"},    {"reason", ""}};
  EXPECT_EQ(fields, expected);
}

TEST(RunManifestTest, DerivedRunAddsTopicsOverrideOnlyWhenSet) {
  RunManifest m = FullManifest();
  m.status = run_status::kFetching;
  FieldValues fields = EncodeDerivedRun(m);
  ASSERT_EQ(fields.size(), std::size(kDerivedRunFields) + 1);
  EXPECT_EQ(fields.back(), (std::pair<std::string, std::string>(
                               "topics_override", "only MoE, please")));
  m.topics_override.clear();
  EXPECT_EQ(EncodeDerivedRun(m).size(), std::size(kDerivedRunFields));
}

TEST(RunManifestTest, PublishedFieldsAndCost) {
  FieldValues fields = EncodeManifest(FullManifest(), kPublishedFields);
  std::map<std::string, std::string> hash = AsHash(fields);
  EXPECT_EQ(hash["digest_version"], "3");
  EXPECT_EQ(hash["prompt_tokens"], "1000");
  EXPECT_EQ(hash["cached_tokens"], "300");
  EXPECT_EQ(hash["cost_usd"], "0.25");
  EXPECT_EQ(hash.size(), std::size(kPublishedFields));
}

TEST(RunManifestTest, PartialHashesAndUnknownFields) {
  absl::StatusOr<RunManifest> m =
      DecodeManifest({{"status", "fetched"}, {"some_future_field", "x"}});
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->status, "fetched");
  EXPECT_EQ(m->run_id, "");
  EXPECT_TRUE(DecodeManifest({}).ok());
  // The fetcher's sentinel date and empty optional values are fine.
  EXPECT_TRUE(DecodeManifest({{"date", "unknown-date"},
                              {"profile", ""},
                              {"parent_run", ""},
                              {"kind", ""}})
                  .ok());
  m = DecodeManifest({{"categories", "cs.LG,,cs.CL"}});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->categories, (std::vector<std::string>{"cs.LG", "cs.CL"}));
}

TEST(RunManifestTest, EveryValidationErrorNamesItsField) {
  const std::map<std::string, std::string> bad = {
      {"run_id", "a/b"},         {"date", "2025-02-30"},
      {"status", "exploded"},    {"total_papers", "-1"},
      {"scanned_papers", "x"},   {"papers_to_score", "1.5"},
      {"skipped_seen", ""},      {"created_at", "soon"},
      {"fetched_at", "-5"},      {"kind", "weird"},
      {"parent_run", "../x"},    {"profile", "Bob"},
      {"digest_version", "v2"},  {"relevant_papers", "99999999999999999999"},
      {"unscored_papers", " 1"}, {"prefiltered_papers", "-0x1"},
      {"prompt_tokens", "many"}, {"completion_tokens", "-3"},
      {"cached_tokens", "1e3"},  {"cost_usd", "-0.5"}};
  for (const auto& [field, value] : bad) {
    absl::Status s = DecodeManifest({{field, value}}).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(s.message().rfind(field + ": ", 0), 0u) << field << ": " << s;
  }
  EXPECT_FALSE(DecodeManifest({{"cost_usd", "nan"}}).ok());
  EXPECT_FALSE(DecodeManifest({{"cost_usd", " 1"}}).ok());
  EXPECT_FALSE(DecodeManifest({{"total_papers", "+1"}}).ok());
  EXPECT_TRUE(DecodeManifest({{"total_papers", "0"}, {"cost_usd", "0"}}).ok());
}

TEST(RunManifestTest, KnownStatuses) {
  for (const char* s : {"requested", "fetching", "fetched", "published",
                        "no_announcements", "failed"}) {
    EXPECT_TRUE(IsKnownRunStatus(s)) << s;
  }
  EXPECT_FALSE(IsKnownRunStatus(""));
  EXPECT_FALSE(IsKnownRunStatus("Fetched"));
}

TEST(PaperEntryTest, RoundTripWithoutProfileField) {
  PaperEntry e{*RunId::Parse("2025-04-08-0a1b2c3d"), SamplePaper()};
  StreamFields fields = EncodePaperEntry(e);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].first, "run_id");
  EXPECT_EQ(fields[1],
            (std::pair<std::string, std::string>("arxiv_id", "2504.14960")));
  EXPECT_EQ(fields[2].first, "paper");
  // Entries written by the api until now carry `profile`: ignored.
  fields.emplace_back("profile", "vision");
  absl::StatusOr<PaperEntry> back = DecodePaperEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->run_id, e.run_id);
  EXPECT_EQ(back->paper, e.paper);
}

TEST(PaperEntryTest, ValidationErrorsNameTheField) {
  const std::string json = PaperToJson(SamplePaper());
  struct Case {
    StreamFields fields;
    const char* field;
  };
  for (const Case& c : {
           Case{{{"arxiv_id", "2504.14960"}, {"paper", json}}, "run_id"},
           Case{
               {{"run_id", "a b"}, {"arxiv_id", "2504.14960"}, {"paper", json}},
               "run_id"},
           Case{{{"run_id", "r1"}, {"paper", json}}, "arxiv_id"},
           Case{{{"run_id", "r1"}, {"arxiv_id", "N/A"}, {"paper", json}},
                "arxiv_id"},
           Case{{{"run_id", "r1"},
                 {"arxiv_id", "2504.14960v2"},
                 {"paper", json}},
                "arxiv_id"},
           Case{{{"run_id", "r1"}, {"arxiv_id", "2504.14960"}}, "paper"},
           Case{{{"run_id", "r1"}, {"arxiv_id", "2504.14960"}, {"paper", "{"}},
                "paper"},
           Case{{{"run_id", "r1"}, {"arxiv_id", "2504.00001"}, {"paper", json}},
                "paper"},
       }) {
    absl::Status s = DecodePaperEntry(c.fields).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.message().rfind(std::string(c.field) + ": ", 0), 0u)
        << c.field << ": " << s;
  }
}

TEST(PaperEntryTest, DepthBombAndOversizedJsonRejectedBeforeParsing) {
  // 100k nested arrays would overflow RapidJSON's recursive parser.
  std::string bomb =
      "{\"arxiv_id\":\"2504.14960\",\"x\":" + std::string(100000, '[') +
      std::string(100000, ']') + "}";
  absl::Status s =
      DecodePaperEntry(
          {{"run_id", "r1"}, {"arxiv_id", "2504.14960"}, {"paper", bomb}})
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("paper: ", 0), 0u) << s;

  Paper big = SamplePaper();
  big.abstract = std::string(kMaxPaperJsonBytes, 'a');
  s = DecodePaperEntry({{"run_id", "r1"},
                        {"arxiv_id", "2504.14960"},
                        {"paper", PaperToJson(big)}})
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("paper: ", 0), 0u) << s;

  // Brackets inside strings do not count as nesting.
  Paper brackets = SamplePaper();
  brackets.title = std::string(100, '[') + "\"\\" + std::string(100, '{');
  EXPECT_TRUE(DecodePaperEntry({{"run_id", "r1"},
                                {"arxiv_id", "2504.14960"},
                                {"paper", PaperToJson(brackets)}})
                  .ok());
}

TEST(ScoresEntryTest, ScoreAndUsageRoundTrip) {
  Score score;
  score.arxiv_id = "2504.14960";
  score.relevance = 8;
  score.novelty = 6;
  score.comment = "good";
  ScoreEntry se{*RunId::Parse("r1"), "gpt-4o", score};
  StreamFields fields = EncodeScoreEntry(se);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>("type", "score")));
  absl::StatusOr<ScoresEntry> back = DecodeScoresEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_TRUE(std::holds_alternative<ScoreEntry>(*back));
  EXPECT_EQ(std::get<ScoreEntry>(*back).score, score);
  EXPECT_EQ(std::get<ScoreEntry>(*back).model, "gpt-4o");

  UsageEntry ue{*RunId::Parse("r1"), "1-0#0", "gpt-4o",
                TokenUsage{100, 20, 30}};
  fields = EncodeUsageEntry(ue);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>("type", "usage")));
  back = DecodeScoresEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_TRUE(std::holds_alternative<UsageEntry>(*back));
  EXPECT_EQ(std::get<UsageEntry>(*back).usage, ue.usage);
  EXPECT_EQ(std::get<UsageEntry>(*back).call_id, "1-0#0");
}

// The scores stream carries the h-index/title stages' filtered flag to the
// publisher.
TEST(ScoresEntryTest, FilteredScoreSurvivesTheScoresStream) {
  Score score;
  score.arxiv_id = "2504.14960";
  score.comment = "H-index filtered (max is 3<20)";
  score.filtered = true;
  absl::StatusOr<ScoresEntry> back = DecodeScoresEntry(
      EncodeScoreEntry(ScoreEntry{*RunId::Parse("r1"), "gpt-4o", score}));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_TRUE(std::holds_alternative<ScoreEntry>(*back));
  EXPECT_TRUE(std::get<ScoreEntry>(*back).score.filtered);
  EXPECT_EQ(std::get<ScoreEntry>(*back).score, score);
}

TEST(ScoresEntryTest, ValidationErrorsNameTheField) {
  Score score;
  score.arxiv_id = "2504.14960";
  const std::string sj = ScoreToJson(score);
  const std::string uj = UsageToJson(TokenUsage{1, 2, 3});
  struct Case {
    StreamFields fields;
    const char* field;
  };
  for (const Case& c : {
           Case{{{"run_id", "r1"}}, "type"},
           Case{{{"type", "other"}, {"run_id", "r1"}}, "type"},
           Case{{{"type", "score"}, {"arxiv_id", "2504.14960"}, {"score", sj}},
                "run_id"},
           Case{{{"type", "score"}, {"run_id", "r1"}, {"score", sj}},
                "arxiv_id"},
           Case{{{"type", "score"},
                 {"run_id", "r1"},
                 {"arxiv_id", "x"},
                 {"score", sj}},
                "arxiv_id"},
           Case{{{"type", "score"},
                 {"run_id", "r1"},
                 {"arxiv_id", "2504.14960"},
                 {"score", "[1"}},
                "score"},
           Case{{{"type", "score"},
                 {"run_id", "r1"},
                 {"arxiv_id", "2504.00001"},
                 {"score", sj}},
                "score"},
           Case{{{"type", "usage"}, {"run_id", "r1"}, {"usage", uj}},
                "call_id"},
           Case{{{"type", "usage"}, {"run_id", "r1"}, {"call_id", "c"}},
                "usage"},
           Case{{{"type", "usage"},
                 {"run_id", "r1"},
                 {"call_id", "c"},
                 {"usage", std::string(100, '[')}},
                "usage"},
       }) {
    absl::Status s = DecodeScoresEntry(c.fields).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.message().rfind(std::string(c.field) + ": ", 0), 0u)
        << c.field << ": " << s;
  }
}

TEST(RunEntryTest, RoundTripAndValidation) {
  RunEntry e{*RunId::Parse("2025-04-08-d2"), run_status::kFetched};
  StreamFields fields = EncodeRunEntry(e);
  EXPECT_EQ(fields,
            (StreamFields{{"run_id", "2025-04-08-d2"}, {"status", "fetched"}}));
  absl::StatusOr<RunEntry> back = DecodeRunEntry(fields);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->run_id, e.run_id);
  EXPECT_EQ(back->status, "fetched");
  EXPECT_EQ(DecodeRunEntry({{"status", "fetched"}}).status().message(),
            "run_id: missing");
  absl::Status s =
      DecodeRunEntry({{"run_id", "r1"}, {"status", "weird"}}).status();
  EXPECT_EQ(s.message().rfind("status: ", 0), 0u) << s;
}

TEST(TriggerEntryTest, RoundTripAndValidation) {
  TriggerEntry t{*RunId::Parse("2025-04-09-ta0000001"),
                 {"cs.LG", "cs.CL"},
                 *Date::Parse("2025-04-09")};
  StreamFields fields = EncodeTriggerEntry(t);
  EXPECT_EQ(fields, (StreamFields{{"run_id", "2025-04-09-ta0000001"},
                                  {"categories", "cs.LG,cs.CL"},
                                  {"date", "2025-04-09"}}));
  absl::StatusOr<TriggerEntry> back = DecodeTriggerEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->categories, t.categories);
  EXPECT_EQ(back->date, t.date);
  // Empty categories and date: the configured feeds of today.
  back = DecodeTriggerEntry(
      {{"run_id", "pending-ta0000001"}, {"categories", ""}, {"date", ""}});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->categories.empty());
  EXPECT_FALSE(back->date.has_value());
  // The fetcher trimmed spaces around categories.
  back =
      DecodeTriggerEntry({{"run_id", "r1"}, {"categories", " cs.LG , cs.AI"}});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->categories, (std::vector<std::string>{"cs.LG", "cs.AI"}));
  absl::Status s =
      DecodeTriggerEntry({{"run_id", "r1"}, {"date", "2025-02-30"}}).status();
  EXPECT_EQ(s.message().rfind("date: ", 0), 0u) << s;
  s = DecodeTriggerEntry({{"run_id", ""}}).status();
  EXPECT_EQ(s.message().rfind("run_id: ", 0), 0u) << s;
}

// arxivctl backfill --missing: written only when set, alone.
TEST(TriggerEntryTest, MissingDaysFlag) {
  TriggerEntry t{*RunId::Parse("pending-ta0000002"), {}, std::nullopt, true};
  StreamFields fields = EncodeTriggerEntry(t);
  EXPECT_EQ(fields, (StreamFields{{"run_id", "pending-ta0000002"},
                                  {"categories", ""},
                                  {"date", ""},
                                  {"missing_days", "1"}}));
  absl::StatusOr<TriggerEntry> back = DecodeTriggerEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->missing_days);
  back = DecodeTriggerEntry({{"run_id", "r1"}});
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->missing_days);
  EXPECT_FALSE(
      DecodeTriggerEntry({{"run_id", "r1"}, {"missing_days", "yes"}}).ok());
  EXPECT_FALSE(
      DecodeTriggerEntry(
          {{"run_id", "r1"}, {"date", "2025-04-09"}, {"missing_days", "1"}})
          .ok());
}

TEST(DeadLetterEntryTest, RoundTripAndBounds) {
  DeadLetterEntry d{"arxiv:papers",
                    "1-0",
                    "too many deliveries",
                    "scorer-1",
                    {{"run_id", "r1"}, {"paper", "{}"}}};
  StreamFields fields = EncodeDeadLetterEntry(d);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[0].first, "source_stream");
  EXPECT_EQ(fields[3],
            (std::pair<std::string, std::string>("consumer", "scorer-1")));
  absl::StatusOr<DeadLetterEntry> back = DecodeDeadLetterEntry(fields);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->source_id, "1-0");
  EXPECT_EQ(back->original, d.original);

  DeadLetterEntry huge = d;
  huge.original.clear();
  for (int i = 0; i < 100; ++i) {
    huge.original.emplace_back("f" + std::to_string(i),
                               std::string(100000, 'x'));
  }
  fields = EncodeDeadLetterEntry(huge);
  EXPECT_EQ(fields.size(), 4 + kMaxDeadLetterFields);
  for (const auto& [k, v] : fields) {
    EXPECT_LE(v.size(), kMaxDeadLetterValueBytes) << k;
  }
  absl::Status s = DecodeDeadLetterEntry({{"source_stream", "s"}}).status();
  EXPECT_EQ(s.message().rfind("source_id: ", 0), 0u) << s;
}

}  // namespace
}  // namespace arxiv_digest::contract
