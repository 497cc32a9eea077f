// arXiv titles, author names and abstracts are TeX source ("J\"org",
// "$\sim$10\%", "$\mathbb{R}^d$"). TexToText turns them into readable UTF-8
// for the HTML page, the Atom feed and e-mail: accents become letters
// (Jörg), common text commands keep their argument (\emph{x} -> x), --, ---,
// `` and '' become typographic dashes and quotes, and inline math becomes
// plain text with Unicode symbols ($x^2$ -> x², $\alpha \le 1$ -> α ≤ 1).
// Math is cleaned to text rather than typeset with KaTeX so that the same
// text works in static files, e-mail, Atom readers and Slack, without
// JavaScript or extra assets. Anything it does not know stays readable: an
// unknown command keeps its name, an unmatched $ stays a dollar sign.
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest {

std::string TexToText(std::string_view tex);

}  // namespace arxiv_digest
