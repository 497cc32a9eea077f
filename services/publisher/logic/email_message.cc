#include "services/publisher/logic/email_message.h"

#include <cctype>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/text/markup_escape.h"

namespace arxiv_digest {
namespace {

// Base64 in 76-character lines (RFC 2045).
std::string Base64Lines(std::string_view data) {
  const std::string b64 = absl::Base64Escape(std::string(data));
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) {
    absl::StrAppend(&out, b64.substr(i, 76), "\r\n");
  }
  return out;
}

// Header values must not smuggle in new header lines.
std::string HeaderSafe(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string Subject(const PublishedDigest& digest, std::string_view what) {
  std::string subject = absl::StrCat("arXiv digest ", digest.date);
  if (digest.profile != "default") {
    absl::StrAppend(&subject, " (", digest.profile, ")");
  }
  absl::StrAppend(&subject, ": ", std::string(what));
  if (digest.version > 1) absl::StrAppend(&subject, " [v", digest.version, "]");
  return subject;
}

std::string OnlineUrl(const PublishedDigest& digest,
                      std::string_view digest_base_url) {
  if (digest_base_url.empty()) return "";
  return absl::StrCat(std::string(digest_base_url), "/p/", digest.profile, "/",
                      digest.date);
}

}  // namespace

EmailContent DigestEmailContent(const PublishedDigest& digest,
                                std::string_view digest_base_url) {
  EmailContent content;
  content.subject =
      Subject(digest, absl::StrCat(digest.ranked.size(), " relevant papers"));
  content.text = digest.markdown;
  if (std::string url = OnlineUrl(digest, digest_base_url); !url.empty()) {
    absl::StrAppend(&content.text, "\n\nOnline: ", url, "\n");
  }
  content.html = digest.html;
  return content;
}

EmailContent EmptyDigestEmailContent(const PublishedDigest& digest,
                                     std::string_view digest_base_url) {
  EmailContent content;
  content.subject = Subject(digest, "no papers today");
  const std::string url = OnlineUrl(digest, digest_base_url);
  content.text = absl::StrCat("No papers passed the cut-offs on ", digest.date,
                              ".\n", url.empty() ? "" : "\nOnline: ", url,
                              url.empty() ? "" : "\n");
  content.html = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
      "<p>No papers passed the cut-offs on ",
      HtmlEscape(digest.date), ".</p>\n",
      url.empty() ? ""
                  : absl::StrCat("<p><a href=\"", HtmlEscape(url),
                                 "\">Online</a></p>\n"),
      "</body></html>\n");
  return content;
}

std::string EncodeHeaderText(std::string_view text) {
  bool plain = text.find("=?") == std::string_view::npos;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) plain = false;
  }
  if (plain) return std::string(text);
  // "=?UTF-8?B?" + 60 base64 characters + "?=" = 72 <= 75; 60 characters
  // carry 45 bytes.
  constexpr size_t kChunk = 45;
  std::vector<std::string> words;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.size(), at + kChunk);
    while (end < text.size() && end > at + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;  // keep each character whole within one word
    }
    words.push_back(absl::StrCat(
        "=?UTF-8?B?",
        absl::Base64Escape(std::string(text.substr(at, end - at))), "?="));
    at = end;
  }
  return absl::StrJoin(words, "\r\n ");
}

std::string FormatEmailDate(std::chrono::system_clock::time_point when) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", absl::FromChrono(when),
                          absl::UTCTimeZone());
}

std::string MakeMessageId(uint64_t unique, std::string_view date,
                          std::string_view from) {
  std::string domain;
  if (size_t at = from.rfind('@'); at != std::string_view::npos) {
    for (char c : from.substr(at + 1)) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
        domain += c;
      }
    }
  }
  if (domain.empty()) domain = "arxiv-digest.invalid";
  return absl::StrCat(absl::Hex(unique, absl::kZeroPad16), ".",
                      std::string(date), "@", domain);
}

std::string BuildMimeMessage(const EmailContent& content,
                             const EmailAddressing& addressing,
                             std::string_view date,
                             std::string_view message_id) {
  std::string boundary =
      absl::StrCat("=_arxiv_digest_", std::string(message_id.substr(0, 16)));
  for (char& c : boundary) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '=' && c != '_') {
      c = '_';
    }
  }
  return absl::StrCat(
      "From: ", HeaderSafe(addressing.from), "\r\n",
      "To: ", HeaderSafe(absl::StrJoin(addressing.to, ", ")), "\r\n",
      "Subject: ", EncodeHeaderText(HeaderSafe(content.subject)), "\r\n",
      "Date: ", HeaderSafe(date), "\r\n",                //
      "Message-ID: <", HeaderSafe(message_id), ">\r\n",  //
      "MIME-Version: 1.0\r\n",                           //
      "Auto-Submitted: auto-generated\r\n",              //
      "Content-Type: multipart/alternative; boundary=\"", boundary, "\"\r\n",
      "\r\n", "--", boundary, "\r\n",
      "Content-Type: text/plain; charset=utf-8\r\n",
      "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(content.text),
      "--", boundary, "\r\n", "Content-Type: text/html; charset=utf-8\r\n",
      "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(content.html),
      "--", boundary, "--\r\n");
}

}  // namespace arxiv_digest
