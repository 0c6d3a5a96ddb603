// MSI's pitfalls, replayed: S4 (dynamic MSI-X; the MSI vector-count problem and the INTx
// window), interrupt storms through note_interrupt() ("nobody cared"), MSI without per-vector
// masking raising before request_irq(), and multi-MSI's consecutive aligned block.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { formatTrace, type TraceNode } from '../core/trace';
import { IRQS } from '../core/irqdesc';
import { debugfsIrq, procInterrupts } from '../render';
import type { MachineSpec } from '../types';
import { ok } from '../testing';

const NVME = '0000:3d:00.0';
const A = '0000:01:00.0'; // INTx A → GSI 17
const B = '0000:09:00.0'; // INTx A → GSI 17 as well: the line is shared

function machine(opts: { remap?: MachineSpec['remap']; model?: MachineSpec['msiModel'] } = {}): Machine {
  return createMachine({
    arch: 'x86', cpus: 4, remap: opts.remap ?? 'intel-ir', msiModel: opts.model ?? 'v2',
    devices: [
      { bdf: NVME, name: 'nvme', msix: { tableSize: 8 } },
      { bdf: A, name: 'a', msi: { vectors: 4, maskable: true, addr64: true } },
      { bdf: B, name: 'b', msi: { vectors: 1, maskable: false, addr64: true } },
    ],
  });
}

function countNodes(ns: readonly TraceNode[]): number {
  return ns.reduce((s, n) => s + 1 + countNodes(n.children), 0);
}

const logText = (m: Machine) => m.log.map((l) => l.text);

// ---- S4: dynamic MSI-X --------------------------------------------------------------------

describe('S4: dynamic MSI-X (pci_msix_alloc_irq_at)', () => {
  function enabled() {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    return m;
  }

  it('step 1: pci_alloc_irq_vectors(1, 1, MSIX) enables MSI-X with one vector at index 0', () => {
    const m = enabled();
    const dev = m.devices.get(NVME)!;
    expect(dev.msixEnabled).toBe(true);
    expect([...dev.msi.data!.domains[0].store.keys()]).toEqual([0]);
  });

  it('step 3: MSI_ANY_INDEX gives index 1, index 7 gives 7', () => {
    const m = enabled();
    const any = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' });
    expect(any.message).toMatch(/^MSI-X entry 1 → irq \d+$/);
    const seven = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 });
    expect(seven.message).toBe(`MSI-X entry 7 → irq ${seven.value}`);
    expect([...m.devices.get(NVME)!.msi.data!.domains[0].store.keys()].sort()).toEqual([0, 1, 7]);
  });

  it('step 3: the same index again → -EBUSY, state unchanged', () => {
    const m = enabled();
    ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 });
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 });
    expect(r).toMatchObject({ ok: false, errno: -16 });
    expect(formatTrace(r.trace)).toContain('index 7 is in use');
    expect(m.snapshot()).toBe(before);
  });

  it('step 3: an index ≥ the table size → -ERANGE', () => {
    const m = enabled();
    const r = m.apply({ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 8 });
    expect(r).toMatchObject({ ok: false, errno: -34 });
    expect(formatTrace(r.trace)).toContain('index 8 is beyond hwsize 8');
  });

  it('step 3: a full table with MSI_ANY_INDEX → -EBUSY', () => {
    const m = enabled();
    for (let i = 1; i < 8; i++) ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' });
    expect(m.apply({ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' })).toMatchObject({ ok: false, errno: -16 });
  });

  it('step 4: before MSI-X is enabled → -ENOTSUPP (virq 0)', () => {
    const m = machine();
    const r = m.apply({ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' });
    expect(r).toMatchObject({ ok: false, errno: -524 });
    expect(r.value).toBeUndefined();
    expect(formatTrace(r.trace)).toContain('MSI-X is not enabled on the device');
  });

  it('step 5: pci_msix_free_irq() releases one entry; MSI-X stays enabled', () => {
    const m = enabled();
    ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 });
    ok(m, { op: 'pci_msix_free_irq', dev: NVME, index: 7 });
    const dev = m.devices.get(NVME)!;
    expect(dev.msixEnabled).toBe(true);
    expect([...dev.msi.data!.domains[0].store.keys()]).toEqual([0]);
    expect(dev.msixCap!.table[7].ctrl & 1).toBe(1);
  });

  // drivers/pci/msi/api.c (v6.12 and v7.2): void pci_msix_free_irq(pdev, map) has no errno.
  // A handler still attached is not checked: msi_domain_free_irqs_range() frees the interrupt,
  // /proc/irq/N goes with the descriptor (fs/proc/generic.c remove_proc_entry() WARNs about the
  // handler's entry still in it) and the irqaction leaks.
  it('step 5: pci_msix_free_irq() of an index with a handler frees it anyway: the WARN and the leaked irqaction', () => {
    const m = enabled();
    const virq = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 }).value as number;
    ok(m, { op: 'request_irq', dev: NVME, index: 7, name: 'q7' });
    const r = m.apply({ op: 'pci_msix_free_irq', dev: NVME, index: 7 });
    expect(r.ok).toBe(true);
    expect(logText(m)).toContain(`WARNING: remove_proc_entry: removing non-empty directory 'irq/${virq}', leaking at least 'q7'`);
    expect(m.k.descs.has(virq)).toBe(false);
    expect([...m.devices.get(NVME)!.msi.data!.domains[0].store.keys()]).toEqual([0]);
  });

  // api.c: WARN_ON_ONCE(map.index < 0 || map.virq <= 0) and WARN_ON_ONCE(!pci_msix_can_alloc_dyn(dev))
  // return without freeing anything.
  it('step 5: pci_msix_free_irq() of an entry with no interrupt only WARNs; nothing changes', () => {
    const m = enabled();
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_msix_free_irq', dev: NVME, index: 5 });
    expect(r.ok).toBe(true);
    expect(logText(m).join('\n')).toContain('WARN_ON_ONCE(map.index < 0 || map.virq <= 0)');
    expect(m.snapshot()).toBe(before);
  });
});

// ---- S4 step 6: MSI cannot grow; the INTx window ------------------------------------------

describe('S4 step 6: the MSI vector count can only change with MSI off, and INTx is live in between', () => {
  it('a second pci_alloc_irq_vectors(MSI) while MSI is on → WARN and -EINVAL (no growth in place)', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 1, max: 2, flags: ['MSI'] });
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: A, min: 4, max: 4, flags: ['MSI'] });
    expect(r).toMatchObject({ ok: false, errno: -22 });
    expect(logText(m)).toContain(`WARNING: __pci_enable_msi_range: MSI already enabled on ${A}`);
  });

  it('every device has an INTx line on an IO-APIC GSI 16-23 (dev->irq), which MSI replaces and pci_free_irq_vectors() restores', () => {
    const m = machine();
    const dev = m.devices.get(A)!;
    expect(dev.irq).toBe(17);
    expect(m.k.descs.get(17)!.irqData.domain.name).toBe('IO-APIC-2');
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 2, max: 2, flags: ['MSI'] });
    expect(dev.irq).toBeGreaterThanOrEqual(24);
    expect(dev.intxDisabled).toBe(true);
    const r = ok(m, { op: 'pci_free_irq_vectors', dev: A });
    expect(formatTrace(r.trace)).toContain('MSI Enable cleared, INTx re-enabled');
    expect([dev.irq, dev.intxDisabled, dev.msiCap!.enable]).toEqual([17, false, false]);
  });

  it('an interrupt raised in the gap goes to the INTx pin; with no handler on the GSI the pin is masked and the interrupt is lost', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 2, max: 2, flags: ['MSI'] });
    ok(m, { op: 'pci_free_irq_vectors', dev: A });
    const r = ok(m, { op: 'raise', dev: A, index: 0 });
    const text = formatTrace(r.trace);
    expect(text).toContain('the device asserts INTx A, routed to GSI 17');
    expect(text).toContain('is masked');
    expect(m.devices.get(A)!.intxLost).toBe(1);
    expect(m.k.descs.get(17)!.kstat.reduce((s, v) => s + v, 0)).toBe(0);
    // re-enabled with 4 vectors, MSI works again
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 4, max: 4, flags: ['MSI'] });
    ok(m, { op: 'request_irq', dev: A, index: 3, name: 'a3' });
    ok(m, { op: 'raise', dev: A, index: 3 });
    expect(m.k.descs.get(m.devices.get(A)!.irq + 3)!.kstat.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('with a handler on the shared GSI the interrupt is counted on the IO-APIC irq, and that handler answers IRQ_NONE', () => {
    const m = machine();
    ok(m, { op: 'request_irq', dev: B, index: 0, name: 'b' }); // B on INTx: IRQF_SHARED, checks its own status
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 1, max: 1, flags: ['MSI'] });
    ok(m, { op: 'pci_free_irq_vectors', dev: A });
    const r = ok(m, { op: 'raise', dev: A, index: 0 });
    const text = formatTrace(r.trace);
    expect(text).toContain('handle_fasteoi_irq() [IO-APIC-2]');
    expect(text).toContain('handler "b" runs: IRQ_NONE (its device did not interrupt)');
    expect(m.k.descs.get(17)!.kstat.reduce((s, v) => s + v, 0)).toBe(1);
    expect(procInterrupts(m)).toMatch(/^ +17: .*IO-APIC +17-fasteoi +b$/m);
  });

  it('B raising its own INTx is IRQ_HANDLED by its handler', () => {
    const m = machine();
    ok(m, { op: 'request_irq', dev: B, index: 0, name: 'b' });
    const r = ok(m, { op: 'raise', dev: B, index: 0 });
    expect(formatTrace(r.trace)).toContain('handler "b" runs: IRQ_HANDLED');
    expect(m.k.descs.get(17)!.action[0].handled).toBe(1);
  });
});

// ---- storms: note_interrupt() --------------------------------------------------------------

describe('a stuck INTx line: note_interrupt() disables it after 99,900 unhandled of 100,000', () => {
  function sharedLine() {
    const m = machine();
    ok(m, { op: 'request_irq', dev: B, index: 0, name: 'b' });
    return m;
  }

  it('raise {count: 100000} from the device nobody serves: "nobody cared", the handlers, "Disabling IRQ #17"', () => {
    const m = sharedLine();
    const r = ok(m, { op: 'raise', dev: A, index: 0, count: 100_000 });
    expect(r.message).toMatch(/nobody cared, the line was disabled/);
    expect(logText(m)).toEqual(expect.arrayContaining([
      'irq 17: nobody cared (try booting with the "irqpoll" option)', 'handlers:', 'Disabling IRQ #17',
    ]));
    expect(logText(m).some((t) => /^\[<[0-9a-f]{16}>\] b$/.test(t))).toBe(true);
    const desc = m.k.descs.get(17)!;
    expect(desc.istate & IRQS.SPURIOUS_DISABLED).toBeTruthy();
    expect(desc.depth).toBe(1);
    expect(desc.kstat.reduce((s, v) => s + v, 0)).toBe(100_000);
    expect(debugfsIrq(m, 17)).toContain('IRQS_SPURIOUS_DISABLED');
    // the printk lines are in the action's trace too
    expect(formatTrace(r.trace)).toContain('printk: Disabling IRQ #17');
  });

  it('is computed in batches: a handful of trace nodes, milliseconds', () => {
    const m = sharedLine();
    const t0 = performance.now();
    const r = ok(m, { op: 'raise', dev: A, index: 0, count: 1_000_000 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(countNodes(r.trace)).toBeLessThan(40);
    expect(formatTrace(r.trace)).toMatch(/advanced in batches/);
  });

  it('after the line is disabled, further assertions are lost at the masked pin', () => {
    const m = sharedLine();
    ok(m, { op: 'raise', dev: A, index: 0, count: 100_000 });
    const lost = m.devices.get(A)!.intxLost;
    ok(m, { op: 'raise', dev: A, index: 0, count: 50 });
    const desc = m.k.descs.get(17)!;
    expect(desc.kstat.reduce((s, v) => s + v, 0)).toBe(100_000);
    expect(m.devices.get(A)!.intxLost).toBe(lost + 49); // the first one found the line disabled: pending, then masked
    expect(desc.istate & IRQS.PENDING).toBeTruthy();
  });

  it('exactly 99,900 unhandled of 100,000 is not enough; 99,901 is', () => {
    const m = sharedLine();
    ok(m, { op: 'raise', dev: A, index: 0, count: 99_900 });
    ok(m, { op: 'raise', dev: B, index: 0, count: 100 }); // B's own: IRQ_HANDLED
    expect(logText(m)).not.toContain('Disabling IRQ #17');
    const m2 = sharedLine();
    ok(m2, { op: 'raise', dev: A, index: 0, count: 99_901 });
    ok(m2, { op: 'raise', dev: B, index: 0, count: 99 });
    expect(logText(m2)).toContain('Disabling IRQ #17');
  });

  it('a handled storm (the device\'s own MSI handler) is only counted', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'q0' });
    ok(m, { op: 'raise', dev: NVME, index: 0, count: 250_000 });
    const desc = m.k.descs.get(m.view().irqs.find((i) => i.actions[0] === 'q0')!.virq)!;
    expect(desc.kstat.reduce((s, v) => s + v, 0)).toBe(250_000);
    expect(logText(m).filter((t) => /nobody cared/.test(t))).toEqual([]);
  });
});

// ---- MSI without per-vector masking ---------------------------------------------------------

describe('MSI without per-vector masking raising during probe (before request_irq)', () => {
  function unmaskable() {
    const m = machine({ remap: 'none' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: B, min: 1, max: 1, flags: ['MSI'] });
    return m;
  }

  it('no reservation mode: the vector is real and the message live right after pci_alloc_irq_vectors()', () => {
    const m = unmaskable();
    const v = m.view().irqs.find((i) => i.msi?.dev === B)!;
    expect(v.activated).toBe(true);
    expect(v.stateNames).not.toContain('IRQD_CAN_RESERVE');
    expect(v.hwVector).not.toBe(0xef);
    expect(m.devices.get(B)!.msiCap!.data).toBe(v.hwVector);
  });

  it('a raise lands on the descriptor with no action: IRQS_PENDING, "masked" only in software, nothing in /proc/interrupts', () => {
    const m = unmaskable();
    const r = ok(m, { op: 'raise', dev: B, index: 0 });
    expect(formatTrace(r.trace)).toContain('no handler registered: IRQS_PENDING set, masked and acked; not counted');
    const virq = m.devices.get(B)!.irq;
    const desc = m.k.descs.get(virq)!;
    expect(desc.istate & IRQS.PENDING).toBeTruthy();
    // IRQD_IRQ_MASKED (set since allocation, so mask_irq() does not even call the chip), but the
    // function has no mask bits: the next raise reaches the CPU again.
    expect(m.view().irqs.find((i) => i.virq === virq)!.masked).toBe(true);
    expect(m.devices.get(B)!.msiCap!.maskBits).toBe(0);
    const again = ok(m, { op: 'raise', dev: B, index: 0 });
    expect(formatTrace(again.trace)).toContain(`→ irq ${virq}`);
    expect(desc.irqsUnhandled).toBe(2);
    expect(procInterrupts(m)).not.toMatch(new RegExp(`^ +${virq}:`, 'm'));
  });

  it('a storm keeps reaching the CPU (nothing can stop it), uncounted and with no "nobody cared" (no handler to ask)', () => {
    const m = unmaskable();
    const r = ok(m, { op: 'raise', dev: B, index: 0, count: 100_000 });
    const desc = m.k.descs.get(m.devices.get(B)!.irq)!;
    expect(desc.irqsUnhandled).toBe(100_000);
    expect(desc.kstat.reduce((s, v) => s + v, 0)).toBe(0);
    expect(logText(m).some((t) => /nobody cared/.test(t))).toBe(false);
    expect(formatTrace(r.trace)).toContain('100000 arrived with no handler or disabled (not counted)');
  });

  it('request_irq() then replays the pending interrupt once (check_irq_resend)', () => {
    const m = unmaskable();
    ok(m, { op: 'raise', dev: B, index: 0, count: 10 });
    const r = ok(m, { op: 'request_irq', dev: B, index: 0, name: 'b' });
    expect(formatTrace(r.trace)).toContain('check_irq_resend()');
    expect(m.k.descs.get(m.devices.get(B)!.irq)!.kstat.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('contrast: maskable MSI is parked on 0xef and masked; the raise only sets the pending bit, delivered at request_irq()', () => {
    const m = machine({ remap: 'none' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 1, max: 1, flags: ['MSI'] });
    const r = ok(m, { op: 'raise', dev: A, index: 0 });
    expect(formatTrace(r.trace)).toContain('MSI vector 0 is masked: pending bit set');
    ok(m, { op: 'request_irq', dev: A, index: 0, name: 'a' });
    expect(m.k.descs.get(m.devices.get(A)!.irq)!.kstat.reduce((s, v) => s + v, 0)).toBe(1);
  });
});

// ---- multi-MSI -------------------------------------------------------------------------------

describe('multi-MSI needs a consecutive, aligned block', () => {
  it('without remapping: VECTOR lacks MSI_FLAG_MULTI_PCI_MSI, msi_capability_init() answers 1 and the core retries with 1', () => {
    const m = machine({ remap: 'none' });
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 1, max: 4, flags: ['MSI'] });
    expect(r.value).toBe(1);
    const text = formatTrace(r.trace);
    expect(text).toMatch(/lacks MSI_FLAG_MULTI_PCI_MSI .*retry with 1 vector/);
    expect(text).toMatch(/msi_capability_init\(\) \[VECTOR\] = 1\n/);
  });

  it('without remapping, min 2 → -ENOSPC', () => {
    const m = machine({ remap: 'none' });
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: A, min: 2, max: 4, flags: ['MSI'] });
    expect(r).toMatchObject({ ok: false, errno: -28 });
    expect(formatTrace(r.trace)).toContain('only 1 MSI vector possible, fewer than min 2');
  });

  it('with remapping: consecutive virqs, one aligned IRTE block with sub-handles 0..n-1; the device ORs the vector number into the data', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] }); // take an IRTE first
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 4, max: 4, flags: ['MSI'] });
    const first = m.devices.get(A)!.irq;
    const ir = [0, 1, 2, 3].map((i) => m.k.descs.get(first + i)!.irqData.parentData!.hwirq);
    const base = ir[0] >>> 16;
    expect(base % 4).toBe(0);
    expect(ir).toEqual([0, 1, 2, 3].map((i) => base * 65536 + i));
    expect(formatTrace(r.trace)).toMatch(/IRTEs (\d+)-\d+ allocated \(4-aligned block for 4 vectors\)/);
    ok(m, { op: 'request_irq', dev: A, index: 2, name: 'a2' });
    ok(m, { op: 'raise', dev: A, index: 2 });
    expect(m.k.descs.get(first + 2)!.kstat.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('a non-power-of-two request is rounded up (Multiple Message Enable is log2)', () => {
    const m = machine();
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: A, min: 3, max: 3, flags: ['MSI'] });
    expect(formatTrace(r.trace)).toContain('3 vectors rounded up to the power of two 4; 1 unused');
  });
});
