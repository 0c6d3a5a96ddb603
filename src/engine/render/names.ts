// Models the bit-name tables of kernel/irq/debugfs.c and kernel/irq/irqdomain.c: which flag
// names debugfs prints, in the kernel's table order (only these names are ever printed), per
// kernel version (DebugfsFacts of src/engine/profiles.ts).

import type { DebugfsFacts } from '../profiles';

type NameTable = readonly (readonly [number, string])[];

/** irqdesc_states (status_use_accessors, _IRQ_*): the same in 6.1, 6.12 and 7.2. */
export const IRQDESC_STATES: NameTable = [
  [0x400, '_IRQ_NOPROBE'], [0x800, '_IRQ_NOREQUEST'], [0x10000, '_IRQ_NOTHREAD'], [0x1000, '_IRQ_NOAUTOEN'],
  [0x8000, '_IRQ_NESTED_THREAD'], [0x20000, '_IRQ_PER_CPU_DEVID'], [0x40000, '_IRQ_IS_POLLED'],
  [0x80000, '_IRQ_DISABLE_UNLAZY'], [0x100000, '_IRQ_HIDDEN'],
];

/** irqdesc_istates (IRQS_*); IRQS_TIMINGS and IRQS_SYSFS are not named. The same in every version. */
export const IRQDESC_ISTATES: NameTable = [
  [0x1, 'IRQS_AUTODETECT'], [0x2, 'IRQS_SPURIOUS_DISABLED'], [0x8, 'IRQS_POLL_INPROGRESS'],
  [0x20, 'IRQS_ONESHOT'], [0x40, 'IRQS_REPLAY'], [0x80, 'IRQS_WAITING'], [0x200, 'IRQS_PENDING'],
  [0x800, 'IRQS_SUSPENDED'], [0x2000, 'IRQS_NMI'],
];

/** IRQD_MOVE_PCNTXT (include/linux/irq.h, BIT(15)), removed in v6.13. */
export const IRQD_MOVE_PCNTXT = 0x8000;
/** IRQD_RESEND_WHEN_IN_PROGRESS (BIT(30), v6.5). */
export const IRQD_RESEND_WHEN_IN_PROGRESS = 0x40000000;
/** IRQCHIP_MOVE_DEFERRED (v6.13). */
export const IRQCHIP_MOVE_DEFERRED = 0x1000;

/** irqdata_states (dstate: IRQ_TYPE_* and IRQD_*) of 7.2. */
export const IRQDATA_STATES: NameTable = [
  [0x1, 'IRQ_TYPE_EDGE_RISING'], [0x2, 'IRQ_TYPE_EDGE_FALLING'], [0x4, 'IRQ_TYPE_LEVEL_HIGH'],
  [0x8, 'IRQ_TYPE_LEVEL_LOW'], [0x2000, 'IRQD_LEVEL'], [0x200, 'IRQD_ACTIVATED'], [0x400000, 'IRQD_IRQ_STARTED'],
  [0x10000, 'IRQD_IRQ_DISABLED'], [0x20000, 'IRQD_IRQ_MASKED'], [0x40000, 'IRQD_IRQ_INPROGRESS'],
  [0x800, 'IRQD_PER_CPU'], [0x400, 'IRQD_NO_BALANCING'], [0x1000000, 'IRQD_SINGLE_TARGET'],
  [0x1000, 'IRQD_AFFINITY_SET'], [0x100, 'IRQD_SETAFFINITY_PENDING'], [0x200000, 'IRQD_AFFINITY_MANAGED'],
  [0x10000000, 'IRQD_AFFINITY_ON_ACTIVATE'], [0x800000, 'IRQD_MANAGED_SHUTDOWN'], [0x4000000, 'IRQD_CAN_RESERVE'],
  [0x100000, 'IRQD_FORWARDED_TO_VCPU'], [0x4000, 'IRQD_WAKEUP_STATE'], [0x80000, 'IRQD_WAKEUP_ARMED'],
  [0x2000000, 'IRQD_DEFAULT_TRIGGER_SET'], [0x8000000, 'IRQD_HANDLE_ENFORCE_IRQCTX'],
  [0x20000000, 'IRQD_IRQ_ENABLED_ON_SUSPEND'], [IRQD_RESEND_WHEN_IN_PROGRESS, 'IRQD_RESEND_WHEN_IN_PROGRESS'],
];

/** irqchip_flags of 7.2; IRQCHIP_AFFINITY_PRE_STARTUP is not named. */
export const IRQCHIP_FLAGS: NameTable = [
  [0x1, 'IRQCHIP_SET_TYPE_MASKED'], [0x2, 'IRQCHIP_EOI_IF_HANDLED'], [0x4, 'IRQCHIP_MASK_ON_SUSPEND'],
  [0x8, 'IRQCHIP_ONOFFLINE_ENABLED'], [0x10, 'IRQCHIP_SKIP_SET_WAKE'], [0x20, 'IRQCHIP_ONESHOT_SAFE'],
  [0x40, 'IRQCHIP_EOI_THREADED'], [0x80, 'IRQCHIP_SUPPORTS_LEVEL_MSI'], [0x100, 'IRQCHIP_SUPPORTS_NMI'],
  [0x200, 'IRQCHIP_ENABLE_WAKEUP_ON_SUSPEND'], [0x800, 'IRQCHIP_IMMUTABLE'], [IRQCHIP_MOVE_DEFERRED, 'IRQCHIP_MOVE_DEFERRED'],
];

/** irqdomain_flags (6.12, 7.2); DESTROY_GC, MSI_IMMUTABLE and FWNODE_PARENT are not named. */
export const IRQDOMAIN_FLAGS: NameTable = [
  [0x1, 'IRQ_DOMAIN_FLAG_HIERARCHY'], [0x2, 'IRQ_DOMAIN_NAME_ALLOCATED'], [0x4, 'IRQ_DOMAIN_FLAG_IPI_PER_CPU'],
  [0x8, 'IRQ_DOMAIN_FLAG_IPI_SINGLE'], [0x10, 'IRQ_DOMAIN_FLAG_MSI'], [0x20, 'IRQ_DOMAIN_FLAG_ISOLATED_MSI'],
  [0x40, 'IRQ_DOMAIN_FLAG_NO_MAP'], [0x100, 'IRQ_DOMAIN_FLAG_MSI_PARENT'], [0x200, 'IRQ_DOMAIN_FLAG_MSI_DEVICE'],
  [0x10000, 'IRQ_DOMAIN_FLAG_NONCORE'],
];

const irqdataStatesOf = new WeakMap<DebugfsFacts, NameTable>();

/** The irqdata_states table of a kernel: IRQD_MOVE_PCNTXT after SINGLE_TARGET before 6.13; RESEND since 6.5. */
export function irqdataStates(f: DebugfsFacts): NameTable {
  let t = irqdataStatesOf.get(f);
  if (!t) irqdataStatesOf.set(f, (t = irqdataStatesTable(f)));
  return t;
}

function irqdataStatesTable(f: DebugfsFacts): NameTable {
  const out: [number, string][] = [];
  for (const [bit, name] of IRQDATA_STATES) {
    if (bit === IRQD_RESEND_WHEN_IN_PROGRESS && !f.resendWhenInProgress) continue;
    out.push([bit, name]);
    if (bit === 0x1000000 && f.movePcntxt) out.push([IRQD_MOVE_PCNTXT, 'IRQD_MOVE_PCNTXT']);
  }
  return out;
}

/** The irqchip_flags table of a kernel: no IRQCHIP_MOVE_DEFERRED before 6.13. */
export function irqchipFlags(f: DebugfsFacts): NameTable {
  return f.movePcntxt ? IRQCHIP_FLAGS.filter(([bit]) => bit !== IRQCHIP_MOVE_DEFERRED) : IRQCHIP_FLAGS;
}

/**
 * A domain's flags word as the kernel's enum numbers it. The model keeps the current numbering
 * (core/irqdomain.ts IRQ_DOMAIN_FLAG); 6.1 had MSI_REMAP at 0x20 (what ISOLATED_MSI is now),
 * MSI_NOMASK_QUIRK at 0x40 and NO_MAP at 0x80, and no MSI_PARENT, MSI_DEVICE, DESTROY_GC,
 * MSI_IMMUTABLE or FWNODE_PARENT; 6.12 has DESTROY_GC but not the last two. In 6.1 only the
 * GICv3 ITS set MSI_REMAP (its_init_domain); the x86 remapping domains (`kind` "remap") had no
 * flag for it (v6.1 drivers/iommu/intel/irq_remapping.c, amd/iommu.c).
 */
export function domainFlagsOf(flags: number, f: DebugfsFacts, kind = ''): number {
  if (f.domainFlagBits === 'msi-remap') {
    const keep = flags & (0x1 | 0x2 | 0x4 | 0x8 | 0x10 | (kind === 'remap' ? 0 : 0x20) | 0x10000);
    return keep | (flags & 0x40 ? 0x80 : 0);
  }
  return f.domainFlagBits === 'fwnode-parent' ? flags : flags & ~(0x800 | 0x1000);
}

const sharedBitNames = new WeakMap<NameTable, Map<number, readonly string[]>>();

/**
 * bitNames() of an interrupt's state, one shared frozen list per (table, value): thousands of
 * interrupts share a handful of states, and a shared list crosses to the page once.
 */
export function stateBitNames(value: number, table: NameTable): readonly string[] {
  let byValue = sharedBitNames.get(table);
  if (!byValue) sharedBitNames.set(table, (byValue = new Map()));
  let names = byValue.get(value);
  if (!names) byValue.set(value, (names = Object.freeze(bitNames(value, table))));
  return names;
}

/** The names of the set bits, in table order. */
export function bitNames(value: number, table: NameTable): string[] {
  const out: string[] = [];
  for (const [bit, name] of table) if (value & bit) out.push(name);
  return out;
}
