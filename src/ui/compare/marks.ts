// Where a change or a lit object is drawn in the panels, as CSS selectors over the data attributes
// the panels already carry (data-virq on /proc/interrupts and ITT rows, data-domain on tree nodes,
// data-dev on device cards, data-index / data-row on descriptor and MSI-X rows, data-lpi…), and
// the vector cells the map overlay outlines. Lookups only: which object is which comes from the engine.

import type { Change, MachineView, ObjectRef } from '../../worker/protocol';

const q = (s: string) => JSON.stringify(s);

/** The selectors that find an object in the panels (none for objects no panel draws). */
export function selectorsOf(r: ObjectRef, view: MachineView | null): string[] {
  switch (r.kind) {
    case 'irq': {
      const out = [`[data-testid="proc-row"][data-virq="${r.virq}"]`, `[data-virq="${r.virq}"]:not(canvas)`];
      const irq = view?.irqs.find((i) => i.virq === r.virq);
      if (irq?.msi) out.push(...selectorsOf({ kind: 'msi', dev: irq.msi.dev, domid: irq.msi.domid, index: irq.msi.index }, null));
      out.push(`[data-change-virq="${r.virq}"]`);
      return out;
    }
    case 'proc':
      return /^\d+$/.test(r.row) ? [`[data-virq="${r.row}"]:not(canvas)`] : [];
    case 'domain':
      return [`[data-domain=${q(r.name)}] > rect`];
    case 'device':
      return [`[data-testid="device"][data-dev=${q(r.dev)}] > :first-child`];
    case 'devres':
      return [`[data-testid="device"][data-dev=${q(r.dev)}] [data-testid="devres"]`];
    case 'msi':
      return [`[data-testid="device"][data-dev=${q(r.dev)}] [data-testid="msi-store"][data-domid="${r.domid}"] [data-testid="msi-entry"][data-index="${r.index}"]`];
    case 'msix':
      return [`[data-testid="device"][data-dev=${q(r.dev)}] [data-testid="msix-row"][data-row="${r.index}"]`];
    case 'ims':
      return [`[data-testid="device"][data-dev=${q(r.dev)}] [data-testid="ims-entry"][data-index="${r.index}"]`];
    case 'itt':
      return [`[data-testid="itt-entry"][data-lpi="${r.lpi}"]`];
    case 'its-device':
      return [`[data-testid="its-device"][data-devid="0x${r.deviceId.toString(16)}"] > p`];
    case 'collection':
      return [`[data-icid="${r.icid}"]:not([data-testid="itt-entry"])`];
    case 'its-cmd':
      return [`[data-cmd="${r.seq}"]`];
    case 'irte':
      return [`[data-irte="${r.index}"]`];
    default:
      return [];
  }
}

/** The vector cells (cpu, vector) a set of objects lights on the map. */
export function cellsOf(refs: readonly ObjectRef[], view: MachineView | null): [number, number][] {
  const out = new Map<string, [number, number]>();
  for (const r of refs) {
    if (r.kind === 'vector') out.set(`${r.cpu}:${r.vector}`, [r.cpu, r.vector]);
    else if (r.kind === 'irq') {
      const i = view?.irqs.find((x) => x.virq === r.virq);
      if (i && i.vector > 0) out.set(`${i.cpu}:${i.vector}`, [i.cpu, i.vector]);
    }
  }
  return [...out.values()];
}

/** What the diff marks in the shown state: objects added or changed (removed ones are not drawn). */
export function markedRefs(changes: readonly Change[]): ObjectRef[] {
  return changes.filter((c) => c.op !== 'removed' && c.kind !== 'debugfs' && c.kind !== 'dmesg').map((c) => c.ref);
}

/** A stylesheet: `rule` applied to every selector (chunked: a huge :is() list is slow to match). */
export function css(selectors: readonly string[], rule: string): string {
  const out: string[] = [];
  for (let i = 0; i < selectors.length; i += 200) out.push(`${selectors.slice(i, i + 200).join(',\n')} { ${rule} }`);
  return out.join('\n');
}
