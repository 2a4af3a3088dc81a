#!/usr/bin/env bash
# Installs the system tools the test suite runs against, when they are missing (Debian/Ubuntu, apt):
#   chromium               -> /usr/bin/chromium       (PDF reports, web: steps, status page tests)
#   prometheus-pushgateway -> /usr/bin/prometheus-pushgateway (Pushgateway pusher, against the real binary)
#   prometheus             -> /usr/bin/promtool       (promtool check metrics, promtool test rules)
#   libxml2-utils          -> /usr/bin/xmllint        (JUnit XML against Jenkins' junit-10.xsd)
#   tmux                   -> /usr/bin/tmux           (a real pseudo-terminal for the `chat` and `record` tests)
#   postgresql             -> /usr/lib/postgresql/15/bin/{initdb,pg_ctl,postgres} (the PostgreSQL store's tests
#                             start a throwaway cluster of their own: test/support/postgres.ts)
# Idempotent: installs nothing when all of them are present. Needs root (or sudo) only when something is missing.
# Runs before every `npm test` (the pretest script; .ci/run calls `npm test` too) and as `npm run test:setup`.
# TG_CANARY_SKIP_TEST_SETUP=1 skips it (e.g. no root, tools installed elsewhere).
set -euo pipefail

if [ -n "${TG_CANARY_SKIP_TEST_SETUP:-}" ]; then
  echo "setup-test-env: skipped (TG_CANARY_SKIP_TEST_SETUP is set); tests of missing tools are skipped, or fail with CI=true"
  exit 0
fi

need=()
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/bin/prometheus-pushgateway ] || need+=(prometheus-pushgateway)
[ -x /usr/bin/promtool ] || command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)

if [ ${#need[@]} -eq 0 ]; then
  echo "setup-test-env: chromium, prometheus-pushgateway, promtool, xmllint, tmux and postgresql are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-test-env: missing ${need[*]} and no apt-get here; install them with your package manager" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "setup-test-env: missing ${need[*]}; run this script as root (or install sudo)" >&2
    exit 1
  fi
fi

echo "setup-test-env: apt-get install ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# The Debian packages of prometheus, the pushgateway and postgresql start a system service on install; the tests start their
# own on loopback. Where no policy-rc.d forbids service starts already (Docker images ship one), add one for the
# duration of the install and remove it afterwards.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 0755 "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" -eq 1 ]; then "${as_root[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "setup-test-env: installed ${need[*]}"
