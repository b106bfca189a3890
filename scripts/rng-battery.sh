#!/usr/bin/env bash
# Runs dieharder over regwasm's raw random stream in each order of scripts/rng-stream.mjs, one order
# after another (one core: the stream writer idles while dieharder reads). Needs `npm run build` and
# dieharder (Debian package `dieharder`). Results: one log per order plus summary.txt in OUT.
#
#   scripts/rng-battery.sh [OUT]            default OUT=/tmp/rng-battery
#   ORDERS="streams sequential seeds"       which orders, in that order
#   TESTS=all                               dieharder -a (about an hour per order on one core)
#   TESTS=short                             every test of -a with its -a variants, except that the
#                                           lagged-sum test runs lags 0,1,2,4,8,16 of 0..32 (~15 min)
#   TESTS="-d 15;-d 203 -n 9"               any dieharder selections, one run each
#   SEED=0  K=1024                          passed to rng-stream.mjs (--seed, --k)
#   KIND=words                              passed to rng-stream.mjs (--kind words or uniforms)
#   CONTROL=205                             instead of regwasm, dieharder's own generator of that id
#                                           (205 = AES_OFB; -S seed as below): the battery's baseline
#   DIEHARDER_OPTS=""                       extra options, e.g. "-Y 1" (re-run WEAK tests to a verdict)
#
# A single selection reads the stream of seed SEED; with several, selection g reads seed SEED·1000 + g
# so that no two selections see the same words.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/rng-battery}"
orders="${ORDERS:-streams sequential seeds}"
tests="${TESTS:-all}"
seed="${SEED:-0}"
k="${K:-1024}"
kind="${KIND:-words}"
control="${CONTROL:-}"
mkdir -p "$out"

short_selections() {
  local s="" d n
  for d in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 100 101 102; do s+="-d $d;"; done
  for n in 1 2 3 4 5 6 7 8 9 10 11 12; do s+="-d 200 -n $n;"; done
  for n in 2 3 4 5; do s+="-d 201 -n $n;-d 202 -n $n;"; done
  for n in 0 1 2 4 8 16; do s+="-d 203 -n $n;"; done
  for d in 204 205 206 207 208 209; do s+="-d $d;"; done
  echo "${s%;}"
}
case "$tests" in
  all) tests="-a" ;;
  short) tests="$(short_selections)" ;;
esac
IFS=';' read -ra selections <<< "$tests"

for order in $orders; do
  source="$kind-$order"
  [[ -n "$control" ]] && source="control$control"
  log="$out/dieharder-$source-seed$seed-${TESTS:-all}.log"
  log="${log//[^A-Za-z0-9._\/-]/_}"
  echo "# $(date -u +%FT%TZ) source=$source seed=$seed k=$k selections=${#selections[@]} opts=${DIEHARDER_OPTS:-}" | tee "$log"
  start=$(date +%s)
  g=0
  for sel in "${selections[@]}"; do
    s=$seed
    (( ${#selections[@]} > 1 )) && s=$(( seed * 1000 + g ))
    if [[ -n "$control" ]]; then
      echo "# dieharder -g $control -S $s $sel ${DIEHARDER_OPTS:-}" >> "$log"
      # shellcheck disable=SC2086
      nice -n 19 dieharder -g "$control" -S "$s" $sel ${DIEHARDER_OPTS:-} 2>&1 \
        | grep -vE '^#=|dieharder version|rng_name|test_name' >> "$log" || true
    else
      echo "# dieharder -g 200 $sel ${DIEHARDER_OPTS:-}   <- rng-stream.mjs --kind $kind --order $order --seed $s --k $k" >> "$log"
      # dieharder closes the pipe when done; the writer then reports its word count and exits.
      # shellcheck disable=SC2086
      nice -n 19 node "$here/rng-stream.mjs" --kind "$kind" --order "$order" --seed "$s" --k "$k" 2>>"$log" \
        | nice -n 19 dieharder -g 200 $sel ${DIEHARDER_OPTS:-} 2>&1 \
        | grep -vE '^#=|dieharder version|rng_name|stdin_input_raw|test_name' >> "$log" || true
    fi
    g=$(( g + 1 ))
  done
  echo "# finished in $(( $(date +%s) - start )) s" >> "$log"
  {
    printf '%-22s seed=%-6s PASSED=%-4s WEAK=%-3s FAILED=%-3s (TESTS=%s %s)\n' "$source" "$seed" \
      "$(grep -c 'PASSED' "$log" || true)" "$(grep -c 'WEAK' "$log" || true)" \
      "$(grep -c 'FAILED' "$log" || true)" "${TESTS:-all}" "${DIEHARDER_OPTS:-}"
    grep -E 'WEAK|FAILED' "$log" || true
  } >> "$out/summary.txt"
done
cat "$out/summary.txt"
