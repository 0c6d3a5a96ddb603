// Header buttons: Search, the Changes panel, and the side-by-side pairing (IR against no IR, or
// the same scenario on another kernel).

import { btn, input } from '../chrome/styles';
import { useStore } from '../store';
import { SearchButton } from '../search/SearchPalette';
import { setCompareOpen, setCompareWith } from './commands';
import { useCompare, type Pairing } from './store';

/** The pairings offered for a machine: the other remapping settings, the other kernels. */
function pairings(arch: string, remap: string | undefined, kernel: string | undefined): { label: string; p: Pairing }[] {
  const out: { label: string; p: Pairing }[] = [];
  if (arch === 'x86') {
    for (const r of ['intel-ir', 'amd-ir', 'none'] as const) if (r !== (remap ?? 'intel-ir')) out.push({ label: r === 'none' ? 'without remapping' : `with ${r === 'intel-ir' ? 'Intel' : 'AMD'} IR`, p: { remap: r } });
  }
  for (const k of ['6.1', '6.12', '7.2'] as const) if (k !== (kernel ?? '7.2')) out.push({ label: `on kernel ${k}`, p: { kernel: k } });
  return out;
}

export function CompareButtons() {
  const open = useCompare((s) => s.open);
  const pairing = useCompare((s) => s.pairing);
  const machine = useStore((s) => s.scenario?.machine ?? null);
  if (!machine) return <SearchButton />;
  const opts = pairings(machine.arch, machine.remap, machine.kernel);
  const value = pairing ? JSON.stringify(pairing) : '';
  return (
    <>
      <SearchButton />
      <button type="button" className={btn} aria-pressed={open} data-testid="changes-button" title="What this step changed (the engine's diff)" onClick={() => setCompareOpen(!open)}>
        Changes
      </button>
      <select
        aria-label="Side by side"
        title="Run the same calls on a second machine, side by side"
        className={input + ' h-7 text-xs'}
        value={value}
        onChange={(e) => {
          const p = e.target.value ? (JSON.parse(e.target.value) as Pairing) : null;
          useCompare.setState({ pairing: p });
          if (!p && useCompare.getState().with.kind === 'pair') setCompareWith({ kind: 'previous' });
        }}
      >
        <option value="">side by side…</option>
        {opts.map((o) => <option key={o.label} value={JSON.stringify(o.p)}>{o.label}</option>)}
        {pairing && !opts.some((o) => JSON.stringify(o.p) === value) && <option value={value}>{value}</option>}
      </select>
    </>
  );
}
