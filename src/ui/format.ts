// Presentation helpers: how numbers, CPU lists and actions are written on screen.
// Formatting only; no kernel semantics.

import type { Action, MachineSpec } from '../worker/protocol';

export function hex(n: number, width = 8): string {
  return `0x${(n >>> 0).toString(16).padStart(width, '0')}`;
}

export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** A sorted CPU list as the kernel prints it (%*pbl): "0-3,6". */
export function cpuList(cpus: readonly number[]): string {
  const s = [...cpus].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    out.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

function argText(v: unknown, key = ''): string {
  // A cookie is a bit pattern (a PASID…): hex, however it was typed in.
  if (key === 'icookie' && typeof v === 'number') return `0x${v.toString(16)}`;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? `{${cpuList(v as number[])}}` : v.join('|');
  return String(v);
}

/** "dev=0000:3d:00.0, min=1, max=8, flags=MSIX|AFFINITY" */
export function describeArgs(action: Action): string {
  return Object.entries(action)
    .filter(([k, v]) => k !== 'op' && v !== undefined)
    .map(([k, v]) => `${k}=${argText(v, k)}`)
    .join(', ');
}

/** "pci_alloc_irq_vectors(dev=0000:3d:00.0, min=1, max=8, flags=MSIX|AFFINITY)" */
export function describeAction(action: Action): string {
  return `${action.op}(${describeArgs(action)})`;
}

/** Elixir cross-reference for a kernel identifier; null when it is not a plain C identifier. */
export function elixirUrl(fn: string): string | null {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fn)
    ? `https://elixir.bootlin.com/linux/latest/A/ident/${encodeURIComponent(fn)}`
    : null;
}

/** Index ranges missing from a sorted list of used indices below `size`: [[first,last],…]. */
export function gaps(used: readonly number[], size: number): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const u of used) {
    if (u > next) out.push([next, u - 1]);
    next = Math.max(next, u + 1);
  }
  if (size > next) out.push([next, size - 1]);
  return out;
}

/** A machine in the words of the picker's titles: "x86 · 4 CPUs · Intel IR", "arm64 · 4 CPUs · GICv3 ITS". */
export function machineTitle(m: MachineSpec): string {
  const cpus = `${m.cpus} CPU${m.cpus === 1 ? '' : 's'}`;
  if (m.arch === 'arm64') return `arm64 · ${cpus} · GICv3 ITS`;
  // No remap given: the engine boots x86 with Intel IR.
  const remap = m.remap === 'none' ? 'no remapping' : m.remap === 'amd-ir' ? 'AMD IR' : 'Intel IR';
  const model = m.msiModel && m.msiModel !== 'v2' ? ` · MSI model ${m.msiModel}` : '';
  return `x86 · ${cpus} · ${remap}${model}`;
}

/** "1 CPU", "4 CPUs", "1 subdevice" … */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** The devices of a machine, counted the same way everywhere: "1 function · 2 subdevices". */
export function deviceCounts(functions: number, subdevices: number): string {
  return `${plural(functions, 'function')}${subdevices ? ` · ${plural(subdevices, 'subdevice')}` : ''}`;
}

/** Functions and subdevices of a machine description. */
export function specDeviceCounts(m: MachineSpec): string {
  return deviceCounts(m.devices.length, m.devices.reduce((n, d) => n + (d.subdevices?.length ?? 0), 0));
}

/** An answer as the engine gives it: the kernel function's return (`ret`) and the interrupt apart. */
type Answer = { ok: boolean; ret?: number | string; virq?: number; errnoName?: string; errno?: number };

/**
 * What a call returned, as the kernel function returns it (the engine's `ret`: request_irq() 0,
 * a /proc write the bytes written, a struct msi_map its fields; null for a void function), and
 * the interrupt it requested or names, apart (`virq 25`). Formatting only: the values are the engine's.
 */
export function returnText(r: Answer): { ret: string | null; extra: string | null } {
  if (!r.ok) return { ret: r.errnoName ?? `error ${r.errno ?? ''}`, extra: null };
  return { ret: r.ret !== undefined ? String(r.ret) : null, extra: r.virq !== undefined ? `virq ${r.virq}` : null };
}

/** The status line's title for an answered call: "request_irq = 0 · virq 25"; a void function by its name. */
export function callTitle(action: Action, r: Answer): string {
  const { ret, extra } = returnText(r);
  return `${action.op}${ret !== null ? ` = ${ret}` : ''}${extra ? ` · ${extra}` : ''}`;
}

/**
 * The engine's own words when a call left a move pending (no remapping: IRQCHIP_MOVE_DEFERRED
 * parks it until the next interrupt), from the call's trace; null when nothing is pending.
 */
export function pendingNote(r: { ok: boolean; trace: readonly { effects: string[]; children: readonly unknown[] }[] }): string | null {
  if (!r.ok) return null;
  type N = { effects: string[]; children: readonly unknown[] };
  const walk = (nodes: readonly N[]): string | null => {
    for (const n of nodes) {
      const hit = n.effects.find((e) => e.includes('IRQD_SETAFFINITY_PENDING'));
      if (hit) return hit;
      const deeper = walk(n.children as readonly N[]);
      if (deeper) return deeper;
    }
    return null;
  };
  return walk(r.trace);
}
