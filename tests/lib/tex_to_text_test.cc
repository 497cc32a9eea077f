#include "lib/text/tex_to_text.h"

#include <string>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

struct Case {
  const char* tex;
  const char* text;
};

// Author names as arXiv feeds spell them (tests/fixtures, the reference
// digests and the bundled days).
TEST(TexToTextTest, AccentsInNames) {
  const Case cases[] = {
      {R"(J\"org)", "Jörg"},
      {R"(Mehmet Yama\c{c})", "Mehmet Yamaç"},
      {R"(Ivan Vuli\'c)", "Ivan Vulić"},
      {R"(Lorenzo Nicol\`e)", "Lorenzo Nicolè"},
      {R"(Jo\~ao)", "João"},
      {R"(Bj\"orn H\"older)", "Björn Hölder"},
      {R"(Fr\'echet)", "Fréchet"},
      {R"(Schr\"odinger)", "Schrödinger"},
      {R"(Ra\'ul Andr\'es)", "Raúl Andrés"},
      {R"(Ji\v{r}\'i \v{S}ediv\'y)", "Jiří Šedivý"},
      {R"({\O}ystein Bj{\o}rn)", "Øystein Bjørn"},
      {R"(Bj\o rn)", "Bjørn"},
      {R"(Pawe{\l} {\L}ukasz)", "Paweł Łukasz"},
      {R"(Stra{\ss}e)", "Straße"},
      {R"(Ma\"{\i}ssa)", "Maïssa"},
      {R"({\'E}cole)", "École"},
      {R"(Erd\H{o}s)", "Erdős"},
      {R"(\r{A}ngstr\"om)", "Ångström"},
      // No precomposed form: the combining mark follows the letter.
      {R"(\"w)", "w\xCC\x88"},
  };
  for (const Case& c : cases) EXPECT_EQ(TexToText(c.tex), c.text) << c.tex;
}

TEST(TexToTextTest, TextCommandsDashesQuotes) {
  const Case cases[] = {
      {R"(\emph{robust} and \textbf{fast})", "robust and fast"},
      {R"(\textit{a} \texttt{b} \textsc{c} \underline{d})", "a b c d"},
      {R"(pages 1--10 --- really)", "pages 1–10 — really"},
      {R"(the ``success'' rate)", "the “success” rate"},
      {R"(40\% of \#1 \& \_x \$5)", "40% of #1 & _x $5"},
      {R"(code at \url{https://github.com/x/y})",
       "code at https://github.com/x/y"},
      {R"(see \href{https://x.org}{our site})", "see our site"},
      {R"(as shown~\cite{smith2020} here)", "as shown~ here"},
      {R"(\LaTeX{} and {\em emphasis})", "LaTeX and  emphasis"},
      {"costs $5 per run", "costs $5 per run"},
      {R"(unknown \foo{bar})", "unknown foobar"},
      {"trailing backslash \\", "trailing backslash \\"},
      {"unbalanced } and {open", "unbalanced } and open"},
  };
  for (const Case& c : cases) EXPECT_EQ(TexToText(c.tex), c.text) << c.tex;
}

// Inline math from the reference digests and the scored fixture.
TEST(TexToTextTest, MathBecomesReadableText) {
  const Case cases[] = {
      {R"($\sim$10x)", "~10x"},
      {R"($x^2$)", "x²"},
      {R"($1.57\times$ faster)", "1.57× faster"},
      {R"($\mathbb{R}^d$.)", "ℝ^d."},
      {R"($B \in \mathbb{R}^{n\times r}$)", "B ∈ ℝ^(n×r)"},
      {R"($\mathcal{A}$)", "A"},
      {R"($w_{\min}$)", "w_min"},
      {R"($d^{\Omega(k)}$)", "d^(Ω(k))"},
      {R"($d^{O(\log(1/w_{\min}))}$-time)", "d^(O(log(1/w_min)))-time"},
      {R"($\Omega(1/\gamma^2)$)", "Ω(1/γ²)"},
      {R"($r^{\star}$)", "r⋆"},
      {R"($O(\min(k^{-1/4}, \sqrt{d-r}/k))$)", "O(min(k^(-1/4), √(d-r)/k))"},
      {R"($\textit{gradient descent}$)", "gradient descent"},
      {R"($Q \, diag(\Lambda)\, Q^T$)", "Q diag(Λ) Qᵀ"},
      {R"(${\mathbb B}^s([0,1]^d)$)", "B^s([0,1]^d)"},
      {R"($\frac{1}{2}$ and $\frac{a+b}{c}$)", "1/2 and (a+b)/c"},
      {R"($x_1, \ldots, x_n$)", "x₁, …, x_n"},
      {R"($\left\{ a \right.$)", "{ a "},
      {R"($$E = mc^2$$)", "E = mc²"},
      {R"(\(a \le b\) and \[c \geq d\])", "a ≤ b and c ≥ d"},
      {R"($\alpha$-$\beta$ pruning)", "α-β pruning"},
      {R"($\varepsilon$)", "ε"},
      {"$0<1$", "0<1"},
      // From the bundled days (data/sample/).
      {R"(25$^\circ$ resolution)", "25° resolution"},
      {R"(an estimator $\hat{\Sigma}$)", "an estimator Σ\xCC\x82"},
      {R"(\(O(\ln d \cdot \epsilon^{-3})\))", "O(ln d · ε⁻³)"},
      {R"($O(\varepsilon \log(1/\varepsilon))$)", "O(ε log(1/ε))"},
      {R"($\widetilde{\mathcal{O}}(T^{3 / 4})$)", "O\xCC\x83(T^(3 / 4))"},
      {R"(PbTiO$_3$ and $\ell_0$)", "PbTiO₃ and ℓ₀"},
      {R"(\ul{S}emantic \ul{T}argeting)", "Semantic Targeting"},
      {R"({\guillemotleft}expressing{\guillemotright})", "«expressing»"},
      {R"(\textcolor{red}{warning})", "warning"},
      {R"(levels\unicode{x2014}node-level)", "levels—node-level"},
      {R"($G_2 = \mathbb{R}^2 \ltimes GL_2(\mathbb{R})$)", "G₂ = ℝ² ⋉ GL₂(ℝ)"},
      {R"(\unicode{xD800}\unicode{99999999999}\unicode{zz})", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(TexToText(c.tex), c.text) << c.tex;
}

TEST(TexToTextTest, PlainTextUnchanged) {
  const std::string plain =
      "Large language models (LLMs) – already UTF-8: Jörg, 日本語, e.g. a-b.";
  EXPECT_EQ(TexToText(plain), plain);
  EXPECT_EQ(TexToText(""), "");
}

TEST(TexToTextTest, DeepNestingDoesNotRecurseWithoutBound) {
  std::string deep(100000, '{');
  deep += "x";
  std::string out = TexToText(deep);
  EXPECT_NE(out.find('x'), std::string::npos);
  std::string scripts;
  for (int i = 0; i < 20000; ++i) scripts += "x^{";
  EXPECT_FALSE(TexToText("$" + scripts + "$").empty());
  std::string roots;
  for (int i = 0; i < 100000; ++i) roots += "\\sqrt";
  EXPECT_FALSE(TexToText("$" + roots + "$").empty());
  std::string accents;
  for (int i = 0; i < 100000; ++i) accents += "\\\"";
  EXPECT_NO_FATAL_FAILURE(TexToText(accents));
}

}  // namespace
}  // namespace arxiv_digest
