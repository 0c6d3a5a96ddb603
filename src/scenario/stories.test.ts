// The guided stories against the engine: every story is a valid scenario, and every story the
// engine can play does what its captions claim — ok or the errno of each step, its /proc rows
// at the end, and a few facts of the state along the way.

import { describe, expect, it } from 'vitest';
import { errnoName } from '../engine/core/errno';
import { debugfsIrq, procInterrupts } from '../engine/render';
import { createMachine } from '../engine/machine';
import type { ActionResult, MachineView } from '../engine/view';
import { runScenario, type RunResult } from './run';
import {
  ENGINE_WAITS_FOR, EXHAUSTION_FREE_VECTORS, STORIES, storyByName, storyCaption, type Story, type StoryNeed,
} from './stories';
import { ROAD_STORIES } from './roads';
import { KERNEL_STORIES } from './kernels';
import { encodeLink } from './url';
import { validateScenario } from './validate';

/** What the engine answered, in the story's terms: 'ok', the value it claims, or the errno name. */
function outcome(r: ActionResult, claimed: Story['outcomes'][number]): Story['outcomes'][number] {
  if (!r.ok) return r.errno !== undefined ? errnoName(r.errno) : 'failed';
  return claimed !== 'ok' && r.value !== undefined ? r.value : 'ok';
}

/**
 * Can the engine play this story? Not when building its machine throws (an architecture not
 * modelled), when an op is unknown to it ("unknown operation"), or — for the MSI domain models
 * — when the model named in the spec makes no difference yet.
 */
function engineSupports(story: Story): { ok: true; run: RunResult } | { ok: false; why: string } {
  let run: RunResult;
  try {
    run = runScenario(story.scenario);
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
  const unknown = run.results.find((r) => /unknown operation/.test(r.message));
  if (unknown) return { ok: false, why: unknown.message };
  const model = story.scenario.machine.msiModel;
  if (model && model !== 'v2') {
    const v2 = runScenario({ ...story.scenario, machine: { ...story.scenario.machine, msiModel: 'v2' } });
    if (procInterrupts(v2.machine) === procInterrupts(run.machine) && JSON.stringify(v2.machine.view().domains) === JSON.stringify(run.machine.view().domains)) {
      return { ok: false, why: `msiModel ${model} behaves exactly like v2` };
    }
  }
  return { ok: true, run };
}

const at = (story: Story, k: number) => runScenario(story.scenario, { upTo: k }).machine;
const irqFile = (story: Story, k: number, virq: number) => debugfsIrq(at(story, k), virq) ?? '';
/** pci_irq_vector(dev, index) after step k of a story. */
const vectorAt = (story: Story, k: number, dev: string, index: number) => at(story, k).view().irqs.find((i) => i.msi?.dev === dev && i.msi.index === index && i.msi.domid === 0)!.virq;
/** The irq numbers a caption names ("irq 25", "/proc/irq/25/…"), in order. */
const captionIrqs = (story: Story, step: number) => [...story.captions[step - 1].matchAll(/(?:\birq |\/proc\/irq\/)(\d+)/g)].map((x) => Number(x[1]));
const line = (text: string, key: string) => text.split('\n').find((l) => l.trimStart().startsWith(key))?.trim() ?? '';

/** Facts of the state along the way that the captions state, per story. */
const KEY_STATE: Record<string, (s: Story) => void> = {
  'nvme-ir': (s) => {
    const admin = vectorAt(s, 7, NVME, 0);
    const before = irqFile(s, 7, admin);
    const after = irqFile(s, 8, admin);
    expect(line(after, 'effectiv:')).toBe('effectiv: 3');
    expect(after).toMatch(/Target:\s+3/);
    // With remapping the device message (its MSI-X entry; 6.12's debugfs prints no message) does not change.
    const entry = (k: number) => at(s, k).view().devices[0].msixTable.find((e) => e.index === 0)!;
    expect(before).toContain('IRQD_ACTIVATED');
    expect([entry(8).addressLo, entry(8).data]).toEqual([entry(7).addressLo, entry(7).data]);
  },
  'nvme-noir': (s) => {
    const admin = vectorAt(s, 8, NVME, 0);
    const parked = irqFile(s, 8, admin);
    expect(line(parked, 'pending:')).toBe('pending:  3');
    expect(parked).toContain('IRQD_SETAFFINITY_PENDING');
    expect(line(parked, 'effectiv:')).toBe('effectiv: 1');
    const moved = irqFile(s, 9, admin);
    // The rewritten message, as the device's MSI-X entry holds it (6.12's debugfs prints no message).
    expect(at(s, 9).view().devices[0].msixTable.find((e) => e.index === 0)!.addressLo).toBe(0xfee03000);
    expect(line(moved, 'effectiv:')).toBe('effectiv: 3');
    expect(moved).not.toContain('IRQD_SETAFFINITY_PENDING');
    expect(irqFile(s, 10, admin)).toMatch(/cleanup_pending:\s+1/);
  },
  'cpu-hotplug-managed': (s) => {
    const q4 = vectorAt(s, 7, NVME, 4);
    expect(irqFile(s, 7, q4)).toContain('IRQD_MANAGED_SHUTDOWN');
    const pending = at(s, 8).view().devices[0].msixTable.find((e) => e.index === 4);
    expect(pending?.pending).toBe(true);
    expect(irqFile(s, 9, q4)).not.toContain('IRQD_MANAGED_SHUTDOWN');
  },
  'vector-exhaustion': (s) => {
    const m = at(s, 7);
    expect(m.view().log.map((l) => l.text)).toContain('Interrupt reservation exceeds available resources');
    // The failed request changes nothing: the state before and after it is the same.
    const n = s.scenario.actions.length;
    expect(at(s, n).snapshot()).toBe(at(s, n - 1).snapshot());
  },
  'multi-msi-ir': (s) => {
    const m = at(s, 1);
    const irqs = m.view().irqs.filter((i) => i.msi?.dev === '0000:01:00.0');
    expect(irqs).toHaveLength(8);
    // One aligned block of 8 IRTEs: the IR-level hwirqs of the 8 interrupts are consecutive.
    const ir = irqs.map((i) => i.chain.find((c) => c.domain.startsWith('INTEL-IR'))!.hwirq);
    expect(ir.map((h) => h - ir[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  },
  'dynamic-msix': (s) => {
    const entries = at(s, 3).view().devices[0].stores[0].entries.map((e) => e.index);
    expect(entries).toEqual([0, 1, 7]);
  },
  'port-msi-resize': (s) => {
    const r = runScenario(s.scenario, { upTo: 3 }).results[2];
    expect(r.hops.map((h) => h.stage)).toContain('lost');
  },
};

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const MLX5 = '0000:02:00.0';
const IDXD_BDF = '0000:6a:01.0';
// ---- what the captions claim, step by step ----------------------------------------------

/** A story replayed once, with the view after every step (views[k]: after k steps). */
interface Played {
  views: MachineView[];
  snaps: string[];
  results: ActionResult[];
}

function play(s: Story): Played {
  const m = createMachine(s.scenario.machine);
  const views = [m.view()];
  const snaps = [m.snapshot()];
  const results: ActionResult[] = [];
  for (const a of s.scenario.actions) {
    results.push(m.apply(a));
    views.push(m.view());
    snaps.push(m.snapshot());
  }
  return { views, snaps, results };
}

const irqOf = (v: MachineView, dev: string, index: number) => v.irqs.find((i) => i.msi?.dev === dev && i.msi.index === index && i.msi.domid === 0)!;
const irqAt = (v: MachineView, virq: number) => v.irqs.find((i) => i.virq === virq)!;
/** The i-th interrupt of a multi-MSI block (one descriptor: msi_desc->irq + i). */
const blockIrq = (v: MachineView, dev: string, i: number) => v.irqs.filter((q) => q.msi?.dev === dev).sort((a, b) => a.virq - b.virq)[i];
const devOf = (v: MachineView, name: string) => v.devices.find((d) => d.name === name)!;
const entryOf = (v: MachineView, dev: string, index: number) => devOf(v, dev).msixTable.find((e) => e.index === index);
const msg = (e: { addressLo: number; addressHi: number; data: number } | undefined) => e && { addressLo: e.addressLo, addressHi: e.addressHi, data: e.data };
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** matrix_find_best_cpu(): the online CPU with the most available vectors, the first on ties. */
const bestCpu = (v: MachineView) => v.cpus.filter((c) => c.online).reduce((b, c) => (c.available > b.available ? c : b)).cpu;
const ONE_PER_CPU = [[0], [1], [2], [3]];

/** The NVMe probe of nvmeProbe(): steps 1-6 of the NVMe stories. */
function nvmeProbeClaims(p: Played, bdf: string, arch: 'x86' | 'arm64'): void {
  const v1 = p.views[1];
  // "entry 0 (admin queue) may go anywhere, entries 1–4 are managed and spread one per CPU"
  expect(irqOf(v1, bdf, 0)).toMatchObject({ managed: false, affinity: [0, 1, 2, 3] });
  expect([1, 2, 3, 4].map((i) => irqOf(v1, bdf, i).managed)).toEqual([true, true, true, true]);
  expect([1, 2, 3, 4].map((i) => irqOf(v1, bdf, i).affinity)).toEqual(ONE_PER_CPU);
  if (arch === 'x86') {
    // "request_irq() on entry 0 … picks a real vector on the least loaded CPU and the message is written"
    const q0 = irqOf(p.views[2], bdf, 0);
    expect(q0.cpu).toBe(bestCpu(v1));
    expect(q0.vector).toBeGreaterThanOrEqual(0x20);
    expect(q0.vector).toBeLessThan(0xeb);
    expect(entryOf(p.views[2], bdf, 0)!.addressLo).not.toBe(0);
  }
  for (let i = 1; i <= 4; i++) {
    // "I/O queue i: its managed vector was reserved on CPU(i-1) at allocation, now it is used"
    // (arm64: "its LPI goes to CPU(i-1)'s collection")
    const q = irqOf(p.views[2 + i], bdf, i);
    expect([i, q.cpu, q.effectiveAffinity, q.started]).toEqual([i, i - 1, [i - 1], true]);
    if (arch === 'x86') expect(p.views[2 + i].cpus[i - 1].managedAllocated).toBe(p.views[1 + i].cpus[i - 1].managedAllocated + 1);
  }
}

const CLAIMS: Record<string, (p: Played, s: Story) => void> = {
  'nvme-ir': (p, s) => {
    nvmeProbeClaims(p, NVME, 'x86');
    // 7: "through IRTE lookup to CPU0, where nvme0q1 is counted"
    expect(irqOf(p.views[7], NVME, 1).counts).toEqual([1, 0, 0, 0]);
    // 8: "Writing 8 to /proc/irq/N/smp_affinity moves the admin queue": N is entry 0's irq
    expect(captionIrqs(s, 8)).toEqual([irqOf(p.views[7], NVME, 0).virq]);
    // "a new vector there and the IRTE is rewritten — done immediately; the device message stays the same"
    expect(irqOf(p.views[8], NVME, 0)).toMatchObject({ cpu: 3, effectiveAffinity: [3], prevCpu: irqOf(p.views[7], NVME, 0).cpu });
    expect(msg(entryOf(p.views[8], NVME, 0))).toEqual(msg(entryOf(p.views[7], NVME, 0)));
    // 9: "already arrives on CPU3"
    expect(irqOf(p.views[9], NVME, 0).counts).toEqual([0, 0, 0, 1]);
    // 10: "a managed interrupt's affinity is fixed": nothing changed
    expect(p.snaps[10]).toBe(p.snaps[9]);
  },
  'nvme-noir': (p) => {
    // 7: "compatibility format (APIC ID 0, vector 0x21) and lands on CPU0 directly" (6.12: queue 1 on CPU0)
    expect(msg(entryOf(p.views[7], NVME, 1))).toEqual({ addressLo: 0xfee00000, addressHi: 0, data: 0x21 });
    expect(irqOf(p.views[7], NVME, 1).counts).toEqual([1, 0, 0, 0]);
    // 8: "nothing moves yet … effective affinity still CPU1": the device message is unchanged
    expect(entryOf(p.views[7], NVME, 0)!.addressLo).toBe(0xfee01000);
    expect(msg(entryOf(p.views[8], NVME, 0))).toEqual(msg(entryOf(p.views[7], NVME, 0)));
    // 9: "still arrives on CPU1; … rewrites the message (address 0xfee03000)"
    expect(irqOf(p.views[9], NVME, 0).counts).toEqual([0, 1, 0, 0]);
    expect(entryOf(p.views[9], NVME, 0)!.addressLo).toBe(0xfee03000);
    // 10: "arrives on CPU3 … the old vector on CPU1 is queued for cleanup"
    expect(irqOf(p.views[10], NVME, 0)).toMatchObject({ counts: [0, 1, 0, 1], prevCpu: 1 });
    // 11: -EIO and nothing changed
    expect(p.snaps[11]).toBe(p.snaps[10]);
  },
  'cpu-hotplug-managed': (p) => {
    nvmeProbeClaims(p, NVME, 'x86');
    // 7: "the IO-APIC interrupt it served (irq 9, acpi) moves to another CPU"; the timer stays on CPU0
    const acpi = (v: MachineView) => v.irqs.find((i) => i.actions.includes('acpi'))!;
    expect(acpi(p.views[6])).toMatchObject({ virq: 9, effectiveAffinity: [3] });
    expect(acpi(p.views[7]).effectiveAffinity).not.toContain(3);
    expect(p.views[7].irqs.find((i) => i.actions.includes('timer'))!.effectiveAffinity).toEqual([0]);
    // "managed queue 4 (mask CPU3) is shut down — MSI-X entry 4 masked, its vector freed, IRQD_MANAGED_SHUTDOWN"
    const down = irqOf(p.views[7], NVME, 4);
    expect(down.stateNames).toContain('IRQD_MANAGED_SHUTDOWN');
    expect(down.started).toBe(false);
    expect(entryOf(p.views[7], NVME, 4)!.masked).toBe(true);
    expect(p.views[7].cpus[3].managedAllocated).toBe(0);
    // 8: "the Pending Bit Array bit is set and nothing is delivered"
    expect(entryOf(p.views[8], NVME, 4)!.pending).toBe(true);
    expect(sum(irqOf(p.views[8], NVME, 4).counts)).toBe(0);
    // 9: "restarts queue 4 with a managed vector on CPU3, and unmasking sends the pending message — counted on CPU3"
    expect(irqOf(p.views[9], NVME, 4)).toMatchObject({ cpu: 3, started: true, counts: [0, 0, 0, 1] });
    expect(entryOf(p.views[9], NVME, 4)).toMatchObject({ masked: false, pending: false });
    // 10: "2 in all, none lost"
    expect(irqOf(p.views[10], NVME, 4).counts).toEqual([0, 0, 0, 2]);
  },
  'vector-exhaustion': (p, s) => {
    const base = p.views[0].cpus[0].allocated;
    for (let i = 1; i <= 6; i++) {
      // "32 real vectors on CPU0 right away — non-maskable MSI gets no reservation mode"
      expect(p.views[i].cpus[0].allocated).toBe(base + 32 * i);
      const block = p.views[i].irqs.filter((q) => q.msi?.dev === `0000:1${i - 1}:00.0`);
      expect(block.map((q) => q.hwVector === 0xef || q.vector === 0)).toEqual(Array(32).fill(false));
    }
    // 6: "CPU0 has 4 left"
    expect(p.views[6].cpus[0].available).toBe(EXHAUSTION_FREE_VECTORS);
    // 7: reservation mode: nothing taken
    expect(p.views[7].cpus[0].allocated).toBe(p.views[6].cpus[0].allocated);
    // 8…11: "takes a real vector on CPU0: n left"
    for (let i = 0; i < EXHAUSTION_FREE_VECTORS; i++) expect(p.views[8 + i].cpus[0].available).toBe(EXHAUSTION_FREE_VECTORS - i - 1);
    // last: "-ENOSPC, and the interrupt stays unstarted"
    const n = s.scenario.actions.length;
    expect(irqOf(p.views[n], MLX5, EXHAUSTION_FREE_VECTORS).started).toBe(false);
  },
  'multi-msi-ir': (p, s) => {
    // 1: "one MSI descriptor with nvec_used 8 … Multiple Message Enable = 3"
    expect(devOf(p.views[1], NIC).msiCap).toMatchObject({ enabled: true, mme: 3 });
    expect(devOf(p.views[1], NIC).stores[0].entries.map((e) => [e.index, e.nvecUsed])).toEqual([[0, 8]]);
    // 2: "a real vector"
    expect(blockIrq(p.views[2], NIC, 0)).toMatchObject({ started: true, activated: true });
    expect(blockIrq(p.views[2], NIC, 0).vector).toBeGreaterThanOrEqual(0x20);
    // 3: "the same descriptor's fourth interrupt (irq N)": msi_desc->irq + 3, the irq the caption names
    const base = blockIrq(p.views[3], NIC, 0).virq;
    expect(blockIrq(p.views[3], NIC, 3)).toMatchObject({ virq: base + 3, started: true });
    expect(captionIrqs(s, 3)).toEqual([base + 3]);
    // 4: "Vector 3 alone moves to CPU2: only its IRTE changes"
    expect(blockIrq(p.views[4], NIC, 3).effectiveAffinity).toEqual([2]);
    expect(blockIrq(p.views[4], NIC, 0).effectiveAffinity).toEqual(blockIrq(p.views[3], NIC, 0).effectiveAffinity);
    expect(devOf(p.views[4], NIC).stores[0].entries[0]).toEqual(devOf(p.views[3], NIC).stores[0].entries[0]);
    // 5: "delivers to CPU2"
    expect(blockIrq(p.views[5], NIC, 3).counts).toEqual([0, 0, 1, 0]);
  },
  'multi-msi-noir': (p) => {
    // 1: -ENOSPC, nothing set up
    expect(p.snaps[1]).toBe(p.snaps[0]);
    // 2: "retries with 1 vector and succeeds: Multiple Message Enable stays 0"
    expect(devOf(p.views[2], NIC).msiCap).toMatchObject({ enabled: true, mme: 0 });
    expect(p.views[2].irqs.filter((q) => q.msi?.dev === NIC)).toHaveLength(1);
    // 4: "There is no vector 1": nothing changed
    expect(p.snaps[4]).toBe(p.snaps[3]);
    // 5: "arrives on that one interrupt"
    expect(sum(irqOf(p.views[5], NIC, 0).counts)).toBe(1);
  },
  'dynamic-msix': (p, s) => {
    const idx = (k: number) => devOf(p.views[k], NVME).stores[0].entries.map((e) => e.index);
    // 2: "the lowest free entry, 1, and returns irq N": the irq of entry 1, the one after entry 0's
    expect(idx(2)).toEqual([0, 1]);
    const entry0 = irqOf(p.views[1], NVME, 0).virq;
    expect(irqOf(p.views[2], NVME, 1).virq).toBe(entry0 + 1);
    expect(captionIrqs(s, 2)).toEqual([p.results[1].value]);
    expect(p.results[1].value).toBe(entry0 + 1);
    // 3: "entry 7 … irq N, leaving 2–6 unused": the next irq
    expect(idx(3)).toEqual([0, 1, 7]);
    expect(irqOf(p.views[3], NVME, 7).virq).toBe(entry0 + 2);
    expect(captionIrqs(s, 3)).toEqual([entry0 + 2]);
    // 4, 5: "nothing changes"
    expect(p.snaps[4]).toBe(p.snaps[3]);
    expect(p.snaps[5]).toBe(p.snaps[3]);
    // 6: "request_irq() starts it"; 7: "the handler runs"
    expect(irqOf(p.views[6], NVME, 7).started).toBe(true);
    expect(sum(irqOf(p.views[7], NVME, 7).counts)).toBe(1);
    // 8: "releases entry 1 alone; MSI-X stays enabled"
    expect(idx(8)).toEqual([0, 7]);
    expect(devOf(p.views[8], NVME).msixCap!.enabled).toBe(true);
    // 9: "gets entry 1 back"
    expect(idx(9)).toEqual([0, 1, 7]);
  },
  'port-msi-resize': (p) => {
    const PORT_BDF = '0000:00:1c.0';
    expect(p.views[1].irqs.filter((q) => q.msi?.dev === PORT_BDF)).toHaveLength(32);
    expect(devOf(p.views[1], PORT_BDF).msiCap).toMatchObject({ enabled: true, mme: 5 });
    // 2: "MSI Enable is now 0"
    expect(devOf(p.views[2], PORT_BDF).msiCap!.enabled).toBe(false);
    expect(p.views[2].irqs.filter((q) => q.msi?.dev === PORT_BDF)).toEqual([]);
    // 3: "goes out on the INTx pin — no handler there: the interrupt is lost"
    expect(devOf(p.views[3], PORT_BDF).intxLost).toBe(1);
    // 4: 2 vectors
    expect(devOf(p.views[4], PORT_BDF).msiCap).toMatchObject({ enabled: true, mme: 1 });
    // 6: "delivered again — but the one from step 3 never arrives"
    expect(sum(irqOf(p.views[6], PORT_BDF, 0).counts)).toBe(1);
  },
  'arm64-its': (p) => {
    nvmeProbeClaims(p, NVME, 'arm64');
    // 1: "Each MSI-X entry gets an LPI (from 8192 up)"
    expect([0, 1, 2, 3, 4].map((i) => irqOf(p.views[1], NVME, i).chain.at(-1)!.hwirq)).toEqual([8192, 8193, 8194, 8195, 8196]);
    // 7: "raises the LPI on CPU0's redistributor"
    expect(irqOf(p.views[7], NVME, 1).counts).toEqual([1, 0, 0, 0]);
    // 8: "MOVI to CPU2's collection; the device message is unchanged"
    expect(irqOf(p.views[8], NVME, 0).effectiveAffinity).toEqual([2]);
    expect(msg(entryOf(p.views[8], NVME, 0))).toEqual(msg(entryOf(p.views[7], NVME, 0)));
    // 9: "delivered to CPU2"
    expect(irqOf(p.views[9], NVME, 0).counts).toEqual([0, 0, 1, 0]);
    // 10: -ENOTSUPP, nothing changed
    expect(p.snaps[10]).toBe(p.snaps[9]);
  },
  'ims-device': (p, s) => imsClaims(p, s),
  'ims-queue': (p, s) => imsClaims(p, s),
  'cxl-subdev': (p, s) => {
    const CXL_BDF = '0000:0c:00.0';
    const msix = 'IR-PCI-MSIX-0000:0c:00.0-12';
    // 1: "Too early": nothing changed
    expect(p.snaps[1]).toBe(p.snaps[0]);
    // 3: "the PCI-MSIX domain becomes an MSI parent"
    expect(p.views[3].domains.find((d) => d.name === msix)!.flagNames).toContain('IRQ_DOMAIN_FLAG_MSI_PARENT');
    // 5: "its own per-device domain (PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0), stacked on the PCI function's"
    const sub = p.views[5].domains.find((d) => /PCI-MSIX-PROXY-SUBDEV-cxl_pmu\.0/.test(d.name))!;
    expect(sub.parent).toBe(msix);
    // 6: -EEXIST, nothing changed
    expect(p.snaps[6]).toBe(p.snaps[5]);
    // 7: "irq N, through the stacked domains (→ IR → VECTOR)": the irq step 7 returned, which step 8 requests
    const pmu = p.results[6].value as number;
    expect(captionIrqs(s, 7)).toEqual([pmu]);
    expect(s.scenario.actions[7]).toMatchObject({ op: 'request_irq', virq: pmu });
    expect(irqAt(p.views[7], pmu).chain.map((l) => l.domain)).toEqual([sub.name, msix, 'INTEL-IR-0-13', 'VECTOR']);
    // 8: "the MSI-X writes go to the PCI function's table"
    expect(entryOf(p.views[8], CXL_BDF, 1)).toMatchObject({ owner: 'cxl_pmu.0' });
    expect(entryOf(p.views[8], CXL_BDF, 1)!.addressLo).not.toBe(0);
    // 9: "the PMU's handler runs"
    expect(sum(irqAt(p.views[9], pmu).counts)).toBe(1);
    // 10: -EBUSY, nothing changed
    expect(p.snaps[10]).toBe(p.snaps[9]);
  },
  'msi-storm-probe': (p) => {
    const q = (k: number) => irqOf(p.views[k], NIC, 0);
    // 2: "/proc/interrupts stays at 0"
    expect(q(2).counts).toEqual([0, 0]);
    // 3: "replays the one pending interrupt (counted: 1)" — on CPU1, where the messages went
    expect(q(3).counts).toEqual([0, 1]);
    // 4: "100,001 on CPU1"
    expect(q(4).counts).toEqual([0, 100001]);
  },
  'devres-before-probe': (p) => {
    const CXL1_BDF = '0000:0d:00.0';
    // 1: "MSI-X with one vector (its mailbox)"
    expect(devOf(p.views[1], '0000:0c:00.0')).toMatchObject({ driver: 'cxl_pci' });
    // 4: "Resources present before probing", -EBUSY; no driver bound
    expect(p.views[4].log.map((l) => l.text).join('\n')).toContain('Resources present before probing');
    expect(devOf(p.views[4], 'cxl_pmu.0').driver).toBeNull();
    // 6: "allocates entry 1 dynamically"
    expect(devOf(p.views[6], 'cxl_pmu.1').driver).toBe('cxl_pmu');
    expect(entryOf(p.views[6], CXL1_BDF, 1)).toMatchObject({ owner: 'cxl_pmu.1' });
    // 7: "reaches cxl_pmu.1_overflow"
    const overflow = p.views[7].irqs.find((q) => q.actions.includes('cxl_pmu.1_overflow'))!;
    expect(sum(overflow.counts)).toBe(1);
    // 8: "releases the devres: handler, entry 1 and the PMU's domain"
    expect(devOf(p.views[8], 'cxl_pmu.1')).toMatchObject({ driver: null, devres: [] });
    expect(entryOf(p.views[8], CXL1_BDF, 1)).toBeUndefined();
    expect(p.views[8].domains.some((d) => d.name.includes('cxl_pmu.1'))).toBe(false);
    // 9: "bind again on a clean device"
    expect(devOf(p.views[9], 'cxl_pmu.1').driver).toBe('cxl_pmu');
  },
};

/**
 * Captions that state what the engine does not do, each with why: checked as failing tests, so
 * the day the story (or the model) is put right, the test says to move them back to CLAIMS.
 */
/** Captions known not to hold yet, each with why (empty: every caption holds). */
const FALSE_CLAIMS: Record<string, { why: string; check: (p: Played) => void }> = {};

function imsClaims(p: Played, s: Story): void {
  // 1: "MSI-X first: … in the default domain (slot MSI_DEFAULT_DOMAIN)"
  expect(devOf(p.views[1], IDXD_BDF).stores.map((st) => [st.domid, st.entries.length])).toEqual([[0, 1]]);
  // 2: "the secondary domain in slot MSI_SECONDARY_DOMAIN"
  const ims = devOf(p.views[2], IDXD_BDF).ims!;
  expect(ims.domain).not.toBeNull();
  expect(devOf(p.views[2], IDXD_BDF).stores.find((st) => st.domid === 1)!.domain).toBe(ims.domain);
  // 3: "MSI_ANY_INDEX in the IMS store gives index 0 and a new virq" — the next free irq, which
  // steps 5 and 7 name; 4: "IMS index 1"
  const virq = devOf(p.views[3], IDXD_BDF).ims!.rows[0].virq;
  expect(devOf(p.views[3], IDXD_BDF).ims!.rows.map((r) => [r.index, r.virq])).toEqual([[0, virq]]);
  expect(virq).toBe(Math.max(...p.views[2].irqs.map((q) => q.virq)) + 1);
  expect([s.scenario.actions[4], s.scenario.actions[6]]).toMatchObject([{ op: 'request_irq', virq }, { op: 'write_irq_affinity', virq }]);
  expect(devOf(p.views[4], IDXD_BDF).ims!.rows.map((r) => r.index)).toEqual([0, 1]);
  // 5: "the message is written into the device's store"
  const row = (k: number) => devOf(p.views[k], IDXD_BDF).ims!.rows.find((r) => r.index === 0)!;
  expect(row(5).addressLo).not.toBe(0);
  expect(row(5).change).toBeNull();
  // 6: "remapped by the IOMMU and delivered like any MSI"
  expect(sum(irqAt(p.views[6], virq).counts)).toBe(1);
  // 7: "Moving it to CPU3 rewrites only the IRTE" (from another CPU: the move is real)
  expect(irqAt(p.views[6], virq).effectiveAffinity).not.toEqual([3]);
  expect(irqAt(p.views[7], virq).effectiveAffinity).toEqual([3]);
  expect(msg(row(7))).toEqual(msg(row(6)));
}

function modelClaims(p: Played, model: string): void {
  // 1: two MSI-X vectors; 2: the first one started
  expect(p.views[1].irqs.filter((q) => q.msi?.dev === NVME)).toHaveLength(2);
  expect(irqOf(p.views[2], NVME, 0).started).toBe(true);
  // 3: v2 "entry 2 is added"; the others -ENOTSUPP and nothing changes
  if (model === 'v2') expect(irqOf(p.views[3], NVME, 2)).toBeDefined();
  else expect(p.snaps[3]).toBe(p.snaps[2]);
  // 4: "Moving it to CPU1 works in every model; with remapping only the IRTE changes"
  expect(irqOf(p.views[4], NVME, 0).effectiveAffinity).toEqual([1]);
  expect(msg(entryOf(p.views[4], NVME, 0))).toEqual(msg(entryOf(p.views[3], NVME, 0)));
}
for (const model of ['v2', 'v1', 'nonhier', 'legacy']) CLAIMS[`msi-model-${model}`] = (p) => modelClaims(p, model);

describe('guided stories', () => {
  it('are well formed: unique URL names, a caption and an outcome per step', () => {
    const names = new Set<string>();
    for (const s of STORIES) {
      expect(s.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(names.has(s.name)).toBe(false);
      names.add(s.name);
      expect(storyByName(s.name)).toBe(s);
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.intro.length).toBeGreaterThan(80);
      expect(s.captions).toHaveLength(s.scenario.actions.length);
      expect(s.outcomes).toHaveLength(s.scenario.actions.length);
      for (const c of s.captions) expect(c.trim().length).toBeGreaterThan(10);
      expect(storyCaption(s, 0)).toMatch(/CPUs? booted\./);
      expect(storyCaption(s, 1)).toBe(s.captions[0]);
    }
  });

  it('covers what the issue asks for', () => {
    for (const name of ['nvme-ir', 'nvme-noir', 'vector-exhaustion', 'cpu-hotplug-managed', 'multi-msi-ir', 'multi-msi-noir', 'dynamic-msix']) {
      expect(storyByName(name)?.needs).toBeUndefined();
    }
    const needs = new Set(STORIES.map((s) => s.needs).filter(Boolean));
    expect([...needs].sort()).toEqual(['arm64', 'driver', 'ims', 'models', 'roads', 'subdev']);
    expect(STORIES.filter((s) => s.needs === 'models').map((s) => s.scenario.machine.msiModel ?? 'v2').sort()).toEqual(['legacy', 'nonhier', 'v1', 'v2']);
  });

  it('every story outside the roads and the kernel comparisons (roads.test.ts, kernels.test.ts check those) has its captions\' claims checked here', () => {
    const roads = new Set([...ROAD_STORIES, ...KERNEL_STORIES].map((s) => s.name));
    expect(STORIES.filter((s) => !roads.has(s.name) && !CLAIMS[s.name] && !FALSE_CLAIMS[s.name]).map((s) => s.name)).toEqual([]);
  });

  it('every story is a valid scenario', () => {
    for (const s of STORIES) {
      const r = validateScenario(JSON.parse(JSON.stringify(s.scenario)));
      expect(r.ok ? 'valid' : `${s.name}: ${r.error}`).toBe('valid');
    }
  });

  it(`the vector-exhaustion story requests exactly the ${EXHAUSTION_FREE_VECTORS} vectors the MSI blocks leave, and one more`, () => {
    // One CPU of 7.2: FIRST_EXTERNAL_VECTOR 0x20 … FIRST_SYSTEM_VECTOR 0xeb is 203 vectors, less
    // the PIC cascade's 0x32 and int 0x80: 201. The boot takes one for each interrupt with a
    // handler — the timer, the two i8042 ports, rtc0, acpi and the IOMMU's dmar0 — and the six
    // non-maskable MSI blocks 32 each.
    expect(EXHAUSTION_FREE_VECTORS).toBe(0xeb - 0x20 - 2 - 6 - 6 * 32);
    const m = at(storyByName('vector-exhaustion')!, 6);
    expect(m.x86.vector.matrix.info().globalAvailable).toBe(EXHAUSTION_FREE_VECTORS);
  });

  for (const story of STORIES) {
    it(`${story.name}: plays as its captions say${story.needs ? ` (needs ${story.needs})` : ''}`, () => {
      const sup = engineSupports(story);
      if (!sup.ok) {
        // Only a story that waits for a listed feature may be unplayable.
        expect(story.needs && ENGINE_WAITS_FOR.has(story.needs) ? 'waits' : `${story.name} cannot play: ${sup.why}`).toBe('waits');
        console.log(`[stories] ${story.name} waits for ${story.needs}: ${sup.why}`);
        return;
      }
      const got = sup.run.results.map((r, i) => `${i + 1} ${story.scenario.actions[i].op}: ${String(outcome(r, story.outcomes[i]))}`);
      const want = story.outcomes.map((o, i) => `${i + 1} ${story.scenario.actions[i].op}: ${String(o)}`);
      expect(got).toEqual(want);
      const proc = procInterrupts(sup.run.machine);
      for (const re of story.end?.proc ?? []) expect(proc).toMatch(new RegExp(re, 'm'));
      for (const re of story.end?.procAbsent ?? []) expect(proc).not.toMatch(new RegExp(re, 'm'));
      const view = sup.run.machine.view();
      for (const [bdf, n] of Object.entries(story.end?.entries ?? {})) {
        const dev = view.devices.find((d) => d.name === bdf);
        expect(dev?.stores.find((st) => st.domid === 0)?.entries.length).toBe(n);
      }
      KEY_STATE[story.name]?.(story);
      CLAIMS[story.name]?.(play(story), story);
    });
    const wrong = FALSE_CLAIMS[story.name];
    if (wrong) it.fails(`${story.name}: captions that do not hold yet — ${wrong.why}`, () => wrong.check(play(story)));
  }

  it('ENGINE_WAITS_FOR lists only features the engine still lacks', () => {
    for (const need of ENGINE_WAITS_FOR) {
      const stories = STORIES.filter((s) => s.needs === need);
      expect(stories.length).toBeGreaterThan(0);
      expect(stories.some((s) => !engineSupports(s).ok) ? 'missing' : `the engine plays every story needing ${need}: take it off ENGINE_WAITS_FOR`).toBe('missing');
    }
    const needs: StoryNeed[] = ['arm64', 'ims', 'subdev', 'driver', 'models', 'roads'];
    console.log(`[stories] engine features the stories wait for: ${[...ENGINE_WAITS_FOR].join(', ') || 'none'} (of ${needs.join(', ')})`);
  });

  it('prints the length of every story link (#s1 and #story forms)', () => {
    const base = 'http://127.0.0.1:4317/';
    const rows = STORIES.map((s) => {
      const n = s.scenario.actions.length;
      const s1 = encodeLink({ scenario: s.scenario, step: Math.min(3, n) });
      const st = encodeLink({ scenario: s.scenario, step: Math.min(3, n), story: s.name });
      expect(st.length).toBeLessThan(60);
      return `${s.name.padEnd(22)} ${String(n).padStart(4)} steps  #s1 ${String(s1.length).padStart(5)} (url ${base.length + s1.length})  #story ${String(st.length).padStart(3)} (url ${base.length + st.length})`;
    });
    console.log(`[stories] link lengths at step 3 (hash characters; the full URL adds ${base.length} for ${base}):\n${rows.join('\n')}`);
  });
});
