// A minimal x86 kernel for the arch/x86 unit tests: N online CPUs, the VECTOR domain as MSI
// parent, optionally an INTEL-IR/AMD-IR domain, a delivery path through the model's flow
// handlers, and a PCI function whose per-device MSI domain records every message write.
// The real machine (createMachine) replaces this outside the tests.

import { Tracer } from '../../core/trace';
import type { Kernel, KernelLogLine } from '../../core/kernel';
import { IRQCHIP, type MsiMsg } from '../../core/chip';
import type { Device } from '../../core/device';
import { IRQD, type IrqData, type IrqDesc, VirqSpace, irqdClear, irqdSet } from '../../core/irqdesc';
import { DOMAIN_BUS, type IrqDomain } from '../../core/irqdomain';
import { MSI_FLAG, type MsiDomainTemplate, msiCreateDeviceIrqDomain, msiDomainAllocIrqAt } from '../../msi/msi';
import { genericHandleIrqDesc } from '../../core/handle';
import { type X86VectorState, vectorState, x86VectorInit } from './vector';
import { x86MsiParentInit } from './msi';
import { amdIrInit, intelIrInit } from './remap';
import { type X86Delivery, type X86IrqOutcome, commonInterrupt, x86DeliverMsi } from './apic';
import { kernelProfile } from '../../profiles';
import type { KernelVersion } from '../../types';

export interface TestKernel extends Kernel {
  logs: KernelLogLine[];
  vector: IrqDomain;
  vs: X86VectorState;
  ir: IrqDomain | null;
  /** SPU counts per CPU. */
  spurious: number[];
  /** The last delivery and what common_interrupt made of it. */
  last: { delivery: X86Delivery; outcome: X86IrqOutcome | null } | null;
}

export function createTestKernel(opts: { cpus?: number; remap?: 'intel-ir' | 'amd-ir' | 'none'; trace?: boolean; kernel?: KernelVersion } = {}): TestKernel {
  const nrCpus = opts.cpus ?? 4;
  const online = Array.from({ length: nrCpus }, (_, i) => i);
  const k = {
    t: new Tracer(opts.trace ?? true),
    profile: kernelProfile(opts.kernel),
    nrCpus,
    cpuOnline: (cpu: number) => online.includes(cpu),
    onlineCpus: () => [...online],
    defaultAffinity: () => Array.from({ length: nrCpus }, (_, i) => i),
    descs: new Map<number, IrqDesc>(),
    virqs: new VirqSpace(1024),
    dynirqLowerBound: 24,
    domains: [] as IrqDomain[],
    logs: [] as KernelLogLine[],
    spurious: new Array<number>(nrCpus).fill(0),
    last: null,
    irqContext: null,
    ir: null,
    log(this: TestKernel, level: KernelLogLine['level'], text: string) {
      this.logs.push({ level, text });
      this.t.effect(`printk(${level}): ${text}`);
    },
    genericHandleIrq(this: TestKernel, desc: IrqDesc, cpu: number) {
      genericHandleIrqDesc(this, desc, cpu);
    },
    deliverMsi(this: TestKernel, requester: string, msg: MsiMsg) {
      const delivery = x86DeliverMsi(this, { vector: this.vs, ir: this.ir }, msg, requester);
      let outcome: X86IrqOutcome | null = null;
      if (!('fault' in delivery)) {
        outcome = commonInterrupt(this, this.vs, delivery.cpu, delivery.vector);
        if (outcome === 'spurious') this.spurious[delivery.cpu]++;
      }
      this.last = { delivery, outcome };
    },
    hop() {},
  } as unknown as TestKernel;
  k.vector = x86VectorInit(k);
  x86MsiParentInit(k.vector);
  k.vs = vectorState(k.vector);
  if (opts.remap === 'intel-ir') k.ir = intelIrInit(k, k.vector, 0);
  else if (opts.remap === 'amd-ir') k.ir = amdIrInit(k, k.vector, 0);
  k.t.take();
  return k;
}

// ---- a PCI function with a per-device MSI-X (or MSI) domain on the kernel's MSI parent ----

export interface TestDev {
  dev: Device;
  /** Every message written to the device, in order, with the index it went to. */
  writes: { index: number; msg: MsiMsg }[];
  /** msi_domain_alloc_irq_at() at `index`: the virq or a negative errno. */
  alloc(index: number): number;
}

export function testPciDev(k: TestKernel, bdf: string, kind: 'msix' | 'msi' = 'msix', size = 8): TestDev {
  const dev: Device = { name: bdf, msi: { domain: k.ir ?? k.vector, data: null }, devres: [], driver: null };
  const writes: TestDev['writes'] = [];
  const write = (d: IrqData, _k: unknown, msg: MsiMsg): void => {
    const desc = d.common.msiDesc!;
    desc.msg = { ...msg };
    writes.push({ index: desc.msiIndex, msg: { ...msg } });
  };
  const tmpl: MsiDomainTemplate = {
    name: kind === 'msix' ? 'PCI-MSIX' : 'PCI-MSI',
    chip: { flags: IRQCHIP.ONESHOT_SAFE, irqWriteMsiMsg: write, irqMask: () => {}, irqUnmask: () => {} },
    info: {
      flags: MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS | MSI_FLAG.ACTIVATE_EARLY | MSI_FLAG.MUST_REACTIVATE |
        MSI_FLAG.FREE_MSI_DESCS | MSI_FLAG.MULTI_PCI_MSI |
        (kind === 'msix' ? MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN : 0),
      busToken: kind === 'msix' ? DOMAIN_BUS.PCI_DEVICE_MSIX : DOMAIN_BUS.PCI_DEVICE_MSI,
      allocType: kind, handler: 'handle_edge_irq', handlerName: 'edge', ops: {},
    },
  };
  if (!msiCreateDeviceIrqDomain(k, dev, 0, tmpl, size)) throw new Error('device domain refused');
  return {
    dev,
    writes,
    alloc(index: number): number {
      const m = msiDomainAllocIrqAt(k, dev, 0, index, null, (desc) => {
        desc.pci = { isMsix: kind === 'msix', multiple: 0, multiCap: 0, canMask: true, is64: true, isVirtual: false, msixCtrl: 1, msiMask: 0 };
      });
      return m.index < 0 ? m.index : m.virq;
    },
  };
}

/** What request_irq() leaves behind, as far as the flow handler cares: an action, started, enabled. */
export function requested(desc: IrqDesc, name: string): void {
  desc.action.push({ name, devId: name, flags: 0, handled: 0 });
  desc.depth = 0;
  irqdClear(desc.irqData, IRQD.IRQ_DISABLED | IRQD.IRQ_MASKED);
  irqdSet(desc.irqData, IRQD.IRQ_STARTED);
}
