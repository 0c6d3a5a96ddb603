// The label of a design beyond mainline: IMS ("removed in 2024") and the subdevice MSI parents
// ("proposal"); mainline shows nothing. Same colours as the domain tree's era tags.

import type { DomainView } from '../../worker/protocol';

const TITLE: Record<Exclude<DomainView['era'], 'mainline'>, string> = {
  'removed in 2024': 'PCI/IMS: merged in v6.2, removed from mainline in 2024 without users; modelled as it was',
  proposal: 'MSI parent domains for PCI subdevices: a 2024 proposal, not merged; modelled as posted',
};

export function EraBadge({ era }: { era: DomainView['era'] | undefined | null }) {
  if (!era || era === 'mainline') return null;
  return (
    <span
      data-testid="era"
      title={TITLE[era]}
      className={`whitespace-nowrap rounded-full px-1.5 font-mono text-[9.5px] font-semibold leading-[15px] text-white ${era === 'proposal' ? 'bg-violet-600' : 'bg-amber-600'}`}
    >
      {era}
    </span>
  );
}
