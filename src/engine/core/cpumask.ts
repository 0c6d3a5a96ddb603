// Models the kernel's bitmap/cpumask list format (lib/vsprintf.c "%*pbl", lib/bitmap.c bitmap_parselist).

import type { Kernel } from './kernel';

/**
 * cpumask_and(mask, cpu_online_mask). Masks are shared and never mutated in the model, so this
 * is `mask` itself when all of it is online (always, while every CPU is).
 */
export function onlineAnd(k: Pick<Kernel, 'nrCpus' | 'cpuOnline' | 'onlineCpus'>, mask: readonly number[]): readonly number[] {
  if (k.onlineCpus().length === k.nrCpus || mask.every((c) => k.cpuOnline(c))) return mask;
  return mask.filter((c) => k.cpuOnline(c));
}

/** bitmap_list_string (%*pbl): "0-19,21,50" for the set bits; "" for an empty set. */
export function formatCpuList(list: readonly number[]): string {
  let sorted = true;
  for (let i = 1; i < list.length; i++) {
    if (list[i] <= list[i - 1]) {
      sorted = false;
      break;
    }
  }
  const bits = sorted ? list : [...new Set(list)].sort((a, b) => a - b);
  let out = '';
  let i = 0;
  while (i < bits.length) {
    const first = bits[i];
    let last = first;
    while (i + 1 < bits.length && bits[i + 1] === last + 1) last = bits[++i];
    if (out) out += ',';
    out += first === last ? String(first) : `${first}-${last}`;
    i++;
  }
  return out;
}

/**
 * bitmap_parselist: "0-3,8,10-15:2/4" to a sorted, de-duplicated list. Whitespace around
 * groups is ignored; an empty string is the empty set. Throws on malformed input.
 */
export function parseCpuList(s: string): number[] {
  const out = new Set<number>();
  for (const raw of s.split(',')) {
    const part = raw.trim();
    if (part === '') {
      if (s.trim() === '') continue;
      throw new SyntaxError(`parseCpuList: empty group in "${s}"`);
    }
    const m = /^(\d+)(?:-(\d+)(?::(\d+)\/(\d+))?)?$/.exec(part);
    if (!m) throw new SyntaxError(`parseCpuList: bad group "${part}"`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const used = m[3] === undefined ? 1 : Number(m[3]);
    const group = m[4] === undefined ? 1 : Number(m[4]);
    if (b < a || used < 1 || group < 1 || used > group) {
      throw new RangeError(`parseCpuList: bad range "${part}"`);
    }
    for (let base = a; base <= b; base += group) {
      for (let k = 0; k < used && base + k <= b; k++) out.add(base + k);
    }
  }
  return [...out].sort((x, y) => x - y);
}
