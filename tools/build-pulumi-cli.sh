#!/usr/bin/env bash
# Builds the Pulumi CLI from Pulumi's published Go modules into .tools/pulumi/bin, and lays
# beside it the plugin scripts Pulumi ships with its CLI. Reuses a build of the same version.
#
# Why not `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX`: pkg/go.mod carries
# `replace` directives, which `go install module@version` refuses. A throwaway module (generated
# under .tools/pulumi/build, never committed) requires pkg/v3 and sdk/v3 at one version, repeats
# pkg's non-local replaces, and builds the main package.
#
# Why the CLI is not at the Python SDK's version: the Go module proxy serves pkg/v3 at some
# releases only (not 3.272.0, the pinned Python SDK); the CLI is the nearest newer one it serves,
# which Pulumi supports (a CLI runs programs of older SDKs). The plugin scripts come from sdk/v3 at
# the Python SDK's version, so they match the `pulumi` package they run.
#
# Why the language host is ours: `sdk/python/cmd/pulumi-language-python/v3` is not served by the
# proxy at any version or commit, so tools/pulumi-language-python (a launcher built on sdk/v3's
# gRPC interfaces and python toolchain) stands in for it; see its package comment.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI_VERSION="${PULUMI_CLI_VERSION:-3.274.1}"
# The exact Python SDK the tests run under: the constraints file's pin (the package itself
# declares a range).
SDK_VERSION="$(sed -n 's/^pulumi==\([0-9.]*\).*/\1/p' "$ROOT/constraints.txt")"
[[ -n "$SDK_VERSION" ]] || { echo "build-pulumi-cli: no pulumi== pin in constraints.txt" >&2; exit 1; }
OUT="$ROOT/.tools/pulumi"
BIN="$OUT/bin"
STAMP="$BIN/.built"
CLI_WANT="cli=$CLI_VERSION sdk=$SDK_VERSION"
WANT="$CLI_WANT host=$(cat "$ROOT"/tools/pulumi-language-python/*.go "$ROOT"/tools/pulumi-language-python/go.mod | sha256sum | cut -c1-16)"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$BIN/pulumi" ]]; then
  echo "pulumi CLI $CLI_VERSION: reusing $BIN" >&2
  exit 0
fi
# Only the language host changed: the CLI (the long compile) is kept and the host rebuilt.
HOST_ONLY=0
if [[ -f "$STAMP" && "$(cut -d' ' -f1-2 "$STAMP")" == "$CLI_WANT" && -x "$BIN/pulumi" ]]; then
  HOST_ONLY=1
fi
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
command -v go >/dev/null || { echo "build-pulumi-cli: go is not on PATH (nor /usr/local/go/bin)" >&2; exit 3; }

export GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
start=$(date +%s)

modfile() {  # path of a module's go.mod in the download cache, fetching it first
  go mod download -json "$1@v$2" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p'
}
if [[ "$HOST_ONLY" == 1 ]]; then
  echo "pulumi CLI $CLI_VERSION: reusing the CLI in $BIN, rebuilding its language host" >&2
else
  echo "pulumi CLI $CLI_VERSION: building into $BIN (cold: about 1 GB of Go modules to download and 6 to 11 minutes of compiling on 2 cores; later runs reuse it)" >&2
fi
PKG_MOD="$(modfile github.com/pulumi/pulumi/pkg/v3 "$CLI_VERSION")"
SDK_DIR="$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$SDK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
[[ -f "$PKG_MOD" && -d "$SDK_DIR" ]] || { echo "build-pulumi-cli: could not download pulumi modules" >&2; exit 1; }

BUILD="$OUT/build/cli"
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$CLI_VERSION"
TAGS="osusergo,grpcnotrace"
if [[ "$HOST_ONLY" == 0 ]]; then
rm -rf "$BUILD" && mkdir -p "$BUILD" "$BIN"
GO_LINE="$(grep -m1 '^go ' "$PKG_MOD")"
{
  echo "module pulumicli"
  echo
  echo "$GO_LINE"
  echo
  echo "require ("
  echo "	github.com/pulumi/pulumi/pkg/v3 v$CLI_VERSION"
  echo "	github.com/pulumi/pulumi/sdk/v3 v$CLI_VERSION"
  echo ")"
  # pkg's non-local replaces (single-line and block forms); local ones (=> ../x) are dropped.
  awk '/^replace \(/{b=1;next} b&&/^\)/{b=0;next} b{print "replace " $0; next} /^replace /{print}' "$PKG_MOD" \
    | grep -v '=> \.' || true
} > "$BUILD/go.mod"

(
  cd "$BUILD"
  echo "  resolving modules…" >&2
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$CLI_VERSION" >/dev/null
  echo "  compiling pulumi ($(( $(date +%s) - start )) s so far)…" >&2
  go build -trimpath -tags "$TAGS" -ldflags "$LDFLAGS" -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
fi

HOST_BUILD="$OUT/build/language-host"
rm -rf "$HOST_BUILD" && mkdir -p "$HOST_BUILD"
cp "$ROOT"/tools/pulumi-language-python/*.go "$ROOT"/tools/pulumi-language-python/go.mod "$HOST_BUILD/"
(
  cd "$HOST_BUILD"
  echo "  compiling pulumi-language-python ($(( $(date +%s) - start )) s so far)…" >&2
  go mod edit -require "github.com/pulumi/pulumi/sdk/v3@v$CLI_VERSION"
  go mod tidy >/dev/null 2>&1 || go mod tidy
  go build -trimpath -tags "$TAGS" -ldflags "-s -w -X main.version=v$CLI_VERSION" -o "$BIN/pulumi-language-python" .
)

# Pulumi ships these scripts beside its CLI; they run the Python SDK installed in the program's
# (or the provider's) virtualenv.
install -m 0755 "$SDK_DIR/python/dist/pulumi-resource-pulumi-python" "$BIN/"
install -m 0755 "$SDK_DIR/python/cmd/pulumi-language-python-exec" "$BIN/"
echo "$WANT" > "$STAMP"
echo "pulumi CLI $CLI_VERSION: built in $(( $(date +%s) - start )) s" >&2
