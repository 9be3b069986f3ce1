#!/usr/bin/env bash
# Run the Playwright tests against a server that is already running.
#
# Usage: scripts/e2e.sh [playwright args...]
#   BASE_URL  site to test (default http://$LEPTOS_SITE_ADDR, else
#             http://127.0.0.1:3000)
#
# It is also cargo-leptos' `end2end-cmd`: `cargo leptos end-to-end` runs it
# without a shell, from end2end/, right after spawning the server, so this
# script waits for /health before starting the tests. scripts/test.sh starts
# its own server and does not use this script.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export BASE_URL="${BASE_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}"
need_cmd curl

# The server may still be starting (cargo-leptos does not wait for it).
for i in $(seq 120); do
    curl -fsS -o /dev/null "$BASE_URL/health" 2>/dev/null && break
    ((i < 120)) || die "no answer from $BASE_URL/health after 60s"
    sleep 0.5
done

cd "$ROOT/end2end"
[[ -x node_modules/.bin/playwright ]] || die "Playwright not installed. Run scripts/bootstrap.sh first."
exec npx --no-install playwright test "$@"
