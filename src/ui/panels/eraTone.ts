// The colours of a design's era label, one rule everywhere (badges, the domain tree, stories):
// 'removed in 2024' (merged, then removed) amber; a proposal violet; an RFC that was not merged
// or a design rejected in review stone grey — the road not taken. Mainline has no label.

import type { DomainView } from '../../worker/protocol';

export type EraTone = 'removed' | 'proposal' | 'rejected';

export function eraTone(era: DomainView['era'] | string | undefined | null): EraTone | null {
  if (!era || era === 'mainline') return null;
  if (era.startsWith('removed')) return 'removed';
  if (era.startsWith('proposal')) return 'proposal';
  return 'rejected';
}

/** A filled badge with white text (each at least 5:1). */
export const ERA_BADGE: Record<EraTone, string> = {
  removed: 'bg-amber-700',
  proposal: 'bg-violet-700',
  rejected: 'bg-stone-600',
};

/** Text on a node of the domain tree (light and dark). */
export const ERA_FILL: Record<EraTone, string> = {
  removed: 'fill-amber-800 dark:fill-amber-200',
  proposal: 'fill-violet-800 dark:fill-violet-200',
  rejected: 'fill-stone-700 dark:fill-stone-300',
};

/** What each label means, for its tooltip. */
export function eraTitle(era: string): string {
  switch (era) {
    case 'removed in 2024':
      return 'PCI/IMS: merged in v6.2, removed from mainline in 2024 without users; modelled as it was';
    case 'proposal':
      return 'MSI parent domains for PCI subdevices: a 2024 proposal, not merged; modelled as posted';
    case 'RFC 2020, not merged':
      return 'DEV_MSI and IMS per IOMMU: posted as an RFC in 2020 and never merged; modelled as posted';
    case 'rejected in review 2021':
      return 'One IMS domain per IOMMU: rejected in the 2021 review (one chip for every device, no store in system memory); modelled as posted';
    case 'proposal 2021':
      return 'Logical functions: proposed in the 2021 review, never posted as patches; the function names are the model’s';
    case 'rejected in review 2024':
      return 'CXL subdevice interrupts stacked on the PCI/MSI-X domain, or a disjunct root domain: rejected in the 2024 review; modelled as discussed';
    default:
      return `${era}: a design mainline does not have; modelled as discussed`;
  }
}
