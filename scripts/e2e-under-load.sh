#!/usr/bin/env bash
# Runs the whole Playwright suite N times in a row (default 5) while busy loops keep every core
# loaded, as a shared CI machine may be; prints each run's tally and exits non-zero if any test
# failed once. Usage: scripts/e2e-under-load.sh [runs] [burners]   (after `npx vite build`)
set -u
cd "$(dirname "$0")/.."
runs=${1:-5}
burners=${2:-$(nproc)}
pids=()
for _ in $(seq "$burners"); do (while :; do :; done) & pids+=($!); done
stop() { kill "${pids[@]}" 2>/dev/null; }
trap stop EXIT
mkdir -p reports
failed=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  PLAYWRIGHT_JSON_OUTPUT_FILE=reports/e2e-load-$i.json npx playwright test --reporter=dot,json > "reports/e2e-load-$i.log" 2>&1
  rc=$?
  tally=$(node -e "const r=require('./reports/e2e-load-$i.json').stats; console.log(\`\${r.expected} passed, \${r.unexpected} failed, \${r.flaky} flaky\`)")
  echo "run $i: $tally ($(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg))"
  [ "$rc" -eq 0 ] || failed=1
done
exit $failed
