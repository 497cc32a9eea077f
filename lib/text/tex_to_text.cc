#include "lib/text/tex_to_text.h"

#include <cstddef>
#include <cstdint>

#include "lib/text/utf8.h"

namespace arxiv_digest {
namespace tex_internal {

// Deeper brace nesting is copied literally: no input can exhaust the stack.
inline constexpr int kMaxDepth = 64;

// The n-th UTF-8 character of `s` (n counted in characters).
inline std::string_view NthUtf8(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; i < s.size(); ++k) {
    size_t len = 1;
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    if (k == n) return s.substr(i, len);
    i += len;
  }
  return {};
}

struct Accent {
  char command;               // \" \' ... or the letter of \c \v \u \H \k \r
  uint32_t combining;         // the combining mark for letters not in `bases`
  std::string_view bases;     // ASCII letters with a precomposed form
  std::string_view composed;  // their precomposed forms, in the same order
};

inline constexpr Accent kAccents[] = {
    {'"', 0x308, "aeiouyAEIOUY", "äëïöüÿÄËÏÖÜŸ"},
    {'\'', 0x301, "aeiouyAEIOUYcnszCNSZlLrRgG", "áéíóúýÁÉÍÓÚÝćńśźĆŃŚŹĺĹŕŔǵǴ"},
    {'`', 0x300, "aeiouAEIOUn", "àèìòùÀÈÌÒÙǹ"},
    {'^', 0x302, "aeiouAEIOUcgshjwyCGSHJWY", "âêîôûÂÊÎÔÛĉĝŝĥĵŵŷĈĜŜĤĴŴŶ"},
    {'~', 0x303, "anoiuANOIU", "ãñõĩũÃÑÕĨŨ"},
    {'=', 0x304, "aeiouAEIOU", "āēīōūĀĒĪŌŪ"},
    {'.', 0x307, "zZIecgCEG", "żŻİėċġĊĖĠ"},
    {'c', 0x327, "csteCSTE", "çşţȩÇŞŢȨ"},
    {'v', 0x30C, "cszrnedtCSZRNEDT", "čšžřňěďťČŠŽŘŇĚĎŤ"},
    {'u', 0x306, "agAGuU", "ăğĂĞŭŬ"},
    {'H', 0x30B, "ouOU", "őűŐŰ"},
    {'k', 0x328, "aeiuAEIU", "ąęįųĄĘĮŲ"},
    {'r', 0x30A, "auAU", "åůÅŮ"},
};

inline const Accent* FindAccent(char command) {
  for (const Accent& a : kAccents) {
    if (a.command == command) return &a;
  }
  return nullptr;
}

struct Symbol {
  std::string_view name;
  std::string_view text;
};

// Letters written as commands in names: \o, \ss, {\aa}, \l ...
inline constexpr Symbol kLetters[] = {
    {"o", "ø"},  {"O", "Ø"},  {"ss", "ß"}, {"ae", "æ"}, {"AE", "Æ"},
    {"oe", "œ"}, {"OE", "Œ"}, {"aa", "å"}, {"AA", "Å"}, {"l", "ł"},
    {"L", "Ł"},  {"i", "ı"},  {"j", "ȷ"},  {"dh", "ð"}, {"DH", "Ð"},
    {"th", "þ"}, {"TH", "Þ"}, {"ng", "ŋ"}, {"NG", "Ŋ"},
};

// Symbols of math (and a few of text) mode.
inline constexpr Symbol kSymbols[] = {
    {"alpha", "α"},
    {"beta", "β"},
    {"gamma", "γ"},
    {"delta", "δ"},
    {"epsilon", "ε"},
    {"varepsilon", "ε"},
    {"zeta", "ζ"},
    {"eta", "η"},
    {"theta", "θ"},
    {"vartheta", "ϑ"},
    {"iota", "ι"},
    {"kappa", "κ"},
    {"lambda", "λ"},
    {"mu", "μ"},
    {"nu", "ν"},
    {"xi", "ξ"},
    {"pi", "π"},
    {"varpi", "ϖ"},
    {"rho", "ρ"},
    {"varrho", "ϱ"},
    {"sigma", "σ"},
    {"varsigma", "ς"},
    {"tau", "τ"},
    {"upsilon", "υ"},
    {"phi", "ϕ"},
    {"varphi", "φ"},
    {"chi", "χ"},
    {"psi", "ψ"},
    {"omega", "ω"},
    {"Gamma", "Γ"},
    {"Delta", "Δ"},
    {"Theta", "Θ"},
    {"Lambda", "Λ"},
    {"Xi", "Ξ"},
    {"Pi", "Π"},
    {"Sigma", "Σ"},
    {"Upsilon", "Υ"},
    {"Phi", "Φ"},
    {"Psi", "Ψ"},
    {"Omega", "Ω"},
    {"sim", "~"},
    {"approx", "≈"},
    {"simeq", "≃"},
    {"cong", "≅"},
    {"times", "×"},
    {"cdot", "·"},
    {"div", "÷"},
    {"pm", "±"},
    {"mp", "∓"},
    {"le", "≤"},
    {"leq", "≤"},
    {"leqslant", "≤"},
    {"ge", "≥"},
    {"geq", "≥"},
    {"geqslant", "≥"},
    {"neq", "≠"},
    {"ne", "≠"},
    {"ll", "≪"},
    {"gg", "≫"},
    {"in", "∈"},
    {"notin", "∉"},
    {"ni", "∋"},
    {"subset", "⊂"},
    {"subseteq", "⊆"},
    {"supset", "⊃"},
    {"supseteq", "⊇"},
    {"cup", "∪"},
    {"cap", "∩"},
    {"setminus", "∖"},
    {"infty", "∞"},
    {"partial", "∂"},
    {"nabla", "∇"},
    {"sum", "∑"},
    {"prod", "∏"},
    {"int", "∫"},
    {"to", "→"},
    {"rightarrow", "→"},
    {"longrightarrow", "⟶"},
    {"leftarrow", "←"},
    {"gets", "←"},
    {"Rightarrow", "⇒"},
    {"Leftarrow", "⇐"},
    {"Leftrightarrow", "⇔"},
    {"leftrightarrow", "↔"},
    {"mapsto", "↦"},
    {"uparrow", "↑"},
    {"downarrow", "↓"},
    {"forall", "∀"},
    {"exists", "∃"},
    {"neg", "¬"},
    {"lnot", "¬"},
    {"wedge", "∧"},
    {"land", "∧"},
    {"vee", "∨"},
    {"lor", "∨"},
    {"oplus", "⊕"},
    {"otimes", "⊗"},
    {"ltimes", "⋉"},
    {"rtimes", "⋊"},
    {"odot", "⊙"},
    {"circ", "∘"},
    {"bullet", "•"},
    {"star", "⋆"},
    {"ast", "∗"},
    {"dagger", "†"},
    {"ddagger", "‡"},
    {"prime", "′"},
    {"ldots", "…"},
    {"dots", "…"},
    {"cdots", "⋯"},
    {"vdots", "⋮"},
    {"ddots", "⋱"},
    {"top", "⊤"},
    {"bot", "⊥"},
    {"perp", "⊥"},
    {"parallel", "∥"},
    {"mid", "|"},
    {"vert", "|"},
    {"Vert", "‖"},
    {"lVert", "‖"},
    {"rVert", "‖"},
    {"lvert", "|"},
    {"rvert", "|"},
    {"propto", "∝"},
    {"equiv", "≡"},
    {"langle", "⟨"},
    {"rangle", "⟩"},
    {"lfloor", "⌊"},
    {"rfloor", "⌋"},
    {"lceil", "⌈"},
    {"rceil", "⌉"},
    {"lbrace", "{"},
    {"rbrace", "}"},
    {"ell", "ℓ"},
    {"hbar", "ħ"},
    {"emptyset", "∅"},
    {"varnothing", "∅"},
    {"angle", "∠"},
    {"triangle", "△"},
    {"square", "□"},
    {"checkmark", "✓"},
    {"dag", "†"},
    {"S", "§"},
    {"P", "¶"},
    {"copyright", "©"},
    {"pounds", "£"},
    {"euro", "€"},
    {"textasciitilde", "~"},
    {"guillemotleft", "«"},
    {"guillemotright", "»"},
    {"guillemetleft", "«"},
    {"guillemetright", "»"},
    {"textbackslash", "\\"},
    {"textendash", "–"},
    {"textemdash", "—"},
    {"textquotedblleft", "“"},
    {"textquotedblright", "”"},
    {"textdegree", "°"},
    {"degree", "°"},
    {"LaTeX", "LaTeX"},
    {"TeX", "TeX"},
    {"log", "log"},
    {"ln", "ln"},
    {"exp", "exp"},
    {"min", "min"},
    {"max", "max"},
    {"argmin", "argmin"},
    {"argmax", "argmax"},
    {"sup", "sup"},
    {"inf", "inf"},
    {"lim", "lim"},
    {"sin", "sin"},
    {"cos", "cos"},
    {"tan", "tan"},
    {"det", "det"},
    {"dim", "dim"},
    {"arg", "arg"},
    {"Pr", "Pr"},
};

// Commands printed as nothing: sizes, font switches, \left/\right.
inline constexpr std::string_view kDropped[] = {
    "left",        "right",        "big",        "Big",          "bigg",
    "Bigg",        "bigl",         "bigr",       "Bigl",         "Bigr",
    "biggl",       "biggr",        "middle",     "displaystyle", "textstyle",
    "scriptstyle", "limits",       "nolimits",   "em",           "it",
    "bf",          "rm",           "sc",         "tt",           "sf",
    "bfseries",    "itshape",      "normalfont", "mdseries",     "upshape",
    "small",       "footnotesize", "large",      "Large",        "noindent",
    "relax",       "xspace",       "nobreak",    "allowbreak",   "hfill",
};

// Commands whose one argument is printed as it is.
inline constexpr std::string_view kKeepArgument[] = {
    "emph",    "textit",     "textbf",     "texttt",       "textrm",
    "textsf",  "textsc",     "textup",     "textmd",       "textnormal",
    "text",    "mbox",       "hbox",       "mathrm",       "mathbf",
    "mathit",  "mathsf",     "mathtt",     "mathcal",      "mathfrak",
    "mathscr", "boldsymbol", "bm",         "operatorname", "underline",
    "url",     "textsl",     "mathnormal", "footnote",     "textsuperscript",
    "ul",      "uline",      "fbox",
};

// Math accents: one character gets the combining mark (x̂, ã), a longer
// argument is printed as it is (\widetilde{O}(n) -> O(n)).
struct MathAccent {
  std::string_view name;
  uint32_t combining;
};
inline constexpr MathAccent kMathAccents[] = {
    {"hat", 0x302},       {"widehat", 0x302}, {"tilde", 0x303},
    {"widetilde", 0x303}, {"bar", 0x304},     {"overline", 0x304},
    {"vec", 0x20D7},      {"dot", 0x307},     {"ddot", 0x308},
};

// Commands whose argument is a reference, not text.
inline constexpr std::string_view kDropArgument[] = {
    "cite", "citep", "citet", "ref", "eqref", "label", "vspace", "hspace",
};

template <typename T>
bool Contains(const T& list, std::string_view name) {
  for (std::string_view n : list) {
    if (n == name) return true;
  }
  return false;
}

inline std::string_view Lookup(const Symbol* begin, const Symbol* end,
                               std::string_view name) {
  for (const Symbol* s = begin; s != end; ++s) {
    if (s->name == name) return s->text;
  }
  return {};
}

inline std::string_view SuperscriptOf(char c) {
  switch (c) {
    case '0':
      return "⁰";
    case '1':
      return "¹";
    case '2':
      return "²";
    case '3':
      return "³";
    case '4':
      return "⁴";
    case '5':
      return "⁵";
    case '6':
      return "⁶";
    case '7':
      return "⁷";
    case '8':
      return "⁸";
    case '9':
      return "⁹";
    case '+':
      return "⁺";
    case '-':
      return "⁻";
    case '=':
      return "⁼";
    case '(':
      return "⁽";
    case ')':
      return "⁾";
    case 'n':
      return "ⁿ";
    case 'i':
      return "ⁱ";
    case 'T':
      return "ᵀ";
    default:
      return {};
  }
}

inline std::string_view SubscriptOf(char c) {
  switch (c) {
    case '0':
      return "₀";
    case '1':
      return "₁";
    case '2':
      return "₂";
    case '3':
      return "₃";
    case '4':
      return "₄";
    case '5':
      return "₅";
    case '6':
      return "₆";
    case '7':
      return "₇";
    case '8':
      return "₈";
    case '9':
      return "₉";
    case '+':
      return "₊";
    case '-':
      return "₋";
    case '=':
      return "₌";
    case '(':
      return "₍";
    case ')':
      return "₎";
    default:
      return {};
  }
}

inline std::string_view DoubleStruck(char c) {
  switch (c) {
    case 'R':
      return "ℝ";
    case 'N':
      return "ℕ";
    case 'Z':
      return "ℤ";
    case 'Q':
      return "ℚ";
    case 'C':
      return "ℂ";
    case 'E':
      return "𝔼";
    case 'P':
      return "ℙ";
    case 'H':
      return "ℍ";
    case '1':
      return "𝟙";
    default:
      return {};
  }
}

inline bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Wraps a multi-character script or fraction part in parentheses unless it
// is one already, so "d^{O(k)}" reads "d^(O(k))".
inline std::string Parenthesized(const std::string& s) {
  if (NthUtf8(s, 1).empty()) return s;
  if (s.front() == '(' && s.back() == ')') return s;
  bool plain = true;
  for (char c : s) {
    if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9')) plain = false;
  }
  if (plain) return s;
  return "(" + s + ")";
}

class TexConverter {
 public:
  explicit TexConverter(std::string_view s) : s_(s) {}

  std::string Run() {
    std::string out;
    out.reserve(s_.size());
    Parse(out, /*math=*/false, /*in_group=*/false, /*math_end=*/{}, 0);
    return out;
  }

 private:
  // Math spacing (\, \quad, spaces) collapses into one space.
  static void AddSpace(std::string& out) {
    if (out.empty() || out.back() != ' ') out += ' ';
  }

  bool At(std::string_view what) const {
    return s_.substr(i_, what.size()) == what;
  }

  // Appends converted text until the end, the '}' closing this group
  // (consumed) or `math_end` (consumed by the math level itself).
  void Parse(std::string& out, bool math, bool in_group,
             std::string_view math_end, int depth) {
    while (i_ < s_.size()) {
      if (!math_end.empty() && At(math_end)) {
        if (!in_group) i_ += math_end.size();
        return;
      }
      const char c = s_[i_];
      if (c == '}') {
        if (in_group) {
          ++i_;
          return;
        }
        out += c;  // unbalanced: keep it
        ++i_;
        continue;
      }
      if (c == '{') {
        if (depth >= kMaxDepth) {
          out += c;
          ++i_;
          continue;
        }
        ++i_;
        Parse(out, math, /*in_group=*/true, math_end, depth + 1);
        continue;
      }
      if (c == '\\') {
        Command(out, math, math_end, depth);
        continue;
      }
      if (math) {
        if (c == '^' || c == '_') {
          ++i_;
          Script(out, Argument(math, math_end, depth), c == '^');
          continue;
        }
        if (c == '~' || c == ' ' || c == '\n') {  // ties and spaces: one
          AddSpace(out);
          ++i_;
          continue;
        }
        out += c;
        ++i_;
        continue;
      }
      if (c == '$') {
        std::string_view end = At("$$") ? "$$" : "$";
        if (s_.find(end, i_ + end.size()) == std::string_view::npos) {
          out += c;  // "$5": no closing dollar, a dollar sign
          ++i_;
          continue;
        }
        i_ += end.size();
        Parse(out, /*math=*/true, /*in_group=*/false, end, depth + 1);
        continue;
      }
      if (At("---")) {
        out += "—";
        i_ += 3;
      } else if (At("--")) {
        out += "–";
        i_ += 2;
      } else if (At("``")) {
        out += "“";
        i_ += 2;
      } else if (At("''")) {
        out += "”";
        i_ += 2;
      } else {
        out += c;
        ++i_;
      }
    }
  }

  // One argument: a group, a command or one character (spaces skipped).
  std::string Argument(bool math, std::string_view math_end, int depth) {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    std::string arg;
    if (i_ >= s_.size()) return arg;
    if (!math_end.empty() && At(math_end)) return arg;
    if (s_[i_] == '}') return arg;  // "x^}": nothing to raise
    if (s_[i_] == '{' && depth < kMaxDepth) {
      ++i_;
      Parse(arg, math, /*in_group=*/true, math_end, depth + 1);
    } else if (s_[i_] == '\\' && depth < kMaxDepth) {
      Command(arg, math, math_end, depth + 1);
    } else {
      std::string_view ch = NthUtf8(s_.substr(i_), 0);
      arg = std::string(ch);
      i_ += ch.size();
    }
    return arg;
  }

  void Script(std::string& out, const std::string& arg, bool superscript) {
    if (arg.empty()) return;
    if (superscript && arg == "∘") {  // 90^\circ
      out += "°";
      return;
    }
    if (arg == "′" || arg == "⋆" || arg == "∗" || arg == "†" ||
        (superscript && arg == "*")) {
      out += arg;  // x′, r⋆, A†: already raised
      return;
    }
    std::string mapped;
    for (char c : arg) {
      std::string_view m = superscript ? SuperscriptOf(c) : SubscriptOf(c);
      if (m.empty()) {
        mapped.clear();
        break;
      }
      mapped += m;
    }
    if (!mapped.empty()) {
      out += mapped;
      return;
    }
    out += superscript ? '^' : '_';
    out += Parenthesized(arg);
  }

  void ApplyAccent(std::string& out, const Accent& accent, bool math,
                   std::string_view math_end, int depth) {
    std::string base = Argument(math, math_end, depth);
    if (base.empty()) return;
    // \"\i and \'{\i}: the dotless i is how TeX spells an accented i.
    if (base.rfind("ı", 0) == 0) base.replace(0, 2, "i");
    if (base.rfind("ȷ", 0) == 0) base.replace(0, 2, "j");
    const size_t at = accent.bases.find(base[0]);
    if (IsAsciiLetter(base[0]) && at != std::string_view::npos) {
      out += NthUtf8(accent.composed, at);
      out.append(base, 1);
      return;
    }
    std::string_view first = NthUtf8(base, 0);
    out += first;
    AppendUtf8(accent.combining, out);
    out.append(base, first.size());
  }

  void Command(std::string& out, bool math, std::string_view math_end,
               int depth) {
    ++i_;  // the backslash
    if (i_ >= s_.size()) {
      out += '\\';
      return;
    }
    const char c = s_[i_];
    if (!IsAsciiLetter(c)) {
      ++i_;
      if (const Accent* a = FindAccent(c); a != nullptr) {
        ApplyAccent(out, *a, math, math_end, depth);
        return;
      }
      switch (c) {
        case ',':
        case ';':
        case ':':
        case '>':
        case ' ':
        case '\\':
          AddSpace(out);
          return;
        case '!':
        case '-':
        case '/':
          return;
        case '|':
          out += "‖";
          return;
        case '(':
        case '[':
          if (!math) {
            Parse(out, /*math=*/true, /*in_group=*/false,
                  c == '(' ? "\\)" : "\\]", depth + 1);
          }
          return;
        case ')':
        case ']':
          return;
        default:
          out += c;  // \% \& \_ \# \$ \{ \}
          return;
      }
    }
    const size_t start = i_;
    while (i_ < s_.size() && IsAsciiLetter(s_[i_])) ++i_;
    const std::string_view name = s_.substr(start, i_ - start);

    if (name.size() == 1) {
      if (const Accent* a = FindAccent(name[0]);
          a != nullptr && IsAsciiLetter(name[0])) {
        ApplyAccent(out, *a, math, math_end, depth);
        return;
      }
    }
    if (std::string_view letter =
            Lookup(std::begin(kLetters), std::end(kLetters), name);
        !letter.empty()) {
      out += letter;
      // "Bj\o rn": the space only ends the command name.
      if (!math && i_ < s_.size() && s_[i_] == ' ') ++i_;
      return;
    }
    if (std::string_view symbol =
            Lookup(std::begin(kSymbols), std::end(kSymbols), name);
        !symbol.empty()) {
      out += symbol;
      // "n\times r" reads "n×r", "B \in R" stays "B ∈ R": the space that
      // only ends a command name is dropped when none came before it.
      // Word-like symbols (\log, \ln) keep their space: "ln d".
      const bool space_before = start >= 2 && s_[start - 2] == ' ';
      if (math && !space_before && !IsAsciiLetter(symbol[0])) {
        size_t next = i_;
        while (next < s_.size() && s_[next] == ' ') ++next;
        if (next < s_.size() &&
            (IsAsciiLetter(s_[next]) || (s_[next] >= '0' && s_[next] <= '9'))) {
          i_ = next;
        }
      }
      return;
    }
    if (name == "quad" || name == "qquad" || name == "newline") {
      AddSpace(out);
      return;
    }
    if (Contains(kDropped, name)) {
      // \left. and \right. are invisible delimiters.
      if ((name == "left" || name == "right") && i_ < s_.size() &&
          s_[i_] == '.') {
        ++i_;
      }
      return;
    }
    if (Contains(kKeepArgument, name)) {
      out += Argument(math, math_end, depth);
      return;
    }
    for (const MathAccent& accent : kMathAccents) {
      if (accent.name != name) continue;
      std::string arg = Argument(math, math_end, depth);
      out += arg;
      if (!arg.empty() && NthUtf8(arg, 1).empty()) {
        AppendUtf8(accent.combining, out);
      }
      return;
    }
    if (name == "unicode") {  // MathJax's \unicode{x2014} / \unicode{8212}
      std::string arg = Argument(math, math_end, depth);
      const bool hex = !arg.empty() && (arg[0] == 'x' || arg[0] == 'X');
      uint32_t cp = 0;
      bool valid = arg.size() > (hex ? 1u : 0u) && arg.size() <= 8;
      for (size_t k = hex ? 1 : 0; valid && k < arg.size(); ++k) {
        const char d = arg[k];
        uint32_t v = 0;
        if (d >= '0' && d <= '9') {
          v = d - '0';
        } else if (hex && d >= 'a' && d <= 'f') {
          v = d - 'a' + 10;
        } else if (hex && d >= 'A' && d <= 'F') {
          v = d - 'A' + 10;
        } else {
          valid = false;
        }
        cp = cp * (hex ? 16 : 10) + v;
      }
      if (valid && cp >= 0x20 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(cp, out);
      }
      return;
    }
    if (name == "textcolor") {  // \textcolor{red}{text}
      Argument(math, math_end, depth);
      out += Argument(math, math_end, depth);
      return;
    }
    if (Contains(kDropArgument, name)) {
      Argument(math, math_end, depth);
      return;
    }
    if (name == "mathbb" || name == "mathds" || name == "mathbbm") {
      for (char ch : Argument(math, math_end, depth)) {
        std::string_view ds = DoubleStruck(ch);
        if (ds.empty()) {
          out += ch;
        } else {
          out += ds;
        }
      }
      return;
    }
    if (name == "frac" || name == "dfrac" || name == "tfrac") {
      std::string num = Argument(math, math_end, depth);
      std::string den = Argument(math, math_end, depth);
      out += Parenthesized(num) + "/" + Parenthesized(den);
      return;
    }
    if (name == "sqrt") {
      if (i_ < s_.size() && s_[i_] == '[') {  // \sqrt[n]{x}: root index
        size_t close = s_.find(']', i_);
        if (close != std::string_view::npos) i_ = close + 1;
      }
      out += "√" + Parenthesized(Argument(math, math_end, depth));
      return;
    }
    if (name == "href") {
      Argument(math, math_end, depth);  // the URL
      out += Argument(math, math_end, depth);
      return;
    }
    out += name;  // unknown: its name reads better than a backslash
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace tex_internal

// TeX source -> readable UTF-8 text (see the top of this file). Never
// fails; the result is not escaped for HTML.
std::string TexToText(std::string_view tex) {
  return tex_internal::TexConverter(tex).Run();
}

}  // namespace arxiv_digest
