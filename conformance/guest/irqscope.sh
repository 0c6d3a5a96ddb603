# /lib/irqscope.sh in the guest (busybox ash): capture, steps and waits of the conformance harness.
# /init sources it, then the per-run /irqscope/run.sh that run.ts generates from the scenario.
# The console carries only IRQSCOPE-* marker lines for the host (printk is quiet); run.ts parses them.
C=/tmp/capture
say() { echo "$*"; }
phase() { say "IRQSCOPE-PHASE $1 $(cut -d' ' -f1 /proc/uptime)"; }
warn() { say "IRQSCOPE-WARN $*"; }
fatal() { say "IRQSCOPE-FATAL $*"; sync; poweroff -f; sleep 30; }

# join a file's lines into one, " | " between them
oneline() { awk 'BEGIN{ORS=""} NR>1{print " | "} {print}' "$1"; }

snap() {
  echo "@@ file /proc/interrupts"
  cat /proc/interrupts 2>/dev/null
  echo "@@ file smp_affinity_list"
  grep -H '' /proc/irq/*/smp_affinity_list 2>/dev/null
  echo "@@ file effective_affinity_list"
  grep -H '' /proc/irq/*/effective_affinity_list 2>/dev/null
  echo "@@ file /sys/kernel/irq"
  grep -H '' /sys/kernel/irq/*/chip_name /sys/kernel/irq/*/hwirq /sys/kernel/irq/*/name /sys/kernel/irq/*/type \
    /sys/kernel/irq/*/actions /sys/kernel/irq/*/per_cpu_count 2>/dev/null
  echo "@@ file msi_irqs"
  grep -H '' /sys/bus/pci/devices/*/msi_irqs/* 2>/dev/null
  echo "@@ file pci"
  for d in /sys/bus/pci/devices/*; do
    [ -e "$d/vendor" ] || continue
    drv=-
    [ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
    v=$(cat "$d/vendor"); p=$(cat "$d/device"); c=$(cat "$d/class")
    echo "$(basename "$d") ${v#0x} ${p#0x} ${c#0x} $drv $(cat "$d/irq" 2>/dev/null)"
  done
  echo "@@ file dmesg"
  dmesg | grep -iE 'irq|msi|vector|apic|dmar|remap|its|gic|lpi|nvme|virtio|smpboot|cpu'
}

# step K "op args" "command" ["wait command"]
step() {
  phase "step$1"
  echo "@@ step $1 $2" >> $C
  ( eval "$3" ) >/tmp/step.out 2>/tmp/step.err
  rc=$?
  err=$(oneline /tmp/step.err)
  if [ -n "$err" ]; then echo "@@ result $rc $err" >> $C; else echo "@@ result $rc" >> $C; fi
  [ -n "$4" ] && eval "$4"
  snap >> $C
}

boot_snap() {
  phase boot-snap
  echo "@@ step 0 boot" >> $C
  snap >> $C
}

# the namespace block device of the NVMe controller at a bdf (native multipath: nvme<S>c<C>n<N> -> nvme<S>n<N>)
nsdev() {
  for p in /sys/bus/pci/devices/$1/nvme/nvme*/nvme*; do
    n=$(basename "$p")
    case $n in
      nvme*c*n*) echo "/dev/${n%%c*}n${n##*n}"; return 0;;
      nvme*n*) echo "/dev/$n"; return 0;;
    esac
  done
  return 1
}

# the virq of MSI(-X) index I of a device: per-device domains use the index as hwirq; the global
# PCI/MSI domains encode it in the low 11 bits (domain<<27 | requester id<<11 | index)
irq_of() {
  for f in /sys/bus/pci/devices/$1/msi_irqs/*; do
    [ -e "$f" ] || continue
    n=$(basename "$f")
    h=$(cat /sys/kernel/irq/$n/hwirq 2>/dev/null) || continue
    [ -n "$h" ] || continue
    if [ "$h" -ge 2048 ]; then h=$((h & 0x7ff)); fi
    [ "$h" -eq "$2" ] && { echo "$n"; return 0; }
  done
  return 1
}

write_affinity_dev() { # bdf index list
  n=$(irq_of "$1" "$2") || { echo "irqscope: $1 has no MSI irq with index $2" >&2; return 1; }
  echo "$3" > /proc/irq/$n/smp_affinity_list
}

blk_read() { # bdf cpu count
  dev=$(nsdev "$1") || { echo "irqscope: $1 has no NVMe namespace" >&2; return 1; }
  taskset -c "$2" dd if="$dev" of=/dev/null bs=4096 count="$3" iflag=direct 2>/tmp/dd.err
  r=$?
  [ $r -eq 0 ] || cat /tmp/dd.err >&2
  return $r
}

# is the device's driver up with its interrupts requested?
dev_ready() { # bdf driver
  case $2 in
    nvme) nsdev "$1" >/dev/null;;
    virtio_net) ls -d /sys/bus/pci/devices/$1/virtio*/net/* >/dev/null 2>&1;;
    *) [ -e /sys/bus/pci/devices/$1/driver ];;
  esac
}

irq_state() { ls /sys/kernel/irq 2>/dev/null | wc -l; ls /sys/bus/pci/devices/*/msi_irqs 2>/dev/null | wc -l; }

# wait until each device is ready (bdf driver pairs), then until the irq set stops changing
wait_ready() {
  limit=$WAIT_LIMIT
  while [ $# -ge 2 ]; do
    t=0
    until dev_ready "$1" "$2"; do
      t=$((t+1))
      if [ $t -gt $((limit*10)) ]; then warn "timeout waiting for $2 on $1"; break; fi
      usleep 100000
    done
    shift 2
  done
  prev=""; same=0; t=0
  while [ $same -lt 3 ] && [ $t -lt 100 ]; do
    cur=$(irq_state)
    if [ "$cur" = "$prev" ]; then same=$((same+1)); else same=0; prev=$cur; fi
    t=$((t+1)); usleep 200000
  done
}

check_dev() { # bdf vendor:device...
  d=/sys/bus/pci/devices/$1
  [ -e "$d/vendor" ] || fatal "no PCI function at $1; present: $(ls /sys/bus/pci/devices | tr '\n' ' ')"
  id="$(cat $d/vendor | sed 's/^0x//'):$(cat $d/device | sed 's/^0x//')"
  shift
  for want in "$@"; do [ "$id" = "$want" ] && return 0; done
  fatal "PCI function at $d is $id, expected one of: $*"
}

load() { # module file names, in order; each only once
  for m in "$@"; do
    grep -qx "$m" /tmp/loaded 2>/dev/null && continue
    insmod "/lib/modules/$m.ko" 2>/tmp/insmod.err || warn "insmod $m: $(oneline /tmp/insmod.err)"
    echo "$m" >> /tmp/loaded
  done
}

finish() {
  echo "@@ end" >> $C
  phase end
  sum=$(md5sum $C | cut -d' ' -f1)
  size=$(wc -c < $C)
  echo "IRQSCOPE-CAPTURE-BEGIN"
  gzip -c $C | base64
  echo "IRQSCOPE-CAPTURE-END $sum $size"
  sync
  poweroff -f
  sleep 30
}

header() { # qemu command line file
  {
    echo "# irqscope capture 1"
    echo "# kernel $(uname -r)"
    echo "# arch $(uname -m)"
    echo "# qemu $(cat "$1")"
  } > $C
}
