#include "services/api/logic/web_pages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/text/tex_to_text.h"

namespace arxiv_digest::api {
namespace {

constexpr char kStyle[] =
    "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:1em "
    "auto;padding:0 1em;color:#222;overflow-wrap:anywhere}a{color:#1a5fb4}"
    "li{margin:.3em 0}.meta{color:#666;font-size:.9em}</style>";

// `head` is extra markup for <head> (already escaped).
std::string Page(std::string_view title, std::string_view body,
                 std::string_view head = {}) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><title>",
      XmlEscape(title), "</title>", kStyle, std::string(head),
      "</head><body>\n", std::string(body), "</body></html>\n");
}

// Digest dates and profile names are validated before they get here; the
// escaping still keeps a bad value from breaking the markup.
std::string ProfilePath(std::string_view profile) {
  return absl::StrCat("/p/", XmlEscape(profile), "/");
}

// Atom autodiscovery: browsers and feed readers find the profile's feed.
std::string FeedLink(std::string_view profile) {
  return absl::StrCat(
      "<link rel=\"alternate\" type=\"application/atom+xml\" "
      "title=\"arXiv digest: ",
      XmlEscape(profile), "\" href=\"", ProfilePath(profile), "feed.atom\">");
}

}  // namespace

std::string RenderProfilesPage(const std::vector<std::string>& profiles) {
  std::string body = "<h1>arXiv digests</h1>\n<ul class=\"profiles\">\n";
  for (const std::string& p : profiles) {
    absl::StrAppend(&body, "<li><a href=\"", ProfilePath(p), "\">",
                    XmlEscape(p), "</a> <span class=\"meta\">(<a href=\"",
                    ProfilePath(p), "feed.atom\">Atom</a>)</span></li>\n");
  }
  if (profiles.empty()) body += "<li>No profiles yet.</li>\n";
  body += "</ul>\n";
  return Page("arXiv digests", body);
}

std::string RenderDatesPage(std::string_view profile,
                            const std::vector<DigestListing>& digests) {
  std::string base = ProfilePath(profile);
  std::string body =
      absl::StrCat("<p><a href=\"/\">All profiles</a></p>\n<h1>arXiv digests: ",
                   XmlEscape(profile), "</h1>\n<p><a href=\"", base,
                   "feed.atom\">Atom feed</a></p>\n<ul class=\"digests\">\n");
  for (const DigestListing& d : digests) {
    std::string date = XmlEscape(d.date);
    absl::StrAppend(&body, "<li><a href=\"", base, date, "\">", date,
                    "</a> <span class=\"meta\">", d.relevant_papers,
                    " relevant papers &middot; <a href=\"", base, date,
                    ".json\">JSON</a> &middot; <a href=\"", base, date,
                    ".md\">Markdown</a>");
    if (d.latest_version > 1) {
      body += " &middot; versions:";
      for (int v = d.latest_version; v >= 1; --v) {
        absl::StrAppend(&body, " <a href=\"", base, date, "?v=", v, "\">v", v,
                        "</a>");
      }
    }
    body += "</span></li>\n";
  }
  if (digests.empty()) body += "<li>No digests yet.</li>\n";
  body += "</ul>\n";
  return Page(absl::StrCat("arXiv digests: ", std::string(profile)), body,
              FeedLink(profile));
}

namespace {

std::string ArxivAbs(std::string_view id) {
  return "https://arxiv.org/abs/" + std::string(id);
}

// The entry's HTML content: links, scores, comment, authors and abstract.
std::string EntryContent(const DigestPaperView& p) {
  const std::string id = XmlEscape(p.arxiv_id);
  std::string html = absl::StrCat(
      "<p><a href=\"https://arxiv.org/abs/", id,
      "\">Abstract</a> | <a href=\"https://arxiv.org/pdf/", id,
      "\">PDF</a> | <a href=\"https://arxiv.org/html/", id, "\">HTML</a></p>");
  if (!p.author_match) {
    absl::StrAppend(&html, "<p><b>Relevance:</b> ", p.relevance,
                    " &middot; <b>Novelty:</b> ", p.novelty, "</p>");
  }
  if (!p.comment.empty()) {
    absl::StrAppend(&html, "<p><b>Comment:</b> ",
                    XmlEscape(TexToText(p.comment)), "</p>");
  }
  absl::StrAppend(&html, "<p><b>Authors:</b> ",
                  XmlEscape(TexToText(absl::StrJoin(p.authors, ", "))),
                  "</p><p>", XmlEscape(TexToText(p.abstract)), "</p>");
  return html;
}

}  // namespace

std::string RenderAtomFeed(std::string_view profile_view,
                           std::string_view base_url,
                           const std::vector<FeedDigest>& digests,
                           std::string_view updated) {
  const std::string profile(profile_view);
  std::string feed_updated(updated);
  if (!digests.empty() && !digests.front().listing.published_at.empty()) {
    feed_updated = digests.front().listing.published_at;
  }
  std::string base = absl::StrCat(std::string(base_url), "/p/", profile, "/");
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "  <title>arXiv digest: ",
      XmlEscape(profile), "</title>\n  <id>", XmlEscape(base),
      "</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"",
      XmlEscape(base), "feed.atom\"/>\n  <link rel=\"alternate\" href=\"",
      XmlEscape(base), "\"/>\n  <updated>", XmlEscape(feed_updated),
      "</updated>\n  <author><name>arxiv-digest</name></author>\n");
  int entries = 0;
  for (const FeedDigest& digest : digests) {
    const DigestListing& d = digest.listing;
    const std::string page = absl::StrCat(base, d.date);
    const std::string when = d.published_at.empty()
                                 ? absl::StrCat(d.date, "T00:00:00Z")
                                 : d.published_at;
    if (digest.papers.empty()) {
      if (++entries > kMaxFeedEntries) break;
      absl::StrAppend(
          &out, "  <entry>\n    <title>", XmlEscape(d.date), " (",
          d.relevant_papers, " relevant papers)</title>\n    <id>",
          XmlEscape(page), "?v=", d.latest_version,
          "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"",
          XmlEscape(page), "\"/>\n    <updated>", XmlEscape(when),
          "</updated>\n    <summary>", d.relevant_papers,
          " relevant papers for profile ", XmlEscape(profile), ", version ",
          d.latest_version, "</summary>\n  </entry>\n");
      continue;
    }
    for (size_t i = 0; i < digest.papers.size(); ++i) {
      if (++entries > kMaxFeedEntries) break;
      const DigestPaperView& p = digest.papers[i];
      // One entry per paper and day: a paper listed again on a later day
      // (a new version) is a new entry; a rescore of the day updates it.
      absl::StrAppend(
          &out, "  <entry>\n    <title>", XmlEscape(TexToText(p.title)),
          "</title>\n    <id>", XmlEscape(page), "#", XmlEscape(p.arxiv_id),
          "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"",
          XmlEscape(ArxivAbs(p.arxiv_id)),
          "\"/>\n    <link rel=\"related\" type=\"text/html\" href=\"",
          XmlEscape(page), "#link", i + 1, "\"/>\n    <updated>",
          XmlEscape(when), "</updated>\n");
      for (const std::string& author : p.authors) {
        absl::StrAppend(&out, "    <author><name>",
                        XmlEscape(TexToText(author)), "</name></author>\n");
      }
      absl::StrAppend(&out, "    <summary type=\"text\">",
                      XmlEscape(TexToText(p.abstract)),
                      "</summary>\n    <content type=\"html\">",
                      XmlEscape(EntryContent(p)), "</content>\n  </entry>\n");
    }
    if (entries > kMaxFeedEntries) break;
  }
  out += "</feed>\n";
  return out;
}

std::string DecorateDigestPage(std::string_view html,
                               const DigestPageNav& nav) {
  const std::string base = ProfilePath(nav.profile);
  const std::string head = absl::StrCat(
      FeedLink(nav.profile),
      "\n<style>nav.site{display:flex;flex-wrap:wrap;"
      "gap:.3rem 1rem;margin:.5rem 0}nav.site.profiles{font-size:.9em}"
      "</style>\n");
  std::string days = absl::StrCat(
      "<nav class=\"site days\" aria-label=\"Days\"><a href=\"/\">All "
      "profiles</a>");
  if (!nav.days.previous.empty()) {
    absl::StrAppend(&days, "<a rel=\"prev\" href=\"", base,
                    XmlEscape(nav.days.previous), "\">&larr; ",
                    XmlEscape(nav.days.previous), "</a>");
  }
  absl::StrAppend(&days, "<a href=\"", base, "\">All dates of ",
                  XmlEscape(nav.profile), "</a>");
  if (!nav.days.next.empty()) {
    absl::StrAppend(&days, "<a rel=\"next\" href=\"", base,
                    XmlEscape(nav.days.next), "\">", XmlEscape(nav.days.next),
                    " &rarr;</a>");
  }
  absl::StrAppend(&days, "<a href=\"", base,
                  "feed.atom\">Atom feed</a></nav>\n");
  if (nav.profiles.size() > 1) {
    days += "<nav class=\"site profiles\" aria-label=\"Profiles\">Profiles:";
    for (const std::string& p : nav.profiles) {
      if (p == nav.profile) {
        absl::StrAppend(&days, "<strong>", XmlEscape(p), "</strong>");
      } else {
        absl::StrAppend(&days, "<a href=\"", ProfilePath(p), "\">",
                        XmlEscape(p), "</a>");
      }
    }
    days += "</nav>\n";
  }

  std::string out(html);
  // The body first: inserting into the head moves the body's offset.
  if (size_t body = out.find("<body"); body != std::string::npos) {
    if (size_t end = out.find('>', body); end != std::string::npos) {
      out.insert(end + 1, "\n" + days);
    }
  }
  if (size_t head_end = out.find("</head>"); head_end != std::string::npos) {
    out.insert(head_end, head);
  }
  return out;
}

}  // namespace arxiv_digest::api
