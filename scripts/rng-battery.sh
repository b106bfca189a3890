#!/usr/bin/env bash
# Runs dieharder over regwasm's raw random stream in each order of scripts/rng-stream.mjs, one order
# after another (one core: the stream writer idles while dieharder reads). Needs `npm run build` and
# dieharder (Debian package `dieharder`). Results: one log per order plus summary.txt in OUT.
#
#   scripts/rng-battery.sh [OUT]            default OUT=/tmp/rng-battery
#   ORDERS="streams sequential seeds"       which orders, in that order
#   TESTS="-a"                              dieharder test selection, e.g. "-d 15" or "-a"
#   SEED=0  K=1024                          passed to rng-stream.mjs (--seed, --k)
#   DIEHARDER_OPTS=""                       extra options, e.g. "-Y 1" (re-run WEAK tests to a verdict)
#
# Full `-a` takes roughly an hour per order on one core; run it in the background with nice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/rng-battery}"
orders="${ORDERS:-streams sequential seeds}"
tests="${TESTS:--a}"
seed="${SEED:-0}"
k="${K:-1024}"
mkdir -p "$out"

for order in $orders; do
  log="$out/dieharder-$order-seed$seed.log"
  echo "# $(date -u +%FT%TZ) order=$order seed=$seed k=$k: dieharder -g 200 $tests ${DIEHARDER_OPTS:-}" | tee "$log"
  start=$(date +%s)
  # dieharder closes the pipe when done; the writer then exits on EPIPE.
  # shellcheck disable=SC2086
  node "$here/rng-stream.mjs" --order "$order" --seed "$seed" --k "$k" 2>>"$log" \
    | nice -n 19 dieharder -g 200 $tests ${DIEHARDER_OPTS:-} >> "$log" 2>&1 || true
  echo "# finished in $(( $(date +%s) - start )) s" >> "$log"
  {
    printf '%-12s seed=%-6s PASSED=%-4s WEAK=%-3s FAILED=%-3s (%s)\n' "$order" "$seed" \
      "$(grep -c 'PASSED' "$log" || true)" "$(grep -c 'WEAK' "$log" || true)" \
      "$(grep -c 'FAILED' "$log" || true)" "$tests ${DIEHARDER_OPTS:-}"
    grep -E 'WEAK|FAILED' "$log" || true
  } >> "$out/summary.txt"
done
cat "$out/summary.txt"
