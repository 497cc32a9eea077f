#include "lib/json/json_util.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace arxiv_digest {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteStringArray(Writer& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& s : items) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  w.EndArray();
}

void WriteKeyString(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

absl::StatusOr<rapidjson::Document> ParseObject(std::string_view json,
                                                const char* what) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(json);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", doc.status().message()));
  }
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not an object"));
  }
  return doc;
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

absl::Status CheckJsonNesting(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return absl::InvalidArgumentError(absl::StrCat(
            "JSON nested deeper than ", max_depth, " levels at offset ", i));
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<rapidjson::Document> ParseJson(std::string_view text,
                                              int max_depth) {
  if (absl::Status s = CheckJsonNesting(text, max_depth); !s.ok()) return s;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON at offset ", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError())));
  }
  return doc;
}

std::optional<std::string> GetString(const rapidjson::Value& obj,
                                     const char* key) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<int64_t> GetInt(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

std::optional<double> GetDouble(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return it->value.GetDouble();
}

std::optional<bool> GetBool(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsBool()) return std::nullopt;
  return it->value.GetBool();
}

std::optional<std::vector<std::string>> GetStringArray(
    const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsArray()) return std::nullopt;
  std::vector<std::string> out;
  for (const rapidjson::Value& v : it->value.GetArray()) {
    if (!v.IsString()) return std::nullopt;
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::string PaperToJson(const Paper& paper) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  WriteKeyString(w, "arxiv_id", paper.arxiv_id);
  w.Key("version");
  w.Int(paper.version);
  WriteKeyString(w, "title", paper.title);
  w.Key("authors");
  WriteStringArray(w, paper.authors);
  WriteKeyString(w, "abstract", paper.abstract);
  WriteKeyString(w, "announce_type", paper.announce_type);
  w.Key("categories");
  WriteStringArray(w, paper.categories);
  WriteKeyString(w, "feed", paper.feed);
  w.Key("position");
  w.Int64(paper.position);
  w.EndObject();
  return buf.GetString();
}

absl::StatusOr<Paper> PaperFromJson(std::string_view json) {
  absl::StatusOr<rapidjson::Document> doc = ParseObject(json, "paper");
  if (!doc.ok()) return doc.status();
  Paper paper;
  std::optional<std::string> id = GetString(*doc, "arxiv_id");
  std::optional<std::string> title = GetString(*doc, "title");
  std::optional<std::vector<std::string>> authors =
      GetStringArray(*doc, "authors");
  std::optional<std::string> abstract = GetString(*doc, "abstract");
  if (!id || id->empty() || !title || !authors || !abstract) {
    return absl::InvalidArgumentError(
        "paper: arxiv_id, title, authors and abstract are required");
  }
  paper.arxiv_id = *std::move(id);
  paper.title = *std::move(title);
  paper.authors = *std::move(authors);
  paper.abstract = *std::move(abstract);
  paper.version = static_cast<int>(GetInt(*doc, "version").value_or(1));
  paper.announce_type = GetString(*doc, "announce_type").value_or("");
  paper.categories =
      GetStringArray(*doc, "categories").value_or(std::vector<std::string>{});
  paper.feed = GetString(*doc, "feed").value_or("");
  paper.position = GetInt(*doc, "position").value_or(0);
  return paper;
}

std::string ScoreToJson(const Score& score) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  WriteKeyString(w, "arxiv_id", score.arxiv_id);
  w.Key("relevance");
  w.Int(score.relevance);
  w.Key("novelty");
  w.Int(score.novelty);
  WriteKeyString(w, "comment", score.comment);
  w.Key("author_match");
  w.Bool(score.author_match);
  w.Key("author_match_score");
  w.Double(score.author_match_score);
  w.Key("scored");
  w.Bool(score.scored);
  WriteKeyString(w, "error", score.error);
  w.Key("prefiltered");
  w.Bool(score.prefiltered);
  w.Key("cached");
  w.Bool(score.cached);
  w.Key("filtered");
  w.Bool(score.filtered);
  w.EndObject();
  return buf.GetString();
}

absl::StatusOr<Score> ScoreFromJson(std::string_view json) {
  absl::StatusOr<rapidjson::Document> doc = ParseObject(json, "score");
  if (!doc.ok()) return doc.status();
  Score score;
  std::optional<std::string> id = GetString(*doc, "arxiv_id");
  if (!id || id->empty()) {
    return absl::InvalidArgumentError("score: arxiv_id is required");
  }
  score.arxiv_id = *std::move(id);
  score.relevance = static_cast<int>(GetInt(*doc, "relevance").value_or(0));
  score.novelty = static_cast<int>(GetInt(*doc, "novelty").value_or(0));
  score.comment = GetString(*doc, "comment").value_or("");
  score.author_match = GetBool(*doc, "author_match").value_or(false);
  score.author_match_score = GetDouble(*doc, "author_match_score").value_or(0);
  score.scored = GetBool(*doc, "scored").value_or(true);
  score.error = GetString(*doc, "error").value_or("");
  score.prefiltered = GetBool(*doc, "prefiltered").value_or(false);
  score.cached = GetBool(*doc, "cached").value_or(false);
  // Absent in scores written before the flag: those were not filtered.
  score.filtered = GetBool(*doc, "filtered").value_or(false);
  return score;
}

std::string UsageToJson(const TokenUsage& usage, std::string_view model) {
  std::string json =
      absl::StrCat("{\"prompt_tokens\":", usage.prompt_tokens,
                   ",\"completion_tokens\":", usage.completion_tokens,
                   ",\"cached_tokens\":", usage.cached_tokens);
  if (!model.empty()) absl::StrAppend(&json, ",\"model\":", JsonQuote(model));
  json += "}";
  return json;
}

absl::StatusOr<TokenUsage> UsageFromJson(std::string_view json) {
  absl::StatusOr<rapidjson::Document> doc = ParseObject(json, "usage");
  if (!doc.ok()) return doc.status();
  TokenUsage usage;
  usage.prompt_tokens = GetInt(*doc, "prompt_tokens").value_or(0);
  usage.completion_tokens = GetInt(*doc, "completion_tokens").value_or(0);
  usage.cached_tokens = GetInt(*doc, "cached_tokens").value_or(0);
  return usage;
}

}  // namespace arxiv_digest
