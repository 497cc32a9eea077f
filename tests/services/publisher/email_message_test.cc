// The e-mail of the real digest of 2025-04-22 (its reference Markdown and
// the HTML rendered from the scored fixture): MIME structure, base64 parts
// that decode back to the digest, RFC 2047 subjects, Date and Message-ID.
#include "services/publisher/logic/email_message.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace arxiv_digest {
namespace {

std::string ReadReference(const std::string& name) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Part(const std::string& data, const std::string& type) {
  size_t at = data.find("Content-Type: " + type);
  if (at == std::string::npos) return "";
  size_t body = data.find("\r\n\r\n", at);
  size_t end = data.find("\r\n--", body);
  std::string b64 = data.substr(body + 4, end - body - 4);
  b64.erase(std::remove(b64.begin(), b64.end(), '\r'), b64.end());
  b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
  std::string out;
  absl::Base64Unescape(b64, &out);
  return out;
}

TEST(EmailMessageTest, RealDigestAsMultipartAlternative) {
  PublishedDigest d;
  d.date = "2025-04-22";
  d.markdown = ReadReference("digest-2025-04-22.md");
  ASSERT_GT(d.markdown.size(), 10000u);
  d.html = "<!DOCTYPE html>\n<html><body><p>Jörg</p></body></html>\n";
  d.ranked.resize(29);
  EmailContent content = DigestEmailContent(d, "https://d.example.org");
  EXPECT_EQ(content.subject, "arXiv digest 2025-04-22: 29 relevant papers");
  const std::string msg = BuildMimeMessage(
      content, {"Digest <digest@example.org>", {"a@x.org", "b@x.org"}},
      FormatEmailDate(std::chrono::system_clock::time_point(
          std::chrono::seconds(1745308800))),
      MakeMessageId(0xabcdef, d.date, "digest@example.org"));
  EXPECT_EQ(
      msg.rfind("From: Digest <digest@example.org>\r\n"
                "To: a@x.org, b@x.org\r\n"
                "Subject: arXiv digest 2025-04-22: 29 relevant papers\r\n"
                "Date: Tue, 22 Apr 2025 08:00:00 +0000\r\n"
                "Message-ID: <0000000000abcdef.2025-04-22@example.org>\r\n"
                "MIME-Version: 1.0\r\n",
                0),
      0u)
      << msg.substr(0, 400);
  EXPECT_NE(msg.find("Content-Type: multipart/alternative; boundary=\""),
            std::string::npos);
  EXPECT_EQ(Part(msg, "text/plain"),
            d.markdown +
                "\n\nOnline: https://d.example.org/p/default/"
                "2025-04-22\n");
  EXPECT_EQ(Part(msg, "text/html"), d.html);
  // Every line fits SMTP's limit and ends in CRLF.
  for (absl::string_view line : absl::StrSplit(msg, "\r\n")) {
    EXPECT_LE(line.size(), 998u);
    EXPECT_EQ(line.find('\n'), absl::string_view::npos);
  }
}

TEST(EmailMessageTest, NonAsciiSubjectIsEncodedWords) {
  EXPECT_EQ(EncodeHeaderText("plain ascii"), "plain ascii");
  const std::string subject =
      "arXiv digest 2025-04-22 (Jörg's Ü profile): 3 relevant papers ✓ and "
      "some more words";
  const std::string encoded = EncodeHeaderText(subject);
  std::string decoded;
  for (absl::string_view word : absl::StrSplit(encoded, "\r\n ")) {
    ASSERT_LE(word.size(), 75u);
    ASSERT_TRUE(absl::ConsumePrefix(&word, "=?UTF-8?B?")) << word;
    ASSERT_TRUE(absl::ConsumeSuffix(&word, "?=")) << word;
    std::string piece;
    ASSERT_TRUE(absl::Base64Unescape(word, &piece));
    decoded += piece;
  }
  EXPECT_EQ(decoded, subject);
  // A subject that looks like an encoded word is encoded, not passed on.
  EXPECT_NE(EncodeHeaderText("=?x?="), "=?x?=");
}

TEST(EmailMessageTest, HeadersCannotBeInjected) {
  PublishedDigest d;
  d.date = "2025-04-22";
  d.ranked.resize(1);
  const std::string msg =
      BuildMimeMessage(DigestEmailContent(d, ""),
                       {"a@b\r\nBcc: evil@x", {"c@d"}}, "date", "id@x");
  EXPECT_EQ(msg.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(MakeMessageId(1, "2025-04-22", "no-domain"),
            "0000000000000001.2025-04-22@arxiv-digest.invalid");
}

TEST(EmailMessageTest, EmptyNotice) {
  PublishedDigest d;
  d.date = "2025-04-22";
  d.profile = "alice";
  EmailContent c = EmptyDigestEmailContent(d, "https://d.example.org");
  EXPECT_EQ(c.subject, "arXiv digest 2025-04-22 (alice): no papers today");
  EXPECT_EQ(c.text,
            "No papers passed the cut-offs on 2025-04-22.\n\nOnline: "
            "https://d.example.org/p/alice/2025-04-22\n");
  EXPECT_NE(
      c.html.find("<a href=\"https://d.example.org/p/alice/2025-04-22\">"),
      std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
