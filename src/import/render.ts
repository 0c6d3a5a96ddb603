// Text views of an imported machine: the JSON the command line prints, the /proc/interrupts rows
// re-printed in the layout of the kernel that wrote them, and a summary a person reads.

import type { ArchRow, ImportedDomain, ImportedIrq, ImportedMachine, ProcLayout } from './types';

/** The JSON of `npm run sim -- import <file> --format json` (field names as documented). */
export function importedJson(m: ImportedMachine): unknown {
  return {
    cpus: m.cpus,
    layout: m.layout,
    irqs: m.irqs.map((i) => ({
      irq: i.irq, chip: i.chip, hwirq: i.hwirq, trigger: i.trigger, actions: i.actions, counts: i.counts,
      bdf: i.bdf, index: i.index,
      msiKind: i.msiKind, flow: i.flow, affinity: i.affinity, effective: i.effective, node: i.node,
      vector: i.vector, chain: i.chain, line: i.line,
    })),
    devices: m.devices.map((d) => ({
      bdf: d.bdf, vectors: d.vectors, kind: d.kind, irqs: d.irqs, driver: d.driver, ids: d.ids, class: d.pciClass,
      withoutHandler: d.withoutHandler,
    })),
    unknown: m.unknown,
    arch: m.arch,
    cpuIds: m.cpuIds,
    cpusFromColumns: m.cpusFromColumns,
    kernelRelease: m.kernelRelease,
    online: m.online,
    archRows: m.archRows.map((r) => ({ label: r.label, counts: r.counts, text: r.text })),
    domains: m.domains.map((d) => ({ name: d.name, parent: d.parent, kind: d.kind, source: d.source, note: d.note, irqs: d.irqs })),
    skipped: m.skipped,
    sources: m.sources,
    log: m.log,
  };
}

const pad = (s: string | number, w: number) => String(s).padStart(w);

function row(i: ImportedIrq, L: ProcLayout): string {
  const counts = i.counts ?? [];
  let s = L.style === 'classic'
    ? `${pad(i.irq, L.prec)}: ${counts.map((c) => `${pad(c, 10)} `).join('')}`
    : `${pad(i.irq, L.prec)}:${counts.map((c) => ` ${pad(c, 10)}`).join('')}`;
  s += L.style === 'padded' ? `  ${(i.chip ?? '-').padEnd(L.chipWidth ?? 8)}` : ` ${pad(i.chip ?? '-', 8)}`;
  s += ` ${i.hwirq === null ? ' '.repeat(L.prec) : pad(i.hwirq, L.prec)}`;
  if (L.showLevel) s += ` ${(i.trigger === 'level' ? 'Level' : 'Edge').padEnd(8)}`;
  if (i.flow) s += `-${i.flow.padEnd(8)}`;
  if (i.actions.length) s += `  ${i.actions.join(', ')}`;
  return s;
}

function archRow(r: ArchRow, L: ProcLayout, arm: boolean): string {
  const ipi = /^IPI(\d+)$/.exec(r.label);
  if (ipi && L.style === 'padded') {
    return `${pad('IPI', L.prec - 1)}${ipi[1]}:${r.counts.map((c) => ` ${pad(c, 10)}`).join('')}  ${r.text}`;
  }
  if (ipi) {
    return `${pad('IPI', L.prec - 1)}${ipi[1]}:${L.prec >= 4 ? ' ' : ''}${r.counts.map((c) => `${pad(c, 10)} `).join('')}      ${r.text}`;
  }
  if (!r.text && r.counts.length === 1) return `${pad(r.label, L.prec)}: ${pad(r.counts[0], 10)}`;
  void arm;
  if (L.style === 'padded') return `${pad(r.label, L.prec)}:${r.counts.map((c) => ` ${pad(c, 10)}`).join('')}  ${r.text}`;
  return `${pad(r.label, L.prec)}: ${r.counts.map((c) => `${pad(c, 10)} `).join('')}  ${r.text}`;
}

/**
 * /proc/interrupts as the kernel that wrote the input prints it: the header, the numbered rows and
 * the arch rows, from the imported fields. null when the input did not show the layout (no header).
 */
export function importedProc(m: ImportedMachine): string | null {
  const L = m.procLayout;
  if (!L || !m.cpuIds || m.layout === '2.6-3.x') return null;
  let out = `${' '.repeat(L.prec + 8)}${m.cpuIds.map((c) => `CPU${String(c).padEnd(8)}`).join('')}\n`;
  for (const i of m.irqs) if (i.line !== null) out += `${row(i, L)}\n`;
  for (const r of m.archRows) out += `${archRow(r, L, m.arch !== 'x86')}\n`;
  return out;
}

function cpusOf(i: ImportedIrq, m: ImportedMachine): string {
  if (!i.counts) return 'no counts';
  const on: string[] = [];
  i.counts.forEach((c, k) => {
    if (c > 0) on.push(m.cpuIds ? `CPU${m.cpuIds[k]}` : `column ${k + 1}`);
  });
  return on.length ? `counts on ${on.join(', ')}` : 'no interrupt counted yet';
}

function tree(domains: readonly ImportedDomain[]): string[] {
  const kids = new Map<string | null, ImportedDomain[]>();
  const names = new Set(domains.map((d) => d.name));
  for (const d of domains) {
    const p = d.parent && names.has(d.parent) ? d.parent : null;
    let l = kids.get(p);
    if (!l) kids.set(p, (l = []));
    l.push(d);
  }
  const out: string[] = [];
  const walk = (p: string | null, depth: number) => {
    for (const d of kids.get(p) ?? []) {
      const how = d.source === 'debugfs' ? 'debugfs' : d.source === 'proc' ? 'chip column' : 'deduced';
      out.push(`${'  '.repeat(depth + 1)}${d.name}  [${d.kind}, ${how}${d.irqs.length ? `, ${d.irqs.length} irq${d.irqs.length === 1 ? '' : 's'}` : ''}]`);
      if (depth < 12) walk(d.name, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** A summary for people: the machine, its devices and vectors, the hierarchy, what is unknown. */
export function importedSummary(m: ImportedMachine): string {
  const lines: string[] = [];
  const cpus = m.cpus === null ? 'CPUs unknown' : `${m.cpus} CPU${m.cpus === 1 ? '' : 's'}${m.cpusFromColumns ? ' (from the columns; no header)' : ''}`;
  lines.push(`${m.arch ?? 'architecture unknown'}, ${cpus}, layout ${m.layout}${m.kernelRelease ? `, kernel ${m.kernelRelease}` : ''}`);
  lines.push(`${m.irqs.length} numbered irq${m.irqs.length === 1 ? '' : 's'}, ${m.archRows.length} arch row${m.archRows.length === 1 ? '' : 's'}`);
  lines.push('');
  lines.push(`Devices (${m.devices.length}):`);
  for (const d of m.devices) {
    lines.push(`  ${d.bdf}  ${d.vectors} vector${d.vectors === 1 ? '' : 's'}, ${d.kind === 'unknown' ? 'MSI or MSI-X unknown' : d.kind === 'msix' ? 'MSI-X' : 'MSI'}${d.driver ? `, driver ${d.driver}` : ''}`);
    for (const n of d.irqs) {
      const i = m.irqs.find((x) => x.irq === n)!;
      lines.push(`    irq ${n}${i.index !== null ? ` index ${i.index}` : ''}  ${i.actions.join(', ') || '(no action)'}: ${cpusOf(i, m)}${i.effective ? `, effective affinity ${i.effective.join(',')}` : ''}`);
    }
  }
  lines.push('');
  lines.push('Domain hierarchy (as far as the input proves it):');
  lines.push(...tree(m.domains));
  lines.push('');
  lines.push('What this import could not tell:');
  for (const u of m.unknown) lines.push(`  - ${u}`);
  if (m.skipped.length) {
    lines.push('');
    lines.push(`Skipped lines (${m.skipped.length}):`);
    for (const s of m.skipped.slice(0, 50)) lines.push(`  line ${s.line}: ${s.reason}`);
    if (m.skipped.length > 50) lines.push(`  … and ${m.skipped.length - 50} more`);
  }
  return `${lines.join('\n')}\n`;
}
