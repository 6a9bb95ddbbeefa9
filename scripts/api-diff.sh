#!/usr/bin/env bash
# The jsii API changes of this checkout against a git ref: builds the ref's .jsii in a temporary
# worktree (sharing this checkout's node_modules), builds this checkout's, and runs
# `jsii-diff --keys`. Prints every incompatible change with its key; additions are not listed.
# Exit 0 when there is none, 1 otherwise (jsii-diff's own exit code).
#
#   scripts/api-diff.sh <git-ref>        e.g. scripts/api-diff.sh v0.4.0, or a commit
#
# Not part of the build or CI: a review tool for a release or a refactor that must not change the
# API (every incompatible change belongs under "Breaking changes" in CHANGELOG.md).
set -euo pipefail

ref="${1:?usage: scripts/api-diff.sh <git-ref>}"
root="$(git rev-parse --show-toplevel)"
tmp="$(mktemp -d)"
cleanup() {
  git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

jsii_build() {
  (cd "$1" && npx jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency >/dev/null)
}

git -C "$root" worktree add --detach "$tmp/old" "$ref" >/dev/null 2>&1
ln -s "$root/node_modules" "$tmp/old/node_modules"
echo "jsii of $ref ($(git -C "$root" rev-parse --short "$ref"))..." >&2
jsii_build "$tmp/old"
echo "jsii of this checkout..." >&2
jsii_build "$root"
npx jsii-diff "$tmp/old" "$root" --keys
