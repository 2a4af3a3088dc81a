#!/usr/bin/env bash
# Production-install check: what the Dockerfile does, without Docker (no Docker engine runs in CI).
#
# KEEP IN STEP with ../Dockerfile. Same steps, in the same order:
#   build stage   : npm ci, npm run build                 -> here: npm run build in the repo (SKIP_BUILD=1 to reuse dist/)
#   runtime stage : package.json, production node_modules, dist/, scenarios/ -> here: copied into a temp dir, then
#                   `npm ci --omit=dev` there (the image gets the same tree from `npm prune --omit=dev`)
#   entrypoint    : node dist/cli/main.js ...             -> here: --version, then a demo run that must exit 0
# and prints the size of the production node_modules (the README's slim-image size estimate).
#
# Usage: bash scripts/prod-install-check.sh        (KEEP_TMP=1 keeps the temp dir for inspection)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf 'prod-install-check: %s\n' "$*"; }

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  say "building (npm run build)"
  npm run build --silent
fi
if [[ ! -f dist/cli/main.js ]]; then
  say "dist/cli/main.js is missing after the build" >&2
  exit 1
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/tg-canary-prod.XXXXXX")"
cleanup() {
  if [[ "${KEEP_TMP:-0}" == "1" ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

say "copying package.json, package-lock.json, dist/, scenarios/ to $TMP/app"
mkdir -p "$TMP/app"
cp package.json package-lock.json "$TMP/app/"
cp -R dist "$TMP/app/dist"
if [[ -d scenarios ]]; then cp -R scenarios "$TMP/app/scenarios"; else mkdir -p "$TMP/app/scenarios"; fi
# The image ships no test files; neither does this copy.
find "$TMP/app/dist" -name '*.test.js' -delete -o -name '*.test.js.map' -delete

cd "$TMP/app"
say "npm ci --omit=dev"
npm ci --omit=dev --no-audit --no-fund --loglevel=error

# Same environment as the image: paths under /data and /reports become temp paths; nothing from the caller's
# shell that could point the CLI at a real Telegram account or real alert targets.
run_cli() {
  env -i PATH="$PATH" HOME="$TMP" NODE_ENV=production LOG_LEVEL="${LOG_LEVEL:-warn}" \
    TG_CANARY_DB="$TMP/data/tg-canary.db" REPORTS_DIR="$TMP/reports" SCENARIOS_DIR="$TMP/app/scenarios" \
    node dist/cli/main.js "$@"
}
mkdir -p "$TMP/data" "$TMP/reports"

say "node dist/cli/main.js --version"
version="$(run_cli --version)"
say "version: $version"
expected="$(node -p "require('./package.json').version")"
if [[ "$version" != *"$expected"* ]]; then
  say "--version printed '$version', expected it to contain $expected" >&2
  exit 1
fi

say "node dist/cli/main.js demo --reports-dir $TMP/reports --db $TMP/demo.db"
set +e
run_cli demo --reports-dir "$TMP/reports" --db "$TMP/demo.db"
code=$?
set -e
if [[ $code -ne 0 ]]; then
  say "demo exited with $code (expected 0)" >&2
  exit 1
fi
if [[ ! -s "$TMP/demo.db" ]]; then
  say "demo left no database at $TMP/demo.db" >&2
  exit 1
fi

size_kb="$(du -sk node_modules | cut -f1)"
dist_kb="$(du -sk dist | cut -f1)"
say "production node_modules: $((size_kb / 1024)) MiB (${size_kb} KiB); dist: ${dist_kb} KiB"
say "slim image estimate: node:20-bookworm-slim (~200 MiB) + $(((size_kb + dist_kb) / 1024)) MiB of app"
say "OK"
