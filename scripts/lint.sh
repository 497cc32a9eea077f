#!/usr/bin/env bash
# Format, lint and layer checks; CI runs each as a ctest test (label lint:
# format_check, tidy_check, layers_check; tests/lint.cmake).
#
#   scripts/lint.sh format   clang-format --dry-run -Werror (.clang-format) over
#                            every tracked or new .cc/.h in lib services tools
#                            tests bench fuzz
#   scripts/lint.sh tidy [FILE...]
#                            clang-tidy (.clang-tidy) over every .cc of lib/ and
#                            services/ in $BUILD_DIR/compile_commands.json (or
#                            the given files), $TIDY_JOBS (default nproc) at a
#                            time; warnings count in lib/ and services/ headers
#   scripts/lint.sh layers   scripts/check_layers.sh
#   scripts/lint.sh all      all three; exit status non-zero if any failed
#
# tidy keeps a result cache in $TIDY_CACHE_DIR (default
# ~/.cache/arxiv-digest/clang-tidy, at most 20,000 empty files): a file
# that passed is skipped while its source, the project headers it includes
# (from ninja's dependency log), its compile command (paths relative to the
# checkout, so every clone shares it), .clang-tidy and the clang-tidy version
# are unchanged. TIDY_CACHE=0 disables it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR="${BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
CLANG_FORMAT="${CLANG_FORMAT:-clang-format}"
CLANG_TIDY="${CLANG_TIDY:-clang-tidy}"
JOBS="${TIDY_JOBS:-$(nproc)}"

source_files() {  # tracked and new (not ignored) .cc/.h files that exist
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- \
      lib services tools tests bench fuzz
  else
    find lib services tools tests bench fuzz -type f
  fi | grep -E '\.(cc|h)$' | sort -u | while read -r f; do
    [ -f "$f" ] && echo "$f"
  done
}

run_format() {
  command -v "$CLANG_FORMAT" >/dev/null ||
    { echo "lint format: $CLANG_FORMAT not found (scripts/install_deps.sh)" >&2; return 2; }
  local bad count
  count=$(source_files | wc -l)
  [ "$count" -gt 0 ] || { echo "lint format: no source files found" >&2; return 1; }
  # One file per clang-format so the list of failing files is exact.
  bad=$(source_files | xargs -r -P "$JOBS" -n 1 sh -c \
    '"$0" --style=file --dry-run -Werror "$1" >/dev/null 2>&1 || echo "$1"' \
    "$CLANG_FORMAT" | sort)
  if [ -n "$bad" ]; then
    echo "$bad" | sed 's/$/: needs clang-format/'
    echo "lint format: $(echo "$bad" | wc -l) file(s) differ from .clang-format;" \
      "fix with: $CLANG_FORMAT -i --style=file <file>" >&2
    return 1
  fi
  echo "lint format: OK ($count files)"
}

run_tidy() {
  command -v "$CLANG_TIDY" >/dev/null ||
    { echo "lint tidy: $CLANG_TIDY not found (scripts/install_deps.sh)" >&2; return 2; }
  [ -f "$BUILD_DIR/compile_commands.json" ] ||
    { echo "lint tidy: no $BUILD_DIR/compile_commands.json; build first" >&2; return 2; }
  ROOT="$ROOT" BUILD_DIR="$BUILD_DIR" CLANG_TIDY="$CLANG_TIDY" JOBS="$JOBS" \
    python3 - "$@" <<'PY'
import concurrent.futures, hashlib, json, os, re, shlex, subprocess, sys, time

root, build = os.environ["ROOT"], os.environ["BUILD_DIR"]
tidy, jobs = os.environ["CLANG_TIDY"], int(os.environ["JOBS"])
use_cache = os.environ.get("TIDY_CACHE", "1") != "0"
header_filter = "^" + re.escape(root) + "/(lib|services)/"
scope = re.compile(header_filter)

db = json.load(open(os.path.join(build, "compile_commands.json")))
entries = {os.path.normpath(os.path.join(e["directory"], e["file"])): e for e in db}
wanted = [os.path.normpath(os.path.join(root, f)) for f in sys.argv[1:]]
if wanted:
    missing = [f for f in wanted if f not in entries]
    if missing:
        sys.exit("lint tidy: not in compile_commands.json: " + " ".join(missing))
    files = wanted
else:
    # Entries of files deleted since the last configure are skipped.
    files = sorted(f for f in entries
                   if scope.match(f) and f.endswith(".cc") and os.path.exists(f))
if not files:
    sys.exit("lint tidy: no lib/ or services/ files in compile_commands.json")

def digest(path):
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "missing"

# Object -> included files, from ninja's dependency log (last build).
deps = {}
try:
    out = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True,
                         text=True, check=True).stdout
    current = None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = deps.setdefault(line.split(":")[0], [])
        elif current is not None and line.strip():
            current.append(line.strip())
except (OSError, subprocess.CalledProcessError):
    pass

version = subprocess.run([tidy, "--version"], capture_output=True, text=True).stdout
common = hashlib.sha256((version + "(lib|services)" + digest(os.path.join(root, ".clang-tidy")))
                        .encode()).hexdigest()
project_dirs = (root + "/", build + "/")

def cache_key(path):
    e = entries[path]
    args = shlex.split(e["command"]) if "command" in e else e["arguments"]
    obj = args[args.index("-o") + 1] if "-o" in args else None
    included = deps.get(obj)
    if not included:
        return None  # not built yet: no dependency list, always run
    # Paths relative to the checkout and the build folder, so another clone
    # of the same sources (CI's) hits the same entries.
    def rel(text):
        return text.replace(build, "<build>").replace(root, "<root>")
    h = hashlib.sha256((common + rel(e["directory"]) + rel(" ".join(args))).encode())
    for inc in included:
        # ccache hits record dependencies relative to the build folder.
        inc = os.path.normpath(os.path.join(build, inc))
        if inc.startswith(project_dirs):  # system headers: covered by version
            h.update((rel(inc) + digest(inc)).encode())
    h.update((rel(path) + digest(path)).encode())
    return h.hexdigest()

cache_dir = os.environ.get("TIDY_CACHE_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
    "arxiv-digest", "clang-tidy")
os.makedirs(cache_dir, exist_ok=True)
# Bounded: an entry is an empty file named by its key; keep the newest.
MAX_ENTRIES = 20000
try:
    names = os.listdir(cache_dir)
    if len(names) > MAX_ENTRIES:
        paths = sorted((os.path.join(cache_dir, n) for n in names), key=os.path.getmtime)
        for old in paths[: len(paths) - MAX_ENTRIES // 2]:
            os.remove(old)
except OSError:
    pass
noise = re.compile(r"^(\d+ warnings? generated\.|Suppressed \d+ warnings.*|Use -header-filter=.*"
                   r"|\d+ warnings? treated as errors?)$")

def check(path):
    key = cache_key(path) if use_cache else None
    if key and os.path.exists(os.path.join(cache_dir, key)):
        return path, 0, "", True
    p = subprocess.run([tidy, "-p", build, "--quiet", "--header-filter=" + header_filter, path],
                       capture_output=True, text=True)
    text = "\n".join(l for l in (p.stdout + p.stderr).splitlines() if not noise.match(l))
    if p.returncode == 0 and key:
        open(os.path.join(cache_dir, key), "w").close()
    return path, p.returncode, text, False

start = time.time()
failed, cached, diags = [], 0, {}
diag_re = re.compile(r"^(/[^:]+):(\d+):\d+: (?:warning|error): .*\[([^\]]+)\]$")
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    for path, rc, text, hit in pool.map(check, files):
        cached += hit
        if rc != 0:
            failed.append(path)
            print(text if text else f"{path}: clang-tidy exited {rc}", flush=True)
        for line in text.splitlines():
            m = diag_re.match(line)
            if m:
                check_names = [c for c in m.group(3).split(",") if c != "-warnings-as-errors"]
                where = os.path.relpath(m.group(1), root) + ":" + m.group(2)
                for c in check_names:
                    diags.setdefault(c, set()).add(where)
elapsed = time.time() - start
if diags:
    print("\nclang-tidy findings by check (unique file:line):")
    for c in sorted(diags, key=lambda c: (-len(diags[c]), c)):
        print(f"  {len(diags[c]):4d}  {c}")
        for where in sorted(diags[c]):
            print(f"          {where}")
summary = (f"lint tidy: {len(files)} files ({cached} cached), {len(failed)} failed, "
           f"{sum(len(v) for v in diags.values())} findings, {elapsed:.0f} s with {jobs} jobs")
print(summary, file=sys.stderr if failed else sys.stdout)
sys.exit(1 if failed else 0)
PY
}

run_layers() {
  ./scripts/check_layers.sh
}

cmd="${1:-all}"
[ $# -gt 0 ] && shift
case "$cmd" in
  format) run_format ;;
  tidy) run_tidy "$@" ;;
  layers) run_layers ;;
  all)
    rc=0
    run_format || rc=1
    run_layers || rc=1
    run_tidy || rc=1
    exit $rc ;;
  *)
    echo "usage: $0 {format|tidy [FILE...]|layers|all}" >&2
    exit 2 ;;
esac
