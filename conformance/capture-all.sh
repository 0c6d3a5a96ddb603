#!/bin/bash
# conformance/capture-all.sh [PATTERN]: (re)captures every fixture whose capture.txt is missing, one QEMU at
# a time, fewest CPUs first. PATTERN (a grep -E on the fixture path, e.g. '4cpu' or '7.2/arm64') narrows the set.
# To re-capture a fixture, delete its capture.txt first, or set FORCE=1 to re-capture every matching fixture
# (the new capture replaces the old one by a rename once the run succeeded; a failed run keeps the old one). Each run's output goes to
# conformance/.cache/logs/<kernel>-<arch>-<name>.log; one line per fixture, with its time, to
# conformance/.cache/capture-all.log. A failed fixture is tried once more, then left without a capture.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
pattern=${1:-.}
mkdir -p conformance/.cache/logs
LOG=conformance/.cache/capture-all.log
TSX=node_modules/.bin/tsx
[ -x "$TSX" ] || { echo "capture-all: $TSX missing (npm ci)" >&2; exit 1; }

say() { echo "$(date '+%F %T') $*" | tee -a "$LOG"; }

# fixtures without a capture, sorted by CPU count
mapfile -t todo < <(
  for s in conformance/fixtures/*/*/*/scenario.json; do
    d=$(dirname "$s")
    [ -f "$d/capture.txt" ] && [ "${FORCE:-0}" != 1 ] && continue
    echo "$d" | grep -qE -- "$pattern" || continue
    n=$(basename "$d" | sed -E 's/.*-([0-9]+)cpu$/\1/')
    echo "$n $d"
  done | sort -n -k1,1 -s | cut -d' ' -f2)

say "start: ${#todo[@]} fixture(s) to capture (pattern '$pattern')"
ok=0; bad=0
for d in "${todo[@]}"; do
  kernel=$(echo "$d" | cut -d/ -f3); arch=$(echo "$d" | cut -d/ -f4); name=$(basename "$d")
  out="conformance/.cache/logs/$kernel-$arch-$name.log"
  done_=0
  for try in 1 2; do
    t0=$(date +%s)
    "$TSX" conformance/run.ts "$d/scenario.json" --kernel "$kernel" --out "$d/capture.txt.new" >"$out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then mv -f "$d/capture.txt.new" "$d/capture.txt"; else rm -f "$d/capture.txt.new"; fi
    t1=$(date +%s)
    boot=$(grep -oE 'drivers up at [0-9.]+s' "$out" | grep -oE '[0-9.]+' | tail -1)
    if [ $rc -eq 0 ]; then
      say "ok     $d ($((t1 - t0))s, drivers up at ${boot:-?}s, try $try)"
      done_=1; break
    fi
    say "FAILED $d (exit $rc, $((t1 - t0))s, try $try): $(grep -m1 'FAILED' "$out" | cut -c1-200)"
  done
  if [ $done_ = 1 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
done
say "end: $ok captured, $bad failed"
[ $bad -eq 0 ]
