#!/bin/bash
# conformance/repro.sh <fixture-dir>...: captures each fixture's scenario again (into conformance/.cache/repro/)
# and diffs it against the committed capture with the run-to-run noise masked: interrupt counts
# (/proc/interrupts columns, per_cpu_count), dmesg timestamps and BogoMIPS, the QEMU command line.
# What is left in the diff differs between two boots of the same machine. Exit 1 when something is left.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
mkdir -p conformance/.cache/repro
norm() {
  awk '
    /^@@ file /{ sec=$0 }
    /^# qemu /{ print "# qemu <masked>"; next }
    sec=="@@ file /proc/interrupts" && /^ *[A-Za-z0-9]+:/ {
      # keep the label and the text after the counts; counts become N
      match($0, /^ *[A-Za-z0-9]+:/); lab=substr($0, 1, RLENGTH); rest=substr($0, RLENGTH+1)
      gsub(/^( +[0-9]+)+/, " N", rest); print lab rest; next }
    sec=="@@ file /sys/kernel/irq" && /\/per_cpu_count:/ { sub(/:.*/, ":N"); print; next }
    sec=="@@ file dmesg" { sub(/^\[ *[0-9.]+\] /, ""); gsub(/[0-9]+\.[0-9]+ BogoMIPS/, "N BogoMIPS"); gsub(/lpj=[0-9]+/, "lpj=N"); print; next }
    { print }' "$1"
}
left=0
for d in "$@"; do
  d=${d%/}
  kernel=$(echo "$d" | sed -E 's#.*fixtures/([^/]+)/.*#\1#')
  name=$(echo "$d" | sed -E 's#.*fixtures/##; s#/#-#g')
  out=conformance/.cache/repro/$name.txt
  rm -f "$out"
  node_modules/.bin/tsx conformance/run.ts "$d/scenario.json" --kernel "$kernel" --out "$out" 2>&1 | grep -E '^run: (wrote|FAILED)'
  if [ ! -f "$out" ]; then left=1; echo "repro: $d: the run failed"; continue; fi
  if diff <(norm "$d/capture.txt") <(norm "$out") >"conformance/.cache/repro/$name.diff"; then
    echo "repro: $d: same (counts and timestamps aside)"
  else
    left=1
    echo "repro: $d: differs ($(grep -c '^[<>]' "conformance/.cache/repro/$name.diff") lines), see conformance/.cache/repro/$name.diff"
  fi
done
exit $left
