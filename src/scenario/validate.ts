// Validation of untrusted scenario text (a URL, an imported file, a pasted dump): a size limit
// before parsing, then a zod schema of exactly the Scenario type of types.ts, with errors that
// name the field ("actions[3].min: expected a number, got the string "1"").

import * as z from 'zod/mini';
import { DRIVER_ALIASES, IRQF_NAMES, type Action, type DriverName, type Scenario } from './types';

/** Scenario text larger than this is refused before it is parsed (1 MiB, in UTF-8 bytes). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * A scenario file (import, `npm run sim`) may be larger than a link: what the app exports it
 * must import, and a long session exports more than a link carries (8 MiB, in UTF-8 bytes).
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Characters no name may hold: C0 and C1 controls (a CR or an escape sequence would paint a fake
 * line in a terminal or a mail), DEL, the line and paragraph separators, and the bidirectional
 * overrides and isolates (U+202E turns text around). The kernel's own names never hold them.
 */
export const UNSAFE_TEXT_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_HINT = 'must not contain control characters, line breaks or bidirectional overrides';

/** The scenario format version this irqscope writes and reads. */
export const SCENARIO_VERSION = 1;

const BDF_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const BDF_HINT = 'expected a PCI address like "0000:01:00.0" (domain:bus:device.function, lowercase hex)';

// zod/mini, the functional API: a schema's checks run in the order given. It sets no locale, so
// zod's own issue messages read "Invalid input": the error text below is made from an issue's
// fields, and every check whose message is shown (refine, regex, superRefine) brings its own.
const opt = z.optional;
/** A whole number, at least `min`, at most `max` when given. */
const int = (min: number, max?: number) => z.number().check(z.int(), z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));
const uint = (max?: number) => int(0, max);
const safeText = (min: number, max: number) =>
  z.string().check(
    z.minLength(min),
    z.maxLength(max),
    z.refine((v: string) => !UNSAFE_TEXT_RE.test(v), { error: UNSAFE_HINT }),
  );
const name = () => safeText(1, 256);
const list = <T extends z.core.SomeType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

const DRIVER_NAMES = ['pcieport', 'cxl_pci', 'cxl_pmu', 'nvme', 'idxd', 'virtio_net'] as const satisfies readonly DriverName[];
/** A driver by its kernel name, or by a name older files used (normalised). */
const driverName = () =>
  z.pipe(
    z.enum([...DRIVER_NAMES, ...(Object.keys(DRIVER_ALIASES) as ['portdrv', 'cpmu'])]),
    z.transform((n: DriverName | 'portdrv' | 'cpmu'): DriverName => DRIVER_ALIASES[n] ?? (n as DriverName)),
  );

const Device = z.strictObject({
  bdf: z.string().check(z.maxLength(12), z.regex(BDF_RE, { error: BDF_HINT })),
  name: name(),
  driver: opt(driverName()),
  queues: opt(int(1, 1024)),
  msi: opt(
    z.strictObject({
      vectors: int(1, 32).check(z.refine((n: number) => (n & (n - 1)) === 0, { error: 'must be a power of two: 1, 2, 4, 8, 16 or 32' })),
      maskable: z.boolean(),
      addr64: z.boolean(),
    }),
  ),
  msix: opt(z.strictObject({ tableSize: int(1, 2048) })),
  ims: opt(z.strictObject({ storage: z.enum(['device', 'queue']), size: int(1, 65536) })),
  subdevices: opt(list(z.strictObject({ name: name() }), 64)),
});

const Machine = z.strictObject({
  arch: z.enum(['x86', 'arm64']),
  kernel: opt(z.enum(['6.1', '6.12', '7.2'])),
  platform: opt(z.enum(['generic', 'qemu-q35', 'qemu-virt'])),
  // NR_CPUS of the distributions' x86 and arm64 kernels (the engine's MAX_CPUS).
  cpus: int(1, 8192),
  remap: opt(z.enum(['intel-ir', 'amd-ir', 'none'])),
  msiModel: opt(z.enum(['v2', 'v1', 'nonhier', 'legacy'])),
  // x86: the IO-APIC's pins; at least the 16 ISA irqs and 8 PCI links, at most 256 (reg_01.entries is 8 bits).
  ioapicPins: opt(int(24, 256)),
  devices: list(Device, 256),
});

/** How an action names one interrupt: by virq, or by device + MSI index. */
const dev = () => safeText(1, 256);
const irqRef = { virq: opt(uint()), dev: opt(dev()), index: opt(uint()) };
const uintOrAny = () => z.union([uint(), z.literal('any')]);
const icookie = () => opt(uint(0xfffff));

const ACTIONS = [
  z.strictObject({
    op: z.literal('pci_alloc_irq_vectors'),
    dev: dev(),
    min: uint(),
    max: uint(),
    flags: list(z.enum(['MSIX', 'MSI', 'INTX', 'AFFINITY']), 4),
    pre_vectors: opt(uint()),
    post_vectors: opt(uint()),
    // struct irq_affinity nr_sets / set_size[] (IRQ_AFFINITY_MAX_SETS = 4): the split calc_sets() makes.
    sets: opt(z.array(int(1, 2048)).check(z.minLength(1), z.maxLength(4))),
  }),
  z.strictObject({ op: z.literal('pci_free_irq_vectors'), dev: dev() }),
  z.strictObject({ op: z.literal('pci_irq_vector'), dev: dev(), nr: uint() }),
  z.strictObject({ op: z.literal('pci_msix_alloc_irq_at'), dev: dev(), index: uintOrAny() }),
  z.strictObject({ op: z.literal('pci_msix_free_irq'), dev: dev(), index: uint() }),
  z.strictObject({ op: z.literal('request_irq'), ...irqRef, name: name(), flags: opt(list(z.enum(IRQF_NAMES), IRQF_NAMES.length)) }),
  z.strictObject({ op: z.literal('free_irq'), ...irqRef }),
  z.strictObject({ op: z.literal('disable_irq'), ...irqRef }),
  z.strictObject({ op: z.literal('enable_irq'), ...irqRef }),
  z.strictObject({ op: z.literal('mask'), ...irqRef }),
  z.strictObject({ op: z.literal('unmask'), ...irqRef }),
  z.strictObject({ op: z.literal('irq_set_affinity'), ...irqRef, cpus: list(uint(), 8192) }),
  z.strictObject({ op: z.literal('write_irq_affinity'), ...irqRef, cpus: list(uint(), 8192) }),
  z.strictObject({ op: z.literal('blk_read'), dev: dev(), cpu: uint(), count: int(1, 100_000) }),
  z.strictObject({ op: z.literal('cpu_down'), cpu: uint() }),
  z.strictObject({ op: z.literal('cpu_up'), cpu: uint() }),
  z.strictObject({ op: z.literal('raise'), dev: dev(), index: opt(uint()), domain: opt(dev()), count: opt(int(1, 10_000_000)) }),
  z.strictObject({ op: z.literal('msleep'), ms: z.number().check(z.minimum(0), z.maximum(3_600_000)) }),
  // Drivers
  z.strictObject({ op: z.literal('driver_bind'), dev: dev(), driver: driverName() }),
  z.strictObject({ op: z.literal('driver_unbind'), dev: dev() }),
  z.strictObject({ op: z.literal('pci_stop_and_remove_bus_device'), dev: dev() }),
  z.strictObject({ op: z.literal('pci_rescan_bus') }),
  z.strictObject({ op: z.literal('delete_module'), name: driverName() }),
  z.strictObject({ op: z.literal('init_module'), name: driverName() }),
  // PCI/IMS (v6.2–v6.9, removed in 2024)
  z.strictObject({
    op: z.literal('pci_create_ims_domain'),
    dev: dev(),
    template: opt(
      z.strictObject({
        name: opt(safeText(1, 40)),
        busToken: opt(z.enum(['DOMAIN_BUS_PCI_DEVICE_IMS', 'DOMAIN_BUS_PCI_DEVICE_MSIX', 'DOMAIN_BUS_PCI_DEVICE_MSI', 'DOMAIN_BUS_DEVICE_MSI'])),
        flags: opt(
          list(
            z.enum(['MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS', 'MSI_FLAG_FREE_MSI_DESCS', 'MSI_FLAG_USE_DEF_DOM_OPS', 'MSI_FLAG_USE_DEF_CHIP_OPS', 'MSI_FLAG_ACTIVATE_EARLY', 'MSI_FLAG_DEV_SYSFS']),
            6,
          ),
        ),
        omit: opt(list(z.enum(['irq_mask', 'irq_unmask', 'irq_write_msi_msg', 'irq_bus_lock', 'irq_bus_sync_unlock']), 5)),
        setAffinity: opt(z.boolean()),
      }),
    ),
  }),
  z.strictObject({ op: z.literal('msi_domain_alloc_irq_at'), dev: dev(), domain: z.literal('ims'), index: uintOrAny(), icookie: icookie() }),
  z.strictObject({ op: z.literal('pci_ims_alloc_irq'), dev: dev(), icookie: icookie() }),
  z.strictObject({ op: z.literal('pci_ims_free_irq'), dev: dev(), index: uint() }),
  // MSI parent domains for PCI subdevices (proposal, 2024)
  z.strictObject({ op: z.literal('pci_enable_msi_parent_domain'), dev: dev() }),
  z.strictObject({ op: z.literal('pci_msi_init_subdevice'), subdev: dev() }),
  z.strictObject({ op: z.literal('pci_msi_create_subdevice_irq_domain'), subdev: dev(), hwsize: opt(int(1, 2048)) }),
  z.strictObject({ op: z.literal('pci_subdev_msix_alloc_at'), subdev: dev(), index: uintOrAny() }),
  z.strictObject({ op: z.literal('pci_subdev_msix_free'), subdev: dev(), index: uint() }),
  // Roads not taken (src/engine/roads)
  z.strictObject({ op: z.literal('create_dev_msi_irq_domain') }),
  z.strictObject({ op: z.literal('mdev_device_create'), dev: dev(), name: name() }),
  z.strictObject({ op: z.literal('mdev_device_remove'), name: name() }),
  z.strictObject({ op: z.literal('dev_set_msi_domain'), dev: dev() }),
  z.strictObject({ op: z.literal('dev_msi_domain_alloc_irqs'), dev: dev(), nvec: int(1, 2048) }),
  z.strictObject({ op: z.literal('dev_msi_domain_free_irqs'), dev: dev() }),
  z.strictObject({ op: z.literal('platform_msi_assign_domain'), dev: dev() }),
  z.strictObject({ op: z.literal('platform_msi_domain_alloc_irqs'), dev: dev(), nvec: int(1, 2048) }),
  z.strictObject({ op: z.literal('platform_msi_domain_free_irqs'), dev: dev() }),
  z.strictObject({ op: z.literal('arch_create_ims_irq_domain') }),
  z.strictObject({ op: z.literal('msi_domain_alloc_irqs'), dev: dev(), nvec: int(1, 65536) }),
  z.strictObject({ op: z.literal('msi_domain_free_irqs'), dev: dev() }),
  z.strictObject({ op: z.literal('lfunc_create'), dev: dev(), owner: z.enum(['vfio', 'cdev']) }),
  z.strictObject({ op: z.literal('lfunc_alloc_irq'), lfunc: dev(), icookie: icookie() }),
  z.strictObject({ op: z.literal('lfunc_destroy'), lfunc: dev() }),
  z.strictObject({ op: z.literal('irq_domain_create_hierarchy'), dev: dev(), subdev: dev(), parent: z.union([z.literal('dev_get_msi_domain'), z.null()]) }),
  z.strictObject({ op: z.literal('cxl_aux_bus_create_irqdomain'), subdev: dev() }),
  z.strictObject({ op: z.literal('msi_domain_alloc_irqs_range'), dev: dev(), first: uint(0xffff), last: uint(0xffff) }),
] as const;

/** One action: a discriminated union on `op`, one member per kernel function. */
export const ActionSchema = z.discriminatedUnion('op', ACTIONS);

/** The arguments each op takes, for error messages. */
const OP_KEYS: Record<string, string[]> = Object.fromEntries(
  ACTIONS.map((s) => [s.shape.op._zod.def.values[0] as string, Object.keys(s.shape).filter((k) => k !== 'op')]),
);
const OPS = Object.keys(OP_KEYS);

/** Ops that name one interrupt by virq or dev + index. */
const IRQ_REF_OPS = new Set(['request_irq', 'free_irq', 'disable_irq', 'enable_irq', 'mask', 'unmask', 'irq_set_affinity', 'write_irq_affinity']);

export const ScenarioSchema = z
  .strictObject({
    version: z.literal(SCENARIO_VERSION),
    machine: Machine,
    actions: z.array(ActionSchema),
    step: opt(uint()),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (s.machine.ioapicPins !== undefined && s.machine.arch !== 'x86') {
        ctx.addIssue({ code: 'custom', path: ['machine', 'ioapicPins'], message: 'ioapicPins: only an x86 machine has an IO-APIC' });
      }
      const seen = new Map<string, number>();
      s.machine.devices.forEach((d, i) => {
        const first = seen.get(d.bdf);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['machine', 'devices', i, 'bdf'], message: `duplicate device ${d.bdf} (also machine.devices[${first}])` });
        } else seen.set(d.bdf, i);
      });
      const subs = new Map<string, string>();
      s.machine.devices.forEach((d, i) => {
        d.subdevices?.forEach((sd, j) => {
          const path = ['machine', 'devices', i, 'subdevices', j, 'name'];
          const other = subs.get(sd.name) ?? (seen.has(sd.name) ? `the PCI device ${sd.name}` : undefined);
          if (other) ctx.addIssue({ code: 'custom', path, message: `duplicate device name ${sd.name} (also ${other})` });
          else subs.set(sd.name, `machine.devices[${i}].subdevices[${j}]`);
        });
      });
      s.actions.forEach((a, i) => irqRefIssue(a, ['actions', i], ctx));
    }),
  );

/** How an interrupt-naming action must name it: virq, or dev (+ index), not both. */
function irqRefIssue(a: { op: string }, path: (string | number)[], ctx: { addIssue(i: { code: 'custom'; path: (string | number)[]; message: string }): void }): void {
  if (!IRQ_REF_OPS.has(a.op)) return;
  const r = a as { virq?: number; dev?: string; index?: number };
  if (r.virq === undefined && r.dev === undefined) {
    ctx.addIssue({ code: 'custom', path, message: `${a.op} needs the interrupt: "virq", or "dev" (and "index")` });
  } else if (r.virq !== undefined && r.dev !== undefined) {
    ctx.addIssue({ code: 'custom', path, message: `${a.op} takes "virq" or "dev" + "index", not both` });
  } else if (r.index !== undefined && r.dev === undefined) {
    ctx.addIssue({ code: 'custom', path: [...path, 'index'], message: '"index" needs "dev"' });
  }
}

/** One action on its own (a dialog's, a test hook's, the worker's door): the rules a scenario's actions follow. */
const OneActionSchema = ActionSchema.check(z.superRefine((a, ctx) => irqRefIssue(a, [], ctx)));

export type ActionCheck = { ok: true; action: Action } | { ok: false; error: string };

/** Validate one action as a scenario would. Never throws; the error names the field. */
export function validateAction(data: unknown): ActionCheck {
  const r = OneActionSchema.safeParse(data);
  if (r.success) return { ok: true, action: r.data as Action };
  const lines = r.error.issues.slice(0, MAX_LISTED).map((i) => formatIssue(i, data).replace(/^scenario/, 'action'));
  return { ok: false, error: lines.join('\n') };
}

// The schema must describe exactly the Scenario type: both directions must be assignable.
type Parsed = z.infer<typeof ScenarioSchema>;
const _toType = (p: Parsed): Scenario => p;
const _fromType = (s: Scenario): Parsed => s;
const _actionToType = (a: z.infer<typeof ActionSchema>): Action => a;
const _actionFromType = (a: Action): z.infer<typeof ActionSchema> => a;
void _toType;
void _fromType;
void _actionToType;
void _actionFromType;

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

/** At most this many problems are listed in one error. */
const MAX_LISTED = 5;

function utf8Length(text: string, max: number): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: only count when it could matter.
  if (text.length * 3 <= max) return text.length;
  if (text.length > max) return new TextEncoder().encode(text).length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xdc00 && c < 0xe000) ? 2 : 3;
  }
  return n;
}

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}

/** Where a JSON.parse error points, as "line L, column C", when the message says. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return ` (line ${line}, column ${col})`;
}

/**
 * Parse and validate scenario text. Never throws; the error says which field is wrong. A file
 * passes `{ maxBytes: MAX_FILE_BYTES }` (what the app exports, it imports).
 */
export function parseScenario(text: string, opts: { maxBytes?: number } = {}): ParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'scenario: expected text' };
  const max = opts.maxBytes ?? MAX_SCENARIO_BYTES;
  const bytes = utf8Length(text, max);
  if (bytes > max) {
    return { ok: false, error: `scenario too large: ${bytes} bytes, the limit is ${max} (${mib(max)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `not valid JSON${jsonErrorWhere(text, msg)}: ${msg}` };
  }
  return validateScenario(data);
}

/** Validate an already-parsed value (e.g. decoded from a URL) against the scenario schema. */
export function validateScenario(data: unknown): ParseResult {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const v = (data as { version?: unknown }).version;
    if (typeof v === 'number' && v > SCENARIO_VERSION) {
      return {
        ok: false,
        error: `version: this scenario was made by a newer irqscope (format version ${v}); this one reads version ${SCENARIO_VERSION}`,
      };
    }
  }
  const r = ScenarioSchema.safeParse(data);
  if (r.success) return { ok: true, scenario: readLegacyAffinityWrites(r.data as Scenario) };
  const lines = [...new Set(onePerBound(r.error.issues).slice(0, MAX_LISTED).map((i) => formatIssue(i, data)))];
  const more = r.error.issues.length - MAX_LISTED;
  if (more > 0) lines.push(`… and ${more} more problem${more > 1 ? 's' : ''}`);
  return { ok: false, error: lines.join('\n') };
}

/**
 * Files from before kernel profiles used irq_set_affinity for the user's /proc write: without a
 * `kernel` field, read them so (write_irq_affinity), and they behave as they always did.
 */
function readLegacyAffinityWrites(s: Scenario): Scenario {
  if (s.machine.kernel !== undefined || !s.actions.some((a) => a.op === 'irq_set_affinity')) return s;
  return { ...s, actions: s.actions.map((a) => (a.op === 'irq_set_affinity' ? { ...a, op: 'write_irq_affinity' } : a)) };
}

// ---- error text ------------------------------------------------------------------------

/**
 * zod reports a huge number twice at one path (over the safe-integer bound and over the
 * field's own): keep the field's, the tighter one, so the message does not contradict itself.
 */
function onePerBound(issues: readonly Issue[]): Issue[] {
  const tight = new Map<string, number>();
  issues.forEach((i, n) => {
    if (i.code !== 'too_big') return;
    const key = formatPath(i.path);
    const prev = tight.get(key);
    const max = Number((i as { maximum: number | bigint }).maximum);
    if (prev === undefined || max < Number((issues[prev] as { maximum: number | bigint }).maximum)) tight.set(key, n);
  });
  return issues.filter((i, n) => i.code !== 'too_big' || tight.get(formatPath(i.path)) === n);
}

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `actions[3].min` for ['actions', 3, 'min']. */
export function formatPath(path: Path): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s || 'scenario';
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
    return `the string ${JSON.stringify(s)}`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}` : `the fraction ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return 'a list';
  return 'an object';
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  literal: 'a fixed value',
};

function expectedText(i: Issue): string {
  switch (i.code) {
    case 'invalid_type':
      return EXPECTED[i.expected] ?? i.expected;
    case 'invalid_value':
      return i.values.length === 1 ? JSON.stringify(i.values[0]) : `one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return i.message;
  }
}

function formatIssue(i: Issue, root: unknown): string {
  const path = formatPath(i.path);
  const value = valueAt(root, i.path);
  switch (i.code) {
    case 'invalid_type': {
      if (value === undefined) return `${path}: missing (expected ${expectedText(i)})`;
      // .int() reports a fraction as invalid_type "int".
      return `${path}: expected ${expectedText(i)}, got ${describeValue(value)}`;
    }
    case 'invalid_value': {
      if (i.path.length === 1 && i.path[0] === 'version') {
        return `version: expected ${SCENARIO_VERSION}, got ${describeValue(value)} (not an irqscope scenario, or a damaged one)`;
      }
      return value === undefined
        ? `${path}: missing (expected ${expectedText(i)})`
        : `${path}: expected ${expectedText(i)}, got ${describeValue(value)}`;
    }
    case 'too_small':
    case 'too_big': {
      const small = i.code === 'too_small';
      const bound = Number(small ? (i as { minimum: number | bigint }).minimum : (i as { maximum: number | bigint }).maximum);
      const incl = i.inclusive !== false;
      if (i.origin === 'array') return `${path}: needs ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
      if (i.origin === 'string') {
        return small && bound === 1 ? `${path}: must not be empty` : `${path}: must be ${small ? 'at least' : 'at most'} ${bound} characters`;
      }
      const op = small ? (incl ? '≥' : '>') : incl ? '≤' : '<';
      return `${path}: must be ${op} ${bound}, got ${describeValue(value)}`;
    }
    case 'unrecognized_keys': {
      const keys = i.keys.map((k) => JSON.stringify(k)).join(', ');
      const op = (value as { op?: unknown } | undefined)?.op;
      const takes = typeof op === 'string' && OP_KEYS[op] ? ` (${op} takes ${OP_KEYS[op].join(', ') || 'no arguments'})` : '';
      return `${path}: unknown field${i.keys.length > 1 ? 's' : ''} ${keys}${takes}`;
    }
    case 'invalid_union': {
      if ('discriminator' in i && i.discriminator === 'op') {
        if (value === undefined) return `${path}: missing (expected the kernel function name, one of ${OPS.join(', ')})`;
        return `${path}: unknown operation ${describeValue(value).replace(/^the string /, '')} (expected one of ${OPS.join(', ')})`;
      }
      const alts = i.errors.map((branch) => (branch[0] ? expectedText(branch[0]) : '?'));
      return `${path}: expected ${alts.join(' or ')}, got ${describeValue(value)}`;
    }
    case 'invalid_format':
    case 'custom':
      return `${path}: ${i.message}`;
    default:
      return `${path}: ${i.message}`;
  }
}
