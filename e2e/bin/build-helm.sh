#!/usr/bin/env bash
# Builds the helm CLI (helm.sh/helm/v3/cmd/helm) from the Go module proxy, with the version
# ldflags of Helm's own Makefile, so `helm version` reports the release and the default
# Capabilities.KubeVersion of `helm template`/`helm lint` is the Kubernetes minor of Helm's
# client-go (1.34 for v3.19.x) instead of the built-in fallback v1.20.
#
# Output: ${HELM_CACHE:-$HOME/.cache/tuning-operator}/helm-<HELM_VERSION>/helm
# The last line on stdout is the binary's path (progress goes to stderr), so
#   helm="$(e2e/bin/build-helm.sh)"
# captures it. A second run finds the cached binary in well under a second.
#
# Usage: build-helm.sh [--print-version] [--force] [--help]
#
# Environment:
#   HELM_VERSION   X.Y.Z (a leading "v" is accepted) or X.Y for the newest patch the Go
#                  module proxy serves. Default: 3.19.5.
#   HELM_CACHE     cache directory. Default: ${XDG_CACHE_HOME:-$HOME/.cache}/tuning-operator
#                  (with HOME when XDG_CACHE_HOME is unset: $HOME/.cache/tuning-operator).
#   GOTOOLCHAIN    honoured as usual.
# Go's module and build caches (GOMODCACHE, GOCACHE) stay in their usual persistent places.
set -euo pipefail

readonly DEFAULT_HELM_VERSION=3.19.5
readonly MIN_GO_MINOR=24 # helm v3.19 declares go 1.24.0

readonly LOG_TAG=build-helm
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_common_args "$@"

resolve_version() {
  local v="${HELM_VERSION:-$DEFAULT_HELM_VERSION}"
  v="${v#v}"
  if [[ "$v" =~ ^3\.[0-9]+$ ]]; then
    ensure_go
    local r
    r="$(newest_patch helm.sh/helm/v3 "$v")"
    [[ -n "$r" ]] || die "the Go module proxy serves no helm.sh/helm/v3 v$v.x release"
    v="$r"
  fi
  [[ "$v" =~ ^3\.[0-9]+\.[0-9]+$ ]] || die "HELM_VERSION must be 3.Y.Z or 3.Y (got '${HELM_VERSION:-}')"
  VERSION="$v"
}

# check_binary PATH -> 0 if it runs and reports v$VERSION
check_binary() {
  local bin="$1" out
  [[ -f "$bin" && -x "$bin" ]] || return 1
  out="$(timeout 30 "$bin" version --template '{{.Version}}' 2>/dev/null)" || return 1
  [[ "$out" == "v$VERSION" ]]
}

cleanup() {
  [[ -n "$PROBE_DIR" ]] && rm -rf "$PROBE_DIR"
  [[ -n "${STAGE:-}" && -d "${STAGE:-}" ]] && rm -rf "$STAGE"
  return 0
}
trap cleanup EXIT
trap 'die "interrupted"' INT TERM

resolve_version
if $PRINT_VERSION; then
  echo "$VERSION"
  exit 0
fi

CACHE="${HELM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tuning-operator}"
FINAL_DIR="$CACHE/helm-$VERSION"
FINAL="$FINAL_DIR/helm"

if ! $FORCE && check_binary "$FINAL"; then
  log "cached: $FINAL reports v$VERSION"
  echo "$FINAL"
  exit 0
fi

ensure_go
mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/.build-helm.lock"
if ! flock -n 9; then
  log "another build holds $CACHE/.build-helm.lock; waiting for it"
  flock 9
fi
if ! $FORCE && check_binary "$FINAL"; then
  log "cached (built by a concurrent run): $FINAL"
  echo "$FINAL"
  exit 0
fi

START=$SECONDS
log "downloading helm.sh/helm/v3@v$VERSION from the Go module proxy ($(go env GOPROXY))"
GOMOD="$(cd "$PROBE_DIR" && go mod download -json helm.sh/helm/v3@v"$VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')" \
  || die "cannot download helm.sh/helm/v3@v$VERSION (see the go error above)"
[[ -f "$GOMOD" ]] || die "could not locate the go.mod of helm.sh/helm/v3@v$VERSION in the module cache"

# The default kube version: the minor of the client-go Helm is built with, as Helm's Makefile does.
K8S_MODULES_VER="$(sed -n 's/^[[:space:]]*k8s.io\/client-go[[:space:]]\{1,\}v\([0-9.]*\).*$/\1/p' "$GOMOD" | head -n1)"
[[ "$K8S_MODULES_VER" =~ ^0\.([0-9]+)\.[0-9]+$ ]] || die "cannot read the k8s.io/client-go version from $GOMOD"
K8S_MINOR="${BASH_REMATCH[1]}"
K8S_MAJOR=1

LD="-s -w"
LD+=" -X helm.sh/helm/v3/internal/version.version=v$VERSION"
LD+=" -X helm.sh/helm/v3/internal/version.metadata="
LD+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  LD+=" -X $p.k8sVersionMajor=$K8S_MAJOR -X $p.k8sVersionMinor=$K8S_MINOR"
done

mkdir -p "$FINAL_DIR" || die "cannot create $FINAL_DIR"
STAGE="$(mktemp -d "$FINAL_DIR/.partial.XXXXXX")"
log "building helm v$VERSION (default kube version v$K8S_MAJOR.$K8S_MINOR.0) with $GO_VERSION_USED into $FINAL_DIR"
CGO_ENABLED=0 GOBIN="$STAGE" go install -trimpath -ldflags "$LD" helm.sh/helm/v3/cmd/helm@v"$VERSION" >&2 \
  || die "go install helm.sh/helm/v3/cmd/helm@v$VERSION failed (see the go error above)"
chmod 0755 "$STAGE/helm"
check_binary "$STAGE/helm" || die "the freshly built helm does not run or does not report v$VERSION: $STAGE/helm"
# The ldflags took: a throwaway chart renders the default Capabilities.KubeVersion.
mkdir -p "$STAGE/probe/templates"
printf 'apiVersion: v2\nname: probe\nversion: 0.0.1\n' >"$STAGE/probe/Chart.yaml"
printf '# {{ .Capabilities.KubeVersion.Version }}\n' >"$STAGE/probe/templates/kv.yaml"
KV="$("$STAGE/helm" template probe "$STAGE/probe" 2>&1 | sed -n 's/^# \(v[0-9.]*\)$/\1/p')"
[[ "$KV" == "v$K8S_MAJOR.$K8S_MINOR.0" ]] \
  || die "the freshly built helm's default kube version is '${KV:-?}', expected v$K8S_MAJOR.$K8S_MINOR.0 (ldflags not applied?)"
mv -f "$STAGE/helm" "$FINAL" || die "cannot move the binary to $FINAL"
rm -rf "$STAGE"; STAGE=""

log "done in $((SECONDS - START))s: $("$FINAL" version --short 2>&1)"
echo "$FINAL"
