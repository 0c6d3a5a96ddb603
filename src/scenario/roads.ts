// Guided stories of the roads not taken: each plays a design the mailing-list threads argued
// about (src/engine/roads) and then, in the same machine, the design that won. Plain data like
// stories.ts, which appends them to STORIES under the group "Roads not taken"; the claims are
// checked step by step by roads.test.ts and stories.test.ts, and played in e2e/roads.spec.ts.
// Captions quote the threads briefly and attribute the words to the thread.

import type { Action, DeviceSpec, MachineSpec } from './types';
import type { StepOutcome, Story } from './stories';

/** The picker's group for these stories, and the header `npm run sim -- --list` prints above them. */
export const ROADS_GROUP = 'Roads not taken';

const IDXD = '0000:6a:01.0';
const NIC = '0000:6b:00.0';
const CXL = '0000:0c:00.0';

const idxd: DeviceSpec = { bdf: IDXD, name: 'idxd', msix: { tableSize: 9 }, ims: { storage: 'device', size: 2048 } };
const nic: DeviceSpec = { bdf: NIC, name: 'mlx5', msix: { tableSize: 16 }, ims: { storage: 'queue', size: 4096 } };
const cxlPort: DeviceSpec = { bdf: CXL, name: 'cxl_port', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.0' }, { name: 'cxl_pmu.1' }] };

const x86 = (devices: DeviceSpec[]): MachineSpec => ({ arch: 'x86', cpus: 4, remap: 'intel-ir', devices });

/** A road's story: what it is, its status and date, and the story of the design that won. */
type RoadMeta = Omit<Story, 'scenario' | 'captions' | 'outcomes' | 'group' | 'needs'> & { compareWith: string; era: string };

function road(meta: RoadMeta, machine: MachineSpec, steps: [Action, StepOutcome, string][], end?: Story['end']): Story {
  return {
    ...meta,
    group: ROADS_GROUP,
    needs: 'roads',
    scenario: { version: 1, machine, actions: steps.map((s) => s[0]) },
    outcomes: steps.map((s) => s[1]),
    captions: steps.map((s) => s[2]),
    ...(end ? { end } : {}),
  };
}

const esc = (s: string) => s.replace(/[.]/g, '\\.');

const devMsi = road(
  {
    name: 'dev-msi-2020',
    era: 'RFC 2020, not merged',
    compareWith: 'ims-device',
    title: 'DEV_MSI (RFC 2020, not merged): one dev-msi domain per IOMMU, shared by every device',
    intro:
      'The DEV_MSI series (PATCH RFC v2, 2020) gave device-specific interrupt messages one domain per interrupt-remapping unit, made by the IR driver with create_dev_msi_irq_domain() and shared by every device behind it; a mediated device’s driver pointed dev->msi_domain at it. ' +
      'One chip serves all of them and reaches each device’s message store through platform_msi_ops. Play it with two devices — an idxd whose store is in device memory and a NIC whose messages live in queue contexts in system memory — and then the design that won: a domain and a chip per device.',
  },
  x86([idxd, nic]),
  [
    [{ op: 'create_dev_msi_irq_domain' }, 1, 'The remapping driver creates INTEL-IR-DEV-MSI-4 on its IR domain (iommu->ir_dev_msi_domain, chip IR-DEV-MSI). It belongs to the IOMMU, not to a device, and lives as long as the IOMMU.'],
    [{ op: 'mdev_device_create', dev: IDXD, name: 'mdev0' }, 'ok', 'A mediated device of the idxd is created for a guest: a struct device whose parent is the PCI function.'],
    [
      { op: 'dev_set_msi_domain', dev: 'mdev0' },
      'ok',
      'The mdev driver does what the thread shows: iommu = device_to_iommu(get_parent_pci_dev(dev)); dev->msi_domain = iommu->ir_dev_msi_domain. The thread asked back: “why should a device driver touch dev->msi_domain?”',
    ],
    [
      { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 2 },
      25,
      'dev_msi_domain_alloc_irqs(dev, 2, ops): platform-MSI gives mdev0 the made-up devid 0, hwirqs devid << 11 | index, and irqs 25–26 the shared chip IR-DEV-MSI; which IMS slots they use, idxd’s driver decides on the side. The IRTEs carry no source-id check.',
    ],
    [{ op: 'request_irq', dev: 'mdev0', index: 0, name: 'mdev0-wq0' }, 'ok', 'request_irq(): the shared chip’s irq_write_msi_msg calls idxd’s platform_msi_ops.write_msg, which writes IMS slot 0 in device memory.'],
    [{ op: 'raise', dev: 'mdev0', index: 0 }, 'ok', 'The work queue signals: the message is remapped and counted for irq 25. For a device-memory store the indirection works.'],
    [{ op: 'mdev_device_create', dev: NIC, name: 'sf0' }, 'ok', 'A second device behind the same IOMMU: a NIC function whose interrupt messages live in queue contexts in system memory.'],
    [{ op: 'dev_set_msi_domain', dev: 'sf0' }, 'ok', 'Same IOMMU, same domain: INTEL-IR-DEV-MSI-4 — and so the same chip.'],
    [{ op: 'dev_msi_domain_alloc_irqs', dev: 'sf0', nvec: 1 }, 27, 'Its interrupt: devid 1, hwirq 0x800, irq 27, chip IR-DEV-MSI again.'],
    [
      { op: 'request_irq', dev: 'sf0', index: 0, name: 'sf0-q0' },
      'ok',
      'The message must reach a queue context, and the device only sees it after a queue command that sleeps. The shared chip has no irq_bus_lock/irq_bus_sync_unlock — it is one chip for every device — so the NIC’s write_msg can only record it.',
    ],
    [
      { op: 'raise', dev: 'sf0', index: 0 },
      'ok',
      'The NIC signals: its queue context holds no message and is still masked as the device sees it — nothing reaches a CPU, irq 27 stays at 0. The thread’s objection: “you clearly need per device interrupt resource management on the side and a customized irq chip. I rather see it as a plain layering violation.”',
    ],
    [{ op: 'free_irq', dev: 'sf0', index: 0 }, 'ok', 'Now the design that won, on the same NIC. First let go of the dev-msi interrupt.'],
    [{ op: 'dev_msi_domain_free_irqs', dev: 'sf0' }, 'ok', 'devid 1 goes back to the IDA; INTEL-IR-DEV-MSI-4 stays — it belongs to the IOMMU.'],
    [
      { op: 'pci_create_ims_domain', dev: NIC },
      'ok',
      'vector → IR → device, as the thread put it: pci_create_ims_domain() gives the NIC a domain of its own, IR-IMS-0000:6b:00.0-15, with a chip made for its queue memory — irq_bus_lock/irq_bus_sync_unlock included (merged in v6.2).',
    ],
    [{ op: 'msi_domain_alloc_irq_at', dev: NIC, domain: 'ims', index: 'any' }, 27, 'pci_ims_alloc_irq(): index 0 of the NIC’s own index space, managed by the MSI core rather than on the side: irq 27.'],
    [{ op: 'request_irq', virq: 27, name: 'mlx5-q0' }, 'ok', 'request_irq(): irq_bus_sync_unlock() pushes the message into the queue context with a queue command, where sleeping is allowed.'],
    [{ op: 'raise', dev: NIC, domain: 'ims', index: 0 }, 'ok', 'The NIC signals and the interrupt arrives. Open the IMS story beside this one to see the per-device domain that won.'],
  ],
  {
    proc: [
      '^\\s*25:\\s+0\\s+0\\s+1\\s+0\\s+IR-DEV-MSI\\s+0-edge\\s+mdev0-wq0$',
      `^\\s*27:.*IR-IMS-${esc(NIC)}\\s+0-edge\\s+mlx5-q0$`,
    ],
    procAbsent: ['sf0-q0'],
  },
);

const devMsiOwn = road(
  {
    name: 'dev-msi-own-domain',
    era: 'RFC 2020, not merged',
    compareWith: 'ims-device',
    title: 'DEV_MSI’s alternative (RFC 2020, not merged): platform_msi_assign_domain() makes the device its own domain',
    intro:
      'The alternative raised in the DEV_MSI thread: rather than a driver pointing dev->msi_domain at a domain the IOMMU owns, “a version of platform_msi_create_device_domain() that accepts a parent irq_domain” and creates the device’s domain if it has none — platform_msi_assign_domain(dev, device_to_iommu(p_dev)->ir_domain). ' +
      'The domain becomes the device’s and goes away with it; its chip is still the generic platform-MSI one. Then the design that won, on the same idxd.',
  },
  x86([idxd]),
  [
    [{ op: 'mdev_device_create', dev: IDXD, name: 'mdev0' }, 'ok', 'A mediated device of the idxd, with no MSI domain yet.'],
    [
      { op: 'platform_msi_assign_domain', dev: 'mdev0' },
      'ok',
      'platform_msi_assign_domain(): mdev0 has no msi_domain, so one is created for it on the IOMMU’s IR domain — IR-DEV-MSI-mdev0-4, owned by mdev0 (devres). The thread: “Might be too tricky to manage lifetime of the new irq_domain though..”',
    ],
    [{ op: 'platform_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 }, 25, 'platform_msi_domain_alloc_irqs(): irq 25 on mdev0’s own domain; mask, unmask and the message still go through idxd’s platform_msi_ops.'],
    [{ op: 'create_dev_msi_irq_domain' }, 1, 'Meanwhile the remapping driver of the RFC makes its shared INTEL-IR-DEV-MSI-4, which becomes dev_msi_default_domain.'],
    [
      { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 },
      '-ENXIO',
      'The RFC’s own API knows only dev_msi_default_domain: for mdev0 it warns “already registered to another irq domain?” and refuses with -ENXIO. The two ideas do not mix.',
    ],
    [{ op: 'request_irq', dev: 'mdev0', index: 0, name: 'mdev0-wq0' }, 'ok', 'request_irq() on mdev0’s interrupt: idxd’s write_msg fills IMS slot 0.'],
    [{ op: 'raise', dev: 'mdev0', index: 0 }, 'ok', 'The work queue signals and irq 25 is counted.'],
    [{ op: 'free_irq', dev: 'mdev0', index: 0 }, 'ok', 'The guest goes away: its handler first.'],
    [
      { op: 'mdev_device_remove', name: 'mdev0' },
      'ok',
      'mdev_device_remove(): irq 25, devid 0 and IR-DEV-MSI-mdev0-4 go with the device; INTEL-IR-DEV-MSI-4 stays, since the IOMMU owns it.',
    ],
    [{ op: 'pci_create_ims_domain', dev: IDXD }, 'ok', 'What won: the PCI driver creates the idxd’s own IMS domain, IR-IMS-0000:6a:01.0-15, with a chip written for its slots — no platform_msi_ops in between.'],
    [{ op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 'any' }, 25, 'pci_ims_alloc_irq(): IMS index 0, irq 25, its slot chosen by the MSI core.'],
    [{ op: 'request_irq', virq: 25, name: 'idxd-wq0' }, 'ok', 'request_irq(): the IMS chip writes slot 0 itself.'],
    [{ op: 'raise', dev: IDXD, domain: 'ims', index: 0 }, 'ok', 'The work queue signals through the device’s own domain.'],
  ],
  {
    proc: [`^\\s*25:.*IR-IMS-${esc(IDXD)}\\s+0-edge\\s+idxd-wq0$`],
    procAbsent: ['mdev0-wq0'],
  },
);

const imsPerIommu = road(
  {
    name: 'ims-per-iommu',
    era: 'rejected in review 2021',
    compareWith: 'ims-queue',
    title: 'IMS per IOMMU (rejected in review 2021): one IMS-IDXD domain per remapping unit',
    intro:
      'An IMS domain per interrupt-remapping unit, with one chip — IDXD’s: 16-byte slots in device memory — for every device behind it (posted as arch_create_ims_irq_domain() in an April 2020 RFC). ' +
      'The 2021 review: “Creating a IMS-IDXD irq domain per IOMMU domain would be a possible solution, but then dealing with different incarnations of table layouts will create a zoo of crap. Also it would not solve the problem of IMS storage in system memory.” ' +
      'Play it with the idxd, then with a NIC whose messages live in system memory — and the per-device domain that won.',
  },
  x86([idxd, nic]),
  [
    [{ op: 'arch_create_ims_irq_domain' }, 1, 'The remapping driver creates INTEL-IR-IMS-IDXD on its IR domain: one domain, one chip (IR-IMS-IDXD) for every device behind this IOMMU.'],
    [{ op: 'msi_domain_alloc_irqs', dev: IDXD, nvec: 2 }, 25, 'msi_domain_alloc_irqs(dev_get_ims_domain(dev), dev, 2): two IDXD slots of the idxd, irqs 25–26; a devid in the hwirq keeps the devices of the shared domain apart.'],
    [{ op: 'request_irq', virq: 25, name: 'idxd-wq0' }, 'ok', 'request_irq(): the IDXD chip writes the message into slot 0 — the layout it was written for.'],
    [{ op: 'raise', dev: IDXD, domain: 'ims', index: 0 }, 'ok', 'The work queue signals: remapped and counted.'],
    [
      { op: 'msi_domain_alloc_irqs', dev: NIC, nvec: 1 },
      '-EINVAL',
      'The NIC behind the same IOMMU keeps its messages in queue contexts in system memory: the one IDXD chip cannot write them and has no bus lock to push a queue update. Refused, nothing changed — “it would not solve the problem of IMS storage in system memory.”',
    ],
    [
      { op: 'pci_create_ims_domain', dev: NIC },
      'ok',
      'What won: “a device specific IMS irq domain with a device specific irqchip” — pci_create_ims_domain() gives the NIC IR-IMS-0000:6b:00.0-15 with a queue-memory chip.',
    ],
    [{ op: 'msi_domain_alloc_irq_at', dev: NIC, domain: 'ims', index: 'any' }, 27, 'pci_ims_alloc_irq(): index 0 of the NIC’s own index space, irq 27.'],
    [{ op: 'request_irq', virq: 27, name: 'mlx5-q0' }, 'ok', 'request_irq(): the message reaches the queue context at irq_bus_sync_unlock().'],
    [{ op: 'raise', dev: NIC, domain: 'ims', index: 0 }, 'ok', 'The NIC signals and the interrupt arrives; the idxd keeps using the shared domain next to it.'],
  ],
  {
    proc: [
      '^\\s*25:.*IR-IMS-IDXD\\s+0-edge\\s+idxd-wq0$',
      `^\\s*27:.*IR-IMS-${esc(NIC)}\\s+0-edge\\s+mlx5-q0$`,
    ],
  },
);

const LF0 = `${IDXD}/lfunc/0`;
const LF1 = `${IDXD}/lfunc/1`;

const lfunc = road(
  {
    name: 'lfunc-2021',
    era: 'proposal 2021',
    compareWith: 'ims-device',
    title: 'Logical functions (proposal 2021): bus/pci/…/lfunc/N with their own MSI descriptors',
    intro:
      'A 2021 review proposed a container for what a device hands out to VFIO or a cdev — “Such a logical function would be the entity to hand out for VFIO or cdev” — neither a queue nor a struct device, exported as bus/pci/…/lfunc/0/ with its own msi_irqs, holding its own MSI descriptors so that a driver writes request_irq(msi_get_virq(lfunc, idx), …). ' +
      'Its interrupts still come from the device’s IMS domain. Then what mainline kept: the same queues’ descriptors in the device’s own store, a second xarray since v6.2.',
  },
  x86([idxd]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: IDXD, min: 1, max: 1, flags: ['MSIX'] }, 1, 'The idxd driver enables MSI-X for its own events (irq 25).'],
    [{ op: 'pci_create_ims_domain', dev: IDXD }, 'ok', 'Its IMS domain: the interrupts of every logical function come from here — “The IMS irqdomain is _NOT_ part of the netdev or cdev or whatever.”'],
    [{ op: 'lfunc_create', dev: IDXD, owner: 'vfio' }, 0, 'Logical function 0 is handed to VFIO: /sys/bus/pci/devices/0000:6a:01.0/lfunc/0/, with a descriptor store of its own.'],
    [{ op: 'lfunc_create', dev: IDXD, owner: 'cdev' }, 1, 'Logical function 1 goes to a cdev.'],
    [{ op: 'lfunc_alloc_irq', lfunc: LF0 }, 26, 'lfunc 0, idx 0: IMS slot 0 of the device, irq 26; the descriptor sits in lfunc/0’s store and lfunc/0/msi_irqs/26 appears.'],
    [{ op: 'lfunc_alloc_irq', lfunc: LF1 }, 27, 'lfunc 1, idx 0: IMS slot 1, irq 27 — the same idx in another container.'],
    [{ op: 'request_irq', dev: LF0, index: 0, name: 'vfio-lf0-q0' }, 'ok', 'request_irq(msi_get_virq(lfunc, idx=0), …): the lfunc’s own index finds irq 26, as the thread wrote it.'],
    [{ op: 'raise', dev: LF0, index: 0 }, 'ok', 'The queue behind lfunc 0 signals through IMS slot 0: irq 26 is counted.'],
    [{ op: 'lfunc_destroy', lfunc: LF1 }, 'ok', 'The cdev closes: lfunc/1 and its msi_irqs go, IMS slot 1 and irq 27 with them; the IMS domain stays.'],
    [
      { op: 'pci_ims_alloc_irq', dev: IDXD, icookie: 1 },
      27,
      'What mainline kept: the next queue’s interrupt straight in the idxd’s own store — “Either with a dedicated xarray or by partitioning the xarray space”; since v6.2 the IMS domain has its own xarray (MSI_SECONDARY_DOMAIN). Slot 1, irq 27; which queue it serves, the driver remembers.',
    ],
    [{ op: 'request_irq', virq: 27, name: 'idxd-wq1' }, 'ok', 'request_irq() by the irq the driver kept: no lfunc/ directory, msi_irqs/27 is the PCI device’s.'],
    [{ op: 'raise', dev: IDXD, domain: 'ims', index: 1 }, 'ok', 'The queue signals through IMS slot 1.'],
  ],
  {
    proc: [
      `^\\s*26:.*IR-IMS-${esc(IDXD)}\\s+0-edge\\s+vfio-lf0-q0$`,
      `^\\s*27:.*IR-IMS-${esc(IDXD)}\\s+1-edge\\s+idxd-wq1$`,
    ],
  },
);

const cxlFirst = road(
  {
    name: 'cxl-first-attempt',
    era: 'rejected in review 2024',
    compareWith: 'cxl-subdev',
    title: 'CXL PMU interrupts, the first attempt (rejected in review 2024): a parent stacked on dev_get_msi_domain() deadlocks',
    intro:
      'The 2024 CXL thread began with a question: should the CXL MSI parent be made with irq_domain_create_hierarchy(dev_get_msi_domain(&pdev->dev), IRQ_DOMAIN_FLAG_MSI_PARENT, …), “which seems to cause a problem with deadlocks in __irq_domain_alloc_irqs()”? ' +
      'It does: its allocation takes an MSI-X entry with pci_msix_alloc_irq_at() inside an allocation of the same hierarchy, and the hierarchy’s lock is taken twice. The kernel would hang; the model stops there. Then the design the thread settled on, on a second PMU.',
  },
  x86([cxlPort]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: CXL, min: 1, max: 1, flags: ['MSIX'] }, 1, 'The CXL port driver enables MSI-X with its management interrupt, entry 0.'],
    [
      { op: 'irq_domain_create_hierarchy', dev: CXL, subdev: 'cxl_pmu.0', parent: 'dev_get_msi_domain' },
      'ok',
      'The first attempt: CXL-MSI-0000:0c:00.0 is created on dev_get_msi_domain() — INTEL-IR-0-13 — so it joins the PCI device’s hierarchy under VECTOR, and cxl_pmu.0’s msi domain points to it.',
    ],
    [{ op: 'cxl_aux_bus_create_irqdomain', subdev: 'cxl_pmu.0' }, 'ok', 'The PMU driver creates its per-device domain on it, CXL-CPMU-cxl_pmu.0-12: creating domains takes no allocation lock, so this works.'],
    [
      { op: 'msi_domain_alloc_irqs_range', dev: 'cxl_pmu.0', first: 1, last: 1 },
      '-EDEADLK',
      'The PMU allocates its interrupt: __irq_domain_alloc_irqs() locks VECTOR’s root mutex, the CXL parent’s alloc calls pci_msix_alloc_irq_at(), whose __irq_domain_alloc_irqs() on the PCI/MSI-X domain locks the same mutex again. The kernel would hang here; the model refuses with -EDEADLK and changes nothing.',
    ],
    [
      { op: 'pci_enable_msi_parent_domain', dev: CXL },
      'ok',
      'What the thread settled on: “Teach the V2 per device MSI-X domain to be a parent domain” — checks A–C pass and IR-PCI-MSIX-0000:0c:00.0-12 becomes an MSI parent.',
    ],
    [{ op: 'pci_msi_init_subdevice', subdev: 'cxl_pmu.1' }, 'ok', 'pci_msi_init_subdevice(): the second PMU’s MSI parent is the PCI/MSI-X domain itself.'],
    [{ op: 'pci_msi_create_subdevice_irq_domain', subdev: 'cxl_pmu.1' }, 'ok', 'Its domain PCI-MSIX-PROXY-SUBDEV-cxl_pmu.1 is stacked on it: one hierarchy, and one allocation walks all its levels.'],
    [{ op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.1', index: 1 }, 26, 'Entry 1 allocates in one pass under one lock: irq 26, no nested allocation.'],
    [{ op: 'request_irq', virq: 26, name: 'cxl_pmu' }, 'ok', 'The PMU requests it like any interrupt.'],
    [{ op: 'raise', dev: CXL, index: 1 }, 'ok', 'A counter overflow on entry 1 reaches the PMU’s handler.'],
  ],
  {
    proc: ['^\\s*26:.*PCI-MSIX-PROXY-SUBDEV-cxl_pmu\\.1\\s+1-edge\\s+cxl_pmu$'],
    procAbsent: ['CXL-CPMU'],
  },
);

const cxlDisjunct = road(
  {
    name: 'cxl-disjunct',
    era: 'rejected in review 2024',
    compareWith: 'cxl-subdev',
    title: 'CXL PMU interrupts, option 1 (rejected in review 2024): a disjunct MSI parent and its indirections',
    intro:
      'Option 1 of the 2024 CXL thread: “Implement the CXL MSI parent domain as disjunct domain” — a root domain of its own that reaches into the PCI device for each interrupt. The thread: it “Looks pretty straight forward, but does not seemlessly fit the hierarchical domain model and creates horrible indirections.” ' +
      'Play it on one PMU — every interrupt becomes two Linux interrupts, the subdevice’s forwarding to the PCI/MSI-X one — then option 2, the one the thread took, on the other.',
  },
  x86([cxlPort]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: CXL, min: 1, max: 1, flags: ['MSIX'] }, 1, 'The CXL port driver enables MSI-X with its management interrupt, entry 0.'],
    [
      { op: 'irq_domain_create_hierarchy', dev: CXL, subdev: 'cxl_pmu.0', parent: null },
      'ok',
      'Option 1: CXL-MSI-0000:0c:00.0 is made with no parent — a root of its own, outside the PCI device’s hierarchy — and becomes cxl_pmu.0’s MSI parent.',
    ],
    [{ op: 'cxl_aux_bus_create_irqdomain', subdev: 'cxl_pmu.0' }, 'ok', 'The PMU creates CXL-CPMU-cxl_pmu.0-12 on it.'],
    [
      { op: 'msi_domain_alloc_irqs_range', dev: 'cxl_pmu.0', first: 1, last: 1 },
      26,
      'The PMU’s interrupt, irq 26: the disjunct parent holds its own lock, so its alloc may call pci_msix_alloc_irq_at() — which makes irq 27 for MSI-X entry 1 and hangs a demultiplexing handler on it. One interrupt, two Linux irqs.',
    ],
    [{ op: 'request_irq', virq: 26, name: 'cxl_pmu' }, 'ok', 'request_irq(26): starting it unmasks irq 27 through the CXL-MSI chip — the first indirection.'],
    [{ op: 'raise', dev: CXL, index: 1 }, 'ok', 'The device signals entry 1: irq 27 runs the demultiplexer, which calls generic_handle_irq(26). Both rows of /proc/interrupts count it.'],
    [{ op: 'write_irq_affinity', virq: 26, cpus: [3] }, 'ok', 'Moving irq 26 to CPU3 really moves irq 27: the CXL-MSI chip forwards irq_set_affinity().'],
    [{ op: 'raise', dev: CXL, index: 1 }, 'ok', 'The next overflow is counted on CPU3, twice again.'],
    [{ op: 'pci_enable_msi_parent_domain', dev: CXL }, 'ok', 'Option 2, the one the thread took: the PCI/MSI-X domain itself becomes an MSI parent (checks A–C).'],
    [{ op: 'pci_msi_init_subdevice', subdev: 'cxl_pmu.1' }, 'ok', 'The second PMU’s MSI parent is the PCI/MSI-X domain.'],
    [{ op: 'pci_msi_create_subdevice_irq_domain', subdev: 'cxl_pmu.1' }, 'ok', 'PCI-MSIX-PROXY-SUBDEV-cxl_pmu.1 stacks on it: no second hierarchy.'],
    [{ op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.1', index: 2 }, 28, 'Entry 2 is one Linux interrupt, irq 28, whose levels are the hierarchy’s own.'],
    [{ op: 'request_irq', virq: 28, name: 'cxl_pmu.1' }, 'ok', 'Requested directly: no demultiplexer.'],
    [{ op: 'raise', dev: CXL, index: 2 }, 'ok', 'Entry 2 signals and one row counts it.'],
  ],
  {
    proc: [
      '^\\s*26:\\s+0\\s+0\\s+1\\s+1\\s+CXL-CPMU-cxl_pmu\\.0\\s+1-edge\\s+cxl_pmu$',
      `^\\s*27:\\s+0\\s+0\\s+1\\s+1\\s+IR-PCI-MSIX-${esc(CXL)}\\s+1-edge\\s+cxl_pci-cxl_pmu\\.0$`,
      '^\\s*28:.*PCI-MSIX-PROXY-SUBDEV-cxl_pmu\\.1\\s+2-edge\\s+cxl_pmu\\.1$',
    ],
  },
);

/** The roads not taken, in picker order: each with the name of the winning design's story (compareWith). */
export const ROAD_STORIES: readonly Story[] = [devMsi, devMsiOwn, imsPerIommu, lfunc, cxlFirst, cxlDisjunct];
