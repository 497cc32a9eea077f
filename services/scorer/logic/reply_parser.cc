#include "services/scorer/logic/reply_parser.h"

#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "lib/core/ids.h"
#include "lib/core/string_view.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace arxiv_digest {
namespace {

// Errors quote the offending text, but a runaway object should not make a
// log line of several kilobytes.
constexpr size_t kMaxQuotedBytes = 300;

std::string Quote(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.size() <= kMaxQuotedBytes) return std::string(text);
  size_t cut = kMaxQuotedBytes;
  // Back up to a UTF-8 character start so the quote stays valid text.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(text.substr(0, cut), "...");
}

// A '{'...'}' region of the reply that may hold one JSON object.
struct Span {
  size_t begin = 0;  // offset of the '{'
  size_t end = 0;    // one past the last byte belonging to it
  int line = 1;      // 1-based line of the '{'
  bool complete = false;
  std::string problem;  // why an incomplete span was given up
};

// Finds brace-balanced regions outside of prose. Strings are only tracked
// inside objects (prose may hold stray quotes). A region is given up, so the
// following lines are still scanned, when JSON cannot continue it: a raw line
// break inside a string, a '{' where no value may start (the previous object
// lost its '}'), or a mismatched bracket.
class SpanScanner {
 public:
  SpanScanner(absl::string_view text, int first_line)
      : text_(text), line_(first_line) {}

  std::vector<Span> Scan() {
    for (size_t i = 0; i < text_.size(); ++i) Step(i);
    if (!stack_.empty()) {
      Abandon(text_.size(), "reply ends inside this object (truncated)");
    }
    return std::move(spans_);
  }

 private:
  void Start(size_t i) {
    stack_.assign(1, '{');
    begin_ = i;
    begin_line_ = line_;
    last_ = '{';
    in_string_ = false;
    escaped_ = false;
  }

  void Abandon(size_t end, std::string problem) {
    spans_.push_back(Span{begin_, end, begin_line_, false, std::move(problem)});
    stack_.clear();
    in_string_ = false;
    escaped_ = false;
  }

  void Step(size_t i) {
    const char c = text_[i];
    if (stack_.empty()) {
      if (c == '\n') ++line_;
      if (c == '{') Start(i);
      return;
    }
    if (in_string_) {
      if (c == '\n') {
        Abandon(i, "line break inside a string");
        ++line_;
      } else if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
        last_ = '"';
      }
      return;
    }
    switch (c) {
      case '\n':
        ++line_;
        return;
      case ' ':
      case '\t':
      case '\r':
        return;
      case '"':
        in_string_ = true;
        return;
      case '{': {
        const bool value_may_start =
            (stack_.back() == '[' && (last_ == '[' || last_ == ',')) ||
            (stack_.back() == '{' && last_ == ':');
        if (!value_may_start) {
          Abandon(i, "object is not closed");
          Start(i);
          return;
        }
        stack_.push_back('{');
        break;
      }
      case '[':
        stack_.push_back('[');
        break;
      case '}':
      case ']':
        if (stack_.back() != (c == '}' ? '{' : '[')) {
          Abandon(i + 1, "mismatched brackets");
          return;
        }
        stack_.pop_back();
        if (stack_.empty()) {
          spans_.push_back(Span{begin_, i + 1, begin_line_, true, ""});
          return;
        }
        break;
      default:
        break;
    }
    last_ = c;
  }

  absl::string_view text_;
  int line_;
  std::vector<Span> spans_;
  std::vector<char> stack_;  // open '{' and '[' of the current region
  size_t begin_ = 0;
  int begin_line_ = 1;
  char last_ = 0;  // previous significant character in the region
  bool in_string_ = false;
  bool escaped_ = false;
};

// "ARXIVID", "ArxivId", "arxiv_id" all name the same field.
std::string NormalizeKey(absl::string_view key) {
  std::string out;
  for (char c : key) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      out += absl::ascii_tolower(static_cast<unsigned char>(c));
    }
  }
  return out;
}

const rapidjson::Value* FindField(const rapidjson::Value& object,
                                  absl::string_view normalized_key) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (!it->name.IsString()) continue;
    const absl::string_view name(it->name.GetString(),
                                 it->name.GetStringLength());
    if (NormalizeKey(name) == normalized_key) return &it->value;
  }
  return nullptr;
}

// Documents are parsed with kParseNumbersAsStringsFlag, so a JSON number 8
// and a JSON string "8" both arrive here as text.
std::optional<int> ParseScoreValue(const rapidjson::Value& value) {
  if (!value.IsString()) return std::nullopt;
  double number = 0;
  if (!absl::SimpleAtod(
          absl::string_view(value.GetString(), value.GetStringLength()),
          &number) ||
      !std::isfinite(number)) {
    return std::nullopt;
  }
  const double clamped = std::fmin(10.0, std::fmax(1.0, std::round(number)));
  return static_cast<int>(clamped);
}

std::string ValueText(const rapidjson::Value& value) {
  if (value.IsString()) {
    return absl::StrCat(
        "'", Quote({value.GetString(), value.GetStringLength()}), "'");
  }
  if (value.IsNull()) return "null";
  if (value.IsBool()) return value.GetBool() ? "true" : "false";
  return value.IsObject() ? "an object" : "an array";
}

// Converts one object to a Score, or says what is wrong with it.
std::optional<Score> ToScore(const rapidjson::Value& object,
                             std::string& problem) {
  const rapidjson::Value* id = FindField(object, "arxivid");
  if (id == nullptr) {
    problem = "missing ARXIVID";
    return std::nullopt;
  }
  Score score;
  if (id->IsString()) {
    score.arxiv_id = NormalizeArxivId({id->GetString(), id->GetStringLength()});
  }
  absl::StatusOr<ArxivId> parsed_id = ArxivId::Parse(score.arxiv_id);
  if (!parsed_id.ok()) {
    problem = absl::StrCat("ARXIVID ", ValueText(*id), " is not an arXiv id");
    return std::nullopt;
  }
  score.arxiv_id = parsed_id->str();  // version-less, as papers are keyed
  const std::pair<const char*, int*> axes[] = {{"RELEVANCE", &score.relevance},
                                               {"NOVELTY", &score.novelty}};
  for (const auto& [name, target] : axes) {
    const rapidjson::Value* value = FindField(object, NormalizeKey(name));
    if (value == nullptr) {
      problem = absl::StrCat("missing ", name);
      return std::nullopt;
    }
    const std::optional<int> parsed = ParseScoreValue(*value);
    if (!parsed) {
      problem = absl::StrCat(name, " ", ValueText(*value), " is not a number");
      return std::nullopt;
    }
    *target = *parsed;
  }
  const rapidjson::Value* comment = FindField(object, "comment");
  if (comment != nullptr && comment->IsString()) {
    score.comment.assign(comment->GetString(), comment->GetStringLength());
  }
  return score;
}

bool HasArrayMember(const rapidjson::Value& object) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (it->value.IsArray()) return true;
  }
  return false;
}

class ReplyParser {
 public:
  explicit ReplyParser(absl::string_view text) : text_(text) {}

  ParsedReply Parse() {
    ParseRegion(0, text_.size(), 1, /*depth=*/0);
    if (out_.scores.empty() && out_.errors.empty()) {
      out_.errors.push_back(
          absl::StripAsciiWhitespace(text_).empty()
              ? "reply is empty"
              : absl::StrCat("reply contains no JSON objects: ", Quote(text_)));
    }
    return std::move(out_);
  }

 private:
  // Code fences and prose hold no braces, so scanning for objects skips them.
  void ParseRegion(size_t begin, size_t end, int first_line, int depth) {
    SpanScanner scanner(text_.substr(begin, end - begin), first_line);
    for (Span span : scanner.Scan()) {
      span.begin += begin;
      span.end += begin;
      HandleSpan(span, depth);
    }
  }

  // Braces without any ':' are prose ("{ARXIVID, COMMENT, ...}"), not a
  // failed attempt at an object, and are not worth an error.
  static bool LooksLikeJson(absl::string_view text) {
    return absl::StrContains(text, ':');
  }

  void AddError(const Span& span, absl::string_view problem) {
    out_.errors.push_back(
        absl::StrCat("line ", span.line, ": ", problem, ": ",
                     Quote(text_.substr(span.begin, span.end - span.begin))));
  }

  void HandleSpan(const Span& span, int depth) {
    const absl::string_view text =
        text_.substr(span.begin, span.end - span.begin);
    if (!span.complete) {
      if (LooksLikeJson(text)) AddError(span, span.problem);
      return;
    }
    // Iterative: the recursive parser overflows the stack on a reply that
    // nests thousands of levels deep.
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag |
              rapidjson::kParseNumbersAsStringsFlag |
              rapidjson::kParseTrailingCommasFlag>(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      if (LooksLikeJson(text)) {
        AddError(span,
                 absl::StrCat("not valid JSON (",
                              rapidjson::GetParseError_En(doc.GetParseError()),
                              ")"));
      }
      return;
    }
    // json_mode forces one top-level object, so models wrap the list:
    // {"papers": [{...}, {...}]}. Rescan its inside for the real objects.
    if (FindField(doc, "arxivid") == nullptr && HasArrayMember(doc) &&
        depth == 0) {
      const size_t scores_before = out_.scores.size();
      const size_t errors_before = out_.errors.size();
      ParseRegion(span.begin + 1, span.end - 1, span.line, depth + 1);
      if (out_.scores.size() != scores_before ||
          out_.errors.size() != errors_before) {
        return;
      }
    }
    std::string problem;
    std::optional<Score> score = ToScore(doc, problem);
    if (score) {
      out_.scores.push_back(std::move(*score));
    } else {
      AddError(span, problem);
    }
  }

  absl::string_view text_;
  ParsedReply out_;
};

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Removes `prefix` (ASCII, case-insensitive) from the front of `s` if there.
bool ConsumeCaseInsensitive(absl::string_view& s, absl::string_view prefix) {
  if (!absl::StartsWithIgnoreCase(s, prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace

ParsedReply ParseScoringReply(std::string_view reply_text) {
  return ReplyParser(AsAbsl(reply_text)).Parse();
}

std::string NormalizeArxivId(std::string_view raw) {
  absl::string_view s = absl::StripAsciiWhitespace(AsAbsl(raw));
  ConsumeCaseInsensitive(s, "https://") || ConsumeCaseInsensitive(s, "http://");
  ConsumeCaseInsensitive(s, "www.");
  ConsumeCaseInsensitive(s, "arxiv.org/abs/") ||
      ConsumeCaseInsensitive(s, "arxiv.org/pdf/");
  ConsumeCaseInsensitive(s, "arXiv:");
  s = absl::StripAsciiWhitespace(s);
  absl::ConsumeSuffix(&s, "/");
  if (absl::EndsWithIgnoreCase(s, ".pdf")) s.remove_suffix(4);
  // Drop a "vN" version suffix, but only after a digit so that an archive
  // name is never cut.
  const size_t v = s.find_last_of("vV");
  if (v != absl::string_view::npos && v > 0 && AllDigits(s.substr(v + 1)) &&
      absl::ascii_isdigit(static_cast<unsigned char>(s[v - 1]))) {
    s = s.substr(0, v);
  }
  return std::string(s);
}

}  // namespace arxiv_digest
