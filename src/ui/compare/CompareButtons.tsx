// Header buttons: Search, the Changes panel, and the side-by-side pairing (IR against no IR, the
// same scenario on another kernel or architecture, a story's partner or any other story).

import { btn, input } from '../chrome/styles';
import { useStore } from '../store';
import { SearchButton } from '../search/SearchPalette';
import { setCompareOpen, setCompareWith } from './commands';
import { useCompare, type Pairing } from './store';
import { pairingOptions } from './pairing';

export function CompareButtons() {
  const open = useCompare((s) => s.open);
  const pairing = useCompare((s) => s.pairing);
  const machine = useStore((s) => s.scenario?.machine ?? null);
  const story = useStore((s) => s.story);
  if (!machine) return <SearchButton />;
  const opts = pairingOptions(machine, story);
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
        className={input + ' h-7 w-36 text-xs'}
        value={value}
        onChange={(e) => {
          const p = e.target.value ? (JSON.parse(e.target.value) as Pairing) : null;
          useCompare.setState({ pairing: p, storyPaired: false });
          if (!p && useCompare.getState().with.kind === 'pair') setCompareWith({ kind: 'previous' });
        }}
      >
        <option value="">side by side…</option>
        {opts.filter((o) => o.group === 'machine').map((o) => <option key={o.label} value={JSON.stringify(o.p)}>{o.label}</option>)}
        <optgroup label="beside a story">
          {opts.filter((o) => o.group === 'story').map((o) => <option key={o.p.story} value={JSON.stringify(o.p)}>{o.label}</option>)}
        </optgroup>
        {pairing && !opts.some((o) => JSON.stringify(o.p) === value) && <option value={value}>{value}</option>}
      </select>
    </>
  );
}
