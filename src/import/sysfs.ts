// The small files next to /proc/interrupts: CPU lists and masks (/proc/irq/N/*, /sys/devices/system/cpu/*),
// the sysfs irq attributes (/sys/kernel/irq/N/*) and the debugfs files (/sys/kernel/debug/irq/irqs/N and
// domains/NAME, kernel/irq/debugfs.c and irqdomain.c).

import type { ChainLevel } from './types';

/** "0-3,8,10-11" → [0,1,2,3,8,10,11]; null when the text is not a CPU list. An empty text is the empty list. */
export function parseCpuList(text: string): number[] | null {
  const t = text.trim();
  if (!t) return [];
  const out: number[] = [];
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || b - a > 65536) return null;
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** A hex CPU mask as smp_affinity prints it ("ff,ffffffff", "0000000f") → CPU numbers; null if not a mask. */
export function parseCpuMask(text: string): number[] | null {
  const t = text.trim();
  if (!/^[0-9a-fA-F]+(,[0-9a-fA-F]+)*$/.test(t)) return null;
  const hex = t.replace(/,/g, '');
  const out: number[] = [];
  for (let i = 0; i < hex.length; i++) {
    const nib = parseInt(hex[hex.length - 1 - i], 16);
    for (let b = 0; b < 4; b++) if (nib & (1 << b)) out.push(i * 4 + b);
  }
  return out;
}

export interface DebugfsIrq {
  device: string | null;
  affinity: number[] | null;
  effective: number[] | null;
  chain: ChainLevel[];
  vector: { vector: number; cpu: number } | null;
  managed: boolean | null;
}

/** /sys/kernel/debug/irq/irqs/N: the domain chain (top level first), vector, affinity. */
export function parseDebugfsIrq(lines: readonly string[]): DebugfsIrq | null {
  const out: DebugfsIrq = { device: null, affinity: null, effective: null, chain: [], vector: null, managed: null };
  let vector: number | null = null;
  let target: number | null = null;
  let seen = false;
  for (const raw of lines) {
    const l = raw.trimEnd();
    let m: RegExpExecArray | null;
    if ((m = /^\s*domain:\s+(\S+)/.exec(l))) {
      out.chain.push({ domain: m[1], hwirq: null, chip: null });
      seen = true;
    } else if ((m = /^\s*hwirq:\s+0x([0-9a-fA-F]+)/.exec(l)) && out.chain.length) {
      out.chain[out.chain.length - 1].hwirq = parseInt(m[1], 16);
    } else if ((m = /^\s*chip:\s+(.+)$/.exec(l)) && out.chain.length) {
      out.chain[out.chain.length - 1].chip = m[1].trim();
    } else if ((m = /^device:\s+(\S+)/.exec(l))) {
      out.device = m[1];
      seen = true;
    } else if ((m = /^affinity:\s*(.*)$/.exec(l))) {
      out.affinity = parseCpuList(m[1]);
      seen = true;
    } else if ((m = /^effectiv:\s*(.*)$/.exec(l))) {
      out.effective = parseCpuList(m[1]);
    } else if ((m = /^\s*Vector:\s+(\d+)/i.exec(l))) {
      vector = Number(m[1]);
    } else if ((m = /^\s*Target:\s+(\d+)/i.exec(l))) {
      target = Number(m[1]);
    } else if ((m = /^\s*is_managed:\s+(\d)/.exec(l))) {
      out.managed = m[1] === '1';
    } else if (/^handler:/.test(l)) {
      seen = true;
    }
  }
  if (!seen) return null;
  if (vector !== null && target !== null) out.vector = { vector, cpu: target };
  return out;
}

/** /sys/kernel/debug/irq/domains/NAME: the parent's name, when the file prints one. */
export function parseDebugfsDomain(lines: readonly string[]): { parent: string | null; size: number | null; mapped: number | null } {
  let parent: string | null = null;
  let size: number | null = null;
  let mapped: number | null = null;
  for (const l of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*parent:\s+(\S+)/.exec(l)) && parent === null) parent = m[1];
    else if ((m = /^\s*size:\s+(\d+)/.exec(l))) size = Number(m[1]);
    else if ((m = /^\s*mapped:\s+(\d+)/.exec(l))) mapped = Number(m[1]);
  }
  return { parent, size, mapped };
}
