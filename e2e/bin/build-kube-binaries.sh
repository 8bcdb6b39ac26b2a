#!/usr/bin/env bash
# Builds kube-apiserver, kubectl (k8s.io/kubernetes) and etcd (go.etcd.io/etcd/server/v3)
# from Go modules, for Fabric8 kube-api-test running offline.
#
# Output: ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/<K8S_VERSION>-linux-amd64/{kube-apiserver,kubectl,etcd}
# The last line on stdout is that directory (progress goes to stderr), so
#   dir="$(e2e/bin/build-kube-binaries.sh)"
# captures it.
#
# Usage: build-kube-binaries.sh [--print-version] [--force] [--help]
#
# Environment:
#   K8S_VERSION         Kubernetes version, X.Y.Z (a leading "v" is accepted). X.Y or
#                       "latest" resolves the newest patch the Go module proxy serves
#                       (for "latest": the newest 1.34.x). Default: 1.34.4.
#   ETCD_VERSION        etcd version, X.Y.Z or X.Y (newest patch). Default: 3.6.4
#                       (the etcd that Kubernetes 1.34 ships and tests with).
#   KUBE_API_TEST_DIR   kube-api-test's directory. Default: $HOME/.kubeapitest
#   KUBE_BINARIES_WORK  where the throwaway Go modules live.
#                       Default: ${XDG_CACHE_HOME:-$HOME/.cache}/kube-binaries-build
#   GOTOOLCHAIN         honoured as usual; e.g. GOTOOLCHAIN=go1.24.13 builds with that
#                       toolchain, fetched through the Go module proxy.
# Go's module and build caches (GOMODCACHE, GOCACHE) stay in their usual persistent
# places, so a rebuild is much faster than the first build.
set -euo pipefail

readonly DEFAULT_K8S_VERSION=1.34.4
readonly DEFAULT_ETCD_VERSION=3.6.4
readonly LATEST_K8S_MINOR=1.34
readonly MIN_GO_MINOR=24 # Go 1.24+

readonly LOG_TAG=kube-binaries
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_args "$@"

# ---------------------------------------------------------------- versions
resolve_versions() {
  local k="${K8S_VERSION:-$DEFAULT_K8S_VERSION}" e="${ETCD_VERSION:-$DEFAULT_ETCD_VERSION}"
  k="${k#v}"; e="${e#v}"
  if [[ "$k" == latest ]]; then k="$LATEST_K8S_MINOR"; fi
  if [[ "$k" =~ ^1\.[0-9]+$ ]]; then
    ensure_go
    local r; r="$(newest_patch k8s.io/kubernetes "$k")"
    [[ -n "$r" ]] || die "the Go module proxy serves no k8s.io/kubernetes v$k.x release"
    k="$r"
  fi
  [[ "$k" =~ ^1\.[0-9]+\.[0-9]+$ ]] || die "K8S_VERSION must be X.Y.Z, X.Y or latest (got '${K8S_VERSION:-}')"
  if [[ "$e" =~ ^3\.[0-9]+$ ]]; then
    ensure_go
    local r; r="$(newest_patch go.etcd.io/etcd/server/v3 "$e")"
    [[ -n "$r" ]] || die "the Go module proxy serves no go.etcd.io/etcd/server/v3 v$e.x release"
    e="$r"
  fi
  [[ "$e" =~ ^3\.[0-9]+\.[0-9]+$ ]] || die "ETCD_VERSION must be X.Y.Z or X.Y (got '${ETCD_VERSION:-}')"
  K8S="$k"; ETCD="$e"
  K8S_MINOR="$(cut -d. -f2 <<<"$K8S")"
  STAGING_VERSION="v0.${K8S#1.}" # v1.N.P -> v0.N.P
}

# ---------------------------------------------------------------- checks
# check_binary DIR NAME -> 0 if DIR/NAME runs and reports the wanted version
check_binary() {
  local dir="$1" name="$2" out
  [[ -f "$dir/$name" && -x "$dir/$name" ]] || return 1
  case "$name" in
    kube-apiserver)
      out="$(timeout 30 "$dir/$name" --version 2>&1)" || return 1
      [[ "$out" == "Kubernetes v$K8S" ]] ;;
    kubectl)
      out="$(timeout 30 "$dir/$name" version --client 2>&1)" || return 1
      grep -qx "Client Version: v$K8S" <<<"$out" ;;
    etcd)
      out="$(timeout 30 "$dir/$name" --version 2>&1)" || return 1
      grep -qx "etcd Version: $ETCD" <<<"$out" ;;
    *) return 1 ;;
  esac
}

all_ok() {
  local dir="$1" b
  for b in kube-apiserver kubectl etcd; do check_binary "$dir" "$b" || return 1; done
}

print_versions() {
  local dir="$1"
  log "  $("$dir/kube-apiserver" --version 2>&1)"
  log "  kubectl $("$dir/kubectl" version --client 2>&1 | head -n1)"
  log "  $("$dir/etcd" --version 2>&1 | head -n1)"
}

# ---------------------------------------------------------------- builds
go_build_env() {
  export CGO_ENABLED=0 GOOS=linux GOARCH=amd64
  export GOFLAGS="-mod=mod${GOFLAGS:+ $GOFLAGS}"
}

# step NAME CMD... : runs CMD, dies naming the step when it fails
step() {
  local name="$1"; shift
  log "$name"
  "$@" >&2 || die "step failed: $name (command: $*)"
}

build_k8s() { # OUT_DIR
  local out="$1" mod="$WORK/k8s-v$K8S"
  rm -rf "$mod"; mkdir -p "$mod"
  (
    cd "$mod"
    step "k8s: creating throwaway module in $mod" go mod init example.invalid/kube-binaries
    step "k8s: downloading k8s.io/kubernetes@v$K8S (go.mod)" go mod download k8s.io/kubernetes@v"$K8S"
    local gomod
    gomod="$(go mod download -json k8s.io/kubernetes@v"$K8S" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    [[ -f "$gomod" ]] || die "k8s: could not locate the go.mod of k8s.io/kubernetes@v$K8S in the module cache"

    # go / godebug lines: mirror upstream's, so GODEBUG defaults match an upstream build.
    local gover
    gover="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -n1)"
    if [[ -n "$gover" ]]; then go mod edit -go="$gover"; fi
    local gd
    while read -r gd; do
      if [[ -n "$gd" ]]; then go mod edit -godebug="$gd"; fi
    done < <(sed -n 's/^godebug[[:space:]]\{1,\}\([a-z0-9_.]*=[^[:space:]]*\)[[:space:]]*$/\1/p' "$gomod")

    # Staging modules: every "k8s.io/X => ./staging/..." line of upstream's go.mod.
    local staging
    staging="$(sed -n 's|^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}k8s.io/\([a-z0-9-]*\)[[:space:]]*=>[[:space:]]*\./staging/.*|\2|p' "$gomod")"
    [[ -n "$staging" ]] || die "k8s: found no './staging' replace lines in $gomod"
    log "k8s: $(wc -w <<<"$staging") staging modules -> $STAGING_VERSION: $(tr '\n' ' ' <<<"$staging")"
    local m
    for m in $staging; do go mod edit -replace="k8s.io/$m=k8s.io/$m@$STAGING_VERSION"; done
    # Any other replace upstream has that points at a published version: copy it as is.
    local line
    while read -r line; do
      if [[ -z "$line" ]]; then continue; fi
      log "k8s: copying upstream replace: $line"
      go mod edit -replace="$(sed 's/[[:space:]]\{1,\}\(v[^[:space:]]*\)[[:space:]]*=>/@\1=>/; s/[[:space:]]*=>[[:space:]]*/=/; s/[[:space:]]\{1,\}\(v[^[:space:]]*\)$/@\1/; s/[[:space:]]//g' <<<"$line")"
    done < <(sed -n 's/^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]\{1,\}\([[:space:]]\{1,\}v[^[:space:]]*\)\{0,1\}[[:space:]]*=>[[:space:]]*[^.[:space:]][^[:space:]]*[[:space:]]\{1,\}v[^[:space:]]*\)[[:space:]]*$/\2/p' "$gomod")
    if grep -q '^exclude' "$gomod"; then
      log "k8s: WARNING: upstream go.mod has exclude directives, which are not copied"
    fi

    step "k8s: resolving dependencies (go get, downloads modules on a cold cache)" \
      go get k8s.io/kubernetes/cmd/kube-apiserver@v"$K8S" k8s.io/kubernetes/cmd/kubectl@v"$K8S"

    # Version stamping, as upstream's hack/lib/version.sh does. The git commit is not
    # known from the module zip, so it is set empty (instead of "$Format:%H$").
    local ld="-s -w" p build_date
    build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X $p.gitVersion=v$K8S -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR"
      ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$build_date -X $p.gitCommit="
    done
    local tags="selinux,notest,grpcnotrace"
    step "k8s: building kube-apiserver v$K8S (slow on a cold cache)" \
      go build -trimpath -tags "$tags" -ldflags "$ld" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    step "k8s: building kubectl v$K8S" \
      go build -trimpath -tags "$tags" -ldflags "$ld" -o "$out/kubectl" k8s.io/kubernetes/cmd/kubectl
  )
}

build_etcd() { # OUT_DIR
  local out="$1" mod="$WORK/etcd-v$ETCD"
  rm -rf "$mod"; mkdir -p "$mod"
  (
    cd "$mod"
    step "etcd: creating throwaway module in $mod" go mod init example.invalid/etcd-binary
    # Mirror etcd's own go line, so GODEBUG defaults match an upstream build.
    local gomod gover
    gomod="$(go mod download -json go.etcd.io/etcd/server/v3@v"$ETCD" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')" \
      || die "etcd: cannot download go.etcd.io/etcd/server/v3@v$ETCD from the Go module proxy"
    gover="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" 2>/dev/null | head -n1)"
    if [[ -n "$gover" ]]; then go mod edit -go="$gover"; fi
    step "etcd: resolving go.etcd.io/etcd/server/v3@v$ETCD" go get go.etcd.io/etcd/server/v3@v"$ETCD"
    step "etcd: building etcd v$ETCD" \
      go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
  )
}

# ---------------------------------------------------------------- main
GO_VERSION_USED=""
STAGE=""
cleanup() {
  [[ -n "$PROBE_DIR" ]] && rm -rf "$PROBE_DIR"
  [[ -n "$STAGE" && -d "$STAGE" ]] && rm -rf "$STAGE"
  return 0
}
trap cleanup EXIT
trap 'die "interrupted"' INT TERM

resolve_versions
if $PRINT_VERSION; then
  echo "$K8S"
  exit 0
fi

TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
K8S_DIR="$TEST_DIR/k8s"
FINAL="$K8S_DIR/$K8S-linux-amd64"

if [[ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]]; then
  log "WARNING: this host is $(uname -s)/$(uname -m); building linux/amd64 binaries anyway"
fi

if ! $FORCE && all_ok "$FINAL"; then
  log "cached: kube-apiserver, kubectl and etcd in $FINAL already run and report v$K8S / etcd $ETCD"
  print_versions "$FINAL"
  echo "$FINAL"
  exit 0
fi

ensure_go
WORK="${KUBE_BINARIES_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-binaries-build}"
mkdir -p "$K8S_DIR" "$WORK" || die "cannot create $K8S_DIR or $WORK"

# One build at a time per KUBE_API_TEST_DIR.
exec 9>"$K8S_DIR/.build-kube-binaries.lock"
if ! flock -n 9; then
  log "another build holds $K8S_DIR/.build-kube-binaries.lock; waiting for it"
  flock 9
fi
if ! $FORCE && all_ok "$FINAL"; then
  log "cached (built by a concurrent run): $FINAL"
  echo "$FINAL"
  exit 0
fi

# Fail fast (before a long build) if the proxy does not serve either version.
log "checking that the Go module proxy serves k8s.io/kubernetes@v$K8S and go.etcd.io/etcd/server/v3@v$ETCD"
(cd "$PROBE_DIR" && go list -m k8s.io/kubernetes@v"$K8S" go.etcd.io/etcd/server/v3@v"$ETCD" >/dev/null) \
  || die "the Go module proxy ($(go env GOPROXY)) does not serve k8s.io/kubernetes@v$K8S or go.etcd.io/etcd/server/v3@v$ETCD (see the go error above)"

# Leftovers of interrupted builds (we hold the lock, so no other build owns them).
rm -rf "$K8S_DIR"/.partial-* "$K8S_DIR"/.old-*

log "building Kubernetes v$K8S (staging modules $STAGING_VERSION) and etcd v$ETCD with $GO_VERSION_USED"
log "output: $FINAL"
log "GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)"
go_build_env

# Staging dir beside the final one (same filesystem, so the move is a rename). Its name
# does not end in -linux-amd64, so kube-api-test never lists it as a version.
STAGE="$(mktemp -d "$K8S_DIR/.partial-$K8S.XXXXXX")"
START=$SECONDS

# Keep the binaries that are already good; build the others.
need_k8s=true need_etcd=true
if ! $FORCE && [[ -d "$FINAL" ]]; then
  if check_binary "$FINAL" kube-apiserver && check_binary "$FINAL" kubectl; then
    cp -p "$FINAL/kube-apiserver" "$FINAL/kubectl" "$STAGE/" && need_k8s=false
    log "k8s: reusing kube-apiserver and kubectl v$K8S from $FINAL"
  fi
  if check_binary "$FINAL" etcd; then
    cp -p "$FINAL/etcd" "$STAGE/" && need_etcd=false
    log "etcd: reusing etcd v$ETCD from $FINAL"
  fi
fi

if $need_etcd; then
  t=$SECONDS; build_etcd "$STAGE"; log "etcd: built in $((SECONDS - t))s"
fi
if $need_k8s; then
  t=$SECONDS; build_k8s "$STAGE"; log "k8s: built in $((SECONDS - t))s"
fi

chmod 0755 "$STAGE" "$STAGE"/kube-apiserver "$STAGE"/kubectl "$STAGE"/etcd
for b in kube-apiserver kubectl etcd; do
  check_binary "$STAGE" "$b" || die "the freshly built $b does not run or reports the wrong version: $STAGE/$b"
done

# Swap into place. A previous (incomplete or outdated) directory is moved aside first;
# at no point does $FINAL exist without all three working binaries.
if [[ -e "$FINAL" ]]; then
  OLD="$K8S_DIR/.old-$K8S.$$"
  mv -T "$FINAL" "$OLD" || die "cannot move the old $FINAL aside"
  mv -T "$STAGE" "$FINAL" || die "cannot move $STAGE to $FINAL"
  rm -rf "$OLD"
else
  mv -T "$STAGE" "$FINAL" || die "cannot move $STAGE to $FINAL"
fi
STAGE=""

log "done in $((SECONDS - START))s:"
print_versions "$FINAL"
echo "$FINAL"
