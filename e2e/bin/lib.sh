# Shared by build-kube-binaries.sh and build-helm.sh: logging, the common flags, and finding a Go
# toolchain and the Go module proxy. Source it after setting:
#   LOG_TAG        prefix of every log line, e.g. kube-binaries
#   MIN_GO_MINOR   the lowest Go 1.N that builds the modules
# It defines PRINT_VERSION, FORCE (from the arguments, via parse_common_args "$@"),
# GO_VERSION_USED and PROBE_DIR (after ensure_go; the script removes PROBE_DIR on exit).

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# The calling script's header comment, from line 2 to `set -euo pipefail`.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
}

PRINT_VERSION=false
FORCE=false
parse_common_args() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --print-version) PRINT_VERSION=true ;;
      --force) FORCE=true ;;
      -h|--help) usage; exit 0 ;;
      *) usage; die "unknown argument: $arg" ;;
    esac
  done
}

go_minor_of() { # "go1.26.8" -> 26 (major must be 1)
  local v="${1#go}"
  [[ "$v" =~ ^1\.([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

ensure_go() {
  if ! command -v go >/dev/null 2>&1; then
    local d
    for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do
      if [[ -x "$d/go" ]]; then PATH="$d:$PATH"; export PATH; break; fi
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    try_apt_go || die "go not found: install Go 1.${MIN_GO_MINOR}+ (https://go.dev/doc/install) and put it on PATH"
  fi
  local gv
  gv="$(go env GOVERSION 2>/dev/null)" || die "'go env GOVERSION' failed: is the Go installation (or GOTOOLCHAIN=${GOTOOLCHAIN:-}) usable?"
  if (( $(go_minor_of "$gv") < MIN_GO_MINOR )); then
    die "go is $gv, need Go 1.${MIN_GO_MINOR}+ (install a newer Go, or set GOTOOLCHAIN=go1.${MIN_GO_MINOR}.0 to fetch one through the Go module proxy)"
  fi
  GO_VERSION_USED="$gv"
  make_probe_module
}

# Only when go is missing: Debian/Ubuntu golang-go, and only if it is new enough.
try_apt_go() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else return 1; fi
  fi
  log "go not found; checking whether apt's golang-go is Go 1.${MIN_GO_MINOR}+"
  $sudo apt-get update -qq >&2 || true
  local cand
  cand="$(apt-cache policy golang-go 2>/dev/null | sed -n 's/^ *Candidate: *//p' | head -n1)"
  # Debian versions look like "2:1.24~2": drop the epoch, take 1.N
  local ver="${cand#*:}"
  if [[ ! "$ver" =~ ^1\.([0-9]+) ]] || (( BASH_REMATCH[1] < MIN_GO_MINOR )); then
    log "apt offers golang-go '${cand:-none}', older than Go 1.${MIN_GO_MINOR}; not installing it"
    return 1
  fi
  log "installing golang-go $cand with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go >&2 || return 1
  hash -r
  command -v go >/dev/null 2>&1
}

# A throwaway dir with an empty module, for proxy queries: sets PROBE_DIR. ensure_go calls it in
# the script's own shell: made inside $(...), the cleanup trap could not see the directory.
PROBE_DIR=""
make_probe_module() {
  if [[ -z "$PROBE_DIR" ]]; then
    PROBE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/$LOG_TAG-probe.XXXXXX")"
    (cd "$PROBE_DIR" && go mod init example.invalid/probe >/dev/null 2>&1) || die "go mod init failed in $PROBE_DIR"
  fi
}

# newest_patch MODULE MAJOR.MINOR (no v) -> X.Y.Z, the newest release tag the proxy lists
newest_patch() {
  local module="$1" mm="$2" versions
  versions="$(cd "$PROBE_DIR" && go list -m -versions "$module")" \
    || die "cannot list versions of $module from the Go module proxy ($(go env GOPROXY))"
  tr ' ' '\n' <<<"$versions" | sed -n "s/^v\(${mm//./\\.}\.[0-9][0-9]*\)$/\1/p" | sort -t. -k3,3n | tail -n1
}
