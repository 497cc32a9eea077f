#include "services/publisher/logic/json_renderer.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {
namespace {

// Decodes one UTF-8 sequence at `i` and advances `i`. Invalid or truncated
// sequences (and encoded surrogates) decode as U+FFFD, consuming one byte:
// Python strings are always valid, so any substitute is a best effort.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  constexpr uint32_t kReplacement = 0xFFFD;
  const unsigned char lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  int extra = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + extra >= s.size()) {  // truncated sequence
    ++i;
    return kReplacement;
  }
  for (int k = 1; k <= extra; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += extra + 1;
  return cp;
}

void AppendU16Escape(std::string& out, uint32_t unit) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(unit));
  out += buf;
}

void AppendIndent(std::string& out, int level) {
  out.append(static_cast<size_t>(level) * 4, ' ');
}

// Python's json.dumps of an int or float SCORE.
std::string ScoreText(const Score& score) {
  if (!score.author_match) return absl::StrCat(score.relevance + score.novelty);
  const double v = score.author_match_score;
  // json.dumps writes these non-standard tokens for non-finite floats.
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return FormatPythonFloat(v);
}

void AppendPaper(std::string& out, const ScoredPaper& p) {
  const Score& s = p.score;
  const Paper& paper = p.paper;
  // Python's json.dump(indent=4): ",\n" between items, ": " after keys.
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back("SCORE", ScoreText(s));
  fields.emplace_back("ARXIVID", PythonJsonString(paper.arxiv_id));
  fields.emplace_back("COMMENT", PythonJsonString(s.comment));
  if (!s.author_match) {
    fields.emplace_back("RELEVANCE", absl::StrCat(s.relevance));
    fields.emplace_back("NOVELTY", absl::StrCat(s.novelty));
  }
  std::string authors;
  if (paper.authors.empty()) {
    authors = "[]";  // json.dumps writes an empty list on one line
  } else {
    authors = "[\n";
    for (size_t i = 0; i < paper.authors.size(); ++i) {
      AppendIndent(authors, 3);
      authors += PythonJsonString(paper.authors[i]);
      authors += i + 1 < paper.authors.size() ? ",\n" : "\n";
    }
    AppendIndent(authors, 2);
    authors += "]";
  }
  fields.emplace_back("authors", std::move(authors));
  fields.emplace_back("title", PythonJsonString(paper.title));
  fields.emplace_back("abstract", PythonJsonString(paper.abstract));
  fields.emplace_back("arxiv_id", PythonJsonString(paper.arxiv_id));

  out += "{\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    AppendIndent(out, 2);
    absl::StrAppend(&out, "\"", fields[i].first, "\": ", fields[i].second,
                    i + 1 < fields.size() ? ",\n" : "\n");
  }
  AppendIndent(out, 1);
  out += "}";
}

// Reads a required string member; the error names the paper and the field.
absl::Status ReadString(const rapidjson::Value& obj, const char* name,
                        const std::string& where, std::string& out) {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", name, "\" must be a string"));
  }
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return absl::OkStatus();
}

absl::Status ReadInt(const rapidjson::Value& obj, const char* name,
                     const std::string& where, int& out) {
  const auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsInt()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", name, "\" must be an integer"));
  }
  out = it->value.GetInt();
  return absl::OkStatus();
}

absl::StatusOr<ScoredPaper> ParsePaper(const std::string& key,
                                       const rapidjson::Value& obj,
                                       int64_t position) {
  const std::string where = absl::StrCat("paper \"", key, "\"");
  if (!obj.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat(where, " is not an object"));
  }
  ScoredPaper p;
  p.paper.position = position;
  if (absl::Status st = ReadString(obj, "arxiv_id", where, p.paper.arxiv_id);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadString(obj, "title", where, p.paper.title);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadString(obj, "abstract", where, p.paper.abstract);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadString(obj, "COMMENT", where, p.score.comment);
      !st.ok()) {
    return st;
  }
  std::string arxivid;
  if (absl::Status st = ReadString(obj, "ARXIVID", where, arxivid); !st.ok()) {
    return st;
  }
  // ARXIVID is what the LLM answered; the digest links by the paper's id.
  p.score.arxiv_id = p.paper.arxiv_id;

  const auto authors = obj.FindMember("authors");
  if (authors == obj.MemberEnd() || !authors->value.IsArray()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"authors\" must be an array"));
  }
  for (const rapidjson::Value& a : authors->value.GetArray()) {
    if (!a.IsString()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": \"authors\" must hold strings"));
    }
    p.paper.authors.emplace_back(a.GetString(), a.GetStringLength());
  }

  const auto score = obj.FindMember("SCORE");
  if (score == obj.MemberEnd() || !score->value.IsNumber()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"SCORE\" must be a number"));
  }
  const bool has_relevance = obj.HasMember("RELEVANCE");
  const bool has_novelty = obj.HasMember("NOVELTY");
  if (has_relevance != has_novelty) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": \"RELEVANCE\" and \"NOVELTY\" must come together"));
  }
  if (has_relevance) {
    if (absl::Status st = ReadInt(obj, "RELEVANCE", where, p.score.relevance);
        !st.ok()) {
      return st;
    }
    if (absl::Status st = ReadInt(obj, "NOVELTY", where, p.score.novelty);
        !st.ok()) {
      return st;
    }
  } else {
    // The Python tool wrote author matches without LLM scores.
    p.score.author_match = true;
    p.score.author_match_score = score->value.GetDouble();
  }
  return p;
}

}  // namespace

std::string PythonJsonString(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < utf8.size()) {
    const uint32_t cp = NextCodePoint(utf8, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    // ensure_ascii keeps only printable ASCII (' '..'~'); DEL is escaped too.
    if (cp >= 0x20 && cp <= 0x7E) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      AppendU16Escape(out, cp);
    } else {
      const uint32_t v = cp - 0x10000;
      AppendU16Escape(out, 0xD800 | (v >> 10));
      AppendU16Escape(out, 0xDC00 | (v & 0x3FF));
    }
  }
  out += '"';
  return out;
}

std::string RenderDigestJson(const std::vector<ScoredPaper>& ranked) {
  return RenderDigestJson(ranked, {});
}

std::string RenderDigestJson(const std::vector<ScoredPaper>& ranked,
                             const std::vector<FinalFate>& fates) {
  if (ranked.empty() && fates.empty()) return "{}";
  std::string out = "{\n";
  for (size_t i = 0; i < ranked.size(); ++i) {
    AppendIndent(out, 1);
    absl::StrAppend(&out, PythonJsonString(ranked[i].paper.arxiv_id), ": ");
    AppendPaper(out, ranked[i]);
    out += i + 1 < ranked.size() || !fates.empty() ? ",\n" : "\n";
  }
  if (!fates.empty()) {
    AppendIndent(out, 1);
    absl::StrAppend(&out, "\"", kFatesMember, "\": ", RenderFatesJson(fates),
                    "\n");
  }
  out += "}";
  return out;
}

absl::StatusOr<std::vector<ScoredPaper>> ParseScoredJson(
    std::string_view text) {
  rapidjson::Document doc;
  // Iterative: a deeply nested file must not exhaust the stack.
  doc.Parse<rapidjson::kParseValidateEncodingFlag |
            rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON at offset ", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) {
    return absl::InvalidArgumentError(
        "scored JSON must be an object keyed by arXiv id");
  }
  std::vector<ScoredPaper> papers;
  papers.reserve(doc.MemberCount());
  int64_t position = 0;
  // RapidJSON keeps members in file order, which is the digest order.
  for (const auto& member : doc.GetObject()) {
    const std::string key(member.name.GetString(),
                          member.name.GetStringLength());
    // The run's paper fates, not a paper (see RenderDigestJson).
    if (key == kFatesMember) continue;
    absl::StatusOr<ScoredPaper> paper =
        ParsePaper(key, member.value, position++);
    if (!paper.ok()) return paper.status();
    papers.push_back(*std::move(paper));
  }
  return papers;
}

}  // namespace arxiv_digest
