// conformance/run.ts: boot a real Debian kernel in QEMU (TCG) with the scenario's machine, run its
// actions as steps in the guest and write what the kernel printed (conformance/CONTEXT.md).
//
//   npm run conformance -- <scenario.json> --kernel 6.1|6.12|7.2 [--out <capture.txt>] [--timeout S]
//
// Node built-ins only. Needs `npm run conformance:setup` first (kernels and busybox in conformance/.cache).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DeviceSpec, KernelVersion, Scenario } from '../src/engine/types';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = path.join(HERE, '.cache');
const KERNELS: readonly KernelVersion[] = ['6.1', '6.12', '7.2'];

class UsageError extends Error {}
/** A scenario the harness cannot boot or run (exit 2, without the usage text). */
class ScenarioError extends UsageError {}
class HarnessError extends Error {}

// ------------------------------------------------------------------------------------------ arguments
interface Options { scenario: string; kernel?: KernelVersion; out?: string; timeout?: number; keep: boolean; verbose: boolean }

function parseArgs(argv: string[]): Options {
  const o: Partial<Options> = { keep: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new UsageError(`${a} needs a value`); return v; };
    if (a === '--kernel') {
      const k = val();
      if (!(KERNELS as readonly string[]).includes(k)) throw new UsageError(`--kernel must be one of ${KERNELS.join(', ')}, not ${k}`);
      o.kernel = k as KernelVersion;
    } else if (a === '--out') o.out = val();
    else if (a === '--timeout') {
      const t = Number(val());
      if (!(t > 0)) throw new UsageError('--timeout takes a number of seconds');
      o.timeout = t;
    } else if (a === '--keep') o.keep = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (o.scenario) throw new UsageError(`one scenario at a time (got ${o.scenario} and ${a})`);
    else o.scenario = a;
  }
  if (!o.scenario) throw new UsageError('no scenario given');
  return o as Options;
}

const USAGE = `usage: npm run conformance -- <scenario.json> --kernel 6.1|6.12|7.2 [--out <capture.txt>] [--timeout S] [--keep] [--verbose]
  Boots the scenario's machine (machine.platform qemu-q35 or qemu-virt) under the kernel, runs its actions
  in the guest and writes the capture next to the scenario (capture.txt) or to --out.
  --keep     keep the run folder (conformance/.cache/runs/...) with the console log and initramfs
  --verbose  echo the guest console`;

// ------------------------------------------------------------------------------------------ scenario
type HarnessAction = Record<string, unknown> & { op: string };

const BDF_RE = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/;

function loadScenario(file: string): Scenario {
  let raw: string;
  try { raw = fs.readFileSync(file, 'utf8'); } catch (e) { throw new ScenarioError(`cannot read ${file}: ${(e as Error).message}`); }
  let s: Scenario;
  try { s = JSON.parse(raw) as Scenario; } catch (e) { throw new ScenarioError(`${file} is not JSON: ${(e as Error).message}`); }
  if (s.version !== 1) throw new ScenarioError(`${file}: version must be 1`);
  const m = s.machine;
  if (!m || typeof m !== 'object') throw new ScenarioError(`${file}: no machine`);
  if (m.arch !== 'x86' && m.arch !== 'arm64') throw new ScenarioError(`${file}: machine.arch must be x86 or arm64`);
  const want = m.arch === 'x86' ? 'qemu-q35' : 'qemu-virt';
  if (m.platform !== want) throw new ScenarioError(`${file}: machine.platform must be "${want}" for ${m.arch} (got ${JSON.stringify(m.platform)})`);
  if (!Number.isInteger(m.cpus) || m.cpus < 1 || m.cpus > 64) throw new ScenarioError(`${file}: machine.cpus must be 1..64`);
  if (m.arch === 'x86' && m.remap !== undefined && m.remap !== 'intel-ir' && m.remap !== 'none')
    throw new ScenarioError(`${file}: machine.remap ${m.remap} cannot be booted (QEMU q35 here: "intel-ir" or "none")`);
  if (m.arch === 'arm64' && m.remap !== undefined && m.remap !== 'none') throw new ScenarioError(`${file}: arm64 has no remap`);
  if (!Array.isArray(m.devices)) throw new ScenarioError(`${file}: machine.devices must be a list`);
  const seen = new Set<string>();
  for (const d of m.devices) {
    if (typeof d.bdf !== 'string' || !BDF_RE.test(d.bdf)) throw new ScenarioError(`${file}: device bdf ${JSON.stringify(d.bdf)} is not dddd:bb:ss.f (lower case)`);
    const [, dom, bus, , fn] = BDF_RE.exec(d.bdf)!;
    if (dom !== '0000' || bus !== '00' || fn !== '0') throw new ScenarioError(`${file}: ${d.bdf}: only functions 0000:00:ss.0 on the root bus can be placed`);
    if (seen.has(d.bdf)) throw new ScenarioError(`${file}: two devices at ${d.bdf}`);
    seen.add(d.bdf);
    if (devKind(d) === undefined) throw new ScenarioError(`${file}: device ${d.bdf} (${d.name}): the harness boots nvme and virtio_net devices only`);
    if (d.ims || d.subdevices || d.msi) throw new ScenarioError(`${file}: device ${d.bdf}: msi, ims and subdevices cannot be booted in QEMU`);
  }
  if (!Array.isArray(s.actions)) throw new ScenarioError(`${file}: actions must be a list`);
  return s;
}

/** Which QEMU device a scenario device is: by its driver, else by its name. */
function devKind(d: DeviceSpec): 'nvme' | 'virtio_net' | undefined {
  const k = d.driver ?? d.name;
  if (k === 'nvme') return 'nvme';
  if (k === 'virtio_net' || k === 'virtio-net') return 'virtio_net';
  return undefined;
}

// ------------------------------------------------------------------------------------------ kernels
interface KernelEnv { kver: KernelVersion; arch: 'amd64' | 'arm64'; version: string; vmlinuz: string; modroot: string; dir: string }

function loadKernel(kver: KernelVersion, arch: 'amd64' | 'arm64'): KernelEnv {
  const dir = path.join(CACHE, 'kernels', `${kver}-${arch}`);
  const envFile = path.join(dir, 'kernel.env');
  if (!fs.existsSync(envFile)) throw new HarnessError(`kernel ${kver} for ${arch} is not set up (${envFile} missing): run npm run conformance:setup`);
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  const k: KernelEnv = { kver, arch, version: env.VERSION, vmlinuz: path.resolve(dir, env.VMLINUZ), modroot: path.resolve(dir, env.MODROOT), dir };
  if (!k.version || !fs.existsSync(k.vmlinuz)) throw new HarnessError(`kernel ${kver}-${arch}: ${envFile} names no usable vmlinuz; re-run npm run conformance:setup`);
  return k;
}

/** The modules that must be loaded, in order, for a driver (modprobe --show-depends on the unpacked tree). */
function driverModules(k: KernelEnv, kind: 'nvme' | 'virtio_net'): { name: string; file: string }[] {
  const names = kind === 'nvme' ? ['nvme'] : ['virtio_pci', 'virtio_net'];
  const r = spawnSync('modprobe', ['-d', k.modroot, '-S', k.version, '-a', '--show-depends', ...names], { encoding: 'utf8' });
  if (r.error) throw new HarnessError(`modprobe: ${r.error.message} (install kmod)`);
  for (const w of r.stderr.split('\n').filter(Boolean)) {
    // 7.2's modules package has no modules.builtin: virtio_pci, built in there, reads as "not found"
    if (/Module virtio_pci not found/.test(w)) continue;
    throw new HarnessError(`modprobe --show-depends ${names.join(' ')} on ${k.kver}-${k.arch}: ${w}`);
  }
  const out: { name: string; file: string }[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^insmod (\S+)/.exec(line);
    if (!m) continue;
    const name = path.basename(m[1]).replace(/\.ko(\.xz|\.zst|\.gz)?$/, '');
    if (!out.some((x) => x.name === name)) out.push({ name, file: m[1] });
  }
  if (!out.some((x) => x.name.replace(/-/g, '_') === (kind === 'nvme' ? 'nvme' : 'virtio_net')))
    throw new HarnessError(`${k.kver}-${k.arch}: no ${kind} module in ${k.modroot}`);
  return out;
}

function busybox(arch: 'amd64' | 'arm64'): string {
  if (arch === 'arm64') {
    const p = path.join(CACHE, 'busybox-arm64', 'bin', 'busybox');
    if (!fs.existsSync(p)) throw new HarnessError(`${p} missing: run npm run conformance:setup`);
    return p;
  }
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) if (fs.existsSync(p)) return p;
  throw new HarnessError('busybox (busybox-static) missing: run npm run conformance:setup');
}

function sh(cmd: string, cwd?: string): void {
  const r = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new HarnessError(`${cmd}: ${r.stderr || r.stdout || `exit ${r.status}`}`);
}

function cpioOf(dir: string, out: string): void {
  sh(`find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > '${out}'`, dir);
}

/** busybox + the modules + /init + the guest library; cached by everything that goes into it. */
function baseInitramfs(k: KernelEnv, mods: { name: string; file: string }[]): string {
  const bb = busybox(k.arch);
  const init = fs.readFileSync(path.join(HERE, 'guest', 'init'));
  const lib = fs.readFileSync(path.join(HERE, 'guest', 'irqscope.sh'));
  const h = createHash('sha256');
  h.update(`${k.kver} ${k.arch} ${k.version}\n${mods.map((m) => m.file).join('\n')}\n${bb} ${fs.statSync(bb).size}\n`);
  h.update(init); h.update(lib);
  const key = h.digest('hex').slice(0, 12);
  const dir = path.join(CACHE, 'initramfs');
  const out = path.join(dir, `${k.kver}-${k.arch}-${key}.cpio`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(dir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(dir, 'stage-'));
  try {
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'lib/modules', 'dev', 'proc', 'sys', 'tmp', 'irqscope'])
      fs.mkdirSync(path.join(stage, d), { recursive: true });
    fs.copyFileSync(bb, path.join(stage, 'bin/busybox'));
    fs.chmodSync(path.join(stage, 'bin/busybox'), 0o755);
    fs.writeFileSync(path.join(stage, 'init'), init, { mode: 0o755 });
    fs.writeFileSync(path.join(stage, 'lib/irqscope.sh'), lib);
    for (const m of mods) {
      const dst = path.join(stage, 'lib/modules', `${m.name}.ko`);
      if (m.file.endsWith('.xz')) sh(`xz -dc '${m.file}' > '${dst}'`);
      else if (m.file.endsWith('.zst')) sh(`zstd -dcq '${m.file}' > '${dst}'`);
      else if (m.file.endsWith('.gz')) sh(`gzip -dc '${m.file}' > '${dst}'`);
      else fs.copyFileSync(m.file, dst);
    }
    // the kernel's built-in initramfs has /dev/console; this is for kernels without one
    spawnSync('mknod', ['-m', '600', path.join(stage, 'dev/console'), 'c', '5', '1']);
    cpioOf(stage, `${out}.tmp`);
    fs.renameSync(`${out}.tmp`, out);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return out;
}

// ------------------------------------------------------------------------------------------ steps
interface Step { desc: string; cmd: string; post: string }

const MODULE_OF: Record<'nvme' | 'virtio_net', string> = { nvme: 'nvme', virtio_net: 'virtio_net' };
const PCI_DRIVER_OF: Record<'nvme' | 'virtio_net', string> = { nvme: 'nvme', virtio_net: 'virtio-pci' };

function fmtArg(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

function compileSteps(s: Scenario, loadList: (kind: 'nvme' | 'virtio_net') => string[], allMods: Set<string>): Step[] {
  const devs = new Map(s.machine.devices.map((d) => [d.bdf, d]));
  const cpus = s.machine.cpus;
  // which devices should have their driver's interrupts up: the waits after a step
  const bound = new Set(s.machine.devices.filter((d) => d.driver).map((d) => d.bdf));
  const removed = new Set<string>();
  const loaded = new Set<string>(s.machine.devices.filter((d) => d.driver).map((d) => MODULE_OF[devKind(d)!]));
  const waitFor = (bdfs: string[]) => bdfs.length ? `wait_ready ${bdfs.map((b) => `${b} ${devKind(devs.get(b)!)}`).join(' ')}` : '';

  return (s.actions as unknown as HarnessAction[]).map((a, i) => {
    const where = `action ${i} (${JSON.stringify(a)})`;
    const bad = (msg: string) => new ScenarioError(`${where}: ${msg}`);
    const cpu = (v: unknown) => { if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= cpus) throw bad(`cpu must be 0..${cpus - 1}`); return v as number; };
    const dev = (v: unknown) => { if (typeof v !== 'string' || !devs.has(v)) throw bad(`dev must be one of the machine's devices (${[...devs.keys()].join(', ')})`); return v; };
    const int = (v: unknown, what: string) => { if (!Number.isInteger(v) || (v as number) < 0) throw bad(`${what} must be a non-negative integer`); return v as number; };
    const cpuList = (v: unknown) => { if (!Array.isArray(v) || v.length === 0) throw bad('cpus must be a non-empty list'); return v.map(cpu).join(','); };
    const desc = [a.op, ...Object.entries(a).filter(([k]) => k !== 'op').map(([k, v]) => `${k}=${fmtArg(v)}`)].join(' ');
    let cmd: string; let post = '';
    switch (a.op) {
      case 'cpu_down':
      case 'cpu_up':
        cmd = `echo ${a.op === 'cpu_up' ? 1 : 0} > /sys/devices/system/cpu/cpu${cpu(a.cpu)}/online`;
        break;
      case 'write_irq_affinity': {
        const list = cpuList(a.cpus);
        if (a.virq !== undefined) cmd = `echo ${list} > /proc/irq/${int(a.virq, 'virq')}/smp_affinity_list`;
        else if (a.dev !== undefined) cmd = `write_affinity_dev ${dev(a.dev)} ${int(a.index, 'index')} ${list}`;
        else throw bad('needs virq or dev+index');
        break;
      }
      case 'driver_unbind': {
        const b = dev(a.dev);
        cmd = `echo ${b} > /sys/bus/pci/devices/${b}/driver/unbind`;
        bound.delete(b);
        break;
      }
      case 'driver_bind': {
        const b = dev(a.dev); const kind = devKind(devs.get(b)!)!;
        if (a.driver !== kind) throw bad(`the device at ${b} is ${kind}; driver must be "${kind}"`);
        const mods = loadList(kind);
        cmd = `load ${mods.join(' ')}; echo ${b} > /sys/bus/pci/drivers/${PCI_DRIVER_OF[kind]}/bind`;
        loaded.add(MODULE_OF[kind]);
        bound.add(b);
        post = waitFor([b]);
        break;
      }
      case 'blk_read': {
        const b = dev(a.dev);
        if (devKind(devs.get(b)!) !== 'nvme') throw bad(`${b} is not an NVMe controller`);
        const c = cpu(a.cpu); const n = int(a.count, 'count');
        if (n < 1) throw bad('count must be at least 1');
        cmd = `blk_read ${b} ${c} ${n}`;
        break;
      }
      case 'pci_stop_and_remove_bus_device': {
        const b = dev(a.dev);
        cmd = `echo 1 > /sys/bus/pci/devices/${b}/remove`;
        removed.add(b); bound.delete(b);
        break;
      }
      case 'pci_rescan_bus': {
        cmd = 'echo 1 > /sys/bus/pci/rescan';
        const back = [...removed].filter((b) => loaded.has(MODULE_OF[devKind(devs.get(b)!)!]));
        removed.clear();
        back.forEach((b) => bound.add(b));
        post = waitFor(back);
        break;
      }
      case 'delete_module': {
        const name = String(a.name ?? '');
        if (!/^[a-z0-9_-]+$/.test(name)) throw bad('name must be a module name');
        cmd = `rmmod ${name}`;
        for (const d of s.machine.devices) if (MODULE_OF[devKind(d)!] === name.replace(/-/g, '_')) bound.delete(d.bdf);
        loaded.delete(name.replace(/-/g, '_'));
        break;
      }
      case 'init_module': {
        const name = String(a.name ?? '');
        const file = [...allMods].find((m) => m.replace(/-/g, '_') === name.replace(/-/g, '_'));
        if (!file) throw bad(`module ${name} is not in the initramfs (it holds: ${[...allMods].join(', ')})`);
        cmd = `insmod /lib/modules/${file}.ko`;
        const mod = name.replace(/-/g, '_');
        loaded.add(mod);
        const back = s.machine.devices.filter((d) => MODULE_OF[devKind(d)!] === mod && !removed.has(d.bdf)).map((d) => d.bdf);
        back.forEach((b) => bound.add(b));
        post = waitFor(back);
        break;
      }
      default:
        throw bad(`op "${a.op}" has no step in a real guest (known: cpu_down, cpu_up, write_irq_affinity, driver_unbind, driver_bind, blk_read, pci_stop_and_remove_bus_device, pci_rescan_bus, delete_module, init_module)`);
    }
    return { desc, cmd, post };
  });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ------------------------------------------------------------------------------------------ QEMU
interface Plan { bin: string; args: string[]; files: { disk: string }[]; mem: number; timeout: number }

function memFor(cpus: number): number { return cpus <= 8 ? 512 : cpus <= 16 ? 768 : cpus <= 32 ? 1024 : 1536; }

function defaultTimeout(arch: 'x86' | 'arm64', cpus: number): number {
  return arch === 'x86' ? 180 + 10 * cpus : 240 + 12 * cpus;
}

function qemuPlan(s: Scenario, timeout?: number): Plan {
  const m = s.machine;
  const x86 = m.arch === 'x86';
  const mem = memFor(m.cpus);
  const args: string[] = x86
    ? ['-accel', 'tcg', '-cpu', 'max', '-M', 'q35', '-smp', String(m.cpus), '-m', String(mem), '-nographic', '-no-reboot']
    : ['-accel', 'tcg', '-M', 'virt,gic-version=3,its=on', '-cpu', 'cortex-a57', '-smp', String(m.cpus), '-m', String(mem), '-nographic', '-no-reboot'];
  const ir = x86 && m.remap === 'intel-ir';
  if (ir) args.push('-device', 'intel-iommu,intremap=on');
  // x86: TCG's CPU has no constant_tsc, so every secondary CPU would calibrate its delay loop, which takes
  // minutes for 64 vCPUs on a busy host; a preset lpj skips it (it only scales udelay)
  // nowatchdog: on a loaded host TCG vCPUs stall for seconds, and the lockup detectors' false alarms (and the
  // backtrace IPIs they send) hung a 16-CPU arm64 guest before /init; the detectors own no interrupt lines
  // x86 no_timer_check: on a loaded host the IO-APIC timer check times out under TCG; the kernel then routes
  // the timer through the local APIC (irq 0 becomes "local-APIC", a run-to-run difference) or, with remapping,
  // panics ("timer doesn't work through Interrupt-remapped IO-APIC")
  const append = [x86 ? 'console=ttyS0' : 'console=ttyAMA0', 'loglevel=1', 'panic=-1', 'nowatchdog',
    ...(x86 ? ['lpj=10000000', 'no_timer_check'] : []),
    ...(ir ? ['intel_iommu=on'] : [])].join(' ');
  args.push('-kernel', 'vmlinuz', '-initrd', 'initrd.cpio', '-append', append);
  const files: { disk: string }[] = [];
  let nvmeN = 0; let netN = 0;
  for (const d of m.devices) {
    const slot = parseInt(BDF_RE.exec(d.bdf)![3], 16);
    const addr = `addr=0x${slot.toString(16)}`;
    if (devKind(d) === 'nvme') {
      const id = `nvme${nvmeN++}`;
      files.push({ disk: `${id}.img` });
      args.push('-drive', `file=${id}.img,if=none,id=${id},format=raw,snapshot=on`);
      const props = [`nvme`, `drive=${id}`, `serial=irqscope${nvmeN - 1}`];
      if (d.queues !== undefined) props.push(`max_ioqpairs=${d.queues}`);
      if (d.msix) props.push(`msix_qsize=${d.msix.tableSize}`);
      props.push(addr);
      args.push('-device', props.join(','));
    } else {
      const id = `u${netN++}`;
      if ((d.queues ?? 1) !== 1) process.stderr.write(`run: note: ${d.bdf}: a user netdev has one queue pair; queues=${d.queues} is not what the guest gets\n`);
      args.push('-netdev', `user,id=${id},restrict=on`);
      const props = ['virtio-net-pci', `netdev=${id}`, 'mq=on'];
      if (d.msix) props.push(`vectors=${d.msix.tableSize}`);
      props.push(addr);
      args.push('-device', props.join(','));
    }
  }
  if (netN === 0) args.push('-nic', 'none');
  return { bin: x86 ? 'qemu-system-x86_64' : 'qemu-system-aarch64', args, files, mem, timeout: timeout ?? defaultTimeout(m.arch, m.cpus) };
}

function cmdline(bin: string, args: string[]): string {
  return [bin, ...args.map((a) => (/[\s"'\\$]/.test(a) ? `"${a}"` : a))].join(' ');
}

// ------------------------------------------------------------------------------------------ run
interface Result { capture: Buffer; phases: { name: string; host: number; guest: number }[]; seconds: number; warnings: string[] }

function decodeCapture(out: string): Buffer {
  const lines = out.split('\n').map((l) => l.replace(/\r/g, ''));
  let b = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trim() === 'IRQSCOPE-CAPTURE-BEGIN') { b = i; break; }
  if (b < 0) throw new HarnessError('the guest printed no capture');
  let e = -1; let sum = ''; let size = -1;
  for (let i = b + 1; i < lines.length; i++) {
    const m = /IRQSCOPE-CAPTURE-END ([0-9a-f]{32}) (\d+)/.exec(lines[i]);
    if (m) { e = i; sum = m[1]; size = Number(m[2]); break; }
  }
  if (e < 0) throw new HarnessError('the capture on the console has no end marker (guest died while printing it?)');
  const b64 = lines.slice(b + 1, e).map((l) => l.trim()).filter((l) => /^[A-Za-z0-9+/=]+$/.test(l)).join('');
  let data: Buffer;
  try { data = gunzipSync(Buffer.from(b64, 'base64')); } catch (err) {
    throw new HarnessError(`the capture on the console does not decode (console noise inside it?): ${(err as Error).message}`);
  }
  const got = createHash('md5').update(data).digest('hex');
  if (got !== sum || data.length !== size) throw new HarnessError(`capture checksum mismatch: guest ${sum}/${size} bytes, host ${got}/${data.length} bytes`);
  return data;
}

function boot(plan: Plan, runDir: string, verbose: boolean): Promise<Result> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const secs = () => (Date.now() - t0) / 1000;
    const log = fs.openSync(path.join(runDir, 'console.log'), 'w');
    const child = spawn(plan.bin, plan.args, { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let pending = '';
    const phases: Result['phases'] = [];
    const warnings: string[] = [];
    let fatal = '';
    let timedOut = false;
    const onLine = (line: string) => {
      const l = line.replace(/\r/g, '');
      let m: RegExpExecArray | null;
      if ((m = /IRQSCOPE-PHASE (\S+) ([\d.]+)/.exec(l))) {
        phases.push({ name: m[1], host: secs(), guest: Number(m[2]) });
        process.stderr.write(`run: [${secs().toFixed(1).padStart(6)}s] ${m[1]} (guest uptime ${m[2]}s)\n`);
      } else if ((m = /IRQSCOPE-WARN (.*)/.exec(l))) {
        warnings.push(m[1]);
        process.stderr.write(`run: guest warning: ${m[1]}\n`);
      } else if ((m = /IRQSCOPE-FATAL (.*)/.exec(l))) {
        fatal = m[1];
      }
    };
    child.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      fs.writeSync(log, c);
      if (verbose) process.stderr.write(c);
      pending += c.toString('latin1');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(onLine);
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); fs.writeSync(log, c); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, plan.timeout * 1000);
    child.on('error', (err) => { clearTimeout(timer); reject(new HarnessError(`${plan.bin}: ${err.message} (run npm run conformance:setup)`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(log);
      if (pending) onLine(pending);
      const out = Buffer.concat(chunks).toString('latin1');
      const tail = () => out.split('\n').slice(-40).map((l) => `  | ${l.replace(/\r/g, '')}`).join('\n');
      if (timedOut) return reject(new HarnessError(`the guest hung: killed after ${plan.timeout}s (last phase: ${phases.at(-1)?.name ?? 'none'}). Console tail:\n${tail()}`));
      if (fatal) return reject(new HarnessError(`the guest gave up: ${fatal}`));
      const panic = /Kernel panic - not syncing: [^\r\n]*/.exec(out);
      if (panic) return reject(new HarnessError(`the guest kernel panicked: ${panic[0]}. Console tail:\n${tail()}`));
      try {
        const capture = decodeCapture(out);
        resolve({ capture, phases, seconds: secs(), warnings });
      } catch (err) {
        reject(new HarnessError(`${(err as Error).message}; QEMU exit ${code ?? signal}${stderr ? `, stderr: ${stderr.trim()}` : ''}. Console tail:\n${tail()}`));
      }
    });
  });
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const s = loadScenario(o.scenario);
  const m = s.machine;
  const kver = o.kernel ?? m.kernel ?? '7.2';
  if (o.kernel && m.kernel && o.kernel !== m.kernel) process.stderr.write(`run: note: scenario says kernel ${m.kernel}, booting ${o.kernel} as asked\n`);
  const arch = m.arch === 'x86' ? 'amd64' : 'arm64';
  const k = loadKernel(kver, arch);

  // modules: per device in listed order, each once
  const perKind = new Map<'nvme' | 'virtio_net', { name: string; file: string }[]>();
  const kindsNeeded = new Set<'nvme' | 'virtio_net'>();
  for (const d of m.devices) kindsNeeded.add(devKind(d)!);
  for (const kind of kindsNeeded) perKind.set(kind, driverModules(k, kind));
  const allMods: { name: string; file: string }[] = [];
  for (const kind of kindsNeeded) for (const x of perKind.get(kind)!) if (!allMods.some((y) => y.name === x.name)) allMods.push(x);
  const loadList = (kind: 'nvme' | 'virtio_net') => perKind.get(kind)!.map((x) => x.name);
  const steps = compileSteps(s, loadList, new Set(allMods.map((x) => x.name)));

  const plan = qemuPlan(s, o.timeout);
  const line = cmdline(plan.bin, plan.args);
  const waitLimit = 60 + 4 * m.cpus;

  // the per-run script
  const run: string[] = [`WAIT_LIMIT=${waitLimit}`, 'header /irqscope/qemu-cmdline'];
  for (const d of m.devices) {
    const ids = devKind(d) === 'nvme' ? ['1b36:0010'] : ['1af4:1000', '1af4:1041'];
    run.push(`check_dev ${d.bdf} ${ids.join(' ')}`);
  }
  for (const d of m.devices) {
    if (!d.driver) continue;
    run.push(`load ${loadList(devKind(d)!).join(' ')}`, `wait_ready ${d.bdf} ${devKind(d)}`);
  }
  // devices without a driver wait for driver_bind, even when their driver came in for another device
  for (const d of m.devices) if (!d.driver && kindsNeeded.has(devKind(d)!) && m.devices.some((x) => x.driver && devKind(x) === devKind(d)))
    run.push(`[ -e /sys/bus/pci/devices/${d.bdf}/driver ] && echo ${d.bdf} > /sys/bus/pci/devices/${d.bdf}/driver/unbind`);
  run.push('phase ready', 'boot_snap');
  steps.forEach((st, i) => run.push(`step ${i + 1} ${q(st.desc)} ${q(st.cmd)} ${q(st.post)}`));
  run.push('');

  const base = baseInitramfs(k, allMods);
  fs.mkdirSync(path.join(CACHE, 'runs'), { recursive: true });
  const runDir = fs.mkdtempSync(path.join(CACHE, 'runs', `${kver}-${arch}-${m.cpus}cpu-`));
  let ok = false;
  try {
    const stage = path.join(runDir, 'stage');
    fs.mkdirSync(path.join(stage, 'irqscope'), { recursive: true });
    fs.writeFileSync(path.join(stage, 'irqscope/run.sh'), run.join('\n'));
    fs.writeFileSync(path.join(stage, 'irqscope/qemu-cmdline'), `${line}\n`);
    cpioOf(stage, path.join(runDir, 'run.cpio'));
    fs.writeFileSync(path.join(runDir, 'initrd.cpio'), Buffer.concat([fs.readFileSync(base), fs.readFileSync(path.join(runDir, 'run.cpio'))]));
    fs.symlinkSync(k.vmlinuz, path.join(runDir, 'vmlinuz'));
    for (const f of plan.files) { const fd = fs.openSync(path.join(runDir, f.disk), 'w'); fs.ftruncateSync(fd, 8 << 20); fs.closeSync(fd); }

    process.stderr.write(`run: ${k.version} (${arch}), ${m.cpus} CPU${m.cpus > 1 ? 's' : ''}, ${plan.mem} MiB, ${steps.length} step${steps.length === 1 ? '' : 's'}, timeout ${plan.timeout}s\nrun: ${line}\n`);
    const r = await boot(plan, runDir, o.verbose);
    const out = o.out ?? path.join(path.dirname(o.scenario), 'capture.txt');
    fs.writeFileSync(out, r.capture);
    const ready = r.phases.find((p) => p.name === 'ready');
    const init = r.phases.find((p) => p.name === 'init');
    process.stderr.write(`run: wrote ${out} (${r.capture.length} bytes) in ${r.seconds.toFixed(1)}s` +
      `${init ? `; /init at ${init.host.toFixed(1)}s` : ''}${ready ? `, drivers up at ${ready.host.toFixed(1)}s` : ''}` +
      `${r.warnings.length ? `; ${r.warnings.length} guest warning(s)` : ''}\n`);
    ok = true;
    return 0;
  } finally {
    if (ok && !o.keep) fs.rmSync(runDir, { recursive: true, force: true });
    else process.stderr.write(`run: run folder kept: ${runDir}\n`);
  }
}

main().then((c) => process.exit(c), (e: unknown) => {
  if (e instanceof ScenarioError) { process.stderr.write(`run: ${e.message}\n`); process.exit(2); }
  if (e instanceof UsageError) { if (e.message) process.stderr.write(`run: ${e.message}\n`); process.stderr.write(`${USAGE}\n`); process.exit(2); }
  if (e instanceof HarnessError) { process.stderr.write(`run: FAILED: ${e.message}\n`); process.exit(1); }
  process.stderr.write(`run: FAILED: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
