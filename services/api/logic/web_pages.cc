#include "services/api/logic/web_pages.h"

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {
namespace {

constexpr char kStyle[] =
    "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em "
    "auto;padding:0 1em;color:#222}a{color:#1a5fb4}li{margin:.3em "
    "0}.meta{color:#666;font-size:.9em}</style>";

std::string Page(std::string_view title, std::string_view body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><title>",
      XmlEscape(title), "</title>", kStyle, "</head><body>\n",
      std::string(body), "</body></html>\n");
}

// Digest dates and profile names are validated before they get here; the
// escaping still keeps a bad value from breaking the markup.
std::string ProfilePath(std::string_view profile) {
  return absl::StrCat("/p/", XmlEscape(profile), "/");
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
  return Page(absl::StrCat("arXiv digests: ", std::string(profile)), body);
}

std::string RenderAtomFeed(std::string_view profile_view,
                           std::string_view base_url,
                           const std::vector<DigestListing>& digests,
                           std::string_view updated) {
  const std::string profile(profile_view);
  std::string feed_updated(updated);
  if (!digests.empty() && !digests.front().published_at.empty()) {
    feed_updated = digests.front().published_at;
  }
  std::string base = absl::StrCat(std::string(base_url), "/p/", profile, "/");
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "  <title>arXiv digest: ",
      XmlEscape(profile), "</title>\n  <id>", XmlEscape(base),
      "</id>\n  <link rel=\"self\" href=\"", XmlEscape(base),
      "feed.atom\"/>\n  <link rel=\"alternate\" href=\"", XmlEscape(base),
      "\"/>\n  <updated>", XmlEscape(feed_updated),
      "</updated>\n  <author><name>arxiv-digest</name></author>\n");
  for (const DigestListing& d : digests) {
    std::string link = absl::StrCat(base, d.date);
    std::string when = d.published_at.empty()
                           ? absl::StrCat(d.date, "T00:00:00Z")
                           : d.published_at;
    absl::StrAppend(
        &out, "  <entry>\n    <title>", XmlEscape(d.date), " (",
        d.relevant_papers, " relevant papers)</title>\n    <id>",
        XmlEscape(link), "?v=", d.latest_version,
        "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"",
        XmlEscape(link), "\"/>\n    <updated>", XmlEscape(when),
        "</updated>\n    <summary>", d.relevant_papers,
        " relevant papers for profile ", XmlEscape(profile), ", version ",
        d.latest_version, "</summary>\n  </entry>\n");
  }
  out += "</feed>\n";
  return out;
}

}  // namespace arxiv_digest::api
